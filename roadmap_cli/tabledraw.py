"""The lines of a terminal table, drawn from the widths :mod:`roadmap_cli.table` fixed.

:mod:`roadmap_cli.table` measures every cell once and fixes each column's width; this module
turns the cells into lines, a block of rows at a time, and writes them as they come (a table
of 90,000 lines is never held whole). Off a terminal a block is drawn column by column
(:func:`body_lines`): each column's cells padded to its width in one pass, a cell that fits
by the size measured before, then the lines joined. It draws what rich's ``Table`` drew
before it (``box.SIMPLE_HEAD``, no edge, collapsed padding, a blank line between rows of a
``lines`` column), byte for byte off a terminal (``tests/test_tabledraw.py`` draws random
tables both ways and compares them):

- a cell is split at its ``"\\n"``; a line wider than its column is divided between words (a
  word wider than the column folded across lines), whitespace beyond the width dropped, then
  justified left, right or centre (rich's ``Text.wrap``, ``divide_line``, ``Lines.justify``);
  figures, dates and ids never wrap (their columns are as wide as their widest line);
- the header's lines sit at the bottom of its row, a cell's lines at the top of its row;
- two spaces between columns; under the header, a rule as wide as the table; widths are
  measured in terminal cells (``rich.cells``: Cyrillic one cell, CJK two).

Off a terminal (:class:`PlainSink`) lines are plain text without trailing spaces, with control
characters removed (:func:`roadmap_cli.textsafe.terminal`), and rich's console is not even
imported. On a terminal the cells keep their styles (:mod:`roadmap_cli.tableconsole`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise
from typing import IO, Any

from roadmap_cli.cellwidth import cell_len, single
from roadmap_cli.textsafe import terminal

#: a word and the whitespace around it, as rich divides lines (``rich._wrap.words``)
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")
_TAB_SIZE = 8

#: one line of a cell: (offset of its text in the cell, its text, spaces before, spaces after)
Piece = tuple[int, str, int, int]


def breaks(line: str, width: int) -> list[int]:
    """The offsets at which a line wider than ``width`` is divided: between words, a word
    wider than ``width`` folded across lines (rich's ``divide_line`` with ``fold=True``)."""
    if single(line) and line.isprintable() and "  " not in line and line[:1] != " " != line[-1:]:
        found = _spaced_breaks(line, width)
        if found is not None:
            return found
    return _divided(line, width)


def _spaced_breaks(line: str, width: int) -> list[int] | None:
    """:func:`breaks` of the common line, told by lengths alone: characters of one cell each,
    words between single spaces (no other whitespace: ``isprintable``; none at either end),
    none wider than ``width`` (else None). A word fits while the line so far and the word do;
    the space after it counts only when another word follows on the line."""
    positions: list[int] = []
    offset = 0
    start = 0
    for word in line.split(" "):
        size = len(word)
        if size > width:
            return None
        if width - offset >= size:
            offset += size + 1
        elif offset and start:
            positions.append(start)
            offset = size + 1
        start += size + 1
    return positions


def _divided(line: str, width: int) -> list[int]:
    """:func:`breaks` of any line, word by word as rich divides it."""
    positions: list[int] = []
    offset = 0
    measure = len if single(line) else cell_len  # (each part of such a line is too)
    for match in _WORD.finditer(line):
        start = match.start()
        word = match.group()
        word_length = measure(word.rstrip())
        if width - offset >= word_length:
            offset += measure(word)
        elif word_length > width:
            from rich.cells import chop_cells  # (a word wider than its column: rare)

            folded = chop_cells(word, width)
            for index, part in enumerate(folded):
                if start:
                    positions.append(start)
                if index == len(folded) - 1:
                    offset = cell_len(part)
                else:
                    start += len(part)
        elif offset and start:
            positions.append(start)
            offset = measure(word)
    return positions


def expand_tabs(line: str) -> str:
    """A line with its tabs as spaces up to the next multiple of 8 cells (as rich does)."""
    parts = line.split("\t")
    out: list[str] = []
    position = 0
    for part in parts[:-1]:
        part += " "
        position += cell_len(part)
        remainder = position % _TAB_SIZE
        if remainder:
            part += " " * (_TAB_SIZE - remainder)
            position += _TAB_SIZE - remainder
        out.append(part)
    out.append(parts[-1])
    return "".join(out)


def pieces(text: str, width: int, justify: str, wrap: bool) -> list[Piece]:
    """The lines of a cell of ``text`` in a column ``width`` cells wide: each line of the text,
    divided between words when ``wrap`` and wider than the column, then justified (``left``,
    ``right``, ``center``; ``default``: as it is, for a paragraph) and cut to the width."""
    out: list[Piece] = []
    base = 0
    for line in text.split("\n"):
        start = base
        base += len(line) + 1
        if "\t" in line:
            line = expand_tabs(line)
        whole = cell_len(line)  # each line measured once, unless it is divided or cut
        parts: list[tuple[int, str, int]]
        if wrap and whole > width:
            cuts = breaks(line, width)
            edges = [0, *cuts, len(line)]
            parts = [(start + a, line[a:b], -1) for a, b in pairwise(edges)]
        else:
            parts = [(start, line, whole)]
        for offset, part, size in parts:
            if wrap and len(part) > width:  # whitespace beyond the width goes (rstrip_end)
                space = _TRAILING_SPACE.search(part)
                if space is not None:
                    part = part[: len(part) - min(len(space.group()), len(part) - width)]
                    size = -1
            if justify in ("right", "center") and part[-1:].isspace():
                part = part.rstrip()
                size = -1
            if size < 0:
                size = cell_len(part)
            if size > width:
                from rich.cells import set_cell_size  # (a line cut to its column: rare)

                part = set_cell_size(part, width)
                size = cell_len(part)
            if justify == "left":
                out.append((offset, part, 0, width - size))
            elif justify == "right":
                out.append((offset, part, width - size, 0))
            elif justify == "center":
                before = (width - size) // 2
                out.append((offset, part, before, width - size - before))
            else:  # a paragraph: no padding
                out.append((offset, part, 0, 0))
    return out


def plain_lines(text: str, width: int, justify: str, wrap: bool) -> list[str]:
    """The lines of a cell as :func:`pieces` draws them, each padded to the width, worked out
    by lengths for a line of one-cell characters justified left (a title in Latin or Cyrillic
    script), by :func:`pieces` for any other line."""
    out: list[str] = []
    for line in text.split("\n"):
        if justify != "left" or not single(line):
            size = len(line)
            if (size <= width and (justify == "right" or justify == "center")
                    and not line[-1:].isspace() and single(line)):
                # a figure that fits (most cells of right-justified columns): padded before
                before = width - size if justify == "right" else (width - size) // 2
                out.append(" " * before + line + " " * (width - size - before))
                continue
            out.extend(" " * before + part + " " * after
                       for _offset, part, before, after in pieces(line, width, justify, wrap))
            continue
        size = len(line)
        if size <= width:
            out.append(line + " " * (width - size))
        elif not wrap:
            out.append(line[:width])
        else:
            for a, b in pairwise([0, *breaks(line, width), size]):
                # whitespace beyond the width goes, then what is still wider (a folded word)
                part = line[a:b][:width]
                out.append(part + " " * (width - len(part)))
    return out


def one_line(text: str, width: int, justify: str, size: int = -1) -> list[Piece] | None:
    """The :func:`pieces` of a cell of one line that fits its column, justified left or right
    (most cells), worked out without dividing it; None for any other cell. ``size``: its width
    when measured before."""
    if "\n" in text or "\t" in text or len(text) > width:
        return None
    if justify != "left" and (justify != "right" or text[-1:].isspace()):
        return None
    if size < 0:
        size = cell_len(text)
    if size > width:
        return None
    return [(0, text, 0, width - size) if justify == "left" else (0, text, width - size, 0)]


class Grid:
    """The shape of a table: its columns' widths, justification and wrapping, and the box.

    ``widths`` are the columns' widths (without the space between them); ``ascii_box`` draws
    the box rich substitutes when the output's encoding is not UTF (``|`` between columns)."""

    def __init__(
        self,
        widths: Sequence[int],
        justify: Sequence[str],
        wrap: Sequence[bool],
        *,
        leading: bool,
        ascii_box: bool = False,
    ) -> None:
        self.widths = list(widths)
        self.justify = list(justify)
        self.wrap = list(wrap)
        self.leading = leading
        last = len(self.widths) - 1
        # rich pads every column but the last with one space on its right; `or 1` as rich
        self.outer = [max(1, w + (i < last)) for i, w in enumerate(self.widths)]
        if ascii_box:  # rich's box.ASCII
            self.divider, rule, cross, blank_cross = "|", "-", "+", "|"
        else:  # rich's box.SIMPLE_HEAD without its edge
            self.divider, rule, cross, blank_cross = " ", "─", "─", " "
        self.rule = cross.join(rule * w for w in self.outer)
        #: between two columns' cells: rich's padding (one space, ``outer``) and the divider
        self.gap = " " + self.divider
        self.blank = blank_cross.join(" " * w for w in self.outer)

    @property
    def width(self) -> int:
        """The width of the table's lines."""
        return sum(self.outer) + len(self.outer) - 1


class PlainSink:
    """Plain lines to a stream that is not a terminal: no styles, no trailing spaces, control
    characters removed; written in blocks of lines as they are drawn."""

    def __init__(self, out: IO[str], width: int) -> None:
        self.out = out
        self.width = width
        self._lines: list[str] = []

    def paragraph(self, text: str, style: str = "") -> None:
        """Text wrapped between words at the sink's width (a title, a note under a table)."""
        self._lines.extend(
            part for _offset, part, _b, _a in pieces(text, self.width, "default", True)
        )

    def table(self, grid: Grid, header: Sequence[str], body: Iterable[Sequence[str]]) -> None:
        """Draw a table: its header's cells, the rule under them, then the body's lines as
        :func:`body_lines` draws them, a block at a time."""
        lines = self._lines
        lines.extend(self._header_lines(grid, header))
        lines.append(grid.rule)
        for block in body:
            lines.extend(block)
            if len(lines) >= 1024:
                self.write()

    def _header_lines(self, grid: Grid, cells: Sequence[str]) -> list[str]:
        """The text lines of the header: each cell's lines (divided between words) padded to
        its width, at the bottom of the row, the cells side by side."""
        columns = [plain_lines(text, width, justify, True)
                   for text, width, justify in zip(cells, grid.widths, grid.justify, strict=True)]
        height = max(map(len, columns), default=1)
        for i, cell_lines in enumerate(columns):  # each cell as high as the row
            missing = height - len(cell_lines)
            if missing:
                columns[i] = [" " * grid.widths[i]] * missing + cell_lines
        return [grid.gap.join(parts) for parts in zip(*columns, strict=True)]

    def blank_line(self) -> None:
        self._lines.append("")

    def write(self) -> None:
        if self._lines:
            # as rich's safe console and the plain stream did: control characters out, then
            # the spaces at the end of each line
            text = terminal("\n".join(self._lines))
            self._lines.clear()  # in place: table() holds the list
            try:
                self.out.write("\n".join(line.rstrip(" ") for line in text.split("\n")) + "\n")
            except BrokenPipeError:
                raise reader_gone() from None

    def close(self) -> None:
        self.write()
        try:
            self.out.flush()
        except BrokenPipeError:
            raise reader_gone() from None


def reader_gone() -> BrokenPipeError:
    """The reader went away (``| head``): a BrokenPipeError without an errno, as the safe
    console raises it, so that click passes it on and the CLI ends quietly with exit 0."""
    return BrokenPipeError()


def body_lines(
    grid: Grid,
    count: int,
    columns: Sequence[tuple[Sequence[str], Sequence[int]]],
    chunk: int = 256,
) -> Iterator[list[str]]:
    """The lines of a plain table's ``count`` rows (:meth:`PlainSink.table`), drawn column by
    column, ``chunk`` rows at a time: each column's cells padded (:func:`fitted`), the cells of
    each line joined; a row as high as its highest cell (the others' lines at its top), a
    blank line between rows where the grid has ``leading``. ``columns``: each column's texts
    and the width of each one-line cell (-1: several lines, or not measured), as
    :func:`roadmap_cli.table.column_need` measured them."""
    gap = grid.gap
    for start in range(0, count, chunk):
        end = min(count, start + chunk)
        padded = [
            fitted(texts[start:end], sizes[start:end], width, justify, wrap)
            for (texts, sizes), width, justify, wrap
            in zip(columns, grid.widths, grid.justify, grid.wrap, strict=True)
        ]
        if any(tuple in map(type, column) for column in padded):
            lines = _stacked(padded, grid.widths, gap, grid.leading)
        else:
            lines = list(map(gap.join, zip(*padded, strict=True)))
            if grid.leading:
                spaced = [grid.blank] * (2 * len(lines))
                spaced[1::2] = lines
                lines = spaced
        yield lines[1:] if grid.leading and start == 0 else lines


def _stacked(
    padded: Sequence[Sequence[str | tuple[str, ...]]], widths: Sequence[int], gap: str,
    leading: bool,
) -> list[str]:
    """The lines of rows of padded cells, some of several lines (tuples): each row as high as
    its highest cell, blank lines under the others (and above each row with ``leading``)."""
    heights = [[len(cell) if cell.__class__ is tuple else 1 for cell in column] for column in padded]
    row_heights = list(map(max, *heights)) if len(heights) > 1 else heights[0]
    flat_columns = []
    for column, width in zip(padded, widths, strict=True):
        blank = " " * width
        flat: list[str] = []
        add, extend = flat.append, flat.extend
        for cell, height in zip(column, row_heights, strict=True):
            if leading:
                add(blank)
            if cell.__class__ is tuple:
                extend(cell)
                if len(cell) < height:
                    extend([blank] * (height - len(cell)))
            else:
                add(cell)  # type: ignore[arg-type]
                if height > 1:
                    extend([blank] * (height - 1))
        flat_columns.append(flat)
    return list(map(gap.join, zip(*flat_columns, strict=True)))


def fitted(
    texts: Sequence[str], sizes: Sequence[int], width: int, justify: str, wrap: bool
) -> list[str | tuple[str, ...]]:
    """The cells of a body column drawn to the column's ``width``: a cell of one line as its
    padded line, of several as their tuple. ``sizes``: the width of each cell of one line, -1
    for several (or not measured). A cell of one line that fits its column, without a tab
    (nor, justified right or centre, a space at its end, which :func:`pieces` strips) is
    padded by its size; the other cells are drawn by :func:`plain_lines` (divided between
    words where ``wrap``)."""
    out: list[Any]
    if justify == "left":
        out = [
            text + " " * (width - size)
            if 0 <= size <= width and len(text) <= width and "\t" not in text else None
            for text, size in zip(texts, sizes, strict=True)
        ]
    elif justify == "right":
        out = [
            " " * (width - size) + text
            if 0 <= size <= width and len(text) <= width and "\t" not in text
            and not text[-1:].isspace() else None
            for text, size in zip(texts, sizes, strict=True)
        ]
    elif justify == "center":
        out = [
            " " * ((width - size) // 2) + text + " " * (width - size - (width - size) // 2)
            if 0 <= size <= width and len(text) <= width and "\t" not in text
            and not text[-1:].isspace() else None
            for text, size in zip(texts, sizes, strict=True)
        ]
    else:
        out = [None] * len(texts)
    if None in out:
        for k, cell in enumerate(out):
            if cell is None:
                lines = plain_lines(texts[k], width, justify, wrap)
                out[k] = lines[0] if len(lines) == 1 else tuple(lines)
    return out
