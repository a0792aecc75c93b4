import DatasetContract
import Foundation
import Normalize
import Parquet

/// The three tables of one load while they are written (cases, contacts, quarantine), and what
/// the load has counted per submission so far. Rows come as staged bytes, from a staged rows file
/// (`appendStaged`, the load stage) or block by block as they are staged (`appendBlock`, a live
/// load); one decoder (`StagedRows.RowDecoder`) reads both, so the files do not depend on the path.
struct LoadTables {
    private var cases: TableSink
    private var contacts: TableSink
    private var quarantine: TableSink
    private let counting: ReportCounting?
    private(set) var result = LoadStage.Result()

    /// Creates the three table files under `directory` (each with its writer thread, and with
    /// `countsForReport` the report's counters on one more).
    init(
        in directory: String, year: Int, writerOptions: [DatasetTable: ParquetWriterOptions], rowGroupSize: Int,
        countsForReport: Bool
    ) throws {
        let counting = countsForReport ? ReportCounting(year: year) : nil
        func sink(_ table: DatasetTable) throws -> TableSink {
            try TableSink(table, in: directory, year: year, options: writerOptions[table]!, rowGroupSize: rowGroupSize,
                          counting: table == .quarantine ? nil : counting)
        }
        var opened: [TableSink] = []
        do {
            for table in [DatasetTable.cases, .contacts, .quarantine] { opened.append(try sink(table)) }
        } catch {
            for sink in opened { sink.abandon() }
            counting?.abandon()
            throw error
        }
        (cases, contacts, quarantine) = (opened[0], opened[1], opened[2])
        self.counting = counting
    }

    /// The `rows` rows of one block of `file`'s staged rows (`StagedRows`), as a live load
    /// receives them while they are written, all kept (a live load checks for duplicates after
    /// the last row); `decoder` carries the repeated values from the block before. Returns the
    /// number of case rows.
    mutating func appendBlock(
        _ bytes: [UInt8], rows: Int, of file: String, decoder: inout StagedRows.RowDecoder
    ) throws -> Int {
        var block = BinaryReader(bytes)
        var caseRows = 0, loaded = 0
        // Counted here and added once: a dictionary update per row hashed the file name per row.
        defer { if loaded > 0 { result.loaded[file, default: 0] += loaded } }
        do {
            for _ in 0..<rows {
                switch try decoder.tag(&block) {
                case .caseRow:
                    _ = try cases.appendCase { try decoder.appendCaseRow(&block, to: &$0, keys: &$1) }
                    caseRows += 1
                    loaded += 1
                case .contactRow:
                    try contacts.append { try decoder.appendContactRow(&block, to: &$0) }
                    loaded += 1
                case .quarantineRow:
                    guard case .quarantined(let entry) = try decoder.row(.quarantineRow, from: &block) else { preconditionFailure() }
                    try appendQuarantined(entry)
                }
            }
        } catch is BinaryReader.Damaged {
            throw StagingError("a block of \(file)'s rows could not be decoded while loading it")
        }
        return caseRows
    }

    /// The rows of `file`, the `index`th submission of the load, from its staged rows file at
    /// `path`, whose keys file said `expected`; case rows that `merges` names as replaced are
    /// dropped and recorded as merges. Kept case and contact rows go from the staged bytes
    /// straight into column buffers.
    mutating func appendStaged(
        _ file: String, index: Int, path: String, expected: (generation: UInt64, caseRows: Int),
        merges: inout MergePlan
    ) throws {
        var reader = try StagedRows.Reader(path: path)
        let mismatch = StagingError(
            "\(StagedRows.keysPath(path)) does not belong to \(path) (an interrupted normalize stage?); "
                + "rerun the normalize stage for \(file) with --force")
        guard reader.generation == expected.generation else { throw mismatch }
        var ordinal = 0, loaded = 0
        defer { if loaded > 0 { result.loaded[file, default: 0] += loaded } }
        while let tag = try reader.nextTag() {
            switch tag {
            case .caseRow:
                let here = LoadStage.position(file: index, ordinal: ordinal)
                ordinal += 1
                if let winner = merges.winner(replacing: here) {
                    guard case .caseRow(let caseRow) = try reader.row(tag) else { preconditionFailure() }
                    result.merges[file, default: []].append(SubmissionReport.Merge(
                        mergedRecord: caseRow.sourceRecord, keptFile: merges.files[Int(winner >> 40)], keptRecord: -1))
                    merges.pending.append((file, result.merges[file]!.count - 1, winner))
                } else {
                    let record = try cases.appendCase { try reader.appendCaseRow(to: &$0, keys: &$1) }
                    merges.kept(here, record: record)
                    loaded += 1
                }
            case .contactRow:
                try contacts.append { try reader.appendContactRow(to: &$0) }
                loaded += 1
            case .quarantineRow:
                guard case .quarantined(let entry) = try reader.row(tag) else { preconditionFailure() }
                try appendQuarantined(entry)
            }
        }
        guard ordinal == expected.caseRows else { throw mismatch }
    }

    private mutating func appendQuarantined(_ row: QuarantineRow) throws {
        try quarantine.append { DatasetColumns.append(row, to: &$0) }
        result.quarantineByMemberReason[row.memberID, default: [:]][row.reason.rawValue, default: 0] += 1
    }

    /// No rows follow: every table writes its last row group and the report's counters finish
    /// (sorting and counting the keys), on their threads, while the caller goes on (a live load
    /// waits for the run's footers and checks for duplicates meanwhile). `close` follows.
    mutating func finishRows() throws {
        do {
            try cases.sendRemainingRows()
            try contacts.sendRemainingRows()
            try quarantine.sendRemainingRows()
        } catch {
            abandon()
            throw error
        }
        counting?.finishSending()
    }

    /// Writes the last rows and the footers (with `keyValueMetadata` in place of the writer
    /// options' where given) and returns what was loaded, the merges filled in from `merges`.
    mutating func close(
        merges: MergePlan, keyValueMetadata: [DatasetTable: [ParquetWriterOptions.KeyValue]] = [:]
    ) throws -> LoadStage.Result {
        for merge in merges.pending {
            result.merges[merge.file]![merge.index].keptRecord = merges.keptRecords[merge.winner]!
        }
        do {
            // Every table's last rows and footer first, then the report's last counts: the
            // writers' last row groups and the counters' sorting of the keys then run side by
            // side instead of one after the other (about 0.1 s of a 1M-case run).
            try cases.finishSending(keyValueMetadata: keyValueMetadata[.cases])
            try contacts.finishSending(keyValueMetadata: keyValueMetadata[.contacts])
            try quarantine.finishSending(keyValueMetadata: keyValueMetadata[.quarantine])
            counting?.finishSending()
            result.tableRows[.cases] = try cases.waitUntilWritten()
            result.tableRows[.contacts] = try contacts.waitUntilWritten()
            result.tableRows[.quarantine] = try quarantine.waitUntilWritten()
        } catch {
            abandon()  // (a sink already closed stays closed)
            throw error
        }
        result.counted = counting?.finish()
        return result
    }

    /// Stops every writing thread after a failure elsewhere (the incomplete files stay where they
    /// are, in a release or folder that is never published).
    func abandon() {
        cases.abandon()
        contacts.abandon()
        quarantine.abandon()
        counting?.abandon()
    }
}

/// Which case rows a load drops because a later row of the same case and child replaces them
/// (`losers`: a row's position to the kept row's, see `LoadStage.position`), and, filled in while
/// loading, where the kept rows came from, so each merge can name the record it was merged into.
struct MergePlan {
    let losers: [UInt64: UInt64]
    private let winners: Set<UInt64>
    /// The load's submissions, by index.
    let files: [String]
    private(set) var keptRecords: [UInt64: Int] = [:]
    /// Merges recorded before their kept row was loaded: (file, index among its merges, winner).
    var pending: [(file: String, index: Int, winner: UInt64)] = []

    init(losers: [UInt64: UInt64], files: [String]) {
        self.losers = losers
        self.winners = Set(losers.values)
        self.files = files
    }

    /// The position of the row that replaces the row at `position`, if one does.
    func winner(replacing position: UInt64) -> UInt64? {
        losers.isEmpty ? nil : losers[position]
    }

    /// The row at `position` was loaded from source record `record`.
    mutating func kept(_ position: UInt64, record: Int) {
        if !winners.isEmpty, winners.contains(position) { keptRecords[position] = record }
    }
}
