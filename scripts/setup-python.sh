#!/usr/bin/env bash
# Creates .venv with the independent Parquet readers (pyarrow, DuckDB) and pytest used by the
# interoperability tests. Reuses an existing .venv whose packages already match.
set -euo pipefail
cd "$(dirname "$0")/.."

requirements=Tests/interop/requirements.txt
stamp=.venv/.requirements.installed
if [ -x .venv/bin/python ] && [ -f "$stamp" ] && cmp -s "$requirements" "$stamp"; then
  echo "python venv: up to date (.venv)" >&2
  exit 0
fi
echo "python venv: creating .venv with $(tr '\n' ' ' < "$requirements")" >&2
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
cp "$requirements" "$stamp"
