"""Pure: a document's measures as the as-of rows read them (its digest).

A status, section or agency row of a date needs, of each measure, only what decides its answer
as of that date (:func:`roadmap_cli.tally.answers`) and what the row groups it by (owners,
co-executors, section). A document's digest keeps just that, as plain values:

- ``rows``: each distinct :data:`Row`: the measure's status as written, completion day,
  progress and weight, and how its deadline is found: a fixed deadline (its day number), no
  deadline ever (``ongoing``, ``on_request``), a recurring due without reports (an index into
  ``dues``), or anything else (rescheduled, anchored, recurring with reports: an index into
  ``rare``, the few measures worked out from their fields, :class:`AsOf`);
- ``groups``: for each group of measures, the index of their row, owners, co-executors,
  section, and how many they are (:data:`Group`).

A document rebuilt from the cache (:mod:`roadmap_cli.stored`) carries its digest as stored
(``_stored_digest``): a warm run answers a new question from it as plain tuples, without
building the document's measures (their titles, evidence, indicators...). Any other document
(read from its file, or narrowed by a filter with ``dataclasses.replace``) has the digest of its
measures (:func:`of_measures`), which is also what the stored one was made from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

from roadmap_cli.model import Due, Measure, Report, Rescheduling, Roadmap, Status

#: the due forms whose deadline is their period's last day
FIXED_FORMS = frozenset({"date", "month", "quarter", "half", "year"})
#: the due forms with no deadline ever (left out of progress)
OPEN_FORMS = frozenset({"ongoing", "on_request"})

#: how a row's deadline is found (its first value), and what its last value is
FIXED = 0  # one deadline: its day number (date.toordinal)
OPEN = 1  # never due: 0
RECURRING = 2  # a recurring due, no reports: the due's index in Digest.dues
RARE = 3  # worked out from the measure's fields: its index in Digest.rare

#: (how, status as written, completed day number or None, progress, weight, deadline or index)
Row = tuple[int, str, "int | None", "int | None", float, int]
#: (index of the row, owners, co-executors, section, how many measures)
Group = tuple[int, tuple[str, ...], tuple[str, ...], "str | None", int]


class AsOf(Protocol):
    """What :func:`roadmap_cli.tally.answers` reads of a measure (a :class:`Measure` or a
    :class:`Shape`)."""

    @property
    def status(self) -> Status: ...
    @property
    def completed(self) -> date | None: ...
    @property
    def progress(self) -> int | None: ...
    @property
    def weight(self) -> float: ...
    @property
    def due(self) -> Due: ...
    @property
    def rescheduled(self) -> tuple[Rescheduling, ...]: ...
    @property
    def reports(self) -> tuple[Report, ...]: ...


class Shape:
    """The fields of a measure that decide its as-of answers (:class:`AsOf`), rebuilt from the
    cache for a :data:`RARE` row."""

    __slots__ = ("completed", "due", "progress", "reports", "rescheduled", "status", "weight")

    def __init__(
        self, status: Status, completed: date | None, progress: int | None, weight: float,
        due: Due, rescheduled: tuple[Rescheduling, ...], reports: tuple[Report, ...],
    ) -> None:
        self.status = status
        self.completed = completed
        self.progress = progress
        self.weight = weight
        self.due = due
        self.rescheduled = rescheduled
        self.reports = reports


class Digest:
    """A document's measures as the as-of rows read them (see the module's text); ``counts``:
    how many measures each row stands for, ``total``: how many in all."""

    __slots__ = ("counts", "dues", "groups", "rare", "rows", "total")

    def __init__(
        self, rows: Sequence[Row], dues: Sequence[Due], rare: Sequence[AsOf],
        groups: Sequence[Group],
    ) -> None:
        self.rows = rows
        self.dues = dues
        self.rare = rare
        self.groups = groups
        counts = [0] * len(rows)
        for group in groups:
            counts[group[0]] += group[4]
        self.counts = counts
        self.total = sum(counts)


def status_value(status: Status | str) -> str:
    """A status as written, as its value ("done")."""
    return status.value if status.__class__ is Status else Status(status).value


def how_of(m: AsOf, due: Due) -> int:
    """How the deadline of ``m`` under ``due`` (its due, or the one in force on a date) is found:
    :data:`FIXED`, :data:`OPEN`, :data:`RECURRING` or :data:`RARE` (see :data:`Row`)."""
    kind = due.kind
    if due.period is not None and kind in FIXED_FORMS:
        return FIXED
    if kind in OPEN_FORMS:
        return OPEN
    if kind == "recurring" and not m.reports:
        return RECURRING
    return RARE


def row(m: AsOf, how: int, ref: int) -> Row:
    """The :data:`Row` of ``m``, found ``how``, with its last value ``ref``."""
    completed = m.completed
    return (how, status_value(m.status), None if completed is None else completed.toordinal(),
            m.progress, m.weight, ref)


def rows_of(measures: Iterable[AsOf]) -> tuple[list[Row], list[Due], list[AsOf]]:
    """The :data:`Row` of each of ``measures``, in order, with the dues and the rare measures
    they refer to."""
    rows: list[Row] = []
    dues: list[Due] = []
    index: dict[int, int] = {}  # a due's place in dues, by id
    rare: list[AsOf] = []
    for m in measures:
        due = m.due
        how = RARE if m.rescheduled else how_of(m, due)  # rescheduled: the due depends on the date
        if how == FIXED:
            ref = due.period.end.toordinal()  # type: ignore[union-attr]
        elif how == OPEN:
            ref = 0
        elif how == RECURRING:
            ref = index.get(id(due), -1)
            if ref < 0:
                ref = index[id(due)] = len(dues)
                dues.append(due)
        else:
            ref = len(rare)
            rare.append(m)
        rows.append(row(m, how, ref))
    return rows, dues, rare


def of_measures(
    measures: Sequence[AsOf],
    groups: Iterable[tuple[tuple[str, ...], tuple[str, ...], str | None]] | None = None,
) -> Digest:
    """The digest of ``measures`` (grouped by ``groups``: owners, co-executors and section of
    each, in order; none: one group), measures of one row counted once."""
    rows, dues, rare = rows_of(measures)
    distinct: dict[tuple[Row, type, type], int] = {}  # 50 and 50.0 are equal, not the same
    counted: dict[tuple[int, tuple[str, ...], tuple[str, ...], str | None], int] = {}
    keys = iter(groups) if groups is not None else None
    for r in rows:
        k = distinct.setdefault((r, type(r[3]), type(r[4])), len(distinct))
        key = (k, *next(keys)) if keys is not None else (k, (), (), None)
        counted[key] = counted.get(key, 0) + 1
    return Digest(
        tuple(key[0] for key in distinct), dues, rare,
        tuple((*key, n) for key, n in counted.items()),
    )


def of_roadmap_measures(measures: Sequence[Measure]) -> Digest:
    """The digest of a document's ``measures``, grouped by owners, co-executors and section."""
    return of_measures(measures, [(m.owners, m.co_executors, m.section) for m in measures])


def of(roadmap: Roadmap) -> Digest:
    """The digest of ``roadmap``'s measures: as stored when it was rebuilt from the cache, else
    made from its measures."""
    stored = roadmap.__dict__.get("_stored_digest")
    if stored is not None:
        found: Digest = stored.get()
        return found
    return of_roadmap_measures(roadmap.measures)
