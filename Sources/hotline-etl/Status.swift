import ArgumentParser
import Foundation
import Pipeline

/// `hotline-etl status`: summarises the latest run and its quarantine.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise the latest run: how it ended, each submission, and the quarantine per member and reason.",
        discussion: """
            Reads OUT/runs/latest.json, written by every run. Exits with the latest run's own exit code \
            (0 success, 2 partial, 1 failure), so a script can check the last night's run; 64 when there \
            is no run yet.
            """)

    @Option(name: .long, help: ArgumentHelp("The pipeline file, to find the output folder.", valueName: "file"))
    var pipeline = "pipelines/annual-report.yaml"

    @Option(name: .long, help: ArgumentHelp("The output folder (default: the pipeline file's `out`).", valueName: "folder"))
    var out: String?

    func run() throws {
        let folder: String
        if let out {
            folder = out
        } else {
            do {
                folder = try PipelineConfiguration.load(path: pipeline).out
            } catch {
                for problem in error.problems { RunLog.standardError.write(problem.description) }
                throw ExitCode(ExitStatus.usage.rawValue)
            }
        }
        let path = (folder as NSString).appendingPathComponent("runs/latest.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            RunLog.standardError.error("no run recorded in \(folder) (\(path) is missing); start one with `hotline-etl run`")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let manifest: RunManifest
        do {
            manifest = try JSONDecoder().decode(RunManifest.self, from: data)
        } catch {
            RunLog.standardError.error("\(path) is not a run manifest this version can read: \(error)")
            throw ExitCode(ExitStatus.failure.rawValue)
        }
        print(StatusReport(manifest).text, terminator: "")
        if manifest.exitCode != 0 { throw ExitCode(manifest.exitCode) }
    }
}
