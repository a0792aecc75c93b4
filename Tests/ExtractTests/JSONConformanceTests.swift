import Extract
import Foundation
import Testing

/// The JSONTestSuite corpus (see ../shared/testdata/README.md), used in place.
enum JSONTestSuiteCorpus {
    static let directory: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent()  // ExtractTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("../shared/testdata/JSONTestSuite/test_parsing").standardizedFileURL

    /// The corpus's file names; a single marker name when the directory is missing, so the
    /// parameterized test fails instead of running zero cases.
    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let documents = names.filter { $0.hasSuffix(".json") }.sorted()
        return documents.isEmpty ? ["<missing corpus: \(directory.path)>"] : documents
    }()
}

@Suite("JSONTestSuite conformance")
struct JSONConformanceTests {
    @Test("the corpus is present and complete")
    func corpusPresent() {
        #expect(JSONTestSuiteCorpus.files.count >= 318, "JSONTestSuite not found at \(JSONTestSuiteCorpus.directory.path)")
    }

    @Test("y_ accepted, n_ rejected with an ExtractError, i_ either way", arguments: JSONTestSuiteCorpus.files)
    func conformance(_ name: String) throws {
        let url = JSONTestSuiteCorpus.directory.appendingPathComponent(name)
        let data = try #require(FileManager.default.contents(atPath: url.path), "cannot read \(url.path)")
        let bytes = [UInt8](data)
        let error = JSONTestSupport.validationError(bytes)
        let chunkedError = JSONTestSupport.validationError(bytes, chunked: true)
        #expect(error == chunkedError, "chunked reading must give the same outcome")
        if name.hasPrefix("y_") {
            #expect(error == nil, "\(name) must be accepted: \(error?.description ?? "")")
        } else if name.hasPrefix("n_") {
            #expect(error != nil, "\(name) must be rejected")
            #expect(error?.byteOffset != nil && error?.line != nil && error?.column != nil)
        } else {
            #expect(name.hasPrefix("i_"), "unexpected file \(name) in the corpus")
        }
    }
}
