import Extract

/// The extract stage's output for one submission: its records with only the mapped source
/// fields. Identifier fields are already replaced by keyed tokens, so no raw id is ever staged.
enum StagedRecords {
    static let magic = "HETLEXT1"
    static let recordsPerBlock = 4096

    /// Writes records as they arrive.
    struct Writer {
        private let file: BlockFileWriter
        private let paths: [String]
        private var block = BinaryWriter(capacity: 1 << 20)
        private var inBlock = 0

        init(path: String, sourcePaths: [String]) throws {
            file = try BlockFileWriter(path: path, magic: StagedRecords.magic)
            paths = sourcePaths
            var header = BinaryWriter()
            header.varint(UInt64(sourcePaths.count))
            for path in sourcePaths { header.string(path) }
            try file.append(header.bytes)
        }

        mutating func append(_ record: ExtractedRecord) throws {
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
            for path in paths { block.optionalString(record.fields[path]) }
            inBlock += 1
            if inBlock == StagedRecords.recordsPerBlock { try flush() }
        }

        private mutating func flush() throws {
            guard inBlock > 0 else { return }
            var counted = BinaryWriter(capacity: block.bytes.count + 8)
            counted.varint(UInt64(inBlock))
            try file.append(counted.bytes + block.bytes)
            block.removeAll()
            inBlock = 0
        }

        mutating func commit() throws {
            try flush()
            try file.commit()
        }

        func abandon() { file.abandon() }
    }

    /// Reads records back in order.
    struct Reader {
        private var file: BlockFileReader
        let sourcePaths: [String]
        private let fileName: String
        private var block = BinaryReader([])
        private var remainingInBlock = 0

        init(path: String, fileName: String) throws {
            file = try BlockFileReader(path: path, magic: StagedRecords.magic)
            self.fileName = fileName
            guard let headerBytes = try file.next() else { throw StagingError("\(path) has no header") }
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
            if remainingInBlock == 0 {
                guard let bytes = try file.next() else { return nil }
                block = BinaryReader(bytes)
                do { remainingInBlock = Int(try block.varint()) } catch {
                    throw StagingError("\(file.path) is damaged; rerun the extract stage")
                }
            }
            remainingInBlock -= 1
            do {
                let record = try block.int()
                let line = try block.optionalInt()
                let offset = try block.optionalInt()
                var defect: RecordDefect?
                if try block.varint() == 1 {
                    let field = try block.optionalString()
                    defect = RecordDefect(field: field, message: try block.string())
                }
                var fields: [String: String] = [:]
                for path in sourcePaths {
                    if let value = try block.optionalString() { fields[path] = value }
                }
                return ExtractedRecord(
                    locator: RecordLocator(file: fileName, record: record, line: line, byteOffset: offset),
                    fields: fields, defect: defect)
            } catch {
                throw StagingError("\(file.path) is damaged; rerun the extract stage")
            }
        }
    }
}
