/// Where a record came from in its submission file, precise enough for a data steward to find it.
public struct RecordLocator: Sendable, Hashable, Codable {
    /// The submission's file name as the inbox lists it (relative path, e.g. `de-ivk/faelle-2025.csv.gz`).
    public var file: String
    /// 1-based position of the record in the file: the CSV line where the record starts, the
    /// n-th XML record element, the n-th JSON array element or JSON line.
    public var record: Int
    /// 1-based line in the (decompressed) text where the record starts, when known.
    public var line: Int?
    /// 0-based byte offset in the (decompressed) text where the record starts, when known.
    public var byteOffset: Int?

    public init(file: String, record: Int, line: Int? = nil, byteOffset: Int? = nil) {
        self.file = file
        self.record = record
        self.line = line
        self.byteOffset = byteOffset
    }
}

/// A problem confined to one record (the file itself is readable): the record goes to
/// quarantine as MALFORMED while the rest of the submission is loaded.
public struct RecordDefect: Sendable, Hashable, Codable {
    /// The source field (column, path) concerned, when the defect is tied to one field.
    public var field: String?
    /// What is wrong, in words a data steward understands, with the position.
    public var message: String

    public init(field: String? = nil, message: String) {
        self.field = field
        self.message = message
    }
}

/// One record pulled out of a submission: only the fields the member's mapping asked for,
/// as raw text exactly as the member wrote it (decoded to Unicode, nothing else).
///
/// Values are stored by position: `values[i]` belongs to `fieldNames[i]`, and every record of a
/// submission shares one `fieldNames` array (the request's order). Reading a field by position
/// costs nothing, and by name a scan of a few short names: no hashing of Unicode strings on the
/// per-record path. Two records are equal when they hold the same fields with the same values,
/// whatever the order of their names.
public struct ExtractedRecord: Sendable, Hashable {
    public var locator: RecordLocator
    /// The requested source paths, in the request's order.
    public private(set) var fieldNames: [String]
    /// Each requested path's raw value; nil when the path is absent or JSON `null`.
    public var values: [String?]
    /// Set when the record could not be read cleanly (bad bytes for the encoding, ragged row...).
    public var defect: RecordDefect?

    /// A record with one value slot per name (`values.count == fieldNames.count`).
    public init(locator: RecordLocator, fieldNames: [String], values: [String?], defect: RecordDefect? = nil) {
        precondition(fieldNames.count == values.count, "one value slot per field name")
        self.locator = locator
        self.fieldNames = fieldNames
        self.values = values
        self.defect = defect
    }

    /// A record from path -> value pairs (tests and small tools); the names in sorted order.
    public init(locator: RecordLocator, fields: [String: String], defect: RecordDefect? = nil) {
        let names = fields.keys.sorted()
        self.init(locator: locator, fieldNames: names, values: names.map { fields[$0] }, defect: defect)
    }

    /// Requested source path -> raw value, for the fields that have one.
    public var fields: [String: String] {
        var fields: [String: String] = [:]
        for (name, value) in zip(fieldNames, values) where value != nil { fields[name] = value }
        return fields
    }

    /// The position of `name` in `fieldNames`, if it was requested.
    @inlinable public func index(of name: String) -> Int? {
        fieldNames.firstIndex(of: name)
    }

    /// The value of the source path `name`; setting a path that was not requested adds it.
    public subscript(field name: String) -> String? {
        get { index(of: name).flatMap { values[$0] } }
        set {
            if let i = index(of: name) {
                values[i] = newValue
            } else if newValue != nil {
                fieldNames.append(name)
                values.append(newValue)
            }
        }
    }

    public static func == (a: ExtractedRecord, b: ExtractedRecord) -> Bool {
        a.locator == b.locator && a.defect == b.defect
            && (a.fieldNames == b.fieldNames ? a.values == b.values : a.fields == b.fields)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(locator)
        hasher.combine(defect)
        hasher.combine(fields)
    }
}

/// Pulls records one at a time from a submission, holding only a bounded buffer of it.
public protocol RecordExtractor {
    /// The next record, or nil at the end of the file. Throws `ExtractError` when the file
    /// cannot be read any further (the whole submission is then rejected).
    mutating func next() throws(ExtractError) -> ExtractedRecord?
}

/// Why a submission file could not be read. Its description names the file and the position.
public struct ExtractError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        case io = "IO"
        case compression = "COMPRESSION"
        case limitExceeded = "LIMIT_EXCEEDED"
        case malformed = "MALFORMED"
        case encoding = "ENCODING"
        case configuration = "CONFIGURATION"
    }

    public var kind: Kind
    public var file: String
    public var line: Int?
    public var column: Int?
    public var byteOffset: Int?
    /// What went wrong and, where it helps, what to do about it. Does not repeat file or position.
    public var message: String

    public init(
        _ kind: Kind, file: String, line: Int? = nil, column: Int? = nil, byteOffset: Int? = nil,
        message: String
    ) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
        self.message = message
    }

    /// `file:line:column (byte N): message`, with whichever parts of the position are known.
    public var description: String {
        var position = file
        if let line {
            position += ":\(line)"
            if let column { position += ":\(column)" }
        }
        if let byteOffset { position += " (byte \(byteOffset))" }
        return "\(position): \(message)"
    }
}
