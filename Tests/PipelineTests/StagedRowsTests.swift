import Foundation
import Normalize
import Testing

@testable import Pipeline

@Suite("staged rows round-trip exactly")
struct StagedRowsTests {
    static func caseRow(member: String, country: String, caseKey: String, childKey: String, file: String, record: Int)
        -> NormalizedRecord
    {
        .caseRow(CaseRow(
            memberID: member, country: country, caseKey: caseKey, childKey: childKey, caseStatus: "NEW",
            openedOn: CivilDate(year: 2025, month: 3, day: 1)!, closedOn: nil, category: "RUNAWAY",
            crossBorder: nil, destinationCountry: "", childAge: 0, childGender: "UNKNOWN", repeatMissing: true,
            violenceExperienced: false, outcome: "FOUND", foundBy: nil, daysMissing: -1, firstChannel: "PHONE",
            sourceFile: file, sourceRecord: record))
    }

    @Test("keys packed or not, members and files that change between rows, every kind of row")
    func roundTrip() throws {
        let hex = String(repeating: "0123456789abcdef", count: 4)
        let rows: [NormalizedRecord] = [
            Self.caseRow(member: "DE-IVK", country: "DE", caseKey: hex, childKey: String(hex.reversed()), file: "a.csv", record: 1),
            Self.caseRow(member: "DE-IVK", country: "DE", caseKey: hex.uppercased(), childKey: "not-a-key", file: "a.csv", record: 2),
            Self.caseRow(member: "", country: "", caseKey: String(hex.dropLast()), childKey: "g" + hex.dropFirst(), file: "", record: 3),
            // 64 characters whose last is not a hex digit: the key packing backs out after 31 bytes.
            Self.caseRow(member: "", country: "", caseKey: hex.dropLast() + "x", childKey: hex.dropLast() + "A", file: "", record: 3),
            .contactRow(ContactRow(
                memberID: "IT-TA", country: "IT", month: 12, channel: "CHAT", contactType: "INFORMATION", count: 7,
                sourceFile: "b.json", sourceRecord: 4)),
            .quarantined(QuarantineRow(
                memberID: "IT-TA", sourceFile: "b.json", sourceRecord: 5, field: nil, reason: .malformed, value: nil,
                message: "bad")),
            Self.caseRow(member: "DE-IVK", country: "DE", caseKey: "", childKey: "", file: "a.csv", record: 6),
        ]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("staged-rows-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("x.rows").path
        var writer = try StagedRows.Writer(path: path)
        for row in rows { try writer.append(row) }
        try writer.commit()
        var reader = try StagedRows.Reader(path: path)
        var back: [NormalizedRecord] = []
        while let row = try reader.next() { back.append(row) }
        #expect(back == rows)
        // lower-case 64-digit keys are stored as their 32 bytes; any other key as its text
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.range(of: Data(hex.utf8)) == nil)
        #expect(bytes.range(of: Data(hex.uppercased().utf8)) != nil)
        #expect(bytes.range(of: Data("not-a-key".utf8)) != nil)
    }
}
