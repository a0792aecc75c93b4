import ArgumentParser
import Foundation
import Pipeline
import Report

/// `hotline-etl report`: the annual "Figures and trends" page and tables from the dataset.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the annual report (OUT/report/YYYY/index.html and tables/*.csv) from the dataset.",
        discussion: """
            Reads OUT/dataset (cases and contacts of the year, and of the year before when that partition \
            exists, for the changes) and writes one self-contained page, OUT/report/YYYY/index.html, with \
            its numbers in OUT/report/YYYY/tables/*.csv. Every figure states how many hotlines and records \
            it rests on; a hotline that did not record a field is left out of that field's figures. Counts \
            below the pipeline file's report: suppression_threshold (default 5) are shown as "<5", and a \
            second count is hidden where a total would give one away (docs/report.md).

            The report replaces the year's earlier report in one step. A short Markdown summary goes to \
            standard output. The same dataset always gives the same files.

            Memory stays flat however many cases there are: distinct cases and children are counted by \
            sorting digests, which spill to the temporary folder (TMPDIR, about 50 bytes per case row, \
            removed afterwards); set TMPDIR if /tmp is small or read-only.

            Exit codes: 0 success; 1 failure (no dataset for the year, or it cannot be read; nothing \
            published); 64 usage or configuration error.
            """)

    @Option(name: .long, help: ArgumentHelp("The pipeline file (output folder, report year, suppression threshold).", valueName: "file"))
    var pipeline = "pipelines/annual-report.yaml"

    @Option(name: .long, help: ArgumentHelp("The output folder holding dataset/ (default: the pipeline file's `out`).", valueName: "folder"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("The report year (default: the pipeline file's report_year).", valueName: "yyyy"))
    var year: Int?

    func validate() throws {
        if let year, !(1990...2100).contains(year) {
            throw ValidationError("--year \(year) is not a plausible report year; give four digits such as 2025")
        }
    }

    func run() throws {
        let log = RunLog.standardError
        let configuration: PipelineConfiguration
        do {
            configuration = try PipelineConfiguration.load(path: pipeline)
        } catch {
            for problem in error.problems { log.write(problem.description) }
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let folder = out ?? configuration.out
        let reportYear = year ?? configuration.reportYear
        let dataset = (folder as NSString).appendingPathComponent("dataset")
        do {
            let report = try AnnualReport.build(
                datasetDirectory: dataset, year: reportYear, threshold: configuration.suppressionThreshold)
            let path = try report.publish(reportDirectory: (folder as NSString).appendingPathComponent("report"))
            print(report.markdown, terminator: "")
            log.info("report for \(reportYear) written to \(path)/index.html (tables in \(path)/tables)")
        } catch {
            log.error(error.description)
            throw ExitCode(ExitStatus.failure.rawValue)
        }
    }
}
