import Extract

/// Serves bytes 1 to 7 at a time (cycling), so documents cross every kind of chunk boundary.
struct XMLTrickleByteSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0
    private var step = 0
    var consumedInputBytes: Int { position }

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ExtractError) -> Int {
        step = step % 7 + 1
        let count = min(step, buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        for index in 0..<count { buffer[index] = bytes[position + index] }
        position += count
        return count
    }
}

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
        let source: any ByteSource = trickle ? XMLTrickleByteSource(bytes) : MemoryByteSource(bytes)
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
