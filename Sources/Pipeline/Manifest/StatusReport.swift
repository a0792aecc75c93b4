/// The text `hotline-etl status` prints for a run manifest.
public struct StatusReport: Sendable {
    public let text: String

    public init(_ manifest: RunManifest) {
        var lines: [String] = []
        lines.append("run \(manifest.runID): \(manifest.status) (exit \(manifest.exitCode)), report year \(manifest.reportYear)")
        lines.append("started \(manifest.startedAt), finished \(manifest.finishedAt), hotline-etl \(manifest.toolVersion)")
        let stages = manifest.stages.map { stage in
            stage.status == "ran"
                ? "\(stage.stage) \(stage.processed) processed, \(stage.skipped) unchanged, \(stage.rejected) rejected"
                : "\(stage.stage) not run"
        }
        lines.append("stages: " + stages.joined(separator: "; "))
        lines.append("")
        lines.append("submissions:")
        for submission in manifest.submissions {
            let c = submission.counts
            var line = "  \(submission.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(submission.member ?? "-") \(submission.file)"
            if submission.status != .unmatched {
                line += ": read \(c.read), loaded \(c.loaded), quarantined \(c.quarantined), merged \(c.merged)"
            }
            lines.append(line)
            if let error = submission.error { lines.append("            \(error.message)") }
        }
        let t = manifest.totals
        lines.append("  total: read \(t.read), loaded \(t.loaded), quarantined \(t.quarantined), merged \(t.merged)")
        lines.append("")
        if manifest.quarantine.isEmpty {
            lines.append("quarantine: empty")
        } else {
            lines.append("quarantine (records per member and reason):")
            for member in manifest.quarantine.keys.sorted() {
                let reasons = manifest.quarantine[member]!.sorted { $0.key < $1.key }
                lines.append("  \(member): " + reasons.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
        }
        text = lines.joined(separator: "\n") + "\n"
    }
}
