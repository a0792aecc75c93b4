import CZlib
import Foundation
import Parquet

/// A Parquet file read back for assertions: raw bytes and the decoded footer.
struct ParsedParquetFile {
    let bytes: [UInt8]
    let footer: ThriftStruct

    init(path: String) throws {
        bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard bytes.count >= 12, Array(bytes[0..<4]) == Array("PAR1".utf8),
            Array(bytes[(bytes.count - 4)...]) == Array("PAR1".utf8)
        else { throw ThriftDecodeError(description: "missing PAR1 magic") }
        let lengthOffset = bytes.count - 8
        var length = 0
        for i in 0..<4 { length |= Int(bytes[lengthOffset + i]) << (8 * i) }
        let footerStart = lengthOffset - length
        var decoder = ThriftCompactDecoder(bytes, at: footerStart)
        footer = try decoder.readStruct()
        guard decoder.position == lengthOffset else {
            throw ThriftDecodeError(description: "footer length does not match its encoding")
        }
    }

    var schema: [ThriftStruct] { footer[2]!.list!.map { $0.structure! } }
    var rowGroups: [ThriftStruct] { footer[4]!.list!.map { $0.structure! } }

    /// `ColumnMetaData` of column `column` in row group `rowGroup`.
    func columnMetaData(_ rowGroup: Int, _ column: Int) -> ThriftStruct {
        rowGroups[rowGroup][1]!.list![column].structure![3]!.structure!
    }

    /// The decoded `Statistics` of one chunk.
    func statistics(_ rowGroup: Int, _ column: Int) -> ThriftStruct {
        columnMetaData(rowGroup, column)[12]!.structure!
    }

    /// A page: decoded header, header size, and the stored (possibly compressed) body.
    struct Page {
        var header: ThriftStruct
        var headerSize: Int
        var storedBody: [UInt8]
    }

    /// Reads every page of a chunk, following `data_page_offset` and `total_compressed_size`.
    func pages(_ rowGroup: Int, _ column: Int) throws -> [Page] {
        let meta = columnMetaData(rowGroup, column)
        var offset = Int(meta[9]!.i64!)
        let end = offset + Int(meta[7]!.i64!)
        var pages: [Page] = []
        while offset < end {
            var decoder = ThriftCompactDecoder(bytes, at: offset)
            let header = try decoder.readStruct()
            let bodyStart = decoder.position
            let bodyEnd = bodyStart + Int(header[3]!.i32!)
            pages.append(
                Page(
                    header: header, headerSize: bodyStart - offset,
                    storedBody: Array(bytes[bodyStart..<bodyEnd])))
            offset = bodyEnd
        }
        return pages
    }

    /// The uncompressed body of each page of a chunk.
    func pageBodies(_ rowGroup: Int, _ column: Int) throws -> [[UInt8]] {
        let codec = columnMetaData(rowGroup, column)[4]!.i32!
        return try pages(rowGroup, column).map { page in
            codec == 2 ? try gunzip(page.storedBody) : page.storedBody
        }
    }
}

/// A unique path in the temporary directory; the file is removed by `removeFile`.
func temporaryParquetPath(_ name: String = #function) -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    return FileManager.default.temporaryDirectory
        .appendingPathComponent("parquet-test-\(safe)-\(UUID().uuidString).parquet").path
}

func removeFile(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

/// Writes a file with one writer call per row group and returns it parsed.
func writeAndParse(
    _ schema: ParquetSchema, _ rowGroups: [[ParquetColumnValues]],
    options: ParquetWriterOptions = testOptions(), name: String = #function
) throws -> ParsedParquetFile {
    let path = temporaryParquetPath(name)
    defer { removeFile(path) }
    let writer = try ParquetFileWriter(path: path, schema: schema, options: options)
    for group in rowGroups { try writer.writeRowGroup(group) }
    try writer.close()
    return try ParsedParquetFile(path: path)
}

/// Options for tests; dictionary encoding off unless asked for, so page bodies are PLAIN.
func testOptions(
    codec: ParquetCodec = .uncompressed, dictionary: Bool = false, rowGroupSize: Int = 1_048_576,
    dataPageSize: Int = 1 << 20, dataPageRowLimit: Int = 20_000, dictionaryLimit: Int = 1 << 20
) -> ParquetWriterOptions {
    ParquetWriterOptions(
        codec: codec, createdBy: "hotline-etl-tests version 0.0.1 (build test)",
        keyValueMetadata: [.init("etl.test", "yes")], dictionaryEnabled: dictionary,
        dictionaryPageSizeLimit: dictionaryLimit, dataPageSize: dataPageSize,
        dataPageRowLimit: dataPageRowLimit, rowGroupSize: rowGroupSize)
}

/// Decompresses one gzip member with zlib (windowBits 15 + 16: gzip only, so a zlib or raw
/// deflate stream fails).
func gunzip(_ input: [UInt8]) throws -> [UInt8] {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }
    guard hotline_inflate_init2(stream, 15 + 16) == Z_OK else {
        throw ThriftDecodeError(description: "inflateInit2 failed")
    }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    var input = input
    var status: Int32 = Z_OK
    input.withUnsafeMutableBufferPointer { inBuf in
        stream.pointee.next_in = inBuf.baseAddress
        stream.pointee.avail_in = uInt(inBuf.count)
        repeat {
            chunk.withUnsafeMutableBufferPointer { outBuf in
                stream.pointee.next_out = outBuf.baseAddress
                stream.pointee.avail_out = uInt(outBuf.count)
                status = inflate(stream, Z_NO_FLUSH)
                output.append(
                    contentsOf: outBuf[0..<(outBuf.count - Int(stream.pointee.avail_out))])
            }
        } while status == Z_OK
    }
    guard status == Z_STREAM_END, stream.pointee.avail_in == 0 else {
        throw ThriftDecodeError(description: "not a single complete gzip member (status \(status))")
    }
    return output
}

/// Test-only decoder for the RLE / bit-packing hybrid (no length prefix).
func decodeRLEHybrid(_ bytes: [UInt8], bitWidth: Int, count: Int) -> [UInt32] {
    var values: [UInt32] = []
    var pos = 0
    func varint() -> Int {
        var result = 0
        var shift = 0
        while true {
            let b = bytes[pos]
            pos += 1
            result |= Int(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }
    while values.count < count && pos < bytes.count {
        let header = varint()
        if header & 1 == 0 {
            var value: UInt32 = 0
            for i in 0..<((bitWidth + 7) / 8) {
                value |= UInt32(bytes[pos]) << (8 * UInt32(i))
                pos += 1
            }
            values.append(contentsOf: repeatElement(value, count: header >> 1))
        } else {
            let n = (header >> 1) * 8
            var bitPos = 0
            for _ in 0..<n {
                var value: UInt32 = 0
                for b in 0..<bitWidth {
                    let bit = (bytes[pos + (bitPos + b) / 8] >> UInt8((bitPos + b) % 8)) & 1
                    value |= UInt32(bit) << UInt32(b)
                }
                bitPos += bitWidth
                values.append(value)
            }
            pos += (n * bitWidth + 7) / 8
        }
    }
    return Array(values.prefix(count))
}

/// Splits a v1 page body of an OPTIONAL column into definition levels and the PLAIN values.
func splitOptionalPageBody(_ body: [UInt8], rowCount: Int) -> (levels: [UInt32], values: [UInt8]) {
    let length = Int(body[0]) | Int(body[1]) << 8 | Int(body[2]) << 16 | Int(body[3]) << 24
    let levels = decodeRLEHybrid(Array(body[4..<(4 + length)]), bitWidth: 1, count: rowCount)
    return (levels, Array(body[(4 + length)...]))
}

/// Decodes PLAIN BYTE_ARRAY values.
func decodePlainByteArrays(_ bytes: [UInt8]) -> [[UInt8]] {
    var out: [[UInt8]] = []
    var pos = 0
    while pos < bytes.count {
        let n =
            Int(bytes[pos]) | Int(bytes[pos + 1]) << 8 | Int(bytes[pos + 2]) << 16
            | Int(bytes[pos + 3]) << 24
        out.append(Array(bytes[(pos + 4)..<(pos + 4 + n)]))
        pos += 4 + n
    }
    return out
}

/// Decodes PLAIN INT32 values.
func decodePlainInt32(_ bytes: [UInt8]) -> [Int32] {
    stride(from: 0, to: bytes.count, by: 4).map { i in
        Int32(
            bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16
                | UInt32(bytes[i + 3]) << 24)
    }
}

/// Little-endian bytes of an integer.
func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

/// Parses "15 0c 25" style hex.
func hex(_ text: String) -> [UInt8] {
    text.split(separator: " ").map { UInt8($0, radix: 16)! }
}
