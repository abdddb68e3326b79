"""A document's measures in the cache's stored form (:mod:`roadmap_cli.stored`), built when
read: all of them (:meth:`Measures.get`), a few (:meth:`Measures.pick`), or each for a reader
that goes through them once (:meth:`Measures.passing`); the fields the as-of rows do not read
decoded when first read (:class:`Later`); and what every stored object is rebuilt from
(:func:`build`, days, due forms, statuses), which :mod:`roadmap_cli.stored` shares."""

from __future__ import annotations

import gc
import marshal
from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import date
from typing import Any

from roadmap_cli.lazydata import ZLazyRaw
from roadmap_cli.model import (
    Actual,
    Due,
    Evidence,
    Indicator,
    Measure,
    Period,
    Report,
    Rescheduling,
    Status,
    share_keys,
)
from roadmap_cli.record import Record, record

_new = object.__new__
_set = object.__setattr__
loads = marshal.loads
day = date.fromordinal
#: a status as stored (its value) -> the status
STATUS = {s.value: s for s in Status}


def build(cls: type, state: dict[str, Any]) -> Any:
    """An object of ``cls`` holding ``state`` as its ``__dict__``, without its constructor."""
    obj: Any = _new(cls)
    _set(obj, "__dict__", state)
    return obj


#: the periods and due forms rebuilt so far (frozen values, shared by every document that
#: writes the same one: most deadlines of a repository are a few dozen quarters and years)
_PERIODS: dict[Any, Period] = {}
_DUES: dict[Any, Due] = {}


def _period_of(t: Any) -> Period | None:
    if t is None:
        return None
    found = _PERIODS.get(t)
    if found is None:
        kind, start, end, text = t
        found = _PERIODS[t] = build(
            Period, {"kind": kind, "start": day(start), "end": day(end), "text": text}
        )
    return found


def due_of(t: Any) -> Due:
    key = (type(t[1]), t)  # the type of the due as written: 2026 and 2026.0 are equal
    try:
        found = _DUES.get(key)
    except TypeError:  # its raw is a mapping: not shared
        found = None
        t_hashable = False
    else:
        t_hashable = True
    if found is None:
        kind, raw, period, every, start, until, grace, after, within = t
        found = build(Due, {
            "kind": kind, "raw": raw, "period": _period_of(period), "every": every,
            "start": _period_of(start), "until": _period_of(until), "grace": grace,
            "after": after, "within": within,
        })
        if t_hashable:
            _DUES[key] = found
    return found


def day_or_none(n: int | None) -> date | None:
    return None if n is None else day(n)


@record
class MeasureName(Record):
    """What an indicator's row says of its measure (:func:`roadmap_cli.indicators.indicator_row`
    reads these two fields of a measure), for a measure that is not built."""

    id: str
    title: Any


class _Indicators:
    """The indicators of a document's measures that have them, with those measures' ids and
    titles: marshal bytes of (index, id, title, stored indicators) per measure, then
    {index: (id, title, stored indicators)} once read. Its own object, which the measures'
    :class:`Later` holds: not the :class:`Measures` that holds them (no cycle to collect)."""

    __slots__ = ("_found",)

    def __init__(self, blob: bytes) -> None:
        self._found: Any = blob

    def table(self) -> dict[int, tuple[Any, Any, Any]]:
        found = self._found
        if type(found) is bytes:
            found = self._found = {i: (mid, title, stored)
                                   for i, mid, title, stored in marshal.loads(found)}
        return found  # type: ignore[no-any-return]

    def at(self, index: int) -> tuple[Indicator, ...]:
        """The indicators of the measure at ``index`` (built anew each time asked)."""
        found = self.table().get(index)
        return _indicators_of(found[2]) if found is not None else ()

    def count(self, index: int) -> int:
        """How many indicators the measure at ``index`` has (none built)."""
        found = self.table().get(index)
        return len(found[2]) if found is not None else 0


class Measures:
    """A document's measures as stored, built when first read (``Roadmap.measures``:
    :class:`roadmap_cli.model._StoredField`), or a few of them (:meth:`pick`). ``latest``: the
    latest ``completed`` date among them, known without building them (the rule about
    completions after today reads it); the indicators of those that have them, with their ids
    and titles, apart (:meth:`named_indicators`: ``roadmap indicators`` builds no measure)."""

    __slots__ = ("_blob", "_built", "_indicators", "_parts", "_raw", "_value", "latest")

    def __init__(self, blob: bytes, raw: ZLazyRaw, latest: date | None, indicators: bytes) -> None:
        self._blob: bytes | None = blob
        self._raw = raw
        self._parts: tuple[Any, Any, Later, Callable[[int], Due]] | None = None
        self._built: dict[int, Measure] = {}  # the measures :meth:`pick` built
        self._value: tuple[Measure, ...] = ()
        self.latest = latest
        self._indicators = _Indicators(indicators)

    def named_indicators(self) -> list[tuple[MeasureName, Indicator]]:
        """(the measure's id and title, one of its indicators) for every indicator of the
        document, in measure and indicator order, without building a measure."""
        return [(MeasureName(mid, title), ind)
                for mid, title, stored in self._indicators.table().values()
                for ind in _indicators_of(stored)]

    def get(self) -> tuple[Measure, ...]:
        if self._blob is None:  # built already (a copy of the document shares this object)
            return self._value
        enabled = gc.isenabled()
        gc.disable()  # as while loading (load.load_sources): the new objects hold no cycles
        try:
            table, measures, later, due_at = self._decoded()
            due = [due_at(i) for i in range(len(table))].__getitem__  # those picked too
            built = self._built
            self._value = tuple(
                built.get(index) or _measure_of(index, loads(fields), due, self._raw, later)
                for index, fields in enumerate(measures)
            )
        finally:
            if enabled:
                gc.enable()
        self._blob = self._parts = None
        self._built = {}
        return self._value

    def passing(self) -> tuple[Measure, ...]:
        """Every measure, built for a reader that goes through them once and kept by nobody
        (nor their decoded fields): a writer of a thousand documents' measures holds one
        document's at a time, not a hundred thousand. The measures kept once they are built or
        some were picked (the same objects)."""
        if self._blob is None or self._built:
            return self.get()
        enabled = gc.isenabled()
        gc.disable()  # as in get
        try:
            table, measures, later, due_at = self._parts or self._decode()
            due = [due_at(i) for i in range(len(table))].__getitem__
            return tuple(
                _measure_of(index, loads(fields), due, self._raw, later)
                for index, fields in enumerate(measures)
            )
        finally:
            if enabled:
                gc.enable()

    def let_go(self) -> None:
        """Forget the measures :meth:`pick` built and the decoded fields, while the measures are
        not built in full: a reader done with the document frees them (built again, equal, if
        they are read again)."""
        if self._blob is not None:
            self._built = {}
            self._parts = None

    def pick(self, indices: Iterable[int]) -> list[Measure]:
        """The measures at ``indices`` (in order), building only those (and only the due
        forms they read): the same objects that :meth:`get` then returns."""
        if self._blob is None:
            return [self._value[i] for i in indices]
        wanted = list(indices)
        if not wanted:
            return []
        _table, measures, later, due = self._decoded()
        built = self._built
        out = []
        for index in wanted:
            m = built.get(index)
            if m is None:
                m = built[index] = _measure_of(index, loads(measures[index]), due, self._raw, later)
            out.append(m)
        return out

    def of_agency(self, agency: str) -> list[int] | None:
        """The indices of the measures ``agency`` leads or co-executes, told from their stored
        owners and co-executors without building them (None once they are built: then read
        the measures)."""
        if self._blob is None:
            return None
        _table, measures, _later, _due = self._decoded()
        # (a stored measure: id, owners, due, status, co-executors, ...: see _measure_of)
        return [i for i, (_id, owners, _due, _status, co, *_rest) in enumerate(map(loads, measures))
                if agency in owners or agency in co]

    def ids(self) -> list[str] | None:
        """The measures' ids in file order, told from their stored fields without building them
        or keeping them decoded (None once they are built: then read the measures)."""
        if self._blob is None:
            return None
        _table, measures, _later, _due = self._parts or self._decode()
        return [loads(fields)[0] for fields in measures]

    def heads(self, indices: Iterable[int]) -> list[tuple[Any, Any, Any]] | None:
        """(id, owners, title) of the measures at ``indices``, told from their stored fields
        without building them or keeping them decoded (None once they are built: then read the
        measures)."""
        if self._blob is None:
            return None
        _table, measures, later, _due = self._parts or self._decode()
        titles = later.titles
        # (a stored measure: id, owners, ...: see _measure_of)
        return [(*loads(measures[i])[:2], loads(titles[i])) for i in indices]

    def _decoded(self) -> tuple[Any, Any, Later, Callable[[int], Due]]:
        """The stored measures decoded, not built: the due forms' table, each measure's
        fields (as marshal bytes: ``marshal.loads`` gives them), their later fields, and the
        due form of an index (each built when asked)."""
        if self._parts is None:
            self._parts = self._decode()
        return self._parts

    def _decode(self) -> tuple[Any, Any, Later, Callable[[int], Due]]:
        """:meth:`_decoded`, not kept."""
        table, measures, titles, rest = marshal.loads(self._blob)  # type: ignore[arg-type]
        if type(measures) is not tuple or type(titles) is not tuple or type(rest) is not bytes:
            raise ValueError("not a document's measures")
        made: dict[int, Due] = {}

        def due(i: int) -> Due:
            found = made.get(i)
            if found is None:
                found = made[i] = due_of(table[i])
            return found

        return table, measures, Later(titles, rest, self._indicators), due


class _Built(Record):
    """A measure while :func:`_measure_of` fills it: a plain class of the same layout as
    :class:`Measure`, whose ``__init__`` stores the fields the as-of rows read as ordinary
    attributes (CPython's fastest store, and an instance dictionary that shares its keys with
    the others': half the bytes of a dictionary filled whole); the object then becomes the
    :class:`Measure` it is (``__class__``), before anything else sees it."""

    def __init__(self, mid: Any, owners: Any, due: Any, status: Any, co: Any, progress: Any,
                 weight: Any, completed: Any, reports: Any, section: Any, rescheduled: Any,
                 index: int, lazy: Any, later: Any) -> None:
        self.id = mid
        self.owners = owners
        self.due = due
        self.status = status
        self.co_executors = co
        self.progress = progress
        self.weight = weight
        self.completed = completed
        self.reports = reports
        self.section = section
        self.rescheduled = rescheduled
        self.index = index
        self._raw_ref = lazy
        self._later = later


share_keys(_Built, (*(f.name for f in fields(Measure)), "_raw_ref", "_later"))


def _measure_of(
    index: int, stored: Any, due_of: Callable[[int], Due], lazy: ZLazyRaw, later: Later
) -> Measure:
    (mid, owners, due, status, co, progress, weight, completed, reports, section,
     rescheduled) = stored
    m = _Built(
        mid, owners, due_of(due), STATUS[status], co, progress, weight,
        None if completed is None else day(completed),
        tuple(
            build(Report, {"period": p, "date": day_or_none(d), "note": n})
            for p, d, n in reports
        ) if reports else (),
        section,
        tuple(
            build(Rescheduling, {"due": due_of(d), "by": by}) for d, by in rescheduled
        ) if rescheduled else (),
        index, lazy, later,
    )
    m.__class__ = Measure  # type: ignore[assignment]
    return m  # type: ignore[return-value]


class Later:
    """The fields of a document's stored measures that the as-of rows do not read
    (:data:`roadmap_cli.model.LATER_TITLE`, :data:`~roadmap_cli.model.LATER_INDICATORS`,
    :data:`~roadmap_cli.model.LATER_REST`), as marshal bytes until one of them is first read
    (:class:`roadmap_cli.model._LaterField`): a title is decoded for its measure alone (each is
    kept apart: rows of a few measures show theirs), the indicators from the document's
    (:class:`_Indicators`), the other fields for the whole document; each measure's values are built when it is read (a copy of
    a measure too: it holds the same ``Later``)."""

    __slots__ = ("_indicators", "_rest", "_titles")

    def __init__(self, titles: tuple[bytes, ...], rest: bytes, indicators: _Indicators) -> None:
        self._titles: Any = titles
        self._rest: Any = rest
        self._indicators = indicators

    @property
    def titles(self) -> tuple[bytes, ...]:
        """Each measure's title, as marshal bytes (by its index)."""
        return self._titles  # type: ignore[no-any-return]

    def fill(self, obj: Any, name: str) -> None:
        state = obj.__dict__
        index = state["index"]
        if name == "title":
            state["title"] = loads(self._titles[index])
            return
        if name == "indicators":
            state["indicators"] = self._indicators.at(index)
            return
        rest = self._rest
        if type(rest) is bytes:
            rest = self._rest = marshal.loads(rest)
        (state["reason"], state["depends_on"], state["evidence"], state["notes"],
         state["result"]) = _rest_of(rest[index])

    def indicator_count(self, index: int) -> int:
        """How many indicators the measure at ``index`` has, without building them."""
        return self._indicators.count(index)


def _rest_of(stored: Any) -> tuple[Any, ...]:
    """A measure's fields that only detailed views read, built from their stored values."""
    reason, depends, evidence, notes, result = stored
    return (reason, depends, tuple(
        build(Evidence, {"title": t, "date": day_or_none(d), "url": u})
        for t, d, u in evidence
    ) if evidence else (), notes, result)


def _indicators_of(stored: Any) -> tuple[Indicator, ...]:
    """A measure's indicators, built from their stored values."""
    return tuple(
        build(Indicator, {
            "id": i, "title": t, "target": tg, "unit": u, "baseline": b,
            "actuals": tuple(build(Actual, {"date": day(d), "value": v}) for d, v in acts),
        })
        for i, t, tg, u, b, acts in stored
    )
