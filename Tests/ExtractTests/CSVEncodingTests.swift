import Testing

@testable import Extract

@Suite struct CSVEncodingTests {
    typealias Support = CSVTestSupport

    @Test(arguments: [false, true])
    func windows1252DecodesExactly(chunked: Bool) throws {
        let options = CSVOptions(delimiter: UInt8(ascii: ";"), encoding: .windows1252)
        let bytes: [UInt8] =
            Array("Fallnummer;Kategorie\n1;Ausrei".utf8) + [0xDF] + Array("er ".utf8)
            + [0x80, 0x20, 0x8A, 0x9F, 0xE9] + Array("\n".utf8)
        let records = try Support.extract(bytes, fields: ["Kategorie"], options: options, chunked: chunked).get()
        #expect(
            records == [
                ExtractedRecord(
                    locator: Support.locator(record: 2, byteOffset: 21), fields: ["Kategorie": "Ausreißer € ŠŸé"])
            ])
    }

    @Test func windows1252UndefinedByteIsARecordDefect() throws {
        let options = CSVOptions(encoding: .windows1252)
        let bytes: [UInt8] = Array("a,b\n1,x".utf8) + [0x81] + Array("\n2,y\n".utf8)
        let records = try Support.extract(bytes, fields: ["a", "b"], options: options).get()
        #expect(
            records == [
                ExtractedRecord(
                    locator: Support.locator(record: 2, byteOffset: 4), fields: ["a": "1"],
                    defect: RecordDefect(field: "b", message: "invalid windows-1252 byte 0x81 at line 2, byte offset 7")
                ),
                ExtractedRecord(locator: Support.locator(record: 3, byteOffset: 9), fields: ["a": "2", "b": "y"]),
            ])
    }

    @Test func iso8859VariantsDifferExactlyWhereTheyShould() throws {
        let high: [UInt8] = [0xA4, 0xA6, 0xA8, 0xB4, 0xB8, 0xBC, 0xBD, 0xBE, 0xE4, 0x80]
        let bytes = Array("v\n".utf8) + high + [0x0A]
        let latin1 = try Support.extract(bytes, fields: ["v"], options: CSVOptions(encoding: .iso88591)).get()
        let latin9 = try Support.extract(bytes, fields: ["v"], options: CSVOptions(encoding: .iso885915)).get()
        #expect(latin1.map(\.fields) == [["v": "¤¦¨´¸¼½¾ä\u{80}"]])
        #expect(latin9.map(\.fields) == [["v": "€ŠšŽžŒœŸä\u{80}"]])
    }

    @Test(arguments: [false, true])
    func utf16LittleAndBigEndian(bigEndian: Bool) throws {
        let text = "Name,Ort\r\n\"Zoë 😀\",Århus\r\nAl,\"x,y\"\r\n"
        let bytes = Support.utf16(text, bigEndian: bigEndian)
        for chunked in [false, true] {
            let records = try Support.extract(
                bytes, fields: ["Name", "Ort"], options: CSVOptions(encoding: .utf16), chunked: chunked
            ).get()
            #expect(
                records == [
                    ExtractedRecord(
                        locator: Support.locator(record: 2, byteOffset: 22), fields: ["Name": "Zoë 😀", "Ort": "Århus"]),
                    ExtractedRecord(
                        locator: Support.locator(record: 3, byteOffset: 54), fields: ["Name": "Al", "Ort": "x,y"]),
                ])
        }
    }

    /// Offsets in the UTF-16 bytes stay exact across many transcoder and buffer refills.
    @Test(arguments: [false, true])
    func utf16OffsetsAcrossRefills(bigEndian: Bool) throws {
        var text = "id,v\n"
        var expected: [RecordLocator] = []
        for index in 0..<5000 {
            expected.append(Support.locator(record: index + 2, byteOffset: 2 + 2 * text.utf16.count))
            text += "\(index),\(String(repeating: "é😀", count: index % 9))\(index % 3 == 0 ? "\r" : "")\n"
        }
        let records = try Support.extract(
            Support.utf16(text, bigEndian: bigEndian), fields: ["id"], options: CSVOptions(encoding: .utf16)
        ).get()
        #expect(records.map(\.locator) == expected)
        #expect(records.last?.fields == ["id": "4999"])
    }

    @Test func utf16UnpairedSurrogateIsARecordDefect() throws {
        var bytes = Support.utf16("a,b\n1,x", bigEndian: false)
        bytes += [0x00, 0xD8]  // a high surrogate followed by "\n", not by a low surrogate
        bytes += Support.utf16("\n2,y\n", bigEndian: false).dropFirst(2)
        let records = try Support.extract(bytes, fields: ["a", "b"], options: CSVOptions(encoding: .utf16)).get()
        #expect(
            records == [
                ExtractedRecord(
                    locator: Support.locator(record: 2, byteOffset: 10), fields: ["a": "1"],
                    defect: RecordDefect(
                        field: "b",
                        message: "invalid UTF-16 code unit 0xD800 (unpaired surrogate) at line 2, byte offset 16")),
                ExtractedRecord(locator: Support.locator(record: 3, byteOffset: 20), fields: ["a": "2", "b": "y"]),
            ])
    }

    @Test(arguments: [false, true])
    func invalidUTF8IsARecordDefectAndTheFileGoesOn(chunked: Bool) throws {
        let bytes: [UInt8] =
            Array("id,name\n1,Jos".utf8) + [0xC3] + Array("\n2,\"Ren".utf8) + [0xC3, 0xA9]
            + Array("\"\n3,\"a\nb".utf8) + [0xFF] + Array("\"\n".utf8)
        let records = try Support.extract(bytes, fields: ["id", "name"], chunked: chunked).get()
        #expect(
            records == [
                ExtractedRecord(
                    locator: Support.locator(record: 2, byteOffset: 8), fields: ["id": "1"],
                    defect: RecordDefect(field: "name", message: "invalid UTF-8 byte 0xC3 at line 2, byte offset 13")),
                ExtractedRecord(
                    locator: Support.locator(record: 3, byteOffset: 15), fields: ["id": "2", "name": "René"]),
                ExtractedRecord(
                    locator: Support.locator(record: 4, byteOffset: 25), fields: ["id": "3"],
                    defect: RecordDefect(field: "name", message: "invalid UTF-8 byte 0xFF at line 5, byte offset 31")),
            ])
    }

    @Test func byteOrderMarkContradictingTheDeclaredEncoding() {
        let bytes: [UInt8] = [0xFF, 0xFE] + Support.utf16("a\n1\n", bigEndian: false).dropFirst(2)
        let error = Support.error(bytes, fields: ["a"], options: CSVOptions(encoding: .windows1252))
        #expect(
            error
                == ExtractError(
                    .encoding, file: Support.file, byteOffset: 0,
                    message:
                        "the file starts with a UTF-16 little-endian byte order mark (FF FE), but the mapping declares "
                        + "windows-1252; if the file really is utf-16, set `encoding: utf-16` in the member's mapping"))
        let utf8Marked = Support.error(
            [0xEF, 0xBB, 0xBF] + Array("a\n".utf8), fields: ["a"], options: CSVOptions(encoding: .utf16))
        #expect(
            utf8Marked?.message == "the file starts with a UTF-8 byte order mark (EF BB BF), but the mapping "
                + "declares utf-16; if the file really is utf-8, set `encoding: utf-8` in the member's mapping")
    }

    @Test func utf16WithoutByteOrderMarkIsRefused() {
        let bytes = Array(Support.utf16("a\n1\n", bigEndian: false).dropFirst(2))
        let error = Support.error(bytes, fields: ["a"], options: CSVOptions(encoding: .utf16))
        #expect(
            error
                == ExtractError(
                    .encoding, file: Support.file, byteOffset: 0,
                    message: "the mapping declares utf-16, but the file does not start with a UTF-16 byte order mark "
                        + "(FF FE or FE FF); ask the member to export UTF-16 with a byte order mark, or correct the "
                        + "encoding in the member's mapping"))
    }

    @Test func invalidByteInTheHeaderIsAnError() {
        let bytes: [UInt8] = Array("id,Stra".utf8) + [0xDF] + Array("e\n1,2\n".utf8)
        let error = Support.error(bytes, fields: ["id"])
        #expect(
            error
                == ExtractError(
                    .encoding, file: Support.file, line: 1, byteOffset: 7,
                    message:
                        "the header is not valid utf-8 (invalid UTF-8 byte 0xDF in column 2); correct the encoding "
                        + "in the member's mapping, or ask the member to export the file again"))
    }
}
