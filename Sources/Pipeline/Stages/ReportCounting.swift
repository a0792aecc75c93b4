import DatasetContract
import Parquet
import Report

/// Counts the report's figures on its own thread from the batches the load stage writes, so a run
/// that loads and reports never reads the year back from the dataset (`YearCounter`). The table
/// sinks send it the same column batches they send their writers, after duplicates are folded.
/// If counting fails, loading goes on and the report stage reads the published dataset instead.
struct ReportCounting {
    private struct Batch: Sendable {
        let table: DatasetTable
        let columns: [ParquetColumnBuffer]
        /// The key columns' digests by column name, when the load has them (`KeyDigestColumns`).
        let keyDigests: [String: [KeyDigest]]
    }

    private let channel = BatchChannel<Batch>(capacity: 4)
    private let counting: BackgroundJob<Result<CountedYear, ReportError>>

    init(year: Int) {
        let channel = self.channel
        counting = BackgroundJob {
            var counter = YearCounter(year: year)
            do throws(ReportError) {
                while let batch = channel.receive() {
                    try counter.fold(batch.table, columns: batch.columns, keyDigests: batch.keyDigests)
                }
                if channel.isCancelled { return .failure(ReportError("the load stage stopped before all rows were counted")) }
                return .success(try counter.finish())
            } catch {
                channel.cancel()
                return .failure(error)
            }
        }
    }

    /// Queues a batch of `table`'s rows, with its key columns' digests by name if the load has
    /// them (waits while four are queued); dropped once counting has failed. (`YearCounter`
    /// ignores quarantine rows; the load gives them no counting at all.)
    func count(_ table: DatasetTable, _ columns: [ParquetColumnBuffer], keyDigests: [String: [KeyDigest]] = [:]) {
        _ = channel.send(Batch(table: table, columns: columns, keyDigests: keyDigests))
    }

    /// Every row was sent: lets the counters finish (sorting and counting the keys) while the
    /// caller does something else; `finish()` then collects the counts.
    func finishSending() {
        channel.finish()
    }

    /// Every row was sent: waits for the counts.
    func finish() -> Result<CountedYear, ReportError> {
        channel.finish()
        return counting.wait()
    }

    /// Stops counting after a failure elsewhere.
    func abandon() {
        channel.cancel()
        _ = counting.wait()
    }
}
