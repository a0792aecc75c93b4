import Extract
import Normalize

/// What `hotline-etl validate --inbox` found in the inbox: local values with no mapping, files
/// that no mapping claims (or several claim), and submissions that cannot be read.
public struct InboxValidation: Sendable, Hashable {
    /// A local value with no entry in its field's map, and how many records carry it.
    public struct Unmapped: Sendable, Hashable {
        /// The member mapping file that should map the value.
        public var mappingFile: String
        /// The source column or path (`from:`).
        public var source: String
        /// The canonical field the value is for.
        public var field: CanonicalField
        /// The raw local value, trimmed.
        public var value: String
        /// The records that carry it.
        public var records: Int

        public init(mappingFile: String, source: String, field: CanonicalField, value: String, records: Int) {
            self.mappingFile = mappingFile
            self.source = source
            self.field = field
            self.value = value
            self.records = records
        }
    }

    /// A file that cannot be used as it is, with the reason.
    public struct FileProblem: Sendable, Hashable {
        /// The file, relative to the inbox.
        public var file: String
        /// The line printed: the file (with the position, when known), what is wrong and what to do.
        public var description: String

        public init(file: String, description: String) {
            self.file = file
            self.description = description
        }
    }

    /// Sorted by mapping file, source and value.
    public var unmapped: [Unmapped] = []
    /// Files no submission entry claims, or several claim.
    public var unmatched: [FileProblem] = []
    /// Submissions the extractor rejects (their messages start with file and position).
    public var unreadable: [FileProblem] = []
    /// Submissions read to the end.
    public var submissionsRead = 0
    /// Records in those submissions.
    public var recordsRead = 0

    public init() {}

    /// Whether a run would quarantine unknown codes, skip a file or reject a submission.
    public var hasProblems: Bool { !unmapped.isEmpty || !unmatched.isEmpty || !unreadable.isEmpty }

    /// One line per finding, e.g. `12 records: Kategorie = "Ausreißerin" has no mapping in pipelines/members/de-ivk.yaml`.
    public var lines: [String] {
        unmatched.map(\.description) + unreadable.map(\.description)
            + unmapped.map {
                "\($0.records) record\($0.records == 1 ? "" : "s"): \($0.source) = \"\($0.value)\" has no mapping in "
                    + "\($0.mappingFile)"
            }
    }
}

/// Reads every inbox submission with its member's mapping (as a run would, but publishing
/// nothing) and collects what `InboxValidation` lists. Identifier values are never collected.
public enum InboxValidator {
    /// Scans the configured inbox and checks every file in it.
    public static func validate(_ configuration: LoadedConfiguration) throws(PipelineError) -> InboxValidation {
        let files = try Inbox.scan(
            directory: configuration.pipeline.inbox, members: configuration.members,
            ignore: configuration.pipeline.ignore)
        return validate(files: files, taxonomy: configuration.taxonomy, reportYear: configuration.pipeline.reportYear)
    }

    /// Checks the given inbox files.
    public static func validate(files: [InboxFile], taxonomy: Taxonomy, reportYear: Int) -> InboxValidation {
        var result = InboxValidation()
        struct Key: Hashable {
            var mappingFile: String
            var source: String
            var field: CanonicalField
            var value: String
        }
        var counts: [Key: Int] = [:]
        // Pseudonyms are never computed here; the normaliser only needs a well-formed key.
        let pseudonymizer = Pseudonymizer(keyBytes: Array(repeating: 0x5A, count: Pseudonymizer.minimumKeyBytes))
        for file in files {
            guard let member = file.member, let submission = file.submission else {
                result.unmatched.append(InboxValidation.FileProblem(
                    file: file.relativePath,
                    description: "\(file.relativePath): no member mapping claims this file; add a submissions entry whose match: covers it, "
                        + "or remove it from the inbox"))
                continue
            }
            guard file.ambiguousMatches.isEmpty else {
                result.unmatched.append(InboxValidation.FileProblem(
                    file: file.relativePath,
                    description: "\(file.relativePath): the file is matched by several submission entries: "
                        + file.ambiguousMatches.joined(separator: ", ") + "; make the match: globs exclusive"))
                continue
            }
            let normalizer = Normalizer(
                member: member, submission: submission, taxonomy: taxonomy, reportYear: reportYear,
                pseudonymizer: pseudonymizer)
            var fileCounts: [Key: Int] = [:]
            var records = 0
            do throws(ExtractError) {
                var extractor = try Extractors.open(ExtractRequest(
                    path: file.absolutePath, displayName: file.relativePath, format: submission.format,
                    fields: submission.sourcePaths))
                while let record = try extractor.next() {
                    records += 1
                    // A value counts once per record, even if two fields read the same source.
                    var seen = Set<Key>()
                    for unmapped in normalizer.unmappedValues(in: record) {
                        let key = Key(
                            mappingFile: member.path, source: unmapped.source, field: unmapped.field,
                            value: unmapped.value)
                        if seen.insert(key).inserted { fileCounts[key, default: 0] += 1 }
                    }
                }
            } catch {
                // The message names the file and position; the file's values are not counted,
                // since a run would reject the whole submission.
                result.unreadable.append(InboxValidation.FileProblem(
                    file: file.relativePath, description: error.description + " (a run would reject this submission)"))
                continue
            }
            result.submissionsRead += 1
            result.recordsRead += records
            counts.merge(fileCounts, uniquingKeysWith: +)
        }
        result.unmapped = counts.map {
            InboxValidation.Unmapped(
                mappingFile: $0.key.mappingFile, source: $0.key.source, field: $0.key.field, value: $0.key.value,
                records: $0.value)
        }.sorted {
            ($0.mappingFile, $0.source, $0.value, $0.field.rawValue) < ($1.mappingFile, $1.source, $1.value, $1.field.rawValue)
        }
        return result
    }
}
