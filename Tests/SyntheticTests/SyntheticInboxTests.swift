import Crypto
import Foundation
import Testing

@testable import Synthetic

@Suite("hotline-etl generate: synthetic inboxes")
struct SyntheticInboxTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A fresh temporary folder.
    static func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func generate(_ directory: String, cases: Int, members: Int, seed: UInt64) throws
        -> [SyntheticInbox.WrittenFile]
    {
        let options = SyntheticInbox.Options(
            directory: directory, cases: cases, members: members, seed: seed,
            taxonomyPath: packageRoot.appendingPathComponent("pipelines/taxonomy.yaml").path)
        return try SyntheticInbox(options).generate()
    }

    /// SHA-256 of every inbox file and mapping file, by relative path (pipeline files name the
    /// output folder itself, so they are left out).
    static func digests(_ directory: String) throws -> [String: String] {
        var out: [String: String] = [:]
        let root = URL(fileURLWithPath: directory)
        for sub in ["inbox", "members"] {
            let base = root.appendingPathComponent(sub)
            let items = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)!
            for case let url as URL in items where !url.hasDirectoryPath {
                let data = try Data(contentsOf: url)
                let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
                out[sub + "/" + url.path.dropFirst(base.path.count + 1)] = digest
            }
        }
        return out
    }

    @Test("the same seed writes byte-identical files; another seed writes different ones")
    func deterministic() throws {
        let a = try Self.folder(), b = try Self.folder(), c = try Self.folder()
        defer { for dir in [a, b, c] { try? FileManager.default.removeItem(atPath: dir) } }
        _ = try Self.generate(a, cases: 500, members: 2, seed: 42)
        _ = try Self.generate(b, cases: 500, members: 2, seed: 42)
        _ = try Self.generate(c, cases: 500, members: 2, seed: 43)
        let first = try Self.digests(a)
        #expect(first.count == 6 * 2 * 2 + 6 * 2)  // cases + contacts per member, one mapping per member
        #expect(first == (try Self.digests(b)))
        let other = try Self.digests(c)
        #expect(other.keys.sorted() == first.keys.sorted())
        let changed = first.keys.filter { $0.hasPrefix("inbox/") && first[$0] != other[$0] }
        #expect(changed.count == 6 * 2 * 2, "every data file depends on the seed")
    }

    @Test("the cases are split across the members and every file holds the records it reports")
    func recordCounts() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let written = try Self.generate(dir, cases: 1001, members: 3, seed: 7)
        for format in SyntheticFormat.allCases {
            let cases = written.filter { $0.format == format && $0.kind == "cases" }
            #expect(cases.map(\.records) == [334, 334, 333], "\(format)")
            for file in cases + written.filter({ $0.format == format && $0.kind == "contacts" }) {
                #expect(try Self.countRecords(dir + "/inbox/" + file.path, format: format) == file.records, "\(file.path)")
            }
        }
        let mappings = try FileManager.default.contentsOfDirectory(atPath: dir + "/members")
        #expect(mappings.count == 18)
        #expect(FileManager.default.fileExists(atPath: dir + "/pipeline.yaml"))
        #expect(FileManager.default.fileExists(atPath: dir + "/pipeline-csvgz.yaml"))
    }

    /// Counts records by reading the file back independently of the generator.
    static func countRecords(_ path: String, format: SyntheticFormat) throws -> Int {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        if format.isGzip { data = try gunzip(data) }
        let text: String
        switch format {
        case .csvUTF16: text = String(decoding: data.dropFirst(2).withUnsafeBytes { Array($0.bindMemory(to: UInt16.self)) }, as: UTF16.self)
        case .csvGzip: text = String(data: data, encoding: .windowsCP1252)!
        default: text = String(decoding: data, as: UTF8.self)
        }
        switch format {
        case .xml, .xmlGzip:
            return text.components(separatedBy: "<cf:dossier id=").count - 1
                + text.components(separatedBy: "<ligne ").count - 1
        case .csvGzip, .csvUTF16:
            return text.components(separatedBy: "\r\n").count - 2  // header, and nothing after the last CRLF
        case .json:
            let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            return ((object["dossiers"] ?? object["contatti"]) as! [Any]).count
        case .jsonLines:
            return text.split(separator: "\n").count
        }
    }

    static func gunzip(_ data: Data) throws -> Data {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("gz-\(UUID().uuidString).gz")
        try data.write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", input.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return out
    }

    @Test("the proportions follow the network's figures")
    func proportions() {
        var rng = SplitMix64(seed: 1, stream: 0)
        let drawer = CaseDrawer(year: 2025, vocabulary: .german)
        var categories = [Int](repeating: 0, count: 6)
        var runawayGirls = 0
        let n = 20_000
        for i in 1...n {
            let c = drawer.draw(i, &rng)
            categories[c.category] += 1
            if c.category == 0 && c.gender == 0 { runawayGirls += 1 }
            #expect(c.age.map { (0...17).contains($0) } ?? true)
        }
        #expect(abs(Double(categories[0]) / Double(n) - 0.575) < 0.02)
        #expect(abs(Double(categories[1]) / Double(n) - 0.22) < 0.02)
        #expect(categories[2] > 0)
        #expect(abs(Double(runawayGirls) / Double(categories[0]) - 0.58) < 0.04)
    }

    @Test("calendar days round-trip")
    func days() {
        for serial in stride(from: -1000, through: 30_000, by: 7) {
            let (y, m, d) = Day(serial: serial).civil
            #expect(Day(year: y, month: m, day: d).serial == serial)
        }
        #expect(Text.iso(Day(year: 2024, month: 2, day: 29) + 1) == "2024-03-01")
    }
}
