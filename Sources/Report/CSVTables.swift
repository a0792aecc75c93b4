import Foundation

/// Writes each table as CSV: a header row, then one row per table row, comma-separated, LF line
/// ends, UTF-8, quoted only where a field holds a comma, a quote or a line break. Counts from 1
/// to threshold - 1 read "<5"; counts hidden only so that such a count cannot be worked out from
/// a total read "c"; shares, medians and changes that would reveal a hidden count are empty.
enum CSVTables {
    static func render(_ table: ReportTable, _ s: SuppressionResult) -> String {
        var out = line(table.header)
        for row in table.rows { out += line(row.map { $0.csvText(s) }) }
        return out
    }

    /// `figures.csv`: what every table rests on.
    static func figures(_ tables: [ReportTable]) -> String {
        var out = line(["table", "title", "hotlines", "records", "unit"])
        for t in tables {
            out += line([t.id, t.title, String(t.basis.hotlines), String(t.basis.records), t.basis.unit])
        }
        return out
    }

    static func line(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ",") + "\n"
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
