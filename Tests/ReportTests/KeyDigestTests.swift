import DatasetContract
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

    @Test func digitValuesInEitherCaseOrLowerCaseOnly() {
        #expect(Array("09afAF".utf8).map { Hex.digit($0) } == [0, 9, 10, 15, 10, 15])
        #expect(Hex.digit(UInt8(ascii: "A"), lowercaseOnly: true) == nil)
        #expect(Hex.digit(UInt8(ascii: "f"), lowercaseOnly: true) == 15)
        #expect(Array("g/:@`G ".utf8).allSatisfy { Hex.digit($0) == nil })
    }
}

