import Foundation
import Synthetic
import Testing

@testable import Parquet

extension SplitMix64 {
    /// A draw in 0..<n, for the property tests (modulo bias is irrelevant here).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// How a random column's values are drawn.
enum ValueRegime: CaseIterable {
    case oneDistinct, powerMinusOne, power, powerPlusOne, allNull, random
}

/// A random column of `rows` rows: type, repetition and regime from the generator.
func randomColumn(
    _ index: Int, rows: Int, regime: ValueRegime, k: Int, rng: inout SplitMix64
) -> (ParquetColumn, ParquetColumnValues) {
    let kinds: [(ParquetPhysicalType, ParquetLogicalType?)] = [
        (.byteArray, .string), (.byteArray, nil), (.int32, nil), (.int32, .date),
        (.int32, .integer(bitWidth: 8, signed: true)), (.int32, .integer(bitWidth: 16, signed: true)),
        (.int64, nil), (.int64, .timestampMicrosUTC), (.boolean, nil), (.double, nil), (.float, nil),
    ]
    let (type, logical) = kinds[rng.below(kinds.count)]
    let optional = regime == .allNull || rng.below(3) != 0
    let column = ParquetColumn("c\(index)", type, logical: logical, optional ? .optional : .required)
    let distinct: Int
    switch regime {
    case .oneDistinct: distinct = 1
    case .powerMinusOne: distinct = (1 << k) - 1
    case .power: distinct = 1 << k
    case .powerPlusOne: distinct = (1 << k) + 1
    case .allNull, .random: distinct = 0
    }
    let nullPercent = optional ? [0, 10, 60][rng.below(3)] : 0
    let pool = (0..<max(distinct, 1)).map { _ in rng.next() }
    var hashes: [UInt64?] = []
    for row in 0..<rows {
        if regime == .allNull || (nullPercent > 0 && rng.below(100) < nullPercent) {
            hashes.append(nil)
        } else if distinct > 0 {
            hashes.append(pool[row < distinct ? row : rng.below(distinct)])
        } else {
            hashes.append(rng.next())
        }
    }
    let words = ["", "BE", "Zürich", "日本", "🙂", "e\u{301}", "é", "long-" + String(repeating: "x", count: 300)]
    let values: ParquetColumnValues
    switch (type, logical) {
    case (.byteArray, _):
        values = .byteArray(hashes.map { $0.map { h in Array((words[Int(h % 8)] + String(h % 1000)).utf8) } })
    case (.int32, .date?):
        values = .int32(hashes.map { $0.map { Int32(Int64($0 % 3_932_897) - 1_000_000) } })  // years -768...9999
    case (.int32, .integer(8, _)?): values = .int32(hashes.map { $0.map { Int32(Int8(truncatingIfNeeded: $0)) } })
    case (.int32, .integer(16, _)?): values = .int32(hashes.map { $0.map { Int32(Int16(truncatingIfNeeded: $0)) } })
    case (.int32, _): values = .int32(hashes.map { $0.map { Int32(truncatingIfNeeded: $0) } })
    case (.int64, _): values = .int64(hashes.map { $0.map { Int64(bitPattern: $0) } })
    case (.boolean, _): values = .boolean(hashes.map { $0.map { $0 & 1 == 1 } })
    case (.double, _):
        values = .double(hashes.map { $0.map { h in h % 9 == 0 ? [Double.nan, -0.0, .infinity][Int(h % 3)] : Double(Int64(bitPattern: h)) / 7 } })
    case (.float, _): values = .float(hashes.map { $0.map { Float(Int32(truncatingIfNeeded: $0)) / 3 } })
    }
    return (column, values)
}

/// Every value of every row group of a file, per column, as JSON text (exact, NaN-safe).
func readAllJSON(_ reader: ParquetFileReader) throws -> [[String]] {
    var out = Array(repeating: [String](), count: reader.metadata.columns.count)
    for g in reader.metadata.rowGroups.indices {
        for c in out.indices {
            out[c] += ParquetValueFormatter.jsonValues(
                try reader.readColumnBuffer(rowGroup: g, column: c), reader.metadata.columns[c])
        }
    }
    return out
}

@Suite struct RoundTripPropertyTests {
    static let rowCounts = [0, 1, 7, 8, 9, 63, 255, 256, 257, 1023, 1025, 5001]

    @Test(arguments: 0..<60)
    func randomSchemasRoundTrip(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 7919)
        let rows = Self.rowCounts[seed % Self.rowCounts.count]
        let regimes = ValueRegime.allCases
        var columns: [ParquetColumn] = []
        var values: [ParquetColumnValues] = []
        for c in 0..<(1 + rng.below(7)) {
            // Every regime is covered by every seed's first columns.
            let regime = regimes[(seed + c) % regimes.count]
            let (column, v) = randomColumn(c, rows: rows, regime: regime, k: 1 + rng.below(10), rng: &rng)
            columns.append(column)
            values.append(v)
        }
        let codec: ParquetCodec = [.uncompressed, .gzip, .zstd][seed % 3]
        let options = testOptions(
            codec: codec, dictionary: seed % 5 != 4, rowGroupSize: [max(1, rows / 3 + 1), 1000, 1 << 20][seed % 3],
            dataPageSize: [64, 1024, 1 << 20][(seed / 3) % 3], dataPageRowLimit: [5, 100, 20_000][(seed / 2) % 3],
            dictionaryLimit: [100, 1 << 20][seed % 2])
        let path = temporaryParquetPath("roundtrip\(seed)")
        defer { removeFile(path) }
        let writer = try ParquetFileWriter(path: path, schema: ParquetSchema(columns), options: options)
        // Stream in uneven batches.
        var start = 0
        while start < rows {
            let n = min(rows - start, [1, 13, 500, 4000][rng.below(4)])
            try writer.append(values.map { v in
                var b = ParquetColumnBuffer(v.physicalType)
                b.append(rowsOf: ParquetColumnBuffer(v), start..<(start + n))
                return b
            })
            start += n
        }
        try writer.close()

        let reader = try ParquetFileReader(path: path)
        #expect(reader.metadata.numRows == Int64(rows))
        #expect(reader.metadata.columns.map(\.name) == columns.map(\.name))
        #expect(reader.metadata.rowGroups.count == (rows + options.rowGroupSize - 1) / options.rowGroupSize)
        let expected = zip(columns, values).map { c, v in
            ParquetValueFormatter.jsonValues(ParquetColumnBuffer(v), ParquetColumnDescriptor(c))
        }
        #expect(try readAllJSON(reader) == expected)
        // Also through the public ParquetColumnValues API, when there is exactly one row group.
        if reader.metadata.rowGroups.count == 1 {
            for c in columns.indices where columns[c].physicalType != .double && columns[c].physicalType != .float {
                #expect(try reader.readColumn(rowGroup: 0, column: c) == values[c])
            }
        }
    }
}

@Suite struct DictionaryAndPagingTests {
    let schema = ParquetSchema([
        ParquetColumn("country", .byteArray, logical: .string, .optional),
        ParquetColumn("id", .int64, .required),
    ])

    func rows(_ n: Int) -> [ParquetColumnValues] {
        [
            .byteArray((0..<n).map { $0 % 10 == 0 ? nil : Array(["BE", "FR", "Zürich"][$0 % 3].utf8) }),
            .int64((0..<n).map { Int64($0) }),
        ]
    }

    @Test func lowCardinalityChunkIsDictionaryEncoded() throws {
        let file = try writeAndParse(schema, [rows(100)], options: testOptions(codec: .zstd, dictionary: true))
        let meta = file.columnMetaData(0, 0)
        #expect(meta[2]?.list == [.i32(0), .i32(3), .i32(8)])  // PLAIN, RLE, RLE_DICTIONARY
        let dictOffset = meta[11]?.i64
        #expect(dictOffset == 4)
        #expect(meta[9]!.i64! > dictOffset!)
        let stats = meta[13]?.list?.map { $0.structure! } ?? []
        #expect(stats.map { [$0[1]!.i32!, $0[2]!.i32!, $0[3]!.i32!] } == [[2, 0, 1], [0, 8, 1]])
        // The stored dictionary page is a ZSTD frame.
        var decoder = ThriftCompactDecoder(file.bytes, at: 4)
        let header = try decoder.readStruct()
        #expect(header[1]?.i32 == 2)  // DICTIONARY_PAGE
        #expect(header[7]?.structure?[1]?.i32 == 3)  // three entries
        #expect(Array(file.bytes[decoder.position..<(decoder.position + 4)]) == [0x28, 0xB5, 0x2F, 0xFD])
        let reader = try ParquetFileReader(bytes: file.bytes)
        #expect(try reader.readColumn(rowGroup: 0, column: 0) == rows(100)[0])
    }

    @Test func dictionaryOverTheLimitFallsBackToPlainForTheWholeChunk() throws {
        let options = testOptions(dictionary: true, dictionaryLimit: 8 * 50)
        let file = try writeAndParse(schema, [rows(100)], options: options)
        #expect(file.columnMetaData(0, 1)[2]?.list == [.i32(0), .i32(3)])  // 100 distinct ids > 50
        #expect(file.columnMetaData(0, 1)[11] == nil)
        #expect(file.columnMetaData(0, 0)[2]?.list == [.i32(0), .i32(3), .i32(8)])
    }

    @Test func pagesSplitAtTheRowLimitAndAtAboutThePageSize() throws {
        let byRows = try writeAndParse(schema, [rows(1000)], options: testOptions(dataPageRowLimit: 300))
        #expect(try byRows.pages(0, 1).map { $0.header[5]!.structure![1]!.i32! } == [300, 300, 300, 100])
        let bySize = try writeAndParse(schema, [rows(1000)], options: testOptions(dataPageSize: 800))
        // 8-byte ids: a page closes once it reaches 800 bytes, i.e. every 100 rows.
        #expect(try bySize.pages(0, 1).count == 10)
        for file in [byRows, bySize] {
            #expect(try readAllJSON(ParquetFileReader(bytes: file.bytes))[1] == (0..<1000).map { String($0) })
        }
    }

    @Test func appendStartsARowGroupEveryRowGroupSizeRows() throws {
        let path = temporaryParquetPath()
        defer { removeFile(path) }
        let writer = try ParquetFileWriter(path: path, schema: schema, options: testOptions(rowGroupSize: 400))
        for _ in 0..<7 { try writer.append(rows(150)) }  // 1050 rows
        #expect(writer.rowsWritten == 800)  // two full groups written, 250 rows buffered
        try writer.close()
        let reader = try ParquetFileReader(path: path)
        #expect(reader.metadata.rowGroups.map(\.numRows) == [400, 400, 250])
        let ids = try readAllJSON(reader)[1]
        #expect(ids == (0..<7).flatMap { _ in (0..<150).map { String($0) } })
    }

    /// The writer empties and reuses its row-group buffers: a group after one with nulls and long
    /// values must carry none of them (levels, counts, bytes). Appended in uneven batches, the file
    /// is the very bytes of writing each group on its own.
    @Test func reusedRowGroupBuffersCarryNothingOver() throws {
        let schema = ParquetSchema([
            .init("text", .byteArray, logical: .string, .optional), .init("number", .int32, .optional),
        ])
        let groups: [[ParquetColumnValues]] = [
            [.byteArray((0..<300).map { $0 % 3 == 0 ? nil : Array((String(repeating: "x", count: 100) + "\($0)").utf8) }),
             .int32((0..<300).map { $0 % 2 == 0 ? nil : Int32($0) })],
            [.byteArray((0..<300).map { Array("\($0)".utf8) }), .int32((0..<300).map { Int32($0) })],
            [.byteArray(Array(repeating: nil, count: 100)), .int32(Array(repeating: nil, count: 100))],
        ]
        let appended = temporaryParquetPath("appended"), grouped = temporaryParquetPath("grouped")
        defer { removeFile(appended); removeFile(grouped) }
        let options = testOptions(codec: .zstd, dictionary: true, rowGroupSize: 300)
        let streaming = try ParquetFileWriter(path: appended, schema: schema, options: options)
        let all = (0..<2).map { c in
            groups.reduce(into: ParquetColumnBuffer(schema.columns[c].physicalType)) { $0.append(contentsOf: $1[c]) }
        }
        var start = 0
        // 700 rows in uneven batches across the group boundaries; the last two batches are empty.
        for size in [70, 1, 229, 150, 250, 7, 3] {
            let batch = min(size, 700 - start)
            try streaming.append(all.map { column in
                var part = ParquetColumnBuffer(column.physicalType)
                part.append(rowsOf: column, start..<(start + batch))
                return part
            })
            start += batch
        }
        try streaming.close()
        let reference = try ParquetFileWriter(path: grouped, schema: schema, options: options)
        for group in groups { try reference.writeRowGroup(group) }
        try reference.close()
        #expect(try ParquetFileReader(path: appended).metadata.rowGroups.map(\.numRows) == [300, 300, 100])
        #expect(FileManager.default.contents(atPath: appended) == FileManager.default.contents(atPath: grouped))
    }

    @Test func writeRowGroupSplitsLargeGroupsAndFlushesAppendedRowsFirst() throws {
        let path = temporaryParquetPath()
        defer { removeFile(path) }
        let writer = try ParquetFileWriter(path: path, schema: schema, options: testOptions(rowGroupSize: 400))
        try writer.append(rows(10))
        try writer.writeRowGroup(rows(900))
        try writer.close()
        #expect(try ParquetFileReader(path: path).metadata.rowGroups.map(\.numRows) == [10, 400, 400, 100])
    }

    @Test func zstdOutputIsDeterministic() throws {
        let options = testOptions(codec: .zstd, dictionary: true)
        let a = try writeAndParse(schema, [rows(5000)], options: options)
        let b = try writeAndParse(schema, [rows(5000)], options: options)
        #expect(a.bytes == b.bytes)
    }

    @Test func readerExposesStatisticsAndKeyValueMetadata() throws {
        let file = try writeAndParse(schema, [rows(100)], options: testOptions(codec: .gzip, dictionary: true))
        let reader = try ParquetFileReader(bytes: file.bytes)
        let m = reader.metadata
        #expect(m.createdBy == "hotline-etl-tests version 0.0.1 (build test)")
        #expect(m.keyValueMetadata.map(\.key) == ["etl.test"])
        #expect(m.columns[0].typeDescription == "BYTE_ARRAY STRING")
        let chunk = m.rowGroups[0].columns[0]
        #expect(chunk.codec == .gzip)
        #expect(chunk.encodingNames == ["PLAIN", "RLE", "RLE_DICTIONARY"])
        #expect(chunk.statistics?.nullCount == 10)
        #expect(chunk.statistics?.minValue == Array("BE".utf8))
        #expect(chunk.statistics?.maxValue == Array("Zürich".utf8))
        #expect(chunk.statistics?.isMaxValueExact == true)
        #expect(ParquetValueFormatter.statisticsValue(chunk.statistics!.maxValue!, m.columns[0]) == "\"Zürich\"")
    }

    /// Metadata known only after the rows (the load stage's input list) replaces the options'
    /// at close; everything before the footer is the same bytes as writing it from the start.
    @Test func closeCanReplaceTheKeyValueMetadata() throws {
        let late = temporaryParquetPath(), early = temporaryParquetPath()
        defer { removeFile(late); removeFile(early) }
        let replacement: [ParquetWriterOptions.KeyValue] = [.init("etl.inputs", "{\"a\": 1}"), .init("etl.test", "no")]
        let lateWriter = try ParquetFileWriter(path: late, schema: schema, options: testOptions(rowGroupSize: 400))
        try lateWriter.append(rows(900))
        try lateWriter.close(keyValueMetadata: replacement)
        var options = testOptions(rowGroupSize: 400)
        options.keyValueMetadata = replacement
        let earlyWriter = try ParquetFileWriter(path: early, schema: schema, options: options)
        try earlyWriter.append(rows(900))
        try earlyWriter.close()
        let metadata = try ParquetFileReader(path: late).metadata.keyValueMetadata
        #expect(metadata.map(\.key) == ["etl.inputs", "etl.test"])
        #expect(metadata.map(\.value) == ["{\"a\": 1}", "no"])
        #expect(FileManager.default.contents(atPath: late) == FileManager.default.contents(atPath: early))
    }

    @Test func snappyIsReadButNotWritten() throws {
        #expect(throws: ParquetError.self) {
            _ = try ParquetFileWriter(
                path: temporaryParquetPath(), schema: schema, options: testOptions(codec: .snappy))
        }
        // Literal "abcd", then a 4-byte copy at offset 4: "abcdabcd".
        let block: [UInt8] = [8, 3 << 2, 0x61, 0x62, 0x63, 0x64, 0x01, 0x04]
        let out = try block.withUnsafeBytes { try SnappyDecompressor.decompress($0, expectedSize: 8) }
        #expect(out == Array("abcdabcd".utf8))
        #expect(throws: ParquetError.self) {
            try [UInt8]([8, 3 << 2, 0x61, 0x62, 0x63, 0x64, 0x01, 0x09]).withUnsafeBytes {
                _ = try SnappyDecompressor.decompress($0, expectedSize: 8)
            }
        }
    }
}
