import Crypto
import DatasetContract
import Foundation

/// SHA-256 of files, read in chunks.
enum FileDigest {
    static func sha256(path: String) -> (hex: String, size: Int)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size = 0
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += chunk.count
        }
        return (Hex.encode(Array(hasher.finalize())), size)
    }
}
