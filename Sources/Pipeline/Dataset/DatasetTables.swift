import DatasetContract
import Normalize
import Parquet

/// Appends decoded rows to column buffers in their table's schema order: the rows a live load
/// takes from the normalizer, and quarantine rows. (Rows read back from the staging area go from
/// the staged bytes straight into their columns, `StagedRows.Reader.appendCaseRow`; a test keeps
/// the two paths value for value equal, since a table's bytes must not depend on the path.)
enum DatasetColumns {
    static func append(_ row: CaseRow, to columns: inout [ParquetColumnBuffer]) {
        columns[0].append(string: row.memberID)
        columns[1].append(string: row.country)
        columns[2].append(string: row.caseKey)
        columns[3].append(string: row.childKey)
        columns[4].append(string: row.caseStatus)
        columns[5].append(Int32(row.openedOn.daysSinceEpoch))
        if let closed = row.closedOn { columns[6].append(Int32(closed.daysSinceEpoch)) } else { columns[6].appendNull() }
        columns[7].append(string: row.category)
        append(row.crossBorder, to: &columns[8])
        append(row.destinationCountry, to: &columns[9])
        append(row.childAge, to: &columns[10])
        columns[11].append(string: row.childGender)
        append(row.repeatMissing, to: &columns[12])
        append(row.violenceExperienced, to: &columns[13])
        columns[14].append(string: row.outcome)
        append(row.foundBy, to: &columns[15])
        append(row.daysMissing, to: &columns[16])
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

    private static func append(_ value: Bool?, to column: inout ParquetColumnBuffer) {
        if let value { column.append(value) } else { column.appendNull() }
    }

    /// Ages and days missing: the normalizer's ranges for them (`CanonicalField`) fit in 32 bits.
    private static func append(_ value: Int?, to column: inout ParquetColumnBuffer) {
        if let value { column.append(Int32(value)) } else { column.appendNull() }
    }
}
