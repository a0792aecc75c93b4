import DatasetContract
import Foundation
import Normalize
import Parquet
import Tally
import Testing

@testable import Pipeline

/// `LiveLoad` driven directly, so each path is taken for certain: a submission streamed block by
/// block, one read from the staging area because it was done before the loader reached it, the
/// refusals (a claim out of turn, a rejected submission, a duplicate), and the same table bytes
/// whichever path each submission took.
@Suite("LiveLoad, driven step by step")
struct LiveLoadUnitTests {
    /// A throwaway staging area with `names` and their rows.
    struct Fixture {
        let root: URL
        let staging: StagingArea
        let names = ["a/cases.csv", "b/cases.csv", "c/contacts.csv"]
        let rows: [String: [NormalizedRecord]]

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("live-load-\(UUID().uuidString)")
            staging = StagingArea(outputDirectory: root.path, reportYear: 2025)
            func cases(_ file: String, _ count: Int, keyOffset: Int) -> [NormalizedRecord] {
                (0..<count).map { i in
                    guard case .caseRow(var row) = StagedRowsTests.rows[0] else { preconditionFailure() }
                    row.sourceFile = file
                    row.sourceRecord = i + 1
                    row.caseKey = Pseudonym(testHex: Self.key(keyOffset + i))
                    row.childKey = Pseudonym(testHex: Self.key(1_000_000 + keyOffset + i))
                    return .caseRow(row)
                } + [StagedRowsTests.rows[5]]
            }
            rows = [
                "a/cases.csv": cases("a/cases.csv", 9_000, keyOffset: 0),
                "b/cases.csv": cases("b/cases.csv", 5_000, keyOffset: 100_000),
                "c/contacts.csv": [StagedRowsTests.rows[4], StagedRowsTests.rows[4]],
            ]
        }

        /// A 64-digit key whose leading digits (the digest the duplicate check uses) differ for
        /// every `n` and spread over the buckets.
        static func key(_ n: Int) -> String {
            String(format: "%016llx%016llx", UInt64(n) &* 0x9E37_79B9_7F4A_7C15, UInt64(n)) + String(repeating: "0", count: 32)
        }

        /// Stages `name`'s rows, handing the blocks to `live` when given.
        func stage(_ name: String, live: LiveLoad.Rows? = nil, rows override: [NormalizedRecord]? = nil) throws {
            var writer = try StagedRows.Writer(path: staging.normalizePath(name), live: live)
            for row in override ?? rows[name]! { try writer.append(row) }
            try writer.commit()
            live?.finish()
        }

        func liveLoad() -> LiveLoad {
            let options = ParquetWriterOptions(codec: .uncompressed, createdBy: "hotline-etl-tests version 0.0.1 (build test)")
            return LiveLoad(
                names: names, staging: staging, year: 2025,
                writerOptions: Dictionary(uniqueKeysWithValues: DatasetTable.allCases.map { ($0, options) }),
                rowGroupSize: 4_000, countsForReport: false)
        }

        /// The three table files `live` wrote.
        func tables(_ live: LiveLoad) throws -> [Data] {
            try DatasetTable.allCases.map {
                try Data(contentsOf: URL(fileURLWithPath: live.directory).appendingPathComponent(TableSink.relativePath($0, year: 2025)))
            }
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    /// `live.claim(name)`, retried until the loader has finished the submissions before it
    /// (up to two seconds).
    static func claimWhenDue(_ live: LiveLoad, _ name: String) -> LiveLoad.Rows? {
        for _ in 0..<2_000 {
            if let rows = live.claim(name) { return rows }
            usleep(1_000)
        }
        return nil
    }

    /// A live load of `fixture` with every submission streamed to it, one after the other, and
    /// what it loaded.
    static func streamEverySubmission(_ fixture: Fixture) throws -> (LiveLoad, LoadStage.Result) {
        let live = fixture.liveLoad()
        for name in fixture.names {
            let rows = try #require(claimWhenDue(live, name), "the loader waits for \(name)")
            try fixture.stage(name, live: rows)
            live.finished(name, loaded: true)
        }
        return (live, try live.finish(loadable: fixture.names, keyValueMetadata: metadata).get())
    }

    static let metadata: [DatasetTable: [ParquetWriterOptions.KeyValue]] = [.cases: [.init("k", "v")], .contacts: [], .quarantine: []]

    @Test("streamed and staged submissions give the same tables; a claim out of turn is refused")
    func pathsGiveTheSameTables() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let (streamed, all) = try Self.streamEverySubmission(fixture)
        #expect(all.loaded == ["a/cases.csv": 9_000, "b/cases.csv": 5_000, "c/contacts.csv": 2])
        #expect(all.tableRows == [.cases: 14_000, .contacts: 2, .quarantine: 2])
        let expected = try fixture.tables(streamed)
        try FileManager.default.removeItem(atPath: streamed.directory)

        // b is done before the loader reaches it (so its claim is refused and it is read from the
        // staging area); a and c stream.
        let mixed = fixture.liveLoad()
        #expect(mixed.claim("b/cases.csv") == nil)
        try fixture.stage("b/cases.csv")
        mixed.finished("b/cases.csv", loaded: true)
        let a = try #require(mixed.claim("a/cases.csv"))
        try fixture.stage("a/cases.csv", live: a)
        mixed.finished("a/cases.csv", loaded: true)
        #expect(mixed.claim("a/cases.csv") == nil, "a submission is claimed once")
        // c once the loader has moved on to it (it reads b from the staging area first).
        let c: LiveLoad.Rows = try #require(Self.claimWhenDue(mixed, "c/contacts.csv"))
        try fixture.stage("c/contacts.csv", live: c)
        mixed.finished("c/contacts.csv", loaded: true)
        let result = try mixed.finish(loadable: fixture.names, keyValueMetadata: Self.metadata).get()
        #expect(result.loaded == all.loaded && result.tableRows == all.tableRows)
        #expect(try fixture.tables(mixed) == expected)
    }

    @Test("the live tables are the load stage's, byte for byte, over several row groups and a last partial one")
    func liveTablesAreTheLoadStages() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let (live, _) = try Self.streamEverySubmission(fixture)

        // The load stage's path over the same staged files: its tables are closed in one go.
        let directory = fixture.root.appendingPathComponent("load-stage").path
        let options = ParquetWriterOptions(codec: .uncompressed, createdBy: "hotline-etl-tests version 0.0.1 (build test)")
        var tables = try LoadTables(
            in: directory, year: 2025, writerOptions: Dictionary(uniqueKeysWithValues: DatasetTable.allCases.map { ($0, options) }),
            rowGroupSize: 4_000, countsForReport: false)
        var merges = MergePlan(losers: [:], files: fixture.names)
        for (index, name) in fixture.names.enumerated() {
            let path = fixture.staging.normalizePath(name)
            let buckets = DigestBuckets(directory: fixture.root.appendingPathComponent("buckets-\(index)").path)
            let expected = try LoadStage.addKeys(ofStagedRows: path, index: index, to: buckets)
            try tables.appendStaged(name, index: index, path: path, expected: expected, merges: &merges)
        }
        _ = try tables.close(merges: merges, keyValueMetadata: Self.metadata)
        let loadStage = try DatasetTable.allCases.map {
            try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(TableSink.relativePath($0, year: 2025)))
        }
        #expect(try fixture.tables(live) == loadStage)
        let cases = URL(fileURLWithPath: live.directory).appendingPathComponent(TableSink.relativePath(.cases, year: 2025))
        let footer = try ParquetFileReader(path: cases.path).metadata
        #expect(footer.rowGroups.map(\.numRows) == [4_000, 4_000, 4_000, 2_000])
    }

    @Test("a rejected submission, a duplicate or another set of submissions sets the tables aside")
    func missesAreReported() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        func run(_ body: (LiveLoad) throws -> Void, loadable: [String]? = nil) throws -> String {
            let live = fixture.liveLoad()
            try body(live)
            guard case .failure(let miss) = live.finish(loadable: loadable ?? fixture.names, keyValueMetadata: Self.metadata) else {
                Issue.record("expected the tables to be set aside")
                return ""
            }
            #expect(!FileManager.default.fileExists(atPath: live.directory), "the folder is removed")
            return miss.description
        }
        // b rejected after streaming half its rows.
        #expect(try run { live in
            try fixture.stage("a/cases.csv", live: live.claim("a/cases.csv"))
            live.finished("a/cases.csv", loaded: true)
            let b: LiveLoad.Rows = try #require(Self.claimWhenDue(live, "b/cases.csv"))
            try fixture.stage("b/cases.csv", live: b, rows: Array(fixture.rows["b/cases.csv"]!.prefix(4_500)))
            live.finished("b/cases.csv", loaded: false)
            live.finished("c/contacts.csv", loaded: true)
        } == "b/cases.csv was not loaded in this run")
        // The same case and child in a and in b.
        #expect(try run { live in
            try fixture.stage("a/cases.csv")
            try fixture.stage("b/cases.csv", rows: fixture.rows["a/cases.csv"]!)
            try fixture.stage("c/contacts.csv")
            for name in fixture.names { live.finished(name, loaded: true) }
        } == "a case and child occur more than once, and folding them drops rows already written")
        // The run loads fewer submissions than were planned.
        #expect(try run({ live in
            for name in fixture.names {
                try fixture.stage(name)
                live.finished(name, loaded: true)
            }
        }, loadable: ["a/cases.csv", "c/contacts.csv"]) == "the run loads other submissions than it extracted")
    }
}
