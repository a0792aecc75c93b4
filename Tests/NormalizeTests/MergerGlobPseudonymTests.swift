import Testing
@testable import Normalize

@Suite struct GlobTests {
    @Test func starMatchesWithinASegment() {
        #expect(Glob.matches("de-ivk/faelle-*.csv.gz", "de-ivk/faelle-2025.csv.gz"))
        #expect(Glob.matches("de-ivk/faelle-*.csv.gz", "de-ivk/faelle-.csv.gz"))  // * may be empty
        #expect(!Glob.matches("de-ivk/faelle-*.csv.gz", "de-ivk/faelle-2025.csv"))
        #expect(!Glob.matches("de-ivk/faelle-*.csv.gz", "de-ivk/kontakte-2025.csv.gz"))
        #expect(!Glob.matches("de-ivk/faelle-*.csv.gz", "it-ta/faelle-2025.csv.gz"))
        #expect(Glob.matches("*", "anything.json"))
        #expect(Glob.matches("*.json", "casi.json"))
    }

    @Test func starDoesNotCrossSlash() {
        #expect(!Glob.matches("de-ivk/faelle-*.csv.gz", "de-ivk/faelle-2025/x.csv.gz"))
        #expect(!Glob.matches("*.csv.gz", "de-ivk/faelle-2025.csv.gz"))
        #expect(!Glob.matches("de-ivk/*", "de-ivk/old/faelle.csv"))
        #expect(Glob.matches("*/faelle-*.csv", "de-ivk/faelle-1.csv"))
    }

    @Test func questionMarkIsOneCharacter() {
        #expect(Glob.matches("it-ta/casi-20??.json", "it-ta/casi-2025.json"))
        #expect(!Glob.matches("it-ta/casi-20??.json", "it-ta/casi-202.json"))
        #expect(!Glob.matches("it-ta/casi-20??.json", "it-ta/casi-20255.json"))
        #expect(!Glob.matches("de?ivk/x", "de/ivk/x"))
    }

    @Test func literalsAndEmpty() {
        #expect(Glob.matches("be-cf/dossiers.xml", "be-cf/dossiers.xml"))
        #expect(!Glob.matches("be-cf/dossiers.xml", "be-cf/dossiers.xml.gz"))
        #expect(Glob.matches("", ""))
        #expect(!Glob.matches("", "a"))
        #expect(Glob.matches("ä*", "äöü"))
    }
}

@Suite struct PseudonymizerTests {
    let key = Array("0123456789abcdef0123456789abcdef".utf8)

    @Test func matchesHMACOfTheDocumentedMessage() {
        let pseudonymizer = Pseudonymizer(keyBytes: key)
        #expect(pseudonymizer.caseKey(member: "DE-IVK", caseID: "2025-0042")
            == expectedCaseKey(key: key, member: "DE-IVK", caseID: "2025-0042"))
        #expect(pseudonymizer.caseKey(member: "DE-IVK", caseID: "2025-0042").hex
            == expectedPseudonym(key: key, "id", "DE-IVK", "2025-0042"))
        #expect(pseudonymizer.childKey(member: "DE-IVK", caseID: "2025-0042", childID: "2")
            == expectedChildKey(key: key, member: "DE-IVK", caseID: "2025-0042", childID: "2"))
    }

    @Test func separatesKindsMembersAndIDs() {
        let pseudonymizer = Pseudonymizer(keyBytes: key)
        let caseKey = pseudonymizer.caseKey(member: "DE-IVK", caseID: "7")
        #expect(caseKey == pseudonymizer.caseKey(member: "DE-IVK", caseID: "7"))
        #expect(caseKey != pseudonymizer.caseKey(member: "IT-TA", caseID: "7"))
        #expect(caseKey != pseudonymizer.caseKey(member: "DE-IVK", caseID: "8"))
        #expect(caseKey != pseudonymizer.childKey(member: "DE-IVK", caseID: "7", childID: "1"))
        #expect(pseudonymizer.childKey(member: "DE-IVK", caseID: "7", childID: "1")
            != pseudonymizer.childKey(member: "DE-IVK", caseID: "71", childID: ""))
        #expect(caseKey != Pseudonymizer(keyBytes: Array(key.reversed())).caseKey(member: "DE-IVK", caseID: "7"))
    }
}
