"""roadmap show takes the filters of the measures (--agency, --country, --status) and CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from clirun import Ran, invoke

ROADMAPS = str(Path(__file__).resolve().parent.parent / "roadmaps")
AS_OF = ("--as-of", "2026-11-22")
ENV = {"COLUMNS": "80", "NO_COLOR": "1", "ROADMAP_NO_CACHE": "1"}


def run(*args: str) -> Ran:
    return invoke(*args, *AS_OF, ROADMAPS, env=ENV)


def rows(result: Ran) -> list[dict[str, str]]:
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_csv_of_a_document_is_one_row_per_measure_matching_its_json() -> None:
    table = rows(run("show", "astana-minsk-2026-2028", "--format", "csv"))
    doc = json.loads(run("show", "astana-minsk-2026-2028", "--format", "json").stdout)
    assert [r["measure"] for r in table] == [m["measure"] for m in doc["measures"]]
    first = table[0]
    assert first["roadmap"] == "astana-minsk-2026-2028"
    assert (first["measure"], first["status"], first["completed"], first["deadline"]) == (
        "1.1", "done", "2026-05-21", "2026-06-30")
    assert first["co_executors"] == "by-minsk-economy; kz-astana-entrepreneurship; by-embassy-kz"


def test_csv_of_a_measure_is_one_row() -> None:
    table = rows(run("show", "astana-minsk-2026-2028/1.2", "--format", "csv"))
    assert [(r["measure"], r["status"], r["progress"]) for r in table] == [("1.2", "in_progress", "70")]


@pytest.mark.parametrize(
    ("filters", "measures"),
    [
        (("--status", "not_started"), ["2.3", "3.2"]),
        (("--agency", "kz-astana-culture"), ["3.1", "3.2"]),
        (("--agency", "KZ-ASTANA-CULTURE", "--status", "done"), ["3.1"]),
        (("--country", "by", "--status", "blocked"), ["1.3"]),
    ],
)
def test_filters_keep_the_matching_measures(filters: tuple[str, ...], measures: list[str]) -> None:
    doc = json.loads(run("show", "astana-minsk-2026-2028", *filters, "--format", "json").stdout)
    assert [m["measure"] for m in doc["measures"]] == measures
    assert doc["summary"]["measures"] == len(measures)


def test_filters_and_one_measure_do_not_go_together() -> None:
    result = run("show", "astana-minsk-2026-2028/1.2", "--status", "done")
    assert result.exit_code == 2
    assert "give ROADMAP without /MEASURE" in result.output


@pytest.mark.parametrize("command", ["status", "agencies", "overdue"])
@pytest.mark.parametrize("typed", ["Kazakhstan", "Казахстан", "XX"])
def test_a_country_not_in_the_registry_names_the_codes_to_give(command: str, typed: str) -> None:
    """--country Kazakhstan was told "no agency of country 'Kazakhstan'" and no more: the
    message names the two-letter codes of agencies.yaml, which are what --country takes."""
    ran = run(command, "--country", typed)
    assert ran.exit_code == 2, ran.stderr
    assert f"no agency of country {typed!r}" in ran.stderr
    assert "two-letter code" in ran.stderr and "BY, KZ" in ran.stderr, ran.stderr
