import Extract

/// The extract stage's output for one submission: its records with only the mapped source
/// fields. Identifier fields are already replaced by keyed tokens, so no raw id is ever staged.
enum StagedRecords {
    static let magic = "HETLEXT1"
    static let recordsPerBlock = 4096

    /// Writes records as they arrive.
    struct Writer {
        private var file: CountedBlockWriter
        private let paths: [String]
        /// The field names of the last records staged, and where each of `paths` is among them
        /// (-1: absent). Every record of one extractor shares one names array, so this is worked
        /// out once (comparing an array with itself costs nothing).
        private var names: [String]?
        private var slots: [Int] = []

        init(path: String, sourcePaths: [String]) throws {
            file = try CountedBlockWriter(path: path, magic: StagedRecords.magic, itemsPerBlock: StagedRecords.recordsPerBlock)
            paths = sourcePaths
            var header = BinaryWriter()
            header.varint(UInt64(sourcePaths.count))
            for path in sourcePaths { header.string(path) }
            try file.appendRaw(header.bytes)
        }

        mutating func append(_ record: borrowing ExtractedRecord) throws {
            try write(record, slots: slots(for: record.fieldNames))
        }

        /// Stages every record of `batch`, in order: the same bytes as `append(_:)` of each
        /// record as an `ExtractedRecord`, written from the batch's bytes in place.
        mutating func append(_ batch: RecordBatch) throws {
            let slots = slots(for: batch.fieldNames)
            try batch.withRows { rows in
                for index in 0..<rows.count { try write(rows[index], slots: slots) }
            }
        }

        private mutating func slots(for fieldNames: [String]) -> [Int] {
            if fieldNames != names {
                names = fieldNames
                slots = paths.map { fieldNames.firstIndex(of: $0) ?? -1 }
            }
            return slots
        }

        /// One record: its locator, its defect, then the value of each of `paths` (its slot
        /// among the record's values, or -1 for a path it lacks), in room reserved at once.
        private mutating func write<Record: RecordValues>(_ record: Record, slots: [Int]) throws {
            let defect = record.defect
            // The locator and the defect (at most six values), then one value per source path.
            var room = (6 + slots.count) * BinaryWriter.Room.mostBeyondText
            room += (defect?.field?.utf8.count ?? 0) + (defect?.message.utf8.count ?? 0)
            for slot in slots where slot >= 0 { room += record.utf8Count(at: slot) }
            file.block.withRoom(room) { block in
                block.int(record.sourceRecord)
                block.optionalInt(record.line)
                block.optionalInt(record.byteOffset)
                if let defect {
                    block.varint(1)
                    block.optionalString(defect.field)
                    block.string(defect.message)
                } else {
                    block.varint(0)
                }
                for slot in slots {
                    if slot < 0 { block.optionalUTF8(nil) } else { record.withUTF8(at: slot) { block.optionalUTF8($0) } }
                }
            }
            try file.endItem()
        }

        mutating func commit() throws { try file.commit() }

        func abandon() { file.abandon() }
    }

    /// Reads records back in order.
    struct Reader {
        private var file: CountedBlockReader
        let sourcePaths: [String]
        private let fileName: String

        init(path: String, fileName: String) throws {
            file = try CountedBlockReader(path: path, magic: StagedRecords.magic)
            self.fileName = fileName
            guard let headerBytes = try file.rawBlock() else { throw StagingError("\(path) has no header") }
            var header = BinaryReader(headerBytes)
            do {
                let count = Int(try header.varint())
                var paths: [String] = []
                for _ in 0..<count { paths.append(try header.string()) }
                sourcePaths = paths
            } catch {
                throw StagingError("\(path) has a damaged header; rerun the extract stage")
            }
        }

        mutating func next() throws -> ExtractedRecord? {
            let damaged = StagingError("\(file.path) is damaged; rerun the extract stage")
            guard try file.nextItem(damaged: damaged) else { return nil }
            do {
                let record = try file.block.int()
                let line = try file.block.optionalInt()
                let offset = try file.block.optionalInt()
                var defect: RecordDefect?
                if try file.block.varint() == 1 {
                    let field = try file.block.optionalString()
                    defect = RecordDefect(field: field, message: try file.block.string())
                }
                var values: [String?] = []
                values.reserveCapacity(sourcePaths.count)
                for _ in sourcePaths { values.append(try file.block.optionalString()) }
                return ExtractedRecord(
                    locator: RecordLocator(file: fileName, record: record, line: line, byteOffset: offset),
                    fieldNames: sourcePaths, values: values, defect: defect)
            } catch {
                throw damaged
            }
        }
    }
}
