/// PLAIN encoding of non-null values (Encodings.md "Plain"): fixed-width little-endian numbers,
/// LSB-first bit-packed booleans without a length prefix, and `u32 LE length + bytes` byte arrays.
/// Nulls are skipped: they are represented only by definition levels.
enum PlainEncoder {
    static func encode(_ values: ArraySlice<Bool?>, into out: inout [UInt8]) {
        var current: UInt8 = 0
        var bit = 0
        for case let v? in values {
            if v { current |= 1 << UInt8(bit) }
            bit += 1
            if bit == 8 {
                out.append(current)
                current = 0
                bit = 0
            }
        }
        if bit > 0 { out.append(current) }
    }

    static func encode(_ values: ArraySlice<Int32?>, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + values.count * 4)
        for case let v? in values { appendLittleEndian(v, to: &out) }
    }

    static func encode(_ values: ArraySlice<Int64?>, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + values.count * 8)
        for case let v? in values { appendLittleEndian(v, to: &out) }
    }

    static func encode(_ values: ArraySlice<Float?>, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + values.count * 4)
        for case let v? in values { appendLittleEndian(v.bitPattern, to: &out) }
    }

    static func encode(_ values: ArraySlice<Double?>, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + values.count * 8)
        for case let v? in values { appendLittleEndian(v.bitPattern, to: &out) }
    }

    static func encode(_ values: ArraySlice<[UInt8]?>, into out: inout [UInt8]) {
        for case let v? in values {
            appendLittleEndian(UInt32(truncatingIfNeeded: v.count), to: &out)
            out.append(contentsOf: v)
        }
    }

    /// Appends the PLAIN encoding of non-null values `values` (indices among the non-null values)
    /// of `data`. Fixed-width values are copied as little-endian memory.
    static func encode(_ data: ParquetColumnBuffer, _ values: Range<Int>, into out: inout [UInt8]) {
        func copy<T>(_ array: [T]) {
            array.withUnsafeBytes { raw in
                let size = MemoryLayout<T>.stride
                out.append(
                    contentsOf: UnsafeRawBufferPointer(
                        rebasing: raw[(values.lowerBound * size)..<(values.upperBound * size)]))
            }
        }
        switch data.physicalType {
        case .boolean:
            var current: UInt8 = 0
            var bit: UInt8 = 0
            out.reserveCapacity(out.count + values.count / 8 + 1)
            data.booleans.withUnsafeBufferPointer { v in
                for i in values {
                    if v[i] { current |= 1 << bit }
                    bit += 1
                    if bit == 8 {
                        out.append(current)
                        current = 0
                        bit = 0
                    }
                }
            }
            if bit > 0 { out.append(current) }
        case .int32: copy(data.int32s)
        case .int64: copy(data.int64s)
        case .float: copy(data.floats)
        case .double: copy(data.doubles)
        case .byteArray:
            guard !values.isEmpty else { return }
            let start = data.offsets[values.lowerBound]
            let end = data.offsets[values.upperBound]
            let total = end - start + 4 * values.count
            let base = out.count
            out.append(contentsOf: repeatElement(0, count: total))
            out.withUnsafeMutableBytes { dst in
                data.bytes.withUnsafeBytes { src in
                    data.offsets.withUnsafeBufferPointer { offsets in
                        var o = base
                        for i in values {
                            let s = offsets[i]
                            let n = offsets[i + 1] - s
                            dst.storeBytes(of: UInt32(truncatingIfNeeded: n).littleEndian, toByteOffset: o, as: UInt32.self)
                            o += 4
                            if n > 0 {
                                (dst.baseAddress! + o).copyMemory(from: src.baseAddress! + s, byteCount: n)
                                o += n
                            }
                        }
                    }
                }
            }
        }
    }

    /// PLAIN bytes of a single value, as used for statistics (BYTE_ARRAY: raw bytes, no prefix).
    static func statisticsBytes(_ value: Bool) -> [UInt8] { [value ? 1 : 0] }
    static func statisticsBytes(_ value: Int32) -> [UInt8] { littleEndianBytes(value) }
    static func statisticsBytes(_ value: Int64) -> [UInt8] { littleEndianBytes(value) }
    static func statisticsBytes(_ value: Double) -> [UInt8] { littleEndianBytes(value.bitPattern) }

    @inline(__always)
    static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { out.append(contentsOf: $0) }
    }

    static func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(MemoryLayout<T>.size)
        appendLittleEndian(value, to: &out)
        return out
    }
}
