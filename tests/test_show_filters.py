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


@pytest.mark.parametrize("command", ["status", "overdue", "agencies"])
@pytest.mark.parametrize(("word", "status"), [("в работе", "in_progress"), ("Выполнено", "done"),
                                              ("not started", "not_started")])
def test_status_filter_takes_the_words_the_tables_print(command: str, word: str, status: str) -> None:
    """--status "в работе" (copied from a table, as update --status and apply take it) filters
    as --status in_progress does; a word that is no status is refused with the ids."""
    by_word = run(command, "--status", word, "--format", "json")
    by_id = run(command, "--status", status, "--format", "json")
    assert by_word.exit_code == by_id.exit_code == 0, by_word.stderr
    assert by_word.stdout == by_id.stdout
    refused = run(command, "--status", "в рабте")
    assert refused.exit_code == 2 and "in_progress" in refused.stderr, refused.stderr


@pytest.mark.parametrize("typed", ["RU", "Ru"])
def test_lang_is_read_in_any_case(typed: str) -> None:
    """--lang RU was a usage error while ROADMAP_LANG=RU worked."""
    asked = invoke("--lang", typed, "status", *AS_OF, ROADMAPS, env=ENV)
    told = invoke("status", "--lang", typed, *AS_OF, ROADMAPS, env=ENV)
    russian = invoke("status", "--lang", "ru", *AS_OF, ROADMAPS, env=ENV)
    assert asked.exit_code == told.exit_code == russian.exit_code == 0, (asked.stderr, told.stderr)
    assert asked.stdout == told.stdout == russian.stdout
    assert "Документ" in russian.stdout


@pytest.mark.parametrize(("typed", "example"), [("01.02.26", "01.02.2026"), ("1.2.26", "1.2.2026")])
def test_a_day_with_a_short_year_is_told_to_write_the_year_in_full(typed: str, example: str) -> None:
    ran = invoke("status", "--as-of", typed, ROADMAPS, env=ENV)
    assert ran.exit_code == 2
    assert f"{typed} is not a date: write the year in full, DD.MM.YYYY ({example})" in ran.stderr
