"""Read a Word .docx into plain tables of text: the only module that imports python-docx.

A .docx is a zip of XML parts. Before python-docx opens one, the zip's directory is checked
against the limits below (a zip bomb declares its sizes there, and Python's zip reader never
inflates a part past its declared size), so a hostile file costs a bounded read. Then the body is
walked in order: paragraphs (their text is kept for the document's title and signature clause)
and tables. Each table becomes a :class:`Table` of :class:`Cell` on the table's grid: a cell
spanning columns (``gridSpan``) is one cell with its ``span``; a cell merged with the one above
(``vMerge``) reads as that cell's text, as a person reads it, with ``merged_from`` naming the row
it continues. Nothing else here knows what a roadmap is.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from typing import Any

from roadmap_cli.i18n import _, os_reason

#: the largest .docx read (a signed roadmap of 200 rows is about 100 kB)
MAX_DOCX_BYTES = 20 * 1024 * 1024
#: the most parts (files) in the .docx zip
MAX_PARTS = 2000
#: the most bytes all parts may unpack to, as the zip declares them (python-docx holds them all)
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
#: the most bytes one XML part may unpack to: lxml parses a part whole (a 20 MB document.xml of
#: 70,000 rows took 5 s and 275 MB); 10,000 richly formatted rows are about 30 MB
MAX_XML_PART_BYTES = 32 * 1024 * 1024
#: the most rows read from one table
MAX_ROWS = 10_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class DocxError(Exception):
    """The file cannot be read as a Word .docx; the message says why, for people."""


@dataclass(frozen=True)
class Cell:
    text: str
    column: int  # 1-based first grid column
    span: int = 1  # grid columns covered
    merged_from: int | None = None  # 1-based row whose cell this one continues (vertical merge)


@dataclass(frozen=True)
class Table:
    number: int  # 1-based, in document order (top-level tables only)
    rows: tuple[tuple[Cell, ...], ...]
    width: int  # grid columns
    before: tuple[str, ...] = ()  # text of the paragraphs between the previous table and this one
    after: tuple[str, ...] = ()  # text of the paragraphs after this table, up to the next one
    truncated: int = 0  # rows past MAX_ROWS, not read


@dataclass(frozen=True)
class Document:
    tables: tuple[Table, ...]
    paragraphs: tuple[str, ...]  # every top-level paragraph's text, in order


def check_package(path: str) -> None:
    """Refuse what is not a .docx, or would unpack past the limits, before anything inflates."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as e:
        raise DocxError(_("cannot be read: {reason}").format(reason=os_reason(e))) from None
    if head == _OLE2:
        raise DocxError(
            _("is a Word 97-2003 .doc file or a password-protected .docx (both are stored the same "
            "way), which cannot be read: open it in Word and save it as .docx without a password"))
    if not head.startswith(b"PK"):
        raise DocxError(_("is not a Word .docx file (a .docx is a zip archive; this one is not)"))
    if size > MAX_DOCX_BYTES:
        raise DocxError(
            _("is {size:,} bytes; at most {limit:,} are read (see docs/limits.md)").format(
                size=size, limit=MAX_DOCX_BYTES
            )
        )
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise DocxError(_("is a damaged .docx (its zip archive cannot be read: {reason})").format(reason=e)) from None
    if len(infos) > MAX_PARTS:
        raise DocxError(
            _("holds {n:,} parts; a .docx has a few dozen and at most {limit:,} are read").format(
                n=len(infos), limit=MAX_PARTS
            )
        )
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise DocxError(
            _("would unpack to {size:,} bytes; at most {limit:,} are read (see docs/limits.md)").format(
                size=unpacked, limit=MAX_UNPACKED_BYTES
            )
        )
    for info in infos:
        if info.filename.endswith((".xml", ".rels")) and info.file_size > MAX_XML_PART_BYTES:
            raise DocxError(
                _("has a part ({name}) that would unpack to {size:,} bytes; at most {limit:,} are "
                "read (see docs/limits.md)").format(
                    name=info.filename[:100], size=info.file_size, limit=MAX_XML_PART_BYTES
                )
            )
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        raise DocxError(_("is a zip archive but not a Word .docx (it has no [Content_Types].xml)"))


def read(path: str) -> Document:
    """The tables and paragraphs of the .docx at ``path``; :class:`DocxError` when it cannot."""
    check_package(path)
    import docx  # python-docx: imported only here, and only when a .docx is read

    try:
        document = docx.Document(path)
        body = document.element.body
    except Exception as e:  # a hostile file may make the library fail anywhere
        raise DocxError(_library_reason(e)) from None
    return walk(body)


def _library_reason(e: Exception) -> str:
    text = str(e).strip().splitlines()
    reason = text[0][:200] if text else type(e).__name__
    if "content type" in reason and "is not a Word file" in reason:
        return _("is not a Word document ({reason}); save it from Word as .docx").format(reason=reason)
    return _("cannot be read as a Word .docx: {reason}").format(reason=reason)


def walk(body: Any) -> Document:
    """The tables and paragraphs of a document body (an lxml ``w:body`` element), in order."""
    tables: list[Table] = []
    paragraphs: list[str] = []
    pending: list[str] = []
    for child in body.iterchildren():
        if child.tag == _W + "p":
            text = paragraph_text(child)
            paragraphs.append(text)
            if text.strip():
                pending.append(text)
        elif child.tag == _W + "tbl":
            if tables:
                tables[-1] = _with_after(tables[-1], pending)
            tables.append(_table(child, len(tables) + 1, tuple(pending)))
            pending = []
        elif child.tag == _W + "sdt":  # a content control around body paragraphs
            for p in child.iter(_W + "p"):
                text = paragraph_text(p)
                paragraphs.append(text)
                if text.strip():
                    pending.append(text)
    if tables:
        tables[-1] = _with_after(tables[-1], pending)
    return Document(tuple(tables), tuple(paragraphs))


def _with_after(table: Table, after: list[str]) -> Table:
    return Table(table.number, table.rows, table.width, table.before, tuple(after), table.truncated)


def paragraph_text(p: Any) -> str:
    """A paragraph's text as Word shows it: tracked insertions in, deletions out, breaks as lines."""
    out: list[str] = []
    for el in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr", _W + "noBreakHyphen"):
        tag = el.tag
        if tag == _W + "t":
            out.append(el.text or "")
        elif tag == _W + "tab":
            out.append("\t")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        else:
            out.append("\n")
    return "".join(out)


def _cell_text(tc: Any) -> str:
    lines: list[str] = []
    for child in tc.iterchildren():
        if child.tag == _W + "p":
            lines.append(paragraph_text(child))
        elif child.tag == _W + "sdt":
            lines.extend(paragraph_text(p) for p in child.iter(_W + "p"))
    return "\n".join(lines).strip()


def _int_attr(el: Any, name: str, default: int) -> int:
    if el is None:
        return default
    try:
        value = int(el.get(_W + name, default))
    except (TypeError, ValueError):
        return default
    return value if 0 <= value <= 1000 else default


def _table(tbl: Any, number: int, before: tuple[str, ...]) -> Table:
    rows: list[tuple[Cell, ...]] = []
    #: grid column -> (row number, text) of the cell that a vertical merge continues
    above: dict[int, tuple[int, str]] = {}
    width = 0
    truncated = 0
    for tr in tbl.iterchildren(_W + "tr"):
        if len(rows) >= MAX_ROWS:
            truncated += 1
            continue
        row_number = len(rows) + 1
        column = 1 + _int_attr(tr.find(f"{_W}trPr/{_W}gridBefore"), "val", 0)
        cells: list[Cell] = []
        for tc in tr.iterchildren(_W + "tc"):
            props = tc.find(_W + "tcPr")
            span = max(1, _int_attr(None if props is None else props.find(_W + "gridSpan"), "val", 1))
            vmerge = None if props is None else props.find(_W + "vMerge")
            text = _cell_text(tc)
            merged_from = None
            if vmerge is not None and vmerge.get(_W + "val", "continue") == "continue" and column in above:
                merged_from, text = above[column]
            else:
                above[column] = (row_number, text)
            cells.append(Cell(text, column, span, merged_from))
            column += span
        width = max(width, column - 1)
        rows.append(tuple(cells))
    return Table(number, tuple(rows), width, before, (), truncated)
