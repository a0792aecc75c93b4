import Testing

@testable import Extract

/// `CSVExtractor.recycle`: value arrays given back are filled again by `next()`, and the records
/// are exactly those of an extractor that allocates a new array for every record.
@Suite struct CSVRecyclingTests {
    /// Rows that leave fields absent after full ones: a short row, text after a closing quote,
    /// bytes that are not UTF-8, and a doubled quote and empty fields besides.
    static let bytes: [UInt8] =
        Array("a,b,c\n1,2,3\n4,5\n\"x\"y,6,7\n8,\"q\"\"r\",9\n,,\n10,".utf8) + [0xFF, 0xFE]
        + Array(",12\n13,14,15\n16\n".utf8)

    static func extractor() throws -> CSVExtractor {
        let options = CSVOptions(delimiter: UInt8(ascii: ","))
        return try CSVExtractor(
            source: MemoryByteSource(bytes),
            request: CSVTestSupport.request(["a", "b", "c"], options: options, limits: ExtractLimits()),
            options: options)
    }

    static var expected: [ExtractedRecord] {
        (try? CSVTestSupport.extract(bytes, fields: ["a", "b", "c"], options: CSVOptions(delimiter: UInt8(ascii: ","))).get()) ?? []
    }

    @Test func everyRecordGivenBackAtOnce() throws {
        let extractor = try Self.extractor()
        var records: [ExtractedRecord] = []
        while let record = try extractor.next() {
            records.append(record)
            var done = [record]  // shares its values with the copy kept: copy-on-write keeps that intact
            extractor.recycle(&done)
            #expect(done[0].values.isEmpty)
        }
        #expect(records.count == 8)
        #expect(records == Self.expected)
        // The absent fields really are absent where a full record's array was filled again.
        #expect(records[1].values == ["4", "5", nil])
        #expect(records[2].values == [nil, "6", "7"] && records[2].defect != nil)
        #expect(records[5].values == ["10", nil, "12"] && records[5].defect != nil)
        #expect(records[7].values == ["16", nil, nil])
    }

    @Test func recordsGivenBackInBatchesAndNotHeld() throws {
        let extractor = try Self.extractor()
        var seen: [[String?]] = [], batch: [ExtractedRecord] = []
        while let record = try extractor.next() {
            seen.append(record.values.map { $0.map { String($0) } })  // a deep copy, not the array
            batch.append(record)
            if batch.count == 3 {
                extractor.recycle(&batch)
                batch.removeAll()
            }
        }
        #expect(seen == Self.expected.map(\.values))
    }

    @Test func arraysOfAnotherShapeAreNotKept() throws {
        let extractor = try Self.extractor()
        var other = [ExtractedRecord(locator: CSVTestSupport.locator(record: 2, byteOffset: 0), fieldNames: ["a"], values: ["x"])]
        extractor.recycle(&other)
        #expect(try extractor.next()?.values == ["1", "2", "3"])
    }
}
