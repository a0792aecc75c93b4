/// Snappy raw-block decompression (the format Parquet's SNAPPY codec uses, not the framed one):
/// a ULEB128 uncompressed length, then literal and copy elements (google/snappy
/// `format_description.txt`). Every length and offset is checked, so corrupt input is an error.
enum SnappyDecompressor {
    static func decompress(
        _ input: UnsafeRawBufferPointer, expectedSize: Int
    ) throws(ParquetError) -> [UInt8] {
        var pos = 0
        // Preamble: the uncompressed length as a varint (at most 5 bytes for 32 bits).
        var length = 0
        var shift = 0
        while true {
            guard pos < input.count, shift <= 28 else {
                throw ParquetError("bad SNAPPY data: the length preamble is truncated or too long")
            }
            let b = input[pos]
            pos += 1
            length |= Int(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        guard length == expectedSize else {
            throw ParquetError(
                "bad SNAPPY data: it says \(length) bytes, not the \(expectedSize) the page header states")
        }
        var failure: String?
        let output = [UInt8](unsafeUninitializedCapacity: length) { out, initialized in
            var o = 0
            func fail(_ message: String) { failure = message }
            while pos < input.count {
                let tag = input[pos]
                pos += 1
                var len: Int
                var offset: Int
                switch tag & 3 {
                case 0:  // literal
                    len = Int(tag >> 2)
                    if len >= 60 {
                        let extra = len - 59
                        guard pos + extra <= input.count else { return fail("a literal length is truncated") }
                        len = 0
                        for i in 0..<extra { len |= Int(input[pos + i]) << (8 * i) }
                        pos += extra
                    }
                    len += 1
                    guard len <= input.count - pos else { return fail("a literal runs past the input") }
                    guard len <= length - o else { return fail("a literal runs past the stated length") }
                    (out.baseAddress! + o).initialize(
                        from: input.baseAddress!.assumingMemoryBound(to: UInt8.self) + pos, count: len)
                    pos += len
                    o += len
                    continue
                case 1:
                    guard pos < input.count else { return fail("a copy element is truncated") }
                    len = 4 + Int((tag >> 2) & 7)
                    offset = Int(tag >> 5) << 8 | Int(input[pos])
                    pos += 1
                case 2:
                    guard pos + 2 <= input.count else { return fail("a copy element is truncated") }
                    len = 1 + Int(tag >> 2)
                    offset = Int(input[pos]) | Int(input[pos + 1]) << 8
                    pos += 2
                default:
                    guard pos + 4 <= input.count else { return fail("a copy element is truncated") }
                    len = 1 + Int(tag >> 2)
                    offset = Int(input[pos]) | Int(input[pos + 1]) << 8 | Int(input[pos + 2]) << 16
                        | Int(input[pos + 3]) << 24
                    pos += 4
                }
                guard offset > 0, offset <= o else { return fail("a copy refers before the start") }
                guard len <= length - o else { return fail("a copy runs past the stated length") }
                for i in 0..<len { out[o + i] = out[o + i - offset] }
                o += len
            }
            guard o == length else { return fail("it ends after \(o) of \(length) bytes") }
            initialized = length
        }
        if let failure { throw ParquetError("bad SNAPPY data: \(failure)") }
        return output
    }
}
