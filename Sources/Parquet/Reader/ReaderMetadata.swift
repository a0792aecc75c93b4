/// A Parquet file's footer as the reader sees it: schema, row groups with their column chunks and
/// statistics, key-value metadata and `created_by`.
public struct ParquetFileMetadata: Sendable {
    public var version: Int32
    public var numRows: Int64
    public var createdBy: String?
    /// Footer key-value pairs in file order (a missing value reads as nil).
    public var keyValueMetadata: [(key: String, value: String?)]
    /// Leaf columns in file order.
    public var columns: [ParquetColumnDescriptor]
    public var rowGroups: [ParquetRowGroupMetadata]
}

/// One leaf column of the file's schema.
public struct ParquetColumnDescriptor: Sendable {
    /// Dotted path (the name for flat schemas).
    public var name: String
    public var path: [String]
    /// The raw physical type (0 BOOLEAN ... 7 FIXED_LEN_BYTE_ARRAY).
    public var physicalTypeCode: Int32
    /// nil for types this reader does not decode (INT96, FIXED_LEN_BYTE_ARRAY).
    public var physicalType: ParquetPhysicalType?
    /// Logical type, when it is one the library models (STRING, DATE, INTEGER, TIMESTAMP micros UTC).
    public var logicalType: ParquetLogicalType?
    /// Human-readable annotation from LogicalType or ConvertedType, e.g. `STRING`, `DATE`,
    /// `INT(8, signed)`, `TIMESTAMP(MICROS, UTC)`; nil when none.
    public var annotation: String?
    /// REQUIRED, OPTIONAL or REPEATED.
    public var repetition: String
    public var maxDefinitionLevel: Int
    public var maxRepetitionLevel: Int
    /// Why `readColumn` refuses this column, or nil when it can be read.
    public var unsupportedReason: String?

    /// The descriptor of a column this library writes.
    public init(_ column: ParquetColumn) {
        name = column.name
        path = [column.name]
        physicalTypeCode = column.physicalType.rawValue
        physicalType = column.physicalType
        logicalType = column.logicalType
        switch column.logicalType {
        case nil: annotation = nil
        case .string?: annotation = "STRING"
        case .date?: annotation = "DATE"
        case .timestampMicrosUTC?: annotation = "TIMESTAMP(MICROS, UTC)"
        case .integer(let bits, let signed)?: annotation = "INT(\(bits), \(signed ? "signed" : "unsigned"))"
        }
        repetition = column.repetition == .required ? "REQUIRED" : "OPTIONAL"
        maxDefinitionLevel = column.repetition == .required ? 0 : 1
        maxRepetitionLevel = 0
        unsupportedReason = nil
    }

    /// `BYTE_ARRAY STRING`, `INT32 DATE`, `INT96`...
    public var typeDescription: String {
        let physical = ParquetColumnDescriptor.physicalTypeName(physicalTypeCode)
        return annotation.map { "\(physical) \($0)" } ?? physical
    }

    static func physicalTypeName(_ code: Int32) -> String {
        switch code {
        case 0: "BOOLEAN"
        case 1: "INT32"
        case 2: "INT64"
        case 3: "INT96"
        case 4: "FLOAT"
        case 5: "DOUBLE"
        case 6: "BYTE_ARRAY"
        case 7: "FIXED_LEN_BYTE_ARRAY"
        default: "type \(code)"
        }
    }
}

public struct ParquetRowGroupMetadata: Sendable {
    public var numRows: Int64
    public var totalByteSize: Int64
    public var columns: [ParquetColumnChunkMetadata]
}

public struct ParquetColumnChunkMetadata: Sendable {
    public var path: [String]
    public var physicalTypeCode: Int32
    /// Encodings declared for the chunk (raw values).
    public var encodings: [Int32]
    public var codecCode: Int32
    /// nil for codecs this reader does not decompress (LZO, BROTLI, LZ4...).
    public var codec: ParquetCodec?
    public var numValues: Int64
    public var totalUncompressedSize: Int64
    public var totalCompressedSize: Int64
    public var dataPageOffset: Int64
    public var dictionaryPageOffset: Int64?
    public var statistics: ParquetStatistics?

    /// Encoding names, e.g. `["PLAIN", "RLE", "RLE_DICTIONARY"]`.
    public var encodingNames: [String] { encodings.map(ParquetColumnChunkMetadata.encodingName) }

    public var codecName: String {
        codec?.name ?? ParquetColumnChunkMetadata.codecName(codecCode)
    }

    static func encodingName(_ code: Int32) -> String {
        switch code {
        case 0: "PLAIN"
        case 2: "PLAIN_DICTIONARY"
        case 3: "RLE"
        case 4: "BIT_PACKED"
        case 5: "DELTA_BINARY_PACKED"
        case 6: "DELTA_LENGTH_BYTE_ARRAY"
        case 7: "DELTA_BYTE_ARRAY"
        case 8: "RLE_DICTIONARY"
        case 9: "BYTE_STREAM_SPLIT"
        default: "encoding \(code)"
        }
    }

    static func codecName(_ code: Int32) -> String {
        switch code {
        case 0: "UNCOMPRESSED"
        case 1: "SNAPPY"
        case 2: "GZIP"
        case 3: "LZO"
        case 4: "BROTLI"
        case 5: "LZ4"
        case 6: "ZSTD"
        case 7: "LZ4_RAW"
        default: "codec \(code)"
        }
    }
}

/// A column chunk's `Statistics`, raw (PLAIN bytes of the physical type).
public struct ParquetStatistics: Sendable, Hashable {
    public var nullCount: Int64?
    public var distinctCount: Int64?
    /// `min_value` / `max_value` (column order); BYTE_ARRAY values without a length prefix.
    public var minValue: [UInt8]?
    public var maxValue: [UInt8]?
    public var isMinValueExact: Bool?
    public var isMaxValueExact: Bool?
    /// Deprecated signed-order `min` / `max`.
    public var deprecatedMin: [UInt8]?
    public var deprecatedMax: [UInt8]?
}

// MARK: Decoding

extension ParquetFileMetadata {
    /// Builds the typed metadata from a decoded `FileMetaData`, checking its structure.
    init(decoding f: ThriftFields) throws(ParquetError) {
        let what = "the footer (FileMetaData)"
        version = try f.int32(1, "version", in: what)
        numRows = try f.int(3, "num_rows", in: what)
        guard numRows >= 0 else { throw ParquetError("the footer states \(numRows) rows") }
        createdBy = f.optionalString(6)
        keyValueMetadata = []
        for kv in f.list(5) ?? [] {
            guard case .structure(let s) = kv, let key = s.optionalString(1) else {
                throw ParquetError("a key_value_metadata entry of the footer has no key")
            }
            keyValueMetadata.append((key, s.optionalString(2)))
        }
        guard let schema = f.list(2) else { throw ParquetError("the footer has no schema") }
        columns = try Self.decodeSchema(schema)
        guard let groups = f.list(4) else { throw ParquetError("the footer has no row_groups list") }
        rowGroups = []
        var total: Int64 = 0
        for (g, value) in groups.enumerated() {
            guard case .structure(let s) = value else {
                throw ParquetError("row group \(g) of the footer is not a struct")
            }
            let group = try ParquetRowGroupMetadata(decoding: s, index: g)
            guard group.columns.count == columns.count else {
                throw ParquetError(
                    "row group \(g) has \(group.columns.count) column chunks but the schema has "
                        + "\(columns.count) leaf columns")
            }
            let (sum, overflow) = total.addingReportingOverflow(group.numRows)
            guard !overflow else { throw ParquetError("the row groups' row counts overflow") }
            total = sum
            rowGroups.append(group)
        }
        guard total == numRows else {
            throw ParquetError(
                "the footer states \(numRows) rows but its row groups hold \(total)")
        }
    }

    /// Flattens the depth-first schema list into leaf columns.
    private static func decodeSchema(_ list: [ThriftNode]) throws(ParquetError) -> [ParquetColumnDescriptor] {
        var elements: [ThriftFields] = []
        for value in list {
            guard case .structure(let s) = value else {
                throw ParquetError("a schema element of the footer is not a struct")
            }
            elements.append(s)
        }
        guard let root = elements.first else { throw ParquetError("the footer's schema is empty") }
        var leaves: [ParquetColumnDescriptor] = []
        var next = 1
        // Iterative depth-first walk: (remaining children, path, def, rep, nested) per open group.
        struct Frame {
            var remaining: Int
            var path: [String]
            var definition: Int
            var repetition: Int
        }
        let rootChildren = Int(root.optionalInt(5) ?? 0)
        guard rootChildren >= 0, rootChildren <= elements.count else {
            throw ParquetError("the schema root claims \(rootChildren) children")
        }
        var stack = [Frame(remaining: rootChildren, path: [], definition: 0, repetition: 0)]
        while let top = stack.last {
            if top.remaining == 0 {
                stack.removeLast()
                continue
            }
            stack[stack.count - 1].remaining -= 1
            guard next < elements.count else {
                throw ParquetError("the schema's num_children counts run past its \(elements.count) elements")
            }
            let e = elements[next]
            next += 1
            guard let name = e.optionalString(4) else {
                throw ParquetError("schema element \(next - 1) has no name")
            }
            let repetitionCode = e.optionalInt(3) ?? 0
            let definition = top.definition + (repetitionCode == 0 ? 0 : 1)
            let repetition = top.repetition + (repetitionCode == 2 ? 1 : 0)
            let path = top.path + [name]
            if let children = e.optionalInt(5), children > 0 || e.optionalInt(1) == nil {
                guard children >= 0, children <= elements.count, stack.count < 64 else {
                    throw ParquetError("schema element '\(name)' claims \(children) children")
                }
                stack.append(Frame(remaining: Int(children), path: path, definition: definition, repetition: repetition))
                continue
            }
            guard let typeCode = e.optionalInt(1).flatMap({ Int32(exactly: $0) }) else {
                throw ParquetError("schema leaf '\(name)' has no physical type")
            }
            leaves.append(
                try ParquetColumnDescriptor(
                    element: e, path: path, typeCode: typeCode, repetitionCode: repetitionCode,
                    definition: definition, repetition: repetition))
        }
        guard next == elements.count else {
            throw ParquetError(
                "the schema has \(elements.count) elements but its num_children counts cover \(next)")
        }
        return leaves
    }
}

extension ParquetColumnDescriptor {
    init(
        element e: ThriftFields, path: [String], typeCode: Int32, repetitionCode: Int64,
        definition: Int, repetition: Int
    ) throws(ParquetError) {
        self.path = path
        name = path.joined(separator: ".")
        physicalTypeCode = typeCode
        physicalType = ParquetPhysicalType(rawValue: typeCode)
        if typeCode == 3 || typeCode == 7 { physicalType = nil }
        self.repetition = repetitionCode == 0 ? "REQUIRED" : repetitionCode == 1 ? "OPTIONAL" : "REPEATED"
        maxDefinitionLevel = definition
        maxRepetitionLevel = repetition
        let converted = e.optionalInt(6)
        var logical: ParquetLogicalType?
        var annotation: String?
        if let lt = e.optionalStruct(10), let kind = lt.fields.first {
            switch kind.id {
            case 1: (logical, annotation) = (.string, "STRING")
            case 2: annotation = "MAP"
            case 3: annotation = "LIST"
            case 4: annotation = "ENUM"
            case 5: annotation = "DECIMAL"
            case 6: (logical, annotation) = (.date, "DATE")
            case 7: annotation = "TIME"
            case 8:
                if case .structure(let ts) = kind.value {
                    let utc = ts.optionalBool(1) ?? false
                    var unit = "?"
                    if let u = ts.optionalStruct(2)?.fields.first?.id {
                        unit = u == 1 ? "MILLIS" : u == 2 ? "MICROS" : u == 3 ? "NANOS" : "?"
                    }
                    annotation = "TIMESTAMP(\(unit), \(utc ? "UTC" : "local"))"
                    if unit == "MICROS" && utc { logical = .timestampMicrosUTC }
                }
            case 10:
                if case .structure(let it) = kind.value, let bits = it.optionalInt(1),
                    let width = Int8(exactly: bits)
                {
                    let signed = it.optionalBool(2) ?? true
                    annotation = "INT(\(bits), \(signed ? "signed" : "unsigned"))"
                    logical = .integer(bitWidth: width, signed: signed)
                }
            case 11: annotation = "NULL"
            case 12: annotation = "JSON"
            case 13: annotation = "BSON"
            case 14: annotation = "UUID"
            case 15: annotation = "FLOAT16"
            default: annotation = "logical type \(kind.id)"
            }
        } else if let converted {
            switch converted {
            case 0: (logical, annotation) = (.string, "STRING")
            case 4: annotation = "ENUM"
            case 6: (logical, annotation) = (.date, "DATE")
            case 9: annotation = "TIMESTAMP(MILLIS, UTC)"
            case 10: (logical, annotation) = (.timestampMicrosUTC, "TIMESTAMP(MICROS, UTC)")
            case 11...18:
                let widths: [Int8] = [8, 16, 32, 64]
                let width = widths[Int(converted - 11) % 4]
                let signed = converted >= 15
                (logical, annotation) = (
                    .integer(bitWidth: width, signed: signed),
                    "INT(\(width), \(signed ? "signed" : "unsigned"))"
                )
            default: annotation = "converted type \(converted)"
            }
        }
        logicalType = logical
        self.annotation = annotation
        if path.count > 1 || repetitionCode == 2 {
            unsupportedReason =
                "column '\(name)' is nested (repeated or inside a group); this reader reads flat "
                + "schemas only (nested data is out of scope)"
        } else if typeCode == 3 {
            unsupportedReason =
                "column '\(name)' is INT96 (legacy Impala/Spark timestamps); this reader does not "
                + "decode INT96 (out of scope); write timestamps as INT64 TIMESTAMP"
        } else if physicalType == nil {
            unsupportedReason =
                "column '\(name)' has physical type \(ParquetColumnDescriptor.physicalTypeName(typeCode)), "
                + "which this reader does not decode (out of scope)"
        }
    }
}

extension ParquetRowGroupMetadata {
    init(decoding s: ThriftFields, index g: Int) throws(ParquetError) {
        let what = "row group \(g)"
        numRows = try s.int(3, "num_rows", in: what)
        guard numRows >= 0 else { throw ParquetError("\(what) states \(numRows) rows") }
        totalByteSize = s.optionalInt(2) ?? 0
        columns = []
        for (c, value) in (s.list(1) ?? []).enumerated() {
            guard case .structure(let chunk) = value, let meta = chunk.optionalStruct(3) else {
                throw ParquetError(
                    "column chunk \(c) of \(what) has no ColumnMetaData (files with the metadata in "
                        + "a separate file or encrypted columns are not supported)")
            }
            columns.append(try ParquetColumnChunkMetadata(decoding: meta, what: "column chunk \(c) of \(what)"))
        }
    }
}

extension ParquetColumnChunkMetadata {
    init(decoding m: ThriftFields, what: String) throws(ParquetError) {
        physicalTypeCode = try m.int32(1, "type", in: what)
        encodings = []
        for e in m.list(2) ?? [] {
            guard case .int(let v) = e, let code = Int32(exactly: v) else {
                throw ParquetError("\(what) has a malformed encodings list")
            }
            encodings.append(code)
        }
        path = []
        for p in m.list(3) ?? [] {
            guard case .binary(let b) = p else { throw ParquetError("\(what) has a malformed path_in_schema") }
            path.append(String(decoding: b, as: UTF8.self))
        }
        codecCode = try m.int32(4, "codec", in: what)
        codec = ParquetCodec(rawValue: codecCode)
        numValues = try m.int(5, "num_values", in: what)
        totalUncompressedSize = try m.int(6, "total_uncompressed_size", in: what)
        totalCompressedSize = try m.int(7, "total_compressed_size", in: what)
        dataPageOffset = try m.int(9, "data_page_offset", in: what)
        dictionaryPageOffset = m.optionalInt(11)
        guard numValues >= 0, totalCompressedSize >= 0, totalUncompressedSize >= 0, dataPageOffset >= 0 else {
            throw ParquetError("\(what) has a negative size, count or offset")
        }
        if let st = m.optionalStruct(12) {
            statistics = ParquetStatistics(
                nullCount: st.optionalInt(3), distinctCount: st.optionalInt(4),
                minValue: st.optionalBinary(6), maxValue: st.optionalBinary(5),
                isMinValueExact: st.optionalBool(8), isMaxValueExact: st.optionalBool(7),
                deprecatedMin: st.optionalBinary(2), deprecatedMax: st.optionalBinary(1))
        }
    }
}
