"""Shared fixtures: run the hotline-etl binary on samples/ once per session.

The binary comes from HOTLINE_ETL_BIN (set by `make test`); the tests then read the output only
with pyarrow and DuckDB, independently of the project's own code.
"""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
TEST_KEY = "interop-test-key-0123456789abcdef"


def binary() -> str:
    path = os.environ.get("HOTLINE_ETL_BIN")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError(
            "HOTLINE_ETL_BIN must name the built hotline-etl binary; run these tests with `make test`"
        )
    return path


def run_pipeline(out: pathlib.Path, pipeline: str = "pipelines/annual-report.yaml", key: str | None = TEST_KEY):
    env = dict(os.environ)
    env.pop("HOTLINE_ETL_KEY", None)
    if key is not None:
        env["HOTLINE_ETL_KEY"] = key
    return subprocess.run(
        [binary(), "run", "--pipeline", pipeline, "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="session")
def expected():
    return json.loads((ROOT / "samples" / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = run_pipeline(out)
    assert result.returncode == 0, f"hotline-etl run failed ({result.returncode}):\n{result.stderr}"
    return out, result
