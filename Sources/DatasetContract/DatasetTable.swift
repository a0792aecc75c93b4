import Parquet

/// The three published tables and their Parquet schemas (DESIGN.md section 5): the contract
/// between the load stage that writes them, the report that reads them, and every outside reader.
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
