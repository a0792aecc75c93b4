import DatasetContract
/// Computes every published table from one year's data (and the previous year's, when its
/// partition exists). Definitions are in docs/report.md; each is restated where it is computed.
public struct Figures: Sendable {
    public let current: YearData
    public let previous: YearData?

    public init(current: YearData, previous: YearData?) {
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
        let c = current.cases
        // Every taxonomy category always has a row (a stable layout); codes outside it, which the
        // normalizer does not let through, would follow in name order.
        let categories = Codes.categories + Set(c.category).subtracting(Codes.categories).sorted()
        let yearStart = Int32(CivilDate.daysSinceEpoch(year: current.year, month: 1, day: 1))
        let yearEnd = Int32(CivilDate.daysSinceEpoch(year: current.year, month: 12, day: 31))
        var tables = [headline(), contacts()]
        let (byCategory, byMember) = newCases(categories)
        tables += [byCategory, byMember]
        tables.append(
            yesNo(
                id: "cross_border", title: "Cross-border cases", yes: "cross_border", no: "not_cross_border",
                values: c.crossBorder, categories: categories,
                unit: "children in cases worked on, where the hotline recorded whether a border was crossed"))
        tables.append(
            yesNo(
                id: "repeat_missing", title: "Children who had gone missing before", yes: "repeat_missing",
                no: "first_time", values: c.repeatMissing, categories: categories,
                unit: "children in cases worked on, where the hotline recorded whether the child went missing before"))
        tables.append(
            yesNo(
                id: "violence_experienced", title: "Violence, abuse, neglect or exploitation experienced",
                yes: "violence_experienced", no: "none_reported", values: c.violenceExperienced,
                categories: categories,
                unit: "children in cases worked on, where the hotline recorded whether violence was experienced"))
        // Found within the year: outcome FOUND or FOUND_DECEASED and closed_on in the report year;
        // the denominator is every child whose outcome was recorded (not UNKNOWN).
        let found: [Bool?] = (0..<c.count).map { i in
            guard Codes.knownOutcomes.contains(c.outcome[i]) else { return nil }
            guard Codes.found.contains(c.outcome[i]), let closed = c.closedOn[i] else { return false }
            return closed >= yearStart && closed <= yearEnd
        }
        tables.append(
            yesNo(
                id: "found_within_year", title: "Found within the year", yes: "found_within_year",
                no: "not_found_within_year", values: found, categories: categories,
                unit: "children in cases worked on whose outcome was recorded"))
        tables.append(
            breakdown(
                id: "time_missing", title: "Time missing until found",
                columns: Self.timeBands.map { ($0.id, $0.label) }, categories: categories,
                unit: "children found, where the hotline recorded the days missing",
                classify: { i in
                    guard let d = c.daysMissing[i], d >= 0 else { return nil }
                    return Self.timeBands.firstIndex { d >= $0.lower && (($0.upper.map { d <= $0 }) ?? true) }
                }))
        tables.append(
            breakdown(
                id: "found_by", title: "Who found the child",
                columns: Codes.foundBy.map { ($0.lowercased(), Codes.label($0)) }, categories: categories,
                unit: "children found, where the hotline recorded who found them",
                classify: { i in c.foundBy[i].flatMap { Codes.foundBy.firstIndex(of: $0) } }))
        tables.append(age(categories))
        tables.append(
            breakdown(
                id: "gender", title: "Gender",
                columns: Codes.genders.map { ($0.lowercased(), Codes.label($0)) }, categories: categories,
                unit: "children in cases worked on whose gender was recorded (not UNKNOWN)",
                classify: { i in Codes.genders.firstIndex(of: c.childGender[i]) },
                share: 0))
        tables.append(coverage())
        return tables
    }

    // MARK: Headline

    private struct Counts {
        var hotlines: Int
        var members: Set<String>
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

    /// A case (or, with `child`, a child in a case) of a member.
    private struct Identity: Hashable {
        let member: String
        let key: KeyDigest
        let child: KeyDigest?
    }

    private static func counts(_ d: YearData) -> Counts {
        let c = d.cases
        var worked = Set<Identity>(), new = Set<Identity>(), ongoing = Set<Identity>(), children = Set<Identity>()
        var newRows = 0, ongoingRows = 0
        var newMembers = Set<String>(), ongoingMembers = Set<String>()
        for i in 0..<c.count {
            let caseID = Identity(member: c.memberID[i], key: c.caseKey[i], child: nil)
            worked.insert(caseID)
            children.insert(Identity(member: c.memberID[i], key: c.caseKey[i], child: c.childKey[i]))
            if c.caseStatus[i] == "NEW" {
                new.insert(caseID)
                newRows += 1
                newMembers.insert(c.memberID[i])
            } else if c.caseStatus[i] == "ONGOING" {
                ongoing.insert(caseID)
                ongoingRows += 1
                ongoingMembers.insert(c.memberID[i])
            }
        }
        let caseMembers = Set(c.memberID)
        let contactMembers = Set(d.contacts.memberID)
        let members = caseMembers.union(contactMembers)
        return Counts(
            hotlines: members.count, members: members, contacts: Int(d.contacts.count.reduce(0, +)),
            contactMembers: contactMembers.count, contactRows: d.contacts.rowCount, worked: worked.count,
            new: new.count, ongoing: ongoing.count, children: children.count, caseRows: c.count,
            caseMembers: caseMembers.count, newRows: newRows, ongoingRows: ongoingRows,
            newMembers: newMembers.count, ongoingMembers: ongoingMembers.count)
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

    private func contacts() -> ReportTable {
        let k = current.contacts
        let channels = Codes.ordered(Codes.channels, present: Set(k.channel))
        let types = Codes.ordered(Codes.contactTypes, present: Set(k.contactType))
        var counts = Array(repeating: Array(repeating: 0, count: types.count), count: channels.count)
        let channelIndex = Dictionary(uniqueKeysWithValues: channels.enumerated().map { ($1, $0) })
        let typeIndex = Dictionary(uniqueKeysWithValues: types.enumerated().map { ($1, $0) })
        for i in 0..<k.rowCount {
            counts[channelIndex[k.channel[i]]!][typeIndex[k.contactType[i]]!] += Int(k.count[i])
        }
        return CrossTable(
            id: "contacts", title: "Contacts by channel and type", rowHeader: "channel", rowCodes: channels,
            columnHeaders: types.map { $0.lowercased() }, counts: counts,
            basis: FigureBasis(
                hotlines: Set(k.memberID).count, records: k.rowCount,
                unit: "monthly contact counts per channel and type (calls, chats, e-mails...)")
        ).table()
    }

    // MARK: New cases per category

    private func newCases(_ categories: [String]) -> (ReportTable, ReportTable) {
        let c = current.cases
        let members = Set(c.memberID).sorted()
        let memberIndex = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1, $0) })
        let categoryIndex = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        var sets = Array(repeating: Array(repeating: Set<KeyDigest>(), count: categories.count), count: members.count)
        var rows = 0
        var newMembers = Set<String>()
        for i in 0..<c.count where c.caseStatus[i] == "NEW" {
            sets[memberIndex[c.memberID[i]]!][categoryIndex[c.category[i]]!].insert(c.caseKey[i])
            rows += 1
            newMembers.insert(c.memberID[i])
        }
        let basis = FigureBasis(
            hotlines: newMembers.count, records: rows,
            unit: "new cases (opened in the report year); a case counts once however many children it involves")
        let byMember = CrossTable(
            id: "new_cases_by_member", title: "New cases per hotline and category", rowHeader: "member_id",
            rowCodes: members, columnHeaders: categories.map { $0.lowercased() },
            counts: sets.map { $0.map(\.count) }, basis: basis, lowercaseRows: false
        ).table()
        let allRow = byMember.rows.last!
        let total = CountCell("new_cases_by_member|ALL|total", 0)
        var categoryRows: [[ReportValue]] = []
        var totalCell = total
        if case .count(let t) = allRow[categories.count + 1] { totalCell = t }
        for (j, code) in categories.enumerated() {
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
    /// columns: the values and their total).
    private func breakdown(
        id: String, title: String, columns: [(id: String, label: String)], categories: [String], unit: String,
        classify: (Int) -> Int?, share: Int? = nil
    ) -> ReportTable {
        let c = current.cases
        let categoryIndex = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        var counts = Array(repeating: Array(repeating: 0, count: columns.count), count: categories.count)
        var members = Set<String>()
        var records = 0
        for i in 0..<c.count {
            guard let column = classify(i) else { continue }
            counts[categoryIndex[c.category[i]]!][column] += 1
            members.insert(c.memberID[i])
            records += 1
        }
        return CrossTable(
            id: id, title: title, rowHeader: "category", rowCodes: categories, columnHeaders: columns.map(\.id),
            counts: counts, basis: FigureBasis(hotlines: members.count, records: records, unit: unit),
            lowercaseRows: false, shareOf: share
        ).table()
    }

    private func yesNo(
        id: String, title: String, yes: String, no: String, values: [Bool?], categories: [String], unit: String
    ) -> ReportTable {
        breakdown(
            id: id, title: title, columns: [(yes, "Yes"), (no, "No")], categories: categories, unit: unit,
            classify: { i in values[i].map { $0 ? 0 : 1 } }, share: 0)
    }

    private func age(_ categories: [String]) -> ReportTable {
        let c = current.cases
        var table = breakdown(
            id: "age", title: "Age at opening",
            columns: Self.ageBands.map { ($0.id, $0.label) }, categories: categories,
            unit: "children in cases worked on whose age was recorded",
            classify: { i in
                guard let a = c.childAge[i] else { return nil }
                return Self.ageBands.firstIndex { a >= $0.lower && a <= $0.upper }
            })
        var ages: [String: [Int]] = [:]
        for i in 0..<c.count {
            guard let a = c.childAge[i], a >= 0, a <= 17 else { continue }
            ages[c.category[i], default: []].append(Int(a))
            ages["ALL", default: []].append(Int(a))
        }
        table.header.append("median_age")
        for r in table.rows.indices {
            guard case .text(let code) = table.rows[r][0] else { continue }
            let values = (ages[code] ?? []).sorted()
            table.rows[r].append(.median(twice: Self.twiceMedian(values), n: values.count))
        }
        return table
    }

    /// Twice the median of sorted values: the middle value, or the mean of the two middle values
    /// for an even count (so it can end in .5); nil for no values.
    public static func twiceMedian(_ sorted: [Int]) -> Int? {
        guard !sorted.isEmpty else { return nil }
        let n = sorted.count
        return n % 2 == 1 ? 2 * sorted[n / 2] : sorted[n / 2 - 1] + sorted[n / 2]
    }

    // MARK: Coverage

    /// The fields a hotline may or may not record, with how "recorded" shows in the dataset.
    public static let coverageFields = [
        "cross_border", "destination_country", "child_age", "child_gender", "repeat_missing",
        "violence_experienced", "outcome", "closed_on", "found_by", "days_missing", "first_channel", "contacts",
    ]

    private func coverage() -> ReportTable {
        let c = current.cases
        let members = Set(c.memberID).union(current.contacts.memberID).sorted()
        var supplied: [String: Set<String>] = [:]
        func mark(_ field: String, _ i: Int, _ present: Bool) {
            if present { supplied[field, default: []].insert(c.memberID[i]) }
        }
        for i in 0..<c.count {
            mark("cross_border", i, c.crossBorder[i] != nil)
            mark("destination_country", i, c.destinationCountry[i] != nil)
            mark("child_age", i, c.childAge[i] != nil)
            mark("child_gender", i, c.childGender[i] != "UNKNOWN")
            mark("repeat_missing", i, c.repeatMissing[i] != nil)
            mark("violence_experienced", i, c.violenceExperienced[i] != nil)
            mark("outcome", i, c.outcome[i] != "UNKNOWN")
            mark("closed_on", i, c.closedOn[i] != nil)
            mark("found_by", i, c.foundBy[i] != nil)
            mark("days_missing", i, c.daysMissing[i] != nil)
            mark("first_channel", i, c.firstChannel[i] != nil)
        }
        supplied["contacts"] = Set(current.contacts.memberID)
        let rows: [[ReportValue]] = members.map { m in
            [.text(m)] + Self.coverageFields.map { .text(supplied[$0]?.contains(m) == true ? "yes" : "no") }
        }
        return ReportTable(
            id: "coverage", title: "Which hotline supplied which field", header: ["member_id"] + Self.coverageFields,
            rows: rows, lines: [],
            basis: FigureBasis(
                hotlines: members.count, records: c.count + current.contacts.rowCount,
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
