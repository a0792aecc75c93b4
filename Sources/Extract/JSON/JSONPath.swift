/// Where the records are: `$[*]` or `$.key.key[*]`, object keys from the root to an array.
struct JSONRecordsPath: Sendable, Equatable {
    /// The object keys from the root, as UTF-8 (empty for `$[*]`).
    var keys: [[UInt8]]
    /// The keys as written, for messages.
    var names: [String]

    /// Parses `$[*]`, `$.dossiers[*]`, `$.export.dossiers[*]`.
    init(_ text: String, file: String) throws(ExtractError) {
        let invalid = ExtractError(
            .configuration, file: file,
            message: "invalid JSON records path '\(text)': expected '$[*]' or '$.key[*]' (object keys"
                + " separated by dots, ending in [*])")
        guard text.hasPrefix("$"), text.hasSuffix("[*]"), text.count >= 4 else { throw invalid }
        let inner = text.dropFirst().dropLast(3)
        names = []
        if !inner.isEmpty {
            guard inner.first == "." else { throw invalid }
            names = inner.dropFirst().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard names.allSatisfy({ !$0.isEmpty && !$0.contains("[") && !$0.contains("]") }) else {
                throw invalid
            }
        }
        keys = names.map { Array($0.utf8) }
    }

    /// The path up to `count` keys, as a message shows it: `$`, `$.dossiers`.
    func display(keys count: Int) -> String {
        (["$"] + names.prefix(count)).joined(separator: ".")
    }
}

/// The requested field paths (`minore.eta`) as a tree of object keys, so a record is walked once
/// and only requested members are materialised.
struct JSONFieldTree: Sendable {
    /// One object key on the way to one or more requested fields.
    struct Node: Sendable {
        /// The key, UTF-8.
        var key: [UInt8]
        /// The dotted path from the record to here (`minore`, `minore.eta`).
        var path: String
        /// Set when this path itself was requested.
        var isField: Bool { slot >= 0 }
        /// The position of this path in `fieldNames` when it was requested, else -1.
        var slot: Int
        /// Indices of the child nodes in `nodes`.
        var children: [Int]
        /// A requested field at or below this node, for messages.
        var someField: String
    }

    /// Node 0 is the record object itself.
    private(set) var nodes: [Node]
    /// The distinct requested fields in request order: the records' value slots.
    private(set) var fieldNames: [String] = []
    /// Number of distinct requested fields.
    var fieldCount: Int { fieldNames.count }

    init(fields: [String], file: String) throws(ExtractError) {
        nodes = [Node(key: [], path: "", slot: -1, children: [], someField: "")]
        for field in fields {
            let parts = field.split(separator: ".", omittingEmptySubsequences: false)
            guard !parts.contains(where: \.isEmpty) else {
                throw ExtractError(
                    .configuration, file: file,
                    message: "invalid JSON field path '\(field)': expected object keys separated by dots,"
                        + " e.g. 'minore.eta'")
            }
            var current = 0
            for (index, part) in parts.enumerated() {
                let key = Array(part.utf8)
                if let existing = nodes[current].children.first(where: { nodes[$0].key == key }) {
                    current = existing
                } else {
                    let path = parts[...index].joined(separator: ".")
                    nodes.append(Node(key: key, path: path, slot: -1, children: [], someField: field))
                    nodes[current].children.append(nodes.count - 1)
                    current = nodes.count - 1
                }
            }
            if nodes[current].slot < 0 {
                nodes[current].slot = fieldNames.count
                fieldNames.append(nodes[current].path)
            }
        }
    }


    /// The child of `node` whose key is the key the tokenizer has just collected.
    @inline(__always)
    func child(of node: Int, matching tokenizer: JSONTokenizer) -> Int? {
        for index in nodes[node].children where tokenizer.scratchEquals(nodes[index].key) {
            return index
        }
        return nil
    }
}
