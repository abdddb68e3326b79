"""Pure: the changes of `roadmap diff` and the rows of `roadmap history` as people read them in
a table or Markdown: short values, and every word in the interface language.

JSON and CSV carry the contract's values (``change: "removed"``, ``field: "due"``, the data as
written); the table shows the same in words: a change, a field and a status in the interface
language (their English is the contract's value itself, so the English table reads as the JSON
does), dates as the language writes them, titles in the language asked. Each such word carries
a gettext context (``diff change``, ``diff field``, ``diff value``), so that it may read
differently from the same English word elsewhere.

Nothing here reads files, runs git or prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from roadmap_cli import i18n
from roadmap_cli.i18n import NC_, _, ngettext

if TYPE_CHECKING:
    from roadmap_cli.diff import Change


#: the kinds of change (the contract's ``change`` values)
CHANGE_WORDS = {
    "added": NC_("diff change", "added"),
    "removed": NC_("diff change", "removed"),
    "changed": NC_("diff change", "changed"),
    "renamed": NC_("diff change", "renamed"),
    "rescheduled": NC_("diff change", "rescheduled"),
}

#: the fields of the file format (and of their mappings), as the Field column names them
FIELD_NAMES = {
    # a document
    "kind": NC_("diff field", "kind"),
    "title": NC_("diff field", "title"),
    "parties": NC_("diff field", "parties"),
    "signed": NC_("diff field", "signed"),
    "period": NC_("diff field", "period"),
    "sections": NC_("diff field", "sections"),
    "events": NC_("diff field", "events"),
    "amendments": NC_("diff field", "amendments"),
    "notes": NC_("diff field", "notes"),
    "file": NC_("diff field", "file"),
    # a measure
    "section": NC_("diff field", "section"),
    "result": NC_("diff field", "result"),
    "owners": NC_("diff field", "owners"),
    "co_executors": NC_("diff field", "co_executors"),
    "due": NC_("diff field", "due"),
    "rescheduled": NC_("diff field", "rescheduled"),
    "status": NC_("diff field", "status"),
    "progress": NC_("diff field", "progress"),
    "weight": NC_("diff field", "weight"),
    "completed": NC_("diff field", "completed"),
    "reason": NC_("diff field", "reason"),
    "depends_on": NC_("diff field", "depends_on"),
    "evidence": NC_("diff field", "evidence"),
    "indicators": NC_("diff field", "indicators"),
    "reports": NC_("diff field", "reports"),
    # within a mapping
    "date": NC_("diff field", "date"),
    "place": NC_("diff field", "place"),
    "start": NC_("diff field", "start"),
    "end": NC_("diff field", "end"),
    "after": NC_("diff field", "after"),
    "within": NC_("diff field", "within"),
    "url": NC_("diff field", "url"),
    "value": NC_("diff field", "value"),
    "note": NC_("diff field", "note"),
    "unit": NC_("diff field", "unit"),
    "baseline": NC_("diff field", "baseline"),
    "target": NC_("diff field", "target"),
}

#: values of the file format that are words (a status, a kind of document, a recurrence)
VALUE_WORDS = {
    "status": {
        "not_started": NC_("diff value", "not_started"),
        "in_progress": NC_("diff value", "in_progress"),
        "done": NC_("diff value", "done"),
        "blocked": NC_("diff value", "blocked"),
        "cancelled": NC_("diff value", "cancelled"),
    },
    "kind": {
        "roadmap": NC_("diff value", "roadmap"),
        "memorandum": NC_("diff value", "memorandum"),
        "action_plan": NC_("diff value", "action_plan"),
        "agreement": NC_("diff value", "agreement"),
    },
}

#: ``due: {every: ...}``: the recurrence, and the other keys of a recurring due
EVERY_WORDS = {
    "month": NC_("diff every", "month"),
    "quarter": NC_("diff every", "quarter"),
    "half": NC_("diff every", "half"),
    "year": NC_("diff every", "year"),
}

_BOOLEANS = {True: NC_("diff value", "true"), False: NC_("diff value", "false")}


def _word(context: str, msgid: str) -> str:
    return i18n.pgettext(context, msgid)


def change_word(change: str) -> str:
    """``removed`` -> "removed" (ru: "удалено"); an unknown kind as it is."""
    word = CHANGE_WORDS.get(change)
    return _word("diff change", word) if word else change


def field_name(name: str | None) -> str:
    """A field of the file format for people (English: the key itself); an unknown key as written."""
    if name is None:
        return ""
    word = FIELD_NAMES.get(name)
    return _word("diff field", word) if word else name


# --- diff ----------------------------------------------------------------------------------------


def display_row(c: Change, lang: str) -> dict[str, Any]:
    """A change as table cells: short, readable values (JSON keeps the full ones). ``kind`` is
    the contract's change (for styles), ``change`` its word."""
    if c.change in ("added", "removed"):
        whole = c.new if c.change == "added" else c.old
        title = brief("title", whole.get("title") if isinstance(whole, Mapping) else None, lang)
        old, new = ("", title) if c.change == "added" else (title, "")
        name = ""
    else:
        old, new = distinct(c.field, c.old, c.new, lang)
        if c.change == "rescheduled" and c.by:
            new = _("{new} (by {by})").format(new=new, by=c.by)
        name = field_name(c.field)
    return {
        "measure": c.measure if c.measure is not None else _("(document)"),
        "change": change_word(c.change),
        "kind": c.change,
        "field": name,
        "old": old,
        "new": new,
        "slip": slip_text(c.slip_days),
        "slip_days": c.slip_days,
    }


def distinct(name: str | None, a: Any, b: Any, lang: str) -> tuple[str, str]:
    """Two different values in a few words each (:func:`brief`), told apart: where the short
    forms read the same (a title edited in another language than the one shown, an entry's date
    or link edited, which a list shown by its ids or its count hides), the parts that differ
    instead: ``ru: …`` of a title, ``eif (date: 01.09.2026)`` of a list of entries."""
    from roadmap_cli.diff import _same

    if isinstance(a, str) and isinstance(b, str):
        a, b = from_difference(a, b)
    old, new = brief(name, a, lang), brief(name, b, lang)
    if old != new or _same(a, b):
        return old, new
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return _differing_keys(a, b, lang)
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        olds, news = [], []
        for i, (x, y) in enumerate(zip(a, b, strict=True), 1):
            if _same(x, y):
                continue
            label = _entry_label(x, y) or f"#{i}"
            if isinstance(x, Mapping) and isinstance(y, Mapping):
                x_text, y_text = _differing_keys(x, y, lang)
            else:
                x_text, y_text = distinct(None, x, y, lang)
            olds.append(f"{label} ({x_text})")
            news.append(f"{label} ({y_text})")
        return "; ".join(olds), "; ".join(news)
    return old, new


def _differing_keys(a: Mapping[str, Any], b: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """``key: value`` of the keys whose values differ, on each side (an absent one: –)."""
    from roadmap_cli.diff import _same

    keys = [k for k in (*a, *(k for k in b if k not in a)) if not _same(a.get(k), b.get(k))]
    pairs = [(field_name(str(k)), *distinct(str(k), a.get(k), b.get(k), lang)) for k in keys]
    return (", ".join(f"{key}: {x}" for key, x, _y in pairs),
            ", ".join(f"{key}: {y}" for key, _x, y in pairs))


def _entry_label(x: Any, y: Any) -> str | None:
    """The id (or period) that an entry of a list is shown by, when both sides have the same."""
    if isinstance(x, Mapping) and isinstance(y, Mapping):
        for key in ("id", "period"):
            if key in x and key in y and x[key] == y[key]:
                return str(x[key])
    return None


def slip_text(days: int | None) -> str:
    """``+184 d``, ``−30 d`` (a true minus), ``0 d``; empty for no slip figure."""
    if days is None:
        return ""
    value = "0" if days == 0 else f"{days:+d}".replace("-", "−")
    return _("{days} d").format(days=value)


MAX_CELL = 160


def from_difference(a: str, b: str, context: int = 30) -> tuple[str, str]:
    """Two long texts cut to start a little before their first difference ("…" marks the cut),
    so that the change shows in a table cell."""
    if len(a) <= MAX_CELL and len(b) <= MAX_CELL:
        return a, b
    same = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        same += 1
    cut = same - context
    if cut <= 0:
        return a, b
    cut = max(a.rfind(" ", 0, cut), 0) if " " in a[:cut] else cut  # start at a word
    return "…" + a[cut:].lstrip(), "…" + b[cut:].lstrip()


def brief(name: str | None, value: Any, lang: str) -> str:
    """A value in a few words: titles in the language asked, lists joined, dates as the
    interface language writes them, the words of the file format in it too."""
    from roadmap_cli.model import pick

    if value is None:
        return "–"
    if name == "title" or (name == "name" and isinstance(value, Mapping)):
        text = pick(value, lang) if isinstance(value, (str, Mapping)) else str(value)
    elif isinstance(value, bool):
        text = _word("diff value", _BOOLEANS[value])
    elif isinstance(value, Mapping):
        if name == "period" and {"start", "end"} <= value.keys():
            text = "{start} – {end}".format(start=i18n.day(value["start"]), end=i18n.day(value["end"]))
        elif "every" in value:
            text = _recurring(value)
        else:
            text = ", ".join(
                "{key}: {value}".format(key=field_name(str(k)), value=brief(k, v, lang))
                for k, v in value.items()
            )
    elif isinstance(value, list):
        if value and all(isinstance(v, Mapping) for v in value):
            label = "period" if all("period" in v for v in value) else (
                "id" if all("id" in v for v in value) else None
            )
            if label:
                text = ", ".join(str(v[label]) for v in value)
            else:
                text = ngettext("{count} entry", "{count} entries", len(value)).format(count=len(value))
        else:
            text = ", ".join(brief(None, v, lang) for v in value) if value else _("(none)")
    elif isinstance(value, str):
        words = VALUE_WORDS.get(name or "", {})
        text = _word("diff value", words[value]) if value in words else i18n.day(value)
    else:
        text = str(value)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _recurring(value: Mapping[str, Any]) -> str:
    """``every quarter, from 2026-Q1, until 2026-Q4, grace 15`` (the keys in the file's order)."""
    parts = []
    for k, v in value.items():
        if k == "every":
            every = EVERY_WORDS.get(v) if isinstance(v, str) else None
            parts.append(_word("diff every", every) if every else str(v))
        elif k == "from":
            parts.append(_("from {period}").format(period=i18n.day(v)))
        elif k == "until":
            parts.append(_("until {period}").format(period=i18n.day(v)))
        elif k == "grace":
            parts.append(_("grace {days}").format(days=v))
        else:
            parts.append("{key} {value}".format(key=k, value=v))
    return _("every {parts}").format(parts=", ".join(parts))


# --- history -------------------------------------------------------------------------------------


def history_rows(rows: Sequence[Mapping[str, Any]], lang: str) -> tuple[list[dict[str, Any]], str]:
    """The rows of a measure's history as table cells, and the measure's last title."""
    from roadmap_cli.model import pick

    shown = []
    title = ""
    for r in rows:
        if r["field"] is None:
            whole = r["new"] if r["new"] is not None else r["old"]
            title = pick(whole.get("title"), lang) if isinstance(whole, Mapping) else title
            created = r["new"] is not None
            what, before, after = (_("(created)"), "", title) if created else (_("(removed)"), title, "")
        else:
            what = field_name(r["field"])
            before, after = distinct(r["field"], r["old"], r["new"], lang)
            if r["field"] == "title" and isinstance(r["new"], (str, Mapping)):
                title = pick(r["new"], lang)
        shown.append(
            {
                "day": i18n.day(str(r["date"])[:10]),
                "short": str(r["commit"])[:7],
                "author": r["author"],
                "subject": r.get("subject", ""),
                "what": what,
                "before": before,
                "after": after,
            }
        )
    return shown, title
