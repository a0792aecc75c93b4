import CLibXML2

/// Everything the SAX callbacks read and write while one document is parsed: where the parser
/// is relative to the record path, the values of the record being read, and the records and
/// error waiting for `XMLExtractor.next()`.
///
/// Repeated elements: the first matching element in document order gives a field its value
/// (for `a/@x`, the first matching `a` that carries `x`); later ones are ignored.
///
/// A struct kept at a fixed heap address by `XMLExtractor` and reached from the callbacks
/// through libxml2's user-data pointer: no reference counting and no dynamic exclusivity
/// checks per SAX event.
struct XMLParseState {
    /// A field whose element is open and whose character data is being collected.
    private struct Capture {
        var field: Int
        var depth: Int
        var bytes: [UInt8]
    }

    let file: String
    private let recordPath: [XMLName]
    private let fieldNames: [String]
    private let trie: XMLFieldTrie
    private let maxDepth: Int
    private let maxFieldBytes: Int

    /// The push parser, set right after it is created (for positions and `xmlStopParser`).
    var parser: xmlParserCtxtPtr?

    /// Depth of the innermost open element (1 for the root).
    private(set) var depth = 0
    /// How many leading steps of the record path the open elements match.
    private var matchedSteps = 0
    private var recordCount = 0
    /// One trie node per element open inside the current record (-1: no field below it);
    /// empty when no record is open.
    private var nodeStack: [Int] = []
    /// Names already matched, by pointer: per trie node, and per step of the record path.
    private var seenFields: XMLNamePointers
    private var seenPath: XMLNamePointers
    private var values: [String?]
    /// Capture slots; the first `activeCaptures` are in use, the rest keep their buffers for reuse.
    private var captures: [Capture] = []
    private var activeCaptures = 0
    private var recordLine: Int?
    private var recordByteOffset: Int?

    /// Completed records, oldest first, from `queueHead` on; a record handed out is taken out
    /// of its slot, so the caller holds the only reference to its values (changing one, as
    /// pseudonymising does, would otherwise copy the whole array).
    private var queue: [ExtractedRecord?] = []
    private var queueHead = 0
    /// The first error met; once set, every callback is ignored.
    private(set) var error: ExtractError?
    /// `error != nil`, cheap to test on every event.
    private var failed = false

    init(file: String, recordPath: [XMLName], fieldNames: [String], fields: [XMLFieldPath], limits: ExtractLimits) {
        self.file = file
        self.recordPath = recordPath
        self.fieldNames = fieldNames
        self.trie = XMLFieldTrie(fields: fields)
        seenFields = XMLNamePointers(slots: trie.nodes.count)
        seenPath = XMLNamePointers(slots: recordPath.count)
        self.maxDepth = limits.maxDepth
        self.maxFieldBytes = limits.maxFieldBytes
        self.values = Array(repeating: nil, count: fieldNames.count)
    }

    // MARK: Queue

    /// The oldest completed record not yet handed out.
    mutating func dequeue() -> ExtractedRecord? {
        guard queueHead < queue.count else { return nil }
        let record = queue[queueHead].take()
        queueHead += 1
        if queueHead == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        }
        return record
    }

    /// Records the first error; later ones are consequences and are dropped.
    mutating func fail(_ error: ExtractError) {
        guard !failed else { return }
        self.error = error
        failed = true
    }

    // MARK: SAX events

    /// An element opened: follow the record path, or the field tree inside a record.
    mutating func startElement(
        uri: UnsafePointer<UInt8>?, local: UnsafePointer<UInt8>,
        attributeCount: Int, attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    ) {
        guard !failed else { return }
        depth += 1
        if depth > maxDepth {
            let position = currentPosition()
            fail(ExtractError(
                .limitExceeded, file: file, line: position.line, column: position.column,
                message: "elements are nested more than \(maxDepth) levels deep (limit maxDepth)"))
            if let parser { xmlStopParser(parser) }
            return
        }
        if let parent = nodeStack.last {
            let node = parent >= 0 ? trie.child(of: parent, uri: uri, local: local, seen: &seenFields) ?? -1 : -1
            nodeStack.append(node)
            if node >= 0 { enter(node, attributeCount: attributeCount, attributes: attributes) }
            return
        }
        guard matchedSteps == depth - 1, depth <= recordPath.count else { return }
        if !seenPath.same(depth - 1, uri: uri, local: local) {
            guard recordPath[depth - 1].matches(uri: uri, local: local) else { return }
            seenPath.remember(depth - 1, uri: uri, local: local)
        }
        matchedSteps = depth
        if depth == recordPath.count {
            recordCount += 1
            (recordLine, recordByteOffset) = startTagPosition()
            nodeStack.append(0)
            enter(0, attributeCount: attributeCount, attributes: attributes)
        }
    }

    /// An element closed: finish the text fields it held, and the record if it was one.
    mutating func endElement() {
        guard !failed else { return }
        if !nodeStack.isEmpty {
            while activeCaptures > 0, captures[activeCaptures - 1].depth == depth {
                activeCaptures -= 1
                values[captures[activeCaptures].field] = captures[activeCaptures].bytes.withUnsafeBufferPointer {
                    Self.trimmedString($0)
                }
            }
            nodeStack.removeLast()
            if nodeStack.isEmpty { endRecord() }
        }
        if matchedSteps == depth { matchedSteps -= 1 }
        depth -= 1
    }

    /// Character data: copied only while a requested element is open.
    mutating func characters(_ bytes: UnsafePointer<UInt8>, count: Int) {
        guard !failed, activeCaptures > 0 else { return }
        let chunk = UnsafeBufferPointer(start: bytes, count: count)
        for index in 0..<activeCaptures {
            captures[index].bytes.append(contentsOf: chunk)
            if captures[index].bytes.count > maxFieldBytes {
                fieldTooLong(captures[index].field)
                return
            }
        }
    }

    /// A libxml2 error or warning. Warnings are ignored; any error rejects the document.
    mutating func libxmlError(_ raw: UnsafePointer<xmlError>) {
        guard !failed, raw.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        fail(XMLErrorTranslation.extractError(from: raw.pointee, file: file, depth: depth, openElement: openElement))
    }

    /// The local name of the innermost element libxml2 has open.
    var openElement: String? {
        guard let name = parser?.pointee.name else { return nil }
        return String(cString: name)
    }

    // MARK: Records

    /// Starts collecting the fields that end at trie node `node` for the element just opened.
    private mutating func enter(_ node: Int, attributeCount: Int, attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        for field in trie.nodes[node].textFields where values[field] == nil && !isCapturing(field) {
            if activeCaptures < captures.count {
                captures[activeCaptures].field = field
                captures[activeCaptures].depth = depth
                captures[activeCaptures].bytes.removeAll(keepingCapacity: true)
            } else {
                captures.append(Capture(field: field, depth: depth, bytes: []))
            }
            activeCaptures += 1
        }
        guard !trie.nodes[node].attributeFields.isEmpty, let attributes else { return }
        // libxml2 passes 5 pointers per attribute: localname, prefix, URI, value, end of value.
        for index in 0..<attributeCount {
            guard let local = attributes[5 * index], let start = attributes[5 * index + 3],
                let end = attributes[5 * index + 4]
            else { continue }
            let wanted = trie.nodes[node].attributeFields.withUnsafeBufferPointer { fields in
                fields.first { values[$0.field] == nil && $0.name.matches(uri: attributes[5 * index + 2], local: local) }?
                    .field
            }
            guard let field = wanted else { continue }
            let length = end - start
            if length > maxFieldBytes {
                fieldTooLong(field)
                return
            }
            values[field] = Self.attributeValue(UnsafeBufferPointer(start: start, count: length))
        }
    }

    private func isCapturing(_ field: Int) -> Bool {
        for index in 0..<activeCaptures where captures[index].field == field { return true }
        return false
    }

    private mutating func endRecord() {
        // The record takes the array; a fresh one is cheaper than clearing the shared one, which
        // would copy it (retaining every value) first.
        let fields = values
        values = Array(repeating: nil, count: fields.count)
        activeCaptures = 0
        let locator = RecordLocator(file: file, record: recordCount, line: recordLine, byteOffset: recordByteOffset)
        queue.append(ExtractedRecord(locator: locator, fieldNames: fieldNames, values: fields))
    }

    private mutating func fieldTooLong(_ field: Int) {
        fail(ExtractError(
            .limitExceeded, file: file, line: recordLine, byteOffset: recordByteOffset,
            message: "the field `\(fieldNames[field])` of record \(recordCount) is longer than"
                + " \(maxFieldBytes) bytes (limit maxFieldBytes)"))
        if let parser { xmlStopParser(parser) }
    }

    // MARK: Positions

    /// Line and column where the parser stands.
    private func currentPosition() -> (line: Int?, column: Int?) {
        guard let input = parser?.pointee.input else { return (nil, nil) }
        return (Int(input.pointee.line), Int(input.pointee.col))
    }

    /// Line and byte offset of the `<` of the start tag just parsed. libxml2 reports a start
    /// tag when it has read it whole, so the tag is still in the input buffer, and `<` cannot
    /// occur inside it except as its first character. The byte offset is given only for
    /// UTF-8 input (otherwise buffer positions are not file positions).
    private func startTagPosition() -> (line: Int?, byteOffset: Int?) {
        guard let input = parser?.pointee.input else { return (nil, nil) }
        let line = Int(input.pointee.line)
        guard let base = input.pointee.base, let cur = input.pointee.cur, cur > base else { return (line, nil) }
        var position = cur
        var newlines = 0
        while position > base {
            position -= 1
            switch position.pointee {
            case UInt8(ascii: "<"):
                let offset =
                    input.pointee.buf?.pointee.encoder == nil
                    ? Int(input.pointee.consumed) + (position - base) : nil
                return (line - newlines, offset)
            case UInt8(ascii: "\n"):
                newlines += 1
            default:
                continue
            }
        }
        return (line, nil)
    }

    // MARK: Values

    private static func isXMLSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The bytes without leading and trailing XML whitespace, as a String.
    static func trimmedString<C: BidirectionalCollection<UInt8>>(_ bytes: C) -> String {
        guard let first = bytes.firstIndex(where: { !isXMLSpace($0) }),
            let last = bytes.lastIndex(where: { !isXMLSpace($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    /// An attribute value as libxml2's SAX2 interface delivers it without entity substitution:
    /// every `&` (from `&amp;` or `&#38;`) arrives as `&#38;`, everything else is decoded.
    static func attributeValue(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return trimmedString(raw) }
        let escaped = Array("&#38;".utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            if raw[index] == UInt8(ascii: "&"), index + escaped.count <= raw.count,
                raw[index..<index + escaped.count].elementsEqual(escaped)
            {
                decoded.append(UInt8(ascii: "&"))
                index += escaped.count
            } else {
                decoded.append(raw[index])
                index += 1
            }
        }
        return trimmedString(decoded)
    }
}
