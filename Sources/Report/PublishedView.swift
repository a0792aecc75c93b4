/// Read access to the published (suppressed) values of the tables, for the page and the summary:
/// they only ever see what the CSV files show.
struct PublishedView {
    let tables: [String: ReportTable]
    let suppression: SuppressionResult
    let year: Int
    let previousYear: Int?

    init(tables: [ReportTable], suppression: SuppressionResult, year: Int, previousYear: Int?) {
        self.tables = Dictionary(uniqueKeysWithValues: tables.map { ($0.id, $0) })
        self.suppression = suppression
        self.year = year
        self.previousYear = previousYear
    }

    var threshold: Int { suppression.threshold }
    var hidden: String { "<\(suppression.threshold)" }

    func table(_ id: String) -> ReportTable { tables[id]! }

    func value(_ id: String, row: String, column: String) -> ReportValue? {
        let t = table(id)
        guard let c = t.header.firstIndex(of: column),
            let r = t.rows.firstIndex(where: { $0.first == .text(row) })
        else { return nil }
        return t.rows[r][c]
    }

    /// The published count, or nil when hidden or absent.
    func count(_ id: String, row: String, column: String) -> Int? {
        switch value(id, row: row, column: column) {
        case .count(let c): return suppression.isSuppressed(c) ? nil : c.value
        case .number(let n): return n
        default: return nil
        }
    }

    /// The cell as published ("<5", "12", "" ...).
    func text(_ id: String, row: String, column: String) -> String {
        value(id, row: row, column: column)?.csvText(suppression) ?? ""
    }

    /// Row labels of a table (first column), without ALL.
    func rowCodes(_ id: String) -> [String] {
        table(id).rows.compactMap { if case .text(let t) = $0.first, t != "ALL" { t } else { nil } }
    }
}
