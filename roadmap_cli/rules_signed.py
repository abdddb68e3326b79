"""The rules of signed documents as they really are: sections, events, anchored deadlines
(``due: {after, within}``), amendments and ``rescheduled`` entries.

They register in :data:`roadmap_cli.rules.RULES` like every other rule (``rules`` imports this
module once, at its end); each docstring is the rule's documentation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from roadmap_cli import anchors, i18n, schedule
from roadmap_cli.i18n import N_, _
from roadmap_cli.model import Path
from roadmap_cli.rules import (
    MAX_GRACE_DAYS,
    Context,
    Finding,
    _items,
    _measures,
    _near,
    _strings,
    _try_date,
    chain_text,
    cycles,
    rule,
)
from roadmap_cli.yamlsrc import Parsed


def _ids(doc: Parsed, key: str) -> dict[str, int]:
    """The string ids of a document-level list (``sections``, ``events``, ``amendments``), each
    with the index of its first entry; an unquoted id (``{id: 1}``, reported by the schema
    check) as written, as the measures' ids are read."""
    out: dict[str, int] = {}
    for j, entry in _items(doc.data, key):
        eid = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(eid, (int, float)) and not isinstance(eid, bool):
            out.setdefault(doc.plain_text.get((key, j, "id"), str(eid)), j)
        elif isinstance(eid, str):
            out.setdefault(eid, j)
    return out


def _unreadable(doc: Parsed, *keys: str) -> bool:
    """Whether one of the document-level lists ``keys`` is there but not a list (the schema
    reports it): what it names is then unknown, and a reference to it no finding."""
    return any(key in doc.data and not isinstance(doc.data[key], list) for key in keys)


def _anchored(m: Mapping[str, Any]) -> Mapping[str, Any] | None:
    due = m.get("due")
    if isinstance(due, dict) and ("after" in due or "within" in due):
        return due
    return None


def _anchored_dues(m: Mapping[str, Any]) -> Iterator[tuple[Path, Mapping[str, Any]]]:
    """The anchored dues of a measure: its ``due`` and its ``rescheduled`` ``from`` values,
    each with its path relative to the measure."""
    due = _anchored(m)
    if due is not None:
        yield ("due",), due
    for j, r in _items(m, "rescheduled"):
        if isinstance(r, dict):
            old = _anchored({"due": r.get("from")})
            if old is not None:
                yield ("rescheduled", j, "from"), old


@rule("duplicate-entry-id")
def duplicate_entry_id(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """Two sections, two events or two amendments of one document with the same `id`; two
    indicators of one measure with the same `id` (an actual is recorded by it)."""
    for key, what in (("sections", N_("section")), ("events", N_("event")), ("amendments", N_("amendment"))):
        first = _ids(doc, key)
        for j, entry in _items(doc.data, key):
            eid = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(eid, str) and first[eid] != j:
                line = doc.at((key, first[eid], "id"))[0]
                yield (key, j, "id"), _("{what} id {id!r} is used twice (first at line {line})").format(
                    what=_(what), id=eid, line=line
                )
    for i, m in _measures(doc):
        seen: dict[str, int] = {}
        for j, entry in _items(m, "indicators"):
            iid = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(iid, str):
                continue
            if iid not in seen:
                seen[iid] = j
                continue
            line = doc.at(("measures", i, "indicators", seen[iid], "id"))[0]
            yield ("measures", i, "indicators", j, "id"), _(
                "{what} id {id!r} is used twice (first at line {line})"
            ).format(what=_("indicator"), id=iid, line=line)


@rule("unknown-section")
def unknown_section(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A measure whose `section` names no entry of the document's `sections`."""
    sections = _ids(doc, "sections")
    if _unreadable(doc, "sections"):
        return
    for i, m in _measures(doc):
        section = m.get("section")
        if not isinstance(section, str) or section in sections:
            continue
        if not sections:
            yield ("measures", i, "section"), (
                _("section {section!r} names no section: the document has no `sections` list; "
                "add `sections: [{{id: \"{section}\", title: ...}}]`").format(section=section)
            )
        else:
            yield ("measures", i, "section"), _("section {section!r} names no section of this document{near}").format(
                section=section, near=_near(section, sections)
            )


@rule("unknown-anchor")
def unknown_anchor(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A `due: {after: X, ...}` whose `X` is neither an event (`events`) nor a measure of the
    same document."""
    events = _ids(doc, "events")
    if _unreadable(doc, "events"):
        return
    measures = {m["id"] for _, m in _measures(doc)}
    for i, m in _measures(doc):
        for path, due in _anchored_dues(m):
            after = due.get("after")
            if isinstance(after, str) and after not in events and after not in measures:
                yield ("measures", i, *path, "after"), (
                    _("after {after!r} names no event and no measure of this document{near}").format(
                        after=after, near=_near(after, [*events, *measures])
                    )
                )


@rule("ambiguous-anchor")
def ambiguous_anchor(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """An event whose `id` is also the id of a measure: `after` could not tell which is meant."""
    measures = {m["id"] for _, m in _measures(doc)}
    for j, entry in _items(doc.data, "events"):
        eid = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(eid, str) and eid in measures:
            yield ("events", j, "id"), (
                _("event id {id!r} is also a measure id; give the event another id").format(id=eid)
            )


@rule("schedule-cycle")
def schedule_cycle(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """Measures whose deadlines follow each other in a circle through `after` (with
    `depends_on`): none of them could ever get a deadline. A circle of `depends_on` alone is
    `dependency-cycle`."""
    events = _ids(doc, "events")
    graph: dict[str, list[tuple[Path, str]]] = {}
    after_edges: set[Path] = set()
    for i, m in _measures(doc):
        if m["id"] in graph:
            continue
        edges: list[tuple[Path, str]] = [
            (("measures", i, "depends_on", j), d) for j, d in _strings(m, "depends_on")
        ]
        for path, due in _anchored_dues(m):
            after = due.get("after")
            if isinstance(after, str) and after not in events:
                edge: Path = ("measures", i, *path, "after")
                after_edges.add(edge)
                edges.append((edge, after))
        graph[m["id"]] = edges
    for path, cycle, edges_taken in cycles(graph):
        if after_edges.isdisjoint(edges_taken):
            continue  # depends_on alone: dependency-cycle says it
        yield path, _("deadline cycle: {loop} (through after and depends_on); none of these measures can get a deadline").format(
            loop=chain_text(cycle)
        )


@rule("within-form")
def within_form(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A `within` that is not a whole number followed by d, w, m or y (`30d`, `2w`, `6m`,
    `1y`), or that is longer than a hundred years."""
    for i, m in _measures(doc):
        for path, due in _anchored_dues(m):
            if "within" not in due:
                continue
            try:
                anchors.parse_within(due["within"])
            except ValueError as e:
                yield ("measures", i, *path, "within"), str(e)


@rule("unknown-amendment")
def unknown_amendment(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A `rescheduled` entry whose `by` names no amendment of the document's `amendments`."""
    amendments = _ids(doc, "amendments")
    if _unreadable(doc, "amendments"):
        return
    for i, m in _measures(doc):
        for j, r in _items(m, "rescheduled"):
            by = r.get("by") if isinstance(r, dict) else None
            if not isinstance(by, str) or by in amendments:
                continue
            if not amendments:
                hint = _("; the document has no `amendments` list: add the protocol there")
            else:
                hint = _near(by, amendments)
            yield ("measures", i, "rescheduled", j, "by"), (
                _("rescheduled by {by!r}, which is no amendment of this document{hint}").format(
                    by=by, hint=hint
                )
            )


def _amendment_dates(doc: Parsed) -> dict[str, date]:
    out: dict[str, date] = {}
    for _j, entry in _items(doc.data, "amendments"):
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            when = _try_date(entry.get("date"))
            if when is not None:
                out.setdefault(entry["id"], when)
    return out


@rule("amendment-order")
def amendment_order(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """An amendment dated before the one listed above it: `amendments` go oldest first."""
    previous: tuple[str, date] | None = None
    for j, entry in _items(doc.data, "amendments"):
        if not isinstance(entry, dict):
            continue
        when = _try_date(entry.get("date"))
        if when is None:
            continue
        if previous is not None and when < previous[1]:
            yield ("amendments", j, "date"), (
                _("amendment {id!r} is dated {when}, before {prev!r} ({prev_date}) listed above it: "
                "list amendments oldest first").format(
                    id=entry.get("id"), when=when.isoformat(), prev=previous[0],
                    prev_date=previous[1].isoformat(),
                )
            )
        else:
            previous = (str(entry.get("id")), when)


@rule("rescheduled-order")
def rescheduled_order(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """`rescheduled` entries out of their amendments' date order (oldest first), or one
    amendment named twice by the same measure."""
    dates = _amendment_dates(doc)
    for i, m in _measures(doc):
        seen: set[str] = set()
        previous: tuple[str, date] | None = None
        for j, r in _items(m, "rescheduled"):
            by = r.get("by") if isinstance(r, dict) else None
            if not isinstance(by, str):
                continue
            path: Path = ("measures", i, "rescheduled", j, "by")
            if by in seen:
                yield path, _("amendment {by!r} is named twice in this measure's rescheduled list").format(by=by)
                continue
            seen.add(by)
            when = dates.get(by)
            if when is None:
                continue
            if previous is not None and when < previous[1]:
                yield path, (
                    _("rescheduled entries go oldest first: {by!r} ({when}) is listed after "
                    "{prev!r} ({prev_date})").format(
                        by=by, when=when.isoformat(), prev=previous[0],
                        prev_date=previous[1].isoformat(),
                    )
                )
            else:
                previous = (by, when)


@rule("rescheduled-from")
def rescheduled_from(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A recurring `from` of a `rescheduled` entry that is no valid due (runs backwards, a grace
    out of range): the due it names could not be in force. (A malformed date or period, or a
    `within`, is reported by `impossible-date`, `date-range` or `within-form`.)"""
    for i, m in _measures(doc):
        for j, r in _items(m, "rescheduled"):
            old = r.get("from") if isinstance(r, dict) else None
            if not isinstance(old, dict) or "after" in old or "within" in old:
                continue
            try:
                due = schedule.parse_due(old)
            except ValueError as e:
                if isinstance(e, schedule.RunsBackwards):  # the rest: the schema's, impossible-date's
                    yield ("measures", i, "rescheduled", j, "from"), _(
                        "recurring due runs backwards: from {since} is after until {until}"
                    ).format(since=old.get("from"), until=old.get("until"))
                continue
            if due.grace > MAX_GRACE_DAYS:
                yield ("measures", i, "rescheduled", j, "from", "grace"), _(
                    "a grace of {grace} days is more than the {most} accepted"
                ).format(grace=i18n.number(due.grace), most=MAX_GRACE_DAYS)
