import Crypto
import Foundation
import Pipeline
import Testing

/// The extract stage stages identifier tokens in place of raw ids; the normalizer must still read
/// each id value as it reads every value: trimmed, and missing when it is one of the null values.
@Suite("identifier values are read as every value is read")
struct IdentifierStagingTests {
    /// HMAC-SHA-256 of "id", member and id joined by U+001F, in hex: the documented case key.
    static func caseKey(member: String, caseID: String) -> String {
        let message = Data(["id", member, caseID].joined(separator: "\u{1F}").utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(SampleWorkspace.testKey.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    @Test("an empty or blank case id is quarantined as missing; an id padded with spaces is the id; both paths")
    func emptyIDsAreMissingAndPaddedIDsAreTrimmed() throws {
        let workspace = try SampleWorkspace(codec: "uncompressed")
        defer { workspace.remove() }
        // Records 1, 2 and 3 of es-anar's cases (JSON lines; es-anar's null values are the default, [""]).
        let path = workspace.inbox.appendingPathComponent("es-anar/casos-2025.ndjson")
        var lines = try String(contentsOf: path, encoding: .utf8).components(separatedBy: "\n")
        var thirdID = ""
        for (index, newID) in [(0, ""), (1, "   "), (2, nil)] as [(Int, String?)] {
            var object = try #require(try JSONSerialization.jsonObject(with: Data(lines[index].utf8)) as? [String: Any])
            let id = try #require(object["expediente"] as? String)
            if let newID { object["expediente"] = newID } else { thirdID = id; object["expediente"] = "  \(id) " }
            lines[index] = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        try lines.joined(separator: "\n").write(to: path, atomically: true, encoding: .utf8)

        #expect(workspace.run().result.exitStatus == .success)
        try Self.checkPublished(in: workspace, thirdID: thirdID)
        let cases = try StewardDataset.columns("cases", in: workspace.out)

        // The normalize stage alone, from the staged records (tokens, and null values as they
        // were), gives the same rows: the path a steward's rerun takes.
        #expect(workspace.run(stages: [.normalize, .load], force: true).result.exitStatus == .success)
        try Self.checkPublished(in: workspace, thirdID: thirdID)
        #expect(try StewardDataset.columns("cases", in: workspace.out) == cases)
    }

    static func checkPublished(in workspace: SampleWorkspace, thirdID: String) throws {
        let quarantined = try StewardDataset.quarantine(in: workspace.out).filter { $0.member == "ES-ANAR" }
        let missing = quarantined.filter { $0.reason == "MISSING_REQUIRED" }
        #expect(missing.map(\.record).sorted() == [1, 2])
        for entry in missing {
            #expect(entry.field == "case_id")
            #expect(entry.value == nil)
            #expect(entry.message.hasPrefix("required field case_id (expediente) is empty (\"\")"), "\(entry.message)")
        }
        // Nothing else of the member was lost: its three quarantined records of samples/expected.json, and
        // every other case loaded.
        #expect(quarantined.map(\.record).sorted() == [1, 2, 12, 35, 149])
        let cases = try StewardDataset.columns("cases", in: workspace.out)
        let members = try #require(cases["member_id"]), records = try #require(cases["source_record"])
        let keys = try #require(cases["case_key"])
        let esAnar = members.indices.filter { members[$0] == "ES-ANAR" }
        #expect(esAnar.count == 160 - 2)
        let third = try #require(esAnar.first { records[$0] == "3" })
        #expect(keys[third] == Self.caseKey(member: "ES-ANAR", caseID: thirdID))
    }
}
