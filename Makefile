# The quick start: `make run` and `make test` on a fresh clone, with only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint unit venv bench bench-quick bench-diff clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# constraints.txt pins the versions the suite (and its golden outputs) was checked with
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/roadmap status

test: lint unit

lint: $(STAMP)
	$(BIN)/ruff check roadmap_cli tests benchmarks
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/run.py --quick

bench-diff: $(STAMP)
	$(BIN)/python benchmarks/bench_diff.py

clean:
	rm -rf $(VENV) .roadmap-cache .pytest_cache .mypy_cache .ruff_cache
