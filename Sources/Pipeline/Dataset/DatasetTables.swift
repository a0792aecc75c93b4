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

/// Column-wise values of the tables, in schema order.
enum DatasetColumns {
    static func cases(_ rows: [CaseRow]) -> [ParquetColumnValues] {
        [
            strings(rows.map(\.memberID)), strings(rows.map(\.country)), strings(rows.map(\.caseKey)),
            strings(rows.map(\.childKey)), strings(rows.map(\.caseStatus)),
            .int32(rows.map { Int32($0.openedOn.daysSinceEpoch) }),
            .int32(rows.map { $0.closedOn.map { Int32($0.daysSinceEpoch) } }),
            strings(rows.map(\.category)), .boolean(rows.map(\.crossBorder)),
            strings(rows.map(\.destinationCountry)), .int32(rows.map { $0.childAge.map(Int32.init) }),
            strings(rows.map(\.childGender)), .boolean(rows.map(\.repeatMissing)),
            .boolean(rows.map(\.violenceExperienced)), strings(rows.map(\.outcome)),
            strings(rows.map(\.foundBy)), .int32(rows.map { $0.daysMissing.map(Int32.init) }),
            strings(rows.map(\.firstChannel)), strings(rows.map(\.sourceFile)),
            .int64(rows.map { Int64($0.sourceRecord) }),
        ]
    }

    static func contacts(_ rows: [ContactRow]) -> [ParquetColumnValues] {
        [
            strings(rows.map(\.memberID)), strings(rows.map(\.country)), .int32(rows.map { Int32($0.month) }),
            strings(rows.map(\.channel)), strings(rows.map(\.contactType)), .int64(rows.map { Int64($0.count) }),
            strings(rows.map(\.sourceFile)), .int64(rows.map { Int64($0.sourceRecord) }),
        ]
    }

    static func quarantine(_ rows: [QuarantineRow]) -> [ParquetColumnValues] {
        [
            strings(rows.map(\.memberID)), strings(rows.map(\.sourceFile)),
            .int64(rows.map { Int64($0.sourceRecord) }), strings(rows.map(\.field)),
            strings(rows.map(\.reason.rawValue)), strings(rows.map(\.value)), strings(rows.map(\.message)),
        ]
    }

    private static func strings(_ values: [String]) -> ParquetColumnValues {
        .byteArray(values.map { Array($0.utf8) })
    }

    private static func strings(_ values: [String?]) -> ParquetColumnValues {
        .byteArray(values.map { $0.map { Array($0.utf8) } })
    }
}
