import DatasetContract
import Parquet

/// Counts one year's figures from the rows the load stage is writing, batch by batch, so that a
/// run that loads and reports does not read the year back from the dataset. Fold exactly the
/// rows the dataset gets (after duplicates are folded) and the report is the same, byte for
/// byte, as one built from the published files (`AnnualReport.build(datasetDirectory:...)`).
/// Memory stays bounded like the report's own reading: fixed counters, and distinct cases and
/// children counted in a folder under TMPDIR beyond a few MiB.
public struct YearCounter {
    private var aggregate: YearAggregate

    /// Counts `year` with every table of the report.
    public init(year: Int) {
        self.init(year: year, tally: TallySettings())
    }

    init(year: Int, tally: TallySettings) {
        aggregate = YearAggregate(year: year, detail: true, tally: tally)
    }

    /// Adds a batch of `table`'s rows, one buffer per column of its schema, in schema order.
    /// Quarantine rows are not counted by the report; passing them does nothing. `keyDigests`
    /// may hold, by column name, the `KeyDigest` of every row's key in a key column (the load
    /// has them from the keys' bytes): those are counted instead of parsing the column's hex.
    /// A list whose length is not the batch's row count is not used.
    public mutating func fold(
        _ table: DatasetTable, columns: [ParquetColumnBuffer], keyDigests: [String: [KeyDigest]] = [:]
    ) throws(ReportError) {
        guard table != .quarantine else { return }
        let names = table.schema.columns.map(\.name)
        guard columns.count == names.count else {
            throw ReportError(
                "a batch of \(table.rawValue) rows has \(columns.count) columns, the schema has \(names.count)")
        }
        let rows = columns.first?.count ?? 0
        func buffer(_ name: String) throws(ReportError) -> ParquetColumnBuffer {
            guard let index = names.firstIndex(of: name) else {
                throw ReportError("the \(table.rawValue) table has no column \"\(name)\"")
            }
            return columns[index]
        }
        func wrongType(_ name: String, _ expected: String) -> ReportError {
            ReportError("column \"\(name)\" of the \(table.rawValue) rows being loaded is not \(expected)")
        }
        switch table {
        case .cases:
            try aggregate.fold(cases: ColumnBufferRows<CaseColumn>(
                rowCount: rows, buffer: buffer, wrongType: wrongType, keyDigests: keyDigests))
        case .contacts:
            try aggregate.fold(
                contacts: ColumnBufferRows<ContactColumn>(rowCount: rows, buffer: buffer, wrongType: wrongType))
        case .quarantine:
            break
        }
    }

    /// The year's counts, ready for `AnnualReport.build(datasetDirectory:year:threshold:counted:)`.
    public consuming func finish() throws(ReportError) -> CountedYear {
        CountedYear(counts: try aggregate.finish())
    }
}

/// One year's figures counted by `YearCounter`, handed from the load stage to the report.
public struct CountedYear: Sendable {
    let counts: YearCounts
    /// The year counted.
    public var year: Int { counts.year }
}
