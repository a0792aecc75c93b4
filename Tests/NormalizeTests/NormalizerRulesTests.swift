import Extract
import Testing
@testable import Normalize

/// Normalisation with the mapping language's options, derived fields and plausible date bounds.
/// Built on `NormalizerTests`' German test member (record 5 of de-ivk/faelle-2025.csv.gz, report year 2025).
@Suite struct NormalizerRulesTests {
    typealias Base = NormalizerTests

    static func normalize(
        _ changes: [String: String?] = [:], fields adjust: (inout [CanonicalField: FieldRule]) -> Void,
        reportYear: Int = 2025
    ) -> NormalizedRecord {
        var fields = Base.caseFields
        adjust(&fields)
        return Base.normalizer(fields: fields, reportYear: reportYear).normalizeBothWays(Base.record(changes))
    }

    static let dotted = [DatePattern("dd.MM.yyyy")!]

    static func withBirthDate(_ fields: inout [CanonicalField: FieldRule]) {
        fields[.birthDate] = FieldRule(source: "Geboren", formats: dotted)
    }

    static func withMissingDates(_ fields: inout [CanonicalField: FieldRule]) {
        fields[.missingSince] = FieldRule(source: "Seit", formats: dotted)
        fields[.foundOn] = FieldRule(source: "Gefunden", formats: dotted)
    }

    // MARK: Map matching

    @Test func lenientMapMatching() {
        let lenient: (inout [CanonicalField: FieldRule]) -> Void = {
            $0[.category]?.options = ValueOptions(ignoreCase: true, ignoreAccents: true, collapseSpaces: true)
            $0[.category]?.map?["vermisst, unbekannter Grund"] = "OTHERWISE_MISSING"
        }
        #expect(Base.caseRow(Self.normalize(["Kategorie": "ausreißer"], fields: lenient))?.category == "RUNAWAY")
        #expect(Base.caseRow(Self.normalize(["Kategorie": "AUSREIẞER"], fields: lenient))?.category == "RUNAWAY")
        // ß is a letter of its own, not "ss" with an accent
        #expect(Base.quarantined(Self.normalize(["Kategorie": "AUSREISSER"], fields: lenient))?.reason == .unknownCode)
        #expect(Base.quarantined(Self.normalize(["Kategorie": "Ausreiser"], fields: lenient))?.reason == .unknownCode)
        #expect(Base.caseRow(Self.normalize(["Kategorie": "Vermisst,   unbekannter  GRUND"], fields: lenient))?.category
            == "OTHERWISE_MISSING")
        #expect(Base.caseRow(Self.normalize(["Kategorie": "KINDESENTZIEHUNG"], fields: lenient))?.category
            == "PARENTAL_ABDUCTION")
        // without the options the same values are unknown codes, reported as the member wrote them
        #expect(Base.quarantined(Base.normalize(["Kategorie": "KINDESENTZIEHUNG"])) == QuarantineRow(
            memberID: "DE-IVK", sourceFile: Base.file, sourceRecord: 5, field: "category", reason: .unknownCode,
            value: "KINDESENTZIEHUNG",
            message: "Kategorie = \"KINDESENTZIEHUNG\" has no mapping for category in pipelines/members/de-ivk.yaml; "
                + "add it under fields.category.map"))
    }

    @Test func accentsIgnored() {
        let accents: (inout [CanonicalField: FieldRule]) -> Void = {
            $0[.crossBorder] = FieldRule(source: "GÜ", map: ["sì": "true", "no": "false"], options: ValueOptions(ignoreAccents: true))
        }
        #expect(Base.caseRow(Self.normalize(["GÜ": "si"], fields: accents))?.crossBorder == true)
        #expect(Base.caseRow(Self.normalize(["GÜ": "sì"], fields: accents))?.crossBorder == true)
        #expect(Base.quarantined(Self.normalize(["GÜ": "Si"], fields: accents))?.reason == .unknownCode)
    }

    @Test func yesNoVocabularies() {
        for (yes, no) in [("ja", "nein"), ("oui", "non"), ("sì", "no"), ("1", "0"), ("J", "N")] {
            let vocabulary: (inout [CanonicalField: FieldRule]) -> Void = {
                $0[.repeatMissing] = FieldRule(source: "Wdh", map: [yes: "true", no: "false"])
            }
            #expect(Base.caseRow(Self.normalize(["Wdh": yes], fields: vocabulary))?.repeatMissing == true)
            #expect(Base.caseRow(Self.normalize(["Wdh": no], fields: vocabulary))?.repeatMissing == false)
            #expect(Base.caseRow(Self.normalize(["Wdh": "-"], fields: vocabulary))?.repeatMissing == nil)
        }
    }

    @Test func nullMarkers() {
        var fields = Base.caseFields
        fields[.childAge] = FieldRule(source: "Alter")
        let submission = SubmissionMapping(
            match: "x", kind: .cases, format: .csv(CSVOptions()), nullValues: ["", "n/a", "-", "?"], fields: fields)
        let member = MemberMapping(memberID: "DE-IVK", country: "DE", name: "t", path: "m.yaml", submissions: [submission])
        let normalizer = Normalizer(
            member: member, submission: submission, taxonomy: Support.codedTaxonomy, reportYear: 2025,
            pseudonymizer: Pseudonymizer(keyBytes: Base.key))
        for marker in ["", "n/a", "-", "?", " ? "] {
            #expect(Base.caseRow(normalizer.normalizeBothWays(Base.record(["Alter": marker])))?.childAge == nil)
        }
        // markers are compared exactly (after trimming): N/A is not n/a
        #expect(Base.quarantined(normalizer.normalizeBothWays(Base.record(["Alter": "N/A"])))?.reason == .malformed)
    }

    @Test func decimalCommaOnANumberField() {
        let comma: (inout [CanonicalField: FieldRule]) -> Void = {
            $0[.childAge]?.options.decimalComma = true
            $0[.daysMissing]?.options.decimalComma = true
        }
        let row = Base.caseRow(Self.normalize(["Alter": "15,0", "Tage": "7,00"], fields: comma))
        #expect(row?.childAge == 15)
        #expect(row?.daysMissing == 7)
        #expect(Self.normalize(["Alter": "2,5"], fields: comma) == Base.quarantine(
            "child_age", .malformed, value: "2,5", "child_age: \"2,5\" is not a whole number"))
    }

    // MARK: Age from a birth date

    @Test func ageFromBirthDate() {
        // opened 03.02.2025: born 04.02.2010 is 14, born 03.02.2010 is 15
        let younger = Base.caseRow(Self.normalize(["Alter": nil, "Geboren": "04.02.2010"], fields: Self.withBirthDate))
        #expect(younger?.childAge == 14)
        let birthday = Base.caseRow(Self.normalize(["Alter": nil, "Geboren": "03.02.2010"], fields: Self.withBirthDate))
        #expect(birthday?.childAge == 15)
        let newborn = Base.caseRow(Self.normalize(["Alter": "-", "Geboren": "03.02.2025"], fields: Self.withBirthDate))
        #expect(newborn?.childAge == 0)
        // born on 29 February: one year older from 1 March in a common year
        #expect(Base.caseRow(Self.normalize(
            ["Alter": nil, "Geboren": "29.02.2012", "Auf": "28.02.2025", "Zu": nil], fields: Self.withBirthDate))?.childAge
            == 12)
        #expect(Base.caseRow(Self.normalize(
            ["Alter": nil, "Geboren": "29.02.2012", "Auf": "01.03.2025", "Zu": nil], fields: Self.withBirthDate))?.childAge
            == 13)
        // a recorded age wins; no birth date, no age
        #expect(Base.caseRow(Self.normalize(["Alter": "9", "Geboren": "04.02.2010"], fields: Self.withBirthDate))?.childAge
            == 9)
        #expect(Base.caseRow(Self.normalize(["Alter": nil, "Geboren": nil], fields: Self.withBirthDate))?.childAge == nil)
    }

    @Test func eighteenByBirthDateIsOutOfScope() {
        #expect(Self.normalize(["Alter": nil, "Geboren": "03.02.2007"], fields: Self.withBirthDate) == Base.quarantine(
            "birth_date", .outOfScope, value: "03.02.2007",
            "the child was 18 when the case was opened (birth_date 2007-02-03, opened_on 2025-02-03); "
                + "the dataset covers ages 0...17"))
        #expect(Base.caseRow(Self.normalize(["Alter": nil, "Geboren": "04.02.2007"], fields: Self.withBirthDate))?.childAge
            == 17)
    }

    @Test func implausibleBirthDates() {
        #expect(Self.normalize(["Alter": nil, "Geboren": "04.02.2025"], fields: Self.withBirthDate) == Base.quarantine(
            "birth_date", .badDate, value: "04.02.2025", "birth_date 2025-02-04 is after opened_on 2025-02-03"))
        #expect(Self.normalize(["Alter": nil, "Geboren": "31.12.1994"], fields: Self.withBirthDate) == Base.quarantine(
            "birth_date", .badDate, value: "31.12.1994",
            "birth_date 1994-12-31 is before 1995-01-01, the earliest plausible birth date for the report year 2025"))
        #expect(Self.normalize(["Alter": nil, "Geboren": "1.1.95"], fields: Self.withBirthDate) == Base.quarantine(
            "birth_date", .badDate, value: "1.1.95", "birth_date: \"1.1.95\" is not a real date in the format dd.MM.yyyy"))
        // checked even when the age is recorded: a birth date after opening is a data error
        #expect(Base.quarantined(Self.normalize(["Alter": "3", "Geboren": "04.02.2025"], fields: Self.withBirthDate))?
            .reason == .badDate)
    }

    // MARK: days_missing from two dates

    @Test func daysMissingFromTwoDates() {
        let row = Base.caseRow(Self.normalize(
            ["Tage": nil, "Seit": "28.01.2025", "Gefunden": "04.03.2025"], fields: Self.withMissingDates))
        #expect(row?.daysMissing == 35)
        #expect(Base.caseRow(Self.normalize(
            ["Tage": "-", "Seit": "28.12.2024", "Gefunden": "28.12.2024"], fields: Self.withMissingDates))?.daysMissing == 0)
        // across a leap day
        #expect(Base.caseRow(Self.normalize(
            ["Tage": nil, "Seit": "28.02.2024", "Gefunden": "01.03.2024"], fields: Self.withMissingDates))?.daysMissing == 2)
        // a recorded days_missing wins; one date alone gives nothing
        #expect(Base.caseRow(Self.normalize(
            ["Tage": "4", "Seit": "28.01.2025", "Gefunden": "04.03.2025"], fields: Self.withMissingDates))?.daysMissing == 4)
        #expect(Base.caseRow(Self.normalize(
            ["Tage": nil, "Seit": "28.01.2025", "Gefunden": nil], fields: Self.withMissingDates))?.daysMissing == nil)
        #expect(Base.caseRow(Self.normalize(
            ["Tage": nil, "Seit": nil, "Gefunden": "04.03.2025"], fields: Self.withMissingDates))?.daysMissing == nil)
    }

    @Test func foundBeforeMissingIsBadDate() {
        #expect(Self.normalize(["Tage": nil, "Seit": "05.03.2025", "Gefunden": "04.03.2025"], fields: Self.withMissingDates)
            == Base.quarantine("found_on", .badDate, value: "04.03.2025", "found_on 2025-03-04 is before missing_since 2025-03-05"))
    }

    // MARK: Plausible date bounds

    @Test func eventDatesBefore1990() {
        #expect(Base.normalize(["Auf": "31.12.1989", "Zu": nil]) == Base.quarantine(
            "opened_on", .badDate, value: "31.12.1989", "opened_on 1989-12-31 is before 1990-01-01, the earliest plausible date"))
        #expect(Base.caseRow(Base.normalize(["Auf": "01.01.1990", "Zu": nil]))?.caseStatus == "ONGOING")
        #expect(Self.normalize(["Seit": "01.06.1985", "Gefunden": nil], fields: Self.withMissingDates) == Base.quarantine(
            "missing_since", .badDate, value: "01.06.1985",
            "missing_since 1985-06-01 is before 1990-01-01, the earliest plausible date"))
    }

    @Test func datesLaterThanTheYearAfterTheReportYear() {
        #expect(Base.caseRow(Base.normalize(["Zu": "31.12.2026"]))?.closedOn == Support.date(2026, 12, 31))
        #expect(Base.normalize(["Zu": "01.01.2027"]) == Base.quarantine(
            "closed_on", .badDate, value: "01.01.2027",
            "closed_on 2027-01-01 is after 2026-12-31, the latest plausible date for the report year 2025"))
        #expect(Self.normalize(["Seit": "02.02.2025", "Gefunden": "03.01.2027"], fields: Self.withMissingDates)
            == Base.quarantine(
                "found_on", .badDate, value: "03.01.2027",
                "found_on 2027-01-03 is after 2026-12-31, the latest plausible date for the report year 2025"))
        #expect(Self.normalize(["Seit": "03.01.2027", "Gefunden": nil], fields: Self.withMissingDates)
            == Base.quarantine(
                "missing_since", .badDate, value: "03.01.2027",
                "missing_since 2027-01-03 is after 2026-12-31, the latest plausible date for the report year 2025"))
    }

    // MARK: Unmapped values (validate --inbox)

    @Test func unmappedValuesAreListedFieldByField() {
        let normalizer = Base.normalizer()
        let record = Base.record([
            "Auf": "31.02.2025", "Kategorie": "Ausreißerin", "GÜ": "vielleicht", "Gewalt": "ja", "Durch": "Nachbar",
            "Geschlecht": "x", "Kanal": "-", "Nr": "ID-THAT-IS-NEVER-SHOWN",
        ])
        #expect(normalizer.unmappedValues(in: record) == [
            UnmappedValue(field: .category, source: "Kategorie", value: "Ausreißerin"),
            UnmappedValue(field: .crossBorder, source: "GÜ", value: "vielleicht"),
            // no map, and not true/false: an unknown code too
            UnmappedValue(field: .violenceExperienced, source: "Gewalt", value: "ja"),
            UnmappedValue(field: .foundBy, source: "Durch", value: "Nachbar"),
        ])
        // child_gender "x" falls back to its default; "-" is a null value: neither is listed
        #expect(normalizer.unmappedValues(in: Base.record()).isEmpty)
        let defect = ExtractedRecord(
            locator: RecordLocator(file: Base.file, record: 5), fields: ["Kategorie": "Ausreißerin"],
            defect: RecordDefect(message: "ragged"))
        #expect(normalizer.unmappedValues(in: defect).isEmpty)
    }
}

@Suite struct PseudonymizerKeyTests {
    @Test func aDifferentKeyChangesEveryPseudonym() {
        let first = Pseudonymizer(keyBytes: Array("first-key-0123456789abcdef".utf8))
        let second = Pseudonymizer(keyBytes: Array("second-key-0123456789abcdef".utf8))
        let ids = (1...500).map { "IVK-25-\($0)" }
        let firstKeys = Set(ids.map { first.caseKey(member: "DE-IVK", caseID: $0) }
            + ids.map { first.childKey(member: "DE-IVK", caseID: $0, childID: "1") })
        let secondKeys = Set(ids.map { second.caseKey(member: "DE-IVK", caseID: $0) }
            + ids.map { second.childKey(member: "DE-IVK", caseID: $0, childID: "1") })
        #expect(firstKeys.count == 1000)
        #expect(firstKeys.isDisjoint(with: secondKeys))
    }

    @Test func sixteenBytesIsTheShortestKey() {
        #expect(Pseudonymizer.minimumKeyBytes == 16)
        let pseudonymizer = Pseudonymizer(keyBytes: Array("0123456789abcdef".utf8))
        #expect(pseudonymizer.caseKey(member: "DE-IVK", caseID: "1").hex.utf8.count == 64)
    }

    @Test func aShorterKeyStopsTheProgram() async {
        await #expect(processExitsWith: .failure) {
            _ = Pseudonymizer(keyBytes: Array("0123456789abcde".utf8))
        }
    }
}
