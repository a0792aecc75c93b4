import CZlib

/// Decompresses a gzip file (RFC 1952, one or more members) while it is read, in 64 KiB chunks.
///
/// Input that is not gzip, a corrupt or truncated stream, and output beyond the limits
/// (`maxDecompressedBytes`, or `maxCompressionRatio` once more than 1 MiB came out) are
/// `ExtractError`s: nothing is passed through unchecked.
public final class GzipByteSource: ByteSource {
    private static let chunkSize = 64 * 1024
    private static let ratioCheckThreshold = 1 << 20

    private var source: any ByteSource
    private let displayName: String
    private let limits: ExtractLimits
    /// Heap-allocated: zlib keeps a pointer back to the stream, which must not move.
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutablePointer<UInt8>
    /// Compressed bytes read from `source` so far.
    private var compressedRead = 0
    private var sourceEnded = false
    /// True after `Z_STREAM_END` until the next member begins.
    private var betweenMembers = false
    private var finished = false
    /// Decompressed bytes handed out so far.
    public private(set) var decompressedBytes = 0

    /// Compressed bytes read from the underlying file so far.
    public var consumedInputBytes: Int { compressedRead }

    /// Starts decompressing `source`; fails at once when it does not start like a gzip file.
    public init(wrapping source: any ByteSource, displayName: String, limits: ExtractLimits) throws(ExtractError) {
        self.source = source
        self.displayName = displayName
        self.limits = limits
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = .allocate(capacity: Self.chunkSize)
        guard hotline_inflate_init2(stream, 15 + 16) == Z_OK else {
            // deinit frees the memory (inflateEnd ignores a stream whose init failed).
            throw ExtractError(
                .compression, file: displayName, message: "cannot start the gzip decompressor (out of memory)")
        }
        var count = 0
        while count < 2 {
            let read = try self.source.read(
                into: UnsafeMutableRawBufferPointer(start: input + count, count: Self.chunkSize - count))
            if read == 0 {
                sourceEnded = true
                break
            }
            count += read
        }
        compressedRead = count
        stream.pointee.next_in = input
        stream.pointee.avail_in = UInt32(count)
        if count < 2 || input[0] != 0x1F || input[1] != 0x8B {
            let start = (0..<min(count, 4)).map { ByteFormat.hex(input[$0], digits: 2).dropFirst(2) }.joined(
                separator: " ")
            throw ExtractError(
                .compression, file: displayName,
                message: count == 0
                    ? "the file is empty, but its name says it is gzip-compressed; ask the member to send it again"
                    : "the file is not gzip-compressed (it starts with the bytes \(start), not 1F 8B); "
                        + "send it uncompressed without the .gz extension, or compress it with gzip")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ExtractError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0, !finished else { return 0 }
        // Never produce more than one byte beyond the size limit.
        let room = min(buffer.count, max(1, limits.maxDecompressedBytes - decompressedBytes + 1))
        stream.pointee.next_out = base.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(min(room, Int(UInt32.max)))
        let capacity = Int(stream.pointee.avail_out)
        while Int(stream.pointee.avail_out) == capacity {
            if stream.pointee.avail_in == 0 && !sourceEnded { _ = try fill() }
            if stream.pointee.avail_in == 0 && sourceEnded {
                if betweenMembers {
                    finished = true
                    return 0
                }
                throw ExtractError(
                    .compression, file: displayName,
                    message: "the gzip stream is truncated at compressed byte \(compressedRead): the file was "
                        + "cut off during transfer; ask the member to send it again")
            }
            if betweenMembers {
                inflateReset(stream)
                betweenMembers = false
            }
            switch inflate(stream, Z_NO_FLUSH) {
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                continue
            case Z_STREAM_END:
                betweenMembers = true
            case Z_MEM_ERROR:
                throw ExtractError(.compression, file: displayName, message: "the gzip decompressor ran out of memory")
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "invalid data"
                throw ExtractError(
                    .compression, file: displayName,
                    message: "the gzip stream is corrupt at compressed byte \(compressedOffset) (\(reason)): "
                        + "the file was damaged; ask the member to send it again")
            }
        }
        let produced = capacity - Int(stream.pointee.avail_out)
        decompressedBytes += produced
        try checkLimits()
        return produced
    }

    /// Compressed bytes inflate has consumed.
    private var compressedOffset: Int { compressedRead - Int(stream.pointee.avail_in) }

    private func checkLimits() throws(ExtractError) {
        if decompressedBytes > limits.maxDecompressedBytes {
            throw ExtractError(
                .limitExceeded, file: displayName,
                message: "the decompressed file is larger than the limit of \(limits.maxDecompressedBytes) bytes "
                    + "(maxDecompressedBytes) at compressed byte \(compressedOffset); if the file is genuine, raise "
                    + "maxDecompressedBytes in the extract limits")
        }
        if decompressedBytes > Self.ratioCheckThreshold
            && decompressedBytes / max(1, compressedOffset) > limits.maxCompressionRatio
        {
            throw ExtractError(
                .limitExceeded, file: displayName,
                message: "the file expands more than \(limits.maxCompressionRatio) times when decompressed "
                    + "(maxCompressionRatio): \(decompressedBytes) bytes out of the first \(compressedOffset) "
                    + "compressed bytes (stopped at compressed byte \(compressedOffset)), as a gzip bomb does; if the "
                    + "file is genuine, raise maxCompressionRatio in the extract limits")
        }
    }

    /// Reads the next compressed chunk into `input`; returns its size (0 at the end of the file).
    private func fill() throws(ExtractError) -> Int {
        let count = try source.read(into: UnsafeMutableRawBufferPointer(start: input, count: Self.chunkSize))
        if count == 0 { sourceEnded = true }
        compressedRead += count
        stream.pointee.next_in = input
        stream.pointee.avail_in = UInt32(count)
        return count
    }
}
