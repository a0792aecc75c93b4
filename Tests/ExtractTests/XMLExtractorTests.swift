import Extract
import Testing

/// Record selection, fields and locators of `XMLExtractor`.
struct XMLExtractorTests {
    /// The document uses the prefix `x`; the mapping binds the same URI to `cf`.
    static let dossiers = """
        <?xml version="1.0" encoding="UTF-8"?>
        <x:export xmlns:x="urn:example:cf" version="2">
          <x:meta><x:dossier id="not-a-record"/></x:meta>
          <x:dossiers>
            <x:dossier id="D-1" statut="ouvert">
              <x:ref>  2025-001 </x:ref>
              <x:nom>Jeanne Secret</x:nom>
              <x:enfant age="14"><x:sexe>f</x:sexe></x:enfant>
              <x:ouverture>2025-01-03</x:ouverture>
            </x:dossier>
            <x:dossier
                id="D-2"><x:ref>2025-002</x:ref>
              <x:enfant><x:sexe>m</x:sexe></x:enfant>
            </x:dossier>
            <dossier id="no-namespace"/>
            <y:dossier xmlns:y="urn:example:other" id="other-namespace"/>
          </x:dossiers>
        </x:export>
        """

    static let fields = [
        "cf:ref", "@id", "cf:enfant/@age", "cf:enfant/cf:sexe", "cf:ouverture", "cf:absent", "@missing",
    ]

    @Test("namespaced records match by URI, whatever the document's prefix")
    func namespacedRecords() throws {
        let (records, error) = XMLTestSupport.drain(
            Self.dossiers, fields: Self.fields, recordPath: "/cf:export/cf:dossiers/cf:dossier")
        #expect(error == nil)
        #expect(records.count == 2)
        #expect(
            records.first?.fields == [
                "cf:ref": "2025-001", "@id": "D-1", "cf:enfant/@age": "14", "cf:enfant/cf:sexe": "f",
                "cf:ouverture": "2025-01-03",
            ])
        #expect(records.last?.fields == ["cf:ref": "2025-002", "@id": "D-2", "cf:enfant/cf:sexe": "m"])
        #expect(records.allSatisfy { $0.defect == nil })
    }

    @Test("unrequested elements are never copied")
    func dataMinimisation() {
        let (records, _) = XMLTestSupport.drain(
            Self.dossiers, fields: ["cf:ref"], recordPath: "/cf:export/cf:dossiers/cf:dossier")
        #expect(records.map(\.fields) == [["cf:ref": "2025-001"], ["cf:ref": "2025-002"]])
        #expect(!records.contains { $0.fields.values.contains { $0.contains("Jeanne") } })
    }

    @Test("locators: record index, line of the start tag, byte offset of its '<'")
    func locators() {
        let (records, _) = XMLTestSupport.drain(
            Self.dossiers, fields: ["@id"], recordPath: "/cf:export/cf:dossiers/cf:dossier")
        #expect(
            records.map(\.locator) == [
                RecordLocator(
                    file: "fr-cf/t.xml", record: 1, line: 5,
                    byteOffset: XMLTestSupport.byteOffset(of: "<x:dossier id=\"D-1\"", in: Self.dossiers)),
                // The start tag spans lines 11 and 12: the line is where it begins.
                RecordLocator(
                    file: "fr-cf/t.xml", record: 2, line: 11,
                    byteOffset: XMLTestSupport.byteOffset(of: "<x:dossier\n", in: Self.dossiers)),
            ])
    }

    @Test("documents fed 1 to 7 bytes at a time give the same records")
    func chunkBoundaries() {
        let path = "/cf:export/cf:dossiers/cf:dossier"
        let whole = XMLTestSupport.drain(Self.dossiers, fields: Self.fields, recordPath: path)
        let trickled = XMLTestSupport.drain(Self.dossiers, fields: Self.fields, recordPath: path, trickle: true)
        #expect(trickled.error == nil)
        #expect(trickled.records == whole.records)
        #expect(trickled.records.count == 2)
    }

    @Test("documents larger than one 64 KiB chunk keep exact locators", arguments: [false, true])
    func manyChunks(trickle: Bool) {
        var text = "<?xml version=\"1.0\"?>\n<export xmlns=\"urn:example:cf\">\n"
        var expected: [RecordLocator] = []
        for index in 1...6000 {
            let start = text.utf8.count
            expected.append(RecordLocator(file: "fr-cf/t.xml", record: index, line: index + 2, byteOffset: start))
            text += "<r n=\"\(index)\"><v>\(String(repeating: "é", count: index % 13))value \(index)</v></r>\n"
        }
        text += "</export>\n"
        #expect(text.utf8.count > 3 * 65536)
        let (records, error) = XMLTestSupport.drain(text, fields: ["@n", "cf:v"], recordPath: "/cf:export/cf:r", trickle: trickle)
        #expect(error == nil)
        #expect(records.map(\.locator) == expected)
        #expect(records.last?.fields == ["@n": "6000", "cf:v": String(repeating: "é", count: 6000 % 13) + "value 6000"])
    }

    @Test("a default namespace matches a prefixed mapping; unprefixed attributes are in no namespace")
    func defaultNamespace() {
        let text = """
            <export xmlns="urn:example:cf" xmlns:q="urn:example:cf">
              <dossier id="7" q:id="namespaced"><enfant q:age="9" age="10"/><ref>A</ref></dossier>
            </export>
            """
        let (records, error) = XMLTestSupport.drain(
            text, fields: ["@id", "@cf:id", "cf:enfant/@age", "cf:enfant/@cf:age", "cf:ref"], recordPath: "/cf:export/cf:dossier")
        #expect(error == nil)
        #expect(
            records.map(\.fields) == [
                ["@id": "7", "@cf:id": "namespaced", "cf:enfant/@age": "10", "cf:enfant/@cf:age": "9", "cf:ref": "A"]
            ])
        #expect(records.first?.locator.line == 2)
    }

    /// Names are matched once by their bytes and then by libxml2's interned pointers: the same
    /// local name in another namespace, or in none, must still be told apart afterwards.
    @Test("after a match, the same local name in another namespace or none is still a different name")
    func matchedNamesStayDistinct() {
        let text = """
            <x:export xmlns:x="urn:example:cf">
              <x:dossier><x:ref>1</x:ref><x:enfant age="3"/></x:dossier>
              <x:dossier><y:ref xmlns:y="urn:example:other">no</y:ref><ref>none</ref><x:ref>2</x:ref></x:dossier>
              <dossier><x:ref>not a record</x:ref></dossier>
              <x:dossier><z:enfant xmlns:z="urn:example:other" age="8"/><x:enfant age="4"/></x:dossier>
              <x:dossier xmlns:x="urn:example:cf"><x:ref>3</x:ref></x:dossier>
            </x:export>
            """
        let (records, error) = XMLTestSupport.drain(
            text, fields: ["cf:ref", "cf:enfant/@age"], recordPath: "/cf:export/cf:dossier")
        #expect(error == nil)
        #expect(records.map(\.fields) == [
            ["cf:ref": "1", "cf:enfant/@age": "3"], ["cf:ref": "2"], ["cf:enfant/@age": "4"], ["cf:ref": "3"],
        ])
    }

    @Test("an unprefixed path matches only elements in no namespace")
    func noNamespace() {
        let plain = "<export><dossier><ref>1</ref></dossier><dossier><ref>2</ref></dossier></export>"
        let plainResult = XMLTestSupport.drain(plain, fields: ["ref"], recordPath: "/export/dossier", namespaces: [:])
        #expect(plainResult.records.map(\.fields) == [["ref": "1"], ["ref": "2"]])

        let namespaced = "<export xmlns=\"urn:example:cf\"><dossier><ref>1</ref></dossier></export>"
        let namespacedResult = XMLTestSupport.drain(namespaced, fields: ["ref"], recordPath: "/export/dossier")
        #expect(namespacedResult.error == nil)
        #expect(namespacedResult.records.isEmpty)
    }

    @Test("nested paths, descendant text, first occurrence wins, empty elements")
    func nestedAndRepeated() {
        let text = """
            <export><case>
              <child><info><sex>f</sex><age>9</age></info></child>
              <child><info><sex>m</sex></info></child>
              <note>Hello <b>big</b> world</note>
              <ref></ref><ref>second</ref>
              <tag k="1"/><tag k="2" j="x"/>
            </case></export>
            """
        let (records, error) = XMLTestSupport.drain(
            text, fields: ["child/info/sex", "child/info/age", "child/info", "note", "ref", "tag/@k", "tag/@j"],
            recordPath: "/export/case", namespaces: [:])
        #expect(error == nil)
        #expect(
            records.first?.fields == [
                "child/info/sex": "f", "child/info/age": "9", "child/info": "f9", "note": "Hello big world",
                "ref": "", "tag/@k": "1", "tag/@j": "x",
            ])
    }

    @Test("predefined entities, character references, CDATA and a declared encoding are decoded")
    func decoding() {
        let text = """
            <r a="x &amp; y &lt; &#38;amp; &#233;"><v>&lt;a&gt; &amp; &#233;&#x263A; <![CDATA[<raw> & ]]>end</v></r>
            """
        let (records, error) = XMLTestSupport.drain(text, fields: ["@a", "v"], recordPath: "/r", namespaces: [:])
        #expect(error == nil)
        #expect(records.first?.fields == ["@a": "x & y < &amp; é", "v": "<a> & é☺ <raw> & end"])

        let latin1: [UInt8] =
            Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<r><v>".utf8) + [0xE9, 0x74, 0xE9]
            + Array("</v></r>".utf8)
        let decoded = XMLTestSupport.drain(latin1, fields: ["v"], recordPath: "/r", namespaces: [:])
        #expect(decoded.records.map(\.fields) == [["v": "été"]])
        #expect(decoded.records.first?.locator == RecordLocator(file: "fr-cf/t.xml", record: 1, line: 2, byteOffset: nil))
    }

    @Test("a record path may name the root element")
    func rootRecord() {
        let (records, error) = XMLTestSupport.drain("<r id=\"1\"/>", fields: ["@id"], recordPath: "/r", namespaces: [:])
        #expect(error == nil)
        #expect(records == [ExtractedRecord(locator: RecordLocator(file: "fr-cf/t.xml", record: 1, line: 1, byteOffset: 0), fields: ["@id": "1"])])
    }
}
