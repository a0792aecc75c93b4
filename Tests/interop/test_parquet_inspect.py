"""`hotline-etl inspect`: what a steward sees of a Parquet file, checked against pyarrow's reading.

The file is written by pyarrow (ZSTD, dictionary), so the command is exercised on a file the
project did not write; HOTLINE_ETL_BIN comes from `make test`.
"""
import json
import subprocess

import pyarrow as pa
import pyarrow.parquet as pq

from conftest import binary


def write_sample(path):
    table = pa.table({
        "country": pa.array(["BE", "Zürich", None, "BE"] * 5, pa.string()),
        "opened_on": pa.array([19000, -1, 2_932_896, 0] * 5, pa.int32()).cast(pa.date32()),
        "age": pa.array([1, None, -128, 127] * 5, pa.int8()),
    })
    meta = table.schema.with_metadata({"hotline_etl.taxonomy_version": "2025.1"})
    pq.write_table(table.replace_schema_metadata(meta.metadata), path, compression="ZSTD", row_group_size=12)
    return table


def test_inspect_text_shows_schema_row_groups_statistics_metadata_and_rows(tmp_path):
    path = tmp_path / "sample.parquet"
    write_sample(path)
    result = subprocess.run([binary(), "inspect", "--rows", "2", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"{path}: {path.stat().st_size} bytes, 20 rows, 2 row group(s)" in out
    assert "  country    optional BYTE_ARRAY STRING" in out
    assert "  opened_on  optional INT32 DATE" in out
    assert "  age        optional INT32 INT(8, signed)" in out
    assert "row group 0: 12 rows" in out and "row group 1: 8 rows" in out
    assert 'ZSTD, PLAIN/RLE/RLE_DICTIONARY' in out
    assert 'nulls 3, min "BE", max "Zürich", exact' in out
    assert "min -128, max 127" in out
    assert "hotline_etl.taxonomy_version: 2025.1" in out
    assert 'country="BE" opened_on=2022-01-08 age=1' in out
    assert 'country="Zürich" opened_on=1969-12-31 age=null' in out
    assert "first 2 row(s):" in out


def test_inspect_json_values_match_pyarrow(tmp_path):
    path = tmp_path / "sample.parquet"
    table = write_sample(path)
    result = subprocess.run([binary(), "inspect", "--format", "json", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["num_rows"] == 20
    assert doc["values"]["country"] == table.column("country").to_pylist()
    assert doc["values"]["opened_on"] == table.column("opened_on").cast(pa.int32()).to_pylist()
    assert doc["values"]["age"] == table.column("age").to_pylist()
    stats = doc["row_groups"][0]["columns"][0]["statistics"]
    assert stats == {"null_count": 3, "min": '"BE"', "max": '"Zürich"'}


def test_inspect_refuses_a_truncated_file_with_a_reason(tmp_path):
    path = tmp_path / "sample.parquet"
    write_sample(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = subprocess.run([binary(), "inspect", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "does not end with the magic bytes PAR1 (truncated?)" in result.stderr
