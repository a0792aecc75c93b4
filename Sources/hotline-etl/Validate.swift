import ArgumentParser
import Pipeline

/// `hotline-etl validate`: check the pipeline, taxonomy and member mapping files, and with
/// `--inbox` also every submission in the inbox against its member's mapping.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the pipeline file, the taxonomy and every member mapping file.",
        discussion: """
            Reports every problem at once as file:line:column: message, with a hint where one helps. \
            Exits with 0 when everything is in order and 64 otherwise. Run it after editing a mapping file.

            With --inbox it also reads every member file in the inbox, as a run would but without \
            writing anything, and lists each local value that the member's mapping file does not \
            translate yet, with the number of records that use it, for example \
            `12 records: Kategorie = "Ausreißerin" has no mapping in pipelines/members/de-ivk.yaml`. \
            Add such values under map: in that file (or give the field a default:), then validate again. \
            Files that no mapping claims and files that cannot be read are listed too. Case ids and other \
            identifiers are never shown.
            """)

    @Option(
        name: .long,
        help: ArgumentHelp("The pipeline file to check, with the taxonomy and mappings it names.", valueName: "file"))
    var pipeline = "pipelines/annual-report.yaml"

    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Also read every file in the inbox and list the local values that no mapping translates yet, "
                + "with how many records use each, and the files that cannot be used."))
    var inbox = false

    func run() throws {
        let log = RunLog.standardError
        let loaded: LoadedConfiguration
        do {
            loaded = try LoadedConfiguration.load(pipelinePath: pipeline)
            log.info(
                "\(pipeline): taxonomy \(loaded.taxonomy.version), \(loaded.members.count) member mapping(s): "
                    + loaded.members.map(\.memberID).joined(separator: ", ") + "; no problems found")
        } catch {
            for problem in error.problems { log.write(problem.description) }
            log.error("\(error.problems.count) problem(s) found")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        guard inbox else { return }
        let validation: InboxValidation
        do {
            validation = try InboxValidator.validate(loaded)
        } catch {
            log.error(error.description)
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        for line in validation.lines { log.write(line) }
        let summary = "inbox \(loaded.pipeline.inbox): read \(validation.submissionsRead) submission(s), "
            + "\(validation.recordsRead) record(s)"
        guard validation.hasProblems else {
            log.info(summary + "; every local value has a mapping")
            return
        }
        log.error(
            summary + "; \(validation.unmapped.count) unmapped value(s), \(validation.unmatched.count) unmatched "
                + "file(s), \(validation.unreadable.count) unreadable submission(s)")
        throw ExitCode(ExitStatus.usage.rawValue)
    }
}
