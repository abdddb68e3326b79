# The quick start: `make run` and `make test` on a fresh clone, with only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint unit venv bench bench-quick bench-diff clean i18n i18n-compile

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

# Message catalogs (docs/i18n.md): extract the messages of the code into the template, merge
# them into every language's .po, compile the .mo files that ship in the wheel.
POT := roadmap_cli/locale/roadmap_cli.pot
I18N_KEYWORDS := -k _ -k N_ -k ngettext:1,2 -k NN_:1,2 -k NC_:1c,2
i18n: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --omit-header -F babel.cfg $(I18N_KEYWORDS) -o $(POT) .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i $(POT) -d roadmap_cli/locale -D roadmap_cli
	$(BIN)/pybabel compile --statistics -d roadmap_cli/locale -D roadmap_cli

i18n-compile: $(STAMP)
	$(BIN)/pybabel compile --statistics -d roadmap_cli/locale -D roadmap_cli

clean:
	rm -rf $(VENV) .roadmap-cache .pytest_cache .mypy_cache .ruff_cache
