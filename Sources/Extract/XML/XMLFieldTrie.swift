/// The requested field paths as a tree rooted at the record element: while a record is open,
/// the extractor follows one node per open element and copies text or attributes only at
/// nodes some field asked for. Everything else in the record is never copied.
struct XMLFieldTrie: Sendable {
    struct Node: Sendable {
        /// Child element name -> node index.
        var children: [(name: XMLName, node: Int)] = []
        /// Fields whose value is this element's text.
        var textFields: [Int] = []
        /// Fields whose value is an attribute of this element.
        var attributeFields: [(name: XMLName, field: Int)] = []
    }

    /// Node 0 is the record element.
    private(set) var nodes: [Node] = [Node()]

    init(fields: [XMLFieldPath]) {
        for (field, path) in fields.enumerated() {
            var node = 0
            for name in path.elements {
                if let existing = nodes[node].children.first(where: { $0.name == name }) {
                    node = existing.node
                } else {
                    nodes.append(Node())
                    nodes[node].children.append((name, nodes.count - 1))
                    node = nodes.count - 1
                }
            }
            if let attribute = path.attribute {
                nodes[node].attributeFields.append((attribute, field))
            } else {
                nodes[node].textFields.append(field)
            }
        }
    }

    /// The child of `node` for the element libxml2 reports, or nil when no field lies below it.
    @inline(__always)
    func child(of node: Int, uri: UnsafePointer<UInt8>?, local: UnsafePointer<UInt8>) -> Int? {
        nodes.withUnsafeBufferPointer { nodes in
            nodes[node].children.withUnsafeBufferPointer { children in
                for index in children.indices where children[index].name.matches(uri: uri, local: local) {
                    return children[index].node
                }
                return nil
            }
        }
    }
}
