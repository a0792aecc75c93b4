/// An element or attribute name resolved to (namespace URI, local name), pre-encoded as
/// NUL-terminated UTF-8 so the SAX callbacks compare it with libxml2's `xmlChar` strings
/// without building a Swift `String` per element.
struct XMLName: Sendable, Hashable {
    /// Namespace URI, NUL-terminated; nil for "no namespace".
    let uri: [CChar]?
    /// Local name, NUL-terminated.
    let local: [CChar]

    init(uri: String?, local: String) {
        self.uri = uri.map { Array($0.utf8CString) }
        self.local = Array(local.utf8CString)
    }

    /// True when libxml2's (URI, local name) pair names this element or attribute.
    /// A nil `uri` from libxml2 means the name is in no namespace.
    @inline(__always)
    func matches(uri otherURI: UnsafePointer<UInt8>?, local otherLocal: UnsafePointer<UInt8>) -> Bool {
        guard Self.equal(local, otherLocal) else { return false }
        switch (uri, otherURI) {
        case (nil, nil): return true
        case (let mine?, let other?): return Self.equal(mine, other)
        default: return false
        }
    }

    /// Byte comparison of a NUL-terminated name with a NUL-terminated `xmlChar` string; most
    /// mismatches are decided on the first byte.
    @inline(__always)
    private static func equal(_ mine: [CChar], _ other: UnsafePointer<UInt8>) -> Bool {
        mine.withUnsafeBufferPointer { mine in
            var index = 0
            while true {
                let byte = UInt8(bitPattern: mine[index])
                guard byte == other[index] else { return false }
                if byte == 0 { return true }
                index += 1
            }
        }
    }
}

/// A field path relative to the record element: element steps, then optionally an attribute.
struct XMLFieldPath: Sendable, Hashable {
    var elements: [XMLName]
    var attribute: XMLName?
}

/// Parses the mapping's XML paths (`/cf:export/cf:dossier`, `cf:enfant/@age`), resolving
/// prefixes through the mapping's own namespace bindings.
struct XMLPathParser {
    /// The namespace every XML processor binds to the `xml` prefix.
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    let namespaces: [String: String]
    let file: String

    /// `/a/b/c` -> the element names of every step. At least one step is required.
    func recordPath(_ path: String) throws(ExtractError) -> [XMLName] {
        guard path.hasPrefix("/"), path.count > 1 else {
            throw configuration(
                "the XML record path `\(path)` must be an absolute element path such as `/export/dossiers/dossier`")
        }
        let steps = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        var names: [XMLName] = []
        for step in steps {
            if step.hasPrefix("@") {
                throw configuration("the XML record path `\(path)` must name elements, not an attribute (`\(step)`)")
            }
            names.append(try name(String(step), in: path, what: "record path", attribute: false))
        }
        return names
    }

    /// `a/b`, `@id`, `a/@id` -> element steps and an optional final attribute.
    func fieldPath(_ path: String) throws(ExtractError) -> XMLFieldPath {
        guard !path.isEmpty, !path.hasPrefix("/") else {
            throw configuration(
                "the XML field path `\(path)` must be relative to the record element, e.g. `enfant/@age`")
        }
        let steps = path.split(separator: "/", omittingEmptySubsequences: false)
        var elements: [XMLName] = []
        var attribute: XMLName?
        for (index, step) in steps.enumerated() {
            if step.hasPrefix("@") {
                guard index == steps.count - 1 else {
                    throw configuration("in the XML field path `\(path)`, an attribute (`\(step)`) can only be the last step")
                }
                attribute = try name(String(step.dropFirst()), in: path, what: "field path", attribute: true)
            } else {
                elements.append(try name(String(step), in: path, what: "field path", attribute: false))
            }
        }
        return XMLFieldPath(elements: elements, attribute: attribute)
    }

    /// Resolves one `prefix:local` or `local` step. Unprefixed elements and attributes are in
    /// no namespace (the document's default namespace does not apply to the mapping).
    private func name(_ step: String, in path: String, what: String, attribute: Bool) throws(ExtractError) -> XMLName {
        let parts = step.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy(isNCName) else {
            throw configuration(
                "the XML \(what) `\(path)` has an invalid step `\(step)`: use names such as `dossier` or `cf:dossier`"
                    + " (wildcards, `.`, `..` and predicates are not supported)")
        }
        guard parts.count == 2 else { return XMLName(uri: nil, local: step) }
        let prefix = String(parts[0])
        let uri: String
        if let bound = namespaces[prefix] {
            uri = bound
        } else if prefix == "xml" {
            uri = Self.xmlNamespace
        } else {
            let declared = namespaces.keys.sorted().joined(separator: ", ")
            throw configuration(
                "the XML \(what) `\(path)` uses the prefix `\(prefix)`, which the mapping's `namespaces` does not declare"
                    + (declared.isEmpty ? " (it declares none)" : " (declared: \(declared))"))
        }
        guard !uri.isEmpty else {
            throw configuration("the namespace prefix `\(prefix)` is bound to an empty URI; leave the prefix out instead")
        }
        return XMLName(uri: uri, local: String(parts[1]))
    }

    /// A loose NCName check: non-empty, no characters that make a path ambiguous.
    private func isNCName(_ part: Substring) -> Bool {
        guard let first = part.first, first != ".", first != "-", !first.isNumber else { return false }
        return !part.contains { " \t\r\n*[]()@=|'\"$,".contains($0) }
    }

    private func configuration(_ message: String) -> ExtractError {
        ExtractError(.configuration, file: file, message: message)
    }
}
