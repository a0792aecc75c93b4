import DatasetContract
import HexDigits
import Testing

@Suite struct KeyDigestTests {
    @Test func aHexKeyIsReadAsItsFirst128Bits() {
        let key = "0123456789abcdefFEDCBA9876543210" + String(repeating: "7", count: 32)
        let digest = KeyDigest(key)
        #expect(digest.high == 0x0123_4567_89ab_cdef)
        #expect(digest.low == 0xfedc_ba98_7654_3210)
        #expect(KeyDigest(Array(key.utf8)) == digest)
        #expect(KeyDigest(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210) == digest)
    }

    /// A key's packed bytes (as staging stores it) give the digest its digits give.
    @Test func aPackedKeyGivesTheDigestOfItsDigits() {
        let key = "0123456789abcdeffedcba98765432100011223344556677" + "8899aabbccddeeff"
        var packed = [UInt8](repeating: 0, count: 32)
        let decoded = packed.withUnsafeMutableBytes { out in
            Array(key.utf8).withUnsafeBufferPointer { Hex.decodeLowercase($0, into: out) }
        }
        #expect(decoded)
        let digest = packed.withUnsafeBytes { KeyDigest(packedKey: $0.baseAddress!) }
        #expect(digest == KeyDigest(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210))
        #expect(digest == KeyDigest(key))
    }

    /// Lower-case keys are read sixteen digits at a time, other keys digit by digit: the same
    /// numbers, checked against `UInt64(_:radix:)` for lower, upper and mixed case.
    @Test func lowerUpperAndMixedCaseKeysGiveTheNumbersTheySpell() {
        var random: UInt64 = 0x1234_5678
        for round in 0..<300 {
            let digits = (0..<64).map { _ -> Character in
                random = random &* 6364136223846793005 &+ 1442695040888963407
                return Array("0123456789abcdef")[Int(random >> 60)]
            }
            var key = String(digits)
            if round % 3 == 1 { key = key.uppercased() }
            if round % 3 == 2 { key = String(key.enumerated().map { $0.offset.isMultiple(of: 2) ? $0.element : Character($0.element.uppercased()) }) }
            let digest = KeyDigest(key)
            #expect(digest.high == UInt64(key.prefix(16), radix: 16), "\(key)")
            #expect(digest.low == UInt64(key.dropFirst(16).prefix(16), radix: 16), "\(key)")
        }
        // A non-digit after the first 32 is not read at all; one within them sends the key to FNV.
        let tail = String(repeating: "a", count: 32) + "zz" + String(repeating: "0", count: 30)
        #expect(KeyDigest(tail) == KeyDigest(high: 0xaaaa_aaaa_aaaa_aaaa, low: 0xaaaa_aaaa_aaaa_aaaa))
        for position in 0..<32 {
            var bytes = Array(String(repeating: "a", count: 64).utf8)
            bytes[position] = UInt8(ascii: "g")
            let digest = KeyDigest(bytes)
            #expect(digest.high != 0xaaaa_aaaa_aaaa_aaaa || digest.low != 0xaaaa_aaaa_aaaa_aaaa, "g at \(position)")
        }
    }

    @Test func textThatIsNotA64DigitHexKeyIsHashed() {
        // one non-hex digit in the first 32 characters, or another length: FNV-1a, not hex
        let almost = "g123456789abcdef0123456789abcdef" + String(repeating: "0", count: 32)
        let digest = KeyDigest(almost)
        #expect(digest != KeyDigest(high: 0, low: 0x0123_4567_89ab_cdef))
        #expect(digest == KeyDigest(Array(almost.utf8)))
        #expect(KeyDigest("") == KeyDigest(high: 0xcbf2_9ce4_8422_2325, low: 0x8422_2325_cbf2_9ce4))
        #expect(KeyDigest("a") != KeyDigest("b"))
        #expect(KeyDigest(String(repeating: "a", count: 63)) != KeyDigest(String(repeating: "a", count: 65)))
    }
}

@Suite struct HexTests {
    @Test func encodesLowerCaseTwoDigitsAByte() {
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.encode([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
    }

    /// Every byte value at every position of every length up to 40 spells the digits of
    /// `String(_:radix:)`, whatever kind of collection holds the bytes.
    @Test func everyByteAtEveryPositionSpellsItsTwoDigits() {
        func expected(_ bytes: [UInt8]) -> String {
            bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
        /// The text `write` puts into room for the digits of `length` bytes.
        func spelled(_ length: Int, _ write: (UnsafeMutableRawBufferPointer) -> Void) -> String {
            let digits = [UInt8](unsafeUninitializedCapacity: 2 * length) { out, count in
                write(UnsafeMutableRawBufferPointer(out))
                count = 2 * length
            }
            return String(decoding: digits, as: UTF8.self)
        }
        for value in UInt8.min...UInt8.max {
            for length in 1...40 {
                let position = Int(value) % length
                var bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 151 &+ Int(value)) }
                bytes[position] = value
                #expect(Hex.encode(bytes) == expected(bytes), "byte \(value) at \(position) of \(length)")
                #expect(Hex.encode(bytes.lazy.map { $0 }) == expected(bytes), "not contiguous: \(length)")
                bytes.withUnsafeBytes { #expect(Hex.encode($0) == expected(bytes)) }
                // The hot paths' forms: raw bytes (four at a time, then the rest) and a typed
                // buffer (through its contiguous storage), each written into room of its own.
                #expect(spelled(length) { out in bytes.withUnsafeBytes { Hex.encode($0, into: out) } } == expected(bytes),
                        "raw: \(value) of \(length)")
                #expect(spelled(length) { out in bytes.withUnsafeBufferPointer { Hex.encode($0, into: out) } } == expected(bytes),
                        "typed: \(value) of \(length)")
            }
        }
    }

    @Test func digitValuesInEitherCaseOrLowerCaseOnly() {
        let lower = Array("0123456789abcdef".utf8), upper = Array("ABCDEF".utf8)
        for c in UInt8.min...UInt8.max {
            let value = lower.firstIndex(of: c) ?? upper.firstIndex(of: c).map { $0 + 10 }
            #expect(Hex.digitValues[Int(c)] == value.map(UInt8.init) ?? 0xFF, "\(c)")
            // The nibble of a lower-case digit, above 0x0F for anything else (upper case included).
            let nibble = Hex.lowercaseNibble(c)
            if let digit = lower.firstIndex(of: c) { #expect(nibble == UInt8(digit)) } else { #expect(nibble > 0x0F, "\(c)") }
        }
    }

    @Test func decodesWhatItEncodesAndRefusesOtherDigits() {
        let bytes: [UInt8] = (0..<32).map { UInt8($0 * 8 + 3) }
        var digits = Array(Hex.encode(bytes).utf8)
        var out = [UInt8](repeating: 0, count: 32)
        func decode() -> Bool {
            digits.withUnsafeBufferPointer { d in out.withUnsafeMutableBytes { Hex.decodeLowercase(d, into: $0) } }
        }
        #expect(decode())
        #expect(out == bytes)
        for bad in ["A", "g", "/", ":", "`", " "] {
            digits[63] = UInt8(ascii: Unicode.Scalar(bad)!)
            #expect(!decode(), "\(bad)")
        }
    }
}

/// The eight-at-a-time decoder against the one-digit reference, for every byte value in every
/// position of a 64-digit key (and so in every lane of each eight-digit word) and for lengths that
/// leave a tail.
@Suite struct HexWordDecodingTests {
    static func reference(_ digits: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        for i in stride(from: 0, to: digits.count, by: 2) {
            let high = Hex.lowercaseNibble(digits[i]), low = Hex.lowercaseNibble(digits[i + 1])
            guard high | low < 0x10 else { return nil }
            out.append(high << 4 | low)
        }
        return out
    }

    static func decode(_ digits: [UInt8]) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: digits.count / 2)
        let ok = digits.withUnsafeBufferPointer { d in out.withUnsafeMutableBytes { Hex.decodeLowercase(d, into: $0) } }
        return ok ? out : nil
    }

    @Test func everyByteInEveryPosition() {
        let key = Array(Hex.encode((0..<32).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }).utf8)
        for position in key.indices {
            for value in UInt8.min...UInt8.max {
                var digits = key
                digits[position] = value
                let expected = Self.reference(digits)
                if Self.decode(digits) != expected { Issue.record("byte \(value) at \(position)") }
            }
        }
        #expect(Self.decode(key) == (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
    }

    @Test(arguments: [0, 2, 6, 8, 10, 16, 18, 62, 64, 66])
    func lengthsWithATail(count: Int) {
        var random = UInt64(count)
        let digits: [UInt8] = (0..<count).map { _ in
            random = random &* 6364136223846793005 &+ 1442695040888963407
            return Array("0123456789abcdef".utf8)[Int(random >> 60)]
        }
        #expect(Self.decode(digits) == Self.reference(digits))
        if count > 0 {
            var bad = digits
            bad[count - 1] = UInt8(ascii: "G")
            #expect(Self.decode(bad) == nil)
        }
    }
}
