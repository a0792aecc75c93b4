/// Small-count suppression (docs/report.md, "Suppression").
///
/// 1. Primary: every count from 1 to threshold - 1 is hidden (shown as "<5"). Zero is shown: it
///    describes no child.
/// 2. Secondary: a line (a row or column together with its published total) in which exactly one
///    cell is hidden would give that cell away by subtraction, so one more cell of the line is
///    hidden: the smallest visible non-zero member (the first one in line order on a tie), or the
///    smallest visible zero when there is none, or else the total.
/// 3. Step 2 runs over all lines, in the order the tables list them, until nothing changes.
///    Cells are identified by key, so a number published in two tables is hidden in both.
public enum Suppression {
    public static func apply(
        cells: [CountCell], lines: [SuppressionLine], threshold: Int
    ) -> SuppressionResult {
        var hidden = Set<String>()
        for cell in cells where cell.value > 0 && cell.value < threshold {
            hidden.insert(cell.key)
        }
        for line in lines {
            for cell in line.members + (line.total.map { [$0] } ?? [])
            where cell.value > 0 && cell.value < threshold {
                hidden.insert(cell.key)
            }
        }
        var changed = true
        while changed {
            changed = false
            for line in lines {
                let all = line.members + (line.total.map { [$0] } ?? [])
                // A line without a published total and with one member reveals nothing more.
                guard line.total != nil || line.members.count > 1 else { continue }
                let hiddenCount = Set(all.filter { hidden.contains($0.key) }.map(\.key)).count
                guard hiddenCount == 1 else { continue }
                let visible = line.members.filter { !hidden.contains($0.key) }
                let pick =
                    smallest(visible.filter { $0.value > 0 }) ?? smallest(visible)
                    ?? line.total.flatMap { hidden.contains($0.key) ? nil : $0 }
                if let pick {
                    hidden.insert(pick.key)
                    changed = true
                }
            }
        }
        return SuppressionResult(threshold: threshold, suppressed: hidden)
    }

    /// Suppression over every count cell and line of `tables`, in table order.
    public static func apply(tables: [ReportTable], threshold: Int) -> SuppressionResult {
        var cells: [CountCell] = []
        for table in tables {
            for row in table.rows {
                for value in row {
                    switch value {
                    case .count(let c): cells.append(c)
                    case .percent(let n, let d): cells += [n, d]
                    case .change(let c, let p): cells += [c] + (p.map { [$0] } ?? [])
                    default: break
                    }
                }
            }
        }
        return apply(cells: cells, lines: tables.flatMap(\.lines), threshold: threshold)
    }

    private static func smallest(_ cells: [CountCell]) -> CountCell? {
        var best: CountCell?
        for cell in cells where best == nil || cell.value < best!.value { best = cell }
        return best
    }
}
