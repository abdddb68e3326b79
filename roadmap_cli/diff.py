"""Pure: two sets of roadmaps -> the changes between them, and a one-line summary of those.

Documents are matched by ``id``, measures by ``id`` within their document. Values are compared
on the data as loaded (``Roadmap.raw``, measures included: plain JSON-like values, dates as ISO
strings), one change per top-level field, so that a change reads as the file does: ``due`` from
``2026-Q2`` to ``2026-12``, ``owners`` from one list to another. Where a field is missing on one
side its value is ``None`` (so a key dropped and a key set to ``null`` are the same thing). Only a
document's ``id``, ``raw`` and period are used (deadlines are computed from the data), so the
model's Measure objects need not be built to compare two documents.

The rows follow the contract (``diff --format json``): ``{roadmap, measure, change, field, old,
new, slip_days}``, with ``change`` one of ``added``, ``removed``, ``changed``, ``rescheduled``
(a ``due`` change that comes with a new ``rescheduled`` entry naming an amendment: an official
move, not a slip; the row also has ``by``, the amendment's id, and the ``rescheduled`` list's
own change is not listed apart) and, for a whole document kept under a new file name,
``renamed``. Choices the contract leaves open:

- A document added or removed is one row (``measure`` null, ``field`` null) whose ``new`` or
  ``old`` is the whole document as written; its measures get no rows of their own. A measure
  added or removed likewise carries the whole measure.
- ``renamed`` has ``field: "file"`` and the two paths (relative to the repository's top level).
- Document fields (``title``, ``parties``, ``period``, ...) changed: ``measure`` null.
- ``slip_days`` (``due`` changes only): new deadline minus old deadline in days, via
  :func:`roadmap_cli.schedule.deadline` (for a recurring measure the last occurrence's deadline);
  null when either side has no deadline (``ongoing``).
- Rows come by document id; within a document, the document's own rows first, then measures in
  the new file's order, each removed measure where it stood in the old file; within a measure,
  fields in the contract's order (``title, owners, co_executors, due, status, ...``), then any
  other field as it appears.

Nothing here reads files or runs git.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from roadmap_cli import schedule
from roadmap_cli.i18n import _, ngettext
from roadmap_cli.model import Measure, Roadmap, Status

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
RENAMED = "renamed"
RESCHEDULED = "rescheduled"

#: the order in which a measure's fields are reported (others follow as they appear)
MEASURE_FIELDS = (
    "title",
    "owners",
    "co_executors",
    "due",
    "rescheduled",
    "status",
    "progress",
    "weight",
    "completed",
    "reason",
    "depends_on",
    "evidence",
    "indicators",
    "reports",
    "notes",
)

#: the order in which a document's own fields are reported (``id`` and ``measures`` never are)
DOCUMENT_FIELDS = ("kind", "title", "parties", "signed", "period", "notes")


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a phrase with a count for extraction; its form is chosen by ``ngettext``."""
    return singular, plural


@dataclass(frozen=True)
class Change:
    """One row of a diff (see the module docstring)."""

    roadmap: str
    measure: str | None
    change: str
    field: str | None = None
    old: Any = None
    new: Any = None
    slip_days: int | None = None
    #: ``rescheduled`` rows: the id of the amendment that moved the deadline
    by: str | None = None

    def to_json(self) -> dict[str, Any]:
        row = {
            "roadmap": self.roadmap,
            "measure": self.measure,
            "change": self.change,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "slip_days": self.slip_days,
        }
        if self.change == RESCHEDULED:
            row["by"] = self.by
        return row


def field_changes(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    order: Sequence[str] = MEASURE_FIELDS,
    skip: Iterable[str] = ("id",),
) -> list[tuple[str, Any, Any]]:
    """``(field, old value, new value)`` for every top-level field whose value differs.

    Fields come in ``order`` first, then the others as they appear in ``new``, then in ``old``.
    A missing field reads as ``None``.
    """
    skipped = set(skip)
    keys: dict[str, None] = {k: None for k in order if k in old or k in new}
    for k in (*new, *old):
        keys.setdefault(k, None)
    out = []
    for k in keys:
        if k in skipped:
            continue
        a, b = old.get(k), new.get(k)
        if not _same(_years_as_text(k, a), _years_as_text(k, b)):
            out.append((k, a, b))
    return out


def _years_as_text(field: str, value: Any) -> Any:
    """``value`` of the measure field ``field`` with every period written as a bare year without
    quotes (``due: 2027``, which YAML reads as a number) as the text ``"2027"``: the same year
    (docs/semantics.md), so quoting it or not is no change. Only in the places a period is
    read (``due``, its ``from`` and ``until``, ``rescheduled[].from``, ``reports[].period``):
    ``grace: 15`` stays a number."""

    def text(v: Any) -> Any:
        return str(v) if type(v) is int else v

    def entries(items: Any, key: str) -> Any:
        if not isinstance(items, list):
            return items
        return [{k: text(v) if k == key else v for k, v in e.items()} if isinstance(e, dict) else e
                for e in items]

    if field == "due":
        if isinstance(value, dict):
            return {k: text(v) if k in ("from", "until") else v for k, v in value.items()}
        return text(value)
    if field == "rescheduled":
        return entries(value, "from")
    if field == "reports":
        return entries(value, "period")
    return value


def _same(a: Any, b: Any) -> bool:
    """Equal values of the same JSON type (``1`` and ``true``, ``"1"`` and ``1`` differ)."""
    if type(a) is not type(b):
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) \
                and not isinstance(b, bool):
            return bool(a == b)
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def slip_days(old: Mapping[str, Any], old_roadmap: Roadmap, new: Mapping[str, Any], new_roadmap: Roadmap) -> int | None:
    """How many days the deadline of a measure (its data as loaded) moved: positive = later.

    None when either side has no deadline (``ongoing``, or a due form that does not read).
    """
    before = deadline(old, old_roadmap)
    after = deadline(new, new_roadmap)
    if before is None or after is None:
        return None
    return (after - before).days


def deadline(measure: Mapping[str, Any], roadmap: Roadmap) -> date | None:
    """The deadline of a measure given as data, in its roadmap (see :func:`schedule.deadline`)."""
    try:
        due = schedule.parse_due(measure.get("due"))  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return None
    m = Measure(id=str(measure.get("id")), title="", owners=(), due=due, status=Status.NOT_STARTED)
    return schedule.deadline(m, roadmap)


def _measures(roadmap: Roadmap) -> list[Mapping[str, Any]]:
    """The measures of a document as data (what is compared), in file order."""
    items = roadmap.raw.get("measures") if isinstance(roadmap.raw, Mapping) else None
    return [m for m in items or () if type(m) is dict and type(m.get("id")) is str]


def _by_id(roadmaps: Iterable[Roadmap]) -> dict[str, Roadmap]:
    out: dict[str, Roadmap] = {}
    for r in roadmaps:
        out.setdefault(r.id, r)
    return out


def diff(
    old: Iterable[Roadmap],
    new: Iterable[Roadmap],
    *,
    old_path: Callable[[Roadmap], str] = lambda r: r.file,
    new_path: Callable[[Roadmap], str] = lambda r: r.file,
) -> list[Change]:
    """Every change from the documents ``old`` to the documents ``new``.

    ``old_path``/``new_path`` give each document's file as the two sides should be compared
    (e.g. relative to the repository's top level), to tell a renamed file.
    """
    before, after = _by_id(old), _by_id(new)
    changes: list[Change] = []
    for rid in sorted(before.keys() | after.keys()):
        a, b = before.get(rid), after.get(rid)
        if a is None and b is not None:
            changes.append(Change(rid, None, ADDED, new=dict(b.raw)))
        elif b is None and a is not None:
            changes.append(Change(rid, None, REMOVED, old=dict(a.raw)))
        elif a is not None and b is not None:
            changes.extend(diff_roadmap(a, b, old_path(a), new_path(b)))
    return changes


def diff_roadmap(old: Roadmap, new: Roadmap, old_file: str = "", new_file: str = "") -> list[Change]:
    """The changes within one document kept under the same id."""
    rid = new.id
    changes: list[Change] = []
    if old_file != new_file:
        changes.append(Change(rid, None, RENAMED, "file", old_file, new_file))
    if old is new or old.raw == new.raw:
        return changes
    for name, a, b in field_changes(old.raw, new.raw, DOCUMENT_FIELDS, skip=("id", "measures")):
        changes.append(Change(rid, None, CHANGED, name, a, b))
    old_measures, new_measures = _measures(old), _measures(new)
    olds = {m["id"]: m for m in old_measures}
    news = {m["id"]: m for m in new_measures}
    for mid in _measure_order([m["id"] for m in old_measures], [m["id"] for m in new_measures]):
        a, b = olds.get(mid), news.get(mid)
        if a is None and b is not None:
            changes.append(Change(rid, mid, ADDED, new=dict(b)))
        elif b is None and a is not None:
            changes.append(Change(rid, mid, REMOVED, old=dict(a)))
        elif a is not None and b is not None and a != b:  # equal data: nothing to report
            by = rescheduled_by(a, b, new)
            for name, x, y in field_changes(a, b):
                if by is not None and name == "rescheduled":
                    continue  # the new entry is the `rescheduled` row of `due`
                slip = slip_days(a, old, b, new) if name == "due" else None
                kind = RESCHEDULED if by is not None and name == "due" else CHANGED
                changes.append(Change(rid, mid, kind, name, x, y, slip, by if kind == RESCHEDULED else None))
    return changes


def rescheduled_by(old: Mapping[str, Any], new: Mapping[str, Any], new_roadmap: Roadmap) -> str | None:
    """The amendment that officially moved a measure's ``due`` from ``old`` to ``new`` (its
    data as loaded): the ``due`` changed, and ``new``'s ``rescheduled`` list is ``old``'s with
    entries added at its end, the first of them recording the due it moves from (its ``from``:
    ``old``'s due, or another form of the same deadline), the last naming an amendment of the
    new document. Else None: an entry whose ``from`` is another due does not record this move,
    so it does not cover it."""
    if _same(_years_as_text("due", old.get("due")), _years_as_text("due", new.get("due"))):
        return None
    before, after = old.get("rescheduled") or [], new.get("rescheduled") or []
    if not isinstance(before, list) or not isinstance(after, list) or len(after) <= len(before):
        return None
    before, after = _years_as_text("rescheduled", before), _years_as_text("rescheduled", after)
    if not all(_same(x, y) for x, y in zip(before, after, strict=False)):
        return None
    first = after[len(before)]
    if not isinstance(first, dict) or not _same_due(first.get("from"), old.get("due"), new_roadmap):
        return None
    last = after[-1]
    by = last.get("by") if isinstance(last, dict) else None
    if not isinstance(by, str) or new_roadmap.amendment(by) is None:
        return None
    return by


def _same_due(a: Any, b: Any, roadmap: Roadmap) -> bool:
    """Two dues as written that are the same, or name the same deadline (``2026-12`` and
    ``2026-12-31``)."""
    if _same(a, b):
        return True
    if a is None or b is None:
        return False
    first, second = deadline({"due": a}, roadmap), deadline({"due": b}, roadmap)
    return first is not None and first == second


def _measure_order(old: Sequence[str], new: Sequence[str]) -> list[str]:
    """Measure ids in the new file's order; a removed one just before the measure that followed
    it in the old file (or at the end)."""
    new_ids = set(new)
    before: dict[str, list[str]] = {}
    pending: list[str] = []
    for mid in old:
        if mid in new_ids:
            before[mid] = pending
            pending = []
        else:
            pending.append(mid)
    order: dict[str, None] = {}
    for mid in new:
        for m in (*before.get(mid, ()), mid):
            order.setdefault(m, None)
    for mid in pending:
        order.setdefault(mid, None)
    return list(order)


# --- the summary line --------------------------------------------------------------------------

#: measures by their new status: (status, the phrase for a count of them)
_STATUS_PHRASES = (
    ("done", NN_("{count} measure done", "{count} measures done")),
    ("in_progress", NN_("{count} measure in progress", "{count} measures in progress")),
    ("blocked", NN_("{count} measure blocked", "{count} measures blocked")),
    ("cancelled", NN_("{count} measure cancelled", "{count} measures cancelled")),
    ("not_started", NN_("{count} measure not started", "{count} measures not started")),
)

_ADDED_PHRASES = (
    (ADDED, NN_("{count} measure added", "{count} measures added"),
     NN_("{count} document added", "{count} documents added")),
    (REMOVED, NN_("{count} measure removed", "{count} measures removed"),
     NN_("{count} document removed", "{count} documents removed")),
    (RENAMED, None, NN_("{count} document renamed", "{count} documents renamed")),
)


def _count(phrase: tuple[str, str], count: int, **values: str) -> str:
    return ngettext(*phrase, count).format(count=count, **values)


def _moved(later: bool, values: Sequence[int]) -> str:
    """A phrase such as: 2 deadlines moved later by 91 days each; 1 deadline moved earlier by
    30 days; 3 deadlines moved later by up to 184 days."""
    biggest = max(values)
    days = ngettext("{count} day", "{count} days", biggest).format(count=biggest)
    if len(values) == 1:
        phrase = (NN_("{count} deadline moved later by {days}", "{count} deadlines moved later by {days}")
                  if later else
                  NN_("{count} deadline moved earlier by {days}", "{count} deadlines moved earlier by {days}"))
    elif all(v == biggest for v in values):
        phrase = (NN_("{count} deadline moved later by {days} each",
                      "{count} deadlines moved later by {days} each")
                  if later else
                  NN_("{count} deadline moved earlier by {days} each",
                      "{count} deadlines moved earlier by {days} each"))
    else:
        phrase = (NN_("{count} deadline moved later by up to {days}",
                      "{count} deadlines moved later by up to {days}")
                  if later else
                  NN_("{count} deadline moved earlier by up to {days}",
                      "{count} deadlines moved earlier by up to {days}"))
    return _count(phrase, len(values), days=days)


def summary(changes: Sequence[Change]) -> str:
    """One line for people: "3 measures done, 1 deadline moved later by 184 days, ...".

    Counted: measures by their new status; deadlines moved later and earlier (by how much);
    ``due`` rewritten with the same deadline; other ``due`` changes (to or from no deadline); new owners; measures and documents added, removed, renamed; and the
    remaining field changes as "other changes" (``completed``, ``progress`` and ``reason``
    changed along with the measure's status are part of that status change). In the interface
    language (:mod:`roadmap_cli.i18n`).
    """
    if not changes:
        return _("No changes to the roadmaps.")
    parts: list[str] = []
    status_rows = [c for c in changes if c.field == "status" and c.measure is not None]
    for key, phrase in _STATUS_PHRASES:
        count = sum(1 for c in status_rows if c.new == key)
        if count:
            parts.append(_count(phrase, count))
    other_status = sum(1 for c in status_rows if c.new not in dict(_STATUS_PHRASES))
    if other_status:
        parts.append(_count(NN_("{count} status changed", "{count} statuses changed"), other_status))
    moved = [c for c in changes if c.change == RESCHEDULED]
    if moved:
        parts.append(_count(NN_("{count} deadline rescheduled by amendment",
                                "{count} deadlines rescheduled by amendment"), len(moved)))
    due_rows = [
        c for c in changes if c.field == "due" and c.measure is not None and c.change != RESCHEDULED
    ]
    later = [c.slip_days for c in due_rows if c.slip_days is not None and c.slip_days > 0]
    earlier = [-c.slip_days for c in due_rows if c.slip_days is not None and c.slip_days < 0]
    if later:
        parts.append(_moved(True, later))
    if earlier:
        parts.append(_moved(False, earlier))
    # a due written another way for the same deadline (2026-12 -> 2026-12-31) moved nothing
    rewritten = sum(1 for c in due_rows if c.slip_days == 0)
    if rewritten:
        parts.append(_count(NN_("{count} due rewritten with the same deadline",
                                "{count} dues rewritten with the same deadlines"), rewritten))
    same = len(due_rows) - len(later) - len(earlier) - rewritten
    if same:
        parts.append(_count(NN_("{count} due date changed", "{count} due dates changed"), same))
    owners = sum(1 for c in changes if c.field == "owners" and c.measure is not None)
    if owners:
        parts.append(_count(NN_("new owners for {count} measure", "new owners for {count} measures"), owners))
    for kind, measures, _documents in _ADDED_PHRASES:
        count = sum(1 for c in changes if c.change == kind and c.measure is not None)
        if count and measures is not None:
            parts.append(_count(measures, count))
    for kind, _measures, documents in _ADDED_PHRASES:
        count = sum(1 for c in changes if c.change == kind and c.measure is None)
        if count:
            parts.append(_count(documents, count))
    counted = {"status", "due", "owners"}
    # the fields that go with a status change (done needs completed, blocked needs a reason)
    companions = {"completed", "progress", "reason"}
    restatused = {(c.roadmap, c.measure) for c in status_rows}
    others = sum(
        1
        for c in changes
        if c.change == CHANGED
        and not (c.measure is not None and c.field in counted)
        and not (c.field in companions and (c.roadmap, c.measure) in restatused)
    )
    if others:
        parts.append(_count(NN_("{count} other change", "{count} other changes"), others))
    text = ", ".join(parts)
    return text[:1].upper() + text[1:] + "."


def slipped(changes: Iterable[Change]) -> list[Change]:
    """The deadline moves to a later date that no amendment covers (the rows ``--fail-on-slip``
    fails on): ``changed`` ``due`` rows, not ``rescheduled`` ones."""
    return [
        c
        for c in changes
        if c.change != RESCHEDULED and c.slip_days is not None and c.slip_days > 0
    ]
