import DatasetContract
import Foundation
import Parquet
import Testing

@testable import Report

// MARK: Synthetic datasets written with our Parquet writer

/// One case row; unset fields are null (or UNKNOWN where the column is required).
struct Row {
    var member = "AA"
    var caseID = "c1"
    var child = "1"
    var status = "NEW"
    var category = "RUNAWAY"
    var closedOn: Int32?
    var crossBorder: Bool?
    var age: Int32?
    var gender = "UNKNOWN"
    var repeatMissing: Bool?
    var violence: Bool?
    var outcome = "UNKNOWN"
    var foundBy: String?
    var days: Int32?
    var destination: String?
    var firstChannel: String?
    /// The `case_key` and `child_key` as written; by default made from member, case and child.
    var caseKey: String?
    var childKey: String?
}

enum Dataset {
    static let cases = DatasetTable.cases.schema
    static let contacts = DatasetTable.contacts.schema

    static func s(_ v: [String?]) -> ParquetColumnValues { .byteArray(v.map { $0.map { Array($0.utf8) } }) }

    /// Writes `rows` and `contacts` as DIR/cases|contacts/report_year=YEAR/part-0000P.parquet, in
    /// row groups of at most `rowGroupSize` rows.
    static func write(
        _ rows: [Row], year: Int, into dir: String, contacts: [(String, String, String, Int64)] = [], part: Int = 0,
        rowGroupSize: Int = 1_048_576
    ) throws {
        let options = ParquetWriterOptions(codec: .uncompressed, createdBy: "report-tests", rowGroupSize: rowGroupSize)
        let name = "part-0000\(part).parquet"
        let casesDir = "\(dir)/cases/report_year=\(year)"
        try FileManager.default.createDirectory(atPath: casesDir, withIntermediateDirectories: true)
        let w = try ParquetFileWriter(path: "\(casesDir)/\(name)", schema: cases, options: options)
        try w.writeRowGroup([
            s(rows.map(\.member)), s(rows.map { _ in "XX" }), s(rows.map { $0.caseKey ?? "\($0.member)-\($0.caseID)" }),
            s(rows.map { $0.childKey ?? "\($0.member)-\($0.caseID)-\($0.child)" }), s(rows.map(\.status)),
            .int32(rows.map { _ in 20000 }), .int32(rows.map(\.closedOn)), s(rows.map(\.category)),
            .boolean(rows.map(\.crossBorder)), s(rows.map(\.destination)), .int32(rows.map(\.age)),
            s(rows.map(\.gender)), .boolean(rows.map(\.repeatMissing)), .boolean(rows.map(\.violence)),
            s(rows.map(\.outcome)), s(rows.map(\.foundBy)), .int32(rows.map(\.days)), s(rows.map(\.firstChannel)),
            s(rows.map { _ in "f.csv" }), .int64(rows.indices.map { Int64($0 + 1) }),
        ])
        try w.close()
        let contactsDir = "\(dir)/contacts/report_year=\(year)"
        try FileManager.default.createDirectory(atPath: contactsDir, withIntermediateDirectories: true)
        let c = try ParquetFileWriter(path: "\(contactsDir)/\(name)", schema: Self.contacts, options: options)
        try c.writeRowGroup([
            s(contacts.map(\.0)), s(contacts.map { _ in "XX" }), .int32(contacts.map { _ in 1 }), s(contacts.map(\.1)),
            s(contacts.map(\.2)), .int64(contacts.map(\.3)), s(contacts.map { _ in "k.csv" }),
            .int64(contacts.indices.map { Int64($0 + 1) }),
        ])
        try c.close()
    }

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "report-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

func csv(_ report: AnnualReport, _ id: String) -> [[String]] {
    let text = report.files.first { $0.path == "tables/\(id).csv" }!.content
    return text.split(separator: "\n").map { fields(String($0)) }
}

/// Splits one CSV line, honouring double-quoted fields.
func fields(_ line: String) -> [String] {
    var out: [String] = [], current = "", quoted = false, previous: Character = " "
    for ch in line {
        if ch == "\"" {
            if quoted { quoted = false } else {
                if previous == "\"" { current.append("\"") }
                quoted = true
            }
        } else if ch == "," && !quoted {
            out.append(current)
            current = ""
        } else {
            current.append(ch)
        }
        previous = ch
    }
    out.append(current)
    return out
}

func row(_ table: [[String]], _ label: String) -> [String: String] {
    let header = table[0]
    let r = table.first { $0.first == label }!
    return Dictionary(uniqueKeysWithValues: zip(header, r))
}

// MARK: Suppression

@Suite struct SuppressionTests {
    func cells(_ values: [Int], _ prefix: String = "r") -> [CountCell] {
        values.enumerated().map { CountCell("\(prefix)\($0.offset)", $0.element) }
    }

    @Test func primarySuppressionHidesOneToFourButNotZero() {
        let line = SuppressionLine(members: cells([0, 3, 4, 5, 100]), total: nil)
        let result = Suppression.apply(cells: line.members, lines: [], threshold: 5)
        #expect(result.suppressed == ["r1", "r2"])
    }

    @Test func aLoneHiddenCellIsProtectedFromSubtractionByHidingTheNextSmallest() {
        // 3 + 40 + 12 = 55: with only 3 hidden, 55 - 40 - 12 gives it away.
        let m = cells([3, 40, 12])
        let total = CountCell("t", 55)
        let result = Suppression.apply(cells: m + [total], lines: [.init(members: m, total: total)], threshold: 5)
        #expect(result.suppressed == ["r0", "r2"])
        #expect(ReportValue.count(m[0]).csvText(result) == "<5")
        #expect(ReportValue.count(m[2]).csvText(result) == "c")
        #expect(ReportValue.count(m[1]).csvText(result) == "40")
        #expect(ReportValue.count(total).csvText(result) == "55")
    }

    @Test func theComplementPrefersANonZeroCell() {
        let m = cells([2, 0, 9, 30])
        let total = CountCell("t", 41)
        let result = Suppression.apply(cells: m, lines: [.init(members: m, total: total)], threshold: 5)
        #expect(result.suppressed == ["r0", "r2"])
    }

    @Test func secondarySuppressionCascadesAcrossRowsAndColumns() {
        // 2 x 2 table with margins:      a=2   b=10 | 12
        //                                c=20  d=30 | 50
        //                                  22    40 | 62
        // a is small; row 1 hides b; column 1 then has a hidden alone... a and c: c hidden;
        // column 2 has b hidden alone: d hidden. Every line then has 0 or 2 hidden cells.
        let a = CountCell("a", 2), b = CountCell("b", 10), c = CountCell("c", 20), d = CountCell("d", 30)
        let r1 = CountCell("r1", 12), r2 = CountCell("r2", 50), c1 = CountCell("c1", 22), c2 = CountCell("c2", 40)
        let t = CountCell("t", 62)
        let lines: [SuppressionLine] = [
            .init(members: [a, b], total: r1), .init(members: [c, d], total: r2), .init(members: [c1, c2], total: t),
            .init(members: [a, c], total: c1), .init(members: [b, d], total: c2), .init(members: [r1, r2], total: t),
        ]
        let result = Suppression.apply(cells: [], lines: lines, threshold: 5)
        #expect(result.suppressed == ["a", "b", "c", "d"])
        for line in lines {
            let hidden = (line.members + [line.total!]).filter { result.suppressed.contains($0.key) }
            #expect(hidden.count != 1)
        }
    }

    @Test func publishedTablesHideTheSubtractionCellAndTheShare() throws {
        // One member; RUNAWAY: 3 cross-border, 20 not; so the 20 is hidden too (row total 23
        // would reveal the 3), and so is the share. The column totals are protected as well.
        var rows: [Row] = []
        for i in 0..<23 { rows.append(Row(caseID: "r\(i)", crossBorder: i < 3)) }
        for i in 0..<30 { rows.append(Row(caseID: "p\(i)", category: "PARENTAL_ABDUCTION", crossBorder: i < 10)) }
        let report = try AnnualReport.build(current: YearData(year: 2025, cases: try columns(rows)), previous: nil, threshold: 5)
        let t = csv(report, "cross_border")
        #expect(row(t, "RUNAWAY") == [
            "category": "RUNAWAY", "cross_border": "<5", "not_cross_border": "c", "total": "23", "share_percent": "",
        ])
        // Column "cross_border": 3 hidden, so the next smallest non-zero (10) is hidden too.
        #expect(row(t, "PARENTAL_ABDUCTION")["cross_border"] == "c")
        #expect(row(t, "ALL")["cross_border"] == "13")
    }
}

/// Reads back rows through the real reader (written to a temporary dataset).
func columns(_ rows: [Row]) throws -> CaseColumns {
    let dir = Dataset.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try Dataset.write(rows, year: 2025, into: dir)
    return try DatasetReader(datasetDirectory: dir).read(year: 2025).cases
}

// MARK: Figures

@Suite struct FigureTests {
    @Test func medianIsTheMiddleValueOrTheMeanOfTheTwoMiddleValues() {
        #expect(Figures.twiceMedian([]) == nil)
        #expect(Figures.twiceMedian([7]) == 14)
        #expect(Figures.twiceMedian([1, 2, 3]) == 4)
        #expect(Figures.twiceMedian([13, 14]) == 27)
        #expect(Format.median(twice: 27) == "13.5")
        #expect(Format.median(twice: 30) == "15")
    }

    @Test func medianAgeIsPublishedOnlyFromThresholdRecords() throws {
        var rows: [Row] = []
        for (i, a) in [15, 16, 14, 15, 13, 12].enumerated() { rows.append(Row(caseID: "r\(i)", age: Int32(a))) }
        for (i, a) in [5, 6, 7].enumerated() {
            rows.append(Row(caseID: "p\(i)", category: "PARENTAL_ABDUCTION", age: Int32(a)))
        }
        let report = try AnnualReport.build(current: YearData(year: 2025, cases: try columns(rows)), previous: nil, threshold: 5)
        let t = csv(report, "age")
        #expect(row(t, "RUNAWAY")["median_age"] == "14.5")
        #expect(row(t, "PARENTAL_ABDUCTION")["median_age"] == "")
        #expect(row(t, "ALL")["median_age"] == "13")
    }

    @Test func timeMissingBandsHaveTheDocumentedBounds() throws {
        let days: [Int32?] = [0, 6, 7, 30, 31, 182, 183, 400, -1, nil]
        let rows = days.enumerated().map { Row(caseID: "c\($0.offset)", days: $0.element) }
        let report = try AnnualReport.build(current: YearData(year: 2025, cases: try columns(rows)), previous: nil, threshold: 1)
        let r = row(csv(report, "time_missing"), "RUNAWAY")
        #expect(r["under_7_days"] == "2")
        #expect(r["7_to_30_days"] == "2")
        #expect(r["31_to_182_days"] == "2")
        #expect(r["over_182_days"] == "2")
        #expect(r["total"] == "8")  // negative and missing values are not counted
    }

    @Test func aHotlineThatDidNotRecordAFieldIsLeftOutOfItsDenominator() throws {
        var rows: [Row] = []
        // AA records cross-border and violence: 12 of 20 yes.
        for i in 0..<20 { rows.append(Row(member: "AA", caseID: "a\(i)", crossBorder: i < 12, violence: i < 12)) }
        // BB never records cross-border (all null) but records violence: all 20 "no".
        for i in 0..<20 { rows.append(Row(member: "BB", caseID: "b\(i)", violence: false)) }
        let report = try AnnualReport.build(current: YearData(year: 2025, cases: try columns(rows)), previous: nil, threshold: 5)
        let cross = row(csv(report, "cross_border"), "ALL")
        #expect(cross["total"] == "20")
        #expect(cross["share_percent"] == "60.0")
        let violence = row(csv(report, "violence_experienced"), "ALL")
        #expect(violence["total"] == "40")
        #expect(violence["share_percent"] == "30.0")
        let basis = Dictionary(uniqueKeysWithValues: csv(report, "figures").dropFirst().map { ($0[0], $0) })
        #expect(basis["cross_border"]?[2] == "1")  // hotlines
        #expect(basis["cross_border"]?[3] == "20")  // records
        #expect(basis["violence_experienced"]?[2] == "2")
        let coverage = csv(report, "coverage")
        #expect(row(coverage, "BB")["cross_border"] == "no")
        #expect(row(coverage, "AA")["cross_border"] == "yes")
        #expect(report.markdown.contains("60.0% of children crossed or were taken across a border (1 hotline, 20 children)."))
    }

    @Test func foundWithinTheYearNeedsAClosingDateInTheYear() throws {
        let inYear = Int32(CivilDate.daysSinceEpoch(year: 2025, month: 6, day: 1))
        let lastYear = Int32(CivilDate.daysSinceEpoch(year: 2024, month: 12, day: 31))
        #expect(CivilDate.daysSinceEpoch(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilDate.daysSinceEpoch(year: 2025, month: 1, day: 1) == 20089)
        let rows = [
            Row(caseID: "1", closedOn: inYear, outcome: "FOUND"),
            Row(caseID: "2", closedOn: inYear, outcome: "FOUND_DECEASED"),
            Row(caseID: "3", closedOn: lastYear, outcome: "FOUND"),
            Row(caseID: "4", outcome: "FOUND"),
            Row(caseID: "5", outcome: "NOT_FOUND"),
            Row(caseID: "6", outcome: "UNKNOWN"),
        ]
        let report = try AnnualReport.build(current: YearData(year: 2025, cases: try columns(rows)), previous: nil, threshold: 1)
        let r = row(csv(report, "found_within_year"), "ALL")
        #expect(r["found_within_year"] == "2")
        #expect(r["not_found_within_year"] == "3")
        #expect(r["total"] == "5")
    }

    @Test func headlineCountsCasesChildrenAndTheChangeOnThePreviousYear() throws {
        let dir = Dataset.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rows: [Row] = []
        for i in 0..<20 { rows.append(Row(caseID: "n\(i)")) }
        rows.append(Row(caseID: "n0", child: "2"))  // a second child in a case
        for i in 0..<6 { rows.append(Row(caseID: "o\(i)", status: "ONGOING")) }
        try Dataset.write(rows, year: 2025, into: dir, contacts: [("AA", "PHONE", "SILENT", 100), ("AA", "CHAT", "INFORMATION", 17)])
        try Dataset.write(Array(rows.prefix(20)), year: 2024, into: dir, contacts: [("AA", "PHONE", "SILENT", 90)])
        let report = try AnnualReport.build(datasetDirectory: dir, year: 2025, threshold: 5)
        let h = csv(report, "headline")
        #expect(row(h, "cases_worked_on") == [
            "figure": "cases_worked_on", "value": "26", "previous_year": "20", "change_percent": "+30",
            "hotlines": "1", "records": "27",
        ])
        #expect(row(h, "children")["value"] == "27")
        #expect(row(h, "new_cases")["value"] == "20")
        #expect(row(h, "ongoing_cases")["value"] == "6")
        #expect(row(h, "contacts")["change_percent"] == "+30")
        #expect(report.markdown.contains("- Cases worked on: 26 (20 new, 6 ongoing), +30% on 2024\n"))
        // Without the 2024 partition there is no change.
        try FileManager.default.removeItem(atPath: "\(dir)/cases/report_year=2024")
        try FileManager.default.removeItem(atPath: "\(dir)/contacts/report_year=2024")
        let alone = try AnnualReport.build(datasetDirectory: dir, year: 2025, threshold: 5)
        #expect(row(csv(alone, "headline"), "cases_worked_on")["change_percent"] == "")
        #expect(alone.markdown.contains("- Cases worked on: 26 (20 new, 6 ongoing)\n"))
    }

    @Test func aMissingYearIsAnErrorThatSaysWhatToDo() {
        let dir = Dataset.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: ReportError.self) { try AnnualReport.build(datasetDirectory: dir, year: 2025, threshold: 5) }
    }
}

// MARK: Publishing

@Suite struct PublishTests {
    @Test func sameDataSameBytesAndAnAtomicSwitch() throws {
        var rows: [Row] = []
        for i in 0..<40 {
            rows.append(
                Row(caseID: "c\(i)", category: i % 3 == 0 ? "PARENTAL_ABDUCTION" : "RUNAWAY", crossBorder: i % 4 == 0,
                    age: Int32(i % 18), gender: i % 2 == 0 ? "FEMALE" : "MALE", outcome: "FOUND",
                    foundBy: "POLICE", days: Int32(i * 3)))
        }
        let data = YearData(year: 2025, cases: try columns(rows))
        let one = try AnnualReport.build(current: data, previous: nil, threshold: 5)
        let two = try AnnualReport.build(current: data, previous: nil, threshold: 5)
        #expect(one.files.map(\.path) == two.files.map(\.path))
        #expect(one.files.map(\.content) == two.files.map(\.content))
        let html = one.files.first { $0.path == "index.html" }!.content
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"))
        #expect(html.contains("<svg"))

        let dir = Dataset.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let link = try one.publish(reportDirectory: dir)
        let first = try FileManager.default.destinationOfSymbolicLink(atPath: link)
        try two.publish(reportDirectory: dir)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == first)
        let changed = try AnnualReport.build(current: data, previous: nil, threshold: 3)
        try changed.publish(reportDirectory: dir)
        let releases = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/.releases")
        #expect(releases.count == 1)  // the old release is removed, no temporary folder is left
        let written = try String(contentsOfFile: "\(link)/index.html", encoding: .utf8)
        #expect(written == changed.files.first { $0.path == "index.html" }!.content)
    }
}
