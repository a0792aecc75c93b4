/// Parquet physical (storage) types supported by this writer and reader.
public enum ParquetPhysicalType: Int32, Sendable, Hashable {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    case float = 4
    case double = 5
    case byteArray = 6
}

/// Parquet logical type annotations supported by this writer. Each is written both as a
/// LogicalType and as the matching legacy ConvertedType.
public enum ParquetLogicalType: Sendable, Hashable {
    /// UTF-8 text on BYTE_ARRAY.
    case string
    /// Days since 1970-01-01 on INT32.
    case date
    /// Signed or unsigned integer of 8, 16, 32 or 64 bits on INT32/INT64.
    case integer(bitWidth: Int8, signed: Bool)
    /// Microseconds since the epoch, adjusted to UTC, on INT64.
    case timestampMicrosUTC
}

/// Whether a column may hold nulls.
public enum ParquetRepetition: Int32, Sendable, Hashable {
    case required = 0
    case optional = 1
}

/// One leaf column of a flat schema.
public struct ParquetColumn: Sendable, Hashable {
    public var name: String
    public var physicalType: ParquetPhysicalType
    public var logicalType: ParquetLogicalType?
    public var repetition: ParquetRepetition

    public init(
        _ name: String, _ physicalType: ParquetPhysicalType, logical: ParquetLogicalType? = nil,
        _ repetition: ParquetRepetition
    ) {
        self.name = name
        self.physicalType = physicalType
        self.logicalType = logical
        self.repetition = repetition
    }
}

/// A flat schema: a list of leaf columns under one root.
public struct ParquetSchema: Sendable, Hashable {
    public var columns: [ParquetColumn]

    public init(_ columns: [ParquetColumn]) { self.columns = columns }
}

/// The values of one column for one row group, in row order; `nil` is null.
/// The case must match the column's physical type (INT32 for DATE and INT(8)/INT(16) too).
public enum ParquetColumnValues: Sendable, Hashable {
    case boolean([Bool?])
    case int32([Int32?])
    case int64([Int64?])
    case float([Float?])
    case double([Double?])
    /// Raw bytes; for STRING columns, UTF-8.
    case byteArray([[UInt8]?])

    /// Number of rows (nulls included).
    public var count: Int {
        switch self {
        case .boolean(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .float(let v): v.count
        case .double(let v): v.count
        case .byteArray(let v): v.count
        }
    }
}

/// Page compression codecs. The writer produces UNCOMPRESSED, GZIP (RFC 1952) and ZSTD; the
/// reader also decompresses SNAPPY (raw block format), pyarrow's default.
public enum ParquetCodec: Int32, Sendable, Hashable, CaseIterable {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case zstd = 6

    /// The Parquet spelling, e.g. `ZSTD`.
    public var name: String {
        switch self {
        case .uncompressed: "UNCOMPRESSED"
        case .snappy: "SNAPPY"
        case .gzip: "GZIP"
        case .zstd: "ZSTD"
        }
    }
}

/// File-level writer settings.
public struct ParquetWriterOptions: Sendable, Hashable {
    public var codec: ParquetCodec
    /// `<app> version X.Y.Z (build <id>)`, the form readers parse.
    public var createdBy: String
    /// Free-form footer metadata (use namespaced keys), in the order given.
    public var keyValueMetadata: [KeyValue]
    /// Whether column chunks may be dictionary encoded (PLAIN dictionary page + RLE_DICTIONARY
    /// data pages). Each chunk uses a dictionary only when its PLAIN-encoded dictionary stays
    /// within `dictionaryPageSizeLimit`; otherwise the whole chunk is PLAIN. BOOLEAN is always PLAIN.
    public var dictionaryEnabled: Bool
    /// Largest dictionary page (uncompressed PLAIN bytes) a chunk may use; Arrow's default, 1 MiB.
    public var dictionaryPageSizeLimit: Int
    /// A data page is closed once its uncompressed body reaches about this many bytes (1 MiB).
    public var dataPageSize: Int
    /// A data page holds at most this many rows (Arrow's and parquet-java's default, 20,000).
    public var dataPageRowLimit: Int
    /// The streaming `append` API starts a new row group every this many rows (1,048,576), and
    /// `writeRowGroup` splits larger groups at this count, so memory is bounded by one row group.
    public var rowGroupSize: Int
    /// Codec level for GZIP (zlib 1...9, default 6) and ZSTD (default 1, as Arrow); nil = default.
    public var compressionLevel: Int32?

    public init(
        codec: ParquetCodec = .gzip, createdBy: String, keyValueMetadata: [KeyValue] = [],
        dictionaryEnabled: Bool = true, dictionaryPageSizeLimit: Int = 1 << 20,
        dataPageSize: Int = 1 << 20, dataPageRowLimit: Int = 20_000,
        rowGroupSize: Int = 1_048_576, compressionLevel: Int32? = nil
    ) {
        self.codec = codec
        self.createdBy = createdBy
        self.keyValueMetadata = keyValueMetadata
        self.dictionaryEnabled = dictionaryEnabled
        self.dictionaryPageSizeLimit = dictionaryPageSizeLimit
        self.dataPageSize = dataPageSize
        self.dataPageRowLimit = dataPageRowLimit
        self.rowGroupSize = rowGroupSize
        self.compressionLevel = compressionLevel
    }

    /// One footer metadata entry.
    public struct KeyValue: Sendable, Hashable {
        public var key: String
        public var value: String
        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }
}

/// Why a Parquet file could not be written or read.
public struct ParquetError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
