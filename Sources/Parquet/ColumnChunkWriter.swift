/// Writes one column chunk: an optional PLAIN dictionary page, then v1 data pages (RLE
/// definition levels with their 4-byte LE length prefix for OPTIONAL columns, then PLAIN values or
/// a bit width byte and RLE/bit-packed dictionary indices), each page compressed separately.
///
/// Dictionary or PLAIN is decided for the whole chunk (parquet.md section 2): dictionary when the
/// PLAIN dictionary fits `options.dictionaryPageSizeLimit`, so no chunk mixes both.
struct ColumnChunkWriter {
    let column: ParquetColumn
    let options: ParquetWriterOptions
    let compressor: PageCompressor

    /// A page: its rows and the range of its non-null values.
    struct PageRange: Equatable {
        var rows: Range<Int>
        var values: Range<Int>
    }

    /// Writes the chunk of `data` at the output's position and returns its metadata.
    /// `tryDictionary` false skips the dictionary attempt (the column's previous chunk already
    /// overflowed the dictionary limit, so building one again would be wasted work).
    func write(
        _ data: ParquetColumnBuffer, to output: BufferedFileOutput, body: inout [UInt8], tryDictionary: Bool = true
    ) throws(ParquetError) -> ColumnChunkMetadata {
        let chunkStart = output.position
        var uncompressed: Int64 = 0
        var compressed: Int64 = 0
        var dictionary: DictionaryBuilder.Result?
        if options.dictionaryEnabled && tryDictionary && data.valueCount > 0 {
            dictionary = DictionaryBuilder.build(data, limit: options.dictionaryPageSizeLimit)
        }
        var dictionaryPageOffset: Int64?
        var bitWidth = 0
        if let dictionary {
            dictionaryPageOffset = chunkStart
            body.removeAll(keepingCapacity: true)
            PlainEncoder.encode(dictionary.dictionary, 0..<dictionary.dictionary.valueCount, into: &body)
            let sizes = try writePage(body, to: output) { stored in
                PageHeaderEncoder.dictionaryPage(
                    uncompressedSize: body.count, compressedSize: stored,
                    entries: dictionary.dictionary.valueCount)
            }
            uncompressed += sizes.uncompressed
            compressed += sizes.compressed
            bitWidth = Swift.max(1, Self.bitLength(UInt32(dictionary.dictionary.valueCount - 1)))
        }
        let dataPageOffset = output.position
        let pages = Self.pageRanges(
            data, valueBits: dictionary == nil ? nil : bitWidth, pageSize: options.dataPageSize,
            rowLimit: options.dataPageRowLimit)
        let encoding: ParquetEncoding = dictionary == nil ? .plain : .rleDictionary
        for page in pages {
            body.removeAll(keepingCapacity: true)
            encodePageBody(data, page, dictionary: dictionary, bitWidth: bitWidth, into: &body)
            let sizes = try writePage(body, to: output) { stored in
                DataPageHeader(
                    uncompressedPageSize: Int32(body.count), compressedPageSize: Int32(stored),
                    numValues: Int32(page.rows.count), encoding: encoding
                ).encoded()
            }
            uncompressed += sizes.uncompressed
            compressed += sizes.compressed
        }
        let statistics = StatisticsBuilder.compute(
            data, logicalType: column.logicalType, distinct: dictionary?.dictionary)
        var encodingStats: [ColumnChunkMetadata.EncodingStat] = []
        if dictionary != nil {
            encodingStats.append(.init(pageType: .dictionaryPage, encoding: .plain, count: 1))
        }
        encodingStats.append(.init(pageType: .dataPage, encoding: encoding, count: Int32(pages.count)))
        return ColumnChunkMetadata(
            physicalType: column.physicalType,
            encodings: dictionary == nil ? [.plain, .rle] : [.plain, .rle, .rleDictionary],
            path: [column.name], codec: options.codec, numValues: Int64(data.count),
            totalUncompressedSize: uncompressed, totalCompressedSize: compressed,
            dataPageOffset: dataPageOffset, dictionaryPageOffset: dictionaryPageOffset,
            statistics: statistics, encodingStats: encodingStats)
    }

    /// Compresses and writes one page; `header` gets the stored size and returns the header bytes.
    private func writePage(
        _ body: [UInt8], to output: BufferedFileOutput, header: (Int) -> [UInt8]
    ) throws(ParquetError) -> (uncompressed: Int64, compressed: Int64) {
        guard body.count <= Int(Int32.max) else {
            throw ParquetError(
                "a page of column '\(column.name)' holds \(body.count) bytes, more than "
                    + "Parquet's 2 GiB page limit; use a smaller dataPageSize")
        }
        try compressor.compress(body)
        let stored = compressor.stored(body)
        let headerBytes = header(stored.count)
        try output.write(headerBytes)
        try output.write(stored)
        return (Int64(headerBytes.count + body.count), Int64(headerBytes.count + stored.count))
    }

    /// Splits the chunk into pages of about `pageSize` encoded bytes and at most `rowLimit` rows.
    /// `valueBits` is the size of one value in bits (dictionary index width), nil for PLAIN.
    static func pageRanges(
        _ data: ParquetColumnBuffer, valueBits: Int?, pageSize: Int, rowLimit: Int
    ) -> [PageRange] {
        let count = data.count
        guard count > 0 else { return [PageRange(rows: 0..<0, values: 0..<0)] }
        let limitBits = Swift.max(8, pageSize) * 8
        let rowLimit = Swift.min(Swift.max(1, rowLimit), Int(Int32.max))  // num_values is an i32
        var fixedBits = valueBits ?? 0
        if valueBits == nil {
            switch data.physicalType {
            case .boolean: fixedBits = 1
            case .int32, .float: fixedBits = 32
            case .int64, .double: fixedBits = 64
            case .byteArray: fixedBits = 0
            }
        }
        let hasNulls = data.nullCount > 0
        if fixedBits != 0 && !hasNulls {
            return fixedWidthPageRanges(count: count, valueBits: fixedBits, limitBits: limitBits, rowLimit: rowLimit)
        }
        var pages: [PageRange] = []
        var r0 = 0
        var v0 = 0
        var v = 0
        var bits = 0
        data.definitionLevels.withUnsafeBufferPointer { levels in
            data.offsets.withUnsafeBufferPointer { offsets in
                for r in 0..<count {
                    if !hasNulls || levels[r] != 0 {
                        bits &+= fixedBits != 0 ? fixedBits : (4 &+ offsets[v &+ 1] &- offsets[v]) &* 8
                        v &+= 1
                    }
                    if r &+ 1 &- r0 >= rowLimit || bits >= limitBits {
                        pages.append(PageRange(rows: r0..<(r + 1), values: v0..<v))
                        r0 = r + 1
                        v0 = v
                        bits = 0
                    }
                }
            }
        }
        if r0 < count { pages.append(PageRange(rows: r0..<count, values: v0..<v)) }
        return pages
    }

    /// `pageRanges` of `count` rows without nulls whose values all take `valueBits`: every page
    /// but the last holds the same number of rows, the first count at which the row limit or the
    /// size limit is reached, so the pages follow without visiting each row.
    static func fixedWidthPageRanges(count: Int, valueBits: Int, limitBits: Int, rowLimit: Int) -> [PageRange] {
        let rowsPerPage = Swift.min(rowLimit, (limitBits + valueBits - 1) / valueBits)
        return stride(from: 0, to: count, by: rowsPerPage).map { start in
            let rows = start..<Swift.min(start + rowsPerPage, count)
            return PageRange(rows: rows, values: rows)
        }
    }

    static func bitLength(_ value: UInt32) -> Int { 32 - value.leadingZeroBitCount }

    /// Appends the uncompressed body of one v1 data page to `body`.
    func encodePageBody(
        _ data: ParquetColumnBuffer, _ page: PageRange, dictionary: DictionaryBuilder.Result?,
        bitWidth: Int, into body: inout [UInt8]
    ) {
        if column.repetition == .optional {
            let prefixAt = body.count
            body.append(contentsOf: [0, 0, 0, 0])
            if data.nullCount == 0 {
                RLEHybridEncoder.appendRun(
                    value: 1, count: page.rows.count, bitWidth: 1, to: &body)
            } else {
                data.definitionLevels.withUnsafeBufferPointer { levels in
                    RLEHybridEncoder.append(
                        UnsafeBufferPointer(rebasing: levels[page.rows]), bitWidth: 1, to: &body)
                }
            }
            let length = UInt32(body.count - prefixAt - 4)
            for i in 0..<4 { body[prefixAt + i] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(i))) }
        }
        if let dictionary {
            body.append(UInt8(bitWidth))
            dictionary.indices.withUnsafeBufferPointer { indices in
                RLEHybridEncoder.append(
                    UnsafeBufferPointer(rebasing: indices[page.values]), bitWidth: bitWidth, to: &body)
            }
        } else {
            PlainEncoder.encode(data, page.values, into: &body)
        }
    }
}
