@testable import Extract
import Testing

enum CSVTestSupport {
    static let file = "test/faelle.csv"

    static func request(_ fields: [String], options: CSVOptions, limits: ExtractLimits) -> ExtractRequest {
        ExtractRequest(
            path: "/nonexistent/\(file)", displayName: file, format: .csv(options), fields: fields, limits: limits)
    }

    /// All records of `bytes`, or the error that stopped the extraction, as `next()` gives them.
    /// Every test through here also checks the batch path: `fill` in small batches (two
    /// records, 64 bytes) must give the same records, or the same error.
    static func extract(
        _ bytes: [UInt8], fields: [String], options: CSVOptions = CSVOptions(), chunked: Bool = false,
        limits: ExtractLimits = ExtractLimits(), sourceLocation: SourceLocation = #_sourceLocation
    ) -> Result<[ExtractedRecord], ExtractError> {
        let viaNext = extractRecords(bytes, fields: fields, options: options, chunked: chunked, limits: limits)
        let viaBatches = extractBatched(
            bytes, fields: fields, options: options, chunked: chunked, limits: limits, limit: 2, byteLimit: 64)
        #expect(viaBatches == viaNext, "the batch path differs from next()", sourceLocation: sourceLocation)
        return viaNext
    }

    static func extractor(
        _ bytes: [UInt8], fields: [String], options: CSVOptions, chunked: Bool, limits: ExtractLimits
    ) throws(ExtractError) -> CSVExtractor {
        let source: any ByteSource = chunked ? ChunkedByteSource(bytes, sizes: [1, 2, 3, 5, 7]) : MemoryByteSource(bytes)
        return try CSVExtractor(source: source, request: request(fields, options: options, limits: limits), options: options)
    }

    /// The records through `next()`.
    static func extractRecords(
        _ bytes: [UInt8], fields: [String], options: CSVOptions, chunked: Bool, limits: ExtractLimits
    ) -> Result<[ExtractedRecord], ExtractError> {
        do {
            let extractor = try extractor(bytes, fields: fields, options: options, chunked: chunked, limits: limits)
            var records: [ExtractedRecord] = []
            while let record = try extractor.next() { records.append(record) }
            return .success(records)
        } catch {
            return .failure(error)
        }
    }

    /// The records through `fill`, in batches of at most `limit` records or about `byteLimit`
    /// bytes, read back with `RecordBatch.record(_:)`; one batch is emptied and filled again.
    static func extractBatched(
        _ bytes: [UInt8], fields: [String], options: CSVOptions = CSVOptions(), chunked: Bool = false,
        limits: ExtractLimits = ExtractLimits(), limit: Int, byteLimit: Int
    ) -> Result<[ExtractedRecord], ExtractError> {
        do {
            let extractor = try extractor(bytes, fields: fields, options: options, chunked: chunked, limits: limits)
            var batch = extractor.makeBatch()
            var records: [ExtractedRecord] = []
            while true {
                batch.removeAll()
                try extractor.fill(&batch, limit: limit, byteLimit: byteLimit)
                if batch.count == 0 { return .success(records) }
                records += (0..<batch.count).map { batch.record($0) }
            }
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
