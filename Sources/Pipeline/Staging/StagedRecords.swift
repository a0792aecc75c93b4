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
        /// The last record's field names when they were `paths` in the same order.
        private var namesInOrder: [String] = []
        /// The last batch's field names, and where each of `paths` is among them (-1: absent).
        private var batchNames: [String]?
        private var batchSlots: [Int] = []

        init(path: String, sourcePaths: [String]) throws {
            file = try CountedBlockWriter(path: path, magic: StagedRecords.magic, itemsPerBlock: StagedRecords.recordsPerBlock)
            paths = sourcePaths
            var header = BinaryWriter()
            header.varint(UInt64(sourcePaths.count))
            for path in sourcePaths { header.string(path) }
            try file.appendRaw(header.bytes)
        }

        mutating func append(_ record: borrowing ExtractedRecord) throws {
            // Records of one extractor share one names array: compared with itself, it is free.
            let inOrder =
                record.fieldNames.count == paths.count
                && (record.fieldNames == namesInOrder || record.fieldNames == paths)
            if inOrder { namesInOrder = record.fieldNames }
            // One reservation for the whole record: the locator and the defect (at most six
            // values), then one value per source path.
            var room = (6 + paths.count) * BinaryWriter.Room.mostBeyondText
            room += (record.defect?.field?.utf8.count ?? 0) + (record.defect?.message.utf8.count ?? 0)
            if inOrder {
                room += record.values.withUnsafeBufferPointer { $0.reduce(0) { $0 + ($1?.utf8.count ?? 0) } }
            } else {
                for path in paths { room += record[field: path]?.utf8.count ?? 0 }
            }
            let paths = self.paths
            file.block.withRoom(room) { block in
                block.int(record.locator.record)
                block.optionalInt(record.locator.line)
                block.optionalInt(record.locator.byteOffset)
                if let defect = record.defect {
                    block.varint(1)
                    block.optionalString(defect.field)
                    block.string(defect.message)
                } else {
                    block.varint(0)
                }
                if inOrder {
                    block.optionalStrings(record.values)
                } else {
                    for path in paths { block.optionalString(record[field: path]) }
                }
            }
            try file.endItem()
        }

        /// Stages every record of `batch`, in order: the same bytes as `append(_:)` of each
        /// record as an `ExtractedRecord`, written from the batch's bytes in place.
        mutating func append(_ batch: RecordBatch) throws {
            if batch.fieldNames != batchNames {
                batchNames = batch.fieldNames
                batchSlots = paths.map { batch.fieldNames.firstIndex(of: $0) ?? -1 }
            }
            let slots = batchSlots
            try batch.withRows { rows in
                for index in 0..<rows.count {
                    let row = rows[index]
                    let defect = row.defect
                    var room = (6 + slots.count) * BinaryWriter.Room.mostBeyondText
                    room += (defect?.field?.utf8.count ?? 0) + (defect?.message.utf8.count ?? 0)
                    room += row.valuesUTF8Count
                    file.block.withRoom(room) { block in
                        block.int(row.sourceRecord)
                        block.optionalInt(row.line)
                        block.optionalInt(row.byteOffset)
                        if let defect {
                            block.varint(1)
                            block.optionalString(defect.field)
                            block.string(defect.message)
                        } else {
                            block.varint(0)
                        }
                        for slot in slots {
                            if slot < 0 { block.optionalUTF8(nil) } else { row.withUTF8(at: slot) { block.optionalUTF8($0) } }
                        }
                    }
                    try file.endItem()
                }
            }
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
