import DatasetContract

/// The 128-bit digests the report counts distinct cases and children by (`CaseTally`, with
/// `Tally`, whose memory does not grow with the rows).
///
/// A case is (`member_id`, `case_key`) and a child (`member_id`, `case_key`, `child_key`)
/// (docs/report.md). The member goes into the entry's payload (`CaseTally`), so cases of two
/// members never merge; the keys go into the digest:
///
/// - a case: the `KeyDigest` of `case_key` through `scramble`, a bijection of 128-bit values, so
///   two keys with different `KeyDigest`s never collide, and the digests spread evenly over
///   Tally's buckets whatever the keys look like;
/// - a child: `scramble(case ^ scramble(child_key))` (other round keys): for one case, two
///   different child keys never collide (every step is a bijection); across cases two children
///   collide only if case1 ^ case2 == child1 ^ child2 after scrambling, about 2^-128 per pair, so
///   below 10^-22 among 10^8 children.
///
/// Exactly as before `Tally`, keys are told apart by their `KeyDigest` (the first 128 bits of
/// the HMAC for the dataset's hex keys).
enum DistinctKeys {
    /// The digest of a case key.
    @inline(__always) static func caseDigest(_ key: KeyDigest) -> (high: UInt64, low: UInt64) {
        scramble(key.high, key.low, 0x9e37_79b9_7f4a_7c15)
    }

    /// The digest of a child of the case whose digest is `caseDigest`.
    @inline(__always) static func childDigest(
        _ caseDigest: (high: UInt64, low: UInt64), _ child: KeyDigest
    ) -> (high: UInt64, low: UInt64) {
        let c = scramble(child.high, child.low, 0xc2b2_ae3d_27d4_eb4f)
        return scramble(caseDigest.high ^ c.high, caseDigest.low ^ c.low, 0x1656_67b1_9e37_79f9)
    }

    /// A bijection of 128-bit values with full avalanche: four Feistel-like rounds, each
    /// replacing one half with the SplitMix64 finalizer (itself a bijection) of that half xor
    /// the other half, the first also xor `key`.
    @inline(__always) static func scramble(_ high: UInt64, _ low: UInt64, _ key: UInt64) -> (high: UInt64, low: UInt64) {
        var h = mix64(high ^ key)
        var l = mix64(low ^ h)
        h = mix64(h ^ l)
        l = mix64(l ^ h)
        return (h, l)
    }

    /// The SplitMix64 finalizer (Stafford's variant 13): a bijection of 64-bit values.
    @inline(__always) static func mix64(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
