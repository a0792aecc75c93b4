import Foundation

/// Writes a synthetic inbox (never real data) with member mapping files and pipeline files, for
/// tests and benchmarks: `cases` cases per format, split across `members` members per format.
/// The same options give byte-identical files on every run. Files are written as they are drawn,
/// so memory stays flat whatever the number of cases.
public struct SyntheticInbox {
    public struct Options: Sendable {
        /// Output folder; the pipeline files name paths under it exactly as given here.
        public var directory: String
        /// Cases per format (one record per case), split across the members.
        public var cases: Int
        /// Members per format.
        public var members: Int
        public var seed: UInt64
        public var reportYear: Int
        public var formats: [SyntheticFormat]
        /// The taxonomy to copy next to the pipeline files (pipelines/taxonomy.yaml).
        public var taxonomyPath: String

        public init(
            directory: String, cases: Int, members: Int = 1, seed: UInt64 = 116_000, reportYear: Int = 2025,
            formats: [SyntheticFormat] = SyntheticFormat.allCases, taxonomyPath: String = "pipelines/taxonomy.yaml"
        ) {
            self.directory = directory
            self.cases = cases
            self.members = members
            self.seed = seed
            self.reportYear = reportYear
            self.formats = formats
            self.taxonomyPath = taxonomyPath
        }
    }

    /// One file written to the inbox.
    public struct WrittenFile: Sendable, Hashable {
        /// Path relative to the inbox.
        public var path: String
        public var member: String
        public var format: SyntheticFormat
        /// cases or contacts
        public var kind: String
        public var records: Int
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    let options: Options

    public init(_ options: Options) throws(Failure) {
        guard options.cases >= 0 else { throw Failure(description: "--cases must be 0 or more") }
        guard options.members >= 1 else { throw Failure(description: "--members must be 1 or more") }
        guard options.members <= 99 else { throw Failure(description: "--members must be at most 99") }
        guard !options.formats.isEmpty else { throw Failure(description: "no format chosen") }
        self.options = options
    }

    var inbox: String { options.directory + "/inbox" }

    /// Writes everything; returns the inbox files in the order written.
    public func generate() throws(Failure) -> [WrittenFile] {
        let fm = FileManager.default
        let taxonomy = options.directory + "/taxonomy.yaml"
        do {
            try fm.createDirectory(atPath: inbox, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: options.directory + "/members", withIntermediateDirectories: true)
            guard let taxonomyData = fm.contents(atPath: options.taxonomyPath) else {
                throw Failure(
                    description: "\(options.taxonomyPath): cannot read the taxonomy; run from the project folder "
                        + "or pass --taxonomy")
            }
            try taxonomyData.write(to: URL(fileURLWithPath: taxonomy))
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "\(options.directory): \(error.localizedDescription)")
        }
        var written: [WrittenFile] = []
        for format in options.formats {
            let membersDirectory = options.directory + "/members-" + format.slug
            try createDirectory(membersDirectory)
            for index in 0..<options.members {
                let share = options.cases / options.members + (index < options.cases % options.members ? 1 : 0)
                let member = SyntheticMember(format: format, index: index, year: options.reportYear)
                try createDirectory(inbox + "/" + member.folder)
                written.append(try writeCases(member, count: share))
                written.append(try writeContacts(member))
                let mapping = member.mappingYAML()
                try writeText(mapping, to: options.directory + "/members/" + member.folder + ".yaml")
                try writeText(mapping, to: membersDirectory + "/" + member.folder + ".yaml")
            }
            try writeText(
                pipelineYAML(
                    name: "synthetic-" + format.slug, members: membersDirectory,
                    ignore: options.formats.filter { $0 != format }.map { $0.slug + "-*/*" }),
                to: options.directory + "/pipeline-" + format.slug + ".yaml")
        }
        try writeText(
            pipelineYAML(name: "synthetic", members: options.directory + "/members", ignore: []),
            to: options.directory + "/pipeline.yaml")
        try writeText(readme(written), to: options.directory + "/README.md")
        return written
    }

    private func pipelineYAML(name: String, members: String, ignore: [String]) -> String {
        """
        # Written by `hotline-etl generate` (synthetic data, seed \(options.seed)). Paths are relative to the
        # working directory the generator ran in.
        name: \(name)
        report_year: \(options.reportYear)
        inbox: \(Text.yaml(inbox))
        out: \(Text.yaml(options.directory + "/out"))
        taxonomy: \(Text.yaml(options.directory + "/taxonomy.yaml"))
        members: \(Text.yaml(members))
        ignore: [\(ignore.map(Text.yaml).joined(separator: ", "))]

        """
    }

    private func readme(_ files: [WrittenFile]) -> String {
        var lines = [
            "# Synthetic inbox (hotline-etl generate)", "",
            "Invented data only: seed \(options.seed), \(options.cases) cases per format split across "
                + "\(options.members) member(s) per format, report year \(options.reportYear).", "",
            "Run all formats: `hotline-etl run --pipeline \(options.directory)/pipeline.yaml`; one format: "
                + "`--pipeline \(options.directory)/pipeline-<format>.yaml`.", "",
            "| file | member | kind | records |", "|---|---|---|---:|",
        ]
        for file in files { lines.append("| `\(file.path)` | \(file.member) | \(file.kind) | \(file.records) |") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func createDirectory(_ path: String) throws(Failure) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "\(path): cannot create the folder (\(error.localizedDescription))")
        }
    }

    private func writeText(_ text: String, to path: String) throws(Failure) {
        do {
            let sink = try ByteSink(path: path)
            try sink.write(text)
            try sink.close()
        } catch {
            throw Failure(description: error.description)
        }
    }

    // MARK: Cases

    private func writeCases(_ member: SyntheticMember, count: Int) throws(Failure) -> WrittenFile {
        let format = member.format
        let path = member.folder + "/cases-\(options.reportYear)." + format.fileExtension
        var rng = SplitMix64(seed: options.seed, stream: member.stream(0))
        let drawer = CaseDrawer(year: options.reportYear, vocabulary: format.vocabulary)
        do {
            let sink = try ByteSink(path: inbox + "/" + path, encoding: format.encoding, gzip: format.isGzip)
            try sink.write(member.casesPrologue(count: count))
            for number in 1...max(1, count) where count > 0 {
                let drawn = drawer.draw(number, &rng)
                let local = LocalCase(drawn, id: member.caseID(number), vocabulary: format.vocabulary)
                try sink.write(member.caseRecord(local, first: number == 1, &rng))
            }
            try sink.write(member.casesEpilogue())
            try sink.close()
        } catch {
            throw Failure(description: error.description)
        }
        return WrittenFile(path: path, member: member.id, format: format, kind: "cases", records: count)
    }

    // MARK: Contacts

    private func writeContacts(_ member: SyntheticMember) throws(Failure) -> WrittenFile {
        let format = member.format
        let path = member.folder + "/contacts-\(options.reportYear)." + format.fileExtension
        var rng = SplitMix64(seed: options.seed, stream: member.stream(1))
        let rows = ContactDrawer.rows(scale: 0.5 + rng.unit(), &rng)
        do {
            let sink = try ByteSink(path: inbox + "/" + path, encoding: format.encoding, gzip: format.isGzip)
            try sink.write(member.contactsText(rows))
            try sink.close()
        } catch {
            throw Failure(description: error.description)
        }
        return WrittenFile(path: path, member: member.id, format: format, kind: "contacts", records: rows.count)
    }
}
