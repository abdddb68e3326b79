"""The schedule of signed documents as they really are: anchored deadlines (``due: {after,
within}``), waiting measures, ``on_request``, and the due in force replayed through amendments.

Table-driven tests on the edge dates the contract names, then hypothesis invariants.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap_cli import anchors, report_signed, schedule
from roadmap_cli.anchors import parse_within
from roadmap_cli.model import Amendment, Event, Measure, Rescheduling, Roadmap, Status
from roadmap_cli.report_signed import on_time_against_signed
from roadmap_cli.schedule import parse_due

D = date.fromisoformat


def measure(
    due: str | Mapping[str, Any] = "2026-Q4",
    status: Status = Status.NOT_STARTED,
    *,
    mid: str = "1",
    rescheduled: tuple[tuple[str, str], ...] = (),
    **kw: Any,
) -> Measure:
    return Measure(
        id=mid,
        title=f"Measure {mid}",
        owners=("kz-mic",),
        due=parse_due(due),
        status=status,
        rescheduled=tuple(Rescheduling(parse_due(old), by) for old, by in rescheduled),
        **kw,
    )


def roadmap(
    *measures: Measure,
    events: Mapping[str, str | None] | None = None,
    amendments: Mapping[str, str] | None = None,
) -> Roadmap:
    return Roadmap(
        id="rm",
        kind="roadmap",
        title="Roadmap",
        parties=("kz-mic",),
        signed=D("2025-11-05"),
        period_start=D("2026-01-01"),
        period_end=D("2028-12-31"),
        measures=measures,
        events=tuple(
            Event(eid, eid, D(when) if when else None) for eid, when in (events or {}).items()
        ),
        amendments=tuple(Amendment(aid, D(when)) for aid, when in (amendments or {}).items()),
    )


# --- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("within", "start", "end"),
    [
        ("1m", "2026-01-31", "2026-02-28"),  # 31 January + 1 month: the last day of February
        ("1m", "2028-01-31", "2028-02-29"),  # ... of a leap year
        ("1y", "2028-02-29", "2029-02-28"),  # 29 February + 1 year
        ("12m", "2028-02-29", "2029-02-28"),
        ("6m", "2026-03-01", "2026-09-01"),
        ("30d", "2026-02-15", "2026-03-17"),
        ("2w", "2026-12-25", "2027-01-08"),
        ("0d", "2026-05-05", "2026-05-05"),
    ],
)
def test_within_is_calendar_arithmetic(within: str, start: str, end: str) -> None:
    assert D(start) + parse_within(within) == D(end)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("6 months", "did you mean 6m?"),
        ("6M", "did you mean 6m?"),
        ("30 дней", "did you mean 30d?"),
        ("6 мес.", "did you mean 6m?"),
        (6, "add the unit, e.g. 6m for 6 months or 6d for 6 days"),
        ("six months", "write a whole number and d, w, m or y"),
        ("-1m", "write a whole number and d, w, m or y"),
        ("1.5m", "write a whole number and d, w, m or y"),
        ("101y", "more than a hundred years"),
        ("36526d", "more than a hundred years"),
        (True, "write a whole number and d, w, m or y"),
    ],
)
def test_within_errors_say_what_to_write(text: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("?", r"\?").replace(".", r"\.")):
        parse_within(text)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"after": "x"}, "needs `within`"),
        ({"within": "6m"}, "needs `after`"),
        ({"after": "x", "within": "6m", "grace": 1}, "unknown key"),
        ({"after": "", "within": "6m"}, "needs `after`"),
        ("по мере необходимости", "write `on_request`"),
        ("as needed", "write `on_request`"),
    ],
)
def test_due_forms_refused(raw: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_due(raw)


def test_due_forms_parsed() -> None:
    assert parse_due("on_request").kind == "on_request"
    assert parse_due("on_request").open_ended
    due = parse_due({"after": "entry-into-force", "within": "6m"})
    assert (due.kind, due.after, due.within, due.anchored) == ("after", "entry-into-force", "6m", True)


# --- anchors and waiting: one table, as-of dates around each anchor ---------------------------

EIF = {"entry-into-force": "2026-03-01", "working-group": None}


def _anchor_case(
    due: Mapping[str, Any] | str, *, first: Measure | None = None
) -> tuple[Roadmap, Measure]:
    m = measure(due, mid="2")
    rm = roadmap(*((first,) if first else ()), m, events=EIF)
    return rm, m


FIRST_DONE = measure("2026-06", Status.DONE, mid="1", completed=D("2026-05-20"))
FIRST_OPEN = measure("2026-06", Status.IN_PROGRESS, mid="1")


@pytest.mark.parametrize(
    ("due", "first", "as_of", "deadline", "waiting", "overdue", "expected"),
    [
        # an event dated 2026-03-01: waiting before it, known on the day itself
        ({"after": "entry-into-force", "within": "6m"}, None, "2026-02-28", None, "entry-into-force", 0, 0.0),
        ({"after": "entry-into-force", "within": "6m"}, None, "2026-03-01", "2026-09-01", None, 0, 0.0),
        ({"after": "entry-into-force", "within": "6m"}, None, "2026-09-01", "2026-09-01", None, 0, 1.0),
        ({"after": "entry-into-force", "within": "6m"}, None, "2026-09-02", "2026-09-01", None, 1, 1.0),
        # an event that has not happened: waiting for ever, never overdue, expected 0
        ({"after": "working-group", "within": "1m"}, None, "2030-01-01", None, "working-group", 0, 0.0),
        # after a measure: its completed date is the anchor, as of the dates after it
        ({"after": "1", "within": "30d"}, FIRST_DONE, "2026-05-19", None, "1", 0, 0.0),
        ({"after": "1", "within": "30d"}, FIRST_DONE, "2026-05-20", "2026-06-19", None, 0, 0.0),
        ({"after": "1", "within": "30d"}, FIRST_DONE, "2026-06-20", "2026-06-19", None, 1, 1.0),
        # a measure not done: waiting whatever the date
        ({"after": "1", "within": "30d"}, FIRST_OPEN, "2027-01-01", None, "1", 0, 0.0),
    ],
)
def test_anchored_deadlines(
    due: Mapping[str, Any],
    first: Measure | None,
    as_of: str,
    deadline: str | None,
    waiting: str | None,
    overdue: int,
    expected: float,
) -> None:
    rm, m = _anchor_case(due, first=first)
    day = D(as_of)
    assert schedule.deadline(m, rm, day) == (D(deadline) if deadline else None)
    assert anchors.waiting_for(m, rm, day) == waiting
    assert len(schedule.measure_overdue(m, rm, day)) == overdue
    assert schedule.expected_fraction(m, rm, day) == expected
    assert schedule.fraction(m, rm, day) == 0.0  # counted in progress, with its fraction


def test_an_event_dated_on_the_as_of_day_is_due_soon_from_then() -> None:
    rm, m = _anchor_case({"after": "entry-into-force", "within": "0d"})
    assert [i.days for i in schedule.measure_due_soon(m, rm, D("2026-03-01"), D("2026-03-31"))] == [0]
    assert schedule.measure_due_soon(m, rm, D("2026-02-28"), D("2026-03-31")) == []


def test_on_request_is_never_overdue_nor_counted() -> None:
    m = measure("on_request")
    rm = roadmap(m)
    assert schedule.deadline(m, rm, D("2030-01-01")) is None
    assert schedule.measure_overdue(m, rm, D("2030-01-01")) == []
    assert schedule.measure_due_soon(m, rm, D("2026-01-01"), D("2030-01-01")) == []
    assert schedule.progress([(m, rm)], D("2027-01-01")) == (None, None)


# --- amendments: the due in force replayed --------------------------------------------------

MOVED = measure("2026-12", Status.IN_PROGRESS, rescheduled=(("2026-09", "protocol-1"),))
TWICE = measure(
    "2027-06",
    Status.IN_PROGRESS,
    rescheduled=(("2026-09", "protocol-1"), ("2026-12", "protocol-2")),
)
AMENDED = {"protocol-1": "2026-06-15", "protocol-2": "2026-11-20"}


@pytest.mark.parametrize(
    ("m", "as_of", "deadline", "by", "overdue_days"),
    [
        (MOVED, "2026-06-14", "2026-09-30", [], None),
        (MOVED, "2026-06-15", "2026-12-31", ["protocol-1"], None),  # amendment on the as-of day
        (MOVED, "2026-10-01", "2026-12-31", ["protocol-1"], None),
        (MOVED, "2027-01-01", "2026-12-31", ["protocol-1"], 1),
        (TWICE, "2026-01-01", "2026-09-30", [], None),
        (TWICE, "2026-06-15", "2026-12-31", ["protocol-1"], None),
        (TWICE, "2026-11-19", "2026-12-31", ["protocol-1"], None),
        (TWICE, "2026-11-20", "2027-06-30", ["protocol-1", "protocol-2"], None),
    ],
)
def test_due_in_force_is_replayed(
    m: Measure, as_of: str, deadline: str, by: list[str], overdue_days: int | None
) -> None:
    rm = roadmap(m, amendments=AMENDED)
    day = D(as_of)
    assert schedule.deadline(m, rm, day) == D(deadline)
    assert anchors.rescheduled_by(m, rm, day) == by
    assert schedule.signed_deadline(m, rm, day) == D("2026-09-30")
    days = [i.days for i in schedule.measure_overdue(m, rm, day)]
    assert days == ([overdue_days] if overdue_days else [])


def test_without_as_of_the_current_due_and_every_amendment() -> None:
    rm = roadmap(TWICE, amendments=AMENDED)
    assert schedule.deadline(TWICE, rm) == D("2027-06-30")
    assert anchors.rescheduled_by(TWICE, rm) == ["protocol-1", "protocol-2"]


def test_a_measure_moved_from_a_date_to_an_event() -> None:
    m = measure(
        {"after": "entry-into-force", "within": "6m"},
        rescheduled=(("2026-02", "protocol-1"),),
    )
    rm = roadmap(m, events=EIF, amendments={"protocol-1": "2026-01-20"})
    assert schedule.deadline(m, rm, D("2026-01-19")) == D("2026-02-28")
    assert anchors.waiting_for(m, rm, D("2026-01-19")) is None
    assert anchors.waiting_for(m, rm, D("2026-02-10")) == "entry-into-force"
    assert schedule.measure_overdue(m, rm, D("2026-02-10")) == []


@pytest.mark.parametrize(
    ("completed", "as_of", "expected"),
    [
        (None, "2026-09-30", (0, 0)),  # not done, deadline not yet passed
        (None, "2026-10-01", (0, 1)),  # not done, the signed deadline passed
        ("2026-09-30", "2027-01-01", (1, 1)),  # done on the signed deadline
        ("2026-11-01", "2027-01-01", (0, 1)),  # done in time for the moved one, late as signed
        ("2026-11-01", "2026-10-15", (0, 1)),  # completed after the as-of date: not done yet
    ],
)
@pytest.mark.parametrize("moved", [True, False])
def test_on_time_against_signed(completed: str | None, as_of: str, expected: tuple[int, int],
                                moved: bool) -> None:
    """Signed for 2026-09 (and moved to 2026-12 by an amendment, or never moved): the same
    counts, from the measures (the definition) and from the document's digest (the report's),
    two measures alike counted twice."""
    status = Status.DONE if completed else Status.IN_PROGRESS
    done = D(completed) if completed else None
    m = (measure("2026-12", status, rescheduled=(("2026-09", "protocol-1"),), completed=done)
         if moved else measure("2026-09", status, completed=done))
    rm = roadmap(m, measure("on_request", mid="2"), amendments=AMENDED)
    pairs = [(x, rm) for x in rm.measures]
    assert on_time_against_signed(pairs, D(as_of)) == expected
    assert report_signed.on_time_of(rm, D(as_of)) == expected
    twice = roadmap(m, replace(m, id="3"), measure("on_request", mid="2"), amendments=AMENDED)
    assert report_signed.on_time_of(twice, D(as_of)) == (2 * expected[0], 2 * expected[1])
    # late as signed, on time by the deadline in force
    assert schedule.done_late(m, rm) is (not moved and completed == "2026-11-01")


# --- invariants ------------------------------------------------------------------------------

days = st.dates(min_value=date(2025, 6, 1), max_value=date(2029, 6, 30))
withins = st.builds(
    "{}{}".format, st.integers(0, 40), st.sampled_from(["d", "w", "m", "y"])
)
fixed = st.sampled_from(["2026-03", "2026-Q2", "2026-09-15", "2027-H1", "2027", "2028-Q4"])


@st.composite
def anchored_roadmaps(draw: st.DrawFn) -> Roadmap:
    event_date = draw(st.none() | days)
    first_completed = draw(st.none() | days)
    first = measure(
        draw(fixed),
        Status.DONE if first_completed else draw(st.sampled_from(list(Status))),
        mid="1",
        completed=first_completed,
    )
    second = measure(
        {"after": draw(st.sampled_from(["eif", "1"])), "within": draw(withins)},
        draw(st.sampled_from([Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED])),
        mid="2",
    )
    return roadmap(
        first, second, events={"eif": event_date.isoformat() if event_date else None}
    )


@pytest.mark.fuzz
@given(anchored_roadmaps(), days)
def test_a_waiting_measure_is_never_overdue_nor_due_soon(rm: Roadmap, as_of: date) -> None:
    for m in rm.measures:
        if anchors.waiting_for(m, rm, as_of) is not None:
            assert schedule.measure_overdue(m, rm, as_of) == []
            assert schedule.measure_due_soon(m, rm, as_of, date(2199, 12, 31)) == []
            assert schedule.deadline(m, rm, as_of) is None
            assert schedule.expected_fraction(m, rm, as_of) == 0.0


@pytest.mark.fuzz
@given(anchored_roadmaps(), days)
def test_an_anchored_deadline_is_never_before_its_anchor(rm: Roadmap, as_of: date) -> None:
    for m in rm.measures:
        end = schedule.deadline(m, rm, as_of)
        if m.due.anchored and end is not None:
            anchor = anchors.anchor_date(rm, m.due.after or "")
            assert anchor is not None and anchor <= as_of and anchor <= end


@st.composite
def rescheduled_roadmaps(draw: st.DrawFn) -> tuple[Roadmap, list[date]]:
    count = draw(st.integers(1, 3))
    when = sorted(draw(st.lists(days, min_size=count, max_size=count)))
    froms = draw(st.lists(fixed, min_size=count, max_size=count))
    m = measure(
        draw(fixed),
        draw(st.sampled_from([Status.NOT_STARTED, Status.IN_PROGRESS])),
        rescheduled=tuple((old, f"p{i}") for i, old in enumerate(froms)),
    )
    rm = roadmap(m, amendments={f"p{i}": w.isoformat() for i, w in enumerate(when)})
    return rm, when


@pytest.mark.fuzz
@given(rescheduled_roadmaps(), st.integers(1, 400))
def test_before_every_amendment_the_signed_deadline_is_in_force(
    case: tuple[Roadmap, list[date]], back: int
) -> None:
    rm, when = case
    m = rm.measures[0]
    as_of = when[0] - timedelta(days=back)
    assert schedule.deadline(m, rm, as_of) == schedule.signed_deadline(m, rm, as_of)
    assert anchors.rescheduled_by(m, rm, as_of) == []
    overdue = schedule.measure_overdue(m, rm, as_of)
    signed = schedule.signed_deadline(m, rm, as_of)
    assert signed is not None
    assert bool(overdue) == (signed < as_of)


@pytest.mark.fuzz
@given(rescheduled_roadmaps(), days)
def test_after_every_amendment_the_current_due_is_in_force(
    case: tuple[Roadmap, list[date]], as_of: date
) -> None:
    rm, when = case
    m = rm.measures[0]
    if as_of >= when[-1]:
        assert schedule.deadline(m, rm, as_of) == schedule.deadline(m, rm)
        assert len(anchors.rescheduled_by(m, rm, as_of)) == len(m.rescheduled)


@pytest.mark.fuzz
@given(anchored_roadmaps(), days)
def test_progress_and_the_on_time_line_stay_in_bounds(rm: Roadmap, as_of: date) -> None:
    pairs = [(m, rm) for m in rm.measures]
    progress, expected = schedule.progress(pairs, as_of)
    for value in (progress, expected):
        assert value is None or 0 <= value <= 100
    n, m = on_time_against_signed(pairs, as_of)
    assert 0 <= n <= m <= len(rm.measures)


@pytest.mark.fuzz
@given(rescheduled_roadmaps(), days)
def test_the_signed_deadline_never_depends_on_amendments(case: tuple[Roadmap, list[date]], as_of: date) -> None:
    rm, _ = case
    m = rm.measures[0]
    # with every amendment dated later, or none at all, the signed deadline is the same
    assert schedule.signed_deadline(m, rm, as_of) == schedule.due_deadline(m.rescheduled[0].due, rm)


# --- the burn-up replays the due in force ----------------------------------------------------


def test_the_burn_up_replays_amendments_and_counts_waiting_measures() -> None:
    """A rescheduled measure is expected by the due in force at each date of the chart, and a
    measure waiting for its anchor counts (expected 0) as in ``status`` (found by an audit: the
    chart used the current due at every date and left the waiting measure out)."""
    from roadmap_cli import burnup

    rm = roadmap(
        measure("2026-12", mid="1", rescheduled=(("2026-03", "p1"),)),
        measure("2026-12", mid="2"),
        measure({"after": "eif", "within": "1m"}, mid="3"),
        measure("2026-02", Status.DONE, mid="4", completed=D("2026-02-01")),
        events={"eif": None},
        amendments={"p1": "2026-06-15"},
    )
    dates = [D("2026-03-31"), D("2026-06-30"), D("2026-09-30")]
    assert burnup.undated_series(rm, dates) == [(25.0, 50.0), (25.0, 25.0), (25.0, 25.0)]
    pairs = [(m, rm) for m in rm.measures]
    assert burnup.undated_series(rm, dates) == [schedule.progress(pairs, d) for d in dates]
    points = burnup.series(rm, D("2026-11-29"))
    assert [(p.progress_pct, p.expected_pct) for p in points if p.date in dates] == [
        (25.0, 50.0), (25.0, 25.0), (25.0, 25.0)]


@pytest.mark.fuzz
@given(
    st.one_of(anchored_roadmaps(), rescheduled_roadmaps().map(lambda case: case[0])),
    st.lists(days, min_size=1, max_size=6),
    st.booleans(),
)
def test_the_burn_up_is_the_status_of_each_date(rm: Roadmap, dates: list[date], plain: bool) -> None:
    from roadmap_cli import burnup

    if plain:  # beside a measure of a common due form (swept by steps)
        done = measure("2026-Q3", Status.DONE, mid="9", completed=D("2026-05-01"))
        rm = replace(rm, measures=(*rm.measures, done))
    pairs = [(m, rm) for m in rm.measures]
    assert burnup.progress_series(pairs, dates) == [schedule.progress(pairs, d) for d in dates]
    undated = [(burnup._undated(m), rm) for m in rm.measures]
    assert burnup.undated_series(rm, dates) == burnup.progress_series(undated, dates)
