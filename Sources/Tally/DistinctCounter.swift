/// Counts distinct digests per tag (for example distinct cases per hotline and category) in
/// bounded memory, by way of `DigestBuckets`. The same digest under two tags counts once for each.
public struct DistinctCounter {
    private let buckets: DigestBuckets

    public init(directory: String, bucketCount: Int = 64, bufferedEntries: Int = 2048) {
        buckets = DigestBuckets(directory: directory, bucketCount: bucketCount, bufferedEntries: bufferedEntries)
    }

    /// Notes that `digest` (two 64-bit halves) occurred under `tag`.
    public func insert(high: UInt64, low: UInt64, tag: Int) throws(TallyError) {
        try buckets.append(DigestEntry(high: high, low: low, payload: UInt64(truncatingIfNeeded: tag)))
    }

    /// The number of distinct digests under each tag; tags never inserted are absent.
    public func counts() throws -> [Int: Int] {
        var counts: [Int: Int] = [:]
        try buckets.forEachBucket { entries in
            var previous: DigestEntry?
            for entry in entries {
                if entry != previous { counts[Int(truncatingIfNeeded: entry.payload), default: 0] += 1 }
                previous = entry
            }
        }
        return counts
    }
}
