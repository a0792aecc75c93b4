import Foundation
import Normalize
import Pipeline
import Testing

/// A data steward's round trip: a member sends a local code nobody mapped yet; the run quarantines
/// exactly those records as UNKNOWN_CODE; `validate --inbox` names the value and how many records
/// carry it; the steward adds one line to the member's mapping; the rerun loads them.
@Suite("a steward maps an unknown local code and reruns")
struct StewardScenarioTests {
    static let file = "it-ta/casi-2025.json"
    static let newCode = "fuga da comunità"
    /// 1-based positions in the `dossiers` array whose `categoria` becomes the new code.
    static let changedRecords = [5, 20, 77]

    /// Replaces the `categoria` of the given dossiers (1-based) in the JSON text, keeping every
    /// other byte, so record positions stay the same.
    static func inject(_ code: String, at records: [Int], in text: String) throws -> String {
        var result = ""
        var rest = Substring(text)
        var index = 0
        let key = "\"categoria\": \""
        while let range = rest.range(of: key) {
            index += 1
            result += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let end = try #require(rest.firstIndex(of: "\""))
            if records.contains(index) {
                result += code
                rest = rest[end...]
            }
        }
        return result + rest
    }

    @Test("unknown code: quarantined, listed by validate --inbox, mapped, loaded on rerun")
    func unknownCodeRoundTrip() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let members = try workspace.useOwnMemberMappings()
        let mappingFile = members.appendingPathComponent("it-ta.yaml")
        let submission = workspace.inbox.appendingPathComponent(Self.file)
        let original = try String(contentsOf: submission, encoding: .utf8)
        let changed = try Self.inject(Self.newCode, at: Self.changedRecords, in: original)
        #expect(changed.components(separatedBy: Self.newCode).count == Self.changedRecords.count + 1)
        try changed.write(to: submission, atomically: true, encoding: .utf8)

        // The generator's own quarantine for this file (bad dates, numbers...), which stays.
        let expected = try SampleWorkspace.expected()
        let member = (expected["members"] as! [String: [String: Any]])["IT-TA"]!
        let baseline = (member["quarantine"] as! [[String: Any]])
            .filter { $0["file"] as? String == Self.file }
            .map { "\($0["record"]!) \($0["field"]!) \($0["reason"]!)" }
        let counts = (member["submissions"] as! [String: [String: Int]])[Self.file]!
        #expect(Set(Self.changedRecords).isDisjoint(with: baseline.compactMap { Int($0.split(separator: " ")[0]) }))

        // 1. The run quarantines exactly the changed records, as UNKNOWN_CODE with the value.
        let (first, _) = workspace.run()
        #expect(first.exitStatus == .success)
        let firstManifest = try #require(first.manifest)
        let firstReport = try #require(firstManifest.submissions.first { $0.file == Self.file })
        #expect(firstReport.counts.read == counts["read"])
        #expect(firstReport.counts.quarantined == counts["quarantined"]! + Self.changedRecords.count)
        #expect(firstReport.counts.loaded == counts["loaded"]! - Self.changedRecords.count)
        #expect(firstReport.counts.reconciles)
        #expect(firstManifest.totals.reconciles)
        #expect(firstManifest.submissions.allSatisfy { $0.counts.reconciles })

        let firstQuarantine = try StewardDataset.quarantine(in: workspace.out).filter { $0.file == Self.file }
        let unknown = firstQuarantine.filter { $0.reason == "UNKNOWN_CODE" }
        #expect(unknown == Self.changedRecords.map {
            StewardDataset.QuarantineEntry(
                member: "IT-TA", file: Self.file, record: $0, field: "category", reason: "UNKNOWN_CODE",
                value: Self.newCode,
                message: "categoria = \"\(Self.newCode)\" has no mapping for category in \(mappingFile.path); "
                    + "add it under fields.category.map")
        })
        #expect(firstQuarantine.filter { $0.reason != "UNKNOWN_CODE" }.map { "\($0.record) \($0.field ?? "-") \($0.reason)" }
            == baseline)

        // 2. validate --inbox names the value, the count and the mapping file.
        let configuration = try LoadedConfiguration.load(pipelinePath: workspace.pipeline.path)
        let before = try InboxValidator.validate(configuration)
        #expect(before.lines.filter { $0.hasSuffix(mappingFile.path) } == [
            "3 records: categoria = \"fuga da comunità\" has no mapping in \(mappingFile.path)"
        ])
        #expect(before.hasProblems)

        // 3. The steward adds one line under category's map.
        let mapping = try String(contentsOf: mappingFile, encoding: .utf8)
        let anchor = "          fuga: RUNAWAY\n"
        #expect(mapping.components(separatedBy: anchor).count == 2, "one `fuga: RUNAWAY` line, under category")
        try mapping.replacingOccurrences(of: anchor, with: anchor + "          fuga da comunità: RUNAWAY\n")
            .write(to: mappingFile, atomically: true, encoding: .utf8)
        let after = try InboxValidator.validate(try LoadedConfiguration.load(pipelinePath: workspace.pipeline.path))
        #expect(after.lines.filter { $0.hasSuffix(mappingFile.path) } == [])

        // 4. The rerun loads them: the member's quarantine has no UNKNOWN_CODE left.
        let (second, _) = workspace.run()
        #expect(second.exitStatus == .success)
        let secondManifest = try #require(second.manifest)
        let secondReport = try #require(secondManifest.submissions.first { $0.file == Self.file })
        #expect(secondReport.counts.read == counts["read"])
        #expect(secondReport.counts.loaded == counts["loaded"])
        #expect(secondReport.counts.quarantined == counts["quarantined"])
        #expect(secondReport.counts.reconciles)
        #expect(secondManifest.totals.reconciles)
        #expect(secondManifest.submissions.allSatisfy { $0.counts.reconciles })
        let secondQuarantine = try StewardDataset.quarantine(in: workspace.out).filter { $0.member == "IT-TA" }
        #expect(!secondQuarantine.contains { $0.reason == "UNKNOWN_CODE" })
        #expect(secondQuarantine.map { "\($0.record) \($0.field ?? "-") \($0.reason)" } == baseline)
    }
}
