import ArgumentParser
import Pipeline

/// The `hotline-etl` command: consolidates the 116 000 hotlines' submissions into one dataset.
@main
struct HotlineETL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotline-etl",
        abstract: "Consolidates the 116 000 missing-children hotlines' annual submissions into one Parquet dataset.",
        discussion: """
            Each member hotline sends its case and contact figures in its own format (XML, gzipped CSV, \
            JSON), language and local codes. hotline-etl reads every submission in the inbox, maps it onto \
            the common taxonomy using the member's mapping file (pipelines/members/*.yaml), pseudonymises \
            case ids, and writes the dataset as Apache Parquet that DuckDB, pyarrow, polars and Spark read.

            Start with `hotline-etl run`, which uses pipelines/annual-report.yaml. When a member's file \
            is rejected or records land in quarantine, fix the mapping file, check it with \
            `hotline-etl validate`, and run again.

            Exit codes: 0 success; 2 partial (published, but some submissions were rejected); \
            1 failure (nothing new published); 64 usage or configuration error.
            """,
        version: ToolVersion.current,
        subcommands: [Run.self, Validate.self, Status.self, Generate.self, Inspect.self, ReportCommand.self])
}
