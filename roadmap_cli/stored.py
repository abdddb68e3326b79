"""The stored form of a checked file (:class:`roadmap_cli.load.Unit`) in the cache: plain tuples
in :mod:`marshal`, rebuilt into the model's classes without running their constructors.

An entry's payload is ``marshal((HEAD, body, raw, positions))``:

- ``HEAD``: what the loader needs of every file whatever it reports on (the context the file was
  checked in, its problems, whether it is a document, its id, the occurrences it adds, the
  agencies of agencies.yaml);
- ``body``: the document's model as nested tuples, dates as day numbers; its measures in
  marshal bytes of their own, each distinct due form once, built only when something reads
  ``Roadmap.measures`` (a report on one document of a thousand builds that one's): what the
  as-of rows read of each measure and its title, each measure's in bytes of its own (rows of a
  few measures per document decode those alone), then the fields only detailed views read
  (reason, depends_on, evidence, indicators, notes, result) as one blob, decoded when first
  read (:class:`Later`);
- ``raw`` and ``positions``: the data as written and the source positions, zlib-compressed
  marshal bytes, kept compressed until something reads them (diff, export, a problem's place).

Rebuilding fills each object's ``__dict__`` directly (a measure's through :class:`_Built`):
several times faster than unpickling the same dataclasses (no pickle opcodes, no enum or date
constructors called by name). Only
:mod:`roadmap_cli.cache` calls :func:`encode` and :func:`decode`, on bytes whose HMAC it has
checked; any entry that does not decode to this shape is refused (and rebuilt).
"""

from __future__ import annotations

import gc
import marshal
import zlib
from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import date
from typing import Any

from roadmap_cli import i18n
from roadmap_cli.digest import Digest, Shape
from roadmap_cli.lazydata import LazyMap, LazyRaw, ZLazyMap, ZLazyRaw
from roadmap_cli.model import (
    Actual,
    Agency,
    Amendment,
    Due,
    Event,
    Evidence,
    Indicator,
    Measure,
    Period,
    Problem,
    Report,
    Rescheduling,
    Roadmap,
    Section,
    Severity,
    Source,
    Status,
    share_keys,
)
from roadmap_cli.record import Record

#: the shape's version (part of the cache's format: cache.FORMAT)
TAG = "unit 9"

_new = object.__new__
_set = object.__setattr__
loads = marshal.loads
_day = date.fromordinal
_STATUS = {s.value: s for s in Status}
_STATUS_VALUE = {s: s.value for s in Status}
_SEVERITY = {s.value: s for s in Severity}


class OtherLanguage(ValueError):
    """The unit's problems are worded in another language than the run's (it is checked again)."""


class Unstorable(ValueError):
    """The unit holds something the stored form cannot keep (then it is not cached)."""


def _build(cls: type, state: dict[str, Any]) -> Any:
    obj: Any = _new(cls)
    _set(obj, "__dict__", state)
    return obj


# --- encoding --------------------------------------------------------------------------------


def _o(d: date | None) -> int | None:
    return None if d is None else d.toordinal()


def _period(p: Period | None) -> Any:
    return None if p is None else (p.kind, p.start.toordinal(), p.end.toordinal(), p.text)


def _due(d: Due) -> tuple[Any, ...]:
    return (d.kind, d.raw, _period(d.period), d.every, _period(d.start), _period(d.until),
            d.grace, d.after, d.within)


def _lean_parts(obj: Any) -> tuple[Any, int]:
    """The LazyRaw of a lean object and its index (model.lean): -1 for a document."""
    lazy = obj.__dict__.get("_raw_ref")
    if not isinstance(lazy, LazyRaw):
        raise Unstorable("not lean")
    return lazy, obj.index if isinstance(obj, Measure) else -1


def digest_blob(roadmap: Roadmap) -> bytes:
    """The stored form of the digest of a document (:mod:`roadmap_cli.digest`): its rows and
    recurring schedules as they are and its rare measures' fields as plain values."""
    from roadmap_cli.tally import digest_of

    d = digest_of(roadmap)
    return marshal.dumps((
        tuple(d.rows),
        tuple(d.schedules),
        tuple((_STATUS_VALUE[m.status], _o(m.completed), m.progress, m.weight, _due(m.due),
               tuple((_due(x.due), x.by) for x in m.rescheduled),
               tuple((p.period, _o(p.date)) for p in m.reports)) for m in d.rare),
        tuple(d.groups),
        tuple(d.order),
    ))


def _encode_roadmap(r: Roadmap) -> tuple[tuple[Any, ...], bytes, bytes]:
    lazy, index = _lean_parts(r)
    if index != -1:
        raise Unstorable("not lean")
    dues: dict[Any, int] = {}  # each distinct due form once (those written as a mapping too)
    table: list[tuple[Any, ...]] = []

    def due(d: Due) -> int:
        key = _due(d)
        try:  # (2026 and 2026.0 are equal, and are not the same due as written)
            found = dues.get((type(d.raw), key))
        except TypeError:  # written as a mapping (recurring, after): compared by its bytes
            return due_of_mapping(key)
        if found is None:
            found = dues[(type(d.raw), key)] = len(table)
            table.append(key)
        return found

    def due_of_mapping(key: tuple[Any, ...]) -> int:
        mkey = marshal.dumps(key)
        found = dues.get(mkey)
        if found is None:
            found = dues[mkey] = len(table)
            table.append(key)
        return found

    measures: list[Any] = []
    titles: list[Any] = []
    rest: list[Any] = []
    for position, m in enumerate(r.measures):
        mlazy, mindex = _lean_parts(m)
        if mlazy is not lazy or mindex != position:
            raise Unstorable("a measure's data is not its document's")
        measures.append((
            m.id, m.owners, due(m.due), _STATUS_VALUE[m.status], m.co_executors, m.progress,
            m.weight, _o(m.completed),
            tuple((p.period, _o(p.date), p.note) for p in m.reports),
            m.section,
            tuple((due(x.due), x.by) for x in m.rescheduled),
        ))
        titles.append(m.title)
        rest.append((
            m.reason, m.depends_on,
            tuple((e.title, _o(e.date), e.url) for e in m.evidence),
            tuple((i.id, i.title, i.target, i.unit, i.baseline,
                   tuple((a.date.toordinal(), a.value) for a in i.actuals))
                  for i in m.indicators),
            m.notes, m.result,
        ))
    completed = [m.completed for m in r.measures if m.completed is not None]
    body = (
        r.id, r.kind, r.title, r.parties, r.signed.toordinal(), r.period_start.toordinal(),
        r.period_end.toordinal(), r.signed_place, r.notes,
        tuple((s.id, s.title) for s in r.sections),
        tuple((e.id, e.title, _o(e.date)) for e in r.events),
        tuple((a.id, a.date.toordinal(), a.title, a.url) for a in r.amendments),
        max(completed).toordinal() if completed else None,
        tuple(i for i, m in enumerate(r.measures) if m.indicators),
        marshal.dumps((tuple(table), tuple(map(marshal.dumps, measures)),
                       tuple(map(marshal.dumps, titles)), marshal.dumps(tuple(rest)))),
        digest_blob(r),
    )
    positions = r.source.positions
    if isinstance(positions, ZLazyMap):
        zpos = positions.zipped()
    elif isinstance(positions, LazyMap) and positions._blob is not None:
        zpos = zlib.compress(positions._blob, 1)
    else:
        zpos = zlib.compress(marshal.dumps(dict(positions)), 1)
    zraw = lazy.zipped() if isinstance(lazy, ZLazyRaw) else (
        zlib.compress(lazy._blob, 1) if lazy._blob is not None
        else zlib.compress(marshal.dumps(lazy.get()), 1)
    )
    return body, zraw, zpos


def encode(unit: Any, stored_as: str | None = None) -> bytes:
    """The payload of a cache entry for ``unit`` (kept under the name ``stored_as``, when it is
    not its model's file: see :func:`decode`); :class:`Unstorable` when it cannot be kept."""
    agencies = None if unit.agencies is None else tuple(
        (a.id, a.name, a.country, a.level, a.parent, a.short, a.aliases) for a in unit.agencies
    )
    file = None if unit.roadmap is None else stored_as or unit.roadmap.file
    head = (
        TAG, file, unit.context,
        tuple((p.file, p.line, p.column, p.severity.value, p.rule, p.message)
              for p in unit.problems),
        unit.doc, unit.id, unit.occurrences, agencies,
        # problems are worded in the interface language: a unit without any is of every language
        i18n.current() if unit.problems else None,
    )
    body = zraw = zpos = None
    if unit.roadmap is not None:
        body, zraw, zpos = _encode_roadmap(unit.roadmap)
    try:
        return marshal.dumps((head, body, zraw, zpos))
    except ValueError as e:  # a value marshal cannot keep (not plain data)
        raise Unstorable(str(e)) from None


# --- decoding --------------------------------------------------------------------------------


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
        found = _PERIODS[t] = _build(
            Period, {"kind": kind, "start": _day(start), "end": _day(end), "text": text}
        )
    return found


def _due_of(t: Any) -> Due:
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
        found = _build(Due, {
            "kind": kind, "raw": raw, "period": _period_of(period), "every": every,
            "start": _period_of(start), "until": _period_of(until), "grace": grace,
            "after": after, "within": within,
        })
        if t_hashable:
            _DUES[key] = found
    return found


def _day_or_none(n: int | None) -> date | None:
    return None if n is None else _day(n)


class Measures:
    """A document's measures as stored, built when first read (``Roadmap.measures``:
    :class:`roadmap_cli.model._StoredField`), or a few of them (:meth:`pick`). ``latest``: the
    latest ``completed`` date among them, known without building them (the rule about
    completions after today reads it); ``with_indicators``: the indices of those with
    indicators (``roadmap indicators`` builds those)."""

    __slots__ = ("_blob", "_built", "_parts", "_raw", "_value", "latest", "with_indicators")

    def __init__(
        self, blob: bytes, raw: ZLazyRaw, latest: date | None, with_indicators: tuple[int, ...]
    ) -> None:
        self._blob: bytes | None = blob
        self._raw = raw
        self._parts: tuple[Any, Any, Later, Callable[[int], Due]] | None = None
        self._built: dict[int, Measure] = {}  # the measures :meth:`pick` built
        self._value: tuple[Measure, ...] = ()
        self.latest = latest
        self.with_indicators = with_indicators

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
                found = made[i] = _due_of(table[i])
            return found

        return table, measures, Later(titles, rest), due


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
        mid, owners, due_of(due), _STATUS[status], co, progress, weight,
        None if completed is None else _day(completed),
        tuple(
            _build(Report, {"period": p, "date": _day_or_none(d), "note": n})
            for p, d, n in reports
        ) if reports else (),
        section,
        tuple(
            _build(Rescheduling, {"due": due_of(d), "by": by}) for d, by in rescheduled
        ) if rescheduled else (),
        index, lazy, later,
    )
    m.__class__ = Measure  # type: ignore[assignment]
    return m  # type: ignore[return-value]


class StoredDigest:
    """A document's digest as stored (:mod:`roadmap_cli.digest`), built when first read
    (``Roadmap._stored_digest``: :func:`roadmap_cli.digest.of`)."""

    __slots__ = ("_blob", "_value")

    def __init__(self, blob: bytes) -> None:
        self._blob = blob
        self._value: Digest | None = None

    def get(self) -> Digest:
        if self._value is None:
            enabled = gc.isenabled()
            gc.disable()  # as for the measures (Measures.get): the new objects hold no cycles
            try:
                self._value = digest_of(self._blob)
            finally:
                if enabled:
                    gc.enable()
        return self._value


def digest_of(blob: bytes) -> Digest:
    """The digest stored as ``blob`` (:func:`digest_blob`)."""
    rows, schedules, rare, groups, order = marshal.loads(blob)
    return Digest(
        rows,
        schedules,
        [
            Shape(
                _STATUS[status], _day_or_none(completed), progress, weight, _due_of(due),
                tuple(_build(Rescheduling, {"due": _due_of(d), "by": by}) for d, by in rescheduled)
                if rescheduled else (),
                tuple(_build(Report, {"period": p, "date": _day_or_none(d), "note": None})
                      for p, d in reports) if reports else (),
            )
            for status, completed, progress, weight, due, rescheduled, reports in rare
        ],
        groups,
        order,
    )


class Later:
    """The fields of a document's stored measures that the as-of rows do not read
    (:data:`roadmap_cli.model.LATER_TITLE`, :data:`~roadmap_cli.model.LATER_REST`), as marshal
    bytes until one of them is first read (:class:`roadmap_cli.model._LaterField`): a title
    is decoded for its measure alone (each is kept apart: rows of a few measures show theirs),
    the other fields for the whole document; each measure's values are built when it is read
    (a copy of a measure too: it holds the same ``Later``)."""

    __slots__ = ("_rest", "_titles")

    def __init__(self, titles: tuple[bytes, ...], rest: bytes) -> None:
        self._titles: Any = titles
        self._rest: Any = rest

    def fill(self, obj: Any, name: str) -> None:
        state = obj.__dict__
        index = state["index"]
        if name == "title":
            state["title"] = loads(self._titles[index])
            return
        rest = self._rest
        if type(rest) is bytes:
            rest = self._rest = marshal.loads(rest)
        (state["reason"], state["depends_on"], state["evidence"], state["indicators"],
         state["notes"], state["result"]) = _rest_of(rest[index])


def _rest_of(stored: Any) -> tuple[Any, ...]:
    """A measure's fields that only detailed views read, built from their stored values."""
    reason, depends, evidence, indicators, notes, result = stored
    return (reason, depends, tuple(
        _build(Evidence, {"title": t, "date": _day_or_none(d), "url": u})
        for t, d, u in evidence
    ) if evidence else (), tuple(
        _build(Indicator, {
            "id": i, "title": t, "target": tg, "unit": u, "baseline": b,
            "actuals": tuple(_build(Actual, {"date": _day(d), "value": v}) for d, v in acts),
        })
        for i, t, tg, u, b, acts in indicators
    ) if indicators else (), notes, result)


def _roadmap_of(body: Any, zraw: bytes, zpos: bytes, name: str) -> Roadmap:
    (rid, kind, title, parties, signed, start, end, place, notes, sections, events, amendments,
     latest, with_indicators, measures, digest) = body
    if (type(zraw) is not bytes or type(zpos) is not bytes or type(measures) is not bytes
            or type(digest) is not bytes):
        raise ValueError("not a document")
    lazy = ZLazyRaw(zraw)
    roadmap: Roadmap = _build(Roadmap, {
        "id": rid, "kind": kind, "title": title, "parties": parties, "signed": _day(signed),
        "period_start": _day(start), "period_end": _day(end),
        "_stored_measures": Measures(measures, lazy, _day_or_none(latest), with_indicators),
        "_stored_digest": StoredDigest(digest),
        "signed_place": place, "notes": notes,
        "sections": tuple(_build(Section, {"id": i, "title": t}) for i, t in sections),
        "events": tuple(
            _build(Event, {"id": i, "title": t, "date": _day_or_none(d)}) for i, t, d in events
        ),
        "amendments": tuple(
            _build(Amendment, {"id": i, "date": _day(d), "title": t, "url": u})
            for i, d, t, u in amendments
        ),
        "source": _build(Source, {"file": name, "positions": ZLazyMap(zpos)}),
        "_raw_ref": lazy,
    })
    return roadmap


def decode(payload: Any, name: str, shown: str | None = None) -> Any:
    """The :class:`roadmap_cli.load.Unit` of ``payload`` (checked by its HMAC) for the file
    ``name``; any error means the entry is not of this shape (the caller rebuilds it). With
    ``shown``, the entry was kept under the name ``name`` for a file named ``shown`` (a file at
    a revision, :mod:`roadmap_cli.revisions`): its model names that file."""
    from roadmap_cli.load import Unit

    head, body, zraw, zpos = marshal.loads(payload)
    tag, file, context, problems, doc, rid, occurrences, agencies, lang = head
    if (
        tag != TAG
        or not (lang is None or type(lang) is str)
        or (body is not None and file != name)  # another file's model
        or type(context) not in (str, tuple)
        or type(doc) is not bool
        or type(occurrences) is not int
        or not (rid is None or type(rid) is str)
        or not (body is None or type(body) is tuple)
    ):
        raise ValueError("not a unit")
    found = [Problem(f, line, col, _SEVERITY[sev], rule, msg)
             for f, line, col, sev, rule, msg in problems]
    if found and lang != i18n.current():
        raise OtherLanguage(lang)
    return Unit(
        context,
        found,
        doc=doc,
        id=rid,
        occurrences=occurrences,
        roadmap=None if body is None else _roadmap_of(body, zraw, zpos, shown or name),
        agencies=None if agencies is None else [
            Agency(i, n, c, lv, p, s, tuple(al)) for i, n, c, lv, p, s, al in agencies
        ],
    )
