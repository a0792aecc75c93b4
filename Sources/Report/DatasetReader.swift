import DatasetContract
import Foundation
import Parquet

/// One year's `cases` rows, column by column (one row per child per case). Only the columns the
/// report uses are read; string codes are kept as they are in the file.
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

/// The dataset of one report year: its `cases` and `contacts` partitions.
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

    /// Reads the year's partitions; a missing partition reads as no rows.
    public func read(year: Int) throws(ReportError) -> YearData {
        var data = YearData(year: year)
        for path in partFiles(table: "cases", year: year) {
            try readCases(path, into: &data.cases)
        }
        for path in partFiles(table: "contacts", year: year) {
            try readContacts(path, into: &data.contacts)
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

    private func readCases(_ path: String, into c: inout CaseColumns) throws(ReportError) {
        let file = try ColumnFile(path: path)
        for group in 0..<file.rowGroups {
            c.memberID += try file.strings("member_id", group)
            c.caseKey += try file.digests("case_key", group)
            c.childKey += try file.digests("child_key", group)
            c.caseStatus += try file.strings("case_status", group)
            c.category += try file.strings("category", group)
            c.closedOn += try file.int32s("closed_on", group)
            c.crossBorder += try file.booleans("cross_border", group)
            c.destinationCountry += try file.optionalStrings("destination_country", group)
            c.childAge += try file.int32s("child_age", group)
            c.childGender += try file.strings("child_gender", group)
            c.repeatMissing += try file.booleans("repeat_missing", group)
            c.violenceExperienced += try file.booleans("violence_experienced", group)
            c.outcome += try file.strings("outcome", group)
            c.foundBy += try file.optionalStrings("found_by", group)
            c.daysMissing += try file.int32s("days_missing", group)
            c.firstChannel += try file.optionalStrings("first_channel", group)
        }
    }

    private func readContacts(_ path: String, into c: inout ContactColumns) throws(ReportError) {
        let file = try ColumnFile(path: path)
        for group in 0..<file.rowGroups {
            c.memberID += try file.strings("member_id", group)
            c.channel += try file.strings("channel", group)
            c.contactType += try file.strings("contact_type", group)
            c.count += try file.int64s("count", group).map { $0 ?? 0 }
        }
    }
}

/// A Parquet file whose columns are looked up by name and checked for the expected type.
private struct ColumnFile {
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

    private func values(_ name: String, _ group: Int) throws(ReportError) -> ParquetColumnValues {
        guard let column = index[name] else {
            throw ReportError(
                "the dataset file \(path) has no column \"\(name)\"; was it written by an older hotline-etl? "
                    + "Rerun `hotline-etl run` to republish the dataset")
        }
        do {
            return try reader.readColumn(rowGroup: group, column: column)
        } catch {
            throw ReportError("cannot read column \"\(name)\" of \(path): \(error.message)")
        }
    }

    private func wrongType(_ name: String, _ expected: String) -> ReportError {
        ReportError("column \"\(name)\" of \(path) is not \(expected) as the dataset schema says")
    }

    func optionalStrings(_ name: String, _ group: Int) throws(ReportError) -> [String?] {
        guard case .byteArray(let raw) = try values(name, group) else { throw wrongType(name, "a STRING") }
        // Codes repeat a lot: decode each distinct byte string once.
        var cache: [[UInt8]: String] = [:]
        return raw.map { bytes -> String? in
            guard let bytes else { return nil }
            if let hit = cache[bytes] { return hit }
            let s = String(decoding: bytes, as: UTF8.self)
            if cache.count < 4096 { cache[bytes] = s }
            return s
        }
    }

    func digests(_ name: String, _ group: Int) throws(ReportError) -> [KeyDigest] {
        guard case .byteArray(let raw) = try values(name, group) else { throw wrongType(name, "a STRING") }
        return raw.map { KeyDigest($0 ?? []) }
    }

    func strings(_ name: String, _ group: Int) throws(ReportError) -> [String] {
        try optionalStrings(name, group).map { $0 ?? "" }
    }

    func int32s(_ name: String, _ group: Int) throws(ReportError) -> [Int32?] {
        switch try values(name, group) {
        case .int32(let v): return v
        case .int64(let v): return v.map { $0.map { Int32(clamping: $0) } }
        default: throw wrongType(name, "an INT32")
        }
    }

    func int64s(_ name: String, _ group: Int) throws(ReportError) -> [Int64?] {
        switch try values(name, group) {
        case .int64(let v): return v
        case .int32(let v): return v.map { $0.map(Int64.init) }
        default: throw wrongType(name, "an INT64")
        }
    }

    func booleans(_ name: String, _ group: Int) throws(ReportError) -> [Bool?] {
        guard case .boolean(let v) = try values(name, group) else { throw wrongType(name, "a BOOLEAN") }
        return v
    }
}
