import Normalize

/// The normalize stage's output for one submission: its case, contact and quarantine rows, in
/// reading order, pseudonymised and on the common taxonomy.
enum StagedRows {
    static let magic = "HETLNRM1"
    static let rowsPerBlock = 4096

    private enum Tag: UInt8 {
        case caseRow = 1, contactRow = 2, quarantineRow = 3
    }

    struct Writer {
        private var file: CountedBlockWriter

        init(path: String) throws {
            file = try CountedBlockWriter(path: path, magic: StagedRows.magic, itemsPerBlock: StagedRows.rowsPerBlock)
        }

        mutating func append(_ record: NormalizedRecord) throws {
            Self.encode(record, into: &file.block)
            try file.endItem()
        }

        mutating func commit() throws { try file.commit() }

        func abandon() { file.abandon() }

        private static func encode(_ record: NormalizedRecord, into block: inout BinaryWriter) {
            switch record {
            case .caseRow(let row):
                block.varint(UInt64(Tag.caseRow.rawValue))
                block.string(row.memberID); block.string(row.country); block.string(row.caseKey)
                block.string(row.childKey); block.string(row.caseStatus)
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
                block.optionalString(row.firstChannel); block.string(row.sourceFile); block.int(row.sourceRecord)
            case .contactRow(let row):
                block.varint(UInt64(Tag.contactRow.rawValue))
                block.string(row.memberID); block.string(row.country); block.int(row.month)
                block.string(row.channel); block.string(row.contactType); block.int(row.count)
                block.string(row.sourceFile); block.int(row.sourceRecord)
            case .quarantined(let row):
                block.varint(UInt64(Tag.quarantineRow.rawValue))
                block.string(row.memberID); block.string(row.sourceFile); block.int(row.sourceRecord)
                block.optionalString(row.field); block.string(row.reason.rawValue)
                block.optionalString(row.value); block.string(row.message)
            }
        }
    }

    struct Reader {
        private var file: CountedBlockReader

        init(path: String) throws {
            file = try CountedBlockReader(path: path, magic: StagedRows.magic)
        }

        mutating func next() throws -> NormalizedRecord? {
            guard try file.nextItem(damaged: damaged) else { return nil }
            do { return try Self.decode(&file.block) } catch { throw damaged }
        }

        private var damaged: StagingError {
            StagingError("\(file.path) is damaged; rerun the normalize stage")
        }

        private static func date(_ block: inout BinaryReader) throws(BinaryReader.Damaged) -> CivilDate {
            let year = try block.int(), month = try block.int(), day = try block.int()
            guard let date = CivilDate(year: year, month: month, day: day) else { throw BinaryReader.Damaged() }
            return date
        }

        private static func decode(_ block: inout BinaryReader) throws(BinaryReader.Damaged) -> NormalizedRecord {
            guard let tag = Tag(rawValue: UInt8(truncatingIfNeeded: try block.varint())) else {
                throw BinaryReader.Damaged()
            }
            switch tag {
            case .caseRow:
                let memberID = try block.string(), country = try block.string(), caseKey = try block.string()
                let childKey = try block.string(), status = try block.string()
                let openedOn = try date(&block)
                let closedOn = try block.varint() == 1 ? try date(&block) : nil
                let category = try block.string(), crossBorder = try block.optionalBool()
                let destination = try block.optionalString(), age = try block.optionalInt()
                let gender = try block.string(), repeatMissing = try block.optionalBool()
                let violence = try block.optionalBool(), outcome = try block.string()
                let foundBy = try block.optionalString(), days = try block.optionalInt()
                let channel = try block.optionalString(), file = try block.string(), record = try block.int()
                return .caseRow(CaseRow(
                    memberID: memberID, country: country, caseKey: caseKey, childKey: childKey,
                    caseStatus: status, openedOn: openedOn, closedOn: closedOn, category: category,
                    crossBorder: crossBorder, destinationCountry: destination, childAge: age,
                    childGender: gender, repeatMissing: repeatMissing, violenceExperienced: violence,
                    outcome: outcome, foundBy: foundBy, daysMissing: days, firstChannel: channel,
                    sourceFile: file, sourceRecord: record))
            case .contactRow:
                let memberID = try block.string(), country = try block.string(), month = try block.int()
                let channel = try block.string(), type = try block.string(), count = try block.int()
                let file = try block.string(), record = try block.int()
                return .contactRow(ContactRow(
                    memberID: memberID, country: country, month: month, channel: channel, contactType: type,
                    count: count, sourceFile: file, sourceRecord: record))
            case .quarantineRow:
                let memberID = try block.string(), file = try block.string(), record = try block.int()
                let field = try block.optionalString()
                guard let reason = QuarantineReason(rawValue: try block.string()) else { throw BinaryReader.Damaged() }
                let value = try block.optionalString(), message = try block.string()
                return .quarantined(QuarantineRow(
                    memberID: memberID, sourceFile: file, sourceRecord: record, field: field, reason: reason,
                    value: value, message: message))
            }
        }
    }
}
