"""The plain data of roadmap-cli: frozen dataclasses and enums, no behaviour beyond trivial helpers.

Every module speaks these types. Source positions are kept out of equality
(``field(compare=False)``) so that two versions of a measure compare equal when only its
lines moved.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import Any

from roadmap_cli.i18n import LANG_FALLBACK, lang_chain  # noqa: F401 (their home is i18n)
from roadmap_cli.lazydata import LazyRaw, ZLazyRaw
from roadmap_cli.record import Record, record

#: A title as written: a plain string, or a map of language code -> string.
Title = str | Mapping[str, str]

#: A path into a YAML document: keys and list indexes, e.g. ("measures", 3, "due").
Path = tuple[str | int, ...]

#: 1-based (line, column) of a value in its file.
Pos = tuple[int, int]

def pick(title: Title | None, lang: str = "en") -> str:
    """The title in ``lang``, else its fallbacks (:func:`lang_chain`), else the first one given
    (the contract's order)."""
    if title is None:
        return ""
    if isinstance(title, str):
        return title
    for code in lang_chain(lang):
        text = title.get(code)
        if text:
            return text
    for text in title.values():
        if text:
            return text
    return ""


def locate(positions: Mapping[Path, Pos], path: Path) -> Pos:
    """The position of ``path``, or of its nearest ancestor that has one, or (1, 1)."""
    p = tuple(path)
    while p:
        pos = positions.get(p)
        if pos is not None:
            return pos
        p = p[:-1]
    return positions.get((), (1, 1))


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"
    CANCELLED = "cancelled"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@record
class Problem(Record):
    """One finding about a file, located at the offending value (1-based line and column).
    Problems sort by their fields in order (file, line, column, severity, rule, message), as
    ``dataclass(order=True)`` sorts them."""

    file: str
    line: int
    column: int
    severity: Severity
    rule: str
    message: str

    def __lt__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._compared(self) < other._compared(other))  # type: ignore[attr-defined]
        return NotImplemented

    def __le__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._compared(self) <= other._compared(other))  # type: ignore[attr-defined]
        return NotImplemented

    def __gt__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._compared(self) > other._compared(other))  # type: ignore[attr-defined]
        return NotImplemented

    def __ge__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._compared(self) >= other._compared(other))  # type: ignore[attr-defined]
        return NotImplemented

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": str(self.severity),
            "rule": self.rule,
            "message": self.message,
        }


@record
class Period(Record):
    """A calendar span named by one of the period forms: date, month, quarter, half or year."""

    kind: str  # "date" | "month" | "quarter" | "half" | "year"
    start: date
    end: date
    text: str  # canonical text: "2026-10-15", "2026-10", "2026-Q4", "2026-H1", "2026"


@record
class Due(Record):
    """A measure's due form, parsed. ``raw`` is the value exactly as written (str or mapping)."""

    kind: str  # "date" | "month" | "quarter" | "half" | "year" | "ongoing" | "on_request"
    # | "recurring" | "after"
    raw: Any
    period: Period | None = None  # the fixed forms: their span; deadline = period.end
    every: str | None = None  # recurring: "month" | "quarter" | "half" | "year"
    start: Period | None = None  # recurring: the period holding `from` (None: roadmap start)
    until: Period | None = None  # recurring: the period holding `until` (None: roadmap end)
    grace: int = 0  # recurring: days after each period's end
    after: str | None = None  # after: the event or measure id the deadline follows
    within: str | None = None  # after: the time allowed from the anchor date, "6m", "30d"

    @property
    def recurring(self) -> bool:
        return self.kind == "recurring"

    @property
    def ongoing(self) -> bool:
        return self.kind == "ongoing"

    @property
    def open_ended(self) -> bool:
        """No deadline ever: ``ongoing`` or ``on_request`` (never overdue, left out of progress)."""
        return self.kind in ("ongoing", "on_request")

    @property
    def anchored(self) -> bool:
        """``{after: X, within: N}``: the deadline follows an event or another measure."""
        return self.kind == "after"


@record
class Section(Record):
    """A heading the measures of a document are grouped under."""

    id: str
    title: Title


@record
class Event(Record):
    """A dated fact deadlines may follow (``date`` is None while it has not happened)."""

    id: str
    title: Title
    date: date | None = None


@record
class Amendment(Record):
    """A protocol the parties signed that changed the document."""

    id: str
    date: date
    title: Title | None = None
    url: str | None = None


@record
class Rescheduling(Record):
    """One ``rescheduled`` entry: the due in force (``due``, written ``from``) until amendment
    ``by``."""

    due: Due
    by: str


@record
class Report(Record):
    """One ``reports`` entry of a recurring measure: the occurrence (``period`` as written) it
    reports on, when (None: known from the end of its period) and a note."""

    period: str
    date: date | None = None
    note: str | None = None


@record
class Evidence(Record):
    """One ``evidence`` entry: a document that shows work done (title, date, link)."""

    title: Title
    date: date | None = None
    url: str | None = None


@record
class Actual(Record):
    """One measured value of an indicator, on a date."""

    date: date
    value: float


@record
class Indicator(Record):
    """A measurable target of a measure, with the values measured so far (``actuals``)."""

    id: str
    title: Title
    target: float
    unit: str | None = None
    baseline: float | None = None
    actuals: tuple[Actual, ...] = ()


@record
class Measure(Record):
    """One measure of a document: who does what by when, and how far it is."""

    id: str
    title: Title
    owners: tuple[str, ...]
    due: Due
    status: Status
    co_executors: tuple[str, ...] = ()
    progress: int | None = None
    weight: float = 1
    completed: date | None = None
    reason: str | None = None
    depends_on: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    reports: tuple[Report, ...] = ()
    notes: str | None = None
    section: str | None = None
    result: Title | None = None
    rescheduled: tuple[Rescheduling, ...] = ()
    #: index of this measure in the file's `measures` list (for locating problems)
    index: int = field(default=0, compare=False)
    #: the measure as loaded: plain JSON-like data (dates as ISO strings), for diff and export
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


class _RawField:
    """``raw`` of a document or measure made by :func:`lean`: read from its document's
    :class:`LazyRaw` (held as ``_raw_ref``, the measure's ``index`` its place in the document's
    ``measures``) when first asked for, then kept (an object made as usual holds its ``raw``
    itself, which this never overrides)."""

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        state = obj.__dict__
        lazy = state.get("_raw_ref")
        if lazy is None:
            raise AttributeError("raw")
        value = lazy.get()
        if isinstance(obj, Measure):
            value = value["measures"][state["index"]]
        state["raw"] = value
        return value


class _LaterField:
    """A field of a measure rebuilt from the cache (:mod:`roadmap_cli.stored`) that the as-of
    rows never read (its title, notes, evidence, indicators...): kept in its document's stored
    bytes until first read. The measure holds ``_later``, anything with a ``fill(obj, name)``
    that puts the field (and the others decoded with it) in ``obj.__dict__``; a measure made as
    usual holds its fields itself, which this never overrides."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        state = obj.__dict__
        later = state.get("_later")
        if later is None:
            raise AttributeError(self.name)
        later.fill(obj, self.name)
        return state[self.name]


#: the fields of a :class:`Measure` that a measure rebuilt from the cache decodes when first
#: read (:class:`_LaterField`), in three groups: the title (the tables of items show it), the
#: indicators (``roadmap indicators`` reads them and the title alone), and what only the
#: detailed views read
LATER_TITLE = ("title",)
LATER_INDICATORS = ("indicators",)
LATER_REST = ("reason", "depends_on", "evidence", "notes", "result")


def indicator_count(measure: Measure) -> int:
    """``len(measure.indicators)``, without building the indicators of a measure rebuilt from
    the cache that has not read them yet (``export``'s measure list counts them)."""
    state = measure.__dict__
    later = state.get("_later")
    if later is not None and "indicators" not in state:
        return later.indicator_count(state["index"])  # type: ignore[no-any-return]
    return len(measure.indicators)


class _StoredField:
    """A field of an object rebuilt from the cache (:mod:`roadmap_cli.stored`) whose value is
    made when first read, then kept: a document's ``measures``, so that a run that reports on
    one document of a thousand builds the measures of that one. The object holds
    ``_stored_<name>``, anything with a ``get()``; an object made as usual holds the value
    itself, which this never overrides."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.ref = "_stored_" + name

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        state = obj.__dict__
        stored = state.get(self.ref)
        if stored is None:
            raise AttributeError(self.name)
        value = stored.get()
        state[self.name] = value
        del state[self.ref]
        return value


def unbuilt_measures(roadmap: Roadmap) -> Any | None:
    """The measures of a document rebuilt from the cache while none of them has been read
    (:class:`roadmap_cli.stored_measures.Measures`: ``pick(indices)`` builds a few of them, the same
    objects ``roadmap.measures`` then holds), else None."""
    return roadmap.__dict__.get("_stored_measures")


def lean(roadmap: Roadmap) -> Roadmap:
    """``roadmap`` with its data as written (``raw``, its measures' too) kept as compressed
    marshal bytes until first read: what a load keeps (a fifth of the bytes, which the cache
    then stores as they are). Equal to ``roadmap`` in every field."""
    if "raw" not in roadmap.__dict__:
        return roadmap  # lean already
    raw_measures = roadmap.raw.get("measures")
    for m in roadmap.measures:
        if not (isinstance(raw_measures, list) and m.index < len(raw_measures)
                and raw_measures[m.index] is m.raw):
            return roadmap  # a raw that is not its document's: kept as it is
    lazy = lazy_raw(roadmap.raw)
    if lazy is None:  # not plain data (built by hand): kept as it is
        return roadmap
    out: Roadmap = lean_roadmap(roadmap, lazy)
    out.__dict__["measures"] = tuple(_without_raw(m, lazy) for m in roadmap.measures)
    return out


def lazy_raw(raw: Mapping[str, Any]) -> ZLazyRaw | None:
    """A document's data as written, as :func:`lean` keeps it (None: not plain data)."""
    try:
        return ZLazyRaw(zlib.compress(marshal.dumps(raw), 1))  # type: ignore[arg-type]
    except ValueError:
        return None


def lean_roadmap(roadmap: Roadmap, lazy: LazyRaw) -> Roadmap:
    """``roadmap`` (its measures as they are) with its data as written read from ``lazy``."""
    out: Roadmap = _without_raw(roadmap, lazy)
    return out


def _without_raw(obj: Any, lazy: LazyRaw) -> Any:
    # field by field, not ``__dict__.update``: CPython then keeps the instance's dictionary
    # sharing its keys with the class's other instances (half the memory of 100,000 measures')
    new = object.__new__(type(obj))
    for key, value in obj.__dict__.items():
        if key != "raw" and not key.startswith(_BY_ID):  # (an index holds the old measures)
            object.__setattr__(new, key, value)
    object.__setattr__(new, "_raw_ref", lazy)
    return new


class _LeanMeasure(Record):
    """A :class:`Measure` as :func:`lean` makes it (its data as written read from its
    document's ``lazy``), made at once by the loader (:func:`roadmap_cli.build_model.build_roadmap`)
    instead of built whole and copied: a plain class of the same layout, whose ``__init__``
    stores the fields as ordinary attributes (CPython's fastest store, into an instance
    dictionary that shares its keys with the others') and then makes the object the
    :class:`Measure` it is (``__class__``), before anything else sees it. The fields in the
    order of :class:`Measure`'s; ``raw`` is not one of them."""

    def __init__(self, id: str, title: Title, owners: tuple[str, ...], due: Due, status: Status,
                 co_executors: tuple[str, ...], progress: int | None, weight: float,
                 completed: date | None, reason: str | None, depends_on: tuple[str, ...],
                 evidence: tuple[Evidence, ...], indicators: tuple[Indicator, ...],
                 reports: tuple[Report, ...], notes: str | None, section: str | None,
                 result: Title | None, rescheduled: tuple[Rescheduling, ...], index: int,
                 lazy: LazyRaw) -> None:
        self.id = id
        self.title = title
        self.owners = owners
        self.due = due
        self.status = status
        self.co_executors = co_executors
        self.progress = progress
        self.weight = weight
        self.completed = completed
        self.reason = reason
        self.depends_on = depends_on
        self.evidence = evidence
        self.indicators = indicators
        self.reports = reports
        self.notes = notes
        self.section = section
        self.result = result
        self.rescheduled = rescheduled
        self.index = index
        self._raw_ref = lazy
        self.__class__ = Measure  # type: ignore[assignment]


#: ``lean_measure(id, title, ..., rescheduled, index, lazy)``: a lean :class:`Measure`
#: (:class:`_LeanMeasure`)
lean_measure: Callable[..., Measure] = _LeanMeasure  # type: ignore[assignment]


def share_keys(cls: type, names: Iterable[str]) -> None:
    """Let the instances of ``cls`` (a class of :class:`Measure`'s layout that makes measures)
    share the keys ``names`` too, after those its ``__init__`` sets: a field such an object
    takes when first read (``raw``, :class:`_LaterField`) then stays in its key-sharing
    dictionary, which otherwise becomes an ordinary one (three times the bytes). Memory
    only: no value changes."""
    primer: Any = object.__new__(cls)
    for name in names:
        object.__setattr__(primer, name, None)


share_keys(_LeanMeasure, (*(f.name for f in fields(Measure)), "_raw_ref"))


@record
class Source(Record):
    """Where a document came from, and the position of each of its values."""

    file: str
    positions: Mapping[Path, Pos] = field(default_factory=dict, repr=False)

    def at(self, path: Path) -> Pos:
        return locate(self.positions, path)


@record
class Roadmap(Record):
    """One signed document (a roadmap, an action plan, a memorandum) and its measures."""

    id: str
    kind: str
    title: Title
    parties: tuple[str, ...]
    signed: date
    period_start: date
    period_end: date
    measures: tuple[Measure, ...]
    signed_place: str | None = None
    notes: str | None = None
    sections: tuple[Section, ...] = ()
    events: tuple[Event, ...] = ()
    amendments: tuple[Amendment, ...] = ()
    source: Source = field(default_factory=lambda: Source(""), compare=False, repr=False)
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def file(self) -> str:
        return self.source.file

    # Each lookup by id is one dictionary (the first of a repeated id, as a scan finds it): the
    # reports ask for an event, an amendment or a measure at every date of every measure, and
    # scanning made them quadratic (7,000 measures each `after` its own event: `status --chart`
    # 30 s on a 1.5 MB file).

    def measure(self, measure_id: str) -> Measure | None:
        found: Measure | None = _by_id(self, "measures").get(measure_id)
        return found

    def event(self, event_id: str) -> Event | None:
        found: Event | None = _by_id(self, "events").get(event_id)
        return found

    def amendment(self, amendment_id: str) -> Amendment | None:
        found: Amendment | None = _by_id(self, "amendments").get(amendment_id)
        return found

    def section(self, section_id: str | None) -> Section | None:
        found: Section | None = _by_id(self, "sections").get(section_id)
        return found

    def needed_by(self, measure_id: str) -> list[str]:
        """The ids of the measures whose ``depends_on`` names ``measure_id``, in document order:
        one dictionary for the document (a scan of every measure for each of them made ``show``
        of 8,000 measures take 10 s)."""
        return list(_needed_by(self).get(measure_id, ()))


#: the prefix of the keys under which a document keeps its indices by id (:func:`_by_id`)
_BY_ID = "_by_id_"


def _by_id(owner: Any, name: str) -> dict[Any, Any]:
    """The items of ``owner.<name>`` by id, the first of a repeated id: built on first use and
    kept in ``owner.__dict__`` with the tuple it indexes (a document whose tuple was replaced,
    as :func:`lean` does, indexes the new one)."""
    items = getattr(owner, name)
    key = _BY_ID + name
    kept = owner.__dict__.get(key)
    if kept is None or kept[0] is not items:
        index: dict[Any, Any] = {}
        for item in items:
            index.setdefault(item.id, item)
        owner.__dict__[key] = (items, index)
        return index
    found: dict[Any, Any] = kept[1]
    return found


def _needed_by(roadmap: Roadmap) -> dict[str, list[str]]:
    """The ids of the measures that depend on each measure id (:meth:`Roadmap.needed_by`), kept
    as :func:`_by_id` keeps its index."""
    items = roadmap.measures
    key = _BY_ID + "needed_by"
    kept = roadmap.__dict__.get(key)
    if kept is not None and kept[0] is items:
        found: dict[str, list[str]] = kept[1]
        return found
    index: dict[str, list[str]] = {}
    for m in items:
        for dep in dict.fromkeys(m.depends_on):
            index.setdefault(dep, []).append(m.id)
    roadmap.__dict__[key] = (items, index)
    return index


@record
class Agency(Record):
    """A ministry, akimat, executive committee or enterprise of the registry (``agencies.yaml``)."""

    id: str
    name: Title
    country: str
    level: str
    parent: str | None = None
    short: Title | None = None
    #: other names the agency goes by in signed texts ("МИИР РК"): for `roadmap import`
    aliases: tuple[str, ...] = ()


@dataclass
class Repository:
    """Everything loaded from a roadmap folder: the model plus every problem found on the way."""

    agencies: dict[str, Agency] = field(default_factory=dict)
    roadmaps: list[Roadmap] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]


# the `raw` of an object made by `lean` (the dataclasses leave no class attribute for it)
for _cls in (Roadmap, Measure):
    setattr(_cls, "raw", _RawField())  # noqa: B010
del _cls
setattr(Roadmap, "measures", _StoredField("measures"))  # noqa: B010
for _name in (*LATER_TITLE, *LATER_INDICATORS, *LATER_REST):
    setattr(Measure, _name, _LaterField(_name))
del _name
