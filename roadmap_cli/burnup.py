"""Pure: a document's burn-up: progress and expected progress over time.

The series is :func:`roadmap_cli.schedule.progress` replayed at a list of dates (checkpoints,
in one pass over the measures' steps: :func:`progress_series`, :func:`sweep`):
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
from collections.abc import Iterable, Sequence
from copy import copy
from datetime import date, timedelta
from math import lcm
from typing import NamedTuple

from roadmap_cli import digest, schedule, tally
from roadmap_cli.digest import AsOf
from roadmap_cli.model import Measure, Roadmap, Status
from roadmap_cli.periods import parse_period


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
    """``progress_series`` of ``roadmap``'s measures without their ``progress``
    (:func:`_undated`) at ``dates``, from the document's digest: each distinct row's steps once,
    times the number of its measures (the sums are linear); a rare row's measures worked out
    at each date from their fields (their due in force, or their deadline, depends on it)."""
    d = tally.digest_of(roadmap)
    weights: dict[int, int] = {}
    steps: list[Step] = []
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
            done = done_by(done, completed if completed is not None else 1, full)
        own.extend((when, den, step, 0) for when, step in done)
        weights[wd] = weights.get(wd, 0) + wn * n
        steps.extend(own if n == 1 else [(w, den_, a * n, b * n) for w, den_, a, b in own])
    return sweep(weights, steps, dates, later)


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


# --- progress replayed over dates: a sum of steps, swept (from roadmap_cli.schedule) ------------


def progress_series(
    measures: Iterable[tuple[Measure, Roadmap]], dates: Sequence[date]
) -> list[tuple[float | None, float | None]]:
    """:func:`progress` at each of ``dates``, in one pass over the measures' events.

    Whether a measure of a common due form counts does not depend on the date (cancelled and
    ``ongoing`` are so as of any date), so it is a sum of steps (:func:`progress_steps`), swept
    with the sorted dates (:func:`sweep`): the cost is the number of occurrences plus the number
    of dates, where calling :func:`progress` at every date cost their product (a burn-up of
    3,600 monthly points over a measure of 3,600 occurrences took 14 s). A measure whose due
    in force changes with the date (rescheduled by an amendment) or waits for its anchor
    (``after``) is worked out at each date, as :func:`progress` does (:func:`dated`)."""
    weights: dict[int, int] = {}
    steps: list[Step] = []
    later: list[tuple[int, AsOf, Roadmap]] = []
    for measure, roadmap in measures:
        if dated(measure):
            later.append((1, measure, roadmap))
            continue
        found = progress_steps(measure, roadmap)
        if found is not None:
            wn, wd, own = found
            weights[wd] = weights.get(wd, 0) + wn
            steps.extend(own)
    return sweep(weights, steps, dates, later)


def dated(measure: AsOf) -> bool:
    """Whether the due of ``measure`` in force, or its deadline, depends on the date (it was
    rescheduled, or is of another form than a period, a recurring due, ``ongoing`` and
    ``on_request``: a deadline ``after`` an event or a measure): a digest's rare row."""
    from roadmap_cli import digest, tally

    return bool(measure.rescheduled) or tally._how(measure.due) == digest.RARE


#: a measure's step of progress: (day number, its measure's denominator, done step, expected
#: step), the steps numerators over that denominator (:func:`progress_steps`)
Step = tuple[int, int, int, int]


def progress_steps(measure: Measure, roadmap: Roadmap) -> tuple[int, int, list[Step]] | None:
    """A measure's weight as (numerator, denominator) and its steps: its expected fraction steps
    up at each deadline, its done fraction at each first report of an occurrence, at
    ``completed``, or from the start (``progress`` of a measure in progress); None when it does
    not count (cancelled, ``ongoing``, no deadline, weight <= 0).

    In integers, as :mod:`roadmap_cli.tally` sums: each step is a numerator over its measure's
    denominator (its weight's times n occurrences, or times 100 for a percentage); the same
    values as the fractions (tests/test_bounded.py)."""
    from roadmap_cli.tally import _weight_ratio

    wn, wd = _weight_ratio(measure.weight)
    if wn <= 0 or measure.status is Status.CANCELLED or measure.due.ongoing:
        return None
    start = 1  # date.min
    steps: list[Step] = []
    done_steps: list[tuple[int, int]] = []
    if measure.due.recurring:
        periods = schedule._span(measure.due, roadmap)
        if not periods:
            return None
        den, share, full = wd * len(periods), wn, wn * len(periods)  # share: w / n
        grace = timedelta(days=measure.due.grace)
        steps.extend(((p.end + grace).toordinal(), den, 0, share) for p in periods)
        starts = {p.start for p in periods}
        first: dict[date, date] = {}
        for report in measure.reports:
            try:
                period = parse_period(str(report.period))
            except ValueError:
                continue
            if period.kind == periods[0].kind and period.start in starts:
                when = schedule._report_date(period, report.date)
                first[period.start] = min(first.get(period.start, when), when)
        done_steps = [(when.toordinal(), share) for when in first.values()]
    else:
        end = schedule.deadline(measure, roadmap)
        if end is None:
            return None
        den, full = wd * 100, wn * 100
        steps.append((end.toordinal(), den, 0, full))
        written = Status(measure.status)
        if measure.progress is not None and (
            written is Status.IN_PROGRESS or (written is Status.DONE and measure.completed is not None)
        ):
            done_steps = [(start, wn * measure.progress)]  # w * progress / 100
    if measure.status is Status.DONE:
        completed = measure.completed.toordinal() if measure.completed is not None else start
        done_steps = done_by(done_steps, completed, full)
    steps.extend((when, den, step, 0) for when, step in done_steps)
    return wn, wd, steps


def done_by(done_steps: list[tuple[int, int]], completed: int, full: int) -> list[tuple[int, int]]:
    """The done steps of a measure done on day ``completed``: those before it, then the rest
    of ``full`` on that day."""
    before = [(when, step) for when, step in done_steps if when < completed]
    return [*before, (completed, full - sum(step for _, step in before))]


def sweep(weights: dict[int, int], steps: list[Step], dates: Sequence[date],
          later: Sequence[tuple[int, AsOf, Roadmap]] = ()) -> list[tuple[float | None, float | None]]:
    """(progress_pct, expected_pct) at each of ``dates`` of measures whose weights sum to
    Σ numerator / denominator of ``weights`` and whose :data:`Step` are ``steps`` (sorted here),
    and of the ``later`` ones, (how many, measure, document) worked out at each date
    (:func:`dated`)."""
    from roadmap_cli import tally
    from roadmap_cli.tally import _pct as pct_of
    from roadmap_cli.tally import _total

    if not weights and not later:
        return [(None, None)] * len(dates)
    steps.sort(key=lambda s: s[0])
    total_n, total_d = _total(weights)
    # every step over one common denominator (the least common multiple of the measures'):
    # the running sums are two integers, not a sum per denominator brought together at each date
    common = 1
    for den in {s[1] for s in steps}:
        common = lcm(common, den)
    out: dict[date, tuple[float | None, float | None]] = {}
    done = expected = 0
    i, n = 0, len(steps)
    for d in sorted(set(dates)):
        day = d.toordinal()
        while i < n and steps[i][0] <= day:
            _when, den, done_step, expected_step = steps[i]
            scale = common // den
            done += done_step * scale
            expected += expected_step * scale
            i += 1
        if later:
            sums = ({den: num for den, num in weights.items()}, {common: done}, {common: expected})
            answers: dict[tally.OneMeasure, int] = {}  # (measures often share an answer)
            for count, measure, roadmap in later:
                one = tally.one_answer(measure, roadmap, d)
                answers[one] = answers.get(one, 0) + count
            for one, count in answers.items():
                tally.add_progress(one, count, *sums)
            wn, wd = _total(sums[0])
            out[d] = (None, None) if wn == 0 else (
                pct_of(_total(sums[1]), wn, wd), pct_of(_total(sums[2]), wn, wd))
            continue
        out[d] = (pct_of((done, common), total_n, total_d), pct_of((expected, common), total_n, total_d))
    return [out[d] for d in dates]
