"""Planning a roadmap update: one ``roadmap update`` request (or an answered row of
``roadmap apply``) -> the edits it makes, checked. Pure: file text + request -> new text.

:func:`plan` decides what changes (status-bound fields follow the status) and validates the
request against the measure; :func:`update_measure` applies the planned edits with
:mod:`roadmap_cli.splice` (text-level splicing that keeps comments and layout) and checks that
the new text reads as exactly the old data with exactly the planned changes (anything else
raises :class:`UnsafeEdit`), so a surprise in the YAML (an alias, an unusual layout) is refused
instead of written. :func:`unified_diff` shows a change to people.
"""

from __future__ import annotations

import copy
import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from roadmap_cli import i18n, resolve, schedule
from roadmap_cli.i18n import NC_, _, pgettext
from roadmap_cli.model import Path
from roadmap_cli.periods import KIND_WORDS
from roadmap_cli.record import Record, record
from roadmap_cli.splice import (
    INDICATOR_ORDER,
    MEASURE_ORDER,
    EditError,
    UnsafeEdit,
    append_item,
    remove_key,
    set_value,
)
from roadmap_cli.yamlscalar import Num, Scalar
from roadmap_cli.yamlsrc import parse, read_plain

#: an ISO day as the file writes it
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

__all__ = [  # what other modules take from here (the splicing itself: roadmap_cli.splice)
    "INDICATOR_ORDER", "MEASURE_ORDER", "EditError", "Op", "Result", "UnsafeEdit", "Update",
    "find_measure", "parse_number", "plan", "split_lines", "unified_diff", "update_measure",
]

STATUSES = ("not_started", "in_progress", "done", "blocked", "cancelled")
_NEEDS_REASON = ("blocked", "cancelled")


def _data_value(value: Any) -> Any:
    if isinstance(value, Num):
        return value.value
    if isinstance(value, Mapping):
        return {k: _data_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_data_value(v) for v in value]
    return value


# --- one update request --------------------------------------------------------------------------


@record
class Update(Record):
    """What `roadmap update` was asked to do (already checked for form by the CLI)."""

    status: str | None = None
    progress: int | None = None
    completed: date | None = None
    reason: str | None = None
    due: str | None = None
    evidence: str | None = None
    url: str | None = None
    reported: tuple[str, ...] = ()
    actuals: tuple[tuple[str, str], ...] = ()  # (indicator id, number as text)
    on: date | None = None  # --on, when given
    by: str | None = None  # --by: the amendment that moves the deadline to --due

    def empty(self) -> bool:
        return not any(
            v not in (None, ())
            for k, v in self.__dict__.items()
            if k not in ("on", "url", "by")
        )


@record
class Op(Record):
    """One edit: ``set`` a key, ``remove`` a key, or ``append`` an item to a list key."""

    kind: str  # "set" | "remove" | "append"
    path: Path  # the mapping edited
    key: str
    value: Any = None  # a Scalar for set, an Item for append
    order: tuple[str, ...] = MEASURE_ORDER
    flow_items: bool = True  # the default entry style for a new list

    def apply_text(self, text: str) -> str:
        if self.kind == "set":
            return set_value(text, self.path, self.key, self.value, self.order)
        if self.kind == "remove":
            return remove_key(text, self.path, self.key)
        return append_item(text, self.path, self.key, self.value, self.order, self.flow_items)

    def apply_data(self, data: Any) -> None:
        target = data
        for part in self.path:
            target = target[part]
        if self.kind == "set":
            target[self.key] = _data_value(self.value)
        elif self.kind == "remove":
            target.pop(self.key, None)
        else:
            target.setdefault(self.key, []).append({k: _data_value(v) for k, v in self.value})


def parse_number(text: str) -> Num:
    """An indicator value as given on the command line: an integer or a decimal number."""
    t = text.strip()
    try:
        value, note = read_plain(t)
    except ValueError:
        value, note = None, None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or note is not None
        or (isinstance(value, float) and not math.isfinite(value))
        or t.startswith(("0x", "0o"))
    ):
        raise EditError(_("{value!r} is not a number (write it like 4200 or 12.5)").format(
            value=text))
    return Num(t, value)


def plan(doc: Mapping[str, Any], index: int, update: Update, today: date) -> list[Op]:
    """The edits that carry out ``update`` on measure number ``index`` of ``doc`` (its data).

    Status-bound fields follow the status: ``done`` gets ``completed`` (``--completed``, else
    ``--on``, else today; a measure already done keeps its date unless one is given), and fields
    that belong to a status the measure leaves are dropped (``progress`` unless in_progress,
    ``completed`` unless done, ``reason`` unless blocked or cancelled).
    """
    if update.url is not None and update.evidence is None:
        raise EditError(_("--url goes with --evidence TITLE (the evidence it points to)"))
    for name in ("reason", "evidence", "url", "due"):
        value = getattr(update, name)
        if isinstance(value, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            raise EditError(_("--{option} is not valid UTF-8 text").format(option=name))
    if update.by is not None and update.due is None:
        raise EditError(_("--by AMENDMENT goes with --due NEW: the deadline the amendment sets"))
    if update.empty():
        raise EditError(_(
            "nothing to update: give --status, --progress, --completed, --reason, --due, "
            "--evidence, --reported or --actual"
        ))
    m = doc["measures"][index]
    base: Path = ("measures", index)
    when = (update.on or today).isoformat()
    current = m.get("status")
    new = update.status or current
    changed = update.status is not None and update.status != current
    ops: list[Op] = []
    if changed:
        ops.append(Op("set", base, "status", update.status))
    # reason
    if update.reason is not None:
        if new not in _NEEDS_REASON:
            raise EditError(_(
                "--reason is for blocked or cancelled measures (this one is {status}); "
                "add {blocked} or {cancelled}"
            ).format(status=status_word(new), blocked=status_option("blocked"),
                     cancelled=status_option("cancelled")))
        if not update.reason.strip():
            raise EditError(_("--reason must not be empty"))
        ops.append(Op("set", base, "reason", update.reason))
    elif changed and new in _NEEDS_REASON:
        raise EditError(_("--status {status} needs --reason TEXT: say why the measure is "
                          "{status}").format(status=status_word(new)))
    elif changed and "reason" in m:
        ops.append(Op("remove", base, "reason"))
    # completed
    if new == "done":
        if update.completed is not None:
            done_on = update.completed.isoformat()
        elif changed or "completed" not in m or (update.status == "done" and update.on):
            done_on = when
        else:
            done_on = m["completed"]
        if m.get("completed") != done_on:
            ops.append(Op("set", base, "completed", done_on))
    elif update.completed is not None:
        raise EditError(_(
            "--completed is for done measures (this one is {status}); add {done}"
        ).format(status=status_word(new), done=status_option("done")))
    elif changed and "completed" in m:
        ops.append(Op("remove", base, "completed"))
    # progress
    if update.progress is not None:
        if new != "in_progress":
            raise EditError(_(
                "--progress is for in_progress measures (this one is {status}); "
                "add {in_progress}"
            ).format(status=status_word(new), in_progress=status_option("in_progress")))
        ops.append(Op("set", base, "progress", update.progress))
    elif changed and new != "in_progress" and "progress" in m:
        ops.append(Op("remove", base, "progress"))
    # due
    if update.due is not None:
        try:
            schedule.parse_due(update.due)
        except ValueError as e:
            raise EditError(_("--due: {problem}").format(problem=e)) from None
        if isinstance(update.due, str) and update.due.strip() != update.due:
            raise EditError(_("--due: {value!r} has spaces around it").format(value=update.due))
        if update.by is not None:
            from roadmap_cli.edit_signed import reschedule_op

            moved = reschedule_op(doc, m, base, update.by, update.due)
            if moved is not None:
                ops.append(moved)
        ops.append(Op("set", base, "due", update.due))
    # evidence
    if update.evidence is not None:
        if not update.evidence.strip():
            raise EditError(_("--evidence needs a title"))
        item: list[tuple[str, Scalar]] = [("title", update.evidence), ("date", when)]
        if update.url is not None:
            parts = urlsplit(update.url)
            spaces = any(c.isspace() or ord(c) < 0x20 for c in update.url)
            if not parts.scheme or not (parts.netloc or parts.path) or spaces:
                raise EditError(_("--url {value!r} is not an absolute URL (https://...)").format(
                    value=update.url))
            item.append(("url", update.url))
        ops.append(Op("append", base, "evidence", tuple(item), flow_items=False))
    # reports
    if update.reported:
        ops.extend(_report_ops(doc, m, base, update.reported, when))
    # indicator actuals
    seen: set[tuple[str, str]] = set()
    for ind_id, value_text in update.actuals:
        value = parse_number(value_text)
        if (ind_id, when) in seen:
            raise EditError(_("--actual {indicator}= is given twice for {date}").format(
                indicator=ind_id, date=when))
        seen.add((ind_id, when))
        indicators = m.get("indicators") or []
        j = next((n for n, ind in enumerate(indicators) if ind.get("id") == ind_id), None)
        if j is None:
            have = ", ".join(ind.get("id", "?") for ind in indicators)
            raise EditError(
                (_("measure {measure} has no indicator {indicator!r} (it has: {ids})") if have
                 else _("measure {measure} has no indicator {indicator!r} (it has no indicators)"))
                .format(measure=m["id"], indicator=ind_id, ids=have)
            )
        ipath: Path = (*base, "indicators", j)
        actuals = indicators[j].get("actuals") or []
        k = next((n for n, a in enumerate(actuals) if a.get("date") == when), None)
        if k is not None:
            ops.append(Op("set", (*ipath, "actuals", k), "value", value, ("date", "value")))
        else:
            ops.append(Op("append", ipath, "actuals", (("date", when), ("value", value)),
                          INDICATOR_ORDER))
    return [op for op in ops if not _no_op(doc, op)]


def _no_op(doc: Mapping[str, Any], op: Op) -> bool:
    """Whether ``op`` would change nothing in ``doc``: a value set to what it is, or an
    evidence entry that the measure has already (title, date and URL alike). Left out, so that
    an answer given twice (one workbook applied twice, one command run twice) is written once
    and is not shown as a change ("progress: 75 -> 75")."""
    target: Any = doc
    for part in op.path:
        target = target[part]
    if not isinstance(target, Mapping):
        return False
    if op.kind == "set":
        return op.key in target and _same(target[op.key], op.value)
    if op.kind == "append" and op.key == "evidence":
        new = dict(op.value)
        return any(
            isinstance(e, Mapping) and set(e) == set(new) and all(_same(e[k], v) for k, v in new.items())
            for e in target.get("evidence") or ()
        )
    return False


def _same(written: Any, value: Any) -> bool:
    """A value of the file and a value to write are the same (a date and its ISO text, a
    number and its :class:`Num`)."""
    if isinstance(value, Num):
        value = value.value
    if isinstance(written, bool) or isinstance(value, bool):
        return written is value
    if hasattr(written, "isoformat") and isinstance(value, str):
        return bool(written.isoformat() == value)
    return (type(written) is type(value) and written == value) or (
        isinstance(written, (int, float)) and isinstance(value, (int, float)) and written == value)


def _report_ops(doc: Mapping[str, Any], m: Mapping[str, Any], base: Path,
                periods: Iterable[str], when: str) -> list[Op]:
    due = m.get("due")
    if not isinstance(due, Mapping):
        raise EditError(_(
            "measure {measure} is not recurring (due: {due}); --reported is for recurring "
            "measures (due: {{every: ...}})"
        ).format(measure=m["id"], due=due))
    parsed = schedule.parse_due(due)
    every = parsed.every
    assert every is not None
    first = parsed.start or schedule.period_containing(
        schedule.parse_date(doc["period"]["start"]), every)
    last = parsed.until or schedule.period_containing(
        schedule.parse_date(doc["period"]["end"]), every)
    done: dict[tuple[str, date], str] = {}
    for r in m.get("reports") or []:
        try:
            p = schedule.parse_period(str(r.get("period")))
        except ValueError:
            continue
        done[(p.kind, p.start)] = str(r.get("date", "undated"))
    ops = []
    for text in periods:
        try:
            p = schedule.parse_period(text)
        except ValueError as e:
            raise EditError(_("--reported: {problem}").format(problem=e)) from None
        if p.kind != every:
            example = schedule.period_containing(p.start, every).text
            raise EditError(_(
                "--reported {period}: the measure recurs every {every}, so name a {every} "
                "(e.g. {example})"
            ).format(period=text, every=_(KIND_WORDS.get(every, every)), example=example))
        if not first.start <= p.start <= last.start:
            raise EditError(_(
                "--reported {period}: the measure recurs from {first} to {last}; "
                "{period_text} is not one of its periods"
            ).format(period=text, first=first.text, last=last.text, period_text=p.text))
        if p.start.isoformat() > when:  # (ISO dates compare as text)
            raise EditError(_(
                "--reported {period}: the period begins on {start}, after the report's date "
                "{date}: a period is reported once it has begun; check the year"
            ).format(period=p.text, start=i18n.day(p.start.isoformat()), date=i18n.day(when)))
        if (p.kind, p.start) in done and done[(p.kind, p.start)] == when:
            continue  # the same report again (this period, this date): nothing to change
        if (p.kind, p.start) in done:
            on = done[(p.kind, p.start)]  # (an ISO date, or "undated"): as the tables show it
            raise EditError(_("{period} is already reported (date: {date})").format(
                period=p.text, date=i18n.day(on) if _ISO_DAY.fullmatch(on) else on))
        done[(p.kind, p.start)] = when
        ops.append(Op("append", base, "reports", (("period", p.text), ("date", when))))
    return ops


@record
class Result(Record):
    text: str
    changes: tuple[str, ...]  # one line per change, for people
    #: the edited text as :func:`roadmap_cli.yamlsrc.parse` read it back to verify the edit,
    #: named as ``update_measure`` was told (a check of the same bytes reads this instead of
    #: parsing them again); None when the text was not read back
    parsed: Any = field(default=None, compare=False, repr=False)


def find_measure(doc: Mapping[str, Any], measure_id: str) -> int:
    measures = doc.get("measures") or []
    for n, m in enumerate(measures):
        if isinstance(m, Mapping) and m.get("id") == measure_id:
            return n
    ids = [str(m.get("id")) for m in measures if isinstance(m, Mapping)]
    hint = difflib.get_close_matches(measure_id, ids, n=1)
    raise EditError(
        (_("no measure {measure!r} in {roadmap}; did you mean {hint!r}?") if hint
         else _("no measure {measure!r} in {roadmap} (its measures: {ids})"))
        .format(measure=measure_id, roadmap=doc.get("id"), hint=hint[0] if hint else "",
                ids=resolve.listed(ids))
    )


def update_measure(text: str, measure_id: str, update: Update, today: date, doc: Any = None,
                   file: str = "<edit>") -> Result:
    """Carry out ``update`` on measure ``measure_id`` of the document ``text`` (no BOM);
    ``doc``: ``text`` as read already, if it was (it is not changed here); ``file``: the name
    the edited text is read back under (:attr:`Result.parsed`)."""
    doc = _read(text) if not isinstance(doc, dict) else doc
    index = find_measure(doc, measure_id)
    ops = plan(doc, index, update, today)
    new = text
    expected = copy.deepcopy(doc)
    # removals first: a key about to go must not be the place a new key is inserted after
    for op in sorted(ops, key=lambda o: o.kind != "remove"):
        try:
            new = op.apply_text(new)
        except EditError as e:
            if new == text:
                raise
            raise UnsafeEdit(unsafe(str(e))) from None
        op.apply_data(expected)
    parsed = parse(new.encode("utf-8"), file)
    if parsed.data != expected:  # (expected is a mapping: a text that is not one differs)
        raise UnsafeEdit(_(
            "cannot edit this file safely: the edited text would not read back as the intended "
            "change (is a value shared through a YAML anchor and alias?); edit it by hand"
        ))
    return Result(new, tuple(_change_lines(doc, ops)), parsed)


def _read(text: str) -> dict[str, Any]:
    parsed = parse(text.encode("utf-8"), "<edit>")
    if not isinstance(parsed.data, dict):
        raise EditError(_("the file does not read as a YAML mapping"))
    return parsed.data


#: the keys of a roadmap file as change lines name them (ru: статус, срок, ...)
_FIELDS = {
    "status": NC_("field", "status"),
    "progress": NC_("field", "progress"),
    "completed": NC_("field", "completed"),
    "reason": NC_("field", "reason"),
    "due": NC_("field", "due"),
    "rescheduled": NC_("field", "rescheduled"),
    "evidence": NC_("field", "evidence"),
    "reports": NC_("field", "reports"),
    "actuals": NC_("field", "actuals"),
    "value": NC_("field", "value"),
    "title": NC_("field", "title"),
    "date": NC_("field", "date"),
    "url": NC_("field", "url"),
    "period": NC_("field", "period"),
    "from": NC_("field", "from"),
    "by": NC_("field", "by"),
}

#: status ids as change lines show them (English: the id as written in the file)
_STATUS_VALUES = {
    "not_started": NC_("status", "not_started"),
    "in_progress": NC_("status", "in_progress"),
    "done": NC_("status", "done"),
    "blocked": NC_("status", "blocked"),
    "cancelled": NC_("status", "cancelled"),
}



def status_word(status: object) -> str:
    """A status id as the tables name it in the interface language (English: the id)."""
    if isinstance(status, str) and status in _STATUS_VALUES:
        return pgettext("status", _STATUS_VALUES[status])
    return str(status)


def status_option(status: str) -> str:
    """``--status X`` as a message tells the user to type it: the tables' word, which
    ``--status`` takes (``--status "в работе"``; English: the id)."""
    word = status_word(status)
    return f'--status "{word}"' if " " in word else f"--status {word}"


def field_name(key: str) -> str:
    """A key of the file for people, in the interface language (English: the key itself)."""
    return pgettext("field", _FIELDS[key]) if key in _FIELDS else key


def _describe(value: Any, key: str = "") -> str:
    """A value of the file in a change line (one line): mappings with their keys for people,
    dates and statuses in the interface language, a text of several lines on one."""
    if isinstance(value, Mapping):
        return "{" + ", ".join("{key}: {value}".format(key=field_name(k), value=_describe(v, k))
                               for k, v in value.items()) + "}"
    if isinstance(value, Num):
        return value.text
    if key == "status" and value in _STATUS_VALUES:
        return status_word(value)
    if key in ("completed", "date"):
        return i18n.day(value)
    if isinstance(value, str) and not value.isprintable():  # (a line break: a reason of lines)
        return " ".join(value.split())
    return str(value)


def unsafe(reason: str) -> str:
    """The message of an :class:`UnsafeEdit` whose splice failed for ``reason``."""
    return _("cannot edit this file safely: {reason}; edit it by hand").format(reason=reason)


def _change_lines(doc: Mapping[str, Any], ops: Sequence[Op]) -> list[str]:
    """One line per change, for people: ``progress: 50 -> 80`` (ru: ``процент выполнения: ...``)."""
    out = []
    for op in ops:
        target: Any = doc
        for part in op.path:
            target = target[part]
        name = field_name(op.key)
        if "indicators" in op.path and op.kind == "append":
            name = "{indicator} {field}".format(indicator=target.get("id"), field=name)
        elif "actuals" in op.path and op.kind == "set":  # a value replaced: whose, of which day
            indicator: Any = doc
            for part in op.path[:-2]:
                indicator = indicator[part]
            name = "{indicator} {field} {date}: {value}".format(
                indicator=indicator.get("id"), field=field_name("actuals"),
                date=i18n.day(target.get("date")), value=name)
        if op.kind == "set":
            old = target.get(op.key) if isinstance(target, Mapping) else None
            new = _describe(op.value, op.key)
            if old is None:
                out.append("{field}: {new}".format(field=name, new=new))
            else:
                out.append("{field}: {old} -> {new}".format(
                    field=name, old=_describe(old, op.key), new=new))
        elif op.kind == "remove":
            out.append(_("{field}: removed (was {old})").format(
                field=name, old=_describe(target.get(op.key), op.key)))
        else:
            out.append(_("{field}: added {item}").format(
                field=name, item=_describe(dict(op.value))))
    return out


# --- diffs ---------------------------------------------------------------------------------------


#: the characters that end a line for :meth:`str.splitlines` and not for git
_OTHER_BREAKS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def split_lines(text: str) -> list[str]:
    """Lines with their breaks (only \\n, \\r\\n and a lone \\r end a line, as in git):
    :meth:`str.splitlines` when the text has none of the other breaks it knows (a third faster
    than the expression on the documents a dry run of apply diffs)."""
    if _OTHER_BREAKS.search(text) is None:
        return text.splitlines(keepends=True)
    return re.findall(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+\Z", text)


def unified_diff(old: str, new: str, name: str) -> str:
    """A git-style unified diff (a/NAME, b/NAME, 3 lines of context) of two texts."""
    out = []
    for line in difflib.unified_diff(
        split_lines(old), split_lines(new), f"a/{name}", f"b/{name}", lineterm="\n"
    ):
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)
