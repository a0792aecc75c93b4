/// Which columns of a CSV file the mapping asked for, and their names.
struct CSVColumns {
    /// The requested fields without repetitions, in request order; a field's index is its slot.
    let requested: [String]
    /// 0-based column -> slot in `requested`, or -1 when the column is not requested.
    let slotOfColumn: [Int32]
    /// Column names from the header; nil without a header (columns are named by position).
    let headerNames: [String]?

    /// The name of a 0-based column, for messages.
    func name(ofColumn column: Int) -> String {
        if let headerNames, column < headerNames.count { return headerNames[column] }
        return String(column + 1)
    }

    /// Resolves `fields` against the header names.
    init(fields: [String], header: [String], displayName: String) throws(ExtractError) {
        let requested = Self.unique(fields)
        var firstColumn: [String: Int] = [:]
        for (column, name) in header.enumerated() where firstColumn[name] == nil { firstColumn[name] = column }
        var slots = [Int32](repeating: -1, count: header.count)
        for (slot, name) in requested.enumerated() {
            guard let column = firstColumn[name] else {
                throw ExtractError(
                    .configuration, file: displayName,
                    message: "column \"\(name)\" named in the mapping is not in the header; "
                        + "the header has: \(header.joined(separator: ", "))")
            }
            let columns = header.indices.filter { header[$0] == name }
            if columns.count > 1 {
                throw ExtractError(
                    .configuration, file: displayName,
                    message: "column \"\(name)\" named in the mapping appears \(columns.count) times in the "
                        + "header (columns \(columns.map { String($0 + 1) }.joined(separator: ", "))); "
                        + "ask the member to give the columns distinct names")
            }
            slots[column] = Int32(slot)
        }
        self.requested = requested
        self.slotOfColumn = slots
        self.headerNames = header
    }

    /// Resolves `fields` as 1-based column positions (a file without a header).
    init(positions fields: [String], displayName: String) throws(ExtractError) {
        let requested = Self.unique(fields)
        var columns: [Int] = []
        for name in requested {
            guard let position = Int(name), position >= 1, String(position) == name else {
                throw ExtractError(
                    .configuration, file: displayName,
                    message: "column \"\(name)\" named in the mapping is not a column position; without a "
                        + "header, columns are named by position: \"1\", \"2\", ...")
            }
            columns.append(position - 1)
        }
        var slots = [Int32](repeating: -1, count: (columns.max() ?? -1) + 1)
        for (slot, column) in columns.enumerated() { slots[column] = Int32(slot) }
        self.requested = requested
        self.slotOfColumn = slots
        self.headerNames = nil
    }

    private static func unique(_ fields: [String]) -> [String] {
        var seen = Set<String>()
        return fields.filter { seen.insert($0).inserted }
    }
}

/// Keeps the spans of the requested columns of one record.
struct CSVRequestedFieldSink: CSVFieldSink {
    let slotOfColumn: UnsafeBufferPointer<Int32>
    let spans: UnsafeMutableBufferPointer<CSVFieldSpan>
    /// The first field with text after its closing quote: its 0-based column and where it starts.
    var firstTextAfterQuote: (column: Int, start: Int)?

    mutating func reset() {
        for slot in spans.indices { spans[slot] = .absent }
        firstTextAfterQuote = nil
    }

    @inline(__always)
    mutating func field(_ span: CSVFieldSpan, column: Int) {
        if span.hasTextAfterQuote && firstTextAfterQuote == nil { firstTextAfterQuote = (column, span.start) }
        if column < slotOfColumn.count {
            let slot = Int(slotOfColumn[column])
            if slot >= 0 { spans[slot] = span }
        }
    }
}

/// Keeps the spans of every column (for the header line).
struct CSVAllFieldsSink: CSVFieldSink {
    var spans: [CSVFieldSpan] = []

    mutating func reset() { spans.removeAll(keepingCapacity: true) }

    mutating func field(_ span: CSVFieldSpan, column: Int) { spans.append(span) }
}
