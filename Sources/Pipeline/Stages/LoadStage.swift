import DatasetContract
import Foundation
import Normalize
import Parquet

/// Merges every staged submission of the year into the cases, contacts and quarantine tables,
/// folding duplicates (the later record of a case and child wins), and writes them into a new
/// release folder. Two passes over the staged rows keep memory bounded by one row group plus
/// 24 bytes per case.
struct LoadStage {
    let context: RunContext
    let rowGroupSize: Int
    /// Writer settings per table (each table's lineage lists its own inputs).
    let writerOptions: [DatasetTable: ParquetWriterOptions]

    /// Per submission: rows loaded, merges, and quarantine counts per reason.
    struct Result: Sendable {
        var loaded: [String: Int] = [:]
        var merges: [String: [SubmissionReport.Merge]] = [:]
        var quarantineByMemberReason: [String: [String: Int]] = [:]
        var tableRows: [DatasetTable: Int] = [:]
    }

    private struct Position: Equatable {
        let file: Int32
        let record: Int32
    }

    /// Writes the year's tables under `releaseDirectory` from the staged rows of `files`.
    func run(files: [String], into releaseDirectory: String) throws -> Result {
        // Pass 1: the winning record of every case and child.
        // A case and child, by the first 128 bits of its keyed child pseudonym (which covers the
        // member, the case and the child).
        var winner: [KeyDigest: Position] = [:]
        for (index, file) in files.enumerated() {
            var reader = try StagedRows.Reader(path: context.staging.normalizePath(file))
            while let row = try reader.next() {
                if case .caseRow(let caseRow) = row {
                    winner[KeyDigest(caseRow.childKey)] = Position(
                        file: Int32(index), record: Int32(truncatingIfNeeded: caseRow.sourceRecord))
                }
            }
        }
        // Pass 2: stream rows into the three tables.
        var result = Result()
        var cases = try TableSink(.cases, in: releaseDirectory, year: context.reportYear, options: writerOptions[.cases]!, rowGroupSize: rowGroupSize)
        var contacts = try TableSink(.contacts, in: releaseDirectory, year: context.reportYear, options: writerOptions[.contacts]!, rowGroupSize: rowGroupSize)
        var quarantine = try TableSink(.quarantine, in: releaseDirectory, year: context.reportYear, options: writerOptions[.quarantine]!, rowGroupSize: rowGroupSize)
        for (index, file) in files.enumerated() {
            var reader = try StagedRows.Reader(path: context.staging.normalizePath(file))
            while let row = try reader.next() {
                switch row {
                case .caseRow(let caseRow):
                    let kept = winner[KeyDigest(caseRow.childKey)]!
                    if kept == Position(file: Int32(index), record: Int32(truncatingIfNeeded: caseRow.sourceRecord)) {
                        try cases.append(.caseRow(caseRow))
                        result.loaded[file, default: 0] += 1
                    } else {
                        result.merges[file, default: []].append(SubmissionReport.Merge(
                            mergedRecord: caseRow.sourceRecord, keptFile: files[Int(kept.file)],
                            keptRecord: Int(kept.record)))
                    }
                case .contactRow:
                    try contacts.append(row)
                    result.loaded[file, default: 0] += 1
                case .quarantined(let entry):
                    try quarantine.append(row)
                    result.quarantineByMemberReason[entry.memberID, default: [:]][entry.reason.rawValue, default: 0] += 1
                }
            }
        }
        result.tableRows[.cases] = try cases.close()
        result.tableRows[.contacts] = try contacts.close()
        result.tableRows[.quarantine] = try quarantine.close()
        return result
    }
}

/// Streams one table's rows into contiguous column buffers and hands them to the Parquet writer
/// in batches; the writer cuts row groups of `rowGroupSize` rows, so memory stays bounded by one
/// row group whatever the number of rows.
struct TableSink {
    let table: DatasetTable
    private let writer: ParquetFileWriter
    private var columns: [ParquetColumnBuffer]
    private var written = 0
    static let batchRows = 16_384

    /// The partition file's path relative to a release folder.
    static func relativePath(_ table: DatasetTable, year: Int) -> String {
        "\(table.rawValue)/report_year=\(year)/part-00000.parquet"
    }

    init(_ table: DatasetTable, in directory: String, year: Int, options: ParquetWriterOptions, rowGroupSize: Int) throws {
        self.table = table
        let path = (directory as NSString).appendingPathComponent(Self.relativePath(table, year: year))
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var options = options
        options.rowGroupSize = rowGroupSize
        writer = try ParquetFileWriter(path: path, schema: table.schema, options: options)
        columns = table.schema.columns.map { ParquetColumnBuffer($0.physicalType, reservingCapacity: Self.batchRows) }
    }

    mutating func append(_ row: NormalizedRecord) throws {
        switch row {
        case .caseRow(let r): DatasetColumns.append(r, to: &columns)
        case .contactRow(let r): DatasetColumns.append(r, to: &columns)
        case .quarantined(let r): DatasetColumns.append(r, to: &columns)
        }
        if columns[0].count >= Self.batchRows { try flush() }
    }

    private mutating func flush() throws {
        guard columns[0].count > 0 else { return }
        try writer.append(columns)
        written += columns[0].count
        for index in columns.indices { columns[index].removeAll(keepingCapacity: true) }
    }

    /// Writes the last rows and the footer; returns the number of rows.
    mutating func close() throws -> Int {
        try flush()
        try writer.close()
        return written
    }
}
