import Extract
import Foundation
import Normalize
import Pipeline
import Testing

/// `hotline-etl validate --inbox`: the local values with no mapping, with counts, and the files a
/// run could not use, as the lines a steward reads.
@Suite("validate --inbox")
struct ValidateInboxTests {
    static func validate(_ workspace: SampleWorkspace) throws -> InboxValidation {
        try InboxValidator.validate(try LoadedConfiguration.load(pipelinePath: workspace.pipeline.path))
    }

    static func members(_ name: String) -> String {
        SampleWorkspace.packageRoot.appendingPathComponent("pipelines/members/\(name)").path
    }

    /// Leaves only the files of the given member folders in the inbox scan.
    static func ignoreAllBut(_ keep: [String], in workspace: SampleWorkspace) throws {
        let all = try FileManager.default.contentsOfDirectory(atPath: workspace.inbox.path)
            .filter { !$0.contains(".") && !keep.contains($0) }.sorted()
        let text = try String(contentsOf: workspace.pipeline, encoding: .utf8)
        try text.replacingOccurrences(
            of: "ignore: [README.md, generate.py, expected.json]",
            with: "ignore: [README.md, generate.py, expected.json" + all.map { ", \"\($0)/*\"" }.joined() + "]"
        ).write(to: workspace.pipeline, atomically: true, encoding: .utf8)
    }

    @Test("the samples' deliberately unmapped codes, one line each")
    func samples() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let validation = try Self.validate(workspace)
        #expect(validation.lines == [
            "1 record: Kategorie = \"Ausreißerin\" has no mapping in \(Self.members("de-ivk.yaml"))",
            "1 record: tipologia = \"fuga del domicilio\" has no mapping in \(Self.members("es-anar.yaml"))",
            "1 record: Transfrontalier = \"peut-être\" has no mapping in \(Self.members("fr-fpe.yaml"))",
        ])
        #expect(validation.hasProblems)
        #expect(validation.unmatched.isEmpty)
        #expect(validation.unreadable.isEmpty)
        let inboxFiles = try StewardDataset.allFiles(under: workspace.inbox)
            .filter { !["README.md", "generate.py", "expected.json"].contains(($0.path as NSString).lastPathComponent) }
        #expect(validation.submissionsRead == inboxFiles.count)
        #expect(validation.unmapped.first == InboxValidation.Unmapped(
            mappingFile: Self.members("de-ivk.yaml"), source: "Kategorie", field: .category, value: "Ausreißerin",
            records: 1))
    }

    @Test("nothing unmapped: no lines, no problems")
    func clean() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        try Self.ignoreAllBut(["be-cf", "it-ta"], in: workspace)
        let validation = try Self.validate(workspace)
        #expect(validation.lines == [])
        #expect(!validation.hasProblems)
        #expect(validation.submissionsRead == 4)
        #expect(validation.recordsRead == 141 + 108 + 181 + 96)
    }

    static let testMapping = """
        member: XX-TEST
        country: XX
        submissions:
          - match: "xx-test/cases-*.csv"
            kind: cases
            format: csv
            null_values: ["", "-"]
            fields:
              case_id: Nr
              opened_on: { from: Opened, formats: ["dd.MM.yyyy"] }
              category: { from: Kategorie, map: { weg: RUNAWAY, Entführung: CRIMINAL_ABDUCTION }, ignore_case: true }
              cross_border: { from: GU, yes: [ja], no: [nein] }
              child_gender: { from: Sex, map: { w: FEMALE }, default: UNKNOWN }
              outcome: { from: Result, default: UNKNOWN }
              first_channel: Kanal

        """

    static let testSubmission = """
        Nr,Opened,Kategorie,GU,Sex,Result,Kanal,Name
        SECRET-1,01.02.2025,weg,ja,w,x,PHONE,Anna
        SECRET-2,01.02.2025,Weglauf,vielleicht,q,x,FAX,Berta
        SECRET-3,01.02.2025,WEG,-,w,x,,Clara
        SECRET-4,31.02.2025, Weglauf ,nein,w,x,Fax,Dora
        SECRET-5,01.02.2025,Ausreißerin,ja,w,x,PHONE,Emma
        SECRET-6,01.02.2025,ENTFÜHRUNG,,,x,-,Frida

        """

    @Test("counts per mapping file, source and value, sorted; never an identifier, null value or default")
    func countsAndOrder() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let members = try workspace.useOwnMemberMappings()
        try Self.testMapping.write(to: members.appendingPathComponent("xx-test.yaml"), atomically: true, encoding: .utf8)
        try workspace.write(Self.testSubmission, to: "xx-test/cases-2025.csv")
        try Self.ignoreAllBut(["xx-test"], in: workspace)
        let validation = try Self.validate(workspace)
        let mapping = members.appendingPathComponent("xx-test.yaml").path
        #expect(validation.lines == [
            "1 record: GU = \"vielleicht\" has no mapping in \(mapping)",
            "1 record: Kanal = \"FAX\" has no mapping in \(mapping)",
            "1 record: Kanal = \"Fax\" has no mapping in \(mapping)",
            "1 record: Kategorie = \"Ausreißerin\" has no mapping in \(mapping)",
            "2 records: Kategorie = \"Weglauf\" has no mapping in \(mapping)",
        ])
        #expect(validation.unmapped.map(\.field) == [.crossBorder, .firstChannel, .firstChannel, .category, .category])
        #expect(validation.recordsRead == 6)
        for line in validation.lines { #expect(!line.contains("SECRET"), "\(line)") }
    }

    @Test("a file no mapping claims is listed with what to do")
    func unmatchedFile() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        try Self.ignoreAllBut(["be-cf"], in: workspace)
        try workspace.write("{}", to: "fr-de/export-2025.json")
        let validation = try Self.validate(workspace)
        #expect(validation.lines == [
            "fr-de/export-2025.json: no member mapping claims this file; add a submissions entry whose match: "
                + "covers it, or remove it from the inbox"
        ])
        #expect(validation.hasProblems)
    }

    @Test("a file two submission entries claim is listed with both")
    func ambiguousFile() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let members = try workspace.useOwnMemberMappings()
        try Self.testMapping.replacingOccurrences(of: "xx-test/cases-*.csv", with: "it-ta/casi-*.json")
            .write(to: members.appendingPathComponent("xx-test.yaml"), atomically: true, encoding: .utf8)
        try Self.ignoreAllBut(["it-ta"], in: workspace)
        let validation = try Self.validate(workspace)
        let itTA = members.appendingPathComponent("it-ta.yaml").path
        let xxTest = members.appendingPathComponent("xx-test.yaml").path
        #expect(validation.lines == [
            "it-ta/casi-2025.json: the file is matched by several submission entries: \(itTA) (it-ta/casi-*.json), "
                + "\(xxTest) (it-ta/casi-*.json); make the match: globs exclusive"
        ])
    }

    @Test("an unreadable submission is listed with the extractor's position and message; its values are not counted")
    func unreadableSubmission() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        try Self.ignoreAllBut(["de-ivk"], in: workspace)
        let path = workspace.inbox.appendingPathComponent("de-ivk/faelle-2025.csv.gz")
        let bytes = try Data(contentsOf: path)
        try bytes.prefix(bytes.count / 2).write(to: path)
        let validation = try Self.validate(workspace)

        // the same error a run would report for the file
        let configuration = try LoadedConfiguration.load(pipelinePath: workspace.pipeline.path)
        let submission = try #require(configuration.members.first { $0.memberID == "DE-IVK" }?.submissions.first)
        var extractError: ExtractError?
        do throws(ExtractError) {
            var extractor = try Extractors.open(ExtractRequest(
                path: path.path, displayName: "de-ivk/faelle-2025.csv.gz", format: submission.format,
                fields: submission.sourcePaths))
            while try extractor.next() != nil {}
        } catch {
            extractError = error
        }
        let error = try #require(extractError)
        #expect(error.description.hasPrefix("de-ivk/faelle-2025.csv.gz"))
        #expect(validation.lines == [error.description + " (a run would reject this submission)"])
        #expect(validation.unreadable.map(\.file) == ["de-ivk/faelle-2025.csv.gz"])
        #expect(validation.submissionsRead == 1)  // the contacts file
        #expect(validation.hasProblems)
    }
}
