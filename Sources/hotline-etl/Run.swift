import ArgumentParser
import Pipeline

/// `hotline-etl run`: extract, normalise and load every submission in the inbox.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read every submission in the inbox and publish the consolidated dataset.",
        discussion: """
            Runs the stages extract (read each member's files), normalize (map local codes onto the \
            taxonomy, check values, pseudonymise ids, fold duplicates) and load (write Parquet). \
            Records that cannot be used are not lost: they go to OUT/dataset/quarantine with a reason. \
            The run manifest OUT/runs/latest.json shows, per submission, how many records were read, \
            loaded, quarantined and merged.

            Case ids are pseudonymised with a secret key taken from the environment variable \
            HOTLINE_ETL_KEY, or from the file named by key_file in the pipeline file. With neither, a \
            random development key is created in the output folder and a warning says so.
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
            "Write the dataset, manifests and key under this folder instead of the pipeline file's `out`.",
            valueName: "folder"))
    var out: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The report year: cases opened in it are NEW, earlier ones ONGOING. Default: the pipeline file's report_year.",
            valueName: "yyyy"))
    var year: Int?

    func validate() throws {
        if let year, !(1990...2100).contains(year) {
            throw ValidationError("--year \(year) is not a plausible report year; give four digits such as 2025")
        }
    }

    func run() throws {
        let result = PipelineRunner(
            options: RunOptions(pipelinePath: pipeline, outputDirectory: out, reportYear: year)
        ).run()
        if result.exitStatus != .success {
            throw ExitCode(result.exitStatus.rawValue)
        }
    }
}
