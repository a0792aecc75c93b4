import CLibXML2

/// Turns libxml2's structured errors into `ExtractError`s: libxml2's line and column, its
/// message without the trailing newline, and a hint where libxml2's words would mislead a
/// data steward.
enum XMLErrorTranslation {
    /// `depth` is the number of open elements and `openElement` the innermost one's name (for
    /// errors at the end of the input, which mean the document is truncated).
    static func extractError(from error: xmlError, file: String, depth: Int, openElement: String?) -> ExtractError {
        let line = error.line > 0 ? Int(error.line) : nil
        let column = error.int2 > 0 ? Int(error.int2) : nil
        let text = error.message.map { String(cString: $0) } ?? "unknown libxml2 error \(error.code)"
        var message = cleaned(text)
        var kind = ExtractError.Kind.malformed
        switch Int(error.code) {
        case Int(XML_ERR_UNDECLARED_ENTITY.rawValue), Int(XML_WAR_UNDECLARED_ENTITY.rawValue):
            message += " (entities declared in the document are refused, for safety; only &lt; &gt; &amp; &apos; &quot;"
                + " and character references are allowed)"
        case Int(XML_ERR_DOCUMENT_EMPTY.rawValue):
            message += " (no root element was found: is this an XML file?)"
        case Int(XML_ERR_INVALID_ENCODING.rawValue), Int(XML_ERR_UNSUPPORTED_ENCODING.rawValue):
            kind = .encoding
        case Int(XML_ERR_DOCUMENT_END.rawValue) where depth > 0,
            Int(XML_ERR_NOT_WELL_BALANCED.rawValue) where depth > 0:
            message = truncated(depth: depth, openElement: openElement)
        default:
            if message.hasPrefix("Input is not proper UTF-8") {
                kind = .encoding
                message += " (declare the encoding in the XML declaration, e.g. <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>)"
            } else if message.hasPrefix("Excessive depth in document") {
                kind = .limitExceeded
            }
        }
        return ExtractError(kind, file: file, line: line, column: column, message: message)
    }

    /// The message for a document that ends while elements are still open.
    static func truncated(depth: Int, openElement: String?) -> String {
        let inside = openElement.map { "inside the element `\($0)`" } ?? "inside an element"
        return "the document ends \(inside) with \(depth) element\(depth == 1 ? "" : "s") still open: the file is truncated"
    }

    /// libxml2's text without surrounding whitespace and with inner line breaks as spaces.
    static func cleaned(_ text: String) -> String {
        let parts = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
        return parts.map { $0.trimmingSpaces() }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        guard let first = firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return self[endIndex...] }
        return self[first...last]
    }
}
