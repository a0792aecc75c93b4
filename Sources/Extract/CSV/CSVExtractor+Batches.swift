extension CSVExtractor {
    public func makeBatch() -> RecordBatch {
        RecordBatch(fieldNames: columns.requested, file: displayName)
    }

    /// The records `next()` would give, into `batch`: each requested field's bytes decoded
    /// straight into the batch (no `String`, and no text cache: copying a value's bytes costs
    /// less than looking it up). A field that is not valid in the encoding is left absent and
    /// gives the record its defect, with the message `next()` gives (`decodeField`).
    public func fill(_ batch: inout RecordBatch, limit: Int, byteLimit: Int) throws(ExtractError) {
        while batch.count < limit && batch.byteCount < byteLimit {
            guard let (record, scanned) = try scanRecord() else { return }
            // Decoded, no field is longer than maxBytesPerByte times its bytes in the record.
            let room = (buffer.position - record.start) * decoder.maxBytesPerByte
            var defect = scanned
            batch.appendRecord(
                number: record.line, line: record.line, byteOffset: buffer.fileOffset(ofLineStartingAt: record.start),
                room: room
            ) { values in
                for slot in 0..<spans.count {
                    let span = spans[slot]
                    guard span.start >= 0, !span.hasTextAfterQuote else { continue }
                    let raw = buffer.bytes(span.start..<span.end)
                    let decoded: Bool
                    if span.hasDoubledQuotes {
                        Self.unescapeQuotes(raw, quote: scanner.quote, into: &unescaped)
                        decoded = unescaped.withUnsafeBufferPointer { decode($0, into: &values, field: slot) }
                    } else {
                        decoded = decode(raw, into: &values, field: slot)
                    }
                    if !decoded, defect == nil, case .failure(let problem) = decodeField(span, record: record) {
                        defect = RecordDefect(field: columns.requested[slot], message: problem.message)
                    }
                }
            }
            if let defect { batch.setDefect(record: batch.count - 1, defect) }
        }
    }

    /// Sets the field to `raw` decoded, if it is valid in the encoding; returns whether it was.
    @inline(__always)
    private func decode(_ raw: UnsafeBufferPointer<UInt8>, into values: inout RecordBatch.ValueWriter, field: Int) -> Bool {
        guard decoder.isValid(raw) else { return false }
        values.set(field, atMost: raw.count * decoder.maxBytesPerByte) { decoder.write(raw, to: $0) }
        return true
    }
}
