"""The fast as-of computation (:mod:`roadmap_cli.tally`) gives the answers of the definitions.

``tally.answers`` reads each measure's shape (a fixed due: one comparison; a recurring one: a
binary search over its deadlines and the days its occurrences become reported) and the rare
shapes go through the definitions; ``asof_items.overdue_items`` / ``due_soon_items`` list items the
same way; rows are summed from counted answers with integer percentages. These properties
check every path against :mod:`roadmap_cli.schedule` (the definitions) on documents with every
due form, amendments, anchors, reports out of the span, of another kind, invalid, repeated or
dated later, weights written as decimals, and the same measure objects asked about many dates
in one process (the per-run memo of a recurring measure's schedule).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_exact_progress import fraction_progress

from roadmap_cli import asof_items, report, schedule, tally
from roadmap_cli.model import (
    Agency,
    Amendment,
    Event,
    Measure,
    Report,
    Rescheduling,
    Roadmap,
    Status,
)
from roadmap_cli.schedule import parse_due

pytestmark = pytest.mark.fuzz

days = st.dates(min_value=date(2025, 6, 1), max_value=date(2029, 6, 30))
AGENCY_IDS = ("kz-mic", "by-minprom", "kz-akimat")
AGENCIES = {a: Agency(a, a, a[:2].upper(), "national") for a in AGENCY_IDS[:2]}
FIXED = ["2026-03", "2026-Q2", "2026-09-15", "2027-H1", "2027", "2028-Q4", "2026-01-01"]
PERIOD_TEXTS = ["2026-Q1", "2026-Q3", "2026-01", "2026-07", "2026-H1", "2027-H2", "2026", "2027",
                "2029", "2025-Q4", "2026-Q5", "nonsense", "2026-03-31", "2028-12"]


@st.composite
def dues(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from(["fixed", "fixed", "recurring", "recurring", "ongoing",
                                 "on_request", "after"]))
    if kind == "fixed":
        return draw(st.sampled_from(FIXED))
    if kind in ("ongoing", "on_request"):
        return kind
    if kind == "after":
        return {"after": draw(st.sampled_from(["eif", "later", "1", "2", "none"])),
                "within": draw(st.sampled_from(["0d", "30d", "2w", "6m", "1y"]))}
    raw: dict[str, Any] = {"every": draw(st.sampled_from(["month", "quarter", "half", "year"]))}
    if draw(st.booleans()):
        raw["grace"] = draw(st.integers(0, 60))
    if draw(st.booleans()):
        raw["from"] = draw(st.sampled_from(["2026-H2", "2027", "2026-Q3", "2028"]))
    if draw(st.booleans()):
        raw["until"] = draw(st.sampled_from(["2026", "2027-H1", "2028", "2027-Q2"]))
    try:
        parse_due(raw)
    except ValueError:  # runs backwards: refused by validation
        del raw["until"]
    return raw


@st.composite
def measures(draw: st.DrawFn, mid: str) -> Measure:
    status = draw(st.sampled_from(list(Status)))
    completed = draw(st.none() | days) if status is Status.DONE else None
    progress = draw(st.none() | st.integers(0, 100)) if status is Status.IN_PROGRESS else None
    reports = tuple(
        Report(draw(st.sampled_from(PERIOD_TEXTS)), draw(st.none() | days))
        for _i in range(draw(st.integers(0, 4)))
    )
    rescheduled = tuple(
        Rescheduling(parse_due(draw(dues())), draw(st.sampled_from(["p1", "p2", "gone"])))
        for _i in range(draw(st.sampled_from([0, 0, 0, 1, 2])))
    )
    return Measure(
        id=mid,
        title=f"M {mid}",
        owners=tuple(draw(st.lists(st.sampled_from(AGENCY_IDS), min_size=1, max_size=3))),
        co_executors=tuple(draw(st.lists(st.sampled_from(AGENCY_IDS), max_size=3))),
        due=parse_due(draw(dues())),
        status=status,
        completed=completed,
        progress=progress,
        reports=reports,
        rescheduled=rescheduled,
        weight=draw(st.sampled_from([1, 1, 2, 0.5, 0.1, 0.3, 1.25, 0, True])),
    )


@st.composite
def documents(draw: st.DrawFn, rid: str = "rm") -> Roadmap:
    n = draw(st.integers(0, 10))
    event = draw(st.none() | days)
    return Roadmap(
        id=rid,
        kind="roadmap",
        title="Roadmap",
        parties=AGENCY_IDS,
        signed=date(2025, 11, 5),
        period_start=date(2026, 1, 1),
        period_end=draw(st.sampled_from([date(2028, 12, 31), date(2027, 6, 30)])),
        measures=tuple(draw(measures(str(i + 1))) for i in range(n)),
        events=(Event("eif", "eif", event), Event("later", "later", None)),
        amendments=(Amendment("p1", draw(days)), Amendment("p2", draw(days))),
    )


def _window(as_of: date, n: int) -> date:
    return as_of + timedelta(days=n)


def _edges(rm: Roadmap) -> list[date]:
    """The days where answers change: deadlines, report dates, completions, amendments and
    events, and the days either side."""
    out: set[date] = set()
    for m in rm.measures:
        for due in (m.due, *(r.due for r in m.rescheduled)):
            out.update(schedule._deadlines(due, rm))
            if due.period is not None:
                out.add(due.period.end)
        out.update(r.date for r in m.reports if r.date is not None)
        if m.completed is not None:
            out.add(m.completed)
    out.update(a.date for a in rm.amendments)
    out.update(e.date for e in rm.events if e.date is not None)
    return sorted(d + timedelta(days=k) for d in out for k in (-1, 0, 1))


def question(
    rms: list[Roadmap], as_of: date, window: int, data: st.DataObject
) -> tuple[list[Roadmap], date, date]:
    """Documents with ids of their own, an as-of date (often one where answers change) and the
    end of its due-soon window."""
    rms = [replace(rm, id=f"rm{i}") for i, rm in enumerate(rms)]
    edges = [d for rm in rms for d in _edges(rm)]
    if edges and data.draw(st.booleans()):
        as_of = data.draw(st.sampled_from(edges))
    return rms, as_of, _window(as_of, window)


@settings(max_examples=150, deadline=None)
@given(documents(), st.lists(days, min_size=1, max_size=3), st.integers(0, 400), st.data())
def test_answers_equal_the_definitions(
    rm: Roadmap, dates: list[date], window: int, data: st.DataObject
) -> None:
    edges = _edges(rm)
    if edges:
        dates = dates + data.draw(st.lists(st.sampled_from(edges), min_size=1, max_size=3))
    for as_of in dates:  # the same measures asked about several dates (the per-run memo)
        end = _window(as_of, window)
        got = tally.answers(rm.measures, rm, as_of, end)
        assert len(got) == len(rm.measures)
        for m, (status, overdue, soon, done, expected, of, weight, complete) in zip(
                rm.measures, got, strict=True):
            assert status is schedule.status_as_of(m, as_of)
            assert overdue == len(schedule.measure_overdue(m, rm, as_of))
            assert soon == len(schedule.measure_due_soon(m, rm, as_of, end))
            fraction = schedule._exact_fraction(m, rm, as_of)
            if fraction is None:
                assert done is None
                continue
            assert done is not None and of > 0
            assert fraction == type(fraction)(done, of)
            assert complete is schedule.measure_complete(m, rm, as_of)
            exact_expected = schedule._exact_expected(m, rm, as_of)
            if exact_expected is None:
                assert expected is None
            else:
                assert expected is not None and exact_expected == type(exact_expected)(expected, of)
            assert weight == m.weight
        pairs = [(m, rm) for m in rm.measures]
        assert (tally.progress(pairs, as_of)) == fraction_progress(pairs, as_of)
        for m in rm.measures:
            assert tally.measure_progress(m, rm, as_of) == fraction_progress([(m, rm)], as_of)


@settings(max_examples=150, deadline=None)
@given(st.lists(documents(), max_size=3), days, st.integers(0, 400), st.data())
def test_items_equal_the_definitions(
    rms: list[Roadmap], as_of: date, window: int, data: st.DataObject
) -> None:
    rms, as_of, end = question(rms, as_of, window, data)
    assert asof_items.overdue_items(rms, as_of) == [
        i for rm in rms for i in schedule.overdue_items(rm, as_of)
    ]
    assert asof_items.due_soon_items(rms, as_of, end) == [
        i for rm in rms for i in schedule.due_soon_items(rm, as_of, end)
    ]


def _agency_rows_by_definition(
    rms: list[Roadmap], as_of: date, end: date
) -> dict[str, dict[str, Any]]:
    """Agency rows as the contract says, measure by measure from the definitions."""
    out: dict[str, dict[str, Any]] = {}
    led: dict[str, list[tuple[Measure, Roadmap]]] = {}
    co: dict[str, int] = {}
    for rm in rms:
        for m in rm.measures:
            for a in dict.fromkeys(m.owners):
                led.setdefault(a, []).append((m, rm))
            for a in dict.fromkeys(m.co_executors):
                co[a] = co.get(a, 0) + 1
    for a in {*led, *co}:
        pairs = led.get(a, [])
        statuses = [schedule.status_as_of(m, as_of) for m, _rm in pairs]
        out[a] = {
            "lead": len(pairs),
            "co_executor": co.get(a, 0),
            **{s.value: statuses.count(s) for s in Status},
            "overdue": sum(len(schedule.measure_overdue(m, rm, as_of)) for m, rm in pairs),
            "due_soon": sum(len(schedule.measure_due_soon(m, rm, as_of, end)) for m, rm in pairs),
            "progress_pct": fraction_progress(pairs, as_of)[0],
            "expected_pct": fraction_progress(pairs, as_of)[1],
        }
    return out


@settings(max_examples=100, deadline=None)
@given(st.lists(documents(), max_size=3), days, st.integers(0, 400), st.data())
def test_status_and_agency_rows_equal_the_definitions(
    rms: list[Roadmap], as_of: date, window: int, data: st.DataObject
) -> None:
    rms, as_of, end = question(rms, as_of, window, data)
    for row, rm in zip(report.status_rows(rms, as_of, end), rms, strict=True):
        pairs = [(m, rm) for m in rm.measures]
        t = tally.tally(pairs, as_of, end)
        assert row["overdue"] == sum(len(schedule.measure_overdue(m, rm, as_of)) for m in rm.measures)
        assert (row["progress_pct"], row["expected_pct"]) == fraction_progress(pairs, as_of)
        assert t.complete == (
            bool(counted := [m for m in rm.measures
                             if schedule._exact_fraction(m, rm, as_of) is not None
                             and schedule._weight(m) > 0])
            and all(schedule.measure_complete(m, rm, as_of) for m in counted)
        )
    expected = _agency_rows_by_definition(rms, as_of, end)
    rows = report.agency_rows(rms, AGENCIES, as_of, end)
    assert {r["agency"] for r in rows} == set(expected)
    for r in rows:
        assert {k: r[k] for k in expected[r["agency"]]} == expected[r["agency"]]
    assert [(-r["overdue"], r["agency"]) for r in rows] == sorted(
        (-r["overdue"], r["agency"]) for r in rows
    )


@given(st.integers(-10**6, 10**6), st.integers(1, 10**6), st.integers(1, 10**4), st.integers(1, 10**3))
def test_integer_percent_rounds_as_the_fraction(n: int, d: int, wn: int, wd: int) -> None:
    from fractions import Fraction

    assert tally._pct((n, d), wn, wd) == schedule._pct(Fraction(n, d), Fraction(wn, wd))


@settings(max_examples=150, deadline=None)
@given(documents(), days, st.data())
def test_the_export_rows_from_a_documents_answers_are_the_measures_own(
    rm: Roadmap, as_of: date, data: st.DataObject
) -> None:
    """``export``'s measure list works out a document's measures in one call
    (``tally.answers``) and lists a measure's overdue items only where those answers count
    some: the same flat details as each measure worked out alone."""
    from roadmap_cli.report_detail import measure_core

    edges = _edges(rm)
    if edges and data.draw(st.booleans()):
        as_of = data.draw(st.sampled_from(edges))
    ones = tally.answers(rm.measures, rm, as_of, as_of)  # as measure_list.iter_measure_cells
    for m, one in zip(rm.measures, ones, strict=True):
        assert measure_core(rm, m, as_of, "ru", one) == measure_core(rm, m, as_of, "ru")


@settings(max_examples=150, deadline=None)
@given(documents(), days, st.data())
def test_a_measures_dates_worked_out_once_are_the_definitions(
    rm: Roadmap, as_of: date, data: st.DataObject
) -> None:
    """A measure's due in force and its deadline are worked out once, and its overdue items, next
    deadline, lateness and anchor read from them (``schedule.measure_items``, which
    ``measure_overdue`` and ``measure_due_soon`` are, ``completed_late``, ``waiting_keys`` given
    the due): each as the definitions say it, from the measure's occurrences
    (``schedule.occurrences``) or its one deadline (``schedule.deadline``)."""
    from roadmap_cli import anchors, report_signed
    from roadmap_cli.schedule import Item

    edges = _edges(rm)
    if edges and data.draw(st.booleans()):
        as_of = data.draw(st.sampled_from(edges))
    for m in rm.measures:
        status = schedule.status_as_of(m, as_of)
        due = anchors.due_in_force(m, rm, as_of)
        end = schedule.due_deadline(due, rm, as_of)
        assert end == schedule.deadline(m, rm, as_of)
        # the definitions: every open deadline before the day is overdue, the first on or after
        # it is the next one; none for a measure closed or without a deadline
        if status in schedule.CLOSED or due.open_ended:
            dates: list[tuple[date, str | None]] = []
        elif due.recurring:
            dates = [(o.deadline, o.period.text) for o in schedule.occurrences(m, rm, as_of)
                     if not o.reported]
        else:
            dates = [] if end is None else [(end, None)]
        later = [(d, p) for d, p in dates if d >= as_of]
        expected = (
            [Item(rm, m, d, p, (as_of - d).days, status) for d, p in dates if d < as_of],
            Item(rm, m, later[0][0], later[0][1], (later[0][0] - as_of).days, status)
            if later else None,
        )
        assert schedule.measure_items(m, rm, as_of, status, due, end) == expected
        assert schedule.measure_overdue(m, rm, as_of) == expected[0]
        window = as_of + timedelta(days=data.draw(st.integers(0, 400)))
        assert schedule.measure_due_soon(m, rm, as_of, window) == [
            i for i in expected[1:] if i is not None and i.deadline <= window]
        assert schedule.completed_late(m, end, as_of) is schedule.done_late(m, rm, as_of)
        assert report_signed.waiting_keys(m, rm, as_of, "ru", due) == report_signed.waiting_keys(
            m, rm, as_of, "ru"
        )
        iso = None if end is None else end.isoformat()
        assert report_signed.measure_signed_keys(m, rm, as_of, iso) == report_signed.signed_keys(
            m, rm, as_of
        )


@settings(max_examples=100, deadline=None)
@given(documents(), days)
def test_a_measures_answers_from_the_digest_are_its_own(rm: Roadmap, as_of: date) -> None:
    """``export``'s measure list reads each measure's answers from its row of the document's
    digest (``Digest.order``): the answers of the measures worked out in order."""
    d = tally.digest_of(rm)
    answers = tally.digest_answers(d, rm, as_of, as_of)
    assert [answers[k] for k in d.order] == tally.answers(rm.measures, rm, as_of, as_of)


@settings(max_examples=100, deadline=None)
@given(documents(), days, st.data())
def test_the_flat_list_of_measures_says_what_show_says(
    rm: Roadmap, as_of: date, data: st.DataObject
) -> None:
    """``export``'s measure list builds its rows from each measure's facts, as ``show`` does its
    details: every key the two share has the same value (the overdue items as their number)."""
    from roadmap_cli.measure_list import measure_rows
    from roadmap_cli.report_detail import measure_detail

    edges = _edges(rm)
    if edges and data.draw(st.booleans()):
        as_of = data.draw(st.sampled_from(edges))
    rows = measure_rows([rm], AGENCIES, as_of, "ru")
    assert [r["measure"] for r in rows] == [m.id for m in rm.measures]
    for row, m in zip(rows, rm.measures, strict=True):
        detail = measure_detail(rm, m, as_of, AGENCIES, "ru")
        shared = set(row) & set(detail) - {"overdue", "due", "depends_on", "indicators"}
        assert len(shared) == 23  # all but the due as text, the file and its title
        assert {k: row[k] for k in shared} == {k: detail[k] for k in shared}
        assert row["overdue"] == len(detail["overdue"])
        assert row["depends_on"] == [d["measure"] for d in detail["depends_on"]]
        assert row["indicators"] == len(detail["indicators"])
