import Testing
@testable import Normalize

@Suite struct FieldInterpreterTests {
    let taxonomy = Support.codedTaxonomy

    func interpret(
        _ text: String, _ field: CanonicalField, formats: [DatePattern] = [DatePattern("yyyy-MM-dd")!]
    ) -> Result<FieldValue, FieldProblem> {
        FieldInterpreter.interpret(text, field: field, formats: formats, taxonomy: taxonomy)
    }

    func reason(_ text: String, _ field: CanonicalField) -> QuarantineReason? {
        if case .failure(let problem) = interpret(text, field) { problem.reason } else { nil }
    }

    @Test func identifiersAreTakenAsTheyAre() {
        #expect(interpret("2025/0042 ä", .caseID) == .success(.text("2025/0042 ä")))
        #expect(interpret("2", .childID) == .success(.text("2")))
    }

    @Test func codes() {
        #expect(interpret("RUNAWAY", .category) == .success(.text("RUNAWAY")))
        #expect(interpret("PHONE", .firstChannel) == .success(.text("PHONE")))
        #expect(interpret("PHONE", .channel) == .success(.text("PHONE")))
        #expect(interpret("SILENT", .contactType) == .success(.text("SILENT")))
        #expect(interpret("UNKNOWN", .childGender) == .success(.text("UNKNOWN")))
        #expect(interpret("FOUND_DECEASED", .outcome) == .success(.text("FOUND_DECEASED")))
        #expect(interpret("OWN_ACCORD", .foundBy) == .success(.text("OWN_ACCORD")))
    }

    @Test func codeNotInTheTaxonomy() {
        #expect(interpret("RUNAWAYS", .category)
            == .failure(FieldProblem(.unknownCode, "\"RUNAWAYS\" is not a category code of the taxonomy")))
        #expect(reason("runaway", .category) == .unknownCode)  // codes are case-sensitive
        #expect(reason("PHONE", .category) == .unknownCode)  // a code of another list
        #expect(reason("NEW", .outcome) == .unknownCode)
    }

    @Test func booleans() {
        #expect(interpret("true", .crossBorder) == .success(.boolean(true)))
        #expect(interpret("false", .repeatMissing) == .success(.boolean(false)))
        #expect(interpret("false", .violenceExperienced) == .success(.boolean(false)))
    }

    @Test func booleanThatIsNotTrueOrFalse() {
        #expect(interpret("ja", .crossBorder)
            == .failure(FieldProblem(.unknownCode, "\"ja\" is not a yes/no value (map it to true or false)")))
        #expect(reason("True", .crossBorder) == .unknownCode)
        #expect(reason("1", .violenceExperienced) == .unknownCode)
        #expect(reason("yes", .repeatMissing) == .unknownCode)
    }

    @Test func dates() throws {
        let formats = [try #require(DatePattern("dd.MM.yyyy")), try #require(DatePattern("yyyy-MM-dd"))]
        #expect(interpret("03.02.2025", .openedOn, formats: formats) == .success(.date(Support.date(2025, 2, 3))))
        // the second format is tried when the first does not match
        #expect(interpret("2025-03-04", .closedOn, formats: formats) == .success(.date(Support.date(2025, 3, 4))))
        #expect(interpret("31.02.2025", .openedOn, formats: formats)
            == .failure(FieldProblem(.badDate, "\"31.02.2025\" is not a real date in the format dd.MM.yyyy, yyyy-MM-dd")))
        #expect(interpret("03/02/2025", .openedOn, formats: formats).reasonCode == .badDate)
        #expect(interpret("2025-02-03", .openedOn).reasonCode == nil)  // default format
    }

    @Test func integers() {
        #expect(interpret("0", .childAge) == .success(.integer(0)))
        #expect(interpret("17", .childAge) == .success(.integer(17)))
        #expect(interpret("+5", .childAge) == .success(.integer(5)))
        #expect(interpret("007", .daysMissing) == .success(.integer(7)))
        #expect(interpret("12", .month) == .success(.integer(12)))
        #expect(interpret("1", .month) == .success(.integer(1)))
        #expect(interpret("0", .count) == .success(.integer(0)))
        #expect(interpret("2147483647", .count) == .success(.integer(2_147_483_647)))
    }

    @Test func notAWholeNumber() {
        #expect(interpret("tre", .childAge) == .failure(FieldProblem(.malformed, "\"tre\" is not a whole number")))
        #expect(interpret("1.5", .count) == .failure(FieldProblem(.malformed, "\"1.5\" is not a whole number")))
        #expect(reason("", .childAge) == .malformed)
        #expect(reason("-", .childAge) == .malformed)
        #expect(reason("+", .count) == .malformed)
        #expect(reason("1 2", .count) == .malformed)
        #expect(reason("1e3", .count) == .malformed)
        #expect(reason("1234567890123456789", .count) == .malformed)  // 19 digits
    }

    @Test func outOfRange() {
        #expect(interpret("-1", .childAge) == .failure(FieldProblem(.outOfRange, "-1 is outside 0...130")))
        #expect(interpret("131", .childAge) == .failure(FieldProblem(.outOfRange, "131 is outside 0...130")))
        #expect(interpret("13", .month) == .failure(FieldProblem(.outOfRange, "13 is outside 1...12")))
        #expect(reason("0", .month) == .outOfRange)
        #expect(reason("-1", .daysMissing) == .outOfRange)
        #expect(reason("-3", .count) == .outOfRange)
        #expect(reason("2147483648", .count) == .outOfRange)
    }

    @Test func outOfScope() {
        #expect(interpret("18", .childAge)
            == .failure(FieldProblem(.outOfScope, "18 is outside the dataset's scope 0...17")))
        #expect(reason("130", .childAge) == .outOfScope)
    }

    @Test func countries() {
        #expect(interpret("at", .destinationCountry) == .success(.text("AT")))
        #expect(interpret("De", .destinationCountry) == .success(.text("DE")))
        #expect(interpret("FR", .destinationCountry) == .success(.text("FR")))
        #expect(interpret("AUT", .destinationCountry)
            == .failure(FieldProblem(.malformed, "\"AUT\" is not a two-letter ISO country code")))
        #expect(reason("A", .destinationCountry) == .malformed)
        #expect(reason("A1", .destinationCountry) == .malformed)
        #expect(reason("", .destinationCountry) == .malformed)
        // "ß" upper-cases to "SS" in Unicode, which is not what the member wrote.
        #expect(reason("ß", .destinationCountry) == .malformed)
        #expect(reason("äT", .destinationCountry) == .malformed)
    }
}

extension Result where Failure == FieldProblem {
    var reasonCode: QuarantineReason? {
        if case .failure(let problem) = self { problem.reason } else { nil }
    }
}
