import Foundation
@testable import Normalize

/// Helpers shared by the Normalize tests.
enum Support {
    /// The package root (this file is Tests/NormalizeTests/TestSupport.swift).
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()  // NormalizeTests
        url.deleteLastPathComponent()  // Tests
        url.deleteLastPathComponent()  // package root
        return url.path
    }()

    static var taxonomyPath: String { packageRoot + "/pipelines/taxonomy.yaml" }

    static func memberPath(_ name: String) -> String { packageRoot + "/pipelines/members/" + name }

    /// The real taxonomy file; every test that needs one uses this.
    static func taxonomy() throws -> Taxonomy {
        try Taxonomy.load(path: taxonomyPath)
    }

    /// A taxonomy built in code with the same codes as pipelines/taxonomy.yaml.
    static let codedTaxonomy = Taxonomy(version: "2025.1", codeLists: [
        "category": ["RUNAWAY", "PARENTAL_ABDUCTION", "CRIMINAL_ABDUCTION", "MISSING_MIGRANT", "LOST_INJURED",
                     "OTHERWISE_MISSING"],
        "case_status": ["NEW", "ONGOING"],
        "child_gender": ["FEMALE", "MALE", "OTHER", "UNKNOWN"],
        "outcome": ["FOUND", "FOUND_DECEASED", "NOT_FOUND", "UNKNOWN"],
        "found_by": ["POLICE", "OWN_ACCORD", "FAMILY", "PUBLIC", "OTHER"],
        "channel": ["PHONE", "SMS", "EMAIL", "CHAT", "SOCIAL_MEDIA", "APP", "IN_PERSON", "OTHER"],
        "contact_type": ["CASE_RELATED", "INFORMATION", "SILENT", "PRANK", "ABUSIVE", "WRONG_NUMBER", "OTHER"],
    ])

    /// A fresh directory under the system temporary directory.
    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("normalize-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Writes `text` to `name` in a fresh temporary directory and returns the file's path.
    static func write(_ text: String, as name: String) throws -> String {
        let path = try temporaryDirectory() + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    /// Loads a mapping written to a temporary file; returns the problems' descriptions (empty when it loads).
    static func mappingProblems(_ text: String) throws -> (path: String, problems: [String]) {
        let path = try write(text, as: "member.yaml")
        defer { remove(path) }
        do {
            _ = try MemberMapping.load(path: path, taxonomy: codedTaxonomy)
            return (path, [])
        } catch {
            return (path, error.problems.map(\.description))
        }
    }

    static func date(_ year: Int, _ month: Int, _ day: Int) -> CivilDate {
        CivilDate(year: year, month: month, day: day)!
    }
}
