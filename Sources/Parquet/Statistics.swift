/// Computes column chunk statistics (`Statistics`) in each column's sort order (its TYPE_ORDER):
/// signed for INT32/INT64 (unsigned when annotated as an unsigned INTEGER), false < true for
/// BOOLEAN, IEEE order without NaN for DOUBLE (min -0.0 / max +0.0 for zeros), and unsigned
/// lexicographic bytes for BYTE_ARRAY. Min/max are PLAIN-encoded at the physical type's exact size.
enum StatisticsBuilder {
    static func compute(
        _ values: ParquetColumnValues, logicalType: ParquetLogicalType?
    ) -> ChunkStatistics {
        switch values {
        case .boolean(let v): return boolean(v)
        case .int32(let v):
            if case .integer(_, signed: false) = logicalType { return unsignedInt32(v) }
            return int32(v)
        case .int64(let v):
            if case .integer(_, signed: false) = logicalType { return unsignedInt64(v) }
            return int64(v)
        case .double(let v): return double(v)
        case .byteArray(let v): return byteArray(v)
        }
    }

    static func boolean(_ values: [Bool?]) -> ChunkStatistics {
        var nulls: Int64 = 0
        var sawFalse = false
        var sawTrue = false
        for value in values {
            switch value {
            case nil: nulls += 1
            case true?: sawTrue = true
            case false?: sawFalse = true
            }
        }
        let any = sawFalse || sawTrue
        return ChunkStatistics(
            nullCount: nulls,
            min: any ? PlainEncoder.statisticsBytes(!sawFalse) : nil,
            max: any ? PlainEncoder.statisticsBytes(sawTrue) : nil,
            writeDeprecatedMinMax: true)
    }

    static func int32(_ values: [Int32?]) -> ChunkStatistics {
        let (nulls, range) = minMax(values)
        return ChunkStatistics(
            nullCount: nulls,
            min: range.map { PlainEncoder.statisticsBytes($0.min) },
            max: range.map { PlainEncoder.statisticsBytes($0.max) },
            writeDeprecatedMinMax: true)
    }

    static func int64(_ values: [Int64?]) -> ChunkStatistics {
        let (nulls, range) = minMax(values)
        return ChunkStatistics(
            nullCount: nulls,
            min: range.map { PlainEncoder.statisticsBytes($0.min) },
            max: range.map { PlainEncoder.statisticsBytes($0.max) },
            writeDeprecatedMinMax: true)
    }

    /// Unsigned INTEGER annotations sort unsigned; the deprecated fields are signed-only, so
    /// they are left out (as Arrow does).
    static func unsignedInt32(_ values: [Int32?]) -> ChunkStatistics {
        let (nulls, range) = minMax(values.lazy.map { $0.map { UInt32(bitPattern: $0) } })
        return ChunkStatistics(
            nullCount: nulls,
            min: range.map { PlainEncoder.littleEndianBytes($0.min) },
            max: range.map { PlainEncoder.littleEndianBytes($0.max) },
            writeDeprecatedMinMax: false)
    }

    static func unsignedInt64(_ values: [Int64?]) -> ChunkStatistics {
        let (nulls, range) = minMax(values.lazy.map { $0.map { UInt64(bitPattern: $0) } })
        return ChunkStatistics(
            nullCount: nulls,
            min: range.map { PlainEncoder.littleEndianBytes($0.min) },
            max: range.map { PlainEncoder.littleEndianBytes($0.max) },
            writeDeprecatedMinMax: false)
    }

    static func double(_ values: [Double?]) -> ChunkStatistics {
        var nulls: Int64 = 0
        var nans: Int64 = 0
        var lo = Double.infinity
        var hi = -Double.infinity
        var any = false
        for value in values {
            guard let v = value else {
                nulls += 1
                continue
            }
            if v.isNaN {
                nans += 1
                continue
            }
            any = true
            if v < lo { lo = v }
            if v > hi { hi = v }
        }
        // ColumnOrder rules: a zero minimum is written as -0.0, a zero maximum as +0.0.
        if lo == 0 { lo = -0.0 }
        if hi == 0 { hi = 0.0 }
        return ChunkStatistics(
            nullCount: nulls,
            min: any ? PlainEncoder.statisticsBytes(lo) : nil,
            max: any ? PlainEncoder.statisticsBytes(hi) : nil,
            writeDeprecatedMinMax: true,
            nanCount: nans)
    }

    static func byteArray(_ values: [[UInt8]?]) -> ChunkStatistics {
        var nulls: Int64 = 0
        var lo: [UInt8]?
        var hi: [UInt8]?
        for value in values {
            guard let v = value else {
                nulls += 1
                continue
            }
            // `[UInt8]` lexicographic comparison is unsigned byte order (not String order).
            if lo.map({ v.lexicographicallyPrecedes($0) }) ?? true { lo = v }
            if hi.map({ $0.lexicographicallyPrecedes(v) }) ?? true { hi = v }
        }
        return ChunkStatistics(nullCount: nulls, min: lo, max: hi, writeDeprecatedMinMax: false)
    }

    private static func minMax<S: Sequence, T: Comparable>(_ values: S) -> (
        nulls: Int64, range: (min: T, max: T)?
    ) where S.Element == T? {
        var nulls: Int64 = 0
        var range: (min: T, max: T)?
        for value in values {
            guard let v = value else {
                nulls += 1
                continue
            }
            if let r = range {
                if v < r.min { range!.min = v } else if v > r.max { range!.max = v }
            } else {
                range = (v, v)
            }
        }
        return (nulls, range)
    }
}
