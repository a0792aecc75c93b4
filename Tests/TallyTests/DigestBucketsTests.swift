import Foundation
import Synthetic  // SplitMix64: deterministic pseudo-random digests for the tests
import Testing

@testable import Tally

@Suite struct DigestBucketsTests {
    private func directory() -> String { DigestBuckets.temporaryDirectory(prefix: "tally-test") }

    /// Every entry comes back exactly once, sorted within its bucket, whether it stayed in memory
    /// or was spilled; the temporary folder is gone afterwards.
    @Test(arguments: [(1, 1_000_000), (4, 3), (64, 16), (16, 2048)])
    func everyEntryComesBackOnceSorted(buckets: Int, buffered: Int) throws {
        let dir = directory()
        let tally = DigestBuckets(directory: dir, bucketCount: buckets, bufferedEntries: buffered)
        var random = SplitMix64(seed: 42)
        var expected: [DigestEntry] = []
        for i in 0..<5_000 {
            // every tenth digest repeats an earlier one, to put equal digests in the input
            let entry = i % 10 == 9
                ? DigestEntry(high: expected[i / 2].high, low: expected[i / 2].low, payload: UInt64(i))
                : DigestEntry(high: random.next(), low: random.next(), payload: UInt64(i))
            expected.append(entry)
            try tally.append(entry)
        }
        #expect(tally.count == 5_000)
        var seen: [DigestEntry] = []
        var bucketsVisited = 0
        try tally.forEachBucket { entries in
            #expect(zip(entries, entries.dropFirst()).allSatisfy { $0 <= $1 })
            seen.append(contentsOf: entries)
            bucketsVisited += 1
        }
        #expect(seen.sorted() == expected.sorted())
        #expect(bucketsVisited <= tally.bucketCount)
        #expect(!FileManager.default.fileExists(atPath: dir))
    }

    @Test func smallInputsNeverTouchTheDisk() throws {
        let dir = directory()
        let tally = DigestBuckets(directory: dir, bucketCount: 8, bufferedEntries: 100)
        for i in 0..<50 { try tally.append(DigestEntry(high: UInt64(i) << 61, low: 0, payload: 0)) }
        #expect(!FileManager.default.fileExists(atPath: dir))
        var total = 0
        try tally.forEachBucket { total += $0.count }
        #expect(total == 50)
    }

    @Test func bucketCountIsRoundedUpToAPowerOfTwo() {
        #expect(DigestBuckets(directory: directory(), bucketCount: 5).bucketCount == 8)
        #expect(DigestBuckets(directory: directory(), bucketCount: 0).bucketCount == 1)
    }

    @Test func anUnwritableFolderIsAnErrorNamingIt() throws {
        let tally = DigestBuckets(directory: "/proc/no-such-folder/tally", bucketCount: 1, bufferedEntries: 1)
        #expect {
            try tally.append(DigestEntry(high: 1, low: 2, payload: 3))
        } throws: { error in
            "\(error)" == "cannot create the temporary folder /proc/no-such-folder/tally: /proc/no-such-folder: No such file or directory"
        }
    }

    /// After a spill failed, the full bucket tries again before it takes the next entry: the
    /// same error, and no entry goes past the bucket's buffer.
    @Test func aBucketWhoseSpillFailedTakesNoMoreEntries() throws {
        let tally = DigestBuckets(directory: "/proc/no-such-folder/tally", bucketCount: 2, bufferedEntries: 2)
        let message = "cannot create the temporary folder /proc/no-such-folder/tally: /proc/no-such-folder: No such file or directory"
        try tally.append(DigestEntry(high: 1, low: 1, payload: 1))
        for attempt in 2...4 {
            #expect {
                try tally.append(DigestEntry(high: 2, low: UInt64(attempt), payload: 1))
            } throws: { error in
                "\(error)" == message
            }
        }
        #expect(tally.count == 2, "the entry that filled the bucket is in it; the ones refused after are not")
        try tally.append(DigestEntry(high: 1 << 63, low: 1, payload: 1))
        #expect(tally.count == 3, "the other bucket still has room")
        var held: [DigestEntry] = []
        try tally.forEachBucket { held.append(contentsOf: $0) }
        #expect(held == [
            DigestEntry(high: 1, low: 1, payload: 1), DigestEntry(high: 2, low: 2, payload: 1),
            DigestEntry(high: 1 << 63, low: 1, payload: 1),
        ])
    }

    @Test func releasingUnvisitedBucketsRemovesTheirFiles() throws {
        let dir = directory()
        do {
            let tally = DigestBuckets(directory: dir, bucketCount: 2, bufferedEntries: 1)
            try tally.append(DigestEntry(high: 1, low: 1, payload: 1))
            #expect(FileManager.default.fileExists(atPath: dir))
        }
        #expect(!FileManager.default.fileExists(atPath: dir))
    }
}

/// The bucket sort must give exactly `sort()`'s order for any input: spread digests, equal
/// digests with different payloads, digests that differ only below the grouping bits, groups
/// past the insertion limit, and the sizes around the limit.
@Suite struct DigestSortTests {
    static func entries(_ count: Int, seed: UInt64, sharedBits: Int, shape: Int) -> [DigestEntry] {
        var random = SplitMix64(seed: seed)
        let top: UInt64 = sharedBits == 0 ? 0 : (random.next() >> UInt64(64 - sharedBits)) << UInt64(64 - sharedBits)
        let keep: UInt64 = sharedBits == 0 ? ~0 : ~0 >> UInt64(sharedBits)
        var result: [DigestEntry] = []
        for i in 0..<count {
            var high = top | (random.next() & keep)
            var low = random.next()
            switch shape {
            case 1 where i % 3 != 0:  // a third of the entries share one digest
                high = top | (0x1234_5678_9abc_def0 & keep)
                low = 7
            case 2:  // only the low word and the lowest bits of the high word differ
                high = top | (0x0f0f & keep)
                low = random.next() % 5
            default: break
            }
            result.append(DigestEntry(high: high, low: low, payload: random.next() % 3))
        }
        return result
    }

    @Test(arguments: [0, 1, 2, 31, 32, 33, 100, 5_000, 40_000], [0, 6, 60, 63])
    func sameOrderAsSort(count: Int, sharedBits: Int) {
        for shape in 0...2 {
            var sorted = Self.entries(count, seed: UInt64(count * 64 + sharedBits), sharedBits: sharedBits, shape: shape)
            let expected = sorted.sorted()
            DigestSort.sort(&sorted, sharedBits: sharedBits)
            #expect(sorted == expected, "count \(count), shared bits \(sharedBits), shape \(shape)")
        }
    }
}
