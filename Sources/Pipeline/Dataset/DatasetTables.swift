import Normalize
import Parquet

/// The three published tables and their Parquet schemas (DESIGN.md section 5).
public enum DatasetTable: String, Sendable, CaseIterable {
    case cases
    case contacts
    case quarantine

    public var schema: ParquetSchema {
        switch self {
        case .cases:
            ParquetSchema([
                .init("member_id", .byteArray, logical: .string, .required),
                .init("country", .byteArray, logical: .string, .required),
                .init("case_key", .byteArray, logical: .string, .required),
                .init("child_key", .byteArray, logical: .string, .required),
                .init("case_status", .byteArray, logical: .string, .required),
                .init("opened_on", .int32, logical: .date, .required),
                .init("closed_on", .int32, logical: .date, .optional),
                .init("category", .byteArray, logical: .string, .required),
                .init("cross_border", .boolean, .optional),
                .init("destination_country", .byteArray, logical: .string, .optional),
                .init("child_age", .int32, logical: .integer(bitWidth: 8, signed: true), .optional),
                .init("child_gender", .byteArray, logical: .string, .required),
                .init("repeat_missing", .boolean, .optional),
                .init("violence_experienced", .boolean, .optional),
                .init("outcome", .byteArray, logical: .string, .required),
                .init("found_by", .byteArray, logical: .string, .optional),
                .init("days_missing", .int32, .optional),
                .init("first_channel", .byteArray, logical: .string, .optional),
                .init("source_file", .byteArray, logical: .string, .required),
                .init("source_record", .int64, .required),
            ])
        case .contacts:
            ParquetSchema([
                .init("member_id", .byteArray, logical: .string, .required),
                .init("country", .byteArray, logical: .string, .required),
                .init("month", .int32, logical: .integer(bitWidth: 8, signed: true), .required),
                .init("channel", .byteArray, logical: .string, .required),
                .init("contact_type", .byteArray, logical: .string, .required),
                .init("count", .int64, .required),
                .init("source_file", .byteArray, logical: .string, .required),
                .init("source_record", .int64, .required),
            ])
        case .quarantine:
            ParquetSchema([
                .init("member_id", .byteArray, logical: .string, .required),
                .init("source_file", .byteArray, logical: .string, .required),
                .init("source_record", .int64, .required),
                .init("field", .byteArray, logical: .string, .optional),
                .init("reason", .byteArray, logical: .string, .required),
                .init("value", .byteArray, logical: .string, .optional),
                .init("message", .byteArray, logical: .string, .required),
            ])
        }
    }
}

/// Appends rows to column buffers in the tables' schema order.
enum DatasetColumns {
    static func append(_ row: CaseRow, to columns: inout [ParquetColumnBuffer]) {
        columns[0].append(string: row.memberID)
        columns[1].append(string: row.country)
        columns[2].append(string: row.caseKey)
        columns[3].append(string: row.childKey)
        columns[4].append(string: row.caseStatus)
        columns[5].append(Int32(row.openedOn.daysSinceEpoch))
        append(row.closedOn.map { Int32($0.daysSinceEpoch) }, to: &columns[6])
        columns[7].append(string: row.category)
        append(row.crossBorder, to: &columns[8])
        append(row.destinationCountry, to: &columns[9])
        append(row.childAge.map(Int32.init), to: &columns[10])
        columns[11].append(string: row.childGender)
        append(row.repeatMissing, to: &columns[12])
        append(row.violenceExperienced, to: &columns[13])
        columns[14].append(string: row.outcome)
        append(row.foundBy, to: &columns[15])
        append(row.daysMissing.map(Int32.init), to: &columns[16])
        append(row.firstChannel, to: &columns[17])
        columns[18].append(string: row.sourceFile)
        columns[19].append(Int64(row.sourceRecord))
    }

    static func append(_ row: ContactRow, to columns: inout [ParquetColumnBuffer]) {
        columns[0].append(string: row.memberID)
        columns[1].append(string: row.country)
        columns[2].append(Int32(row.month))
        columns[3].append(string: row.channel)
        columns[4].append(string: row.contactType)
        columns[5].append(Int64(row.count))
        columns[6].append(string: row.sourceFile)
        columns[7].append(Int64(row.sourceRecord))
    }

    static func append(_ row: QuarantineRow, to columns: inout [ParquetColumnBuffer]) {
        columns[0].append(string: row.memberID)
        columns[1].append(string: row.sourceFile)
        columns[2].append(Int64(row.sourceRecord))
        append(row.field, to: &columns[3])
        columns[4].append(string: row.reason.rawValue)
        append(row.value, to: &columns[5])
        columns[6].append(string: row.message)
    }

    private static func append(_ value: String?, to column: inout ParquetColumnBuffer) {
        if let value { column.append(string: value) } else { column.appendNull() }
    }

    private static func append(_ value: Int32?, to column: inout ParquetColumnBuffer) {
        if let value { column.append(value) } else { column.appendNull() }
    }

    private static func append(_ value: Bool?, to column: inout ParquetColumnBuffer) {
        if let value { column.append(value) } else { column.appendNull() }
    }
}
