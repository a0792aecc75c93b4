import DatasetContract
import Foundation
import Parquet

/// One year's `cases` rows in memory, column by column (one row per child per case): the columns
/// the report uses, string codes as they are in the file. The report itself streams the dataset
/// (`DatasetReader.counts`); this form is for tests and small data (`AnnualReport.build(current:...)`).
public struct CaseColumns: Sendable, Equatable {
    public var memberID: [String] = []
    /// The case and child pseudonyms, as 128-bit digests: the report only needs to tell them
    /// apart, and a million 64-character strings would cost far more memory than the figures.
    public var caseKey: [KeyDigest] = []
    public var childKey: [KeyDigest] = []
    public var caseStatus: [String] = []
    public var category: [String] = []
    /// Days since 1970-01-01.
    public var closedOn: [Int32?] = []
    public var crossBorder: [Bool?] = []
    public var destinationCountry: [String?] = []
    public var childAge: [Int32?] = []
    public var childGender: [String] = []
    public var repeatMissing: [Bool?] = []
    public var violenceExperienced: [Bool?] = []
    public var outcome: [String] = []
    public var foundBy: [String?] = []
    public var daysMissing: [Int32?] = []
    public var firstChannel: [String?] = []

    public init() {}

    public var count: Int { memberID.count }
    var rowCount: Int { count }
}

/// One year's `contacts` rows (aggregated counts per member, month, channel and type).
public struct ContactColumns: Sendable, Equatable {
    public var memberID: [String] = []
    public var channel: [String] = []
    public var contactType: [String] = []
    public var count: [Int64] = []

    public init() {}

    public var rowCount: Int { memberID.count }
}

/// The dataset of one report year in memory: its `cases` and `contacts` partitions.
public struct YearData: Sendable, Equatable {
    public var year: Int
    public var cases: CaseColumns
    public var contacts: ContactColumns

    public init(year: Int, cases: CaseColumns = CaseColumns(), contacts: ContactColumns = ContactColumns()) {
        self.year = year
        self.cases = cases
        self.contacts = contacts
    }
}

/// Why the report could not be made: which file and what is wrong, in words for a data steward.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reads the Hive-partitioned dataset (`DATASET/{cases,contacts}/report_year=YYYY/*.parquet`)
/// with the project's own Parquet reader.
public struct DatasetReader: Sendable {
    public let datasetDirectory: String

    public init(datasetDirectory: String) {
        self.datasetDirectory = datasetDirectory
    }

    /// Whether the dataset holds a `cases` or `contacts` partition for `year`.
    public func hasPartition(year: Int) -> Bool {
        !partFiles(table: "cases", year: year).isEmpty || !partFiles(table: "contacts", year: year).isEmpty
    }

    /// The year's counters, read one row group at a time (each part file, each row group, only
    /// the columns needed), so memory does not grow with the rows; a missing partition reads as
    /// no rows. With `detail` false (the previous year) only the headline's columns are read.
    func counts(year: Int, detail: Bool, tally: TallySettings = TallySettings()) throws(ReportError) -> YearCounts {
        var aggregate = YearAggregate(year: year, detail: detail, tally: tally)
        for path in partFiles(table: "cases", year: year) {
            let file = try ColumnFile(path: path)
            for group in 0..<file.rowGroups {
                try aggregate.fold(cases: ColumnBufferRows<CaseColumn>(file: file, group: group))
            }
        }
        for path in partFiles(table: "contacts", year: year) {
            let file = try ColumnFile(path: path)
            for group in 0..<file.rowGroups {
                try aggregate.fold(contacts: ColumnBufferRows<ContactColumn>(file: file, group: group))
            }
        }
        return try aggregate.finish()
    }

    /// Reads the year's partitions into memory (tests and small data; the report streams with
    /// `counts`); a missing partition reads as no rows.
    public func read(year: Int) throws(ReportError) -> YearData {
        var data = YearData(year: year)
        for path in partFiles(table: "cases", year: year) {
            let file = try ColumnFile(path: path)
            for group in 0..<file.rowGroups {
                let rows = ColumnBufferRows<CaseColumn>(file: file, group: group)
                var c = CaseColumns()
                c.memberID = try rows.strings(.memberID).map { $0 ?? "" }
                c.caseKey = try rows.digests(.caseKey)
                c.childKey = try rows.digests(.childKey)
                c.caseStatus = try rows.strings(.caseStatus).map { $0 ?? "" }
                c.category = try rows.strings(.category).map { $0 ?? "" }
                c.closedOn = try rows.int32s(.closedOn)
                c.crossBorder = try rows.booleans(.crossBorder)
                c.destinationCountry = try rows.strings(.destinationCountry)
                c.childAge = try rows.int32s(.childAge)
                c.childGender = try rows.strings(.childGender).map { $0 ?? "" }
                c.repeatMissing = try rows.booleans(.repeatMissing)
                c.violenceExperienced = try rows.booleans(.violenceExperienced)
                c.outcome = try rows.strings(.outcome).map { $0 ?? "" }
                c.foundBy = try rows.strings(.foundBy)
                c.daysMissing = try rows.int32s(.daysMissing)
                c.firstChannel = try rows.strings(.firstChannel)
                data.cases.append(c)
            }
        }
        for path in partFiles(table: "contacts", year: year) {
            let file = try ColumnFile(path: path)
            for group in 0..<file.rowGroups {
                let rows = ColumnBufferRows<ContactColumn>(file: file, group: group)
                data.contacts.memberID += try rows.strings(.memberID).map { $0 ?? "" }
                data.contacts.channel += try rows.strings(.channel).map { $0 ?? "" }
                data.contacts.contactType += try rows.strings(.contactType).map { $0 ?? "" }
                data.contacts.count += try rows.int64s(.count).map { $0 ?? 0 }
            }
        }
        return data
    }

    /// The partition's Parquet files in name order (`part-00000.parquet`, ...).
    func partFiles(table: String, year: Int) -> [String] {
        let directory = (datasetDirectory as NSString).appendingPathComponent("\(table)/report_year=\(year)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".parquet") && !$0.hasPrefix(".") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }
}

extension CaseColumns {
    mutating func append(_ other: CaseColumns) {
        memberID += other.memberID
        caseKey += other.caseKey
        childKey += other.childKey
        caseStatus += other.caseStatus
        category += other.category
        closedOn += other.closedOn
        crossBorder += other.crossBorder
        destinationCountry += other.destinationCountry
        childAge += other.childAge
        childGender += other.childGender
        repeatMissing += other.repeatMissing
        violenceExperienced += other.violenceExperienced
        outcome += other.outcome
        foundBy += other.foundBy
        daysMissing += other.daysMissing
        firstChannel += other.firstChannel
    }
}

/// A Parquet file whose columns are looked up by name and checked for the expected type.
struct ColumnFile {
    let reader: ParquetFileReader
    let path: String
    let index: [String: Int]

    init(path: String) throws(ReportError) {
        do {
            reader = try ParquetFileReader(path: path)
        } catch {
            throw ReportError("cannot read the dataset file \(path): \(error.message)")
        }
        self.path = path
        var index: [String: Int] = [:]
        for (i, column) in reader.metadata.columns.enumerated() { index[column.name] = i }
        self.index = index
    }

    var rowGroups: Int { reader.metadata.rowGroups.count }

    func rows(_ group: Int) -> Int { Int(reader.metadata.rowGroups[group].numRows) }

    /// One column chunk, decoded into one contiguous buffer (no object per value).
    func buffer(_ name: String, _ group: Int) throws(ReportError) -> ParquetColumnBuffer {
        guard let column = index[name] else {
            throw ReportError(
                "the dataset file \(path) has no column \"\(name)\"; was it written by an older hotline-etl? "
                    + "Rerun `hotline-etl run` to republish the dataset")
        }
        let buffer: ParquetColumnBuffer
        do {
            buffer = try reader.readColumnBuffer(rowGroup: group, column: column)
        } catch {
            throw ReportError("cannot read column \"\(name)\" of \(path): \(error.message)")
        }
        guard buffer.count == rows(group) else {
            throw ReportError(
                "cannot read column \"\(name)\" of \(path): it holds \(buffer.count) values in row group \(group), "
                    + "which has \(rows(group)) rows")
        }
        return buffer
    }

    func wrongType(_ name: String, _ expected: String) -> ReportError {
        ReportError("column \"\(name)\" of \(path) is not \(expected) as the dataset schema says")
    }
}

extension ColumnBufferRows {
    /// One row group of a Parquet file: each visitor reads its column chunk when called.
    init(file: ColumnFile, group: Int) {
        self.init(
            rowCount: file.rows(group), buffer: { (name) throws(ReportError) in try file.buffer(name, group) },
            wrongType: file.wrongType)
    }
}

/// Whole columns as arrays, for the in-memory `YearData`.
extension ColumnRows {
    func strings(_ column: Column) throws(ReportError) -> [String?] {
        var out: [String?] = []
        out.reserveCapacity(rowCount)
        // Codes repeat a lot: decode each distinct byte string once.
        var codes = CodeTable()
        try forEachString(column) { _, bytes in
            guard let bytes else { return out.append(nil) }
            let id = codes.id(bytes)
            out.append(codes.codes[id])
        }
        return out
    }

    func digests(_ column: Column) throws(ReportError) -> [KeyDigest] {
        try gather { (body) throws(ReportError) in try forEachDigest(column, body) }
    }

    func int32s(_ column: Column) throws(ReportError) -> [Int32?] {
        try gather { (body) throws(ReportError) in try forEachInt32(column, body) }
    }

    func int64s(_ column: Column) throws(ReportError) -> [Int64?] {
        try gather { (body) throws(ReportError) in try forEachInt64(column, body) }
    }

    func booleans(_ column: Column) throws(ReportError) -> [Bool?] {
        try gather { (body) throws(ReportError) in try forEachBoolean(column, body) }
    }

    /// The values one visitor hands over, in row order.
    private func gather<Value>(
        _ visit: (_ body: (Int, Value) -> Void) throws(ReportError) -> Void
    ) throws(ReportError) -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(rowCount)
        try visit { _, value in out.append(value) }
        return out
    }
}

// MARK: In-memory rows

extension CaseColumns: ColumnRows {
    func forEachString(_ column: CaseColumn, _ body: (Int, UnsafeRawBufferPointer?) -> Void) {
        func visit(_ values: [String?]) {
            for (row, value) in values.enumerated() {
                guard var value else {
                    body(row, nil)
                    continue
                }
                value.withUTF8 { body(row, UnsafeRawBufferPointer($0)) }
            }
        }
        func visit(_ values: [String]) {
            for (row, var value) in values.enumerated() { value.withUTF8 { body(row, UnsafeRawBufferPointer($0)) } }
        }
        switch column {
        case .memberID: visit(memberID)
        case .caseStatus: visit(caseStatus)
        case .category: visit(category)
        case .destinationCountry: visit(destinationCountry)
        case .childGender: visit(childGender)
        case .outcome: visit(outcome)
        case .foundBy: visit(foundBy)
        case .firstChannel: visit(firstChannel)
        case .caseKey, .childKey, .closedOn, .crossBorder, .childAge, .repeatMissing, .violenceExperienced,
            .daysMissing:
            preconditionFailure("\(column.rawValue) is not a string column of CaseColumns")
        }
    }

    func forEachDigest(
        _ column: CaseColumn, _ body: (Int, KeyDigest) throws(ReportError) -> Void
    ) throws(ReportError) {
        let values: [KeyDigest]
        switch column {
        case .caseKey: values = caseKey
        case .childKey: values = childKey
        default: preconditionFailure("\(column.rawValue) is not a key column of CaseColumns")
        }
        for (row, value) in values.enumerated() { try body(row, value) }
    }

    func forEachInt32(_ column: CaseColumn, _ body: (Int, Int32?) -> Void) {
        let values: [Int32?]
        switch column {
        case .closedOn: values = closedOn
        case .childAge: values = childAge
        case .daysMissing: values = daysMissing
        default: preconditionFailure("\(column.rawValue) is not an integer column of CaseColumns")
        }
        for (row, value) in values.enumerated() { body(row, value) }
    }

    func forEachInt64(_ column: CaseColumn, _ body: (Int, Int64?) -> Void) {
        preconditionFailure("\(column.rawValue) is not an Int64 column of CaseColumns")
    }

    func forEachBoolean(_ column: CaseColumn, _ body: (Int, Bool?) -> Void) {
        let values: [Bool?]
        switch column {
        case .crossBorder: values = crossBorder
        case .repeatMissing: values = repeatMissing
        case .violenceExperienced: values = violenceExperienced
        default: preconditionFailure("\(column.rawValue) is not a boolean column of CaseColumns")
        }
        for (row, value) in values.enumerated() { body(row, value) }
    }
}

extension ContactColumns: ColumnRows {
    func forEachString(_ column: ContactColumn, _ body: (Int, UnsafeRawBufferPointer?) -> Void) {
        let values: [String]
        switch column {
        case .memberID: values = memberID
        case .channel: values = channel
        case .contactType: values = contactType
        case .count: preconditionFailure("count is not a string column of ContactColumns")
        }
        for (row, var value) in values.enumerated() { value.withUTF8 { body(row, UnsafeRawBufferPointer($0)) } }
    }

    func forEachDigest(
        _ column: ContactColumn, _ body: (Int, KeyDigest) throws(ReportError) -> Void
    ) throws(ReportError) {
        preconditionFailure("ContactColumns has no key column")
    }

    func forEachInt32(_ column: ContactColumn, _ body: (Int, Int32?) -> Void) {
        preconditionFailure("ContactColumns has no Int32 column")
    }

    func forEachInt64(_ column: ContactColumn, _ body: (Int, Int64?) -> Void) {
        precondition(column == .count, "\(column.rawValue) is not an integer column of ContactColumns")
        for (row, value) in count.enumerated() { body(row, value) }
    }

    func forEachBoolean(_ column: ContactColumn, _ body: (Int, Bool?) -> Void) {
        preconditionFailure("ContactColumns has no boolean column")
    }
}
