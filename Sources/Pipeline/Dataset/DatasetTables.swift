import DatasetContract
import Normalize
import Parquet

/// Appends quarantine rows to column buffers in the table's schema order. (Case and contact rows
/// go from the staged bytes straight into their columns: `StagedRows.Reader.appendCaseRow`.)
enum DatasetColumns {
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
}
