#!/usr/bin/env python3
"""Experiment: how much of the CSV.gz run is the work DESIGN.md asks of the pipeline and the
reference does not do, and how fast the rest is against DuckDB (docs/performance.md, "What the
CSV.gz goal would need").

    bash scripts/setup-python.sh                           # .venv with duckdb and pyyaml
    apt-get install -y time                                # GNU time
    .venv/bin/python benchmarks/design_work.py             # 1M cases, best of 5 rounds

What it does:
 1. checks out the committed HEAD into WORK/without-design-work (a git worktree), applies
    benchmarks/without-design-work.patch there and builds it in release mode as the Dockerfile
    does. The patch adds three switches, all off unless set in the environment:
    WITHOUT_STAGING (no staged records encoded or written; staged rows encoded for the live
    load but not written), WITHOUT_HMAC (a 64-bit FNV-1a instead of HMAC-SHA-256 for the keys).
    With none set, the binary is the pipeline as committed;
 2. generates the 1M-case CSV.gz inbox as benchmarks/extract_pipeline.py does (same seed);
 3. runs, in rounds, the pipeline taking away one piece of that work after another:
    the full run; without the report stage (`--to load`: no report counting); without staging;
    without HMAC; writing the Parquet uncompressed instead of ZSTD. Then the references on the
    same file: DuckDB (threads=2) as the benchmark runs it (SNAPPY, its default), and writing
    uncompressed;
 4. prints the best wall time and the CPU time of each, and the ratio to DuckDB's time.

None of this is a way to run the pipeline: without staging no stage can be rerun alone, and
without HMAC the keys are not pseudonyms. It measures what the goal of issue 4 asks of the rest.
"""
import argparse
import os
import pathlib
import shutil
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import extract_pipeline as bench  # noqa: E402  (the benchmark's generator, timer and DuckDB reference)

PATCH = bench.ROOT / "benchmarks" / "without-design-work.patch"

# (label, environment switches, --to, codec)
STEPS = [
    ("full pipeline (all four stages)", {}, None, None),
    ("  without the report stage (--to load)", {}, "load", None),
    ("  and without staging", {"WITHOUT_STAGING": "1"}, "load", None),
    ("  and without HMAC-SHA-256", {"WITHOUT_STAGING": "1", "WITHOUT_HMAC": "1"}, "load", None),
    ("  and writing Parquet uncompressed", {"WITHOUT_STAGING": "1", "WITHOUT_HMAC": "1"}, "load", "uncompressed"),
]


def build_patched(work, skip):
    """The committed HEAD with the patch applied, built in release mode; returns the binary."""
    tree = work / "without-design-work"
    binary = tree / bench.SCRATCH / "release" / "hotline-etl"
    if skip and binary.exists():
        return binary
    if tree.exists():
        bench.sh(["git", "worktree", "remove", "--force", str(tree)], cwd=bench.ROOT)
    bench.sh(["git", "worktree", "prune"], cwd=bench.ROOT)
    bench.sh(["git", "worktree", "add", "--detach", str(tree), "HEAD"], cwd=bench.ROOT)
    applied = subprocess.run(["git", "apply", str(PATCH)], cwd=tree)
    if applied.returncode != 0:
        sys.exit(f"{PATCH.name} no longer applies to HEAD: refresh it (its three switches are small)")
    bench.sh(["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", bench.SCRATCH,
              "--product", "hotline-etl"], cwd=tree)
    return binary


def pipeline_file(directory, codec):
    """The generated CSV.gz pipeline file, or a copy of it writing `codec`."""
    original = directory / "pipeline-csvgz.yaml"
    if codec is None:
        return original
    copy = directory / f"pipeline-csvgz-{codec}.yaml"
    copy.write_text(original.read_text() + f"parquet:\n  codec: {codec}\n")
    return copy


def run_step(binary, directory, switches, to, codec):
    out = directory / "out-design-work"
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, HOTLINE_ETL_KEY=bench.KEY, **switches)
    command = [str(binary), "run", "--pipeline", str(pipeline_file(directory, codec)), "--out", str(out)]
    wall, _, _, cpu = bench.timed(command + (["--to", to] if to else []), env=env)
    shutil.rmtree(out, ignore_errors=True)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--work", default="/tmp/hotline-etl-bench", help="where the worktree, inbox and outputs go")
    parser.add_argument("--repeat", type=int, default=5, help="best of this many rounds")
    parser.add_argument("--skip-build", action="store_true", help="reuse the patched binary if it exists")
    args = parser.parse_args()

    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    binary = build_patched(work, args.skip_build)
    directory = bench.generate(binary, work, args.cases)
    references = [("DuckDB (threads=2), SNAPPY: the goal's reference", None),
                  ("DuckDB (threads=2), uncompressed", "uncompressed")]
    times = {label: [] for label, *_ in STEPS} | {label: [] for label, _ in references}
    for _ in range(max(1, args.repeat)):
        for label, switches, to, codec in STEPS:
            times[label].append(run_step(binary, directory, switches, to, codec))
        for label, codec in references:
            result = bench.run_duckdb(directory, "csv.gz", codec=codec)
            times[label].append((result["wall_s"], result["cpu_s"]))
    best = {label: min(runs) for label, runs in times.items()}
    goal = best[references[0][0]][0]
    print(f"\n== CSV.gz, {args.cases} cases, best of {args.repeat} rounds (wall s, CPU s, wall / DuckDB SNAPPY)")
    for label, (wall, cpu) in best.items():
        rounds = ", ".join(f"{w:.2f}" for w, _ in times[label])
        print(f"{label:52} {wall:6.2f} s  CPU {cpu:5.2f} s  {wall / goal:5.2f}x   (rounds: {rounds})")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
