import ArgumentParser
import Foundation
import Parquet

/// `hotline-etl inspect FILE.parquet`: what a Parquet file holds, read with the project's reader.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a Parquet file's schema, row groups, statistics, metadata and first rows.",
        discussion: """
            Prints the schema with physical and logical types; each row group with its columns' \
            encodings, codec, compressed and uncompressed sizes and statistics (null count, min, max); \
            the footer's key-value metadata (tool version, taxonomy version, pipeline and input \
            checksums for the dataset's files) and created_by; then the first rows.

            Works on any flat Parquet file with PLAIN or dictionary encoding and UNCOMPRESSED, SNAPPY, \
            GZIP or ZSTD pages (what hotline-etl, pyarrow and DuckDB write). A corrupt or truncated file \
            is reported with the reason and exit code 1; a column this reader cannot decode (INT96, \
            nested, DELTA encodings) is named with the reason.

            Examples:
              hotline-etl inspect out/dataset/cases/report_year=2025/part-00000.parquet
              hotline-etl inspect --rows 50 FILE.parquet
              hotline-etl inspect --format json FILE.parquet > values.json   # every row, as JSON
            """)

    @Argument(help: ArgumentHelp("The Parquet file to inspect.", valueName: "file"))
    var file: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How many rows to show (default 10 for text, every row for json).", valueName: "n"))
    var rows: Int?

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(
        name: .long,
        help: ArgumentHelp(
            "text for people; json for programs: metadata plus each column's values (dates as days since 1970-01-01, timestamps as microseconds, NaN/Infinity as strings, non-UTF-8 bytes as {\"hex\": ...}).",
            valueName: "format"))
    var format: Format = .text

    func validate() throws {
        if let rows, rows < 0 { throw ValidationError("--rows must be 0 or more") }
    }

    func run() throws {
        let reader: ParquetFileReader
        do {
            reader = try ParquetFileReader(path: file)
        } catch {
            printError("hotline-etl inspect: \(error.message)")
            throw ExitCode(1)
        }
        let meta = reader.metadata
        let limit = rows ?? (format == .json ? Int.max : 10)
        // Values of the first `limit` rows, per column; or the reason a column cannot be read.
        var values: [[String]] = Array(repeating: [], count: meta.columns.count)
        var errors: [Int: String] = [:]
        var remaining = limit
        for g in meta.rowGroups.indices where remaining > 0 {
            let take = Int(min(Int64(remaining), meta.rowGroups[g].numRows))
            for c in meta.columns.indices where errors[c] == nil {
                do {
                    let buffer = try reader.readColumnBuffer(rowGroup: g, column: c)
                    let rendered =
                        format == .json
                        ? ParquetValueFormatter.jsonValues(buffer, meta.columns[c])
                        : ParquetValueFormatter.displayValues(buffer, meta.columns[c])
                    values[c] += rendered.prefix(take)
                } catch {
                    errors[c] = error.message
                }
            }
            remaining -= take
        }
        if format == .json {
            print(json(meta, values: values, errors: errors))
        } else {
            print(text(meta, reader: reader, values: values, errors: errors))
        }
        if !errors.isEmpty { throw ExitCode(1) }
    }

    private func statistics(_ s: ParquetStatistics?, _ column: ParquetColumnDescriptor) -> String {
        guard let s else { return "no statistics" }
        var parts: [String] = []
        if let n = s.nullCount { parts.append("nulls \(n)") }
        if let min = s.minValue ?? s.deprecatedMin {
            parts.append("min \(ParquetValueFormatter.statisticsValue(min, column) ?? "(malformed)")")
        }
        if let max = s.maxValue ?? s.deprecatedMax {
            parts.append("max \(ParquetValueFormatter.statisticsValue(max, column) ?? "(malformed)")")
        }
        if s.isMinValueExact == true && s.isMaxValueExact == true { parts.append("exact") }
        return parts.joined(separator: ", ")
    }

    private func text(
        _ meta: ParquetFileMetadata, reader: ParquetFileReader, values: [[String]], errors: [Int: String]
    ) -> String {
        var out: [String] = []
        out.append("\(file): \(reader.fileSize) bytes, \(meta.numRows) rows, \(meta.rowGroups.count) row group(s)")
        out.append("created_by: \(meta.createdBy ?? "(none)")")
        out.append("")
        out.append("schema:")
        let width = meta.columns.map(\.name.count).max() ?? 0
        for c in meta.columns {
            out.append(
                "  \(c.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(c.repetition.lowercased()) \(c.typeDescription)")
        }
        for (g, group) in meta.rowGroups.enumerated() {
            out.append("")
            out.append("row group \(g): \(group.numRows) rows")
            for (c, chunk) in group.columns.enumerated() {
                let column = meta.columns[c]
                out.append(
                    "  \(column.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(chunk.codecName), "
                        + "\(chunk.encodingNames.joined(separator: "/")), \(chunk.totalCompressedSize) bytes "
                        + "(\(chunk.totalUncompressedSize) uncompressed); \(statistics(chunk.statistics, column))")
            }
        }
        out.append("")
        out.append("key-value metadata:")
        if meta.keyValueMetadata.isEmpty { out.append("  (none)") }
        for kv in meta.keyValueMetadata {
            let value = (kv.value ?? "(no value)").replacingOccurrences(of: "\n", with: "\n    ")
            out.append("  \(kv.key): \(value)")
        }
        let shown = values.map(\.count).max() ?? 0
        out.append("")
        out.append("first \(shown) row(s):")
        for row in 0..<shown {
            let cells = meta.columns.indices.map { c in
                "\(meta.columns[c].name)=\(row < values[c].count ? values[c][row] : "?")"
            }
            out.append("  " + cells.joined(separator: " "))
        }
        for c in errors.keys.sorted() {
            out.append("")
            out.append("cannot read column '\(meta.columns[c].name)': \(errors[c]!)")
        }
        return out.joined(separator: "\n")
    }

    private func json(_ meta: ParquetFileMetadata, values: [[String]], errors: [Int: String]) -> String {
        func str(_ s: String) -> String { ParquetValueFormatter.jsonString(s) }
        var out = "{\"file\": \(str(file)), \"num_rows\": \(meta.numRows), "
        out += "\"created_by\": \(meta.createdBy.map(str) ?? "null"), "
        out += "\"schema\": [" + meta.columns.map { c in
            "{\"name\": \(str(c.name)), \"type\": \(str(c.typeDescription)), \"repetition\": \(str(c.repetition))}"
        }.joined(separator: ", ") + "], "
        out += "\"key_value_metadata\": {" + meta.keyValueMetadata.map { kv in
            "\(str(kv.key)): \(kv.value.map(str) ?? "null")"
        }.joined(separator: ", ") + "}, "
        out += "\"row_groups\": [" + meta.rowGroups.map { g in
            "{\"num_rows\": \(g.numRows), \"columns\": [" + g.columns.enumerated().map { c, chunk in
                let column = meta.columns[c]
                var stats = "null"
                if let s = chunk.statistics {
                    stats = "{\"null_count\": \(s.nullCount.map(String.init) ?? "null"), "
                        + "\"min\": \((s.minValue).flatMap { ParquetValueFormatter.statisticsValue($0, column) }.map(str) ?? "null"), "
                        + "\"max\": \((s.maxValue).flatMap { ParquetValueFormatter.statisticsValue($0, column) }.map(str) ?? "null")}"
                }
                return "{\"column\": \(str(column.name)), \"codec\": \(str(chunk.codecName)), "
                    + "\"encodings\": [\(chunk.encodingNames.map(str).joined(separator: ", "))], "
                    + "\"total_compressed_size\": \(chunk.totalCompressedSize), "
                    + "\"total_uncompressed_size\": \(chunk.totalUncompressedSize), \"statistics\": \(stats)}"
            }.joined(separator: ", ") + "]}"
        }.joined(separator: ", ") + "], "
        out += "\"errors\": {" + errors.keys.sorted().map { "\(str(meta.columns[$0].name)): \(str(errors[$0]!))" }
            .joined(separator: ", ") + "}, "
        out += "\"values\": {" + meta.columns.indices.filter { errors[$0] == nil }.map { c in
            "\(str(meta.columns[c].name)): [\(values[c].joined(separator: ", "))]"
        }.joined(separator: ", ") + "}}"
        return out
    }
}

/// Writes a line to standard error.
private func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
