import HexDigits

/// A pseudonym reduced to 128 bits: the first 32 hex digits of a 64-digit HMAC (exact, since the
/// dataset's keys are uniform hex), or two FNV-1a hashes of any other text. It tells case and
/// child pseudonyms apart in bounded memory: the load stage folds duplicates by it and the report
/// counts cases and children by it. Deterministic, so the same rows always give the same result.
public struct KeyDigest: Hashable, Sendable {
    public let high: UInt64
    public let low: UInt64

    public init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBufferPointer { Self(utf8: $0) }
    }

    public init(_ text: String) {
        var text = text
        self = text.withUTF8 { Self(utf8: $0) }
    }

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The digest of a lower-case hex key from the bytes its digits spell (`Hex.decodeLowercase`
    /// of its 64 digits, as staging packs it): their first 16 bytes, which are its first 32
    /// digits, so the same digest as `init(utf8:)` of the digits.
    public init(packedKey bytes: UnsafeRawPointer) {
        // In digit order: as numbers, the first byte is the most significant.
        high = UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
        low = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }

    /// The digest of a key given as UTF-8 bytes.
    public init(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        if bytes.count == 64, let digest = Self.lowercaseHex(bytes) {
            // Every key the pipeline writes: lower-case hex, read sixteen digits at a time.
            self = digest
        } else if bytes.count == 64, let high = Self.hex(bytes[0..<16]), let low = Self.hex(bytes[16..<32]) {
            self.high = high
            self.low = low
        } else {
            self.high = Self.fnv(bytes, offset: 0xcbf2_9ce4_8422_2325)
            self.low = Self.fnv(bytes, offset: 0x8422_2325_cbf2_9ce4)
        }
    }

    /// The digest of the first 32 digits of `bytes` when they are all lower-case hex, else nil
    /// (then `hex(_:)` reads either case): `Hex.decodeLowercase`, eight digits at a time.
    @inline(__always)
    private static func lowercaseHex(_ bytes: UnsafeBufferPointer<UInt8>) -> KeyDigest? {
        var decoded: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &decoded) { packed in
            guard Hex.decodeLowercase(UnsafeBufferPointer(rebasing: bytes[0..<32]), into: packed) else { return nil }
            return KeyDigest(packedKey: UnsafeRawPointer(packed.baseAddress!))
        }
    }

    /// Sixteen hex digits as a number; nil when one is not a hex digit.
    private static func hex(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> UInt64? {
        Hex.digitValues.withUnsafeBufferPointer { table in
            var value: UInt64 = 0
            var invalid: UInt8 = 0
            for c in digits {
                let nibble = table[Int(c)]
                invalid |= nibble
                value = value << 4 | UInt64(nibble & 0x0F)
            }
            return invalid & 0xF0 == 0 ? value : nil
        }
    }

    private static func fnv(_ bytes: UnsafeBufferPointer<UInt8>, offset: UInt64) -> UInt64 {
        var hash = offset
        for b in bytes {
            hash ^= UInt64(b)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
