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
                    index = Self.fieldEnd(in: bytes, from: index, delimiter: delimiter)
                }
            } else {
                index = Self.fieldEnd(in: bytes, from: index, delimiter: delimiter)
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

    /// The index of the first delimiter, LF or CR at or after `start` in `bytes`, or
    /// `bytes.count` if none follows: where an unquoted field ends.
    ///
    /// Eight bytes at a time while eight remain (fields are short, and a byte-by-byte loop made
    /// three comparisons and a branch per byte), then byte by byte. In a word `w`, the bytes equal
    /// to `b` are the zero bytes of `w ^ b` repeated; `(x - 0x01..01) & ~x & 0x80..80` sets the
    /// high bit of the lowest zero byte of `x` (and perhaps of bytes above it, which a borrow
    /// reaches; they are never the lowest), so the lowest set bit of the three masks is the
    /// first byte sought. The word is read little-endian, so its lowest byte comes first.
    @inline(__always)
    static func fieldEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8) -> Int {
        let end = bytes.count
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            let delimiters = ones &* UInt64(delimiter)
            let lineFeeds = ones &* 0x0A
            let carriageReturns = ones &* 0x0D
            while index &+ 8 <= end {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let d = word ^ delimiters, l = word ^ lineFeeds, c = word ^ carriageReturns
                let found = ((d &- ones) & ~d | (l &- ones) & ~l | (c &- ones) & ~c) & highs
                if found != 0 { return index &+ found.trailingZeroBitCount >> 3 }
                index &+= 8
            }
        }
        while index < end {
            let byte = bytes[index]
            if byte == delimiter || byte == 0x0A || byte == 0x0D { break }
            index += 1
        }
        return index
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
