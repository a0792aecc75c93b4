import ArgumentParser
import Foundation
import Pipeline
import Synthetic

/// `hotline-etl generate`: write a synthetic inbox with mappings, for tests and benchmarks.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic inbox (invented data) in every submission format, with mappings.",
        discussion: """
            Writes N invented cases per format, split across M members per format, plus each \
            member's monthly contact counts, in the formats members send: namespaced XML (xml), \
            gzipped XML (xml.gz), gzipped Windows-1252 CSV with semicolons (csv.gz), UTF-16 CSV with \
            tabs (utf16.csv), one JSON object holding the array of cases (json) and JSON lines \
            (ndjson). Categories, ages, outcomes and channels follow the network's published \
            proportions. No real person or case is described.

            The same options and seed give byte-identical files on every run. Files are written as \
            they are drawn, so millions of cases need no more memory than ten.

            DIR receives:
              inbox/FORMAT-NN/cases-YEAR.EXT     the cases of member NN
              inbox/FORMAT-NN/contacts-YEAR.EXT  its monthly contact counts
              members/*.yaml            one mapping file per member
              taxonomy.yaml             a copy of --taxonomy
              pipeline.yaml             all formats; output in DIR/out
              pipeline-FORMAT.yaml      one format alone (members-FORMAT/)
              README.md                 what was written, with record counts
            where FORMAT is xml, xmlgz, csvgz, utf16csv, json or ndjson.

            Paths inside the pipeline files are DIR as given, so run from the same folder.

            Examples:
              hotline-etl generate --out /tmp/inbox --cases 1000
              hotline-etl run --pipeline /tmp/inbox/pipeline.yaml
              hotline-etl generate --out bench --cases 1000000 --format csv.gz --seed 7
            """)

    @Option(name: .long, help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("Cases per format (one record per case).", valueName: "n"))
    var cases: Int

    @Option(name: .long, help: ArgumentHelp("Members per format; the cases are split across them.", valueName: "m"))
    var members = 1

    @Option(name: .long, help: ArgumentHelp("Seed of the random generator: same seed, same bytes.", valueName: "s"))
    var seed: UInt64 = 116_000

    @Option(name: .long, help: ArgumentHelp("The report year of the invented cases.", valueName: "yyyy"))
    var year = 2025

    @Option(
        name: .customLong("format"),
        help: ArgumentHelp(
            "Only this format (repeatable): "
                + SyntheticFormat.allCases.map(\.rawValue).joined(separator: ", ") + ". Default: all.",
            valueName: "format"))
    var formats: [String] = []

    @Option(name: .long, help: ArgumentHelp("The taxonomy to copy into DIR.", valueName: "file"))
    var taxonomy = "pipelines/taxonomy.yaml"

    func validate() throws {
        guard cases >= 0 else { throw ValidationError("--cases must be 0 or more") }
        guard (1...99).contains(members) else { throw ValidationError("--members must be between 1 and 99") }
        for name in formats where SyntheticFormat(rawValue: name) == nil {
            throw ValidationError(
                "unknown format \"\(name)\"; use one of "
                    + SyntheticFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() throws {
        let log = RunLog.standardError
        let chosen = formats.isEmpty ? SyntheticFormat.allCases : formats.compactMap(SyntheticFormat.init(rawValue:))
        let directory = out.count > 1 && out.hasSuffix("/") ? String(out.dropLast()) : out
        do {
            let inbox = try SyntheticInbox(
                .init(
                    directory: directory, cases: cases, members: members, seed: seed, reportYear: year,
                    formats: chosen, taxonomyPath: taxonomy))
            let written = try inbox.generate()
            let records = written.filter { $0.kind == "cases" }.reduce(0) { $0 + $1.records }
            log.info(
                "\(directory): \(written.count) file(s), \(records) case record(s) in \(chosen.count) format(s) "
                    + "x \(members) member(s); run it with: hotline-etl run --pipeline \(directory)/pipeline.yaml")
        } catch {
            log.error(error.description)
            throw ExitCode.failure
        }
    }
}
