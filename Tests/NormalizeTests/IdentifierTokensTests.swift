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
        // (An empty value holds no id and is staged as it is.)
        func expected(_ id: String) -> String { id.isEmpty ? id : pseudonymizer.identifierToken(member: "DE-IVK", rawID: id) }
        for (caseID, childID) in rows {
            #expect(tokens.staged(field: 0, value: caseID) == expected(caseID))
            #expect(tokens.staged(field: 1, value: childID) == expected(childID))
        }
        var other = IdentifierTokens(pseudonymizer: pseudonymizer, member: "IT-TA", fieldCount: 1)
        #expect(other.staged(field: 0, value: "1") == pseudonymizer.identifierToken(member: "IT-TA", rawID: "1"))
        #expect(other.staged(field: 0, value: "1") != pseudonymizer.identifierToken(member: "DE-IVK", rawID: "1"))
    }

    /// "é" precomposed and "e" with a combining acute are equal `String`s with different bytes:
    /// each keeps its own token, right after the other.
    @Test func canonicallyEquivalentIdsWithOtherBytesKeepTheirOwnTokens() {
        let precomposed = "ID-\u{E9}", decomposed = "ID-e\u{301}"
        #expect(precomposed == decomposed)
        var tokens = IdentifierTokens(pseudonymizer: pseudonymizer, member: "FR-CNE", fieldCount: 1)
        let first = tokens.staged(field: 0, value: precomposed)
        let second = tokens.staged(field: 0, value: decomposed)
        #expect(first == pseudonymizer.identifierToken(member: "FR-CNE", rawID: precomposed))
        #expect(second == pseudonymizer.identifierToken(member: "FR-CNE", rawID: decomposed))
        #expect(first != second)
        #expect(tokens.staged(field: 0, value: decomposed) == second)
        #expect(tokens.staged(field: 0, value: precomposed) == first)
    }

    /// An id padded with spaces is the id (the normalizer trims every value); a value that is one
    /// of the null values once trimmed holds no id and is staged as it is, whatever came before.
    @Test func idsAreTrimmedAndNullValuesStayAsTheyAre() {
        var tokens = IdentifierTokens(
            pseudonymizer: pseudonymizer, member: "DE-IVK", fieldCount: 1, nullValues: ["", "-", "n/a"])
        let token42 = pseudonymizer.identifierToken(member: "DE-IVK", rawID: "42")
        let values: [(String, String)] = [
            ("42", token42), (" 42 ", token42), ("-", "-"), ("\t42", token42), ("", ""), ("  ", "  "), (" - ", " - "),
            ("n/a", "n/a"), ("N/A", pseudonymizer.identifierToken(member: "DE-IVK", rawID: "N/A")), ("42", token42),
            ("4 2", pseudonymizer.identifierToken(member: "DE-IVK", rawID: "4 2")), ("- -", pseudonymizer.identifierToken(member: "DE-IVK", rawID: "- -")),
        ]
        for (value, staged) in values {
            #expect(tokens.staged(field: 0, value: value) == staged, "\"\(value)\"")
        }
        // Without null values, an empty value is still no id; anything else is one.
        var noNulls = IdentifierTokens(pseudonymizer: pseudonymizer, member: "DE-IVK", fieldCount: 1)
        #expect(noNulls.staged(field: 0, value: " ") == " ")
        #expect(noNulls.staged(field: 0, value: "") == "")
        #expect(noNulls.staged(field: 0, value: "-") == pseudonymizer.identifierToken(member: "DE-IVK", rawID: "-"))
    }

    /// The bytes form gives what `staged(field:value:)` gives for every value, in any order:
    /// ids as they are, padded ids, null values (ASCII or not), empty and blank values,
    /// canonically equivalent ids, each after itself and after the others.
    @Test func theBytesFormStagesWhatTheTextFormStages() {
        let values = [
            "42", "42", " 42 ", "42", "-", "\t42", "", "", "  ", " - ", "n/a", "N/A", "4 2", "- -", "ID-\u{E9}", "ID-e\u{301}",
            "ID-\u{E9}", "\u{E9}", " \u{E9} ", "1", "1", "\u{A0}7\u{A0}", "Zo\u{EB}-\u{1F600}",
        ]
        let nullValues: Set<String> = ["", "-", "n/a", "\u{E9}"]
        var text = IdentifierTokens(pseudonymizer: pseudonymizer, member: "DE-IVK", fieldCount: 2, nullValues: nullValues)
        var bytes = IdentifierTokens(pseudonymizer: pseudonymizer, member: "DE-IVK", fieldCount: 2, nullValues: nullValues)
        for (index, value) in (values + values.reversed()).enumerated() {
            let field = index % 2
            let staged = text.staged(field: field, value: value)
            var copy = value
            let token = copy.withUTF8 { bytes.token(field: field, utf8: $0) }
            #expect((token?.hex ?? value) == staged, "\"\(value)\" in field \(field)")
        }
        // The id's bytes are what is keyed: a token from the bytes is the text's token.
        var fresh = IdentifierTokens(pseudonymizer: pseudonymizer, member: "IT-TA", fieldCount: 1)
        var id = "CASO-7"
        #expect(id.withUTF8 { fresh.token(field: 0, utf8: $0) } == pseudonymizer.token(member: "IT-TA", rawID: "CASO-7"))
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
