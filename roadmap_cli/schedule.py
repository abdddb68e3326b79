"""Pure date logic: due forms -> deadlines, status on a date, overdue and due-soon items, progress.

Nothing here reads files, prints, or looks at a clock: every function that depends on "today"
takes the as-of date as an argument. Calendar arithmetic goes through python-dateutil
(``relativedelta`` for period ends and windows, in :mod:`roadmap_cli.periods`).

The forms a document writes dates in (dates, periods, dues, windows) are parsed by
:mod:`roadmap_cli.periods`; its parsers are importable from here too.

Choices the contract leaves open, written down here (and in the docs; the parsing ones in
:mod:`roadmap_cli.periods`):

- A report entry counts for an occurrence when its ``period`` parses to a period of the *same kind*
  with the same start (``2026-Q1`` matches a quarterly occurrence; ``2026-01`` does not), and its
  ``date`` is on or before the as-of date. An entry without a ``date`` counts from the end of its
  period: it cannot be known to exist earlier.
- Progress percentages are computed with exact fractions (weights taken as written in decimal) and
  then rounded with Python's ``round(x, 1)``, which rounds an exact tie to the even digit:
  1 of 16 equal measures is 6.25 % -> ``6.2``; 3 of 16 is 18.75 % -> ``18.8``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from functools import lru_cache
from itertools import repeat
from typing import TYPE_CHECKING

from roadmap_cli import anchors
from roadmap_cli.digest import AsOf
from roadmap_cli.model import Due, Measure, Period, Roadmap, Status

# the parsers of the date forms, used here and importable from here as before the split
from roadmap_cli.periods import MONTHS_IN as MONTHS_IN
from roadmap_cli.periods import TODO as TODO
from roadmap_cli.periods import RunsBackwards as RunsBackwards
from roadmap_cli.periods import parse_as_of as parse_as_of
from roadmap_cli.periods import parse_date as parse_date
from roadmap_cli.periods import parse_due as parse_due
from roadmap_cli.periods import parse_period as parse_period
from roadmap_cli.periods import parse_window as parse_window
from roadmap_cli.periods import period_containing as period_containing
from roadmap_cli.periods import window_end as window_end
from roadmap_cli.record import Record, record

if TYPE_CHECKING:  # (imported where the exact definitions run: fractions imports decimal,
    # a millisecond and a half of every run that never reaches them)
    from fractions import Fraction

#: The statuses that end a measure's schedule: never overdue, never due soon.
CLOSED: frozenset[Status] = frozenset({Status.DONE, Status.CANCELLED})


# --------------------------------------------------------------------------------------------
# Recurring occurrences and deadlines


@record
class Occurrence(Record):
    """One period of a recurring measure, its deadline, and whether it is reported as of a date."""

    period: Period
    deadline: date
    reported: bool


def _span(due: Due, roadmap: Roadmap) -> list[Period]:
    """The periods of a recurring measure, in order (empty for other forms)."""
    return list(_span_of(due, roadmap))


def _span_of(due: Due, roadmap: Roadmap) -> tuple[Period, ...]:
    """:func:`_span` as the memoised tuple (do not change it)."""
    if not due.recurring or due.every is None:
        return ()
    return _span_tuple(
        due.every, due.start, due.until, roadmap.period_start, roadmap.period_end
    )


@lru_cache(maxsize=4096)
def _span_tuple(
    every: str, start: Period | None, until: Period | None, period_start: date, period_end: date
) -> tuple[Period, ...]:
    first = start or period_containing(period_start, every)
    last = until or period_containing(period_end, every)
    if first.start > last.start:
        return ()
    return _periods(every, first.start, last.start)


def _deadlines(due: Due, roadmap: Roadmap) -> tuple[date, ...]:
    """The deadline of each occurrence of a recurring ``due`` (empty for other forms), memoised
    per due form and document period: they do not depend on the as-of date."""
    if not due.recurring or due.every is None:
        return ()
    return _deadlines_tuple(
        due.every, due.start, due.until, roadmap.period_start, roadmap.period_end, due.grace
    )


@lru_cache(maxsize=4096)
def _deadlines_tuple(
    every: str, start: Period | None, until: Period | None, period_start: date, period_end: date,
    grace: int,
) -> tuple[date, ...]:
    days = timedelta(days=grace)
    return tuple(p.end + days for p in _span_tuple(every, start, until, period_start, period_end))


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


def _occurrences(
    measure: Measure, roadmap: Roadmap, as_of: date, due: Due
) -> Iterator[tuple[Period, date, bool]]:
    """:func:`occurrences` under ``due`` (the due in force) as plain (period, deadline,
    reported) triples, from the memoised spans and deadlines."""
    periods = _span_of(due, roadmap)
    if not periods:
        return iter(())
    deadlines = _deadlines(due, roadmap)
    if not measure.reports:
        return zip(periods, deadlines, repeat(False))
    reported = _reported_starts(measure, periods[0].kind, as_of)
    return zip(periods, deadlines, (p.start in reported for p in periods), strict=True)


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


def status_as_of(measure: AsOf, as_of: date) -> Status:
    """The status on ``as_of``: a ``done`` measure completed after that day is still in progress."""
    if (
        measure.status is Status.DONE
        and measure.completed is not None
        and measure.completed > as_of
    ):
        return Status.IN_PROGRESS
    written = measure.status
    return written if written.__class__ is Status else Status(written)


def done_late(measure: Measure, roadmap: Roadmap, as_of: date | None = None) -> bool:
    """Status ``done`` (as of ``as_of``: completed on or before it) with ``completed`` after
    the deadline in force on ``as_of`` (without ``as_of``: as written, the deadline signed)."""
    if measure.status is not Status.DONE or measure.completed is None:
        return False
    return completed_late(measure, deadline(measure, roadmap, as_of), as_of)


# --------------------------------------------------------------------------------------------
# Items: what is overdue, what falls due soon


@record
class Item(Record):
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
    return _items_as_of(measure, roadmap, as_of)[0]


def measure_due_soon(measure: Measure, roadmap: Roadmap, as_of: date, end: date) -> list[Item]:
    """The due-soon item of one measure (at most one; see :func:`due_soon_items`): its next open
    deadline, when that is on or before ``end``."""
    upcoming = _items_as_of(measure, roadmap, as_of)[1]
    return [upcoming] if upcoming is not None and upcoming.deadline <= end else []


def _items_as_of(measure: Measure, roadmap: Roadmap, as_of: date) -> tuple[list[Item], Item | None]:
    """:func:`measure_items` of a measure, its status and due in force worked out here."""
    due = anchors.due_in_force(measure, roadmap, as_of)
    return measure_items(
        measure, roadmap, as_of, status_as_of(measure, as_of), due, due_deadline(due, roadmap, as_of)
    )


def measure_items(
    measure: Measure, roadmap: Roadmap, as_of: date, status: Status, due: Due, end: date | None
) -> tuple[list[Item], Item | None]:
    """The items of one measure as of ``as_of``, in one look at its deadlines: its overdue items
    (a deadline strictly before ``as_of``; for a recurring measure, each unreported occurrence's)
    and its next open deadline (the first on or after ``as_of``; None: none), none for a measure
    closed (done or cancelled as of ``as_of``) or open-ended. From its status as of ``as_of``
    (:func:`status_as_of`), its due in force then (:func:`roadmap_cli.anchors.due_in_force`)
    and that due's deadline ``end`` (:func:`due_deadline`), which the caller has worked out:
    :func:`measure_overdue` and :func:`measure_due_soon` are these."""
    if status in CLOSED or due.open_ended:
        return [], None
    if not due.recurring:
        if end is None:
            return [], None
        if end < as_of:
            return [Item(roadmap, measure, end, None, (as_of - end).days, status)], None
        return [], Item(roadmap, measure, end, None, (end - as_of).days, status)
    overdue: list[Item] = []
    upcoming: Item | None = None
    for period, when, reported in _occurrences(measure, roadmap, as_of, due):
        if reported:
            continue
        if when < as_of:
            overdue.append(Item(roadmap, measure, when, period.text, (as_of - when).days, status))
        elif upcoming is None:
            upcoming = Item(roadmap, measure, when, period.text, (when - as_of).days, status)
    return overdue, upcoming


def completed_late(measure: Measure, end: date | None, as_of: date | None = None) -> bool:
    """:func:`done_late` of ``measure`` whose deadline in force is ``end``: never before it is
    done (a completion after ``as_of`` counts as in progress on that date)."""
    completed = measure.completed
    if measure.status is not Status.DONE or completed is None:
        return False
    if as_of is not None and completed > as_of:
        return False
    return end is not None and completed > end


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
    from fractions import Fraction

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


def measure_complete(measure: Measure, roadmap: Roadmap, as_of: date) -> bool:
    """A measure that counts for progress is complete as of ``as_of`` when it is ``done`` then,
    or when its due in force is recurring and every occurrence is reported (docs/semantics.md,
    "Health"). Fraction 1 is not enough: an ``in_progress`` measure at 100 % is not done, and
    is overdue once its deadline has passed."""
    if status_as_of(measure, as_of) is Status.DONE:
        return True
    return anchors.due_in_force(measure, roadmap, as_of).recurring and _exact_fraction(
        measure, roadmap, as_of) == 1


def _exact_expected(measure: Measure, roadmap: Roadmap, as_of: date) -> Fraction | None:
    from fractions import Fraction

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
    from fractions import Fraction

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
    counts. Measures with a weight <= 0 (a validation error) are ignored. Computed in integers
    by :func:`roadmap_cli.tally.progress` (the same value as these fractions).
    """
    from roadmap_cli import tally

    return tally.progress(measures, as_of)


def is_complete(measures: Iterable[tuple[Measure, Roadmap]], as_of: date) -> bool:
    """True when something counts for progress and every counted measure is complete
    (:func:`measure_complete`: done, or recurring with every occurrence reported)."""
    from roadmap_cli import tally

    return tally.is_complete(measures, as_of)
