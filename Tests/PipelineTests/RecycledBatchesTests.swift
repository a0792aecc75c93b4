import DatasetContract
import Foundation
import Parquet
import Testing

@testable import Pipeline

/// The batches a table sink fills again: what a reader still holds never changes, and a table
/// written through many recycled batches reads back row for row.
@Suite struct RecycledBatchesTests {
    /// A one-column batch of `rows` strings "<label>-<row>", with a null every seventh row.
    static func batch(_ label: String, rows: Int) -> [ParquetColumnBuffer] {
        var column = ParquetColumnBuffer(.byteArray)
        for row in 0..<rows {
            if row % 7 == 3 { column.appendNull() } else { column.append(string: "\(label)-\(row)") }
        }
        return [column]
    }

    @Test func batchesComeBackEmptyAfterKeepingAndHeldCopiesNeverChange() throws {
        var recycled = RecycledBatches(keeping: 2)
        let first = Self.batch("a", rows: 50), second = Self.batch("b", rows: 60), third = Self.batch("c", rows: 70)
        // A reader still holds the first batch when it comes back; nobody holds the second.
        let held = first
        #expect(recycled.next(after: first) == nil)
        #expect(recycled.next(after: second) == nil)
        let back = recycled.next(after: third)
        var reused = try #require(back)
        #expect(reused.map(\.count) == [0] && reused[0].nullCount == 0)
        // Filling the returned batch leaves the reader's copy as it was.
        for row in 0..<80 { reused[0].append(string: "x-\(row)") }
        #expect(held == Self.batch("a", rows: 50))
        #expect(reused == [ParquetColumnBuffer(.byteArray((0..<80).map { Array("x-\($0)".utf8) }))])
        // The next one back is the second batch, emptied.
        let next = recycled.next(after: reused)
        #expect(next?.map(\.count) == [0])
    }

    @Test("a table written through many recycled batches reads back row for row")
    func tableThroughRecycledBatches() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recycled-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Eight full batches and a part: every batch after the fourth is a recycled one.
        let rows = 8 * TableSink.batchRows + 123
        var sink = try TableSink(
            .contacts, in: directory.path, year: 2025,
            options: ParquetWriterOptions(codec: .uncompressed, createdBy: "hotline-etl-tests version 0.0.1 (build test)"),
            rowGroupSize: 50_000)
        for row in 0..<rows {
            try sink.append { columns in
                columns[0].append(string: "M\(row % 3)")
                columns[1].append(string: "BE")
                columns[2].append(Int32(row % 12 + 1))
                columns[3].append(string: row % 5 == 0 ? "a channel name longer than fifteen bytes \(row)" : "PHONE")
                columns[4].append(string: "CALL")
                columns[5].append(Int64(row))
                columns[6].append(string: "m/contacts.csv")
                columns[7].append(Int64(row + 1))
            }
        }
        try sink.finishSending()
        #expect(try sink.waitUntilWritten() == rows)

        let reader = try ParquetFileReader(path: directory.appendingPathComponent(TableSink.relativePath(.contacts, year: 2025)).path)
        var channels: [String] = [], counts: [Int64] = []
        for group in reader.metadata.rowGroups.indices {
            guard case .byteArray(let channel) = try reader.readColumn(rowGroup: group, column: 3),
                case .int64(let count) = try reader.readColumn(rowGroup: group, column: 5)
            else { Issue.record("unexpected column types"); return }
            channels += channel.map { String(decoding: $0!, as: UTF8.self) }
            counts += count.map { $0! }
        }
        #expect(counts == (0..<rows).map { Int64($0) })
        #expect(channels == (0..<rows).map { $0 % 5 == 0 ? "a channel name longer than fifteen bytes \($0)" : "PHONE" })
    }
}
