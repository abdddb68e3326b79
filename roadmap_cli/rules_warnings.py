"""The warning rules (reported, never refused): deadlines outside the period, completion
before signature, file names, progress, the example measure of `roadmap new`, a document with
no measures yet, reports outside
the schedule, TODO left by `roadmap import`, ambiguous aliases. One small function per rule id;
each docstring is the rule's documentation. They register in :data:`roadmap_cli.rules.RULES`
like every other rule (``rules`` imports this module once, at its end).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import PurePath
from typing import Any

from roadmap_cli import schedule
from roadmap_cli.diff_text import EVERY_WORDS
from roadmap_cli.i18n import _, pgettext
from roadmap_cli.model import Severity, Status
from roadmap_cli.periods import KIND_WORDS
from roadmap_cli.rules import (
    EXAMPLE_TITLE,
    NO_DEADLINE,
    Context,
    Finding,
    _get,
    _items,
    _measures,
    _strings,
    _todo_agency,
    _try_date,
    _year_text,
    rule,
)
from roadmap_cli.yamlsrc import Parsed


@rule("deadline-outside-period", Severity.WARNING)
def deadline_outside_period(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A deadline (or a recurring measure's `from`/`until`) outside the document's `period`, in
    `due` or in the `from` of a `rescheduled` entry; a deadline `after` an event or a measure
    once the file records the anchor's date (the event's `date`, the measure's `completed` when
    it is done), pointing at its `within`."""
    start = _try_date(_get(doc.data, ("period", "start")))
    end = _try_date(_get(doc.data, ("period", "end")))
    if start is None or end is None or end < start:  # a reversed period is period-order's
        return
    anchored = _anchored_deadlines(doc)
    for i, m in _measures(doc):
        if i in anchored:
            deadline = anchored[i]
            if deadline < start or deadline > end:
                yield ("measures", i, "due", "within"), _(
                    "the deadline {deadline} is outside the document's period {start} .. {end}"
                ).format(deadline=deadline.isoformat(), start=start.isoformat(), end=end.isoformat())
        else:
            yield from _due_outside(m.get("due"), ("measures", i, "due"), start, end)
        # the due in force before each amendment (the first is the deadline as signed): reports
        # replayed for an earlier date use it
        for j, entry in _items(m, "rescheduled"):
            if isinstance(entry, dict) and "from" in entry:
                yield from _due_outside(entry["from"], ("measures", i, "rescheduled", j, "from"), start, end)


def _due_outside(due: Any, path: tuple[Any, ...], start: date, end: date) -> Iterator[Finding]:
    """A one-off due whose deadline, or a recurring due whose `from` or `until`, is outside
    ``start`` .. ``end`` (a due after an event or a measure: see :func:`_anchored_deadlines`)."""
    due = _year_text(due)
    if isinstance(due, str):
        if due in NO_DEADLINE:
            return
        try:
            period = schedule.parse_period(due)
        except ValueError:
            return
        if period.end < start or period.end > end:
            yield path, _(
                "the deadline {deadline} is outside the document's period {start} .. {end}"
            ).format(deadline=period.end.isoformat(), start=start.isoformat(), end=end.isoformat())
    elif isinstance(due, dict):
        for key in ("from", "until"):
            if key not in due:
                continue
            try:
                period = schedule.parse_period(_year_text(due[key]))
            except ValueError:
                continue
            if period.start > end or period.end < start:
                yield (*path, key), _(
                    "{key} {value} is outside the document's period {start} .. {end}"
                ).format(key=key, value=due[key], start=start.isoformat(), end=end.isoformat())


def _anchored_deadlines(doc: Parsed) -> dict[int, date]:
    """The deadline of each measure (by its index) whose ``due`` is ``{after, within}`` and whose
    anchor's date the file records: that date + ``within`` (what reports use once the date is
    known)."""
    from roadmap_cli.anchors import parse_within

    events: dict[str, date | None] = {}
    for _j, entry in _items(doc.data, "events"):
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            events.setdefault(entry["id"], _try_date(entry.get("date")))
    done: dict[str, date | None] = {}
    for _i, m in _measures(doc):
        done.setdefault(m["id"], _try_date(m.get("completed")) if m.get("status") == "done" else None)
    out: dict[int, date] = {}
    for i, m in _measures(doc):
        due = m.get("due")
        if not isinstance(due, dict) or not isinstance(due.get("after"), str) or "within" not in due:
            continue
        after = due["after"]
        anchor = events[after] if after in events else done.get(after)
        if anchor is None:
            continue
        try:
            out[i] = anchor + parse_within(due["within"])
        except (ValueError, TypeError, OverflowError):
            continue  # within-form's, date-range's
    return out


@rule("completed-before-signed", Severity.WARNING)
def completed_before_signed(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A `completed` date earlier than the document's signing date."""
    signed = _try_date(_get(doc.data, ("signed", "date")))
    if signed is None:
        return
    for i, m in _measures(doc):
        done = _try_date(m.get("completed"))
        if done is not None and done < signed:
            yield ("measures", i, "completed"), _(
                "completed {completed} is before the document was signed ({signed})"
            ).format(completed=done.isoformat(), signed=signed.isoformat())


@rule("file-name-mismatch", Severity.WARNING)
def file_name_mismatch(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A file whose name is not the document's `id` plus `.yaml`."""
    rid = doc.data.get("id")
    name = PurePath(doc.file).name
    if isinstance(rid, str) and name != f"{rid}.yaml":
        yield ("id",), _("the file name {name} is not the document id plus .yaml ({id}.yaml)").format(
            name=repr(name), id=rid
        )


_OTHER_STATUSES = frozenset(s.value for s in Status) - {Status.IN_PROGRESS.value}


@rule("progress-not-in-progress", Severity.WARNING)
def progress_not_in_progress(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """`progress` given on a measure whose status is not `in_progress` (it is ignored); not
    for a status that is none of the five (the schema's error names the one meant)."""
    for i, m in _measures(doc):
        status = m.get("status")
        if "progress" in m and isinstance(status, str) and status in _OTHER_STATUSES:
            yield ("measures", i, "progress"), _(
                "progress is given but the status is {status}; progress counts only for "
                "in_progress measures"
            ).format(status=m.get("status"))


@rule("example-measure", Severity.WARNING)
def example_measure(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """The example measure that `roadmap new` writes, not yet replaced by a real one (it would
    count in every report as a measure of the document)."""
    for i, m in _measures(doc):
        title = m.get("title")
        texts = title.values() if isinstance(title, dict) else [title]
        if any(isinstance(t, str) and t.strip() == EXAMPLE_TITLE for t in texts):
            yield ("measures", i, "title"), _(
                "this is the example measure of `roadmap new`: replace it with the document's "
                "own first measure"
            )


@rule("no-measures", Severity.WARNING)
def no_measures(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A document whose `measures` list is empty (`measures: []`): a document signed or
    entered before its measures are typed in. It is valid, and every report shows it with
    nothing to count (progress `n/a`), so that it is not forgotten."""
    if doc.data.get("measures") == []:
        yield ("measures",), _(
            "the document has no measures yet: reports show it with nothing to count (n/a); "
            "add the measures of the signed text"
        )


@rule("report-outside-schedule", Severity.WARNING)
def report_outside_schedule(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A `reports` entry on a measure that is not recurring, or naming a period of another kind."""
    for i, m in _measures(doc):
        due = m.get("due")
        for j, r in _items(m, "reports"):
            if not isinstance(r, dict) or not isinstance(_year_text(r.get("period")), str):
                continue
            if not isinstance(due, dict) or "every" not in due:
                yield ("measures", i, "reports", j), _(
                    "reports are for recurring measures (due: {{every: ...}}); this one is not recurring"
                ).format()
                break
            every = due.get("every")
            if not isinstance(every, str) or every not in EVERY_WORDS:
                break  # a recurrence the schema rejects: nothing to compare the periods with
            try:
                period = schedule.parse_period(_year_text(r["period"]))
            except ValueError:
                continue
            if period.kind != every:
                yield ("measures", i, "reports", j, "period"), _(
                    "report period {period} is a {kind}, but the measure recurs every {every}"
                ).format(period=r["period"], kind=_(KIND_WORDS.get(period.kind, period.kind)),
                         every=pgettext("diff every", EVERY_WORDS[every]))




def _todo_texts(title: Any) -> bool:
    texts = [title] if isinstance(title, str) else list(title.values()) if isinstance(title, dict) else []
    return any(isinstance(t, str) and "TODO" in t and _TODO_WORD.search(t) for t in texts)


_TODO_WORD = re.compile(r"\bTODO\b")


@rule("todo", Severity.WARNING)
def todo(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A `TODO` left where `roadmap import` could not read the signed text.

    `due: TODO` (the deadline as signed is kept in `notes`; until replaced the measure has no
    deadline), a `rescheduled` entry's `from: TODO`, an owner or co-executor `TODO: name as signed` (no agency of `agencies.yaml`
    matched it), and the word TODO in a title, result or notes. Replace each with what the signed
    document says, then remove the TODO.
    """
    if _todo_texts(doc.data.get("title")):
        yield ("title",), _("the document's title is TODO: write it as signed")
    for key in ("sections", "events"):
        for j, item in _items(doc.data, key):
            if isinstance(item, dict) and _todo_texts(item.get("title")):
                message = _("section {id}: the title is TODO") if key == "sections" else _(
                    "event {id}: the title is TODO"
                )
                yield (key, j, "title"), message.format(id=item.get("id"))
    for i, m in _measures(doc):
        if m.get("due") == schedule.TODO:
            yield ("measures", i, "due"), _(
                "due is TODO: the signed deadline could not be read (see its notes); "
                "write it as a due form (docs/format.md)"
            )
        for j, entry in _items(m, "rescheduled"):
            if isinstance(entry, dict) and entry.get("from") == schedule.TODO:
                yield ("measures", i, "rescheduled", j, "from"), _(
                    "rescheduled from is TODO: the due in force before {by} could not be read; "
                    "write it as a due form (docs/format.md)"
                ).format(by=entry.get("by"))
        for key in ("owners", "co_executors"):
            for j, value in _strings(m, key):
                if _todo_agency(value):
                    name = value[len(schedule.TODO) + 2 :] or _("(none given)")
                    yield ("measures", i, key, j), _(
                        "agency «{name}» is TODO: write its id from agencies.yaml "
                        "(or add it there, or add the name to an agency's aliases)"
                    ).format(name=name)
        for key in ("title", "result"):
            if _todo_texts(m.get(key)):
                yield ("measures", i, key), (
                    _("the title is TODO") if key == "title" else _("the result is TODO")
                )
        notes = m.get("notes")
        if isinstance(notes, str) and "TODO" in notes and _TODO_WORD.search(notes) and m.get("due") != schedule.TODO:
            yield ("measures", i, "notes"), _("the notes say TODO")


@rule("ambiguous-alias", Severity.WARNING, scope="agencies")
def ambiguous_alias(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """An agency's alias that is also a name, short name, alias or id of another agency.

    `roadmap import` matches the names of a signed table against names, short names and aliases,
    ignoring case and punctuation; a name two agencies share matches neither.
    """
    from roadmap_cli.agency_match import key

    agencies = [(i, a) for i, a in _items(doc.data, "agencies") if isinstance(a, dict)]
    owners: dict[str, set[str]] = {}
    for _i, a in agencies:
        aid = a.get("id")
        texts = [aid] if isinstance(aid, str) else []
        for field_name in ("name", "short"):
            value = a.get(field_name)
            texts.extend([value] if isinstance(value, str) else list(value.values()) if isinstance(value, dict) else [])
        texts.extend(t for _j, t in _strings(a, "aliases"))
        for text in texts:
            if isinstance(text, str) and key(text):
                owners.setdefault(key(text), set()).add(str(aid))
    for i, a in agencies:
        for j, alias in _strings(a, "aliases"):
            others = sorted(owners.get(key(alias), set()) - {str(a.get("id"))})
            if others:
                yield ("agencies", i, "aliases", j), _(
                    "alias «{alias}» is also a name of {others}: `roadmap import` cannot tell them apart"
                ).format(alias=alias, others=", ".join(others))
