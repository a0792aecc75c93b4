import Foundation

/// Small integers for the values of a code column (member ids, categories, statuses, genders...),
/// looked up by their bytes without making a String per row.
///
/// Ids number the distinct *strings* in order of first sight; two byte strings that decode to the
/// same `String` (invalid UTF-8 repaired alike, or canonically equivalent Unicode) share an id, so
/// grouping by id is grouping by `String`, as a `Set<String>` would. Code columns have few values;
/// the table grows with the distinct values, never with the rows.
struct CodeTable: Sendable {
    /// The strings, by id.
    private(set) var codes: [String] = []
    private var idOfCode: [String: Int] = [:]

    /// A byte string seen before: where its bytes are in `storage`, their hash and its id.
    private struct Entry: Sendable {
        var start: Int
        var length: Int
        var hash: UInt64
        var id: Int
    }

    private var storage: [UInt8] = []
    private var entries: [Entry] = []
    /// Open addressing over `entries` (-1 = empty), at most half full.
    private var slots = [Int32](repeating: -1, count: 16)
    /// The entry of the last lookup: code columns come in runs of one value.
    private var last = -1

    init(_ seed: [String] = []) {
        for code in seed { _ = id(code) }
    }

    var count: Int { codes.count }

    /// The id of `string`, added if new.
    mutating func id(_ string: String) -> Int {
        var s = string
        return s.withUTF8 { id(UnsafeRawBufferPointer($0)) }
    }

    /// The id of the string these UTF-8 bytes decode to, added if new.
    mutating func id(_ bytes: UnsafeRawBufferPointer) -> Int {
        if last >= 0, matches(entries[last], bytes) { return entries[last].id }
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            let e = Int(slots[slot])
            if entries[e].hash == hash, matches(entries[e], bytes) {
                last = e
                return entries[e].id
            }
            slot = (slot + 1) & mask
        }
        let string = String(decoding: bytes, as: UTF8.self)
        let id: Int
        if let known = idOfCode[string] {
            id = known
        } else {
            id = codes.count
            codes.append(string)
            idOfCode[string] = id
        }
        entries.append(Entry(start: storage.count, length: bytes.count, hash: hash, id: id))
        storage.append(contentsOf: bytes)
        slots[slot] = Int32(entries.count - 1)
        last = entries.count - 1
        if entries.count * 2 > slots.count { rehash() }
        return id
    }

    private func matches(_ entry: Entry, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard entry.length == bytes.count else { return false }
        guard entry.length > 0 else { return true }
        return storage.withUnsafeBytes { stored in
            memcmp(stored.baseAddress! + entry.start, bytes.baseAddress!, entry.length) == 0
        }
    }

    private mutating func rehash() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (e, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(e)
        }
    }

    /// FNV-1a, then the SplitMix64 finalizer so the low bits (the slot) depend on every byte.
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return DistinctKeys.mix64(h)
    }
}
