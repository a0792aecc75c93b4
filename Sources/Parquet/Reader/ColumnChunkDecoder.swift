/// Decodes the pages (dictionary, data page v1 and v2) of one column chunk (its bytes already read) into a `ParquetColumnBuffer`.
/// Every count and length is checked against the bytes at hand.
struct ColumnChunkDecoder {
    let physicalType: ParquetPhysicalType
    let maxDefinitionLevel: Int
    let codec: ParquetCodec
    let expectedValues: Int

    /// A page may hold at most this many values (pyarrow and parquet-java write at most 20,000).
    static let maxValuesPerPage = 1 << 24

    func decode(_ chunk: [UInt8]) throws(ParquetError) -> ParquetColumnBuffer {
        var out = ParquetColumnBuffer(physicalType)
        var levels: [UInt8] = []
        var dictionary: ParquetColumnBuffer?
        var position = 0
        var pageIndex = 0
        while out.count < expectedValues {
            guard position < chunk.count else {
                throw ParquetError(
                    "the chunk ends after \(out.count) of its \(expectedValues) values (truncated or "
                        + "wrong total_compressed_size)")
            }
            let (header, bodyStart) = try withRawBytes(chunk) { (raw) throws(ParquetError) in
                var reader = ThriftCompactReader(raw, at: position, context: "page header \(pageIndex)")
                let h = try reader.readStruct()
                return (h, reader.position)
            }
            let what = "page \(pageIndex)"
            let type = try header.int32(1, "type", in: what)
            let uncompressedSize = Int(try header.int32(2, "uncompressed_page_size", in: what))
            let compressedSize = Int(try header.int32(3, "compressed_page_size", in: what))
            guard compressedSize >= 0, compressedSize <= chunk.count - bodyStart else {
                throw ParquetError(
                    "\(what) states \(compressedSize) stored bytes but the chunk has \(chunk.count - bodyStart) "
                        + "left (truncated or corrupt)")
            }
            let bodyRange = bodyStart..<(bodyStart + compressedSize)
            position = bodyRange.upperBound
            pageIndex += 1
            switch type {
            case 2:  // DICTIONARY_PAGE
                guard dictionary == nil, out.count == 0 else {
                    throw ParquetError("\(what) is a second dictionary page or follows data pages")
                }
                guard let dh = header.optionalStruct(7) else {
                    throw ParquetError("\(what) is a dictionary page without its DictionaryPageHeader")
                }
                let entries = Int(try dh.int32(1, "num_values", in: "the dictionary page header"))
                let encoding = dh.optionalInt(2) ?? 0
                guard encoding == 0 || encoding == 2 else {
                    throw ParquetError("the dictionary page uses encoding \(encoding); only PLAIN is defined")
                }
                guard entries >= 0 else { throw ParquetError("the dictionary page states \(entries) entries") }
                let body = try decompress(chunk, bodyRange, uncompressedSize)
                var dict = ParquetColumnBuffer(physicalType)
                var cursor = ByteCursor(body, context: "the dictionary page")
                try cursor.plain(physicalType, count: entries, into: &dict)
                dictionary = dict
            case 0, 3:  // DATA_PAGE, DATA_PAGE_V2
                let v2 = type == 3
                guard let dh = header.optionalStruct(v2 ? 8 : 5) else {
                    throw ParquetError("\(what) is a data page without its \(v2 ? "DataPageHeaderV2" : "DataPageHeader")")
                }
                let pageWhat = "the data page header of \(what)"
                let count = Int(try dh.int32(1, "num_values", in: pageWhat))
                let encoding = try dh.int32(v2 ? 4 : 2, "encoding", in: pageWhat)
                guard count >= 0, count <= Self.maxValuesPerPage, count <= expectedValues - out.count else {
                    throw ParquetError(
                        "\(what) states \(count) values; the chunk has \(expectedValues - out.count) left")
                }
                var body: [UInt8]
                var levelBytes = ArraySlice<UInt8>()
                var cursor: ByteCursor
                if v2 {
                    // Levels come first, uncompressed and without length prefixes; only the values
                    // are compressed (unless is_compressed is false).
                    let defLength = Int(try dh.int32(5, "definition_levels_byte_length", in: pageWhat))
                    let repLength = Int(try dh.int32(6, "repetition_levels_byte_length", in: pageWhat))
                    guard defLength >= 0, repLength >= 0, repLength + defLength <= compressedSize,
                        repLength + defLength <= uncompressedSize
                    else {
                        throw ParquetError("\(what) states level sizes (\(repLength), \(defLength)) that do not fit the page")
                    }
                    // A REQUIRED flat column has no definition levels.
                    guard defLength == 0 || maxDefinitionLevel > 0 else {
                        throw ParquetError(
                            "\(what) is corrupt: it states \(defLength) bytes of definition levels for a "
                                + "REQUIRED column")
                    }
                    let levelsEnd = bodyRange.lowerBound + repLength + defLength
                    levelBytes = chunk[(bodyRange.lowerBound + repLength)..<levelsEnd]
                    let valuesRange = levelsEnd..<bodyRange.upperBound
                    if dh.optionalBool(7) ?? true {
                        body = try decompress(chunk, valuesRange, uncompressedSize - repLength - defLength)
                    } else {
                        body = Array(chunk[valuesRange])
                    }
                    cursor = ByteCursor(body, context: what)
                } else {
                    body = try decompress(chunk, bodyRange, uncompressedSize)
                    cursor = ByteCursor(body, context: what)
                }
                var present = count
                if maxDefinitionLevel > 0 {
                    if !v2 {
                        let levelEncoding = dh.optionalInt(3) ?? 3
                        guard levelEncoding == 3 else {
                            throw ParquetError(
                                "\(what) encodes definition levels as "
                                    + "\(ParquetColumnChunkMetadata.encodingName(Int32(clamping: levelEncoding))); "
                                    + "this reader supports RLE levels only")
                        }
                        let length = Int(try cursor.u32())
                        levelBytes = try cursor.take(length)
                    }
                    let bitWidth = 64 - UInt64(maxDefinitionLevel).leadingZeroBitCount
                    let start = levels.count
                    try RLEHybridDecoder.decode(
                        levelBytes, bitWidth: bitWidth, count: count, into: &levels,
                        context: "the definition levels of \(what)")
                    present = 0
                    for i in start..<levels.count {
                        let l = levels[i]
                        guard l <= maxDefinitionLevel else {
                            throw ParquetError("\(what) has definition level \(l) above the maximum \(maxDefinitionLevel)")
                        }
                        if Int(l) == maxDefinitionLevel {
                            levels[i] = 1
                            present += 1
                        } else {
                            levels[i] = 0
                        }
                    }
                }
                try decodeValues(
                    encoding: encoding, count: present, cursor: &cursor, dictionary: dictionary,
                    into: &out, what: what)
                out.count += count - present
                out.nullCount += count - present
            case 1:
                continue  // index page: nothing to decode
            default:
                throw ParquetError("\(what) has unknown page type \(type)")
            }
        }
        if maxDefinitionLevel > 0 && out.nullCount > 0 { out.definitionLevels = levels }
        return out
    }

    private func decompress(
        _ chunk: [UInt8], _ range: Range<Int>, _ size: Int
    ) throws(ParquetError) -> [UInt8] {
        var result: Result<[UInt8], ParquetError> = .success([])
        chunk.withUnsafeBytes { raw in
            do throws(ParquetError) {
                result = .success(
                    try PageDecompressor.decompress(
                        UnsafeRawBufferPointer(rebasing: raw[range]), codec: codec,
                        uncompressedSize: size))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    /// Appends `count` non-null values to `out` (whose `count` grows by `count`).
    private func decodeValues(
        encoding: Int32, count: Int, cursor: inout ByteCursor, dictionary: ParquetColumnBuffer?,
        into out: inout ParquetColumnBuffer, what: String
    ) throws(ParquetError) {
        switch encoding {
        case 0:  // PLAIN
            try cursor.plain(physicalType, count: count, into: &out)
        case 2, 8:  // PLAIN_DICTIONARY, RLE_DICTIONARY
            guard let dictionary else {
                throw ParquetError("\(what) is dictionary encoded but the chunk has no dictionary page")
            }
            let bitWidth = Int(try cursor.u8())
            let entries = dictionary.valueCount
            guard bitWidth <= 32 else { throw ParquetError("\(what) has dictionary index bit width \(bitWidth)") }
            guard bitWidth > 0 || entries <= 1 else {
                throw ParquetError(
                    "\(what) has dictionary index bit width 0, which cannot address its \(entries) entries")
            }
            var indices: [UInt32] = []
            let rest = cursor.rest()
            let used = try RLEHybridDecoder.decode(
                rest, bitWidth: bitWidth, count: count, into: &indices,
                context: "the dictionary indices of \(what)")
            // The indices end the page; bytes after them mean a corrupt run header (ARROW-GH-43605).
            guard used == rest.count || count == 0 else {
                throw ParquetError(
                    "\(what) has \(rest.count - used) unexpected bytes after its \(count) dictionary indices")
            }
            for i in indices where Int(i) >= entries {
                throw ParquetError("\(what) refers to dictionary entry \(i) but the dictionary has \(entries)")
            }
            out.appendDictionaryValues(dictionary, indices)
        case 3 where physicalType == .boolean:  // RLE booleans: 4-byte length, then bit width 1
            let length = Int(try cursor.u32())
            let bytes = try cursor.take(length)
            var bits: [UInt8] = []
            try RLEHybridDecoder.decode(bytes, bitWidth: 1, count: count, into: &bits, context: "the RLE booleans of \(what)")
            for b in bits { out.booleans.append(b != 0) }
            out.count += count
        default:
            throw ParquetError(
                "\(what) uses encoding \(ParquetColumnChunkMetadata.encodingName(encoding)), which this "
                    + "reader does not support (out of scope: it reads PLAIN, dictionary and RLE)")
        }
    }
}

extension ParquetColumnBuffer {
    /// Appends dictionary entries `indices` (already checked to be in range).
    mutating func appendDictionaryValues(_ dictionary: ParquetColumnBuffer, _ indices: [UInt32]) {
        switch physicalType {
        case .boolean: for i in indices { booleans.append(dictionary.booleans[Int(i)]) }
        case .int32: for i in indices { int32s.append(dictionary.int32s[Int(i)]) }
        case .int64: for i in indices { int64s.append(dictionary.int64s[Int(i)]) }
        case .float: for i in indices { floats.append(dictionary.floats[Int(i)]) }
        case .double: for i in indices { doubles.append(dictionary.doubles[Int(i)]) }
        case .byteArray:
            offsets.reserveCapacity(offsets.count + indices.count)
            for i in indices {
                bytes.append(contentsOf: dictionary.byteValue(Int(i)))
                offsets.append(bytes.count)
            }
        }
        count += indices.count
    }
}

/// A bounds-checked reader over a page body.
struct ByteCursor {
    let bytes: [UInt8]
    var position = 0
    let context: String

    init(_ bytes: [UInt8], context: String) {
        self.bytes = bytes
        self.context = context
    }

    private func short(_ need: Int) -> ParquetError {
        ParquetError(
            "\(context) is truncated or corrupt: it needs \(need) more bytes at offset \(position) "
                + "but has \(bytes.count - position)")
    }

    mutating func u8() throws(ParquetError) -> UInt8 {
        guard position < bytes.count else { throw short(1) }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u32() throws(ParquetError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw short(4) }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
        position += 4
        return v
    }

    mutating func take(_ n: Int) throws(ParquetError) -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - position else { throw short(n) }
        defer { position += n }
        return bytes[position..<(position + n)]
    }

    func rest() -> ArraySlice<UInt8> { bytes[position...] }

    /// Appends `count` PLAIN values of `type` to `out`.
    mutating func plain(
        _ type: ParquetPhysicalType, count: Int, into out: inout ParquetColumnBuffer
    ) throws(ParquetError) {
        func fixed<T>(_ array: inout [T], width: Int) throws(ParquetError) {
            let (total, overflow) = count.multipliedReportingOverflow(by: width)
            guard !overflow, total <= bytes.count - position else { throw short(overflow ? Int.max : total) }
            let start = position
            bytes.withUnsafeBytes { raw in
                let base = raw.baseAddress! + start
                array.reserveCapacity(array.count + count)
                for i in 0..<count { array.append(base.loadUnaligned(fromByteOffset: i * width, as: T.self)) }
            }
            position += total
        }
        switch type {
        case .boolean:
            let need = (count + 7) / 8
            guard need <= bytes.count - position else { throw short(need) }
            out.booleans.reserveCapacity(out.booleans.count + count)
            for i in 0..<count { out.booleans.append(bytes[position + i / 8] >> UInt8(i % 8) & 1 == 1) }
            position += need
        case .int32: try fixed(&out.int32s, width: 4)
        case .int64: try fixed(&out.int64s, width: 8)
        case .float: try fixed(&out.floats, width: 4)
        case .double: try fixed(&out.doubles, width: 8)
        case .byteArray:
            guard count <= (bytes.count - position) / 4 else { throw short(count * 4) }
            out.offsets.reserveCapacity(out.offsets.count + count)
            for _ in 0..<count {
                let n = Int(try u32())
                let value = try take(n)
                out.bytes.append(contentsOf: value)
                out.offsets.append(out.bytes.count)
            }
        }
        out.count += count
    }
}

/// Decodes the RLE / bit-packing hybrid from untrusted bytes (no length prefix).
enum RLEHybridDecoder {
    /// Decodes `count` values; returns the number of bytes consumed.
    @discardableResult
    static func decode<T: FixedWidthInteger & UnsignedInteger>(
        _ bytes: ArraySlice<UInt8>, bitWidth: Int, count: Int, into out: inout [T], context: String
    ) throws(ParquetError) -> Int {
        guard bitWidth >= 0, bitWidth <= T.bitWidth else {
            throw ParquetError("\(context) has bit width \(bitWidth)")
        }
        let target = out.count + count
        out.reserveCapacity(target)
        var pos = bytes.startIndex
        let end = bytes.endIndex
        let valueBytes = (bitWidth + 7) / 8
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
        while out.count < target {
            // Run header (ULEB128).
            var header: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard pos < end else {
                    throw ParquetError(
                        "\(context) end after \(out.count - (target - count)) of \(count) values")
                }
                let b = bytes[pos]
                pos += 1
                guard shift < 35 else { throw ParquetError("\(context) have an overlong run header") }
                header |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { break }
                shift += 7
            }
            if header & 1 == 0 {
                let run = Int(header >> 1)
                guard end - pos >= valueBytes else { throw ParquetError("\(context) have a truncated RLE run") }
                var value: UInt64 = 0
                for i in 0..<valueBytes { value |= UInt64(bytes[pos + i]) << (8 * UInt64(i)) }
                pos += valueBytes
                guard value <= mask else {
                    throw ParquetError("\(context) have a run value \(value) wider than \(bitWidth) bits")
                }
                let n = Swift.min(run, target - out.count)
                out.append(contentsOf: repeatElement(T(truncatingIfNeeded: value), count: n))
            } else {
                let groups = Int(header >> 1)
                let values = Swift.min(groups * 8, target - out.count)
                let available = end - pos
                let needBits = values * bitWidth
                guard (needBits + 7) / 8 <= available else {
                    throw ParquetError("\(context) have a truncated bit-packed run")
                }
                var bitPos = 0
                for _ in 0..<values {
                    var v: UInt64 = 0
                    var got = 0
                    while got < bitWidth {
                        let byte = UInt64(bytes[pos + (bitPos >> 3)])
                        let offset = bitPos & 7
                        let take = Swift.min(8 - offset, bitWidth - got)
                        v |= ((byte >> UInt64(offset)) & ((1 << UInt64(take)) - 1)) << UInt64(got)
                        got += take
                        bitPos += take
                    }
                    out.append(T(truncatingIfNeeded: v))
                }
                // Skip the whole run (padding included) when it is all there.
                let runBytes = groups * bitWidth
                pos += Swift.min(runBytes, available)
            }
        }
        return pos - bytes.startIndex
    }
}
