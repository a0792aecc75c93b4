/// Streams records out of a JSON submission: the elements of the array at a path such as
/// `$.dossiers[*]`, or one value per line (JSON lines).
///
/// The whole document is validated against RFC 8259 while it is read, in a bounded buffer; parts
/// outside the records array, and members of a record that were not requested, are checked but
/// never copied. A record that is not an object, or a requested field that is an object or an
/// array, gives a record with a `RecordDefect`; anything wrong with the document itself throws
/// an `ExtractError` with line, byte column and byte offset.
public final class JSONExtractor: RecordExtractor {
    private let tokenizer: JSONTokenizer
    private let fieldTree: JSONFieldTree
    /// nil for JSON lines.
    private let recordsPath: JSONRecordsPath?
    private let displayName: String
    private var phase = Phase.start
    private var ordinal = 0
    /// The error that stopped the extraction; thrown again by any later `next()`.
    private var failure: ExtractError?

    private enum Phase { case start, records, finished }

    /// Prepares to read `source`; nothing is read until the first `next()`. Throws
    /// `.configuration` for an invalid records path or field path.
    public init(source: any ByteSource, request: ExtractRequest, options: JSONOptions) throws(ExtractError) {
        displayName = request.displayName
        switch options.records {
        case .arrayAt(let path):
            recordsPath = try JSONRecordsPath(path, file: request.displayName)
        case .lines:
            recordsPath = nil
        }
        fieldTree = try JSONFieldTree(fields: request.fields, file: request.displayName)
        tokenizer = JSONTokenizer(
            source: source, displayName: request.displayName, limits: request.limits,
            linesMode: recordsPath == nil)
    }

    /// Reads a whole JSON document, validating it against RFC 8259, without building values.
    /// Throws the first problem as an `ExtractError` (`.malformed`, `.encoding` for invalid
    /// UTF-8, `.limitExceeded` for nesting deeper than `limits.maxDepth`).
    public static func validate(
        source: any ByteSource, displayName: String, limits: ExtractLimits = ExtractLimits()
    ) throws(ExtractError) {
        let tokenizer = JSONTokenizer(source: source, displayName: displayName, limits: limits, linesMode: false)
        while try tokenizer.next(collect: false) != .endOfInput {}
    }

    /// The next record, or nil once the document has been read (and validated) to its end.
    /// After an error, every later call throws the same error.
    public func next() throws(ExtractError) -> ExtractedRecord? {
        if let failure { throw failure }
        do {
            return try readNext()
        } catch {
            failure = error
            throw error
        }
    }

    private func readNext() throws(ExtractError) -> ExtractedRecord? {
        switch phase {
        case .finished:
            return nil
        case .start:
            if let recordsPath { try findRecordsArray(recordsPath) }
            phase = .records
        case .records:
            break
        }
        let token = try tokenizer.next(collect: false)
        if recordsPath == nil {
            if token == .endOfInput {
                phase = .finished
                return nil
            }
            let record = try readRecord(startingWith: token, number: tokenizer.tokenLine)
            try tokenizer.finishLine()
            return record
        }
        if token == .endArray {
            while try tokenizer.next(collect: false) != .endOfInput {}
            phase = .finished
            return nil
        }
        ordinal += 1
        return try readRecord(startingWith: token, number: ordinal)
    }

    // MARK: - Finding the records

    /// Walks from the root along the path's keys, skipping everything else, and stops just inside
    /// the records array.
    private func findRecordsArray(_ path: JSONRecordsPath) throws(ExtractError) {
        var token = try tokenizer.next(collect: false)
        for (depth, key) in path.keys.enumerated() {
            let here = depth == 0 ? "the document's top level" : path.display(keys: depth)
            guard token == .beginObject else {
                throw notFound(path, "\(here) is \(token.valueDescription), not an object", at: true)
            }
            var seen: [String] = []
            var unseen = 0
            while true {
                let member = try tokenizer.next(collect: true)
                if member == .endObject {
                    let place = depth == 0 ? "the document's top level" : "the object at \(here)"
                    var list = seen.joined(separator: ", ")
                    if unseen > 0 { list += " and \(unseen) more" }
                    let detail = seen.isEmpty ? "\(place) is an empty object" : "\(place) has keys: \(list)"
                    throw notFound(path, detail, at: false)
                }
                if tokenizer.scratchEquals(key) {
                    token = try tokenizer.next(collect: false)
                    break
                }
                let name = String(decoding: tokenizer.scratch, as: UTF8.self)
                if !seen.contains(name) {
                    if seen.count < 20 { seen.append(name) } else { unseen += 1 }
                }
                try skipValue()
            }
        }
        guard token == .beginArray else {
            let here = path.keys.isEmpty ? "the document's top level" : path.display(keys: path.keys.count)
            throw notFound(path, "\(here) is \(token.valueDescription), not an array", at: true)
        }
    }

    private func notFound(_ path: JSONRecordsPath, _ detail: String, at located: Bool) -> ExtractError {
        ExtractError(
            .malformed, file: displayName,
            line: located ? tokenizer.tokenLine : nil, column: located ? tokenizer.tokenColumn : nil,
            byteOffset: located ? tokenizer.tokenOffset : nil,
            message: "no array at \(path.display(keys: path.keys.count)): \(detail)")
    }

    // MARK: - Reading a record

    private func readRecord(startingWith token: JSONToken, number: Int) throws(ExtractError) -> ExtractedRecord {
        let locator = RecordLocator(
            file: displayName, record: number, line: tokenizer.tokenLine, byteOffset: tokenizer.tokenOffset)
        var values = [String?](repeating: nil, count: fieldTree.fieldCount)
        var defect: RecordDefect?
        switch token {
        case .beginObject:
            try readObject(node: 0, into: &values, defect: &defect)
        case .beginArray:
            try skipContainer()
            defect = RecordDefect(message: "record \(number) is an array, not an object")
        default:
            defect = RecordDefect(message: "record \(number) is \(token.valueDescription), not an object")
        }
        return ExtractedRecord(locator: locator, fieldNames: fieldTree.fieldNames, values: values, defect: defect)
    }

    /// Reads the members of an object just opened, keeping the requested ones below `node`.
    /// Recursion follows the field tree only, so its depth is bounded by the configured paths.
    private func readObject(
        node: Int, into values: inout [String?], defect: inout RecordDefect?
    ) throws(ExtractError) {
        while true {
            let member = try tokenizer.next(collect: true)
            if member == .endObject { return }
            guard let child = fieldTree.child(of: node, matching: tokenizer) else {
                try skipValue()
                continue
            }
            let entry = fieldTree.nodes[child]
            let value = try tokenizer.next(collect: entry.isField)
            switch value {
            case .beginObject, .beginArray:
                if entry.isField && defect == nil {
                    defect = RecordDefect(
                        field: entry.path,
                        message: "field \(entry.path) is \(value.valueDescription), not a value")
                }
                if value == .beginObject && !entry.children.isEmpty {
                    try readObject(node: child, into: &values, defect: &defect)
                } else {
                    if !entry.children.isEmpty && defect == nil {
                        defect = RecordDefect(
                            field: entry.someField,
                            message: "field \(entry.someField) cannot be read: \(entry.path) is an array, not an object")
                    }
                    try skipContainer()
                }
            case .null:
                if entry.isField { values[entry.slot] = nil }
            default:
                if entry.isField {
                    values[entry.slot] = scalarText(value)
                } else if defect == nil {
                    defect = RecordDefect(
                        field: entry.someField,
                        message: "field \(entry.someField) cannot be read: \(entry.path) is"
                            + " \(value.valueDescription), not an object")
                }
            }
        }
    }

    private func scalarText(_ token: JSONToken) -> String {
        switch token {
        case .trueLiteral: "true"
        case .falseLiteral: "false"
        default: String(decoding: tokenizer.scratch, as: UTF8.self)
        }
    }

    /// Skips (and validates) the value that comes next.
    private func skipValue() throws(ExtractError) {
        let token = try tokenizer.next(collect: false)
        if token == .beginObject || token == .beginArray { try skipContainer() }
    }

    /// Skips (and validates) the rest of an array or object just opened.
    private func skipContainer() throws(ExtractError) {
        let depth = tokenizer.depth
        while true {
            let token = try tokenizer.next(collect: false)
            if (token == .endObject || token == .endArray) && tokenizer.depth < depth { return }
        }
    }
}
