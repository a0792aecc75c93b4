import CZlib

/// Compresses page bodies as RFC 1952 gzip streams (one member per call) with zlib, level 6.
///
/// Parquet's GZIP codec must be real gzip, not zlib or raw deflate (Compression.md). The zlib
/// stream is heap-allocated because zlib keeps a pointer back to it in its internal state.
final class GzipCompressor {
    private let stream: UnsafeMutablePointer<z_stream>

    /// zlib's default-ish level; a good size/speed balance for a batch job.
    static let level: Int32 = 6
    /// 15-bit window + 16 selects the gzip wrapper.
    static let windowBits: Int32 = 15 + 16

    init(level: Int32 = GzipCompressor.level) throws(ParquetError) {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = hotline_deflate_init2(stream, level, Self.windowBits)
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ParquetError(
                "zlib deflateInit2 failed with status \(status); the zlib library (zlib1g) may be "
                    + "missing or incompatible")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Returns `input` as one complete gzip member.
    func compress(_ input: [UInt8]) throws(ParquetError) -> [UInt8] {
        var output: [UInt8] = []
        var failure: ParquetError?
        input.withUnsafeBytes { raw in
            do throws(ParquetError) { try compress(raw, into: &output) } catch { failure = error }
        }
        if let failure { throw failure }
        return output
    }

    /// Compresses `input` into `output` (replacing its contents) as one gzip member.
    func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(ParquetError) {
        guard input.count <= Int(UInt32.max / 2) else {
            throw ParquetError(
                "page of \(input.count) bytes is too large to gzip; write smaller row groups")
        }
        guard deflateReset(stream) == Z_OK else {
            throw ParquetError("zlib deflateReset failed; this is a bug in the Parquet writer")
        }
        let bound = Int(deflateBound(stream, uLong(input.count)))
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        var status: Int32 = Z_OK
        var produced = 0
        output.withUnsafeMutableBufferPointer { outBuf in
            stream.pointee.next_in = UnsafeMutablePointer(
                mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = outBuf.baseAddress
            stream.pointee.avail_out = uInt(outBuf.count)
            status = deflate(stream, Z_FINISH)
            produced = outBuf.count - Int(stream.pointee.avail_out)
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }
        guard status == Z_STREAM_END else {
            throw ParquetError(
                "zlib deflate did not finish (status \(status)); this is a bug in the Parquet writer"
            )
        }
        output.removeSubrange(produced...)
    }
}

/// Decompresses a GZIP page body: one or more concatenated gzip members (as
/// `concatenated_gzip_members.parquet` has), which together must give exactly the stated size.
enum GzipDecompressor {
    static func decompress(
        _ input: UnsafeRawBufferPointer, expectedSize: Int
    ) throws(ParquetError) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        // 15 + 32: gzip or zlib wrapper, detected from the header (as Arrow accepts both).
        guard hotline_inflate_init2(stream, 15 + 32) == Z_OK else {
            throw ParquetError("zlib inflateInit2 failed; the zlib library may be missing")
        }
        var failure: String?
        let output = [UInt8](unsafeUninitializedCapacity: expectedSize) { out, initialized in
            stream.pointee.next_in = UnsafeMutablePointer(
                mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = out.baseAddress
            stream.pointee.avail_out = uInt(expectedSize)
            while true {
                let status = inflate(stream, Z_FINISH)
                if status == Z_STREAM_END {
                    if stream.pointee.avail_in == 0 { break }
                    // Another member follows.
                    guard inflateReset(stream) == Z_OK else {
                        failure = "zlib could not start the next member"
                        return
                    }
                    continue
                }
                if status == Z_BUF_ERROR && stream.pointee.avail_out == 0 {
                    failure = "it holds more than the \(expectedSize) bytes the page header states"
                } else if status == Z_BUF_ERROR || status == Z_OK {
                    failure = "the stream is truncated"
                } else {
                    let message = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                    failure = message
                }
                return
            }
            let produced = expectedSize - Int(stream.pointee.avail_out)
            guard produced == expectedSize else {
                failure = "it holds \(produced) bytes, not the \(expectedSize) the page header states"
                return
            }
            initialized = produced
        }
        if let failure { throw ParquetError("bad GZIP data: \(failure)") }
        return output
    }
}
