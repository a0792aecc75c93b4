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

        // es-anar's other quarantined records are 12, 35 and 149 (samples/expected.json).
        let expected = Expected(
            member: "ES-ANAR", file: "es-anar/casos-2025.ndjson", source: "expediente", missing: [1: "", 2: ""],
            alsoQuarantined: [12, 35, 149], cases: 160 - 2, padded: 3, paddedID: thirdID)
        #expect(workspace.run().result.exitStatus == .success)
        try Self.checkPublished(in: workspace, expected)
        let cases = try StewardDataset.columns("cases", in: workspace.out)

        // The normalize stage alone, from the staged records (tokens, and null values as they
        // were), gives the same rows: the path a steward's rerun takes.
        #expect(workspace.run(stages: [.normalize, .load], force: true).result.exitStatus == .success)
        try Self.checkPublished(in: workspace, expected)
        #expect(try StewardDataset.columns("cases", in: workspace.out) == cases)
    }

    @Test("the same through the CSV batch path: empty, blank and null-marker ids are missing, a padded id is the id")
    func csvIDsAreReadAsEveryValueIsRead() throws {
        let workspace = try SampleWorkspace(codec: "uncompressed")
        defer { workspace.remove() }
        // Records 2 to 5 of fr-fpe's cases (UTF-16 LE with a byte order mark, tab-separated, CRLF;
        // its null values are "" and "NR"); the id is the first column.
        let path = workspace.inbox.appendingPathComponent("fr-fpe/signalements-2025.csv")
        let data = try Data(contentsOf: path)
        var lines = try #require(String(data: data.dropFirst(2), encoding: .utf16LittleEndian)).components(separatedBy: "\r\n")
        var fifthID = ""
        for (line, newID) in [(1, ""), (2, "  "), (3, "NR"), (4, nil)] as [(Int, String?)] {
            var columns = lines[line].components(separatedBy: "\t")
            if let newID { columns[0] = newID } else { fifthID = columns[0]; columns[0] = " \(columns[0])  " }
            lines[line] = columns.joined(separator: "\t")
        }
        try (Data([0xFF, 0xFE]) + lines.joined(separator: "\r\n").data(using: .utf16LittleEndian)!).write(to: path)

        // fr-fpe's other quarantined cases are 42 and 84 (samples/expected.json).
        let expected = Expected(
            member: "FR-FPE", file: "fr-fpe/signalements-2025.csv", source: "N° dossier",
            missing: [2: "", 3: "", 4: "NR"], alsoQuarantined: [42, 84], cases: 124 - 3, padded: 5, paddedID: fifthID)
        #expect(workspace.run().result.exitStatus == .success)
        try Self.checkPublished(in: workspace, expected)
        let cases = try StewardDataset.columns("cases", in: workspace.out)
        // The extract stage alone (staging the batches, not normalising them), then the
        // normalize stage from what it staged: the same rows.
        #expect(workspace.run(stages: [.extract], force: true).result.exitStatus == .success)
        #expect(workspace.run(stages: [.normalize, .load], force: true).result.exitStatus == .success)
        try Self.checkPublished(in: workspace, expected)
        #expect(try StewardDataset.columns("cases", in: workspace.out) == cases)
    }

    /// What a member's edited cases must give: `missing` quarantined as MISSING_REQUIRED case ids
    /// with the message showing each trimmed value (`shown`), nothing else of its submission
    /// quarantined beyond `alsoQuarantined` (samples/expected.json), `cases` rows of the member,
    /// and record `padded` keyed as the trimmed `paddedID`.
    struct Expected {
        let member: String
        let file: String
        let source: String
        let missing: [Int: String]
        let alsoQuarantined: [Int]
        let cases: Int
        let padded: Int
        let paddedID: String
    }

    static func checkPublished(in workspace: SampleWorkspace, _ expected: Expected) throws {
        let quarantined = try StewardDataset.quarantine(in: workspace.out)
            .filter { $0.member == expected.member && $0.file == expected.file }
        let missing = quarantined.filter { $0.reason == "MISSING_REQUIRED" }
        #expect(missing.map(\.record).sorted() == expected.missing.keys.sorted())
        for entry in missing {
            #expect(entry.field == "case_id")
            #expect(entry.value == nil)
            let shown = expected.missing[entry.record] ?? "?"
            #expect(
                entry.message.hasPrefix("required field case_id (\(expected.source)) is empty (\"\(shown)\")"),
                "\(entry.message)")
        }
        // Nothing else of the member was lost.
        #expect(quarantined.map(\.record).sorted() == (expected.missing.keys + expected.alsoQuarantined).sorted())
        let cases = try StewardDataset.columns("cases", in: workspace.out)
        let members = try #require(cases["member_id"]), records = try #require(cases["source_record"])
        let keys = try #require(cases["case_key"])
        let rows = members.indices.filter { members[$0] == expected.member }
        #expect(rows.count == expected.cases)
        let padded = try #require(rows.first { records[$0] == "\(expected.padded)" })
        #expect(keys[padded] == Self.caseKey(member: expected.member, caseID: expected.paddedID))
    }
}
