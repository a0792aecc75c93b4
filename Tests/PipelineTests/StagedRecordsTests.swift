import Extract
import Foundation
import Testing

@testable import Pipeline

@Suite("staged records round-trip exactly")
struct StagedRecordsTests {
    static let paths = ["a", "b/c", "@id", "long"]

    /// Values of every shape the codec writes: absent, empty, ASCII, multi-byte UTF-8, and long
    /// enough (200 bytes) for a two-byte length.
    static let records: [ExtractedRecord] = [
        ExtractedRecord(
            locator: RecordLocator(file: "m/f.csv", record: 2, line: 2, byteOffset: 17), fieldNames: paths,
            values: ["x", nil, "", String(repeating: "é", count: 100)]),
        ExtractedRecord(
            locator: RecordLocator(file: "m/f.csv", record: 3, line: 4, byteOffset: nil), fieldNames: paths,
            values: [nil, nil, nil, nil], defect: RecordDefect(field: "b/c", message: "invalid UTF-8 byte 0xC3 at line 4")),
        ExtractedRecord(
            locator: RecordLocator(file: "m/f.csv", record: 5), fieldNames: paths,
            values: ["Ausreißer", "😀👩‍👧", String(repeating: "7", count: 64), "-"],
            defect: RecordDefect(message: "line 5 has 3 fields; the header has 4")),
        // Names in another order (another extractor's array): written by name, read back in the
        // writer's order.
        ExtractedRecord(
            locator: RecordLocator(file: "m/f.csv", record: 6, line: 6, byteOffset: 99),
            fieldNames: ["long", "@id", "b/c", "a"], values: ["L", "I", nil, "A"]),
    ]

    @Test("every record comes back with its locator, defect and values, in the writer's path order")
    func roundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("staged-records-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("records").path
        var writer = try StagedRecords.Writer(path: path, sourcePaths: Self.paths)
        for record in Self.records { try writer.append(record) }
        try writer.commit()

        var reader = try StagedRecords.Reader(path: path, fileName: "m/f.csv")
        #expect(reader.sourcePaths == Self.paths)
        var read: [ExtractedRecord] = []
        while let record = try reader.next() { read.append(record) }
        #expect(read.count == 4)
        for (got, sent) in zip(read, Self.records) {
            #expect(got.locator == sent.locator)
            #expect(got.defect == sent.defect)
            #expect(got.fieldNames == Self.paths)
            #expect(Self.paths.map { got[field: $0] } == Self.paths.map { sent[field: $0] })
        }
        #expect(read[3].values == ["A", nil, "I", "L"])
    }

    /// A batch is staged byte for byte as its records are, one by one: the same file, whatever
    /// order the batch's field names are in.
    @Test("a batch is staged as the same bytes as its records", arguments: [false, true])
    func batchesAreStagedAsTheirRecords(reordered: Bool) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("staged-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // The first three records, with their names in the writer's order or reversed.
        let names = reordered ? Self.paths.reversed() : Self.paths
        let records = Self.records.prefix(3).map { record in
            ExtractedRecord(
                locator: record.locator, fieldNames: names, values: names.map { record[field: $0] }, defect: record.defect)
        }
        let oneByOne = folder.appendingPathComponent("records").path
        var writer = try StagedRecords.Writer(path: oneByOne, sourcePaths: Self.paths)
        for record in records { try writer.append(record) }
        try writer.commit()
        let batched = folder.appendingPathComponent("batches").path
        var batchWriter = try StagedRecords.Writer(path: batched, sourcePaths: Self.paths)
        try batchWriter.append(RecordBatch(records: Array(records.prefix(2))))
        try batchWriter.append(RecordBatch(records: [records[2]]))
        try batchWriter.commit()
        #expect(try Data(contentsOf: URL(fileURLWithPath: batched)) == (try Data(contentsOf: URL(fileURLWithPath: oneByOne))))
    }
}
