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
    /// `seen` first: the names a node matched before, by pointer (see `XMLNamePointers`).
    @inline(__always)
    func child(
        of node: Int, uri: UnsafePointer<UInt8>?, local: UnsafePointer<UInt8>, seen: inout XMLNamePointers
    ) -> Int? {
        nodes.withUnsafeBufferPointer { nodes in
            nodes[node].children.withUnsafeBufferPointer { children in
                for index in children.indices where seen.same(children[index].node, uri: uri, local: local) {
                    return children[index].node
                }
                for index in children.indices where children[index].name.matches(uri: uri, local: local) {
                    seen.remember(children[index].node, uri: uri, local: local)
                    return children[index].node
                }
                return nil
            }
        }
    }
}

/// Per slot (a trie node, a step of the record path), the local-name and namespace pointers of
/// the last element whose name matched it. libxml2's SAX2 parser hands both out of the parser's
/// dictionary, where each distinct string has one address for as long as the parser lives
/// (`xmlParseQName` and the `xmlns` attributes both go through `xmlDictLookup`), so the same
/// two pointers mean the same name and its bytes need not be compared again. One value per
/// parser: a pointer from another parser's dictionary could name something else.
struct XMLNamePointers {
    private var local: [UnsafePointer<UInt8>?]
    private var uri: [UnsafePointer<UInt8>?]

    init(slots: Int) {
        local = Array(repeating: nil, count: slots)
        uri = Array(repeating: nil, count: slots)
    }

    /// Whether slot `slot` last matched exactly these pointers.
    @inline(__always)
    func same(_ slot: Int, uri otherURI: UnsafePointer<UInt8>?, local otherLocal: UnsafePointer<UInt8>) -> Bool {
        local[slot] == otherLocal && uri[slot] == otherURI
    }

    /// Slot `slot` matched these pointers (after comparing the bytes).
    @inline(__always)
    mutating func remember(_ slot: Int, uri otherURI: UnsafePointer<UInt8>?, local otherLocal: UnsafePointer<UInt8>) {
        local[slot] = otherLocal
        uri[slot] = otherURI
    }
}
