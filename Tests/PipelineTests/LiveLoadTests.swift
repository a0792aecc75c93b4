import Foundation
import Pipeline
import Testing

/// A fresh run loads while it extracts (`LiveLoad`); its tables must be the very bytes the load
/// stage writes from the staged rows, and whenever they could differ (a duplicate, a rejected
/// submission) the run must notice, say so and load the staged rows instead.
@Suite("loading while extracting")
struct LiveLoadTests {
    static let used = "hotline-etl: load: the tables were written while extracting (every submission new, no duplicates)"
    static let setAside = "hotline-etl: load: the tables written while extracting were set aside ("

    /// The published tables and the report after `workspace`'s last run.
    static func outputs(_ workspace: SampleWorkspace) throws -> [String: Data] {
        var files = try workspace.publishedFiles()
        let report = workspace.out.appendingPathComponent("report/2025").resolvingSymlinksInPath()
        for name in ["index.html", "tables/figures.csv"] {
            files["report/" + name] = try Data(contentsOf: report.appendingPathComponent(name))
        }
        return files
    }

    /// Runs load and report alone over what the last run staged (the load stage's own path),
    /// returns the outputs, and checks that this run did not load live.
    static func outputsOfTheLoadStage(_ workspace: SampleWorkspace) throws -> [String: Data] {
        let (result, messages) = workspace.run(stages: [.load, .report])
        #expect(result.exitStatus == .success)
        #expect(!messages.contains { $0.hasPrefix(used) || $0.hasPrefix(setAside) })
        return try outputs(workspace)
    }

    static func leftovers(_ workspace: SampleWorkspace) -> [String] {
        let staging = workspace.out.appendingPathComponent("staging/report_year=2025")
        return ((try? FileManager.default.contentsOfDirectory(atPath: staging.path)) ?? []).filter { $0.hasPrefix("live-load") }
    }

    @Test("a fresh run without duplicates loads while extracting and writes what the load stage writes", arguments: [1, 2])
    func freshRunLoadsLive(jobs: Int) throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        // The samples' one duplicate case is in this file.
        try FileManager.default.removeItem(at: workspace.inbox.appendingPathComponent("be-cf/dossiers-2025.xml"))
        let (result, messages) = workspace.run(jobs: jobs)
        #expect(result.exitStatus == .success)
        #expect(messages.contains(Self.used))
        #expect(!messages.contains { $0.hasPrefix(Self.setAside) })
        #expect(Self.leftovers(workspace) == [])
        let live = try Self.outputs(workspace)
        #expect(live.keys.sorted() == [
            "cases/report_year=2025/part-00000.parquet", "contacts/report_year=2025/part-00000.parquet",
            "quarantine/report_year=2025/part-00000.parquet", "report/index.html", "report/tables/figures.csv",
        ])
        let manifest = try #require(result.manifest)
        #expect(manifest.totals.loaded > 0 && manifest.totals.quarantined > 0 && manifest.totals.reconciles)
        #expect(try Self.outputsOfTheLoadStage(workspace) == live)
    }

    @Test("a duplicate case sets the live tables aside; the load stage folds it")
    func duplicateFallsBack() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let (result, messages) = workspace.run()
        #expect(result.exitStatus == .success)
        #expect(messages.contains(
            Self.setAside + "a case and child occur more than once, and folding them drops rows already written); loading the staged rows"))
        #expect(!messages.contains(Self.used))
        #expect(Self.leftovers(workspace) == [])
        let dossiers = try #require(result.manifest?.submissions.first { $0.file == "be-cf/dossiers-2025.xml" })
        #expect(dossiers.counts.merged == 1)
        let published = try Self.outputs(workspace)
        #expect(try Self.outputsOfTheLoadStage(workspace) == published)
    }

    @Test("a submission rejected halfway sets the live tables aside; none of its rows are published")
    func rejectedSubmissionFallsBack() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        try FileManager.default.removeItem(at: workspace.inbox.appendingPathComponent("be-cf/dossiers-2025.xml"))
        let path = workspace.inbox.appendingPathComponent("de-ivk/faelle-2025.csv.gz")
        let bytes = try Data(contentsOf: path)
        try bytes.prefix(bytes.count * 3 / 4).write(to: path)
        let (result, messages) = workspace.run(jobs: 1)
        #expect(result.exitStatus == .partial)
        #expect(messages.contains(
            Self.setAside + "de-ivk/faelle-2025.csv.gz was not loaded in this run); loading the staged rows"))
        #expect(Self.leftovers(workspace) == [])
        let rejected = try #require(result.manifest?.submissions.first { $0.file == "de-ivk/faelle-2025.csv.gz" })
        #expect(rejected.status == .rejected && rejected.counts.loaded == 0)
        let cases = try #require(result.manifest?.tables.first { $0.table == "cases" })
        let loadedCases = result.manifest!.submissions.filter { $0.kind == "cases" }.map(\.counts.loaded).reduce(0, +)
        #expect(cases.rows == loadedCases)
    }

    @Test("a rerun that skips unchanged submissions loads from the staging area; --force loads live again")
    func rerunsLoadFromStaging() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        try FileManager.default.removeItem(at: workspace.inbox.appendingPathComponent("be-cf/dossiers-2025.xml"))
        #expect(workspace.run().messages.contains(Self.used))
        let first = try Self.outputs(workspace)
        let (rerun, messages) = workspace.run()
        #expect(rerun.exitStatus == .success)
        #expect(!messages.contains { $0.hasPrefix(Self.used) || $0.hasPrefix(Self.setAside) })
        #expect(try Self.outputs(workspace) == first)
        let forced = workspace.run(force: true)
        #expect(forced.messages.contains(Self.used))
        #expect(try Self.outputs(workspace) == first)
    }

    @Test("when counting the report while loading fails, the run says so and counts from the published dataset")
    func reportCountingFailureFallsBackToTheDataset() throws {
        let reference = try SampleWorkspace()
        defer { reference.remove() }
        let (expected, _) = reference.run()
        #expect(expected.exitStatus == .success)
        let expectedOutputs = try Self.outputs(reference)

        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let (result, messages) = workspace.run(failAt: "report-counting")
        #expect(result.exitStatus == .success)
        #expect(messages.contains(
            "hotline-etl: warning: counting the report while loading failed (failed on purpose "
                + "(HOTLINE_ETL_TEST_FAIL_AT=report-counting)); reading the published dataset instead"))
        // Nothing lost: the same tables, the same report, the same totals as a run without the fault.
        #expect(try Self.outputs(workspace) == expectedOutputs)
        #expect(result.manifest?.totals == expected.manifest?.totals)
        #expect(result.manifest?.stages.first { $0.stage == "report" }?.status == "ran")
    }
}

