"""Golden outputs of every report command on the shipped roadmaps at a fixed as-of date, as a
user sees them: the installed module run in a subprocess, 80 columns, no colour; table and JSON.

Regenerate after an intended change with UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import clirun
import pytest
from goldens import check

GOLDEN = Path(__file__).parent / "golden" / "shipped"
AS_OF = "2026-11-22"

CASES = {
    "status": ["status"],
    "status-ru": ["status", "--lang", "ru"],
    "status-q2": ["status", "--as-of", "2026-Q2"],
    "overdue": ["overdue"],
    "upcoming": ["upcoming"],
    "upcoming-3m": ["upcoming", "--within", "3m"],
    "agencies": ["agencies"],
    "agencies-by": ["agencies", "--country", "BY"],
    "show-roadmap": ["show", "astana-minsk-2026-2028"],
    "show-measure-recurring": ["show", "kz-by-industrial-cooperation-2026-2028/1.4"],
    "show-measure-indicator": ["show", "kz-by-industrial-cooperation-2026-2028/3.2", "--lang", "ru"],
    "indicators": ["indicators"],
}


def _check(name: str, text: str) -> None:
    check(GOLDEN / name, text)


def _args(args: list[str]) -> list[str]:
    return args if "--as-of" in args else [*args, "--as-of", AS_OF]


@pytest.mark.parametrize("name", sorted(CASES))
def test_table(name: str) -> None:
    proc = clirun.run_roadmap(_args(CASES[name]))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    _check(f"{name}.txt", clirun.screen(proc.stdout))


@pytest.mark.parametrize("name", sorted(CASES))
def test_json(name: str) -> None:
    proc = clirun.run_roadmap([*_args(CASES[name]), "--format", "json"])
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)  # valid JSON, whatever else
    _check(f"{name}.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")


#: every report command at 60 and 120 columns too (80 is above), read by a person: no figure,
#: date or id cut; a column that does not fit is named under its table
WIDTH_CASES = {
    "status": ["status"],
    "overdue": ["overdue"],
    "upcoming-3m": ["upcoming", "--within", "3m"],
    "agencies": ["agencies"],
    "show-roadmap": ["show", "astana-minsk-2026-2028"],
    "show-measure-recurring": ["show", "kz-by-industrial-cooperation-2026-2028/1.4"],
    "indicators": ["indicators"],
    "status-ru": ["status", "--lang", "ru"],
    "upcoming-ru": ["upcoming", "--within", "3m", "--lang", "ru"],
    "show-roadmap-ru": ["show", "astana-minsk-2026-2028", "--lang", "ru"],
}


@pytest.mark.slow
@pytest.mark.parametrize("width", [60, 120])
@pytest.mark.parametrize("name", sorted(WIDTH_CASES))
def test_table_at_width(name: str, width: int) -> None:
    proc = clirun.run_roadmap(_args(WIDTH_CASES[name]), columns=width)
    assert proc.returncode == 0, proc.stderr
    assert all(len(line) <= width and line == line.rstrip() for line in proc.stdout.splitlines())
    _check(f"width-{width}/{name}.txt", proc.stdout)


def test_validate_shipped_is_clean() -> None:
    proc = clirun.run_roadmap(["validate", "--strict"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("no problems.")


def test_status_json_matches_contract_on_shipped_data() -> None:
    """The status keys of the contract, and counts that add up, on the real documents."""
    proc = clirun.run_roadmap(["status", "--format", "json", "--as-of", AS_OF])
    rows = json.loads(proc.stdout)
    keys = {"roadmap", "title", "measures", "done", "in_progress", "not_started", "blocked",
            "cancelled", "overdue", "due_soon", "progress_pct", "expected_pct"}
    assert {r["roadmap"] for r in rows} == {
        "kz-by-industrial-cooperation-2026-2028",
        "astana-minsk-2026-2028",
        "almaty-region-vitebsk-memorandum-2025",
    }
    for r in rows:
        assert keys <= set(r)
        assert r["done"] + r["in_progress"] + r["not_started"] + r["blocked"] + r["cancelled"] == r["measures"]


def test_overdue_items_agree_with_overdue_counts() -> None:
    status = json.loads(clirun.run_roadmap(["status", "--format", "json", "--as-of", AS_OF]).stdout)
    overdue = json.loads(clirun.run_roadmap(["overdue", "--format", "json", "--as-of", AS_OF]).stdout)
    for r in status:
        assert r["overdue"] == sum(1 for o in overdue if o["roadmap"] == r["roadmap"])
    days = [o["days_overdue"] for o in overdue]
    assert days == sorted(days, reverse=True)
    assert all(d > 0 for d in days)
