import Extract
import Foundation
import Testing

@testable import Synthetic

/// The extractors alone (no normalisation, staging or Parquet) on a generated inbox: a
/// measurement for docs/performance.md, not a check. Off unless HOTLINE_ETL_EXTRACT_BENCH is set
/// to the number of cases; meaningful only in a release build (with testing enabled, for the
/// `@testable` imports of this test target):
///
///     swift build -c release --scratch-path .build-bench-testing -Xswiftc -enable-testing --build-tests
///     HOTLINE_ETL_EXTRACT_BENCH=1000000 .build-bench-testing/release/hotline-etlPackageTests.xctest \
///         --testing-library swift-testing --filter ExtractorThroughput
@Suite("extractor throughput (measurement)")
struct ExtractorThroughputTests {
    static let cases = ProcessInfo.processInfo.environment["HOTLINE_ETL_EXTRACT_BENCH"].flatMap { Int($0) }

    static func request(_ format: SyntheticFormat, path: String) -> ExtractRequest {
        let f = format.sources
        var fields = [
            f.caseID, f.opened, f.closed, f.category, f.crossBorder, f.destination, f.repeatMissing, f.violence,
            f.age, f.gender, f.outcome, f.foundBy, f.daysMissing, f.channel,
        ]
        if let child = f.childID { fields.append(child) }
        let options: SubmissionFormat
        switch format {
        case .xml, .xmlGzip:
            options = .xml(XMLOptions(
                recordPath: "/d:export/d:dossiers/d:dossier", namespaces: ["d": SyntheticFormat.casesNamespace]))
        case .csvGzip:
            options = .csv(CSVOptions(delimiter: UInt8(ascii: ";"), encoding: .windows1252))
        case .csvUTF16:
            options = .csv(CSVOptions(delimiter: UInt8(ascii: "\t"), encoding: .utf16))
        case .json:
            options = .json(JSONOptions(records: .arrayAt("$.dossiers[*]")))
        case .jsonLines:
            options = .json(JSONOptions(records: .lines))
        }
        return ExtractRequest(path: path, displayName: format.rawValue, format: options, fields: fields)
    }

    @Test("records per second of each extractor", .enabled(if: cases != nil))
    func throughput() throws {
        let cases = try #require(Self.cases)
        let dir = try SyntheticInboxTests.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let written = try SyntheticInboxTests.generate(dir, cases: cases, members: 1, seed: 116_000)
        for file in written where file.kind == "cases" {
            let path = dir + "/inbox/" + file.path
            let bytes = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
            var best = Double.infinity
            var count = 0
            for _ in 0..<3 {
                let started = ContinuousClock.now
                var extractor = try Extractors.open(Self.request(file.format, path: path))
                count = 0
                while let record = try extractor.next() {
                    count += record.defect == nil ? 1 : 0
                }
                let elapsed = ContinuousClock.now - started
                best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            }
            #expect(count == file.records)
            print(
                "extract \(file.format.rawValue): \(count) records, \(bytes / 1_000_000) MB on disk, "
                    + "best of 3 \(String(format: "%.2f", best)) s, "
                    + "\(String(format: "%.0f", Double(count) / best)) records/s, "
                    + "\(String(format: "%.0f", Double(bytes) / best / 1e6)) MB/s (file bytes)")
        }
    }
}
