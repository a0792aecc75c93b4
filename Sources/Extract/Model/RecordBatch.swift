/// Records read a batch at a time, for the pipeline's per-record path: every requested value's
/// UTF-8 back to back in one byte arena, with one span per record and field, and the locators
/// and defects beside them. No `String` and no array per record or value, so filling, staging
/// and normalising a batch allocates nothing once its arrays have grown (`removeAll` keeps them).
///
/// A batch holds what `ExtractedRecord`s would hold, value for value: `record(_:)` gives each
/// as one (tests, tools). Values are read in place with `withRows`.
public struct RecordBatch: Sendable {
    /// The requested source paths, in the request's order: field `i` of every record is `fieldNames[i]`.
    public let fieldNames: [String]
    /// The submission file every record of the batch comes from (`RecordLocator.file`).
    public let file: String
    /// How many records the batch holds.
    public private(set) var count = 0

    /// Where a value's UTF-8 is in `bytes`; `length` -1 when the field is absent (nil).
    @usableFromInline struct Span: Sendable {
        @usableFromInline var start: Int
        @usableFromInline var length: Int
        @usableFromInline static let absent = Span(start: 0, length: -1)
        @usableFromInline init(start: Int, length: Int) {
            self.start = start
            self.length = length
        }
    }

    /// A record's locator (but its file) and defect: -1 where it has no line, byte offset or defect.
    struct Info: Sendable {
        var number: Int
        var line: Int
        var byteOffset: Int
        var defect: Int
    }

    /// The values' UTF-8: the first `byteCount` bytes are in use, the rest is room.
    private(set) var bytes: [UInt8] = []
    public private(set) var byteCount = 0
    /// `count * fieldNames.count` spans, record after record.
    private(set) var spans: [Span] = []
    private(set) var infos: [Info] = []
    private(set) var defects: [RecordDefect] = []

    /// An empty batch for records with `fieldNames` from `file`.
    public init(fieldNames: [String], file: String) {
        self.fieldNames = fieldNames
        self.file = file
    }

    /// A batch holding `records` (tests and tools), which share their field names: the first
    /// record's, or `fieldNames` when there is none.
    public init(records: [ExtractedRecord], fieldNames: [String] = [], file: String = "") {
        self.init(fieldNames: records.first?.fieldNames ?? fieldNames, file: records.first?.locator.file ?? file)
        for record in records {
            precondition(record.fieldNames == self.fieldNames && record.locator.file == self.file,
                         "the records of a batch share their field names and file")
            let room = record.values.reduce(0) { $0 + ($1?.utf8.count ?? 0) }
            appendRecord(
                number: record.locator.record, line: record.locator.line, byteOffset: record.locator.byteOffset, room: room
            ) { values in
                for (field, value) in record.values.enumerated() {
                    guard var value else { continue }
                    value.withUTF8 { values.set(field, $0) }
                }
            }
            if let defect = record.defect { setDefect(record: count - 1, defect) }
        }
    }

    /// The most room for values `removeAll` keeps: a batch that held longer values (fields up
    /// to `maxFieldBytes`) gives the rest back, so the batches in flight stay small.
    static let keptRoom = 8 << 20

    /// Empties the batch, keeping its arrays' room for the next fill (up to `keptRoom` bytes).
    public mutating func removeAll() {
        count = 0
        byteCount = 0
        if bytes.count > Self.keptRoom { bytes = [] }
        spans.removeAll(keepingCapacity: true)
        infos.removeAll(keepingCapacity: true)
        defects.removeAll(keepingCapacity: true)
    }

    /// Adds a record with every field absent, whose locator is `file` and these, and lets `body`
    /// set its values, writing at most `room` bytes in all.
    public mutating func appendRecord(
        number: Int, line: Int?, byteOffset: Int?, room: Int, _ body: (inout ValueWriter) -> Void
    ) {
        infos.append(Info(number: number, line: line ?? -1, byteOffset: byteOffset ?? -1, defect: -1))
        let first = spans.count
        spans.append(contentsOf: repeatElement(.absent, count: fieldNames.count))
        count += 1
        write(firstSpan: first, room: room, body)
    }

    /// Lets `body` read and replace the values of record `record` (a replaced value's new bytes
    /// go after the others), writing at most `room` bytes in all.
    public mutating func rewrite(record: Int, room: Int, _ body: (inout ValueWriter) -> Void) {
        write(firstSpan: record * fieldNames.count, room: room, body)
    }

    /// (Not generic: a generic result made the runtime look up a tuple's metadata per record.)
    private mutating func write(firstSpan: Int, room: Int, _ body: (inout ValueWriter) -> Void) {
        if byteCount + room > bytes.count {
            bytes.append(contentsOf: repeatElement(0, count: Swift.max(byteCount + room, 2 * bytes.count) - bytes.count))
        }
        let fieldCount = fieldNames.count
        let start = byteCount
        byteCount = bytes.withUnsafeMutableBufferPointer { arena in
            spans.withUnsafeMutableBufferPointer { spans in
                var writer = ValueWriter(
                    arena: arena.baseAddress!, start: start, capacity: start + room,
                    spans: spans.baseAddress! + firstSpan, fieldCount: fieldCount)
                body(&writer)
                return writer.end
            }
        }
    }

    /// Sets the defect of record `record`, which has none.
    public mutating func setDefect(record: Int, _ defect: RecordDefect) {
        precondition(infos[record].defect < 0, "a record has one defect")
        infos[record].defect = defects.count
        defects.append(defect)
    }

    /// The UTF-8 of field `field` of record `record` in place (nil when absent), for `body` only.
    public func withValue<Result>(
        record: Int, field: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> Result
    ) rethrows -> Result {
        let span = spans[record * fieldNames.count + field]
        guard span.length >= 0 else { return try body(nil) }
        return try bytes.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[span.start..<span.start + span.length]))
        }
    }

    /// Record `index` as an `ExtractedRecord`, with the same locator, values and defect.
    public func record(_ index: Int) -> ExtractedRecord {
        withRows { rows in rows[index].extractedRecord }
    }

    /// Sets the values of one record of a `RecordBatch` (`appendRecord`, `rewrite`), in room
    /// reserved for them: no capacity or uniqueness check per value.
    public struct ValueWriter {
        private let arena: UnsafeMutablePointer<UInt8>
        /// Where the next value goes, and the end of the room.
        fileprivate private(set) var end: Int
        private let capacity: Int
        private let spans: UnsafeMutablePointer<Span>
        private let fieldCount: Int

        fileprivate init(arena: UnsafeMutablePointer<UInt8>, start: Int, capacity: Int, spans: UnsafeMutablePointer<Span>, fieldCount: Int) {
            self.arena = arena
            end = start
            self.capacity = capacity
            self.spans = spans
            self.fieldCount = fieldCount
        }

        /// The current value of `field` (nil when absent), valid until the record is written.
        public func value(_ field: Int) -> UnsafeBufferPointer<UInt8>? {
            let span = spans[field]
            return span.length < 0 ? nil : UnsafeBufferPointer(start: arena + span.start, count: span.length)
        }

        /// Sets `field` to a copy of `utf8`.
        public mutating func set(_ field: Int, _ utf8: UnsafeBufferPointer<UInt8>) {
            set(field, atMost: utf8.count) { out in
                if let base = utf8.baseAddress { out.update(from: base, count: utf8.count) }
                return utf8.count
            }
        }

        /// Sets `field` to the bytes `write` puts at the pointer it is given (at most `most`,
        /// valid UTF-8); it returns how many it wrote.
        public mutating func set(_ field: Int, atMost most: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
            precondition(field < fieldCount && end + most <= capacity, "a record's values exceed the room reserved")
            let written = write(arena + end)
            spans[field] = Span(start: end, length: written)
            end += written
        }
    }
}
