/// Builds a column chunk's dictionary: distinct non-null values in first-occurrence order, and
/// for each non-null value its dictionary index. Values are keyed by their bytes (bit patterns
/// for numbers, UTF-8 bytes for strings), never by `String` or floating-point equality, so
/// distinct byte strings, -0.0/+0.0 and NaN payloads stay distinct.
///
/// Gives up (returns nil) as soon as the PLAIN-encoded dictionary would exceed `limit` bytes.
enum DictionaryBuilder {
    struct Result {
        /// The distinct values, as a buffer without nulls (PLAIN-encodable as the dictionary page).
        var dictionary: ParquetColumnBuffer
        /// Dictionary index of each non-null value.
        var indices: [UInt32]
        /// Size of the PLAIN-encoded dictionary.
        var plainSize: Int
    }

    static func build(_ data: ParquetColumnBuffer, limit: Int) -> Result? {
        switch data.physicalType {
        case .boolean: return nil
        case .int32:
            guard let (u, i) = fixed(data.int32s, limit: limit / 4, key: { UInt64(UInt32(bitPattern: $0)) })
            else { return nil }
            var d = ParquetColumnBuffer(.int32)
            d.int32s = u
            d.count = u.count
            return Result(dictionary: d, indices: i, plainSize: u.count * 4)
        case .int64:
            guard let (u, i) = fixed(data.int64s, limit: limit / 8, key: { UInt64(bitPattern: $0) }) else { return nil }
            var d = ParquetColumnBuffer(.int64)
            d.int64s = u
            d.count = u.count
            return Result(dictionary: d, indices: i, plainSize: u.count * 8)
        case .float:
            guard let (u, i) = fixed(data.floats, limit: limit / 4, key: { UInt64($0.bitPattern) }) else { return nil }
            var d = ParquetColumnBuffer(.float)
            d.floats = u
            d.count = u.count
            return Result(dictionary: d, indices: i, plainSize: u.count * 4)
        case .double:
            guard let (u, i) = fixed(data.doubles, limit: limit / 8, key: { $0.bitPattern }) else { return nil }
            var d = ParquetColumnBuffer(.double)
            d.doubles = u
            d.count = u.count
            return Result(dictionary: d, indices: i, plainSize: u.count * 8)
        case .byteArray: return byteArrays(data, limit: limit)
        }
    }

    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var h = x &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        h &*= 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return h
    }

    /// Open-addressing table of slot -> entry index + 1 (0 = empty), linear probing. Returns the
    /// distinct values in first-occurrence order and each value's index, or nil past `maxEntries`.
    @inline(__always)
    private static func fixed<T>(
        _ values: [T], limit maxEntries: Int, key: (T) -> UInt64
    ) -> ([T], [UInt32])? {
        var uniques: [T] = []
        var keys: [UInt64] = []
        var capacity = 1024
        var slots = [UInt32](repeating: 0, count: capacity)
        var mask = capacity - 1
        var indices = [UInt32](repeating: 0, count: values.count)
        var failed = false
        values.withUnsafeBufferPointer { input in
            indices.withUnsafeMutableBufferPointer { out in
                for i in 0..<input.count {
                    let v = input[i]
                    let k = key(v)
                    var slot = Int(truncatingIfNeeded: mix(k)) & mask
                    while true {
                        let entry = slots.withUnsafeBufferPointer { $0[slot] }
                        if entry == 0 {
                            if keys.count >= maxEntries {
                                failed = true
                                return
                            }
                            keys.append(k)
                            uniques.append(v)
                            slots[slot] = UInt32(keys.count)
                            out[i] = UInt32(keys.count - 1)
                            if keys.count * 2 > capacity {
                                capacity *= 2
                                mask = capacity - 1
                                slots = [UInt32](repeating: 0, count: capacity)
                                for (n, existing) in keys.enumerated() {
                                    var s = Int(truncatingIfNeeded: mix(existing)) & mask
                                    while slots[s] != 0 { s = (s + 1) & mask }
                                    slots[s] = UInt32(n + 1)
                                }
                            }
                            break
                        }
                        if keys.withUnsafeBufferPointer({ $0[Int(entry) - 1] }) == k {
                            out[i] = entry - 1
                            break
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
        return failed ? nil : (uniques, indices)
    }

    /// Hash of a byte string, 8 bytes at a time.
    @inline(__always) static func hash(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        while i + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 31
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0x0000_0100_0000_01B3
        }
        return mix(h)
    }

    private static func byteArrays(_ data: ParquetColumnBuffer, limit: Int) -> Result? {
        let n = data.valueCount
        var dictBytes: [UInt8] = []
        var dictOffsets: [Int] = [0]
        var hashes: [UInt64] = []
        var capacity = 1024
        var slots = [UInt32](repeating: 0, count: capacity)
        var mask = capacity - 1
        var indices = [UInt32](repeating: 0, count: n)
        var plainSize = 0
        var failed = false
        data.bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            data.offsets.withUnsafeBufferPointer { offsets in
                indices.withUnsafeMutableBufferPointer { out in
                    for i in 0..<n {
                        let start = offsets[i]
                        let length = offsets[i + 1] - start
                        let p = base + start
                        // The same bytes as the value before: its index, without hashing (columns
                        // such as a member id or a file name hold one value for many rows).
                        if i > 0, offsets[i - 1] + length == start,
                            memcmpBytes(base + offsets[i - 1], p, length)
                        {
                            out[i] = out[i - 1]
                            continue
                        }
                        let h = hash(p, length)
                        var slot = Int(truncatingIfNeeded: h) & mask
                        while true {
                            let entry = slots[slot]
                            if entry == 0 {
                                plainSize += 4 + length
                                if plainSize > limit {
                                    failed = true
                                    return
                                }
                                dictBytes.append(contentsOf: UnsafeRawBufferPointer(start: p, count: length))
                                dictOffsets.append(dictBytes.count)
                                hashes.append(h)
                                slots[slot] = UInt32(hashes.count)
                                out[i] = UInt32(hashes.count - 1)
                                if hashes.count * 2 > capacity {
                                    capacity *= 2
                                    mask = capacity - 1
                                    slots = [UInt32](repeating: 0, count: capacity)
                                    for (e, existing) in hashes.enumerated() {
                                        var s = Int(truncatingIfNeeded: existing) & mask
                                        while slots[s] != 0 { s = (s + 1) & mask }
                                        slots[s] = UInt32(e + 1)
                                    }
                                }
                                break
                            }
                            let e = Int(entry) - 1
                            if hashes.withUnsafeBufferPointer({ $0[e] }) == h {
                                let (eStart, eEnd) = dictOffsets.withUnsafeBufferPointer { ($0[e], $0[e + 1]) }
                                if eEnd - eStart == length
                                    && dictBytes.withUnsafeBytes({
                                        memcmpBytes($0.baseAddress! + eStart, p, length)
                                    })
                                {
                                    out[i] = entry - 1
                                    break
                                }
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                }
            }
        }
        if failed { return nil }
        var dictionary = ParquetColumnBuffer(.byteArray)
        dictionary.bytes = dictBytes
        dictionary.offsets = dictOffsets
        dictionary.count = hashes.count
        return Result(dictionary: dictionary, indices: indices, plainSize: plainSize)
    }
}

/// Whether `n` bytes at `a` and `b` are equal.
@inline(__always) func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            != b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        {
            return false
        }
        i += 8
    }
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) {
            return false
        }
        i += 1
    }
    return true
}
