/// One published table: a CSV file under `tables/` and a section of the HTML page.
///
/// Count cells carry a key; cells with the same key in different tables are the same number
/// (the "all" row of new cases per member is the category chart), so suppression treats them
/// as one. Shares, medians and changes name the count cells they are computed from and are left
/// blank when any of those is suppressed, so they cannot reveal a hidden count.
public struct ReportTable: Sendable, Equatable {
    /// The file name without `.csv`, e.g. `cross_border`.
    public var id: String
    public var title: String
    public var header: [String]
    public var rows: [[ReportValue]]
    /// Lines (rows and columns with their totals) that suppression must protect.
    public var lines: [SuppressionLine]
    /// What the figure rests on.
    public var basis: FigureBasis

    public init(
        id: String, title: String, header: [String], rows: [[ReportValue]], lines: [SuppressionLine],
        basis: FigureBasis
    ) {
        self.id = id
        self.title = title
        self.header = header
        self.rows = rows
        self.lines = lines
        self.basis = basis
    }
}

/// How many hotlines and dataset records a figure rests on, and what a record is.
public struct FigureBasis: Sendable, Equatable {
    public var hotlines: Int
    public var records: Int
    /// e.g. "children in cases worked on with cross-border recorded".
    public var unit: String

    public init(hotlines: Int, records: Int, unit: String) {
        self.hotlines = hotlines
        self.records = records
        self.unit = unit
    }
}

/// A count cell: its identity across tables and its true value.
public struct CountCell: Sendable, Hashable {
    public var key: String
    public var value: Int

    public init(_ key: String, _ value: Int) {
        self.key = key
        self.value = value
    }
}

/// A row or column of counts and, when published, their total: if exactly one of them were
/// hidden, it could be recovered by subtraction.
public struct SuppressionLine: Sendable, Equatable {
    public var members: [CountCell]
    public var total: CountCell?

    public init(members: [CountCell], total: CountCell?) {
        self.members = members
        self.total = total
    }
}

/// A cell of a table.
public enum ReportValue: Sendable, Equatable {
    /// A label or a code.
    case text(String)
    /// A number that is never suppressed (hotlines).
    case number(Int)
    /// A count of people or contacts; shown as "<threshold" when below it, "c" when hidden to
    /// protect another cell.
    case count(CountCell)
    /// numerator / denominator in percent with one decimal; blank if a cell it uses is hidden
    /// or the denominator is 0.
    case percent(numerator: CountCell, denominator: CountCell)
    /// A median (stored doubled, so halves are exact) of `n` values; blank when `n` is below the
    /// threshold or zero.
    case median(twice: Int?, n: Int)
    /// Whole-percent change from `previous` to `current`; blank when either is hidden or the
    /// previous value is missing or 0.
    case change(current: CountCell, previous: CountCell?)
    /// Whole-percent change between two numbers that are never suppressed (hotlines).
    case numberChange(current: Int, previous: Int?)
    /// Nothing (e.g. no previous year).
    case empty
}

/// The suppression decision for every count key.
public struct SuppressionResult: Sendable, Equatable {
    public var threshold: Int
    public var suppressed: Set<String>

    public func isSuppressed(_ cell: CountCell) -> Bool { suppressed.contains(cell.key) }
}

// MARK: Formatting shared by CSV, HTML and Markdown

enum Format {
    /// Percent with one decimal, rounded half up, from integers only (so DuckDB can recompute it
    /// exactly: `(2000 * num + den) // (2 * den)` per mille).
    static func percent(_ numerator: Int, _ denominator: Int) -> String? {
        guard denominator > 0 else { return nil }
        let perMille = (2000 * numerator + denominator) / (2 * denominator)
        return "\(perMille / 10).\(perMille % 10)"
    }

    /// Whole-percent change, rounded half away from zero, with a sign: "+17", "-3", "0".
    static func change(current: Int, previous: Int) -> String? {
        guard previous > 0 else { return nil }
        let d = current - previous
        let magnitude = (200 * abs(d) + previous) / (2 * previous)
        if magnitude == 0 { return "0" }
        return (d > 0 ? "+" : "-") + String(magnitude)
    }

    static func median(twice: Int) -> String {
        twice % 2 == 0 ? String(twice / 2) : "\(twice / 2).5"
    }

    /// 12345 -> "12,345" (for the page and the summary; CSV files hold plain digits).
    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }
}

extension ReportValue {
    /// The published text of the cell ("" when blank), as in the CSV file.
    func csvText(_ s: SuppressionResult) -> String {
        switch self {
        case .text(let t): return t
        case .number(let n): return String(n)
        case .count(let c):
            guard s.isSuppressed(c) else { return String(c.value) }
            // Below the threshold: "<5"; hidden only so that a small count cannot be worked out
            // from a total: "c" (confidential).
            return c.value > 0 && c.value < s.threshold ? "<\(s.threshold)" : "c"
        case .percent(let num, let den):
            if s.isSuppressed(num) || s.isSuppressed(den) { return "" }
            return Format.percent(num.value, den.value) ?? ""
        case .median(let twice, let n):
            guard let twice, n > 0, n >= s.threshold else { return "" }
            return Format.median(twice: twice)
        case .change(let current, let previous):
            guard let previous, !s.isSuppressed(current), !s.isSuppressed(previous) else { return "" }
            return Format.change(current: current.value, previous: previous.value) ?? ""
        case .numberChange(let current, let previous):
            guard let previous else { return "" }
            return Format.change(current: current, previous: previous) ?? ""
        case .empty: return ""
        }
    }
}
