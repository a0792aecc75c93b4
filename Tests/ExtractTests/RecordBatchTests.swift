import Testing

@testable import Extract

/// `RecordBatch`: records held as one byte arena, read back exactly; `CSVExtractor.fill` keeps to
/// its limits. (Every CSV test also compares the batch path with `next()`: `CSVTestSupport`.)
@Suite struct RecordBatchTests {
    static let names = ["id", "name", "note"]

    static let records = [
        ExtractedRecord(
            locator: RecordLocator(file: "m/f.csv", record: 2, line: 2, byteOffset: 17), fieldNames: names,
            values: ["1", "Zoë 😀", nil]),
        ExtractedRecord(
            locator: RecordLocator(file: "m/f.csv", record: 3), fieldNames: names, values: [nil, "", String(repeating: "é", count: 300)],
            defect: RecordDefect(field: "name", message: "invalid UTF-8 byte 0xC3 at line 3, byte offset 40")),
        ExtractedRecord(
            locator: RecordLocator(file: "m/f.csv", record: 4, line: 5, byteOffset: nil), fieldNames: names,
            values: [nil, nil, nil], defect: RecordDefect(message: "line 4 has 2 fields; the header has 3")),
    ]

    @Test func aBatchGivesBackItsRecordsExactly() {
        let batch = RecordBatch(records: Self.records)
        #expect(batch.count == 3)
        #expect(batch.fieldNames == Self.names)
        #expect(batch.file == "m/f.csv")
        #expect((0..<3).map { batch.record($0) } == Self.records)
        #expect(batch.byteCount == 1 + "Zoë 😀".utf8.count + 600)
        batch.withValue(record: 0, field: 1) { #expect($0.map { Array($0) } == Array("Zoë 😀".utf8)) }
        batch.withValue(record: 0, field: 2) { #expect($0 == nil) }
        batch.withValue(record: 1, field: 1) { #expect($0?.count == 0) }
        let empty = RecordBatch(records: [], fieldNames: Self.names, file: "m/g.csv")
        #expect(empty.count == 0 && empty.fieldNames == Self.names && empty.file == "m/g.csv")
    }

    @Test func rewriteReplacesValuesAndKeepsTheOthers() {
        var batch = RecordBatch(records: Self.records)
        batch.rewrite(record: 0, room: 16) { values in
            #expect(values.value(0).map { Array($0) } == Array("1".utf8))
            var replacement = "K-1"
            replacement.withUTF8 { values.set(0, $0) }
            #expect(values.value(0).map { Array($0) } == Array("K-1".utf8))
        }
        var expected = Self.records
        expected[0].values[0] = "K-1"
        #expect((0..<3).map { batch.record($0) } == expected)
    }

    @Test func removeAllLeavesAnEmptyBatchToFillAgain() {
        var batch = RecordBatch(records: Self.records)
        batch.removeAll()
        #expect(batch.count == 0 && batch.byteCount == 0)
        let again = ExtractedRecord(
            locator: RecordLocator(file: "m/f.csv", record: 9, line: 9, byteOffset: 90), fieldNames: Self.names,
            values: ["9", nil, "x"])
        batch.appendRecord(number: 9, line: 9, byteOffset: 90, room: 2) { values in
            var id = "9", note = "x"
            id.withUTF8 { values.set(0, $0) }
            note.withUTF8 { values.set(2, $0) }
        }
        #expect(batch.count == 1)
        #expect(batch.record(0) == again)
    }

    /// A batch that held long values gives back the room beyond `keptRoom` when emptied; a
    /// smaller one keeps all of it.
    @Test func removeAllGivesBackLargeRoom() {
        var batch = RecordBatch(fieldNames: ["v"], file: "m/f.csv")
        let long = [UInt8](repeating: 0x78, count: RecordBatch.keptRoom + 1)
        batch.appendRecord(number: 2, line: 2, byteOffset: 0, room: long.count) { values in
            long.withUnsafeBufferPointer { values.set(0, $0) }
        }
        #expect(batch.bytes.count >= long.count)
        batch.removeAll()
        #expect(batch.bytes.isEmpty)
        batch.appendRecord(number: 3, line: 3, byteOffset: 0, room: 4) { values in
            long.withUnsafeBufferPointer { values.set(0, UnsafeBufferPointer(rebasing: $0[0..<4])) }
        }
        let room = batch.bytes.count
        batch.removeAll()
        #expect(batch.bytes.count == room && room >= 4)
        #expect(batch.count == 0 && batch.byteCount == 0)
    }

    /// `fill` stops at the record limit, or once the values reach the byte limit (after the
    /// record that crosses it), and gives nothing more at the end of the file.
    @Test func fillKeepsToItsLimits() throws {
        let text = "id;v\n" + (1...5).map { "\($0);\(String(repeating: "x", count: 10))" }.joined(separator: "\n") + "\n"
        func counts(limit: Int, byteLimit: Int) throws -> [Int] {
            let options = CSVOptions(delimiter: UInt8(ascii: ";"))
            let extractor = try CSVTestSupport.extractor(
                Array(text.utf8), fields: ["id", "v"], options: options, chunked: false, limits: ExtractLimits())
            var batch = extractor.makeBatch()
            var counts: [Int] = []
            repeat {
                batch.removeAll()
                try extractor.fill(&batch, limit: limit, byteLimit: byteLimit)
                counts.append(batch.count)
            } while batch.count > 0
            return counts
        }
        #expect(try counts(limit: 2, byteLimit: 1 << 20) == [2, 2, 1, 0])
        #expect(try counts(limit: 100, byteLimit: 1) == [1, 1, 1, 1, 1, 0])
        #expect(try counts(limit: 100, byteLimit: 12) == [2, 2, 1, 0])
        #expect(try counts(limit: 100, byteLimit: 1 << 20) == [5, 0])
    }
}
