import CZlib

@testable import Extract

enum GzipTestSupport {
    static let file = "test/faelle.csv.gz"

    /// One gzip member holding `bytes`, written with zlib's deflate.
    static func gzip(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            deflateEnd(stream)
            stream.deallocate()
        }
        precondition(hotline_deflate_init2(stream, level, 15 + 16) == Z_OK)
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(bytes.count))) + 64)
        let produced = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.pointee.next_in = inputBuffer.baseAddress
                stream.pointee.avail_in = UInt32(inputBuffer.count)
                stream.pointee.next_out = outputBuffer.baseAddress
                stream.pointee.avail_out = UInt32(outputBuffer.count)
                precondition(deflate(stream, Z_FINISH) == Z_STREAM_END)
                return outputBuffer.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output[0..<produced])
    }

    /// Pseudo-random bytes that do not compress, the same on every run.
    static func noise(count: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    /// Everything a gzip source gives, or the error that stopped it.
    static func inflate(
        _ bytes: [UInt8], chunked: Bool = false, limits: ExtractLimits = ExtractLimits(), readSize: Int = 65_536
    ) -> Result<[UInt8], ExtractError> {
        let underlying: any ByteSource =
            chunked ? ChunkedByteSource(bytes, sizes: [1, 7, 300]) : MemoryByteSource(bytes)
        do {
            let source = try GzipByteSource(wrapping: underlying, displayName: file, limits: limits)
            var output: [UInt8] = []
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 1)
            defer { buffer.deallocate() }
            while true {
                let count = try source.read(into: buffer)
                if count == 0 { break }
                output += buffer[0..<count]
            }
            return .success(output)
        } catch {
            return .failure(error)
        }
    }
}
