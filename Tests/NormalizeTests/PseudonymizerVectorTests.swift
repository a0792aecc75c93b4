import Crypto
import Foundation
import Synthetic  // SplitMix64: seeded, so that a failing round can be reproduced
import Testing
@testable import Normalize

/// Pseudonymizer's HMAC-SHA-256 against the RFC 4231 known answers, and its pseudonyms against
/// swift-crypto's `HMAC<SHA256>` for random keys and messages.
@Suite struct PseudonymizerVectorTests {
    /// RFC 4231 section 4, test cases 1, 2, 3, 4, 6 and 7 (5 is a truncated MAC). Cases 6 and 7
    /// use a 131-byte key, longer than SHA-256's 64-byte block, so the key is hashed first.
    static let rfc4231: [(name: String, key: [UInt8], data: [UInt8], mac: String)] = [
        ("1", [UInt8](repeating: 0x0B, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ("2", Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ("3", [UInt8](repeating: 0xAA, count: 20), [UInt8](repeating: 0xDD, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ("4", Array(0x01...0x19), [UInt8](repeating: 0xCD, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ("6", [UInt8](repeating: 0xAA, count: 131),
         Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ("7", [UInt8](repeating: 0xAA, count: 131),
         Array(("This is a test using a larger than block-size key and a larger than block-size data."
            + " The key needs to be hashed before being used by the HMAC algorithm.").utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test func matchesTheRFC4231TestVectors() {
        for vector in Self.rfc4231 {
            let mac = Pseudonymizer(anyLengthKey: vector.key).mac(vector.data)
            #expect(Self.hex(mac) == vector.mac, "RFC 4231 test case \(vector.name)")
        }
    }

    @Test func rawMACMatchesSwiftCryptoForEveryKeyLength() {
        var generator = SplitMix64(seed: 0x5EED_4231)
        // 0 to 200 bytes: empty, short, exactly one block (64) and longer keys that are hashed.
        for keyLength in 0...200 {
            let key = Self.randomBytes(keyLength, using: &generator)
            let message = Self.randomBytes(Int.random(in: 0...300, using: &generator), using: &generator)
            #expect(
                Pseudonymizer(anyLengthKey: key).mac(message) == Self.swiftCryptoMAC(key: key, message),
                "key length \(keyLength), message length \(message.count)")
        }
    }

    @Test func pseudonymsMatchSwiftCryptoForRandomKeysAndParts() {
        var generator = SplitMix64(seed: 0xC0FFEE)
        for round in 0..<400 {
            let key = Self.randomBytes(
                Int.random(in: Pseudonymizer.minimumKeyBytes...150, using: &generator), using: &generator)
            let pseudonymizer = Pseudonymizer(keyBytes: key)
            let member = Self.randomPart(using: &generator)
            let caseID = Self.randomPart(using: &generator)
            let childID = Self.randomPart(using: &generator)

            let token = pseudonymizer.identifierToken(member: member, rawID: caseID)
            #expect(token == Self.expected(key: key, "id", member, caseID), "round \(round)")
            #expect(
                pseudonymizer.caseKey(member: member, caseID: caseID)
                    == expectedCaseKey(key: key, member: member, caseID: caseID), "round \(round)")
            #expect(
                pseudonymizer.childKey(member: member, caseID: caseID, childID: childID)
                    == expectedChildKey(key: key, member: member, caseID: caseID, childID: childID),
                "round \(round)")
            // As in the pipeline: the case key read from the staged token, the child key made
            // from it and the child id's staged token.
            let caseKey = Pseudonym(token: token)
            #expect(caseKey == pseudonymizer.caseKey(member: member, caseID: caseID), "round \(round)")
            let childToken = Pseudonym(token: pseudonymizer.identifierToken(member: member, rawID: childID))
            #expect(childToken != nil, "round \(round)")
            if let caseKey, let childToken {
                #expect(
                    pseudonymizer.childKey(member: member, caseKey: caseKey, childToken: childToken)
                        == expectedChildKey(key: key, member: member, caseID: caseID, childID: childID),
                    "round \(round)")
            }
        }
    }

    /// Messages are padded and compressed in place when they fit four blocks with their padding
    /// (up to 247 bytes) and streamed through `SHA256_Update` beyond: every length around a
    /// block boundary and around that limit gives swift-crypto's MAC.
    @Test func everyMessageLengthAroundTheBlockBoundariesMatchesSwiftCrypto() {
        var generator = SplitMix64(seed: 0xB10C)
        let key = Self.randomBytes(32, using: &generator)
        let pseudonymizer = Pseudonymizer(keyBytes: key)
        let lengths = [0, 1, 54, 55, 56, 57, 63, 64, 65, 118, 119, 120, 121, 127, 128, 182, 183, 184, 191, 192]
            + Array(240...256) + [300, 1000]
        for length in lengths {
            let message = Self.randomBytes(length, using: &generator)
            #expect(pseudonymizer.mac(message) == Self.swiftCryptoMAC(key: key, message), "message length \(length)")
        }
        // A token's message is "id", 0x1F, the member, 0x1F, the raw id: 5 + 242 = 247 bytes fit,
        // 248 and more are streamed.
        for rawLength in 236...250 {
            let rawID = String(repeating: "7", count: rawLength)
            #expect(
                pseudonymizer.identifierToken(member: "M", rawID: rawID) == Self.expected(key: key, "id", "M", rawID),
                "raw id of \(rawLength) bytes")
        }
    }

    @Test func pseudonymsAreSixtyFourLowerCaseHexDigits() {
        let pseudonym = Pseudonymizer(keyBytes: Array("0123456789abcdef".utf8)).caseKey(member: "", caseID: "").hex
        #expect(pseudonym.utf8.count == 64)
        #expect(pseudonym.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        #expect(pseudonym == Self.expected(key: Array("0123456789abcdef".utf8), "id", "", ""))
    }

    // MARK: - Helpers

    /// swift-crypto's HMAC-SHA-256 of the parts joined by U+001F, in lower-case hex.
    static func expected(key: [UInt8], _ parts: String...) -> String {
        hex(swiftCryptoMAC(key: key, Array(parts.joined(separator: "\u{1F}").utf8)))
    }

    static func swiftCryptoMAC(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func randomBytes(_ count: Int, using generator: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Empty, ASCII, non-ASCII (2-, 3- and 4-byte UTF-8) and parts of up to several 64-byte blocks.
    static func randomPart(using generator: inout SplitMix64) -> String {
        let alphabet: [Character] = Array("abcXYZ019-_./ ") + ["ä", "ß", "é", "Ω", "ж", "漢", "€", "😀", "👩‍👧"]
        let length: Int
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: length = 0
        case 1, 2: length = Int.random(in: 1...12, using: &generator)
        case 3: length = 64
        default: length = Int.random(in: 13...260, using: &generator)
        }
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
