#!/usr/bin/env python3
"""Parquet writer benchmark: hotline-etl's writer against pyarrow, same data, same settings, same run.

    .venv/bin/python benchmarks/parquet_write.py [--rows 10000000] [--codec zstd] [--scratch-path .build]

Builds `parquet-tool` in release mode, then writes ROWS rows of the "cases" table (20 columns,
the dataset's cases schema) twice:
  ours:    parquet-tool write-cases (generates each --batch rows, appends them to the writer; by
           default one row group per call, the same granularity pyarrow gets)
  pyarrow: pq.ParquetWriter, one write_table per 1,048,576-row row group
Both: the codec (ZSTD level 1), dictionary on (1 MiB limit), 1 MiB pages, 1,048,576-row row groups,
statistics on. Both generate the rows from the same SplitMix64 hashes of (row, column), so the
files hold the same values; the script checks that with pyarrow on sampled row groups.

Time is the writer's time only (generation excluded, measured inside each process); peak memory
is each process's max RSS (/usr/bin/time -f %M). Prints one JSON document with both runs and the
ratios ours/pyarrow.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = pathlib.Path(__file__).resolve().parents[1]
MASK = np.uint64(0xFFFFFFFFFFFFFFFF)

COUNTRIES = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT",
             "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]
MEMBERS = [f"{c}-116000" for c in COUNTRIES]
STATUSES = ["open", "closed", "transferred"]
CATEGORIES = ["runaway", "abduction_parental", "abduction_third_party", "lost_injured", "missing_migrant", "other",
              "unknown", "runaway_from_care"]
GENDERS = ["female", "male", "other", "unknown"]
OUTCOMES = ["found_safe", "found_harmed", "found_deceased", "not_found", "ongoing", "unknown"]
FINDERS = ["police", "family", "hotline", "self_returned", "other"]
CHANNELS = ["phone", "email", "chat", "walk_in"]
FILES = [f"inbox/{c}/2025-cases.xml" for c in COUNTRIES]


def mix(x):
    """SplitMix64's finaliser on a uint64 numpy array (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        z = x
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def h(rows, column):
    with np.errstate(over="ignore"):
        return mix(rows * np.uint64(32) + np.uint64(column + 1))


def vocab(words, index, valid=None):
    arr = pa.DictionaryArray.from_arrays(pa.array(index.astype(np.int32)), pa.array(words, pa.string()))
    out = arr.cast(pa.string())
    if valid is not None:
        out = pa.compute.if_else(pa.array(valid), out, pa.scalar(None, pa.string()))
    return out


def hex_keys(values):
    nibbles = np.stack([(values >> np.uint64(4 * (15 - i))) & np.uint64(15) for i in range(16)], axis=1)
    digits = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)[nibbles.astype(np.int64)]
    offsets = np.arange(0, 16 * (len(values) + 1), 16, dtype=np.int32)
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(digits.tobytes()))


def cases_batch(start, n):
    """The same rows as Sources/parquet-tool/RandomTable.swift CasesTable.fill."""
    r = np.arange(start, start + n, dtype=np.uint64)
    cols = {}
    cols["member_id"] = vocab(MEMBERS, h(r, 0) % np.uint64(27))
    cols["country"] = vocab(COUNTRIES, h(r, 1) % np.uint64(27))
    cols["case_key"] = hex_keys(h(r, 2))
    cols["child_key"] = hex_keys(h(r, 3))
    cols["case_status"] = vocab(STATUSES, h(r, 4) % np.uint64(3))
    opened = (np.uint64(19000) + h(r, 5) % np.uint64(3650)).astype(np.int32)
    cols["opened_on"] = pa.array(opened).cast(pa.date32())
    closed = h(r, 6)
    closed_days = opened + ((closed >> np.uint64(8)) % np.uint64(400)).astype(np.int32)
    cols["closed_on"] = pa.array(closed_days, mask=(closed % np.uint64(4) == 0)).cast(pa.date32())
    cols["category"] = vocab(CATEGORIES, h(r, 7) % np.uint64(8))

    def boolean(c):
        v = h(r, c)
        return pa.array(((v >> np.uint64(3)) & np.uint64(1)) == 1, mask=(v % np.uint64(5) == 0))

    cols["cross_border"] = boolean(8)
    d = h(r, 9)
    cols["destination_country"] = vocab(COUNTRIES, (d >> np.uint64(8)) % np.uint64(27), d % np.uint64(3) == 0)
    a = h(r, 10)
    cols["child_age"] = pa.array(((a >> np.uint64(8)) % np.uint64(18)).astype(np.int8), mask=(a % np.uint64(10) == 0))
    cols["child_gender"] = vocab(GENDERS, h(r, 11) % np.uint64(4))
    cols["repeat_missing"] = boolean(12)
    cols["violence_experienced"] = boolean(13)
    cols["outcome"] = vocab(OUTCOMES, h(r, 14) % np.uint64(6))
    f = h(r, 15)
    cols["found_by"] = vocab(FINDERS, (f >> np.uint64(8)) % np.uint64(5), f % np.uint64(2) != 0)
    dm = h(r, 16)
    cols["days_missing"] = pa.array(((dm >> np.uint64(8)) % np.uint64(365)).astype(np.int32), mask=(dm % np.uint64(2) == 0))
    ch = h(r, 17)
    cols["first_channel"] = vocab(CHANNELS, (ch >> np.uint64(8)) % np.uint64(4), ch % np.uint64(4) != 0)
    cols["source_file"] = vocab(FILES, h(r, 18) % np.uint64(27))
    cols["source_record"] = pa.array(r.astype(np.int64) + 1)
    return pa.table(cols)


SCHEMA_NULLABLE = {"closed_on", "cross_border", "destination_country", "child_age", "repeat_missing",
                   "violence_experienced", "found_by", "days_missing", "first_channel"}


def pyarrow_child(rows, codec, out, row_group):
    """Runs in a child process: writes with pyarrow and prints the write time."""
    sample = cases_batch(0, 1)
    schema = pa.schema([pa.field(f.name, f.type, nullable=f.name in SCHEMA_NULLABLE) for f in sample.schema])
    writer = pq.ParquetWriter(out, schema, compression=codec, compression_level=1, use_dictionary=True,
                              dictionary_pagesize_limit=1 << 20, data_page_size=1 << 20, write_statistics=True,
                              store_schema=False)
    seconds = 0.0
    for start in range(0, rows, row_group):
        batch = cases_batch(start, min(row_group, rows - start)).cast(schema)
        t0 = time.perf_counter()
        writer.write_table(batch, row_group_size=row_group)
        seconds += time.perf_counter() - t0
    t0 = time.perf_counter()
    writer.close()
    seconds += time.perf_counter() - t0
    print(json.dumps({"rows": rows, "write_seconds": seconds}))




def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--codec", default="zstd", choices=["zstd", "gzip"])
    parser.add_argument("--row-group-size", type=int, default=1_048_576)
    parser.add_argument("--batch", type=int, default=None,
                        help="rows per append on our side (default: --row-group-size, as pyarrow gets them)")
    parser.add_argument("--scratch-path", help="SwiftPM scratch path (default .build)")
    parser.add_argument("--pyarrow-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pyarrow_child:
        pyarrow_child(args.rows, args.codec, args.pyarrow_child, args.row_group_size)
        return

    scratch = ["--scratch-path", args.scratch_path] if args.scratch_path else []
    subprocess.run(["swift", "build", "-c", "release", "--product", "parquet-tool"] + scratch, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    bin_dir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"] + scratch, cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    tool = os.path.join(bin_dir, "parquet-tool")
    with tempfile.TemporaryDirectory() as tmp:
        ours_path = os.path.join(tmp, "ours.parquet")
        theirs_path = os.path.join(tmp, "pyarrow.parquet")
        timed = ["/usr/bin/time", "-f", "%M"]

        def measured(cmd):
            result = subprocess.run(timed + cmd, capture_output=True, text=True)
            if result.returncode != 0:
                sys.exit(f"{cmd[0]} failed:\n{result.stderr}")
            peak_kib = int(result.stderr.strip().splitlines()[-1])
            return json.loads(result.stdout), peak_kib / 1024

        ours, ours_rss = measured([tool, "write-cases", "--rows", str(args.rows), "--out", ours_path,
                                   "--codec", args.codec, "--row-group-size", str(args.row_group_size),
                                   "--batch", str(args.batch or args.row_group_size)])
        theirs, theirs_rss = measured([sys.executable, __file__, "--rows", str(args.rows), "--codec", args.codec,
                                       "--row-group-size", str(args.row_group_size), "--pyarrow-child", theirs_path])
        # Same values: compare the first, a middle and the last row group with pyarrow.
        a, b = pq.ParquetFile(ours_path), pq.ParquetFile(theirs_path)
        assert a.metadata.num_rows == b.metadata.num_rows == args.rows
        assert a.metadata.num_row_groups == b.metadata.num_row_groups
        for g in sorted({0, a.metadata.num_row_groups // 2, a.metadata.num_row_groups - 1}):
            assert a.read_row_group(g).equals(b.read_row_group(g).cast(a.schema_arrow)), f"row group {g} differs"
        ours_size, theirs_size = os.path.getsize(ours_path), os.path.getsize(theirs_path)
    report = {
        "rows": args.rows, "codec": args.codec, "row_group_size": args.row_group_size,
        "our_batch_rows": args.batch or args.row_group_size,
        "ours": {"write_seconds": round(ours["write_seconds"], 3), "file_bytes": ours_size,
                 "peak_rss_mib": round(ours_rss, 1), "generate_seconds": round(ours["generate_seconds"], 3)},
        "pyarrow": {"version": pa.__version__, "write_seconds": round(theirs["write_seconds"], 3),
                    "file_bytes": theirs_size, "peak_rss_mib": round(theirs_rss, 1)},
        "ratio_ours_over_pyarrow": {
            "time": round(ours["write_seconds"] / theirs["write_seconds"], 3),
            "size": round(ours_size / theirs_size, 3),
            "peak_rss": round(ours_rss / theirs_rss, 3),
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
