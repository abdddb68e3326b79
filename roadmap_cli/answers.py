"""An agency's answers, row by row: cells read from a workbook -> the update to make, a conflict,
or located problems. Pure: no files, no openpyxl, no click; the edits themselves are
:mod:`roadmap_cli.edit`'s (the engine of ``roadmap update``).

A row is checked in this order, and the first failing step decides: the measure exists and is
the agency's; it has not changed since the request was made (the fingerprint; else a
**conflict**, shown side by side and not applied); the known columns are as they were written;
every filled cell reads as what its column asks for. Empty rows are skipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol
from urllib.parse import urlsplit

from roadmap_cli import cycle, edit, i18n, schedule
from roadmap_cli.cycle import Cell, SheetProblem
from roadmap_cli.cycle_text import STATUS_WORDS_EN, read_status, status_words
from roadmap_cli.i18n import N_, _, ngettext
from roadmap_cli.model import Measure, Roadmap

#: the languages a known cell may have been written in
_LANGS = ("en", "ru", "kk", "be")


@dataclass
class RowPlan:
    """What one answered row asks for."""

    file: str
    where: str  # the row's measure cell, for messages about the whole row
    roadmap: str
    measure: str
    agency: str
    update: edit.Update | None = None
    problems: list[SheetProblem] = field(default_factory=list)
    #: (field, the file's value now, the agency's answer) when the measure changed since
    conflict: list[tuple[str, str, str]] | None = None
    comment: str = ""
    cells: Mapping[str, Cell] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and self.conflict is None and self.update is not None


def text_of(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates ISO, None empty."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _id_text(value: Any) -> str:
    return text_of(value)


def answered(cells: Mapping[str, Cell]) -> bool:
    return any(text_of(cells[k].value) for k in cycle.ANSWER_KEYS if k in cells)


class Measures(Protocol):
    """(document id, measure id) -> (document, measure): a dict of them, or
    :class:`roadmap_cli.some_measures.MeasuresById`."""

    def get(self, key: tuple[str, str], /) -> tuple[Roadmap, Measure] | None: ...


def _raw(m: Measure) -> Any:
    return m.raw


def plan_row(
    file: str,
    cells: Mapping[str, Cell],
    measures: Measures,
    on: date | None,
    raw_of: Callable[[Measure], Any] = _raw,
) -> RowPlan | None:
    """The plan for one row (None for a row with no answer). ``raw_of``: a measure's data as
    written (its ``raw``), of which the row's fingerprint is compared."""
    if not answered(cells):
        return _typed_in_locked(file, cells, measures, raw_of)
    rid, mid = _id_text(cells["roadmap"].value), _id_text(cells["measure"].value)
    agency = text_of(cells["agency"].value)
    plan = RowPlan(file, cells["measure"].where, rid, mid, agency, cells=cells)
    plan.comment = text_of(cells["comment"].value) if "comment" in cells else ""

    def problem(key: str, message: str, rule: str) -> None:
        plan.problems.append(SheetProblem(file, cells[key].where, message, rule))

    if not text_of(cells["fingerprint"].value) and not agency:
        problem("measure", _("this row was not in the request (its hidden columns are empty); "
                "answer in the rows of the request, or ask for a new one"), "apply-locked")
        return plan
    found = measures.get((rid, mid))
    if found is None:
        problem("measure", _("no measure {measure!r} in a document {roadmap!r}: it was removed "
                             "or renamed since the request; ask for a new request").format(
            measure=mid, roadmap=rid), "apply-no-measure")
        return plan
    rm, m = found
    if agency not in m.owners and agency not in m.co_executors:
        problem("measure", ngettext("measure {roadmap}/{measure} is not {agency}'s (lead: {owners}): "
                                    "the row was changed or copied from another agency's workbook; "
                                    "answer it in that agency's workbook",
                                    "measure {roadmap}/{measure} is not {agency}'s (leads: {owners}): "
                                    "the row was changed or copied from another agency's workbook; "
                                    "answer it in that agency's workbook",
                                    len(m.owners))
                .format(roadmap=rid, measure=mid, agency=agency or "?",
                        owners=", ".join(m.owners)), "apply-not-yours")
        return plan
    if text_of(cells["fingerprint"].value) != cycle.fingerprint(raw_of(m)):
        plan.conflict = _conflict(cells, m)
        return plan
    _check_known(plan, cells, rm, m)
    if plan.problems:
        return plan
    plan.update = _update(plan, cells, rm, m, on)
    return plan


def _typed_in_locked(file: str, cells: Mapping[str, Cell], measures: Measures,
                     raw_of: Callable[[Measure], Any]) -> RowPlan | None:
    """A row with no answer whose known (locked) cells no longer read as the request wrote
    them: an answer typed in the grey columns (a CSV has no protection; a sheet's is one click
    away), refused at its cell rather than skipped unseen. None for a row left as it was, and
    for one that cannot be checked (its measure gone, not the agency's, or changed since)."""
    if not any(text_of(cells[k].value) for k in cycle.KNOWN_KEYS if k in cells):
        return None  # (nothing to compare; an agency's own empty row)
    rid, mid = _id_text(cells["roadmap"].value), _id_text(cells["measure"].value)
    agency = text_of(cells["agency"].value)
    found = measures.get((rid, mid)) if text_of(cells["fingerprint"].value) else None
    if found is None:
        return None
    rm, m = found
    if agency not in m.owners and agency not in m.co_executors:
        return None
    if text_of(cells["fingerprint"].value) != cycle.fingerprint(raw_of(m)):
        return None
    plan = RowPlan(file, cells["measure"].where, rid, mid, agency, cells=cells)
    _check_known(plan, cells, rm, m)
    return plan if plan.problems else None


def _conflict(cells: Mapping[str, Cell], m: Measure) -> list[tuple[str, str, str]]:
    """Side by side: each answered field, the file's value now and the agency's answer."""
    now: dict[str, Any] = {
        "status": m.status,
        "progress": m.progress,
        "completed": m.completed,
        "reason": m.reason,
        "evidence_title": "; ".join(text_of(e.title if isinstance(e.title, str) else
                                            next(iter(e.title.values()), ""))
                                    for e in m.evidence[-1:]),
        "evidence_url": "; ".join(e.url or "" for e in m.evidence[-1:]),
        "reported": ", ".join(str(r.period) for r in m.reports),
        "actual": "; ".join(
            "{id}={value}".format(id=i.id, value=text_of(i.actuals[-1].value))
            for i in m.indicators if i.actuals
        ),
    }
    out = []
    for key in cycle.ANSWER_KEYS:
        if key == "comment" or key not in cells:
            continue
        answer = text_of(cells[key].value)
        if answer:
            out.append((key, text_of(now.get(key)), answer))
    return out


def _check_known(plan: RowPlan, cells: Mapping[str, Cell], rm: Roadmap, m: Measure) -> None:
    """Each known (locked) cell must read as the request wrote it."""
    as_of_cell = cells["as_of"]
    try:
        as_of = schedule.parse_date(text_of(as_of_cell.value))
    except ValueError:
        plan.problems.append(SheetProblem(
            plan.file, as_of_cell.where, _("this locked cell was changed (it held the request's "
            "date); answer in the workbook as it was sent"), "apply-locked"))
        return
    # the language the request was written in first (for the message): Cyrillic status words
    now_word = text_of(cells["status_now"].value) if "status_now" in cells else ""
    written = "ru" if re.search("[\u0400-\u04ff]", now_word) else "en"
    expected = [cycle.known(rm, m, as_of, lang)
                for lang in sorted(_LANGS, key=lambda lang: lang != written)]
    for key in cycle.KNOWN_KEYS:
        if key not in cells:
            continue
        got = text_of(cells[key].value)
        if key == "status_now":
            ok = read_status(got) == str(schedule.status_as_of(m, as_of)) if got else False
        else:
            ok = any(_same_known(got, k[key]) for k in expected)
        if not ok:
            plan.problems.append(SheetProblem(
                plan.file, cells[key].where, _("this locked cell was changed (the request had "
                "{value!r} here, the answer {got!r}); answer in the white columns only").format(
                    value=text_of(expected[0][key]), got=got), "apply-locked"))


def _same_known(got: str, value: Any) -> bool:
    if isinstance(value, date):
        try:
            return read_date(got) == value
        except ValueError:
            return False
    if got.startswith("'") and got[1:2] in cycle.FORMULA_STARTS:  # the CSV form's guard
        got = got[1:]
    return got == text_of(value)


# --- the answer cells ----------------------------------------------------------------------------


_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_date(value: Any) -> date:
    """A completion date: a date cell, ``2026-12-31`` or ``31.12.2026``; ValueError (for
    people) for anything else, ambiguous forms (12/31/2026, 31/12/26) included."""
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            raise ValueError(_("a date with a time of day; give the day only"))
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):
        raise ValueError(
            _("{value} is a number, not a date; write it as 31.12.2026").format(value=text_of(value))
        )
    t = str(value).strip()
    if _ISO.fullmatch(t):
        return schedule.parse_date(t)
    m = _DOTTED.fullmatch(t)
    if m:
        day, month, year = (int(g) for g in m.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise ValueError(_("{value!r} is not a day of the calendar").format(value=t)) from None
    if "/" in t or re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{2}", t):
        raise ValueError(
            _("{value!r} is ambiguous (day and month, or the century, cannot be told apart); "
            "write it as 31.12.2026").format(value=t)
        )
    raise ValueError(_("{value!r} is not a date; write it as 31.12.2026").format(value=t))


def read_progress(cell: Cell) -> int:
    v = cell.value
    if isinstance(v, bool):
        raise ValueError(_("not a number"))
    if isinstance(v, (int, float)):
        # a percentage cell holds the fraction (29% is 0.29, whose product with 100 is
        # 28.999999999999996 in binary floating point): its shortest decimal, times 100
        number = float(Decimal(repr(float(v))) * 100) if cell.percent else v
        if isinstance(number, float) and not (math.isfinite(number) and number.is_integer()):
            raise ValueError(_("{value} is not a whole number; write 0 to 100").format(
                value=text_of(number)))
        n = int(number)
    else:
        t = str(v).strip()
        if re.fullmatch(r"\d{1,3}\s*%", t):
            raise ValueError(_("{value!r}: write the number without the {percent} sign ({n})").format(
                value=t, n=t.rstrip("% "), percent="%"))
        if not re.fullmatch(r"\d{1,3}", t):
            raise ValueError(_("{value!r} is not a number; write a whole number from 0 to 100")
                             .format(value=t))
        n = int(t)
    if not 0 <= n <= 100:
        raise ValueError(_("{n} is outside 0 to 100").format(n=n))
    return n


def read_url(value: str) -> str:
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(c.isspace() or ord(c) < 0x20 for c in value)
    ):
        raise ValueError(_("{value!r} is not an absolute address; write it in full, "
                         "https://...").format(value=value))
    return value


def read_actuals(value: Any, m: Measure) -> tuple[tuple[str, str], ...]:
    """``id=value; id=value``, or a bare number when the measure has one indicator."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = text_of(value)
    t = str(value).strip()
    ids = [i.id for i in m.indicators]
    if not ids:
        raise ValueError(_("this measure has no indicators: leave the cell empty (an indicator "
                           "is added to the document by hand)"))
    if "=" not in t:
        if len(ids) != 1:
            raise ValueError(
                ngettext("write INDICATOR=VALUE (this measure has {n} indicators: {ids})",
                         "write INDICATOR=VALUE (this measure has {n} indicators: {ids})",
                         len(ids)).format(
                    n=len(ids), ids=", ".join(ids) or _("none"))
            )
        t = "{id}={value}".format(id=ids[0], value=t)
    out = []
    for part in re.split(r"[;\n]", t):
        if not part.strip():
            continue
        ind, _sep, number = part.partition("=")
        ind, number = ind.strip(), number.strip().replace(" ", "").replace("\u00a0", "")
        if ind not in ids:
            raise ValueError(_("no indicator {id!r} in this measure (it has: {ids})").format(
                id=ind, ids=", ".join(ids) or _("none")))
        try:
            edit.parse_number(number)
        except edit.EditError:
            raise ValueError(_("{value!r} is not a number (write it like 4200 or 12.5)").format(
                value=number)) from None
        out.append((ind, number))
    return tuple(out)


def _update(plan: RowPlan, cells: Mapping[str, Cell], rm: Roadmap, m: Measure,
            on: date | None) -> edit.Update | None:
    values: dict[str, Any] = {}

    def get(key: str) -> Cell | None:
        c = cells.get(key)
        return c if c is not None and text_of(c.value) else None

    def problem(key: str, message: str, rule: str) -> None:
        plan.problems.append(SheetProblem(plan.file, cells[key].where, message, rule))

    if (c := get("status")) is not None:
        status = read_status(text_of(c.value))
        if status is None:
            problem("status", _("{value!r} is not a status; choose one of: {words}").format(
                value=text_of(c.value), words=", ".join(status_words("ru") + status_words("en"))),
                "apply-status")
        else:
            values["status"] = status
    if (c := get("progress")) is not None:
        try:
            values["progress"] = read_progress(c)
        except ValueError as e:
            problem("progress", _("progress: {reason}").format(reason=e), "apply-progress")
    if (c := get("completed")) is not None:
        try:
            values["completed"] = read_date(c.value)
        except ValueError as e:
            problem("completed", _("completion date: {reason}").format(reason=e), "apply-date")
        else:
            today = date.today()
            if values["completed"] > today:  # (as update refuses --completed after today)
                problem("completed", _("completion date: {when} is after today ({today}): the "
                                       "date records what has happened; check the year").format(
                    when=i18n.day(values.pop("completed")), today=i18n.day(today)), "apply-date")
    if (c := get("reason")) is not None:
        values["reason"] = text_of(c.value)
    title, url = get("evidence_title"), get("evidence_url")
    if url is not None:
        try:
            values["url"] = read_url(text_of(url.value))
        except ValueError as e:
            problem("evidence_url", _("evidence URL: {reason}").format(reason=e), "apply-url")
        if title is None:
            problem("evidence_title", _("the evidence URL needs a title here (what the document "
                    "is)"), "apply-evidence")
    if title is not None:
        values["evidence"] = text_of(title.value)
    if (c := get("reported")) is not None:
        values["reported"] = tuple(p.strip() for p in re.split(r"[;,\s]+", text_of(c.value))
                                   if p.strip())
    if (c := get("actual")) is not None:
        try:
            values["actuals"] = read_actuals(c.value, m)
        except ValueError as e:
            problem("actual", _("indicator values: {reason}").format(reason=e), "apply-actual")
    if plan.problems:
        return None
    _imply_status(plan, cells, m, values)
    if plan.problems:
        return None
    fields = {k: v for k, v in values.items() if k in edit.Update.__dataclass_fields__}
    if not fields:
        return None  # only a comment: nothing to write
    return edit.Update(on=on, **fields)


def _imply_status(plan: RowPlan, cells: Mapping[str, Cell], m: Measure,
                  values: dict[str, Any]) -> None:
    """A progress figure means in progress, a completion date means done (when no new status is
    given); what goes with a status is checked here, in the workbook's words."""
    # the workbook's words for the statuses, in the language of the messages
    words = {s: w for s, w in zip(STATUS_WORDS_EN, status_words(i18n.current()), strict=True)}
    current = str(m.status)
    if "status" not in values:
        if "completed" in values and current != "done":
            values["status"] = "done"
        elif "progress" in values and current != "in_progress":
            values["status"] = "in_progress"
    new = values.get("status", current)

    def problem(key: str, message: str, rule: str) -> None:
        plan.problems.append(SheetProblem(plan.file, cells[key].where, message, rule))

    if "progress" in values and new != "in_progress":
        problem("progress", _("progress is for measures in progress (the new status is "
                "{status})").format(status=words[new]), "apply-progress")
    if "completed" in values and new != "done":
        problem("completed", _("a completion date is for done measures (the new status is "
                "{status})").format(status=words[new]), "apply-date")
    if "reason" in values and new not in ("blocked", "cancelled"):
        problem("reason", _("a reason is for blocked or cancelled measures (the new status is "
                "{status})").format(status=words[new]), "apply-reason")
    if new in ("blocked", "cancelled") and new != current and "reason" not in values:
        problem("status" if "status" in cells else "reason",
                _("a {status} measure needs a reason: say why in the reason column").format(
                    status=words[new]), "apply-reason")


#: the options of ``roadmap update`` an edit's message may name, as the workbook's columns are
#: called (translated when shown: the message is in the language of the run)
_OPTIONS = {"--reported": N_("reported period"), "--actual": N_("indicator values"),
            "--status": N_("status"), "--progress": N_("progress"),
            "--completed": N_("completion date"), "--reason": N_("reason"),
            "--evidence": N_("evidence"), "--url": N_("evidence URL"), "--due": N_("deadline")}


def for_people(message: str) -> str:
    """An :class:`edit.EditError` message with the command's option names as column names, in
    the interface language (the message itself is already in it)."""
    for option, words in _OPTIONS.items():
        message = message.replace(option, _(words))
    return message


def where_of(plan: RowPlan, keys: Sequence[str] = ("status", "reported", "actual", "progress",
                                                   "completed", "reason", "evidence_title",
                                                   "evidence_url")) -> str:
    """The first filled answer cell among ``keys`` (else the measure cell), for an edit's
    refusal."""
    for key in keys:
        c = plan.cells.get(key)
        if c is not None and text_of(c.value):
            return c.where
    return plan.where
