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
}
