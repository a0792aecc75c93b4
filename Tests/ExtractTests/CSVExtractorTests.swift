import Testing

@testable import Extract

@Suite struct CSVExtractorTests {
    typealias Support = CSVTestSupport

    @Test(arguments: [false, true])
    func quotedFieldsWithDoubledQuotesDelimitersAndNewlines(chunked: Bool) throws {
        let text = "id,name,note\n1,\"Smith, Anna\",\"she said \"\"hi\"\"\"\n2,\"two\nlines\",x\n3,plain,\"\"\n"
        let records = try Support.extract(text, fields: ["id", "name", "note"], chunked: chunked).get()
        #expect(records.count == 3)
        #expect(records[0].fields == ["id": "1", "name": "Smith, Anna", "note": "she said \"hi\""])
        #expect(records[0].locator == Support.locator(record: 2, byteOffset: 13))
        #expect(records[1].fields == ["id": "2", "name": "two\nlines", "note": "x"])
        #expect(records[1].locator == Support.locator(record: 3, byteOffset: 47))
        #expect(records[2].fields == ["id": "3", "name": "plain", "note": ""])
        #expect(records[2].locator == Support.locator(record: 5, byteOffset: 63))
        #expect(records.allSatisfy { $0.defect == nil })
    }

    @Test(arguments: [false, true])
    func crlfLineEndsAndEmptyLines(chunked: Bool) throws {
        let text = "a,b\r\n1,x\r\n\r\n2,\"y\r\nz\"\r\n\n3,w"
        let records = try Support.extract(text, fields: ["b"], chunked: chunked).get()
        #expect(records.map(\.fields) == [["b": "x"], ["b": "y\r\nz"], ["b": "w"]])
        #expect(
            records.map(\.locator) == [
                Support.locator(record: 2, byteOffset: 5),
                Support.locator(record: 4, byteOffset: 12),
                Support.locator(record: 7, byteOffset: 23),
            ])
    }

    @Test func semicolonDelimiterAndOtherQuote() throws {
        let options = CSVOptions(delimiter: UInt8(ascii: ";"), quote: UInt8(ascii: "'"))
        let text = "Fallnummer;Kategorie\nDE-1;'Ausreißer; mit ''Zitat'''\n"
        let records = try Support.extract(text, fields: ["Kategorie", "Fallnummer"], options: options).get()
        #expect(
            records == [
                ExtractedRecord(
                    locator: Support.locator(record: 2, byteOffset: 21),
                    fields: ["Fallnummer": "DE-1", "Kategorie": "Ausreißer; mit 'Zitat'"])
            ])
    }

    @Test func onlyRequestedColumnsAreDecoded() throws {
        let records = try Support.extract("a,b,c\n1,2,3\n", fields: ["c"]).get()
        #expect(records.map(\.fields) == [["c": "3"]])
    }

    @Test func withoutHeaderColumnsAreNamedByPosition() throws {
        let options = CSVOptions(hasHeader: false)
        let records = try Support.extract("x,y,z\n\nu,v,w\n", fields: ["3", "1"], options: options).get()
        #expect(records.map(\.fields) == [["1": "x", "3": "z"], ["1": "u", "3": "w"]])
        #expect(
            records.map(\.locator) == [
                Support.locator(record: 1, byteOffset: 0), Support.locator(record: 3, byteOffset: 7),
            ])
    }

    @Test func utf8ByteOrderMarkIsSkippedButCountedInOffsets() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Name,Ort\nJosé,Köln\n".utf8)
        let records = try Support.extract(bytes, fields: ["Name", "Ort"]).get()
        #expect(
            records == [
                ExtractedRecord(
                    locator: Support.locator(record: 2, byteOffset: 12), fields: ["Name": "José", "Ort": "Köln"])
            ])
    }

    @Test func lastFieldEmptyAndNoFinalNewline() throws {
        let records = try Support.extract("a,b\n1,", fields: ["a", "b"]).get()
        #expect(records.map(\.fields) == [["a": "1", "b": ""]])
    }

    @Test func headerOnlyGivesNoRecords() throws {
        #expect(try Support.extract("a,b\r\n", fields: ["a"]).get().isEmpty)
    }

    /// Many records across several 64 KiB buffer refills, and one record far larger than the buffer.
    @Test(arguments: [false, true])
    func largeInputKeepsLinesAndOffsets(chunked: Bool) throws {
        var text = "id,payload,tail\n"
        var expected: [(line: Int, offset: Int, id: String)] = []
        for index in 0..<6000 {
            expected.append((2 + 2 * index, text.utf8.count, String(index)))
            text += "\(index),\"\(String(repeating: "é", count: index % 17))\nx\",t\(index)\n"
        }
        // One big record: a 300 000-byte quoted field.
        let bigOffset = text.utf8.count
        let bigLine = 2 + 6000 * 2
        text += "big,\"\(String(repeating: "ab,\"\"", count: 60_000))\",end\n"
        text += "last,y,z\n"
        let records = try Support.extract(text, fields: ["id", "tail"], chunked: chunked).get()
        #expect(records.count == 6002)
        for (record, want) in zip(records, expected)
        where record.locator.line != want.line
            || record.locator.byteOffset != want.offset || record.fields["id"] != want.id
        {
            Issue.record("record \(want.id): got \(record.locator) \(record.fields)")
            break
        }
        #expect(records[6000].locator == Support.locator(record: bigLine, byteOffset: bigOffset))
        #expect(records[6000].fields == ["id": "big", "tail": "end"])
        #expect(records[6001].fields == ["id": "last", "tail": "z"])
        #expect(records[6001].locator.record == bigLine + 1)
    }
}
