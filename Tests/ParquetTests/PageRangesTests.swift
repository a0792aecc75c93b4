import Testing

@testable import Parquet

/// How a column chunk is cut into data pages: at most `rowLimit` rows and about `pageSize` bytes
/// each. Without nulls and with values of one width, the cut is computed, not walked row by row;
/// it must be the cut the row-by-row rule makes.
@Suite struct PageRangesTests {
    /// The row-by-row rule: a page ends at the first row where it holds `rowLimit` rows or its
    /// values reach `limitBits`.
    static func walked(count: Int, valueBits: Int, limitBits: Int, rowLimit: Int) -> [ColumnChunkWriter.PageRange] {
        var pages: [ColumnChunkWriter.PageRange] = []
        var start = 0, bits = 0
        for row in 0..<count {
            bits += valueBits
            if row + 1 - start >= rowLimit || bits >= limitBits {
                pages.append(.init(rows: start..<(row + 1), values: start..<(row + 1)))
                start = row + 1
                bits = 0
            }
        }
        if start < count { pages.append(.init(rows: start..<count, values: start..<count)) }
        return pages
    }

    @Test func computedPagesAreTheWalkedOnes() {
        for count in [1, 7, 8, 9, 100, 1000, 4096, 20_000] {
            for valueBits in [1, 2, 3, 7, 8, 13, 32, 64] {
                for limitBits in [64, 100, 8 * 1024, 8 * 1024 * 1024] {
                    for rowLimit in [1, 3, 1000, 20_000] {
                        #expect(
                            ColumnChunkWriter.fixedWidthPageRanges(
                                count: count, valueBits: valueBits, limitBits: limitBits, rowLimit: rowLimit)
                                == Self.walked(count: count, valueBits: valueBits, limitBits: limitBits, rowLimit: rowLimit),
                            "\(count) rows of \(valueBits) bits, \(limitBits)-bit pages, \(rowLimit) rows at most")
                    }
                }
            }
        }
    }

    /// A column of INT32 values without nulls takes the computed cut; with a null it is walked,
    /// and the null row takes no room.
    @Test func int32ColumnsWithAndWithoutNulls() {
        var column = ParquetColumnBuffer(.int32)
        for value in 0..<10 { column.append(Int32(value)) }
        // 8-byte pages (the smallest): two INT32 values each.
        #expect(ColumnChunkWriter.pageRanges(column, valueBits: nil, pageSize: 8, rowLimit: 100)
            == Self.walked(count: 10, valueBits: 32, limitBits: 64, rowLimit: 100))
        column.appendNull()
        column.append(Int32(10))
        let pages = ColumnChunkWriter.pageRanges(column, valueBits: nil, pageSize: 8, rowLimit: 100)
        #expect(pages.count == 6)
        #expect(pages.last == .init(rows: 10..<12, values: 10..<11))
    }
}
