"""Pure: which table of a document holds the measures, and what each of its columns is.

A column's role comes from its header words, Russian or English, in any order
(``docs/import.md`` lists them); the table is the first whose header (in its first rows) names a
measure column and a deadline column, or the one asked for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from roadmap_cli.docx_read import Cell, Table
from roadmap_cli.i18n import _

#: header words of each column role, checked in this order (the first role that matches wins)
ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("co_executors", ("соисполнител", "co-executor", "coexecutor", "co-implementer")),
    ("due", ("срок", "период", "deadline", "due date", "due", "timeline", "time frame", "timeframe",
             "timing", "term", "period", "дата", "date")),
    ("owners", ("ответствен", "исполнител", "responsible", "executor", "implementing", "agenc")),
    ("result", ("результат", "форма завершения", "result", "outcome", "deliverable", "form of completion")),
    ("notes", ("примечани", "note", "comment", "remark")),
    ("title", ("наименование", "мероприяти", "содержание", "measure", "action", "activit", "task",
               "description")),
)
#: each role's words, matched at the start of a word ("due" is no part of "procedure")
_ROLE_PATTERNS = tuple(
    (role, re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + ")")) for role, words in ROLES
)
_NUMBER_HEADERS = frozenset({"№", "№ п/п", "№п/п", "n п/п", "п/п", "no", "no.", "#", "item", "номер", "nr"})
#: how many rows from the top of a table may hold its header
HEADER_ROWS = 5


class TableError(Exception):
    """No table of measures can be read; ``usage`` when the user asked for one that is not there."""

    def __init__(self, message: str, usage: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage


@dataclass(frozen=True)
class Header:
    row: int  # 1-based row of the header
    columns: Mapping[str, int]  # role -> grid column
    extra: Mapping[int, str]  # grid column -> header text, for columns of no role (or a second of one)


def flat(text: str) -> str:
    """Text on one line, single spaces, "ё" as "е" (headers and rows are compared so)."""
    return " ".join(text.replace("ё", "е").split())


def role_of(header: str) -> str | None:
    """The role of a column from its header text, or None."""
    h = flat(header).lower()
    if not h:
        return None
    if h in _NUMBER_HEADERS or h.startswith("№") or h.startswith("no."):
        return "number"
    for role, words in _ROLE_PATTERNS:
        if words.search(h):
            return role
    return None


def _columns(row: Sequence[Cell]) -> tuple[dict[str, int], dict[int, str]]:
    roles: dict[str, int] = {}
    extra: dict[int, str] = {}
    for cell in row:
        role = role_of(cell.text)
        if role is not None and role not in roles:
            roles[role] = cell.column
        elif cell.text.strip():
            extra[cell.column] = flat(cell.text)
    return roles, extra


def find_header(table: Table) -> Header | None:
    """The first of the top rows that names a measure column and a deadline column."""
    for i, row in enumerate(table.rows[:HEADER_ROWS]):
        roles, extra = _columns(row)
        if "title" in roles and "due" in roles:
            return Header(i + 1, roles, extra)
    return None


def choose_table(tables: Sequence[Table], number: int | None) -> tuple[Table, Header]:
    """``--table N``, or the first table whose header names a measure and a deadline column."""
    if not tables:
        raise TableError(_("the document has no table"))
    if number is not None:
        if not 1 <= number <= len(tables):
            raise TableError(
                _("--table {n}: the document has {count} table(s)").format(n=number, count=len(tables)),
                usage=True,
            )
        table = tables[number - 1]
        header = find_header(table)
        if header is None:
            raise TableError(_no_header(table))
        return table, header
    for table in tables:
        header = find_header(table)
        if header is not None:
            return table, header
    raise TableError(_no_header(tables[0]) + (
        _(" (nor has any of the other {n} tables)").format(n=len(tables) - 1) if len(tables) > 1 else ""
    ))


def other_tables_of_measures(tables: Sequence[Table], chosen: Table) -> list[int]:
    """The numbers of the other tables that look like tables of measures: their header names a
    measure and a deadline column, or they follow the chosen one with as many columns (a table
    that Word split, or one table per section). Only the chosen table is read."""
    return [
        t.number for t in tables
        if t.number != chosen.number and t.rows
        and (find_header(t) is not None or (t.number > chosen.number and t.width == chosen.width))
    ]


def _no_header(table: Table) -> str:
    for row in table.rows[:HEADER_ROWS]:
        roles, _extra = _columns(row)
        if "title" in roles:
            words = " | ".join(flat(c.text) for c in row)
            return _("table {n} has no deadline column (its header reads: {words})").format(
                n=table.number, words=words[:300]
            )
    first = " | ".join(flat(c.text) for c in table.rows[0])[:300] if table.rows else ""
    return _(
        "table {n} has no header naming a measure column and a deadline column "
        "(\"Наименование мероприятия\", \"Срок исполнения\"); its first row reads: {first}"
    ).format(n=table.number, first=first or "(empty)")
