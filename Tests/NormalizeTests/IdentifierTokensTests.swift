import Testing

@testable import Normalize

@Suite struct IdentifierTokensTests {
    let pseudonymizer = Pseudonymizer(keyBytes: Array("0123456789abcdef0123".utf8))

    @Test func everyTokenIsTheOneThePseudonymizerGivesWhateverCameBefore() {
        var tokens = IdentifierTokens(pseudonymizer: pseudonymizer, member: "DE-IVK", fieldCount: 2)
        let rows: [(String, String)] = [
            ("2025-0001", "1"), ("2025-0002", "1"), ("2025-0002", "2"), ("2025-0003", "1"), ("1", "1"), ("", ""),
            ("2025-0003", "1"),
        ]
        for (caseID, childID) in rows {
            #expect(tokens.token(field: 0, rawID: caseID) == pseudonymizer.identifierToken(member: "DE-IVK", rawID: caseID))
            #expect(tokens.token(field: 1, rawID: childID) == pseudonymizer.identifierToken(member: "DE-IVK", rawID: childID))
        }
        var other = IdentifierTokens(pseudonymizer: pseudonymizer, member: "IT-TA", fieldCount: 1)
        #expect(other.token(field: 0, rawID: "1") == pseudonymizer.identifierToken(member: "IT-TA", rawID: "1"))
        #expect(other.token(field: 0, rawID: "1") != pseudonymizer.identifierToken(member: "DE-IVK", rawID: "1"))
    }

    /// "é" precomposed and "e" with a combining acute are equal `String`s with different bytes:
    /// each keeps its own token, right after the other.
    @Test func canonicallyEquivalentIdsWithOtherBytesKeepTheirOwnTokens() {
        let precomposed = "ID-\u{E9}", decomposed = "ID-e\u{301}"
        #expect(precomposed == decomposed)
        var tokens = IdentifierTokens(pseudonymizer: pseudonymizer, member: "FR-CNE", fieldCount: 1)
        let first = tokens.token(field: 0, rawID: precomposed)
        let second = tokens.token(field: 0, rawID: decomposed)
        #expect(first == pseudonymizer.identifierToken(member: "FR-CNE", rawID: precomposed))
        #expect(second == pseudonymizer.identifierToken(member: "FR-CNE", rawID: decomposed))
        #expect(first != second)
        #expect(tokens.token(field: 0, rawID: decomposed) == second)
        #expect(tokens.token(field: 0, rawID: precomposed) == first)
    }

    @Test func sameBytesComparesTheUTF8BytesExactly() {
        let long = String(repeating: "CSVGZ-1-", count: 4)
        #expect(IdentifierTokens.sameBytes("", ""))
        #expect(IdentifierTokens.sameBytes("CSVGZ-1-0000001", "CSVGZ-1-" + "0000001"))
        #expect(IdentifierTokens.sameBytes(long + "1", long + "1"))
        #expect(!IdentifierTokens.sameBytes("CSVGZ-1-0000001", "CSVGZ-1-0000002"))
        #expect(!IdentifierTokens.sameBytes(long + "1", long + "2"))
        #expect(!IdentifierTokens.sameBytes("1", "11"))
        #expect(!IdentifierTokens.sameBytes("", "1"))
        #expect(!IdentifierTokens.sameBytes("\u{E9}", "e\u{301}"))
        #expect(IdentifierTokens.sameBytes("Zo\u{EB}-\u{1F600}", "Zo\u{EB}-\u{1F600}"))
    }
}
