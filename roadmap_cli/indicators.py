"""Pure: quantitative indicators as of a date -> rows of plain data.

Each indicator of a measure has a ``target``, an optional ``baseline`` and dated ``actuals``.
As of a date, only the actuals dated on or before it count (the contract: "an indicator actual
dated after it does not count yet"), so reports can be replayed for past dates.

Choices written down here (and in docs/reports.md):

- **latest**: the actual with the latest date on or before the as-of date. Two actuals on the same
  date: the one written last in the file wins (a correction appended below the first figure);
  the other is not counted at all (:func:`known_actuals`).
- **pct_of_target** (progress toward the target) = 100 * (latest - baseline) / (target - baseline),
  worked out exactly from the numbers as written and rounded to one decimal as progress is (an
  exact tie to the even digit). A missing ``baseline`` counts as 0. It works the
  same for indicators that should go *down* (target below baseline): cutting 200 -> 150 towards
  100 is 50 %. It is **not clamped**: overshooting the target gives more than 100, falling below
  the baseline gives a negative number; both are facts a reader should see (charts clamp only
  their drawing). ``None`` when there is no actual yet, and when target equals baseline (there is
  no distance to cover, so no meaningful percentage).
- **trend**: compares the two latest actuals as of the date: ``up``, ``down`` or ``flat`` (equal
  values); ``None`` with fewer than two. It is the raw direction of the numbers; ``improving`` says
  whether that direction leads towards the target (``True``/``False``, ``None`` for flat, for no
  trend, and when target equals baseline).

This module agrees with :func:`roadmap_cli.report_detail.measure_detail` (same latest, same
pct_of_target), and adds trend and the series of actuals that charts draw.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from operator import attrgetter
from typing import Any

from roadmap_cli.model import Actual, Indicator, Measure, Roadmap, pick, unbuilt_measures

TRENDS = ("up", "down", "flat")
_DATE = attrgetter("date")


def known_actuals(indicator: Indicator, as_of: date) -> list[Actual]:
    """The actuals dated on or before ``as_of``, oldest first, one a date: of two with the same
    date, the one written last (a correction), so that it is not also the 'previous' figure
    of a trend, nor a second point of a chart, nor counted twice."""
    known: dict[date, Actual] = {}
    for a in indicator.actuals:
        if a.date <= as_of:
            known[a.date] = a  # the last written of a date wins
    return sorted(known.values(), key=_DATE)


def latest_actual(indicator: Indicator, as_of: date) -> Actual | None:
    """The latest actual as of the date (the last written among those of the latest date)."""
    known = known_actuals(indicator, as_of)
    return known[-1] if known else None


def pct_of_target(value: float, target: float, baseline: float | None) -> float | None:
    """100 * (value - baseline) / (target - baseline), one decimal, not clamped.

    A missing baseline counts as 0; ``None`` when target equals the baseline. Worked out
    exactly from the numbers as written (``53.55`` is 5355/100, not the float just below it) and
    rounded as progress is (an exact tie to the even digit): 53.55 of 100 is 53.6 %, which the
    floats made 53.5 while 49.45 gave 49.5. ``None`` also when the result is past what a float
    holds (never nan or inf).
    """
    base = baseline if baseline is not None else 0
    if target == base:
        return None
    if any(isinstance(x, float) and not math.isfinite(x) for x in (value, target, base)):
        return None
    vn, vd = _exact(value)
    tn, td = _exact(target)
    bn, bd = _exact(base)
    # 1000 * (v - b) / (t - b) = p / q, q > 0; its nearest integer (ties to even) / 10
    p = 1000 * (vn * bd - bn * vd) * td
    q = (tn * bd - bn * td) * vd
    if q < 0:
        p, q = -p, -q
    tenths, rest = divmod(p, q)
    if 2 * rest > q or (2 * rest == q and tenths % 2):
        tenths += 1
    try:
        return tenths / 10 + 0.0  # (+ 0.0: never "-0.0 %")
    except OverflowError:
        return None


def _exact(x: float) -> tuple[int, int]:
    """``x`` as written, as (numerator, denominator > 0): an int as itself, a float by its
    shortest decimal digits (``repr``), ``53.55`` as 5355 / 100."""
    if isinstance(x, int):
        return int(x), 1
    text = repr(float(x))
    whole, point, decimals = text.partition(".")
    if point and (whole + decimals).lstrip("-").isdigit():  # d.ddd (not 1e-05)
        return int(whole + decimals), 10 ** len(decimals)
    from fractions import Fraction  # (only here: every run of the report would import it)

    exact = Fraction(text)
    return exact.numerator, exact.denominator


def trend(indicator: Indicator, as_of: date) -> str | None:
    """``up``/``down``/``flat`` from the two latest actuals as of the date; ``None`` with fewer."""
    return _trend(known_actuals(indicator, as_of))


def _trend(known: Sequence[Actual]) -> str | None:
    """:func:`trend` of the actuals known as of a date, oldest first."""
    if len(known) < 2:
        return None
    previous, last = known[-2].value, known[-1].value
    if last > previous:
        return "up"
    if last < previous:
        return "down"
    return "flat"


def improving(indicator: Indicator, direction: str | None) -> bool | None:
    """Whether the trend moves towards the target (``None``: flat, no trend, or no direction)."""
    base = indicator.baseline if indicator.baseline is not None else 0
    if direction not in ("up", "down") or indicator.target == base:
        return None
    wants_up = indicator.target > base
    return (direction == "up") == wants_up


def _number(value: float | None) -> float | int | None:
    """Whole numbers as ints (4600, not 4600.0) so that JSON and tables read naturally."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
        return int(value)
    return value


def indicator_row(
    roadmap: Roadmap, measure: Measure, indicator: Indicator, as_of: date, lang: str = "en"
) -> dict[str, Any]:
    """One indicator as of ``as_of`` (of ``measure``, its ``id`` and ``title`` are read).

    Keys: roadmap, measure, indicator (id), title, unit, baseline, target, latest, latest_date,
    previous, previous_date, pct_of_target, trend, improving, actuals (how many count as of the
    date), measure_title.
    """
    known = known_actuals(indicator, as_of)
    latest = known[-1] if known else None
    previous = known[-2] if len(known) >= 2 else None
    direction = _trend(known)
    return {
        "roadmap": roadmap.id,
        "measure": measure.id,
        "indicator": indicator.id,
        "title": pick(indicator.title, lang),
        "unit": indicator.unit,
        "baseline": _number(indicator.baseline),
        "target": _number(indicator.target),
        "latest": _number(latest.value) if latest else None,
        "latest_date": latest.date.isoformat() if latest else None,
        "previous": _number(previous.value) if previous else None,
        "previous_date": previous.date.isoformat() if previous else None,
        "pct_of_target": (
            pct_of_target(latest.value, indicator.target, indicator.baseline) if latest else None
        ),
        "trend": direction,
        "improving": improving(indicator, direction),
        "actuals": len(known),
        "measure_title": pick(measure.title, lang),
    }


def indicator_rows(
    roadmaps: Iterable[Roadmap], as_of: date, lang: str = "en"
) -> list[dict[str, Any]]:
    """Every indicator of every measure, in document, measure and indicator order."""
    return [
        indicator_row(rm, m, ind, as_of, lang)
        for rm in roadmaps
        for m, ind in measure_indicators(rm)
    ]


def measure_indicators(roadmap: Roadmap) -> Sequence[tuple[Any, Indicator]]:
    """(its measure, one indicator) for every indicator of ``roadmap``, in measure and indicator
    order. For a document rebuilt from the cache whose measures are not built yet, the measure
    is its id and title alone (all :func:`indicator_row` reads of it), from the cache entry's
    indicators: no measure is built."""
    stored = unbuilt_measures(roadmap)
    if stored is None:
        return [(m, ind) for m in roadmap.measures for ind in m.indicators]
    named: list[tuple[Any, Indicator]] = stored.named_indicators()
    return named


def actual_series(indicator: Indicator, as_of: date) -> Sequence[tuple[date, float]]:
    """(date, value) of the actuals known as of the date, oldest first, for charts."""
    return [(a.date, a.value) for a in known_actuals(indicator, as_of)]
