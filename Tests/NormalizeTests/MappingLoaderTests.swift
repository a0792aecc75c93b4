import Extract
import Testing
@testable import Normalize

@Suite struct RealMemberMappingTests {
    @Test func germanCSVMember() throws {
        let path = Support.memberPath("de-ivk.yaml")
        let mapping = try MemberMapping.load(path: path, taxonomy: try Support.taxonomy())
        #expect(mapping.memberID == "DE-IVK")
        #expect(mapping.country == "DE")
        #expect(mapping.name == "Initiative Vermisste Kinder (synthetic sample)")
        #expect(mapping.path == path)
        #expect(mapping.submissions.count == 2)

        let cases = try #require(mapping.submissions.first)
        #expect(cases.match == "de-ivk/faelle-*.csv.gz")
        #expect(cases.kind == .cases)
        #expect(cases.format == .csv(CSVOptions(
            delimiter: UInt8(ascii: ";"), quote: UInt8(ascii: "\""), encoding: .windows1252, hasHeader: true)))
        #expect(cases.nullValues == ["", "-"])
        #expect(cases.fields.count == 15)
        #expect(cases.fields[.caseID] == FieldRule(source: "Fallnummer"))
        #expect(cases.fields[.childID] == FieldRule(source: "Kind-Nr"))
        #expect(cases.fields[.openedOn] == FieldRule(source: "Eröffnet", formats: [DatePattern("dd.MM.yyyy")!]))
        #expect(cases.fields[.category]?.map?["Ausreißer"] == "RUNAWAY")
        #expect(cases.fields[.category]?.map?["vermisst, unbekannter Grund"] == "OTHERWISE_MISSING")
        #expect(cases.fields[.category]?.map?.count == 7)
        #expect(cases.fields[.crossBorder] == FieldRule(source: "Grenzüberschreitend", map: ["ja": "true", "nein": "false"]))
        #expect(cases.fields[.childGender] == FieldRule(
            source: "Geschlecht", map: ["w": "FEMALE", "m": "MALE", "d": "OTHER"], defaultValue: "UNKNOWN"))
        #expect(cases.fields[.childAge] == FieldRule(source: "Alter"))
        #expect(cases.fields[.foundBy]?.map?["Öffentlichkeit"] == "PUBLIC")
        #expect(cases.matches("de-ivk/faelle-2025.csv.gz"))
        #expect(!cases.matches("de-ivk/kontakte-2025.csv.gz"))

        let contacts = mapping.submissions[1]
        #expect(contacts.kind == .contacts)
        #expect(contacts.nullValues == [""])  // the default
        #expect(contacts.fields.count == 4)
        #expect(contacts.fields[.month] == FieldRule(source: "Monat"))
        #expect(contacts.fields[.count] == FieldRule(source: "Anzahl"))
        #expect(contacts.fields[.contactType]?.map?["falsch verbunden"] == "WRONG_NUMBER")
        #expect(contacts.sourcePaths == ["Anzahl", "Kanal", "Kontaktart", "Monat"])
    }

    @Test func belgianXMLMember() throws {
        let mapping = try MemberMapping.load(path: Support.memberPath("be-cf.yaml"), taxonomy: try Support.taxonomy())
        #expect(mapping.memberID == "BE-CF")
        #expect(mapping.country == "BE")
        #expect(mapping.submissions.count == 2)
        let cases = mapping.submissions[0]
        #expect(cases.match == "be-cf/dossiers-*.xml")
        #expect(cases.format == .xml(XMLOptions(
            recordPath: "/cf:export/cf:dossiers/cf:dossier", namespaces: ["cf": "urn:example:childfocus:dossiers:1"])))
        #expect(cases.nullValues == [""])
        #expect(cases.fields.count == 14)
        #expect(cases.fields[.childID] == nil)
        #expect(cases.fields[.caseID] == FieldRule(source: "@id"))
        #expect(cases.fields[.childAge] == FieldRule(source: "cf:enfant/@age"))
        #expect(cases.fields[.category]?.map?["enlèvement parental"] == "PARENTAL_ABDUCTION")
        #expect(cases.fields[.category]?.map?["MENA disparu"] == "MISSING_MIGRANT")
        #expect(cases.fields[.outcome]?.defaultValue == "UNKNOWN")
        #expect(cases.fields[.outcome]?.source == "cf:issue")
        let contacts = mapping.submissions[1]
        #expect(contacts.format == .xml(XMLOptions(
            recordPath: "/c:contacts/c:ligne", namespaces: ["c": "urn:example:childfocus:contacts:1"])))
        #expect(contacts.fields[.month] == FieldRule(source: "@mois"))
    }

    @Test func italianJSONMember() throws {
        let mapping = try MemberMapping.load(path: Support.memberPath("it-ta.yaml"), taxonomy: try Support.taxonomy())
        #expect(mapping.memberID == "IT-TA")
        #expect(mapping.country == "IT")
        #expect(mapping.submissions.map(\.match) == ["it-ta/casi-*.json", "it-ta/contatti-*.json"])
        let cases = mapping.submissions[0]
        #expect(cases.format == .json(JSONOptions(records: .arrayAt("$.dossiers[*]"))))
        #expect(cases.fields[.crossBorder]?.map == ["sì": "true", "si": "true", "no": "false"])
        #expect(cases.fields[.violenceExperienced] == FieldRule(source: "violenza"))
        #expect(cases.fields[.childAge] == FieldRule(source: "minore.eta"))
        #expect(cases.fields[.foundBy]?.map?["carabinieri"] == "POLICE")
        #expect(cases.fields[.closedOn] == FieldRule(source: "esito.chiusura", formats: [DatePattern("yyyy-MM-dd")!]))
        #expect(mapping.submissions[1].format == .json(JSONOptions(records: .arrayAt("$.contatti[*]"))))
    }
}

/// Broken mapping files, each a small change to `valid`. Line and column numbers are 1-based.
@Suite struct MappingProblemTests {
    static let lines = [
        "member: XX-TEST",  // 1
        "country: XX",  // 2
        "submissions:",  // 3
        "  - match: \"xx/cases-*.csv\"",  // 4
        "    kind: cases",  // 5
        "    format: csv",  // 6
        "    fields:",  // 7
        "      case_id: Nr",  // 8
        "      opened_on: { from: Opened, formats: [\"dd.MM.yyyy\"] }",  // 9
        "      category: { from: Cat, map: { weg: RUNAWAY } }",  // 10
        "      child_gender: { from: Sex, map: { w: FEMALE }, default: UNKNOWN }",  // 11
        "      outcome: { from: Result, default: UNKNOWN }",  // 12
    ]

    static func text(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

    static func replacing(_ line: Int, with text: String) -> String {
        var lines = lines
        lines[line - 1] = text
        return Self.text(lines)
    }

    static func inserting(_ text: String, after line: Int) -> String {
        var lines = lines
        lines.insert(text, at: line)
        return Self.text(lines)
    }

    @Test func validBaseLoads() throws {
        let path = try Support.write(Self.text(Self.lines), as: "member.yaml")
        defer { Support.remove(path) }
        let mapping = try MemberMapping.load(path: path, taxonomy: Support.codedTaxonomy)
        #expect(mapping.memberID == "XX-TEST")
        #expect(mapping.name == "XX-TEST")  // no name: the member id
        let submission = try #require(mapping.submissions.first)
        #expect(submission.format == .csv(CSVOptions()))
        #expect(submission.fields[.outcome] == FieldRule(source: "Result", defaultValue: "UNKNOWN"))
        #expect(submission.sourcePaths == ["Cat", "Nr", "Opened", "Result", "Sex"])
    }

    @Test func unknownField() throws {
        let (path, problems) = try Support.mappingProblems(Self.inserting("      colour: Farbe", after: 12))
        #expect(problems == [
            "\(path):13:7: unknown field \"colour\" for cases submissions (fields: case_id, child_id, opened_on, "
                + "closed_on, category, cross_border, repeat_missing, violence_experienced, destination_country, "
                + "child_age, birth_date, child_gender, outcome, found_by, days_missing, missing_since, found_on, "
                + "first_channel)"
        ])
    }

    @Test func contactFieldInACaseSubmission() throws {
        let (path, problems) = try Support.mappingProblems(Self.inserting("      month: Monat", after: 8))
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("\(path):9:7: unknown field \"month\" for cases submissions (") == true)
    }

    @Test func mapTargetNotInTaxonomy() throws {
        let (path, problems) = try Support.mappingProblems(
            Self.replacing(10, with: "      category: { from: Cat, map: { weg: RUNAWAYS } }"))
        #expect(problems == [
            "\(path):10:42: map target \"RUNAWAYS\" for category: \"RUNAWAYS\" is not a category code of the "
                + "taxonomy (category codes in the taxonomy: RUNAWAY, PARENTAL_ABDUCTION, CRIMINAL_ABDUCTION, "
                + "MISSING_MIGRANT, LOST_INJURED, OTHERWISE_MISSING)"
        ])
    }

    @Test func defaultNotInTaxonomy() throws {
        let (path, problems) = try Support.mappingProblems(
            Self.replacing(12, with: "      outcome: { from: Result, default: LOST }"))
        // `LOST` starts at column 41 of line 12.
        #expect(problems == [
            "\(path):12:41: default \"LOST\" for outcome: \"LOST\" is not an outcome code of the taxonomy "
                + "(outcome codes in the taxonomy: FOUND, FOUND_DECEASED, NOT_FOUND, UNKNOWN)"
        ])
    }

    @Test func badDatePattern() throws {
        let (path, problems) = try Support.mappingProblems(
            Self.replacing(9, with: "      opened_on: { from: Opened, formats: [\"dd.MM.yy\"] }"))
        // reported at the pattern itself, whose `"` is column 44
        #expect(problems == [
            "\(path):9:44: bad date pattern \"dd.MM.yy\" (use yyyy, MM and dd once each with separators, e.g. dd.MM.yyyy)"
        ])
    }

    @Test func missingRequiredField() throws {
        var lines = Self.lines
        lines.removeLast()  // no outcome
        let (path, problems) = try Support.mappingProblems(Self.text(lines))
        // reported at the fields mapping, which starts with case_id at 8:7
        #expect(problems == [
            "\(path):8:7: required field outcome is not mapped (add outcome: with from:, value: or default:)"
        ])
    }

    @Test func unknownKey() throws {
        let (path, problems) = try Support.mappingProblems(Self.inserting("    delimiter: \";\"", after: 6))
        #expect(problems == [
            "\(path):7:5: unknown key \"delimiter\" in a submission entry "
                + "(allowed keys: match, kind, format, csv, xml, json, null_values, fields, ignore_case, ignore_accents, "
                + "collapse_spaces, decimal_comma)"
        ])
    }

    @Test func unknownEncoding() throws {
        var lines = Self.lines
        lines.insert(contentsOf: ["    csv:", "      encoding: latin-9"], at: 6)
        let (path, problems) = try Support.mappingProblems(Self.text(lines))
        #expect(problems == [
            "\(path):8:17: unknown encoding \"latin-9\" "
                + "(use one of utf-8, utf-16, windows-1252, iso-8859-1, iso-8859-15)"
        ])
    }

    @Test func severalProblemsAreReportedTogether() throws {
        var lines = Self.lines
        lines[9] = "      category: { from: Cat, map: { weg: RUNAWAYS } }"  // line 10
        lines.removeLast()  // no outcome (line 12)
        lines.insert("      colour: Farbe", at: 8)  // line 9; category moves to line 11
        let (path, problems) = try Support.mappingProblems(Self.text(lines))
        #expect(problems == [
            "\(path):9:7: unknown field \"colour\" for cases submissions (fields: case_id, child_id, opened_on, "
                + "closed_on, category, cross_border, repeat_missing, violence_experienced, destination_country, "
                + "child_age, birth_date, child_gender, outcome, found_by, days_missing, missing_since, found_on, "
                + "first_channel)",
            "\(path):11:42: map target \"RUNAWAYS\" for category: \"RUNAWAYS\" is not a category code of the "
                + "taxonomy (category codes in the taxonomy: RUNAWAY, PARENTAL_ABDUCTION, CRIMINAL_ABDUCTION, "
                + "MISSING_MIGRANT, LOST_INJURED, OTHERWISE_MISSING)",
            "\(path):8:7: required field outcome is not mapped (add outcome: with from:, value: or default:)",
        ])
    }

    @Test func errorDescriptionJoinsProblemsByLine() {
        let error = ConfigurationError([
            ConfigurationProblem(file: "a.yaml", line: 3, column: 5, message: "first", hint: "do this"),
            ConfigurationProblem(file: "a.yaml", line: 4, message: "second"),
            ConfigurationProblem(file: "a.yaml", message: "third"),
        ])
        #expect(error.description == "a.yaml:3:5: first (do this)\na.yaml:4: second\na.yaml: third")
    }

    @Test func badMemberIDAndCountry() throws {
        var lines = Self.lines
        lines[0] = "member: DEIVK"
        lines[1] = "country: deu"
        let (path, problems) = try Support.mappingProblems(Self.text(lines))
        #expect(problems == [
            "\(path):1:9: member id \"DEIVK\" is not of the form CC-NAME "
                + "(use the country code, a dash and capital letters or digits, e.g. DE-IVK)",
            "\(path):2:10: country \"deu\" is not an ISO 3166-1 alpha-2 code (use two capital letters, e.g. DE)",
        ])
    }

    @Test func unknownKind() throws {
        let (path, problems) = try Support.mappingProblems(Self.replacing(5, with: "    kind: dossiers"))
        #expect(problems == ["\(path):5:11: kind \"dossiers\" is neither cases nor contacts"])
    }

    @Test func fieldWithBothFromAndValue() throws {
        let (path, problems) = try Support.mappingProblems(
            Self.replacing(12, with: "      outcome: { from: Result, value: FOUND }"))
        #expect(problems == [
            "\(path):12:16: field outcome has both from: and value: (keep one of them)"
        ])
    }

    @Test func duplicateMapKey() throws {
        let (path, problems) = try Support.mappingProblems(
            Self.replacing(10, with: "      category: { from: Cat, map: { weg: RUNAWAY, weg: OTHERWISE_MISSING } }"))
        #expect(problems == [
            "\(path):10:37: duplicate key \"weg\" in a mapping "
                + "(each key may appear only once; remove or merge the repeated entries)"
        ])
    }

    @Test func missingFile() {
        do {
            _ = try MemberMapping.load(path: "/nonexistent/member.yaml", taxonomy: Support.codedTaxonomy)
            Issue.record("expected an error")
        } catch {
            #expect(error.problems == [ConfigurationProblem(
                file: "/nonexistent/member.yaml", message: "cannot read the file",
                hint: "check the path and its permissions")])
        }
    }
}
