#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A stream of bytes read in chunks: a file, or a decompressor wrapping another source.
/// Extractors read from one of these and never hold a whole file.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes into the start of `buffer`; returns how many were read,
    /// 0 only at the end of the stream.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ExtractError) -> Int
    /// Bytes consumed from the underlying file so far (compressed bytes for a decompressor).
    var consumedInputBytes: Int { get }
}

/// Reads a file with buffered POSIX reads.
public final class FileByteSource: ByteSource {
    private let descriptor: Int32
    private let displayName: String
    public private(set) var consumedInputBytes = 0

    /// Opens `path` for reading; `displayName` is used in error messages.
    public init(path: String, displayName: String) throws(ExtractError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ExtractError(
                .io, file: displayName,
                message: "cannot open the file: \(String(cString: strerror(errno))). Check that it exists and is readable.")
        }
        self.descriptor = fd
        self.displayName = displayName
    }

    deinit { close(descriptor) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ExtractError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = Glibc.read(descriptor, base, buffer.count)
            if count >= 0 {
                consumedInputBytes += count
                return count
            }
            if errno == EINTR { continue }
            throw ExtractError(
                .io, file: displayName, byteOffset: consumedInputBytes,
                message: "read failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// Serves bytes from memory; for tests and for small inline documents.
public struct MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0
    public var consumedInputBytes: Int { position }

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ExtractError) -> Int {
        let count = min(buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + position, byteCount: count)
        }
        position += count
        return count
    }
}
