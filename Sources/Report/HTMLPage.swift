/// The report page: one self-contained HTML file (inline CSS and SVG, no script, no external
/// resource, system fonts), readable on a phone and printed.
enum HTML {
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}

struct HTMLPage {
    let view: PublishedView

    private var year: Int { view.year }

    func render() -> String {
        var body = header()
        body += headlineCards()
        body += keyPoints()
        body += categorySection()
        body += circumstancesSection()
        body += foundSection()
        body += childrenSection()
        body += contactsSection()
        body += coverageSection()
        body += aboutSection()
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Missing children in Europe: figures and trends \(year)</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <main>
            \(body)
            </main>
            </body>
            </html>

            """
    }

    // MARK: Sections

    private func header() -> String {
        let hotlines = view.count("headline", row: "hotlines_reporting", column: "value") ?? 0
        return """
            <header><p class="kicker">116 000 hotlines for missing children</p>
            <h1>Missing children in Europe: figures and trends \(year)</h1>
            <p class="lede">Consolidated data from \(hotlines) hotline\(hotlines == 1 ? "" : "s") that reported for \(year). \
            Each figure states how many hotlines and records it rests on: not every hotline records every question, \
            and a hotline that did not record a question is left out of its figures rather than counted as "no".</p></header>

            """
    }

    private func headlineCards() -> String {
        func card(_ label: String, _ row: String, sub: String = "") -> String {
            let value = view.text("headline", row: row, column: "value")
            let shown = Int(value).map(Format.grouped) ?? value
            var change = ""
            let c = view.text("headline", row: row, column: "change_percent")
            if !c.isEmpty, let previousYear = view.previousYear {
                let cls = c.hasPrefix("+") ? "up" : c.hasPrefix("-") ? "down" : "flat"
                change = "<span class=\"change \(cls)\">\(HTML.escape(c))% on \(previousYear)</span>"
            }
            let basis = "\(view.text("headline", row: row, column: "hotlines")) hotlines · "
                + "\(Format.grouped(Int(view.text("headline", row: row, column: "records")) ?? 0)) records"
            return "<div class=\"card\"><p class=\"label\">\(label)</p><p class=\"big\">\(HTML.escape(shown))</p>"
                + change + (sub.isEmpty ? "" : "<p class=\"sub\">\(sub)</p>") + "<p class=\"basis\">\(basis)</p></div>"
        }
        let new = view.text("headline", row: "new_cases", column: "value")
        let ongoing = view.text("headline", row: "ongoing_cases", column: "value")
        let sub = "\(HTML.escape(Int(new).map(Format.grouped) ?? new)) new, "
            + "\(HTML.escape(Int(ongoing).map(Format.grouped) ?? ongoing)) still open from earlier years"
        return "<section class=\"cards\" aria-label=\"Headline figures\">"
            + card("Cases worked on", "cases_worked_on", sub: sub)
            + card("Children in those cases", "children")
            + card("Contacts with the hotlines", "contacts", sub: "calls, chats, e-mails and other channels")
            + card("Hotlines reporting", "hotlines_reporting")
            + "</section>\n"
    }

    private func keyPoints() -> String {
        let points = Summary.keyPoints(view)
        guard !points.isEmpty else { return "" }
        return "<section class=\"points\"><h2>Key points</h2><ul>"
            + points.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul></section>\n"
    }

    private func categorySection() -> String {
        let id = "new_cases_by_category"
        let total = view.count(id, row: "ALL", column: "new_cases")
        let bars = view.rowCodes(id).map { code -> Charts.Bar in
            let share = view.text(id, row: code, column: "share_percent")
            let n = view.count(id, row: code, column: "new_cases")
            let fraction = (n != nil && total != nil && total! > 0) ? Double(n!) / Double(total!) : nil
            let text = share.isEmpty ? "too few to show" : "\(share)% (\(Format.grouped(n ?? 0)))"
            return Charts.Bar(label: Codes.label(code), valueText: text, fraction: fraction)
        }
        let maxFraction = bars.compactMap(\.fraction).max() ?? 1
        var out = "<section><h2>Why children went missing</h2>"
        out += figure(
            id, title: "Share of new cases by category",
            chart: Charts.bars(id: id, title: "Share of new cases by category", bars, scaleMax: maxFraction),
            intro: "Each new case opened in \(year) counts once, however many children it involves.")
        out += figureTable("new_cases_by_member", title: "New cases per hotline and category", labels: true)
        return out + "</section>\n"
    }

    private func circumstancesSection() -> String {
        var out = "<section><h2>Circumstances and outcome</h2><div class=\"grid\">"
        out += yesNoFigure("cross_border", title: "Crossed or was taken across a border", column: "cross_border")
        out += yesNoFigure("repeat_missing", title: "Had gone missing before", column: "repeat_missing")
        out += yesNoFigure(
            "violence_experienced", title: "Experienced violence, abuse, neglect or exploitation",
            column: "violence_experienced")
        out += yesNoFigure(
            "found_within_year", title: "Found within \(year)", column: "found_within_year",
            intro: "Found alive or deceased, with the case closed in \(year), out of all children whose outcome was recorded.")
        return out + "</div></section>\n"
    }

    private func foundSection() -> String {
        var out = "<section><h2>Finding the children</h2>"
        out += stackedFigure(
            "time_missing", title: "Time missing until found", codes: Figures.timeBands.map(\.id),
            labels: Figures.timeBands.map(\.label))
        out += stackedFigure(
            "found_by", title: "Who found the child", codes: Codes.foundBy.map { $0.lowercased() },
            labels: Codes.foundBy.map(Codes.label))
        return out + "</section>\n"
    }

    private func childrenSection() -> String {
        var out = "<section><h2>The children</h2>"
        out += stackedFigure(
            "age", title: "Age when the case was opened, with the median age", codes: Figures.ageBands.map(\.id),
            labels: Figures.ageBands.map { "\($0.label) years" },
            note: { code in
                let m = view.text("age", row: code, column: "median_age")
                return m.isEmpty ? "" : "median \(m)"
            })
        out += stackedFigure(
            "gender", title: "Girls and boys", codes: Codes.genders.map { $0.lowercased() },
            labels: ["Girls", "Boys", "Other gender"])
        return out + "</section>\n"
    }

    private func contactsSection() -> String {
        let id = "contacts"
        let channels = view.rowCodes(id)
        let total = view.count(id, row: "ALL", column: "total")
        let bars = channels.map { code -> Charts.Bar in
            let n = view.count(id, row: code, column: "total")
            let fraction = (n != nil && (total ?? 0) > 0) ? Double(n!) / Double(total!) : nil
            let text = n.map { "\(Format.grouped($0)) (\(Format.percent($0, total ?? 0) ?? "")%)" } ?? view.hidden
            return Charts.Bar(label: Codes.label(code), valueText: text, fraction: fraction)
        }
        var out = "<section><h2>Contacts with the hotlines</h2>"
        out += figure(
            id, title: "Contacts by channel",
            chart: Charts.bars(id: id, title: "Contacts by channel", bars, scaleMax: bars.compactMap(\.fraction).max() ?? 1),
            intro: "Every call, chat, e-mail or message, including silent calls and requests for information.",
            table: true)
        return out + "</section>\n"
    }

    private func coverageSection() -> String {
        let t = view.table("coverage")
        var out = "<section><h2>Which hotline supplied which field</h2>"
        out += "<p>A field counts as supplied when the hotline gave a value for at least one record in \(year). "
            + "Figures on a field rest only on the hotlines marked ✓.</p>"
        out += "<div class=\"scroll\"><table class=\"coverage\"><thead><tr>"
        out += t.header.map { "<th>\(HTML.escape($0.replacingUnderscores()))</th>" }.joined() + "</tr></thead><tbody>"
        for row in t.rows {
            out += "<tr>"
            for (j, v) in row.enumerated() {
                let text = v.csvText(view.suppression)
                if j == 0 {
                    out += "<th>\(HTML.escape(text))</th>"
                } else {
                    out += text == "yes" ? "<td class=\"yes\">✓</td>" : "<td class=\"no\">–</td>"
                }
            }
            out += "</tr>"
        }
        out += "</tbody></table></div>"
        out += basisLine("coverage")
        return out + "</section>\n"
    }

    private func aboutSection() -> String {
        let t = view.threshold
        return """
            <section class="about"><h2>About these figures</h2>
            <ul>
            <li><b>Units.</b> Cases worked on are the cases opened in \(year) (new) plus cases opened earlier and still \
            worked on (ongoing). Category shares are shares of new cases. The other breakdowns count children in all \
            cases worked on (one record per child per case).</li>
            <li><b>Denominators.</b> Each share is taken over the records with a known value. A hotline that did not \
            record a field at all is left out of that field's figures, never counted as "no"; the line under each figure \
            says how many hotlines and records it rests on.</li>
            <li><b>Found within the year.</b> Outcome found (alive or deceased) and the case closed in \(year). A child \
            found without a closing date is not counted as found within the year.</li>
            <li><b>Time missing.</b> Under a week: 0-6 days; a week to a month: 7-30 days; one to six months: 31-182 \
            days; over six months: 183 days or more.</li>
            <li><b>Median age.</b> The middle age of the children with a recorded age; with an even number of children, \
            the mean of the two middle ages (so it may end in .5).</li>
            <li><b>Small numbers.</b> Counts from 1 to \(t - 1) are shown as "&lt;\(t)". Where a hidden count could be \
            worked out from a total, a second count in the same row or column is hidden too. Shares that would reveal a \
            hidden count are left out; in the charts hidden counts appear as a hatched segment.</li>
            <li><b>c</b> in a table marks a count hidden only so that a small count in the same row or column cannot be             worked out from the total; it may be large.</li>
            <li><b>Comparisons.</b> The set of hotlines that report changes from year to year, which affects \
            year-on-year changes\(view.previousYear.map { " (compared here with \($0))" } ?? "").</li>
            <li>All numbers are in the CSV files in the <a href="tables/">tables</a> folder next to this page.</li>
            </ul></section>

            """
    }

    // MARK: Building blocks

    private func yesNoFigure(_ id: String, title: String, column: String, intro: String = "") -> String {
        let rows = ["ALL"] + view.rowCodes(id)
        let bars = rows.map { code -> Charts.Bar in
            let share = view.text(id, row: code, column: "share_percent")
            let fraction = Double(share).map { $0 / 100 }
            let text: String
            if !share.isEmpty {
                text = "\(share)% of \(Format.grouped(view.count(id, row: code, column: "total") ?? 0))"
            } else {
                let total = view.text(id, row: code, column: "total")
                text = total == "0" ? "no records" : "too few to show"
            }
            return Charts.Bar(
                label: code == "ALL" ? "All children" : Codes.label(code), valueText: text, fraction: fraction,
                emphasis: code == "ALL")
        }
        return figure(id, title: title, chart: Charts.bars(id: id, title: title, bars), intro: intro)
    }

    private func stackedFigure(
        _ id: String, title: String, codes: [String], labels: [String], note: (String) -> String = { _ in "" }
    ) -> String {
        let rows = ["ALL"] + view.rowCodes(id)
        var anyHidden = false
        let stacks = rows.map { code -> Charts.Stack in
            let counts = codes.map { view.count(id, row: code, column: $0) }
            let total = view.count(id, row: code, column: "total")
            if counts.contains(where: { $0 == nil }) && (total ?? 0) > 0 { anyHidden = true }
            let n = view.text(id, row: code, column: "total")
            let basis = total.map { "(\(Format.grouped($0)))" } ?? (n.hasPrefix("<") ? "(\(n))" : "")
            let extra = note(code)
            return Charts.Stack(
                label: code == "ALL" ? "All children" : Codes.label(code), counts: counts, total: total,
                note: [basis, extra].filter { !$0.isEmpty }.joined(separator: " · "), emphasis: code == "ALL")
        }
        return figure(
            id, title: title, chart: Charts.legend(labels, hiddenNote: anyHidden) + Charts.stacks(id: id, title: title, stacks))
    }

    private func figure(_ id: String, title: String, chart: String, intro: String = "", table: Bool = false) -> String {
        var out = "<figure id=\"\(id)\"><h3>\(HTML.escape(title))</h3>"
        if !intro.isEmpty { out += "<p class=\"intro\">\(HTML.escape(intro))</p>" }
        out += chart
        if table { out += tableHTML(id, labels: true) }
        out += "<figcaption>" + basisText(id) + "</figcaption></figure>"
        return out
    }

    private func figureTable(_ id: String, title: String, labels: Bool) -> String {
        "<figure id=\"\(id)\"><h3>\(HTML.escape(title))</h3>" + tableHTML(id, labels: labels)
            + "<figcaption>" + basisText(id) + "</figcaption></figure>"
    }

    private func tableHTML(_ id: String, labels: Bool) -> String {
        let t = view.table(id)
        var out = "<div class=\"scroll\"><table><thead><tr>"
        out += t.header.enumerated().map { j, h in
            let text = j == 0 ? "" : (labels ? Codes.label(h.uppercased()) : h).replacingUnderscores()
            return "<th>\(HTML.escape(text == "TOTAL" ? "Total" : text))</th>"
        }.joined() + "</tr></thead><tbody>"
        for row in t.rows {
            let isTotal = row.first == .text("ALL")
            out += isTotal ? "<tr class=\"total\">" : "<tr>"
            for (j, v) in row.enumerated() {
                let text = v.csvText(view.suppression)
                if j == 0 {
                    out += "<th>\(HTML.escape(isTotal ? "All" : Codes.label(text)))</th>"
                } else {
                    out += "<td>\(HTML.escape(Int(text).map(Format.grouped) ?? text))</td>"
                }
            }
            out += "</tr>"
        }
        return out + "</tbody></table></div>"
    }

    private func basisText(_ id: String) -> String {
        let b = view.table(id).basis
        return "Rests on \(b.hotlines) hotline\(b.hotlines == 1 ? "" : "s") and \(Format.grouped(b.records)) "
            + "record\(b.records == 1 ? "" : "s"): \(HTML.escape(b.unit)). "
            + "Data: <a href=\"tables/\(id).csv\">tables/\(id).csv</a>"
    }

    private func basisLine(_ id: String) -> String { "<p class=\"basis-line\">" + basisText(id) + "</p>" }

    static let css = """
        :root{color-scheme:light;--ink:#1c2833;--muted:#566573;--line:#d5dbdf;--accent:#1b4f72}
        *{box-sizing:border-box}
        body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff;line-height:1.45;-webkit-text-size-adjust:100%}
        main{max-width:60rem;margin:0 auto;padding:1.25rem 1rem 3rem}
        header{border-bottom:3px solid var(--accent);margin-bottom:1.25rem}
        .kicker{text-transform:uppercase;letter-spacing:.08em;font-size:.8rem;color:var(--accent);margin:0;font-weight:700}
        h1{font-size:clamp(1.5rem,4vw,2.2rem);line-height:1.15;margin:.3rem 0 .6rem}
        h2{font-size:1.35rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
        h3{font-size:1.05rem;margin:0 0 .35rem}
        .lede{color:var(--muted);max-width:46rem}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.75rem}
        .card{border:1px solid var(--line);border-top:4px solid var(--accent);border-radius:6px;padding:.75rem .9rem;background:#fbfcfd}
        .card p{margin:0}
        .card .label{font-size:.9rem;color:var(--muted)}
        .card .big{font-size:2.1rem;font-weight:750;line-height:1.2;font-variant-numeric:tabular-nums}
        .card .sub{font-size:.85rem}
        .card .basis{font-size:.75rem;color:var(--muted);margin-top:.35rem}
        .change{display:inline-block;font-size:.85rem;font-weight:700;border-radius:1rem;padding:.05rem .55rem;margin:.15rem 0}
        .change.up{background:#fdebd0;color:#7e5109}.change.down{background:#d6eaf8;color:#1b4f72}.change.flat{background:#eaeded}
        .points{background:#f4f8fb;border-left:4px solid var(--accent);padding:.25rem 1rem .5rem;margin-top:1.25rem}
        .points h2{border:0;margin-top:.6rem;font-size:1.1rem}
        .points ul{margin:.25rem 0;padding-left:1.2rem}
        figure{margin:1.25rem 0 1.75rem;padding:0;break-inside:avoid;page-break-inside:avoid}
        .intro{margin:.1rem 0 .5rem;color:var(--muted);font-size:.92rem}
        svg.chart{display:block;width:100%;max-width:34rem;height:auto;font-size:14px}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:0 2rem}
        .grid figure{margin-top:.75rem}
        svg .l{fill:var(--ink)} svg .v{fill:var(--ink);font-variant-numeric:tabular-nums} svg .n{fill:var(--muted);font-weight:400}
        svg .s{font-size:12px;font-weight:700}
        figcaption,.basis-line{font-size:.8rem;color:var(--muted);margin-top:.4rem}
        .legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.85rem;margin:.25rem 0 .5rem}
        .legend i{display:inline-block;width:.85rem;height:.85rem;margin-right:.35rem;vertical-align:-.1rem;border-radius:2px}
        .legend i.hatch{background:repeating-linear-gradient(45deg,#9aa5b1 0 2px,#e5e8eb 2px 5px)}
        .scroll{overflow-x:auto}
        table{border-collapse:collapse;font-size:.85rem;font-variant-numeric:tabular-nums;margin:.25rem 0}
        th,td{padding:.3rem .55rem;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
        thead th{font-weight:600;color:var(--muted);vertical-align:bottom;white-space:normal;min-width:4.5rem}
        tbody th{text-align:left;font-weight:500}
        tr.total th,tr.total td{font-weight:700;border-top:2px solid var(--ink)}
        table.coverage td{text-align:center}
        td.yes{color:#196f3d;font-weight:700} td.no{color:#a6acaf}
        .about li{margin-bottom:.35rem}
        a{color:var(--accent)}
        *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
        @media (max-width:30rem){main{padding:.75rem .6rem 2rem}.card .big{font-size:1.7rem}svg.chart{font-size:16px}}
        @media print{@page{margin:14mm}body{font-size:10pt}main{max-width:none;padding:0}h2{break-after:avoid}
        .cards{grid-template-columns:repeat(4,1fr)}svg.chart{max-width:34rem}.scroll{overflow:visible}a{color:inherit;text-decoration:none}}
        """
}

extension String {
    func replacingUnderscores() -> String {
        String(map { $0 == "_" ? " " : $0 })
    }
}
