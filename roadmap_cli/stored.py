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
  (reason, depends_on, evidence, notes, result) as one blob, decoded when first read; and
  beside them, the indicators of the measures that have them with those measures' ids and
  titles, which ``roadmap indicators`` reads without building a measure
  (:mod:`roadmap_cli.stored_measures`);
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
from datetime import date
from typing import Any

from roadmap_cli import i18n
from roadmap_cli.digest import Digest, Shape
from roadmap_cli.lazydata import LazyMap, LazyRaw, ZLazyMap, ZLazyRaw
from roadmap_cli.model import (
    Agency,
    Amendment,
    Due,
    Event,
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
)
from roadmap_cli.stored_measures import STATUS as _STATUS
from roadmap_cli.stored_measures import Measures
from roadmap_cli.stored_measures import build as _build
from roadmap_cli.stored_measures import day as _day
from roadmap_cli.stored_measures import day_or_none as _day_or_none
from roadmap_cli.stored_measures import due_of as _due_of

#: the shape's version (part of the cache's format: cache.FORMAT)
TAG = "unit 12"

_STATUS_VALUE = {s: s.value for s in Status}
_SEVERITY = {s.value: s for s in Severity}


class OtherLanguage(ValueError):
    """The unit's problems are worded in another language than the run's (it is checked again)."""


class Unstorable(ValueError):
    """The unit holds something the stored form cannot keep (then it is not cached)."""


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
    objects: dict[int, tuple[Due, int]] = {}  # a due form's place by the object (often shared)

    def due(d: Due) -> int:
        found = objects.get(id(d))
        if found is not None and found[0] is d:
            return found[1]
        place = objects[id(d)] = (d, due_of_value(d))
        return place[1]

    def due_of_value(d: Due) -> int:
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
    indicators: list[Any] = []  # (index, id, title, indicators) of the measures that have them
    latest: date | None = None
    for position, m in enumerate(r.measures):
        # (a lean measure: model.lean; its document's LazyRaw is checked above)
        if m.__dict__.get("_raw_ref") is not lazy or m.index != position:
            raise Unstorable("a measure's data is not its document's")
        completed = m.completed
        if completed is not None and (latest is None or completed > latest):
            latest = completed
        measures.append((
            m.id, m.owners, due(m.due), _STATUS_VALUE[m.status], m.co_executors, m.progress,
            m.weight, None if completed is None else completed.toordinal(),
            tuple((p.period, _o(p.date), p.note) for p in m.reports) if m.reports else (),
            m.section,
            tuple((due(x.due), x.by) for x in m.rescheduled) if m.rescheduled else (),
        ))
        titles.append(m.title)
        rest.append((
            m.reason, m.depends_on,
            tuple((e.title, _o(e.date), e.url) for e in m.evidence) if m.evidence else (),
            m.notes, m.result,
        ))
        if m.indicators:
            indicators.append((position, m.id, m.title, tuple(
                (i.id, i.title, i.target, i.unit, i.baseline,
                 tuple((a.date.toordinal(), a.value) for a in i.actuals))
                for i in m.indicators)))
    body = (
        r.id, r.kind, r.title, r.parties, r.signed.toordinal(), r.period_start.toordinal(),
        r.period_end.toordinal(), r.signed_place, r.notes,
        tuple((s.id, s.title) for s in r.sections),
        tuple((e.id, e.title, _o(e.date)) for e in r.events),
        tuple((a.id, a.date.toordinal(), a.title, a.url) for a in r.amendments),
        _o(latest),
        marshal.dumps(tuple(indicators)),
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


def encode(unit: Any, stored_as: str | None = None,
           made: list[Encoded] | None = None) -> bytes:
    """The payload of a cache entry for ``unit`` (kept under the name ``stored_as``, when it is
    not its model's file: see :func:`decode`); :class:`Unstorable` when it cannot be kept.
    ``made``: receives its document's stored form (for :func:`stored_roadmap`)."""
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
        unit.dated,
    )
    body = zraw = zpos = None
    if unit.roadmap is not None:
        body, zraw, zpos = _encode_roadmap(unit.roadmap)
        if made is not None:
            made.append((body, zraw, zpos))
    try:
        return marshal.dumps((head, body, zraw, zpos))
    except ValueError as e:  # a value marshal cannot keep (not plain data)
        raise Unstorable(str(e)) from None


# --- decoding --------------------------------------------------------------------------------


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


def _roadmap_of(body: Any, zraw: bytes, zpos: bytes, name: str) -> Roadmap:
    (rid, kind, title, parties, signed, start, end, place, notes, sections, events, amendments,
     latest, indicators, measures, digest) = body
    if (type(zraw) is not bytes or type(zpos) is not bytes or type(measures) is not bytes
            or type(digest) is not bytes or type(indicators) is not bytes):
        raise ValueError("not a document")
    lazy = ZLazyRaw(zraw)
    roadmap: Roadmap = _build(Roadmap, {
        "id": rid, "kind": kind, "title": title, "parties": parties, "signed": _day(signed),
        "period_start": _day(start), "period_end": _day(end),
        "_stored_measures": Measures(measures, lazy, _day_or_none(latest), indicators),
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


#: a document's model as stored: (body, zipped data as written, zipped positions)
Encoded = tuple[tuple[Any, ...], bytes, bytes]


def encoded(roadmap: Roadmap) -> Encoded | None:
    """The stored form of ``roadmap`` (as a load builds it), or None when it cannot be stored."""
    try:
        return _encode_roadmap(roadmap)
    except (Unstorable, ValueError):
        return None


def stored_roadmap(form: Encoded, name: str) -> Roadmap:
    """The document of the file ``name`` from its stored form (:func:`encode` made it), as a
    warm run reads it from the cache: its measures stored, built when read, its digest made."""
    return _roadmap_of(*form, name)


def decode(payload: Any, name: str, shown: str | None = None) -> Any:
    """The :class:`roadmap_cli.load.Unit` of ``payload`` (checked by its HMAC) for the file
    ``name``; any error means the entry is not of this shape (the caller rebuilds it). With
    ``shown``, the entry was kept under the name ``name`` for a file named ``shown`` (a file at
    a revision, :mod:`roadmap_cli.revisions`): its model names that file."""
    from roadmap_cli.load import Unit

    head, body, zraw, zpos = marshal.loads(payload)
    tag, file, context, problems, doc, rid, occurrences, agencies, lang, dated = head
    if (
        tag != TAG
        or not (lang is None or type(lang) is str)
        or (body is not None and file != name)  # another file's model
        or type(context) not in (str, tuple)
        or type(doc) is not bool
        or type(occurrences) is not int
        or not (rid is None or type(rid) is str)
        or not (body is None or type(body) is tuple)
        or type(dated) is not tuple
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
        dated=dated,
    )
