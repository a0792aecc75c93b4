/// Sorts one bucket of `DigestEntry`s into the order of `<` (digest, then payload), faster than
/// the standard library's merge sort for the inputs buckets hold: digests are keyed hashes, so
/// their bits are evenly spread. One counting pass spreads the entries over about as many
/// groups as there are entries by the digest's next bits below the ones every entry of the bucket
/// shares; each group, a handful of entries, is then put in order by insertion. A group that
/// comes out large (many equal or near-equal digests, as a case sent many times gives) is sorted
/// by the standard library instead, so no input is slower than `sort()` by more than one pass.
enum DigestSort {
    /// Groups larger than this are sorted with `sort()`.
    static let insertionLimit = 32

    /// Sorts `entries`, all of whose digests share their top `sharedBits` bits.
    static func sort(_ entries: inout [DigestEntry], sharedBits: Int) {
        let n = entries.count
        guard n > insertionLimit, sharedBits < 64 else { return entries.sort() }
        // About one group per entry, at most 2^16 groups, and no more bits than the digest's top
        // word has left.
        let bits = Swift.min(16, Swift.min(64 - sharedBits, (n - 1).bitWidth - (n - 1).leadingZeroBitCount))
        let groups = 1 << bits
        let lowShift = UInt64(64 - bits)
        @inline(__always) func group(_ entry: DigestEntry) -> Int {
            Int(truncatingIfNeeded: (entry.high &<< UInt64(sharedBits)) &>> lowShift)
        }
        var starts = [Int](repeating: 0, count: groups + 1)
        for entry in entries { starts[group(entry) + 1] += 1 }
        for g in 0..<groups { starts[g + 1] += starts[g] }
        var next = starts
        var sorted = [DigestEntry](repeating: DigestEntry(high: 0, low: 0, payload: 0), count: n)
        sorted.withUnsafeMutableBufferPointer { out in
            for entry in entries {
                let g = group(entry)
                out[next[g]] = entry
                next[g] += 1
            }
            for g in 0..<groups where starts[g + 1] - starts[g] > 1 {
                let range = starts[g]..<starts[g + 1]
                if range.count > insertionLimit {
                    out[range].sort()
                    continue
                }
                for i in (range.lowerBound + 1)..<range.upperBound {
                    let entry = out[i]
                    var j = i
                    while j > range.lowerBound, entry < out[j - 1] {
                        out[j] = out[j - 1]
                        j -= 1
                    }
                    out[j] = entry
                }
            }
        }
        entries = sorted
    }
}
