"""Indicators: latest actual as of a date, progress toward the target, trend; the command."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from clirun import Ran, invoke
from hypothesis import given
from hypothesis import strategies as st

from roadmap_cli.cli import cli
from roadmap_cli.indicators import (
    improving,
    indicator_row,
    indicator_rows,
    known_actuals,
    latest_actual,
    pct_of_target,
    trend,
)
from roadmap_cli.load import load_paths
from roadmap_cli.model import Actual, Indicator, Measure, Roadmap, Status
from roadmap_cli.report_detail import measure_detail
from roadmap_cli.schedule import parse_due

D = date.fromisoformat
ROOT = Path(__file__).resolve().parent.parent
ROADMAPS = ROOT / "roadmaps"
ENV = {"COLUMNS": "80", "NO_COLOR": "1", "FORCE_COLOR": None, "TERM": "dumb"}


def ind(*actuals: tuple[str, float], target: float = 100, baseline: float | None = 0) -> Indicator:
    return Indicator(
        id="x",
        title={"en": "Exports", "ru": "Экспорт"},
        target=target,
        baseline=baseline,
        unit="USD million",
        actuals=tuple(Actual(D(d), v) for d, v in actuals),
    )


def doc(indicator: Indicator) -> tuple[Roadmap, Measure]:
    m = Measure(
        id="1.1",
        title="Grow exports",
        owners=("kz-mic",),
        due=parse_due("2027"),
        status=Status.IN_PROGRESS,
        indicators=(indicator,),
    )
    rm = Roadmap(
        id="r",
        kind="roadmap",
        title="R",
        parties=("kz-mic",),
        signed=D("2025-11-05"),
        period_start=D("2026-01-01"),
        period_end=D("2027-12-31"),
        measures=(m,),
    )
    return rm, m


# --- latest actual as of the date -------------------------------------------------------------


def test_actuals_dated_after_as_of_do_not_count() -> None:
    i = ind(("2026-03-31", 10), ("2026-06-30", 20), ("2026-09-30", 30))
    assert latest_actual(i, D("2026-06-29")) == Actual(D("2026-03-31"), 10)
    assert latest_actual(i, D("2026-06-30")) == Actual(D("2026-06-30"), 20)  # on the day: counts
    assert latest_actual(i, D("2026-03-30")) is None


def test_latest_is_by_date_not_by_position_and_last_written_wins_a_tie() -> None:
    i = ind(("2026-09-30", 30), ("2026-03-31", 10), ("2026-09-30", 31))
    assert latest_actual(i, D("2026-12-31")) == Actual(D("2026-09-30"), 31)
    # one figure a date: the corrected one is neither counted nor the previous figure
    assert [(a.date.isoformat(), a.value) for a in known_actuals(i, D("2026-12-31"))] == [
        ("2026-03-31", 10), ("2026-09-30", 31)]


# --- progress toward the target ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "baseline", "expected"),
    [
        (5100, 10000, 4000, 18.3),  # (5100 - 4000) / (10000 - 4000) = 18.33 %
        (160, 800, None, 20.0),  # no baseline: counts as 0
        (160, 800, 0, 20.0),
        (15, 10, 0, 150.0),  # overshoot: not clamped
        (3000, 10000, 4000, -16.7),  # below the baseline: negative, not clamped
        (150, 100, 200, 50.0),  # an indicator that should go down: 200 -> 100
        (90, 100, 200, 110.0),
        (7, 7, 7, None),  # target == baseline: no distance to cover
        (0, 0, None, None),  # target == missing baseline (0)
        (2, 3, 0, 66.7),
        # exact from the numbers as written, a tie to the even digit (as progress): the floats
        # made 53.55 % 53.5 and 49.45 % 49.5
        (53.55, 100, None, 53.6),
        (49.45, 100, 0, 49.4),
        (61.15, 100, None, 61.2),
        (25.6, 36, 100, 116.2),  # 74.4 / 64 = 116.25 %
        (482, 91, 91.64, -60993.8),  # 390.36 / -0.64 = -609.9375: -60993.75 %
    ],
)
def test_pct_of_target(
    value: float, target: float, baseline: float | None, expected: float | None
) -> None:
    assert pct_of_target(value, target, baseline) == expected


def test_a_tiny_step_back_is_0_not_minus_0() -> None:
    """99.99 toward a target of 200 from 100 rounds to 0.0; it was -0.0, shown "-0.0 %"."""
    pct = pct_of_target(99.99, 200, 100)
    assert pct is not None and math.copysign(1, pct) == 1.0


@given(
    baseline=st.integers(-(10**6), 10**6),
    target=st.integers(-(10**6), 10**6),
)
def test_pct_is_0_at_the_baseline_and_100_at_the_target(baseline: int, target: int) -> None:
    if target == baseline:
        assert pct_of_target(target, target, baseline) is None
        return
    assert pct_of_target(baseline, target, baseline) == 0
    assert pct_of_target(target, target, baseline) == 100


@given(
    baseline=st.integers(-1000, 1000),
    target=st.integers(-1000, 1000),
    a=st.integers(-5000, 5000),
    b=st.integers(-5000, 5000),
)
def test_pct_moves_with_the_value_toward_the_target(
    baseline: int, target: int, a: int, b: int
) -> None:
    """Closer to the target (in its direction) never gives a smaller percentage."""
    if target == baseline:
        return
    lo, hi = sorted((a, b))
    p_lo, p_hi = pct_of_target(lo, target, baseline), pct_of_target(hi, target, baseline)
    assert p_lo is not None and p_hi is not None
    if target > baseline:
        assert p_lo <= p_hi
    else:
        assert p_lo >= p_hi


# --- trend ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actuals", "as_of", "expected"),
    [
        ((), "2026-12-31", None),
        ((("2026-03-31", 10),), "2026-12-31", None),
        ((("2026-03-31", 10), ("2026-06-30", 12)), "2026-12-31", "up"),
        ((("2026-03-31", 10), ("2026-06-30", 8)), "2026-12-31", "down"),
        ((("2026-03-31", 10), ("2026-06-30", 10)), "2026-12-31", "flat"),
        # the last two as of the date: the September figure does not exist yet in July
        ((("2026-03-31", 10), ("2026-06-30", 12), ("2026-09-30", 5)), "2026-07-01", "up"),
        ((("2026-03-31", 10), ("2026-06-30", 12), ("2026-09-30", 5)), "2026-10-01", "down"),
        # out of order in the file: the dates decide
        ((("2026-06-30", 12), ("2026-03-31", 10)), "2026-12-31", "up"),
        # two figures of one date: the last written corrects the first, it is no trend (it was
        # 'up' from 10 to 12 on the same day: found by an audit)
        ((("2026-03-01", 10), ("2026-03-01", 12)), "2026-12-31", None),
        ((("2026-01-31", 11), ("2026-03-01", 10), ("2026-03-01", 12)), "2026-12-31", "up"),
        ((("2026-01-31", 13), ("2026-03-01", 14), ("2026-03-01", 12)), "2026-12-31", "down"),
    ],
)
def test_trend(actuals: tuple[tuple[str, float], ...], as_of: str, expected: str | None) -> None:
    assert trend(ind(*actuals), D(as_of)) == expected


def test_improving_follows_the_direction_of_the_target() -> None:
    growing = ind(target=100, baseline=0)
    shrinking = ind(target=100, baseline=200)
    assert improving(growing, "up") is True
    assert improving(growing, "down") is False
    assert improving(shrinking, "down") is True
    assert improving(shrinking, "up") is False
    assert improving(growing, "flat") is None
    assert improving(growing, None) is None
    assert improving(ind(target=5, baseline=5), "up") is None


# --- rows -------------------------------------------------------------------------------------


def test_row_keys_and_values() -> None:
    rm, m = doc(ind(("2026-03-31", 10), ("2026-06-30", 25.5), ("2026-12-31", 99), baseline=None))
    row = indicator_row(rm, m, m.indicators[0], D("2026-07-01"), "ru")
    assert row == {
        "roadmap": "r",
        "measure": "1.1",
        "indicator": "x",
        "title": "Экспорт",
        "unit": "USD million",
        "baseline": None,
        "target": 100,
        "latest": 25.5,
        "latest_date": "2026-06-30",
        "previous": 10,
        "previous_date": "2026-03-31",
        "pct_of_target": 25.5,
        "trend": "up",
        "improving": True,
        "actuals": 2,
        "measure_title": "Grow exports",
    }


def test_row_without_actuals_as_of_the_date() -> None:
    rm, m = doc(ind(("2026-03-31", 10)))
    row = indicator_row(rm, m, m.indicators[0], D("2026-01-01"))
    assert (
        row["latest"],
        row["latest_date"],
        row["pct_of_target"],
        row["trend"],
        row["actuals"],
    ) == (
        None,
        None,
        None,
        None,
        0,
    )


def _yaml_indicators() -> list[dict[str, Any]]:
    """Every indicator of the shipped roadmaps, read straight from the YAML."""
    out = []
    for path in sorted(ROADMAPS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "measures" not in data:
            continue
        for m in data["measures"]:
            for i in m.get("indicators", []):
                out.append({"roadmap": data["id"], "measure": str(m["id"]), **i})
    return out


@pytest.mark.parametrize("as_of", ["2026-01-01", "2026-07-01", "2026-11-22", "2028-12-31"])
def test_shipped_rows_match_a_computation_from_the_yaml(as_of: str) -> None:
    repo = load_paths([str(ROADMAPS)])
    rows = {
        (r["roadmap"], r["measure"], r["indicator"]): r
        for r in indicator_rows(repo.roadmaps, D(as_of))
    }
    expected = _yaml_indicators()
    assert len(expected) >= 3
    assert set(rows) == {(e["roadmap"], e["measure"], e["id"]) for e in expected}
    for e in expected:
        row = rows[(e["roadmap"], e["measure"], e["id"])]
        known = [a for a in e.get("actuals", []) if str(a["date"]) <= as_of]
        known.sort(key=lambda a: str(a["date"]))
        if not known:
            assert row["latest"] is None and row["pct_of_target"] is None
            continue
        latest = known[-1]["value"]
        base = e.get("baseline") or 0
        assert row["latest"] == latest
        assert row["pct_of_target"] == round(100 * (latest - base) / (e["target"] - base), 1)
        if len(known) >= 2:
            prev = known[-2]["value"]
            assert row["trend"] == ("up" if latest > prev else "down" if latest < prev else "flat")


def test_agrees_with_show_details() -> None:
    """`show` (report_detail.measure_detail) and `indicators` give the same latest and percentage."""
    repo = load_paths([str(ROADMAPS)])
    for as_of in (D("2026-07-01"), D("2026-11-22")):
        for rm in repo.roadmaps:
            for m in rm.measures:
                detail = measure_detail(rm, m, as_of, repo.agencies)
                for shown, ours in zip(
                    detail["indicators"],
                    [indicator_row(rm, m, i, as_of) for i in m.indicators],
                    strict=True,
                ):
                    assert shown["latest"] == ours["latest"]
                    assert shown["latest_date"] == ours["latest_date"]
                    assert shown["pct_of_target"] == ours["pct_of_target"]


# --- the command ------------------------------------------------------------------------------


def run(*args: str) -> Ran:
    return invoke(*args, env=ENV)


def test_command_json() -> None:
    result = run("indicators", "--as-of", "2026-11-22", "--format", "json", str(ROADMAPS))
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    tractors = next(r for r in rows if r["indicator"] == "tractors-per-year")
    assert tractors["latest"] == 5100
    assert tractors["pct_of_target"] == 18.3
    assert tractors["trend"] == "up"
    assert len(rows) == len(_yaml_indicators())


def test_command_filters_and_lang() -> None:
    result = run(
        "indicators",
        "--as-of",
        "2026-07-01",
        "--roadmap",
        "kz-by-industrial-cooperation-2026-2028",
        "--lang",
        "ru",
        "--format",
        "json",
        str(ROADMAPS),
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["roadmap"] for r in rows} == {"kz-by-industrial-cooperation-2026-2028"}
    tractors = next(r for r in rows if r["indicator"] == "tractors-per-year")
    assert tractors["title"].startswith("Собрано тракторов")
    assert (tractors["latest"], tractors["pct_of_target"], tractors["trend"]) == (4600, 10.0, None)


def test_command_table_fits_80_columns_with_cyrillic() -> None:
    result = run("indicators", "--as-of", "2026-11-22", "--lang", "ru", str(ROADMAPS))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "\x1b[" not in result.stdout  # NO_COLOR, not a terminal
    text = result.stdout
    assert "kz-by-industrial-cooperation-2026-2028" in text  # a table per document
    assert "4\u202f000 → 10\u202f000" in text and "18,3\u00a0%" in text and "↑" in text
    assert "Собрано тракторов" in text


def test_command_csv_and_markdown() -> None:
    csv_out = run("indicators", "--as-of", "2026-11-22", "--format", "csv", str(ROADMAPS)).stdout
    header = csv_out.splitlines()[0].split(",")
    assert header[:4] == ["roadmap", "measure", "indicator", "title"]
    assert "pct_of_target" in header and "trend" in header
    md = run("indicators", "--as-of", "2026-11-22", "--format", "markdown", str(ROADMAPS)).stdout
    assert md.startswith("| Document | Measure | Indicator |")
    assert "| 18.3% | ↑ up |" in md


def test_command_refuses_unknown_roadmap() -> None:
    result = CliRunner().invoke(cli, ["indicators", "--roadmap", "nope", str(ROADMAPS)], env=ENV)
    assert result.exit_code == 2
    assert "no document with id 'nope'" in result.output


@given(
    value=st.integers(-10**6, 10**6),
    baseline=st.integers(-10**6, 10**6),
    distance=st.sampled_from([-1000, -64, -8, 1, 8, 16, 64, 100, 1000]) | st.integers(-10**6, 10**6),
    places=st.integers(0, 3),
)
def test_pct_of_target_is_exact_from_the_decimals_as_written(
    value: int, baseline: int, distance: int, places: int
) -> None:
    """Numbers with up to three decimals (``53.55``): the percentage of the exact quotient, a tie
    to the even digit, as progress rounds (the floats' error had ties fall either way). Distances
    to the target such as 1.00 or 0.64 make ties common."""
    from fractions import Fraction

    scale = 10**places
    target = baseline + distance * (scale // 10 if places else 1)
    v, t, b = (float(Fraction(x, scale)) if places else x for x in (value, target, baseline))
    if target == baseline:
        assert pct_of_target(v, t, b) is None
        return
    exact = 100 * Fraction(value - baseline, target - baseline)
    assert pct_of_target(v, t, b) == float(round(exact, 1))


def test_every_hundredth_toward_a_target_of_100_keeps_its_digits() -> None:
    """From 0 toward 100, an actual of k/100 is k/100 %: a tie at the second decimal goes to the
    even digit for every k (the floats sent 53.55 down and 49.45 up)."""
    from fractions import Fraction

    for k in range(-20_000, 20_001):
        assert pct_of_target(k / 100, 100, 0) == float(round(Fraction(k, 100), 1)), k
