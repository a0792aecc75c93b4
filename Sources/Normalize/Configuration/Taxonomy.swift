import Yams

/// The common taxonomy (pipelines/taxonomy.yaml): the code lists every member's local codes map
/// onto, and its version, which is recorded in the dataset.
public struct Taxonomy: Sendable, Hashable {
    public var version: String
    /// Code list name (e.g. `category`) -> the codes it allows, in file order.
    public var codeLists: [String: [String]]

    public init(version: String, codeLists: [String: [String]]) {
        self.version = version
        self.codeLists = codeLists
    }

    /// Whether `code` is in the list `list`.
    public func contains(_ code: String, in list: String) -> Bool {
        codeLists[list]?.contains(code) ?? false
    }

    /// Loads and checks a taxonomy file; throws every problem found.
    public static func load(path: String) throws(ConfigurationError) -> Taxonomy {
        var file = YAMLFile(path: path)
        var version = ""
        var lists: [String: [String]] = [:]
        if let root = file.mapping(file.root, "the taxonomy file") {
            file.rejectUnknownKeys(root, allowed: ["version", "code_lists"], in: "the taxonomy file")
            if let value = file.scalar(root["version"], "version") {
                version = value
            } else if root["version"] == nil {
                file.report("the taxonomy has no version", at: file.root, hint: "add a line such as version: \"2025.1\"")
            }
            if let codeLists = file.mapping(root["code_lists"], "code_lists") {
                for (key, value) in codeLists {
                    let name = key.scalar?.string ?? "?"
                    guard let codes = file.mapping(value, "code list \(name)") else { continue }
                    lists[name] = codes.keys.compactMap { $0.scalar?.string }
                }
            } else if root["code_lists"] == nil {
                file.report("the taxonomy has no code_lists", at: file.root)
            }
            for field in CanonicalField.allCases {
                if case .code(let list) = field.valueType, lists[list] == nil, root["code_lists"] != nil {
                    file.report(
                        "code list \"\(list)\" (used by field \(field.rawValue)) is missing", at: root["code_lists"])
                }
            }
        }
        guard file.problems.isEmpty else { throw ConfigurationError(file.problems) }
        return Taxonomy(version: version, codeLists: lists)
    }
}
