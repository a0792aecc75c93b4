import Foundation
import Parquet
import Testing

/// The row visitors of `ParquetColumnBuffer` (ColumnBuffer+Reading.swift): every row once, in
/// order, with exact values and nil for nulls, on buffers built in memory and read back from files.
@Suite struct ColumnBufferReadingTests {
    func strings(_ buffer: ParquetColumnBuffer) -> [String?] {
        var out: [String?] = []
        buffer.forEachByteValue { row, bytes in
            #expect(row == out.count)
            out.append(bytes.map { String(decoding: $0, as: UTF8.self) })
        }
        return out
    }

    func collect<T>(_ visit: ((Int, T?) -> Void) -> Void) -> [T?] {
        var out: [T?] = []
        visit { row, value in
            #expect(row == out.count)
            out.append(value)
        }
        return out
    }

    @Test func byteValuesWithNullsAndEmptyStrings() {
        let values: [String?] = ["a", nil, "", "Zürich", nil, nil, "", "last value"]
        let buffer = ParquetColumnBuffer(.byteArray(values.map { $0.map { Array($0.utf8) } }))
        #expect(strings(buffer) == values)
        // Empty and null differ: an empty value is an empty buffer, not nil.
        var kinds: [Int?] = []
        buffer.forEachByteValue { _, bytes in kinds.append(bytes?.count) }
        #expect(kinds == [1, nil, 0, 7, nil, nil, 0, 10])
    }

    @Test func byteValuesWithoutNullsAndOnlyEmptyValues() {
        let values: [String?] = ["x", "yy", "zzz"]
        #expect(strings(ParquetColumnBuffer(.byteArray(values.map { $0.map { Array($0.utf8) } }))) == values)
        // No byte at all in the buffer: every value is still a (valid, empty) buffer.
        let empties: [String?] = ["", "", ""]
        #expect(strings(ParquetColumnBuffer(.byteArray(empties.map { $0.map { Array($0.utf8) } }))) == empties)
    }

    @Test func allNullAndEmptyBuffers() {
        let allNull = ParquetColumnBuffer(.byteArray([nil, nil, nil]))
        #expect(strings(allNull) == [nil, nil, nil])
        #expect(collect { ParquetColumnBuffer(.int32([nil, nil])).forEachInt32($0) } == [nil, nil])
        #expect(collect { ParquetColumnBuffer(.boolean([nil])).forEachBoolean($0) } == [nil])
        #expect(strings(ParquetColumnBuffer(.byteArray)) == [])
        #expect(collect { ParquetColumnBuffer(.int64).forEachInt64($0) } == [])
    }

    @Test func fixedWidthValuesWithAndWithoutNulls() {
        let int32s: [Int32?] = [1, nil, -7, .max, nil, .min, 0]
        #expect(collect { ParquetColumnBuffer(.int32(int32s)).forEachInt32($0) } == int32s)
        let dense: [Int32?] = [3, 2, 1]
        #expect(collect { ParquetColumnBuffer(.int32(dense)).forEachInt32($0) } == dense)
        let int64s: [Int64?] = [nil, .max, 5, nil]
        #expect(collect { ParquetColumnBuffer(.int64(int64s)).forEachInt64($0) } == int64s)
        let booleans: [Bool?] = [true, nil, false, false, nil, true]
        #expect(collect { ParquetColumnBuffer(.boolean(booleans)).forEachBoolean($0) } == booleans)
        let floats: [Float?] = [1.5, nil, -0.25]
        #expect(collect { ParquetColumnBuffer(.float(floats)).forEachFloat($0) } == floats)
        let doubles: [Double?] = [nil, 2.75, 1e300]
        #expect(collect { ParquetColumnBuffer(.double(doubles)).forEachDouble($0) } == doubles)
    }

    @Test func appendedBuffersAndRowRangesReadTheSame() {
        // A null after values (the definition levels start late) and rows copied from another buffer.
        var buffer = ParquetColumnBuffer(.byteArray)
        buffer.append(string: "one")
        buffer.append(string: "")
        buffer.appendNull()
        buffer.append(string: "four")
        var copy = ParquetColumnBuffer(.byteArray)
        copy.append(string: "zero")
        copy.append(rowsOf: buffer, 1..<4)
        #expect(strings(buffer) == ["one", "", nil, "four"])
        #expect(strings(copy) == ["zero", "", nil, "four"])
    }

    @Test func visitorsAgreeWithValuesOnFilesReadBack() throws {
        // Dictionary and PLAIN pages, several pages and row groups, nulls in every column.
        let schema = ParquetSchema([
            ParquetColumn("s", .byteArray, logical: .string, .optional),
            ParquetColumn("i", .int32, .optional),
            ParquetColumn("l", .int64, .required),
            ParquetColumn("b", .boolean, .optional),
            ParquetColumn("n", .byteArray, logical: .string, .optional),
        ])
        let rows = 2500
        let s: [String?] = (0..<rows).map { $0 % 7 == 3 ? nil : $0 % 11 == 0 ? "" : "v\($0 % 13)" }
        let i: [Int32?] = (0..<rows).map { $0 % 5 == 1 ? nil : Int32($0) - 1000 }
        let l: [Int64?] = (0..<rows).map { Int64($0) * 1_000_000_007 }
        let b: [Bool?] = (0..<rows).map { $0 % 3 == 0 ? nil : $0 % 2 == 0 }
        let n: [String?] = Array(repeating: nil, count: rows)
        for dictionary in [false, true] {
            let path = temporaryParquetPath()
            defer { removeFile(path) }
            let options = ParquetWriterOptions(
                codec: .zstd, createdBy: "reading-tests", dictionaryEnabled: dictionary, dataPageRowLimit: 300,
                rowGroupSize: 1000)
            let writer = try ParquetFileWriter(path: path, schema: schema, options: options)
            try writer.writeRowGroup([
                .byteArray(s.map { $0.map { Array($0.utf8) } }), .int32(i), .int64(l), .boolean(b),
                .byteArray(n.map { _ in nil }),
            ])
            try writer.close()
            let reader = try ParquetFileReader(path: path)
            #expect(reader.metadata.rowGroups.count == 3)
            var gotS: [String?] = [], gotI: [Int32?] = [], gotL: [Int64?] = [], gotB: [Bool?] = [], gotN: [String?] = []
            for g in reader.metadata.rowGroups.indices {
                gotS += strings(try reader.readColumnBuffer(rowGroup: g, column: 0))
                gotI += collect { try! reader.readColumnBuffer(rowGroup: g, column: 1).forEachInt32($0) }
                gotL += collect { try! reader.readColumnBuffer(rowGroup: g, column: 2).forEachInt64($0) }
                gotB += collect { try! reader.readColumnBuffer(rowGroup: g, column: 3).forEachBoolean($0) }
                gotN += strings(try reader.readColumnBuffer(rowGroup: g, column: 4))
            }
            #expect(gotS == s)
            #expect(gotI == i)
            #expect(gotL == l)
            #expect(gotB == b)
            #expect(gotN == n)
        }
    }

    @Test func aThrowingVisitorStopsAtTheFirstError() {
        struct Stop: Error, Equatable { let row: Int }
        let buffer = ParquetColumnBuffer(.byteArray(["a", nil, "c", "d"].map { $0.map { Array($0.utf8) } }))
        var seen: [Int] = []
        #expect(throws: Stop(row: 2)) {
            try buffer.forEachByteValue { (row, _) throws(Stop) in
                seen.append(row)
                if row == 2 { throw Stop(row: row) }
            }
        }
        #expect(seen == [0, 1, 2])
        var ints: [Int] = []
        #expect(throws: Stop(row: 1)) {
            try ParquetColumnBuffer(.int32([5, nil, 7])).forEachInt32 { (row, _) throws(Stop) in
                ints.append(row)
                if row == 1 { throw Stop(row: row) }
            }
        }
        #expect(ints == [0, 1])
    }
}
