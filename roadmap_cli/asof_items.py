"""Pure: the overdue and due-soon items of documents as of a date, fast (``overdue`` and
``upcoming``): the items of :func:`roadmap_cli.schedule.overdue_items` and
:func:`~roadmap_cli.schedule.due_soon_items`, each measure's shape read directly as
:mod:`roadmap_cli.tally` does (``tests/test_fast_rows.py`` checks them against the definitions).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import date

from roadmap_cli import digest, schedule, tally
from roadmap_cli.digest import FIXED_FORMS as _FIXED
from roadmap_cli.digest import OPEN_FORMS as _OPEN
from roadmap_cli.model import Measure, Roadmap, Status, unbuilt_measures
from roadmap_cli.schedule import Item, status_as_of
from roadmap_cli.tally import recurring as _recurring

_DONE = Status.DONE
_CANCELLED = Status.CANCELLED

#: an overdue or due-soon item as plain values, the fields of :class:`~roadmap_cli.schedule.Item`
#: in order: (roadmap, measure, deadline, period, days, status)
Found = tuple[Roadmap, Measure, date, str | None, int, Status]


def _measures(roadmap: Roadmap, as_of: date, end: date, which: int) -> Iterable[Measure]:
    """The measures of ``roadmap`` that may have items: all of them, or, for a document
    rebuilt from the cache whose measures are not built yet, only those whose digest row has
    overdue (``which`` 1) or due-soon (2) items as of ``as_of``
    (:func:`roadmap_cli.tally.digest_answers` counts them as the definitions do): the others
    are not built."""
    stored = unbuilt_measures(roadmap)
    found = digest.stored(roadmap) if stored is not None else None
    if stored is None or found is None:
        return roadmap.measures
    answers = tally.digest_answers(found, roadmap, as_of, end)
    hit = [bool(a[which]) for a in answers]
    picked: list[Measure] = stored.pick([i for i, row in enumerate(found.order) if hit[row]])
    return picked


def _found(item: Item) -> Found:
    return item.roadmap, item.measure, item.deadline, item.period, item.days, item.status


def overdue_items(roadmaps: Iterable[Roadmap], as_of: date) -> list[Item]:
    """:func:`roadmap_cli.schedule.overdue_items` of every document of ``roadmaps``, in order."""
    return [Item(*found) for found in overdue_found(roadmaps, as_of)]


def due_soon_items(roadmaps: Iterable[Roadmap], as_of: date, end: date) -> list[Item]:
    """:func:`roadmap_cli.schedule.due_soon_items` of every document of ``roadmaps``, in order."""
    return [Item(*found) for found in due_soon_found(roadmaps, as_of, end)]


def overdue_found(roadmaps: Iterable[Roadmap], as_of: date) -> list[Found]:
    """:func:`overdue_items` as plain tuples (:data:`Found`; 90,000 items are made faster so)."""
    out: list[Found] = []
    append = out.append
    for roadmap in roadmaps:
        for m in _measures(roadmap, as_of, as_of, 1):
            due = m.due
            kind = due.kind
            if m.rescheduled:
                out.extend(map(_found, schedule.measure_overdue(m, roadmap, as_of)))
                continue
            if kind in _OPEN:
                continue
            period = due.period
            if period is not None and kind in _FIXED:
                deadline = period.end
                if deadline < as_of:
                    status = status_as_of(m, as_of)
                    if status is not _DONE and status is not _CANCELLED:
                        append((roadmap, m, deadline, None, (as_of - deadline).days, status))
                continue
            if kind != "recurring":
                out.extend(map(_found, schedule.measure_overdue(m, roadmap, as_of)))
                continue
            deadlines, texts, known = _recurring(m, roadmap, due)
            past = bisect_left(deadlines, as_of)
            if not past:
                continue
            status = status_as_of(m, as_of)
            if status is _DONE or status is _CANCELLED:
                continue
            seen = {k for k, when in known if when <= as_of} if known else ()
            for k in range(past):
                if k not in seen:
                    when = deadlines[k]
                    append((roadmap, m, when, texts[k], (as_of - when).days, status))
    return out


def due_soon_found(roadmaps: Iterable[Roadmap], as_of: date, end: date) -> list[Found]:
    """:func:`due_soon_items` as plain tuples (:data:`Found`)."""
    out: list[Found] = []
    append = out.append
    for roadmap in roadmaps:
        for m in _measures(roadmap, as_of, end, 2):
            due = m.due
            kind = due.kind
            if m.rescheduled:
                out.extend(map(_found, schedule.measure_due_soon(m, roadmap, as_of, end)))
                continue
            if kind in _OPEN:
                continue
            period = due.period
            if period is not None and kind in _FIXED:
                deadline = period.end
                if as_of <= deadline <= end:
                    status = status_as_of(m, as_of)
                    if status is not _DONE and status is not _CANCELLED:
                        append((roadmap, m, deadline, None, (deadline - as_of).days, status))
                continue
            if kind != "recurring":
                out.extend(map(_found, schedule.measure_due_soon(m, roadmap, as_of, end)))
                continue
            deadlines, texts, known = _recurring(m, roadmap, due)
            k = bisect_left(deadlines, as_of)
            if known:
                seen = {j for j, when in known if when <= as_of}
                while k in seen:
                    k += 1
            if k >= len(deadlines) or deadlines[k] > end:
                continue
            status = status_as_of(m, as_of)
            if status is not _DONE and status is not _CANCELLED:
                when = deadlines[k]
                append((roadmap, m, when, texts[k], (when - as_of).days, status))
    return out
