/// Streams the records of a delimited text file (RFC 4180 CSV) as `ExtractedRecord`s.
///
/// Works on bytes in a bounded buffer that holds at most one record beyond the read-ahead (the
/// file is never held whole) and turns only the requested columns into Strings; other columns
/// are skipped without copying. The declared encoding is checked against a byte order mark;
/// UTF-16 is transcoded to UTF-8 before splitting.
///
/// Locators: `record` and `line` are the 1-based line where the record starts (the header is
/// line 1, so the first data row is record 2); `byteOffset` is the 0-based offset of that line
/// in the (decompressed) file, byte order mark included.
///
/// Problems confined to one record (invalid bytes for the encoding, ragged rows, text after a
/// closing quote) come back as the record's `defect`; the file goes on. An unterminated quote,
/// an over-long field and a missing column are `ExtractError`s.
///
/// One thread at a time reads an extractor, so its mutable state is `@exclusivity(unchecked)`
/// (as `CSVBuffer`'s and `JSONTokenizer`'s): no dynamic exclusivity check per record.
public final class CSVExtractor: BatchRecordExtractor {
    let displayName: String
    let scanner: CSVScanner
    let decoder: FieldDecoder
    let encoding: TextEncoding
    let columns: CSVColumns
    let slotOfColumn: UnsafeMutableBufferPointer<Int32>
    let spans: UnsafeMutableBufferPointer<CSVFieldSpan>
    /// The field count every record should have, and what it comes from ("the header has 7").
    @exclusivity(unchecked) var expectedFieldCount: Int?
    @exclusivity(unchecked) var expectedFieldCountOrigin = ""
    let buffer: CSVBuffer
    @exclusivity(unchecked) var unescaped: [UInt8] = []
    /// The requested columns' recent values as text (code columns repeat a few values).
    let texts: ColumnTextCache

    /// Opens a CSV stream: checks the byte order mark, reads the header (when `options.hasHeader`)
    /// and resolves `request.fields` against it.
    public init(source: any ByteSource, request: ExtractRequest, options: CSVOptions) throws(ExtractError) {
        displayName = request.displayName
        encoding = options.encoding
        scanner = CSVScanner(
            delimiter: options.delimiter, quote: options.quote, maxFieldBytes: request.limits.maxFieldBytes,
            displayName: request.displayName)
        decoder = FieldDecoder(options.encoding)
        let input = try TextInput.open(source, encoding: options.encoding, displayName: request.displayName)
        let buffer = CSVBuffer(input: input, recordLimit: 2 * max(1, request.limits.maxFieldBytes))
        if options.hasHeader {
            var sink = CSVAllFieldsSink()
            guard let header = try Self.scanNext(buffer, scanner: scanner, into: &sink) else {
                throw ExtractError(
                    .malformed, file: request.displayName, line: 1,
                    message: "the file is empty, but the mapping says it starts with a header line")
            }
            let names = try Self.decodeHeader(
                sink.spans, record: header, buffer: buffer, decoder: decoder, encoding: options.encoding,
                quote: options.quote, displayName: request.displayName)
            columns = try CSVColumns(fields: request.fields, header: names, displayName: request.displayName)
            expectedFieldCount = names.count
            expectedFieldCountOrigin = "the header has \(names.count)"
        } else {
            columns = try CSVColumns(positions: request.fields, displayName: request.displayName)
        }
        self.buffer = buffer
        slotOfColumn = .allocate(capacity: columns.slotOfColumn.count)
        _ = slotOfColumn.initialize(from: columns.slotOfColumn)
        spans = .allocate(capacity: columns.requested.count)
        spans.initialize(repeating: .absent)
        texts = ColumnTextCache(columns: columns.requested.count)
    }

    deinit {
        slotOfColumn.deallocate()
        spans.deallocate()
    }

    /// The next record, or nil at the end of the file.
    public func next() throws(ExtractError) -> ExtractedRecord? {
        guard let (record, scanned) = try scanRecord() else { return nil }
        let locator = RecordLocator(
            file: displayName, record: record.line, line: record.line,
            byteOffset: buffer.fileOffset(ofLineStartingAt: record.start))
        var defect = scanned
        var fields = [String?](repeating: nil, count: spans.count)
        for slot in 0..<spans.count {
            let span = spans[slot]
            guard span.start >= 0, !span.hasTextAfterQuote else { continue }
            let raw = buffer.bytes(span.start..<span.end)
            if !span.hasDoubledQuotes, let text = texts.text(column: slot, raw: raw) {
                fields[slot] = text
                continue
            }
            switch decodeField(span, record: record) {
            case .success(let text):
                fields[slot] = text
                if !span.hasDoubledQuotes { texts.remember(column: slot, raw: raw, text: text) }
            case .failure(let problem):
                if defect == nil { defect = RecordDefect(field: columns.requested[slot], message: problem.message) }
            }
        }
        return ExtractedRecord(locator: locator, fieldNames: columns.requested, values: fields, defect: defect)
    }

    /// Scans the next record's requested fields into `spans`; nil at the end of the file. The
    /// defect is what the scan shows (a ragged row, text after a closing quote), before any field
    /// is decoded.
    func scanRecord() throws(ExtractError) -> (CSVScannedRecord, RecordDefect?)? {
        var sink = CSVRequestedFieldSink(slotOfColumn: UnsafeBufferPointer(slotOfColumn), spans: spans)
        guard let record = try Self.scanNext(buffer, scanner: scanner, into: &sink) else { return nil }
        if let expected = expectedFieldCount {
            if record.fieldCount != expected {
                return (record, RecordDefect(
                    message: "line \(record.line) has \(record.fieldCount) fields; \(expectedFieldCountOrigin)"))
            }
        } else {
            expectedFieldCount = record.fieldCount
            expectedFieldCountOrigin = "line \(record.line) has \(record.fieldCount)"
        }
        if let (column, start) = sink.firstTextAfterQuote {
            return (record, RecordDefect(
                field: columns.name(ofColumn: column),
                message: "text after the closing quote of field \(column + 1) at line "
                    + "\(line(ofIndex: start, in: record))"))
        }
        return (record, nil)
    }

    /// Scans past empty lines to the next record, refilling the buffer as needed.
    static func scanNext<Sink: CSVFieldSink>(
        _ buffer: CSVBuffer, scanner: CSVScanner, into sink: inout Sink
    ) throws(ExtractError) -> CSVScannedRecord? {
        while true {
            if buffer.position == buffer.count {
                if buffer.ended { return nil }
                try buffer.refill()
                continue
            }
            sink.reset()
            let result = try scanner.scan(
                buffer.bytes, from: buffer.position, atEnd: buffer.ended, line: buffer.line, into: &sink)
            switch result {
            case .emptyLine(let next):
                buffer.line += 1
                buffer.position = next
            case .record(let next, let lineBreaks, let fieldCount):
                let record = CSVScannedRecord(start: buffer.position, line: buffer.line, fieldCount: fieldCount)
                buffer.line += lineBreaks
                buffer.position = next
                return record
            case .needMore(let fieldStart, let column, let fieldLineBreaks, let inQuotes):
                let fieldLength = buffer.count - fieldStart - (inQuotes ? 1 : 0)
                if fieldLength > scanner.maxFieldBytes {
                    throw scanner.fieldTooLong(column: column, line: buffer.line + fieldLineBreaks, inQuotes: inQuotes)
                }
                if buffer.count - buffer.position > buffer.recordLimit {
                    throw ExtractError(
                        .limitExceeded, file: scanner.displayName, line: buffer.line,
                        message: "the record that starts on this line is longer than \(buffer.recordLimit) bytes "
                            + "(twice maxFieldBytes); if the file is genuine, raise maxFieldBytes in the extract "
                            + "limits" + (inQuotes ? "; otherwise check for a missing closing quote" : ""))
                }
                try buffer.refill()
            }
        }
    }
}

/// A record found in the buffer: its bytes stay at `start` until the next scan.
struct CSVScannedRecord {
    var start: Int
    var line: Int
    var fieldCount: Int
}
