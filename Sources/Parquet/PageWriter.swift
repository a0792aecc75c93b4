/// Writes one column chunk as v1 data pages: optional RLE definition levels (with their 4-byte
/// LE length prefix) followed by PLAIN values, each page compressed separately with the codec.
struct PageWriter {
    let column: ParquetColumn
    /// nil for UNCOMPRESSED.
    let compressor: GzipCompressor?

    /// Sizes of a written chunk; both include the page headers.
    struct ChunkSizes {
        var uncompressed: Int64 = 0
        var compressed: Int64 = 0
    }

    /// Row ranges of the pages of a chunk. One page per chunk for now; splitting at ~1 MiB only
    /// has to change this function (each page restarts level and boolean bit packing).
    static func pageRanges(rowCount: Int) -> [Range<Int>] {
        [0..<rowCount]
    }

    /// Writes every page of `values` to `output`.
    func writeChunk(
        _ values: ParquetColumnValues, to output: BufferedFileOutput
    ) throws(ParquetError) -> ChunkSizes {
        var sizes = ChunkSizes()
        for range in Self.pageRanges(rowCount: values.count) {
            let body = encodePageBody(values, range)
            let stored = try compressor?.compress(body) ?? body
            guard body.count <= Int32.max, stored.count <= Int32.max else {
                throw ParquetError(
                    "a page of column '\(column.name)' holds \(body.count) bytes, more than "
                        + "Parquet's 2 GiB page limit; write fewer rows per row group")
            }
            let header = DataPageHeader(
                uncompressedPageSize: Int32(body.count),
                compressedPageSize: Int32(stored.count),
                numValues: Int32(range.count),
                encoding: .plain
            ).encoded()
            try output.write(header)
            try output.write(stored)
            sizes.uncompressed += Int64(header.count + body.count)
            sizes.compressed += Int64(header.count + stored.count)
        }
        return sizes
    }

    /// The uncompressed body of one v1 data page holding rows `range`.
    func encodePageBody(_ values: ParquetColumnValues, _ range: Range<Int>) -> [UInt8] {
        var body: [UInt8] = []
        switch values {
        case .boolean(let v):
            appendDefinitionLevels(v[range], to: &body)
            PlainEncoder.encode(v[range], into: &body)
        case .int32(let v):
            appendDefinitionLevels(v[range], to: &body)
            PlainEncoder.encode(v[range], into: &body)
        case .int64(let v):
            appendDefinitionLevels(v[range], to: &body)
            PlainEncoder.encode(v[range], into: &body)
        case .double(let v):
            appendDefinitionLevels(v[range], to: &body)
            PlainEncoder.encode(v[range], into: &body)
        case .byteArray(let v):
            appendDefinitionLevels(v[range], to: &body)
            PlainEncoder.encode(v[range], into: &body)
        }
        return body
    }

    /// OPTIONAL columns: 4-byte LE length, then RLE-hybrid levels at bit width 1 (1 = present).
    /// REQUIRED columns have no level bytes at all.
    private func appendDefinitionLevels<T>(_ values: ArraySlice<T?>, to body: inout [UInt8]) {
        guard column.repetition == .optional else { return }
        var encoder = RLEHybridEncoder(bitWidth: 1)
        for v in values { encoder.put(v == nil ? 0 : 1) }
        let levels = encoder.finish()
        PlainEncoder.appendLittleEndian(UInt32(levels.count), to: &body)
        body.append(contentsOf: levels)
    }
}
