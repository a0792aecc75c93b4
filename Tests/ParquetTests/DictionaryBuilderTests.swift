import Testing

@testable import Parquet

/// The dictionary of a byte-array column chunk: distinct values in first-occurrence order and
/// each value's index, whether a value repeats the one before it (read without hashing) or one
/// seen earlier.
@Suite struct DictionaryBuilderTests {
    static func column(_ values: [String?]) -> ParquetColumnBuffer {
        var column = ParquetColumnBuffer(.byteArray)
        for value in values {
            if let value { column.append(string: value) } else { column.appendNull() }
        }
        return column
    }

    static func strings(_ dictionary: ParquetColumnBuffer) -> [String] {
        (0..<dictionary.count).map { String(decoding: dictionary.byteValue($0), as: UTF8.self) }
    }

    @Test func runsAndEarlierValuesGetTheirFirstIndex() throws {
        let column = Self.column(["a", "a", "b", "a", "", "", nil, "bb", "b", "b", "ab", "ba", "ba"])
        let built = try #require(DictionaryBuilder.build(column, limit: 1 << 20))
        #expect(Self.strings(built.dictionary) == ["a", "b", "", "bb", "ab", "ba"])
        #expect(built.indices == [0, 0, 1, 0, 2, 2, 3, 1, 1, 4, 5, 5])
        #expect(built.plainSize == 6 * 4 + 1 + 1 + 0 + 2 + 2 + 2)
    }

    /// Values of one length next to each other are compared by their bytes, not taken for a run.
    @Test func sameLengthNeighboursAreComparedByTheirBytes() throws {
        let column = Self.column(["member-01", "member-02", "member-02", "member-01"])
        let built = try #require(DictionaryBuilder.build(column, limit: 1 << 20))
        #expect(Self.strings(built.dictionary) == ["member-01", "member-02"])
        #expect(built.indices == [0, 1, 1, 0])
    }

    /// Only distinct values count toward the limit: a long run of one value fits, a few distinct
    /// values past it do not.
    @Test func theLimitCountsDistinctValuesOnly() {
        let long = String(repeating: "x", count: 100)
        #expect(DictionaryBuilder.build(Self.column(Array(repeating: long, count: 10_000)), limit: 200)?.indices.count == 10_000)
        #expect(DictionaryBuilder.build(Self.column([long, long + "y", long]), limit: 200) == nil)
    }
}
