import DatasetContract

/// The digests of case rows' keys, row by row, beside the `case_key` and `child_key` columns that
/// hold the same keys as hex: taken from the staged keys' bytes as the load decodes them, so the
/// report's counters need not parse the hex back (`YearCounter.fold(_:columns:keyDigests:)`).
struct KeyDigestColumns: Sendable {
    var caseKeys: [KeyDigest] = []
    var childKeys: [KeyDigest] = []

    /// The two key columns' names in the cases table (third and fourth, where the decoder puts them).
    static let caseKeyColumn = DatasetTable.cases.schema.columns[2].name
    static let childKeyColumn = DatasetTable.cases.schema.columns[3].name

    init(reservingCapacity capacity: Int = 0) {
        caseKeys.reserveCapacity(capacity)
        childKeys.reserveCapacity(capacity)
    }

    /// The digests by column name, as `YearCounter.fold` takes them.
    var byColumn: [String: [KeyDigest]] {
        [Self.caseKeyColumn: caseKeys, Self.childKeyColumn: childKeys]
    }
}
