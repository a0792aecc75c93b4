/// Everything an extractor needs to know to read one submission file.
public struct ExtractRequest: Sendable {
    /// Absolute or working-directory-relative path of the file to read.
    public var path: String
    /// Name used in locators and messages (the path relative to the inbox).
    public var displayName: String
    public var format: SubmissionFormat
    /// Source paths to extract (CSV column names, XML relative paths, JSON dotted paths).
    /// Nothing else is copied out of the input buffer (data minimisation).
    public var fields: [String]
    /// Whether the bytes are gzip-compressed. `nil` means: decide from the `.gz` extension.
    public var gzip: Bool?
    public var limits: ExtractLimits

    public init(
        path: String, displayName: String, format: SubmissionFormat, fields: [String],
        gzip: Bool? = nil, limits: ExtractLimits = ExtractLimits()
    ) {
        self.path = path
        self.displayName = displayName
        self.format = format
        self.fields = fields
        self.gzip = gzip
        self.limits = limits
    }

    /// True when the file is to be decompressed with gzip.
    public var isGzip: Bool { gzip ?? path.hasSuffix(".gz") }
}

/// Guards against hostile input. Exceeding one rejects the submission with a clear message.
public struct ExtractLimits: Sendable, Hashable {
    /// Largest decompressed size of a gzip stream, in bytes.
    public var maxDecompressedBytes: Int
    /// Largest ratio of decompressed to compressed bytes (gzip bombs reach 1000:1).
    public var maxCompressionRatio: Int
    /// Largest single field or record, in bytes.
    public var maxFieldBytes: Int
    /// Deepest nesting of JSON arrays and objects or XML elements.
    public var maxDepth: Int

    public init(
        maxDecompressedBytes: Int = 8 << 30, maxCompressionRatio: Int = 200,
        maxFieldBytes: Int = 1 << 20, maxDepth: Int = 256
    ) {
        self.maxDecompressedBytes = maxDecompressedBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.maxFieldBytes = maxFieldBytes
        self.maxDepth = maxDepth
    }
}

/// The format of a submission and its format-specific reading options.
public enum SubmissionFormat: Sendable, Hashable {
    case csv(CSVOptions)
    case xml(XMLOptions)
    case json(JSONOptions)
}

/// Text encodings members use for CSV exports.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable {
    case utf8 = "utf-8"
    case utf16 = "utf-16"
    case windows1252 = "windows-1252"
    case iso88591 = "iso-8859-1"
    case iso885915 = "iso-8859-15"
}

/// How to read a delimited text export.
public struct CSVOptions: Sendable, Hashable {
    public var delimiter: UInt8
    public var quote: UInt8
    public var encoding: TextEncoding
    /// Whether the first line names the columns. Without a header, fields are named by
    /// 1-based position ("1", "2", ...).
    public var hasHeader: Bool

    public init(
        delimiter: UInt8 = UInt8(ascii: ","), quote: UInt8 = UInt8(ascii: "\""),
        encoding: TextEncoding = .utf8, hasHeader: Bool = true
    ) {
        self.delimiter = delimiter
        self.quote = quote
        self.encoding = encoding
        self.hasHeader = hasHeader
    }
}

/// How to find records in an XML document.
public struct XMLOptions: Sendable, Hashable {
    /// Absolute element path of a record, with prefixes bound in `namespaces`,
    /// e.g. `/cf:export/cf:dossiers/cf:dossier`. An unprefixed step matches no namespace.
    public var recordPath: String
    /// Prefix -> namespace URI, as bound by the mapping (independent of the document's prefixes).
    public var namespaces: [String: String]

    public init(recordPath: String, namespaces: [String: String] = [:]) {
        self.recordPath = recordPath
        self.namespaces = namespaces
    }
}

/// How to find records in a JSON document.
public struct JSONOptions: Sendable, Hashable {
    public enum Records: Sendable, Hashable {
        /// Elements of the array at a path such as `$.dossiers[*]` or `$[*]`.
        case arrayAt(String)
        /// One JSON value per line (JSON lines / NDJSON).
        case lines
    }

    public var records: Records

    public init(records: Records) {
        self.records = records
    }
}
