import Foundation
import Parquet
import Testing

/// A schema with every supported annotation.
let mixedSchema = ParquetSchema([
    ParquetColumn("country", .byteArray, logical: .string, .optional),
    ParquetColumn("day", .int32, logical: .date, .required),
    ParquetColumn("age", .int32, logical: .integer(bitWidth: 8, signed: true), .optional),
    ParquetColumn("flag", .boolean, .required),
    ParquetColumn("n32", .int32, logical: .integer(bitWidth: 32, signed: true), .required),
    ParquetColumn("ts", .int64, logical: .timestampMicrosUTC, .optional),
    ParquetColumn("x", .double, .optional),
    ParquetColumn("u16", .int32, logical: .integer(bitWidth: 16, signed: false), .required),
])

/// 13 rows: not a multiple of 8.
let mixedRowGroup: [ParquetColumnValues] = [
    .byteArray(
        [Array("BE".utf8), Array("FR".utf8), nil, Array("Zürich".utf8), [], Array("BE".utf8)]
            + Array(repeating: nil, count: 7)),
    .int32((0..<13).map { Int32($0) * 1000 - 719_162 }),
    .int32([1, nil, -128, 127, nil, 5, 6, 7, 8, 9, 10, 11, nil]),
    .boolean((0..<13).map { $0 % 3 == 0 }),
    .int32((0..<13).map { Int32($0) - 6 }),
    .int64([nil, 1_700_000_000_000_000, -1, 0, nil, 5, 6, 7, 8, 9, 10, 11, 12]),
    .double([1.5, .nan, nil, -2.25, 0, 1, 2, 3, 4, 5, 6, 7, 8]),
    .int32((0..<13).map { Int32($0) * 5000 }),
]

@Suite struct FooterTests {
    @Test func schemaElements() throws {
        let file = try writeAndParse(mixedSchema, [mixedRowGroup])
        #expect(file.footer[1]?.i32 == 1)  // version
        let schema = file.schema
        #expect(schema.count == 9)
        // Root: repetition REQUIRED, name, num_children.
        #expect(schema[0].ids == [3, 4, 5])
        #expect(schema[0][4]?.string == "schema")
        #expect(schema[0][5]?.i32 == 8)
        let leaves = Array(schema.dropFirst())
        #expect(leaves.map { $0[4]?.string } == mixedSchema.columns.map(\.name))
        #expect(leaves.map { $0[1]?.i32 } == [6, 1, 1, 0, 1, 2, 5, 1])  // physical types
        #expect(leaves.map { $0[3]?.i32 } == [1, 0, 1, 0, 0, 1, 1, 0])  // repetition
        #expect(leaves.map { $0[6]?.i32 } == [0, 6, 15, nil, 17, 10, nil, 12])  // converted
        #expect(leaves[0][10]?.structure?.ids == [1])  // STRING
        #expect(leaves[1][10]?.structure?.ids == [6])  // DATE
        let int8 = leaves[2][10]?.structure?[10]?.structure
        #expect(int8?[1]?.i8 == 8)
        #expect(int8?[2]?.bool == true)
        #expect(leaves[3][10] == nil)
        let ts = leaves[5][10]?.structure?[8]?.structure
        #expect(ts?[1]?.bool == true)  // isAdjustedToUTC
        #expect(ts?[2]?.structure?.ids == [2])  // MICROS
        let u16 = leaves[7][10]?.structure?[10]?.structure
        #expect(u16?[1]?.i8 == 16)
        #expect(u16?[2]?.bool == false)
    }

    @Test func fileLevelFields() throws {
        let file = try writeAndParse(mixedSchema, [mixedRowGroup, mixedRowGroup])
        #expect(file.footer.ids == [1, 2, 3, 4, 5, 6, 7])
        #expect(file.footer[3]?.i64 == 26)
        #expect(file.footer[6]?.string == "hotline-etl-tests version 0.0.1 (build test)")
        let kv = file.footer[5]?.list?.map { $0.structure! }
        #expect(kv?.count == 1)
        #expect(kv?.first?[1]?.string == "etl.test")
        #expect(kv?.first?[2]?.string == "yes")
        let orders = file.footer[7]?.list ?? []
        #expect(orders.count == 8)
        #expect(
            orders.allSatisfy { $0.structure?.ids == [1] && $0.structure?[1]?.structure?.ids == [] }
        )
    }

    @Test func noKeyValueMetadataWhenEmpty() throws {
        let options = ParquetWriterOptions(
            codec: .uncompressed, createdBy: "t version 1.0.0 (build x)")
        let file = try writeAndParse(
            ParquetSchema([ParquetColumn("b", .boolean, .required)]), [[.boolean([true])]],
            options: options)
        #expect(file.footer.ids == [1, 2, 3, 4, 6, 7])
    }

    @Test(arguments: [ParquetCodec.uncompressed, .gzip])
    func rowGroupsAndChunksPointAtPages(codec: ParquetCodec) throws {
        let file = try writeAndParse(
            mixedSchema, [mixedRowGroup, mixedRowGroup], options: testOptions(codec: codec))
        var expectedOffset: Int64 = 4  // after "PAR1"
        for (g, group) in file.rowGroups.enumerated() {
            #expect(group.ids == [1, 2, 3, 5, 6])
            #expect(group[3]?.i64 == 13)
            #expect(group[5]?.i64 == expectedOffset)
            var sumUncompressed: Int64 = 0
            var sumCompressed: Int64 = 0
            for (c, chunkValue) in (group[1]?.list ?? []).enumerated() {
                let chunk = chunkValue.structure!
                #expect(chunk.ids == [2, 3])
                #expect(chunk[2]?.i64 == 0)
                let meta = file.columnMetaData(g, c)
                #expect(meta.ids == [1, 2, 3, 4, 5, 6, 7, 9, 12, 13])
                #expect(meta[1]?.i32 == mixedSchema.columns[c].physicalType.rawValue)
                #expect(meta[2]?.list == [.i32(0), .i32(3)])
                #expect(meta[3]?.list == [.binary(Array(mixedSchema.columns[c].name.utf8))])
                #expect(meta[4]?.i32 == codec.rawValue)
                #expect(meta[5]?.i64 == 13)
                #expect(meta[9]?.i64 == expectedOffset)
                let pages = try file.pages(g, c)
                #expect(pages.count == 1)
                let header = pages[0].header
                #expect(header.ids == [1, 2, 3, 5])
                #expect(header[1]?.i32 == 0)  // DATA_PAGE
                let dataHeader = header[5]?.structure
                #expect(dataHeader?[1]?.i32 == 13)
                #expect(dataHeader?[2]?.i32 == 0)  // PLAIN
                #expect(dataHeader?[3]?.i32 == 3)
                #expect(dataHeader?[4]?.i32 == 3)
                let headerSize = Int64(pages[0].headerSize)
                #expect(meta[6]?.i64 == headerSize + Int64(header[2]!.i32!))
                #expect(meta[7]?.i64 == headerSize + Int64(header[3]!.i32!))
                let body = try file.pageBodies(g, c)[0]
                #expect(body.count == Int(header[2]!.i32!))
                if codec == .gzip { #expect(pages[0].storedBody.prefix(2) == [0x1f, 0x8b]) }
                sumUncompressed += meta[6]!.i64!
                sumCompressed += meta[7]!.i64!
                expectedOffset += meta[7]!.i64!
            }
            #expect(group[2]?.i64 == sumUncompressed)
            #expect(group[6]?.i64 == sumCompressed)
        }
        // The footer starts right after the last chunk.
        let footerLength = Int(file.bytes.count) - 8 - Int(expectedOffset)
        let stored = file.bytes[(file.bytes.count - 8)..<(file.bytes.count - 4)]
        #expect(Array(stored) == le(UInt32(footerLength)))
    }

    @Test func chunkStatistics() throws {
        let file = try writeAndParse(mixedSchema, [mixedRowGroup])
        let country = file.statistics(0, 0)
        #expect(country.ids == [3, 5, 6, 7, 8])  // no deprecated min/max for BYTE_ARRAY
        #expect(country[3]?.i64 == 8)
        #expect(country[6]?.bytes == [])  // the empty string is the minimum
        #expect(country[5]?.bytes == Array("Zürich".utf8))
        let day = file.statistics(0, 1)
        #expect(day.ids == [1, 2, 3, 5, 6, 7, 8])
        #expect(day[3]?.i64 == 0)
        #expect(day[6]?.bytes == le(Int32(-719_162)))
        #expect(day[5]?.bytes == le(Int32(12_000 - 719_162)))
        #expect(day[2] == day[6] && day[1] == day[5])
        let age = file.statistics(0, 2)
        #expect(age[3]?.i64 == 3)
        #expect(age[6]?.bytes == le(Int32(-128)))
        #expect(age[5]?.bytes == le(Int32(127)))
        let flag = file.statistics(0, 3)
        #expect(flag[6]?.bytes == [0] && flag[5]?.bytes == [1])
        let ts = file.statistics(0, 5)
        #expect(ts[6]?.bytes == le(Int64(-1)))
        #expect(ts[5]?.bytes == le(Int64(1_700_000_000_000_000)))
        let x = file.statistics(0, 6)
        #expect(x.ids == [1, 2, 3, 5, 6, 7, 8, 9])
        #expect(x[9]?.i64 == 1)  // nan_count
        #expect(x[6]?.bytes == le((-2.25 as Double).bitPattern))
        #expect(x[5]?.bytes == le((8.0 as Double).bitPattern))
        let u16 = file.statistics(0, 7)
        #expect(u16.ids == [3, 5, 6, 7, 8])  // unsigned order: no deprecated fields
    }
}

@Suite struct PageContentTests {
    @Test func optionalStringPageRoundTrips() throws {
        let file = try writeAndParse(mixedSchema, [mixedRowGroup])
        let body = try file.pageBodies(0, 0)[0]
        let (levels, values) = splitOptionalPageBody(body, rowCount: 13)
        #expect(levels == [1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0])
        #expect(
            decodePlainByteArrays(values)
                == [Array("BE".utf8), Array("FR".utf8), Array("Zürich".utf8), [], Array("BE".utf8)])
    }

    @Test func requiredDatePageIsJustPlainValues() throws {
        let file = try writeAndParse(mixedSchema, [mixedRowGroup])
        let body = try file.pageBodies(0, 1)[0]
        #expect(decodePlainInt32(body) == (0..<13).map { Int32($0) * 1000 - 719_162 })
    }

    @Test func requiredBooleanPageIsBitPacked() throws {
        let file = try writeAndParse(mixedSchema, [mixedRowGroup])
        // true at rows 0, 3, 6, 9, 12.
        #expect(try file.pageBodies(0, 3)[0] == [0b0100_1001, 0b0001_0010])
    }

    @Test func gzipPageDecompressesToThePlainBody() throws {
        let plain = try writeAndParse(
            mixedSchema, [mixedRowGroup], options: testOptions(codec: .uncompressed))
        let gzip = try writeAndParse(
            mixedSchema, [mixedRowGroup], options: testOptions(codec: .gzip))
        for c in 0..<mixedSchema.columns.count {
            let stored = try gzip.pages(0, c)[0].storedBody
            #expect(stored.prefix(3) == [0x1f, 0x8b, 0x08])
            #expect(try gunzip(stored) == plain.pages(0, c)[0].storedBody)
        }
    }

    @Test func allNullColumn() throws {
        let schema = ParquetSchema([ParquetColumn("s", .byteArray, logical: .string, .optional)])
        let file = try writeAndParse(schema, [[.byteArray([nil, nil, nil])]])
        let body = try file.pageBodies(0, 0)[0]
        #expect(body == [2, 0, 0, 0, 0x06, 0x00])  // one RLE run of three 0s, no values
        let stats = file.statistics(0, 0)
        #expect(stats.ids == [3])
        #expect(stats[3]?.i64 == 3)
    }
}

@Suite struct FileEdgeCaseTests {
    @Test func zeroRowGroupsIsAValidEmptyFile() throws {
        let file = try writeAndParse(mixedSchema, [])
        #expect(file.footer[3]?.i64 == 0)
        #expect(file.footer[4]?.list == [])
        #expect(file.schema.count == 9)
    }

    @Test func zeroRowRowGroupIsSkipped() throws {
        let empty: [ParquetColumnValues] = mixedSchema.columns.map { column in
            switch column.physicalType {
            case .boolean: .boolean([])
            case .int32: .int32([])
            case .float: .float([])
            case .int64: .int64([])
            case .double: .double([])
            case .byteArray: .byteArray([])
            }
        }
        let file = try writeAndParse(mixedSchema, [empty, mixedRowGroup, empty])
        #expect(file.rowGroups.count == 1)
        #expect(file.footer[3]?.i64 == 13)
    }

    @Test func outputIsDeterministic() throws {
        let first = try writeAndParse(
            mixedSchema, [mixedRowGroup], options: testOptions(codec: .gzip))
        let second = try writeAndParse(
            mixedSchema, [mixedRowGroup], options: testOptions(codec: .gzip))
        #expect(first.bytes == second.bytes)
    }

    @Test func largeRowGroupSpansTheWriteBuffer() throws {
        let count = 300_000  // > 1 MiB per chunk
        let schema = ParquetSchema([
            ParquetColumn("v", .int64, .required), ParquetColumn("s", .byteArray, .optional),
        ])
        let group: [ParquetColumnValues] = [
            .int64((0..<count).map { Int64($0) }),
            .byteArray((0..<count).map { $0 % 10 == 0 ? nil : Array("row \($0)".utf8) }),
        ]
        let file = try writeAndParse(schema, [group, group])
        #expect(file.footer[3]?.i64 == Int64(2 * count))
        let stats = file.statistics(1, 1)
        #expect(stats[3]?.i64 == Int64(count / 10))
        let bodies = try file.pageBodies(1, 0)
        #expect(bodies.count == 15)  // pages of at most 20,000 rows
        #expect(bodies.map(\.count).reduce(0, +) == count * 8)
    }
}

@Suite struct WriterErrorTests {
    private func expectError(
        _ message: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws(ParquetError) -> Void
    ) {
        do {
            try body()
            Issue.record("expected error: \(message)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.message == message, sourceLocation: sourceLocation)
        }
    }

    private let schema = ParquetSchema([
        ParquetColumn("id", .int64, .required),
        ParquetColumn("name", .byteArray, logical: .string, .optional),
    ])

    private func withWriter(_ body: (ParquetFileWriter) throws(ParquetError) -> Void) throws {
        let path = temporaryParquetPath()
        defer { removeFile(path) }
        let writer = try ParquetFileWriter(path: path, schema: schema, options: testOptions())
        try body(writer)
    }

    @Test func columnCountMismatch() throws {
        try withWriter { writer throws(ParquetError) in
            expectError(
                "row group has 1 columns but the schema has 2 ('id', 'name'); pass one "
                    + "ParquetColumnValues per schema column, in schema order"
            ) { () throws(ParquetError) in try writer.writeRowGroup([.int64([1])]) }
        }
    }

    @Test func rowCountMismatch() throws {
        try withWriter { writer throws(ParquetError) in
            expectError(
                "column 'name' has 1 values but column 'id' has 2; every column of a row group "
                    + "must have the same number of rows"
            ) { () throws(ParquetError) in
                try writer.writeRowGroup([.int64([1, 2]), .byteArray([nil])])
            }
        }
    }

    @Test func wrongValueCase() throws {
        try withWriter { writer throws(ParquetError) in
            expectError(
                "column 'id' is INT64 but got .int32 values; pass .int64(...) for this column"
            ) { () throws(ParquetError) in
                try writer.writeRowGroup([.int32([1]), .byteArray([nil])])
            }
        }
    }

    @Test func nullInRequiredColumn() throws {
        try withWriter { writer throws(ParquetError) in
            expectError(
                "column 'id' is REQUIRED but row 1 is null; declare it .optional or supply a value"
            ) { () throws(ParquetError) in
                try writer.writeRowGroup([.int64([1, nil]), .byteArray([nil, nil])])
            }
        }
    }

    @Test func writerStaysUsableAfterAValidationError() throws {
        let path = temporaryParquetPath()
        defer { removeFile(path) }
        let writer = try ParquetFileWriter(path: path, schema: schema, options: testOptions())
        #expect(throws: ParquetError.self) { try writer.writeRowGroup([]) }
        try writer.writeRowGroup([.int64([7]), .byteArray([Array("x".utf8)])])
        try writer.close()
        try writer.close()  // idempotent
        #expect(try ParsedParquetFile(path: path).footer[3]?.i64 == 1)
        expectError(
            "Parquet file '\(path)' is already closed; write all row groups before close()"
        ) { () throws(ParquetError) in try writer.writeRowGroup([.int64([1]), .byteArray([nil])]) }
    }

    @Test func invalidSchemas() {
        let path = temporaryParquetPath()
        defer { removeFile(path) }
        func open(_ columns: [ParquetColumn]) throws(ParquetError) {
            _ = try ParquetFileWriter(
                path: path, schema: ParquetSchema(columns), options: testOptions())
        }
        expectError("schema has no columns; add at least one ParquetColumn") {
            () throws(ParquetError) in
            try open([])
        }
        expectError("schema has two columns named 'a'; column names must be unique") {
            () throws(ParquetError) in
            try open([ParquetColumn("a", .int32, .required), ParquetColumn("a", .int64, .required)])
        }
        expectError(
            "column 'd' has logical type date on INT64; that logical type needs INT32"
        ) { () throws(ParquetError) in
            try open([ParquetColumn("d", .int64, logical: .date, .required)])
        }
        expectError("column 'i' has INTEGER bit width 12; use 8, 16, 32 or 64") {
            () throws(ParquetError) in
            try open([
                ParquetColumn("i", .int32, logical: .integer(bitWidth: 12, signed: true), .required)
            ])
        }
    }

    @Test func unwritableDirectory() {
        let path = "/nonexistent-dir-for-parquet-tests/out.parquet"
        expectError(
            "cannot create Parquet file '\(path)': No such file or directory; check that the "
                + "directory exists and is writable"
        ) { () throws(ParquetError) in
            _ = try ParquetFileWriter(path: path, schema: schema, options: testOptions())
        }
    }
}
