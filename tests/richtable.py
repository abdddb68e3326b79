"""The reference for :mod:`roadmap_cli.tabledraw`: a table drawn by rich's ``Table``, as
``roadmap_cli.table.print_table`` drew every table before the drawer (same box, padding,
widths and console). Tests only: the program draws with the drawer."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from roadmap_cli import table as tbl
from roadmap_cli import tablecells
from roadmap_cli.i18n import _
from roadmap_cli.render import EMPTY, Column


def styled_text(cell: tuple[str, str, tuple[tuple[int, int, str], ...]]) -> Text:
    """A drawer's cell as the rich Text it was before."""
    plain, style, spans = cell
    text = Text(plain, style=style)
    for start, end, span_style in spans:
        text.stylize(span_style, start, end)
    return text


def grid_table(
    headers: Sequence[str],
    cells: Sequence[Sequence[str]],
    widths: Sequence[int],
    justify: Sequence[str],
    wrap: Sequence[bool],
    *,
    leading: bool,
) -> Table:
    """rich's Table of fixed ``widths`` over plain ``cells`` (rows of columns)."""
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        expand=False,
        collapse_padding=True,
        leading=1 if leading else 0,
    )
    for header, width, how, wraps in zip(headers, widths, justify, wrap, strict=True):
        table.add_column(
            Text(header, no_wrap=False, overflow="fold"),
            justify=how,  # type: ignore[arg-type]
            width=width,
            no_wrap=not wraps,
            overflow="fold",
        )
    for row in cells:
        table.add_row(*(Text(cell) for cell in row))
    return table


def draw(table: Table, width: int, encoding: str = "utf-8") -> str:
    """The text rich draws ``table`` as, off a terminal, at least ``width`` wide."""
    out = _Stream(encoding)
    console = tbl.table_console(out, width)
    needed = sum(c.width or 0 for c in table.columns) + tbl.GAP * (len(table.columns) - 1)
    if needed > console.width:
        console.width = needed
    console.print(table)
    return out.getvalue()


class _Stream(io.StringIO):
    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


def print_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    empty: str = EMPTY,
    footer: str | None = None,
    width: int | None = None,
    encoding: str = "utf-8",
) -> str:
    """What ``print_table`` wrote off a terminal when rich's Table drew it (the old code, with
    the cells of today's builders)."""
    out = _Stream(encoding)
    console = tbl.table_console(out, width)
    if title:
        console.print(Text(title, style="bold"))
    if not rows:
        console.print(Text(_(empty), style="dim"))
        if footer:
            console.print(Text(footer, style="dim"))
        return out.getvalue()
    headers = [_(c.header) for c in columns]
    cells = [[styled_text(tablecells.cell_styled(c, row)) for c in columns] for row in rows]
    needs = [
        tbl.column_need(c, h, [row[i].plain for row in cells])[0]
        for i, (c, h) in enumerate(zip(columns, headers, strict=True))
    ]
    kept, dropped, full = tbl.fit_columns(columns, needs, console.width)
    texts = [[row[i].plain for row in cells] for i in range(len(columns))]
    if dropped:  # (a stream, not a file)
        needs, kept, dropped = tbl.soft_fit(columns, headers, texts, needs, kept, dropped, console.width)
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        expand=False,
        collapse_padding=True,
        leading=1 if any(columns[i].kind == "lines" for i in kept) else 0,
    )
    widths = tbl.column_widths(columns, needs, kept, console.width)
    tbl._narrowed(columns, headers, texts, widths, kept, console.width)  # (a stream, not a file)
    for i in kept:
        c = columns[i]
        table.add_column(
            Text(headers[i], no_wrap=False, overflow="fold"),
            justify=c.justify,  # type: ignore[arg-type]
            width=widths[i],
            no_wrap=not tbl.wraps(c),
            overflow="fold",
        )
    for row, row_cells in zip(rows, cells, strict=True):
        table.add_row(*(
            styled_text(tablecells.cell_styled(columns[i], row, widths[i])) if columns[i].kind == "lines"
            else row_cells[i]
            for i in kept
        ))
    needed = sum(widths[i] for i in kept) + tbl.GAP * (len(kept) - 1)
    if needed > console.width:
        console.width = needed
    console.print(table)
    if dropped:
        console.print(Text(tbl.dropped_note(full, [headers[i] for i in dropped]), style="dim"))
    if footer:
        console.print(Text(footer, style="dim"))
    return out.getvalue()
