import Foundation
import Pipeline
import Testing

@Suite("rejected and unmatched submissions")
struct BadSubmissionTests {
    @Test("a malformed XML submission is rejected with its position; the other members are published")
    func malformedXMLIsRejected() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        try workspace.write(
            "<?xml version=\"1.0\"?>\n<cf:export xmlns:cf=\"urn:example:childfocus:dossiers:1\">\n<cf:dossiers>\n<cf:dossier id=\"X\">\n</cf:dossiers>\n",
            to: "be-cf/dossiers-2025.xml")
        let (result, messages) = workspace.run()
        #expect(result.exitStatus == .partial)
        let manifest = try #require(result.manifest)
        #expect(manifest.status == "partial")
        #expect(manifest.exitCode == 2)
        let rejected = try #require(manifest.submissions.first { $0.file == "be-cf/dossiers-2025.xml" })
        #expect(rejected.status == .rejected)
        let error = try #require(rejected.error)
        #expect(error.message.hasPrefix("be-cf/dossiers-2025.xml:5:"), "names the file and line: \(error.message)")
        #expect(error.line == 5)
        #expect(messages.contains { $0.contains("BE-CF: submission rejected: be-cf/dossiers-2025.xml:5:") })
        let others = manifest.submissions.filter { $0.file != "be-cf/dossiers-2025.xml" }
        #expect(others.count == manifest.submissions.count - 1)
        #expect(others.count >= 5)
        #expect(others.allSatisfy { $0.status == .loaded && $0.counts.loaded > 0 })
        #expect(FileManager.default.fileExists(atPath: workspace.datasetFile("cases").path))
    }

    @Test("a truncated gzip submission is rejected, naming the file and the byte offset")
    func truncatedGzipIsRejected() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let path = workspace.inbox.appendingPathComponent("de-ivk/faelle-2025.csv.gz")
        let bytes = try Data(contentsOf: path)
        try bytes.prefix(bytes.count / 2).write(to: path)
        let (result, _) = workspace.run()
        #expect(result.exitStatus == .partial)
        let rejected = try #require(result.manifest?.submissions.first { $0.file == "de-ivk/faelle-2025.csv.gz" })
        #expect(rejected.status == .rejected)
        #expect(rejected.counts.loaded == 0)
        let message = try #require(rejected.error?.message)
        #expect(message.hasPrefix("de-ivk/faelle-2025.csv.gz: the gzip stream is truncated at compressed byte "), "\(message)")
    }

    @Test("a file no mapping claims makes the run partial and is listed as unmatched")
    func unmatchedFile() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        try workspace.write("{}", to: "fr-de/export-2025.json")
        let (result, messages) = workspace.run()
        #expect(result.exitStatus == .partial)
        let unmatched = try #require(result.manifest?.submissions.first { $0.file == "fr-de/export-2025.json" })
        #expect(unmatched.status == .unmatched)
        #expect(unmatched.member == nil)
        #expect(messages.contains(
            "hotline-etl: warning: fr-de/export-2025.json: no member mapping claims this file; add a submissions entry whose match: covers it, or remove it from the inbox"))
    }

    @Test("when no submission can be loaded nothing is published and the run fails")
    func nothingLoadable() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        for entry in try FileManager.default.contentsOfDirectory(atPath: workspace.inbox.path) {
            var isDirectory: ObjCBool = false
            let url = workspace.inbox.appendingPathComponent(entry)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                try FileManager.default.removeItem(at: url)
            }
        }
        try workspace.write("not xml", to: "be-cf/dossiers-2025.xml")
        let (result, messages) = workspace.run()
        #expect(result.exitStatus == .failure)
        #expect(!FileManager.default.fileExists(atPath: workspace.datasetFile("cases").path))
        #expect(messages.contains(
            "hotline-etl: error: no submission could be loaded; the published dataset was left as it was"))
        #expect(result.manifest?.status == "failure")
    }

    @Test("a configuration error stops the run with exit 64 before anything is written")
    func configurationError() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        try "name: test\nreport_year: twenty\n".write(to: workspace.pipeline, atomically: true, encoding: .utf8)
        let (result, messages) = workspace.run()
        #expect(result.exitStatus == .usage)
        #expect(messages.contains {
            $0 == "hotline-etl: error: \(workspace.pipeline.path):2:14: report_year \"twenty\" is not a year (write four digits, e.g. 2025)"
        }, "\(messages)")
        #expect(messages.contains { $0.contains("\"inbox\" is missing") })
        #expect(!FileManager.default.fileExists(atPath: workspace.out.path))
    }

    @Test("without a key a private development key is created, with a warning, and reused")
    func developmentKey() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let (first, messages) = workspace.run(key: nil)
        #expect(first.exitStatus == .success)
        #expect(first.manifest?.keyOrigin == "development_key")
        let keyPath = workspace.out.appendingPathComponent("development.key").path
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(messages.contains { $0.hasPrefix("hotline-etl: warning: no key configured: created a random development key") })
        let before = try Data(contentsOf: workspace.datasetFile("cases"))
        #expect(workspace.run(key: nil).result.exitStatus == .success)
        #expect(try Data(contentsOf: workspace.datasetFile("cases")) == before)
    }

    @Test("a key shorter than 16 bytes is refused with exit 64")
    func shortKey() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let (result, messages) = workspace.run(key: "short")
        #expect(result.exitStatus == .usage)
        #expect(messages.contains {
            $0.hasPrefix("hotline-etl: error: HOTLINE_ETL_KEY is too short (5 bytes)")
        }, "\(messages)")
        #expect(!messages.joined().contains("\"short\""), "the key itself is never echoed")
    }
}

@Suite("pipeline file errors")
struct PipelineFileErrorTests {
    @Test("a YAML syntax error in the pipeline file is reported with its line and column")
    func syntaxErrorHasPosition() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        try "name: test\nreport_year: 2025\ninbox: [samples\n".write(to: workspace.pipeline, atomically: true, encoding: .utf8)
        let (result, messages) = workspace.run()
        #expect(result.exitStatus == .usage)
        let line = try #require(messages.first)
        #expect(line.hasPrefix("hotline-etl: error: \(workspace.pipeline.path):4:1: YAML syntax error: "), "\(line)")
    }
}
