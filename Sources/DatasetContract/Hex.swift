/// Lower-case hexadecimal text of bytes, and the value of one hex digit: the form of every
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

    /// The value of the hex digit `c`, nil when it is not one; `lowercaseOnly` refuses A-F.
    @inlinable @inline(__always)
    public static func digit(_ c: UInt8, lowercaseOnly: Bool = false) -> UInt8? {
        if lowercaseOnly, c >= 65, c <= 70 { return nil }
        let value = digitValues[Int(c)]
        return value == 0xFF ? nil : value
    }

    /// `bytes` as lower-case hex, two digits a byte. Inlinable so that callers in other modules
    /// get a specialised loop: unspecialised, the generic iteration cost a quarter of the load
    /// stage (two staged 32-byte keys per row).
    @inlinable
    public static func encode<C: Collection<UInt8>>(_ bytes: C) -> String {
        let count = bytes.count
        return String(unsafeUninitializedCapacity: 2 * count) { out in
            let digits: StaticString = "0123456789abcdef"
            digits.withUTF8Buffer { hex in
                var i = 0
                for byte in bytes {
                    out[i] = hex[Int(byte >> 4)]
                    out[i + 1] = hex[Int(byte & 0x0F)]
                    i += 2
                }
            }
            return 2 * count
        }
    }
}
