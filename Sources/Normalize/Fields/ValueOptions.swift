import Foundation

/// How a field's raw text is compared with its map keys and read as a number: the switches
/// `ignore_case`, `ignore_accents`, `collapse_spaces` and `decimal_comma` of docs/mapping.md,
/// set for a whole submission or for one field.
public struct ValueOptions: Sendable, Hashable {
    /// `Fugue` matches the map key `fugue`.
    public var ignoreCase: Bool
    /// `enlevement` matches the map key `enlèvement` (marks that Unicode decomposes are dropped).
    public var ignoreAccents: Bool
    /// Runs of spaces, tabs and line breaks inside a value count as one space.
    public var collapseSpaces: Bool
    /// Numbers are written with a decimal comma (`15,0`) instead of a decimal point (`15.0`).
    public var decimalComma: Bool

    public init(
        ignoreCase: Bool = false, ignoreAccents: Bool = false, collapseSpaces: Bool = false,
        decimalComma: Bool = false
    ) {
        self.ignoreCase = ignoreCase
        self.ignoreAccents = ignoreAccents
        self.collapseSpaces = collapseSpaces
        self.decimalComma = decimalComma
    }

    /// Whether map keys are compared exactly (after trimming spaces at both ends).
    public var isExactMatch: Bool { !ignoreCase && !ignoreAccents && !collapseSpaces }

    /// The form of a trimmed value (or map key) that lookups compare: equal forms match.
    public func matchKey(_ text: String) -> String {
        guard !isExactMatch else { return text }
        var result = text
        if collapseSpaces {
            result = result.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        if ignoreAccents {
            var scalars = String.UnicodeScalarView()
            for scalar in result.decomposedStringWithCanonicalMapping.unicodeScalars
            where scalar.properties.generalCategory != .nonspacingMark {
                scalars.append(scalar)
            }
            result = String(scalars)
        }
        if ignoreCase { result = result.lowercased() }
        return result
    }
}

/// A field's `map:`, prepared once per submission for lookups under the field's `ValueOptions`.
///
/// A class, not a struct: the normaliser reads it for most fields of every record, and binding a
/// struct of seven arrays and dictionaries copied it, with a retain and a release for each.
public final class MapLookup: Sendable {
    private let options: ValueOptions
    /// Match key -> index in `targets`.
    private let indices: [String: Int]
    /// The distinct canonical values of the map, in name order.
    public let targets: [String]
    /// For exact matching: the local values' UTF-8 bytes in an open-addressing table, so the
    /// per-record lookup hashes bytes instead of a Unicode string (a miss falls back to
    /// `indices`, which also finds canonically equivalent spellings).
    private let exact: ByteKeyTable?

    /// `map` is local value (trimmed) -> canonical value.
    public init(map: [String: String], options: ValueOptions) {
        self.options = options
        let targets = Array(Set(map.values)).sorted()
        let position = Dictionary(uniqueKeysWithValues: targets.enumerated().map { ($1, $0) })
        var indices: [String: Int] = [:]
        // Sorted, so that colliding keys (which the loader refuses) would resolve deterministically.
        for (local, target) in map.sorted(by: { $0.key < $1.key }) where indices[options.matchKey(local)] == nil {
            indices[options.matchKey(local)] = position[target]
        }
        self.indices = indices
        self.targets = targets
        exact = options.isExactMatch ? ByteKeyTable(indices) : nil
    }

    /// The canonical value for a trimmed raw value, or nil when the map has no entry for it.
    public func target(for raw: String) -> String? {
        targetIndex(for: raw).map { targets[$0] }
    }

    /// The index in `targets` of the value whose key is exactly `utf8` (already trimmed); nil
    /// when there is none or the map does not match exactly (then ask `targetIndex(for:)`).
    func exactTargetIndex(utf8: UnsafeBufferPointer<UInt8>) -> Int? {
        exact?.index(ofUTF8: utf8)
    }

    /// The index in `targets` of the canonical value for a trimmed raw value.
    public func targetIndex(for raw: String) -> Int? {
        if let exact, let index = exact.index(of: raw) { return index }
        return indices[options.matchKey(raw)]
    }
}

/// A small read-only map from strings (by their UTF-8 bytes) to integers: FNV-1a hashing and
/// linear probing over a power-of-two table at most half full.
struct ByteKeyTable: Sendable {
    /// Every key's UTF-8 bytes, one after the other; key `i` is `keyBytes[keyStarts[i]..<keyStarts[i + 1]]`.
    private let keyBytes: [UInt8]
    private let keyStarts: [Int]
    private let values: [Int]
    /// Slot -> index of a key, or -1 for an empty slot.
    private let slots: [Int]
    private let mask: Int

    init(_ entries: [String: Int]) {
        var size = 8
        while size < entries.count * 2 { size <<= 1 }
        var slots = [Int](repeating: -1, count: size)
        var keyBytes: [UInt8] = []
        var keyStarts = [0]
        var values: [Int] = []
        for (key, value) in entries.sorted(by: { $0.key < $1.key }) {
            let bytes = Array(key.utf8)
            var slot = Int(truncatingIfNeeded: Self.hash(bytes)) & (size - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = values.count
            keyBytes.append(contentsOf: bytes)
            keyStarts.append(keyBytes.count)
            values.append(value)
        }
        self.keyBytes = keyBytes
        self.keyStarts = keyStarts
        self.values = values
        self.slots = slots
        mask = size - 1
    }

    private static func hash<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    func index(of text: String) -> Int? {
        var text = text
        return text.withUTF8 { index(ofUTF8: $0) }
    }

    /// The value of the key whose UTF-8 is `bytes`, if any.
    func index(ofUTF8 bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        keyBytes.withUnsafeBufferPointer { keys -> Int? in
            var slot = Int(truncatingIfNeeded: Self.hash(bytes)) & mask
            while true {
                let entry = slots[slot]
                if entry < 0 { return nil }
                let start = keyStarts[entry]
                if keyStarts[entry + 1] - start == bytes.count,
                    bytes.isEmpty || memcmp(keys.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
                {
                    return values[entry]
                }
                slot = (slot + 1) & mask
            }
        }
    }
}
