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

    init() throws(ParquetError) {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = hotline_deflate_init2(stream, Self.level, Self.windowBits)
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
        guard input.count <= Int(UInt32.max / 2) else {
            throw ParquetError(
                "page of \(input.count) bytes is too large to gzip; write smaller row groups")
        }
        guard deflateReset(stream) == Z_OK else {
            throw ParquetError("zlib deflateReset failed; this is a bug in the Parquet writer")
        }
        let bound = Int(deflateBound(stream, uLong(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        var status: Int32 = Z_OK
        var produced = 0
        input.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.pointee.avail_in = uInt(inBuf.count)
                stream.pointee.next_out = outBuf.baseAddress
                stream.pointee.avail_out = uInt(outBuf.count)
                status = deflate(stream, Z_FINISH)
                produced = outBuf.count - Int(stream.pointee.avail_out)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
            }
        }
        guard status == Z_STREAM_END else {
            throw ParquetError(
                "zlib deflate did not finish (status \(status)); this is a bug in the Parquet writer"
            )
        }
        output.removeSubrange(produced...)
        return output
    }
}
