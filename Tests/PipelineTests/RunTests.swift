import Foundation
import Pipeline
import Testing

@Suite("hotline-etl run on the samples")
struct RunTests {
    @Test("every submission reconciles and matches the generator's expected counts")
    func samplesReconcile() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let (result, _) = workspace.run()
        #expect(result.exitStatus == .success)
        let manifest = try #require(result.manifest)
        #expect(manifest.status == "success")
        #expect(manifest.keyOrigin == "environment")
        let expected = try SampleWorkspace.expected()
        let members = expected["members"] as! [String: [String: Any]]
        var want: [String: [String: Int]] = [:]
        for member in members.values {
            for (file, counts) in member["submissions"] as! [String: [String: Int]] { want[file] = counts }
        }
        #expect(manifest.submissions.count == want.count)
        for submission in manifest.submissions {
            let counts = try #require(want[submission.file], "unexpected submission \(submission.file)")
            #expect(submission.status == .loaded)
            #expect(submission.counts.read == counts["read"])
            #expect(submission.counts.loaded == counts["loaded"])
            #expect(submission.counts.quarantined == counts["quarantined"])
            #expect(submission.counts.merged == counts["merged"])
            #expect(submission.counts.reconciles)
        }
        #expect(manifest.totals.reconciles)
        #expect(manifest.tables.map(\.table) == ["cases", "contacts", "quarantine"])
        let expectedQuarantine = members.values.map { ($0["quarantine"] as! [Any]).count }.reduce(0, +)
        #expect(manifest.tables.first { $0.table == "quarantine" }?.rows == expectedQuarantine)
    }

    @Test("the duplicate case is merged, with both positions in the manifest")
    func duplicateIsMergedWithLocators() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let manifest = try #require(workspace.run().result.manifest)
        let dossiers = try #require(manifest.submissions.first { $0.file == "be-cf/dossiers-2025.xml" })
        #expect(dossiers.merges == [
            SubmissionReport.Merge(mergedRecord: 10, keptFile: "be-cf/dossiers-2025.xml", keptRecord: 141)
        ])
    }

    @Test("the same inputs and key give byte-identical Parquet files")
    func deterministic() throws {
        let first = try SampleWorkspace()
        let second = try SampleWorkspace()
        defer { first.remove(); second.remove() }
        #expect(first.run().result.exitStatus == .success)
        #expect(second.run().result.exitStatus == .success)
        for table in ["cases", "contacts", "quarantine"] {
            let a = try Data(contentsOf: first.datasetFile(table))
            let b = try Data(contentsOf: second.datasetFile(table))
            #expect(a == b, "\(table) differs between two runs")
            #expect(a.starts(with: Array("PAR1".utf8)))
        }
    }

    @Test("the report counted while loading is the report read back from the published dataset")
    func reportCountedWhileLoading() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        func reportFiles() throws -> [String: Data] {
            let root = workspace.out.appendingPathComponent("report/2025").resolvingSymlinksInPath()
            var files: [String: Data] = [:]
            let walker = FileManager.default.enumerator(atPath: root.path)
            while let relative = walker?.nextObject() as? String {
                var isFolder: ObjCBool = false
                let path = root.appendingPathComponent(relative).path
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
                files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
            return files
        }
        #expect(workspace.run().result.exitStatus == .success)
        let counted = try reportFiles()
        #expect(counted.keys.contains("index.html") && counted.keys.contains("tables/figures.csv"))
        try FileManager.default.removeItem(at: workspace.out.appendingPathComponent("report"))
        let (result, messages) = workspace.run(stages: [.report])
        #expect(result.exitStatus == .success)
        #expect(!messages.contains { $0.contains("warning") })
        #expect(try reportFiles() == counted)
    }

    @Test("a different key changes every pseudonym")
    func keyChangesPseudonyms() throws {
        let first = try SampleWorkspace(codec: "uncompressed")
        let second = try SampleWorkspace(codec: "uncompressed")
        defer { first.remove(); second.remove() }
        #expect(first.run(key: "first-key-0123456789abcdef").result.exitStatus == .success)
        #expect(second.run(key: "second-key-0123456789abcdef").result.exitStatus == .success)
        let a = try Data(contentsOf: first.datasetFile("cases"))
        let b = try Data(contentsOf: second.datasetFile("cases"))
        #expect(a != b)
        #expect(a.count == b.count, "pseudonyms have a fixed length")
    }
}

@Suite("duplicate folding")
struct DuplicateFoldingTests {
    @Test("a case sent three times keeps only the last record; both earlier ones are merged into it")
    func thirdCopyWins() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let path = workspace.inbox.appendingPathComponent("es-anar/casos-2025.ndjson")
        let text = try String(contentsOf: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let first = try #require(lines.first)
        try (text + first + "\n" + first + "\n").write(to: path, atomically: true, encoding: .utf8)
        let total = lines.count + 2
        let manifest = try #require(workspace.run().result.manifest)
        let casos = try #require(manifest.submissions.first { $0.file == "es-anar/casos-2025.ndjson" })
        #expect(casos.merges == [
            SubmissionReport.Merge(mergedRecord: 1, keptFile: "es-anar/casos-2025.ndjson", keptRecord: total),
            SubmissionReport.Merge(mergedRecord: total - 1, keptFile: "es-anar/casos-2025.ndjson", keptRecord: total),
        ])
        #expect(casos.counts.read == total)
        #expect(casos.counts.merged == 2)
        #expect(casos.counts.reconciles)
    }
}
