// Internal models of the Parquet Thrift structures this writer emits, each with its compact
// encoding. Field ids follow `parquet.thrift` (apache/parquet-format).

/// Parquet `Encoding` values used by this writer.
enum ParquetEncoding: Int32 {
    case plain = 0
    case rle = 3
    case rleDictionary = 8
}

/// Parquet `PageType` values.
enum ParquetPageType: Int32 {
    case dataPage = 0
    case indexPage = 1
    case dictionaryPage = 2
    case dataPageV2 = 3
}

/// Page headers other than the v1 data page's (`DataPageHeader` below).
enum PageHeaderEncoder {
    /// `PageHeader` of a dictionary page (`DictionaryPageHeader` in field 7, encoding PLAIN).
    static func dictionaryPage(uncompressedSize: Int, compressedSize: Int, entries: Int) -> [UInt8] {
        ThriftCompactWriter.encodeStruct { w in
            w.fieldI32(1, ParquetPageType.dictionaryPage.rawValue)
            w.fieldI32(2, Int32(uncompressedSize))
            w.fieldI32(3, Int32(compressedSize))
            w.fieldStruct(7) { d in
                d.fieldI32(1, Int32(entries))
                d.fieldI32(2, ParquetEncoding.plain.rawValue)
            }
        }
    }
}

/// Parquet `ConvertedType` (legacy annotation) values used by this writer.
enum ParquetConvertedType: Int32 {
    case utf8 = 0
    case date = 6
    case timestampMicros = 10
    case uint8 = 11
    case uint16 = 12
    case uint32 = 13
    case uint64 = 14
    case int8 = 15
    case int16 = 16
    case int32 = 17
    case int64 = 18
}

extension ParquetLogicalType {
    /// The legacy ConvertedType written next to the LogicalType.
    var convertedType: ParquetConvertedType {
        switch self {
        case .string: .utf8
        case .date: .date
        case .timestampMicrosUTC: .timestampMicros
        case .integer(let bitWidth, let signed):
            switch (bitWidth, signed) {
            case (8, true): .int8
            case (16, true): .int16
            case (32, true): .int32
            case (64, true): .int64
            case (8, false): .uint8
            case (16, false): .uint16
            case (32, false): .uint32
            default: .uint64  // (64, false); other widths are rejected when the writer opens
            }
        }
    }

    /// Writes the `LogicalType` union (a struct with exactly one field).
    func encode(to w: inout ThriftCompactWriter) {
        switch self {
        case .string:
            w.fieldStruct(1) { _ in }  // StringType {}
        case .date:
            w.fieldStruct(6) { _ in }  // DateType {}
        case .timestampMicrosUTC:
            w.fieldStruct(8) { ts in  // TimestampType
                ts.fieldBool(1, true)  // isAdjustedToUTC
                ts.fieldStruct(2) { unit in unit.fieldStruct(2) { _ in } }  // TimeUnit.MICROS
            }
        case .integer(let bitWidth, let signed):
            w.fieldStruct(10) { int in  // IntType
                int.fieldI8(1, bitWidth)
                int.fieldBool(2, signed)
            }
        }
    }
}

extension ParquetColumn {
    /// Writes this leaf's `SchemaElement`.
    func encodeSchemaElement(to w: inout ThriftCompactWriter) {
        w.writeStruct { e in
            e.fieldI32(1, physicalType.rawValue)
            e.fieldI32(3, repetition.rawValue)
            e.fieldString(4, name)
            if let logicalType {
                e.fieldI32(6, logicalType.convertedType.rawValue)
                e.fieldStruct(10) { logicalType.encode(to: &$0) }
            }
        }
    }
}

/// Column chunk statistics (`Statistics`), with values already PLAIN-encoded.
struct ChunkStatistics: Equatable {
    var nullCount: Int64
    /// Minimum and maximum in the column's sort order; nil when there is no non-null (non-NaN) value.
    var min: [UInt8]?
    var max: [UInt8]?
    /// Whether to repeat min/max in the deprecated signed-order fields 1/2.
    var writeDeprecatedMinMax: Bool
    /// NaN count, written only for floating-point columns.
    var nanCount: Int64?

    func encode(to w: inout ThriftCompactWriter) {
        if writeDeprecatedMinMax, let min, let max {
            w.fieldBinary(1, max)
            w.fieldBinary(2, min)
        }
        w.fieldI64(3, nullCount)
        if let min, let max {
            w.fieldBinary(5, max)
            w.fieldBinary(6, min)
            w.fieldBool(7, true)  // is_max_value_exact
            w.fieldBool(8, true)  // is_min_value_exact
        }
        if let nanCount {
            w.fieldI64(9, nanCount)
        }
    }
}

/// `PageHeader` of a v1 data page (`DataPageHeader` in field 5).
struct DataPageHeader: Equatable {
    var uncompressedPageSize: Int32
    var compressedPageSize: Int32
    var numValues: Int32
    var encoding: ParquetEncoding

    func encoded() -> [UInt8] {
        ThriftCompactWriter.encodeStruct { w in
            w.fieldI32(1, ParquetPageType.dataPage.rawValue)
            w.fieldI32(2, uncompressedPageSize)
            w.fieldI32(3, compressedPageSize)
            w.fieldStruct(5) { d in
                d.fieldI32(1, numValues)
                d.fieldI32(2, encoding.rawValue)
                d.fieldI32(3, ParquetEncoding.rle.rawValue)  // definition_level_encoding
                d.fieldI32(4, ParquetEncoding.rle.rawValue)  // repetition_level_encoding
            }
        }
    }
}

/// `ColumnChunk` with its `ColumnMetaData`, for one column of one row group.
struct ColumnChunkMetadata: Equatable {
    var physicalType: ParquetPhysicalType
    var encodings: [ParquetEncoding]
    var path: [String]
    var codec: ParquetCodec
    var numValues: Int64
    var totalUncompressedSize: Int64
    var totalCompressedSize: Int64
    var dataPageOffset: Int64
    var dictionaryPageOffset: Int64? = nil
    var statistics: ChunkStatistics
    var encodingStats: [EncodingStat] = []

    /// `PageEncodingStats`: how many pages of a type use an encoding.
    struct EncodingStat: Equatable {
        var pageType: ParquetPageType
        var encoding: ParquetEncoding
        var count: Int32
    }

    func encode(to w: inout ThriftCompactWriter) {
        w.writeStruct { c in
            c.fieldI64(2, 0)  // file_offset: deprecated, written as 0
            c.fieldStruct(3) { m in
                m.fieldI32(1, physicalType.rawValue)
                m.fieldList(2, .i32, count: encodings.count)
                for e in encodings { m.writeI32(e.rawValue) }
                m.fieldList(3, .binary, count: path.count)
                for p in path { m.writeString(p) }
                m.fieldI32(4, codec.rawValue)
                m.fieldI64(5, numValues)
                m.fieldI64(6, totalUncompressedSize)
                m.fieldI64(7, totalCompressedSize)
                m.fieldI64(9, dataPageOffset)
                if let dictionaryPageOffset { m.fieldI64(11, dictionaryPageOffset) }
                m.fieldStruct(12) { statistics.encode(to: &$0) }
                if !encodingStats.isEmpty {
                    m.fieldList(13, .struct, count: encodingStats.count)
                    for stat in encodingStats {
                        m.writeStruct { e in
                            e.fieldI32(1, stat.pageType.rawValue)
                            e.fieldI32(2, stat.encoding.rawValue)
                            e.fieldI32(3, stat.count)
                        }
                    }
                }
            }
        }
    }
}

/// `RowGroup`: its column chunks and sizes.
struct RowGroupMetadata: Equatable {
    var columns: [ColumnChunkMetadata]
    var numRows: Int64
    /// Offset of the first page of the first column chunk.
    var fileOffset: Int64

    var totalByteSize: Int64 { columns.reduce(0) { $0 + $1.totalUncompressedSize } }
    var totalCompressedSize: Int64 { columns.reduce(0) { $0 + $1.totalCompressedSize } }

    func encode(to w: inout ThriftCompactWriter) {
        w.writeStruct { g in
            g.fieldList(1, .struct, count: columns.count)
            for c in columns { c.encode(to: &g) }
            g.fieldI64(2, totalByteSize)
            g.fieldI64(3, numRows)
            g.fieldI64(5, fileOffset)
            g.fieldI64(6, totalCompressedSize)
        }
    }
}

/// `FileMetaData`: the footer.
struct FileMetadata: Equatable {
    var schema: ParquetSchema
    var rowGroups: [RowGroupMetadata]
    var keyValueMetadata: [ParquetWriterOptions.KeyValue]
    var createdBy: String

    /// Name of the schema root element (what pyarrow writes).
    static let rootName = "schema"

    func encoded() -> [UInt8] {
        ThriftCompactWriter.encodeStruct { w in
            w.fieldI32(1, 1)  // version
            w.fieldList(2, .struct, count: schema.columns.count + 1)
            w.writeStruct { root in
                root.fieldI32(3, ParquetRepetition.required.rawValue)
                root.fieldString(4, Self.rootName)
                root.fieldI32(5, Int32(schema.columns.count))
            }
            for column in schema.columns { column.encodeSchemaElement(to: &w) }
            w.fieldI64(3, rowGroups.reduce(0) { $0 + $1.numRows })
            w.fieldList(4, .struct, count: rowGroups.count)
            for g in rowGroups { g.encode(to: &w) }
            if !keyValueMetadata.isEmpty {
                w.fieldList(5, .struct, count: keyValueMetadata.count)
                for kv in keyValueMetadata {
                    w.writeStruct { e in
                        e.fieldString(1, kv.key)
                        e.fieldString(2, kv.value)
                    }
                }
            }
            w.fieldString(6, createdBy)
            Self.encodeColumnOrders(count: schema.columns.count, to: &w)
        }
    }

    /// `column_orders` (field 7): one `ColumnOrder{TYPE_ORDER: TypeDefinedOrder{}}` per leaf.
    static func encodeColumnOrders(count: Int, to w: inout ThriftCompactWriter) {
        w.fieldList(7, .struct, count: count)
        for _ in 0..<count {
            w.writeStruct { order in order.fieldStruct(1) { _ in } }
        }
    }
}
