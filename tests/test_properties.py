"""Properties of the schedule and the reports over random measures (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap_cli import schedule
from roadmap_cli.model import Agency, Measure, Report, Roadmap, Status
from roadmap_cli.report import agency_rows, overdue_rows, status_rows, upcoming_rows
from roadmap_cli.schedule import parse_due

pytestmark = pytest.mark.fuzz

START = date(2026, 1, 1)
END = date(2028, 12, 31)
AGENCY_IDS = ("kz-mic", "by-minprom", "kz-akimat")
AGENCIES = {a: Agency(a, a, a[:2].upper(), "national") for a in AGENCY_IDS}
STATUS_KEYS = ("done", "in_progress", "not_started", "blocked", "cancelled")

days = st.dates(min_value=date(2025, 6, 1), max_value=date(2029, 6, 30))
years = st.integers(min_value=2026, max_value=2028)


@st.composite
def fixed_dues(draw: st.DrawFn) -> str:
    year = draw(years)
    form = draw(st.sampled_from(["date", "month", "quarter", "half", "year"]))
    if form == "date":
        return draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31))).isoformat()
    if form == "month":
        return f"{year}-{draw(st.integers(1, 12)):02d}"
    if form == "quarter":
        return f"{year}-Q{draw(st.integers(1, 4))}"
    if form == "half":
        return f"{year}-H{draw(st.integers(1, 2))}"
    return str(year)


@st.composite
def recurring_dues(draw: st.DrawFn) -> dict[str, Any]:
    raw: dict[str, Any] = {"every": draw(st.sampled_from(["month", "quarter", "half", "year"]))}
    if draw(st.booleans()):
        raw["grace"] = draw(st.integers(0, 60))
    a, b = sorted([draw(years), draw(years)])
    if draw(st.booleans()):
        raw["from"] = f"{a}-H{draw(st.integers(1, 2))}" if draw(st.booleans()) else str(a)
    if draw(st.booleans()):
        raw["until"] = str(b + 1) if "from" in raw else str(b)
    return raw


def _periods(raw: dict[str, Any]) -> list[str]:
    rm = _roadmap(())
    return [o.period.text for o in schedule.occurrences(_measure("x", raw), rm, END)]


def _measure(mid: str, due: Any, **kw: Any) -> Measure:
    return Measure(
        id=mid,
        title=f"M {mid}",
        owners=kw.pop("owners", ("kz-mic",)),
        due=parse_due(due),
        status=kw.pop("status", Status.NOT_STARTED),
        **kw,
    )


@st.composite
def measures(draw: st.DrawFn, mid: str) -> Measure:
    due = draw(st.one_of(fixed_dues(), recurring_dues(), st.just("ongoing")))
    status = draw(st.sampled_from(list(Status)))
    completed = draw(days) if status is Status.DONE else None
    progress = draw(st.none() | st.integers(0, 100)) if status is Status.IN_PROGRESS else None
    reports: tuple[Report, ...] = ()
    if isinstance(due, dict):
        periods = _periods(due)
        if periods:
            chosen = draw(st.lists(st.sampled_from(periods), max_size=len(periods), unique=True))
            reports = tuple(Report(p, draw(st.none() | days)) for p in chosen)
    owners = tuple(draw(st.lists(st.sampled_from(AGENCY_IDS), min_size=1, max_size=2, unique=True)))
    co = tuple(draw(st.lists(st.sampled_from(AGENCY_IDS), max_size=2, unique=True)))
    weight = draw(st.sampled_from([1, 1, 2, 0.5, 3]))
    return _measure(
        mid,
        due,
        status=status,
        owners=owners,
        co_executors=co,
        completed=completed,
        progress=progress,
        reports=reports,
        weight=weight,
        reason="r" if status in (Status.BLOCKED, Status.CANCELLED) else None,
    )


def _roadmap(ms: tuple[Measure, ...], rid: str = "rm") -> Roadmap:
    return Roadmap(
        id=rid,
        kind="roadmap",
        title="Roadmap",
        parties=AGENCY_IDS,
        signed=date(2025, 11, 5),
        period_start=START,
        period_end=END,
        measures=ms,
    )


@st.composite
def roadmaps(draw: st.DrawFn, rid: str = "rm") -> Roadmap:
    n = draw(st.integers(0, 6))
    return _roadmap(tuple(draw(measures(f"{i + 1}")) for i in range(n)), rid)


@given(roadmaps(), days)
def test_overdue_only_for_measures_open_as_of(rm: Roadmap, as_of: date) -> None:
    for item in schedule.overdue_items(rm, as_of):
        status = schedule.status_as_of(item.measure, as_of)
        assert status not in (Status.DONE, Status.CANCELLED)
        assert item.status is status
        assert not item.measure.due.ongoing
        assert item.deadline < as_of
        assert item.days == (as_of - item.deadline).days >= 1


@given(roadmaps(), days, st.integers(0, 120))
def test_due_soon_items_fall_in_the_window(rm: Roadmap, as_of: date, window: int) -> None:
    end = as_of + timedelta(days=window)
    items = schedule.due_soon_items(rm, as_of, end)
    for item in items:
        assert schedule.status_as_of(item.measure, as_of) not in (Status.DONE, Status.CANCELLED)
        assert as_of <= item.deadline <= end
        assert item.days == (item.deadline - as_of).days
    ids = [i.measure.id for i in items]
    assert len(ids) == len(set(ids))  # at most one item per measure


@given(roadmaps(), days)
def test_progress_within_bounds(rm: Roadmap, as_of: date) -> None:
    done, expected = schedule.progress([(m, rm) for m in rm.measures], as_of)
    assert (done is None) == (expected is None)
    if done is not None and expected is not None:
        assert 0 <= done <= 100
        assert 0 <= expected <= 100


@given(roadmaps(), days, days)
def test_expected_never_decreases_with_a_later_as_of(rm: Roadmap, a: date, b: date) -> None:
    early, late = sorted([a, b])
    pairs = [(m, rm) for m in rm.measures]
    _, e1 = schedule.progress(pairs, early)
    _, e2 = schedule.progress(pairs, late)
    if e1 is not None and e2 is not None:
        assert e1 <= e2


@given(roadmaps(), days)
def test_progress_never_decreases_with_a_later_as_of_absent_progress_values(
    rm: Roadmap, as_of: date
) -> None:
    # with no `progress` numbers, fractions only grow: done stays done, reports stay counted
    plain = _roadmap(tuple(replace(m, progress=None) for m in rm.measures))
    pairs = [(m, plain) for m in plain.measures]
    p1, _ = schedule.progress(pairs, as_of)
    p2, _ = schedule.progress(pairs, as_of + timedelta(days=90))
    if p1 is not None and p2 is not None:
        assert p1 <= p2


@given(st.lists(roadmaps(), max_size=3), days, st.integers(0, 90))
def test_status_counts_add_up(rms: list[Roadmap], as_of: date, window: int) -> None:
    rms = [_roadmap(r.measures, f"rm-{i}") for i, r in enumerate(rms)]
    end = as_of + timedelta(days=window)
    rows = status_rows(rms, as_of, end, "en")
    assert len(rows) == len(rms)
    for row, rm in zip(rows, rms, strict=True):
        assert row["measures"] == len(rm.measures)
        assert sum(row[k] for k in STATUS_KEYS) == row["measures"]
        assert row["overdue"] == len(schedule.overdue_items(rm, as_of))
        assert row["health"] in {"n/a", "complete", "behind", "overdue", "not started", "on track"}
    assert sum(r["overdue"] for r in rows) == len(overdue_rows(rms, as_of, "en"))
    assert sum(r["due_soon"] for r in rows) == len(upcoming_rows(rms, as_of, end, "en"))


@given(st.lists(roadmaps(), max_size=3), days, st.integers(0, 90))
def test_agency_counts_add_up_to_lead(rms: list[Roadmap], as_of: date, window: int) -> None:
    rms = [_roadmap(r.measures, f"rm-{i}") for i, r in enumerate(rms)]
    rows = agency_rows(rms, AGENCIES, as_of, as_of + timedelta(days=window), "en")
    all_measures = [m for rm in rms for m in rm.measures]
    for row in rows:
        assert sum(row[k] for k in STATUS_KEYS) == row["lead"]
        assert row["lead"] == sum(row["agency"] in m.owners for m in all_measures)
        assert row["co_executor"] == sum(row["agency"] in m.co_executors for m in all_measures)
        assert row["lead"] + row["co_executor"] > 0
    # every lead measure's overdue items are counted once per owner
    assert sum(r["overdue"] for r in rows) == sum(
        len(schedule.measure_overdue(m, rm, as_of)) * len(m.owners)
        for rm in rms
        for m in rm.measures
    )
    overdue = [r["overdue"] for r in rows]
    assert overdue == sorted(overdue, reverse=True)


@given(recurring_dues(), days)
def test_recurring_deadline_is_the_last_occurrence(raw: dict[str, Any], as_of: date) -> None:
    rm = _roadmap(())
    m = _measure("x", raw)
    occs = schedule.occurrences(m, rm, as_of)
    assert occs, "from <= until always gives at least one occurrence"
    assert schedule.deadline(m, rm) == occs[-1].deadline
    deadlines = [o.deadline for o in occs]
    assert deadlines == sorted(deadlines)
    assert len(set(deadlines)) == len(deadlines)
    for a, b in pairwise(occs):
        assert b.period.start == a.period.end + timedelta(days=1)  # contiguous, no gaps


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_period_text_round_trips(d: date) -> None:
    for every in ("date", "month", "quarter", "half", "year"):
        p = schedule.period_containing(d, every)
        assert p.start <= d <= p.end
        assert schedule.parse_period(p.text) == p
