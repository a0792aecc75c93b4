import Foundation
import Yams

/// A parsed YAML configuration file plus the problems found while reading it. Readers of
/// pipeline, taxonomy and mapping files use it to report every problem with its line and column.
public struct YAMLFile {
    public let path: String
    public private(set) var problems: [ConfigurationProblem] = []
    public private(set) var root: Node?

    /// Reads and parses `path`; a missing file or a YAML syntax error becomes a problem.
    public init(path: String) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            problems.append(ConfigurationProblem(
                file: path, message: "cannot read the file", hint: "check the path and its permissions"))
            return
        }
        guard let text = String(data: data, encoding: .utf8) else {
            problems.append(ConfigurationProblem(
                file: path, message: "the file is not valid UTF-8", hint: "save it as UTF-8"))
            return
        }
        do {
            root = try Yams.compose(yaml: text)
            if root == nil {
                problems.append(ConfigurationProblem(file: path, line: 1, column: 1, message: "the file is empty"))
            }
        } catch let error as YamlError {
            problems.append(Self.problem(from: error, path: path))
        } catch {
            problems.append(ConfigurationProblem(file: path, message: "YAML error: \(error)"))
        }
    }

    private static func problem(from error: YamlError, path: String) -> ConfigurationProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let where_ = context.map { " \($0.text)" } ?? ""
            return ConfigurationProblem(
                file: path, line: mark.line, column: mark.column,
                message: "YAML syntax error: \(problem)\(where_)",
                hint: "check indentation and quoting on this line or the one before")
        case .composer(_, let problem, let mark, _):
            return ConfigurationProblem(
                file: path, line: mark.line, column: mark.column, message: "YAML error: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams' own description embeds the whole file; report the key and where it first appears.
            let keys = duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            return ConfigurationProblem(
                file: path, line: context.mark.line, column: context.mark.column,
                message: "duplicate key \(keys) in a mapping",
                hint: "each key may appear only once; remove or merge the repeated entries")
        default:
            return ConfigurationProblem(file: path, message: "YAML error: \(error)")
        }
    }

    mutating func report(_ message: String, at node: Node?, hint: String? = nil) {
        problems.append(ConfigurationProblem(
            file: path, line: node?.mark?.line, column: node?.mark?.column, message: message, hint: hint))
    }

    /// The node as a mapping, or a problem naming what was expected.
    mutating func mapping(_ node: Node?, _ what: String) -> Node.Mapping? {
        guard let node else { return nil }
        if let mapping = node.mapping { return mapping }
        report("\(what) must be a mapping of `key: value` lines", at: node)
        return nil
    }

    /// The node as a plain text scalar, or a problem.
    mutating func scalar(_ node: Node?, _ what: String) -> String? {
        guard let node else { return nil }
        if let scalar = node.scalar { return scalar.string }
        report("\(what) must be a single value, not a list or mapping", at: node)
        return nil
    }

    /// A list of scalars (a single scalar counts as a list of one).
    mutating func scalarList(_ node: Node?, _ what: String) -> [String]? {
        guard let node else { return nil }
        if let scalar = node.scalar { return [scalar.string] }
        guard let sequence = node.sequence else {
            report("\(what) must be a list such as [a, b]", at: node)
            return nil
        }
        var values: [String] = []
        for item in sequence {
            if let value = scalar(item, "each entry of \(what)") { values.append(value) }
        }
        return values
    }

    /// Reports keys of `mapping` that are not in `allowed`.
    mutating func rejectUnknownKeys(_ mapping: Node.Mapping, allowed: [String], in what: String) {
        for key in mapping.keys {
            let name = key.scalar?.string ?? "?"
            if !allowed.contains(name) {
                report(
                    "unknown key \"\(name)\" in \(what)", at: key,
                    hint: "allowed keys: \(allowed.joined(separator: ", "))")
            }
        }
    }
}
