// parquet-tool: writes Parquet files with the project's writer for the interop tests
// (Tests/interop/test_parquet_interop.py) and the benchmark (benchmarks/parquet_write.py).
// It is a developer tool, not part of the hotline-etl command.
//
//   parquet-tool write-random --seed N --out FILE.parquet --json FILE.json [--codec C]
//       a random schema and random rows (edge cases included), written with `append` in random
//       batches, small pages and row groups; FILE.json holds the values written, for comparison.
//   parquet-tool write-cases --rows N --out FILE.parquet [--codec C] [--batch N] [--row-group-size N]
//       the benchmark's deterministic "cases" table (20 columns); prints the write time as JSON.
//   parquet-tool dump FILE.parquet
//       every value read back by the project's reader, as JSON (same conventions as the JSON file).

import Parquet

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

func fail(_ message: String) -> Never {
    let text = Array("parquet-tool: \(message)\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(64)
}

func option(_ name: String, _ args: [String]) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

func codec(_ args: [String]) -> ParquetCodec {
    switch option("--codec", args) ?? "zstd" {
    case "zstd": .zstd
    case "gzip": .gzip
    case "uncompressed", "none": .uncompressed
    case let other: fail("unknown codec \(other); use zstd, gzip or uncompressed")
    }
}

func writeText(_ text: String, to path: String) {
    guard let f = fopen(path, "w") else { fail("cannot write \(path)") }
    fputs(text, f)
    fclose(f)
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// JSON for a table: the schema and each column's values.
func tableJSON(_ columns: [ParquetColumn], _ buffers: [ParquetColumnBuffer], extra: String = "") -> String {
    var out = "{" + extra + "\"schema\": ["
    out += columns.map { c in
        let d = ParquetColumnDescriptor(c)
        return "{\"name\": \(ParquetValueFormatter.jsonString(c.name)), \"type\": \"\(d.typeDescription)\", "
            + "\"repetition\": \"\(d.repetition)\"}"
    }.joined(separator: ", ")
    out += "], \"values\": {"
    out += zip(columns, buffers).map { c, b in
        ParquetValueFormatter.jsonString(c.name) + ": ["
            + ParquetValueFormatter.jsonValues(b, ParquetColumnDescriptor(c)).joined(separator: ", ") + "]"
    }.joined(separator: ", ")
    return out + "}}\n"
}

let args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first else {
    fail("usage: parquet-tool write-random|write-cases|dump ... (see the comment in main.swift)")
}

do {
    switch command {
    case "write-random":
        guard let seedText = option("--seed", args), let seed = UInt64(seedText),
            let out = option("--out", args), let json = option("--json", args)
        else { fail("write-random needs --seed N --out FILE --json FILE") }
        var table = RandomTable(seed: seed)
        let options = table.options(codec: codec(args))
        let writer = try ParquetFileWriter(
            path: out, schema: ParquetSchema(table.columns), options: options)
        var start = 0
        while start < table.rowCount {
            let n = min(table.rowCount - start, table.batchSize())
            try writer.append(table.buffers.map { b in
                var slice = ParquetColumnBuffer(b.physicalType)
                slice.append(rowsOf: b, start..<(start + n))
                return slice
            })
            start += n
        }
        try writer.close()
        writeText(
            tableJSON(
                table.columns, table.buffers,
                extra: "\"seed\": \(seed), \"rows\": \(table.rowCount), \"row_group_size\": \(options.rowGroupSize), "
                    + "\"data_page_row_limit\": \(options.dataPageRowLimit), "),
            to: json)
    case "write-cases":
        guard let rowsText = option("--rows", args), let rows = Int(rowsText), let out = option("--out", args)
        else { fail("write-cases needs --rows N --out FILE") }
        let batch = Int(option("--batch", args) ?? "") ?? 65_536
        let rowGroupSize = Int(option("--row-group-size", args) ?? "") ?? 1_048_576
        let options = ParquetWriterOptions(
            codec: codec(args), createdBy: "parquet-tool version 0.1.0 (build bench)",
            rowGroupSize: rowGroupSize)
        let schema = CasesTable.schema
        let writer = try ParquetFileWriter(path: out, schema: schema, options: options)
        var writeSeconds = 0.0
        var generateSeconds = 0.0
        var start = 0
        var buffers = schema.columns.map { ParquetColumnBuffer($0.physicalType, reservingCapacity: batch) }
        while start < rows {
            let n = min(batch, rows - start)
            let t0 = now()
            for i in buffers.indices { buffers[i].removeAll() }
            CasesTable.fill(&buffers, rows: start..<(start + n))
            let t1 = now()
            try writer.append(buffers)
            writeSeconds += now() - t1
            generateSeconds += t1 - t0
            start += n
        }
        let t2 = now()
        try writer.close()
        writeSeconds += now() - t2
        print("{\"rows\": \(rows), \"write_seconds\": \(writeSeconds), \"generate_seconds\": \(generateSeconds)}")
    case "dump":
        guard args.count >= 2 else { fail("dump needs a FILE") }
        let reader = try ParquetFileReader(path: args[1])
        let columns = reader.metadata.columns
        var all = columns.map { c in ParquetColumnBuffer(c.physicalType ?? .byteArray) }
        var errors: [Int: String] = [:]
        for g in reader.metadata.rowGroups.indices {
            for c in columns.indices where errors[c] == nil {
                do {
                    let b = try reader.readColumnBuffer(rowGroup: g, column: c)
                    all[c].append(rowsOf: b, 0..<b.count)
                } catch {
                    errors[c] = error.message
                }
            }
        }
        var out = "{\"errors\": {"
        out += errors.keys.sorted().map { c in
            ParquetValueFormatter.jsonString(columns[c].name) + ": " + ParquetValueFormatter.jsonString(errors[c]!)
        }.joined(separator: ", ")
        out += "}, \"values\": {"
        out += columns.indices.filter { errors[$0] == nil }.map { c in
            ParquetValueFormatter.jsonString(columns[c].name) + ": ["
                + ParquetValueFormatter.jsonValues(all[c], columns[c]).joined(separator: ", ") + "]"
        }.joined(separator: ", ")
        print(out + "}}")
    default:
        fail("unknown command \(command); use write-random, write-cases or dump")
    }
} catch {
    fail(error.message)
}
