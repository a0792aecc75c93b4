/// Writes one Parquet file, row group by row group (memory bounded by one row group).
///
/// Layout: `"PAR1"`, then per row group one column chunk per column (v1 data pages, PLAIN values,
/// RLE definition levels, compressed with `options.codec`), then the compact-Thrift
/// `FileMetaData`, its u32 LE length and `"PAR1"`. Output is deterministic: the same schema,
/// options and values give the same bytes.
///
/// Not thread-safe; use one writer from one task. Call `close()` to finish the file: without it
/// the file has no footer and is unreadable.
public final class ParquetFileWriter {
    private let schema: ParquetSchema
    private let options: ParquetWriterOptions
    private let output: BufferedFileOutput
    private let compressor: GzipCompressor?
    private var rowGroups: [RowGroupMetadata] = []
    private var state = State.open

    private enum State {
        case open
        case closed
        /// An I/O error left the file incomplete.
        case failed(ParquetError)
    }

    static let magic: [UInt8] = Array("PAR1".utf8)

    /// Creates (or truncates) the file at `path` and writes the leading magic bytes.
    public init(
        path: String, schema: ParquetSchema, options: ParquetWriterOptions
    ) throws(ParquetError) {
        try Self.validate(schema)
        self.schema = schema
        self.options = options
        switch options.codec {
        case .uncompressed: compressor = nil
        case .gzip: compressor = try GzipCompressor()
        }
        output = try BufferedFileOutput(path: path)
        try output.write(Self.magic)
    }

    /// Appends one row group; every column's values must have the same count and the case matching its physical type.
    ///
    /// `columns` holds one entry per schema column, in schema order. A row group with zero rows
    /// is skipped: it would add nothing, and a file with no row groups is valid.
    public func writeRowGroup(_ columns: [ParquetColumnValues]) throws(ParquetError) {
        try checkOpen()
        let rowCount = try validate(columns)
        guard rowCount > 0 else { return }
        do {
            var chunks: [ColumnChunkMetadata] = []
            chunks.reserveCapacity(columns.count)
            let fileOffset = output.position
            for (column, values) in zip(schema.columns, columns) {
                let dataPageOffset = output.position
                let pages = PageWriter(column: column, compressor: compressor)
                let sizes = try pages.writeChunk(values, to: output)
                chunks.append(
                    ColumnChunkMetadata(
                        physicalType: column.physicalType,
                        encodings: [.plain, .rle],
                        path: [column.name],
                        codec: options.codec,
                        numValues: Int64(rowCount),
                        totalUncompressedSize: sizes.uncompressed,
                        totalCompressedSize: sizes.compressed,
                        dataPageOffset: dataPageOffset,
                        statistics: StatisticsBuilder.compute(
                            values, logicalType: column.logicalType)))
            }
            rowGroups.append(
                RowGroupMetadata(columns: chunks, numRows: Int64(rowCount), fileOffset: fileOffset))
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// Writes the footer and closes the file. A file with zero row groups is valid (0 rows).
    ///
    /// Calling `close()` again after it succeeded does nothing.
    public func close() throws(ParquetError) {
        switch state {
        case .closed: return
        case .failed(let error): throw error
        case .open: break
        }
        do {
            let footer = FileMetadata(
                schema: schema, rowGroups: rowGroups,
                keyValueMetadata: options.keyValueMetadata, createdBy: options.createdBy
            ).encoded()
            try output.write(footer)
            try output.write(PlainEncoder.littleEndianBytes(UInt32(footer.count)))
            try output.write(Self.magic)
            try output.close()
            state = .closed
        } catch {
            state = .failed(error)
            throw error
        }
    }

    // MARK: Validation

    private func checkOpen() throws(ParquetError) {
        switch state {
        case .open: return
        case .closed:
            throw ParquetError(
                "Parquet file '\(output.path)' is already closed; write all row groups before "
                    + "close()")
        case .failed(let error):
            throw ParquetError(
                "Parquet file '\(output.path)' is unusable after an earlier error (\(error.message)); "
                    + "fix that and write the file again")
        }
    }

    /// Checks `columns` against the schema and returns the row count.
    private func validate(_ columns: [ParquetColumnValues]) throws(ParquetError) -> Int {
        guard columns.count == schema.columns.count else {
            let names = schema.columns.map { "'\($0.name)'" }.joined(separator: ", ")
            throw ParquetError(
                "row group has \(columns.count) columns but the schema has "
                    + "\(schema.columns.count) (\(names)); pass one ParquetColumnValues per schema "
                    + "column, in schema order")
        }
        let rowCount = columns.first?.count ?? 0
        for (column, values) in zip(schema.columns, columns) {
            guard values.physicalType == column.physicalType else {
                throw ParquetError(
                    "column '\(column.name)' is \(column.physicalType.name) but got "
                        + ".\(values.physicalType.caseName) values; pass "
                        + ".\(column.physicalType.caseName)(...) for this column")
            }
            guard values.count == rowCount else {
                throw ParquetError(
                    "column '\(column.name)' has \(values.count) values but column "
                        + "'\(schema.columns[0].name)' has \(rowCount); every column of a row "
                        + "group must have the same number of rows")
            }
            if column.repetition == .required, let row = values.firstNullIndex {
                throw ParquetError(
                    "column '\(column.name)' is REQUIRED but row \(row) is null; declare it "
                        + ".optional or supply a value")
            }
        }
        guard rowCount <= Int(Int32.max) else {
            throw ParquetError(
                "row group has \(rowCount) rows, more than the \(Int32.max) a page can hold; write "
                    + "smaller row groups (about 1M rows)")
        }
        return rowCount
    }

    private static func validate(_ schema: ParquetSchema) throws(ParquetError) {
        guard !schema.columns.isEmpty else {
            throw ParquetError("schema has no columns; add at least one ParquetColumn")
        }
        var seen = Set<String>()
        for column in schema.columns {
            guard !column.name.isEmpty else {
                throw ParquetError("a schema column has an empty name; give every column a name")
            }
            guard seen.insert(column.name).inserted else {
                throw ParquetError(
                    "schema has two columns named '\(column.name)'; column names must be unique")
            }
            guard let logical = column.logicalType else { continue }
            let expected: ParquetPhysicalType
            switch logical {
            case .string: expected = .byteArray
            case .date: expected = .int32
            case .timestampMicrosUTC: expected = .int64
            case .integer(let bitWidth, _):
                guard [8, 16, 32, 64].contains(bitWidth) else {
                    throw ParquetError(
                        "column '\(column.name)' has INTEGER bit width \(bitWidth); use 8, 16, 32 "
                            + "or 64")
                }
                expected = bitWidth == 64 ? .int64 : .int32
            }
            guard column.physicalType == expected else {
                throw ParquetError(
                    "column '\(column.name)' has logical type \(logical) on "
                        + "\(column.physicalType.name); that logical type needs \(expected.name)")
            }
        }
    }
}

extension ParquetPhysicalType {
    /// The Parquet spelling, e.g. `BYTE_ARRAY`.
    var name: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .double: "DOUBLE"
        case .byteArray: "BYTE_ARRAY"
        }
    }

    /// The matching `ParquetColumnValues` case name.
    var caseName: String {
        switch self {
        case .boolean: "boolean"
        case .int32: "int32"
        case .int64: "int64"
        case .double: "double"
        case .byteArray: "byteArray"
        }
    }
}

extension ParquetColumnValues {
    /// The physical type this case holds.
    var physicalType: ParquetPhysicalType {
        switch self {
        case .boolean: .boolean
        case .int32: .int32
        case .int64: .int64
        case .double: .double
        case .byteArray: .byteArray
        }
    }

    /// Index of the first null, if any.
    var firstNullIndex: Int? {
        switch self {
        case .boolean(let v): v.firstIndex(where: { $0 == nil })
        case .int32(let v): v.firstIndex(where: { $0 == nil })
        case .int64(let v): v.firstIndex(where: { $0 == nil })
        case .double(let v): v.firstIndex(where: { $0 == nil })
        case .byteArray(let v): v.firstIndex(where: { $0 == nil })
        }
    }
}
