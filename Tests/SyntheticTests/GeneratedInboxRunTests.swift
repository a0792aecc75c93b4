import Foundation
import Pipeline
import Testing

@testable import Synthetic

@Suite("a generated inbox runs through the pipeline")
struct GeneratedInboxRunTests {
    @Test("every format loads with no rejected submission and no quarantined record")
    func runsClean() throws {
        let dir = try SyntheticInboxTests.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let written = try SyntheticInboxTests.generate(dir, cases: 600, members: 2, seed: 99)
        let result = PipelineRunner(
            options: RunOptions(
                pipelinePath: dir + "/pipeline.yaml",
                environment: ["HOTLINE_ETL_KEY": "synthetic-test-key-0123456789abcdef"]),
            log: RunLog { _ in }
        ).run()
        #expect(result.exitStatus == .success)
        let manifest = try #require(result.manifest)
        #expect(manifest.submissions.count == written.count)
        let want = Dictionary(uniqueKeysWithValues: written.map { ($0.path, $0.records) })
        for submission in manifest.submissions {
            #expect(submission.status == .loaded, "\(submission.file)")
            #expect(submission.counts.read == want[submission.file], "\(submission.file)")
            #expect(submission.counts.loaded == submission.counts.read, "\(submission.file)")
            #expect(submission.counts.quarantined == 0, "\(submission.file)")
        }
    }

    /// A full run normalises each record as it is extracted, on two threads, the extracting one
    /// taking batches over whenever the other falls behind; running the stages one at a time
    /// reads the staged records back instead. Both must publish the same bytes.
    @Test("extract and normalize fused on two threads publish the same bytes as stage by stage")
    func fusedEqualsStageByStage() throws {
        let dir = try SyntheticInboxTests.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try SyntheticInboxTests.generate(dir, cases: 6_000, members: 1, seed: 5)
        func run(_ out: String, _ stages: [Stage]) -> RunResult {
            PipelineRunner(
                options: RunOptions(
                    pipelinePath: dir + "/pipeline.yaml", outputDirectory: dir + "/" + out, stages: stages,
                    environment: ["HOTLINE_ETL_KEY": "synthetic-test-key-0123456789abcdef"]),
                log: RunLog { _ in }
            ).run()
        }
        #expect(run("fused", Stage.allCases).exitStatus == .success)
        for stage in [Stage.extract, .normalize, .load] {
            #expect(run("staged", [stage]).exitStatus == .success, "\(stage)")
        }
        func published(_ out: String) throws -> [String: Data] {
            let root = URL(fileURLWithPath: dir + "/" + out + "/dataset").resolvingSymlinksInPath()
            var files: [String: Data] = [:]
            for case let relative as String in FileManager.default.enumerator(atPath: root.path)!
            where relative.hasSuffix(".parquet") {
                files[relative] = try Data(contentsOf: root.appendingPathComponent(relative))
            }
            return files
        }
        let fused = try published("fused")
        #expect(fused.count == 3)
        #expect(fused == (try published("staged")))
    }
}

