import DatasetContract
import Foundation
import Parquet
import Tally

/// Loads the year's tables while the extract and normalize stages are still running, in a run
/// that extracts every submission afresh (a first run, or `--force`), so the load's work overlaps
/// the reading instead of following it. Without it, load reads every staged row back after the
/// last submission is normalised (about 1.7 s of a 1M-case run).
///
/// It goes through the submissions in load order (the inbox order, as the load stage does). A
/// submission whose fused extract starts while the loader waits for it hands each block of its
/// staged rows here as it is written (`claim`), and the loader decodes it as the load stage
/// decodes the file; any other is read from the staging area once it is done, as the load stage
/// would. Rows are staged as usual either way, so a later `--stage load` finds them.
///
/// The result is speculative, and it is used only when it is exactly what the load stage would
/// write: every submission was loaded (none rejected), the run loads exactly these submissions in
/// this order, and no two case rows share a case and child (folding a duplicate drops the earlier
/// row, which a live load has already written). Otherwise `finish` says why and the caller runs
/// the load stage as usual. The files are written under the staging folder and moved into the
/// release only when used.
///
/// Unchecked Sendable: the mutable state is read and written only under `condition`; the tables
/// belong to the loading thread alone.
final class LiveLoad: @unchecked Sendable {
    /// One block of a submission's staged rows as the normalize stage wrote it (`StagedRows`),
    /// its number of rows, and the child-key digest of each of its case rows, in order.
    struct Batch: Sendable {
        let bytes: [UInt8]
        let rows: Int
        let childKeys: [KeyDigest]
    }

    /// Blocks of staged rows from one submission's normalizing thread.
    typealias Rows = BatchChannel<Batch>

    /// Why a live load's result was set aside.
    struct Miss: Error, CustomStringConvertible, Equatable {
        let description: String
        /// The run told the loader to stop (`abandon`) before it had failed on its own.
        static let stopped = Miss(description: "the run stopped loading while extracting")
    }

    private enum Closing {
        case close([DatasetTable: [ParquetWriterOptions.KeyValue]])
        case abandon
    }

    private let condition = NSCondition()
    private let names: [String]
    private let indices: [String: Int]
    /// Where the tables are written (the same relative paths as in a release).
    let directory: String
    private var current = 0
    private var feeds: [Int: Rows] = [:]
    private var loaded: [Int: Bool] = [:]
    private var closing: Closing?
    private var stopped = false
    private var loader: BackgroundJob<Result<LoadStage.Result, Miss>>?

    /// Starts the loading thread for `names` (the load order), writing tables like the load
    /// stage's (`writerOptions`' footers are replaced at `finish`).
    init(
        names: [String], staging: StagingArea, year: Int, writerOptions: [DatasetTable: ParquetWriterOptions],
        rowGroupSize: Int, countsForReport: Bool
    ) {
        self.names = names
        indices = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        directory = (staging.root as NSString).appendingPathComponent("live-load")
        try? FileManager.default.removeItem(atPath: directory)
        let bucketsDirectory = (staging.root as NSString).appendingPathComponent("live-load-buckets")
        let directory = directory
        loader = BackgroundJob { [self] in
            let result = catchingMiss { () throws -> LoadStage.Result in
                let tables = try LoadTables(
                    in: directory, year: year, writerOptions: writerOptions, rowGroupSize: rowGroupSize,
                    countsForReport: countsForReport)
                return try load(into: tables, buckets: DigestBuckets(directory: bucketsDirectory), staging: staging)
            }
            if case .failure = result { stop() }
            return result
        }
    }

    /// Runs `body`, turning what it throws into a `Miss`.
    private func catchingMiss(_ body: () throws -> LoadStage.Result) -> Result<LoadStage.Result, Miss> {
        do { return .success(try body()) } catch let miss as Miss { return .failure(miss) } catch {
            return .failure(Miss(description: "loading while extracting failed: \(error)"))
        }
    }

    private func load(into tables: LoadTables, buckets: DigestBuckets, staging: StagingArea) throws -> LoadStage.Result {
        var tables = tables
        do {
            let noMerges = MergePlan(losers: [:], files: names)
            for index in names.indices {
                let name = names[index]
                switch waitForSource(index) {
                case .rows(let rows):
                    var ordinal = 0
                    var decoder = StagedRows.RowDecoder()
                    while let batch = rows.receive() {
                        for digest in batch.childKeys {
                            try LoadStage.add(digest, file: index, ordinal: ordinal, to: buckets)
                            ordinal += 1
                        }
                        let caseRows = try tables.appendBlock(batch.bytes, rows: batch.rows, of: name, decoder: &decoder)
                        guard caseRows == batch.childKeys.count else {
                            throw Miss(description: "a block of \(name) holds \(caseRows) case rows but \(batch.childKeys.count) keys")
                        }
                    }
                    // A cancelled channel may have dropped rows: only a finished one is complete.
                    guard !rows.isCancelled, waitForOutcome(index) else {
                        throw Miss(description: "\(name) was not loaded in this run")
                    }
                case .staged:
                    let path = staging.normalizePath(name)
                    let expected = try LoadStage.addKeys(ofStagedRows: path, index: index, to: buckets)
                    var merges = noMerges
                    try tables.appendStaged(name, index: index, path: path, expected: expected, merges: &merges)
                case .notLoaded:
                    throw Miss(description: "\(name) was not loaded in this run")
                case .stopped:
                    throw Miss.stopped
                }
                advance(to: index + 1)
            }
            // The tables' last row groups and the report's counts are made while the run
            // finishes its stages and the duplicates are looked for (both about 0.05 s at 1M).
            try tables.finishRows()
            guard case .close(let metadata) = waitForClosing() else { throw Miss.stopped }
            guard try LoadStage.losers(in: buckets).isEmpty else {
                throw Miss(description: "a case and child occur more than once, and folding them drops rows already written")
            }
            return try tables.close(merges: noMerges, keyValueMetadata: metadata)
        } catch {
            tables.abandon()
            throw error
        }
    }

    // MARK: - Called by the stages

    /// A channel for the rows of `name`, whose fused extract is starting, if the loader is
    /// waiting for exactly this submission; nil otherwise (it is then read from the staging area
    /// when done). The caller must `finish()` the channel on every path.
    func claim(_ name: String) -> Rows? {
        guard let index = indices[name] else { return nil }
        condition.lock()
        defer { condition.unlock() }
        guard !stopped, current == index, feeds[index] == nil, loaded[index] == nil else { return nil }
        let rows = Rows(capacity: 4)
        feeds[index] = rows
        condition.broadcast()
        return rows
    }

    /// The stage is done with `name`: whether its rows are staged and loadable.
    func finished(_ name: String, loaded ok: Bool) {
        guard let index = indices[name] else { return }
        condition.lock()
        loaded[index] = ok
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the tables and closes them with `keyValueMetadata` in their footers, if the run
    /// loads exactly `loadable` and nothing set the result aside; the tables are then under
    /// `directory`. Otherwise the reason, and the folder is removed.
    func finish(
        loadable: [String], keyValueMetadata: [DatasetTable: [ParquetWriterOptions.KeyValue]]
    ) -> Result<LoadStage.Result, Miss> {
        guard loadable == names else {
            // The loader goes on to where it fails on its own (at a rejected submission, whose
            // outcome it knows by now), since its reason says more.
            let outcome = join(.abandon, stopNow: false)
            try? FileManager.default.removeItem(atPath: directory)
            if case .failure(let miss) = outcome, miss != .stopped { return .failure(miss) }
            return .failure(Miss(description: "the run loads other submissions than it extracted"))
        }
        let result = join(.close(keyValueMetadata), stopNow: false)
        if case .failure = result { try? FileManager.default.removeItem(atPath: directory) }
        return result
    }

    /// Stops the loader (if still running) and removes what it wrote. Harmless after `finish`.
    func abandon() {
        if case .success = join(.abandon, stopNow: true) { return }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func join(_ order: Closing, stopNow: Bool) -> Result<LoadStage.Result, Miss> {
        condition.lock()
        if closing == nil { closing = order }
        if stopNow { stopLocked() }
        condition.broadcast()
        condition.unlock()
        return loader!.wait()
    }

    // MARK: - The loader's waits

    private enum Source {
        case rows(Rows)
        case staged
        case notLoaded
        case stopped
    }

    private func waitForSource(_ index: Int) -> Source {
        condition.lock()
        defer { condition.unlock() }
        while !stopped, feeds[index] == nil, loaded[index] == nil { condition.wait() }
        if stopped { return .stopped }
        if let rows = feeds[index] { return .rows(rows) }
        return loaded[index]! ? .staged : .notLoaded
    }

    private func waitForOutcome(_ index: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !stopped, loaded[index] == nil { condition.wait() }
        return !stopped && loaded[index] == true
    }

    private func waitForClosing() -> Closing {
        condition.lock()
        defer { condition.unlock() }
        while closing == nil { condition.wait() }
        return closing!
    }

    private func advance(to index: Int) {
        condition.lock()
        current = index
        feeds[index - 1] = nil
        condition.broadcast()
        condition.unlock()
    }

    /// The loader gives up: no more claims, and any normalizer sending rows stops waiting.
    private func stop() {
        condition.lock()
        stopLocked()
        condition.unlock()
    }

    private func stopLocked() {
        stopped = true
        for rows in feeds.values { rows.cancel() }
        condition.broadcast()
    }
}
