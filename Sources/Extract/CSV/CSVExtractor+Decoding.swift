/// A field whose bytes are not valid in the declared encoding.
struct CSVFieldProblem: Error {
    /// What is wrong, e.g. `invalid UTF-8 byte 0xC3`.
    var detail: String
    var line: Int
    /// Offset of the offending byte in the file.
    var byteOffset: Int?

    /// `invalid UTF-8 byte 0xC3 at line 7, byte offset 1234`.
    var message: String {
        detail + " at line \(line)" + (byteOffset.map { ", byte offset \($0)" } ?? "")
    }
}

extension CSVExtractor {
    /// Decodes one requested field of the record just scanned.
    func decodeField(_ span: CSVFieldSpan, record: CSVScannedRecord) -> Result<String, CSVFieldProblem> {
        Self.decode(
            span, record: record, buffer: buffer, decoder: decoder, encoding: encoding, quote: scanner.quote,
            scratch: &unescaped)
    }

    /// 1-based line of the byte at `index` of a record in the buffer.
    func line(ofIndex index: Int, in record: CSVScannedRecord) -> Int {
        Self.line(ofIndex: index, in: record, buffer: buffer)
    }

    static func line(ofIndex index: Int, in record: CSVScannedRecord, buffer: CSVBuffer) -> Int {
        var line = record.line
        for byte in buffer.bytes(record.start..<index) where byte == 0x0A { line += 1 }
        return line
    }

    /// The text of a field: quotes undoubled, decoded from `encoding`; or where it goes wrong.
    static func decode(
        _ span: CSVFieldSpan, record: CSVScannedRecord, buffer: CSVBuffer, decoder: FieldDecoder,
        encoding: TextEncoding, quote: UInt8, scratch: inout [UInt8]
    ) -> Result<String, CSVFieldProblem> {
        let raw = buffer.bytes(span.start..<span.end)
        let text: String?
        if span.hasDoubledQuotes {
            unescapeQuotes(raw, quote: quote, into: &scratch)
            text = scratch.withUnsafeBufferPointer { decoder.decode($0) }
        } else {
            text = decoder.decode(raw)
        }
        if let text { return .success(text) }
        let index = span.start + (decoder.firstInvalidByte(in: raw) ?? 0)
        let line = line(ofIndex: index, in: record, buffer: buffer)
        if let transcoder = buffer.transcoder,
            let found = transcoder.problem(atOutputOffset: buffer.streamOffset(ofIndex: index))
        {
            return .failure(
                CSVFieldProblem(detail: found.problem.description, line: line, byteOffset: found.sourceOffset))
        }
        let name =
            switch encoding {
            case .utf8: "UTF-8"
            case .utf16: "UTF-16"
            default: encoding.rawValue
            }
        return .failure(
            CSVFieldProblem(
                detail: "invalid \(name) byte \(ByteFormat.hex(buffer.storage[index], digits: 2))", line: line,
                byteOffset: buffer.transcoder == nil ? buffer.streamOffset(ofIndex: index) : nil))
    }

    /// Copies `raw` (the inside of a quoted field) into `scratch` with each doubled quote made single.
    static func unescapeQuotes(_ raw: UnsafeBufferPointer<UInt8>, quote: UInt8, into scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        scratch.reserveCapacity(raw.count)
        var index = 0
        var runStart = 0
        while index < raw.count {
            if raw[index] == quote {
                // Inside quotes every quote is doubled: keep the first, skip the second.
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: raw[runStart...index]))
                index += 2
                runStart = index
            } else {
                index += 1
            }
        }
        if runStart < raw.count { scratch.append(contentsOf: UnsafeBufferPointer(rebasing: raw[runStart...])) }
    }
}

extension CSVExtractor {
    /// The column names of the header line; an invalid byte in it is an `ExtractError`.
    static func decodeHeader(
        _ spans: [CSVFieldSpan], record: CSVScannedRecord, buffer: CSVBuffer, decoder: FieldDecoder,
        encoding: TextEncoding, quote: UInt8, displayName: String
    ) throws(ExtractError) -> [String] {
        var scratch: [UInt8] = []
        var names: [String] = []
        names.reserveCapacity(spans.count)
        for (column, span) in spans.enumerated() {
            switch decode(
                span, record: record, buffer: buffer, decoder: decoder, encoding: encoding, quote: quote,
                scratch: &scratch)
            {
            case .success(let name): names.append(name)
            case .failure(let problem):
                throw ExtractError(
                    .encoding, file: displayName, line: problem.line, byteOffset: problem.byteOffset,
                    message:
                        "the header is not valid \(encoding.rawValue) (\(problem.detail) in column \(column + 1)); "
                        + "correct the encoding in the member's mapping, or ask the member to export the file again")
            }
        }
        return names
    }
}
