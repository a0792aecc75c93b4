/// The RLE / bit-packing hybrid encoder (Encodings.md), used for definition levels.
///
/// Follows Arrow C++'s `RleEncoder` run selection so output matches pyarrow's: values are
/// buffered in groups of 8; a value repeated at least 8 times becomes an RLE run
/// (`ULEB(len << 1)` + value in `ceil(bitWidth / 8)` LE bytes); everything else goes into
/// bit-packed runs (`ULEB(groups << 1 | 1)` + groups × 8 values, LSB-first, zero-padded at the end).
struct RLEHybridEncoder {
    let bitWidth: Int
    private(set) var bytes: [UInt8] = []

    private var buffered: [UInt32] = []
    private var currentValue: UInt32 = 0
    private var repeatCount = 0
    private var literalCount = 0
    /// Index in `bytes` of the reserved header byte of the open bit-packed run.
    private var literalHeaderIndex: Int?

    /// Bit-packed run headers are one reserved byte, so a run holds at most 63 groups.
    private static let maxGroupsPerLiteralRun = 63

    init(bitWidth: Int) {
        precondition((0...32).contains(bitWidth), "bit width must be 0...32")
        self.bitWidth = bitWidth
        buffered.reserveCapacity(8)
    }

    /// Encodes `values` and returns the bytes (no length prefix).
    static func encode(_ values: some Sequence<UInt32>, bitWidth: Int) -> [UInt8] {
        var encoder = RLEHybridEncoder(bitWidth: bitWidth)
        for v in values { encoder.put(v) }
        return encoder.finish()
    }

    mutating func put(_ value: UInt32) {
        if value == currentValue && repeatCount > 0 {
            repeatCount += 1
            if repeatCount > 8 { return }  // extends a run already known to be RLE
        } else {
            if repeatCount >= 8 { flushRepeatedRun() }
            repeatCount = 1
            currentValue = value
        }
        buffered.append(value)
        if buffered.count == 8 { flushBufferedValues() }
    }

    /// Flushes pending values and returns all encoded bytes.
    mutating func finish() -> [UInt8] {
        if literalCount > 0 || repeatCount > 0 || !buffered.isEmpty {
            let allRepeat = literalCount == 0 && (repeatCount == buffered.count || buffered.isEmpty)
            if repeatCount > 0 && allRepeat {
                flushRepeatedRun()
            } else {
                literalCount += buffered.count
                while buffered.count < 8 { buffered.append(0) }
                flushLiteralRun(closeRun: true)
                repeatCount = 0
            }
        }
        return bytes
    }

    private mutating func flushBufferedValues() {
        if repeatCount >= 8 {
            // These 8 values start (or continue) an RLE run; close any open literal run first.
            buffered.removeAll(keepingCapacity: true)
            if literalCount != 0 { flushLiteralRun(closeRun: true) }
            return
        }
        literalCount += buffered.count
        let groups = literalCount / 8
        flushLiteralRun(closeRun: groups >= Self.maxGroupsPerLiteralRun)
        repeatCount = 0
    }

    private mutating func flushLiteralRun(closeRun: Bool) {
        if literalHeaderIndex == nil {
            literalHeaderIndex = bytes.count
            bytes.append(0)
        }
        bitPack(buffered)
        buffered.removeAll(keepingCapacity: true)
        if closeRun, let index = literalHeaderIndex {
            let groups = (literalCount + 7) / 8
            bytes[index] = UInt8(groups << 1 | 1)
            literalHeaderIndex = nil
            literalCount = 0
        }
    }

    private mutating func flushRepeatedRun() {
        appendVarint(UInt64(repeatCount) << 1)
        var v = currentValue
        for _ in 0..<((bitWidth + 7) / 8) {
            bytes.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
        buffered.removeAll(keepingCapacity: true)
        repeatCount = 0
    }

    /// Packs 8 values LSB-first into `bitWidth` bytes.
    private mutating func bitPack(_ values: [UInt32]) {
        var acc: UInt64 = 0
        var accBits = 0
        let mask: UInt64 = bitWidth == 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) - 1
        for v in values {
            acc |= (UInt64(v) & mask) << UInt64(accBits)
            accBits += bitWidth
            while accBits >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: acc))
                acc >>= 8
                accBits -= 8
            }
        }
        if accBits > 0 { bytes.append(UInt8(truncatingIfNeeded: acc)) }
    }

    private mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
}
