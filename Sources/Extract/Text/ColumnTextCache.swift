import Foundation

/// The text of the raw values each column had lately, so that a code column, whose few values
/// repeat row after row, turns a value's bytes into a `String` once rather than on every row
/// (validating, decoding and, past 15 bytes of UTF-8, allocating it each time).
///
/// An entry is keyed by the value's raw bytes exactly as the extractor found them (after any
/// UTF-16 transcoding), and only text that decoded cleanly is remembered, so a hit is exactly the
/// text decoding those bytes gives, and bytes invalid in the encoding are always decoded (and
/// reported) afresh. Each column has `slotsPerColumn` direct-mapped slots, chosen by a hash of a
/// few of the bytes and checked byte for byte. A column whose values rarely repeat (identifiers,
/// dates, free text) switches its cache off after `trialLookups` lookups and then costs one load
/// and one branch per value.
///
/// Owned by one extractor, read by one thread at a time (as the extractor is); its memory is
/// allocated once, when the extractor opens its file.
final class ColumnTextCache {
    /// Direct-mapped slots per column.
    static let slotsPerColumn = 64
    /// Longer values are not remembered (code values are short).
    static let maxKeyBytes = 48
    /// Lookups after which a column whose hits were fewer than half stops looking.
    static let trialLookups = 4096

    private let columns: Int
    /// `columns * slotsPerColumn` keys of `maxKeyBytes` each.
    private let keys: UnsafeMutablePointer<UInt8>
    /// Each slot's key length; -1 for an empty slot.
    private let lengths: UnsafeMutablePointer<Int32>
    private let texts: UnsafeMutablePointer<String>
    /// Per column: lookups and hits during the trial; `lookups` -1 once the column is off.
    private let lookups: UnsafeMutablePointer<Int32>
    private let hits: UnsafeMutablePointer<Int32>

    init(columns: Int) {
        self.columns = columns
        let slots = columns * Self.slotsPerColumn
        keys = .allocate(capacity: max(1, slots * Self.maxKeyBytes))
        lengths = .allocate(capacity: max(1, slots))
        lengths.initialize(repeating: -1, count: slots)
        texts = .allocate(capacity: max(1, slots))
        texts.initialize(repeating: "", count: slots)
        lookups = .allocate(capacity: max(1, columns))
        lookups.initialize(repeating: 0, count: columns)
        hits = .allocate(capacity: max(1, columns))
        hits.initialize(repeating: 0, count: columns)
    }

    deinit {
        let slots = columns * Self.slotsPerColumn
        keys.deallocate()
        lengths.deinitialize(count: slots)
        lengths.deallocate()
        texts.deinitialize(count: slots)
        texts.deallocate()
        lookups.deinitialize(count: columns)
        lookups.deallocate()
        hits.deinitialize(count: columns)
        hits.deallocate()
    }

    /// Whether `column` still looks its values up (false once its trial found too few repeats).
    func isActive(column: Int) -> Bool { lookups[column] >= 0 }

    /// The remembered text of `raw` in `column`, or nil (then decode it and `remember` it).
    @inline(__always)
    func text(column: Int, raw: UnsafeBufferPointer<UInt8>) -> String? {
        let seen = lookups[column]
        guard seen >= 0, raw.count <= Self.maxKeyBytes else { return nil }
        if seen == Int32(Self.trialLookups) {
            if hits[column] * 2 < seen {
                lookups[column] = -1
                return nil
            }
        } else {
            lookups[column] = seen + 1
        }
        let slot = Self.slot(column: column, raw)
        guard lengths[slot] == Int32(raw.count),
            raw.isEmpty || memcmp(keys + slot * Self.maxKeyBytes, raw.baseAddress!, raw.count) == 0
        else { return nil }
        if seen < Int32(Self.trialLookups) { hits[column] += 1 }
        return texts[slot]
    }

    /// Remembers `text` as the clean decoding of `raw` in `column` (in place of whatever shared
    /// its slot); does nothing for a column that is off or a value too long to keep.
    @inline(__always)
    func remember(column: Int, raw: UnsafeBufferPointer<UInt8>, text: String) {
        guard lookups[column] >= 0, raw.count <= Self.maxKeyBytes else { return }
        let slot = Self.slot(column: column, raw)
        if let base = raw.baseAddress { (keys + slot * Self.maxKeyBytes).update(from: base, count: raw.count) }
        lengths[slot] = Int32(raw.count)
        texts[slot] = text
    }

    /// The slot of `raw` in `column`'s range: a hash of its length and its first, middle and
    /// last bytes (code values of one column differ in at least one of these, nearly always).
    @inline(__always)
    private static func slot(column: Int, _ raw: UnsafeBufferPointer<UInt8>) -> Int {
        var hash = UInt32(truncatingIfNeeded: raw.count) &* 0x9E37_79B1
        if let last = raw.last {
            hash ^= UInt32(raw[0]) &* 0x85EB_CA6B
            hash ^= UInt32(raw[raw.count / 2]) &* 0xC2B2_AE35
            hash ^= UInt32(last) &* 0x27D4_EB2F
        }
        hash ^= hash >> 15
        return column * slotsPerColumn + Int(hash & UInt32(slotsPerColumn - 1))
    }
}
