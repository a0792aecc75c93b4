import DatasetContract
import Foundation
import Normalize
import Parquet
import Testing

@testable import Pipeline

@Suite("staged rows round-trip exactly")
struct StagedRowsTests {
    static func caseRow(member: String, country: String, caseKey: String, childKey: String, file: String, record: Int)
        -> NormalizedRecord
    {
        .caseRow(CaseRow(
            memberID: member, country: country, caseKey: Pseudonym(testHex: caseKey),
            childKey: Pseudonym(testHex: childKey), caseStatus: "NEW",
            openedOn: CivilDate(year: 2025, month: 3, day: 1)!, closedOn: nil, category: "RUNAWAY",
            crossBorder: nil, destinationCountry: "", childAge: 0, childGender: "UNKNOWN", repeatMissing: true,
            violenceExperienced: false, outcome: "FOUND", foundBy: nil, daysMissing: -1, firstChannel: "PHONE",
            sourceFile: file, sourceRecord: record))
    }

    static let hex = String(repeating: "0123456789abcdef", count: 4)
    /// A key whose 16-byte halves differ: bytes 0 to 31.
    static let ramp = (0..<32).map { String(format: "%02x", $0) }.joined()
    static let zeros = String(repeating: "0", count: 64), ones = String(repeating: "f", count: 64)
    static let rows: [NormalizedRecord] = {
        let hex = Self.hex, ramp = Self.ramp, zeros = Self.zeros, ones = Self.ones
        return [
            Self.caseRow(member: "DE-IVK", country: "DE", caseKey: hex, childKey: String(hex.reversed()), file: "a.csv", record: 1),
            Self.caseRow(member: "DE-IVK", country: "DE", caseKey: zeros, childKey: ones, file: "b.csv", record: 2),
            Self.caseRow(member: "", country: "", caseKey: ramp, childKey: hex, file: "", record: 3),
            Self.caseRow(member: "", country: "", caseKey: ones, childKey: ramp, file: "", record: 3),
            .contactRow(ContactRow(
                memberID: "IT-TA", country: "IT", month: 12, channel: "CHAT", contactType: "INFORMATION", count: 7,
                sourceFile: "b.json", sourceRecord: 4)),
            .quarantined(QuarantineRow(
                memberID: "IT-TA", sourceFile: "b.json", sourceRecord: 5, field: nil, reason: .malformed, value: nil,
                message: "bad")),
            Self.caseRow(member: "DE-IVK", country: "DE", caseKey: hex, childKey: zeros, file: "a.csv", record: 6),
        ]
    }()

    /// Writes `rows` to a fresh staged file; returns its path (the folder is removed by `cleanUp`).
    static func stage(_ rows: [NormalizedRecord]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("staged-rows-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("x.rows").path
        var writer = try StagedRows.Writer(path: path)
        for row in rows { try writer.append(row) }
        try writer.commit()
        return path
    }

    static func cleanUp(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    @Test("keys as their bytes, members and files that change between rows, every kind of row")
    func roundTrip() throws {
        let hex = Self.hex, rows = Self.rows
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
        // keys are stored as 2 and their 32 bytes, never as their hex
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.range(of: Data(hex.utf8)) == nil && bytes.range(of: Data(Self.ramp.utf8)) == nil)
        #expect(bytes.range(of: Data([2] + (0..<32))) != nil)
        #expect(bytes.range(of: Data([2] + [UInt8](repeating: 0xFF, count: 32))) != nil)
        // Beside them, each case row's child-key digest.
        var keys = try StagedRows.KeysReader(path: StagedRows.keysPath(path))
        var digests: [KeyDigest] = []
        try keys.forEach { digests.append($0) }
        #expect(digests == rows.compactMap { if case .caseRow(let row) = $0 { KeyDigest(row.childKey.hex) } else { nil } })
        #expect(digests.first == KeyDigest(high: 0xfedc_ba98_7654_3210, low: 0xfedc_ba98_7654_3210))
        // A key whose 16-byte halves all differ: the digest is its first 16 bytes, in order.
        let ramp = Self.ramp
        let rampPath = try Self.stage([
            Self.caseRow(member: "DE-IVK", country: "DE", caseKey: hex, childKey: ramp, file: "a.csv", record: 1)
        ])
        defer { Self.cleanUp(rampPath) }
        var rampKeys = try StagedRows.KeysReader(path: StagedRows.keysPath(rampPath))
        var rampDigests: [KeyDigest] = []
        try rampKeys.forEach { rampDigests.append($0) }
        #expect(rampDigests == [KeyDigest(high: 0x0001_0203_0405_0607, low: 0x0809_0a0b_0c0d_0e0f)])
        #expect(rampDigests == [KeyDigest(ramp)])
    }

    /// The load stage's path: kept rows decoded straight into column buffers must give the very
    /// buffers that decoding them and appending the values gives.
    @Test("rows read into column buffers are the rows decoded, value for value")
    func columnPathMatchesDecodedRows() throws {
        // Beside the rows above, one whose optional values are the other way round.
        let varied = NormalizedRecord.caseRow(CaseRow(
            memberID: "NL-SMK", country: "NL", caseKey: Pseudonym(testHex: Self.hex),
            childKey: Pseudonym(testHex: Self.hex), caseStatus: "CLOSED",
            openedOn: CivilDate(year: 2024, month: 12, day: 31)!, closedOn: CivilDate(year: 2025, month: 1, day: 2)!,
            category: "ABDUCTION_PARENTAL", crossBorder: true, destinationCountry: nil, childAge: nil,
            childGender: "F", repeatMissing: nil, violenceExperienced: nil, outcome: "FOUND", foundBy: "POLICE",
            daysMissing: 12, firstChannel: nil, sourceFile: "c.xml", sourceRecord: 7))
        let rows = Self.rows + [varied]
        let path = try Self.stage(rows)
        defer { Self.cleanUp(path) }
        func empty(_ table: DatasetTable) -> [ParquetColumnBuffer] {
            table.schema.columns.map { ParquetColumnBuffer($0.physicalType) }
        }
        var cases = empty(.cases), contacts = empty(.contacts)
        var expectedCases = empty(.cases), expectedContacts = empty(.contacts)
        var records: [Int] = []
        var keys = KeyDigestColumns()
        var reader = try StagedRows.Reader(path: path)
        while let tag = try reader.nextTag() {
            switch tag {
            case .caseRow: records.append(try reader.appendCaseRow(to: &cases, keys: &keys))
            case .contactRow: try reader.appendContactRow(to: &contacts)
            case .quarantineRow: #expect(try reader.row(tag) == Self.rows[5])
            }
        }
        for row in rows {
            switch row {
            case .caseRow(let r): Self.append(r, to: &expectedCases)
            case .contactRow(let r): Self.append(r, to: &expectedContacts)
            case .quarantined: break
            }
        }
        #expect(records == [1, 2, 3, 3, 6, 7])
        #expect(cases == expectedCases)
        // Each row's key digests, from the staged bytes: those of the hex the columns hold.
        var caseKeyHex: [KeyDigest] = [], childKeyHex: [KeyDigest] = []
        cases[2].forEachByteValue { _, bytes in caseKeyHex.append(KeyDigest(Array(bytes!))) }
        cases[3].forEachByteValue { _, bytes in childKeyHex.append(KeyDigest(Array(bytes!))) }
        #expect(keys.caseKeys == caseKeyHex)
        #expect(keys.childKeys == childKeyHex)
        #expect(Set(keys.caseKeys).count > 1)
        #expect(contacts == expectedContacts)
        #expect(cases[2].count == 6 && cases[6].nullCount == 5 && cases[10].nullCount == 1 && cases[8].nullCount == 5)
    }

    /// A live load gets the staged blocks as they are written: decoded in order they give the
    /// rows, each block's keys are the child keys of its case rows, and the file is unchanged.
    @Test("blocks handed to a live load decode to the rows staged, with their keys")
    func liveBlocksAreTheStagedRows() throws {
        let rows = (0..<10_000).map { i -> NormalizedRecord in
            // every kind of row, in Self.rows' mix
            guard case .caseRow(var row) = Self.rows[i % 7] else { return Self.rows[i % 7] }
            row.sourceRecord = i
            row.childKey = Pseudonym(testHex: String(format: "%064x", i))
            return .caseRow(row)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("staged-rows-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let live = LiveLoad.Rows(capacity: 16)
        var writer = try StagedRows.Writer(path: folder.appendingPathComponent("x.rows").path, live: live)
        for row in rows { try writer.append(row) }
        try writer.commit()
        live.finish()
        var decoded: [NormalizedRecord] = [], keys: [KeyDigest] = [], blocks = 0
        var decoder = StagedRows.RowDecoder()
        while let batch = live.receive() {
            blocks += 1
            var block = BinaryReader(batch.bytes)
            for _ in 0..<batch.rows { decoded.append(try decoder.row(try decoder.tag(&block), from: &block)) }
            #expect(block.isAtEnd)
            keys += batch.childKeys
        }
        #expect(blocks == 3)  // 4,096 rows a block
        #expect(decoded == rows)
        #expect(keys == rows.compactMap { if case .caseRow(let row) = $0 { KeyDigest(row.childKey.hex) } else { nil } })
        var reader = try StagedRows.Reader(path: folder.appendingPathComponent("x.rows").path)
        var fromFile: [NormalizedRecord] = []
        while let row = try reader.next() { fromFile.append(row) }
        #expect(fromFile == rows)
    }

    /// The reference: a decoded case row's values appended column by column, in schema order.
    static func append(_ row: CaseRow, to columns: inout [ParquetColumnBuffer]) {
        func text(_ value: String?, _ column: Int) {
            if let value { columns[column].append(string: value) } else { columns[column].appendNull() }
        }
        func int32(_ value: Int32?, _ column: Int) {
            if let value { columns[column].append(value) } else { columns[column].appendNull() }
        }
        func flag(_ value: Bool?, _ column: Int) {
            if let value { columns[column].append(value) } else { columns[column].appendNull() }
        }
        text(row.memberID, 0); text(row.country, 1); text(row.caseKey.hex, 2); text(row.childKey.hex, 3)
        text(row.caseStatus, 4); int32(Int32(row.openedOn.daysSinceEpoch), 5)
        int32(row.closedOn.map { Int32($0.daysSinceEpoch) }, 6); text(row.category, 7)
        flag(row.crossBorder, 8); text(row.destinationCountry, 9); int32(row.childAge.map(Int32.init), 10)
        text(row.childGender, 11); flag(row.repeatMissing, 12); flag(row.violenceExperienced, 13)
        text(row.outcome, 14); text(row.foundBy, 15); int32(row.daysMissing.map(Int32.init), 16)
        text(row.firstChannel, 17); text(row.sourceFile, 18); columns[19].append(Int64(row.sourceRecord))
    }

    /// The reference for a contact row.
    static func append(_ row: ContactRow, to columns: inout [ParquetColumnBuffer]) {
        columns[0].append(string: row.memberID)
        columns[1].append(string: row.country)
        columns[2].append(Int32(row.month))
        columns[3].append(string: row.channel)
        columns[4].append(string: row.contactType)
        columns[5].append(Int64(row.count))
        columns[6].append(string: row.sourceFile)
        columns[7].append(Int64(row.sourceRecord))
    }

    /// Staging files carry no checksum: bytes that are not UTF-8 where text belongs are damage,
    /// on both paths, never text repaired with U+FFFD in the dataset.
    @Test("text that is not UTF-8 in a staged row is damage, with the file and what to do")
    func invalidUTF8IsDamage() throws {
        let path = try Self.stage(Self.rows)
        defer { Self.cleanUp(path) }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let at = try #require(bytes.range(of: Data("b.csv".utf8)))
        bytes[at.lowerBound] = 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
        let message = "\(path) is damaged; rerun the normalize stage"
        var decoding = try StagedRows.Reader(path: path)
        #expect(try decoding.next() == Self.rows[0])
        #expect { _ = try decoding.next() } throws: { "\($0)" == message }
        var appending = try StagedRows.Reader(path: path)
        var cases = DatasetTable.cases.schema.columns.map { ParquetColumnBuffer($0.physicalType) }
        #expect(try appending.nextTag() == .caseRow)
        var keys = KeyDigestColumns()
        #expect(try appending.appendCaseRow(to: &cases, keys: &keys) == 1)
        #expect(try appending.nextTag() == .caseRow)
        #expect { _ = try appending.appendCaseRow(to: &cases, keys: &keys) } throws: { "\($0)" == message }
    }

    /// Keys are staged as 2 and their 32 bytes. A 1 and text was how an older writer staged a key
    /// that was not 64 lower-case hex digits (the pipeline never made one): no pseudonym, so
    /// damage on both paths, like any other byte where a key belongs.
    @Test("a staged key in any form but its 32 bytes is damage, on both paths")
    func keyNotStagedAsItsBytesIsDamage() throws {
        for (tag, name) in [(UInt8(1), "as text"), (0, "absent"), (3, "unknown")] {
            let path = try Self.stage(Self.rows)
            defer { Self.cleanUp(path) }
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            // The first key of bytes 0 to 31 is the third row's case key.
            let at = try #require(bytes.range(of: Data([2] + (0..<32))))
            bytes[at.lowerBound] = tag
            try bytes.write(to: URL(fileURLWithPath: path))
            let message = "\(path) is damaged; rerun the normalize stage"
            var decoding = try StagedRows.Reader(path: path)
            #expect(try decoding.next() == Self.rows[0], "\(name)")
            #expect(try decoding.next() == Self.rows[1], "\(name)")
            #expect { _ = try decoding.next() } throws: { "\($0)" == message }
            var appending = try StagedRows.Reader(path: path)
            var cases = DatasetTable.cases.schema.columns.map { ParquetColumnBuffer($0.physicalType) }
            var keys = KeyDigestColumns()
            for record in [1, 2] {
                #expect(try appending.nextTag() == .caseRow)
                #expect(try appending.appendCaseRow(to: &cases, keys: &keys) == record)
            }
            #expect(try appending.nextTag() == .caseRow)
            #expect { _ = try appending.appendCaseRow(to: &cases, keys: &keys) } throws: { "\($0)" == message }
            #expect(keys.caseKeys.count == 2, "\(name): the damaged key adds no digest")
        }
    }
}
