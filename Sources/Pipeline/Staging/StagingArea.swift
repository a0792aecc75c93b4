import Crypto
import Foundation
import HexDigits

/// Where each stage keeps its output for one report year (OUT/staging/report_year=YYYY/), and
/// the incremental state that says what each staged output was made from.
struct StagingArea {
    let root: String

    init(outputDirectory: String, reportYear: Int) {
        root = (outputDirectory as NSString).appendingPathComponent("staging/report_year=\(reportYear)")
    }

    var statePath: String { (root as NSString).appendingPathComponent("state.json") }

    func extractPath(_ file: String) -> String {
        (root as NSString).appendingPathComponent("extract/\(Self.key(file)).records")
    }

    func normalizePath(_ file: String) -> String {
        (root as NSString).appendingPathComponent("normalize/\(Self.key(file)).rows")
    }

    /// A file-system-safe, collision-free name for an inbox path.
    static func key(_ relativePath: String) -> String {
        let safe = String(relativePath.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
        let digest = SHA256.hash(data: Data(relativePath.utf8))
        return safe + "-" + Hex.encode(Array(digest.prefix(4)))
    }

    func loadState() -> StagingState {
        guard let data = FileManager.default.contents(atPath: statePath),
            let state = try? JSONDecoder().decode(StagingState.self, from: data)
        else { return StagingState() }
        return state
    }

    func save(_ state: StagingState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try encoder.encode(state).write(to: URL(fileURLWithPath: statePath), options: .atomic)
    }

    /// Removes staged outputs of submissions that are no longer in the inbox.
    func prune(keeping files: Set<String>, state: inout StagingState) {
        for file in state.submissions.keys where !files.contains(file) {
            try? FileManager.default.removeItem(atPath: extractPath(file))
            try? FileManager.default.removeItem(atPath: normalizePath(file))
            try? FileManager.default.removeItem(atPath: StagedRows.keysPath(normalizePath(file)))
            state.submissions[file] = nil
        }
    }
}

/// What every staged output was made from; a stage is skipped when its inputs are unchanged.
struct StagingState: Codable, Sendable {
    var stateVersion = 1
    var submissions: [String: SubmissionState] = [:]

    enum CodingKeys: String, CodingKey {
        case stateVersion = "state_version"
        case submissions
    }
}

/// The incremental state of one inbox file.
struct SubmissionState: Codable, Sendable, Hashable {
    var member: String
    /// Inputs of the staged extract output, and what it held.
    var extract: StageFingerprint?
    var recordsRead: Int?
    /// Inputs of the staged normalize output, and what it held.
    var normalize: StageFingerprint?
    var recordsQuarantined: Int?

    enum CodingKeys: String, CodingKey {
        case member, extract
        case recordsRead = "records_read"
        case normalize
        case recordsQuarantined = "records_quarantined"
    }
}

/// The inputs a stage's output depends on. Never holds key material: the key enters only as a
/// keyed fingerprint.
struct StageFingerprint: Codable, Sendable, Hashable {
    var inputSHA256: String
    var mappingSHA256: String
    var taxonomyVersion: String
    var toolVersion: String
    var keyFingerprint: String
    var reportYear: Int

    enum CodingKeys: String, CodingKey {
        case inputSHA256 = "input_sha256"
        case mappingSHA256 = "mapping_sha256"
        case taxonomyVersion = "taxonomy_version"
        case toolVersion = "tool_version"
        case keyFingerprint = "key_fingerprint"
        case reportYear = "report_year"
    }

    /// What differs from `old`, in words for --dry-run and the log ("input", "mapping"...).
    func changes(from old: StageFingerprint) -> [String] {
        var changed: [String] = []
        if inputSHA256 != old.inputSHA256 { changed.append("file content") }
        if mappingSHA256 != old.mappingSHA256 { changed.append("mapping file") }
        if taxonomyVersion != old.taxonomyVersion { changed.append("taxonomy version") }
        if toolVersion != old.toolVersion { changed.append("tool version") }
        if keyFingerprint != old.keyFingerprint { changed.append("key") }
        if reportYear != old.reportYear { changed.append("report year") }
        return changed
    }
}
