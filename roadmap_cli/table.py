"""Terminal tables that never lie: every number, date and id whole, or its column left out and
said so in one line under the table. Used through :func:`roadmap_cli.render.print_table`.

Layout rule: each column says how narrow it may get (a figure, date or id: its widest cell; a
title or name: its longest word, or ``min_width`` for comfort). When the columns do not fit the
width, columns are left out in their ``drop`` order (1 first) and one line under the table says
which (:func:`fit_columns`); the widths are then fixed here (:func:`column_widths`), so that no
column is narrower than its figures need and no line is cut. Only titles and names wrap,
between words; a word of theirs longer than 40 characters (a pasted link) is folded rather
than leave a column out (:func:`soft_fit`), and one wider than the terminal is folded rather
than make the table wider than it (:func:`_narrowed`). Off a terminal: plain lines, no colour,
no trailing spaces, the width of ``COLUMNS`` (else 80).

Drawing: each cell's text is made and measured once (:mod:`roadmap_cli.tablecells`, :func:`column_need`:
a column at once where its text allows); :mod:`roadmap_cli.tabledraw` then draws the lines
from these widths a block of rows at a time and writes them as it goes, the same lines rich's
``Table`` drew (``box.SIMPLE_HEAD``, no edge, two spaces between columns, a blank line between
rows of several lines), without rich measuring and rendering every cell again. Off a terminal no rich console is made; on a terminal the cells
keep their styles (:func:`cell_styled`: bars, the plan line, health and status colours, the
bold header) and go through rich's console.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any

from roadmap_cli.cellwidth import cell_len, single
from roadmap_cli.i18n import _, ngettext
from roadmap_cli.render import (
    EMPTY,
    Column,
    is_terminal,
    make_console,
    plain_width,
)
from roadmap_cli.tablecells import KIND_WIDTH, cell_plain, cell_styled, lines_plain, splits


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
    if _styled(out):
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


#: the widest a table written to a file grows to show every column (COLUMNS unset)
WIDEST_PLAIN = 160


def _columns_set() -> bool:
    """Whether ``COLUMNS`` asks for a width (a number of at least 20: what plain_width reads)."""
    try:
        return int(os.environ.get("COLUMNS", "")) >= 20
    except ValueError:
        return False


def _a_file(out: Any) -> bool:
    """Whether ``out`` is a regular file (``> status.txt``): not a pipe, which most often leads
    to a pager or ``head`` in a terminal of 80 columns."""
    try:
        return stat.S_ISREG(os.fstat(out.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):  # (a stream with no file: tests)
        return False


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
    the table (see the module's docstring). Each cell is measured once; the lines are drawn
    and written a block of rows at a time (:mod:`roadmap_cli.tabledraw`)."""
    from roadmap_cli import tabledraw

    out = out if out is not None else sys.stdout
    sink: tabledraw.PlainSink | tableconsole.ConsoleSink
    if _styled(out):
        from roadmap_cli import tableconsole

        console = make_console(out, width)
        sink = tableconsole.ConsoleSink(console)
        encoding = console.encoding
    else:
        sink = tabledraw.PlainSink(out, width or plain_width())
        encoding = (getattr(out, "encoding", None) or "utf-8").lower()
    if title:
        sink.paragraph(title, "bold")
    if not rows:
        sink.paragraph(_(empty), "dim")
        if footer:
            sink.paragraph(footer, "dim")
        sink.close()
        return
    headers = [_(c.header) for c in columns]
    texts = [[cell_plain(c, row) for row in rows] for c in columns]
    measured = [column_need(c, h, t) for c, h, t in zip(columns, headers, texts, strict=True)]
    needs = [m[0] for m in measured]
    kept, dropped, full = fit_columns(columns, needs, sink.width)
    if dropped and width is None and isinstance(sink, tabledraw.PlainSink) and not _columns_set() \
            and full <= WIDEST_PLAIN and _a_file(out):
        # a file with no width asked for (COLUMNS): every column, not 80 (a report saved or
        # mailed loses no column; a pipe keeps 80, a terminal its own width)
        sink.width = full
        kept, dropped, full = fit_columns(columns, needs, sink.width)
    if dropped and not _a_file(out):
        # a long word of one title (a pasted link) may not push the figures of every row out
        needs, kept, dropped = soft_fit(columns, headers, texts, needs, kept, dropped, sink.width)
    widths = column_widths(columns, needs, kept, sink.width)
    if not _a_file(out):  # (a file keeps its long words whole: no terminal breaks its lines)
        _narrowed(columns, headers, texts, widths, kept, sink.width)
    grid = tabledraw.Grid(
        [widths[i] for i in kept],
        [columns[i].justify for i in kept],
        [wraps(columns[i]) for i in kept],
        # rows of several lines read better with a blank line between them
        leading=any(columns[i].kind == "lines" for i in kept),
        ascii_box=not encoding.startswith("utf"),  # rich's box for other encodings
    )
    if grid.width > sink.width:  # the columns that name the rows are wider than the screen
        sink.width = grid.width
    if not kept:
        sink.blank_line()
    elif not isinstance(sink, tabledraw.PlainSink):
        sink.table(
            grid,
            [(headers[i], "", ()) for i in kept],
            ([cell_styled(columns[i], row, widths[i]) for i in kept] for row in rows),
        )
    else:
        for i in kept:
            if columns[i].kind == "lines":
                # a lines cell is drawn anew where one of its lines may be wider than its
                # column: an id then goes on two lines after its slash (see _lines)
                for r, row in enumerate(rows):
                    value = row.get(columns[i].key)
                    if splits(value, widths[i]):
                        texts[i][r] = lines_plain(value, widths[i])
                        measured[i][1][r] = -1
        sink.table(grid, [headers[i] for i in kept], tabledraw.body_lines(
            grid, len(rows), [(texts[i], measured[i][1]) for i in kept]))
    if dropped:
        sink.paragraph(dropped_note(full, [headers[i] for i in dropped]), "dim")
    if footer:
        sink.paragraph(footer, "dim")
    sink.close()


def print_paragraph(parts: Sequence[tuple[str, str]], out: IO[str] | None = None) -> None:
    """One paragraph of (text, style) runs (none: a blank line), wrapped between words at the
    width: on a terminal through rich's console, with the styles; off it as plain lines, as a
    table's title is written (rich's console not even imported)."""
    out = out if out is not None else sys.stdout
    if _styled(out):
        from rich.text import Text

        text = Text()
        for part, style in parts:
            text.append(part, style=style or None)
        make_console(out).print(text)
        return
    from roadmap_cli import tabledraw

    sink = tabledraw.PlainSink(out, plain_width())
    sink.paragraph("".join(part for part, _style in parts))
    sink.close()


def _styled(out: IO[str]) -> bool:
    """Whether a table on ``out`` is drawn with styles, through rich's console: on a terminal,
    or when ``FORCE_COLOR`` asks for it (and ``NO_COLOR`` does not forbid it)."""
    return is_terminal(out) or bool(os.environ.get("FORCE_COLOR") and "NO_COLOR" not in os.environ)


#: the width between two columns of a table (padding and rule)
GAP = 2


def wraps(c: Column) -> bool:
    """Whether a column's cells may wrap: titles and names do; figures, dates, ids do not."""
    return not c.no_wrap and c.kind in ("text", "lines", "list") and c.kind not in KIND_WIDTH


def column_need(
    c: Column, header: str, texts: Sequence[str]
) -> tuple[tuple[int, int, int], list[int]]:
    """((the narrowest width that keeps every figure, date and id of the column whole, the
    width it is comfortable at, its widest line), the width of each cell of one line, -1 for
    a cell of several) for a column with ``header`` over cells of ``texts``: each cell is
    measured here once, and the drawing reuses the widths.

    A cell that wraps may break only between words, so it needs its longest word; a line of
    one word (an id, a date, ROADMAP/MEASURE) needs all of it. A cell that does not wrap
    needs its longest line. The comfortable width adds the column's ``min_width`` (a title
    column wide enough to read) up to its widest line."""
    header_need = max((cell_len(w) for w in header.split()), default=0)
    need = max(header_need, KIND_WIDTH.get(c.kind, 0))
    wrap = wraps(c)
    slashed = c.kind == "lines"
    found = _plain_column_need(need, wrap, slashed, texts)
    if found is None:
        found = _need_cell_by_cell(need, wrap, slashed, texts)
    need, widest, sizes = found
    widest = max(widest, cell_len(header))
    comfort = max(need, min(c.min_width or 0, widest))
    return (need, comfort, widest), sizes


def _need_cell_by_cell(
    need: int, wrap: bool, slashed: bool, texts: Sequence[str]
) -> tuple[int, int, list[int]]:
    """:func:`column_need`'s (need, widest line, sizes) of any column, a cell at a time."""
    widest = need
    sizes: list[int] = []
    longer, longer_than = _longer_word(need), need
    for text in texts:
        if "\n" in text:
            sizes.append(-1)
            lines = text.split("\n")
        else:
            lines = [text]
        for line in lines:
            one = single(line)
            whole = len(line) if one else cell_len(line)
            if len(lines) == 1:
                sizes.append(whole)
            if whole > widest:
                widest = whole
            if whole <= need:
                continue  # neither a word nor the whole line is wider than the need
            if longer_than != need:
                longer, longer_than = _longer_word(need), need
            if wrap and " " in line.strip():
                if one and longer(line) is None:
                    continue  # no word of it is wider than the need (told at C speed)
                need = max(need, *map(len if one else cell_len, line.split()))
            elif slashed and "/" in line.strip("/"):
                # ROADMAP/MEASURE may go on two lines after its slash: both ids stay whole
                head, _slash, tail = line.rpartition("/")
                need = max(need, cell_len(head) + 1, cell_len(tail))
            else:
                need = max(need, whole)
    return need, widest, sizes


def _plain_column_need(
    need: int, wrap: bool, slashed: bool, texts: Sequence[str]
) -> tuple[int, int, list[int]] | None:
    """:func:`column_need`'s (need, widest line, sizes) of the common column, measured for the
    whole column at once: a column that does not wrap needs its widest line; one that wraps,
    when its text is printable one-cell characters (the only whitespace a space, and line
    breaks) and no line longer than the need begins or ends with a space, its longest word,
    a line of one word all of it, or, in a ``lines`` column (``slashed``), both parts of a
    ROADMAP/MEASURE whole (else None: measured cell by cell).

    A line longer than ``need`` raises it; which one raises it first does not matter (a line
    no longer than the need has no word longer than it)."""
    if not texts:
        return need, need, []
    joined = "\n".join(texts)
    several = joined.count("\n") != len(texts) - 1  # a cell of several lines
    if not wrap:
        if slashed and "/" in joined:
            return None  # a ROADMAP/MEASURE may go on two lines: both parts measured
        measure = len if single(joined.replace("\n", "")) else cell_len
        if several:
            sizes = [-1 if "\n" in text else measure(text) for text in texts]
            widest = max(need, *map(measure, joined.split("\n")))
        else:
            sizes = list(map(measure, texts))
            widest = max(need, max(sizes, default=0))
        return widest, widest, sizes
    flat = joined.replace("\n", " ")
    if not single(flat) or not flat.isprintable():
        return None  # a character to measure cell by cell
    if several:
        sizes = [-1 if "\n" in text else len(text) for text in texts]
        lines: Sequence[str] = joined.split("\n")
    else:
        sizes = list(map(len, texts))
        lines = texts
    widest = max(need, *map(len, lines))
    if widest <= need:
        return need, widest, sizes
    if "\n " in joined or " \n" in joined or joined[0] == " " or joined[-1] == " ":
        return None  # a line that begins or ends with a space
    if not slashed:  # a line of one word needs all of it, as its word does
        return max(need, *map(len, joined.split())), widest, sizes
    # the words of the lines of several words, then each line of one word
    found = max(map(len, " ".join([line for line in lines if " " in line]).split()), default=need)
    for line in lines:
        if len(line) <= found or " " in line:
            continue
        if "/" in line.strip("/"):
            head, _slash, tail = line.rpartition("/")
            found = max(found, len(head) + 1, len(tail))
        else:
            found = len(line)
    return max(need, found), widest, sizes


def _longer_word(need: int) -> Callable[[str], object]:
    """The search for a word (a run of characters that are not whitespace, as ``str.split``
    divides) of more than ``need`` characters."""
    return re.compile(r"\S{" + str(need + 1) + ",}").search


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


#: a word of a title or name longer than this (a pasted link) is folded in its cell rather than
#: made to push a column of figures out of the table; the ids of agencies and documents are
#: shorter (a line of one word, an id, is never folded for it)
LONG_WORD = 40
_LONG_WORD = re.compile(rf"\S{{{LONG_WORD + 1},}}")


def soft_fit(
    columns: Sequence[Column], headers: Sequence[str], texts: Sequence[Sequence[str]],
    needs: list[tuple[int, int, int]], kept: list[int], dropped: list[int], width: int,
) -> tuple[list[tuple[int, int, int]], list[int], list[int]]:
    """(needs, kept, dropped) of a table that left columns out: when the need of a text column
    comes from a word longer than :data:`LONG_WORD` in a line of several words, that column
    measured as if the word were that long, and the columns fitted again; kept when fewer
    columns are then left out (the word is then folded across lines in its cell)."""
    softer = list(needs)
    for i, c in enumerate(columns):
        if not wraps(c) or needs[i][0] <= LONG_WORD:
            continue
        cut = ["\n".join(_LONG_WORD.sub(lambda m: m.group()[:LONG_WORD], line) if " " in line.strip()
                         else line for line in text.split("\n")) for text in texts[i]]
        need = column_need(c, headers[i], cut)[0][0]
        if need < needs[i][0]:
            softer[i] = (need, max(need, min(c.min_width or 0, needs[i][2])), needs[i][2])
    if softer == needs:
        return needs, kept, dropped
    soft_kept, soft_dropped, _full = fit_columns(columns, softer, width)
    if len(soft_dropped) < len(dropped):
        return softer, soft_kept, soft_dropped
    return needs, kept, dropped


def _narrowed(
    columns: Sequence[Column], headers: Sequence[str], texts: Sequence[Sequence[str]],
    widths: dict[int, int], kept: Sequence[int], width: int,
) -> bool:
    """Whether the text columns of a table that is still wider than ``width`` once every column
    that may be left out is (a word of a title or name wider than the screen: a pasted link)
    were narrowed to fit it, the widest first (no narrower than their header's longest word,
    or 10, nor than the ids of a ``lines`` column: :func:`_ids_need`), their words too long for
    them then folded across lines. Else the terminal broke every line of the table, its rule
    and the other columns' figures with it."""
    over = sum(widths[i] for i in kept) + GAP * max(0, len(kept) - 1) - width
    if over <= 0:
        return False
    floors = {i: max(10, *(cell_len(w) for w in headers[i].split()),
                     _ids_need(texts[i]) if columns[i].kind == "lines" else 0)
              for i in kept if wraps(columns[i])}
    while over > 0:
        room = [i for i in floors if widths[i] > floors[i]]
        if not room:
            break
        widest = max(room, key=lambda i: widths[i] - floors[i])
        give = min(over, widths[widest] - floors[widest])
        widths[widest] -= give
        over -= give
    return True


def _ids_need(texts: Sequence[str]) -> int:
    """The width that keeps whole the lines of one word of a ``lines`` column's cells: its ids
    (a document or agency id under its name; a ROADMAP/MEASURE, whose two parts go on two lines
    after the slash, :func:`roadmap_cli.tablecells._lines`). An id longer than the screen was
    folded: kz-by-agro-industrial-cooperation-2026-2028 at 40 columns."""
    need = 0
    for text in texts:
        for line in text.split("\n"):
            if not line or " " in line.strip():
                continue
            head, slash, tail = line.rpartition("/")
            if slash and head:
                need = max(need, cell_len(head) + 1, cell_len(tail))
            else:
                need = max(need, cell_len(line))
    return need


def dropped_note(full: int, headers: Sequence[str]) -> str:
    """The line under a table that left columns out: which, and how to see them."""
    names = [h.replace("\n", " ") for h in headers]
    return ngettext(
        "Not shown: column {columns} (the whole table needs {width} columns); widen the "
        "terminal or use --format json",
        "Not shown: columns {columns} (the whole table needs {width} columns); widen the "
        "terminal or use --format json",
        len(names),
    ).format(width=full, columns=", ".join(names))
