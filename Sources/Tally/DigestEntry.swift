/// A 128-bit digest with a 64-bit payload: the unit `DigestBuckets` spills and sorts. Ordered by
/// digest, then payload, so equal digests come together and the largest payload comes last.
public struct DigestEntry: Sendable, Equatable, Comparable {
    public var high: UInt64
    public var low: UInt64
    public var payload: UInt64

    public init(high: UInt64, low: UInt64, payload: UInt64) {
        self.high = high
        self.low = low
        self.payload = payload
    }

    /// Whether both entries carry the same digest (payloads may differ).
    @inlinable public func sameDigest(as other: DigestEntry) -> Bool {
        high == other.high && low == other.low
    }

    @inlinable public static func < (a: DigestEntry, b: DigestEntry) -> Bool {
        if a.high != b.high { return a.high < b.high }
        if a.low != b.low { return a.low < b.low }
        return a.payload < b.payload
    }
}
