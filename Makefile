# The two commands of the README. Both install what is missing first.
#   make run   builds hotline-etl and runs the whole pipeline on samples/ (output in out/)
#   make test  also creates the Python venv (pyarrow, DuckDB) and runs every test
SWIFT ?= swift
PYTHON_VENV := .venv/bin/python

.PHONY: run test setup-system setup-python build clean

setup-system:
	@bash scripts/install-system-packages.sh

setup-python:
	@bash scripts/setup-python.sh

build: setup-system
	$(SWIFT) build

run: build
	$(SWIFT) run hotline-etl run

test: setup-system setup-python
	@bash scripts/install-chromium.sh
	$(SWIFT) build
	$(SWIFT) test
	HOTLINE_ETL_BIN="$$($(SWIFT) build --show-bin-path)/hotline-etl" PARQUET_TOOL_BIN="$$($(SWIFT) build --show-bin-path)/parquet-tool" $(PYTHON_VENV) -m pytest -q Tests/interop

clean:
	rm -rf .build out
