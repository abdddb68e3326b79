"""Progress in integers and the one-pass tally equal the exact-fraction definitions.

``schedule.progress`` sums integer numerators per denominator and ``tally.tally`` works out
each measure once; these properties check them, on random documents, against the definitions
written with ``Fraction`` (the code before the speed-up) and against the per-measure functions
(``measure_overdue``, ``measure_due_soon``, ``is_complete``) they stand in for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from fractions import Fraction

from hypothesis import example, given
from hypothesis import strategies as st
from test_properties import _roadmap, days, measures

from roadmap_cli import schedule, tally
from roadmap_cli.model import Measure, Roadmap, Status

#: decimal weights whose binary floats are not what is written (0.1, 0.3), and exact ties of
#: the rounding to one decimal (1 of 16 equal measures is 6.25 %)
WEIGHTS = st.sampled_from([1, 2, 3, 16, 0, -1, 0.1, 0.2, 0.3, 0.5, 1.25, 2.5, 0.0625, 7.7, True])


def fraction_progress(
    pairs: Iterable[tuple[Measure, Roadmap]], as_of: date
) -> tuple[float | None, float | None]:
    """``schedule.progress`` as it was written with fractions (the definition)."""
    weights = done = expected = Fraction(0)
    for measure, roadmap in pairs:
        f = schedule._exact_fraction(measure, roadmap, as_of)
        e = schedule._exact_expected(measure, roadmap, as_of)
        w = schedule._weight(measure)
        if f is None or e is None or w <= 0:
            continue
        weights += w
        done += w * f
        expected += w * e
    if weights == 0:
        return None, None
    return (
        float(round(100 * done / weights, 1)),
        float(round(100 * expected / weights, 1)),
    )


@st.composite
def documents(draw: st.DrawFn) -> Roadmap:
    n = draw(st.integers(0, 16))
    ms = tuple(replace(draw(measures(f"{i + 1}")), weight=draw(WEIGHTS)) for i in range(n))
    return _roadmap(ms)


@given(documents(), days)
def test_integer_progress_equals_the_fraction_definition(rm: Roadmap, as_of: date) -> None:
    pairs = [(m, rm) for m in rm.measures]
    assert schedule.progress(pairs, as_of) == fraction_progress(pairs, as_of)


@given(documents(), days, st.integers(0, 400))
def test_tally_equals_the_measure_by_measure_answers(rm: Roadmap, as_of: date, window: int) -> None:
    pairs = [(m, rm) for m in rm.measures]
    end = date.fromordinal(as_of.toordinal() + window)
    t = tally.tally(pairs, as_of, end)
    statuses: dict[Status, int] = {}
    for m in rm.measures:
        status = schedule.status_as_of(m, as_of)
        statuses[status] = statuses.get(status, 0) + 1
    assert t.statuses == statuses
    assert t.overdue == sum(len(schedule.measure_overdue(m, rm, as_of)) for m in rm.measures)
    assert t.due_soon == sum(
        len(schedule.measure_due_soon(m, rm, as_of, end)) for m in rm.measures
    )
    assert (t.progress_pct, t.expected_pct) == fraction_progress(pairs, as_of)
    counted = [
        m for m in rm.measures
        if schedule._exact_fraction(m, rm, as_of) is not None and schedule._weight(m) > 0
    ]
    assert t.complete == (bool(counted) and all(schedule.measure_complete(m, rm, as_of) for m in counted))
    assert t.complete == schedule.is_complete(pairs, as_of)


def test_a_tie_rounds_to_the_even_digit_as_before() -> None:
    """1 of 16 equal measures done is 6.25 % -> 6.2; 3 of 16 is 18.75 % -> 18.8 (module doc)."""
    rm = _roadmap(())
    base = Measure(id="1", title="M", owners=("kz-mic",), due=schedule.parse_due("2026-Q1"),
                   status=Status.NOT_STARTED)
    for done, pct in ((1, 6.2), (3, 18.8)):
        ms = tuple(
            replace(base, id=str(i), status=Status.DONE if i < done else Status.NOT_STARTED,
                    completed=date(2026, 1, 5) if i < done else None)
            for i in range(16)
        )
        pairs = [(m, rm) for m in ms]
        assert schedule.progress(pairs, date(2026, 2, 1)) == (pct, 0.0)
        assert fraction_progress(pairs, date(2026, 2, 1)) == (pct, 0.0)


@given(st.floats(allow_nan=False, allow_infinity=False)
       | st.decimals(min_value=-10**6, max_value=10**6, places=4).map(float))
@example(1e-05)
@example(-2.5)
@example(1.5e20)
def test_a_decimal_weight_is_the_fraction_written(w: float) -> None:
    """tally reads a weight's exact value from its decimal digits as Fraction(repr(w)) does."""
    exact = Fraction(repr(w))
    assert tally._decimal_weight(w) == (exact.numerator, exact.denominator)
