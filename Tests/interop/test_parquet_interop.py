"""The Parquet module against pyarrow and DuckDB, both directions, value by value.

Writing: `parquet-tool write-random` (Sources/parquet-tool, built by `swift build`; its path comes
from PARQUET_TOOL_BIN, set by `make test`) writes a random table with the project's writer and a
JSON file of the values it wrote. Random schemas, nulls, all-null columns, "", multibyte UTF-8,
0 rows, one distinct value, 2^k-1 / 2^k / 2^k+1 distinct values, row counts not multiple of 8,
negative and far-future dates, several row groups and several pages per chunk all come from the
seed. pyarrow and DuckDB must read exactly those values, column by column.

Reading: pyarrow writes tables with dictionary and plain encoding and each codec (SNAPPY, GZIP,
ZSTD, NONE); `parquet-tool dump` reads them with the project's reader and must give exactly what
pyarrow reads. A tool executable keeps the Swift side a black box here: the test sees only files.
"""
import json
import math
import os
import pathlib
import subprocess

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

SEEDS = list(range(48))


def tool() -> str:
    path = os.environ.get("PARQUET_TOOL_BIN")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError("PARQUET_TOOL_BIN must name the built parquet-tool; run these tests with `make test`")
    return path


def norm(v):
    """Comparable form: floats by repr (keeps -0.0 and NaN apart), special floats as our strings."""
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return repr(v)
    if isinstance(v, (bytes, bytearray)):
        return {"hex": bytes(v).hex()}
    return v


def ours_norm(values):
    return [norm(v) if not isinstance(v, str) or v not in ("NaN", "Infinity", "-Infinity") else v for v in values]


def arrow_values(column: pa.ChunkedArray):
    t = column.type
    if pa.types.is_date32(t):
        column = column.cast(pa.int32())
    elif pa.types.is_timestamp(t):
        column = column.cast(pa.int64())
    return [norm(v) for v in column.to_pylist()]


def write_random(tmp_path: pathlib.Path, seed: int, codec: str):
    path = tmp_path / f"random-{seed}-{codec}.parquet"
    expected = tmp_path / f"random-{seed}-{codec}.json"
    result = subprocess.run(
        [tool(), "write-random", "--seed", str(seed), "--out", str(path), "--json", str(expected), "--codec", codec],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return path, json.loads(expected.read_text(encoding="utf-8"))


@pytest.mark.parametrize("codec", ["zstd", "gzip", "uncompressed"])
@pytest.mark.parametrize("seed", SEEDS)
def test_pyarrow_reads_random_files_value_identical(tmp_path, seed, codec):
    path, expected = write_random(tmp_path, seed, codec)
    table = pq.read_table(path)
    meta = pq.ParquetFile(path).metadata
    assert table.num_rows == expected["rows"]
    assert table.column_names == [c["name"] for c in expected["schema"]]
    for name in table.column_names:
        assert arrow_values(table.column(name)) == ours_norm(expected["values"][name]), name
    # Several row groups whenever the rows exceed the row group size.
    rows, size = expected["rows"], expected["row_group_size"]
    assert meta.num_row_groups == (rows + size - 1) // size
    for g in range(meta.num_row_groups):
        for c in range(meta.num_columns):
            assert meta.row_group(g).column(c).compression == codec.upper().replace("UNCOMPRESSED", "UNCOMPRESSED")


DUCK_EXPR = {
    "INT32 DATE": "CAST(\"{n}\" - DATE '1970-01-01' AS BIGINT)",
    "INT64 TIMESTAMP(MICROS, UTC)": "epoch_us(\"{n}\")",
}


@pytest.mark.parametrize("seed", SEEDS)
def test_duckdb_reads_random_files_value_identical(tmp_path, seed):
    path, expected = write_random(tmp_path, seed, "zstd")
    con = duckdb.connect()
    for column in expected["schema"]:
        name = column["name"]
        expr = DUCK_EXPR.get(column["type"], '"{n}"').format(n=name)
        got = [row[0] for row in con.execute(f"SELECT {expr} FROM read_parquet('{path}')").fetchall()]
        assert [norm(v) for v in got] == ours_norm(expected["values"][name]), name


def test_random_files_have_several_pages_and_row_groups(tmp_path):
    """The seeds cover the shapes the issue asks for (checked here so the sample cannot drift)."""
    rows, groups, pages, all_null, distinct = set(), 0, 0, 0, set()
    for seed in SEEDS:
        path, expected = write_random(tmp_path, seed, "zstd")
        rows.add(expected["rows"])
        meta = pq.ParquetFile(path).metadata
        groups = max(groups, meta.num_row_groups)
        con = duckdb.connect()
        pages = max(pages, con.execute(
            f"SELECT max(n) FROM (SELECT count(*) AS n FROM parquet_metadata('{path}') GROUP BY row_group_id, column_id)"
        ).fetchone()[0] or 0)
        for values in expected["values"].values():
            if values and all(v is None for v in values):
                all_null += 1
            distinct.add(len({json.dumps(v) for v in values if v is not None}))
    assert {0, 1, 7, 9, 255, 257, 4095, 4097} <= rows
    assert groups >= 3
    assert all_null >= 1
    assert 1 in distinct and any(d in distinct for d in (3, 7, 15, 31, 63)) and any(d in distinct for d in (2, 4, 8, 16, 32, 64))


def test_duckdb_metadata_shows_dictionary_codec_and_string_statistics(tmp_path):
    path = tmp_path / "cases.parquet"
    result = subprocess.run([tool(), "write-cases", "--rows", "100000", "--out", str(path), "--codec", "zstd"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    con = duckdb.connect()
    rows = con.execute(
        "SELECT path_in_schema, encodings, compression, stats_min_value, stats_max_value, stats_null_count "
        f"FROM parquet_metadata('{path}') ORDER BY column_id").fetchall()
    by_name = {r[0]: r for r in rows}
    assert by_name["country"][1] == "PLAIN, RLE, RLE_DICTIONARY"
    assert by_name["country"][2] == "ZSTD"
    assert (by_name["country"][3], by_name["country"][4], by_name["country"][5]) == ("AT", "SK", 0)
    assert (by_name["member_id"][3], by_name["member_id"][4]) == ("AT-116000", "SK-116000")
    # Unique keys exceed the dictionary limit: PLAIN, still with min/max.
    assert by_name["case_key"][1] == "PLAIN, RLE"
    table = pq.read_table(path)
    keys = table.column("case_key").to_pylist()
    assert (by_name["case_key"][3], by_name["case_key"][4]) == (min(keys), max(keys))
    assert by_name["destination_country"][5] == table.column("destination_country").null_count
    created_by = con.execute(f"SELECT created_by FROM parquet_file_metadata('{path}')").fetchone()[0]
    assert created_by == "parquet-tool version 0.1.0 (build bench)"


def pyarrow_table():
    n = 5000
    return pa.table({
        "s": pa.array([None if i % 7 == 0 else ["BE", "Zürich", "", "日本"][i % 4] for i in range(n)], pa.string()),
        "u": pa.array([f"unique-{i}" for i in range(n)], pa.string()),
        "b": pa.array([None if i % 5 == 0 else bytes([i % 256, 0, 255]) for i in range(n)], pa.binary()),
        "i8": pa.array([None if i % 3 == 0 else (i % 256) - 128 for i in range(n)], pa.int8()),
        "i16": pa.array([(i * 37) % 65536 - 32768 for i in range(n)], pa.int16()),
        "i32": pa.array([i * 7919 - 10_000_000 for i in range(n)], pa.int32()),
        "i64": pa.array([None if i % 11 == 0 else i * 10**12 for i in range(n)], pa.int64()),
        "d": pa.array([None if i % 13 == 0 else i / 3 - 100 for i in range(n)], pa.float64()),
        "f": pa.array([i / 8 for i in range(n)], pa.float32()),
        "flag": pa.array([None if i % 4 == 0 else i % 3 == 0 for i in range(n)], pa.bool_()),
        "day": pa.array([i * 100 - 250_000 for i in range(n)], pa.int32()).cast(pa.date32()),
        "ts": pa.array([i * 86_400_000_123 - 10**15 for i in range(n)], pa.int64()).cast(pa.timestamp("us", tz="UTC")),
        "nulls": pa.array([None] * n, pa.string()),
    })


def dump(path):
    result = subprocess.run([tool(), "dump", str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["values"]


@pytest.mark.parametrize("dictionary", [True, False])
@pytest.mark.parametrize("compression", ["SNAPPY", "GZIP", "ZSTD", "NONE"])
def test_our_reader_reads_pyarrow_files_value_identical(tmp_path, compression, dictionary):
    path = tmp_path / f"pyarrow-{compression}-{dictionary}.parquet"
    table = pyarrow_table()
    pq.write_table(table, path, compression=compression, use_dictionary=dictionary, row_group_size=2000,
                   data_page_size=4096)
    meta = pq.ParquetFile(path).metadata
    assert meta.num_row_groups == 3
    encodings = meta.row_group(0).column(0).encodings
    assert ("RLE_DICTIONARY" in encodings) == dictionary
    ours = dump(path)
    for name in table.column_names:
        assert ours_norm(ours[name]) == arrow_values(table.column(name)), name


CORPUS = ROOT_CORPUS = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "parquet-testing"
# Columns outside the reader's scope, and the words its error must contain.
OUT_OF_SCOPE = {
    ("alltypes_dictionary.parquet", "timestamp_col"): "INT96",
    ("alltypes_plain.parquet", "timestamp_col"): "INT96",
    ("alltypes_plain.snappy.parquet", "timestamp_col"): "INT96",
    ("alltypes_tiny_pages_plain.parquet", "timestamp_col"): "INT96",
    ("datapage_v2.snappy.parquet", "b"): "DELTA_BINARY_PACKED",
    ("datapage_v2.snappy.parquet", "e.list.element"): "nested",
    ("nulls.snappy.parquet", "b_struct.b_c_int"): "nested",
}
GOOD_FILES = sorted(p.name for p in (CORPUS / "data").glob("*.parquet") if p.name != "nation.dict-malformed.parquet")


@pytest.mark.parametrize("name", GOOD_FILES)
def test_our_reader_reads_the_corpus_like_pyarrow(name):
    path = CORPUS / "data" / name
    result = subprocess.run([tool(), "dump", str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    ours = json.loads(result.stdout)
    expected_errors = {col: word for (file, col), word in OUT_OF_SCOPE.items() if file == name}
    assert set(ours["errors"]) == set(expected_errors)
    for col, word in expected_errors.items():
        assert word in ours["errors"][col] and "out of scope" in ours["errors"][col]
    table = pq.read_table(path)
    flat = {f.name: table.column(f.name) for f in table.schema if not pa.types.is_nested(f.type)}
    assert set(ours["values"]) == {n for n in flat if (name, n) not in OUT_OF_SCOPE}
    for col, values in ours["values"].items():
        assert ours_norm(values) == arrow_values(flat[col]), col


# ARROW-GH-43605 (dictionary indices with bit width 0 after valid levels) made Arrow crash; it is
# well-formed for this reader, which reads it exactly as pyarrow 26 does (checked below).
BAD_FILES = [p for p in sorted((CORPUS / "bad_data").glob("*.parquet")) if p.name != "ARROW-GH-43605.parquet"]


def test_arrow_gh_43605_reads_like_pyarrow():
    path = CORPUS / "bad_data" / "ARROW-GH-43605.parquet"
    result = subprocess.run([tool(), "dump", str(path)], capture_output=True, text=True, timeout=120)
    ours = json.loads(result.stdout)["values"]
    assert ours_norm(ours["min_fl"]) == arrow_values(pq.read_table(path).column("min_fl"))


@pytest.mark.parametrize("path", BAD_FILES + [CORPUS / "data" / "nation.dict-malformed.parquet"], ids=lambda p: p.name)
def test_our_reader_refuses_bad_files(path):
    result = subprocess.run([tool(), "dump", str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 or json.loads(result.stdout)["errors"], "read without any error"
    assert "Fatal error" not in result.stderr and result.returncode in (0, 64)
