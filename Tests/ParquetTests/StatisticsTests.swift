import Testing

@testable import Parquet

@Suite struct StatisticsTests {
    @Test func int8StatisticsAreFourBytesSignedWithDeprecatedFields() {
        let stats = StatisticsBuilder.compute(
            .int32([5, nil, -3, 100]), logicalType: .integer(bitWidth: 8, signed: true))
        #expect(stats.nullCount == 1)
        #expect(stats.min == le(Int32(-3)))
        #expect(stats.max == le(Int32(100)))
        #expect(stats.writeDeprecatedMinMax)
        #expect(stats.nanCount == nil)
    }

    @Test func negativeDates() {
        let stats = StatisticsBuilder.compute(.int32([18_000, -719_162, -1]), logicalType: .date)
        #expect(stats.min == le(Int32(-719_162)))
        #expect(stats.max == le(Int32(18_000)))
    }

    @Test func unsignedIntegersCompareUnsignedWithoutDeprecatedFields() {
        let stats = StatisticsBuilder.compute(
            .int32([1, -1]), logicalType: .integer(bitWidth: 32, signed: false))
        #expect(stats.min == le(Int32(1)))
        #expect(stats.max == le(Int32(-1)))  // 0xFFFFFFFF is the largest UINT_32
        #expect(!stats.writeDeprecatedMinMax)
        let stats64 = StatisticsBuilder.compute(
            .int64([Int64.min, 3]), logicalType: .integer(bitWidth: 64, signed: false))
        #expect(stats64.min == le(Int64(3)))
        #expect(stats64.max == le(Int64.min))
    }

    @Test func int64AndTimestampStatisticsAreEightBytes() {
        let stats = StatisticsBuilder.compute(
            .int64([nil, -5, 7]), logicalType: .timestampMicrosUTC)
        #expect(stats.min == le(Int64(-5)))
        #expect(stats.max == le(Int64(7)))
        #expect(stats.nullCount == 1)
    }

    @Test func booleanStatisticsAreOneByte() {
        #expect(
            StatisticsBuilder.compute(.boolean([true, nil, false]), logicalType: nil).min == [0])
        #expect(
            StatisticsBuilder.compute(.boolean([true, nil, false]), logicalType: nil).max == [1])
        #expect(StatisticsBuilder.compute(.boolean([true, true]), logicalType: nil).min == [1])
        #expect(StatisticsBuilder.compute(.boolean([false]), logicalType: nil).max == [0])
    }

    @Test func byteArraysCompareAsUnsignedBytesNotStrings() {
        // "é" (c3 a9) and "e\u{301}" (65 cc 81) are == as Swift Strings but distinct bytes.
        let values: [[UInt8]?] = [
            Array("Zürich".utf8), Array("é".utf8), nil, Array("e\u{301}".utf8), Array("Zz".utf8),
        ]
        let stats = StatisticsBuilder.compute(.byteArray(values), logicalType: .string)
        #expect(stats.min == Array("Zz".utf8))
        #expect(stats.max == [0xc3, 0xa9])
        #expect(stats.nullCount == 1)
        #expect(!stats.writeDeprecatedMinMax)
        let canonical = StatisticsBuilder.compute(
            .byteArray([Array("é".utf8), Array("e\u{301}".utf8)]), logicalType: .string)
        #expect(canonical.min == [0x65, 0xcc, 0x81])
        #expect(canonical.max == [0xc3, 0xa9])
    }

    @Test func zuerichSortsAfterZzByBytes() {
        let stats = StatisticsBuilder.compute(
            .byteArray([Array("Zürich".utf8), Array("Zz".utf8), Array("Zurich".utf8)]),
            logicalType: .string)
        #expect(stats.min == Array("Zurich".utf8))
        #expect(stats.max == Array("Zürich".utf8))  // 0xc3 > 0x7a
    }

    @Test func emptyStringIsTheMinimumAndHasEmptyStatistics() {
        let stats = StatisticsBuilder.compute(
            .byteArray([Array("a".utf8), []]), logicalType: .string)
        #expect(stats.min == [])
        #expect(stats.max == Array("a".utf8))
    }

    @Test func allNullChunkHasOnlyNullCount() {
        let stats = StatisticsBuilder.compute(.byteArray([nil, nil]), logicalType: .string)
        #expect(
            stats == ChunkStatistics(nullCount: 2, min: nil, max: nil, writeDeprecatedMinMax: false)
        )
        var w = ThriftCompactWriter()
        stats.encode(to: &w)
        #expect(w.bytes == [0x36, 0x04])  // field 3 i64 = 2; no other fields
    }

    @Test func doublesExcludeNaNAndNormaliseZeros() {
        let stats = StatisticsBuilder.compute(
            .double([.nan, 0.0, nil, -0.0, .nan]), logicalType: nil)
        #expect(stats.min == le((-0.0 as Double).bitPattern))
        #expect(stats.max == le((0.0 as Double).bitPattern))
        #expect(stats.nanCount == 2)
        #expect(stats.nullCount == 1)
        let onlyNaN = StatisticsBuilder.compute(.double([.nan]), logicalType: nil)
        #expect(onlyNaN.min == nil && onlyNaN.max == nil && onlyNaN.nanCount == 1)
        let ranged = StatisticsBuilder.compute(.double([2.5, -1.5, .infinity]), logicalType: nil)
        #expect(ranged.min == le((-1.5 as Double).bitPattern))
        #expect(ranged.max == le(Double.infinity.bitPattern))
    }

    @Test func encodingOrderAndExactFlags() throws {
        let stats = StatisticsBuilder.compute(.int32([1, 2]), logicalType: nil)
        var w = ThriftCompactWriter()
        w.writeStruct { stats.encode(to: &$0) }
        var decoder = ThriftCompactDecoder(w.bytes)
        let decoded = try decoder.readStruct()
        #expect(decoded.ids == [1, 2, 3, 5, 6, 7, 8])
        #expect(decoded[1]?.bytes == le(Int32(2)))
        #expect(decoded[2]?.bytes == le(Int32(1)))
        #expect(decoded[7]?.bool == true)
        #expect(decoded[8]?.bool == true)
    }
}
