import Foundation
import Pipeline
import Testing

/// What a steward may hand to anyone who asks for the output folder: no raw case id, no key
/// material, no field the mappings do not name.
@Suite("nothing identifying reaches the output folder")
struct StewardPrivacyTests {
    /// Distinctive values of fields no mapping names (names and remarks, see samples/README.md).
    static let unmappedValues = [
        "Louis Dupont", "Jade Dubois", "Chloé Lejeune", "Appel de la mère, très inquiète.",  // be-cf nom, remarque
        "Mübeccel", "Rückruf vereinbart", "Jugendamt informiert",  // de-ivk Vorname, Bemerkung
        "Ginevra", "Esposito", "op-37",  // it-ta minore.nome, minore.cognome, primo_contatto.operatore
    ]

    @Test("no raw case id, no key and no unmapped input value in any file under the output folder")
    func outputHoldsNoRawIDsKeyOrUnmappedValues() throws {
        let workspace = try SampleWorkspace(codec: "uncompressed")
        defer { workspace.remove() }
        // the values are really in the inbox, so their absence below means something
        let inbox = try StewardDataset.allFiles(under: workspace.inbox).map(\.bytes)
        for value in ["Louis Dupont", "Ginevra", "Esposito", "op-37", "Appel de la m"] {
            #expect(inbox.contains { $0.range(of: Data(value.utf8)) != nil }, "\(value) is in the samples")
        }

        let (result, messages) = workspace.run()
        #expect(result.exitStatus == .success)
        let rawIDs = try #require(SampleWorkspace.expected()["raw_case_ids"] as? [String])
        #expect(rawIDs.count > 500)
        let files = try StewardDataset.allFiles(under: workspace.out)
        #expect(files.contains { $0.path.hasSuffix(".parquet") })
        #expect(files.contains { $0.path.hasSuffix("manifest.json") })
        let needles = rawIDs.map { ("raw case id", $0) } + [("key", SampleWorkspace.testKey)]
            + Self.unmappedValues.map { ("unmapped value", $0) }
        for (path, bytes) in files {
            for (kind, needle) in needles {
                #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(kind) \(needle) found in \(path)")
            }
        }
        for line in messages {
            for (kind, needle) in needles {
                #expect(!line.contains(needle), "\(kind) \(needle) in the log: \(line)")
            }
        }
    }

    @Test("a different key changes every case_key and child_key")
    func differentKeyChangesEveryPseudonym() throws {
        let first = try SampleWorkspace()
        let second = try SampleWorkspace()
        defer { first.remove(); second.remove() }
        #expect(first.run(key: "first-key-0123456789abcdef").result.exitStatus == .success)
        #expect(second.run(key: "second-key-0123456789abcdef").result.exitStatus == .success)
        let a = try StewardDataset.columns("cases", in: first.out)
        let b = try StewardDataset.columns("cases", in: second.out)
        for column in ["case_key", "child_key"] {
            let keysA = try #require(a[column]).compactMap { $0 }
            let keysB = try #require(b[column]).compactMap { $0 }
            #expect(keysA.count > 500)
            #expect(keysA.count == keysB.count)
            #expect(Set(keysA).isDisjoint(with: Set(keysB)), "\(column): a pseudonym survived the key change")
        }
        // the same rows in the same order: only the pseudonyms differ
        #expect(a["source_record"] == b["source_record"])
    }
}
