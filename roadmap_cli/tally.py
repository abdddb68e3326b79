"""Pure: exact progress in integers, and the summary of a set of measures in one pass.

A status or agency row needs, for each of its measures as of a date, its status, overdue and
due-soon items, and its share of progress and of the schedule. :func:`tally` works each measure
out once (its due in force, status and reported occurrences), where asking
:func:`~roadmap_cli.schedule.measure_overdue`, :func:`~roadmap_cli.schedule.measure_due_soon`,
:func:`~roadmap_cli.schedule.progress` and :func:`~roadmap_cli.schedule.is_complete` one by one
worked it out five times. The deadlines of recurring measures come from
:func:`roadmap_cli.schedule._deadlines`, memoised per due form (they do not depend on the date).

Progress stays exact without a ``Fraction`` per measure: a measure's fraction done and fraction
expected are integers over one denominator (k of n occurrences, progress of 100, 0 or 1 of 1),
weights are the decimals written (numerator over a power of ten), and the weighted sums are
integer numerators kept per denominator; the handful of sums become fractions once, then are
rounded exactly as :mod:`roadmap_cli.schedule` says (``round(x, 1)``, ties to the even digit).
``tests/test_exact_progress.py`` checks both against the fraction definitions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache

from roadmap_cli import anchors
from roadmap_cli.model import Due, Measure, Period, Roadmap, Status
from roadmap_cli.schedule import (
    CLOSED,
    _deadlines,
    _pct,
    _reported_starts,
    _span_of,
    due_deadline,
    status_as_of,
)


def progress(
    measures: Iterable[tuple[Measure, Roadmap]], as_of: date
) -> tuple[float | None, float | None]:
    """:func:`roadmap_cli.schedule.progress`, in integers (:class:`_Sums`)."""
    sums = _Sums()
    for measure, roadmap in measures:
        status = status_as_of(measure, as_of)
        due = anchors.due_in_force(measure, roadmap, as_of)
        flags = _flags(measure, roadmap, as_of, due)
        sums.add(measure, _shares(measure, roadmap, as_of, status, due, flags))
    return sums.pcts()


def is_complete(measures: Iterable[tuple[Measure, Roadmap]], as_of: date) -> bool:
    """:func:`roadmap_cli.schedule.is_complete`: something counts for progress and every
    counted measure has fraction 1."""
    counted = False
    for measure, roadmap in measures:
        status = status_as_of(measure, as_of)
        due = anchors.due_in_force(measure, roadmap, as_of)
        shares = _shares(measure, roadmap, as_of, status, due, _flags(measure, roadmap, as_of, due))
        if shares is None or _weight_ratio(measure)[0] <= 0:
            continue
        counted = True
        if shares[0] != shares[2]:
            return False
    return counted


@lru_cache(maxsize=1024)
def _decimal_weight(w: float) -> tuple[int, int]:
    exact = Fraction(repr(w))
    return exact.numerator, exact.denominator


def _weight_ratio(measure: Measure) -> tuple[int, int]:
    """:func:`roadmap_cli.schedule._weight` as (numerator, denominator > 0), the same value."""
    w = measure.weight
    if isinstance(w, int):
        return int(w), 1
    return _decimal_weight(float(w))


def _reported_flags(
    measure: Measure, periods: Sequence[Period], as_of: date
) -> list[bool] | None:
    """Whether each of ``periods`` is reported as of ``as_of`` (None: none is; see
    :func:`roadmap_cli.schedule.occurrences`)."""
    if not measure.reports or not periods:
        return None
    reported = _reported_starts(measure, periods[0].kind, as_of)
    if not reported:
        return None
    return [p.start in reported for p in periods]


def _flags(measure: Measure, roadmap: Roadmap, as_of: date, due: Due) -> list[bool] | None:
    """:func:`_reported_flags` of a recurring measure's occurrences (None for other forms)."""
    if not due.recurring:
        return None
    return _reported_flags(measure, _span_of(due, roadmap), as_of)


def _shares(
    measure: Measure, roadmap: Roadmap, as_of: date, status: Status, due: Due,
    flags: list[bool] | None,
) -> tuple[int, int | None, int] | None:
    """(done, expected, of): ``schedule._exact_fraction`` = done / of and
    ``schedule._exact_expected`` = expected / of (expected None where it is None), as integers; None when the measure is left
    out. ``status``, ``due`` and ``flags`` (:func:`_flags`) as of ``as_of``."""
    if status is Status.CANCELLED or due.open_ended:
        return None
    if due.recurring:
        deadlines = _deadlines(due, roadmap)
        of = len(deadlines)
        if not of:
            return None
        if status is Status.DONE:
            done = of
        else:
            done = sum(flags) if flags is not None else 0
        return done, sum(1 for d in deadlines if d <= as_of), of
    if status is Status.DONE:
        of, done = 1, 1
    elif status is Status.IN_PROGRESS and measure.progress is not None:
        of, done = 100, measure.progress
    else:
        of, done = 1, 0
    end = due_deadline(due, roadmap, as_of)
    if end is None:
        return done, (0 if due.anchored else None), of
    return done, (of if end <= as_of else 0), of


class _Sums:
    """Σ weight, Σ weight * fraction and Σ weight * expected, exactly: integer numerators by
    denominator (weights are decimals, fractions k / n: a handful of denominators)."""

    __slots__ = ("done", "expected", "last_weight", "weights")

    def __init__(self) -> None:
        self.last_weight = 0  # the numerator of the weight of the measure added last
        self.weights: dict[int, int] = {}
        self.done: dict[int, int] = {}
        self.expected: dict[int, int] = {}

    def add(self, measure: Measure, shares: tuple[int, int | None, int] | None) -> None:
        wn, wd = _weight_ratio(measure)
        self.last_weight = wn
        if shares is None or wn <= 0:
            return
        done, expected, of = shares
        if expected is None:
            return
        self.weights[wd] = self.weights.get(wd, 0) + wn
        den = wd * of
        self.done[den] = self.done.get(den, 0) + wn * done
        self.expected[den] = self.expected.get(den, 0) + wn * expected

    def pcts(self) -> tuple[float | None, float | None]:
        weights = _total(self.weights)
        if weights == 0:
            return None, None
        return _pct(_total(self.done), weights), _pct(_total(self.expected), weights)


def _total(sums: dict[int, int]) -> Fraction:
    total = Fraction(0)
    for den, num in sums.items():
        total += Fraction(num, den)
    return total


@dataclass(frozen=True)
class Tally:
    """What a status row says of a set of measures as of a date (:func:`tally`)."""

    statuses: dict[Status, int]  # measures by status as of the date
    overdue: int  # overdue items (schedule.measure_overdue)
    due_soon: int  # due-soon items (schedule.measure_due_soon)
    progress_pct: float | None  # schedule.progress
    expected_pct: float | None
    complete: bool  # schedule.is_complete


def tally(measures: Iterable[tuple[Measure, Roadmap]], as_of: date, end: date) -> Tally:
    """The as-of status counts, overdue items, items due from ``as_of`` to ``end``, progress and
    completeness of a set of measures, in one pass: each measure's due in force, status and
    reported occurrences are worked out once (the same answers as ``schedule.measure_overdue``,
    ``measure_due_soon``, ``progress`` and ``is_complete``, which each work them out again)."""
    statuses: dict[Status, int] = {}
    overdue = due_soon = 0
    sums = _Sums()
    counted = incomplete = False
    for measure, roadmap in measures:
        status = status_as_of(measure, as_of)
        statuses[status] = statuses.get(status, 0) + 1
        due = anchors.due_in_force(measure, roadmap, as_of)
        flags = _flags(measure, roadmap, as_of, due)
        if due.recurring:
            deadlines = _deadlines(due, roadmap)
            if status not in CLOSED:
                soon = False
                for k, when in enumerate(deadlines):
                    if flags is not None and flags[k]:
                        continue
                    if when < as_of:
                        overdue += 1
                    elif not soon:
                        soon = True
                        if when <= end:
                            due_soon += 1
        elif status not in CLOSED and not due.open_ended:
            fixed = due_deadline(due, roadmap, as_of)
            if fixed is not None:
                if fixed < as_of:
                    overdue += 1
                elif fixed <= end:
                    due_soon += 1
        shares = _shares(measure, roadmap, as_of, status, due, flags)
        sums.add(measure, shares)
        if shares is not None and sums.last_weight > 0:
            counted = True
            if shares[0] != shares[2]:
                incomplete = True
    complete = counted and not incomplete
    progress_pct, expected_pct = sums.pcts()
    return Tally(statuses, overdue, due_soon, progress_pct, expected_pct, complete)
