import Extract
import Testing
@testable import Normalize

/// The mapping language's options (docs/mapping.md): lenient map matching, yes/no shorthand,
/// decimal comma, derived-field sources, and the loader's refusals, each with its exact position.
/// Mappings are small changes to `MappingProblemTests.lines` (lines 1-12).
@Suite struct MappingLanguageLoaderTests {
    static func load(_ text: String) throws -> MemberMapping {
        let path = try Support.write(text, as: "member.yaml")
        defer { Support.remove(path) }
        return try MemberMapping.load(path: path, taxonomy: Support.codedTaxonomy)
    }

    static func cases(_ text: String) throws -> SubmissionMapping {
        try #require(try load(text).submissions.first)
    }

    @Test func switchesOnAFieldAndForTheSubmission() throws {
        // field level
        let field = try Self.cases(MappingProblemTests.replacing(
            10, with: "      category: { from: Cat, map: { weg: RUNAWAY }, ignore_case: true, ignore_accents: true }"))
        #expect(field.fields[.category] == FieldRule(
            source: "Cat", map: ["weg": "RUNAWAY"], options: ValueOptions(ignoreCase: true, ignoreAccents: true)))
        #expect(field.fields[.childGender]?.options == ValueOptions())

        // submission level: every field, unless the field says otherwise
        var lines = MappingProblemTests.lines
        lines.insert(contentsOf: ["    ignore_case: true", "    collapse_spaces: true", "    decimal_comma: true"], at: 6)
        lines[13] = "      child_gender: { from: Sex, map: { w: FEMALE }, default: UNKNOWN, ignore_case: false }"
        let submission = try Self.cases(MappingProblemTests.text(lines))
        let all = ValueOptions(ignoreCase: true, collapseSpaces: true, decimalComma: true)
        #expect(submission.fields[.category]?.options == all)
        #expect(submission.fields[.caseID] == FieldRule(source: "Nr", options: all))
        #expect(submission.fields[.childGender]?.options == ValueOptions(collapseSpaces: true, decimalComma: true))
    }

    @Test func yesNoShorthand() throws {
        let submission = try Self.cases(MappingProblemTests.inserting(
            "      cross_border: { from: GU, yes: [ja, j, \"1\"], no: [nein, n, \"0\"] }", after: 12))
        #expect(submission.fields[.crossBorder] == FieldRule(
            source: "GU", map: ["ja": "true", "j": "true", "1": "true", "nein": "false", "n": "false", "0": "false"]))
        // a single value, quoted keys, and together with map:
        let mixed = try Self.cases(MappingProblemTests.inserting(
            "      repeat_missing: { from: W, \"yes\": oui, \"no\": non, map: { peut-être: false } }", after: 12))
        #expect(mixed.fields[.repeatMissing]?.map == ["oui": "true", "non": "false", "peut-être": "false"])
    }

    @Test func derivedFieldSourcesAreCanonicalFields() throws {
        var lines = MappingProblemTests.lines
        lines += [
            "      birth_date: { from: Geboren, formats: [\"dd.MM.yyyy\", \"yyyy-MM-dd\"] }",
            "      missing_since: { from: Seit, formats: [\"dd.MM.yyyy\"] }",
            "      found_on: Gefunden",
        ]
        let submission = try Self.cases(MappingProblemTests.text(lines))
        #expect(submission.fields[.birthDate] == FieldRule(
            source: "Geboren", formats: [DatePattern("dd.MM.yyyy")!, DatePattern("yyyy-MM-dd")!]))
        #expect(submission.fields[.missingSince] == FieldRule(source: "Seit", formats: [DatePattern("dd.MM.yyyy")!]))
        #expect(submission.fields[.foundOn] == FieldRule(source: "Gefunden"))
        #expect(submission.sourcePaths == ["Cat", "Geboren", "Gefunden", "Nr", "Opened", "Result", "Seit", "Sex"])
    }

    @Test func mapOnAnIdentifierIsRefused() throws {
        let (path, problems) = try Support.mappingProblems(
            MappingProblemTests.replacing(8, with: "      case_id: { from: Nr, map: { A1: B2 } }"))
        #expect(problems == [
            "\(path):8:28: case_id is an identifier and cannot have map: (ids are pseudonymised as they are; "
                + "a map would copy local ids into the mapping file and messages)"
        ])
        let (childPath, childProblems) = try Support.mappingProblems(
            MappingProblemTests.inserting("      child_id: { from: Kind, yes: [1] }", after: 8))
        #expect(childProblems == [
            "\(childPath):9:31: child_id is an identifier and cannot have yes: (ids are pseudonymised as they are; "
                + "a map would copy local ids into the mapping file and messages)"
        ])
    }

    @Test func constantOrDefaultCaseIDIsRefused() throws {
        let (path, problems) = try Support.mappingProblems(
            MappingProblemTests.replacing(8, with: "      case_id: { value: X }"))
        #expect(problems == [
            "\(path):8:18: case_id cannot have value: (every record needs its own case id; a record without one "
                + "is quarantined)"
        ])
        let (defaultPath, defaultProblems) = try Support.mappingProblems(
            MappingProblemTests.replacing(8, with: "      case_id: { from: Nr, default: X }"))
        #expect(defaultProblems == [
            "\(defaultPath):8:28: case_id cannot have default: (every record needs its own case id; a record "
                + "without one is quarantined)"
        ])
    }

    @Test func emptyFormats() throws {
        let (path, problems) = try Support.mappingProblems(
            MappingProblemTests.replacing(9, with: "      opened_on: { from: Opened, formats: [] }"))
        #expect(problems == [
            "\(path):9:43: formats is empty (list the date patterns to try, e.g. formats: [\"dd.MM.yyyy\"], "
                + "or leave formats out for yyyy-MM-dd)"
        ])
    }

    @Test func formatsOnANonDateFieldAndAMappingAsFormats() throws {
        let (path, problems) = try Support.mappingProblems(
            MappingProblemTests.replacing(12, with: "      outcome: { from: Result, default: UNKNOWN, formats: [dd.MM.yyyy] }"))
        #expect(problems == ["\(path):12:59: formats only applies to date fields, not outcome"])
        let (mappingPath, mappingProblems) = try Support.mappingProblems(
            MappingProblemTests.replacing(9, with: "      opened_on: { from: Opened, formats: { a: b } }"))
        #expect(mappingProblems == ["\(mappingPath):9:43: formats must be a list such as [\"dd.MM.yyyy\"]"])
    }

    @Test func switchThatIsNotTrueOrFalse() throws {
        let (path, problems) = try Support.mappingProblems(
            MappingProblemTests.replacing(10, with: "      category: { from: Cat, map: { weg: RUNAWAY }, ignore_case: ja }"))
        #expect(problems == ["\(path):10:66: ignore_case must be true or false, not \"ja\""])
        let (submissionPath, submissionProblems) = try Support.mappingProblems(
            MappingProblemTests.inserting("    decimal_comma: 1", after: 6))
        #expect(submissionProblems == ["\(submissionPath):7:20: decimal_comma must be true or false, not \"1\""])
    }

    @Test func switchThatDoesNotApply() throws {
        let (path, problems) = try Support.mappingProblems(
            MappingProblemTests.replacing(12, with: "      outcome: { from: Result, default: UNKNOWN, ignore_accents: true }"))
        #expect(problems == ["\(path):12:50: ignore_accents only applies to a field with map:, yes: or no:"])
        let (decimalPath, decimalProblems) = try Support.mappingProblems(
            MappingProblemTests.replacing(12, with: "      outcome: { from: Result, default: UNKNOWN, decimal_comma: true }"))
        #expect(decimalProblems == ["\(decimalPath):12:50: decimal_comma only applies to number fields, not outcome"])
    }

    @Test func yesNoOnAFieldThatIsNotYesNo() throws {
        let (path, problems) = try Support.mappingProblems(
            MappingProblemTests.replacing(10, with: "      category: { from: Cat, yes: [weg] }"))
        #expect(problems == [
            "\(path):10:30: yes: only applies to yes/no fields, not category (use map: to translate local values)"
        ])
    }

    @Test func keysThatMatchTheSameValuesWithDifferentTargets() throws {
        let (path, problems) = try Support.mappingProblems(MappingProblemTests.replacing(
            10, with: "      category: { from: Cat, map: { Weg: RUNAWAY, wég: OTHERWISE_MISSING }, ignore_case: true, ignore_accents: true }"))
        #expect(problems == [
            "\(path):10:51: \"wég\" and \"Weg\" match the same values but map to OTHERWISE_MISSING and RUNAWAY "
                + "(keep one of them, or map both to the same value)"
        ])
        // the same target is fine
        let same = try Self.cases(MappingProblemTests.replacing(
            10, with: "      category: { from: Cat, map: { Weg: RUNAWAY, weg: RUNAWAY }, ignore_case: true }"))
        #expect(same.fields[.category]?.map == ["Weg": "RUNAWAY"])
        // keys that differ only in spaces at the ends are the same key
        let (spacePath, spaceProblems) = try Support.mappingProblems(MappingProblemTests.replacing(
            10, with: "      category: { from: Cat, map: { weg: RUNAWAY, \" weg\": LOST_INJURED } }"))
        #expect(spaceProblems == [
            "\(spacePath):10:51: \"weg\" and \"weg\" match the same values but map to LOST_INJURED and RUNAWAY "
                + "(keep one of them, or map both to the same value)"
        ])
    }

    @Test func valueUnderBothYesAndNo() throws {
        let (path, problems) = try Support.mappingProblems(MappingProblemTests.inserting(
            "      cross_border: { from: GU, yes: [ja, x], no: [nein, x] }", after: 12))
        #expect(problems == [
            "\(path):13:58: \"x\" and \"x\" match the same values but map to false and true "
                + "(keep one of them, or map both to the same value)"
        ])
    }

    @Test func yesNoTargetsAreChecked() throws {
        let (path, problems) = try Support.mappingProblems(MappingProblemTests.inserting(
            "      cross_border: { from: GU, map: { ja: vielleicht } }", after: 12))
        #expect(problems == [
            "\(path):13:44: map target \"vielleicht\" for cross_border: \"vielleicht\" is not a yes/no value "
                + "(map it to true or false)"
        ])
    }

    @Test func unknownKeyListsTheNewKeys() throws {
        let (path, problems) = try Support.mappingProblems(
            MappingProblemTests.replacing(12, with: "      outcome: { from: Result, default: UNKNOWN, ignore: true }"))
        #expect(problems == [
            "\(path):12:50: unknown key \"ignore\" in field outcome (allowed keys: from, map, yes, no, formats, default, "
                + "value, ignore_case, ignore_accents, collapse_spaces, decimal_comma)"
        ])
    }

    @Test func theSampleMappingsStillLoadWithoutOptions() throws {
        for name in ["be-cf.yaml", "de-ivk.yaml", "it-ta.yaml"] {
            let mapping = try MemberMapping.load(path: Support.memberPath(name), taxonomy: try Support.taxonomy())
            for submission in mapping.submissions {
                #expect(submission.fields.values.allSatisfy { $0.options == ValueOptions() })
            }
        }
    }
}

@Suite struct ValueOptionsTests {
    @Test func matchKeys() {
        #expect(ValueOptions().matchKey("Enlèvement  Parental") == "Enlèvement  Parental")
        #expect(ValueOptions(ignoreCase: true).matchKey("Enlèvement  Parental") == "enlèvement  parental")
        #expect(ValueOptions(ignoreAccents: true).matchKey("Enlèvement  Parental") == "Enlevement  Parental")
        #expect(ValueOptions(collapseSpaces: true).matchKey("Enlèvement \t\u{A0} Parental") == "Enlèvement Parental")
        #expect(ValueOptions(ignoreCase: true, ignoreAccents: true, collapseSpaces: true)
            .matchKey("ENLÈVEMENT   parental") == "enlevement parental")
        // decomposed input (e + combining grave) folds the same way
        #expect(ValueOptions(ignoreAccents: true).matchKey("Enle\u{300}vement") == "Enlevement")
        // letters that are not a base letter plus a mark stay
        #expect(ValueOptions(ignoreCase: true, ignoreAccents: true).matchKey("Straße Ø") == "straße ø")
        #expect(ValueOptions(ignoreAccents: true).matchKey("sì") == "si")
    }

    @Test func lookups() {
        let map = ["fugue": "RUNAWAY", "enlèvement parental": "PARENTAL_ABDUCTION"]
        let exact = MapLookup(map: map, options: ValueOptions())
        #expect(exact.target(for: "fugue") == "RUNAWAY")
        #expect(exact.target(for: "Fugue") == nil)
        // canonically equivalent spellings are equal even when matching exactly
        #expect(exact.target(for: "enle\u{300}vement parental") == "PARENTAL_ABDUCTION")
        let lenient = MapLookup(map: map, options: ValueOptions(ignoreCase: true, ignoreAccents: true, collapseSpaces: true))
        #expect(lenient.target(for: "FUGUE") == "RUNAWAY")
        #expect(lenient.target(for: "Enlevement  Parental") == "PARENTAL_ABDUCTION")
        #expect(lenient.target(for: "enlèvement") == nil)
    }

    @Test func aLargeExactMapFindsEveryKeyAndNothingElse() {
        let map = Dictionary(uniqueKeysWithValues: (0..<500).map { ("code-\($0)", "T\($0 % 7)") })
        let lookup = MapLookup(map: map, options: ValueOptions())
        #expect(lookup.targets == (0..<7).map { "T\($0)" })
        for (local, target) in map {
            #expect(lookup.target(for: local) == target)
            #expect(lookup.targetIndex(for: local).map { lookup.targets[$0] } == target)
        }
        for miss in ["code-500", "code-", "", "Code-1", "code-1 "] {
            #expect(lookup.target(for: miss) == nil, "\(miss)")
        }
    }
}

@Suite struct WholeNumberTests {
    let taxonomy = Support.codedTaxonomy

    func interpret(_ text: String, _ field: CanonicalField, decimalComma: Bool = false) -> Result<FieldValue, FieldProblem> {
        FieldInterpreter.interpret(
            text, field: field, formats: [DatePattern("yyyy-MM-dd")!], taxonomy: taxonomy, decimalComma: decimalComma)
    }

    @Test func decimalPointByDefault() {
        #expect(interpret("15.0", .childAge) == .success(.integer(15)))
        #expect(interpret("15.000", .daysMissing) == .success(.integer(15)))
        #expect(interpret("-3.0", .daysMissing) == .failure(FieldProblem(.outOfRange, "-3 is outside 0...36600")))
        #expect(interpret("2.5", .childAge) == .failure(FieldProblem(.malformed, "\"2.5\" is not a whole number")))
        #expect(interpret("15,0", .childAge) == .failure(FieldProblem(.malformed, "\"15,0\" is not a whole number")))
        #expect(interpret("15.", .childAge) == .failure(FieldProblem(.malformed, "\"15.\" is not a whole number")))
        #expect(interpret(".0", .childAge) == .failure(FieldProblem(.malformed, "\".0\" is not a whole number")))
        #expect(interpret("1.000.000", .count) == .failure(FieldProblem(.malformed, "\"1.000.000\" is not a whole number")))
    }

    @Test func decimalComma() {
        #expect(interpret("15,0", .childAge, decimalComma: true) == .success(.integer(15)))
        #expect(interpret("12", .month, decimalComma: true) == .success(.integer(12)))
        #expect(interpret("7,00", .count, decimalComma: true) == .success(.integer(7)))
        #expect(interpret("2,5", .childAge, decimalComma: true)
            == .failure(FieldProblem(.malformed, "\"2,5\" is not a whole number")))
        #expect(interpret("15.0", .childAge, decimalComma: true)
            == .failure(FieldProblem(.malformed, "\"15.0\" is not a whole number")))
        #expect(interpret("18,0", .childAge, decimalComma: true)
            == .failure(FieldProblem(.outOfScope, "18 is outside the dataset's scope 0...17")))
    }

    @Test func articleBeforeTheCodeList() {
        #expect(interpret("LOST", .outcome)
            == .failure(FieldProblem(.unknownCode, "\"LOST\" is not an outcome code of the taxonomy")))
        #expect(interpret("FAX", .channel)
            == .failure(FieldProblem(.unknownCode, "\"FAX\" is not a channel code of the taxonomy")))
        #expect(FieldInterpreter.article("outcome") == "an")
        #expect(FieldInterpreter.article("found_by") == "a")
        #expect(FieldInterpreter.article("") == "a")
    }
}

/// Values are trimmed of whitespace as Swift's `Character.isWhitespace` sees it, through three
/// paths (ASCII ends, scalars below U+0300 at the ends, grapheme clusters); each must agree with
/// the plain definition.
@Suite struct TrimTests {
    /// The definition, character by character.
    static func reference(_ text: String) -> String {
        var characters = Substring(text)
        while let first = characters.first, first.isWhitespace { characters = characters.dropFirst() }
        while let last = characters.last, last.isWhitespace { characters = characters.dropLast() }
        return String(characters)
    }

    @Test(arguments: [
        ("RUNAWAY", "RUNAWAY"), ("", ""), ("  ", ""), (" a b ", "a b"), ("\tFUGUE\r\n", "FUGUE"),
        ("fugué", "fugué"), ("été", "été"), ("ß", "ß"), ("\u{A0}Zürich\u{A0}", "Zürich"),
        ("\u{85}x", "x"), ("x\u{2003}", "x"), ("\u{3000}東京", "東京"),
        // A space followed by a combining accent is one whitespace character: both go.
        ("x \u{301}", "x"), ("e\u{301}", "e\u{301}"), ("\u{301}x", "\u{301}x"),
    ])
    func trimsLikeCharacterWhitespace(text: String, expected: String) {
        #expect(MappingLoader.trim(text) == expected)
        #expect(Self.reference(text) == expected)
    }

    /// The shortcut for scalars below U+0300 agrees with the Unicode property for every scalar
    /// up to U+3000 (the last whitespace scalar).
    @Test func whitespaceShortcutIsTheUnicodeProperty() {
        for value in UInt32(0)...0x3000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(MappingLoader.isWhitespace(scalar) == scalar.properties.isWhitespace, "U+\(String(value, radix: 16))")
        }
    }
}

/// The exact-match table behind every map lookup: keys by their UTF-8 bytes, probing past
/// collisions, and no match for a prefix, an extension or a different normalisation.
@Suite struct ByteKeyTableTests {
    @Test func findsEveryKeyAndNothingElse() {
        var entries: [String: Int] = ["": 0, "A": 1, "AB": 2, "Ausreißer": 3, "Ausreisser": 4, "é": 5]
        for n in 0..<200 { entries["code-\(n)"] = 100 + n }  // enough keys for probing chains
        let table = ByteKeyTable(entries)
        for (key, value) in entries { #expect(table.index(of: key) == value, "\(key)") }
        for miss in ["B", "ABC", "a", "Ausreiß", "e\u{301}", "code-200", "code-", " A", "A "] {
            #expect(table.index(of: miss) == nil, "\(miss)")
        }
        #expect(ByteKeyTable([:]).index(of: "") == nil)
        #expect(ByteKeyTable([:]).index(of: "A") == nil)
    }
}
