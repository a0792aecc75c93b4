"""No raw case id from samples/ and no key material appears anywhere under the output folder."""
import pathlib

import pyarrow as pa
import pyarrow.parquet as pq

from conftest import ROOT, TEST_KEY, run_pipeline


def all_bytes(out: pathlib.Path):
    for path in sorted(out.rglob("*")):
        if path.is_file():
            yield path, path.read_bytes()


def test_no_raw_case_id_or_key_in_any_output_file(tmp_path, expected):
    # Uncompressed pages, so that a raw id inside a Parquet file would show up in its bytes.
    pipeline = tmp_path / "uncompressed.yaml"
    text = (ROOT / "pipelines" / "annual-report.yaml").read_text(encoding="utf-8")
    assert "codec: zstd" in text
    pipeline.write_text(text.replace("codec: zstd", "codec: uncompressed"), encoding="utf-8")
    out = tmp_path / "out"
    result = run_pipeline(out, pipeline=str(pipeline))
    assert result.returncode == 0, result.stderr
    ids = [raw.encode() for raw in expected["raw_case_ids"]]
    assert len(ids) > 500
    files = list(all_bytes(out))
    assert any(p.suffix == ".parquet" for p, _ in files)
    for path, content in files:
        for raw in ids:
            assert raw not in content, f"raw case id {raw!r} found in {path}"
        assert TEST_KEY.encode() not in content, f"key material found in {path}"
    assert TEST_KEY not in result.stderr and TEST_KEY not in result.stdout


def test_no_raw_case_id_in_decoded_values(sample_run, expected):
    """The published (compressed) files, decoded by pyarrow: no string value contains a raw id."""
    out, _ = sample_run
    ids = expected["raw_case_ids"]
    for path in sorted((out / "dataset").rglob("*.parquet")):
        table = pq.read_table(path)
        for name in table.column_names:
            if not pa.types.is_string(table.schema.field(name).type):
                continue
            for value in table.column(name).to_pylist():
                if value is not None:
                    assert not any(raw in value for raw in ids), f"{path}:{name}: {value!r}"


def test_development_key_is_created_private_and_reused(tmp_path):
    out = tmp_path / "out"
    first = run_pipeline(out, key=None)
    assert first.returncode == 0, first.stderr
    key_file = out / "development.key"
    assert key_file.exists()
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert "development key" in first.stderr
    keys_first = pq.read_table(next((out / "dataset" / "cases").rglob("*.parquet"))).column("case_key").to_pylist()
    second = run_pipeline(out, key=None)
    assert second.returncode == 0, second.stderr
    keys_second = pq.read_table(next((out / "dataset" / "cases").rglob("*.parquet"))).column("case_key").to_pylist()
    assert keys_first == keys_second, "the development key is reused, so pseudonyms are stable"
