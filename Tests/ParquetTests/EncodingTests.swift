import Synthetic  // SplitMix64
import Testing

@testable import Parquet

@Suite struct RLEHybridEncoderTests {
    @Test func pyarrowDefinitionLevelExample() {
        // parquet.md: defs 1,1,0,1 are one bit-packed group: header 03, byte 0b00001011.
        #expect(RLEHybridEncoder.encode([1, 1, 0, 1], bitWidth: 1) == [0x03, 0x0b])
    }

    @Test func longRunsBecomeRLERuns() {
        #expect(
            RLEHybridEncoder.encode(repeatElement(1, count: 100), bitWidth: 1) == [
                0xc8, 0x01, 0x01,
            ])
        #expect(RLEHybridEncoder.encode(repeatElement(0, count: 8), bitWidth: 1) == [0x10, 0x00])
        // Short all-equal input is also one RLE run (as Arrow writes it).
        #expect(RLEHybridEncoder.encode([1, 1, 1], bitWidth: 1) == [0x06, 0x01])
        #expect(RLEHybridEncoder.encode([], bitWidth: 1) == [])
    }

    @Test func literalThenRepeatedRun() {
        // 8 mixed values (one bit-packed group), then 16 ones (an RLE run).
        let values: [UInt32] = [1, 0, 1, 0, 1, 0, 1, 0] + Array(repeating: 1, count: 16)
        #expect(RLEHybridEncoder.encode(values, bitWidth: 1) == [0x03, 0x55, 0x20, 0x01])
    }

    /// Bit-packed groups against a plain bit-by-bit packer (LSB first), for every width up to 32:
    /// the word-at-a-time packing of widths up to 8 and the byte loop above them.
    @Test(arguments: Array(1...32))
    func bitPackedGroupsMatchABitByBitPacker(bitWidth: Int) {
        var state: UInt64 = UInt64(bitWidth) &* 0x9E37_79B9_7F4A_7C15
        let mask: UInt64 = bitWidth == 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) - 1
        // No value equals the one before it (eight equal values would make an RLE run): one
        // literal run of eight groups.
        var values: [UInt32] = []
        for _ in 0..<64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            var value = UInt32(truncatingIfNeeded: (state >> 20) & mask)
            if value == values.last { value ^= 1 }
            values.append(value)
        }
        var bits: [Bool] = []
        for value in values { for bit in 0..<bitWidth { bits.append((value >> UInt32(bit)) & 1 == 1) } }
        let packed: [UInt8] = stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { byte, bit in bits[start + bit] ? byte | 1 << UInt8(bit) : byte }
        }
        #expect(RLEHybridEncoder.encode(values, bitWidth: bitWidth) == [UInt8(8 << 1 | 1)] + packed)
    }

    @Test func roundTripsPseudoRandomLevelsAndWidths() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return seed
        }
        for bitWidth in [1, 2, 3, 8, 13] {
            for count in [1, 7, 8, 9, 63, 64, 65, 511, 513, 2000] {
                var values: [UInt32] = []
                while values.count < count {
                    let run = Int(next() % 20) + 1
                    let value = UInt32(next() % (UInt64(1) << UInt64(bitWidth)))
                    if next() % 2 == 0 {
                        values += repeatElement(value, count: run)
                    } else {
                        for _ in 0..<run {
                            values.append(UInt32(next() % (UInt64(1) << UInt64(bitWidth))))
                        }
                    }
                }
                values = Array(values.prefix(count))
                let encoded = RLEHybridEncoder.encode(values, bitWidth: bitWidth)
                #expect(
                    decodeRLEHybrid(encoded, bitWidth: bitWidth, count: count) == values,
                    "bitWidth \(bitWidth), count \(count)")
            }
        }
    }

    /// `append` (which packs whole groups at once) against `encode` (value by value through
    /// `put`, the Arrow-compatible reference): the same bytes for runs that start and end at
    /// every offset of a group, runs of 7, 8 and 9, long literal stretches past 63 groups, and
    /// every width, for byte and 32-bit inputs alike.
    @Test(arguments: [1, 2, 3, 5, 8, 13, 24, 32])
    func appendGivesTheBytesOfEncode(bitWidth: Int) {
        var rng = SplitMix64(seed: UInt64(bitWidth) &* 0x2545_F491_4F6C_DD1D)
        let mask: UInt64 = bitWidth == 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) - 1
        for trial in 0..<300 {
            var values: [UInt32] = []
            let count = Int(rng.next() % 700)
            while values.count < count {
                let value = UInt32(truncatingIfNeeded: rng.next() & mask)
                switch rng.next() % 4 {
                case 0: values += repeatElement(value, count: [7, 8, 9, 16, 17][Int(rng.next() % 5)])
                case 1: values += repeatElement(value, count: Int(rng.next() % 12) + 1)
                default: values.append(value)
                }
            }
            values = Array(values.prefix(count))
            let expected = RLEHybridEncoder.encode(values, bitWidth: bitWidth)
            var appended: [UInt8] = [0xAB]  // appends after what is there
            values.withUnsafeBufferPointer { RLEHybridEncoder.append($0, bitWidth: bitWidth, to: &appended) }
            #expect(appended == [0xAB] + expected, "bitWidth \(bitWidth), trial \(trial)")
            if bitWidth <= 8 {
                let bytes = values.map { UInt8(truncatingIfNeeded: $0) }
                var fromBytes: [UInt8] = []
                bytes.withUnsafeBufferPointer { RLEHybridEncoder.append($0, bitWidth: bitWidth, to: &fromBytes) }
                #expect(fromBytes == expected, "bytes, bitWidth \(bitWidth), trial \(trial)")
            }
        }
    }

    @Test func longAlternatingRunSplitsBitPackedRunsAt63Groups() {
        let values = (0..<1000).map { UInt32($0 % 2) }
        let encoded = RLEHybridEncoder.encode(values, bitWidth: 1)
        #expect(encoded[0] == 0x7f)  // 63 groups: (63 << 1) | 1
        #expect(decodeRLEHybrid(encoded, bitWidth: 1, count: 1000) == values)
    }
}

@Suite struct PlainEncoderTests {
    @Test func booleansAreBitPackedLSBFirstWithoutPrefix() {
        var out: [UInt8] = []
        PlainEncoder.encode(
            [true, false, true, true, false, false, false, true, true][...], into: &out)
        #expect(out == [0x8d, 0x01])
    }

    @Test func booleanNullsAreSkipped() {
        var out: [UInt8] = []
        PlainEncoder.encode([true, nil, true, nil, false, true][...], into: &out)
        #expect(out == [0b1011])
    }

    @Test func numbersAreLittleEndian() {
        var out: [UInt8] = []
        PlainEncoder.encode([-1, nil, 258][...] as ArraySlice<Int32?>, into: &out)
        #expect(out == [0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x00, 0x00])
        out = []
        PlainEncoder.encode([Int64(-2)][...], into: &out)
        #expect(out == [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
        out = []
        PlainEncoder.encode([1.0][...] as ArraySlice<Double?>, into: &out)
        #expect(out == [0, 0, 0, 0, 0, 0, 0xf0, 0x3f])
    }

    @Test func byteArraysHaveLengthPrefixesIncludingEmpty() {
        var out: [UInt8] = []
        PlainEncoder.encode([Array("BE".utf8), [], nil, Array("Zürich".utf8)][...], into: &out)
        #expect(
            out == [2, 0, 0, 0, 0x42, 0x45, 0, 0, 0, 0, 7, 0, 0, 0] + Array("Zürich".utf8))
    }

    /// The body of the single PLAIN data page of `values`.
    private func plainPageBody(_ column: ParquetColumn, _ values: ParquetColumnValues) throws -> [UInt8] {
        let options = testOptions()
        let writer = ColumnChunkWriter(
            column: column, options: options,
            compressor: try PageCompressor(codec: .uncompressed, level: nil))
        let data = ParquetColumnBuffer(values)
        var body: [UInt8] = []
        writer.encodePageBody(
            data, .init(rows: 0..<data.count, values: 0..<data.valueCount), dictionary: nil,
            bitWidth: 0, into: &body)
        return body
    }

    @Test func optionalPageBodyMatchesPyarrowLevels() throws {
        let body = try plainPageBody(
            ParquetColumn("cc", .byteArray, logical: .string, .optional),
            .byteArray([Array("BE".utf8), Array("FR".utf8), nil, Array("BE".utf8)]))
        #expect(
            body == [2, 0, 0, 0, 0x03, 0x0b] + [2, 0, 0, 0, 0x42, 0x45, 2, 0, 0, 0, 0x46, 0x52]
                + [2, 0, 0, 0, 0x42, 0x45])
    }

    @Test func requiredPageBodyHasNoLevelBytes() throws {
        #expect(
            try plainPageBody(ParquetColumn("n", .int32, .required), .int32([1, 2]))
                == [1, 0, 0, 0, 2, 0, 0, 0])
    }
}
