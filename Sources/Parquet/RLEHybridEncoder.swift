/// The RLE / bit-packing hybrid encoder (Encodings.md), used for definition levels and
/// dictionary indices.
///
/// Follows Arrow C++'s `RleEncoder` run selection so output matches pyarrow's: values are
/// buffered in groups of 8; a value repeated at least 8 times becomes an RLE run
/// (`ULEB(len << 1)` + value in `ceil(bitWidth / 8)` LE bytes); everything else goes into
/// bit-packed runs (`ULEB(groups << 1 | 1)` + groups × 8 values, LSB-first, zero-padded at the end).
/// Writes straight into the caller's byte array.
struct RLEHybridEncoder {
    let bitWidth: Int
    private let mask: UInt64
    private var buffered = SIMD8<UInt32>()
    private var bufferedCount = 0
    private var currentValue: UInt32 = 0
    private var repeatCount = 0
    private var literalCount = 0
    /// Index in the output of the reserved header byte of the open bit-packed run.
    private var literalHeaderIndex = -1

    /// Bit-packed run headers are one reserved byte, so a run holds at most 63 groups.
    private static let maxGroupsPerLiteralRun = 63

    init(bitWidth: Int) {
        precondition((0...32).contains(bitWidth), "bit width must be 0...32")
        self.bitWidth = bitWidth
        mask = bitWidth == 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) - 1
    }

    /// Encodes `values` and returns the bytes (no length prefix).
    static func encode(_ values: some Sequence<UInt32>, bitWidth: Int) -> [UInt8] {
        var encoder = RLEHybridEncoder(bitWidth: bitWidth)
        var out: [UInt8] = []
        for v in values { encoder.put(v, to: &out) }
        encoder.finish(to: &out)
        return out
    }

    /// Appends the encoding of `values` to `out`: the bytes `encode` gives, faster.
    ///
    /// `put` decides value by value; but from a group boundary with no run counted (the start,
    /// and after every bit-packed group), eight values that are not all equal can only become
    /// one bit-packed group (a run becomes RLE only by filling a whole group), so such a group is
    /// checked and packed at once. Everything else (runs and the groups around them) goes
    /// through `put`.
    static func append<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<T>, bitWidth: Int, to out: inout [UInt8]
    ) {
        var encoder = RLEHybridEncoder(bitWidth: bitWidth)
        out.reserveCapacity(out.count + values.count * bitWidth / 8 + 16)
        var index = 0
        while index < values.count {
            if encoder.bufferedCount == 0, encoder.repeatCount == 0, values.count - index >= 8 {
                let first = values[index]
                var differs = false
                for lane in 1..<8 { differs = differs || values[index + lane] != first }
                if differs {
                    encoder.packGroup(UnsafeBufferPointer(rebasing: values[index..<(index + 8)]), to: &out)
                    index += 8
                    continue
                }
            }
            encoder.put(UInt32(truncatingIfNeeded: values[index]), to: &out)
            index += 1
        }
        encoder.finish(to: &out)
    }

    /// Eight values, not all equal, met at a group boundary with no run counted: what `put`
    /// makes of them one by one (`flushBufferedValues`: one more bit-packed group, the run count
    /// back to zero), with widths up to 8 packed in one word.
    @inline(__always)
    private mutating func packGroup<T: FixedWidthInteger & UnsignedInteger>(
        _ group: UnsafeBufferPointer<T>, to out: inout [UInt8]
    ) {
        currentValue = UInt32(truncatingIfNeeded: group[7])
        guard bitWidth <= 8 else {
            for lane in 0..<8 { buffered[lane] = UInt32(truncatingIfNeeded: group[lane]) }
            bufferedCount = 8
            flushBufferedValues(to: &out)
            return
        }
        literalCount += 8
        openLiteralRun(to: &out)
        var word: UInt64 = 0
        for lane in 0..<8 { word |= (UInt64(truncatingIfNeeded: group[lane]) & mask) << UInt64(lane * bitWidth) }
        withUnsafeBytes(of: word.littleEndian) { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[..<bitWidth])) }
        if literalCount / 8 >= Self.maxGroupsPerLiteralRun { flushLiteralRun(closeRun: true, to: &out) }
        repeatCount = 0
    }

    /// Appends `count` copies of `value`, encoded as `encode` would (one RLE run).
    static func appendRun(value: UInt32, count: Int, bitWidth: Int, to out: inout [UInt8]) {
        guard count > 0 else { return }
        appendVarint(UInt64(count) << 1, to: &out)
        var v = value
        for _ in 0..<((bitWidth + 7) / 8) {
            out.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }

    @inline(__always)
    mutating func put(_ value: UInt32, to out: inout [UInt8]) {
        if value == currentValue && repeatCount > 0 {
            repeatCount += 1
            if repeatCount > 8 { return }  // extends a run already known to be RLE
        } else {
            if repeatCount >= 8 { flushRepeatedRun(to: &out) }
            repeatCount = 1
            currentValue = value
        }
        buffered[bufferedCount] = value
        bufferedCount += 1
        if bufferedCount == 8 { flushBufferedValues(to: &out) }
    }

    /// Flushes pending values.
    mutating func finish(to out: inout [UInt8]) {
        if literalCount > 0 || repeatCount > 0 || bufferedCount > 0 {
            let allRepeat = literalCount == 0 && (repeatCount == bufferedCount || bufferedCount == 0)
            if repeatCount > 0 && allRepeat {
                flushRepeatedRun(to: &out)
            } else {
                literalCount += bufferedCount
                // Pad only a started group (Arrow's RleEncoder::Flush does the same).
                while bufferedCount > 0 && bufferedCount < 8 {
                    buffered[bufferedCount] = 0
                    bufferedCount += 1
                }
                flushLiteralRun(closeRun: true, to: &out)
                repeatCount = 0
            }
        }
    }

    private mutating func flushBufferedValues(to out: inout [UInt8]) {
        if repeatCount >= 8 {
            // These 8 values start (or continue) an RLE run; close any open literal run first.
            bufferedCount = 0
            if literalCount != 0 { flushLiteralRun(closeRun: true, to: &out) }
            return
        }
        literalCount += bufferedCount
        let groups = literalCount / 8
        flushLiteralRun(closeRun: groups >= Self.maxGroupsPerLiteralRun, to: &out)
        repeatCount = 0
    }

    /// Reserves the header byte of a bit-packed run unless one is open.
    @inline(__always)
    private mutating func openLiteralRun(to out: inout [UInt8]) {
        if literalHeaderIndex < 0 {
            literalHeaderIndex = out.count
            out.append(0)
        }
    }

    private mutating func flushLiteralRun(closeRun: Bool, to out: inout [UInt8]) {
        openLiteralRun(to: &out)
        if bufferedCount > 0 { bitPack(to: &out) }
        bufferedCount = 0
        if closeRun {
            let groups = (literalCount + 7) / 8
            out[literalHeaderIndex] = UInt8(groups << 1 | 1)
            literalHeaderIndex = -1
            literalCount = 0
        }
    }

    private mutating func flushRepeatedRun(to out: inout [UInt8]) {
        Self.appendRun(value: currentValue, count: repeatCount, bitWidth: bitWidth, to: &out)
        bufferedCount = 0
        repeatCount = 0
    }

    /// Packs the 8 buffered values LSB-first into `bitWidth` bytes.
    @inline(__always)
    private func bitPack(to out: inout [UInt8]) {
        var acc: UInt64 = 0
        var accBits = 0
        for i in 0..<8 {
            acc |= (UInt64(buffered[i]) & mask) << UInt64(accBits)
            accBits += bitWidth
            while accBits >= 8 {
                out.append(UInt8(truncatingIfNeeded: acc))
                acc >>= 8
                accBits -= 8
            }
        }
        if accBits > 0 { out.append(UInt8(truncatingIfNeeded: acc)) }
    }

    private static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}
