@testable import Extract

/// Serves bytes a few at a time (sizes cycling through `sizes`), so that quotes, CRLFs and
/// multi-byte characters fall across buffer refills.
struct CSVChunkedByteSource: ByteSource {
    private let bytes: [UInt8]
    private let sizes: [Int]
    private var position = 0
    private var call = 0
    var consumedInputBytes: Int { position }

    init(_ bytes: [UInt8], sizes: [Int] = [1, 2, 3, 5, 7]) {
        self.bytes = bytes
        self.sizes = sizes
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ExtractError) -> Int {
        let size = sizes[call % sizes.count]
        call += 1
        let count = min(size, buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        for index in 0..<count { buffer[index] = bytes[position + index] }
        position += count
        return count
    }
}

enum CSVTestSupport {
    static let file = "test/faelle.csv"

    static func request(_ fields: [String], options: CSVOptions, limits: ExtractLimits) -> ExtractRequest {
        ExtractRequest(
            path: "/nonexistent/\(file)", displayName: file, format: .csv(options), fields: fields, limits: limits)
    }

    /// All records of `bytes`, or the error that stopped the extraction.
    static func extract(
        _ bytes: [UInt8], fields: [String], options: CSVOptions = CSVOptions(), chunked: Bool = false,
        limits: ExtractLimits = ExtractLimits()
    ) -> Result<[ExtractedRecord], ExtractError> {
        let source: any ByteSource = chunked ? CSVChunkedByteSource(bytes) : MemoryByteSource(bytes)
        do {
            let extractor = try CSVExtractor(
                source: source, request: request(fields, options: options, limits: limits), options: options)
            var records: [ExtractedRecord] = []
            while let record = try extractor.next() { records.append(record) }
            return .success(records)
        } catch {
            return .failure(error)
        }
    }

    static func extract(
        _ text: String, fields: [String], options: CSVOptions = CSVOptions(), chunked: Bool = false,
        limits: ExtractLimits = ExtractLimits()
    ) -> Result<[ExtractedRecord], ExtractError> {
        extract(Array(text.utf8), fields: fields, options: options, chunked: chunked, limits: limits)
    }

    /// The records, or an empty list when extraction failed (the tests then fail on the values).
    static func records(
        _ text: String, fields: [String], options: CSVOptions = CSVOptions(), chunked: Bool = false
    ) -> [ExtractedRecord] {
        (try? extract(text, fields: fields, options: options, chunked: chunked).get()) ?? []
    }

    /// The error that stopped the extraction, or nil.
    static func error(
        _ bytes: [UInt8], fields: [String], options: CSVOptions = CSVOptions(), chunked: Bool = false,
        limits: ExtractLimits = ExtractLimits()
    ) -> ExtractError? {
        if case .failure(let error) = extract(bytes, fields: fields, options: options, chunked: chunked, limits: limits)
        {
            return error
        }
        return nil
    }

    static func locator(record: Int, byteOffset: Int) -> RecordLocator {
        RecordLocator(file: file, record: record, line: record, byteOffset: byteOffset)
    }

    /// UTF-16 bytes of `text` with a byte order mark.
    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let high = UInt8(unit >> 8)
            let low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        return bytes
    }
}
