import Foundation
import Normalize
import Yams

/// The pipeline file (e.g. pipelines/annual-report.yaml): where the inbox, mappings, taxonomy
/// and output are, which report year, and how the dataset is written. Relative paths are taken
/// from the working directory.
public struct PipelineConfiguration: Sendable, Hashable {
    public var path: String
    public var name: String
    public var reportYear: Int
    public var inbox: String
    public var out: String
    public var taxonomyPath: String
    public var membersDirectory: String
    public var keyFile: String?
    /// Inbox-relative globs of files that are not submissions (README, generator scripts...).
    public var ignore: [String]
    public var codec: DatasetCodec
    /// Published report tables show counts below this as "<N" (`report: suppression_threshold:`).
    public var suppressionThreshold: Int = 5

    /// Page compression of the published Parquet files.
    public enum DatasetCodec: String, Sendable, Hashable, CaseIterable {
        case uncompressed
        case gzip
        case zstd
    }

    /// Loads the pipeline file; throws every problem with its line.
    public static func load(path: String) throws(ConfigurationError) -> PipelineConfiguration {
        var problems: [ConfigurationProblem] = []
        // Reading and YAML syntax errors come with line and column from the shared reader.
        let file = YAMLFile(path: path)
        guard file.problems.isEmpty else { throw ConfigurationError(file.problems) }
        let root = file.root
        guard let mapping = root?.mapping else {
            throw ConfigurationError([ConfigurationProblem(
                file: path, line: 1, column: 1, message: "the pipeline file must be a mapping of `key: value` lines")])
        }
        func report(_ message: String, _ node: Node?, hint: String? = nil) {
            problems.append(ConfigurationProblem(
                file: path, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message, hint: hint))
        }
        let allowed = ["name", "report_year", "inbox", "out", "taxonomy", "members", "key_file", "ignore", "parquet", "report"]
        for key in mapping.keys where !allowed.contains(key.string ?? "") {
            report("unknown key \"\(key.string ?? "?")\"", key, hint: "allowed keys: \(allowed.joined(separator: ", "))")
        }
        func string(_ key: String, required: Bool = true) -> String? {
            guard let node = mapping[key] else {
                if required { report("\"\(key)\" is missing", root) }
                return nil
            }
            guard let value = node.scalar?.string, !value.isEmpty else {
                report("\"\(key)\" must be a single non-empty value", node)
                return nil
            }
            return value
        }
        var reportYear = 0
        if let text = string("report_year") {
            if let year = Int(text), (1990...2100).contains(year) { reportYear = year } else {
                report("report_year \"\(text)\" is not a year", mapping["report_year"], hint: "write four digits, e.g. 2025")
            }
        }
        var codec = DatasetCodec.zstd
        if let parquet = mapping["parquet"] {
            if let name = parquet.mapping?["codec"]?.scalar?.string {
                if let value = DatasetCodec(rawValue: name) { codec = value } else {
                    report("unknown parquet codec \"\(name)\"", parquet.mapping?["codec"],
                           hint: "use " + DatasetCodec.allCases.map(\.rawValue).joined(separator: " or "))
                }
            } else {
                report("parquet must be a mapping with codec:", parquet)
            }
        }
        var suppressionThreshold = 5
        if let section = mapping["report"] {
            if let node = section.mapping?["suppression_threshold"], let n = node.scalar.flatMap({ Int($0.string) }),
                (1...1000).contains(n)
            {
                suppressionThreshold = n
            } else {
                report("report must be a mapping with suppression_threshold: a whole number from 1 to 1000", section)
            }
        }
        let ignore = mapping["ignore"]?.sequence?.compactMap { $0.scalar?.string } ?? []
        let configuration = PipelineConfiguration(
            path: path, name: string("name", required: false) ?? "pipeline", reportYear: reportYear,
            inbox: string("inbox") ?? "", out: string("out") ?? "", taxonomyPath: string("taxonomy") ?? "",
            membersDirectory: string("members") ?? "", keyFile: string("key_file", required: false),
            ignore: ignore, codec: codec, suppressionThreshold: suppressionThreshold)
        guard problems.isEmpty else { throw ConfigurationError(problems) }
        return configuration
    }
}
