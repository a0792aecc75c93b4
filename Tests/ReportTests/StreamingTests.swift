import DatasetContract
import Foundation
import Parquet
import Synthetic  // SplitMix64
import Testing

@testable import Report

/// The streamed report (row group by row group, distinct counts with Tally) against the same data
/// in memory and against plain Set-based counts; the temporary folder's errors; the pieces the
/// aggregate rests on (code table, median from age counts).
@Suite struct StreamingTests {
    static func hex64(_ n: Int) -> String {
        var rng = SplitMix64(seed: UInt64(n))
        return (0..<4).map { _ in
            let h = String(rng.next(), radix: 16)
            return String(repeating: "0", count: 16 - h.count) + h
        }.joined()
    }

    /// Rows where cases repeat (several children, and rows of one case with different statuses
    /// and categories), the same key is used by two members, keys are 64-digit hex or free text,
    /// and every field has nulls, unknown codes and out-of-range values.
    static func randomRows(_ count: Int, seed: UInt64) -> [Row] {
        var rng = SplitMix64(seed: seed)
        func pick<T>(_ values: [T]) -> T { values[Int(rng.next() % UInt64(values.count))] }
        func maybe<T>(_ value: T) -> T? { rng.next() % 3 == 0 ? nil : value }
        let members = ["AA", "BB", "CÉ-01"]
        let categories = Codes.categories + ["ZZ_LATER", "AA_EARLIER"]
        let yearStart = Int32(CivilDate.daysSinceEpoch(year: 2025, month: 1, day: 1))
        return (0..<count).map { _ in
            let caseNumber = Int(rng.next() % UInt64(max(1, count / 3)))
            // Even case numbers have a hex key shared by every member; odd ones free text.
            let key = caseNumber % 2 == 0 ? hex64(caseNumber) : "case-\(caseNumber)"
            let child = Int(rng.next() % 3)
            return Row(
                member: pick(members), caseID: "\(caseNumber)", child: "\(child)",
                status: pick(["NEW", "NEW", "ONGOING", "CLOSED"]), category: pick(categories),
                closedOn: maybe(yearStart + Int32(rng.next() % 400) - 20), crossBorder: maybe(rng.next() % 2 == 0),
                age: maybe(Int32(rng.next() % 22) - 2), gender: pick(["FEMALE", "MALE", "OTHER", "UNKNOWN", "X"]),
                repeatMissing: maybe(rng.next() % 2 == 0), violence: maybe(rng.next() % 2 == 0),
                outcome: pick(["FOUND", "FOUND_DECEASED", "NOT_FOUND", "UNKNOWN"]),
                foundBy: maybe(pick(Codes.foundBy + ["NOBODY"])), days: maybe(Int32(rng.next() % 420) - 5),
                destination: maybe("FR"), firstChannel: maybe(pick(["PHONE", "CHAT"])), caseKey: key,
                childKey: child == 0 ? hex64(1_000_000 + caseNumber) : "\(key)/child-\(child)")
        }
    }

    /// A dataset of two part files in row groups of 7 rows, and a previous year.
    static func writeDataset(_ rows: [Row], previous: [Row], into dir: String) throws {
        let half = rows.count / 2
        try Dataset.write(
            Array(rows[..<half]), year: 2025, into: dir,
            contacts: [("AA", "PHONE", "SILENT", 40), ("DD", "PIGEON", "INFORMATION", 3), ("BB", "CHAT", "PRANK", 0)],
            rowGroupSize: 7)
        try Dataset.write(
            Array(rows[half...]), year: 2025, into: dir, contacts: [("AA", "CHAT", "SILENT", 12)], part: 1,
            rowGroupSize: 7)
        try Dataset.write(previous, year: 2024, into: dir, contacts: [("AA", "PHONE", "SILENT", 30)], rowGroupSize: 5)
    }

    @Test func streamedSpilledAndInMemoryReportsAreTheSameFiles() throws {
        let dir = Dataset.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.writeDataset(Self.randomRows(600, seed: 1), previous: Self.randomRows(150, seed: 2), into: dir)
        let streamed = try AnnualReport.build(datasetDirectory: dir, year: 2025, threshold: 5)
        // One entry per bucket before spilling: every distinct count goes through the disk.
        let scratch = Dataset.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let spilled = try AnnualReport.build(
            datasetDirectory: dir, year: 2025, threshold: 5, tally: TallySettings(parent: scratch, bufferedEntries: 1))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty)  // nothing left behind
        let reader = DatasetReader(datasetDirectory: dir)
        let inMemory = try AnnualReport.build(
            current: try reader.read(year: 2025), previous: try reader.read(year: 2024), threshold: 5)
        #expect(streamed.previousYear == 2024)
        for other in [spilled, inMemory] {
            #expect(other.files.map(\.path) == streamed.files.map(\.path))
            for (a, b) in zip(other.files, streamed.files) { #expect(a.content == b.content, "\(a.path)") }
            #expect(other.markdown == streamed.markdown)
        }
        // The codes outside the taxonomy follow it in name order; the contacts-only member counts.
        let categories = csv(streamed, "age").dropFirst().map { $0[0] }
        #expect(categories == Codes.categories + ["AA_EARLIER", "ZZ_LATER", "ALL"])
        #expect(csv(streamed, "coverage").dropFirst().map { $0[0] } == ["AA", "BB", "CÉ-01", "DD"])
    }

    /// Every row group of the 2025 files of `tables` in the dataset at `dir`, table by table, as
    /// the column batches a load stage hands the counters (every column, in schema order).
    static func rowGroups(of tables: [DatasetTable], in dir: String) throws -> [(DatasetTable, [ParquetColumnBuffer])] {
        let reader = DatasetReader(datasetDirectory: dir)
        var batches: [(DatasetTable, [ParquetColumnBuffer])] = []
        for table in tables {
            for path in reader.partFiles(table: table.rawValue, year: 2025) {
                let file = try ParquetFileReader(path: path)
                let names = file.metadata.columns.map(\.name)
                #expect(names == table.schema.columns.map(\.name))
                for group in 0..<file.metadata.rowGroups.count {
                    batches.append((table, try names.indices.map { try file.readColumnBuffer(rowGroup: group, column: $0) }))
                }
            }
        }
        return batches
    }

    /// The batches a load stage writes, counted by `YearCounter` as they go, give the same report
    /// as the files read back: here the batches are the files' own row groups, every column in
    /// schema order, cases and contacts interleaved as two table sinks would send them.
    @Test func countedWhileLoadingIsTheReportReadBack() throws {
        let dir = Dataset.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.writeDataset(Self.randomRows(600, seed: 3), previous: Self.randomRows(150, seed: 4), into: dir)
        let readBack = try AnnualReport.build(datasetDirectory: dir, year: 2025, threshold: 5)
        let batches = try Self.rowGroups(of: [.contacts, .cases], in: dir)
        #expect(batches.count > 4)
        var counter = YearCounter(year: 2025)
        for (table, columns) in batches.reversed() { try counter.fold(table, columns: columns) }
        try counter.fold(.quarantine, columns: [])  // not counted, whatever it holds
        let counted = try AnnualReport.build(datasetDirectory: dir, year: 2025, threshold: 5, counted: counter.finish())
        #expect(counted.previousYear == 2024)
        #expect(counted.files.map(\.path) == readBack.files.map(\.path))
        for (a, b) in zip(counted.files, readBack.files) { #expect(a.content == b.content, "\(a.path)") }
        #expect(counted.markdown == readBack.markdown)
    }

    /// The load hands the counters its case rows' key digests (from the keys' bytes) beside the
    /// columns: counted, they give the report the hex gives; and they are what is counted (all
    /// keys given one digest make one case and one child per member).
    @Test func keyDigestsHandedOverCountAsTheKeysHex() throws {
        let dir = Dataset.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.writeDataset(Self.randomRows(600, seed: 5), previous: [], into: dir)
        let readBack = try AnnualReport.build(datasetDirectory: dir, year: 2025, threshold: 1)
        let batches = try Self.rowGroups(of: [.cases, .contacts], in: dir)
        func digests(_ column: ParquetColumnBuffer) -> [KeyDigest] {
            var digests: [KeyDigest] = []
            column.forEachByteValue { _, bytes in digests.append(KeyDigest(Array(bytes!))) }
            return digests
        }
        func counted(_ keyDigests: ([ParquetColumnBuffer]) -> [String: [KeyDigest]]) throws -> AnnualReport {
            var counter = YearCounter(year: 2025)
            for (table, columns) in batches {
                try counter.fold(table, columns: columns, keyDigests: table == .cases ? keyDigests(columns) : [:])
            }
            return try AnnualReport.build(datasetDirectory: dir, year: 2025, threshold: 1, counted: counter.finish())
        }
        let fromBytes = try counted { ["case_key": digests($0[2]), "child_key": digests($0[3])] }
        #expect(fromBytes.files.map(\.path) == readBack.files.map(\.path))
        for (a, b) in zip(fromBytes.files, readBack.files) { #expect(a.content == b.content, "\(a.path)") }
        let one = KeyDigest(high: 1, low: 2)
        let collapsed = try counted { [
            "case_key": Array(repeating: one, count: $0[0].count), "child_key": Array(repeating: one, count: $0[0].count),
        ] }
        #expect(collapsed.markdown != readBack.markdown)
        // A list of another length than the batch is not used: the hex is read instead.
        let ignored = try counted { _ in ["case_key": [one], "child_key": [one]] }
        #expect(ignored.markdown == readBack.markdown)
    }

    @Test func countsOfAnotherYearOrABatchOfTheWrongShapeAreRefused() throws {
        var counter = YearCounter(year: 2025)
        let short = [ParquetColumnBuffer(.byteArray)]
        let shape = #expect(throws: ReportError.self) { try counter.fold(.cases, columns: short) }
        #expect(shape?.message == "a batch of cases rows has 1 columns, the schema has 20")
        var mistyped = DatasetTable.contacts.schema.columns.map { ParquetColumnBuffer($0.physicalType) }
        mistyped[0] = ParquetColumnBuffer(.int32)
        mistyped[0].append(Int32(7))
        let type = #expect(throws: ReportError.self) { try counter.fold(.contacts, columns: mistyped) }
        #expect(type?.message == "column \"member_id\" of the contacts rows being loaded is not a STRING")
        let counted = try YearCounter(year: 2024).finish()
        let year = #expect(throws: ReportError.self) {
            try AnnualReport.build(datasetDirectory: "/nonexistent", year: 2025, threshold: 5, counted: counted)
        }
        #expect(year?.message == "the counts handed to the report are for 2024, not 2025")
    }

    /// A case is (member, case_key), a child (member, case_key, child_key): counted here with Sets.
    @Test func distinctCountsAreThoseOfPlainSets() throws {
        let dir = Dataset.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rows = Self.randomRows(3000, seed: 7), previous = Self.randomRows(500, seed: 8)
        try Self.writeDataset(rows, previous: previous, into: dir)
        let report = try AnnualReport.build(
            datasetDirectory: dir, year: 2025, threshold: 1, tally: TallySettings(bufferedEntries: 3))

        struct Identity: Hashable {
            let member: String, key: String, child: String?
        }
        func expected(_ rows: [Row]) -> [String: Int] {
            var worked = Set<Identity>(), new = Set<Identity>(), ongoing = Set<Identity>(), children = Set<Identity>()
            for r in rows {
                let id = Identity(member: r.member, key: r.caseKey!, child: nil)
                worked.insert(id)
                children.insert(Identity(member: r.member, key: r.caseKey!, child: r.childKey!))
                if r.status == "NEW" { new.insert(id) }
                if r.status == "ONGOING" { ongoing.insert(id) }
            }
            return [
                "cases_worked_on": worked.count, "new_cases": new.count, "ongoing_cases": ongoing.count,
                "children": children.count,
            ]
        }
        func value(_ table: String, _ row: String, _ column: String) -> Int? {
            let t = report.tables.first { $0.id == table }!
            guard let r = t.rows.first(where: { $0.first == .text(row) }), let c = t.header.firstIndex(of: column)
            else { return nil }
            switch r[c] {
            case .count(let cell): return cell.value
            case .number(let n): return n
            default: return nil
            }
        }
        let now = expected(rows), before = expected(previous)
        for figure in ["cases_worked_on", "new_cases", "ongoing_cases", "children"] {
            #expect(value("headline", figure, "value") == now[figure], "\(figure)")
            #expect(value("headline", figure, "previous_year") == before[figure], "previous \(figure)")
        }
        var byMember: [String: Set<String>] = [:]
        for r in rows where r.status == "NEW" { byMember["\(r.member)|\(r.category)", default: []].insert(r.caseKey!) }
        for member in ["AA", "BB", "CÉ-01"] {
            for category in Codes.categories + ["ZZ_LATER", "AA_EARLIER"] {
                #expect(
                    value("new_cases_by_member", member, category.lowercased())
                        == byMember["\(member)|\(category)"]?.count ?? 0, "\(member) \(category)")
            }
        }
    }

    @Test func anUnwritableTemporaryFolderIsAnErrorThatSaysWhatToDo() throws {
        let dir = Dataset.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Dataset.write([Row(), Row(caseID: "c2")], year: 2025, into: dir)
        // A file where the temporary folder should be: the counter cannot create its folder.
        let notAFolder = dir + "/not-a-folder"
        #expect(FileManager.default.createFile(atPath: notAFolder, contents: Data("x".utf8)))
        let settings = TallySettings(parent: notAFolder, bufferedEntries: 1)
        let error = #expect(throws: ReportError.self) {
            try AnnualReport.build(datasetDirectory: dir, year: 2025, threshold: 5, tally: settings)
        }
        let message = error?.message ?? ""
        // Which folder (and, in Tally's words, which of its files or folders failed), and what to do.
        #expect(message.hasPrefix("cannot count distinct cases and children in the temporary folder \(notAFolder): "))
        #expect(message.contains("\(notAFolder)/hotline-etl-report-"))
        #expect(message.contains("make \(notAFolder) one or set TMPDIR to another"))
        let inMemory = #expect(throws: ReportError.self) {
            try AnnualReport.build(
                current: try DatasetReader(datasetDirectory: dir).read(year: 2025), previous: nil, threshold: 5,
                tally: settings)
        }
        #expect(inMemory?.message.contains("set TMPDIR") == true)
    }

    /// A `cases` file of one row, every column of the schema but `name`, which is `column` instead
    /// (dropped when nil); returns its path.
    static func writeOneRow(to dir: String, replacing name: String, with column: ParquetColumn?) throws -> String {
        var columns: [ParquetColumn] = [], values: [ParquetColumnValues] = []
        for c in DatasetTable.cases.schema.columns {
            let c = c.name == name ? column : c
            guard let c else { continue }
            columns.append(c)
            switch c.physicalType {
            case .byteArray: values.append(.byteArray([Array("x".utf8)]))
            case .int32: values.append(.int32([1]))
            case .int64: values.append(.int64([1]))
            case .boolean: values.append(.boolean([true]))
            case .float: values.append(.float([1]))
            case .double: values.append(.double([1]))
            }
        }
        let folder = "\(dir)/cases/report_year=2025"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = "\(folder)/part-00000.parquet"
        let writer = try ParquetFileWriter(
            path: path, schema: ParquetSchema(columns), options: ParquetWriterOptions(createdBy: "report-tests"))
        try writer.writeRowGroup(values)
        try writer.close()
        return path
    }

    @Test func aMissingOrMistypedColumnIsAnErrorThatNamesIt() throws {
        let dir = Dataset.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = try Self.writeOneRow(to: dir, replacing: "found_by", with: nil)
        let expected =
            "the dataset file \(missing) has no column \"found_by\"; was it written by an older hotline-etl? "
            + "Rerun `hotline-etl run` to republish the dataset"
        let streamed = #expect(throws: ReportError.self) {
            try AnnualReport.build(datasetDirectory: dir, year: 2025, threshold: 5)
        }
        #expect(streamed?.message == expected)
        let inMemory = #expect(throws: ReportError.self) {
            try DatasetReader(datasetDirectory: dir).read(year: 2025)
        }
        #expect(inMemory?.message == expected)
        let mistyped = try Self.writeOneRow(
            to: dir, replacing: "child_age", with: ParquetColumn("child_age", .byteArray, logical: .string, .optional))
        let error = #expect(throws: ReportError.self) {
            try AnnualReport.build(datasetDirectory: dir, year: 2025, threshold: 5)
        }
        #expect(error?.message == "column \"child_age\" of \(mistyped) is not an INT32 as the dataset schema says")
        try Data("not parquet".utf8).write(to: URL(fileURLWithPath: mistyped))
        let unreadable = #expect(throws: ReportError.self) {
            try AnnualReport.build(datasetDirectory: dir, year: 2025, threshold: 5)
        }
        #expect(unreadable?.message.hasPrefix("cannot read the dataset file \(mistyped): ") == true)
    }

    @Test func codeTableGivesOneIdPerString() {
        var table = CodeTable(["RUNAWAY", "LOST_INJURED"])
        #expect(table.id("LOST_INJURED") == 1)
        #expect(table.id("") == 2)
        #expect(table.id("RUNAWAY") == 0)
        // Canonically equivalent strings are one String, so one id; so are byte strings that
        // decode to the same replacement characters.
        let composed = table.id("\u{E9}"), decomposed = table.id("e\u{301}")
        #expect(composed == decomposed)
        let invalid: [[UInt8]] = [[0xff, 0x41], [0xfe, 0x41]]
        let ids = invalid.map { bytes in bytes.withUnsafeBytes { table.id($0) } }
        #expect(ids[0] == ids[1])
        #expect(table.codes[ids[0]] == "\u{FFFD}A")
        // Many codes: the index grows and keeps every id.
        let many = (0..<1000).map { "code-\($0)" }
        let first = many.map { table.id($0) }
        #expect(Set(first).count == 1000)
        #expect(many.map { table.id($0) } == first)
        #expect(first.map { table.codes[$0] } == many)
        #expect(table.id(UnsafeRawBufferPointer(start: nil, count: 0)) == 2)
    }

    @Test func medianFromAgeCountsIsTheMedianOfTheAges() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<200 {
            let ages = (0..<Int(rng.next() % 12)).map { _ in Int(rng.next() % 18) }
            var histogram = Array(repeating: 0, count: 18)
            for a in ages { histogram[a] += 1 }
            #expect(Figures.twiceMedian(histogram: histogram) == Figures.twiceMedian(ages.sorted()), "\(ages)")
        }
        #expect(Figures.twiceMedian(histogram: Array(repeating: 0, count: 18)) == nil)
    }

    @Test func childDigestsOfOneCaseNeverCollide() {
        // Different children of one case, and one child key under different cases, stay apart.
        let cases = (0..<50).map { DistinctKeys.caseDigest(KeyDigest("case-\($0)")) }
        var seen = Set<[UInt64]>()
        for c in cases {
            for child in 0..<50 {
                let d = DistinctKeys.childDigest(c, KeyDigest("child-\(child)"))
                seen.insert([d.high, d.low])
            }
        }
        #expect(seen.count == 2500)
        #expect(Set(cases.map { [$0.high, $0.low] }).count == 50)
    }
}
