"""Terminal tables that never lie: every number, date and id whole, or its column left out and
said so in one line under the table. Used through :func:`roadmap_cli.render.print_table`.

Layout rule: each column says how narrow it may get (a figure, date or id: its widest cell; a
title or name: its longest word, or ``min_width`` for comfort). When the columns do not fit the
width, columns are left out in their ``drop`` order (1 first) and one line under the table says
which (:func:`fit_columns`); the widths are then fixed here (:func:`column_widths`), so rich
neither narrows a column below what its figures need nor cuts a line. Only titles and names
wrap, between words. Off a terminal: plain lines, no colour, no trailing spaces, the width of
``COLUMNS`` (else 80).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import IO, Any

from roadmap_cli import i18n
from roadmap_cli.i18n import _, ngettext
from roadmap_cli.render import (
    EMPTY,
    STYLES,
    Column,
    cell_text,
    health_word,
    is_terminal,
    make_console,
    plain_width,
)


class _Plain:
    """A stream that writes whole lines with their trailing spaces removed (what rich pads a
    table's lines with is noise in a file or a pipe)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            done, self._pending = self._pending.rsplit("\n", 1)
            self._stream.write("\n".join(line.rstrip(" ") for line in done.split("\n")) + "\n")
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._stream.write(self._pending.rstrip(" "))
            self._pending = ""
        self._stream.flush()

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def table_console(out: IO[str] | None = None, width: int | None = None) -> Any:
    """The console a table is drawn on: the terminal as it is, or plain lines (no colour, no
    trailing spaces, the width of :func:`plain_width`) when not on a terminal."""
    out = out if out is not None else sys.stdout
    if is_terminal(out) or (os.environ.get("FORCE_COLOR") and "NO_COLOR" not in os.environ):
        return make_console(out, width)  # a terminal, or asked to draw as for one
    from roadmap_cli.render import safe_console_class

    return safe_console_class()(  # data never sends control characters, on a pipe neither
        file=_Plain(out),
        width=width or plain_width(),
        highlight=False,
        emoji=False,
        soft_wrap=False,
        color_system=None,
        force_terminal=False,
    )


def print_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    *,
    out: IO[str] | None = None,
    title: str | None = None,
    empty: str = EMPTY,
    footer: str | None = None,
    width: int | None = None,
) -> None:
    """Draw ``rows`` as a table that fits the width without cutting a figure, date or id: the
    columns that do not fit are left out in their ``drop`` order and named in one line under
    the table (see the module's docstring)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = table_console(out, width)
    if title:
        console.print(Text(title, style="bold"))
    if not rows:
        console.print(Text(_(empty), style="dim"))
        if footer:
            console.print(Text(footer, style="dim"))
        return
    headers = [_(c.header) for c in columns]
    cells = [[_cell(c, row) for c in columns] for row in rows]
    needs = [
        column_need(c, h, [row[i].plain for row in cells])
        for i, (c, h) in enumerate(zip(columns, headers, strict=True))
    ]
    kept, dropped, full = fit_columns(columns, needs, console.width)
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        expand=False,
        collapse_padding=True,
        # rows of several lines read better with a blank line between them
        leading=1 if any(columns[i].kind == "lines" for i in kept) else 0,
    )
    widths = column_widths(columns, needs, kept, console.width)
    for i in kept:
        c = columns[i]
        table.add_column(
            Text(headers[i], no_wrap=False, overflow="fold"),  # a header wraps between words
            justify=c.justify,  # type: ignore[arg-type]
            width=widths[i],
            no_wrap=not wraps(c),
            overflow="fold",
        )
    for row, row_cells in zip(rows, cells, strict=True):
        table.add_row(*(
            _lines(row.get(columns[i].key), widths[i]) if columns[i].kind == "lines" else row_cells[i]
            for i in kept
        ))
    needed = sum(widths[i] for i in kept) + GAP * (len(kept) - 1)
    if needed > console.width:  # the columns that name the rows are wider than the screen
        console.width = needed
    console.print(table)
    if dropped:
        console.print(Text(dropped_note(full, [headers[i] for i in dropped]), style="dim"))
    if footer:
        console.print(Text(footer, style="dim"))


#: the width between two columns of a table (padding and rule)
GAP = 2


def wraps(c: Column) -> bool:
    """Whether a column's cells may wrap: titles and names do; figures, dates, ids do not."""
    return not c.no_wrap and c.kind in ("text", "lines", "list") and c.kind not in _KIND_WIDTH


def column_need(c: Column, header: str, texts: Sequence[str]) -> tuple[int, int, int]:
    """(the narrowest width that keeps every figure, date and id of the column whole, the
    width it is comfortable at, its widest line) for a column with ``header`` over cells of
    ``texts``.

    A cell that wraps may break only between words, so it needs its longest word; a line of
    one word (an id, a date, ROADMAP/MEASURE) needs all of it. A cell that does not wrap
    needs its longest line. The comfortable width adds the column's ``min_width`` (a title
    column wide enough to read) up to its widest line."""
    from rich.cells import cell_len

    header_need = max((cell_len(w) for w in header.split()), default=0)
    need = max(header_need, _KIND_WIDTH.get(c.kind, 0))
    widest = need
    for text in texts:
        for line in text.split("\n"):
            whole = cell_len(line)
            widest = max(widest, whole)
            if wraps(c) and " " in line.strip():
                need = max(need, max(cell_len(w) for w in line.split()))
            elif c.kind == "lines" and "/" in line.strip("/"):
                # ROADMAP/MEASURE may go on two lines after its slash: both ids stay whole
                head, _slash, tail = line.rpartition("/")
                need = max(need, cell_len(head) + 1, cell_len(tail))
            else:
                need = max(need, whole)
    widest = max(widest, cell_len(header))
    comfort = max(need, min(c.min_width or 0, widest))
    return need, comfort, widest


def fit_columns(
    columns: Sequence[Column], needs: Sequence[tuple[int, int, int]], width: int
) -> tuple[list[int], list[int], int]:
    """(the indexes of the columns shown, of those left out in the order they were left out,
    the width that shows them all). Columns are left out by their ``drop`` rank (1 first) while
    the comfortable widths of the rest and the gaps between them exceed ``width``."""
    def total(idx: Sequence[int]) -> int:
        return sum(needs[i][1] for i in idx) + GAP * max(0, len(idx) - 1)

    kept = list(range(len(columns)))
    full = total(kept)
    dropped: list[int] = []
    order = sorted((c.drop, i) for i, c in enumerate(columns) if c.drop is not None)
    for _rank, i in order:
        if total(kept) <= width:
            break
        kept.remove(i)
        dropped.append(i)
    return kept, dropped, full


def column_widths(
    columns: Sequence[Column], needs: Sequence[tuple[int, int, int]], kept: Sequence[int], width: int
) -> dict[int, int]:
    """The width of each kept column: its comfortable width, then what is left of ``width``
    for the columns, up to their widest line (or header) and ``max_width``: first to the columns
    that it makes whole (the nearest first: a short due date or status on one line), then to
    the widest wanting (the title). Set as fixed widths, rich neither narrows a column below
    what its figures need nor cuts a line."""
    widths = {i: needs[i][1] for i in kept}
    spare = width - sum(widths.values()) - GAP * max(0, len(kept) - 1)

    def deficit(k: int) -> int:
        return max(0, min(needs[k][2], max(columns[k].max_width or 10**6, needs[k][0])) - widths[k])

    # a column that wraps wants its widest line; one that does not, its header on one line
    wanting = sorted((k for k in kept if deficit(k)), key=deficit)
    while spare > 0 and wanting:
        nearest = wanting[0]
        if deficit(nearest) <= spare and len(wanting) > 1:
            spare -= deficit(nearest)
            widths[nearest] += deficit(nearest)
            wanting.pop(0)
            continue
        widest = max(wanting, key=lambda k: (deficit(k), columns[k].ratio or 1))
        give = min(spare, deficit(widest))
        widths[widest] += give
        spare -= give
        wanting = [k for k in wanting if deficit(k)]
    return widths


def dropped_note(full: int, headers: Sequence[str]) -> str:
    """The line under a table that left columns out: which, and how to see them."""
    names = [h.replace("\n", " ") for h in headers]
    return ngettext(
        "narrower than {width} columns: {columns} left out; widen the terminal or use --format json",
        "narrower than {width} columns: {columns} left out; widen the terminal or use --format json",
        len(names),
    ).format(width=full, columns=", ".join(names))


def _cell(c: Column, row: Mapping[str, Any]) -> Any:
    """One cell of a table as rich Text."""
    from rich.text import Text

    value = row.get(c.key)
    style = c.style(row) if c.style else None
    if c.kind == "bar":
        return _bar(value, style)
    if c.kind == "progress":
        return _progress_cell(value, style)
    if c.kind == "lines":
        return _lines(value)
    return Text(cell_text(value, c.kind), style=style or "")


#: cells drawn at a fixed width
_KIND_WIDTH = {"progress": 13, "bar": 21}


def _lines(value: Any, width: int | None = None) -> Any:
    """A cell of several lines, each (text, style); empty lines are left out. A line of one
    word wider than ``width`` that holds a slash (ROADMAP/MEASURE) goes on two lines after its
    last slash, so that neither id is broken."""
    from rich.cells import cell_len
    from rich.text import Text

    text = Text()
    for text_part, style in value or ():
        if not text_part:
            continue
        if text.plain:
            text.append("\n")
        if width is not None and cell_len(text_part) > width and " " not in text_part.strip():
            head, slash, tail = text_part.rpartition("/")
            if slash and head:
                text_part = head + "/\n" + tail
        text.append(text_part, style=style or "")
    return text


def _progress_cell(value: Any, style: str | None, width: int = 6) -> Any:
    """Progress as a bar with its percentage, then the plan (expected) and a health word."""
    from rich.text import Text

    progress, expected, health = value
    text = Text(no_wrap=True)
    if progress is None:
        text.append("–", style="dim")
    else:
        filled = min(width, round(progress / 100 * width))
        text.append("█" * filled, style=STYLES.get(str(health)) or "green")
        text.append("░" * (width - filled), style="dim")
        text.append(" " + whole_pct(progress).rjust(4))
    if expected is not None:
        text.append("\n" + _("plan {pct}").format(pct=whole_pct(expected)), style="dim")
    if health:
        text.append("\n" + health_word(str(health)), style=style or STYLES.get(str(health)) or "")
    return text


def _bar(value: Any, style: str | None, width: int = 10) -> Any:
    """A progress bar: filled to progress, with a tick at the expected point; text after it."""
    from rich.text import Text

    progress, expected = value if value else (None, None)
    text = Text()
    if progress is None:
        text.append("–", style="dim")
        return text
    filled = round(progress / 100 * width)
    mark = None if expected is None else min(width - 1, round(expected / 100 * width))
    for i in range(width):
        if i == mark and i >= filled:
            text.append("┊", style="bold")
        elif i < filled:
            text.append("█", style=style or "green")
        else:
            text.append("░", style="dim")
    text.append(" " + whole_pct(progress))
    if expected is not None:
        text.append("/" + whole_pct(expected), style="dim")
    return text


def whole_pct(value: float) -> str:
    """A percentage rounded to a whole number for bars: ``37%`` (en), ``37 %`` (ru)."""
    number = f"{value:.0f}"
    return number + "%" if i18n.current() == "en" else number + "\u00a0%"
