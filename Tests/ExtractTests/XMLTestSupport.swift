import Extract

/// Builds extractors over inline documents and drains them.
enum XMLTestSupport {
    static let namespaces = ["cf": "urn:example:cf"]

    static func request(
        _ fields: [String], recordPath: String, namespaces: [String: String] = namespaces,
        limits: ExtractLimits = ExtractLimits()
    ) -> ExtractRequest {
        ExtractRequest(
            path: "inbox/t.xml", displayName: "fr-cf/t.xml",
            format: .xml(XMLOptions(recordPath: recordPath, namespaces: namespaces)), fields: fields,
            limits: limits)
    }

    static func extractor(
        _ bytes: [UInt8], fields: [String], recordPath: String, namespaces: [String: String] = namespaces,
        limits: ExtractLimits = ExtractLimits(), trickle: Bool = false
    ) throws(ExtractError) -> XMLExtractor {
        let source: any ByteSource = trickle ? ChunkedByteSource(bytes) : MemoryByteSource(bytes)
        let request = request(fields, recordPath: recordPath, namespaces: namespaces, limits: limits)
        return try XMLExtractor(
            source: source, request: request,
            options: XMLOptions(recordPath: recordPath, namespaces: namespaces))
    }

    /// Every record, then the error that stopped the extractor (nil at a clean end).
    static func drain(
        _ text: String, fields: [String], recordPath: String, namespaces: [String: String] = namespaces,
        limits: ExtractLimits = ExtractLimits(), trickle: Bool = false
    ) -> (records: [ExtractedRecord], error: ExtractError?) {
        drain(Array(text.utf8), fields: fields, recordPath: recordPath, namespaces: namespaces, limits: limits, trickle: trickle)
    }

    static func drain(
        _ bytes: [UInt8], fields: [String], recordPath: String, namespaces: [String: String] = namespaces,
        limits: ExtractLimits = ExtractLimits(), trickle: Bool = false
    ) -> (records: [ExtractedRecord], error: ExtractError?) {
        var records: [ExtractedRecord] = []
        do {
            let extractor = try extractor(
                bytes, fields: fields, recordPath: recordPath, namespaces: namespaces, limits: limits, trickle: trickle)
            while let record = try extractor.next() { records.append(record) }
            return (records, nil)
        } catch {
            return (records, error)
        }
    }

    /// 0-based byte offset of the first occurrence of `needle` in `text`.
    static func byteOffset(of needle: String, in text: String) -> Int {
        let haystack = Array(text.utf8)
        let pattern = Array(needle.utf8)
        for start in 0...(haystack.count - pattern.count) where haystack[start..<start + pattern.count].elementsEqual(pattern) {
            return start
        }
        return -1
    }
}
