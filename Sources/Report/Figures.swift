/// Computes every published table from one year's counts (and the previous year's, when its
/// partition exists). Definitions are in docs/report.md; each is restated here, where a row is
/// classified (the static functions `YearAggregate` applies to every row) or a table is laid out.
public struct Figures: Sendable {
    let current: YearCounts
    let previous: YearCounts?

    init(current: YearCounts, previous: YearCounts?) {
        self.current = current
        self.previous = previous
    }

    /// Time-missing bands in days (lower bound inclusive, upper bound inclusive; nil = open).
    public static let timeBands: [(id: String, label: String, lower: Int, upper: Int?)] = [
        ("under_7_days", "Under a week", 0, 6),
        ("7_to_30_days", "A week to a month", 7, 30),
        ("31_to_182_days", "One to six months", 31, 182),
        ("over_182_days", "Over six months", 183, nil),
    ]

    /// Age bands in years (inclusive).
    public static let ageBands: [(id: String, label: String, lower: Int, upper: Int)] = [
        ("age_0_5", "0-5", 0, 5), ("age_6_11", "6-11", 6, 11), ("age_12_14", "12-14", 12, 14),
        ("age_15_17", "15-17", 15, 17),
    ]

    /// The tables in publication order (which is also the order suppression visits their lines).
    public func tables() -> [ReportTable] {
        // Every taxonomy category always has a row (a stable layout); codes outside it, which the
        // normalizer does not let through, would follow in name order.
        let codes = current.categories.codes
        let categories = Array(0..<Codes.categories.count)
            + (Codes.categories.count..<codes.count).sorted { codes[$0] < codes[$1] }
        var tables = [headline(), contacts()]
        let (byCategory, byMember) = newCases(categories)
        tables += [byCategory, byMember]
        // Cross-border, repeat missing, violence: children (case rows) with a non-null value,
        // true in the first column, false in the second (`yesNo`).
        tables.append(
            yesNo(
                .crossBorder, id: "cross_border", title: "Cross-border cases", yes: "cross_border",
                no: "not_cross_border", categories: categories,
                unit: "children in cases worked on, where the hotline recorded whether a border was crossed"))
        tables.append(
            yesNo(
                .repeatMissing, id: "repeat_missing", title: "Children who had gone missing before",
                yes: "repeat_missing", no: "first_time", categories: categories,
                unit: "children in cases worked on, where the hotline recorded whether the child went missing before"))
        tables.append(
            yesNo(
                .violenceExperienced, id: "violence_experienced",
                title: "Violence, abuse, neglect or exploitation experienced",
                yes: "violence_experienced", no: "none_reported", categories: categories,
                unit: "children in cases worked on, where the hotline recorded whether violence was experienced"))
        // Found within the year: `foundWithinYear`.
        tables.append(
            yesNo(
                .foundWithinYear, id: "found_within_year", title: "Found within the year", yes: "found_within_year",
                no: "not_found_within_year", categories: categories,
                unit: "children in cases worked on whose outcome was recorded"))
        // Time missing: `timeBand`.
        tables.append(
            breakdown(
                .timeMissing, id: "time_missing", title: "Time missing until found",
                columns: Self.timeBands.map { ($0.id, $0.label) }, categories: categories,
                unit: "children found, where the hotline recorded the days missing"))
        // Who found the child: `foundByColumn`.
        tables.append(
            breakdown(
                .foundBy, id: "found_by", title: "Who found the child",
                columns: Codes.foundBy.map { ($0.lowercased(), Codes.label($0)) }, categories: categories,
                unit: "children found, where the hotline recorded who found them"))
        tables.append(age(categories))
        // Gender: `genderColumn`; the share is the share of girls.
        tables.append(
            breakdown(
                .gender, id: "gender", title: "Gender",
                columns: Codes.genders.map { ($0.lowercased(), Codes.label($0)) }, categories: categories,
                unit: "children in cases worked on whose gender was recorded (not UNKNOWN)",
                share: 0))
        tables.append(coverage())
        return tables
    }

    // MARK: Classifying a row (applied by `YearAggregate`)

    /// Yes/no fields (cross-border, repeat missing, violence, found within the year): true is
    /// the first column, false the second; null is not counted (a hotline that did not record
    /// the field is out of its denominator).
    static func yesNoColumn(_ value: Bool) -> Int { value ? 0 : 1 }

    /// The first and last day (days since 1970-01-01) of `year`.
    static func yearDays(_ year: Int) -> ClosedRange<Int32> {
        Int32(CivilDate.daysSinceEpoch(year: year, month: 1, day: 1))...Int32(
            CivilDate.daysSinceEpoch(year: year, month: 12, day: 31))
    }

    /// Whether an outcome code says the child was found: FOUND and FOUND_DECEASED are found,
    /// NOT_FOUND is not; nil when the outcome is not recorded (UNKNOWN, or any other code).
    static func outcomeFound(_ outcome: String) -> Bool? {
        guard Codes.knownOutcomes.contains(outcome) else { return nil }
        return Codes.found.contains(outcome)
    }

    /// Found within the year: outcome FOUND or FOUND_DECEASED **and** closed_on in the report
    /// year (`year`); the denominator is every child whose outcome was recorded (`found` not
    /// nil). A child found without a closing date counts as not found within the year.
    static func foundWithinYear(found: Bool?, closedOn: Int32?, year: ClosedRange<Int32>) -> Int? {
        guard let found else { return nil }
        guard found, let closed = closedOn else { return yesNoColumn(false) }
        return yesNoColumn(year.contains(closed))
    }

    /// The `timeBands` column of `days_missing`; nil for a negative value (not counted).
    static func timeBand(_ days: Int32) -> Int? {
        guard days >= 0 else { return nil }
        return timeBands.firstIndex { days >= $0.lower && (($0.upper.map { days <= $0 }) ?? true) }
    }

    /// The `ageBands` column of `child_age`; nil outside 0...17.
    static func ageBand(_ age: Int32) -> Int? {
        ageBands.firstIndex { age >= $0.lower && age <= $0.upper }
    }

    /// The ages the median age is taken over.
    static let medianAges: ClosedRange<Int32> = 0...17

    /// The `Codes.foundBy` column of `found_by`; nil for any other code (not counted).
    static func foundByColumn(_ code: String) -> Int? { Codes.foundBy.firstIndex(of: code) }

    /// The `Codes.genders` column of `child_gender`; nil for UNKNOWN (not recorded) or another code.
    static func genderColumn(_ code: String) -> Int? { Codes.genders.firstIndex(of: code) }

    /// Coverage of `child_gender` and `outcome`: recorded unless UNKNOWN.
    static func isRecorded(_ code: String) -> Bool { code != "UNKNOWN" }

    // MARK: Headline

    private struct Counts {
        var hotlines: Int
        var contacts: Int
        var contactMembers: Int
        var contactRows: Int
        var worked: Int
        var new: Int
        var ongoing: Int
        var children: Int
        var caseRows: Int
        var caseMembers: Int
        var newRows: Int
        var ongoingRows: Int
        var newMembers: Int
        var ongoingMembers: Int
    }

    /// Hotlines reporting: members with any `cases` or `contacts` row in the year. Contacts: the
    /// sum of `count`. Cases worked on: distinct (`member_id`, `case_key`); new and ongoing:
    /// those with `case_status` NEW or ONGOING; children: distinct (`member_id`, `case_key`,
    /// `child_key`) (counted by `YearAggregate` with `DistinctKeys`).
    private static func counts(_ d: YearCounts) -> Counts {
        let members = d.hasCases.indices.count(where: { d.hasCases[$0] || d.hasContacts[$0] })
        return Counts(
            hotlines: members, contacts: d.contactTotal, contactMembers: d.hasContacts.count(where: { $0 }),
            contactRows: d.contactRows, worked: d.worked, new: d.new, ongoing: d.ongoing, children: d.children,
            caseRows: d.caseRows, caseMembers: d.hasCases.count(where: { $0 }), newRows: d.newRows,
            ongoingRows: d.ongoingRows, newMembers: d.hasNew.count(where: { $0 }),
            ongoingMembers: d.hasOngoing.count(where: { $0 }))
    }

    private func headline() -> ReportTable {
        let now = Self.counts(current)
        let before = previous.map(Self.counts)
        func cell(_ key: String, _ n: Int) -> CountCell { CountCell(key, n) }
        func prev(_ key: String, _ pick: (Counts) -> Int) -> CountCell? {
            before.map { CountCell("previous|" + key, pick($0)) }
        }
        let contacts = cell("contacts|ALL|total", now.contacts)
        let worked = cell("headline|cases_worked_on", now.worked)
        let new = cell("new_cases_by_member|ALL|total", now.new)
        let ongoing = cell("headline|ongoing_cases", now.ongoing)
        let children = cell("headline|children", now.children)
        let pContacts = prev("contacts", \.contacts)
        let pWorked = prev("cases_worked_on", \.worked)
        let pNew = prev("new_cases", \.new)
        let pOngoing = prev("ongoing_cases", \.ongoing)
        let pChildren = prev("children", \.children)
        func row(_ name: String, _ c: CountCell, _ p: CountCell?, _ hotlines: Int, _ records: Int) -> [ReportValue] {
            [.text(name), .count(c), p.map { .count($0) } ?? .empty, .change(current: c, previous: p),
             .number(hotlines), .number(records)]
        }
        var lines = [SuppressionLine(members: [new, ongoing], total: worked)]
        if let pNew, let pOngoing, let pWorked {
            lines.append(SuppressionLine(members: [pNew, pOngoing], total: pWorked))
        }
        return ReportTable(
            id: "headline", title: "Headline figures",
            header: ["figure", "value", "previous_year", "change_percent", "hotlines", "records"],
            rows: [
                [.text("hotlines_reporting"), .number(now.hotlines), before.map { .number($0.hotlines) } ?? .empty,
                 .numberChange(current: now.hotlines, previous: before?.hotlines), .number(now.hotlines),
                 .number(now.caseRows + now.contactRows)],
                row("contacts", contacts, pContacts, now.contactMembers, now.contactRows),
                row("cases_worked_on", worked, pWorked, now.caseMembers, now.caseRows),
                row("new_cases", new, pNew, now.newMembers, now.newRows),
                row("ongoing_cases", ongoing, pOngoing, now.ongoingMembers, now.ongoingRows),
                row("children", children, pChildren, now.caseMembers, now.caseRows),
            ],
            lines: lines,
            basis: FigureBasis(
                hotlines: now.hotlines, records: now.caseRows + now.contactRows,
                unit: "case rows (one per child per case) and monthly contact counts"))
    }

    // MARK: Contacts

    /// The sum of `count` by `channel` x `contact_type` (codes present in the year, taxonomy order).
    private func contacts() -> ReportTable {
        let k = current
        let channels = Codes.ordered(Codes.channels, present: Set(k.channels.codes))
        let types = Codes.ordered(Codes.contactTypes, present: Set(k.contactTypes.codes))
        var counts = Array(repeating: Array(repeating: 0, count: types.count), count: channels.count)
        let channelIndex = Dictionary(uniqueKeysWithValues: channels.enumerated().map { ($1, $0) })
        let typeIndex = Dictionary(uniqueKeysWithValues: types.enumerated().map { ($1, $0) })
        for (cell, sum) in k.contactCounts {
            let channel = k.channels.codes[cell >> 32], type = k.contactTypes.codes[cell & 0xffff_ffff]
            counts[channelIndex[channel]!][typeIndex[type]!] += sum
        }
        return CrossTable(
            id: "contacts", title: "Contacts by channel and type", rowHeader: "channel", rowCodes: channels,
            columnHeaders: types.map { $0.lowercased() }, counts: counts,
            basis: FigureBasis(
                hotlines: k.hasContacts.count(where: { $0 }), records: k.contactRows,
                unit: "monthly contact counts per channel and type (calls, chats, e-mails...)")
        ).table()
    }

    // MARK: New cases per category

    /// Distinct NEW cases (`member_id`, `case_key`) per member and category; rows are the members
    /// with any case row in the year, in name order. `categories`: category ids in table order.
    private func newCases(_ categories: [Int]) -> (ReportTable, ReportTable) {
        let c = current
        let members = c.hasCases.indices.filter { c.hasCases[$0] }.sorted { c.members.codes[$0] < c.members.codes[$1] }
        let counts = members.map { m in categories.map { c.newCases[m << 32 | $0] ?? 0 } }
        let basis = FigureBasis(
            hotlines: c.hasNew.count(where: { $0 }), records: c.newRows,
            unit: "new cases (opened in the report year); a case counts once however many children it involves")
        let codes = categories.map { c.categories.codes[$0] }
        let byMember = CrossTable(
            id: "new_cases_by_member", title: "New cases per hotline and category", rowHeader: "member_id",
            rowCodes: members.map { c.members.codes[$0] }, columnHeaders: codes.map { $0.lowercased() },
            counts: counts, basis: basis, lowercaseRows: false
        ).table()
        let allRow = byMember.rows.last!
        let total = CountCell("new_cases_by_member|ALL|total", 0)
        var categoryRows: [[ReportValue]] = []
        var totalCell = total
        if case .count(let t) = allRow[categories.count + 1] { totalCell = t }
        for (j, code) in codes.enumerated() {
            guard case .count(let cell) = allRow[j + 1] else { continue }
            categoryRows.append([.text(code), .count(cell), .percent(numerator: cell, denominator: totalCell)])
        }
        categoryRows.append([.text("ALL"), .count(totalCell), .percent(numerator: totalCell, denominator: totalCell)])
        let byCategory = ReportTable(
            id: "new_cases_by_category", title: "New cases by category", header: ["category", "new_cases", "share_percent"],
            rows: categoryRows, lines: [], basis: basis)
        return (byCategory, byMember)
    }

    // MARK: Breakdowns per category

    /// A category x value table of children with a known value (rows: categories and ALL;
    /// columns: the values and their total), from the counts of `table`; the hotlines are the
    /// members with at least one counted row.
    private func breakdown(
        _ table: YearCounts.Breakdown, id: String, title: String, columns: [(id: String, label: String)],
        categories: [Int], unit: String, share: Int? = nil
    ) -> ReportTable {
        let b = current.breakdowns[table.rawValue]
        let counts = categories.map { category in columns.indices.map { b.count(category: category, column: $0) } }
        return CrossTable(
            id: id, title: title, rowHeader: "category", rowCodes: categories.map { current.categories.codes[$0] },
            columnHeaders: columns.map(\.id), counts: counts,
            basis: FigureBasis(hotlines: b.memberCount, records: b.records, unit: unit),
            lowercaseRows: false, shareOf: share
        ).table()
    }

    /// A yes/no breakdown (`yesNoColumn`) whose share is the share of yes.
    private func yesNo(
        _ table: YearCounts.Breakdown, id: String, title: String, yes: String, no: String, categories: [Int],
        unit: String
    ) -> ReportTable {
        breakdown(
            table, id: id, title: title, columns: [(yes, "Yes"), (no, "No")], categories: categories, unit: unit,
            share: 0)
    }

    /// Age bands (`ageBand`) and, per category and for ALL, the median age of the children with
    /// an age in `medianAges`, from the count of each age.
    private func age(_ categories: [Int]) -> ReportTable {
        var table = breakdown(
            .age, id: "age", title: "Age at opening",
            columns: Self.ageBands.map { ($0.id, $0.label) }, categories: categories,
            unit: "children in cases worked on whose age was recorded")
        let span = YearCounts.ageSpan
        let byCategory = categories.map { Array(current.ages[($0 * span)..<(($0 + 1) * span)]) }
        let all = (0..<span).map { age in byCategory.reduce(0) { $0 + $1[age] } }
        table.header.append("median_age")
        for (r, histogram) in (byCategory + [all]).enumerated() {
            table.rows[r].append(
                .median(twice: Self.twiceMedian(histogram: histogram), n: histogram.reduce(0, +)))
        }
        return table
    }

    /// Twice the median of sorted values: the middle value, or the mean of the two middle values
    /// for an even count (so it can end in .5); nil for no values.
    public static func twiceMedian(_ sorted: [Int]) -> Int? {
        twiceMedian(count: sorted.count) { sorted[$0] }
    }

    /// `twiceMedian` of the values 0, 1, 2... occurring `histogram[value]` times each.
    static func twiceMedian(histogram: [Int]) -> Int? {
        twiceMedian(count: histogram.reduce(0, +)) { k in
            // The k-th smallest value (from 0): the first whose running count passes k.
            var seen = 0
            for (value, n) in histogram.enumerated() {
                seen += n
                if seen > k { return value }
            }
            preconditionFailure("rank \(k) beyond the histogram")
        }
    }

    /// Twice the median of `count` sorted values, `value(i)` being the i-th (from 0).
    private static func twiceMedian(count n: Int, _ value: (Int) -> Int) -> Int? {
        guard n > 0 else { return nil }
        return n % 2 == 1 ? 2 * value(n / 2) : value(n / 2 - 1) + value(n / 2)
    }

    // MARK: Coverage

    /// The fields a hotline may or may not record, with how "recorded" shows in the dataset.
    public static let coverageFields = [
        "cross_border", "destination_country", "child_age", "child_gender", "repeat_missing",
        "violence_experienced", "outcome", "closed_on", "found_by", "days_missing", "first_channel", "contacts",
    ]

    /// `yes` when the member gave a value for at least one record of the year: non-null, for
    /// `child_gender` and `outcome` not UNKNOWN (`isRecorded`); for contacts, any contact row.
    /// The fields are the dataset's column names, by which `YearAggregate` marks `supplied`.
    private func coverage() -> ReportTable {
        let c = current
        let members = c.hasCases.indices.filter { c.hasCases[$0] || c.hasContacts[$0] }
            .sorted { c.members.codes[$0] < c.members.codes[$1] }
        let rows: [[ReportValue]] = members.map { m in
            [.text(c.members.codes[m])]
                + Self.coverageFields.indices.map { f in
                    let yes = Self.coverageFields[f] == "contacts" ? c.hasContacts[m] : c.supplied[f][m]
                    return .text(yes ? "yes" : "no")
                }
        }
        return ReportTable(
            id: "coverage", title: "Which hotline supplied which field", header: ["member_id"] + Self.coverageFields,
            rows: rows, lines: [],
            basis: FigureBasis(
                hotlines: members.count, records: c.caseRows + c.contactRows,
                unit: "a field counts as supplied when the hotline gave a value for at least one record in the year"))
    }
}

/// A table of counts with a total column and an ALL row, and its suppression lines (every row
/// and every column with its total).
struct CrossTable {
    var id: String
    var title: String
    var rowHeader: String
    var rowCodes: [String]
    var columnHeaders: [String]
    var counts: [[Int]]
    var basis: FigureBasis
    var lowercaseRows = false
    /// Adds `share_percent`: this column's count over the row total.
    var shareOf: Int?

    func table() -> ReportTable {
        let width = columnHeaders.count
        func key(_ row: String, _ column: String) -> String { "\(id)|\(row)|\(column)" }
        var grid: [[CountCell]] = []
        for (r, code) in rowCodes.enumerated() {
            var line = (0..<width).map { CountCell(key(code, columnHeaders[$0]), counts[r][$0]) }
            line.append(CountCell(key(code, "total"), counts[r].reduce(0, +)))
            grid.append(line)
        }
        var all = (0..<width).map { j in CountCell(key("ALL", columnHeaders[j]), counts.reduce(0) { $0 + $1[j] }) }
        all.append(CountCell(key("ALL", "total"), counts.reduce(0) { $0 + $1.reduce(0, +) }))
        grid.append(all)
        var lines: [SuppressionLine] = grid.map { SuppressionLine(members: Array($0.prefix(width)), total: $0[width]) }
        for j in 0...width {
            lines.append(SuppressionLine(members: grid.dropLast().map { $0[j] }, total: grid.last![j]))
        }
        let labels = rowCodes + ["ALL"]
        var header = [rowHeader] + columnHeaders + ["total"]
        if shareOf != nil { header.append("share_percent") }
        let rows: [[ReportValue]] = grid.enumerated().map { r, cells in
            var row: [ReportValue] = [.text(labels[r])] + cells.map { .count($0) }
            if let s = shareOf { row.append(.percent(numerator: cells[s], denominator: cells[width])) }
            return row
        }
        return ReportTable(id: id, title: title, header: header, rows: rows, lines: lines, basis: basis)
    }
}
