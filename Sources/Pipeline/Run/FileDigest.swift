import Crypto
import Extract
import Foundation
import HexDigits

/// SHA-256 of files, read in chunks.
enum FileDigest {
    static func sha256(path: String) -> (hex: String, size: Int)? {
        // The extractors' file reader, into one buffer for the whole file (FileHandle.read
        // allocated a fresh 1 MiB Data per chunk, half the cost of hashing a large file); a read
        // error is no digest rather than the digest of the part read so far.
        guard let source = try? FileByteSource(path: path, displayName: path) else { return nil }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        do {
            while case let count = try source.read(into: buffer), count > 0 {
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            }
        } catch {
            return nil
        }
        return (Hex.encode(Array(hasher.finalize())), source.consumedInputBytes)
    }
}

/// A file's SHA-256, either known at once or being computed on a thread of its own: a run that
/// extracts a file whatever its digest (a new submission, or `--force`) reads it while the digest
/// is made, instead of hashing 500 MB first. Asking for the value waits for it.
///
/// Unchecked Sendable: `result` is written once, under `condition`, and read under it.
final class PendingFileDigest: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: (hex: String, size: Int)??

    /// A digest computed already (nil: the file could not be read).
    init(computed: (hex: String, size: Int)?) {
        result = .some(computed)
    }

    /// A digest to come: `fulfil` sets it.
    init() {}

    func fulfil(_ digest: (hex: String, size: Int)?) {
        condition.lock()
        result = .some(digest)
        condition.broadcast()
        condition.unlock()
    }

    /// Hashes the files one after the other, in the order given (the order they will be read
    /// in), on one new thread, and fulfils each pending digest as soon as it is known.
    static func hashInBackground(_ files: [(path: String, digest: PendingFileDigest)]) {
        guard !files.isEmpty else { return }
        Thread {
            for file in files { file.digest.fulfil(FileDigest.sha256(path: file.path)) }
        }.start()
    }

    /// The digest and size, waiting for them if need be; nil when the file could not be read.
    var value: (hex: String, size: Int)? {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return result!
    }
}
