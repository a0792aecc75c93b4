import ArgumentParser
import Pipeline

/// `hotline-etl validate`: check the pipeline, taxonomy and member mapping files.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the pipeline file, the taxonomy and every member mapping file.",
        discussion: """
            Reports every problem at once as file:line:column: message, with a hint where one helps. \
            Exits with 0 when everything is in order and 64 otherwise. Run it after editing a mapping file.
            """)

    @Option(
        name: .long,
        help: ArgumentHelp("The pipeline file to check, with the taxonomy and mappings it names.", valueName: "file"))
    var pipeline = "pipelines/annual-report.yaml"

    func run() throws {
        let log = RunLog.standardError
        do {
            let loaded = try LoadedConfiguration.load(pipelinePath: pipeline)
            log.info(
                "\(pipeline): taxonomy \(loaded.taxonomy.version), \(loaded.members.count) member mapping(s): "
                    + loaded.members.map(\.memberID).joined(separator: ", ") + "; no problems found")
        } catch {
            for problem in error.problems { log.write(problem.description) }
            log.error("\(error.problems.count) problem(s) found")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
    }
}
