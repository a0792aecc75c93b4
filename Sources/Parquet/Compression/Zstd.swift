import CZstd

/// ZSTD page compression through libzstd: each page body becomes one standard Zstandard frame
/// that records its content size (`ZSTD_compressCCtx`), as Compression.md asks.
final class ZstdCompressor {
    private let context: OpaquePointer
    let level: Int32

    /// Arrow's default ZSTD level.
    static let defaultLevel: Int32 = 1

    init(level: Int32 = ZstdCompressor.defaultLevel) throws(ParquetError) {
        guard let context = ZSTD_createCCtx() else {
            throw ParquetError("libzstd could not create a compression context (out of memory?)")
        }
        self.context = context
        self.level = level
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Compresses `input` into `output` (replacing its contents).
    func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(ParquetError) {
        let bound = ZSTD_compressBound(input.count)
        if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
        let written = output.withUnsafeMutableBytes { out in
            ZSTD_compressCCtx(context, out.baseAddress, out.count, input.baseAddress, input.count, level)
        }
        if ZSTD_isError(written) != 0 {
            throw ParquetError(
                "ZSTD compression failed: \(String(cString: ZSTD_getErrorName(written))); this is a "
                    + "bug in the Parquet writer")
        }
        output.removeSubrange(written...)
    }
}

/// Decompresses one ZSTD page body whose size the page header states.
enum ZstdDecompressor {
    static func decompress(
        _ input: UnsafeRawBufferPointer, expectedSize: Int
    ) throws(ParquetError) -> [UInt8] {
        var failure: String?
        let output = [UInt8](unsafeUninitializedCapacity: expectedSize) { buffer, initialized in
            let n = ZSTD_decompress(buffer.baseAddress, expectedSize, input.baseAddress, input.count)
            if ZSTD_isError(n) != 0 {
                failure = String(cString: ZSTD_getErrorName(n))
                initialized = 0
            } else if n != expectedSize {
                failure = "it holds \(n) bytes, not the \(expectedSize) the page header states"
                initialized = 0
            } else {
                initialized = n
            }
        }
        if let failure { throw ParquetError("bad ZSTD data: \(failure)") }
        return output
    }
}
