import DatasetContract
import Normalize
import Parquet

/// The normalize stage's output for one submission: its case, contact and quarantine rows, in
/// reading order, pseudonymised and on the common taxonomy.
///
/// Beside the rows file (`X.rows`) lies `X.rows.keys`: the `KeyDigest` of every case row's child
/// key, in order, so the load stage can find duplicates without decoding every row twice. Both
/// files start with the same random generation number, so a keys file is never paired with rows
/// from another run.
///
/// Rows are compact: the member, country and source file are written only when they differ from
/// the previous row's (within one submission they never do), and pseudonyms as their 32 bytes
/// rather than 64 hex digits, which halves what the normalize stage writes and load reads.
enum StagedRows {
    static let magic = "HETLNRM3"
    static let keysMagic = "HETLKEY1"
    static let rowsPerBlock = 4096

    static func keysPath(_ rowsPath: String) -> String { rowsPath + ".keys" }

    /// What kind of row follows; its number is the row's first byte.
    enum Tag: UInt8 {
        case caseRow = 1, contactRow = 2, quarantineRow = 3
    }

    /// The previous row's member, country and source file (see `repeatedString`).
    struct Repeats {
        var member = ""
        var country = ""
        var file = ""
    }

    struct Writer {
        private var file: CountedBlockWriter
        private let keys: BlockFileWriter
        private var keyBlock: [UInt8] = []
        private var repeats = Repeats()
        private let tee: LiveTee?

        /// With `live`, each block of rows also goes there as it is written, with the child-key
        /// digests of its case rows (a live load decodes them as the load stage decodes the file).
        init(path: String, live: LiveLoad.Rows? = nil) throws {
            tee = live.map(LiveTee.init)
            let generation = UInt64.random(in: 1...UInt64.max)
            file = try CountedBlockWriter(path: path, magic: StagedRows.magic, itemsPerBlock: StagedRows.rowsPerBlock)
            keys = try BlockFileWriter(path: StagedRows.keysPath(path), magic: StagedRows.keysMagic)
            var header = BinaryWriter()
            header.varint(generation)
            try file.appendRaw(header.bytes)
            try keys.append(header.bytes)
            keyBlock.reserveCapacity(Self.keysPerBlock * 16)
            if let tee = tee { file.onBlock = { bytes, rows in tee.send(bytes, rows: rows) } }
        }

        /// Hands blocks to a live load until it stops taking them.
        private final class LiveTee {
            private var channel: LiveLoad.Rows?
            /// The child-key digests of the case rows of the block being filled.
            var keys: [KeyDigest] = []
            var isOpen: Bool { channel != nil }

            init(_ channel: LiveLoad.Rows) { self.channel = channel }

            func send(_ bytes: UnsafeRawBufferPointer, rows: Int) {
                if let channel, !channel.send(LiveLoad.Batch(bytes: Array(bytes), rows: rows, childKeys: keys)) {
                    self.channel = nil
                }
                keys.removeAll(keepingCapacity: true)
            }
        }

        static let keysPerBlock = 4096

        /// Stages `record` (taken, not copied: binding a copied row's fields cost a retain each).
        mutating func append(_ record: consuming NormalizedRecord) throws {
            let childKey: KeyDigest?
            // Each row is written into room reserved for all its fields at once.
            switch consume record {
            case .caseRow(let row):
                childKey = file.block.withRoom(Self.room(row)) { Self.encode(row, into: &$0, repeats: &repeats) }
            case .contactRow(let row):
                file.block.withRoom(Self.room(row)) { Self.encode(row, into: &$0, repeats: &repeats) }
                childKey = nil
            case .quarantined(let row):
                file.block.withRoom(Self.room(row)) { Self.encode(row, into: &$0, repeats: &repeats) }
                childKey = nil
            }
            if let digest = childKey {
                if let tee, tee.isOpen { tee.keys.append(digest) }
                withUnsafeBytes(of: digest.high.littleEndian) { keyBlock.append(contentsOf: $0) }
                withUnsafeBytes(of: digest.low.littleEndian) { keyBlock.append(contentsOf: $0) }
                if keyBlock.count == Self.keysPerBlock * 16 {
                    try keys.append(keyBlock)
                    keyBlock.removeAll(keepingCapacity: true)
                }
            }
            try file.endItem()
        }

        /// Commits the keys first: a crash in between leaves new keys beside old rows, which the
        /// generation number tells apart.
        mutating func commit() throws {
            if !keyBlock.isEmpty { try keys.append(keyBlock) }
            try keys.commit()
            try file.commit()
        }

        func abandon() {
            keys.abandon()
            file.abandon()
        }

        /// The most room each row's `encode` takes: every field at most `Room.mostBeyondText`
        /// bytes beyond its text's UTF-8 (an int, a bool or a tag takes less). Too little would
        /// trap, never overrun. (Summed field by field: an array of the texts would be allocated
        /// for every row.)
        private static func room(_ row: borrowing CaseRow) -> Int {
            // tag, member, country, 2 keys, status, 3 + 1 + 3 date parts, 11 fields from category
            // to first channel, file, record
            let fields = 26
            var text = row.memberID.utf8.count + row.country.utf8.count + 2 * Pseudonym.byteCount
            text += row.caseStatus.utf8.count + row.category.utf8.count
            text += row.childGender.utf8.count + row.outcome.utf8.count + row.sourceFile.utf8.count
            text += (row.destinationCountry?.utf8.count ?? 0) + (row.foundBy?.utf8.count ?? 0)
            text += row.firstChannel?.utf8.count ?? 0
            return fields * BinaryWriter.Room.mostBeyondText + text
        }

        private static func room(_ row: borrowing ContactRow) -> Int {
            let fields = 9  // tag, member, country, month, channel, type, count, file, record
            var text = row.memberID.utf8.count + row.country.utf8.count + row.channel.utf8.count
            text += row.contactType.utf8.count + row.sourceFile.utf8.count
            return fields * BinaryWriter.Room.mostBeyondText + text
        }

        private static func room(_ row: borrowing QuarantineRow) -> Int {
            let fields = 8  // tag, member, file, record, field, reason, value, message
            var text = row.memberID.utf8.count + row.sourceFile.utf8.count + row.reason.rawValue.utf8.count
            text += row.message.utf8.count + (row.field?.utf8.count ?? 0) + (row.value?.utf8.count ?? 0)
            return fields * BinaryWriter.Room.mostBeyondText + text
        }

        /// Encodes a case row; returns the digest of its child key.
        private static func encode(
            _ row: borrowing CaseRow, into block: inout BinaryWriter.Room, repeats: inout Repeats
        ) -> KeyDigest {
            block.varint(UInt64(Tag.caseRow.rawValue))
            block.repeatedString(row.memberID, previous: &repeats.member)
            block.repeatedString(row.country, previous: &repeats.country)
            block.key(row.caseKey)
            block.key(row.childKey)
            block.string(row.caseStatus)
            block.int(row.openedOn.year); block.int(row.openedOn.month); block.int(row.openedOn.day)
            if let closed = row.closedOn {
                block.varint(1); block.int(closed.year); block.int(closed.month); block.int(closed.day)
            } else {
                block.varint(0)
            }
            block.string(row.category); block.optionalBool(row.crossBorder)
            block.optionalString(row.destinationCountry); block.optionalInt(row.childAge)
            block.string(row.childGender); block.optionalBool(row.repeatMissing)
            block.optionalBool(row.violenceExperienced); block.string(row.outcome)
            block.optionalString(row.foundBy); block.optionalInt(row.daysMissing)
            block.optionalString(row.firstChannel)
            block.repeatedString(row.sourceFile, previous: &repeats.file); block.int(row.sourceRecord)
            return row.childKey.keyDigest
        }

        private static func encode(
            _ row: borrowing ContactRow, into block: inout BinaryWriter.Room, repeats: inout Repeats
        ) {
            block.varint(UInt64(Tag.contactRow.rawValue))
            block.repeatedString(row.memberID, previous: &repeats.member)
            block.repeatedString(row.country, previous: &repeats.country); block.int(row.month)
            block.string(row.channel); block.string(row.contactType); block.int(row.count)
            block.repeatedString(row.sourceFile, previous: &repeats.file); block.int(row.sourceRecord)
        }

        private static func encode(
            _ row: borrowing QuarantineRow, into block: inout BinaryWriter.Room, repeats: inout Repeats
        ) {
            block.varint(UInt64(Tag.quarantineRow.rawValue))
            block.repeatedString(row.memberID, previous: &repeats.member)
            block.repeatedString(row.sourceFile, previous: &repeats.file); block.int(row.sourceRecord)
            block.optionalString(row.field); block.string(row.reason.rawValue)
            block.optionalString(row.value); block.string(row.message)
        }
    }

    /// Decodes rows from staged bytes, keeping the repeated member, country and file from one
    /// row to the next: the one decoder behind both the staged rows file (`Reader`) and the
    /// blocks a live load receives as they are staged, so both give the same values.
    struct RowDecoder {
        private var repeats = Repeats()

        /// The kind of the row that starts at `block`'s position. Follow it with exactly one of
        /// `appendCaseRow`, `appendContactRow` or `row(_:from:)`.
        func tag(_ block: inout BinaryReader) throws(BinaryReader.Damaged) -> Tag {
            guard let tag = Tag(rawValue: UInt8(truncatingIfNeeded: try block.varint())) else {
                throw BinaryReader.Damaged()
            }
            return tag
        }

        /// The body of a `.caseRow` appended to the cases table's `columns` (schema order), and
        /// its case and child keys' digests to `keys`; returns its source record.
        mutating func appendCaseRow(
            _ block: inout BinaryReader, to columns: inout [ParquetColumnBuffer], keys: inout KeyDigestColumns
        ) throws(BinaryReader.Damaged) -> Int {
            columns[0].append(string: try block.repeatedString(previous: &repeats.member))
            columns[1].append(string: try block.repeatedString(previous: &repeats.country))
            keys.caseKeys.append(try block.appendKey(to: &columns[2]))
            keys.childKeys.append(try block.appendKey(to: &columns[3]))
            try block.appendString(to: &columns[4])
            columns[5].append(Int32(try Self.date(&block).daysSinceEpoch))
            if try block.varint() == 1 {
                columns[6].append(Int32(try Self.date(&block).daysSinceEpoch))
            } else {
                columns[6].appendNull()
            }
            try block.appendString(to: &columns[7])
            try block.appendOptionalBool(to: &columns[8])
            try block.appendOptionalString(to: &columns[9])
            try block.appendOptionalInt32(to: &columns[10])
            try block.appendString(to: &columns[11])
            try block.appendOptionalBool(to: &columns[12])
            try block.appendOptionalBool(to: &columns[13])
            try block.appendString(to: &columns[14])
            try block.appendOptionalString(to: &columns[15])
            try block.appendOptionalInt32(to: &columns[16])
            try block.appendOptionalString(to: &columns[17])
            columns[18].append(string: try block.repeatedString(previous: &repeats.file))
            let record = try block.int()
            columns[19].append(Int64(record))
            return record
        }

        /// The body of a `.contactRow` appended to the contacts table's `columns` (schema order).
        mutating func appendContactRow(
            _ block: inout BinaryReader, to columns: inout [ParquetColumnBuffer]
        ) throws(BinaryReader.Damaged) {
            columns[0].append(string: try block.repeatedString(previous: &repeats.member))
            columns[1].append(string: try block.repeatedString(previous: &repeats.country))
            guard let month = Int32(exactly: try block.int()) else { throw BinaryReader.Damaged() }
            columns[2].append(month)
            try block.appendString(to: &columns[3])
            try block.appendString(to: &columns[4])
            columns[5].append(Int64(try block.int()))
            columns[6].append(string: try block.repeatedString(previous: &repeats.file))
            columns[7].append(Int64(try block.int()))
        }

        /// The body of a row of kind `tag`, decoded.
        mutating func row(_ tag: Tag, from block: inout BinaryReader) throws(BinaryReader.Damaged) -> NormalizedRecord {
            switch tag {
            case .caseRow:
                let memberID = try block.repeatedString(previous: &repeats.member)
                let country = try block.repeatedString(previous: &repeats.country)
                let caseKey = try block.key(), childKey = try block.key(), status = try block.string()
                let openedOn = try Self.date(&block)
                let closedOn = try block.varint() == 1 ? try Self.date(&block) : nil
                let category = try block.string(), crossBorder = try block.optionalBool()
                let destination = try block.optionalString(), age = try block.optionalInt()
                let gender = try block.string(), repeatMissing = try block.optionalBool()
                let violence = try block.optionalBool(), outcome = try block.string()
                let foundBy = try block.optionalString(), days = try block.optionalInt()
                let channel = try block.optionalString()
                let file = try block.repeatedString(previous: &repeats.file), record = try block.int()
                return .caseRow(CaseRow(
                    memberID: memberID, country: country, caseKey: caseKey, childKey: childKey,
                    caseStatus: status, openedOn: openedOn, closedOn: closedOn, category: category,
                    crossBorder: crossBorder, destinationCountry: destination, childAge: age,
                    childGender: gender, repeatMissing: repeatMissing, violenceExperienced: violence,
                    outcome: outcome, foundBy: foundBy, daysMissing: days, firstChannel: channel,
                    sourceFile: file, sourceRecord: record))
            case .contactRow:
                let memberID = try block.repeatedString(previous: &repeats.member)
                let country = try block.repeatedString(previous: &repeats.country), month = try block.int()
                let channel = try block.string(), type = try block.string(), count = try block.int()
                let file = try block.repeatedString(previous: &repeats.file), record = try block.int()
                return .contactRow(ContactRow(
                    memberID: memberID, country: country, month: month, channel: channel, contactType: type,
                    count: count, sourceFile: file, sourceRecord: record))
            case .quarantineRow:
                let memberID = try block.repeatedString(previous: &repeats.member)
                let file = try block.repeatedString(previous: &repeats.file), record = try block.int()
                let field = try block.optionalString()
                guard let reason = QuarantineReason(rawValue: try block.string()) else { throw BinaryReader.Damaged() }
                let value = try block.optionalString(), message = try block.string()
                return .quarantined(QuarantineRow(
                    memberID: memberID, sourceFile: file, sourceRecord: record, field: field, reason: reason,
                    value: value, message: message))
            }
        }

        private static func date(_ block: inout BinaryReader) throws(BinaryReader.Damaged) -> CivilDate {
            let year = try block.int(), month = try block.int(), day = try block.int()
            guard let date = CivilDate(year: year, month: month, day: day) else { throw BinaryReader.Damaged() }
            return date
        }
    }

    /// Reads a staged rows file back, row by row.
    struct Reader {
        private var file: CountedBlockReader
        private var decoder = RowDecoder()
        /// The number shared with the keys file written in the same run.
        let generation: UInt64

        init(path: String) throws {
            file = try CountedBlockReader(path: path, magic: StagedRows.magic)
            generation = try StagedRows.generation(try file.rawBlock(), path: path)
        }

        mutating func next() throws -> NormalizedRecord? {
            guard let tag = try nextTag() else { return nil }
            return try row(tag)
        }

        // The load stage's path: the kind of each row first, then its body either straight into
        // the table's column buffers (no String per value) or, for rows it drops, decoded.

        /// Moves to the next row and reads its kind; nil after the last row. Follow it with exactly
        /// one of `appendCaseRow`, `appendContactRow` or `row(_:)`.
        mutating func nextTag() throws -> Tag? {
            guard try file.nextItem(damaged: damaged) else { return nil }
            do { return try decoder.tag(&file.block) } catch { throw damaged }
        }

        /// The body of a `.caseRow` appended to the cases table's `columns`, and its keys' digests
        /// to `keys`; returns its source record.
        mutating func appendCaseRow(to columns: inout [ParquetColumnBuffer], keys: inout KeyDigestColumns) throws -> Int {
            do { return try decoder.appendCaseRow(&file.block, to: &columns, keys: &keys) } catch { throw damaged }
        }

        /// The body of a `.contactRow` appended to the contacts table's `columns`.
        mutating func appendContactRow(to columns: inout [ParquetColumnBuffer]) throws {
            do { try decoder.appendContactRow(&file.block, to: &columns) } catch { throw damaged }
        }

        /// The body of a row of kind `tag`, decoded.
        mutating func row(_ tag: Tag) throws -> NormalizedRecord {
            do { return try decoder.row(tag, from: &file.block) } catch { throw damaged }
        }

        private var damaged: StagingError {
            StagingError("\(file.path) is damaged; rerun the normalize stage")
        }
    }

    static func generation(_ header: [UInt8]?, path: String) throws -> UInt64 {
        var reader = BinaryReader(header ?? [])
        guard let generation = try? reader.varint(), reader.isAtEnd else {
            throw StagingError("\(path) has a damaged header; rerun the normalize stage")
        }
        return generation
    }

    /// Reads a keys file: the child-key digests of the case rows, in order.
    struct KeysReader {
        private var file: BlockFileReader
        let generation: UInt64

        init(path: String) throws {
            file = try BlockFileReader(path: path, magic: StagedRows.keysMagic)
            generation = try StagedRows.generation(try file.next(), path: path)
        }

        /// Calls `body` with each digest in order.
        mutating func forEach(_ body: (KeyDigest) throws -> Void) throws {
            while let block = try file.next() {
                guard block.count % 16 == 0 else {
                    throw StagingError("\(file.path) is damaged; rerun the normalize stage")
                }
                for start in stride(from: 0, to: block.count, by: 16) {
                    let (high, low) = block.withUnsafeBytes {
                        (UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: start, as: UInt64.self)),
                         UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self)))
                    }
                    try body(KeyDigest(high: high, low: low))
                }
            }
        }
    }
}
