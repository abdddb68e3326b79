"""Build Word .docx files for the import tests with python-docx, as Word writes them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HEADER_RU = ["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственные исполнители",
             "Ожидаемый результат"]
HEADER_EN = ["No.", "Measure", "Deadline", "Responsible agencies", "Expected result"]

#: a row: a list of cell texts (one per column), or ("section", text) for a row spanning the table
Row = Sequence[str] | tuple[str, str]


def build(
    path: Path,
    rows: Sequence[Row],
    *,
    header: Sequence[str] = HEADER_RU,
    before: Sequence[str] = ("ДОРОЖНАЯ КАРТА", "по развитию промышленной кооперации на 2026–2028 годы"),
    after: Sequence[str] = ("Совершено в г. Астана 5 ноября 2025 года в двух подлинных экземплярах.",),
    merge_down: Sequence[tuple[int, int, int]] = (),
    tables_before: int = 0,
) -> Path:
    """A document: paragraphs, a table (header + rows), paragraphs. ``merge_down`` holds
    (first row, last row, column) of vertical merges, rows counted in the table from 1 (header = 1),
    columns from 0; the merged cells' own text is dropped, as Word does."""
    d = docx.Document()
    for i in range(tables_before):
        t = d.add_table(rows=1, cols=2)
        t.cell(0, 0).text = "Утверждено"
        t.cell(0, 1).text = "Протокол {n}".format(n=i + 1)
    for text in before:
        d.add_paragraph(text)
    table = d.add_table(rows=1 + len(rows), cols=len(header))
    for j, text in enumerate(header):
        table.cell(0, j).text = text
    for i, row in enumerate(rows, start=1):
        if len(row) == 2 and row[0] == "section":
            merged = table.cell(i, 0).merge(table.cell(i, len(header) - 1))
            merged.text = row[1]
            continue
        for j, text in enumerate(row):
            set_text(table.cell(i, j), text)
    for first, last, column in merge_down:
        keep = table.cell(first - 1, column).text
        cell = table.cell(first - 1, column).merge(table.cell(last - 1, column))
        cell.text = keep
    for text in after:
        d.add_paragraph(text)
    d.save(str(path))
    return path


def set_text(cell: Any, text: str) -> None:
    """Cell text with each line its own paragraph (as typed with Enter in Word)."""
    lines = text.split("\n")
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def line_break(cell: Any, first: str, second: str) -> None:
    """Two lines in one paragraph, split by a manual line break (Shift+Enter)."""
    cell.text = ""
    run = cell.paragraphs[0].add_run(first)
    run.add_break()
    cell.paragraphs[0].add_run(second)




def tracked_insertion(cell: Any, text: str) -> None:
    """Text added with Track Changes on (a w:ins around the run)."""
    p = cell.paragraphs[0]._p
    ins = OxmlElement("w:ins")
    ins.set(qn("w:id"), "1")
    ins.set(qn("w:author"), "reviewer")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    r.append(t)
    ins.append(r)
    p.append(ins)


def build_big(path: Path, n: int, header: Sequence[str] = HEADER_RU[:4], extra: int = 0) -> Path:
    """A document with an ``n``-row table, its XML written directly (python-docx's cell access
    is quadratic in the rows, and a test should not wait for it)."""
    import zipfile
    from xml.sax.saxutils import escape

    small = path.with_suffix(".small.docx")
    build(small, [["1", "x", "2027", "x"]], header=header)

    def row(cells: Sequence[str]) -> str:
        return "<w:tr>" + "".join(
            "<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>".format(t=escape(c)) for c in cells
        ) + "</w:tr>"

    quarters = ["I", "II", "III", "IV"]
    more = ["Колонка {k}".format(k=k) for k in range(extra)]
    body = [row([*header, *more])] + [
        row([str(i), "Мероприятие {i}".format(i=i), "{q} квартал {y} г.".format(q=quarters[i % 4], y=2026 + i % 3),
             "МИИР РК\nМинпром" if i % 2 else "Минпром", *(["x"] * extra)])
        for i in range(1, n + 1)
    ]
    with zipfile.ZipFile(small) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    document = parts["word/document.xml"].decode("utf-8")
    start, end = document.index("<w:tbl>"), document.index("</w:tbl>") + len("</w:tbl>")
    grid = document[document.index("<w:tblPr>", start) : document.index("<w:tr", start)]
    document = document[:start] + "<w:tbl>" + grid + "".join(body) + "</w:tbl>" + document[end:]
    parts["word/document.xml"] = document.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    small.unlink()
    return path
