/// Lower-case hexadecimal text of bytes and back, and the value of one hex digit: the form of every
/// pseudonym and file digest the pipeline writes. One codec (eight digits a word each way),
/// shared by staging, key digests and file fingerprints.
public enum Hex {
    /// Each byte's value as a hex digit (either case), or 0xFF when it is not one.
    public static let digitValues: [UInt8] = (0...255).map { c -> UInt8 in
        switch c {
        case 48...57: UInt8(c - 48)
        case 97...102: UInt8(c - 87)
        case 65...70: UInt8(c - 55)
        default: 0xFF
        }
    }

    /// The value of a lower-case hex digit, or a value above 0x0F for any other byte (no table,
    /// no optional: the per-key loops OR the results together and check once).
    @inlinable @inline(__always)
    public static func lowercaseNibble(_ c: UInt8) -> UInt8 {
        let decimal = c &- 48
        if decimal < 10 { return decimal }
        let letter = c &- 97
        return letter < 6 ? letter &+ 10 : 0xFF
    }

    /// Decodes lower-case hex `digits` (an even number of them) into `out`, which holds half as
    /// many bytes; false, with `out` partly written, when a digit is not lower-case hex.
    /// Eight digits at a time (`decodeEight`), the rest one pair at a time.
    @inlinable
    public static func decodeLowercase(_ digits: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableRawBufferPointer) -> Bool {
        precondition(digits.count == 2 * out.count, "two hex digits a byte")
        let raw = UnsafeRawBufferPointer(digits)
        var invalidLanes: UInt64 = 0
        var i = 0
        while i + 8 <= raw.count {
            let (bytes, invalid) = decodeEight(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            invalidLanes |= invalid
            out.storeBytes(of: bytes.littleEndian, toByteOffset: i / 2, as: UInt32.self)
            i += 8
        }
        var invalid: UInt8 = 0
        while i < raw.count {
            let high = lowercaseNibble(digits[i]), low = lowercaseNibble(digits[i + 1])
            invalid |= high | low
            out[i / 2] = high &<< 4 | low & 0x0F
            i += 2
        }
        return invalidLanes == 0 && invalid & 0xF0 == 0
    }

    /// Eight lower-case hex digits, loaded little-endian (the first digit in the lowest byte), as
    /// the four bytes they spell (the first in the lowest byte), and a value that is not zero when
    /// a digit is not lower-case hex. Each byte lane is tested without branches: a digit is
    /// 0x30...0x39 (high nibble 3, low nibble up to 9), a letter 0x61...0x66 (high nibble 6, low
    /// nibble 1...6); adding a constant below 0x80 to a nibble sets the lane's top bit exactly when
    /// the nibble passes a bound, and no lane carries into the next.
    @inlinable @inline(__always)
    public static func decodeEight(_ word: UInt64) -> (bytes: UInt32, invalid: UInt64) {
        let lanes: UInt64 = 0x0101_0101_0101_0101
        let top = lanes &* 0x80
        let high = (word >> 4) & (lanes &* 0x0F), low = word & (lanes &* 0x0F)
        let highIs3 = ~((high ^ (lanes &* 3)) &+ (lanes &* 0x7F)) & top
        let highIs6 = ~((high ^ (lanes &* 6)) &+ (lanes &* 0x7F)) & top
        let lowAtMost9 = ~(low &+ (lanes &* 0x76)) & top
        let lowAtLeast1 = (low &+ (lanes &* 0x7F)) & top
        let lowAtMost6 = ~(low &+ (lanes &* 0x79)) & top
        let valid = (highIs3 & lowAtMost9) | (highIs6 & lowAtLeast1 & lowAtMost6)
        let nibbles = low &+ (highIs6 >> 7) &* 9
        // Two nibbles a byte: lane 2k is the high nibble of byte k, lane 2k+1 its low nibble.
        var packed = ((nibbles & 0x000F_000F_000F_000F) << 4) | ((nibbles >> 8) & 0x000F_000F_000F_000F)
        packed = (packed | (packed >> 8)) & 0x0000_FFFF_0000_FFFF
        packed = (packed | (packed >> 16)) & 0xFFFF_FFFF
        return (UInt32(truncatingIfNeeded: packed), ~valid & top)
    }

    /// `bytes` as lower-case hex, two digits a byte. Inlinable so that callers in other modules
    /// get a specialised loop: unspecialised, the generic iteration cost a quarter of the load
    /// stage (two staged 32-byte keys per row).
    @inlinable
    public static func encode<C: Collection<UInt8>>(_ bytes: C) -> String {
        let count = bytes.count
        return String(unsafeUninitializedCapacity: 2 * count) { out in
            encode(bytes, into: UnsafeMutableRawBufferPointer(out))
            return 2 * count
        }
    }

    /// Writes `bytes` as lower-case hex into `out`, which holds exactly twice as many bytes.
    /// Contiguous bytes go four at a time (`encodeFour`), any other collection one at a time.
    @inlinable
    public static func encode<C: Collection<UInt8>>(_ bytes: C, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count == 2 * bytes.count, "two hex digits a byte")
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { encode(UnsafeRawBufferPointer($0), into: out) }
        if contiguous != nil { return }
        var i = 0
        for byte in bytes {
            out.storeBytes(of: digitPair(byte), toByteOffset: i, as: UInt16.self)
            i += 2
        }
    }

    /// Writes `bytes` as lower-case hex into `out`, which holds exactly twice as many bytes: four
    /// bytes at a time, the last few one at a time. (The load spells two keys a row this way, and
    /// the extract stage two identifier tokens a record.)
    @inlinable
    public static func encode(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count == 2 * bytes.count, "two hex digits a byte")
        var i = 0
        while i + 4 <= bytes.count {
            let four = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt32.self))
            out.storeBytes(of: encodeFour(four).littleEndian, toByteOffset: 2 * i, as: UInt64.self)
            i += 4
        }
        while i < bytes.count {
            out.storeBytes(of: digitPair(bytes[i]), toByteOffset: 2 * i, as: UInt16.self)
            i += 1
        }
    }

    /// Four bytes, loaded little-endian (the first in the lowest byte), as their eight lower-case
    /// hex digits (the first digit in the lowest byte). Each byte moves to its own 16-bit lane,
    /// its high nibble to the lane's low byte and its low nibble to the high byte; a nibble of 10
    /// or more then passes 0x7F when 0x76 is added, which picks the letters (no lane carries).
    @inlinable @inline(__always)
    static func encodeFour(_ word: UInt32) -> UInt64 {
        var spread = UInt64(word)
        spread = (spread | spread << 16) & 0x0000_FFFF_0000_FFFF
        spread = (spread | spread << 8) & 0x00FF_00FF_00FF_00FF
        let nibbles = (spread >> 4) & 0x000F_000F_000F_000F | (spread & 0x000F_000F_000F_000F) << 8
        let letters = ((nibbles &+ 0x7676_7676_7676_7676) & 0x8080_8080_8080_8080) >> 7
        return nibbles &+ 0x3030_3030_3030_3030 &+ letters &* 39
    }

    /// One byte's two lower-case hex digits, the first in the lower byte (as stored little-endian).
    @inlinable @inline(__always)
    static func digitPair(_ byte: UInt8) -> UInt16 {
        UInt16(truncatingIfNeeded: encodeFour(UInt32(byte))).littleEndian
    }
}
