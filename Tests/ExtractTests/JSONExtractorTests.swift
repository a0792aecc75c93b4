import Extract
import Testing

@Suite("JSON extractor: records, fields, locators")
struct JSONExtractorTests {
    static let document = [
        #"{"#,
        #"  "meta": {"member": "IT-114", "n": [1, 2, {"x": null}], "s": "\u00e9\ud83d\ude00"},"#,
        #"  "dossiers": ["#,
        #"    {"id": "A-1", "minore": {"eta": 15, "sesso": "F"}, "peso": 2.5, "chiuso": true, "note": null},"#,
        #"    {"id": "A-2", "minore": {"eta": -0.5e+3}, "chiuso": false, "extra": [1, {"a": "b"}]},"#,
        #"    "oops""#,
        #"  ],"#,
        #"  "trailer": {"ok": true}"#,
        #"}"#,
        "",
    ].joined(separator: "\n")

    static let fields = ["id", "minore.eta", "minore.sesso", "peso", "chiuso", "note", "absent", "minore.absent"]

    static func byteOffset(of needle: String, in text: String) -> Int {
        let haystack = Array(text.utf8)
        let pattern = Array(needle.utf8)
        for start in 0...(haystack.count - pattern.count) where Array(haystack[start..<start + pattern.count]) == pattern {
            return start
        }
        return -1
    }

    @Test("nested objects, numbers as written, booleans, null and absent fields, locators")
    func nestedRecords() throws {
        let records = try JSONTestSupport.extract(Self.document, fields: Self.fields).get()
        #expect(records.count == 3)
        let file = JSONTestSupport.file

        #expect(records[0].fields == ["id": "A-1", "minore.eta": "15", "minore.sesso": "F", "peso": "2.5", "chiuso": "true"])
        #expect(records[0].defect == nil)
        #expect(records[0].locator == RecordLocator(file: file, record: 1, line: 4, byteOffset: 107))
        #expect(Self.byteOffset(of: #"{"id": "A-1""#, in: Self.document) == 107)

        #expect(records[1].fields == ["id": "A-2", "minore.eta": "-0.5e+3", "chiuso": "false"])
        #expect(records[1].defect == nil)
        #expect(
            records[1].locator
                == RecordLocator(
                    file: file, record: 2, line: 5, byteOffset: Self.byteOffset(of: #"{"id": "A-2""#, in: Self.document)))

        #expect(records[2].fields.isEmpty)
        #expect(records[2].defect == RecordDefect(message: "record 3 is a string, not an object"))
        #expect(
            records[2].locator
                == RecordLocator(file: file, record: 3, line: 6, byteOffset: Self.byteOffset(of: #""oops""#, in: Self.document)))
    }

    @Test("every chunking of the input gives the same records", arguments: [[1], [2], [3], [7], [1, 2, 3, 4, 5, 6, 7], [5, 1]])
    func chunkBoundaries(sizes: [Int]) throws {
        let expected = try JSONTestSupport.extract(Self.document, fields: Self.fields).get()
        let extractor = try JSONExtractor(
            source: ChunkedByteSource(Array(Self.document.utf8), sizes: sizes),
            request: JSONTestSupport.request(Self.fields), options: JSONOptions(records: .arrayAt("$.dossiers[*]")))
        var records: [ExtractedRecord] = []
        while let record = try extractor.next() { records.append(record) }
        #expect(records == expected)
    }

    @Test("escapes, including a surrogate pair, are decoded; non-ASCII UTF-8 is kept")
    func escapes() throws {
        let text = #"{"dossiers": [{"s": "q\"b\\s\/ \b\f\n\r\t \u00e9\u20AC \ud83d\ude00 Grüße 😀", "k\u00e9y": "x"}]}"#
        for chunked in [false, true] {
            let records = try JSONTestSupport.extract(text, fields: ["s", "kéy"], chunked: chunked).get()
            #expect(records.first?.fields["s"] == "q\"b\\s/ \u{8}\u{C}\n\r\t é€ 😀 Grüße 😀")
            #expect(records.first?.fields["kéy"] == "x")
        }
    }

    @Test("a lone surrogate is an error with its position")
    func loneSurrogate() {
        let text = #"{"dossiers": [{"s": "ab\ud83d"}]}"#
        for chunked in [false, true] {
            let result = JSONTestSupport.extract(text, fields: ["s"], chunked: chunked)
            #expect(
                result.error
                    == ExtractError(
                        .malformed, file: JSONTestSupport.file, line: 1, column: 24, byteOffset: 23,
                        message: #"invalid \u escape in a string: lone surrogate \uD83D (a surrogate pair needs a high \uD800-\uDBFF then a low \uDC00-\uDFFF)"#))
        }
        let low = JSONTestSupport.validationError(#"["\ude00x"]"#)
        #expect(low?.message.hasPrefix(#"invalid \u escape in a string: lone surrogate \uDE00"#) == true)
        #expect(low?.byteOffset == 2)
    }

    @Test("a field that is an object or an array is a defect; so is a path through a scalar")
    func containerFields() throws {
        let text = #"{"dossiers": [{"minore": {"eta": 3}}, {"minore": [1]}, {"minore": "x"}, {"minore": null}]}"#
        let records = try JSONTestSupport.extract(text, fields: ["minore", "minore.eta", "id"]).get()
        #expect(records.count == 4)
        #expect(records[0].defect == RecordDefect(field: "minore", message: "field minore is an object, not a value"))
        #expect(records[0].fields == ["minore.eta": "3"])
        #expect(records[1].defect == RecordDefect(field: "minore", message: "field minore is an array, not a value"))
        #expect(records[2].fields == ["minore": "x"])
        #expect(records[2].defect == nil)
        #expect(records[3].fields.isEmpty)
        #expect(records[3].defect == nil)

        let through = try JSONTestSupport.extract(text, fields: ["minore.eta"]).get()
        #expect(through[1].defect == RecordDefect(field: "minore.eta", message: "field minore.eta cannot be read: minore is an array, not an object"))
        #expect(through[2].defect == RecordDefect(field: "minore.eta", message: "field minore.eta cannot be read: minore is a string, not an object"))
        #expect(through[3].defect == nil)
    }

    @Test("elements that are not objects give a defect naming the record")
    func nonObjectRecords() throws {
        let text = "[{\"a\": 1}, 7, [1, [2]], null, true, \"s\", {}]"
        let records = try JSONTestSupport.extract(text, records: .arrayAt("$[*]"), fields: ["a"]).get()
        #expect(records.map(\.defect?.message) == [
            nil, "record 2 is a number, not an object", "record 3 is an array, not an object",
            "record 4 is null, not an object", "record 5 is a boolean, not an object",
            "record 6 is a string, not an object", nil,
        ])
        #expect(records.map(\.locator.record) == [1, 2, 3, 4, 5, 6, 7])
        #expect(records.map(\.locator.byteOffset) == [1, 11, 14, 24, 30, 36, 41])
        #expect(records[0].fields == ["a": "1"])
    }

    @Test("a duplicated key: the last one wins, and null removes the value")
    func duplicateKeys() throws {
        let text = #"{"dossiers": [{"a": "1", "a": "2"}, {"a": "1", "a": null}]}"#
        let records = try JSONTestSupport.extract(text, fields: ["a"]).get()
        #expect(records.map(\.fields) == [["a": "2"], [:]])
    }

    @Test("an empty records array, nested records path, records path found after other members")
    func paths() throws {
        #expect(try JSONTestSupport.extract(#"{"dossiers": []}"#, fields: ["a"]).get().isEmpty)
        let nested = #"{"x": [{"dossiers": 1}], "export": {"v": 2, "dossiers": [{"a": "deep"}]}, "z": null}"#
        let records = try JSONTestSupport.extract(nested, records: .arrayAt("$.export.dossiers[*]"), fields: ["a"]).get()
        #expect(records.map(\.fields) == [["a": "deep"]])
        #expect(records.first?.locator.byteOffset == 57)
    }

    @Test("records path not found: the message lists the keys there")
    func pathNotFound() {
        let file = JSONTestSupport.file
        #expect(
            JSONTestSupport.extract(#"{"a": 1, "b": {"dossiers": []}, "a": 2}"#, fields: []).error
                == ExtractError(.malformed, file: file, message: "no array at $.dossiers: the document's top level has keys: a, b"))
        #expect(
            JSONTestSupport.extract(#"{}"#, fields: []).error?.message
                == "no array at $.dossiers: the document's top level is an empty object")
        #expect(
            JSONTestSupport.extract(#"{"export": {"x": 1, "y": 2}}"#, records: .arrayAt("$.export.dossiers[*]"), fields: []).error?.message
                == "no array at $.export.dossiers: the object at $.export has keys: x, y")
        #expect(
            JSONTestSupport.extract("[1]", fields: []).error
                == ExtractError(
                    .malformed, file: file, line: 1, column: 1, byteOffset: 0,
                    message: "no array at $.dossiers: the document's top level is an array, not an object"))
        #expect(
            JSONTestSupport.extract("{\n \"dossiers\": {\"a\": []}}", fields: []).error
                == ExtractError(
                    .malformed, file: file, line: 2, column: 14, byteOffset: 15,
                    message: "no array at $.dossiers: $.dossiers is an object, not an array"))
        #expect(
            JSONTestSupport.extract(#"{"dossiers": []}"#, records: .arrayAt("$[*]"), fields: []).error?.message
                == "no array at $: the document's top level is an object, not an array")
    }

    @Test("invalid records or field paths are configuration errors", arguments: ["dossiers[*]", "$.dossiers", "$dossiers[*]", "$..a[*]", "$.a.[*]", "$[*][*]"])
    func invalidRecordsPath(path: String) {
        #expect(JSONTestSupport.extract("[]", records: .arrayAt(path), fields: []).error?.kind == .configuration)
    }

    @Test("invalid field paths are configuration errors", arguments: ["", "a..b", ".a", "a."])
    func invalidFieldPath(field: String) {
        #expect(JSONTestSupport.extract("[]", records: .arrayAt("$[*]"), fields: [field]).error?.kind == .configuration)
    }

    @Test("the rest of the document is validated after the records")
    func validatesAfterRecords() throws {
        let text = #"{"dossiers": [{"a": "1"}], "later": [1, 2,]}"#
        let extractor = try JSONExtractor(
            source: MemoryByteSource(Array(text.utf8)), request: JSONTestSupport.request(["a"]),
            options: JSONOptions(records: .arrayAt("$.dossiers[*]")))
        #expect(try extractor.next()?.fields == ["a": "1"])
        #expect(throws: ExtractError(
            .malformed, file: JSONTestSupport.file, line: 1, column: 43, byteOffset: 42,
            message: "expected a value after ',' (trailing commas are not allowed), found ']'")) {
            _ = try extractor.next()
        }
        #expect(throws: ExtractError.self, "the failure sticks") { _ = try extractor.next() }
        let garbage = JSONTestSupport.extract("{\"dossiers\": []}\n x", fields: [])
        #expect(garbage.error == ExtractError(
            .malformed, file: JSONTestSupport.file, line: 2, column: 2, byteOffset: 18,
            message: "expected the end of the document after the top-level value, found 'x'"))
    }

    @Test("a value longer than maxFieldBytes is refused when it is requested, not when skipped")
    func fieldLimit() throws {
        let long = String(repeating: "x", count: 100)
        let text = #"{"dossiers": [{"a": "\#(long)", "b": "\#(long)"}]}"#
        let limits = ExtractLimits(maxFieldBytes: 64)
        #expect(try JSONTestSupport.extract(text, fields: ["b"], limits: ExtractLimits(maxFieldBytes: 100)).get().count == 1)
        let error = JSONTestSupport.extract(text, fields: ["b"], limits: limits).error
        #expect(error?.kind == .limitExceeded)
        #expect(error?.byteOffset == 129)
        #expect(error?.message == "a key or value longer than the limit of 64 bytes (limit maxFieldBytes)")
    }
}

@Suite("JSON lines")
struct JSONLinesTests {
    @Test("one record per non-empty line; the record number is the line number")
    func lines() throws {
        let text = "{\"id\": 1, \"m\": {\"e\": \"x\"}}\n\n  {\"id\": \"2\"}  \r\n\"str\"\n{\"id\": null}"
        for chunked in [false, true] {
            let records = try JSONTestSupport.extract(text, records: .lines, fields: ["id", "m.e"], chunked: chunked).get()
            #expect(records.map(\.fields) == [["id": "1", "m.e": "x"], ["id": "2"], [:], [:]])
            #expect(records.map(\.locator.record) == [1, 3, 4, 5])
            #expect(records.map(\.locator.line) == [1, 3, 4, 5])
            #expect(records.map(\.locator.byteOffset) == [0, 30, 45, 51])
            #expect(records[2].defect?.message == "record 4 is a string, not an object")
        }
        #expect(try JSONTestSupport.extract("", records: .lines, fields: ["id"]).get().isEmpty)
        #expect(try JSONTestSupport.extract("\n \n", records: .lines, fields: ["id"]).get().isEmpty)
    }

    @Test("an invalid line rejects the file, naming the line")
    func invalidLine() {
        let file = JSONTestSupport.file
        let text = "{\"id\": 1}\n{\"id\": 2,}\n{\"id\": 3}\n"
        #expect(JSONTestSupport.extract(text, records: .lines, fields: ["id"]).error == ExtractError(
            .malformed, file: file, line: 2, column: 10, byteOffset: 19,
            message: "expected a string key after ',' (trailing commas are not allowed), found '}'"))
        #expect(JSONTestSupport.extract("{\"id\": 1} {\"id\": 2}\n", records: .lines, fields: ["id"]).error == ExtractError(
            .malformed, file: file, line: 1, column: 11, byteOffset: 10,
            message: "expected the end of the line after the JSON value, found '{'"))
        #expect(JSONTestSupport.extract("[1,\n2]\n", records: .lines, fields: []).error == ExtractError(
            .malformed, file: file, line: 1, column: 4, byteOffset: 3,
            message: "expected a value after ',', found end of line (each JSON line must hold one complete value)"))
    }
}
