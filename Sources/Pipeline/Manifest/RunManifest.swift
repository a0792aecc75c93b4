/// The machine-readable record of one run (runs/RUN_ID/manifest.json and runs/latest.json):
/// what was read, loaded, quarantined and merged per submission, and how the run ended.
public struct RunManifest: Codable, Sendable, Hashable {
    public var manifestVersion = 1
    public var runID: String
    public var toolVersion: String
    /// The command line of the run.
    public var arguments: [String]
    public var pipeline: String
    public var pipelineSHA256: String
    public var taxonomyVersion: String
    public var reportYear: Int
    public var startedAt: String
    public var finishedAt: String
    /// success, partial or failure.
    public var status: String
    public var exitCode: Int32
    /// Where the pseudonymisation key came from (never the key itself).
    public var keyOrigin: String
    public var stages: [StageReport]
    public var submissions: [SubmissionReport]
    public var tables: [TableReport]
    public var totals: RecordCounts
    /// Quarantined records in the published year, per member and reason code.
    public var quarantine: [String: [String: Int]]

    enum CodingKeys: String, CodingKey {
        case manifestVersion = "manifest_version"
        case runID = "run_id"
        case toolVersion = "tool_version"
        case arguments
        case pipeline
        case pipelineSHA256 = "pipeline_sha256"
        case taxonomyVersion = "taxonomy_version"
        case reportYear = "report_year"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case status
        case exitCode = "exit_code"
        case keyOrigin = "key_origin"
        case stages, submissions, tables, totals, quarantine
    }
}

/// Records read = loaded + quarantined + merged, for one submission or the whole run.
public struct RecordCounts: Codable, Sendable, Hashable {
    public var read = 0
    public var loaded = 0
    public var quarantined = 0
    public var merged = 0

    public init() {}

    /// Whether every record read is accounted for.
    public var reconciles: Bool { read == loaded + quarantined + merged }

    static func + (lhs: RecordCounts, rhs: RecordCounts) -> RecordCounts {
        var sum = RecordCounts()
        sum.read = lhs.read + rhs.read
        sum.loaded = lhs.loaded + rhs.loaded
        sum.quarantined = lhs.quarantined + rhs.quarantined
        sum.merged = lhs.merged + rhs.merged
        return sum
    }
}

/// What happened to one inbox file.
public struct SubmissionReport: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable {
        /// Processed in this run; its usable records are in the dataset, the rest in quarantine.
        case loaded
        /// Unchanged since its last successful run (or not chosen with --member): its staged
        /// output was reused.
        case skipped
        /// Could not be read (or is claimed by two mappings); none of its records were loaded.
        case rejected
        /// No member mapping claims the file.
        case unmatched
    }

    public var file: String
    public var member: String?
    public var kind: String?
    public var format: String?
    public var sizeBytes: Int
    public var sha256: String
    public var status: Status
    public var counts: RecordCounts
    /// Earlier records replaced by a later record of the same case and child.
    public var merges: [Merge]
    /// Why the submission was rejected or unmatched, with its position where known.
    public var error: ErrorReport?
    /// Set when a rejected submission's previously staged version is still published.
    public var previousVersionKept: Bool?

    enum CodingKeys: String, CodingKey {
        case file, member, kind, format
        case previousVersionKept = "previous_version_kept"
        case sizeBytes = "size_bytes"
        case sha256, status, counts, merges, error
    }

    /// One duplicate folded into a later record.
    public struct Merge: Codable, Sendable, Hashable {
        public var mergedRecord: Int
        public var keptFile: String
        public var keptRecord: Int

        public init(mergedRecord: Int, keptFile: String, keptRecord: Int) {
            self.mergedRecord = mergedRecord
            self.keptFile = keptFile
            self.keptRecord = keptRecord
        }

        enum CodingKeys: String, CodingKey {
            case mergedRecord = "merged_record"
            case keptFile = "kept_file"
            case keptRecord = "kept_record"
        }
    }
}

/// What one stage did in the run.
public struct StageReport: Codable, Sendable, Hashable {
    public var stage: String
    /// ran, or not_selected.
    public var status: String
    public var durationSeconds: Double
    public var processed: Int
    public var skipped: Int
    public var rejected: Int

    enum CodingKeys: String, CodingKey {
        case stage, status
        case durationSeconds = "duration_seconds"
        case processed, skipped, rejected
    }
}

/// One Parquet file written by the run.
public struct TableReport: Codable, Sendable, Hashable {
    public var table: String
    public var path: String
    public var rows: Int
}
