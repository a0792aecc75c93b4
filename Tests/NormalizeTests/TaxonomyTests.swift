import Testing
@testable import Normalize

@Suite struct TaxonomyTests {
    /// Every code list a field needs, one code each, starting at the given line of a file.
    static let codeLists = """
        code_lists:
          category: { RUNAWAY: left home }
          child_gender: { UNKNOWN: not recorded }
          outcome: { FOUND: found alive }
          found_by: { POLICE: the police }
          channel: { PHONE: telephone }
          contact_type: { SILENT: silent call }

        """

    func problems(_ text: String) throws -> (path: String, problems: [String]) {
        let path = try Support.write(text, as: "taxonomy.yaml")
        defer { Support.remove(path) }
        do {
            _ = try Taxonomy.load(path: path)
            return (path, [])
        } catch {
            return (path, error.problems.map(\.description))
        }
    }

    @Test func loadsTheRealTaxonomy() throws {
        let taxonomy = try Support.taxonomy()
        #expect(taxonomy.version == "2025.1")
        #expect(taxonomy.codeLists["category"] == [
            "RUNAWAY", "PARENTAL_ABDUCTION", "CRIMINAL_ABDUCTION", "MISSING_MIGRANT", "LOST_INJURED",
            "OTHERWISE_MISSING",
        ])
        #expect(taxonomy.codeLists["case_status"] == ["NEW", "ONGOING"])
        #expect(taxonomy.codeLists["child_gender"] == ["FEMALE", "MALE", "OTHER", "UNKNOWN"])
        #expect(taxonomy.codeLists["outcome"] == ["FOUND", "FOUND_DECEASED", "NOT_FOUND", "UNKNOWN"])
        #expect(taxonomy.codeLists["found_by"] == ["POLICE", "OWN_ACCORD", "FAMILY", "PUBLIC", "OTHER"])
        #expect(taxonomy.codeLists["channel"]
            == ["PHONE", "SMS", "EMAIL", "CHAT", "SOCIAL_MEDIA", "APP", "IN_PERSON", "OTHER"])
        #expect(taxonomy.codeLists["contact_type"]
            == ["CASE_RELATED", "INFORMATION", "SILENT", "PRANK", "ABUSIVE", "WRONG_NUMBER", "OTHER"])
        #expect(taxonomy.codeLists.count == 7)
        #expect(taxonomy == Support.codedTaxonomy)
        #expect(taxonomy.contains("MISSING_MIGRANT", in: "category"))
        #expect(!taxonomy.contains("MISSING_MIGRANT", in: "outcome"))
        #expect(!taxonomy.contains("RUNAWAY", in: "no such list"))
    }

    @Test func minimalFileLoads() throws {
        let path = try Support.write("version: \"9.9\"\n" + Self.codeLists, as: "taxonomy.yaml")
        defer { Support.remove(path) }
        let taxonomy = try Taxonomy.load(path: path)
        #expect(taxonomy.version == "9.9")
        #expect(taxonomy.codeLists["category"] == ["RUNAWAY"])
    }

    @Test func missingVersion() throws {
        // The root mapping starts at line 2, after the comment.
        let (path, problems) = try problems("# no version here\n" + Self.codeLists)
        #expect(problems == ["\(path):2:1: the taxonomy has no version (add a line such as version: \"2025.1\")"])
    }

    @Test func yamlSyntaxError() throws {
        // The second ':' on line 2 (column 16) cannot start a value after a plain scalar value.
        let (path, problems) = try problems("# broken\nversion: 2025.1: x\n" + Self.codeLists)
        #expect(problems == [
            "\(path):2:16: YAML syntax error: mapping values are not allowed in this context "
                + "(check indentation and quoting on this line or the one before)"
        ])
    }

    @Test func missingCodeListAndUnknownKey() throws {
        let text = """
            version: "1"
            colour: blue
            code_lists:
              category: { RUNAWAY: left home }
              child_gender: { UNKNOWN: not recorded }
              outcome: { FOUND: found alive }
              found_by: { POLICE: the police }
              contact_type: { SILENT: silent call }

            """
        let (path, problems) = try problems(text)
        #expect(problems == [
            "\(path):2:1: unknown key \"colour\" in the taxonomy file (allowed keys: version, code_lists)",
            // channel is needed by first_channel and by channel; the mapping of code_lists starts at 4:3.
            "\(path):4:3: code list \"channel\" (used by field first_channel) is missing",
            "\(path):4:3: code list \"channel\" (used by field channel) is missing",
        ])
    }

    @Test func missingFile() {
        #expect(throws: ConfigurationError.self) { try Taxonomy.load(path: "/nonexistent/taxonomy.yaml") }
        do {
            _ = try Taxonomy.load(path: "/nonexistent/taxonomy.yaml")
        } catch {
            #expect(error.description
                == "/nonexistent/taxonomy.yaml: cannot read the file (check the path and its permissions)")
        }
    }

    @Test func duplicateCodeIsReportedWithItsLine() throws {
        let text = "version: \"1\"\n" + Self.codeLists + "  category: { OTHER: x }\n"
        // `category` appears twice under code_lists: first at line 3, column 3.
        let (path, problems) = try problems(text)
        #expect(problems == [
            "\(path):3:3: duplicate key \"category\" in a mapping "
                + "(each key may appear only once; remove or merge the repeated entries)"
        ])
    }
}
