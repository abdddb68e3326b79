"""The model's frozen classes (record.record) compare, hash and show as dataclasses do."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date

import pytest

from roadmap_cli.model import Due, Measure, Period, Problem, Roadmap, Severity, Source, Status


def _measure(**changes: object) -> Measure:
    fields: dict[str, object] = {
        "id": "1.1", "title": "Мера", "owners": ("kz-mic",),
        "due": Due("quarter", "2026-Q2", Period("quarter", date(2026, 4, 1), date(2026, 6, 30), "2026-Q2")),
        "status": Status.IN_PROGRESS, "progress": 40, "index": 0, "raw": {"id": "1.1"},
    }
    fields.update(changes)
    return Measure(**fields)  # type: ignore[arg-type]


def test_equal_fields_are_equal_and_hash_alike_whatever_is_not_compared() -> None:
    a, b = _measure(), _measure(index=7, raw={"id": "1.1", "note": "moved"})
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != _measure(progress=41) and a != _measure(title="Другое")
    assert (a == "1.1") is False and a.__eq__("1.1") is NotImplemented


def test_another_class_with_the_same_values_is_not_equal() -> None:
    @dataclasses.dataclass(frozen=True)
    class Twin:
        kind: str
        start: date
        end: date
        text: str

    p = Period("month", date(2026, 1, 1), date(2026, 1, 31), "2026-01")
    assert p != Twin("month", date(2026, 1, 1), date(2026, 1, 31), "2026-01")


def test_the_representation_names_the_shown_fields_as_a_dataclass_does() -> None:
    p = Period("month", date(2026, 1, 1), date(2026, 1, 31), "2026-01")
    assert repr(p) == ("Period(kind='month', start=datetime.date(2026, 1, 1), "
                       "end=datetime.date(2026, 1, 31), text='2026-01')")
    s = Source("roadmaps/a.yaml", {("id",): (1, 5)})  # type: ignore[dict-item]
    assert repr(s) == "Source(file='roadmaps/a.yaml')"  # positions: repr=False
    assert repr(_measure()).endswith(", rescheduled=(), index=0)")  # its raw: repr=False


def test_they_stay_frozen_dataclasses() -> None:
    m = _measure()
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.progress = 50  # type: ignore[misc]
    assert dataclasses.is_dataclass(Roadmap)
    assert dataclasses.replace(m, progress=50).progress == 50
    assert [f.name for f in dataclasses.fields(Period)] == ["kind", "start", "end", "text"]


def test_the_constructor_takes_what_the_dataclass_took() -> None:
    """Positional and keyword arguments in field order, defaults, a fresh default_factory value
    for each object, and the dataclass's errors for a missing or unknown argument."""
    m = _measure()
    assert (m.co_executors, m.weight, m.completed, m.rescheduled, m.index) == ((), 1, None, (), 0)
    a, b = Source("a.yaml"), Source("b.yaml")
    assert a.positions == {} and a.positions is not b.positions  # a new dict each time
    assert Period("month", date(2026, 1, 1), date(2026, 1, 31), "2026-01") == Period(
        text="2026-01", end=date(2026, 1, 31), start=date(2026, 1, 1), kind="month")
    with pytest.raises(TypeError):
        Period("month", date(2026, 1, 1))  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Period("month", date(2026, 1, 1), date(2026, 1, 31), "2026-01", colour="red")  # type: ignore[call-arg]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del m.progress


def test_a_constructor_is_compiled_when_first_called() -> None:
    """A record's ``__init__`` is compiled on its first construction (a warm run builds none),
    then takes its place: the first object and the next are made alike, and a wrong first call
    fails as the compiled one does."""
    from roadmap_cli.record import Record, record

    def made() -> type:
        @record
        class Pair(Record):
            left: str
            right: tuple[str, ...] = dataclasses.field(default_factory=tuple)

        return Pair

    Pair = made()
    stub = vars(Pair)["__init__"]
    first = Pair("a")
    compiled = vars(Pair)["__init__"]
    assert compiled is not stub and compiled.__qualname__ == stub.__qualname__ == f"{Pair.__qualname__}.__init__"
    assert first == Pair("a") and first.right == () and repr(first).endswith(".Pair(left='a', right=())")
    Again = made()
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'left'"):
        Again()
    assert Again("b", ("c",)).right == ("c",)


def test_problems_sort_and_compare_as_ordered_dataclasses() -> None:
    # the dataclass of Problem's fields, ordered as dataclass orders
    Twin = dataclasses.make_dataclass(
        "Twin", [(f.name, f.type) for f in dataclasses.fields(Problem)], frozen=True, order=True)
    values = [("b.yaml", 2, 1, Severity.ERROR, "r", "m"), ("a.yaml", 10, 3, Severity.WARNING, "r", "m"),
              ("a.yaml", 10, 3, Severity.ERROR, "s", "m"), ("a.yaml", 9, 30, Severity.ERROR, "r", "z"),
              ("a.yaml", 10, 3, Severity.ERROR, "s", "a"), ("b.yaml", 2, 1, Severity.ERROR, "r", "m")]
    ours, theirs = [Problem(*v) for v in values], [Twin(*v) for v in values]
    assert [dataclasses.astuple(p) for p in sorted(ours)] == [dataclasses.astuple(t) for t in sorted(theirs)]
    for (p, q), (s, t) in zip(itertools.product(ours, ours), itertools.product(theirs, theirs), strict=True):
        assert (p < q, p <= q, p > q, p >= q, p == q) == (s < t, s <= t, s > t, s >= t, s == t)
    assert len(set(ours)) == 5 and ours[0] == ours[5] and hash(ours[0]) == hash(ours[5])
    with pytest.raises(TypeError):
        _ = ours[0] < values[0]  # type: ignore[operator]
    assert repr(ours[0]).removeprefix("Problem") == repr(theirs[0]).removeprefix("Twin")
