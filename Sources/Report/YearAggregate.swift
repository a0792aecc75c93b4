import DatasetContract
import Foundation
import Tally

/// The columns of `cases` the report reads, named as in the dataset.
enum CaseColumn: String, Sendable {
    case memberID = "member_id", caseKey = "case_key", childKey = "child_key", caseStatus = "case_status"
    case category, closedOn = "closed_on", crossBorder = "cross_border"
    case destinationCountry = "destination_country", childAge = "child_age", childGender = "child_gender"
    case repeatMissing = "repeat_missing", violenceExperienced = "violence_experienced", outcome
    case foundBy = "found_by", daysMissing = "days_missing", firstChannel = "first_channel"
}

/// The columns of `contacts` the report reads.
enum ContactColumn: String, Sendable {
    case memberID = "member_id", channel, contactType = "contact_type", count
}

/// A batch of rows of one table, handed over column by column: a row group of a Parquet file
/// (`ColumnBufferRows`) or columns already in memory (`CaseColumns`, `ContactColumns`). Each
/// visitor calls `body` once per row, in row order, with nil for null; it reads the column only
/// when called, so a batch costs the memory of one column at a time.
protocol ColumnRows {
    associatedtype Column: RawRepresentable where Column.RawValue == String
    var rowCount: Int { get }
    /// A STRING column as UTF-8 bytes (valid during the call only).
    func forEachString(_ column: Column, _ body: (Int, UnsafeRawBufferPointer?) -> Void) throws(ReportError)
    /// A STRING key column as `KeyDigest`s (a null key digests as the empty string).
    func forEachDigest(
        _ column: Column, _ body: (Int, KeyDigest) throws(ReportError) -> Void
    ) throws(ReportError)
    func forEachInt32(_ column: Column, _ body: (Int, Int32?) -> Void) throws(ReportError)
    func forEachInt64(_ column: Column, _ body: (Int, Int64?) -> Void) throws(ReportError)
    func forEachBoolean(_ column: Column, _ body: (Int, Bool?) -> Void) throws(ReportError)
}

/// Where the distinct counts of `YearAggregate` spill (the system's temporary folder, TMPDIR);
/// tests move the folder and shrink the buffers.
struct TallySettings: Sendable {
    /// The folder the counters' folders go in; nil for the system's temporary folder.
    var parent: String?
    /// Entries each bucket keeps in memory before it spills; nil for Tally's default.
    var bufferedEntries: Int?

    init(parent: String? = nil, bufferedEntries: Int? = nil) {
        self.parent = parent
        self.bufferedEntries = bufferedEntries
    }

    func makeDirectory() -> String {
        guard let parent else { return DigestBuckets.temporaryDirectory(prefix: "hotline-etl-report") }
        return (parent as NSString).appendingPathComponent(
            "hotline-etl-report-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    }
}

/// One category x value table of `Figures` being counted: how many rows fell in each cell, and
/// which members had at least one such row.
struct BreakdownCounts: Sendable {
    let width: Int
    /// Row-major by category id: `counts[category * width + column]`.
    var counts: [Int] = []
    /// By member id.
    var members: [Bool] = []

    init(width: Int) { self.width = width }

    @inline(__always) mutating func add(category: Int, column: Int, member: Int) {
        counts[category * width + column] += 1
        members[member] = true
    }

    func count(category: Int, column: Int) -> Int { counts[category * width + column] }
    var records: Int { counts.reduce(0, +) }
    var memberCount: Int { members.count(where: { $0 }) }
}

/// Everything `Figures` needs from one year's data, as counters: nothing in it grows with the
/// number of rows, only with the members and the codes (few). Made by `YearAggregate`.
struct YearCounts: Sendable {
    /// The breakdown tables, in `breakdowns` order.
    enum Breakdown: Int, CaseIterable {
        case crossBorder, repeatMissing, violenceExperienced, foundWithinYear, timeMissing, foundBy, age, gender

        var width: Int {
            switch self {
            case .crossBorder, .repeatMissing, .violenceExperienced, .foundWithinYear: 2
            case .timeMissing: Figures.timeBands.count
            case .foundBy: Codes.foundBy.count
            case .age: Figures.ageBands.count
            case .gender: Codes.genders.count
            }
        }
    }

    let year: Int
    /// Whether the tables beyond the headline were counted (not for the previous year).
    let detail: Bool

    /// Members of `cases` and `contacts`; the per-member arrays below are indexed by their ids.
    var members = CodeTable()
    var hasCases: [Bool] = []
    var hasContacts: [Bool] = []
    var hasNew: [Bool] = []
    var hasOngoing: [Bool] = []
    /// Every taxonomy category first (ids 0..<6, so each always has a row), then any other code.
    var categories = CodeTable(Codes.categories)

    var caseRows = 0
    var newRows = 0
    var ongoingRows = 0
    var contactRows = 0
    /// Sum of `count` over the contact rows.
    var contactTotal = 0
    var channels = CodeTable()
    var contactTypes = CodeTable()
    /// Sum of `count` by channel id << 32 | contact type id.
    var contactCounts: [Int: Int] = [:]

    var breakdowns = Breakdown.allCases.map { BreakdownCounts(width: $0.width) }
    /// Children by category id and age 0...17: `ages[category * 18 + age]`.
    var ages: [Int] = []
    /// By `Figures.coverageFields` index, then member id: whether the member gave a value in at
    /// least one row (the entry of "contacts" stays false: that is `hasContacts`).
    var supplied = Array(repeating: [Bool](), count: Figures.coverageFields.count)

    /// Distinct cases worked on, NEW and ONGOING cases, and children (set by `YearAggregate.finish`).
    var worked = 0
    var new = 0
    var ongoing = 0
    var children = 0
    /// Distinct NEW cases by member id << 32 | category id (absent: none).
    var newCases: [Int: Int] = [:]

    init(year: Int, detail: Bool) {
        self.year = year
        self.detail = detail
        growCategories()
    }

    static let ageSpan = 18

    mutating func growMembers() {
        let n = members.count
        guard hasCases.count < n else { return }
        let more = n - hasCases.count
        hasCases += repeatElement(false, count: more)
        hasContacts += repeatElement(false, count: more)
        hasNew += repeatElement(false, count: more)
        hasOngoing += repeatElement(false, count: more)
        for b in breakdowns.indices { breakdowns[b].members += repeatElement(false, count: more) }
        for f in supplied.indices { supplied[f] += repeatElement(false, count: more) }
    }

    mutating func growCategories() {
        let n = categories.count
        guard ages.count < n * Self.ageSpan else { return }
        let more = n - ages.count / Self.ageSpan
        ages += repeatElement(0, count: more * Self.ageSpan)
        for b in breakdowns.indices {
            breakdowns[b].counts += repeatElement(0, count: more * breakdowns[b].width)
        }
    }

    /// The index in `supplied` of a `cases` column listed in `Figures.coverageFields`.
    static func coverage(_ column: CaseColumn) -> Int { Figures.coverageFields.firstIndex(of: column.rawValue)! }
}

/// Folds one year's `cases` and `contacts` rows, a batch at a time (a Parquet row group, or all
/// of `YearData` at once), into `YearCounts`. Both the dataset and the in-memory path go through
/// `fold`, so every figure is counted in one place; the definitions are in `Figures`.
///
/// Distinct cases and children are counted by `CaseTally` (with `Tally`): its memory is bounded,
/// and it spills to a temporary folder beyond a few MiB (about 48 bytes per case row, removed
/// when counted).
struct YearAggregate {
    private(set) var counts: YearCounts
    private let tally: CaseTally

    /// What a code means to the figures, worked out once per distinct code.
    private struct Classified<Meaning> {
        var table = CodeTable()
        var meanings: [Meaning] = []
        let meaning: (String) -> Meaning

        @inline(__always) mutating func callAsFunction(_ bytes: UnsafeRawBufferPointer?) -> Meaning {
            let id = table.id(bytes ?? YearAggregate.empty)
            while meanings.count < table.count { meanings.append(meaning(table.codes[meanings.count])) }
            return meanings[id]
        }
    }

    private typealias Status = CaseTally.Status
    private var statuses = Classified<Status> { $0 == "NEW" ? .new : $0 == "ONGOING" ? .ongoing : .other }
    private var genders = Classified<(column: Int?, recorded: Bool)> {
        (Figures.genderColumn($0), Figures.isRecorded($0))
    }
    private var outcomes = Classified<(found: Bool?, recorded: Bool)> {
        (Figures.outcomeFound($0), Figures.isRecorded($0))
    }
    private var foundBy = Classified<Int?> { Figures.foundByColumn($0) }

    // The batch being folded, by row (kept to reuse their memory).
    private var memberOf: [Int32] = []
    private var categoryOf: [Int32] = []
    private var statusOf: [Status] = []
    /// Whether the outcome says found (`Figures.outcomeFound`; nil: not recorded).
    private var foundOf: [Bool?] = []
    private var caseDigests: [(high: UInt64, low: UInt64)] = []
    private var channelOf: [Int32] = []
    private var contactTypeOf: [Int32] = []

    /// A null code column value reads as the empty string, as it always has.
    fileprivate static var empty: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }

    /// Counts `year`; with `detail` false (the previous year) only what the headline needs.
    init(year: Int, detail: Bool, tally: TallySettings = TallySettings()) {
        counts = YearCounts(year: year, detail: detail)
        self.tally = CaseTally(tally)
    }

    /// The counts, with the distinct counts resolved; the temporary folder is removed.
    consuming func finish() throws(ReportError) -> YearCounts {
        try tally.count(into: &counts)
        return counts
    }

    // MARK: Cases

    /// Adds a batch of `cases` rows.
    mutating func fold<Rows: ColumnRows>(cases rows: Rows) throws(ReportError) where Rows.Column == CaseColumn {
        let n = rows.rowCount
        guard n > 0 else { return }
        counts.caseRows += n
        let detail = counts.detail
        Self.reset(&memberOf, n, 0)
        try rows.forEachString(.memberID) { row, bytes in
            memberOf[row] = Int32(counts.members.id(bytes ?? Self.empty))
        }
        counts.growMembers()
        for m in memberOf { counts.hasCases[Int(m)] = true }

        Self.reset(&statusOf, n, .other)
        try rows.forEachString(.caseStatus) { row, bytes in
            let status = statuses(bytes)
            statusOf[row] = status
            switch status {
            case .new:
                counts.newRows += 1
                counts.hasNew[Int(memberOf[row])] = true
            case .ongoing:
                counts.ongoingRows += 1
                counts.hasOngoing[Int(memberOf[row])] = true
            case .other: break
            }
        }

        if detail {
            Self.reset(&categoryOf, n, 0)
            try rows.forEachString(.category) { row, bytes in
                categoryOf[row] = Int32(counts.categories.id(bytes ?? Self.empty))
            }
            counts.growCategories()
        }

        // Cases worked on, NEW and ONGOING cases, NEW cases per member and category; children.
        Self.reset(&caseDigests, n, (0, 0))
        let tally = self.tally
        try rows.forEachDigest(.caseKey) { (row, key) throws(ReportError) in
            let digest = DistinctKeys.caseDigest(key)
            caseDigests[row] = digest
            try tally.addCase(
                digest, member: Int(memberOf[row]), status: statusOf[row], category: detail ? Int(categoryOf[row]) : 0)
        }
        try rows.forEachDigest(.childKey) { (row, key) throws(ReportError) in
            try tally.addChild(DistinctKeys.childDigest(caseDigests[row], key), member: Int(memberOf[row]))
        }
        guard detail else { return }

        try yesNo(rows, .crossBorder, .crossBorder)
        try yesNo(rows, .repeatMissing, .repeatMissing)
        try yesNo(rows, .violenceExperienced, .violenceExperienced)
        try supplied(rows, .destinationCountry)
        try supplied(rows, .firstChannel)

        let age = YearCounts.coverage(.childAge)
        try rows.forEachInt32(.childAge) { row, value in
            guard let value else { return }
            let member = Int(memberOf[row]), category = Int(categoryOf[row])
            counts.supplied[age][member] = true
            if let band = Figures.ageBand(value) {
                counts.breakdowns[YearCounts.Breakdown.age.rawValue].add(category: category, column: band, member: member)
            }
            if Figures.medianAges.contains(value) { counts.ages[category * YearCounts.ageSpan + Int(value)] += 1 }
        }

        let gender = YearCounts.coverage(.childGender)
        try rows.forEachString(.childGender) { row, bytes in
            let meaning = genders(bytes)
            let member = Int(memberOf[row])
            if meaning.recorded { counts.supplied[gender][member] = true }
            if let column = meaning.column {
                counts.breakdowns[YearCounts.Breakdown.gender.rawValue].add(
                    category: Int(categoryOf[row]), column: column, member: member)
            }
        }

        let outcome = YearCounts.coverage(.outcome)
        Self.reset(&foundOf, n, nil)
        try rows.forEachString(.outcome) { row, bytes in
            let meaning = outcomes(bytes)
            if meaning.recorded { counts.supplied[outcome][Int(memberOf[row])] = true }
            foundOf[row] = meaning.found
        }
        let closed = YearCounts.coverage(.closedOn)
        let year = Figures.yearDays(counts.year)
        try rows.forEachInt32(.closedOn) { row, value in
            let member = Int(memberOf[row])
            if value != nil { counts.supplied[closed][member] = true }
            if let column = Figures.foundWithinYear(found: foundOf[row], closedOn: value, year: year) {
                counts.breakdowns[YearCounts.Breakdown.foundWithinYear.rawValue].add(
                    category: Int(categoryOf[row]), column: column, member: member)
            }
        }

        let found = YearCounts.coverage(.foundBy)
        try rows.forEachString(.foundBy) { row, bytes in
            guard bytes != nil else { return }
            let member = Int(memberOf[row])
            counts.supplied[found][member] = true
            if let column = foundBy(bytes) {
                counts.breakdowns[YearCounts.Breakdown.foundBy.rawValue].add(
                    category: Int(categoryOf[row]), column: column, member: member)
            }
        }

        let days = YearCounts.coverage(.daysMissing)
        try rows.forEachInt32(.daysMissing) { row, value in
            guard let value else { return }
            let member = Int(memberOf[row])
            counts.supplied[days][member] = true
            if let band = Figures.timeBand(value) {
                counts.breakdowns[YearCounts.Breakdown.timeMissing.rawValue].add(
                    category: Int(categoryOf[row]), column: band, member: member)
            }
        }
    }

    /// A yes/no breakdown (`Figures.yesNoColumn`; null: not counted) and its coverage.
    private mutating func yesNo<Rows: ColumnRows>(
        _ rows: Rows, _ column: CaseColumn, _ table: YearCounts.Breakdown
    ) throws(ReportError) where Rows.Column == CaseColumn {
        let field = YearCounts.coverage(column)
        try rows.forEachBoolean(column) { row, value in
            guard let value else { return }
            let member = Int(memberOf[row])
            counts.supplied[field][member] = true
            counts.breakdowns[table.rawValue].add(
                category: Int(categoryOf[row]), column: Figures.yesNoColumn(value), member: member)
        }
    }

    /// The coverage of a STRING column that is recorded when not null.
    private mutating func supplied<Rows: ColumnRows>(
        _ rows: Rows, _ column: CaseColumn
    ) throws(ReportError) where Rows.Column == CaseColumn {
        let field = YearCounts.coverage(column)
        try rows.forEachString(column) { row, bytes in
            if bytes != nil { counts.supplied[field][Int(memberOf[row])] = true }
        }
    }

    // MARK: Contacts

    /// Adds a batch of `contacts` rows.
    mutating func fold<Rows: ColumnRows>(contacts rows: Rows) throws(ReportError) where Rows.Column == ContactColumn {
        let n = rows.rowCount
        guard n > 0 else { return }
        counts.contactRows += n
        Self.reset(&memberOf, n, 0)
        try rows.forEachString(.memberID) { row, bytes in
            memberOf[row] = Int32(counts.members.id(bytes ?? Self.empty))
        }
        counts.growMembers()
        for m in memberOf { counts.hasContacts[Int(m)] = true }
        guard counts.detail else {
            try rows.forEachInt64(.count) { _, value in counts.contactTotal += Int(value ?? 0) }
            return
        }
        Self.reset(&channelOf, n, 0)
        try rows.forEachString(.channel) { row, bytes in
            channelOf[row] = Int32(counts.channels.id(bytes ?? Self.empty))
        }
        Self.reset(&contactTypeOf, n, 0)
        try rows.forEachString(.contactType) { row, bytes in
            contactTypeOf[row] = Int32(counts.contactTypes.id(bytes ?? Self.empty))
        }
        try rows.forEachInt64(.count) { row, value in
            let count = Int(value ?? 0)
            counts.contactTotal += count
            counts.contactCounts[Int(channelOf[row]) << 32 | Int(contactTypeOf[row]), default: 0] += count
        }
    }

    private static func reset<T>(_ array: inout [T], _ count: Int, _ value: T) {
        array.removeAll(keepingCapacity: true)
        array.append(contentsOf: repeatElement(value, count: count))
    }
}
