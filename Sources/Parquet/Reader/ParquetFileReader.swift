#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a Parquet file with a flat schema: the footer at open, then column chunks on demand,
/// each read as one bounded byte range.
///
/// Reads what `ParquetFileWriter` writes and what pyarrow writes with the same features: v1 (and
/// v2) data pages, PLAIN, PLAIN_DICTIONARY/RLE_DICTIONARY, RLE levels and RLE booleans, UNCOMPRESSED,
/// SNAPPY, GZIP (also several members) and ZSTD. Every offset, length and count from the file is
/// checked before it is used, so corrupt or truncated input is a `ParquetError` with a message,
/// never a crash. Out-of-scope features (INT96, FIXED_LEN_BYTE_ARRAY, nested columns, DELTA
/// and BYTE_STREAM_SPLIT encodings, other codecs) are refused with a message saying so.
///
/// Not thread-safe; use one reader from one task.
public final class ParquetFileReader {
    public let path: String
    public let fileSize: Int
    public let metadata: ParquetFileMetadata
    private let source: Source
    /// Where the footer starts: column chunks must end before it.
    private let footerStart: Int

    private enum Source {
        case file(Int32)
        case memory([UInt8])
    }

    /// Opens the file at `path` and reads its footer.
    public convenience init(path: String) throws(ParquetError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ParquetError(
                "cannot open Parquet file '\(path)': \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            _ = close(fd)
            throw ParquetError("cannot stat Parquet file '\(path)': \(String(cString: strerror(errno)))")
        }
        do {
            try self.init(path: path, source: .file(fd), size: Int(info.st_size))
        } catch {
            _ = close(fd)
            throw error
        }
    }

    /// Reads a Parquet file held in memory (`name` is used in messages).
    public convenience init(bytes: [UInt8], name: String = "<memory>") throws(ParquetError) {
        try self.init(path: name, source: .memory(bytes), size: bytes.count)
    }

    private init(path: String, source: Source, size: Int) throws(ParquetError) {
        self.path = path
        self.source = source
        self.fileSize = size
        let where_ = "'\(path)'"
        guard size >= 12 else {
            throw ParquetError(
                "\(where_) is not a Parquet file: it has \(size) bytes, fewer than the 12 of an empty one")
        }
        let head = try Self.read(source, path: path, offset: 0, count: 4)
        let tail = try Self.read(source, path: path, offset: size - 8, count: 8)
        if Array(tail[4..<8]) == Array("PARE".utf8) {
            throw ParquetError("\(where_) is an encrypted Parquet file (PARE); encryption is not supported")
        }
        guard head == Array("PAR1".utf8) else {
            throw ParquetError("\(where_) is not a Parquet file: it does not start with the magic bytes PAR1")
        }
        guard Array(tail[4..<8]) == Array("PAR1".utf8) else {
            throw ParquetError(
                "\(where_) is not a complete Parquet file: it does not end with the magic bytes PAR1 "
                    + "(truncated?)")
        }
        let footerLength = Int(tail[0]) | Int(tail[1]) << 8 | Int(tail[2]) << 16 | Int(tail[3]) << 24
        guard footerLength > 0, footerLength <= size - 12 else {
            throw ParquetError(
                "\(where_) is corrupt: its footer length \(footerLength) does not fit in the file's "
                    + "\(size) bytes (truncated?)")
        }
        footerStart = size - 8 - footerLength
        let footer = try Self.read(source, path: path, offset: footerStart, count: footerLength)
        let decoded = try withRawBytes(footer) { (raw) throws(ParquetError) -> ThriftFields in
            var reader = ThriftCompactReader(raw, context: "the footer of \(where_)")
            return try reader.readStruct()
        }
        do {
            metadata = try ParquetFileMetadata(decoding: decoded)
        } catch {
            throw ParquetError("\(where_) has a corrupt footer: \(error.message)")
        }
    }

    deinit {
        if case .file(let fd) = source { _ = close(fd) }
    }

    private static func read(
        _ source: Source, path: String, offset: Int, count: Int
    ) throws(ParquetError) -> [UInt8] {
        switch source {
        case .memory(let bytes):
            guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
                throw ParquetError("'\(path)': a read of \(count) bytes at \(offset) is past the end")
            }
            return Array(bytes[offset..<(offset + count)])
        case .file(let fd):
            var failure: String?
            let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                var done = 0
                while done < count {
                    let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = String(cString: strerror(errno))
                        break
                    }
                    if n == 0 {
                        failure = "the file ended early (changed while reading?)"
                        break
                    }
                    done += n
                }
                initialized = failure == nil ? count : 0
            }
            if let failure {
                throw ParquetError("reading \(count) bytes at \(offset) of '\(path)' failed: \(failure)")
            }
            return bytes
        }
    }

    // MARK: Values

    /// The values of column `column` in row group `rowGroup`, with nulls.
    public func readColumn(rowGroup: Int, column: Int) throws(ParquetError) -> ParquetColumnValues {
        try readColumnBuffer(rowGroup: rowGroup, column: column).values
    }

    /// Every column of row group `rowGroup`, in schema order.
    public func readRowGroup(_ rowGroup: Int) throws(ParquetError) -> [ParquetColumnValues] {
        var out: [ParquetColumnValues] = []
        for c in metadata.columns.indices { out.append(try readColumn(rowGroup: rowGroup, column: c)) }
        return out
    }

    /// The values of one column chunk in the contiguous form the writer uses.
    public func readColumnBuffer(rowGroup: Int, column: Int) throws(ParquetError) -> ParquetColumnBuffer {
        guard metadata.rowGroups.indices.contains(rowGroup) else {
            throw ParquetError(
                "'\(path)' has \(metadata.rowGroups.count) row groups; there is no row group \(rowGroup)")
        }
        guard metadata.columns.indices.contains(column) else {
            throw ParquetError("'\(path)' has \(metadata.columns.count) columns; there is no column \(column)")
        }
        let descriptor = metadata.columns[column]
        let group = metadata.rowGroups[rowGroup]
        let chunk = group.columns[column]
        let what = "column '\(descriptor.name)' of row group \(rowGroup) in '\(path)'"
        if let reason = descriptor.unsupportedReason { throw ParquetError("\(reason) (\(what))") }
        guard let physicalType = descriptor.physicalType else {
            throw ParquetError("\(what) has an unsupported physical type")
        }
        guard chunk.physicalTypeCode == descriptor.physicalTypeCode else {
            throw ParquetError(
                "\(what) is corrupt: its chunk says type \(chunk.physicalTypeCode), the schema "
                    + "\(descriptor.physicalTypeCode)")
        }
        guard let codec = chunk.codec else {
            throw ParquetError(
                "\(what) is compressed with \(chunk.codecName), which this reader does not support "
                    + "(it reads UNCOMPRESSED, SNAPPY, GZIP and ZSTD)")
        }
        guard chunk.numValues == group.numRows else {
            throw ParquetError(
                "\(what) is corrupt: the chunk holds \(chunk.numValues) values but the row group "
                    + "\(group.numRows) rows")
        }
        // The chunk's byte range: from the dictionary page if there is one (Arrow's rule: only a
        // positive dictionary offset before the data offset counts), for total_compressed_size.
        var start = chunk.dataPageOffset
        if let dict = chunk.dictionaryPageOffset, dict > 0, dict < start { start = dict }
        let length = chunk.totalCompressedSize
        guard start >= 4, length > 0, start <= Int64(footerStart), length <= Int64(footerStart) - start else {
            throw ParquetError(
                "\(what) is corrupt: its byte range (offset \(start), \(length) bytes) is not inside "
                    + "the file's data (4..<\(footerStart))")
        }
        let bytes = try Self.read(source, path: path, offset: Int(start), count: Int(length))
        do {
            return try ColumnChunkDecoder(
                physicalType: physicalType, maxDefinitionLevel: descriptor.maxDefinitionLevel,
                codec: codec, expectedValues: Int(chunk.numValues)
            ).decode(bytes)
        } catch {
            throw ParquetError("\(what): \(error.message)")
        }
    }
}
