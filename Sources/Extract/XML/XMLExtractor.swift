import CLibXML2

/// Streams records out of an XML submission with libxml2's SAX2 push parser, never building
/// a tree: `next()` feeds 64 KiB chunks of the source to the parser until a record element
/// has closed, and holds only the current chunk and the records completed in it.
///
/// - Records are the elements at `XMLOptions.recordPath`, matched by (namespace URI, local
///   name) through the mapping's prefixes, whatever prefixes the document uses.
/// - Fields are paths relative to the record (`a`, `a/b`, `@x`, `a/@x`). An element's value is
///   all character data inside it (descendants included), trimmed of XML whitespace; an
///   attribute's value is trimmed the same way. The first matching element in document order
///   wins. Absent paths have no entry. Nothing but the requested values is copied.
/// - Locators give the record's 1-based index, the line of its start tag and, for UTF-8
///   input, the byte offset of that tag's `<`.
/// - Parsing is safe against hostile input: no network, no DTD loading, no entity
///   substitution; documents that declare and use their own entities (billion laughs,
///   external entities) are refused. Any libxml2 error rejects the whole document with
///   libxml2's line, column and message; records completed before the error are returned first.
public final class XMLExtractor: RecordExtractor {
    /// Bytes read from the source and handed to libxml2 at a time.
    static let chunkSize = 64 * 1024

    /// Process-wide libxml2 set-up, done once. `xmlCleanupParser` is never called: FoundationXML
    /// shares libxml2's globals.
    private static let libraryReady: Void = {
        xmlInitParser()
        hotline_xml_install_refusing_entity_loader()
        hotline_xml_install_silent_generic_error_all_threads()
    }()

    private var source: any ByteSource
    /// At a fixed address for the lifetime of the parser, which holds it as user data.
    private let state: UnsafeMutablePointer<XMLParseState>
    private var parser: xmlParserCtxtPtr?
    private let buffer: UnsafeMutableRawBufferPointer
    /// Set once the end of the source has been passed to libxml2.
    private var finished = false

    /// Prepares to read `source`. Throws `.configuration` when the record path or a field path
    /// is not a valid path or uses a prefix that `options.namespaces` does not declare.
    /// Reads nothing yet.
    public init(source: any ByteSource, request: ExtractRequest, options: XMLOptions) throws(ExtractError) {
        _ = Self.libraryReady
        let paths = XMLPathParser(namespaces: options.namespaces, file: request.displayName)
        let recordPath = try paths.recordPath(options.recordPath)
        var fieldNames: [String] = []
        var fieldPaths: [XMLFieldPath] = []
        for field in request.fields where !fieldNames.contains(field) {
            fieldPaths.append(try paths.fieldPath(field))
            fieldNames.append(field)
        }
        self.source = source
        self.state = .allocate(capacity: 1)
        self.state.initialize(
            to: XMLParseState(
                file: request.displayName, recordPath: recordPath, fieldNames: fieldNames, fields: fieldPaths,
                limits: request.limits))
        self.buffer = .allocate(byteCount: Self.chunkSize, alignment: 16)
    }

    deinit {
        if let parser { xmlFreeParserCtxt(parser) }
        state.deinitialize(count: 1)
        state.deallocate()
        buffer.deallocate()
    }

    /// The next record element in document order, or nil after the last one. Throws the
    /// document's first error (after handing out the records completed before it), and
    /// throws it again on every later call.
    public func next() throws(ExtractError) -> ExtractedRecord? {
        while true {
            if let record = state.pointee.dequeue() { return record }
            if let error = state.pointee.error { throw error }
            if finished { return nil }
            do {
                try feed()
            } catch {
                state.pointee.fail(error)
            }
        }
    }

    /// Reads one chunk and parses it; at the end of the source, tells libxml2 so.
    private func feed() throws(ExtractError) {
        // The generic error handler is per thread in libxml2; keep it silent on this one.
        hotline_xml_install_silent_generic_error()
        guard let parser else {
            try start()
            return
        }
        let count = try source.read(into: buffer)
        if count == 0 {
            finish(parser)
        } else {
            parse(parser, offset: 0, count: count)
        }
    }

    /// Creates the push parser with the first bytes (libxml2 detects the encoding from the
    /// first four) and parses the rest of the first chunk.
    private func start() throws(ExtractError) {
        var filled = 0
        while filled < 4 {
            let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if count == 0 { break }
            filled += count
        }
        let head = min(filled, 4)
        var handler = SAXHandlers.make()
        let context = UnsafeMutableRawPointer(state)
        let created = withUnsafeMutablePointer(to: &handler) { handler in
            xmlCreatePushParserCtxt(
                handler, context, head > 0 ? chars(at: 0) : nil, Int32(head), nil)
        }
        guard let created else {
            throw ExtractError(.io, file: state.pointee.file, message: "libxml2 could not create an XML parser (out of memory?)")
        }
        parser = created
        state.pointee.parser = created
        _ = xmlCtxtUseOptions(created, hotline_xml_safe_options())
        if filled == 0 {
            finished = true
            state.pointee.fail(ExtractError(.malformed, file: state.pointee.file, message: "the file is empty: an XML document was expected"))
        } else if filled > head {
            parse(created, offset: head, count: filled - head)
        }
    }

    private func chars(at offset: Int) -> UnsafePointer<CChar> {
        UnsafePointer(buffer.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self))
    }

    private func parse(_ parser: xmlParserCtxtPtr, offset: Int, count: Int) {
        let status = xmlParseChunk(parser, chars(at: offset), Int32(count), 0)
        if status != 0 { unreportedFailure(parser, status: status) }
    }

    /// Parses the end of the document: a document that ends inside an element is an error.
    private func finish(_ parser: xmlParserCtxtPtr) {
        finished = true
        let status = xmlParseChunk(parser, nil, 0, 1)
        if status != 0 || parser.pointee.wellFormed == 0 { unreportedFailure(parser, status: status) }
        if state.pointee.error == nil, state.pointee.depth > 0 {
            let input = parser.pointee.input
            state.pointee.fail(ExtractError(
                .malformed, file: state.pointee.file, line: input.map { Int($0.pointee.line) },
                column: input.map { Int($0.pointee.col) },
                message: XMLErrorTranslation.truncated(depth: state.pointee.depth, openElement: state.pointee.openElement)))
        }
    }

    /// libxml2 signalled a failure without a structured error (should not happen).
    private func unreportedFailure(_ parser: xmlParserCtxtPtr, status: Int32) {
        guard state.pointee.error == nil else { return }
        let input = parser.pointee.input
        state.pointee.fail(ExtractError(
            .malformed, file: state.pointee.file, line: input.map { Int($0.pointee.line) },
            column: input.map { Int($0.pointee.col) },
            message: "the XML parser stopped with libxml2 error \(status == 0 ? parser.pointee.errNo : status)"))
    }
}
