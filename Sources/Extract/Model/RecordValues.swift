/// Read access to one record's requested values, in the request's order (slot `i` is
/// `fieldNames[i]`): what the normalizer and the staging read of a record, whether it is an
/// `ExtractedRecord` or a row of a `RecordBatch`.
public protocol RecordValues {
    var fieldNames: [String] { get }
    /// The record's locator, part by part: its submission file, its 1-based position in it, and
    /// its line and byte offset when known (`RecordLocator`).
    var sourceFile: String { get }
    var sourceRecord: Int { get }
    var line: Int? { get }
    var byteOffset: Int? { get }
    var defect: RecordDefect? { get }
    /// The raw value in `slot` as text; nil when absent.
    func value(at slot: Int) -> String?
    /// The number of UTF-8 bytes of the raw value in `slot` (0 when absent).
    func utf8Count(at slot: Int) -> Int
    /// The raw value in `slot` as UTF-8 in place (nil when absent), for `body` only.
    func withUTF8<Result>(at slot: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> Result) rethrows -> Result
}

extension ExtractedRecord: RecordValues {
    public var sourceFile: String { locator.file }
    public var sourceRecord: Int { locator.record }
    public var line: Int? { locator.line }
    public var byteOffset: Int? { locator.byteOffset }

    public func value(at slot: Int) -> String? { values[slot] }

    public func utf8Count(at slot: Int) -> Int { values[slot]?.utf8.count ?? 0 }

    @inlinable
    public func withUTF8<Result>(at slot: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> Result) rethrows -> Result {
        guard var value = values[slot] else { return try body(nil) }
        return try value.withUTF8 { try body($0) }
    }
}

/// An extractor that can also fill a `RecordBatch`: the same records as `next()` gives, with the
/// same locators, values and defects, without a `String` per value.
public protocol BatchRecordExtractor: RecordExtractor {
    /// An empty batch for this extractor's records.
    func makeBatch() -> RecordBatch
    /// Appends records to `batch` until it holds `limit` records or `byteLimit` bytes of values,
    /// or the file ends (then it holds fewer, possibly none). Throws `ExtractError` as `next()`
    /// does, when the file cannot be read any further.
    mutating func fill(_ batch: inout RecordBatch, limit: Int, byteLimit: Int) throws(ExtractError)
}
