import ArgumentParser
import Foundation
import Pipeline

/// `hotline-etl run`: extract, normalise and load the submissions in the inbox.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the submissions in the inbox and publish the consolidated dataset.",
        discussion: """
            Runs the stages extract (read each member's files), normalize (map local codes onto the \
            taxonomy, check values, pseudonymise ids), load (fold duplicates, write Parquet, publish) and \
            report (the annual tables and page under OUT/report/YYYY, as `hotline-etl report` writes them). \
            Each stage keeps its output under OUT/staging, so a stage can be rerun alone for some \
            members. A submission whose file, mapping, taxonomy version and tool version are unchanged \
            since its last successful run is skipped; --force reprocesses it anyway.

            Records that cannot be used are not lost: they go to OUT/dataset/quarantine with a reason. \
            The run manifest OUT/runs/latest.json shows, per submission, how many records were read, \
            loaded, quarantined and merged. The dataset is replaced in one step: readers see the old \
            one or the new one, never a mix, even if the run is killed.

            Case ids are pseudonymised with a secret key taken from the environment variable \
            HOTLINE_ETL_KEY, or from the file named by key_file in the pipeline file. With neither, a \
            random development key is created in the output folder and a warning says so.

            Examples:
              hotline-etl run                                   all stages, all members
              hotline-etl run --stage normalize --member DE-IVK after fixing DE-IVK's mapping
              hotline-etl run --from load                       republish from staged data
              hotline-etl run --dry-run                         what would run, and why

            Exit codes: 0 success; 2 partial (published, but some submissions were rejected or \
            matched no mapping, or the report failed); 1 failure (nothing new published, or another run holds the output \
            folder); 64 usage or configuration error.
            """)

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The pipeline file: where the inbox, the member mappings, the taxonomy and the output are.",
            valueName: "file"))
    var pipeline = "pipelines/annual-report.yaml"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Write the dataset, staging, manifests and key under this folder instead of the pipeline file's `out`.",
            valueName: "folder"))
    var out: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The report year: cases opened in it are NEW, earlier ones ONGOING. Default: the pipeline file's report_year.",
            valueName: "yyyy"))
    var year: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Run only this stage (extract, normalize, load or report); repeat the option for several. Default: all.",
            valueName: "name"))
    var stage: [Stage] = []

    @Option(name: .long, help: ArgumentHelp("Start at this stage (with the ones after it).", valueName: "name"))
    var from: Stage?

    @Option(name: .long, help: ArgumentHelp("Stop after this stage.", valueName: "name"))
    var to: Stage?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Extract and normalize only this member's submissions, e.g. DE-IVK; repeat for several. Load still publishes every member's data.",
            valueName: "id"))
    var member: [String] = []

    @Flag(name: .long, help: "Reprocess every chosen submission, even those unchanged since the last successful run.")
    var force = false

    @Flag(name: .long, help: "Only list what would run and why (new, changed, unchanged, forced); write nothing.")
    var dryRun = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Process at most this many submissions at once (default: the number of cores). The output is the same for any value.",
            valueName: "n"))
    var jobs: Int?

    @Option(
        name: .long,
        help: ArgumentHelp("How to write messages to standard error: text for people, json (one object per line) for schedulers.", valueName: "text|json"))
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        if let year, !(1990...2100).contains(year) {
            throw ValidationError("--year \(year) is not a plausible report year; give four digits such as 2025")
        }
        if let jobs, jobs < 1 {
            throw ValidationError("--jobs must be 1 or more")
        }
        if !stage.isEmpty && (from != nil || to != nil) {
            throw ValidationError("use either --stage or --from/--to, not both")
        }
        if let from, let to, from > to {
            throw ValidationError("--from \(from.rawValue) comes after --to \(to.rawValue); stages run extract, normalize, load, report")
        }
    }

    func run() throws {
        let stages = stage.isEmpty ? Stage.range(from: from, to: to) : Stage.allCases.filter(stage.contains)
        let log: RunLog = logFormat == .json ? .jsonLines : .standardError
        let result = PipelineRunner(
            options: RunOptions(
                pipelinePath: pipeline, outputDirectory: out, reportYear: year, stages: stages, members: member,
                force: force, dryRun: dryRun, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount,
                arguments: CommandLine.arguments),
            log: log
        ).run()
        if result.exitStatus != .success {
            throw ExitCode(result.exitStatus.rawValue)
        }
    }
}

extension Stage: ExpressibleByArgument {}
