"""Runs as schedulers and stewards meet them, through the binary: kill -9 at any point, a second
concurrent run, exit codes, and rerunning one member after a mapping change. The dataset is read
with pyarrow only."""
import os
import pathlib
import shutil
import signal
import subprocess
import time

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from conftest import ROOT, TEST_KEY, binary


def workspace(tmp_path: pathlib.Path) -> pathlib.Path:
    """A pipeline file over a copy of samples/ and pipelines/members/ under tmp_path."""
    shutil.copytree(ROOT / "samples", tmp_path / "inbox")
    shutil.copytree(ROOT / "pipelines" / "members", tmp_path / "members")
    pipeline = tmp_path / "pipeline.yaml"
    pipeline.write_text(
        "report_year: 2025\n"
        f"inbox: {tmp_path / 'inbox'}\nout: {tmp_path / 'out'}\n"
        f"taxonomy: {ROOT / 'pipelines' / 'taxonomy.yaml'}\nmembers: {tmp_path / 'members'}\n"
        "ignore: [README.md, generate.py, expected.json]\n",
        encoding="utf-8",
    )
    return pipeline


def env(**extra):
    environment = dict(os.environ, HOTLINE_ETL_KEY=TEST_KEY)
    environment.update(extra)
    return environment


def run(pipeline, *args, **extra):
    return subprocess.run(
        [binary(), "run", "--pipeline", str(pipeline), *args],
        cwd=ROOT, env=env(**extra), capture_output=True, text=True, timeout=120,
    )


def start_and_stop_at(pipeline, point, *args):
    """Starts a run that waits at `point`; returns the process once it has reached it."""
    process = subprocess.Popen(
        [binary(), "run", "--pipeline", str(pipeline), *args],
        cwd=ROOT, env=env(HOTLINE_ETL_TEST_STOP_AT=point),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    seen = []
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        seen.append(line)
        if f"test stop point {point} reached" in line:
            return process
    process.kill()
    raise AssertionError(f"the run never reached {point}: {''.join(seen)}")


def dataset_bytes(out: pathlib.Path):
    root = (out / "dataset").resolve()
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.parquet"))}


def read_cases(out: pathlib.Path):
    return ds.dataset(out / "dataset" / "cases", format="parquet", partitioning="hive").to_table()


@pytest.mark.parametrize("point", ["extract", "normalize", "load"])
def test_kill_9_leaves_the_published_dataset_intact_and_the_next_run_completes(tmp_path, point):
    pipeline = workspace(tmp_path)
    out = tmp_path / "out"
    assert run(pipeline).returncode == 0
    before = dataset_bytes(out)
    rows_before = read_cases(out).num_rows
    # Change a file so the next run has real work in every stage.
    contacts = tmp_path / "inbox" / "it-ta" / "contatti-2025.json"
    contacts.write_text(contacts.read_text(encoding="utf-8").replace('"numero": ', '"numero": 1', 1), encoding="utf-8")
    process = start_and_stop_at(pipeline, point)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert dataset_bytes(out) == before, "the published dataset is the previous one, complete"
    assert read_cases(out).num_rows == rows_before
    for path in (out / "dataset").resolve().rglob("*.parquet"):
        pq.read_table(path)
    again = run(pipeline)
    assert again.returncode == 0, again.stderr
    after = dataset_bytes(out)
    assert after["cases/report_year=2025/part-00000.parquet"] == before["cases/report_year=2025/part-00000.parquet"]
    assert after["contacts/report_year=2025/part-00000.parquet"] != before["contacts/report_year=2025/part-00000.parquet"]
    releases = sorted(p.name for p in (out / "releases").iterdir())
    assert releases == [(out / "dataset").resolve().name], "the killed run's half-written release is gone"


def test_a_second_concurrent_run_is_refused_naming_the_holder(tmp_path):
    pipeline = workspace(tmp_path)
    holder = start_and_stop_at(pipeline, "extract")
    try:
        second = run(pipeline)
        assert second.returncode == 1
        assert "another hotline-etl run is using" in second.stderr
        assert f"pid {holder.pid}" in second.stderr
        assert "wait for it to finish, or use another --out" in second.stderr
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert run(pipeline).returncode == 0, "the lock dies with its holder"


def test_each_exit_code_comes_from_its_situation(tmp_path):
    pipeline = workspace(tmp_path)
    assert run(pipeline).returncode == 0
    (tmp_path / "inbox" / "zz-unknown.csv").write_text("a;b\n", encoding="utf-8")
    partial = run(pipeline)
    assert partial.returncode == 2
    assert "zz-unknown.csv: no member mapping claims this file" in partial.stderr
    usage = subprocess.run([binary(), "run", "--stage", "transform"], cwd=ROOT, capture_output=True, text=True)
    assert usage.returncode == 64
    bad = tmp_path / "bad.yaml"
    bad.write_text("report_year: 2025\n", encoding="utf-8")
    assert run(bad).returncode == 64
    for child in (tmp_path / "inbox").iterdir():
        if child.is_dir():
            shutil.rmtree(child)
    failure = run(pipeline, "--out", str(tmp_path / "fresh-out"))
    assert failure.returncode == 1
    assert "no submission could be loaded" in failure.stderr


def test_normalize_one_member_after_a_mapping_change_updates_only_its_rows(tmp_path):
    pipeline = workspace(tmp_path)
    out = tmp_path / "out"
    assert run(pipeline).returncode == 0
    before = read_cases(out).to_pylist()
    mapping = tmp_path / "members" / "de-ivk.yaml"
    text = mapping.read_text(encoding="utf-8")
    assert "verlaufen/verletzt: LOST_INJURED" in text
    mapping.write_text(text.replace("verlaufen/verletzt: LOST_INJURED", "verlaufen/verletzt: OTHERWISE_MISSING"), encoding="utf-8")
    normalize = run(pipeline, "--stage", "normalize", "--member", "DE-IVK")
    assert normalize.returncode == 0, normalize.stderr
    assert "normalize: 2 processed" in normalize.stderr
    load = run(pipeline, "--stage", "load")
    assert load.returncode == 0, load.stderr
    after = read_cases(out).to_pylist()
    assert len(after) == len(before)
    changed = [(b, a) for b, a in zip(before, after) if b != a]
    assert changed, "the DE-IVK rows mapped from verlaufen/verletzt changed"
    for old, new in changed:
        assert old["member_id"] == new["member_id"] == "DE-IVK"
        assert (old["category"], new["category"]) == ("LOST_INJURED", "OTHERWISE_MISSING")
        assert {k: v for k, v in old.items() if k != "category"} == {k: v for k, v in new.items() if k != "category"}


def test_status_summarises_the_latest_run_and_exits_with_its_code(tmp_path):
    pipeline = workspace(tmp_path)
    out = tmp_path / "out"
    none = subprocess.run([binary(), "status", "--out", str(out)], capture_output=True, text=True)
    assert none.returncode == 64
    assert f"no run recorded in {out}" in none.stderr
    assert run(pipeline).returncode == 0
    status = subprocess.run([binary(), "status", "--out", str(out)], capture_output=True, text=True)
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    assert lines[0].startswith("run ") and lines[0].endswith(": success (exit 0), report year 2025")
    assert "  loaded    DE-IVK de-ivk/faelle-2025.csv.gz: read 222, loaded 219, quarantined 3, merged 0" in lines
    assert "  DE-IVK: BAD_DATE 1, OUT_OF_SCOPE 1, UNKNOWN_CODE 1" in lines
    (tmp_path / "inbox" / "de-ivk" / "faelle-2025.csv.gz").write_bytes(b"\x1f\x8b\x08\x00broken")
    assert run(pipeline).returncode == 2
    status = subprocess.run([binary(), "status", "--out", str(out)], capture_output=True, text=True)
    assert status.returncode == 2
    assert "  rejected  DE-IVK de-ivk/faelle-2025.csv.gz: read 222, loaded 219, quarantined 3, merged 0" in status.stdout
    assert "            de-ivk/faelle-2025.csv.gz: the gzip stream is" in status.stdout


def test_dry_run_says_what_would_run_and_why_and_writes_nothing(tmp_path):
    pipeline = workspace(tmp_path)
    out = tmp_path / "out"
    fresh = run(pipeline, "--dry-run")
    assert fresh.returncode == 0
    assert "dry run: DE-IVK de-ivk/faelle-2025.csv.gz: new: would run" in fresh.stderr
    assert not out.exists(), "a dry run writes nothing"
    assert run(pipeline).returncode == 0
    mapping = tmp_path / "members" / "de-ivk.yaml"
    mapping.write_text(mapping.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    dry = run(pipeline, "--dry-run")
    assert "dry run: DE-IVK de-ivk/faelle-2025.csv.gz: changed (mapping file): would run" in dry.stderr
    assert "dry run: BE-CF be-cf/dossiers-2025.xml: unchanged: would be skipped" in dry.stderr
    forced = run(pipeline, "--dry-run", "--force", "--member", "BE-CF")
    assert "dry run: BE-CF be-cf/dossiers-2025.xml: forced (--force)" in forced.stderr
    assert "dry run: DE-IVK de-ivk/faelle-2025.csv.gz: not selected (--member)" in forced.stderr


def test_from_load_republishes_from_staged_data_without_reading_the_inbox_files(tmp_path):
    pipeline = workspace(tmp_path)
    out = tmp_path / "out"
    assert run(pipeline).returncode == 0
    before = dataset_bytes(out)
    result = run(pipeline, "--from", "load")
    assert result.returncode == 0, result.stderr
    assert "extract:" not in result.stderr and "normalize:" not in result.stderr
    assert dataset_bytes(out) == before
    both = subprocess.run([binary(), "run", "--stage", "load", "--from", "extract"], capture_output=True, text=True)
    assert both.returncode == 64
    assert "use either --stage or --from/--to, not both" in both.stderr


def test_json_log_format_writes_one_json_object_per_line(tmp_path):
    import json
    pipeline = workspace(tmp_path)
    result = run(pipeline, "--log-format", "json")
    assert result.returncode == 0
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert any(line["message"].startswith("extract: ") for line in lines)
    assert TEST_KEY not in result.stderr


def test_a_full_run_also_writes_the_report_and_records_the_stage(tmp_path):
    import json
    pipeline = workspace(tmp_path)
    out = tmp_path / "out"
    result = run(pipeline)
    assert result.returncode == 0, result.stderr
    assert (out / "report" / "2025" / "index.html").is_file()
    assert (out / "report" / "2025" / "tables" / "new_cases_by_category.csv").is_file()
    stages = {s["stage"]: s for s in json.loads((out / "runs" / "latest.json").read_text())["stages"]}
    assert stages["report"]["status"] == "ran" and stages["report"]["processed"] == 1
    assert f"report: {out}/report/2025" in result.stderr
