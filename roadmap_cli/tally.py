"""Pure: the as-of answers of a set of measures in one pass, fast, in exact integers.

A status or agency row needs, for each of its measures as of a date, its status, overdue and
due-soon items, and its share of progress and of the schedule; ``overdue`` and ``upcoming``
need the items themselves. The definitions are the readable functions of
:mod:`roadmap_cli.schedule` (:func:`~roadmap_cli.schedule.status_as_of`,
:func:`~roadmap_cli.schedule.measure_overdue`, :func:`~roadmap_cli.schedule.measure_due_soon`,
``schedule._exact_fraction`` / ``_exact_expected``); this module gives the same answers at a
fraction of the cost, measured at 100,000 measures:

- each measure is worked out once per question (:func:`answers`), its shape read
  directly: a fixed due without amendments is one comparison with its period's end, an
  ``ongoing`` or ``on_request`` one nothing, a recurring one a binary search over its sorted
  deadlines (:func:`bisect.bisect_left`) and a look at its few reports; the rare shapes (a due
  replayed through amendments, ``{after, within}``) go through the definitions;
- what a recurring measure's schedule is (its deadlines, its occurrences' names, and from
  which day each reported occurrence is known) does not depend on the date: it is worked out
  once per measure in a run (:func:`recurring`), never stored between runs;
- a row counts its measures' answers and sums once per distinct answer (:func:`summed`); an
  agency row takes the answers already worked out, so a measure led by two agencies is worked
  out once, not twice.

Progress stays exact without a ``Fraction`` per measure: a measure's fraction done and fraction
expected are integers over one denominator (k of n occurrences, progress of 100, 0 or 1 of 1),
weights are the decimals written (numerator over a power of ten), and the weighted sums are
integer numerators kept per denominator; the handful of sums are brought to a common
denominator and rounded in integers exactly as :mod:`roadmap_cli.schedule` says
(``round(x, 1)``, ties to the even digit: :func:`_pct`).
``tests/test_exact_progress.py`` and ``tests/test_fast_rows.py`` check all of it against the
definitions.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from math import gcd, lcm

from roadmap_cli import anchors, digest
from roadmap_cli.digest import FIXED, OPEN, RARE, RECURRING, AsOf, Digest, Row
from roadmap_cli.model import Due, Measure, Period, Report, Roadmap, Status
from roadmap_cli.record import Record, record
from roadmap_cli.schedule import (
    _deadlines_tuple,
    _span_tuple,
    due_deadline,
    parse_period,
    status_as_of,
)

_BY_VALUE = {s.value: s for s in Status}
_DONE = Status.DONE
_IN_PROGRESS = Status.IN_PROGRESS
_CANCELLED = Status.CANCELLED
_FIXED = digest.FIXED_FORMS
_OPEN = digest.OPEN_FORMS

#: one measure as of a date (:func:`answers`): (status, overdue items, due-soon items
#: (0 or 1), done, expected, of, weight as written, complete): its fraction done is done / of and its
#: fraction expected expected / of (``schedule._exact_fraction`` and ``_exact_expected``;
#: expected None where that is None); done None when it is left out of progress; complete when
#: it is done as of the date, or recurring with every occurrence reported (an ``in_progress``
#: measure at 100 % has fraction 1 but is not complete: it is still overdue after its
#: deadline, docs/semantics.md "Health"). Plain values
#: that hash in C: a row counts its measures' answers (:func:`summed`), and measures of one
#: shape as of a date have the same answer.
OneMeasure = tuple[Status, int, int, int | None, int | None, int, float, bool]


# --------------------------------------------------------------------------------------------
# What does not depend on the date


@lru_cache(maxsize=1024)
def _decimal_weight(w: float) -> tuple[int, int]:
    """``Fraction(repr(w))`` as (numerator, denominator), read from the decimal digits
    (importing fractions, which imports decimal, was a millisecond and a half of a run)."""
    text = repr(w)
    whole, point, decimals = text.partition(".")
    if point and (whole + decimals).lstrip("-").isdigit():  # d.ddd (not 1e-05, inf, nan)
        numerator, denominator = int(whole + decimals), 10 ** len(decimals)
        common = gcd(numerator, denominator)
        return numerator // common, denominator // common
    from fractions import Fraction

    exact = Fraction(text)
    return exact.numerator, exact.denominator


def _weight_ratio(w: float) -> tuple[int, int]:
    """:func:`roadmap_cli.schedule._weight` of a measure of weight ``w`` as (numerator,
    denominator > 0), the same value."""
    if w.__class__ is int:
        return w, 1  # type: ignore[return-value]
    if isinstance(w, int):
        return int(w), 1
    return _decimal_weight(float(w))


_Schedule = tuple[tuple[date, ...], tuple[str, ...], tuple[tuple[int, date], ...]]


#: a recurring measure's schedule under one due: (deadlines in order, the occurrences' period
#: texts, and (k, day) for each reported occurrence k: the first day a report of it is known),
#: by (id of the measure, id of the due), with the measure (a weak reference: the memo keeps no
#: measure, nor its document's data, alive once its reader lets it go), due and document period
#: it was worked out for (so that an id reused by another object is never mistaken for it)
_RECURRING: dict[tuple[int, int], tuple[weakref.ref[AsOf], Due, date, date, _Schedule]] = {}
_RECURRING_SIZE = 1 << 18

def recurring(measure: AsOf, roadmap: Roadmap, due: Due) -> _Schedule:
    """The as-of-independent schedule of a recurring ``measure`` under ``due`` (see
    :data:`_RECURRING`): the same occurrences, deadlines and report dates as
    :func:`roadmap_cli.schedule.occurrences` (an occurrence is reported as of a date when one
    of its reports is known on or before that date, ``schedule._reported_starts``)."""
    start, end = roadmap.period_start, roadmap.period_end
    if not measure.reports:  # the span's own schedule, shared by every measure of that span
        return _span(due, start, end)[0]
    key = (id(measure), id(due))
    found = _RECURRING.get(key)
    if (
        found is not None and found[0]() is measure and found[1] is due
        and found[2] == start and found[3] == end
    ):
        return found[4]
    (deadlines, texts, _none), index, kind = _span(due, start, end)
    known = _known(measure.reports, index, kind) if deadlines else ()
    facts = (deadlines, texts, known)
    if len(_RECURRING) >= _RECURRING_SIZE:
        _RECURRING.clear()
    _RECURRING[key] = (weakref.ref(measure), due, start, end, facts)
    return facts


def _known(
    reports: Iterable[Report], index: Mapping[date, int], kind: str
) -> tuple[tuple[int, date], ...]:
    """(k, day) for each occurrence k of a recurring schedule that ``reports`` report, by the
    first day one of them is known (its date, else its period's end), in order of k; ``index``:
    each occurrence's k by its period's start, ``kind``: the occurrences' period kind."""
    first: dict[int, date] = {}
    for report in reports:
        try:
            period = parse_period(str(report.period))
        except ValueError:
            continue  # an invalid period is a validation error; it reports nothing
        k = index.get(period.start) if period.kind == kind else None
        if k is None:
            continue
        when = report.date if report.date is not None else period.end
        if k not in first or when < first[k]:
            first[k] = when
    return tuple(sorted(first.items()))


#: the occurrences of a recurring due in a document period, by what decides them (the dates of
#: the periods named, so the key hashes in C): the schedule of a measure without reports
#: (deadlines, period texts, no report), each period's index by its start, and their kind
_SPANS: dict[tuple[object, ...], tuple[_Schedule, dict[date, int], str]] = {}


def _span(due: Due, start: date, end: date) -> tuple[_Schedule, dict[date, int], str]:
    """``schedule._span_of`` and ``schedule._deadlines`` of a recurring ``due`` (kind
    ``recurring``) in a document from ``start`` to ``end`` (see :data:`_SPANS`)."""
    key = (
        due.every, due.start.start if due.start is not None else None,
        due.until.start if due.until is not None else None, start, end, due.grace,
    )
    found = _SPANS.get(key)
    if found is None:
        if due.every is None:
            periods: tuple[Period, ...] = ()
            deadlines: tuple[date, ...] = ()
        else:
            periods = _span_tuple(due.every, due.start, due.until, start, end)
            deadlines = _deadlines_tuple(due.every, due.start, due.until, start, end, due.grace)
        found = (
            (deadlines, tuple(p.text for p in periods), ()),
            {p.start: k for k, p in enumerate(periods)},
            periods[0].kind if periods else "",
        )
        if len(_SPANS) >= _RECURRING_SIZE:
            _SPANS.clear()
        _SPANS[key] = found
    return found


# --------------------------------------------------------------------------------------------
# One measure as of a date


def answers(
    measures: Iterable[AsOf], roadmap: Roadmap, as_of: date, end: date
) -> list[OneMeasure]:
    """The :data:`OneMeasure` of each of ``measures`` of ``roadmap`` as of ``as_of`` (due-soon
    items up to ``end``), in order: its status (``schedule.status_as_of``),
    ``len(schedule.measure_overdue)``, ``len(schedule.measure_due_soon)`` and its fractions done
    and expected as integers."""
    rows, schedules, rare = rows_of(measures, roadmap)
    return rows_answers(rows, schedules, rare, roadmap, as_of, end)


def digest_answers(d: Digest, roadmap: Roadmap, as_of: date, end: date) -> list[OneMeasure]:
    """The :data:`OneMeasure` of each row of a document's digest (:mod:`roadmap_cli.digest`), in
    order: each row worked out once, whatever the number of its measures."""
    return rows_answers(d.rows, d.schedules, d.rare, roadmap, as_of, end)


# --------------------------------------------------------------------------------------------
# A document's digest


def _how(due: Due) -> int:
    """How the deadline of a measure under ``due`` (its due, or the one in force on a date) is
    found: :data:`~roadmap_cli.digest.FIXED`, ``OPEN``, ``RECURRING`` or ``RARE``."""
    kind = due.kind
    if due.period is not None and kind in _FIXED:
        return FIXED
    if kind in _OPEN:
        return OPEN
    if kind == "recurring":
        return RECURRING
    return RARE


def _known_days(m: AsOf, roadmap: Roadmap, due: Due) -> tuple[tuple[int, int], ...]:
    """The reported occurrences of ``m`` under the recurring ``due``, as (k, day number)."""
    if not m.reports:
        return ()
    return tuple((k, day.toordinal()) for k, day in recurring(m, roadmap, due)[2])


def _deadline_days(due: Due, roadmap: Roadmap) -> tuple[int, ...]:
    """The deadlines of the recurring ``due`` in ``roadmap``, in order, as day numbers."""
    return tuple(d.toordinal() for d in _span(due, roadmap.period_start, roadmap.period_end)[0][0])


def rows_of(
    measures: Iterable[AsOf], roadmap: Roadmap
) -> tuple[list[Row], list[digest.Schedule], list[AsOf]]:
    """The :data:`~roadmap_cli.digest.Row` of each of ``measures`` of ``roadmap``, in order,
    with the recurring schedules and the rare measures they refer to."""
    rows: list[Row] = []
    schedules: list[digest.Schedule] = []
    index: dict[tuple[int, tuple[tuple[int, int], ...]], int] = {}  # by (id of the due, reports)
    rare: list[AsOf] = []
    for m in measures:
        due = m.due
        how = RARE if m.rescheduled else _how(due)  # rescheduled: the due depends on the date
        if how == FIXED:
            ref = due.period.end.toordinal()  # type: ignore[union-attr]
        elif how == OPEN:
            ref = 0
        elif how == RECURRING:
            known = _known_days(m, roadmap, due)
            ref = index.get((id(due), known), -1)
            if ref < 0:
                ref = index[(id(due), known)] = len(schedules)
                schedules.append((_deadline_days(due, roadmap), known))
        else:
            ref = len(rare)
            rare.append(m)
        completed = m.completed
        rows.append((how, digest.status_value(m.status),
                     None if completed is None else completed.toordinal(), m.progress, m.weight, ref))
    return rows, schedules, rare


def digest_of_measures(
    measures: Sequence[AsOf], roadmap: Roadmap,
    groups: Iterable[tuple[tuple[str, ...], tuple[str, ...], str | None]] | None = None,
) -> Digest:
    """The digest of ``measures`` of ``roadmap`` (grouped by ``groups``: the owners,
    co-executors and section of each, in order; none: one group), measures of one row counted
    once."""
    rows, schedules, rare = rows_of(measures, roadmap)
    distinct: dict[tuple[Row, type, type], int] = {}  # 50 and 50.0 are equal, not the same
    counted: dict[tuple[int, tuple[str, ...], tuple[str, ...], str | None], int] = {}
    order: list[int] = []
    keys = iter(groups) if groups is not None else None
    for r in rows:
        k = distinct.setdefault((r, type(r[3]), type(r[4])), len(distinct))
        order.append(k)
        key = (k, *next(keys)) if keys is not None else (k, (), (), None)
        counted[key] = counted.get(key, 0) + 1
    return Digest(
        tuple(key[0] for key in distinct), schedules, rare,
        tuple((*key, n) for key, n in counted.items()), tuple(order),
    )


def digest_of(roadmap: Roadmap) -> Digest:
    """The digest of ``roadmap``'s measures, grouped by owners, co-executors and section: as
    stored when it was rebuilt from the cache, else made from its measures once (kept on the
    roadmap: the run that writes its cache entry reads it too)."""
    found = digest.stored(roadmap)
    if found is not None:
        return found
    ms = roadmap.measures
    made = digest_of_measures(ms, roadmap, [(m.owners, m.co_executors, m.section) for m in ms])
    roadmap.__dict__["_stored_digest"] = made
    return made


# --------------------------------------------------------------------------------------------
# The answers of rows


def rows_answers(
    rows: Iterable[Row], schedules: Sequence[digest.Schedule], rare: Sequence[AsOf],
    roadmap: Roadmap, as_of: date, end: date,
) -> list[OneMeasure]:
    """The :data:`OneMeasure` of each :data:`~roadmap_cli.digest.Row` (of ``schedules`` and
    ``rare``, see :class:`~roadmap_cli.digest.Digest`), in order. One loop over plain values
    (a call per measure cost a tenth of a status report): a fixed deadline is one comparison
    of day numbers, a recurring due a binary search over its deadlines
    (:func:`bisect.bisect_left`) and a look at its few reports; the rare shapes go through
    :func:`_rare`."""
    day = as_of.toordinal()
    last = end.toordinal()
    out: list[OneMeasure] = []
    append = out.append
    for how, written, completed, progress, weight, ref in rows:
        if how == RARE:
            append(_rare(rare[ref], roadmap, as_of, end))
            continue
        status = _BY_VALUE[written]
        if status is _DONE:
            if completed is not None and completed > day:
                status = _IN_PROGRESS
        elif status is _CANCELLED:
            append((status, 0, 0, None, None, 1, weight, False))
            continue
        if how == OPEN:
            append((status, 0, 0, None, None, 1, weight, False))
            continue
        if how == FIXED:
            if status is _DONE:
                done, of = 1, 1
            elif status is _IN_PROGRESS and progress is not None:
                done, of = progress, 100
            else:
                done, of = 0, 1
            if ref < day:
                append((status, int(status is not _DONE), 0, done, of, of, weight, status is _DONE))
                continue
            soon = int(status is not _DONE and ref <= last)
            append((status, 0, soon, done, (of if ref == day else 0), of, weight, status is _DONE))
            continue
        # RECURRING: every occurrence before the date is missed unless reported, or done
        deadlines, known = schedules[ref]
        n = len(deadlines)
        past = bisect_left(deadlines, day)  # deadlines before the date
        overdue = soon = 0
        reported = [k for k, when in known if when <= day] if known else None
        if status is not _DONE:
            if reported:
                seen = set(reported)
                overdue = past - sum(1 for k in reported if k < past)
                k = past
                while k in seen:
                    k += 1
            else:
                overdue, k = past, past
            if k < n and deadlines[k] <= last:
                soon = 1
        if not n:
            append((status, overdue, soon, None, None, 1, weight, False))
            continue
        done = n if status is _DONE else (len(reported) if reported else 0)
        append((status, overdue, soon, done, bisect_right(deadlines, day), n, weight, done == n))
    return out


def _rare(m: AsOf, roadmap: Roadmap, as_of: date, end: date) -> OneMeasure:
    """The :data:`OneMeasure` of a measure whose row is :data:`~roadmap_cli.digest.RARE`: its
    due in force on the date (amendments replayed) is worked out, then a due of a common form
    goes through :func:`rows_answers`; the rest (an anchored due, a fixed form without a
    period) through the definitions."""
    due = m.due if not m.rescheduled else anchors.due_in_force(m, roadmap, as_of)
    how = _how(due)
    if how != RARE:
        schedules: list[digest.Schedule] = []
        ref = 0
        if how == FIXED:
            ref = due.period.end.toordinal()  # type: ignore[union-attr]
        elif how == RECURRING:
            schedules.append((_deadline_days(due, roadmap), _known_days(m, roadmap, due)))
        completed = m.completed
        row = (how, digest.status_value(m.status),
               None if completed is None else completed.toordinal(), m.progress, m.weight, ref)
        return rows_answers([row], schedules, (), roadmap, as_of, end)[0]
    status = status_as_of(m, as_of)
    weight = m.weight
    if status is _CANCELLED:
        return (status, 0, 0, None, None, 1, weight, False)
    if status is _DONE:
        done, of = 1, 1
    elif status is _IN_PROGRESS and m.progress is not None:
        done, of = m.progress, 100
    else:
        done, of = 0, 1
    fixed = due_deadline(due, roadmap, as_of)
    overdue = soon = 0
    if status is not _DONE and fixed is not None:
        if fixed < as_of:
            overdue = 1
        elif fixed <= end:
            soon = 1
    if fixed is None:  # no deadline known: nothing expected while waiting, else left out
        return (status, overdue, soon, done, (0 if due.anchored else None), of, weight, status is _DONE)
    return (status, overdue, soon, done, (of if fixed <= as_of else 0), of, weight, status is _DONE)


# --------------------------------------------------------------------------------------------
# Adding measures up


def summed(ones: Iterable[OneMeasure]) -> Tally:
    """The :class:`Tally` of a set of measures from their answers (:func:`answers`)."""
    return summed_counts(Counter(ones))


def counted(ones: list[OneMeasure], counts: Sequence[int]) -> Counter[OneMeasure]:
    """The answers of a document's shapes (:func:`digest_answers`) counted by the number of
    measures of each shape (``Digest.counts``): what :func:`summed_counts` adds up."""
    if len(ones) != len(counts):
        raise ValueError("an answer for each row")
    out: Counter[OneMeasure] = Counter(ones)  # counted once each (in C)
    for one, n in zip(ones, counts, strict=True):
        if n == 1:
            continue
        out[one] += n - 1
    return out


def summed_counts(counts: Mapping[OneMeasure, int]) -> Tally:
    """The :class:`Tally` of a set of measures from their answers counted (measures of one
    shape share an answer): Σ weight, Σ weight * fraction and Σ weight * expected added
    exactly, as integer numerators by denominator (weights are decimals, fractions k / n: a
    handful of denominators)."""
    statuses: dict[Status, int] = {}
    overdue = due_soon = 0
    weights: dict[int, int] = {}
    done_sums: dict[int, int] = {}
    expected_sums: dict[int, int] = {}
    counted = incomplete = False
    for one, count in counts.items():
        status, late, soon, _done, _expected, _of, _weight, whole = one
        statuses[status] = statuses.get(status, 0) + count
        overdue += late * count
        due_soon += soon * count
        if add_progress(one, count, weights, done_sums, expected_sums) is None:
            continue
        counted = True
        if not whole:
            incomplete = True
    progress_pct: float | None = None
    expected_pct: float | None = None
    wn, wd = _total(weights)
    if wn != 0:
        progress_pct = _pct(_total(done_sums), wn, wd)
        expected_pct = _pct(_total(expected_sums), wn, wd)
    return Tally(statuses, overdue, due_soon, progress_pct, expected_pct, counted and not incomplete)


def add_progress(one: OneMeasure, count: int, weights: dict[int, int], done_sums: dict[int, int],
                 expected_sums: dict[int, int]) -> bool | None:
    """Add ``count`` measures of the answer ``one`` to the sums of progress (numerators by
    denominator): None when they do not count (cancelled, ``ongoing``, weight <= 0), False when
    they count for completeness only (no deadline to expect them by), True when added."""
    done, expected, of, weight = one[3:7]
    if done is None:
        return None
    if weight.__class__ is int:
        wn, wd = weight, 1  # type: ignore[assignment]
    else:
        wn, wd = _weight_ratio(weight)
    if wn <= 0:
        return None
    if expected is None:
        return False
    wn *= count
    weights[wd] = weights.get(wd, 0) + wn
    den = wd * of
    done_sums[den] = done_sums.get(den, 0) + wn * done
    expected_sums[den] = expected_sums.get(den, 0) + wn * expected
    return True


def one_answer(m: AsOf, roadmap: Roadmap, as_of: date) -> OneMeasure:
    """The :data:`OneMeasure` of one measure as of ``as_of`` (no due-soon window), worked out
    from its fields (a burn-up's measures whose due in force changes with the date: a digest's
    rare rows, which :func:`_rare` works out; any other shape through its row)."""
    if m.rescheduled or _how(m.due) == RARE:
        return _rare(m, roadmap, as_of, as_of)
    return rows_answers(*rows_of((m,), roadmap), roadmap, as_of, as_of)[0]


def _total(sums: dict[int, int]) -> tuple[int, int]:
    """Σ numerator / denominator as (numerator, denominator > 0), not reduced."""
    if len(sums) == 1:
        for den, num in sums.items():
            return num, den
    common = 1
    for den in sums:
        common = lcm(common, den)
    return sum(num * (common // den) for den, num in sums.items()), common


def _pct(total: tuple[int, int], wn: int, wd: int) -> float:
    """``schedule._pct(total, weights)`` (``float(round(100 * total / weights, 1))``, an exact
    tie to the even digit) of total = n / d and weights = wn / wd > 0, in integers."""
    n, d = total
    # 1000 * total / weights = p / q, q > 0; its nearest integer (ties to even) / 10
    p, q = 1000 * n * wd, d * wn
    tenths, rest = divmod(p, q)
    if 2 * rest > q or (2 * rest == q and tenths % 2):
        tenths += 1
    return tenths / 10


@record
class Tally(Record):
    """What a status row says of a set of measures as of a date (:func:`tally`)."""

    statuses: dict[Status, int]  # measures by status as of the date
    overdue: int  # overdue items (schedule.measure_overdue)
    due_soon: int  # due-soon items (schedule.measure_due_soon)
    progress_pct: float | None  # schedule.progress
    expected_pct: float | None
    complete: bool  # schedule.is_complete


def tally(measures: Iterable[tuple[Measure, Roadmap]], as_of: date, end: date) -> Tally:
    """The as-of status counts, overdue items, items due from ``as_of`` to ``end``, progress and
    completeness of a set of measures, in one pass (the same answers as
    ``schedule.status_as_of``, ``measure_overdue``, ``measure_due_soon``, ``progress`` and
    ``is_complete``, each of which works a measure out again)."""
    return summed(one for m, rm in measures for one in answers((m,), rm, as_of, end))


def progress(
    measures: Iterable[tuple[Measure, Roadmap]], as_of: date
) -> tuple[float | None, float | None]:
    """:func:`roadmap_cli.schedule.progress`, in integers (:func:`summed`)."""
    t = tally(measures, as_of, as_of)
    return t.progress_pct, t.expected_pct


def measure_progress(measure: Measure, roadmap: Roadmap, as_of: date) -> tuple[float | None, float | None]:
    """``schedule.progress([(measure, roadmap)], as_of)``: one measure's own progress and
    schedule (its weight cancels out; (None, None) when it is left out or weighs <= 0)."""
    return one_progress(answers((measure,), roadmap, as_of, as_of)[0])


def one_progress(one: OneMeasure) -> tuple[float | None, float | None]:
    """:func:`measure_progress` from the measure's :data:`OneMeasure` (its answers up to its
    own date)."""
    done, expected, of, weight = one[3:7]
    if done is None or expected is None or _weight_ratio(weight)[0] <= 0:
        return None, None
    return _pct((done, of), 1, 1), _pct((expected, of), 1, 1)


def is_complete(measures: Iterable[tuple[Measure, Roadmap]], as_of: date) -> bool:
    """:func:`roadmap_cli.schedule.is_complete`: something counts for progress and every
    counted measure has fraction 1."""
    return tally(measures, as_of, as_of).complete
