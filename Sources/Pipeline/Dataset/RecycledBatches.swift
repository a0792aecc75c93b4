import Parquet

/// The last batches of column buffers a table sink sent, to fill again instead of allocating:
/// about 2% of a 1M-case run went to faulting in fresh pages for every batch and to doubling its
/// text columns while they filled.
///
/// Safe by copy-on-write: a batch comes back only after `keeping` newer ones were sent, emptied
/// with its capacity kept; any buffer of it that the writer or the counters still hold is then
/// replaced by a fresh one of the same capacity, so nothing a reader holds ever changes.
struct RecycledBatches {
    private let keeping: Int
    private var sent: [[ParquetColumnBuffer]] = []

    init(keeping: Int) {
        self.keeping = keeping
    }

    /// `batch` was just sent; returns the oldest batch kept, emptied, once more than `keeping`
    /// are kept, else nil (allocate new columns then).
    mutating func next(after batch: [ParquetColumnBuffer]) -> [ParquetColumnBuffer]? {
        sent.append(batch)
        guard sent.count > keeping else { return nil }
        var columns = sent.removeFirst()
        for index in columns.indices { columns[index].removeAll(keepingCapacity: true) }
        return columns
    }
}
