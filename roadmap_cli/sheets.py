"""Workbooks and CSV files of the reporting cycle: writing requests and exports, reading answers.
The only module that imports openpyxl.

Reading treats every file as hostile. Before openpyxl sees a byte, the file's size, the zip's
member count and every member's uncompressed size are checked against :data:`LIMITS` (a zip
member cannot inflate past the size its header declares: Python's zip reader stops there), a
macro project or an external-link part is refused, and openpyxl must be parsing XML through
defusedxml. The sheet is read in read-only (streaming) mode, at most :data:`MAX_ROWS` rows and
:data:`MAX_COLUMNS` columns, so a sheet of a million rows costs no more than the first few
thousand. Every problem is a :class:`SheetProblem` located at the file, the sheet and the cell
(``FILE.xlsx:measures!D7``) or, in a CSV file, the line and column (``FILE.csv:7:4``); nothing
raises out of :func:`read_table`.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import zipfile
from collections.abc import Mapping, Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from roadmap_cli import cycle
from roadmap_cli.cycle import Cell, SheetProblem
from roadmap_cli.cycle_text import INSTRUCTIONS_SHEET, status_words, text
from roadmap_cli.i18n import NC_, _, os_reason

#: the largest workbook or CSV file read, in bytes
MAX_FILE_BYTES = 20 * 1024 * 1024
#: the most members a workbook's zip may hold
MAX_MEMBERS = 2_000
#: the most bytes all members of a workbook may hold uncompressed, together
MAX_UNCOMPRESSED = 200 * 1024 * 1024
#: the most rows of answers read from one sheet or CSV file (after the header rows)
MAX_ROWS = 10_000
#: the columns read from a sheet (the request has 19)
MAX_COLUMNS = 64
#: the largest CSV field, in characters
MAX_FIELD = 100_000

LIMITS = {
    "file_bytes": MAX_FILE_BYTES,
    "zip_members": MAX_MEMBERS,
    "uncompressed_bytes": MAX_UNCOMPRESSED,
    "rows": MAX_ROWS,
    "columns": MAX_COLUMNS,
    "csv_field": MAX_FIELD,
}

MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam", ".xlsb")
XLSX_SUFFIXES = (".xlsx", ".xltx")
CSV_SUFFIXES = (".csv", ".txt")


@dataclass
class Table:
    """The answer rows of one file, by machine key, and the problems found reading it."""

    file: str
    rows: list[dict[str, Cell]] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)
    #: where a key's column is, for messages about a whole column ("measures!H" / "8")
    columns: dict[str, str] = field(default_factory=dict)


# --- writing -------------------------------------------------------------------------------------


def _workbook() -> Any:
    from openpyxl import Workbook

    return Workbook()


def _save(wb: Any, when: date) -> bytes:
    stamp = datetime(when.year, when.month, when.day)
    wb.properties.creator = "roadmap-cli"
    wb.properties.created = stamp  # (openpyxl writes the time of saving as "modified")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def request_workbook(rows: Sequence[Mapping[str, Any]], lang: str, agency: str, as_of: date) -> bytes:
    """The request workbook for one agency: the sheet ``measures`` (:data:`cycle.COLUMNS`; a
    hidden row of machine keys under the headers; known columns locked and grey; a drop-down of
    statuses in ``lang``) and a sheet of instructions in ``lang``."""
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = _workbook()
    ws = wb.active
    ws.title = cycle.SHEET
    grey = PatternFill("solid", fgColor="E7E6E6")
    head = PatternFill("solid", fgColor="BDD7EE")
    date_format = "YYYY-MM-DD" if lang == "en" else "DD.MM.YYYY"
    for n, (col, header) in enumerate(zip(cycle.COLUMNS, cycle.headers(lang), strict=True), 1):
        letter = get_column_letter(n)
        c = ws.cell(row=cycle.HEADER_ROW, column=n, value=header)
        c.font = Font(bold=True)
        c.fill = head if not col.locked else grey
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=cycle.KEY_ROW, column=n, value=col.key)
        dim = ws.column_dimensions[letter]
        dim.width = col.width
        dim.hidden = col.hidden
        styled = None  # the column's first row, styled; the others copy its style
        for r, row in enumerate(rows, cycle.FIRST_ROW):
            cell = _put(ws, r, n, row.get(col.key))
            if styled is not None:
                # openpyxl's style of a cell is an array of indices into the workbook's styles;
                # copying it is what setting each style again would give, without looking each
                # one up again (a third of the time of a long request)
                cell._style = copy(styled._style)
                continue
            styled = cell
            if col.locked:
                cell.fill = grey
                cell.protection = Protection(locked=True)
            else:
                cell.protection = Protection(locked=False)
            if col.key in ("deadline", "completed"):
                cell.number_format = date_format
            if col.key in ("title", "last_report", "reason", "comment", "evidence_title"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[cycle.KEY_ROW].hidden = True
    ws.freeze_panes = ws.cell(row=cycle.FIRST_ROW, column=3)
    last = cycle.FIRST_ROW + max(len(rows), 1) - 1

    def column_range(key: str) -> str:
        letter = get_column_letter(cycle.KEYS.index(key) + 1)
        return f"{letter}{cycle.FIRST_ROW}:{letter}{last}"

    words = status_words(lang)
    statuses = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True)
    statuses.error = text(NC_("workbook", "New status: choose from the list: {statuses}."), lang).format(
        statuses=", ".join(words)
    )
    statuses.showErrorMessage = True
    statuses.add(column_range("status"))
    progress = DataValidation(type="whole", operator="between", formula1="0", formula2="100",
                              allow_blank=True)
    progress.showErrorMessage = True
    progress.add(column_range("progress"))
    ws.add_data_validation(statuses)
    ws.add_data_validation(progress)
    ws.protection.sheet = True  # no password: the locked columns guard mistakes, not secrets
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    guide = wb.create_sheet(text(INSTRUCTIONS_SHEET, lang))
    guide.column_dimensions["A"].width = 110
    from roadmap_cli.cycle_text import instructions

    for r, line in enumerate(instructions(lang, agency, as_of.isoformat()), 1):
        c = guide.cell(row=r, column=1, value=line)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if r == 1:
            c.font = Font(bold=True, size=14)
    return _save(wb, as_of)


def request_csv(rows: Sequence[Mapping[str, Any]], lang: str) -> bytes:
    """The CSV form of a request: UTF-8 with a byte-order mark (so spreadsheet programs read
    Cyrillic right), the header row, the machine keys, then the rows."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows(cycle.csv_rows(rows, lang))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


#: export columns whose ISO text becomes a date cell
_DATE_KEYS = frozenset({"deadline", "next_deadline", "completed", "last_changed"})


def rows_workbook(rows: Sequence[Mapping[str, Any]], sheet: str, when: date) -> bytes:
    """A flat list of rows (the keys of the first row as the header) as a workbook of typed
    cells: ISO dates as dates, numbers as numbers, lists joined with "; "; the header frozen
    and filtered, every column as wide as its longest value (up to 60 characters)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = _workbook()
    ws = wb.active
    ws.title = sheet
    keys = list(rows[0]) if rows else ["roadmap", "measure"]
    widths = [len(k) for k in keys]
    for n, key in enumerate(keys, 1):
        ws.cell(row=1, column=n, value=key).font = Font(bold=True)
    for r, row in enumerate(rows, 2):
        for n, key in enumerate(keys, 1):
            value = _typed(key, row.get(key))
            cell = _put(ws, r, n, value)
            if isinstance(value, date):
                cell.number_format = "YYYY-MM-DD"
                shown = 10
            elif isinstance(value, float):
                cell.number_format = "0.0"
                shown = len(f"{value:.1f}")
            else:
                shown = max((len(s) for s in str(value if value is not None else "").split("\n")),
                            default=0)
            widths[n - 1] = max(widths[n - 1], shown)
    for n, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(n)].width = min(60, width + 2)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{max(len(rows), 1) + 1}"
    return _save(wb, when)


def _typed(key: str, value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if key in _DATE_KEYS and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _put(ws: Any, row: int, column: int, value: Any) -> Any:
    """Set a cell; text is always text (a title starting with "=" is not a formula)."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


# --- reading -------------------------------------------------------------------------------------


def read_table(path: str) -> Table:
    """The answer rows of a filled request (xlsx or CSV), by machine key. Never raises for
    what is in the file; each problem is in ``Table.problems`` (with problems, ``rows`` may
    hold what could still be read)."""
    shown = path
    lower = path.lower()
    table = Table(shown)
    if lower.endswith(MACRO_SUFFIXES):
        table.problems.append(SheetProblem(
            shown, None, _("a macro workbook is refused; save it as an Excel workbook (.xlsx) "
            "without macros"), "workbook-macro"))
        return table
    data = _read_bytes(path, table)
    if data is None:
        return table
    if lower.endswith(CSV_SUFFIXES):
        _read_csv(data, table)
    elif lower.endswith(XLSX_SUFFIXES) or data[:4] == b"PK\x03\x04":
        _read_xlsx(data, table)
    else:
        table.problems.append(SheetProblem(
            shown, None, _("not a workbook (.xlsx) or a CSV file (.csv); save it as one of them"),
            "workbook-format"))
    return table


def _read_bytes(path: str, table: Table) -> bytes | None:
    def problem(message: str, rule: str = "workbook-unreadable") -> None:
        table.problems.append(SheetProblem(table.file, None, message, rule))

    try:
        # never blocks: a named pipe is opened without waiting for a writer, then refused
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                problem(_("not a regular file"))
                return None
            if st.st_size > MAX_FILE_BYTES:
                problem(_("the file is {size} bytes, more than the {limit} read (docs/limits.md)")
                        .format(size=st.st_size, limit=MAX_FILE_BYTES), "workbook-too-large")
                return None
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        problem(_("no such file"))
        return None
    except OSError as e:
        problem(_("cannot read the file: {reason}").format(reason=os_reason(e)))
        return None
    if len(data) > MAX_FILE_BYTES:  # grew while read
        problem(_("the file is larger than the {limit} bytes read (docs/limits.md)")
                .format(limit=MAX_FILE_BYTES), "workbook-too-large")
        return None
    return data


def _check_zip(data: bytes, table: Table) -> zipfile.ZipFile | None:
    def problem(message: str, rule: str) -> None:
        table.problems.append(SheetProblem(table.file, None, message, rule))

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        problem(_("not an Excel workbook (.xlsx is a zip file, and this is not one); save it "
                "as .xlsx or .csv"), "workbook-not-xlsx")
        return None
    if len(members) > MAX_MEMBERS:
        problem(_("the workbook holds {n} parts, more than the {limit} read (docs/limits.md)")
                .format(n=len(members), limit=MAX_MEMBERS), "workbook-too-large")
        return None
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        problem(_("the workbook unpacks to {size} bytes, more than the {limit} read "
                "(docs/limits.md)").format(size=total, limit=MAX_UNCOMPRESSED), "workbook-too-large")
        return None
    names = [m.filename for m in members]
    if "[Content_Types].xml" not in names:  # a zip, but no Office Open XML: .ods, .docx's kin
        problem(_("not a workbook (.xlsx) or a CSV file (.csv); save it as one of them"),
                "workbook-format")
        return None
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        problem(_("the workbook holds macros; save it as an Excel workbook (.xlsx) without "
                "macros"), "workbook-macro")
        return None
    if any(n.lower().startswith("xl/externallinks/") for n in names):
        problem(_("the workbook links to other files (external links); copy the values in "
                "and remove the links (Data > Edit Links > Break Link)"), "workbook-external-link")
        return None
    return archive


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+[0-9]+)(?::([A-Z]+[0-9]+))?\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _scan(archive: zipfile.ZipFile, member: str) -> tuple[tuple[str, str] | None, bool]:
    """(the first merged range, whether any cell has a formula) of a sheet's XML, read in
    chunks (its size is bounded, but need not be held at once)."""
    merged = None
    formula = False
    tail = b""
    with archive.open(member) as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            window = tail + chunk
            if merged is None:
                m = _MERGE.search(window)
                if m:
                    merged = (m.group(1).decode(), (m.group(2) or m.group(1)).decode())
            formula = formula or _FORMULA.search(window) is not None
            tail = window[-200:]
    return merged, formula


def _read_xlsx(data: bytes, table: Table) -> None:
    archive = _check_zip(data, table)
    if archive is None:
        return
    import openpyxl

    if openpyxl.DEFUSEDXML is not True:  # OPENPYXL_DEFUSEDXML=False in the environment
        table.problems.append(SheetProblem(
            table.file, None, _("refusing to read a workbook without defusedxml (unset "
            "OPENPYXL_DEFUSEDXML)"), "workbook-unsafe"))
        return
    try:
        _read_sheet(archive, data, table)
    except Exception as e:  # openpyxl's errors on a malformed workbook are of every kind
        lines = str(e).strip().splitlines()
        table.problems.append(SheetProblem(
            table.file, None, _("the workbook cannot be read: {name}: {reason}").format(
                name=type(e).__name__, reason=lines[0][:200] if lines else ""),
            "workbook-unreadable"))


def _read_sheet(archive: zipfile.ZipFile, data: bytes, table: Table) -> None:
    import openpyxl
    from openpyxl.utils import get_column_letter

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                  keep_links=False)
    try:
        if cycle.SHEET not in book.sheetnames:
            table.problems.append(SheetProblem(
                table.file, None, _("no sheet named {sheet!r} (the workbook has: {names}); it was "
                "renamed or deleted: name it {sheet!r} again, or ask for a new request").format(
                    sheet=cycle.SHEET, names=", ".join(repr(n) for n in book.sheetnames)),
                "workbook-no-sheet"))
            return
        ws = book[cycle.SHEET]
        merged, has_formulas = _scan(archive, ws._worksheet_path)
        if merged:
            table.problems.append(SheetProblem(
                table.file, "{sheet}!{first}".format(sheet=cycle.SHEET, first=merged[0]),
                _("merged cells ({first}:{last}); unmerge them (every answer needs its own "
                "cell)").format(first=merged[0], last=merged[1]), "workbook-merged"))
            return

        def where(r: int, n: int) -> str:
            return "{sheet}!{column}{row}".format(sheet=cycle.SHEET, column=get_column_letter(n),
                                                  row=r)

        def cell(c: Any, r: int, n: int) -> Cell:
            value = getattr(c, "value", None)
            fmt = getattr(c, "number_format", "") or ""
            return Cell(value, where(r, n), percent=isinstance(value, (int, float)) and "%" in fmt)

        head = [[cell(c, r, n) for n, c in enumerate(row, 1)]
                for r, row in enumerate(ws.iter_rows(min_row=1, max_row=3,
                                                     max_col=MAX_COLUMNS), 1)]
        found = _key_index(head, table, lambda n: "{sheet}!{column}".format(
            sheet=cycle.SHEET, column=get_column_letter(n)))
        if found is None:
            return
        key_row, index = found
        first = key_row + 2  # 1-based row after the keys
        last_col = max(index.values()) + 1
        formulas = _formula_cells(data, first, last_col) if has_formulas else set()
        rows = ws.iter_rows(min_row=first, max_row=first + MAX_ROWS, max_col=last_col)
        for r, row in enumerate(rows, first):
            if r >= first + MAX_ROWS:
                table.problems.append(_too_many(table.file, where(r, 1)))
                return
            cells = {k: cell(row[n], r, n + 1) if n < len(row) else Cell(None, where(r, n + 1))
                     for k, n in index.items()}
            for k, n in index.items():
                if (r, n + 1) in formulas and cells[k].value is None:
                    table.problems.append(SheetProblem(
                        table.file, cells[k].where, _("a formula without a computed value; type "
                        "the value itself"), "workbook-formula"))
            _add_row(table, cells)
    finally:
        book.close()


def _formula_cells(data: bytes, first: int, last_col: int) -> set[tuple[int, int]]:
    """(row, column) of the formula cells of the sheet (a second streaming pass)."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False,
                                keep_links=False)
    out = set()
    try:
        ws = wb[cycle.SHEET]
        rows = ws.iter_rows(min_row=first, max_row=first + MAX_ROWS, max_col=last_col)
        for r, row in enumerate(rows, first):
            for n, c in enumerate(row, 1):
                if getattr(c, "data_type", None) == "f":
                    out.add((r, n))
    finally:
        wb.close()
    return out


def _too_many(file: str, where: str | None) -> SheetProblem:
    return SheetProblem(file, where, _("more than {limit} rows; a request has one row per measure "
                        "(docs/limits.md)").format(limit=MAX_ROWS), "workbook-too-many-rows")


def _read_csv(data: bytes, table: Table) -> None:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            content = data.decode("cp1251")  # what Excel on a Russian Windows saves as "CSV"
        except UnicodeDecodeError:  # five bytes cp1251 leaves undefined: not text at all
            table.problems.append(SheetProblem(
                table.file, None, _("the file is not text in UTF-8 or Windows-1251; save it "
                "again as CSV (UTF-8)"), "workbook-unreadable"))
            return
    first = content.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD)
    try:
        head: list[list[Cell]] = []
        found = None
        count = 0
        for record in reader:
            r = reader.line_num
            row = [Cell(v, "{line}:{column}".format(line=r, column=n))
                   for n, v in enumerate(record[:MAX_COLUMNS], 1)]
            if found is None:
                head.append(row)
                if len(head) == 3 or _key_row(row):
                    found = _key_index(head, table, str)
                    if found is None:
                        return
                continue
            count += 1
            if count > MAX_ROWS:
                table.problems.append(_too_many(table.file, "{line}".format(line=r)))
                return
            _add_row(table, {k: row[n] if n < len(row) else
                             Cell(None, "{line}:{column}".format(line=r, column=n + 1))
                             for k, n in found[1].items()})
        if found is None:
            _key_index(head, table, str)
    except csv.Error as e:
        table.problems.append(SheetProblem(
            table.file, "{line}".format(line=reader.line_num),
            _("cannot read this line: {reason}").format(reason=e), "csv-unreadable"))
    finally:
        csv.field_size_limit(old_limit)


def _key_row(row: list[Cell]) -> bool:
    texts = {str(c.value).strip() for c in row if isinstance(c.value, str)}
    return {"roadmap", "measure"} <= texts


def _key_index(head: list[list[Cell]], table: Table,
               column: Any) -> tuple[int, dict[str, int]] | None:
    """The row of machine keys among the first three (0-based) and each key's column
    (0-based); None (with the problem noted) when it is missing or broken."""
    key_row = next((i for i, row in enumerate(head[:3]) if _key_row(row)), None)
    if key_row is None:
        table.problems.append(SheetProblem(
            table.file, None, _("the row of column keys (roadmap, measure, ..., fingerprint; "
            "hidden under the headers) is missing; answer in the workbook the request came "
            "in, or ask for a new one"), "workbook-keys"))
        return None
    index: dict[str, int] = {}
    for n, c in enumerate(head[key_row]):
        key = str(c.value).strip() if isinstance(c.value, str) else ""
        if key in cycle.BY_KEY:
            if key in index:
                table.problems.append(SheetProblem(
                    table.file, c.where, _("the column key {key!r} appears twice").format(key=key),
                    "workbook-keys"))
                return None
            index[key] = n
    missing = [k for k in cycle.REQUIRED_KEYS if k not in index]
    if missing:
        table.problems.append(SheetProblem(
            table.file, head[key_row][0].where if head[key_row] else None,
            _("the column(s) {keys} are missing (deleted?); answer in the workbook the request "
            "came in, or ask for a new one").format(keys=", ".join(missing)), "workbook-keys"))
        return None
    table.columns = {k: column(n + 1) for k, n in index.items()}
    return key_row, index


def _add_row(table: Table, cells: dict[str, Cell]) -> None:
    """Keep a row unless it is empty."""
    if not all(_blank(c.value) for c in cells.values()):
        table.rows.append(cells)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
