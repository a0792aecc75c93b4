/// Lower-case hexadecimal text of bytes and back, and the value of one hex digit: the form of every
/// pseudonym and file digest the pipeline writes. One table-driven codec, shared by staging,
/// key digests and file fingerprints.
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
    @inlinable
    public static func decodeLowercase(_ digits: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableRawBufferPointer) -> Bool {
        precondition(digits.count == 2 * out.count, "two hex digits a byte")
        var invalid: UInt8 = 0
        for i in 0..<out.count {
            let high = lowercaseNibble(digits[2 * i]), low = lowercaseNibble(digits[2 * i + 1])
            invalid |= high | low
            out[i] = high &<< 4 | low & 0x0F
        }
        return invalid & 0xF0 == 0
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
    @inlinable
    public static func encode<C: Collection<UInt8>>(_ bytes: C, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count == 2 * bytes.count, "two hex digits a byte")
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { hex in
            var i = 0
            for byte in bytes {
                out[i] = hex[Int(byte >> 4)]
                out[i + 1] = hex[Int(byte & 0x0F)]
                i += 2
            }
        }
    }
}
