import Extract
import Testing

@Suite("JSON validation errors: kind, message and position")
struct JSONErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var bytes: [UInt8]
        var message: String
        var line: Int
        var column: Int
        var byteOffset: Int
        var kind: ExtractError.Kind = .malformed
        var testDescription: String { String(decoding: bytes.prefix(40), as: UTF8.self) }

        init(_ text: String, _ message: String, line: Int = 1, column: Int, byteOffset: Int, kind: ExtractError.Kind = .malformed) {
            self.init(bytes: Array(text.utf8), message, line: line, column: column, byteOffset: byteOffset, kind: kind)
        }

        init(bytes: [UInt8], _ message: String, line: Int = 1, column: Int, byteOffset: Int, kind: ExtractError.Kind = .malformed) {
            self.bytes = bytes
            self.message = message
            self.line = line
            self.column = column
            self.byteOffset = byteOffset
            self.kind = kind
        }
    }

    static let cases: [Case] = [
        Case(#"{"a": 1 "b": 2}"#, #"expected ',' or '}' after an object member, found '"'"#, column: 9, byteOffset: 8),
        Case("{\"a\": 1, \"b\": 2 x}", "expected ',' or '}' after an object member, found 'x'", column: 17, byteOffset: 16),
        Case("[1, 2", "expected ',' or ']' after an array element, found end of input", column: 6, byteOffset: 5),
        Case(#"{"a": "abc"#, "unexpected end of input inside a string", column: 7, byteOffset: 6),
        Case("[01]", "invalid number: leading zeros are not allowed", column: 2, byteOffset: 1),
        Case("[-012]", "invalid number: leading zeros are not allowed", column: 3, byteOffset: 2),
        Case("[+1]", "expected a value or ']', found '+'", column: 2, byteOffset: 1),
        Case("[.5]", "expected a value or ']', found '.'", column: 2, byteOffset: 1),
        Case("[1.]", "invalid number: expected a digit after the decimal point, found ']'", column: 4, byteOffset: 3),
        Case("[1e]", "invalid number: expected a digit in the exponent, found ']'", column: 4, byteOffset: 3),
        Case("[1E+]", "invalid number: expected a digit in the exponent, found ']'", column: 5, byteOffset: 4),
        Case("[-]", "invalid number: expected a digit after '-', found ']'", column: 3, byteOffset: 2),
        Case("[- 1]", "invalid number: expected a digit after '-', found a space", column: 3, byteOffset: 2),
        Case(#"{"a" 1}"#, "expected ':' after an object key, found '1'", column: 6, byteOffset: 5),
        Case(#"{"a": }"#, "expected a value after ':', found '}'", column: 7, byteOffset: 6),
        Case("{1: 2}", "expected a string key or '}', found '1'", column: 2, byteOffset: 1),
        Case(#"{"a": 1,}"#, "expected a string key after ',' (trailing commas are not allowed), found '}'", column: 9, byteOffset: 8),
        Case("[tru]", "invalid literal, expected 'true'", column: 2, byteOffset: 1),
        Case("[nul", "invalid literal, expected 'null'", column: 2, byteOffset: 1),
        Case("[True]", "expected a value or ']', found 'T'", column: 2, byteOffset: 1),
        Case("[\"a\tb\"]", "unescaped control character U+0009 in a string", column: 4, byteOffset: 3),
        Case(#"["\x"]"#, #"invalid escape in a string: '\' followed by 'x'"#, column: 3, byteOffset: 2),
        Case(#"["\u12G4"]"#, #"invalid \u escape in a string: expected 4 hex digits, found 'G'"#, column: 3, byteOffset: 2),
        Case("", "the document is empty, expected a JSON value", column: 1, byteOffset: 0),
        Case(" \n ", "the document is empty, expected a JSON value", line: 2, column: 2, byteOffset: 3),
        Case("[1]\n\n  ]", "expected the end of the document after the top-level value, found ']'", line: 3, column: 3, byteOffset: 7),
        Case("{\n  \"a\": [1,\n  2,]\n}", "expected a value after ',' (trailing commas are not allowed), found ']'", line: 3, column: 5, byteOffset: 17),
        Case("[\"é\"] é", "expected the end of the document after the top-level value, found byte 0xC3", column: 8, byteOffset: 7),  // columns count bytes
        Case(bytes: Array("123".utf8) + [0], "expected the end of the document after the top-level value, found control character U+0000", column: 4, byteOffset: 3),
        Case(bytes: [0x5B, 0x22, 0xE9, 0x74, 0xE9, 0x22, 0x5D], "invalid UTF-8 in a string (sequence starting with byte 0xE9); JSON files must be UTF-8", column: 3, byteOffset: 2, kind: .encoding),
        Case(bytes: [0x5B, 0x22, 0xC0, 0xAF, 0x22, 0x5D], "invalid UTF-8 in a string (sequence starting with byte 0xC0); JSON files must be UTF-8", column: 3, byteOffset: 2, kind: .encoding),
        Case(bytes: [0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D], "invalid UTF-8 in a string (sequence starting with byte 0xED); JSON files must be UTF-8", column: 3, byteOffset: 2, kind: .encoding),
        Case("\u{FEFF}[1,]", "expected a value after ',' (trailing commas are not allowed), found ']'", column: 4, byteOffset: 6),  // the BOM is not a column
    ]

    @Test("a malformed document gives the exact error, however it is chunked", arguments: cases)
    func malformed(_ example: Case) {
        let expected = ExtractError(
            example.kind, file: JSONTestSupport.file, line: example.line, column: example.column,
            byteOffset: example.byteOffset, message: example.message)
        #expect(JSONTestSupport.validationError(example.bytes) == expected)
        #expect(JSONTestSupport.validationError(example.bytes, chunked: true) == expected)
    }

    @Test("the description names file, line, column and byte")
    func description() {
        #expect(
            JSONTestSupport.validationError("[1,\n  2 3]")?.description
                == "test/submission.json:2:5 (byte 8): expected ',' or ']' after an array element, found '3'")
    }

    @Test("valid documents are accepted", arguments: [
        "{}", "[]", " \n[ ] \n", "0", "-0.0e-0", "\"\"", "true", "null", "\u{FEFF}{}",
        #"{"a": [1, 2.5, -3E+10, {"b": null}], "c": "\ud83d\ude00 \u0000 \/", "d": {}}"#,
        "[\"\u{7F}\u{10FFFF}\u{FFFF}\"]",
    ])
    func valid(_ text: String) {
        #expect(JSONTestSupport.validationError(text) == nil)
        #expect(JSONTestSupport.validationError(text, chunked: true) == nil)
    }

    @Test("100,000 nested arrays are refused quickly at the depth limit, not with a stack overflow")
    func deepNesting() {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        let clock = ContinuousClock()
        let start = clock.now
        let error = JSONTestSupport.validationError(bytes)
        #expect(clock.now - start < .seconds(1))
        #expect(error == ExtractError(
            .limitExceeded, file: JSONTestSupport.file, line: 1, column: 257, byteOffset: 256,
            message: "arrays and objects are nested more than 256 levels deep (limit maxDepth)"))

        let records = JSONTestSupport.extract(
            bytes: Array(#"{"skipped": "#.utf8) + bytes, fields: [], limits: ExtractLimits(maxDepth: 1000))
        #expect(records.error?.kind == .limitExceeded)
        #expect(records.error?.byteOffset == 12 + 999)
    }

    @Test("nesting up to maxDepth is accepted")
    func nestingAtLimit() {
        let text = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        #expect(JSONTestSupport.validationError(text) == nil)
        #expect(JSONTestSupport.validationError("[" + text + "]")?.kind == .limitExceeded)
    }
}
