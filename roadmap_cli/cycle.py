"""The reporting cycle's rows: what a request workbook holds for an agency. Pure: model + as-of
date -> plain rows; no files, no openpyxl, no click.

A request row carries what is known about one measure (locked columns), empty columns for the
agency's answer, and three hidden columns that tie the answer to the request: the agency it
was made for, the as-of date, and the measure's :func:`fingerprint` at that time. The stable
machine keys (:data:`COLUMNS`' ``key``) name the columns, whatever their headers say.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from roadmap_cli import schedule
from roadmap_cli.cycle_text import status_word, text
from roadmap_cli.i18n import NC_
from roadmap_cli.model import Agency, Measure, Roadmap, pick, unbuilt_measures
from roadmap_cli.some_measures import RawReader


@dataclass(frozen=True)
class Column:
    """One column of the sheet ``measures``: its machine key, its header (a msgid of
    the context ``workbook``, translated by :func:`roadmap_cli.cycle_text.text`), whether it is known (locked) or to fill, hidden, and its
    width in characters."""

    key: str
    header: str
    locked: bool
    width: int
    hidden: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("roadmap", NC_("workbook", "Document"), True, 22),
    Column("measure", NC_("workbook", "Measure"), True, 10),
    Column("title", NC_("workbook", "Title"), True, 50),
    Column("deadline", NC_("workbook", "Deadline"), True, 12),
    Column("status_now", NC_("workbook", "Status"), True, 14),
    Column("progress_now", NC_("workbook", "Progress, %"), True, 10),
    Column("last_report", NC_("workbook", "Last report"), True, 30),
    Column("status", NC_("workbook", "New status"), False, 16),
    Column("progress", NC_("workbook", "Progress (0-100)"), False, 12),
    Column("completed", NC_("workbook", "Completion date"), False, 14),
    Column("reason", NC_("workbook", "Reason (blocked, cancelled)"), False, 30),
    Column("evidence_title", NC_("workbook", "Evidence: title"), False, 30),
    Column("evidence_url", NC_("workbook", "Evidence: URL"), False, 30),
    Column("reported", NC_("workbook", "Reported period"), False, 12),
    Column("actual", NC_("workbook", "Indicator values"), False, 24),
    Column("comment", NC_("workbook", "Comment"), False, 30),
    Column("agency", NC_("workbook", "Agency"), True, 16, hidden=True),
    Column("as_of", NC_("workbook", "As of"), True, 12, hidden=True),
    Column("fingerprint", NC_("workbook", "Fingerprint"), True, 18, hidden=True),
)

KEYS = tuple(c.key for c in COLUMNS)
BY_KEY = {c.key: c for c in COLUMNS}
#: the columns an agency fills in
ANSWER_KEYS = tuple(c.key for c in COLUMNS if not c.locked)
#: the columns that say what was known when the request was made (checked on apply)
KNOWN_KEYS = ("title", "deadline", "status_now", "progress_now", "last_report")
#: keys without which a sheet cannot be read at all
REQUIRED_KEYS = ("roadmap", "measure", "agency", "as_of", "fingerprint")

#: the header row, the hidden row of machine keys, then one row per measure
HEADER_ROW = 1
KEY_ROW = 2
FIRST_ROW = 3
SHEET = "measures"


@dataclass(frozen=True)
class SheetProblem:
    """A problem in a workbook or CSV file: ``FILE:WHERE: error: MESSAGE [rule]``."""

    file: str
    where: str | None  # "measures!D7", "7:4", or None for the whole file
    message: str
    rule: str
    severity: str = "error"

    def __str__(self) -> str:
        at = f"{self.file}:{self.where}" if self.where else self.file
        return f"{at}: {self.severity}: {self.message} [{self.rule}]"


@dataclass(frozen=True)
class Cell:
    """One cell read: its value (str, int, float, bool, datetime or None), where it is, and
    whether it is a percentage-formatted number."""

    value: Any
    where: str
    percent: bool = False


def fingerprint(entry: Mapping[str, Any]) -> str:
    """A short hash of a measure's entry as data (not as text: re-indenting or re-quoting the
    file does not change it; any changed value does)."""
    blob = _ENTRY_JSON.encode(entry)
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()[:16]


#: ``json.dumps(entry, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))``,
#: the encoder made once (``stale`` fingerprints 110,000 entries at 1,000 documents: a third of
#: each fingerprint was making the encoder)
_ENTRY_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


def is_open(measure: Measure, as_of: date) -> bool:
    return schedule.status_as_of(measure, as_of) not in schedule.CLOSED


def agency_measures(
    roadmaps: Iterable[Roadmap], agency: str, as_of: date
) -> list[tuple[Roadmap, Measure]]:
    """The measures ``agency`` leads or co-executes that are open as of ``as_of``, in document
    and file order. Of a document rebuilt from the cache, only the agency's measures are
    built (told from their stored fields: a tenth of a big repository's)."""
    return [
        (rm, m)
        for rm in roadmaps
        for m in _candidates(rm, agency)
        if (agency in m.owners or agency in m.co_executors) and is_open(m, as_of)
    ]


def _candidates(roadmap: Roadmap, agency: str) -> Sequence[Measure]:
    """The measures of ``roadmap`` that may be ``agency``'s, in file order: those it names, or
    all of them."""
    stored = unbuilt_measures(roadmap)
    found = stored.of_agency(agency) if stored is not None else None
    if stored is None or found is None:
        return roadmap.measures
    picked: list[Measure] = stored.pick(found)
    stored.let_go()  # (the picked measures stay; not the document's other decoded fields)
    return picked


def last_report(measure: Measure, as_of: date, lang: str) -> str:
    """The latest report or evidence dated on or before ``as_of``: ``DATE: WHAT`` (else "")."""
    entries: list[tuple[date, str]] = []
    for r in measure.reports:
        if r.date is not None and r.date <= as_of:
            entries.append((r.date, str(r.period)))
    for e in measure.evidence:
        if e.date is not None and e.date <= as_of:
            entries.append((e.date, pick(e.title, lang)))
    if not entries:
        return ""
    when, what = max(entries, key=lambda e: e[0])
    return "{date}: {what}".format(date=when.isoformat(), what=what)


def next_deadline(measure: Measure, roadmap: Roadmap, as_of: date) -> date | None:
    """The deadline the agency works to: for a recurring measure the first unreported
    occurrence's, else the measure's (None when ongoing)."""
    if measure.due.recurring:
        for o in schedule.occurrences(measure, roadmap, as_of):
            if not o.reported:
                return o.deadline
    return schedule.deadline(measure, roadmap)


def known(roadmap: Roadmap, measure: Measure, as_of: date, lang: str) -> dict[str, Any]:
    """The known (locked) cells of a measure's row as of ``as_of``, as typed values: the
    deadline a date, progress an int (None when not given), the rest text."""
    status = schedule.status_as_of(measure, as_of)
    return {
        "title": pick(measure.title, lang),
        "deadline": next_deadline(measure, roadmap, as_of),
        "status_now": status_word(str(status), lang),
        "progress_now": measure.progress if status == "in_progress" else None,
        "last_report": last_report(measure, as_of, lang),
    }


def request_rows(
    roadmaps: Iterable[Roadmap], agency: str, as_of: date, lang: str
) -> list[dict[str, Any]]:
    """One row per open measure of ``agency`` (keys: :data:`KEYS`; the answer columns None)."""
    rows = []
    reader = RawReader()  # the documents' data as written, one at a time
    for rm, m in agency_measures(roadmaps, agency, as_of):
        row: dict[str, Any] = dict.fromkeys(KEYS)
        row.update(roadmap=rm.id, measure=m.id, agency=agency, as_of=as_of.isoformat(),
                   fingerprint=fingerprint(reader.raw(m)))
        row.update(known(rm, m, as_of, lang))
        rows.append(row)
    return rows


def headers(lang: str) -> list[str]:
    return [text(c.header, lang) for c in COLUMNS]


def agency_name(agencies: Mapping[str, Agency], agency: str, lang: str) -> str:
    a = agencies.get(agency)
    return pick(a.name, lang) if a is not None else agency


def file_stem(agency: str, as_of: date) -> str:
    """The file name (without suffix) of an agency's request: ``request-AGENCY-DATE``."""
    return "request-{agency}-{date}".format(agency=agency, date=as_of.isoformat())


def csv_cell(value: Any) -> str:
    """A cell as CSV text: dates ISO, nothing empty."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text[:1] in FORMULA_STARTS:
        return "'" + text  # a spreadsheet program would run it as a formula
    return text


#: what makes a spreadsheet program read a CSV field as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_rows(rows: Sequence[Mapping[str, Any]], lang: str) -> list[list[str]]:
    """The CSV form: the header row, the machine keys, then the rows (as the sheet has them)."""
    return [headers(lang), list(KEYS), *([csv_cell(r.get(k)) for k in KEYS] for r in rows)]
