/// Where one field lies in the reader's buffer (between the quotes for a quoted field).
struct CSVFieldSpan {
    var start: Int
    var end: Int
    /// The field contains `""`, which stands for one quote.
    var hasDoubledQuotes: Bool
    /// Text follows the closing quote before the delimiter (`"a"b,`): the field is unreliable.
    var hasTextAfterQuote: Bool

    static let absent = CSVFieldSpan(start: -1, end: -1, hasDoubledQuotes: false, hasTextAfterQuote: false)
}

/// Receives the fields of a record as the scanner finds them.
protocol CSVFieldSink {
    /// Called before each attempt to scan a record (a record is scanned again after a refill).
    mutating func reset()
    /// The field in the 0-based `column` of the record.
    mutating func field(_ span: CSVFieldSpan, column: Int)
}

/// What the scanner found at the current position.
enum CSVScanResult {
    /// A line with nothing on it; the next line starts at `next`.
    case emptyLine(next: Int)
    /// A complete record; the next starts at `next`, `lineBreaks` lines further on.
    case record(next: Int, lineBreaks: Int, fieldCount: Int)
    /// The buffer ends inside the record: refill and scan it again. `column` is the 0-based
    /// column of the unfinished field, which starts at `fieldStart`, `fieldLineBreaks` lines
    /// after the record's first line.
    case needMore(fieldStart: Int, column: Int, fieldLineBreaks: Int, inQuotes: Bool)
}

/// Splits RFC 4180 records over bytes: quoted fields with doubled quotes, delimiters and line
/// breaks inside quotes, LF, CRLF (and a lone CR) as line ends. Makes no Strings.
struct CSVScanner {
    let delimiter: UInt8
    let quote: UInt8
    let maxFieldBytes: Int
    let displayName: String

    /// Scans the record that starts at `start` in `bytes`, whose first line is `line`.
    /// `atEnd` means no bytes follow `bytes`.
    func scan<Sink: CSVFieldSink>(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, atEnd: Bool, line: Int, into sink: inout Sink
    ) throws(ExtractError) -> CSVScanResult {
        let lf: UInt8 = 0x0A
        let cr: UInt8 = 0x0D
        let delimiter = self.delimiter
        let quote = self.quote
        let end = bytes.count
        var index = start
        if index < end && (bytes[index] == lf || bytes[index] == cr) {
            if bytes[index] == lf { return .emptyLine(next: index + 1) }
            if index + 1 < end { return .emptyLine(next: bytes[index + 1] == lf ? index + 2 : index + 1) }
            if atEnd { return .emptyLine(next: index + 1) }
            return .needMore(fieldStart: index, column: 0, fieldLineBreaks: 0, inQuotes: false)
        }
        var lineBreaks = 0
        var column = 0
        while true {
            let fieldStart = index
            let fieldLineBreaks = lineBreaks
            var span: CSVFieldSpan
            if index < end && bytes[index] == quote {
                index += 1
                var doubled = false
                while true {
                    while index < end {
                        let byte = bytes[index]
                        if byte == quote { break }
                        if byte == lf { lineBreaks += 1 }
                        index += 1
                    }
                    if index + 1 >= end && !atEnd {
                        return .needMore(
                            fieldStart: fieldStart, column: column, fieldLineBreaks: fieldLineBreaks, inQuotes: true)
                    }
                    if index == end {
                        throw ExtractError(
                            .malformed, file: displayName, line: line + fieldLineBreaks,
                            message: "field \(column + 1) opens a quote (\(Character(Unicode.Scalar(quote)))) on this "
                                + "line that is never closed: the file ends inside the quoted field")
                    }
                    if index + 1 < end && bytes[index + 1] == quote {
                        doubled = true
                        index += 2
                        continue
                    }
                    break
                }
                span = CSVFieldSpan(
                    start: fieldStart + 1, end: index, hasDoubledQuotes: doubled, hasTextAfterQuote: false)
                index += 1
                if index < end && bytes[index] != delimiter && bytes[index] != lf && bytes[index] != cr {
                    span.hasTextAfterQuote = true
                    while index < end {
                        let byte = bytes[index]
                        if byte == delimiter || byte == lf || byte == cr { break }
                        index += 1
                    }
                }
            } else {
                while index < end {
                    let byte = bytes[index]
                    if byte == delimiter || byte == lf || byte == cr { break }
                    index += 1
                }
                span = CSVFieldSpan(start: fieldStart, end: index, hasDoubledQuotes: false, hasTextAfterQuote: false)
            }
            if index == end && !atEnd {
                return .needMore(
                    fieldStart: fieldStart, column: column, fieldLineBreaks: fieldLineBreaks, inQuotes: false)
            }
            if span.end - span.start > maxFieldBytes {
                throw fieldTooLong(column: column, line: line + fieldLineBreaks, inQuotes: false)
            }
            sink.field(span, column: column)
            column += 1
            if index == end { return .record(next: end, lineBreaks: lineBreaks, fieldCount: column) }
            let byte = bytes[index]
            if byte == delimiter {
                index += 1
                continue
            }
            if byte == lf { return .record(next: index + 1, lineBreaks: lineBreaks + 1, fieldCount: column) }
            // A carriage return: CRLF, or a lone CR as an old Mac line end.
            if index + 1 < end {
                let next = bytes[index + 1] == lf ? index + 2 : index + 1
                return .record(next: next, lineBreaks: lineBreaks + 1, fieldCount: column)
            }
            if atEnd { return .record(next: end, lineBreaks: lineBreaks + 1, fieldCount: column) }
            return .needMore(fieldStart: index, column: column, fieldLineBreaks: lineBreaks, inQuotes: false)
        }
    }

    /// The error for a field longer than `maxFieldBytes`.
    func fieldTooLong(column: Int, line: Int, inQuotes: Bool) -> ExtractError {
        ExtractError(
            .limitExceeded, file: displayName, line: line,
            message: "field \(column + 1) is longer than the limit of \(maxFieldBytes) bytes (maxFieldBytes); "
                + "if the file is genuine, raise maxFieldBytes in the extract limits"
                + (inQuotes ? "; otherwise check the field for a missing closing quote" : ""))
    }
}
