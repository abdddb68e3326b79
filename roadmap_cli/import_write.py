"""Pure: an imported table (:class:`~roadmap_cli.import_table.Imported`) -> the text of a roadmap file.

The text is written by hand, like ``roadmap new``'s template, so that it reads as a person would
write it: block mappings, flow lists for agencies, each ``due`` followed by the signed wording as a
comment, and a header comment saying where the file came from and that it must be reviewed.
Every scalar goes through :func:`roadmap_cli.yamlscalar.scalar_text`, which quotes whatever YAML would
read as something else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from roadmap_cli.import_table import Imported, ImportedMeasure
from roadmap_cli.yamlscalar import scalar_text

HEADER = """\
# yaml-language-server: $schema=../schemas/roadmap.schema.json
#
# Imported with `roadmap import` on {today} from {source} (table {table}: {rows} rows read,
# {sections} sections, {measures} measures).
# This is a machine reading of the signed text: review every measure against the signed
# document before relying on this file. Each due is followed by the signed wording as a comment.
# TODO marks what could not be read; `roadmap validate` warns about each until it is replaced.
# Deadlines "до 1 июля" were read as the day before (30 June); see docs/import.md.
"""


@dataclass(frozen=True)
class Options:
    id: str
    kind: str
    title: str
    parties: tuple[str, ...]
    signed: date
    place: str | None
    start: date
    end: date
    lang: str
    source: str  # the .docx file's name, as shown in the header comment
    today: date
    event_dates: Mapping[str, date] = field(default_factory=dict)  # events known to have happened


def _comment_text(text: str) -> str:
    """Text that stays on one comment line."""
    return "".join(c if c.isprintable() else " " for c in text).strip()


def _s(value: str, flow: bool = False) -> str:
    return scalar_text(value, flow=flow)


def _due(due: Any) -> str:
    if isinstance(due, Mapping):
        items = (
            "{k}: {v}".format(k=k, v=v if isinstance(v, int) else _s(str(v), flow=True))
            for k, v in due.items()
        )
        return "{" + ", ".join(items) + "}"
    return _s(str(due))


def _title(lines: list[str], indent: str, key: str, lang: str, text: str) -> None:
    lines.append("{indent}{key}:".format(indent=indent, key=key))
    lines.append("{indent}  {lang}: {text}".format(indent=indent, lang=lang, text=_s(text)))


def _ids(values: list[str]) -> str:
    return "[" + ", ".join(_s(v, flow=True) for v in values) + "]"


def _measure(lines: list[str], m: ImportedMeasure, lang: str) -> None:
    lines.append("  - id: {id}".format(id=_s(m.id)))
    if m.section is not None:
        lines.append("    section: {s}".format(s=_s(m.section)))
    _title(lines, "    ", "title", lang, m.title)
    lines.append("    owners: {ids}".format(ids=_ids(m.owners)))
    if m.co_executors:
        lines.append("    co_executors: {ids}".format(ids=_ids(m.co_executors)))
    due = "    due: {due}".format(due=_due(m.due))
    if m.due_text:
        due += "  # {text}".format(text=_comment_text(m.due_text))
    lines.append(due)
    lines.append("    status: not_started")
    if m.result:
        _title(lines, "    ", "result", lang, m.result)
    if m.notes:
        lines.append("    notes: {text}".format(text=_s("; ".join(m.notes))))


def render(imported: Imported, o: Options) -> str:
    """The roadmap file's text."""
    lines = [HEADER.format(
        today=o.today.isoformat(),
        source=_comment_text(o.source),
        table=imported.table,
        rows=imported.rows,
        sections=len(imported.sections),
        measures=len(imported.measures),
    ).rstrip("\n")]
    lines.append("id: {id}".format(id=o.id))
    lines.append("kind: {kind}".format(kind=o.kind))
    _title(lines, "", "title", o.lang, o.title)
    lines.append("parties: {ids}".format(ids=_ids(list(o.parties))))
    signed = "{{date: {d}".format(d=o.signed.isoformat())
    if o.place:
        signed += ", place: {p}".format(p=_s(o.place, flow=True))
    lines.append("signed: " + signed + "}")
    lines.append("period: {{start: {s}, end: {e}}}".format(s=o.start.isoformat(), e=o.end.isoformat()))
    if imported.sections:
        lines.append("sections:")
        for sid, title in imported.sections:
            lines.append("  - id: {id}".format(id=_s(sid)))
            _title(lines, "    ", "title", o.lang, title)
    if imported.events:
        lines.append("events:  # add each event's date once it has happened")
        for e in imported.events:
            lines.append("  - id: {id}".format(id=e.id))
            _title(lines, "    ", "title", o.lang, e.title)
            if e.id in o.event_dates:
                lines.append("    date: {d}".format(d=o.event_dates[e.id].isoformat()))
    lines.append("measures:")
    for m in imported.measures:
        _measure(lines, m, o.lang)
    return "\n".join(lines) + "\n"
