import DatasetContract
import Parquet

/// Rows handed over as Parquet column buffers, fetched by column name: a row group of a dataset
/// file (read when a visitor asks for its column) or a batch the load stage is writing
/// (`YearCounter`). The visitors walk a buffer without making an object per value.
struct ColumnBufferRows<Column: RawRepresentable>: ColumnRows where Column.RawValue == String {
    let rowCount: Int
    /// The named column's buffer, or an error that names where it was looked for.
    let buffer: (String) throws(ReportError) -> ParquetColumnBuffer
    /// The error for a column that is not of the type the dataset schema says (name, expected).
    let wrongType: (String, String) -> ReportError
    /// Key columns' digests given by name, one a row (a batch the load stage is writing); a key
    /// column not here is digested from its hex.
    var keyDigests: [String: [KeyDigest]] = [:]

    private func bytes(_ column: Column) throws(ReportError) -> ParquetColumnBuffer {
        let values = try buffer(column.rawValue)
        guard values.physicalType == .byteArray else { throw wrongType(column.rawValue, "a STRING") }
        return values
    }

    func forEachString(_ column: Column, _ body: (Int, UnsafeRawBufferPointer?) -> Void) throws(ReportError) {
        try bytes(column).forEachByteValue(body)
    }

    func forEachDigest(
        _ column: Column, _ body: (Int, KeyDigest) throws(ReportError) -> Void
    ) throws(ReportError) {
        if let digests = keyDigests[column.rawValue], digests.count == rowCount {
            for row in digests.indices { try body(row, digests[row]) }
            return
        }
        let null = KeyDigest([])
        try bytes(column).forEachByteValue { (row, bytes) throws(ReportError) in
            try body(row, bytes.map { KeyDigest(utf8: $0.assumingMemoryBound(to: UInt8.self)) } ?? null)
        }
    }

    func forEachInt32(_ column: Column, _ body: (Int, Int32?) -> Void) throws(ReportError) {
        let values = try buffer(column.rawValue)
        switch values.physicalType {
        case .int32: values.forEachInt32(body)
        case .int64: values.forEachInt64 { row, value in body(row, value.map { Int32(clamping: $0) }) }
        default: throw wrongType(column.rawValue, "an INT32")
        }
    }

    func forEachInt64(_ column: Column, _ body: (Int, Int64?) -> Void) throws(ReportError) {
        let values = try buffer(column.rawValue)
        switch values.physicalType {
        case .int64: values.forEachInt64(body)
        case .int32: values.forEachInt32 { row, value in body(row, value.map(Int64.init)) }
        default: throw wrongType(column.rawValue, "an INT64")
        }
    }

    func forEachBoolean(_ column: Column, _ body: (Int, Bool?) -> Void) throws(ReportError) {
        let values = try buffer(column.rawValue)
        guard values.physicalType == .boolean else { throw wrongType(column.rawValue, "a BOOLEAN") }
        values.forEachBoolean(body)
    }
}
