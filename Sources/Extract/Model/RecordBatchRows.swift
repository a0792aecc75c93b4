extension RecordBatch {
    /// Calls `body` with the records, read in place. The rows are valid only during the call.
    public func withRows<Result>(_ body: (Rows) throws -> Result) rethrows -> Result {
        try withUnsafePointer(to: self) { batch in
            try bytes.withUnsafeBufferPointer { bytes in
                try spans.withUnsafeBufferPointer { spans in
                    try body(Rows(batch: batch, bytes: bytes, spans: spans))
                }
            }
        }
    }

    /// The records of a batch, read in place (inside `RecordBatch.withRows` only). Pointers only,
    /// so a row costs nothing to make or copy: no retain per record.
    public struct Rows {
        private let batch: UnsafePointer<RecordBatch>
        @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
        @usableFromInline let spans: UnsafeBufferPointer<Span>
        @usableFromInline let fieldCount: Int

        fileprivate init(
            batch: UnsafePointer<RecordBatch>, bytes: UnsafeBufferPointer<UInt8>, spans: UnsafeBufferPointer<Span>
        ) {
            self.batch = batch
            self.bytes = bytes
            self.spans = spans
            fieldCount = batch.pointee.fieldNames.count
        }

        public var count: Int { batch.pointee.count }
        public var fieldNames: [String] { batch.pointee.fieldNames }
        public var file: String { batch.pointee.file }

        public subscript(index: Int) -> RecordBatchRow { RecordBatchRow(rows: self, index: index) }

        func recordNumber(_ index: Int) -> Int { batch.pointee.infos[index].number }

        func line(_ index: Int) -> Int? {
            let line = batch.pointee.infos[index].line
            return line < 0 ? nil : line
        }

        func byteOffset(_ index: Int) -> Int? {
            let offset = batch.pointee.infos[index].byteOffset
            return offset < 0 ? nil : offset
        }

        func locator(_ index: Int) -> RecordLocator {
            RecordLocator(
                file: batch.pointee.file, record: recordNumber(index), line: line(index), byteOffset: byteOffset(index))
        }

        func defect(_ index: Int) -> RecordDefect? {
            let at = batch.pointee.infos[index].defect
            return at < 0 ? nil : batch.pointee.defects[at]
        }
    }
}

/// One record of a `RecordBatch`, read in place: valid only inside `RecordBatch.withRows`.
public struct RecordBatchRow: RecordValues {
    @usableFromInline let rows: RecordBatch.Rows
    public let index: Int

    init(rows: RecordBatch.Rows, index: Int) {
        self.rows = rows
        self.index = index
    }

    public var fieldNames: [String] { rows.fieldNames }
    public var sourceFile: String { rows.file }
    public var sourceRecord: Int { rows.recordNumber(index) }
    public var locator: RecordLocator { rows.locator(index) }
    public var line: Int? { rows.line(index) }
    public var byteOffset: Int? { rows.byteOffset(index) }
    public var defect: RecordDefect? { rows.defect(index) }

    @inlinable
    public func withUTF8<Result>(at slot: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> Result) rethrows -> Result {
        let span = rows.spans[index * rows.fieldCount + slot]
        guard span.length >= 0 else { return try body(nil) }
        return try body(UnsafeBufferPointer(rebasing: rows.bytes[span.start..<span.start + span.length]))
    }

    public func utf8Count(at slot: Int) -> Int {
        Swift.max(0, rows.spans[index * rows.fieldCount + slot].length)
    }

    public func value(at slot: Int) -> String? {
        withUTF8(at: slot) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// The record as an `ExtractedRecord` (a copy of its values).
    public var extractedRecord: ExtractedRecord {
        ExtractedRecord(
            locator: locator, fieldNames: fieldNames, values: (0..<rows.fieldCount).map { value(at: $0) },
            defect: defect)
    }
}
