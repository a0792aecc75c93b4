import Extract

/// Serves bytes a few at a time, the sizes cycling through `sizes` (1 to 7 by default), so that
/// tokens, quotes, CRLFs, tags and multi-byte characters fall across buffer refills. Shared by
/// every extractor's tests.
struct ChunkedByteSource: ByteSource {
    private let bytes: [UInt8]
    private let sizes: [Int]
    private var position = 0
    private var call = 0
    var consumedInputBytes: Int { position }

    init(_ bytes: [UInt8], sizes: [Int] = [1, 2, 3, 4, 5, 6, 7]) {
        self.bytes = bytes
        self.sizes = sizes
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ExtractError) -> Int {
        let size = sizes[call % sizes.count]
        call += 1
        let count = min(size, buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        for index in 0..<count { buffer[index] = bytes[position + index] }
        position += count
        return count
    }
}
