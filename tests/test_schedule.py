"""Date logic: due forms -> deadlines, as-of status, overdue and due-soon items, progress."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from roadmap_cli.model import Measure, Report, Roadmap, Status
from roadmap_cli.schedule import (
    Occurrence,
    completed_late,
    deadline,
    done_late,
    due_soon_items,
    expected_fraction,
    fraction,
    occurrences,
    overdue_items,
    parse_as_of,
    parse_date,
    parse_due,
    parse_period,
    parse_window,
    period_containing,
    progress,
    status_as_of,
    window_end,
)

D = date.fromisoformat


def measure(
    due: str | Mapping[str, Any] | int = "2026-Q4",
    status: Status = Status.NOT_STARTED,
    *,
    mid: str = "1",
    **kw: Any,
) -> Measure:
    return Measure(
        id=mid, title=f"Measure {mid}", owners=("kz-mic",), due=parse_due(due), status=status, **kw
    )


def roadmap(*measures: Measure, start: str = "2026-01-01", end: str = "2028-12-31") -> Roadmap:
    return Roadmap(
        id="rm",
        kind="roadmap",
        title="Roadmap",
        parties=("kz-mic",),
        signed=D("2025-11-05"),
        period_start=D(start),
        period_end=D(end),
        measures=measures,
    )


# --------------------------------------------------------------------------------------------
# Parsing


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "canonical"),
    [
        ("2026-10-15", "date", "2026-10-15", "2026-10-15", "2026-10-15"),
        ("2028-02-29", "date", "2028-02-29", "2028-02-29", "2028-02-29"),
        ("2026-10", "month", "2026-10-01", "2026-10-31", "2026-10"),
        ("2026-02", "month", "2026-02-01", "2026-02-28", "2026-02"),
        ("2028-02", "month", "2028-02-01", "2028-02-29", "2028-02"),
        ("2100-02", "month", "2100-02-01", "2100-02-28", "2100-02"),  # not a leap year
        ("2000-02", "month", "2000-02-01", "2000-02-29", "2000-02"),  # a leap year
        ("2026-04", "month", "2026-04-01", "2026-04-30", "2026-04"),
        ("2026-Q1", "quarter", "2026-01-01", "2026-03-31", "2026-Q1"),
        ("2028-Q1", "quarter", "2028-01-01", "2028-03-31", "2028-Q1"),
        ("2026-Q2", "quarter", "2026-04-01", "2026-06-30", "2026-Q2"),
        ("2026-Q3", "quarter", "2026-07-01", "2026-09-30", "2026-Q3"),
        ("2026-Q4", "quarter", "2026-10-01", "2026-12-31", "2026-Q4"),
        ("2026-H1", "half", "2026-01-01", "2026-06-30", "2026-H1"),
        ("2026-H2", "half", "2026-07-01", "2026-12-31", "2026-H2"),
        ("2026", "year", "2026-01-01", "2026-12-31", "2026"),
    ],
)
def test_parse_period(text: str, kind: str, start: str, end: str, canonical: str) -> None:
    p = parse_period(text)
    assert (p.kind, p.start, p.end, p.text) == (kind, D(start), D(end), canonical)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "2026-02-30 is not a date: February 2026 has 28 days"),
        ("2026-02-29", "2026-02-29 is not a date: February 2026 has 28 days"),
        ("2028-02-30", "2028-02-30 is not a date: February 2028 has 29 days"),
        ("2026-04-31", "2026-04-31 is not a date: April 2026 has 30 days"),
        ("2026-13-01", "2026-13-01 is not a date: there is no month 13"),
        ("2026-00-10", "2026-00-10 is not a date: there is no month 0"),
        ("2026-01-00", "2026-01-00 is not a date: there is no day 0"),
        ("2026-13", "2026-13 is not a month: there is no month 13"),
        ("2026-Q5", "2026-Q5 is not a quarter: quarters are Q1 to Q4"),
        ("2026-Q0", "2026-Q0 is not a quarter: quarters are Q1 to Q4"),
        ("2026-q4", "2026-q4 is not a quarter: write a capital Q (2026-Q4)"),
        ("2026-H3", "2026-H3 is not a half-year: halves are H1 and H2"),
        ("0000", "0000 is not a year: there is no year 0"),
        ("garbage", "garbage is not a date or period: expected YYYY-MM-DD"),
        ("2026-1-5", "months and days take two digits, e.g. 2026-01-05"),
        ("", "'' is not a date or period"),
        ("26-10-15", "is not a date or period"),
        ("2026-10-15T10:00", "is not a date or period"),
    ],
)
def test_parse_period_rejects_with_a_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_period(text)


def test_parse_date_is_strict() -> None:
    assert parse_date("2028-02-29") == D("2028-02-29")
    with pytest.raises(ValueError, match="2026-02-29 is not a date: February 2026 has 28 days"):
        parse_date("2026-02-29")
    with pytest.raises(ValueError, match="is not a date: expected YYYY-MM-DD"):
        parse_date("2026-10")
    with pytest.raises(ValueError, match="two digits"):
        parse_date("2026-2-3")


@pytest.mark.parametrize(
    ("day", "every", "text"),
    [
        ("2026-05-17", "month", "2026-05"),
        ("2026-05-17", "quarter", "2026-Q2"),
        ("2026-05-17", "half", "2026-H1"),
        ("2026-07-01", "half", "2026-H2"),
        ("2026-12-31", "quarter", "2026-Q4"),
        ("2026-01-01", "year", "2026"),
    ],
)
def test_period_containing(day: str, every: str, text: str) -> None:
    p = period_containing(D(day), every)
    assert p == parse_period(text)
    assert p.start <= D(day) <= p.end


def test_period_containing_rejects_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="'week' is not a period kind"):
        period_containing(D("2026-01-01"), "week")


@pytest.mark.parametrize(
    ("text", "as_of"),
    [
        ("2026-05-17", "2026-05-17"),
        ("2026-Q2", "2026-06-30"),
        ("2026-02", "2026-02-28"),
        ("2028-02", "2028-02-29"),
        ("2026-H2", "2026-12-31"),
        ("2027", "2027-12-31"),
        # a day as the Russian tables show it, typed on the command line
        ("31.03.2026", "2026-03-31"),
        ("1.4.2026", "2026-04-01"),
        (" 29.02.2028 ", "2028-02-29"),
    ],
)
def test_parse_as_of(text: str, as_of: str) -> None:
    assert parse_as_of(text) == D(as_of)


@pytest.mark.parametrize(("text", "message"), [
    ("2026-02-30", "2026-02-30 is not a date: February 2026 has 28 days"),
    ("30.02.2026", "30.02.2026 is not a date: February 2026 has 28 days"),  # as typed
    ("31.13.2026", "31.13.2026 is not a date"),
    ("2026.03.31", "expected YYYY-MM-DD"),
    ("31.03.26", "write the year in full, DD.MM.YYYY (31.03.2026)"),
])
def test_parse_as_of_rejects_an_impossible_date(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_as_of(text)


def test_a_typed_day_may_be_dotted() -> None:
    from roadmap_cli.periods import parse_typed_date

    assert parse_typed_date("05.11.2025") == parse_typed_date("2025-11-05") == D("2025-11-05")
    with pytest.raises(ValueError, match=re.escape("31.04.2026 is not a date")):
        parse_typed_date("31.04.2026")
    with pytest.raises(ValueError):
        parse_typed_date("2026-Q2")  # a day, not a period


@pytest.mark.parametrize(
    ("text", "as_of", "end"),
    [
        ("14d", "2026-01-01", "2026-01-15"),
        ("2w", "2026-01-01", "2026-01-15"),
        ("3m", "2026-01-31", "2026-04-30"),  # month arithmetic clips to the month's end
        ("1y", "2028-02-29", "2029-02-28"),
        ("30", "2026-12-15", "2027-01-14"),
        ("0", "2026-12-15", "2026-12-15"),
        ("1M", "2026-01-31", "2026-02-28"),
    ],
)
def test_window(text: str, as_of: str, end: str) -> None:
    assert window_end(D(as_of), parse_window(text)) == D(end)


@pytest.mark.parametrize("text", ["", "d", "14days", "-3d", "2 weeks", "1.5m", "3q"])
def test_window_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not a window: expected a number of days"):
        parse_window(text)


def test_parse_window_returns_a_relativedelta() -> None:
    assert parse_window("2w") == relativedelta(days=14)


@pytest.mark.parametrize(
    ("text", "as_of", "end"),
    [
        ("2026-12", "2026-11-29", "2026-12-31"),  # what falls due by the end of next month
        ("2027-Q1", "2026-11-29", "2027-03-31"),
        ("2027-H1", "2026-11-29", "2027-06-30"),
        ("2026-12-15", "2026-11-29", "2026-12-15"),
        ("15.12.2026", "2026-11-29", "2026-12-15"),
        ("2026d", "2026-11-29", "2032-06-16"),  # days, said so
        ("1899", "2026-11-29", "2032-02-10"),  # a bare number is days, as 30 is
        ("30", "2026-11-29", "2026-12-29"),
        ("3m", "2026-11-29", "2027-02-28"),
    ],
)
def test_a_window_may_run_to_a_day_or_the_end_of_a_period(text: str, as_of: str, end: str) -> None:
    from roadmap_cli.periods import parse_window_or_end

    assert window_end(D(as_of), parse_window_or_end(text)) == D(end)


@pytest.mark.parametrize(
    ("text", "as_of", "end"),
    [
        # the end of the period that holds the as-of date, or of the next one: one command for
        # "what falls due by the end of next month", whatever the day
        ("next-month", "2026-11-30", "2026-12-31"),
        ("next-month", "2026-11-01", "2026-12-31"),
        ("next-month", "2026-12-31", "2027-01-31"),  # into the next year
        ("next-month", "2027-01-31", "2027-02-28"),
        ("next-month", "2028-01-15", "2028-02-29"),  # a leap year
        ("this-month", "2026-11-30", "2026-11-30"),  # the last day: the day itself
        ("this-month", "2026-02-01", "2026-02-28"),
        ("next-quarter", "2026-11-30", "2027-03-31"),
        ("next-quarter", "2026-09-30", "2026-12-31"),
        ("this-quarter", "2026-10-01", "2026-12-31"),
        ("next-half", "2026-06-30", "2026-12-31"),
        ("next-half-year", "2026-07-01", "2027-06-30"),
        ("this-half", "2026-03-15", "2026-06-30"),
        ("next-year", "2026-11-30", "2027-12-31"),
        ("this-year", "2026-01-01", "2026-12-31"),
        ("Next_Month", "2026-11-30", "2026-12-31"),  # any case, - or _ or a space or nothing
        ("next month", "2026-11-30", "2026-12-31"),
        ("nextmonth", "2026-11-30", "2026-12-31"),
        (" next-month ", "2026-11-30", "2026-12-31"),
    ],
)
def test_a_window_may_run_to_the_end_of_this_or_the_next_period(text: str, as_of: str, end: str) -> None:
    from roadmap_cli.periods import parse_window_or_end

    assert window_end(D(as_of), parse_window_or_end(text)) == D(end)


def test_the_end_of_the_next_period_past_the_calendar_is_an_overflow() -> None:
    from roadmap_cli.periods import parse_window_or_end

    with pytest.raises((OverflowError, ValueError)):
        window_end(date(9999, 12, 15), parse_window_or_end("next-month"))


def test_a_bare_number_that_reads_as_a_year_is_refused() -> None:
    """--within 2027: five years of days, or the end of 2027? Refused, with the forms of each."""
    from roadmap_cli.periods import parse_window_or_end

    with pytest.raises(ValueError, match=r"2027 reads as a year: write the end of that year as "
                                         r"2027-12 \(or 31.12.2027\), or days as 2027d"):
        parse_window_or_end("2027")


@pytest.mark.parametrize("text", ["soon", "2 weeks", "1.5", "next-week", "last-month", "next-months"])
def test_a_window_that_is_neither_is_refused(text: str) -> None:
    from roadmap_cli.periods import parse_window_or_end

    with pytest.raises(ValueError, match="is not a window"):
        parse_window_or_end(text)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2026-13", "there is no month 13"),
        ("2026-Q5", "quarters are Q1 to Q4"),
        ("31.02.2026", "February 2026 has 28 days"),
        ("31.12.26", r"write the year in full, DD\.MM\.YYYY \(31\.12\.2026\)"),
    ],
)
def test_a_window_meant_as_a_day_says_what_is_wrong_with_the_day(text: str, says: str) -> None:
    """Not 'not a window: expected a number of days (30, 14d)...', which hid the mistake (a
    year of two digits, as --as-of and --on are told)."""
    from roadmap_cli.periods import parse_window_or_end

    with pytest.raises(ValueError, match=says):
        parse_window_or_end(text)


# --------------------------------------------------------------------------------------------
# Deadlines of every due form


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("2026-10-15", "2026-10-15"),
        ("2026-10", "2026-10-31"),
        ("2026-02", "2026-02-28"),
        ("2028-02", "2028-02-29"),
        ("2026-Q1", "2026-03-31"),
        ("2028-Q1", "2028-03-31"),
        ("2026-Q2", "2026-06-30"),
        ("2026-Q3", "2026-09-30"),
        ("2026-Q4", "2026-12-31"),
        ("2026-H1", "2026-06-30"),
        ("2026-H2", "2026-12-31"),
        ("2026", "2026-12-31"),
        (2027, "2027-12-31"),  # YAML reads an unquoted year as a number
        ("ongoing", None),
        # recurring: the last occurrence's deadline; from/until default to the roadmap period
        ({"every": "quarter"}, "2028-12-31"),
        ({"every": "quarter", "grace": 15}, "2029-01-15"),
        ({"every": "month", "until": "2027-02"}, "2027-02-28"),
        ({"every": "month", "until": "2028-02", "grace": 1}, "2028-03-01"),
        ({"every": "month", "until": "2026-02", "grace": 1}, "2026-03-01"),
        ({"every": "half", "from": "2026-H2", "until": "2027"}, "2027-12-31"),
        ({"every": "year", "until": "2027-05-10", "grace": 31}, "2028-01-31"),
        ({"every": "quarter", "until": "2027-11", "grace": 45}, "2028-02-14"),
    ],
)
def test_deadline(due: Any, expected: str | None) -> None:
    rm = roadmap()
    m = measure(due)
    assert deadline(m, rm) == (D(expected) if expected else None)


@pytest.mark.parametrize(
    ("due", "periods", "deadlines"),
    [
        (
            {"every": "quarter", "from": "2026-Q3", "until": "2027-Q1"},
            ["2026-Q3", "2026-Q4", "2027-Q1"],
            ["2026-09-30", "2026-12-31", "2027-03-31"],
        ),
        (
            {"every": "quarter", "from": "2026-Q4", "until": "2027-Q1", "grace": 15},
            ["2026-Q4", "2027-Q1"],
            ["2027-01-15", "2027-04-15"],  # grace crosses the year end
        ),
        (
            {"every": "month", "from": "2028-01", "until": "2028-03", "grace": 1},
            ["2028-01", "2028-02", "2028-03"],
            ["2028-02-01", "2028-03-01", "2028-04-01"],  # grace crosses month ends, leap Feb
        ),
        (
            # from/until name coarser periods: the months holding from's first day and until's last
            {"every": "month", "from": "2026-Q2", "until": "2026-Q2"},
            ["2026-04", "2026-05", "2026-06"],
            ["2026-04-30", "2026-05-31", "2026-06-30"],
        ),
        (
            # from/until name days: the quarters holding them
            {"every": "quarter", "from": "2026-05-20", "until": "2026-08-01"},
            ["2026-Q2", "2026-Q3"],
            ["2026-06-30", "2026-09-30"],
        ),
        (
            {"every": "half", "from": "2026", "until": "2027"},
            ["2026-H1", "2026-H2", "2027-H1", "2027-H2"],
            ["2026-06-30", "2026-12-31", "2027-06-30", "2027-12-31"],
        ),
        (
            {"every": "year", "grace": 60},
            ["2026", "2027", "2028"],
            ["2027-03-01", "2028-02-29", "2029-03-01"],  # 60 days after 31 Dec: leap 2028
        ),
    ],
)
def test_occurrences(due: Any, periods: list[str], deadlines: list[str]) -> None:
    occs = occurrences(measure(due), roadmap(), D("2026-01-01"))
    assert [o.period.text for o in occs] == periods
    assert [o.deadline for o in occs] == [D(d) for d in deadlines]
    assert not any(o.reported for o in occs)


def test_recurring_defaults_follow_the_roadmap_period() -> None:
    # a roadmap from mid-February 2026 to mid-May 2027: the quarters that hold its ends
    rm = roadmap(start="2026-02-15", end="2027-05-15")
    occs = occurrences(measure({"every": "quarter"}), rm, D("2026-01-01"))
    assert [o.period.text for o in occs] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
        "2027-Q1",
        "2027-Q2",
    ]
    # an explicit from with the default until, and the reverse
    occs = occurrences(measure({"every": "half", "from": "2026-H2"}), rm, D("2026-01-01"))
    assert [o.period.text for o in occs] == ["2026-H2", "2027-H1"]
    occs = occurrences(measure({"every": "half", "until": "2026-H2"}), rm, D("2026-01-01"))
    assert [o.period.text for o in occs] == ["2026-H1", "2026-H2"]


def test_non_recurring_measures_have_no_occurrences() -> None:
    assert occurrences(measure("2026-Q4"), roadmap(), D("2026-01-01")) == []
    assert occurrences(measure("ongoing"), roadmap(), D("2026-01-01")) == []


def test_parse_due_keeps_raw_as_given() -> None:
    raw = {"every": "quarter", "from": "2026-Q1", "grace": 15}
    due = parse_due(raw)
    assert due.raw is raw
    assert (due.kind, due.every, due.grace) == ("recurring", "quarter", 15)
    assert due.start == parse_period("2026-Q1")
    assert due.until is None
    assert parse_due("2026-Q4").raw == "2026-Q4"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2026-Q5", "2026-Q5 is not a quarter: quarters are Q1 to Q4"),
        ("2026-13", "2026-13 is not a month: there is no month 13"),
        ("2026-H3", "2026-H3 is not a half-year: halves are H1 and H2"),
        ("2026-02-30", "2026-02-30 is not a date: February 2026 has 28 days"),
        ("soon", "soon is not a due form: expected a date (2026-10-15)"),
        ("Ongoing", "write `ongoing`"),
        ("постоянно", "write `ongoing`"),
        (True, "due must be a date, period"),
        (1.5, "due must be a date, period"),
        ({}, "recurring due needs `every`"),
        ({"every": "week"}, "recurring `every` must be month, quarter, half or year, not 'week'"),
        ({"every": "quarter", "grace": -1}, "`grace` must be a whole number of days >= 0"),
        ({"every": "quarter", "grace": "15"}, "`grace` must be a whole number of days >= 0"),
        ({"every": "quarter", "grace": True}, "`grace` must be a whole number of days >= 0"),
        ({"every": "quarter", "from": "2026-Q5"}, "recurring `from`: 2026-Q5 is not a quarter"),
        ({"every": "quarter", "until": "2026-02-30"}, "recurring `until`: 2026-02-30 is not a"),
        ({"every": "quarter", "start": "2026-Q1"}, "unknown key(s) start"),
        (
            {"every": "quarter", "from": "2027-Q1", "until": "2026-Q4"},
            "runs backwards: from 2027-Q1 is after until 2026-Q4",
        ),
    ],
)
def test_parse_due_rejects_with_a_message(raw: Any, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_due(raw)


# --------------------------------------------------------------------------------------------
# Status on a date


def test_done_after_as_of_counts_as_in_progress() -> None:
    m = measure("2026-Q4", Status.DONE, completed=D("2026-10-01"))
    assert status_as_of(m, D("2026-09-30")) is Status.IN_PROGRESS
    assert status_as_of(m, D("2026-10-01")) is Status.DONE
    assert status_as_of(m, D("2027-01-01")) is Status.DONE


@pytest.mark.parametrize("status", [Status.NOT_STARTED, Status.BLOCKED, Status.CANCELLED])
def test_other_statuses_do_not_depend_on_the_date(status: Status) -> None:
    m = measure("2026-Q4", status, reason="r")
    assert status_as_of(m, D("2020-01-01")) is status
    assert status_as_of(m, D("2030-01-01")) is status


def test_the_deadline_day_is_due_today_not_overdue() -> None:
    m = measure("2026-10-15", Status.IN_PROGRESS)
    rm = roadmap(m)
    on_the_day = D("2026-10-15")
    assert overdue_items(rm, on_the_day) == []
    [item] = due_soon_items(rm, on_the_day, on_the_day)
    assert (item.deadline, item.days, item.period, item.status) == (
        on_the_day,
        0,
        None,
        Status.IN_PROGRESS,
    )
    [item] = overdue_items(rm, D("2026-10-16"))
    assert (item.deadline, item.days) == (on_the_day, 1)
    assert due_soon_items(rm, D("2026-10-16"), D("2026-12-31")) == []


@pytest.mark.parametrize(
    ("as_of", "days_overdue"),
    [("2026-12-31", None), ("2027-01-01", 1), ("2027-03-01", 60), ("2028-12-31", 731)],
)
def test_days_overdue(as_of: str, days_overdue: int | None) -> None:
    rm = roadmap(measure("2026-Q4", Status.BLOCKED, reason="waiting"))
    items = overdue_items(rm, D(as_of))
    assert [i.days for i in items] == ([days_overdue] if days_overdue else [])


@pytest.mark.parametrize(
    ("as_of", "end", "days_left"),
    [
        ("2026-12-01", "2026-12-31", 30),  # window end inclusive
        ("2026-12-01", "2026-12-30", None),
        ("2026-11-30", "2026-12-30", None),
        ("2026-12-31", "2026-12-31", 0),
    ],
)
def test_due_soon_window_is_inclusive(as_of: str, end: str, days_left: int | None) -> None:
    rm = roadmap(measure("2026-12", Status.NOT_STARTED))
    items = due_soon_items(rm, D(as_of), D(end))
    assert [i.days for i in items] == ([days_left] if days_left is not None else [])


@pytest.mark.parametrize("status", [Status.DONE, Status.CANCELLED])
def test_done_and_cancelled_are_never_overdue_or_due_soon(status: Status) -> None:
    m = measure("2026-Q1", status, completed=D("2026-03-01"), reason="r")
    recurring = measure(
        {"every": "quarter"}, status, mid="2", completed=D("2026-03-01"), reason="r"
    )
    rm = roadmap(m, recurring)
    assert overdue_items(rm, D("2027-06-01")) == []
    assert due_soon_items(rm, D("2026-03-15"), D("2026-04-30")) == []


def test_ongoing_is_never_overdue_or_due_soon() -> None:
    rm = roadmap(measure("ongoing", Status.IN_PROGRESS))
    assert overdue_items(rm, D("2099-01-01")) == []
    assert due_soon_items(rm, D("2026-01-01"), D("2099-01-01")) == []


def test_done_late_replayed_before_completion_is_overdue() -> None:
    m = measure("2026-06", Status.DONE, completed=D("2026-08-10"))
    rm = roadmap(m)
    [item] = overdue_items(rm, D("2026-08-01"))
    assert (item.days, item.status) == (32, Status.IN_PROGRESS)  # 30 June -> 1 August
    assert overdue_items(rm, D("2026-08-10")) == []


@pytest.mark.parametrize(
    ("due", "completed", "late"),
    [
        ("2026-06", "2026-06-30", False),
        ("2026-06", "2026-07-01", True),
        ("2026-06-15", "2026-06-14", False),
        ({"every": "year", "until": "2026", "grace": 10}, "2027-01-10", False),
        ({"every": "year", "until": "2026", "grace": 10}, "2027-01-11", True),
        ("ongoing", "2030-01-01", False),
    ],
)
def test_done_late(due: Any, completed: str, late: bool) -> None:
    assert done_late(measure(due, Status.DONE, completed=D(completed)), roadmap()) is late


@pytest.mark.parametrize(
    ("as_of", "late"),
    [
        ("2026-07-13", False),  # completed after the date: in progress then, not done late
        ("2026-07-14", True),  # the day it was completed
        ("2026-12-31", True),
    ],
)
def test_done_late_as_of(as_of: str, late: bool) -> None:
    m = measure("2026-06", Status.DONE, completed=D("2026-07-14"))
    assert done_late(m, roadmap(), D(as_of)) is late
    assert completed_late(m, D("2026-06-30"), D(as_of)) is late
    assert done_late(m, roadmap()) is True  # as written


def test_done_late_needs_status_done() -> None:
    m = measure("2026-06", Status.IN_PROGRESS, completed=D("2026-07-01"))
    assert done_late(m, roadmap()) is False


# --------------------------------------------------------------------------------------------
# Recurring: reports, overdue occurrences, the next one due


QUARTERLY_2026 = {"every": "quarter", "from": "2026-Q1", "until": "2026-Q4", "grace": 15}


def test_each_missed_occurrence_is_its_own_overdue_item() -> None:
    m = measure(
        QUARTERLY_2026,
        Status.IN_PROGRESS,
        reports=(Report("2026-Q2", D("2026-07-10")),),
    )
    rm = roadmap(m)
    items = overdue_items(rm, D("2026-11-01"))
    # Q1 (deadline 04-15) missed, Q2 reported, Q3 (deadline 10-15) missed, Q4 not yet due
    assert [(i.period, i.deadline, i.days) for i in items] == [
        ("2026-Q1", D("2026-04-15"), 200),
        ("2026-Q3", D("2026-10-15"), 17),
    ]
    # the deadline day of Q1's grace: not yet overdue
    assert overdue_items(rm, D("2026-04-15")) == []
    assert [i.period for i in overdue_items(rm, D("2026-04-16"))] == ["2026-Q1"]


def test_a_report_dated_after_as_of_does_not_count_yet() -> None:
    m = measure(QUARTERLY_2026, Status.IN_PROGRESS, reports=(Report("2026-Q1", D("2026-05-02")),))
    rm = roadmap(m)
    assert [i.period for i in overdue_items(rm, D("2026-05-01"))] == ["2026-Q1"]
    assert overdue_items(rm, D("2026-05-02")) == []
    reported = [o.reported for o in occurrences(m, rm, D("2026-05-01"))]
    assert reported == [False, False, False, False]
    reported = [o.reported for o in occurrences(m, rm, D("2026-05-02"))]
    assert reported == [True, False, False, False]


def test_an_undated_report_counts_from_its_period_end() -> None:
    m = measure(QUARTERLY_2026, Status.IN_PROGRESS, reports=(Report("2026-Q1"),))
    rm = roadmap(m)
    assert occurrences(m, rm, D("2026-03-30"))[0].reported is False
    assert occurrences(m, rm, D("2026-03-31"))[0].reported is True


def test_a_report_must_name_a_period_of_the_same_kind() -> None:
    m = measure(
        QUARTERLY_2026,
        Status.IN_PROGRESS,
        reports=(
            Report("2026-01", D("2026-02-01")),  # a month, not the quarter
            Report("2026", D("2026-02-01")),  # a year
            Report("2026-Q5", D("2026-02-01")),  # invalid: reports nothing
            Report("2026-Q2", D("2026-02-01")),  # early, but it counts
        ),
    )
    occs = occurrences(m, roadmap(m), D("2026-12-31"))
    assert [o.reported for o in occs] == [False, True, False, False]


def test_done_recurring_completed_after_as_of_is_overdue_for_missed_occurrences() -> None:
    m = measure(
        QUARTERLY_2026,
        Status.DONE,
        completed=D("2027-01-05"),
        reports=(
            Report("2026-Q1", D("2026-04-01")),
            Report("2026-Q2", D("2026-12-20")),
            Report("2026-Q3", D("2027-01-05")),
        ),
    )
    rm = roadmap(m)
    items = overdue_items(rm, D("2026-12-01"))
    assert [(i.period, i.status) for i in items] == [
        ("2026-Q2", Status.IN_PROGRESS),
        ("2026-Q3", Status.IN_PROGRESS),
    ]
    assert fraction(m, rm, D("2026-12-01")) == pytest.approx(1 / 4)
    assert fraction(m, rm, D("2026-12-20")) == pytest.approx(2 / 4)
    assert overdue_items(rm, D("2027-01-05")) == []
    assert fraction(m, rm, D("2027-01-05")) == 1.0


def test_cancelled_recurring_is_never_overdue() -> None:
    m = measure(QUARTERLY_2026, Status.CANCELLED, reason="merged into 2.1")
    assert overdue_items(roadmap(m), D("2027-06-01")) == []


def test_due_soon_gives_only_the_next_unreported_occurrence() -> None:
    monthly = {"every": "month", "from": "2026-01", "until": "2026-12"}
    m = measure(
        monthly,
        Status.IN_PROGRESS,
        reports=(Report("2026-03", D("2026-03-20")), Report("2026-04", D("2026-03-20"))),
    )
    rm = roadmap(m)
    # as of 2026-03-25, March and April are reported: the next is May (deadline 05-31)
    [item] = due_soon_items(rm, D("2026-03-25"), D("2026-06-30"))
    assert (item.period, item.deadline, item.days) == ("2026-05", D("2026-05-31"), 67)
    # the next is outside the window: nothing, even though later ones are not reported either
    assert due_soon_items(rm, D("2026-03-25"), D("2026-05-30")) == []
    # on a deadline day the occurrence is due today
    [item] = due_soon_items(rm, D("2026-01-31"), D("2026-01-31"))
    assert (item.period, item.days) == ("2026-01", 0)
    # past the last occurrence nothing is due
    assert due_soon_items(rm, D("2027-01-01"), D("2027-12-31")) == []


# --------------------------------------------------------------------------------------------
# Progress


@pytest.mark.parametrize(
    ("m", "as_of", "f", "e"),
    [
        (measure("2026-Q4", Status.NOT_STARTED), "2026-12-31", 0.0, 1.0),
        (measure("2026-Q4", Status.NOT_STARTED), "2026-12-30", 0.0, 0.0),
        (measure("2026-Q4", Status.IN_PROGRESS, progress=40), "2026-06-01", 0.4, 0.0),
        (measure("2026-Q4", Status.IN_PROGRESS), "2026-06-01", 0.0, 0.0),
        (measure("2026-Q4", Status.BLOCKED, reason="r"), "2027-01-01", 0.0, 1.0),
        (measure("2026-Q4", Status.DONE, completed=D("2026-05-01")), "2026-06-01", 1.0, 0.0),
        (measure("2026-Q4", Status.DONE, completed=D("2026-07-01")), "2026-06-01", 0.0, 0.0),
        (measure("2026-Q4", Status.CANCELLED, reason="r"), "2026-06-01", None, None),
        (measure("ongoing", Status.IN_PROGRESS, progress=50), "2026-06-01", None, None),
        (
            measure(
                QUARTERLY_2026,
                Status.IN_PROGRESS,
                progress=90,  # ignored: recurring counts reports
                reports=(Report("2026-Q1", D("2026-04-01")), Report("2026-Q2", D("2026-07-01"))),
            ),
            "2026-07-14",  # Q2's deadline with grace is 07-15
            0.5,
            0.25,
        ),
    ],
)
def test_fraction_and_expected(m: Measure, as_of: str, f: float | None, e: float | None) -> None:
    rm = roadmap(m)
    assert fraction(m, rm, D(as_of)) == f
    assert expected_fraction(m, rm, D(as_of)) == e


def _pairs(*ms: Measure) -> list[tuple[Measure, Roadmap]]:
    rm = roadmap(*ms)
    return [(m, rm) for m in ms]


def test_progress_weighted_by_hand() -> None:
    # weights 1, 2, 3; fractions 1, 0.4, 0 -> (1 + 0.8 + 0) / 6 = 30 %
    # expected: deadlines 2026-03-31 (passed), 2026-06-30 (today), 2026-12-31 -> (1 + 2) / 6 = 50 %
    ms = (
        measure("2026-Q1", Status.DONE, mid="1", completed=D("2026-03-01")),
        measure("2026-Q2", Status.IN_PROGRESS, mid="2", progress=40, weight=2),
        measure("2026-Q4", Status.NOT_STARTED, mid="3", weight=3),
        measure("2026-Q1", Status.CANCELLED, mid="4", reason="r", weight=100),
        measure("ongoing", Status.IN_PROGRESS, mid="5", weight=100),
    )
    assert progress(_pairs(*ms), D("2026-06-30")) == (30.0, 50.0)


@pytest.mark.parametrize(
    ("done", "total", "pct"),
    [
        (1, 3, 33.3),
        (2, 3, 66.7),
        (1, 16, 6.2),  # 6.25: an exact tie rounds to the even digit
        (3, 16, 18.8),  # 18.75: an exact tie rounds to the even digit
        (1, 8, 12.5),
        (0, 5, 0.0),
        (5, 5, 100.0),
    ],
)
def test_progress_rounding(done: int, total: int, pct: float) -> None:
    ms = [
        measure(
            "2030",
            Status.DONE if i < done else Status.NOT_STARTED,
            mid=str(i),
            completed=D("2026-01-01"),
        )
        for i in range(total)
    ]
    assert progress(_pairs(*ms), D("2026-06-30")) == (pct, 0.0)


def test_progress_with_decimal_weights_is_exact() -> None:
    # 0.1 + 0.2 of 0.3 done: exactly 100 %, not 99.99...
    ms = (
        measure("2030", Status.DONE, mid="1", weight=0.1, completed=D("2026-01-01")),
        measure("2030", Status.DONE, mid="2", weight=0.2, completed=D("2026-01-01")),
    )
    assert progress(_pairs(*ms), D("2026-06-30")) == (100.0, 0.0)


def test_progress_with_nothing_to_count_is_none() -> None:
    assert progress([], D("2026-01-01")) == (None, None)
    ms = (measure("ongoing", Status.IN_PROGRESS), measure("2026", Status.CANCELLED, mid="2"))
    assert progress(_pairs(*ms), D("2026-01-01")) == (None, None)


def test_recurring_progress_replays_reports() -> None:
    m = measure(
        {"every": "half", "from": "2026-H1", "until": "2027-H2"},
        Status.IN_PROGRESS,
        reports=(Report("2026-H1", D("2026-07-03")), Report("2026-H2", D("2027-01-20"))),
    )
    pairs = _pairs(m)
    assert progress(pairs, D("2026-07-02")) == (0.0, 25.0)
    assert progress(pairs, D("2026-07-03")) == (25.0, 25.0)
    assert progress(pairs, D("2027-01-20")) == (50.0, 50.0)
    assert progress(pairs, D("2027-12-31")) == (50.0, 100.0)


def test_occurrence_is_a_frozen_value() -> None:
    occ = Occurrence(parse_period("2026-Q1"), D("2026-03-31"), reported=False)
    with pytest.raises(AttributeError):
        occ.reported = True  # type: ignore[misc]
    assert replace(occ, reported=True) != occ


def test_recurring_periods_are_those_rrule_lists() -> None:
    """schedule._periods counts months itself: the same periods as dateutil's rrule, for every
    kind, across year ends and leap years."""
    from datetime import datetime

    from dateutil.rrule import MONTHLY, rrule

    from roadmap_cli import schedule

    for every, step in schedule.MONTHS_IN.items():
        for year in (2023, 2024, 2027):
            for month in range(1, 13, step):
                first = schedule.period_containing(date(year, month, 1), every).start
                for span in (0, 1, 5, 13, 40):
                    last_month = month - 1 + span * step
                    last = schedule.period_containing(date(year + last_month // 12, last_month % 12 + 1, 1), every).start
                    expected = tuple(
                        schedule.period_containing(dt.date(), every)
                        for dt in rrule(MONTHLY, interval=step, dtstart=datetime.combine(first, datetime.min.time()),
                                        until=datetime.combine(last, datetime.min.time()))
                    )
                    assert schedule._periods(every, first, last) == expected, (every, first, last)


@given(st.integers(1, 9999), st.integers(1, 12))
def test_a_month_ends_where_a_calendar_month_ends(year: int, month: int) -> None:
    """Period ends are told without dateutil (its import is 2 ms of every run): the last day
    of a month is dateutil's, December of 9999 included."""
    from roadmap_cli.periods import _month_end

    assert _month_end(year, month) == date(year, month, 1) + relativedelta(day=31)


def test_every_window_name_completion_offers_is_read() -> None:
    from roadmap_cli.periods import PERIOD_END_NAMES, PeriodEnd, parse_window_or_end

    assert len(PERIOD_END_NAMES) == 8
    assert all(isinstance(parse_window_or_end(name), PeriodEnd) for name in PERIOD_END_NAMES)
