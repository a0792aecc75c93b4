/// Turns the raw bytes of one field into a String in the declared encoding, or finds the first
/// byte that is not valid in it. Never substitutes a replacement character.
struct FieldDecoder: Sendable {
    private enum Kind: Sendable {
        /// UTF-8, or UTF-16 after transcoding to UTF-8.
        case utf8
        case singleByte(SingleByteCharset)
    }

    private let kind: Kind

    init(_ encoding: TextEncoding) {
        switch encoding {
        case .utf8, .utf16: kind = .utf8
        case .windows1252: kind = .singleByte(.windows1252)
        case .iso88591: kind = .singleByte(.iso88591)
        case .iso885915: kind = .singleByte(.iso885915)
        }
    }

    /// Index of the first byte of `bytes` that is invalid in the encoding, or nil.
    func firstInvalidByte(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        switch kind {
        case .utf8: UTF8Validation.firstInvalidByte(in: bytes)
        case .singleByte(let charset): charset.firstUndefinedByte(in: bytes)
        }
    }

    /// Whether every byte of `bytes` is valid in the encoding.
    @inline(__always)
    func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        firstInvalidByte(in: bytes) == nil
    }

    /// The most UTF-8 bytes one input byte decodes to.
    var maxBytesPerByte: Int {
        switch kind {
        case .utf8: 1
        case .singleByte: 3
        }
    }

    /// Writes the UTF-8 of `bytes`, which `isValid` accepted, at `out` (room for
    /// `maxBytesPerByte` bytes each); returns how many it wrote.
    @inline(__always)
    func write(_ bytes: UnsafeBufferPointer<UInt8>, to out: UnsafeMutablePointer<UInt8>) -> Int {
        switch kind {
        case .utf8:
            if let base = bytes.baseAddress { out.update(from: base, count: bytes.count) }
            return bytes.count
        case .singleByte(let charset):
            return charset.transcode(bytes, into: UnsafeMutableBufferPointer(start: out, count: 3 * bytes.count))
        }
    }

    /// The text of `bytes`, or nil when some byte is invalid (then ask `firstInvalidByte`).
    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        switch kind {
        case .utf8:
            // Own validation, then the non-generic decoding fast path (`String(validating:as:)`
            // goes through generic metadata lookups that cost a quarter of the CSV time).
            if UTF8Validation.firstInvalidByte(in: bytes) != nil { return nil }
            return String(decoding: bytes, as: UTF8.self)
        case .singleByte(let charset):
            if charset.firstUndefinedByte(in: bytes) != nil { return nil }
            return charset.decode(bytes)
        }
    }
}
