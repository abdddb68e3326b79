"""The report commands end to end: exact output against golden files, exit codes, JSON keys.

Golden files live in tests/golden/reports/. After an intended change of output, regenerate
them with ``UPDATE_GOLDEN=1 python -m pytest tests/test_report_commands.py`` and review the diff.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from clirun import Ran, invoke
from goldens import check

from roadmap_cli.cli import main

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "reports"
DATA = "data/reports"  # relative to tests/, so that file names in the output are stable
AS_OF = ["--as-of", "2026-07-01"]
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "FORCE_COLOR": None, "TERM": "dumb"}


@pytest.fixture(autouse=True)
def _in_tests_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE)


def run(*args: str) -> Ran:
    return invoke(*args, env=ENV)


def check_golden(name: str, text: str) -> None:
    check(GOLDEN / name, text)


GOLDEN_CASES = [
    ("status.txt", ["status", *AS_OF, DATA]),
    ("status.md", ["status", *AS_OF, "--format", "markdown", DATA]),
    ("status.csv", ["status", *AS_OF, "--format", "csv", DATA]),
    ("status.json", ["status", *AS_OF, "--format", "json", DATA]),
    (
        "status-ru-kz-mic.json",
        ["status", *AS_OF, "--lang", "ru", "--agency", "kz-mic", "--format", "json", DATA],
    ),
    ("status-2026-q1.txt", ["status", "--as-of", "2026-Q1", "--within", "2w", DATA]),
    ("overdue.txt", ["overdue", *AS_OF, DATA]),
    ("overdue.json", ["overdue", *AS_OF, "--format", "json", DATA]),
    ("overdue.md", ["overdue", "--as-of", "2026-11-01", "--format", "markdown", DATA]),
    ("overdue-none.txt", ["overdue", "--as-of", "2026-01-01", DATA]),
    ("upcoming.txt", ["upcoming", *AS_OF, DATA]),
    ("upcoming.json", ["upcoming", *AS_OF, "--format", "json", DATA]),
    ("upcoming-3m.csv", ["upcoming", *AS_OF, "--within", "3m", "--format", "csv", DATA]),
    ("agencies.txt", ["agencies", *AS_OF, DATA]),
    ("agencies.json", ["agencies", *AS_OF, "--format", "json", DATA]),
    ("agencies-kz.md", ["agencies", *AS_OF, "--country", "kz", "--format", "markdown", DATA]),
    ("show-roadmap.txt", ["show", "test-cooperation-2026-2027", *AS_OF, DATA]),
    (
        "show-roadmap.md",
        ["show", "test-cooperation-2026-2027", *AS_OF, "--format", "markdown", DATA],
    ),
    ("show-measure-recurring.txt", ["show", "test-cooperation-2026-2027/2.1", *AS_OF, DATA]),
    ("show-measure-done-later.txt", ["show", "test-cooperation-2026-2027/3.1", *AS_OF, DATA]),
    ("show-measure-blocked.txt", ["show", "test-cooperation-2026-2027/1.9", *AS_OF, DATA]),
    ("show-measure-indicators.txt", ["show", "test-cooperation-2026-2027/1.2", *AS_OF, DATA]),
    (
        "show-measure.md",
        ["show", "test-cooperation-2026-2027/4.1", *AS_OF, "--format", "markdown", DATA],
    ),
    (
        "show-measure.json",
        ["show", "test-cooperation-2026-2027/3.1", *AS_OF, "--format", "json", DATA],
    ),
]


@pytest.mark.parametrize(("name", "args"), GOLDEN_CASES, ids=[c[0] for c in GOLDEN_CASES])
def test_golden(name: str, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.output
    check_golden(name, result.stdout)


# --------------------------------------------------------------------------------------------
# The JSON contract, asserted directly (the golden files pin the rest)


def _json(*args: str) -> Any:
    result = run(*args, "--format", "json", DATA)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_status_json_contract() -> None:
    rows = _json("status", *AS_OF)
    keys = [
        "roadmap",
        "title",
        "measures",
        "done",
        "in_progress",
        "not_started",
        "blocked",
        "cancelled",
        "overdue",
        "due_soon",
        "progress_pct",
        "expected_pct",
    ]
    assert [list(r)[: len(keys)] for r in rows] == [keys, keys]
    coop = next(r for r in rows if r["roadmap"] == "test-cooperation-2026-2027")
    assert (coop["measures"], coop["overdue"], coop["due_soon"]) == (9, 3, 2)
    assert (coop["progress_pct"], coop["expected_pct"]) == (21.9, 65.6)


def test_overdue_json_contract() -> None:
    rows = _json("overdue", *AS_OF)
    assert [(r["measure"], r["days_overdue"]) for r in rows] == [
        ("1.2", 31),
        ("1.9", 1),
        ("1.10", 1),
    ]
    assert list(rows[0]) == [
        "roadmap",
        "measure",
        "title",
        "owners",
        "due",
        "deadline",
        "days_overdue",
        "status",
        "period",
        "signed_deadline",
        "rescheduled_by",
    ]


def test_upcoming_within_a_period_runs_to_its_last_day() -> None:
    """--within 2026-09 (what falls due by the end of that month) is the window from the as-of
    date to 2026-09-30: the same rows as the days that make it; a day before the as-of date is
    a usage error."""
    days = (date(2026, 9, 30) - date.fromisoformat(AS_OF[1])).days
    rows = _json("upcoming", *AS_OF, "--within", "2026-09")
    assert rows and rows == _json("upcoming", *AS_OF, "--within", str(days))
    assert rows != _json("upcoming", *AS_OF, "--within", str(days - 1))  # (a row on 30.09)
    assert _json("upcoming", *AS_OF, "--within", "30.09.2026") == rows
    result = run("upcoming", *AS_OF, "--within", "2026-06", DATA)
    assert result.exit_code == 2 and "is before the as-of date" in result.output


def test_upcoming_within_next_month_runs_to_its_end_whatever_the_day() -> None:
    """--within next-month is --within of the month after the as-of date's: a command saved
    once answers "what falls due by the end of next month" every month."""
    assert AS_OF[1] == "2026-07-01"
    rows = _json("upcoming", *AS_OF, "--within", "next-month")
    assert rows and rows == _json("upcoming", *AS_OF, "--within", "2026-08")
    assert _json("upcoming", *AS_OF, "--within", "next-quarter") == _json("upcoming", *AS_OF, "--within", "2026-Q4")
    assert _json("upcoming", "--as-of", "2026-09-10", "--within", "next-month") == _json(
        "upcoming", "--as-of", "2026-09-10", "--within", "2026-10")
    result = run("upcoming", *AS_OF, "--within", "next-week", DATA)
    assert result.exit_code == 2 and "next-month, next-quarter" in result.output


def test_upcoming_json_contract() -> None:
    rows = _json("upcoming", *AS_OF, "--within", "14d")
    assert [(r["roadmap"], r["measure"], r["days_left"], r["period"]) for r in rows] == [
        ("test-city-memorandum-2026", "1", 9, None),
        ("test-cooperation-2026-2027", "2.1", 14, "2026-Q2"),
        ("test-cooperation-2026-2027", "4.1", 14, None),
    ]
    assert rows[1]["due"] == {
        "every": "quarter",
        "from": "2026-Q1",
        "until": "2026-Q4",
        "grace": 15,
    }


def test_agencies_json_contract() -> None:
    rows = _json("agencies", *AS_OF)
    assert [r["agency"] for r in rows] == ["by-minprom", "kz-mic", "kz-akimat", "kz-export-agency"]
    for row in rows:
        counts = ("done", "in_progress", "not_started", "blocked", "cancelled")
        assert sum(row[k] for k in counts) == row["lead"]
    mic = rows[1]
    assert (mic["lead"], mic["co_executor"], mic["overdue"], mic["due_soon"]) == (6, 2, 1, 2)


def test_agencies_filter_keeps_only_that_agency() -> None:
    rows = _json("agencies", *AS_OF, "--agency", "by-minprom")
    assert [r["agency"] for r in rows] == ["by-minprom"]
    assert rows[0]["name"] == "Министерство промышленности Республики Беларусь"


def test_show_roadmap_json() -> None:
    doc = _json("show", "test-city-memorandum-2026", *AS_OF)
    assert doc["summary"]["health"] == "not started"
    assert [m["measure"] for m in doc["measures"]] == ["1", "2"]


# --------------------------------------------------------------------------------------------
# Exit codes and messages


def test_overdue_fail_on_any() -> None:
    assert run("overdue", *AS_OF, "--fail-on-any", DATA).exit_code == 1
    assert run("overdue", "--as-of", "2026-01-01", "--fail-on-any", DATA).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["status", "--as-of", "2026-02-30"],
            "2026-02-30 is not a date: February 2026 has 28 days",
        ),
        (["overdue", "--as-of", "2026-Q5"], "2026-Q5 is not a quarter: quarters are Q1 to Q4"),
        (["upcoming", "--within", "2 weeks"], "'2 weeks' is not a window"),
        (["status", "--roadmap", "nope"], "no document with id 'nope'"),
        (["agencies", "--agency", "kz-nope"], "no agency with id, name or short name 'kz-nope'"),
        (["show", "test-cooperatoin-2026-2027"], "did you mean 'test-cooperation-2026-2027'?"),
        (["show", "test-cooperation-2026-2027/1.11"], "has no measure '1.11'; did you mean '1.1' or '1.10'?"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = run(*args, DATA)
    assert result.exit_code == 2
    assert message in result.output


def test_reports_refuse_invalid_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for f in (HERE / DATA).iterdir():
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "test-city-memorandum-2026.yaml"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("2026-07-10", "2026-02-30"), encoding="utf-8"
    )
    with pytest.raises(SystemExit) as e:
        main(["status", "--as-of", "2026-07-01", str(tmp_path)])
    assert e.value.code == 1
    err = capsys.readouterr().err
    assert "2026-02-30 is not a date: February 2026 has 28 days" in err
    assert "refusing to report on invalid data" in err


def test_as_of_typed_as_the_russian_tables_show_a_day() -> None:
    """--as-of 31.03.2026 (how the tables show dates in Russian) is 2026-03-31; it was refused."""
    iso = run("status", "--as-of", "2026-03-31", "--format", "json", DATA)
    dotted = run("status", "--as-of", "31.03.2026", "--format", "json", DATA)
    assert iso.exit_code == dotted.exit_code == 0
    assert dotted.stdout == iso.stdout and json.loads(iso.stdout)
    wrong = run("status", "--as-of", "31.02.2026")
    assert wrong.exit_code == 2 and "31.02.2026 is not a date: February 2026 has 28 days" in wrong.stderr


def test_report_agency_tables_keep_the_agency_asked_for() -> None:
    """report --agency listed every agency of each document in its agency table (the measures
    they share with the one asked for); `agencies --agency` keeps that agency's row alone, and
    so does the report now (found by an audit)."""
    shipped = str(HERE.parent / "roadmaps")
    ran = run("report", "--format", "markdown", "--agency", "kz-mic", "--as-of", "2026-11-22",
              "-o", "-", shipped)
    assert ran.exit_code == 0, ran.stderr
    tables = [part.split("\n\n")[1] for part in ran.stdout.split("### Agencies")[1:]]
    assert tables
    for table in tables:
        rows = [line for line in table.splitlines() if line.startswith("| ") and "`" in line]
        assert rows and all("(`kz-mic`)" in row for row in rows), table



@pytest.mark.parametrize("typed", ["KZ-MIC", "МПС РК", "Ministry of Industry and Construction"])
def test_report_agency_tables_keep_the_agency_asked_for_by_name(typed: str) -> None:
    """--agency by name or in another case chose the measures but not the agency tables' row:
    the tables were kept to rows of an agency whose id is what was typed, so they were empty."""
    shipped = str(HERE.parent / "roadmaps")
    by_id = run("report", "--format", "markdown", "--agency", "kz-mic", "--as-of", "2026-11-22", "-o", "-", shipped)
    ran = run("report", "--format", "markdown", "--agency", typed, "--as-of", "2026-11-22", "-o", "-", shipped)
    assert ran.exit_code == 0, ran.stderr
    assert "(`kz-mic`)" in ran.stdout
    assert ran.stdout == by_id.stdout
