"""The dataset written from samples/ as pyarrow and DuckDB see it, against samples/expected.json
(computed by samples/generate.py from its own ground truth, not by the pipeline)."""
import json

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

CASES_TYPES = {
    "member_id": (pa.string(), False),
    "country": (pa.string(), False),
    "case_key": (pa.string(), False),
    "child_key": (pa.string(), False),
    "case_status": (pa.string(), False),
    "opened_on": (pa.date32(), False),
    "closed_on": (pa.date32(), True),
    "category": (pa.string(), False),
    "cross_border": (pa.bool_(), True),
    "destination_country": (pa.string(), True),
    "child_age": (pa.int8(), True),
    "child_gender": (pa.string(), False),
    "repeat_missing": (pa.bool_(), True),
    "violence_experienced": (pa.bool_(), True),
    "outcome": (pa.string(), False),
    "found_by": (pa.string(), True),
    "days_missing": (pa.int32(), True),
    "first_channel": (pa.string(), True),
    "source_file": (pa.string(), False),
    "source_record": (pa.int64(), False),
}
CONTACTS_TYPES = {
    "member_id": (pa.string(), False),
    "country": (pa.string(), False),
    "month": (pa.int8(), False),
    "channel": (pa.string(), False),
    "contact_type": (pa.string(), False),
    "count": (pa.int64(), False),
    "source_file": (pa.string(), False),
    "source_record": (pa.int64(), False),
}
QUARANTINE_TYPES = {
    "member_id": (pa.string(), False),
    "source_file": (pa.string(), False),
    "source_record": (pa.int64(), False),
    "field": (pa.string(), True),
    "reason": (pa.string(), False),
    "value": (pa.string(), True),
    "message": (pa.string(), False),
}


def partition_file(out, table, year):
    return out / "dataset" / table / f"report_year={year}" / "part-00000.parquet"


@pytest.mark.parametrize(
    "table,types", [("cases", CASES_TYPES), ("contacts", CONTACTS_TYPES), ("quarantine", QUARANTINE_TYPES)]
)
def test_pyarrow_reads_every_column_with_its_logical_type(sample_run, expected, table, types):
    out, _ = sample_run
    schema = pq.read_schema(partition_file(out, table, expected["report_year"]))
    assert [f.name for f in schema] == list(types), "columns and their order"
    for field in schema:
        want_type, want_nullable = types[field.name]
        assert field.type == want_type, f"{table}.{field.name}"
        assert field.nullable == want_nullable, f"{table}.{field.name} nullability"
    assert "report_year" not in schema.names, "partition columns live in the path only"


def test_pyarrow_hive_dataset_counts_per_member_and_category(sample_run, expected):
    out, _ = sample_run
    table = ds.dataset(out / "dataset" / "cases", format="parquet", partitioning="hive").to_table()
    assert table.column("report_year").unique().to_pylist() == [expected["report_year"]]
    counts = table.group_by(["member_id", "category"]).aggregate([("case_key", "count")])
    got = {(r["member_id"], r["category"]): r["case_key_count"] for r in counts.to_pylist()}
    want = {
        (member, category): n
        for member, figures in expected["members"].items()
        for category, n in figures["cases_by_category"].items()
        if n > 0
    }
    assert got == want


def test_duckdb_counts_per_member_category_and_status(sample_run, expected):
    out, _ = sample_run
    con = duckdb.connect()
    glob = str(out / "dataset" / "cases" / "**" / "*.parquet")
    rows = con.execute(
        f"SELECT member_id, category, count(*) FROM read_parquet('{glob}', hive_partitioning=true) GROUP BY ALL"
    ).fetchall()
    want = {
        (member, category): n
        for member, figures in expected["members"].items()
        for category, n in figures["cases_by_category"].items()
        if n > 0
    }
    assert {(m, c): n for m, c, n in rows} == want
    rows = con.execute(
        f"SELECT member_id, case_status, count(*) FROM read_parquet('{glob}', hive_partitioning=true) GROUP BY ALL"
    ).fetchall()
    want = {
        (member, status): n
        for member, figures in expected["members"].items()
        for status, n in figures["cases_by_status"].items()
        if n > 0
    }
    assert {(m, s): n for m, s, n in rows} == want


def test_duckdb_column_types(sample_run, expected):
    out, _ = sample_run
    con = duckdb.connect()
    path = partition_file(out, "cases", expected["report_year"])
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{path}'))").fetchall())
    assert types["opened_on"] == "DATE"
    assert types["closed_on"] == "DATE"
    assert types["child_age"] == "TINYINT"
    assert types["cross_border"] == "BOOLEAN"
    assert types["days_missing"] == "INTEGER"
    assert types["source_record"] == "BIGINT"
    assert types["category"] == "VARCHAR"


def test_duckdb_nulls_match_pyarrow(sample_run, expected):
    """Null counts as DuckDB computes them equal pyarrow's, column by column (statistics included)."""
    out, _ = sample_run
    path = partition_file(out, "cases", expected["report_year"])
    table = pq.read_table(path)
    con = duckdb.connect()
    for name in CASES_TYPES:
        (duck_nulls,) = con.execute(
            f'SELECT count(*) FROM read_parquet(\'{path}\') WHERE "{name}" IS NULL'
        ).fetchone()
        assert duck_nulls == table.column(name).null_count, name
    assert table.column("closed_on").null_count > 0, "the samples leave some cases open"


def test_contact_totals_per_member(sample_run, expected):
    out, _ = sample_run
    con = duckdb.connect()
    glob = str(out / "dataset" / "contacts" / "**" / "*.parquet")
    rows = con.execute(
        f"SELECT member_id, sum(count)::BIGINT FROM read_parquet('{glob}', hive_partitioning=true) GROUP BY ALL"
    ).fetchall()
    assert dict(rows) == {m: f["contacts_total"] for m, f in expected["members"].items()}
    (bad_months,) = con.execute(
        f"SELECT count(*) FROM read_parquet('{glob}') WHERE month NOT BETWEEN 1 AND 12"
    ).fetchone()
    assert bad_months == 0


def test_every_bad_sample_record_is_in_quarantine_with_its_reason(sample_run, expected):
    out, _ = sample_run
    table = pq.read_table(partition_file(out, "quarantine", expected["report_year"]))
    got = sorted(
        (r["member_id"], r["source_file"], r["source_record"], r["field"], r["reason"]) for r in table.to_pylist()
    )
    want = sorted(
        (member, q["file"], q["record"], q["field"], q["reason"])
        for member, figures in expected["members"].items()
        for q in figures["quarantine"]
    )
    assert got == want
    assert all(r["message"] for r in table.to_pylist()), "every quarantined record says why"


def test_manifest_reconciles_every_submission(sample_run, expected):
    out, _ = sample_run
    manifest = json.loads((out / "runs" / "latest.json").read_text())
    assert manifest["status"] == "success" and manifest["exit_code"] == 0
    got = {s["file"]: s["counts"] for s in manifest["submissions"]}
    want = {
        file: counts for figures in expected["members"].values() for file, counts in figures["submissions"].items()
    }
    assert got == want
    for submission in manifest["submissions"]:
        c = submission["counts"]
        assert c["read"] == c["loaded"] + c["quarantined"] + c["merged"], submission["file"]
        assert submission["status"] == "loaded"
        assert len(submission["sha256"]) == 64
    run_manifest = out / "runs" / manifest["run_id"] / "manifest.json"
    assert json.loads(run_manifest.read_text()) == manifest


def test_each_table_records_its_lineage_in_the_footer(sample_run, expected):
    out, _ = sample_run
    manifest = json.loads((out / "runs" / "latest.json").read_text())
    checksums = {s["file"]: s["sha256"] for s in manifest["submissions"]}
    kinds = {s["file"]: s["kind"] for s in manifest["submissions"]}
    for table, kind in (("cases", "cases"), ("contacts", "contacts"), ("quarantine", None)):
        metadata = pq.read_metadata(partition_file(out, table, expected["report_year"]))
        assert metadata.created_by.startswith("hotline-etl version ")
        kv = {k.decode(): v.decode() for k, v in metadata.metadata.items()}
        assert kv["hotline_etl.taxonomy_version"] == manifest["taxonomy_version"]
        assert kv["hotline_etl.report_year"] == str(expected["report_year"])
        assert kv["hotline_etl.tool_version"] == manifest["tool_version"]
        assert len(kv["hotline_etl.configuration_sha256"]) == 64
        inputs = json.loads(kv["hotline_etl.input_sha256"])
        want = {f: sha for f, sha in checksums.items() if kind is None or kinds[f] == kind}
        assert inputs == want, table
