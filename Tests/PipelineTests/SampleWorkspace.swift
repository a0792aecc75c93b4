import Foundation
import Pipeline

/// A throwaway copy of samples/ with a pipeline file pointing at it, so tests can add, break or
/// remove submissions without touching the repository.
struct SampleWorkspace {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let testKey = "pipeline-test-key-0123456789abcdef"

    let root: URL
    var inbox: URL { root.appendingPathComponent("inbox") }
    var out: URL { root.appendingPathComponent("out") }
    var pipeline: URL { root.appendingPathComponent("pipeline.yaml") }

    init(codec: String = "gzip") throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("hotline-etl-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.packageRoot.appendingPathComponent("samples"), to: inbox)
        let pipelines = Self.packageRoot.appendingPathComponent("pipelines")
        let text = """
            name: test
            report_year: 2025
            inbox: \(inbox.path)
            out: \(out.path)
            taxonomy: \(pipelines.appendingPathComponent("taxonomy.yaml").path)
            members: \(pipelines.appendingPathComponent("members").path)
            ignore: [README.md, generate.py, expected.json]
            parquet:
              codec: \(codec)
            """
        try text.write(to: pipeline, atomically: true, encoding: .utf8)
    }

    /// Runs the pipeline, collecting its messages.
    func run(
        key: String? = testKey, stages: [Stage] = Stage.allCases, members: [String] = [], force: Bool = false,
        jobs: Int = 2, failAt: String? = nil
    ) -> (result: RunResult, messages: [String]) {
        let messages = MessageCollector()
        var environment: [String: String] = [:]
        if let key { environment[KeySource.environmentVariable] = key }
        if let failAt { environment["HOTLINE_ETL_TEST_FAIL_AT"] = failAt }
        let result = PipelineRunner(
            options: RunOptions(
                pipelinePath: pipeline.path, stages: stages, members: members, force: force, jobs: jobs,
                environment: environment),
            log: RunLog { messages.append($0) }
        ).run()
        return (result, messages.lines)
    }

    /// Every published Parquet file (relative to OUT/dataset) and its bytes.
    func publishedFiles() throws -> [String: Data] {
        let root = out.appendingPathComponent("dataset").resolvingSymlinksInPath()
        var files: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: root.path)
        while let relative = walker?.nextObject() as? String {
            if relative.hasSuffix(".parquet") {
                files[relative] = try Data(contentsOf: root.appendingPathComponent(relative))
            }
        }
        return files
    }

    func write(_ text: String, to relativePath: String) throws {
        let url = inbox.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func datasetFile(_ table: String) -> URL {
        out.appendingPathComponent("dataset/\(table)/report_year=2025/part-00000.parquet")
    }

    /// The expected figures written by samples/generate.py.
    static func expected() throws -> [String: Any] {
        let data = try Data(contentsOf: packageRoot.appendingPathComponent("samples/expected.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// Thread-safe line collector for RunLog.
final class MessageCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ line: String) { lock.withLock { storage.append(line) } }
    var lines: [String] { lock.withLock { storage } }
}
