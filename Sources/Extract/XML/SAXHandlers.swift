import CLibXML2

/// The SAX2 callbacks, as non-capturing closures that find their `XMLParseState` through
/// libxml2's user-data pointer (the state's fixed heap address, owned by `XMLExtractor`). Deliberately absent: `entityDecl`, `getEntity`,
/// `externalSubset`, `resolveEntity` (so no entity is ever declared, expanded or loaded) and
/// the variadic `error`/`warning` (errors arrive through `serror`).
enum SAXHandlers {
    @inline(__always)
    static func state(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<XMLParseState> {
        context!.assumingMemoryBound(to: XMLParseState.self)
    }

    static func make() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        handler.initialized = XML_SAX2_MAGIC
        handler.startElementNs = { context, localname, _, uri, _, _, attributeCount, _, attributes in
            guard let localname else { return }
            SAXHandlers.state(context).pointee.startElement(
                uri: uri, local: localname, attributeCount: Int(attributeCount), attributes: attributes)
        }
        handler.endElementNs = { context, _, _, _ in
            SAXHandlers.state(context).pointee.endElement()
        }
        handler.characters = { context, bytes, count in
            guard let bytes, count > 0 else { return }
            SAXHandlers.state(context).pointee.characters(bytes, count: Int(count))
        }
        handler.ignorableWhitespace = handler.characters
        handler.cdataBlock = handler.characters
        handler.serror = { context, error in
            guard let error else { return }
            SAXHandlers.state(context).pointee.libxmlError(error)
        }
        return handler
    }
}
