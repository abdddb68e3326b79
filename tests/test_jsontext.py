"""The fast JSON writer (:mod:`roadmap_cli.jsontext`) writes the standard library's text."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from enum import Enum, IntEnum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_cli import jsontext, render
from roadmap_cli.model import Severity, Status


class Colour(Enum):
    RED = "red"


class Level(IntEnum):
    ONE = 1


def _standard(value: object) -> str:
    return json.dumps(render.to_jsonable(value), ensure_ascii=False, indent=2)


scalars = (
    st.none() | st.booleans() | st.integers() | st.floats() | st.text()
    | st.sampled_from(["\udcff", "a\udce9b", "\x9b[31m", "\u2028", '"\\', Status.DONE, Severity.ERROR,
                       Colour.RED, Level.ONE, date(2026, 11, 28), datetime(2026, 1, 2, 3, 4, 5),
                       math.nan, -math.inf, -0.0, 10**30, True])
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple)
    | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(values)
def test_the_same_text_as_the_standard_encoder(value: object) -> None:
    assert jsontext.dumps(value) == _standard(value)


def test_rows_of_a_report() -> None:
    rows = [{"roadmap": "kz-by", "measure": "1.10", "owners": ["kz-mic", "by-minprom"], "due": {"every": "quarter"},
             "deadline": date(2026, 3, 31), "days_overdue": 12, "status": Status.DONE, "period": None,
             "rescheduled_by": [], "progress_pct": 12.5, "title": "Развитие «кооперации»"}]
    assert jsontext.dumps(rows) == _standard(rows)
    assert render.dumps(rows) == _standard(rows)


def test_a_value_without_a_json_form() -> None:
    with pytest.raises(jsontext.Unwritten):
        jsontext.dumps([object()])
    with pytest.raises(TypeError, match="not JSON serializable"):
        render.dumps({"a": object()})
