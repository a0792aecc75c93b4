import Testing

@testable import Extract

@Suite struct TextDecodingTests {
    private func decode(_ bytes: [UInt8], _ charset: SingleByteCharset) -> String? {
        bytes.withUnsafeBufferPointer { buffer in
            charset.firstUndefinedByte(in: buffer) == nil ? charset.decode(buffer) : nil
        }
    }

    @Test func windows1252FullUpperTable() {
        let expected: [UInt8: Unicode.Scalar] = [
            0x80: "€", 0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ",
            0x89: "‰", 0x8A: "Š", 0x8B: "‹", 0x8C: "Œ", 0x8E: "Ž", 0x91: "\u{2018}", 0x92: "\u{2019}",
            0x93: "\u{201C}", 0x94: "\u{201D}", 0x95: "•", 0x96: "–", 0x97: "—", 0x98: "˜", 0x99: "™",
            0x9A: "š", 0x9B: "›", 0x9C: "œ", 0x9E: "ž", 0x9F: "Ÿ",
        ]
        for byte in UInt8(0x80)...0xFF {
            let decoded = decode([byte], .windows1252)
            if [0x81, 0x8D, 0x8F, 0x90, 0x9D].contains(byte) {
                #expect(decoded == nil, "0x\(String(byte, radix: 16)) is undefined")
            } else if let scalar = expected[byte] {
                #expect(decoded == String(Character(scalar)))
            } else {
                #expect(byte >= 0xA0)
                #expect(decoded == String(Character(Unicode.Scalar(byte))))
            }
        }
        #expect(decode(Array("Ausrei".utf8) + [0xDF, 0x65, 0x72], .windows1252) == "Ausreißer")
    }

    @Test func latin9DiffersFromLatin1AtEightBytes() {
        var differences: [UInt8] = []
        for byte in UInt8(0x80)...0xFF where decode([byte], .iso88591) != decode([byte], .iso885915) {
            differences.append(byte)
        }
        #expect(differences == [0xA4, 0xA6, 0xA8, 0xB4, 0xB8, 0xBC, 0xBD, 0xBE])
        #expect(decode([0xA4, 0xBE], .iso885915) == "€Ÿ")
        #expect(decode(Array(0...0x7F), .iso88591) == String(decoding: Array(0...0x7F), as: UTF8.self))
    }

    @Test(
        arguments: [
            ([0x61, 0x62], nil),
            ([0x61, 0xC3, 0xA9], nil),
            ([0xF0, 0x9F, 0x98, 0x80], nil),
            ([0x61, 0xC3], 1),  // truncated
            ([0xC0, 0x80], 0),  // overlong
            ([0xE0, 0x80, 0x80], 0),  // overlong
            ([0xED, 0xA0, 0x80], 0),  // surrogate
            ([0xF4, 0x90, 0x80, 0x80], 0),  // above U+10FFFF
            ([0x61, 0x62, 0xE2, 0x82, 0x41], 2),  // bad continuation
            ([0x80], 0),  // lone continuation
            ([0xFF], 0),
        ] as [([UInt8], Int?)])
    func utf8Validation(bytes: [UInt8], firstInvalid: Int?) {
        #expect(bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidByte(in: $0) } == firstInvalid)
        #expect(bytes.withUnsafeBufferPointer { FieldDecoder(.utf8).decode($0) == nil } == (firstInvalid != nil))
    }

    @Test func byteOrderMarks() {
        #expect(ByteOrderMark.detect([0xEF, 0xBB, 0xBF, 0x61][...]) == .utf8)
        #expect(ByteOrderMark.detect([0xFF, 0xFE][...]) == .utf16LittleEndian)
        #expect(ByteOrderMark.detect([0xFE, 0xFF, 0x00][...]) == .utf16BigEndian)
        #expect(ByteOrderMark.detect([0xEF, 0xBB][...]) == nil)
        #expect(ByteOrderMark.detect([][...]) == nil)
    }

    @Test func utf16TranscodingKeepsSurrogatePairsAcrossReads() throws {
        let text = "a😀\nß\u{FFFD}"
        let bytes = Array(CSVTestSupport.utf16(text, bigEndian: true).dropFirst(2))
        let transcoder = UTF16TranscodingSource(
            wrapping: ChunkedByteSource(bytes, sizes: [1, 3]), bigEndian: true, prefix: [], firstUnitOffset: 2)
        var output: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 2, alignment: 1)
        defer { buffer.deallocate() }
        while case let count = try transcoder.read(into: buffer), count > 0 { output += buffer[0..<count] }
        #expect(output == Array(text.utf8))
        #expect(transcoder.sourceOffset(ofLineStartingAt: 6) == 10)
    }

    @Test func utf16LoneLastByteIsMarked() throws {
        let transcoder = UTF16TranscodingSource(
            wrapping: MemoryByteSource([0x41, 0x00, 0x42]), bigEndian: false, prefix: [], firstUnitOffset: 2)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16, alignment: 1)
        defer { buffer.deallocate() }
        let count = try transcoder.read(into: buffer)
        #expect(Array(buffer[0..<count]) == [0x41, 0xFF])
        #expect(transcoder.problem(atOutputOffset: 1)?.problem == .loneTrailingByte(0x42))
        #expect(transcoder.problem(atOutputOffset: 1)?.sourceOffset == 4)
        #expect(
            transcoder.problem(atOutputOffset: 1)?.problem.description
                == "incomplete UTF-16 code unit (lone last byte 0x42)")
    }
}
