"""Pure date logic: due forms -> deadlines, status on a date, overdue and due-soon items, progress.

Nothing here reads files, prints, or looks at a clock: every function that depends on "today"
takes the as-of date as an argument. Calendar arithmetic goes through python-dateutil
(``relativedelta`` for period ends and windows).

Choices the contract leaves open, written down here (and in the docs):

- Period text is strict: ``2026-10-15``, ``2026-10``, ``2026-Q4``, ``2026-H1``, ``2026``, with
  two-digit months and days and capital ``Q``/``H``. Anything else is a ``ValueError`` whose
  message says what is wrong ("2026-02-30 is not a date: February 2026 has 28 days").
- Recurring ``from``/``until`` are stored in :class:`~roadmap_cli.model.Due` already widened to the
  recurring kind: ``start`` is the period of kind ``every`` that holds the *first* day of ``from``,
  ``until`` the period of kind ``every`` that holds the *last* day of ``until``. So
  ``{every: month, from: 2026-Q1, until: 2026-Q2}`` runs 2026-01 .. 2026-06. Missing ones are
  ``None`` and default to the roadmap's ``period`` when occurrences are computed.
- A report entry counts for an occurrence when its ``period`` parses to a period of the *same kind*
  with the same start (``2026-Q1`` matches a quarterly occurrence; ``2026-01`` does not), and its
  ``date`` is on or before the as-of date. An entry without a ``date`` counts from the end of its
  period: it cannot be known to exist earlier.
- Progress percentages are computed with exact fractions (weights taken as written in decimal) and
  then rounded with Python's ``round(x, 1)``, which rounds an exact tie to the even digit:
  1 of 16 equal measures is 6.25 % -> ``6.2``; 3 of 16 is 18.75 % -> ``18.8``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta

from roadmap_cli import anchors
from roadmap_cli.i18n import N_, _
from roadmap_cli.model import Due, Measure, Period, Roadmap, Status

#: The recurring kinds and how many months each spans.
MONTHS_IN: dict[str, int] = {"month": 1, "quarter": 3, "half": 6, "year": 12}

#: The statuses that end a measure's schedule: never overdue, never due soon.
CLOSED: frozenset[Status] = frozenset({Status.DONE, Status.CANCELLED})

_MONTH_NAMES = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)

_FORMS = N_("expected YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY")

_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
_QUARTER_RE = re.compile(r"(\d{4})-([Qq])(\d+)")
_HALF_RE = re.compile(r"(\d{4})-([Hh])(\d+)")
_YEAR_RE = re.compile(r"(\d{4})")
_LOOSE_DATE_RE = re.compile(r"\d{4}-\d{1,2}(-\d{1,2})?")
_WINDOW_RE = re.compile(r"(\d+)\s*([dwmy]?)", re.IGNORECASE)

_ONGOING_WORDS = frozenset(
    {"постоянно", "на постоянной основе", "тұрақты", "continuous", "permanent"}
)
_RECURRING_KEYS = ("every", "from", "until", "grace")
#: the due `roadmap import` writes where it could not read the signed deadline (rule todo warns)
TODO = "TODO"
_ON_REQUEST_WORDS = frozenset(
    {
        "on request",
        "on-request",
        "as needed",
        "по мере необходимости",
        "по согласованию сторон",
        "по запросу",
        "қажеттілігіне қарай",
    }
)


# --------------------------------------------------------------------------------------------
# Parsing


def _show(text: object) -> str:
    """Text as shown in a message: bare, unless empty, not text, or holding spaces."""
    if isinstance(text, str) and text and not any(c.isspace() for c in text):
        return text
    return repr(text)


def _days_in_month(year: int, month: int) -> int:
    last: date = date(year, month, 1) + relativedelta(day=31)
    return last.day


def _check_year(text: str, what: str, year: int) -> None:
    if year < 1:
        raise ValueError(_("{text} is not {what}: there is no year 0").format(text=text, what=_(what)))


def _check_month(text: str, what: str, month: int) -> None:
    if not 1 <= month <= 12:
        raise ValueError(_("{text} is not {what}: there is no month {month}").format(
            text=text, what=_(what), month=month
        ))


def parse_date(text: str) -> date:
    """A strict ISO ``YYYY-MM-DD`` date; ``ValueError`` says what is wrong with anything else."""
    if type(text) is str:
        return _parse_date_text(text)  # the same few hundred dates recur across a repository
    return _parse_date(text)


@lru_cache(maxsize=8192)
def _parse_date_text(text: str) -> date:
    return _parse_date(text)


def _parse_date(text: str) -> date:
    """A strict ISO ``YYYY-MM-DD`` date; ``ValueError`` says what is wrong with anything else."""
    if not isinstance(text, str):
        raise ValueError(_("{value} is not a date: expected text YYYY-MM-DD").format(value=repr(text)))
    m = _DATE_RE.fullmatch(text)
    if m is None:
        hint = _padding_hint(text)
        raise ValueError(_("{value} is not a date: expected YYYY-MM-DD{hint}").format(
            value=_show(text), hint=hint
        ))
    year, month, day = (int(g) for g in m.groups())
    _check_year(text, N_("a date"), year)
    _check_month(text, N_("a date"), month)
    last = _days_in_month(year, month)
    if day == 0:
        raise ValueError(_("{text} is not a date: there is no day 0").format(text=text))
    if day > last:
        raise ValueError(_("{text} is not a date: {month} {year} has {last} days").format(
            text=text, month=_(_MONTH_NAMES[month - 1]), year=year, last=last
        ))
    return date(year, month, day)


def _padding_hint(text: str) -> str:
    if _LOOSE_DATE_RE.fullmatch(text.strip()):
        return " " + _("(months and days take two digits, e.g. 2026-01-05)")
    return ""


def _month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    return Period("month", start, start + relativedelta(day=31), f"{year:04d}-{month:02d}")


def _quarter_period(year: int, quarter: int) -> Period:
    start = date(year, 3 * quarter - 2, 1)
    return Period(
        "quarter", start, start + relativedelta(months=2, day=31), f"{year:04d}-Q{quarter}"
    )


def _half_period(year: int, half: int) -> Period:
    start = date(year, 6 * half - 5, 1)
    return Period("half", start, start + relativedelta(months=5, day=31), f"{year:04d}-H{half}")


def _year_period(year: int) -> Period:
    return Period("year", date(year, 1, 1), date(year, 12, 31), f"{year:04d}")


def parse_period(text: str) -> Period:
    """One of the period forms -> :class:`Period` with its first and last day and canonical text.

    ``2026-10-15`` (a date: start = end), ``2026-10``, ``2026-Q4``, ``2026-H1``, ``2026``.
    """
    if type(text) is str:
        return _parse_period_text(text)  # periods are immutable: one per text is shared
    return _parse_period(text)


@lru_cache(maxsize=8192)
def _parse_period_text(text: str) -> Period:
    return _parse_period(text)


def _parse_period(text: str) -> Period:
    if not isinstance(text, str):
        raise ValueError(_("{value} is not a date or period: {forms}").format(
            value=repr(text), forms=_(_FORMS)
        ))
    if _DATE_RE.fullmatch(text):
        d = parse_date(text)
        return Period("date", d, d, text)
    if m := _MONTH_RE.fullmatch(text):
        year, month = int(m[1]), int(m[2])
        _check_year(text, N_("a month"), year)
        _check_month(text, N_("a month"), month)
        return _month_period(year, month)
    if m := _QUARTER_RE.fullmatch(text):
        year, letter, n = int(m[1]), m[2], int(m[3])
        _check_year(text, N_("a quarter"), year)
        if not 1 <= n <= 4:
            raise ValueError(_("{text} is not a quarter: quarters are Q1 to Q4").format(text=text))
        if letter != "Q":
            raise ValueError(_("{text} is not a quarter: write a capital Q ({fixed})").format(
                text=text, fixed=f"{year:04d}-Q{n}"
            ))
        return _quarter_period(year, n)
    if m := _HALF_RE.fullmatch(text):
        year, letter, n = int(m[1]), m[2], int(m[3])
        _check_year(text, N_("a half-year"), year)
        if not 1 <= n <= 2:
            raise ValueError(_("{text} is not a half-year: halves are H1 and H2").format(text=text))
        if letter != "H":
            raise ValueError(_("{text} is not a half-year: write a capital H ({fixed})").format(
                text=text, fixed=f"{year:04d}-H{n}"
            ))
        return _half_period(year, n)
    if _YEAR_RE.fullmatch(text):
        year = int(text)
        _check_year(text, N_("a year"), year)
        return _year_period(year)
    raise ValueError(_("{value} is not a date or period: {forms}").format(
        value=_show(text), forms=_(_FORMS)
    ) + _padding_hint(text))


def period_containing(d: date, every: str) -> Period:
    """The month, quarter, half or year (or the single ``date``) that holds ``d``."""
    if type(d) is date and type(every) is str:
        return _period_containing_date(d, every)  # recurring spans ask for the same ones
    return _period_containing(d, every)


@lru_cache(maxsize=8192)
def _period_containing_date(d: date, every: str) -> Period:
    return _period_containing(d, every)


def _period_containing(d: date, every: str) -> Period:
    if every == "date":
        return Period("date", d, d, d.isoformat())
    if every == "month":
        return _month_period(d.year, d.month)
    if every == "quarter":
        return _quarter_period(d.year, (d.month - 1) // 3 + 1)
    if every == "half":
        return _half_period(d.year, 1 if d.month <= 6 else 2)
    if every == "year":
        return _year_period(d.year)
    raise ValueError(f"{every!r} is not a period kind: expected month, quarter, half or year")


def parse_as_of(text: str) -> date:
    """An as-of date: an ISO date, or a period form meaning its last day (2026-Q2 -> 2026-06-30)."""
    return parse_period(text.strip() if isinstance(text, str) else text).end


def _period_value(value: object, key: str) -> Period:
    """A recurring ``from``/``until`` value: period text, a bare year, or an already-parsed date."""
    if isinstance(value, bool):
        raise ValueError(f"recurring `{key}` must be a date or period, not {value!r}")
    if isinstance(value, int):
        value = f"{value:04d}" if value >= 0 else str(value)
    elif isinstance(value, date) and not isinstance(value, datetime):
        return Period("date", value, value, value.isoformat())
    if not isinstance(value, str):
        raise ValueError(f"recurring `{key}` must be a date or period, not {value!r}")
    try:
        return parse_period(value)
    except ValueError as e:
        raise ValueError(f"recurring `{key}`: {e}") from None


def parse_due(raw: str | int | date | Mapping[str, Any]) -> Due:
    """A measure's ``due`` as written -> :class:`Due`; ``ValueError`` on anything invalid.

    Fixed forms keep their :class:`Period` (deadline = its last day). ``ongoing`` has no
    deadline. A recurring mapping ``{every, from?, until?, grace?}`` keeps ``every``, ``grace``
    (default 0, a whole number of days >= 0) and ``start``/``until`` widened to periods of kind
    ``every`` (see the module docstring); absent ones stay ``None`` (the roadmap's period).
    A bare integer year (``due: 2026`` read by YAML as a number) and a ``date`` object are
    accepted as the same forms; ``raw`` is kept exactly as given.
    """
    if isinstance(raw, Mapping):
        if "after" in raw or "within" in raw:
            return anchors.parse_after(raw)
        return _parse_recurring(raw)
    if isinstance(raw, bool):
        raise ValueError(
            f"due must be a date, period, `ongoing` or a recurring mapping, not {raw!r}"
        )
    if isinstance(raw, int):
        period = parse_period(f"{raw:04d}" if raw >= 0 else str(raw))
        return Due(kind=period.kind, raw=raw, period=period)
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return Due(kind="date", raw=raw, period=Period("date", raw, raw, raw.isoformat()))
    if not isinstance(raw, str):
        raise ValueError(
            f"due must be a date, period, `ongoing` or a recurring mapping, not {raw!r}"
        )
    if raw in ("ongoing", "on_request"):
        return Due(kind=raw, raw=raw)
    if raw == TODO:  # left by `roadmap import`: no deadline until a person writes one
        return Due(kind="ongoing", raw=raw)
    if raw.strip().lower() in _ONGOING_WORDS or raw.strip().lower() == "ongoing":
        raise ValueError(
            f"{_show(raw)} is not a due form: write `ongoing` for a measure with no deadline"
        )
    if raw.strip().lower() in _ON_REQUEST_WORDS:
        raise ValueError(
            "{due} is not a due form: write `on_request` for a measure done as the need "
            "arises".format(due=_show(raw))
        )
    try:
        period = parse_period(raw)
    except ValueError as e:
        if _(_FORMS) not in str(e):
            raise  # a specific complaint: 2026-Q5, 2026-02-30, ...
        raise ValueError(
            f"{_show(raw)} is not a due form: expected a date (2026-10-15), a month (2026-10), "
            "a quarter (2026-Q4), a half-year (2026-H1), a year (2026), `ongoing`, or a recurring "
            f"mapping such as {{every: quarter, grace: 15}}{_padding_hint(raw)}"
        ) from None
    return Due(kind=period.kind, raw=raw, period=period)


def _parse_recurring(raw: Mapping[str, Any]) -> Due:
    unknown = [str(k) for k in raw if k not in _RECURRING_KEYS]
    if unknown:
        raise ValueError(
            f"recurring due has unknown key(s) {', '.join(unknown)}: "
            "allowed are every, from, until, grace"
        )
    every = raw.get("every")
    if every is None:
        raise ValueError("recurring due needs `every`: month, quarter, half or year")
    if every not in MONTHS_IN:
        raise ValueError(f"recurring `every` must be month, quarter, half or year, not {every!r}")
    grace = raw.get("grace", 0)
    if grace is None:
        grace = 0
    if isinstance(grace, bool) or not isinstance(grace, int) or grace < 0:
        raise ValueError(f"recurring `grace` must be a whole number of days >= 0, not {grace!r}")
    start = until = None
    if raw.get("from") is not None:
        start = period_containing(_period_value(raw["from"], "from").start, every)
    if raw.get("until") is not None:
        until = period_containing(_period_value(raw["until"], "until").end, every)
    if start is not None and until is not None and start.start > until.start:
        raise ValueError(
            f"recurring due runs backwards: from {start.text} is after until {until.text}"
        )
    return Due(kind="recurring", raw=raw, every=every, start=start, until=until, grace=grace)


def parse_window(text: str) -> relativedelta:
    """``14d``, ``2w``, ``3m``, ``1y`` or plain ``30`` (days) -> a :class:`relativedelta`."""
    m = _WINDOW_RE.fullmatch(text.strip()) if isinstance(text, str) else None
    if m is None:
        raise ValueError(
            f"{_show(text)} is not a window: expected a number of days (30, 14d), weeks (2w), "
            "months (3m) or years (1y)"
        )
    n, unit = int(m[1]), m[2].lower()
    if unit == "w":
        return relativedelta(weeks=n)
    if unit == "m":
        return relativedelta(months=n)
    if unit == "y":
        return relativedelta(years=n)
    return relativedelta(days=n)


def window_end(as_of: date, window: relativedelta) -> date:
    """The last day of the window that starts on ``as_of`` (inclusive): as-of + window."""
    end: date = as_of + window
    return end


# --------------------------------------------------------------------------------------------
# Recurring occurrences and deadlines


@dataclass(frozen=True)
class Occurrence:
    """One period of a recurring measure, its deadline, and whether it is reported as of a date."""

    period: Period
    deadline: date
    reported: bool


def _span(due: Due, roadmap: Roadmap) -> list[Period]:
    """The periods of a recurring measure, in order (empty for other forms)."""
    if not due.recurring or due.every is None:
        return []
    first = due.start or period_containing(roadmap.period_start, due.every)
    last = due.until or period_containing(roadmap.period_end, due.every)
    if first.start > last.start:
        return []
    return list(_periods(due.every, first.start, last.start))


def occurrence_count(due: Due, period_start: date, period_end: date) -> int:
    """How many occurrences a recurring ``due`` has in a document of that period (0 for other
    forms), counted without listing them: the limits on occurrences are checked with it before
    any report lists them (docs/limits.md)."""
    if not due.recurring or due.every is None:
        return 0
    first = due.start or period_containing(period_start, due.every)
    last = due.until or period_containing(period_end, due.every)
    if first.start > last.start:
        return 0
    months = (last.start.year - first.start.year) * 12 + last.start.month - first.start.month
    return months // MONTHS_IN[due.every] + 1


@lru_cache(maxsize=4096)
def _periods(every: str, first: date, last: date) -> tuple[Period, ...]:
    """The periods of kind ``every`` starting from ``first`` to ``last`` (period starts: the
    first of a month), every ``MONTHS_IN[every]`` months (memoised: a report asks for the same
    spans many times). Plain month arithmetic: dateutil's rrule took a fifth of a warm report."""
    step = MONTHS_IN[every]
    months = (last.year - first.year) * 12 + last.month - first.month
    out = []
    for k in range(0, months + 1, step):
        m = first.month - 1 + k
        out.append(period_containing(date(first.year + m // 12, m % 12 + 1, first.day), every))
    return tuple(out)


def _report_date(period: Period, when: date | None) -> date:
    """When a report entry becomes known: its date, or (undated) its period's last day."""
    return when if when is not None else period.end


def _reported_starts(measure: Measure, kind: str, as_of: date) -> set[date]:
    """Starts of the periods of ``kind`` that ``measure`` reports on or before ``as_of``."""
    starts: set[date] = set()
    for report in measure.reports:
        try:
            period = parse_period(str(report.period))
        except ValueError:
            continue  # an invalid period is a validation error; it reports nothing
        if period.kind == kind and _report_date(period, report.date) <= as_of:
            starts.add(period.start)
    return starts


def occurrences(measure: Measure, roadmap: Roadmap, as_of: date) -> list[Occurrence]:
    """A recurring measure's occurrences in order, each reported or not as of ``as_of``.

    Empty for every other due form. The due is the one in force on ``as_of``.
    """
    due = anchors.due_in_force(measure, roadmap, as_of)
    periods = _span(due, roadmap)
    if not periods:
        return []
    grace = timedelta(days=due.grace)
    reported = _reported_starts(measure, periods[0].kind, as_of)
    return [Occurrence(p, p.end + grace, p.start in reported) for p in periods]


def deadline(measure: Measure, roadmap: Roadmap, as_of: date | None = None) -> date | None:
    """The last day on which the measure is on time, by the due in force on ``as_of``.

    Fixed forms: their period's last day. ``ongoing`` and ``on_request``: ``None``. Recurring:
    the last occurrence's deadline (``None`` if it has no occurrence at all). ``{after, within}``:
    anchor date + within, ``None`` while waiting. ``as_of=None``: by the current due, with every
    anchor date the file records.
    """
    return due_deadline(anchors.due_in_force(measure, roadmap, as_of), roadmap, as_of)


def signed_deadline(measure: Measure, roadmap: Roadmap, as_of: date | None = None) -> date | None:
    """The deadline as signed: of the first ``rescheduled`` entry's ``from``, else of ``due``
    (an anchored one known as of ``as_of``)."""
    return due_deadline(anchors.signed_due(measure), roadmap, as_of)


def due_deadline(due: Due, roadmap: Roadmap, as_of: date | None = None) -> date | None:
    """The deadline of one due form in ``roadmap`` (see :func:`deadline`)."""
    if due.anchored:
        return anchors.anchored_deadline(roadmap, due, as_of)
    if due.recurring:
        periods = _span(due, roadmap)
        return periods[-1].end + timedelta(days=due.grace) if periods else None
    if due.period is not None:
        return due.period.end
    return None


def occurrence_deadline(due: Due, roadmap: Roadmap, period: str) -> date | None:
    """The deadline of the occurrence named ``period`` under a recurring ``due``; None when the
    due is not recurring or has no such occurrence."""
    for p in _span(due, roadmap):
        if p.text == period:
            return p.end + timedelta(days=due.grace)
    return None


def status_as_of(measure: Measure, as_of: date) -> Status:
    """The status on ``as_of``: a ``done`` measure completed after that day is still in progress."""
    if (
        measure.status is Status.DONE
        and measure.completed is not None
        and measure.completed > as_of
    ):
        return Status.IN_PROGRESS
    return Status(measure.status)


def done_late(measure: Measure, roadmap: Roadmap, as_of: date | None = None) -> bool:
    """Status ``done`` (as written) with ``completed`` after the deadline (in force on
    ``as_of``)."""
    if measure.status is not Status.DONE or measure.completed is None:
        return False
    end = deadline(measure, roadmap, as_of)
    return end is not None and measure.completed > end


# --------------------------------------------------------------------------------------------
# Items: what is overdue, what falls due soon


@dataclass(frozen=True)
class Item:
    """One overdue or due-soon item: a measure, or one occurrence of a recurring measure.

    ``days`` is days overdue for an overdue item (>= 1) and days left for a due-soon item (>= 0).
    ``status`` is the measure's status as of the date asked.
    """

    roadmap: Roadmap
    measure: Measure
    deadline: date
    period: str | None
    days: int
    status: Status


def measure_overdue(measure: Measure, roadmap: Roadmap, as_of: date) -> list[Item]:
    """The overdue items of one measure as of ``as_of`` (see :func:`overdue_items`)."""
    status = status_as_of(measure, as_of)
    due = anchors.due_in_force(measure, roadmap, as_of)
    if status in CLOSED or due.open_ended:
        return []
    if due.recurring:
        return [
            Item(roadmap, measure, o.deadline, o.period.text, (as_of - o.deadline).days, status)
            for o in occurrences(measure, roadmap, as_of)
            if o.deadline < as_of and not o.reported
        ]
    end = due_deadline(due, roadmap, as_of)
    if end is not None and end < as_of:
        return [Item(roadmap, measure, end, None, (as_of - end).days, status)]
    return []


def measure_due_soon(measure: Measure, roadmap: Roadmap, as_of: date, end: date) -> list[Item]:
    """The due-soon item of one measure (at most one; see :func:`due_soon_items`)."""
    status = status_as_of(measure, as_of)
    due = anchors.due_in_force(measure, roadmap, as_of)
    if status in CLOSED or due.open_ended:
        return []
    if due.recurring:
        for o in occurrences(measure, roadmap, as_of):
            if o.deadline >= as_of and not o.reported:
                if o.deadline > end:
                    return []
                days = (o.deadline - as_of).days
                return [Item(roadmap, measure, o.deadline, o.period.text, days, status)]
        return []
    when = due_deadline(due, roadmap, as_of)
    if when is not None and as_of <= when <= end:
        return [Item(roadmap, measure, when, None, (when - as_of).days, status)]
    return []


def overdue_items(roadmap: Roadmap, as_of: date) -> list[Item]:
    """Every overdue item of ``roadmap`` as of ``as_of``, in measure order (occurrences in order).

    A measure not done or cancelled (as of) whose deadline is strictly before ``as_of``; for a
    recurring one, each unreported occurrence whose deadline is strictly before ``as_of``.
    ``ongoing`` measures are never overdue.
    """
    return [i for m in roadmap.measures for i in measure_overdue(m, roadmap, as_of)]


def due_soon_items(roadmap: Roadmap, as_of: date, end: date) -> list[Item]:
    """Items of ``roadmap`` falling due between ``as_of`` and ``end`` inclusive, in measure order.

    Not done or cancelled (as of). A recurring measure contributes at most one item: its next
    unreported occurrence whose deadline is on or after ``as_of``, if that deadline is <= ``end``.
    """
    return [i for m in roadmap.measures for i in measure_due_soon(m, roadmap, as_of, end)]


# --------------------------------------------------------------------------------------------
# Progress


def _left_out(measure: Measure, roadmap: Roadmap, as_of: date) -> bool:
    """Cancelled (as of), ``ongoing`` or ``on_request`` (in force on ``as_of``), or recurring
    with no occurrence at all."""
    due = anchors.due_in_force(measure, roadmap, as_of)
    if status_as_of(measure, as_of) is Status.CANCELLED or due.open_ended:
        return True
    return due.recurring and not _span(due, roadmap)


def _exact_fraction(measure: Measure, roadmap: Roadmap, as_of: date) -> Fraction | None:
    if _left_out(measure, roadmap, as_of):
        return None
    status = status_as_of(measure, as_of)
    if status is Status.DONE:
        return Fraction(1)
    if anchors.due_in_force(measure, roadmap, as_of).recurring:
        occs = occurrences(measure, roadmap, as_of)
        return Fraction(sum(o.reported for o in occs), len(occs))
    if status is Status.IN_PROGRESS and measure.progress is not None:
        return Fraction(measure.progress, 100)
    return Fraction(0)


def _exact_expected(measure: Measure, roadmap: Roadmap, as_of: date) -> Fraction | None:
    if _left_out(measure, roadmap, as_of):
        return None
    due = anchors.due_in_force(measure, roadmap, as_of)
    if due.recurring:
        occs = _span(due, roadmap)
        grace = timedelta(days=due.grace)
        return Fraction(sum(p.end + grace <= as_of for p in occs), len(occs))
    end = due_deadline(due, roadmap, as_of)
    if end is None:
        return Fraction(0) if due.anchored else None  # waiting: expected 0
    return Fraction(1 if end <= as_of else 0)


def fraction(measure: Measure, roadmap: Roadmap, as_of: date) -> float | None:
    """How complete the measure is as of the date, 0..1; ``None`` when it is left out of progress.

    Left out: cancelled, ``ongoing`` and ``on_request``. Done (as of): 1. Recurring: reported occurrences /
    all occurrences. In progress with ``progress``: progress / 100. Anything else: 0.
    """
    f = _exact_fraction(measure, roadmap, as_of)
    return None if f is None else float(f)


def expected_fraction(measure: Measure, roadmap: Roadmap, as_of: date) -> float | None:
    """Where the schedule says the measure should be as of the date, 0..1 (``None``: left out).

    Non-recurring: 1 if its deadline is on or before ``as_of``, else 0 (0 while waiting).
    Recurring: occurrences whose deadline is on or before ``as_of`` / all occurrences.
    """
    f = _exact_expected(measure, roadmap, as_of)
    return None if f is None else float(f)


def _weight(measure: Measure) -> Fraction:
    """The weight as the exact fraction written (0.1 is one tenth, not its binary neighbour)."""
    w = measure.weight
    if isinstance(w, int):
        return Fraction(w)
    return Fraction(repr(float(w)))


def _pct(total: Fraction, weights: Fraction) -> float:
    return float(round(100 * total / weights, 1))


def progress(
    measures: Iterable[tuple[Measure, Roadmap]], as_of: date
) -> tuple[float | None, float | None]:
    """(progress_pct, expected_pct) of a set of (measure, roadmap) pairs as of a date.

    100 * Σ weight * fraction / Σ weight over the measures not left out, computed exactly and
    rounded with ``round(x, 1)`` (exact ties go to the even digit). ``(None, None)`` when nothing
    counts. Measures with a weight <= 0 (a validation error) are ignored.
    """
    weights = done = expected = Fraction(0)
    for measure, roadmap in measures:
        f = _exact_fraction(measure, roadmap, as_of)
        e = _exact_expected(measure, roadmap, as_of)
        w = _weight(measure)
        if f is None or e is None or w <= 0:
            continue
        weights += w
        done += w * f
        expected += w * e
    if weights == 0:
        return None, None
    return _pct(done, weights), _pct(expected, weights)


def progress_series(
    measures: Iterable[tuple[Measure, Roadmap]], dates: Sequence[date]
) -> list[tuple[float | None, float | None]]:
    """:func:`progress` at each of ``dates``, in one pass over the measures' events.

    Which measures count does not depend on the date (cancelled and ``ongoing`` are so as of
    any date), so each counted measure is a sum of steps: its expected fraction steps up at
    each deadline, its done fraction at each first report of an occurrence, at ``completed``,
    or from the start (``progress`` of a measure in progress). The steps are sorted once and
    swept with the sorted dates: the cost is the number of occurrences plus the number of dates,
    where calling :func:`progress` at every date cost their product (a burn-up of 3,600 monthly
    points over a measure of 3,600 occurrences took 14 s).
    """
    start = date.min
    steps: list[tuple[date, Fraction, Fraction]] = []  # (when, done step, expected step)
    weights = Fraction(0)
    for measure, roadmap in measures:
        w = _weight(measure)
        if w <= 0 or measure.status is Status.CANCELLED or measure.due.ongoing:
            continue
        done_steps: list[tuple[date, Fraction]] = []
        if measure.due.recurring:
            periods = _span(measure.due, roadmap)
            if not periods:
                continue
            share = w / len(periods)
            grace = timedelta(days=measure.due.grace)
            steps.extend((p.end + grace, Fraction(0), share) for p in periods)
            starts = {p.start for p in periods}
            first: dict[date, date] = {}
            for report in measure.reports:
                try:
                    period = parse_period(str(report.period))
                except ValueError:
                    continue
                if period.kind == periods[0].kind and period.start in starts:
                    when = _report_date(period, report.date)
                    first[period.start] = min(first.get(period.start, when), when)
            done_steps = [(when, share) for when in first.values()]
        else:
            end = deadline(measure, roadmap)
            if end is None:
                continue
            steps.append((end, Fraction(0), w))
            written = Status(measure.status)
            if measure.progress is not None and (
                written is Status.IN_PROGRESS or (written is Status.DONE and measure.completed is not None)
            ):
                done_steps = [(start, w * Fraction(measure.progress, 100))]
        weights += w
        if measure.status is Status.DONE:
            completed = measure.completed if measure.completed is not None else start
            before = [(when, step) for when, step in done_steps if when < completed]
            done_steps = [*before, (completed, w - sum((step for _, step in before), Fraction(0)))]
        steps.extend((when, step, Fraction(0)) for when, step in done_steps)
    if weights == 0:
        return [(None, None)] * len(dates)
    steps.sort(key=lambda s: s[0])
    out: dict[date, tuple[float | None, float | None]] = {}
    done = expected = Fraction(0)
    i = 0
    for d in sorted(set(dates)):
        while i < len(steps) and steps[i][0] <= d:
            done += steps[i][1]
            expected += steps[i][2]
            i += 1
        out[d] = (_pct(done, weights), _pct(expected, weights))
    return [out[d] for d in dates]


def is_complete(measures: Iterable[tuple[Measure, Roadmap]], as_of: date) -> bool:
    """True when something counts for progress and every counted measure has fraction 1."""
    counted = False
    for measure, roadmap in measures:
        f = _exact_fraction(measure, roadmap, as_of)
        if f is None or _weight(measure) <= 0:
            continue
        counted = True
        if f != 1:
            return False
    return counted

