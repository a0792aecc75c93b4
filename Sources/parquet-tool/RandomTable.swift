import DatasetContract
import Parquet

/// SplitMix64: small, fast and the same on every platform (the benchmark's Python side computes
/// the same function with numpy).
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }
}

/// A random table for the interop round trips: random column types and repetitions, and per
/// column one regime: a single distinct value, 2^k-1 / 2^k / 2^k+1 distinct values, all null,
/// or random values with random nulls. Strings include "", multibyte UTF-8 and long values;
/// dates include negative and far-future days.
struct RandomTable {
    var rng: SplitMix64
    var columns: [ParquetColumn] = []
    var buffers: [ParquetColumnBuffer] = []
    let rowCount: Int

    static let rowCounts = [0, 1, 7, 9, 255, 256, 257, 1000, 4095, 4097, 12_345, 30_001]
    static let words = ["", "a", "Zürich", "Besançon", "日本語", "🙂 emoji", "zz", "Ω", "x\u{0}y", "tab\tquote\"",
        "e\u{301}", "é"]

    init(seed: UInt64) {
        rng = SplitMix64(state: seed)
        rowCount = RandomTable.rowCounts[Int(seed % UInt64(RandomTable.rowCounts.count))]
        let columnCount = 1 + rng.below(8)
        for c in 0..<columnCount {
            let kinds: [(ParquetPhysicalType, ParquetLogicalType?)] = [
                (.byteArray, .string), (.byteArray, .string), (.int32, nil), (.int32, .date),
                (.int32, .integer(bitWidth: 8, signed: true)), (.int32, .integer(bitWidth: 16, signed: true)),
                (.int64, nil), (.int64, .timestampMicrosUTC), (.boolean, nil), (.double, nil),
            ]
            let (type, logical) = rng.pick(kinds)
            let repetition: ParquetRepetition = rng.below(3) == 0 ? .required : .optional
            let column = ParquetColumn("c\(c)_\(type.name.lowercased())", type, logical: logical, repetition)
            columns.append(column)
            buffers.append(makeValues(column))
        }
    }

    func options(codec: ParquetCodec) -> ParquetWriterOptions {
        var r = rng
        return ParquetWriterOptions(
            codec: codec, createdBy: "parquet-tool version 0.1.0 (build random)",
            keyValueMetadata: [.init("parquet_tool.seed", String(rng.state))],
            dictionaryEnabled: r.below(5) != 0,
            dictionaryPageSizeLimit: r.pick([64, 1000, 1 << 20]),
            dataPageSize: r.pick([100, 4096, 1 << 20]),
            dataPageRowLimit: r.pick([7, 100, 20_000]),
            rowGroupSize: r.pick([max(1, rowCount / 3 + 1), 1000, 1_048_576]))
    }

    mutating func batchSize() -> Int { rng.pick([1, 100, 999, 5000, 100_000]) }

    private mutating func makeValues(_ column: ParquetColumn) -> ParquetColumnBuffer {
        var b = ParquetColumnBuffer(column.physicalType)
        // Regime: 0 one value, 1 2^k-1, 2 2^k, 3 2^k+1 distinct, 4 all null, 5+ random.
        var regime = rng.below(8)
        if regime == 4 && column.repetition == .required { regime = 5 }
        let k = 1 + rng.below(11)
        let distinct = [1, (1 << k) - 1, 1 << k, (1 << k) + 1][min(regime, 3)]
        let nullPercent = column.repetition == .optional ? rng.pick([0, 5, 50, 95]) : 0
        var pool: [UInt64] = (0..<distinct).map { _ in rng.next() }
        if regime < 4 { pool.shuffle(using: &rng) }
        for row in 0..<rowCount {
            if regime == 4 || (nullPercent > 0 && rng.below(100) < nullPercent) {
                b.appendNull()
                continue
            }
            // Distinct regimes cycle through the pool first so every distinct value appears.
            let h = regime < 4 ? pool[row < distinct ? row : rng.below(distinct)] : rng.next()
            append(h, to: &b, column)
        }
        return b
    }

    private func append(_ h: UInt64, to b: inout ParquetColumnBuffer, _ column: ParquetColumn) {
        switch (column.physicalType, column.logicalType) {
        case (.byteArray, _):
            let word = RandomTable.words[Int(h % UInt64(RandomTable.words.count))]
            let suffix = h >> 60 == 0 ? String(repeating: "long", count: Int(h >> 8 % 300)) : String(h % 10_007)
            b.append(string: h % 13 == 0 ? word : word + suffix)
        case (.int32, .date?):
            // -1,000,000 days (year -768) ... 2,932,896 (9999-12-31).
            b.append(Int32(Int64(h % 3_932_897) - 1_000_000))
        case (.int32, .integer(8, _)?): b.append(Int32(Int8(truncatingIfNeeded: h)))
        case (.int32, .integer(16, _)?): b.append(Int32(Int16(truncatingIfNeeded: h)))
        case (.int32, _): b.append(Int32(truncatingIfNeeded: h))
        case (.int64, .timestampMicrosUTC?):
            // 0001-01-01 ... 9999-12-31 in microseconds.
            let span: UInt64 = 315_537_897_599_999_999
            b.append(Int64(h % span) - 62_135_596_800_000_000)
        case (.int64, _): b.append(Int64(bitPattern: h))
        case (.boolean, _): b.append(h & 1 == 1)
        case (.double, _):
            let specials: [Double] = [0, -0.0, 1.5, -2.25, .infinity, -.infinity, 1e300, .leastNonzeroMagnitude]
            b.append(h % 7 == 0 ? specials[Int(h >> 3 % 8)] : Double(Int64(bitPattern: h)) / 1e6)
        case (.float, _): b.append(Float(Int32(truncatingIfNeeded: h)) / 1000)
        }
    }
}

extension SplitMix64: RandomNumberGenerator {}

/// The benchmark's "cases" table (the shape of the dataset's cases table), generated row by row
/// from SplitMix64 hashes of (row, column) so benchmarks/parquet_write.py makes the same data.
enum CasesTable {
    /// The dataset's own cases schema, so the benchmark writes exactly what the pipeline writes.
    static let schema = DatasetTable.cases.schema

    static let countries = [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU",
        "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    ]
    static let members = countries.map { "\($0)-116000" }
    static let statuses = ["open", "closed", "transferred"]
    static let categories = [
        "runaway", "abduction_parental", "abduction_third_party", "lost_injured", "missing_migrant",
        "other", "unknown", "runaway_from_care",
    ]
    static let genders = ["female", "male", "other", "unknown"]
    static let outcomes = ["found_safe", "found_harmed", "found_deceased", "not_found", "ongoing", "unknown"]
    static let finders = ["police", "family", "hotline", "self_returned", "other"]
    static let channels = ["phone", "email", "chat", "walk_in"]
    static let files = countries.map { "inbox/\($0)/2025-cases.xml" }
    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Hash of (row, column): SplitMix64.mix(row * 32 + column + 1).
    @inline(__always) static func h(_ row: Int, _ column: Int) -> UInt64 {
        SplitMix64.mix(UInt64(row) &* 32 &+ UInt64(column) &+ 1)
    }

    static func fill(_ b: inout [ParquetColumnBuffer], rows: Range<Int>) {
        for r in rows {
            b[0].append(string: members[Int(h(r, 0) % 27)])
            let country = countries[Int(h(r, 1) % 27)]
            b[1].append(string: country)
            for c in 2...3 {
                var v = h(r, c)
                var key = [UInt8](repeating: 0, count: 16)
                for i in 0..<16 {
                    key[15 - i] = hexDigits[Int(v & 15)]
                    v >>= 4
                }
                b[c].append(bytes: key)
            }
            b[4].append(string: statuses[Int(h(r, 4) % 3)])
            let opened = Int32(19_000 + h(r, 5) % 3650)
            b[5].append(opened)
            let closed = h(r, 6)
            if closed % 4 == 0 { b[6].appendNull() } else { b[6].append(opened + Int32((closed >> 8) % 400)) }
            b[7].append(string: categories[Int(h(r, 7) % 8)])
            for c in [8, 12, 13] {
                let v = h(r, c)
                if v % 5 == 0 { b[c].appendNull() } else { b[c].append((v >> 3) & 1 == 1) }
            }
            let destination = h(r, 9)
            if destination % 3 != 0 { b[9].appendNull() } else { b[9].append(string: countries[Int((destination >> 8) % 27)]) }
            let age = h(r, 10)
            if age % 10 == 0 { b[10].appendNull() } else { b[10].append(Int32((age >> 8) % 18)) }
            b[11].append(string: genders[Int(h(r, 11) % 4)])
            b[14].append(string: outcomes[Int(h(r, 14) % 6)])
            let finder = h(r, 15)
            if finder % 2 == 0 { b[15].appendNull() } else { b[15].append(string: finders[Int((finder >> 8) % 5)]) }
            let days = h(r, 16)
            if days % 2 == 0 { b[16].appendNull() } else { b[16].append(Int32((days >> 8) % 365)) }
            let channel = h(r, 17)
            if channel % 4 == 0 { b[17].appendNull() } else { b[17].append(string: channels[Int((channel >> 8) % 4)]) }
            b[18].append(string: files[Int(h(r, 18) % 27)])
            b[19].append(Int64(r + 1))
        }
    }
}
