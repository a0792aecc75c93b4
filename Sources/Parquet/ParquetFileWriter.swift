/// Writes one Parquet file, row group by row group (memory bounded by one row group).
///
/// Layout: `"PAR1"`, then per row group one column chunk per column (an optional PLAIN
/// dictionary page, then v1 data pages of about `options.dataPageSize` bytes holding RLE
/// definition levels and PLAIN or RLE_DICTIONARY values, each page compressed with
/// `options.codec`), then the compact-Thrift `FileMetaData`, its u32 LE length and `"PAR1"`.
/// Output is deterministic: the same schema, options and values give the same bytes.
///
/// Two ways to give rows: `writeRowGroup` writes the rows of each call as (at least) one row
/// group; `append` streams batches of any size and starts a row group every
/// `options.rowGroupSize` rows. Both can be mixed; `writeRowGroup` first flushes appended rows.
///
/// Not thread-safe; use one writer from one task. Call `close()` to finish the file: without it
/// the file has no footer and is unreadable.
public final class ParquetFileWriter {
    private let schema: ParquetSchema
    private let options: ParquetWriterOptions
    private let output: BufferedFileOutput
    private let compressor: PageCompressor
    private var rowGroups: [RowGroupMetadata] = []
    private var state = State.open
    /// Appended rows not yet written (fewer than `options.rowGroupSize`).
    private var pending: [ParquetColumnBuffer]
    /// Reused page body buffer.
    private var pageBody: [UInt8] = []
    /// Columns whose dictionary overflowed its limit in an earlier row group: later chunks go
    /// straight to PLAIN (a column of unique keys stays unique).
    private var dictionaryOverflowed: Set<Int> = []

    private enum State {
        case open
        case closed
        /// An I/O error left the file incomplete.
        case failed(ParquetError)
    }

    static let magic: [UInt8] = Array("PAR1".utf8)

    /// Rows written to row groups so far (appended rows still buffered are not counted).
    public var rowsWritten: Int64 { rowGroups.reduce(0) { $0 + $1.numRows } }

    /// Creates (or truncates) the file at `path` and writes the leading magic bytes.
    public init(
        path: String, schema: ParquetSchema, options: ParquetWriterOptions
    ) throws(ParquetError) {
        try Self.validate(schema)
        guard options.rowGroupSize > 0, options.dataPageSize > 0, options.dataPageRowLimit > 0,
            options.dictionaryPageSizeLimit >= 0
        else {
            throw ParquetError(
                "writer options need rowGroupSize, dataPageSize and dataPageRowLimit above 0 (got "
                    + "\(options.rowGroupSize), \(options.dataPageSize), \(options.dataPageRowLimit)) "
                    + "and a dictionaryPageSizeLimit of at least 0")
        }
        self.schema = schema
        self.options = options
        compressor = try PageCompressor(codec: options.codec, level: options.compressionLevel)
        pending = schema.columns.map { ParquetColumnBuffer($0.physicalType) }
        output = try BufferedFileOutput(path: path)
        try output.write(Self.magic)
    }

    /// Writes `columns` as one row group (several if it holds more than `options.rowGroupSize`
    /// rows); every column's values must have the same count and the case matching its physical
    /// type. Rows appended with `append` and not yet written go first, as their own row group.
    ///
    /// `columns` holds one entry per schema column, in schema order. A row group with zero rows
    /// is skipped: it would add nothing, and a file with no row groups is valid.
    public func writeRowGroup(_ columns: [ParquetColumnValues]) throws(ParquetError) {
        try checkOpen()
        let rowCount = try validate(columns)
        try flushRowGroup()
        guard rowCount > 0 else { return }
        try writeRows(columns.map { ParquetColumnBuffer($0) })
    }

    /// Streams a batch of rows (one entry per schema column, in schema order). A row group is
    /// written each time `options.rowGroupSize` rows have accumulated; `close()` writes the rest.
    public func append(_ columns: [ParquetColumnValues]) throws(ParquetError) {
        try checkOpen()
        _ = try validate(columns)
        try append(columns.map { ParquetColumnBuffer($0) })
    }

    /// Streams a batch of rows given as column buffers (the fastest way in).
    public func append(_ columns: [ParquetColumnBuffer]) throws(ParquetError) {
        try checkOpen()
        let rowCount = try validate(columns)
        var next = 0
        while next < rowCount {
            let room = options.rowGroupSize - pending[0].count
            let take = Swift.min(room, rowCount - next)
            // Copied, even into an empty row group: the pending buffers keep their capacity from
            // one row group to the next (below), so a file's row groups reuse one set of buffers.
            for i in pending.indices { pending[i].append(rowsOf: columns[i], next..<(next + take)) }
            next += take
            if pending[0].count >= options.rowGroupSize { try flushRowGroup() }
        }
    }

    /// Writes the appended rows not yet written as a row group (nothing when there are none).
    public func flushRowGroup() throws(ParquetError) {
        try checkOpen()
        guard pending[0].count > 0 else { return }
        try writeRows(pending)
        // Emptied, keeping their capacity: buffers allocated afresh for each row group (and
        // grown by doubling while it fills) left the heap fragmented, so a run's peak memory
        // crept up with the number of row groups.
        for i in pending.indices { pending[i].removeAll(keepingCapacity: true) }
    }

    /// Writes validated rows as row groups of at most `options.rowGroupSize` rows.
    private func writeRows(_ columns: [ParquetColumnBuffer]) throws(ParquetError) {
        let rowCount = columns[0].count
        if rowCount <= options.rowGroupSize {
            try writeRowGroupNow(columns)
            return
        }
        var start = 0
        while start < rowCount {
            let end = Swift.min(rowCount, start + options.rowGroupSize)
            let slice = columns.map { c in
                var b = ParquetColumnBuffer(c.physicalType)
                b.append(rowsOf: c, start..<end)
                return b
            }
            try writeRowGroupNow(slice)
            start = end
        }
    }

    private func writeRowGroupNow(_ columns: [ParquetColumnBuffer]) throws(ParquetError) {
        let rowCount = columns[0].count
        guard rowCount > 0 else { return }
        do {
            var chunks: [ColumnChunkMetadata] = []
            chunks.reserveCapacity(columns.count)
            let fileOffset = output.position
            for (index, (column, values)) in zip(schema.columns, columns).enumerated() {
                let writer = ColumnChunkWriter(column: column, options: options, compressor: compressor)
                let chunk = try writer.write(
                    values, to: output, body: &pageBody, tryDictionary: !dictionaryOverflowed.contains(index))
                if options.dictionaryEnabled, values.valueCount > 0, chunk.dictionaryPageOffset == nil {
                    dictionaryOverflowed.insert(index)
                }
                chunks.append(chunk)
            }
            rowGroups.append(
                RowGroupMetadata(columns: chunks, numRows: Int64(rowCount), fileOffset: fileOffset))
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// Writes any appended rows, then the footer, and closes the file. A file with zero row
    /// groups is valid (0 rows).
    ///
    /// `keyValueMetadata`, when given, replaces the options' key-value metadata in the footer
    /// (for metadata known only once every row is written, such as the list of inputs).
    /// Calling `close()` again after it succeeded does nothing.
    public func close(keyValueMetadata: [ParquetWriterOptions.KeyValue]? = nil) throws(ParquetError) {
        switch state {
        case .closed: return
        case .failed(let error): throw error
        case .open: break
        }
        try flushRowGroup()
        do {
            let footer = FileMetadata(
                schema: schema, rowGroups: rowGroups,
                keyValueMetadata: keyValueMetadata ?? options.keyValueMetadata, createdBy: options.createdBy
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
        return rowCount
    }

    /// Checks column buffers against the schema and returns the row count.
    private func validate(_ columns: [ParquetColumnBuffer]) throws(ParquetError) -> Int {
        guard columns.count == schema.columns.count else {
            let names = schema.columns.map { "'\($0.name)'" }.joined(separator: ", ")
            throw ParquetError(
                "batch has \(columns.count) columns but the schema has \(schema.columns.count) "
                    + "(\(names)); pass one ParquetColumnBuffer per schema column, in schema order")
        }
        let rowCount = columns.first?.count ?? 0
        for (column, values) in zip(schema.columns, columns) {
            guard values.physicalType == column.physicalType else {
                throw ParquetError(
                    "column '\(column.name)' is \(column.physicalType.name) but got a "
                        + "\(values.physicalType.name) buffer; use ParquetColumnBuffer(."
                        + "\(column.physicalType.caseName)) for this column")
            }
            guard values.count == rowCount else {
                throw ParquetError(
                    "column '\(column.name)' has \(values.count) values but column "
                        + "'\(schema.columns[0].name)' has \(rowCount); every column of a batch "
                        + "must have the same number of rows")
            }
            if column.repetition == .required, values.nullCount > 0 {
                let row = values.definitionLevels.firstIndex(of: 0) ?? 0
                throw ParquetError(
                    "column '\(column.name)' is REQUIRED but row \(row) is null; declare it "
                        + ".optional or supply a value")
            }
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
    public var name: String {
        switch self {
        case .boolean: "BOOLEAN"
        case .int32: "INT32"
        case .int64: "INT64"
        case .float: "FLOAT"
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
        case .float: "float"
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
        case .float: .float
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
        case .float(let v): v.firstIndex(where: { $0 == nil })
        case .double(let v): v.firstIndex(where: { $0 == nil })
        case .byteArray(let v): v.firstIndex(where: { $0 == nil })
        }
    }
}
