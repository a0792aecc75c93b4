import FileWriteback

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An append-only file written through a fixed-size buffer with POSIX `open`/`write`.
/// Tracks the absolute position so page offsets can be recorded. Its write-out to disk starts
/// as it grows (`WritebackPacer`), so an fsync after closing it waits only for the last stretch.
final class BufferedFileOutput {
    let path: String
    /// Bytes written so far (buffered or not): the offset of the next byte.
    private(set) var position: Int64 = 0
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int
    private var pacer = WritebackPacer()

    /// Creates (or truncates) the file at `path`.
    init(path: String, bufferCapacity: Int = 1 << 20) throws(ParquetError) {
        self.path = path
        self.capacity = bufferCapacity
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ParquetError(
                "cannot create Parquet file '\(path)': \(Self.errnoDescription()); check that the "
                    + "directory exists and is writable")
        }
        buffer.reserveCapacity(bufferCapacity)
    }

    deinit {
        if descriptor >= 0 { _ = posixClose(descriptor) }
    }

    var isOpen: Bool { descriptor >= 0 }

    /// How much of the file its write-out has been asked for, from its start (tests read it).
    var writebackRequested: Int { pacer.requested }

    func write(_ bytes: [UInt8]) throws(ParquetError) {
        if buffer.count + bytes.count > capacity {
            try flush()
            if bytes.count >= capacity {
                try writeAll(bytes)
                position += Int64(bytes.count)
                return
            }
        }
        buffer.append(contentsOf: bytes)
        position += Int64(bytes.count)
    }

    /// Writes buffered bytes to the file.
    func flush() throws(ParquetError) {
        guard !buffer.isEmpty else { return }
        try writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file.
    func close() throws(ParquetError) {
        guard descriptor >= 0 else { return }
        defer { descriptor = -1 }
        do {
            try flush()
        } catch {
            _ = posixClose(descriptor)
            throw error
        }
        if posixClose(descriptor) != 0 {
            throw ParquetError(
                "closing Parquet file '\(path)' failed: \(Self.errnoDescription()); the file may be "
                    + "incomplete, check free disk space")
        }
    }

    private func writeAll(_ bytes: [UInt8]) throws(ParquetError) {
        guard descriptor >= 0 else {
            throw ParquetError("Parquet file '\(path)' is already closed; open a new writer")
        }
        var failure: ParquetError?
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = posixWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = ParquetError(
                        "writing Parquet file '\(path)' failed: \(Self.errnoDescription()); check "
                            + "free disk space and permissions")
                    return
                }
                offset += n
            }
        }
        if let failure { throw failure }
        pacer.wrote(bytes.count, to: descriptor)
    }

    private static func errnoDescription() -> String {
        String(cString: strerror(errno))
    }
}

// `close`/`write` are shadowed by the methods above inside the class.
@inline(__always) private func posixClose(_ fd: Int32) -> Int32 { close(fd) }
@inline(__always) private func posixWrite(
    _ fd: Int32, _ buf: UnsafeRawPointer, _ count: Int
) -> Int { write(fd, buf, count) }
