"""Pure: a document's measures as the as-of rows read them (its digest).

A status, section or agency row of a date needs, of each measure, only what decides its answer
as of that date (:func:`roadmap_cli.tally.answers`) and what the row groups it by (owners,
co-executors, section). A document's digest keeps just that, as plain values:

- ``rows``: each distinct :data:`Row`: the measure's status as written, completion day,
  progress and weight, and how its deadline is found: a fixed deadline (its day number), no
  deadline ever (``ongoing``, ``on_request``), a recurring due (an index into ``schedules``:
  its deadlines and the occurrences its reports report, :data:`Schedule`), or anything else
  (rescheduled, anchored: an index into ``rare``, the few measures worked out from their
  fields, :class:`AsOf`);
- ``groups``: for each group of measures, the index of their row, owners, co-executors,
  section, and how many they are (:data:`Group`);
- ``order``: the index of each measure's row, in the measures' order (``overdue`` and
  ``upcoming`` build only the measures whose row has items as of the date).

A document rebuilt from the cache (:mod:`roadmap_cli.stored`) carries its digest as stored
(``_stored_digest``): a warm run answers a new question from it as plain tuples, without
building the document's measures (their titles, evidence, indicators...). Any other document
(read from its file, or narrowed by a filter with ``dataclasses.replace``) has the digest of its
measures (:func:`roadmap_cli.tally.digest_of`), which is also what the stored one was made
from. :mod:`roadmap_cli.tally` makes digests and answers from them; this module holds their
shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from roadmap_cli.model import Due, Report, Rescheduling, Roadmap, Status

#: the due forms whose deadline is their period's last day
FIXED_FORMS = frozenset({"date", "month", "quarter", "half", "year"})
#: the due forms with no deadline ever (left out of progress)
OPEN_FORMS = frozenset({"ongoing", "on_request"})

#: how a row's deadline is found (its first value), and what its last value is
FIXED = 0  # one deadline: its day number (date.toordinal)
OPEN = 1  # never due: 0
RECURRING = 2  # a recurring due: its index in Digest.schedules
RARE = 3  # worked out from the measure's fields: its index in Digest.rare

#: a recurring measure's schedule in its document: its deadlines (day numbers, in order) and the
#: occurrences its reports report, (k, the first day number one is known)
Schedule = tuple[tuple[int, ...], tuple[tuple[int, int], ...]]
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

    # (weakly referable, as a measure is: tally.recurring's memo)
    __slots__ = ("__weakref__", "completed", "due", "progress", "reports", "rescheduled", "status",
                 "weight")

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

    __slots__ = ("counts", "groups", "order", "rare", "rows", "schedules", "total")

    def __init__(
        self, rows: Sequence[Row], schedules: Sequence[Schedule], rare: Sequence[AsOf],
        groups: Sequence[Group], order: Sequence[int],
    ) -> None:
        self.rows = rows
        self.schedules = schedules
        self.rare = rare
        self.groups = groups
        self.order = order
        counts = [0] * len(rows)
        for group in groups:
            counts[group[0]] += group[4]
        self.counts = counts
        self.total = sum(counts)


def status_value(status: Status | str) -> str:
    """A status as written, as its value ("done")."""
    return status.value if status.__class__ is Status else Status(status).value


def stored(roadmap: Roadmap) -> Digest | None:
    """The digest ``roadmap`` was rebuilt from the cache with (or made with when its cache
    entry was written: a first run does not make it twice), or None
    (:func:`roadmap_cli.tally.digest_of` makes one from its measures)."""
    found = roadmap.__dict__.get("_stored_digest")
    if found is None or isinstance(found, Digest):  # made when its entry was written
        return found
    return found.get()  # type: ignore[no-any-return]
