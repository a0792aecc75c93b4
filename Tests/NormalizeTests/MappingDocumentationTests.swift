import Foundation
import Testing
@testable import Normalize

/// The complete examples in docs/mapping.md load as documented.
@Suite struct MappingDocumentationTests {
    /// The YAML blocks that follow the "A complete ... mapping" headings.
    static func examples() throws -> [String: String] {
        let text = try String(contentsOfFile: Support.packageRoot + "/docs/mapping.md", encoding: .utf8)
        var result: [String: String] = [:]
        for section in text.components(separatedBy: "\n## A complete ").dropFirst() {
            let title = String(section.prefix { $0 != "\n" })
            guard let start = section.range(of: "```yaml\n"),
                let end = section.range(of: "\n```", range: start.upperBound..<section.endIndex)
            else { continue }
            result[title] = String(section[start.upperBound..<end.lowerBound]) + "\n"
        }
        return result
    }

    @Test func everyFormatHasACompleteExampleThatLoads() throws {
        let examples = try Self.examples()
        #expect(examples.keys.sorted() == ["CSV mapping", "JSON mapping", "XML mapping"])
        for (title, yaml) in examples {
            let path = try Support.write(yaml, as: "example.yaml")
            defer { Support.remove(path) }
            do {
                let mapping = try MemberMapping.load(path: path, taxonomy: try Support.taxonomy())
                #expect(mapping.submissions.map(\.kind) == [.cases, .contacts], "\(title)")
            } catch {
                Issue.record("\(title) does not load: \(error)")
            }
        }
    }

    @Test func theCSVExampleReadsAsDescribed() throws {
        let path = try Support.write(try #require(try Self.examples()["CSV mapping"]), as: "example.yaml")
        defer { Support.remove(path) }
        let cases = try #require(try MemberMapping.load(path: path, taxonomy: try Support.taxonomy()).submissions.first)
        #expect(cases.nullValues == ["", "-", "n/a", "?"])
        #expect(cases.fields[.category]?.options == ValueOptions(ignoreCase: true, collapseSpaces: true, decimalComma: true))
        #expect(cases.fields[.crossBorder]?.map == ["ja": "true", "j": "true", "nein": "false", "n": "false"])
        #expect(cases.fields[.repeatMissing]?.map == ["ja": "true", "nein": "false"])
        #expect(cases.fields[.birthDate] == FieldRule(
            source: "Geburtsdatum", formats: [DatePattern("dd.MM.yyyy")!],
            options: ValueOptions(ignoreCase: true, decimalComma: true)))
    }
}
