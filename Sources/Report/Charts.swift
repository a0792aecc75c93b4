/// Inline SVG charts: horizontal bars with the label above each bar, so the text stays legible
/// when the page is narrow (the SVG scales with its container). Coordinates are written with
/// one decimal from integer arithmetic, so the same figures give the same bytes.
enum Charts {
    static let width = 480
    static let palette = ["#1b4f72", "#2e86c1", "#85c1e9", "#e59866", "#a04000"]
    static let barColor = "#2e86c1"
    static let totalColor = "#1b4f72"

    struct Bar {
        var label: String
        /// Text at the end of the bar, e.g. "57.5%" or "<5".
        var valueText: String
        /// 0...1, or nil for no bar (hidden or no data).
        var fraction: Double?
        var emphasis = false
    }

    /// One bar per item, scaled so that `scaleMax` fills the width.
    static func bars(id: String, title: String, _ items: [Bar], scaleMax: Double = 1) -> String {
        let rowHeight = 34
        let barArea = Double(width - 110)
        var svg = open(id: id, title: title, height: items.count * rowHeight + 4)
        for (i, item) in items.enumerated() {
            let y = i * rowHeight
            let weight = item.emphasis ? " font-weight=\"700\"" : ""
            svg += "<text x=\"0\" y=\"\(y + 13)\" class=\"l\"\(weight)>\(HTML.escape(item.label))</text>"
            let length = item.fraction.map { max(0, min(1, $0 / max(scaleMax, 1e-9))) * barArea } ?? 0
            svg += "<rect x=\"0\" y=\"\(y + 18)\" width=\"\(Int(barArea))\" height=\"12\" fill=\"#eef2f5\"/>"
            if item.fraction != nil {
                svg += "<rect x=\"0\" y=\"\(y + 18)\" width=\"\(fixed(length))\" height=\"12\" fill=\"\(item.emphasis ? totalColor : barColor)\"/>"
            }
            svg += "<text x=\"\(fixed(length + 5))\" y=\"\(y + 29)\" class=\"v\"\(weight)>\(HTML.escape(item.valueText))</text>"
        }
        return svg + "</svg>"
    }

    struct Stack {
        var label: String
        /// Published counts per segment (nil = hidden).
        var counts: [Int?]
        /// The published total of the row (nil = hidden).
        var total: Int?
        var note: String = ""
        var emphasis = false
    }

    /// 100% stacked bars. Hidden cells are drawn together as one hatched segment (their sum is
    /// the total minus the visible cells, which anyone can compute from the table).
    static func stacks(id: String, title: String, _ rows: [Stack]) -> String {
        let rowHeight = 40
        let barArea = Double(width)
        var svg = open(id: id, title: title, height: rows.count * rowHeight + 4)
        svg += "<defs><pattern id=\"h-\(id)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
            + "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#e5e8eb\"/>"
            + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#9aa5b1\" stroke-width=\"2\"/></pattern></defs>"
        for (i, row) in rows.enumerated() {
            let y = i * rowHeight
            let weight = row.emphasis ? " font-weight=\"700\"" : ""
            let note = row.note.isEmpty ? "" : " <tspan class=\"n\">\(HTML.escape(row.note))</tspan>"
            svg += "<text x=\"0\" y=\"\(y + 14)\" class=\"l\"\(weight)>\(HTML.escape(row.label))\(note)</text>"
            guard let total = row.total, total > 0 else {
                svg += "<rect x=\"0\" y=\"\(y + 20)\" width=\"\(Int(barArea))\" height=\"18\" fill=\"#f4f6f8\"/>"
                svg += "<text x=\"6\" y=\"\(y + 33)\" class=\"v\">"
                    + (row.total == nil ? "too few records to show" : "no records") + "</text>"
                continue
            }
            var x = 0.0
            var visible = 0
            for (j, count) in row.counts.enumerated() {
                guard let count, count > 0 else { continue }
                visible += count
                let w = Double(count) / Double(total) * barArea
                svg += "<rect x=\"\(fixed(x))\" y=\"\(y + 20)\" width=\"\(fixed(w))\" height=\"18\" fill=\"\(palette[j % palette.count])\"/>"
                if w >= 34, let p = Format.percent(count, total) {
                    let text = String(p.prefix { $0 != "." }) + "%"
                    let ink = j < 2 ? "#fff" : "#111"
                    svg += "<text x=\"\(fixed(x + w / 2))\" y=\"\(y + 33)\" class=\"s\" fill=\"\(ink)\" text-anchor=\"middle\">\(text)</text>"
                }
                x += w
            }
            if visible < total {
                let w = Double(total - visible) / Double(total) * barArea
                svg += "<rect x=\"\(fixed(x))\" y=\"\(y + 20)\" width=\"\(fixed(w))\" height=\"18\" fill=\"url(#h-\(id))\"/>"
            }
        }
        return svg + "</svg>"
    }

    /// An HTML legend for stacked bars.
    static func legend(_ labels: [String], hiddenNote: Bool) -> String {
        var out = "<p class=\"legend\">"
        for (j, label) in labels.enumerated() {
            out += "<span><i style=\"background:\(palette[j % palette.count])\"></i>\(HTML.escape(label))</span>"
        }
        if hiddenNote { out += "<span><i class=\"hatch\"></i>small counts, not shown</span>" }
        return out + "</p>"
    }

    private static func open(id: String, title: String, height: Int) -> String {
        "<svg class=\"chart\" id=\"chart-\(id)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" "
            + "aria-label=\"\(HTML.escape(title))\">"
            + "<title>\(HTML.escape(title))</title>"
    }

    /// One decimal, from integer arithmetic.
    static func fixed(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(abs(tenths % 10))"
    }
}
