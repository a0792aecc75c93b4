import DatasetContract
import Foundation
import Normalize
import Parquet
import Report
import Tally

/// Merges every staged submission of the year into the cases, contacts and quarantine tables,
/// folding duplicates (the later record of a case and child wins), and writes them into a new
/// release folder. Two passes over the staged rows; duplicates are found with `DigestBuckets`
/// (spilled to the staging folder), so memory is bounded by one row group, the buckets' buffers
/// and the merges found, whatever the number of cases.
struct LoadStage {
    let context: RunContext
    let rowGroupSize: Int
    /// Writer settings per table (each table's lineage lists its own inputs).
    let writerOptions: [DatasetTable: ParquetWriterOptions]
    /// Whether to count the report's figures from the rows as they are written (when the report
    /// stage follows in the same run).
    var countsForReport = false

    /// Rows per row group: 131,072 (DuckDB writes 122,880). The buffered row group is most of a
    /// run's peak memory (143 MiB at 1M cases, 186 MiB with 262,144 rows), files grow by 3%, and
    /// readers still get several row groups to read in parallel.
    static let rowGroupSize = 131_072

    /// Per submission: rows loaded, merges, and quarantine counts per reason.
    struct Result: Sendable {
        var loaded: [String: Int] = [:]
        var merges: [String: [SubmissionReport.Merge]] = [:]
        var quarantineByMemberReason: [String: [String: Int]] = [:]
        var tableRows: [DatasetTable: Int] = [:]
        /// The year's figures, counted while loading (nil when not asked for).
        var counted: Swift.Result<CountedYear, ReportError>?
    }

    /// A case row's place in the load order: its file's index in the high bits, its ordinal among
    /// that file's case rows in the low 40 bits. A later row has a larger position.
    static func position(file: Int, ordinal: Int) -> UInt64 {
        UInt64(file) << 40 | UInt64(ordinal)
    }

    /// Writes the year's tables under `releaseDirectory` from the staged rows of `files`.
    func run(files: [String], into releaseDirectory: String) throws -> Result {
        var generations: [(generation: UInt64, caseRows: Int)] = []
        var merges = MergePlan(losers: try findMergedRows(files: files, generations: &generations), files: files)
        // Pass 2: stream rows into the three tables.
        var tables = try LoadTables(
            in: releaseDirectory, year: context.reportYear, writerOptions: writerOptions, rowGroupSize: rowGroupSize,
            countsForReport: countsForReport)
        do {
            for (index, file) in files.enumerated() {
                try tables.appendStaged(
                    file, index: index, path: context.staging.normalizePath(file), expected: generations[index],
                    merges: &merges)
            }
        } catch {
            tables.abandon()
            throw error
        }
        return try tables.close(merges: merges)
    }

    /// Pass 1: every case row that a later row of the same case and child replaces, mapped to
    /// the position of the row that is kept. A case and child is identified by the first 128 bits
    /// of its keyed child pseudonym (which covers the member, the case and the child).
    private func findMergedRows(
        files: [String], generations: inout [(generation: UInt64, caseRows: Int)]
    ) throws -> [UInt64: UInt64] {
        let buckets = DigestBuckets(
            directory: (context.staging.root as NSString).appendingPathComponent("load-buckets"))
        for (index, file) in files.enumerated() {
            generations.append(try Self.addKeys(ofStagedRows: context.staging.normalizePath(file), index: index, to: buckets))
        }
        return try Self.losers(in: buckets)
    }

    /// Adds the child-key digest of every case row of the staged rows file at `path`, the
    /// `index`th submission of the load, to `buckets`; returns the keys file's generation and the
    /// number of case rows, which the rows file must match.
    static func addKeys(
        ofStagedRows path: String, index: Int, to buckets: DigestBuckets
    ) throws -> (generation: UInt64, caseRows: Int) {
        var keys = try StagedRows.KeysReader(path: StagedRows.keysPath(path))
        var ordinal = 0
        try keys.forEach { digest in
            try add(digest, file: index, ordinal: ordinal, to: buckets)
            ordinal += 1
        }
        return (keys.generation, ordinal)
    }

    /// Adds the child-key digest of the `ordinal`th case row of the `index`th submission, with
    /// that row's position as payload.
    static func add(_ digest: KeyDigest, file index: Int, ordinal: Int, to buckets: DigestBuckets) throws {
        try buckets.append(DigestEntry(high: digest.high, low: digest.low, payload: position(file: index, ordinal: ordinal)))
    }

    /// Every row of `buckets` that a later row with the same digest replaces, mapped to the
    /// position of the row that is kept (the entries' payloads are positions).
    static func losers(in buckets: DigestBuckets) throws -> [UInt64: UInt64] {
        var losers: [UInt64: UInt64] = [:]
        try buckets.forEachBucket { entries in
            // Sorted by digest, then position: the last of a run of equal digests is kept.
            var i = 0
            while i < entries.count {
                var end = i + 1
                while end < entries.count, entries[end].sameDigest(as: entries[i]) { end += 1 }
                let kept = entries[end - 1].payload
                for loser in entries[i..<(end - 1)] { losers[loser.payload] = kept }
                i = end
            }
        }
        return losers
    }
}

/// Streams one table's rows into contiguous column buffers and hands each full batch to a
/// writing thread, which encodes, compresses and writes it (the Parquet writer cuts row groups of
/// `rowGroupSize` rows): decoding the staged rows and writing Parquet use both cores, and memory
/// stays bounded by one row group plus two batches in flight, whatever the number of rows. With
/// `counting`, every batch also goes to the report's counters.
struct TableSink {
    let table: DatasetTable
    let path: String
    private let counting: ReportCounting?
    private let channel = BatchChannel<Message>(capacity: 2)
    private let writing: BackgroundJob<WriteOutcome>
    private var columns: [ParquetColumnBuffer]
    private var recycled: RecycledBatches
    /// The digests of the keys of the case rows in `columns` (`appendCase`), for the counters.
    private var keys = KeyDigestColumns()
    private var written = 0
    static let batchRows = 16_384

    private enum WriteOutcome: Sendable {
        case closed
        case failed(String)
    }

    /// What the writing thread is sent: batches of rows, perhaps word that no rows follow (it then
    /// writes its last row group at once), and at most once, just before the end, the footer's
    /// key-value metadata when it differs from the options'.
    private enum Message: Sendable {
        case rows([ParquetColumnBuffer])
        case endOfRows
        case footer([ParquetWriterOptions.KeyValue])
    }

    /// The partition file's path relative to a release folder.
    static func relativePath(_ table: DatasetTable, year: Int) -> String {
        "\(table.rawValue)/report_year=\(year)/part-00000.parquet"
    }

    init(
        _ table: DatasetTable, in directory: String, year: Int, options: ParquetWriterOptions, rowGroupSize: Int,
        counting: ReportCounting? = nil
    ) throws {
        self.table = table
        self.counting = counting
        let path = (directory as NSString).appendingPathComponent(Self.relativePath(table, year: year))
        self.path = path
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var options = options
        options.rowGroupSize = rowGroupSize
        let writer = HandOver(try ParquetFileWriter(path: path, schema: table.schema, options: options))
        let channel = self.channel
        writing = BackgroundJob {
            do {
                var footer: [ParquetWriterOptions.KeyValue]?
                while let message = channel.receive() {
                    switch message {
                    case .rows(let batch): try writer.value.append(batch)
                    case .endOfRows: try writer.value.flushRowGroup()
                    case .footer(let metadata): footer = metadata
                    }
                }
                if channel.isCancelled { return .failed("the load stage stopped before this table was complete") }
                try writer.value.close(keyValueMetadata: footer)
                return .closed
            } catch {
                channel.cancel()
                return .failed("\(error)")
            }
        }
        columns = Self.emptyColumns(table)
        recycled = RecycledBatches(keeping: 4)  // the writer holds at most two, the counters four
    }

    private static func emptyColumns(_ table: DatasetTable) -> [ParquetColumnBuffer] {
        table.schema.columns.map { ParquetColumnBuffer($0.physicalType, reservingCapacity: batchRows) }
    }

    /// Appends one row that `fill` writes into the columns itself (in schema order).
    mutating func append<Value>(_ fill: (inout [ParquetColumnBuffer]) throws -> Value) throws -> Value {
        try appendCase { columns, _ in try fill(&columns) }
    }

    /// Appends one case row that `fill` writes into the columns, and its keys' digests into `keys`
    /// (the report's counters take those instead of parsing the keys' hex).
    mutating func appendCase<Value>(
        _ fill: (inout [ParquetColumnBuffer], inout KeyDigestColumns) throws -> Value
    ) throws -> Value {
        let result = try fill(&columns, &keys)
        if columns[0].count >= Self.batchRows { try flush() }
        return result
    }

    private mutating func flush() throws {
        guard columns[0].count > 0 else { return }
        let batch = columns
        let digests = keys
        written += batch[0].count
        columns = recycled.next(after: batch) ?? Self.emptyColumns(table)
        keys = KeyDigestColumns(reservingCapacity: table == .cases ? Self.batchRows : 0)
        guard channel.send(.rows(batch)) else { throw failure() }
        counting?.count(table, batch, keyDigests: digests.byColumn)
    }

    private func failure() -> TableWriteError {
        if case .failed(let message) = writing.wait() { return TableWriteError(path: path, reason: message) }
        return TableWriteError(path: path, reason: "the writing thread stopped")
    }

    /// Sends the last rows and has the writing thread write its last row group now, without
    /// waiting for it: for a caller that knows no rows follow before it knows the footer. Append
    /// nothing after it.
    mutating func sendRemainingRows() throws {
        try flush()
        guard channel.send(.endOfRows) else { throw failure() }
    }

    /// Closing, first half: sends the last rows and the footer (with `keyValueMetadata` instead of
    /// the options', if given) and tells the writing thread that nothing more is coming, without
    /// waiting for it to write them, so that several tables (and the report's counters) can finish
    /// at the same time.
    mutating func finishSending(keyValueMetadata: [ParquetWriterOptions.KeyValue]? = nil) throws {
        try flush()
        if let keyValueMetadata, !channel.send(.footer(keyValueMetadata)) { throw failure() }
        channel.finish()
    }

    /// Closing, second half: waits until the file is complete; returns the number of rows.
    func waitUntilWritten() throws -> Int {
        guard case .closed = writing.wait() else { throw failure() }
        return written
    }

    /// Stops the writing thread after a failure elsewhere (the incomplete file stays in the
    /// release folder, which is never published). Does nothing to a table already closed.
    func abandon() {
        channel.cancel()
        _ = writing.wait()
    }
}

/// A table file of the new release could not be written.
struct TableWriteError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "cannot write \(path): \(reason)" }
}
