/// A single-byte character set: bytes below 0x80 are ASCII, the upper half maps through a table.
struct SingleByteCharset: Sendable {
    /// Marks a byte that the character set does not define.
    static let undefined: UInt16 = 0xFFFF

    /// The name used in messages (the mapping's spelling, e.g. `windows-1252`).
    let name: String
    /// Unicode scalar for bytes 0x80...0xFF (index = byte - 0x80), or `undefined`.
    let upperHalf: [UInt16]
    /// Whether some byte is undefined (only windows-1252 has such bytes).
    let hasUndefinedBytes: Bool

    init(name: String, upperHalf: [UInt16]) {
        precondition(upperHalf.count == 128)
        self.name = name
        self.upperHalf = upperHalf
        self.hasUndefinedBytes = upperHalf.contains(Self.undefined)
    }

    /// ISO-8859-1 (Latin-1): every byte is the scalar of the same value.
    static let iso88591 = SingleByteCharset(name: "iso-8859-1", upperHalf: (0x80...0xFF).map { UInt16($0) })

    /// ISO-8859-15 (Latin-9): Latin-1 with eight positions replaced (€ Š š Ž ž Œ œ Ÿ).
    static let iso885915: SingleByteCharset = {
        var table = (0x80...0xFF).map { UInt16($0) }
        let changes: [(UInt8, UInt16)] = [
            (0xA4, 0x20AC), (0xA6, 0x0160), (0xA8, 0x0161), (0xB4, 0x017D),
            (0xB8, 0x017E), (0xBC, 0x0152), (0xBD, 0x0153), (0xBE, 0x0178),
        ]
        for (byte, scalar) in changes { table[Int(byte) - 0x80] = scalar }
        return SingleByteCharset(name: "iso-8859-15", upperHalf: table)
    }()

    /// Windows-1252: Latin-1 with typographic characters in 0x80...0x9F; 0x81, 0x8D, 0x8F,
    /// 0x90 and 0x9D are undefined.
    static let windows1252: SingleByteCharset = {
        let u = undefined
        let c1: [UInt16] = [
            0x20AC, u, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
            0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, u, 0x017D, u,
            u, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
            0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, u, 0x017E, 0x0178,
        ]
        return SingleByteCharset(name: "windows-1252", upperHalf: c1 + (0xA0...0xFF).map { UInt16($0) })
    }()

    /// Index of the first byte the character set does not define, or nil.
    func firstUndefinedByte(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard hasUndefinedBytes else { return nil }
        return upperHalf.withUnsafeBufferPointer { table -> Int? in
            for index in 0..<bytes.count where bytes[index] >= 0x80 {
                if table[Int(bytes[index] &- 0x80)] == Self.undefined { return index }
            }
            return nil
        }
    }

    /// Decodes bytes known to be defined (see `firstUndefinedByte`).
    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if Self.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: bytes.count * 3) { transcode(bytes, into: $0) }
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte >= 0x80 { return false }
        return true
    }

    /// Writes the UTF-8 of bytes known to be defined to `out` (room for three bytes each);
    /// returns how many it wrote.
    func transcode(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        upperHalf.withUnsafeBufferPointer { table in
            var written = 0
            for byte in bytes {
                if byte < 0x80 {
                    out[written] = byte
                    written += 1
                    continue
                }
                let scalar = UInt32(table[Int(byte &- 0x80)])
                if scalar < 0x800 {
                    out[written] = UInt8(0xC0 | (scalar >> 6))
                    out[written + 1] = UInt8(0x80 | (scalar & 0x3F))
                    written += 2
                } else {
                    out[written] = UInt8(0xE0 | (scalar >> 12))
                    out[written + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
                    out[written + 2] = UInt8(0x80 | (scalar & 0x3F))
                    written += 3
                }
            }
            return written
        }
    }
}
