import Normalize
import Testing

/// A pseudonym held as its 32 bytes: the same bytes back, the dataset's hex, and equal only
/// when every byte is.
@Suite struct PseudonymTests {
    static let ramp: [UInt8] = Array(0..<32)

    static func pseudonym(_ bytes: [UInt8]) -> Pseudonym {
        bytes.withUnsafeBytes { Pseudonym(bytes: $0.baseAddress!) }
    }

    @Test func keepsItsBytesAndSpellsThemInLowerCaseHex() {
        let pseudonym = Self.pseudonym(Self.ramp)
        #expect(pseudonym.withBytes { Array($0) } == Self.ramp)
        #expect(pseudonym.hex == "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
        #expect("\(pseudonym)" == pseudonym.hex)
        #expect(Self.pseudonym([UInt8](repeating: 0xAB, count: 32)).hex == String(repeating: "ab", count: 32))
    }

    @Test func equalOnlyWhenEveryByteIs() {
        let pseudonym = Self.pseudonym(Self.ramp)
        #expect(pseudonym == Self.pseudonym(Self.ramp))
        for index in [0, 7, 8, 15, 16, 23, 24, 31] {
            var other = Self.ramp
            other[index] ^= 0x80
            #expect(Self.pseudonym(other) != pseudonym, "byte \(index)")
            #expect(Set([Self.pseudonym(other), pseudonym]).count == 2, "byte \(index)")
        }
    }

    /// A staged identifier token is read back as the pseudonym it spells; anything that is not
    /// exactly 64 lower-case hex digits is no token.
    @Test func readsExactlySixtyFourLowerCaseHexDigitsAsAToken() {
        let pseudonym = Self.pseudonym(Self.ramp)
        #expect(Pseudonym(token: pseudonym.hex) == pseudonym)
        #expect(Pseudonym(token: String(repeating: "f", count: 64)) == Self.pseudonym([UInt8](repeating: 0xFF, count: 32)))
        let valid = pseudonym.hex
        var notTokens = [
            "", String(valid.dropLast()), valid + "0", valid.uppercased(), String(repeating: "0", count: 62) + "é",
        ]
        for index in [0, 1, 31, 62, 63] {
            for digit: Character in ["g", "G", "A", "F", " ", "/", ":", "`"] {
                var characters = Array(valid)
                characters[index] = digit
                notTokens.append(String(characters))
            }
        }
        for text in notTokens {
            #expect(Pseudonym(token: text) == nil, "\"\(text)\"")
        }
    }
}
