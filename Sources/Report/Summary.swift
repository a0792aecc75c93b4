/// The short Markdown summary `hotline-etl report` prints, and the plain-sentence key points the
/// page and the summary share. Both use published (suppressed) values only.
enum Summary {
    static func markdown(_ view: PublishedView) -> String {
        func value(_ row: String) -> String {
            let t = view.text("headline", row: row, column: "value")
            return Int(t).map(Format.grouped) ?? t
        }
        func change(_ row: String) -> String {
            let c = view.text("headline", row: row, column: "change_percent")
            guard !c.isEmpty, let previous = view.previousYear else { return "" }
            return ", \(c)% on \(previous)"
        }
        var lines = ["# Missing children in Europe: figures and trends \(view.year)", ""]
        lines.append("- Hotlines reporting: \(value("hotlines_reporting"))\(change("hotlines_reporting"))")
        lines.append("- Contacts: \(value("contacts"))\(change("contacts"))")
        lines.append(
            "- Cases worked on: \(value("cases_worked_on")) (\(value("new_cases")) new, \(value("ongoing_cases")) ongoing)"
                + change("cases_worked_on"))
        lines.append("- Children: \(value("children"))\(change("children"))")
        let channels = view.rowCodes("contacts").map { code -> String in
            let t = view.text("contacts", row: code, column: "total")
            return "\(Codes.label(code)) \(Int(t).map(Format.grouped) ?? t)"
        }
        if !channels.isEmpty { lines.append("- Contacts by channel: " + channels.joined(separator: "; ")) }
        let categories = view.rowCodes("new_cases_by_category").compactMap { code -> String? in
            let s = view.text("new_cases_by_category", row: code, column: "share_percent")
            return s.isEmpty ? "\(Codes.label(code)) \(view.text("new_cases_by_category", row: code, column: "new_cases")) cases" : "\(Codes.label(code)) \(s)%"
        }
        lines.append("- New cases by category: " + categories.joined(separator: "; "))
        let points = keyPoints(view)
        if !points.isEmpty {
            lines += ["", "## Key points", ""]
            lines += points.map { "- " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func hotlines(_ n: Int) -> String { n == 1 ? "1 hotline" : "\(n) hotlines" }

    /// Sentences for the figures that have a published overall share, each with its basis.
    static func keyPoints(_ view: PublishedView) -> [String] {
        var points: [String] = []
        // The largest category of new cases.
        let id = "new_cases_by_category"
        let shares = view.rowCodes(id).compactMap { code -> (String, Int, String)? in
            guard let n = view.count(id, row: code, column: "new_cases") else { return nil }
            let s = view.text(id, row: code, column: "share_percent")
            return s.isEmpty ? nil : (code, n, s)
        }
        if let top = shares.max(by: { $0.1 < $1.1 }) {
            points.append("\(Codes.label(top.0)) were the largest group: \(top.2)% of new cases.")
        }
        func share(_ table: String, _ sentence: String) {
            let s = view.text(table, row: "ALL", column: "share_percent")
            guard !s.isEmpty else { return }
            let b = view.table(table).basis
            points.append(
                sentence.replacingOccurrences("%", with: "\(s)%")
                    + " (\(hotlines(b.hotlines)), \(Format.grouped(b.records)) children).")
        }
        share("cross_border", "% of children crossed or were taken across a border")
        share("repeat_missing", "% had gone missing before")
        share("violence_experienced", "% had experienced violence, abuse, neglect or exploitation")
        share("found_within_year", "% were found within the year")
        if let week = view.count("time_missing", row: "ALL", column: "under_7_days"),
            let total = view.count("time_missing", row: "ALL", column: "total"),
            let p = Format.percent(week, total)
        {
            let b = view.table("time_missing").basis
            points.append(
                "Of the children found, \(p)% were found in under a week (\(hotlines(b.hotlines)), "
                    + "\(Format.grouped(b.records)) children).")
        }
        let girls = view.text("gender", row: "RUNAWAY", column: "share_percent")
        if !girls.isEmpty { points.append("Girls were \(girls)% of runaways whose gender was recorded.") }
        return points
    }
}

extension String {
    /// The first occurrence of `target` replaced (Foundation-free).
    func replacingOccurrences(_ target: Character, with replacement: String) -> String {
        guard let i = firstIndex(of: target) else { return self }
        return String(self[..<i]) + replacement + String(self[index(after: i)...])
    }
}
