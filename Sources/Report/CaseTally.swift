import Foundation
import Tally

/// Counts one year's distinct cases and children in bounded memory with `Tally.DigestBuckets`:
/// cases worked on, NEW and ONGOING cases, NEW cases per member and category, and children.
///
/// Each case row adds two entries, one for its case and one for its child (digests from
/// `DistinctKeys`), whose payload says whose and what:
///
///     member id (bits 32...) | child (bit 31) | status (bits 24-25) | category id (bits 0-23)
///
/// `DigestBuckets` hands each bucket over sorted by digest, then payload, so all the rows of one
/// case of one member (same digest, same member) come together, NEW before ONGOING, by category.
/// Such a run is one case worked on; NEW if any of its rows is NEW (likewise ONGOING); and one
/// NEW case for each category its NEW rows name. A run of child entries is one child. This is
/// what counting distinct (digest, figure) pairs would give, with two entries per row instead of
/// four, so half the sorting and temporary disk.
///
/// Memory: `DigestBuckets`' buffers (about 3 MiB), then one bucket at a time (about 1/64 of
/// 48 bytes per case row). Beyond the buffers the entries spill to a folder under the system's
/// temporary folder (TMPDIR), removed when counted or on failure.
struct CaseTally {
    enum Status: UInt64 { case other = 0, new = 1, ongoing = 2 }

    private let buckets: DigestBuckets
    private let directory: String

    init(_ settings: TallySettings) {
        directory = settings.makeDirectory()
        if let buffered = settings.bufferedEntries {
            buckets = DigestBuckets(directory: directory, bufferedEntries: buffered)
        } else {
            buckets = DigestBuckets(directory: directory)
        }
    }

    private static let childBit: UInt64 = 1 << 31
    private static let categoryMask: UInt64 = 0xff_ffff

    /// Notes a case row: its case's digest, member, status and category id (< 2^24).
    @inline(__always) func addCase(
        _ digest: (high: UInt64, low: UInt64), member: Int, status: Status, category: Int
    ) throws(ReportError) {
        precondition(category >= 0 && UInt64(category) <= Self.categoryMask, "category id \(category) out of range")
        try append(digest, UInt64(member) << 32 | status.rawValue << 24 | UInt64(category))
    }

    /// Notes a case row's child: its digest and member.
    @inline(__always) func addChild(_ digest: (high: UInt64, low: UInt64), member: Int) throws(ReportError) {
        try append(digest, UInt64(member) << 32 | Self.childBit)
    }

    @inline(__always) private func append(_ digest: (high: UInt64, low: UInt64), _ payload: UInt64) throws(ReportError) {
        do {
            try buckets.append(DigestEntry(high: digest.high, low: digest.low, payload: payload))
        } catch {
            throw failure(error.message)
        }
    }

    /// Adds the distinct counts to `counts` (`worked`, `new`, `ongoing`, `children`,
    /// `newCases`); the temporary files are removed.
    func count(into counts: inout YearCounts) throws(ReportError) {
        var worked = 0, new = 0, ongoing = 0, children = 0
        var newCases: [Int: Int] = [:]
        do {
            try buckets.forEachBucket { entries in
                var i = 0
                while i < entries.count {
                    let first = entries[i]
                    let group = first.payload >> 31  // member and kind
                    var j = i + 1
                    while j < entries.count, entries[j].sameDigest(as: first), entries[j].payload >> 31 == group {
                        j += 1
                    }
                    if first.payload & Self.childBit != 0 {
                        children += 1
                    } else {
                        worked += 1
                        let member = Int(first.payload >> 32)
                        var sawNew = false, sawOngoing = false
                        var lastCategory: UInt64?
                        for k in i..<j {
                            let payload = entries[k].payload
                            switch Status(rawValue: (payload >> 24) & 0b11) {
                            case .new:
                                sawNew = true
                                let category = payload & Self.categoryMask
                                if category != lastCategory {  // sorted: each category once
                                    newCases[member << 32 | Int(category), default: 0] += 1
                                    lastCategory = category
                                }
                            case .ongoing: sawOngoing = true
                            default: break
                            }
                        }
                        if sawNew { new += 1 }
                        if sawOngoing { ongoing += 1 }
                    }
                    i = j
                }
            }
        } catch let error as TallyError {
            throw failure(error.message)
        } catch {
            throw failure("\(error)")
        }
        counts.worked += worked
        counts.new += new
        counts.ongoing += ongoing
        counts.children += children
        for (key, n) in newCases { counts.newCases[key, default: 0] += n }
    }

    /// A Tally error (the temporary folder cannot be written or read back) in words for a steward.
    private func failure(_ reason: String) -> ReportError {
        let parent = (directory as NSString).deletingLastPathComponent
        return ReportError(
            "cannot count distinct cases and children in the temporary folder \(parent): \(reason). The report "
                + "needs a writable temporary folder with room for about 50 MB per million case rows; make "
                + "\(parent) one or set TMPDIR to another (for example TMPDIR=/var/tmp hotline-etl report ...)")
    }
}
