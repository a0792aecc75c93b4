/// Compresses page bodies with the file's codec, reusing its output buffer between pages.
final class PageCompressor {
    let codec: ParquetCodec
    private let gzip: GzipCompressor?
    private let zstd: ZstdCompressor?
    /// The last compressed page (for UNCOMPRESSED, unused).
    private var scratch: [UInt8] = []

    init(codec: ParquetCodec, level: Int32?) throws(ParquetError) {
        self.codec = codec
        switch codec {
        case .uncompressed:
            gzip = nil
            zstd = nil
        case .gzip:
            gzip = try GzipCompressor(level: level ?? GzipCompressor.level)
            zstd = nil
        case .zstd:
            gzip = nil
            zstd = try ZstdCompressor(level: level ?? ZstdCompressor.defaultLevel)
        case .snappy:
            throw ParquetError(
                "the writer does not produce SNAPPY; use .zstd (smaller, as fast) or .gzip "
                    + "(SNAPPY files can be read)")
        }
    }

    /// Compresses `body`; the stored bytes are then `stored(body)`.
    func compress(_ body: [UInt8]) throws(ParquetError) {
        var failure: ParquetError?
        body.withUnsafeBytes { raw in
            do throws(ParquetError) {
                switch codec {
                case .uncompressed, .snappy: return
                case .gzip: try gzip!.compress(raw, into: &scratch)
                case .zstd: try zstd!.compress(raw, into: &scratch)
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// The bytes to store for `body` after `compress(body)`.
    func stored(_ body: [UInt8]) -> [UInt8] {
        codec == .uncompressed ? body : scratch
    }
}

/// Decompresses one stored page body to exactly `uncompressedSize` bytes.
enum PageDecompressor {
    /// Largest page this reader decompresses (1 GiB); a header claiming more is refused.
    static let maxPageSize = 1 << 30

    static func decompress(
        _ stored: UnsafeRawBufferPointer, codec: ParquetCodec, uncompressedSize: Int
    ) throws(ParquetError) -> [UInt8] {
        guard uncompressedSize >= 0, uncompressedSize <= maxPageSize else {
            throw ParquetError(
                "a page header states an uncompressed size of \(uncompressedSize) bytes, outside "
                    + "0...\(maxPageSize)")
        }
        switch codec {
        case .uncompressed:
            guard stored.count == uncompressedSize else {
                throw ParquetError(
                    "an UNCOMPRESSED page stores \(stored.count) bytes but its header states "
                        + "\(uncompressedSize)")
            }
            return Array(stored)
        case .snappy: return try SnappyDecompressor.decompress(stored, expectedSize: uncompressedSize)
        case .gzip: return try GzipDecompressor.decompress(stored, expectedSize: uncompressedSize)
        case .zstd: return try ZstdDecompressor.decompress(stored, expectedSize: uncompressedSize)
        }
    }
}
