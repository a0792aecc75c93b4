import Crypto
import Foundation
import Pipeline
import Testing

@Suite("incremental runs, stages and parallelism")
struct IncrementalRunTests {
    @Test("a second run skips every submission and leaves the dataset byte for byte as it was")
    func secondRunSkipsEverything() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let first = workspace.run().result
        #expect(first.exitStatus == .success)
        let before = try workspace.publishedFiles()
        #expect(before.count == 3)
        let second = try #require(workspace.run().result.manifest)
        #expect(second.exitCode == 0)
        #expect(second.submissions.allSatisfy { $0.status == .skipped })
        let stages = Dictionary(uniqueKeysWithValues: second.stages.map { ($0.stage, $0) })
        #expect(stages["extract"]?.processed == 0)
        #expect(stages["extract"]?.skipped == second.submissions.count)
        #expect(stages["normalize"]?.processed == 0)
        #expect(second.totals == first.manifest?.totals, "skipped submissions keep their counts")
        #expect(second.totals.reconciles)
        #expect(try workspace.publishedFiles() == before)
    }

    /// A first or forced run reads each file while a thread of its own hashes it; a rerun hashes
    /// first, to see what changed. Either way the manifest and the staging state get the digest.
    @Test("each input's SHA-256 and size are recorded, hashed while read (first, forced run) or before (rerun)")
    func inputDigestsAreRecorded() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        for (force, status) in [(false, SubmissionReport.Status.loaded), (true, .loaded), (false, .skipped)] {
            let manifest = try #require(workspace.run(force: force).result.manifest)
            #expect(manifest.submissions.count == 12)
            for submission in manifest.submissions {
                #expect(submission.status == status)
                let data = try Data(contentsOf: workspace.inbox.appendingPathComponent(submission.file))
                let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
                #expect(submission.sha256 == digest, "\(submission.file)")
                #expect(submission.sizeBytes == data.count, "\(submission.file)")
            }
        }
    }

    @Test("changing one file reruns only that one; a table whose inputs did not change keeps its bytes")
    func changedFileRerunsAlone() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        #expect(workspace.run().result.exitStatus == .success)
        let before = try workspace.publishedFiles()
        let contacts = workspace.inbox.appendingPathComponent("it-ta/contatti-2025.json")
        var text = try String(contentsOf: contacts, encoding: .utf8)
        let range = try #require(text.range(of: "\"numero\": "))
        text.insert(contentsOf: "1", at: range.upperBound)  // 120 becomes 1120: a different count
        try text.write(to: contacts, atomically: true, encoding: .utf8)
        let manifest = try #require(workspace.run().result.manifest)
        let ran = manifest.submissions.filter { $0.status == .loaded }.map(\.file)
        #expect(ran == ["it-ta/contatti-2025.json"])
        #expect(manifest.submissions.filter { $0.status == .skipped }.count == manifest.submissions.count - 1)
        let after = try workspace.publishedFiles()
        #expect(after["cases/report_year=2025/part-00000.parquet"] == before["cases/report_year=2025/part-00000.parquet"])
        #expect(after["contacts/report_year=2025/part-00000.parquet"] != before["contacts/report_year=2025/part-00000.parquet"])
        // The quarantine table's lineage lists every submission's checksum, so it changes too.
        #expect(after["quarantine/report_year=2025/part-00000.parquet"] != before["quarantine/report_year=2025/part-00000.parquet"])
    }

    @Test("a submission removed from the inbox disappears from the dataset and the staging area")
    func removedSubmissionDisappears() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let first = try #require(workspace.run().result.manifest)
        let removed = try #require(first.submissions.first { $0.file == "it-ta/contatti-2025.json" })
        try FileManager.default.removeItem(at: workspace.inbox.appendingPathComponent("it-ta/contatti-2025.json"))
        let second = try #require(workspace.run().result.manifest)
        #expect(second.submissions.contains { $0.file == "it-ta/contatti-2025.json" } == false)
        let rowsBefore = try #require(first.tables.first { $0.table == "contacts" }?.rows)
        #expect(second.tables.first { $0.table == "contacts" }?.rows == rowsBefore - removed.counts.loaded)
        let staged = try FileManager.default.subpathsOfDirectory(atPath: workspace.out.appendingPathComponent("staging").path)
        #expect(!staged.contains { $0.contains("contatti-2025.json") })
    }

    @Test("--force reprocesses unchanged submissions and gives the same bytes")
    func forceReprocesses() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        #expect(workspace.run().result.exitStatus == .success)
        let before = try workspace.publishedFiles()
        let manifest = try #require(workspace.run(force: true).result.manifest)
        #expect(manifest.submissions.allSatisfy { $0.status == .loaded })
        #expect(try workspace.publishedFiles() == before)
    }

    @Test("normalize for one member reprocesses only that member's submissions")
    func normalizeOneMember() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        #expect(workspace.run().result.exitStatus == .success)
        let manifest = try #require(
            workspace.run(stages: [.normalize], members: ["DE-IVK"], force: true).result.manifest)
        let normalized = manifest.submissions.filter { $0.status == .loaded }.map(\.file)
        #expect(normalized == ["de-ivk/faelle-2025.csv.gz", "de-ivk/kontakte-2025.csv.gz"])
        #expect(manifest.stages.map(\.stage) == ["extract", "normalize", "load", "report"])
        #expect(manifest.stages.map(\.status) == ["not_selected", "ran", "not_selected", "not_selected"])
        #expect(manifest.tables.isEmpty, "load did not run, nothing was published")
    }

    @Test("normalize without staged extract output rejects the submission and says which stage to run")
    func normalizeNeedsExtract() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let (result, _) = workspace.run(stages: [.normalize])
        let manifest = try #require(result.manifest)
        #expect(result.exitStatus == .partial)
        let first = try #require(manifest.submissions.first)
        #expect(first.status == .rejected)
        #expect(first.error?.message == "\(first.file): no staged extract output; run the extract stage for it first")
    }

    @Test("an unknown --member is a usage error naming the known members")
    func unknownMember() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let (result, messages) = workspace.run(members: ["XX-NONE"])
        #expect(result.exitStatus == .usage)
        #expect(messages.first?.hasPrefix("hotline-etl: error: unknown member XX-NONE in --member; the mappings define: BE-CF, DE-IVK") == true, "\(messages)")
    }

    @Test("a parallel run and a one-at-a-time run give byte-identical Parquet files")
    func parallelEqualsSequential() throws {
        let parallel = try SampleWorkspace()
        let sequential = try SampleWorkspace()
        defer { parallel.remove(); sequential.remove() }
        #expect(parallel.run(jobs: 8).result.exitStatus == .success)
        #expect(sequential.run(jobs: 1).result.exitStatus == .success)
        let a = try parallel.publishedFiles()
        #expect(a.count == 3)
        #expect(a == (try sequential.publishedFiles()))
    }

    @Test("a rejected new version keeps the previously published data of that submission")
    func rejectedResubmissionKeepsPrevious() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        #expect(workspace.run().result.exitStatus == .success)
        let before = try workspace.publishedFiles()
        try workspace.write("<broken", to: "be-cf/dossiers-2025.xml")
        let (result, _) = workspace.run()
        #expect(result.exitStatus == .partial)
        let dossiers = try #require(result.manifest?.submissions.first { $0.file == "be-cf/dossiers-2025.xml" })
        #expect(dossiers.status == .rejected)
        #expect(dossiers.previousVersionKept == true)
        #expect(dossiers.counts.reconciles)
        #expect(try workspace.publishedFiles() == before)
    }

    @Test("load refuses a staged keys file that belongs to another normalize run, and publishes nothing")
    func keysFromAnotherRunAreRefused() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        #expect(workspace.run().result.exitStatus == .success)
        let before = try workspace.publishedFiles()
        let normalize = workspace.out.appendingPathComponent("staging/report_year=2025/normalize")
        let names = try FileManager.default.contentsOfDirectory(atPath: normalize.path)
        let rows = try #require(names.first { $0.hasPrefix("de-ivk_faelle-2025.csv.gz") && $0.hasSuffix(".rows") })
        let keys = normalize.appendingPathComponent(rows + ".keys")
        let saved = try Data(contentsOf: keys)
        // A later normalize run of the same member writes a keys file with a new generation;
        // putting the older keys file back beside the newer rows stands for an interrupted write.
        #expect(workspace.run(stages: [.normalize], members: ["DE-IVK"], force: true).result.exitStatus == .success)
        try saved.write(to: keys)
        let (result, messages) = workspace.run(stages: [.load])
        #expect(result.exitStatus == .failure)
        let path = normalize.appendingPathComponent(rows).path
        #expect(messages.contains {
            $0.contains("the load stage failed, the published dataset was left as it was: \(path).keys does not "
                + "belong to \(path) (an interrupted normalize stage?); rerun the normalize stage for "
                + "de-ivk/faelle-2025.csv.gz with --force")
        }, "\(messages)")
        #expect(try workspace.publishedFiles() == before)
    }
}

