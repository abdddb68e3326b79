# The quick start: `make run` and `make test` on a fresh clone, with only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
# pip -qq: errors only; setuptools' "Editable installation" notice is for package authors, not users
PIP_INSTALL := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install -qq -c constraints.txt

.PHONY: run test test-quick unit-quick lint unit venv bench bench-quick bench-diff clean i18n i18n-compile schema-checks

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip

# constraints.txt pins the versions the suite (and its golden outputs) was checked with.
# `make run` installs only what running needs; `make test` adds the test and lint tools.
$(RUN_STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(PIP_INSTALL) -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP)
	$(PIP_INSTALL) -e '.[test]'
	touch $(TEST_STAMP)

venv: $(TEST_STAMP)

run: $(RUN_STAMP)
	$(BIN)/roadmap status

test: lint unit

# the everyday run: lint, then the tests not marked slow, fuzz or browser (pyproject.toml's
# markers), in two processes (pytest-xdist); `make test` (and CI) still runs everything, in one
test-quick: lint unit-quick

lint: $(TEST_STAMP)
	$(BIN)/ruff check roadmap_cli tests benchmarks
	$(BIN)/mypy

unit: $(TEST_STAMP)
	$(BIN)/python -m pytest

unit-quick: $(TEST_STAMP)
	$(BIN)/python -m pytest -n 2 -m "not slow and not fuzz and not browser"

# the benchmark matrix (docs/performance.md): every command x cache state x 100x100 and 1,000x100,
# with issue 11's targets; `make bench-quick`: 100x100, 3 runs; more options in BENCH_ARGS, e.g.
# `make bench-quick BENCH_ARGS="--only status --only report"`
bench: $(RUN_STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

bench-quick: $(RUN_STAMP)
	$(BIN)/python benchmarks/run.py --quick $(BENCH_ARGS)

bench-diff: $(TEST_STAMP)
	$(BIN)/python benchmarks/bench_diff.py

# Message catalogs (docs/i18n.md): extract the messages of the code into the template, merge
# them into every language's .po, compile the .mo files that ship in the wheel.
POT := roadmap_cli/locale/roadmap_cli.pot
I18N_KEYWORDS := -k _ -k N_ -k ngettext:1,2 -k NN_:1,2 -k NC_:1c,2
i18n: $(TEST_STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --omit-header -F babel.cfg $(I18N_KEYWORDS) -o $(POT) .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i $(POT) -d roadmap_cli/locale -D roadmap_cli
	$(BIN)/pybabel compile --statistics -d roadmap_cli/locale -D roadmap_cli

i18n-compile: $(TEST_STAMP)
	$(BIN)/pybabel compile --statistics -d roadmap_cli/locale -D roadmap_cli

# the schemas' validity checks, compiled into roadmap_cli/_valid_*.py (after a schema changes;
# tests/test_schema_validity.py fails until they are written again)
schema-checks: $(TEST_STAMP)
	$(BIN)/python -c "from roadmap_cli import schema_compile; schema_compile.write_generated()"

clean:
	rm -rf $(VENV) .roadmap-cache .pytest_cache .mypy_cache .ruff_cache
