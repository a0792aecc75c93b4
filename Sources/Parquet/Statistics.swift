/// Computes column chunk statistics (`Statistics`) in each column's sort order (its TYPE_ORDER):
/// signed for INT32/INT64 (unsigned when annotated as an unsigned INTEGER), false < true for
/// BOOLEAN, IEEE order without NaN for FLOAT/DOUBLE (min -0.0 / max +0.0 for zeros), and unsigned
/// lexicographic bytes for BYTE_ARRAY. Min/max are PLAIN-encoded at the physical type's exact size.
enum StatisticsBuilder {
    static func compute(
        _ values: ParquetColumnValues, logicalType: ParquetLogicalType?
    ) -> ChunkStatistics {
        compute(ParquetColumnBuffer(values), logicalType: logicalType)
    }

    /// Statistics of `data`. `distinct`, when given, holds the chunk's distinct non-null values
    /// (its dictionary): min and max are then found among far fewer values.
    static func compute(
        _ data: ParquetColumnBuffer, logicalType: ParquetLogicalType?,
        distinct: ParquetColumnBuffer? = nil
    ) -> ChunkStatistics {
        let source = distinct ?? data
        let nulls = Int64(data.nullCount)
        var unsigned = false
        if case .integer(_, signed: false) = logicalType { unsigned = true }
        switch data.physicalType {
        case .boolean:
            let sawTrue = source.booleans.contains(true)
            let sawFalse = source.booleans.contains(false)
            let any = sawFalse || sawTrue
            return ChunkStatistics(
                nullCount: nulls,
                min: any ? PlainEncoder.statisticsBytes(!sawFalse) : nil,
                max: any ? PlainEncoder.statisticsBytes(sawTrue) : nil,
                writeDeprecatedMinMax: true)
        case .int32:
            if unsigned {
                // Unsigned INTEGER annotations sort unsigned; the deprecated fields are signed-only,
                // so they are left out (as Arrow does).
                let r = minMax(source.int32s) { UInt32(bitPattern: $0) }
                return ChunkStatistics(
                    nullCount: nulls, min: r.map { PlainEncoder.littleEndianBytes($0.min) },
                    max: r.map { PlainEncoder.littleEndianBytes($0.max) }, writeDeprecatedMinMax: false)
            }
            let r = minMax(source.int32s) { $0 }
            return ChunkStatistics(
                nullCount: nulls, min: r.map { PlainEncoder.littleEndianBytes($0.min) },
                max: r.map { PlainEncoder.littleEndianBytes($0.max) }, writeDeprecatedMinMax: true)
        case .int64:
            if unsigned {
                let r = minMax(source.int64s) { UInt64(bitPattern: $0) }
                return ChunkStatistics(
                    nullCount: nulls, min: r.map { PlainEncoder.littleEndianBytes($0.min) },
                    max: r.map { PlainEncoder.littleEndianBytes($0.max) }, writeDeprecatedMinMax: false)
            }
            let r = minMax(source.int64s) { $0 }
            return ChunkStatistics(
                nullCount: nulls, min: r.map { PlainEncoder.littleEndianBytes($0.min) },
                max: r.map { PlainEncoder.littleEndianBytes($0.max) }, writeDeprecatedMinMax: true)
        case .float:
            let (r, nans) = floatingMinMax(source.floats)
            return ChunkStatistics(
                nullCount: nulls, min: r.map { PlainEncoder.littleEndianBytes($0.min.bitPattern) },
                max: r.map { PlainEncoder.littleEndianBytes($0.max.bitPattern) },
                writeDeprecatedMinMax: true, nanCount: distinct == nil ? nans : nanCount(data.floats))
        case .double:
            let (r, nans) = floatingMinMax(source.doubles)
            return ChunkStatistics(
                nullCount: nulls, min: r.map { PlainEncoder.statisticsBytes($0.min) },
                max: r.map { PlainEncoder.statisticsBytes($0.max) },
                writeDeprecatedMinMax: true, nanCount: distinct == nil ? nans : nanCount(data.doubles))
        case .byteArray:
            guard source.valueCount > 0 else {
                return ChunkStatistics(nullCount: nulls, min: nil, max: nil, writeDeprecatedMinMax: false)
            }
            var lo = 0
            var hi = 0
            source.bytes.withUnsafeBytes { raw in
                let base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                source.offsets.withUnsafeBufferPointer { o in
                    func less(_ a: Int, _ b: Int) -> Bool {
                        let la = o[a + 1] - o[a]
                        let lb = o[b + 1] - o[b]
                        let c = memcmp(base + o[a], base + o[b], Swift.min(la, lb))
                        return c < 0 || (c == 0 && la < lb)
                    }
                    for i in 1..<source.valueCount {
                        if less(i, lo) { lo = i }
                        if less(hi, i) { hi = i }
                    }
                }
            }
            return ChunkStatistics(
                nullCount: nulls, min: Array(source.byteValue(lo)), max: Array(source.byteValue(hi)),
                writeDeprecatedMinMax: false)
        }
    }

    private static func minMax<T, K: Comparable>(_ values: [T], _ key: (T) -> K) -> (min: K, max: K)? {
        guard let first = values.first else { return nil }
        var lo = key(first)
        var hi = lo
        for v in values {
            let k = key(v)
            if k < lo { lo = k }
            if k > hi { hi = k }
        }
        return (lo, hi)
    }

    private static func nanCount<F: BinaryFloatingPoint>(_ values: [F]) -> Int64 {
        var n: Int64 = 0
        for v in values where v.isNaN { n += 1 }
        return n
    }

    /// Min/max ignoring NaN; a zero minimum is written as -0.0, a zero maximum as +0.0.
    private static func floatingMinMax<F: BinaryFloatingPoint>(_ values: [F]) -> (
        (min: F, max: F)?, Int64
    ) {
        var nans: Int64 = 0
        var lo = F.infinity
        var hi = -F.infinity
        var any = false
        for v in values {
            if v.isNaN {
                nans += 1
                continue
            }
            any = true
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        guard any else { return (nil, nans) }
        if lo == 0 { lo = -0.0 }
        if hi == 0 { hi = 0.0 }
        return ((lo, hi), nans)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
