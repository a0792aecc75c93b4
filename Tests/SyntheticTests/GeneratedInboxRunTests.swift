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
}
