import Foundation
import Synthetic
import Testing

@testable import Parquet

/// The parquet-testing corpus, used in place (../shared/testdata from the project root).
let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("shared/testdata/parquet-testing").path

func corpusBytes(_ relative: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: corpus + "/" + relative)))
}

/// Opens and reads every column of every row group; returns the first error, nil if all read.
func readEverything(_ bytes: [UInt8]) -> ParquetError? {
    do {
        let reader = try ParquetFileReader(bytes: bytes)
        for g in reader.metadata.rowGroups.indices {
            for c in reader.metadata.columns.indices {
                _ = try reader.readColumnBuffer(rowGroup: g, column: c)
            }
        }
        return nil
    } catch {
        return error
    }
}

@Suite struct CorpusTests {
    @Test(arguments: [
        "ARROW-GH-41317.parquet", "ARROW-GH-41321.parquet", "ARROW-GH-45185.parquet",
        "ARROW-GH-47662.parquet", "ARROW-RS-GH-6229-DICTHEADER.parquet", "ARROW-RS-GH-6229-LEVELS.parquet",
        "PARQUET-1481.parquet",
    ])
    func badDataIsRefused(name: String) throws {
        let error = readEverything(try corpusBytes("bad_data/" + name))
        #expect(error != nil, "\(name) was read without error")
    }

    @Test func malformedDictionaryIsRefused() throws {
        let error = readEverything(try corpusBytes("data/nation.dict-malformed.parquet"))
        #expect(error != nil)
    }

    @Test func outOfScopeFeaturesSaySo() throws {
        let plain = try ParquetFileReader(bytes: try corpusBytes("data/alltypes_plain.parquet"))
        let ts = plain.metadata.columns.firstIndex { $0.name == "timestamp_col" }!
        #expect(throws: ParquetError.self) { try plain.readColumn(rowGroup: 0, column: ts) }
        do {
            _ = try plain.readColumn(rowGroup: 0, column: ts)
        } catch {
            #expect(error.message.contains("INT96") && error.message.contains("out of scope"))
        }
        let v2 = try ParquetFileReader(bytes: try corpusBytes("data/datapage_v2.snappy.parquet"))
        do {
            _ = try v2.readColumn(rowGroup: 0, column: 1)
            Issue.record("DELTA_BINARY_PACKED was read")
        } catch {
            #expect(error.message.contains("DELTA_BINARY_PACKED") && error.message.contains("out of scope"))
        }
        let nested = v2.metadata.columns.firstIndex { $0.maxRepetitionLevel > 0 }!
        do {
            _ = try v2.readColumn(rowGroup: 0, column: nested)
            Issue.record("a nested column was read")
        } catch {
            #expect(error.message.contains("nested") && error.message.contains("out of scope"))
        }
    }

    @Test func flatCorpusFilesRead() throws {
        let rle = try ParquetFileReader(bytes: try corpusBytes("data/rle_boolean_encoding.parquet"))
        #expect(try rle.readColumn(rowGroup: 0, column: 0).count == 68)  // v2 pages, RLE booleans
        let gz = try ParquetFileReader(bytes: try corpusBytes("data/concatenated_gzip_members.parquet"))
        guard case .int64(let v) = try gz.readColumn(rowGroup: 0, column: 0) else {
            Issue.record("not int64")
            return
        }
        #expect(v == (1...513).map { Int64($0) })
    }
}

@Suite struct RobustnessTests {
    /// A file with dictionary and plain chunks, nulls, several pages and row groups.
    static func sample(codec: ParquetCodec) throws -> [UInt8] {
        let schema = ParquetSchema([
            ParquetColumn("s", .byteArray, logical: .string, .optional),
            ParquetColumn("u", .byteArray, logical: .string, .required),
            ParquetColumn("d", .int32, logical: .date, .optional),
            ParquetColumn("b", .boolean, .optional),
            ParquetColumn("x", .double, .required),
        ])
        let n = 3000
        let rows: [ParquetColumnValues] = [
            .byteArray((0..<n).map { $0 % 9 == 0 ? nil : Array(["BE", "Zürich", ""][$0 % 3].utf8) }),
            .byteArray((0..<n).map { Array("unique-\($0)".utf8) }),
            .int32((0..<n).map { $0 % 4 == 0 ? nil : Int32($0 - 1500) }),
            .boolean((0..<n).map { $0 % 5 == 0 ? nil : $0 % 2 == 0 }),
            .double((0..<n).map { Double($0) / 7 }),
        ]
        let file = try writeAndParse(
            schema, [rows],
            options: testOptions(
                codec: codec, dictionary: true, rowGroupSize: 1100, dataPageRowLimit: 250,
                dictionaryLimit: 4096))
        return file.bytes
    }

    @Test(arguments: [ParquetCodec.uncompressed, .gzip, .zstd])
    func everyTruncationAtOne32ndStepsIsAnError(codec: ParquetCodec) throws {
        let bytes = try Self.sample(codec: codec)
        #expect(readEverything(bytes) == nil)
        for step in 0..<32 {
            let cut = bytes.count * step / 32
            #expect(readEverything(Array(bytes[0..<cut])) != nil, "truncated at \(cut) of \(bytes.count)")
        }
    }

    @Test(arguments: [ParquetCodec.uncompressed, .zstd])
    func flippedBytesNeverCrash(codec: ParquetCodec) throws {
        let bytes = try Self.sample(codec: codec)
        var rng = SplitMix64(seed: 42)
        var errors = 0
        var footerErrors = 0
        let footerLength = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
        let trials = 600
        for trial in 0..<trials {
            var corrupt = bytes
            // Half the trials aim at the footer, half anywhere.
            let inFooter = trial % 2 == 0
            for _ in 0..<(1 + rng.below(4)) {
                let at = inFooter ? bytes.count - 8 - 1 - rng.below(footerLength) : rng.below(bytes.count)
                corrupt[at] ^= UInt8(1 + rng.below(255))
            }
            // Either a clean error or a successful read: the process must not crash.
            if readEverything(corrupt) != nil {
                errors += 1
                if inFooter { footerErrors += 1 }
            }
        }
        // Most corruptions are detected (flipping a data byte of an uncompressed page can still
        // give a valid file with another value; Parquet v1 pages carry no mandatory checksum).
        #expect(errors > trials / 4)
    }

    @Test(arguments: [
        "data/alltypes_plain.parquet", "data/alltypes_dictionary.parquet", "data/alltypes_plain.snappy.parquet",
        "data/rle-dict-snappy-checksum.parquet", "data/nulls.snappy.parquet", "data/concatenated_gzip_members.parquet",
        "data/datapage_v1-snappy-compressed-checksum.parquet",
    ])
    func corpusTruncationsAndFlipsNeverCrash(name: String) throws {
        let bytes = try corpusBytes(name)
        for step in 0..<32 {
            #expect(readEverything(Array(bytes[0..<(bytes.count * step / 32)])) != nil)
        }
        var rng = SplitMix64(seed: UInt64(bytes.count))
        for _ in 0..<200 {
            var corrupt = bytes
            corrupt[rng.below(bytes.count)] ^= UInt8(1 + rng.below(255))
            _ = readEverything(corrupt)
        }
    }

    @Test func clearMessages() {
        #expect(readEverything([]).map(\.message) == "'<memory>' is not a Parquet file: it has 0 bytes, fewer than the 12 of an empty one")
        var bad = Array("PAR1".utf8) + [0xFF, 0xFF, 0, 0] + Array("PAR1".utf8)
        #expect(readEverything(bad)?.message.contains("footer length 65535 does not fit") == true)
        bad = Array("XXXX".utf8) + [0, 0, 0, 0] + Array("PAR1".utf8)
        #expect(readEverything(bad)?.message.contains("does not start with the magic bytes PAR1") == true)
    }
}
