import Extract
import Testing

/// Hostile, malformed and misconfigured input for `XMLExtractor`.
struct XMLErrorTests {
    static let entityRefused =
        " (entities declared in the document are refused, for safety; only &lt; &gt; &amp; &apos; &quot;"
        + " and character references are allowed)"

    @Test("billion laughs is refused at the first entity reference")
    func billionLaughs() {
        var text = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            text += " <!ENTITY lol\(level) \"\(String(repeating: "&\(previous);", count: 10))\">\n"
        }
        text += "]>\n<lolz><v>&lol9;</v></lolz>\n"
        let (records, error) = XMLTestSupport.drain(text, fields: ["v"], recordPath: "/lolz", namespaces: [:])
        #expect(records.isEmpty)
        #expect(
            error
                == ExtractError(
                    .malformed, file: "fr-cf/t.xml", line: 14, column: 16,
                    message: "Entity 'lol9' not defined" + Self.entityRefused))
    }

    @Test("external entities are refused and never read", arguments: [false, true])
    func externalEntity(trickle: Bool) {
        let documents = [
            "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<x><r><v>&e;</v></r></x>\n",
            "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<x><r v=\"&e;\"/></x>",
            "<!DOCTYPE x SYSTEM \"file:///etc/passwd\">\n<x><r><v>&e;</v></r></x>",
        ]
        for (index, text) in documents.enumerated() {
            let (records, error) = XMLTestSupport.drain(
                text, fields: ["v", "@v"], recordPath: "/x/r", namespaces: [:], trickle: trickle)
            #expect(records.isEmpty)
            #expect(error?.kind == .malformed)
            #expect(error?.message == "Entity 'e' not defined" + Self.entityRefused)
            #expect(error?.line == [3, 2, 2][index])
            #expect(error?.column == [13, 13, 13][index])
        }
    }

    @Test("external DTDs and parameter entities are not loaded")
    func externalSubsetNotLoaded() {
        let external = "<!DOCTYPE x SYSTEM \"file:///etc/passwd\">\n<x><r><v>ok</v></r></x>"
        let externalResult = XMLTestSupport.drain(external, fields: ["v"], recordPath: "/x/r", namespaces: [:])
        #expect(externalResult.error == nil)
        #expect(externalResult.records.map(\.fields) == [["v": "ok"]])

        let parameter = "<!DOCTYPE x [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>\n<x><r><v>ok</v></r></x>"
        let parameterResult = XMLTestSupport.drain(parameter, fields: ["v"], recordPath: "/x/r", namespaces: [:])
        #expect(parameterResult.records.isEmpty)
        #expect(
            parameterResult.error
                == ExtractError(
                    .malformed, file: "fr-cf/t.xml", line: 1, column: 59,
                    message: "PEReference: %p; not found" + Self.entityRefused))
    }

    @Test("a tag mismatch names libxml2's line, column and message")
    func tagMismatch() {
        let text = "<export>\n<dossiers>\n<dossier><ref>1</ref></dossier>\n<dossier>\n</dossiers>\n</export>\n"
        let (records, error) = XMLTestSupport.drain(text, fields: ["ref"], recordPath: "/export/dossiers/dossier", namespaces: [:])
        // The record completed before the error is still handed out, then the error.
        #expect(records.map(\.fields) == [["ref": "1"]])
        let expected = ExtractError(
            .malformed, file: "fr-cf/t.xml", line: 5, column: 12,
            message: "Opening and ending tag mismatch: dossier line 4 and dossiers")
        #expect(error == expected)
        #expect(error?.description == "fr-cf/t.xml:5:12: Opening and ending tag mismatch: dossier line 4 and dossiers")
    }

    @Test("the error is thrown again on later calls")
    func errorRepeats() throws {
        let extractor = try XMLTestSupport.extractor(Array("<a><b></a>".utf8), fields: [], recordPath: "/a/b", namespaces: [:])
        var first: ExtractError?
        do { _ = try extractor.next() } catch { first = error }
        var second: ExtractError?
        do { _ = try extractor.next() } catch { second = error }
        #expect(first != nil)
        #expect(first == second)
    }

    @Test("a truncated document is an error", arguments: [false, true])
    func truncated(trickle: Bool) {
        let text = "<x:export xmlns:x=\"urn:example:cf\">\n<x:dossier><x:ref>1</x:ref></x:dossier>\n<x:dossier><x:ref>2"
        let (records, error) = XMLTestSupport.drain(text, fields: ["cf:ref"], recordPath: "/cf:export/cf:dossier", trickle: trickle)
        #expect(records.map(\.fields) == [["cf:ref": "1"]])
        #expect(
            error
                == ExtractError(
                    .malformed, file: "fr-cf/t.xml", line: 3, column: 19,
                    message: "the document ends inside the element `ref` with 3 elements still open: the file is truncated"))
    }

    @Test("empty and non-XML files are errors")
    func emptyAndJunk() {
        #expect(
            XMLTestSupport.drain("", fields: [], recordPath: "/r").error
                == ExtractError(.malformed, file: "fr-cf/t.xml", message: "the file is empty: an XML document was expected"))
        #expect(
            XMLTestSupport.drain("case;date\n1;2\n", fields: [], recordPath: "/r").error
                == ExtractError(
                    .malformed, file: "fr-cf/t.xml", line: 1, column: 1,
                    message: "Document is empty (no root element was found: is this an XML file?)"))
    }

    @Test("undeclared document prefixes are malformed")
    func undeclaredDocumentPrefix() {
        let error = XMLTestSupport.drain("<a:x><r/></a:x>", fields: [], recordPath: "/x/r").error
        #expect(error == ExtractError(.malformed, file: "fr-cf/t.xml", line: 1, column: 5, message: "Namespace prefix a on x is not defined"))
    }

    @Test("bytes that are not UTF-8 without an encoding declaration are an encoding error")
    func invalidUTF8() {
        let bytes = Array("<r><v>".utf8) + [0xE9, 0x74, 0xE9] + Array("</v></r>".utf8)
        let error = XMLTestSupport.drain(bytes, fields: ["v"], recordPath: "/r", namespaces: [:]).error
        #expect(error?.kind == .encoding)
        #expect(error?.line == 1)
        #expect(error?.message.hasPrefix("Input is not proper UTF-8, indicate encoding ! Bytes: 0xE9 0x74 0xE9") == true)
    }

    @Test("nesting deeper than maxDepth is a limit error")
    func depthLimit() {
        let text = "<r>\n<a><b><c><d>x</d></c></b></a>\n</r>"
        let limits = ExtractLimits(maxDepth: 4)
        let (records, error) = XMLTestSupport.drain(text, fields: [], recordPath: "/r", namespaces: [:], limits: limits)
        #expect(records.isEmpty)
        #expect(
            error
                == ExtractError(
                    .limitExceeded, file: "fr-cf/t.xml", line: 2, column: 12,
                    message: "elements are nested more than 4 levels deep (limit maxDepth)"))
        let deep = String(repeating: "<a>", count: 5000) + String(repeating: "</a>", count: 5000)
        let deepError = XMLTestSupport.drain(deep, fields: [], recordPath: "/a", namespaces: [:]).error
        #expect(deepError?.kind == .limitExceeded)
        #expect(XMLTestSupport.drain(text, fields: [], recordPath: "/r", namespaces: [:], limits: ExtractLimits(maxDepth: 5)).error == nil)
    }

    @Test("a field longer than maxFieldBytes is a limit error")
    func fieldLimit() {
        let text = "<r>\n<i><v>\(String(repeating: "x", count: 40))</v></i>\n<i v=\"\(String(repeating: "y", count: 40))\"/></r>"
        let limits = ExtractLimits(maxFieldBytes: 32)
        let textError = XMLTestSupport.drain(text, fields: ["v"], recordPath: "/r/i", namespaces: [:], limits: limits).error
        #expect(
            textError
                == ExtractError(
                    .limitExceeded, file: "fr-cf/t.xml", line: 2, byteOffset: 4,
                    message: "the field `v` of record 1 is longer than 32 bytes (limit maxFieldBytes)"))
        let attributeResult = XMLTestSupport.drain(text, fields: ["@v"], recordPath: "/r/i", namespaces: [:], limits: limits)
        #expect(attributeResult.records.count == 1)
        #expect(attributeResult.error?.message == "the field `@v` of record 2 is longer than 32 bytes (limit maxFieldBytes)")
    }

    @Test("unknown prefixes and unsupported paths are configuration errors at init")
    func configuration() {
        func initError(_ fields: [String], recordPath: String) -> ExtractError? {
            do {
                _ = try XMLTestSupport.extractor([], fields: fields, recordPath: recordPath)
                return nil
            } catch {
                return error
            }
        }
        #expect(
            initError([], recordPath: "/cf:export/zz:dossier")
                == ExtractError(
                    .configuration, file: "fr-cf/t.xml",
                    message: "the XML record path `/cf:export/zz:dossier` uses the prefix `zz`, which the mapping's"
                        + " `namespaces` does not declare (declared: cf)"))
        #expect(
            initError(["cf:enfant/@zz:age"], recordPath: "/cf:export")
                == ExtractError(
                    .configuration, file: "fr-cf/t.xml",
                    message: "the XML field path `cf:enfant/@zz:age` uses the prefix `zz`, which the mapping's"
                        + " `namespaces` does not declare (declared: cf)"))
        for (fields, path) in [
            ([String](), "cf:export"), ([], "/"), ([], "/a//b"), ([], "/a/@b"), (["a/@b/c"], "/a"), (["/a"], "/a"),
            ([""], "/a"), (["*"], "/a"), (["a[1]"], "/a"), (["../a"], "/a"),
        ] {
            #expect(initError(fields, recordPath: path)?.kind == .configuration, "\(fields) \(path)")
        }
        #expect(initError(["cf:a/@xml:lang"], recordPath: "/cf:export") == nil)
    }
}
