import Foundation

/// Saves run manifests as OUT/runs/RUN_ID/manifest.json and OUT/runs/latest.json (atomically).
struct ManifestStore {
    let outputDirectory: String

    func save(_ manifest: RunManifest) throws(PipelineError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let runs = (outputDirectory as NSString).appendingPathComponent("runs")
        let runFolder = (runs as NSString).appendingPathComponent(manifest.runID)
        do {
            let data = try encoder.encode(manifest)
            try FileManager.default.createDirectory(atPath: runFolder, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: (runFolder as NSString).appendingPathComponent("manifest.json")), options: .atomic)
            try data.write(to: URL(fileURLWithPath: (runs as NSString).appendingPathComponent("latest.json")), options: .atomic)
        } catch {
            throw .output("cannot write the run manifest under \(runs): \(error.localizedDescription)")
        }
    }
}
