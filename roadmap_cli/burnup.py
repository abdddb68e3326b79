"""Pure: a document's burn-up: progress and expected progress over time.

The series is :func:`roadmap_cli.schedule.progress` replayed at a list of dates (checkpoints):
the document's start (the earlier of ``signed`` and the period start), every month end after it,
the as-of date, and the period end (or the last deadline, when later). The contract's as-of
rules do the replaying: a ``done`` measure counts from its ``completed`` date, a report entry of
a recurring measure from its ``date``.

Choices written down here (and in docs/reports.md):

- **Undated progress counts only at the as-of point.** ``progress: 40`` on a measure in progress
  says where it stands now, not since when; replaying it into the past would draw progress in
  months when nothing had happened. So at checkpoints before the as-of date an in-progress
  measure's ``progress`` is left out (it counts 0, as the contract counts an in-progress measure
  without ``progress``), and at the as-of date it counts as the contract says. The last point
  therefore equals ``roadmap status``; the chart may step up at its end.
- **The future is not known**: checkpoints after the as-of date carry ``progress_pct = None``;
  ``expected_pct`` runs on to the period end (the schedule is known in advance).
- With nothing counting for progress (all measures cancelled or ``ongoing``) both values are
  ``None`` at every point, as in ``status``.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from copy import copy
from datetime import date
from typing import NamedTuple

from roadmap_cli import digest, schedule, tally
from roadmap_cli.model import Measure, Roadmap, Status


class Point(NamedTuple):
    date: date
    progress_pct: float | None
    expected_pct: float | None


def start_date(roadmap: Roadmap) -> date:
    """Where a document's chart starts: the earlier of its signing and its period start."""
    return min(roadmap.signed, roadmap.period_start)


def end_date(roadmap: Roadmap) -> date:
    """Where a document's chart ends: its period end, or its last deadline when that is later
    (a recurring measure's last occurrence plus ``grace``), so that expected reaches 100 %.
    Read from the document's digest (``max`` of ``schedule.deadline`` of its measures)."""
    d = tally.digest_of(roadmap)
    last = roadmap.period_end.toordinal()
    for how, _status, _completed, _progress, _weight, ref in d.rows:
        if how == digest.FIXED:
            day = ref
        elif how == digest.RECURRING:
            deadlines = d.schedules[ref][0]
            if not deadlines:
                continue
            day = deadlines[-1]
        elif how == digest.RARE:
            found = schedule.deadline(d.rare[ref], roadmap)  # type: ignore[arg-type]
            if found is None:
                continue
            day = found.toordinal()
        else:
            continue
        last = max(last, day)
    return date.fromordinal(last)


def month_ends(start: date, end: date) -> list[date]:
    """Every last day of a month from ``start`` to ``end`` inclusive."""
    out: list[date] = []
    year, month = start.year, start.month
    while True:
        d = date(year, month, monthrange(year, month)[1])
        if d > end:
            return out
        out.append(d)
        if year == 9999 and month == 12:
            return out
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def checkpoints(start: date, end: date, as_of: date) -> list[date]:
    """Start, month ends, the as-of date and end, sorted, without repeats.

    ``end`` is extended to ``as_of`` when the as-of date lies after it; an as-of date before
    ``start`` is the first point (the figures of that date, then the schedule to come: an
    empty chart beside the report's figures said nothing).
    """
    last = max(end, as_of)
    return sorted({start, last, as_of, *month_ends(start, last)})


def _undated(measure: Measure) -> Measure:  # (or a digest's Shape)
    """``measure`` without its ``progress`` (equal to ``replace(measure, progress=None)``).

    Copied field by field, not by ``dataclasses.replace``: that reads every field, ``raw`` too,
    which decodes the whole document as written (a load keeps it as marshal bytes): a fifth of
    the report's time, and the memory of every document's data at once.
    """
    if measure.progress is None:
        return measure
    undated = copy(measure)
    object.__setattr__(undated, "progress", None)
    return undated


def undated_series(
    roadmap: Roadmap, dates: Sequence[date]
) -> list[tuple[float | None, float | None]]:
    """``schedule.progress_series`` of ``roadmap``'s measures without their ``progress``
    (:func:`_undated`) at ``dates``, from the document's digest: each distinct row's steps once,
    times the number of its measures (the sums are linear); a rare row's measures worked out
    at each date from their fields (their due in force, or their deadline, depends on it)."""
    d = tally.digest_of(roadmap)
    weights: dict[int, int] = {}
    steps: list[schedule.Step] = []
    later: list[tuple[int, digest.AsOf, Roadmap]] = []  # worked out at each date
    for row, n in zip(d.rows, d.counts, strict=True):
        how, written, completed, _progress, weight, ref = row
        if not n or how == digest.OPEN:  # never due: counts for nothing
            continue
        if how == digest.RARE:  # its due in force, or its deadline, depends on the date
            later.append((n, _undated(d.rare[ref]), roadmap))  # type: ignore[arg-type]
            continue
        wn, wd = tally._weight_ratio(weight)
        if wn <= 0 or written == _CANCELLED:
            continue
        if how == digest.FIXED:
            den, full = wd * 100, wn * 100
            own = [(ref, den, 0, full)]
            done: list[tuple[int, int]] = []
        else:
            deadlines, known = d.schedules[ref]
            if not deadlines:
                continue
            den, share, full = wd * len(deadlines), wn, wn * len(deadlines)
            own = [(day, den, 0, share) for day in deadlines]
            done = [(day, share) for _k, day in known]
        if written == _DONE:
            done = schedule.done_by(done, completed if completed is not None else 1, full)
        own.extend((when, den, step, 0) for when, step in done)
        weights[wd] = weights.get(wd, 0) + wn * n
        steps.extend(own if n == 1 else [(w, den_, a * n, b * n) for w, den_, a, b in own])
    return schedule.sweep(weights, steps, dates, later)


_DONE = Status.DONE.value
_CANCELLED = Status.CANCELLED.value


def series(
    roadmap: Roadmap,
    as_of: date,
    dates: Sequence[date] | None = None,
    now: tuple[float | None, float | None] | None = None,
) -> list[Point]:
    """The burn-up of ``roadmap``: one :class:`Point` per checkpoint (or per date given).

    ``now``: the document's (progress_pct, expected_pct) as of ``as_of`` when the caller has
    them already (its ``status`` row): the point of the as-of date, computed otherwise."""
    if dates is None:
        dates = checkpoints(start_date(roadmap), end_date(roadmap), as_of)
    # expected does not depend on `progress:`, so one pass gives both (docs/limits.md)
    values = undated_series(roadmap, dates)
    points: list[Point] = []
    for d, (progress, expected) in zip(dates, values, strict=True):
        if d == as_of:
            if now is None:
                now = schedule.progress([(m, roadmap) for m in roadmap.measures], d)
            progress, expected = now
        elif d > as_of:
            progress = None
        points.append(Point(d, progress, expected))
    return points
