"""The lines of a terminal table, drawn from the widths :mod:`roadmap_cli.table` fixed.

:mod:`roadmap_cli.table` measures every cell once and fixes each column's width; this module
turns the cells into lines, one row at a time, and writes them as they come (a table of 90,000
lines is never held whole). It draws what rich's ``Table`` drew before it (``box.SIMPLE_HEAD``,
no edge, collapsed padding, a blank line between rows of a ``lines`` column), byte for byte
off a terminal (``tests/test_tabledraw.py`` draws random tables both ways and compares them):

- a cell is split at its ``"\\n"``; a line wider than its column is divided between words (a
  word wider than the column folded across lines), whitespace beyond the width dropped, then
  justified left, right or centre (rich's ``Text.wrap``, ``divide_line``, ``Lines.justify``);
  figures, dates and ids never wrap (their columns are as wide as their widest line);
- the header's lines sit at the bottom of its row, a cell's lines at the top of its row;
- two spaces between columns; under the header, a rule as wide as the table; widths are
  measured in terminal cells (``rich.cells``: Cyrillic one cell, CJK two).

Off a terminal (:class:`PlainSink`) lines are plain text without trailing spaces, with control
characters removed (:func:`roadmap_cli.textsafe.terminal`), and rich's console is not even
imported. On a terminal (:class:`ConsoleSink`) each line is a list of (text, rich ``Style``)
runs with the cells' styles, written as the console writes them (each style's codes made once
by rich: ``NO_COLOR``, ``FORCE_COLOR``, its colour system) with control characters removed as
the safe console removes them (``render.safe_console_class``); a legacy Windows console gets
them through ``console.print``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from itertools import pairwise
from typing import IO, Any

from rich.cells import chop_cells, set_cell_size

from roadmap_cli.cellwidth import cell_len, single
from roadmap_cli.textsafe import terminal

#: a word and the whitespace around it, as rich divides lines (``rich._wrap.words``)
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")
_TAB_SIZE = 8

#: a cell drawn with styles: (its text, the style of all of it, (start, end, style) spans)
Styled = tuple[str, str, tuple[tuple[int, int, str], ...]]
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

    def table(self, grid: Grid, header: Sequence[str], rows: Iterator[Sequence[Any]]) -> None:
        lines = self._lines
        out_line = self._row_lines
        lines.extend(out_line(grid, header, header=True))
        lines.append(grid.rule)
        blank = grid.blank
        first = True
        for row in rows:
            if grid.leading and not first:
                lines.append(blank)
            first = False
            lines.extend(out_line(grid, row, header=False))
            if len(lines) >= 1024:
                self.write()

    def _row_lines(self, grid: Grid, cells: Sequence[Any], *, header: bool) -> list[str]:
        """The text lines of one row: each cell's lines padded to its width, the cells side by
        side; the header's lines at the bottom of its row."""
        columns: list[list[str]] = []
        height = 1
        for i, cell in enumerate(cells):
            width = grid.widths[i]
            justify = grid.justify[i]
            if isinstance(cell, tuple):  # (text, its widest line) when measured before
                text, size = cell
                if justify == "left" and size <= width and len(text) <= width and "\t" not in text:
                    columns.append([text + " " * (width - size)])  # one_line's commonest case
                    continue
                found = one_line(text, width, justify, size)
                if found is not None:
                    _offset, part, before, after = found[0]
                    columns.append([" " * before + part + " " * after])
                    continue
            else:
                text = cell
            cell_lines = plain_lines(text, width, justify, header or grid.wrap[i])
            height = max(height, len(cell_lines))
            columns.append(cell_lines)
        if height == 1:
            return [grid.gap.join(cell_lines[0] for cell_lines in columns)]
        for i, cell_lines in enumerate(columns):  # each cell as high as the row
            missing = height - len(cell_lines)
            if missing:
                blank = [" " * grid.widths[i]] * missing
                columns[i] = blank + cell_lines if header else cell_lines + blank
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
                raise _gone() from None

    def close(self) -> None:
        self.write()
        try:
            self.out.flush()
        except BrokenPipeError:
            raise _gone() from None


def _gone() -> BrokenPipeError:
    """The reader went away (``| head``): a BrokenPipeError without an errno, as the safe
    console raises it, so that click passes it on and the CLI ends quietly with exit 0."""
    return BrokenPipeError()


#: rich's colour systems by the names its console gives them
_COLOR_SYSTEMS = {"standard": "STANDARD", "256": "EIGHT_BIT", "truecolor": "TRUECOLOR",
                  "windows": "WINDOWS"}


class ConsoleSink:
    """Lines of (text, rich ``Style``) runs with the cells' styles, for a rich console (colour
    on a terminal as the console decides: ``NO_COLOR``, ``FORCE_COLOR``, its colour system).

    The lines are written as the console would write them, without its per-segment pipeline
    (a table of 90,000 lines took twice as long on a terminal as off it): each style's codes
    are made once by rich (``Style.render``, without colour under ``NO_COLOR``, as the console
    renders), control characters are removed from the text as the safe console removes them,
    and the text goes to the console's file. A legacy Windows console, a Jupyter one or a
    console that records gets the lines through ``console.print`` (``direct = False``), as
    ``tests/test_tabledraw.py`` compares both ways."""

    def __init__(self, console: Any, direct: bool | None = None) -> None:
        self.console = console
        self._lines: list[list[tuple[str, Any]]] = []
        self._styles: dict[tuple[str, ...], Any] = {}
        self._codes: dict[Any, tuple[str, str]] = {}
        self._color_system = _color_system(console)
        if direct is None:
            direct = not (console.legacy_windows or console.is_jupyter or console.record)
        self.direct = direct and self._color_system is not False

    @property
    def width(self) -> int:
        return int(self.console.width)

    @width.setter
    def width(self, value: int) -> None:
        self.write()
        self.console.width = value

    def paragraph(self, text: str, style: str = "") -> None:
        from rich.text import Text

        self.write()
        self.console.print(Text(text, style=style))

    def style(self, *names: str) -> Any:
        """The rich Style of names layered in order (cached)."""
        found = self._styles.get(names)
        if found is None:
            from rich.style import Style

            found = Style.combine([Style.null(), *(self.console.get_style(n) for n in names if n)])
            self._styles[names] = found
        return found

    def table(self, grid: Grid, header: Sequence[Styled], rows: Iterator[Sequence[Styled]]) -> None:
        if grid.width > self.width:  # the console would cut its lines (print_table widens it)
            self.write()
            self.direct = False
        lines = self._lines
        head = self.style("table.header")
        lines.extend(self._row_lines(grid, header, head))
        lines.append([(grid.rule, None)])
        first = True
        for row in rows:
            if grid.leading and not first:
                lines.append([(grid.blank, None)])
            first = False
            lines.extend(self._row_lines(grid, row, None))
            if len(lines) >= 256:
                self.write()

    def _row_lines(self, grid: Grid, cells: Sequence[Styled], head: Any) -> list[list[tuple[str, Any]]]:
        """The (text, style) runs of one row's lines: each cell's lines padded to its width in its
        style, the cells side by side; the header's lines at the bottom of its row. Text of
        one style next to each other is one segment (the console's work is per segment)."""
        columns: list[list[list[tuple[str, Any]]]] = []
        height = 1
        for i, (text, base, spans) in enumerate(cells):
            width = grid.widths[i]
            pad_style = head if head is not None else self.style(base)
            if head is None and not spans:  # a cell of one style, padding and all
                cell_lines = [[(line, pad_style)] for line in plain_lines(
                    text, width, grid.justify[i], grid.wrap[i])]
                height = max(height, len(cell_lines))
                columns.append(cell_lines)
                continue
            cell_lines = []
            for offset, part, before, after in (
                one_line(text, width, grid.justify[i])
                or pieces(text, width, grid.justify[i], head is not None or grid.wrap[i])
            ):
                pairs = [(" " * before, pad_style)] if before else []
                pairs += self._styled(text, base, spans, offset, part, head)
                if after:
                    pairs.append((" " * after, pad_style))
                cell_lines.append(pairs)
            height = max(height, len(cell_lines))
            columns.append(cell_lines)
        last = len(columns) - 1
        out: list[list[tuple[str, Any]]] = []
        for line_no in range(height):
            pairs = []
            for i, cell_lines in enumerate(columns):
                k = line_no - (height - len(cell_lines) if head is not None else 0)
                if 0 <= k < len(cell_lines):
                    pairs.extend(cell_lines[k])
                else:
                    pairs.append((" " * grid.widths[i], head))
                if i < last:
                    pairs.append((" " * (grid.outer[i] - grid.widths[i]), head))
                    pairs.append((grid.divider, None))
            out.append(self._merged(pairs))
        return out

    def _merged(self, pairs: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
        """(text, style) runs of (text, style) pairs, neighbours of one style joined (no style
        and the null style are one: both draw the text as it is)."""
        out: list[tuple[str, Any]] = []
        texts: list[str] = []
        style: Any = None
        for text, s in pairs:
            if not text:
                continue
            if not s:
                s = None
            if texts and s != style:
                out.append(("".join(texts), style))
                texts = []
            texts.append(text)
            style = s
        if texts:
            out.append(("".join(texts), style))
        return out

    def _styled(
        self, text: str, base: str, spans: Sequence[tuple[int, int, str]], offset: int, part: str,
        head: Any,
    ) -> list[tuple[str, Any]]:
        """The (text, style) pieces of ``part``, the text of ``text`` from ``offset`` (cut or
        with its tabs as spaces: then in the cell's style), in the styles of the spans that
        cover it."""
        end = offset + len(part)
        outer = ("table.header",) if head is not None else ()
        if not spans or text[offset:end] != part:
            return [(part, self.style(*outer, base))] if part else []
        cuts = sorted({offset, end, *(
            p for s, e, _st in spans for p in (s, e) if offset < p < end
        )})
        out = []
        for a, b in pairwise(cuts):
            names = (*outer, base, *(st for s, e, st in spans if s <= a < e))
            out.append((text[a:b], self.style(*names)))
        return out

    def blank_line(self) -> None:
        self._lines.append([])

    def write(self) -> None:
        if not self._lines:
            return
        if not self.direct:
            from rich.segment import Segment, Segments

            flat: list[Any] = []
            for line in self._lines:
                flat.extend(Segment(text, style) for text, style in line)
                flat.append(Segment.line())
            self._lines.clear()  # in place: table() holds the list
            self.console.print(Segments(flat))
            return
        codes = self._codes
        out: list[str] = []
        for line in self._lines:
            joined = "".join([text for text, _style in line])
            whole = terminal(joined) == joined  # no control character: each run as it is
            for text, style in line:
                if not whole:
                    text = terminal(text)
                if style is None:
                    out.append(text)
                    continue
                found = codes.get(style)
                if found is None:
                    found = codes[style] = self._codes_of(style)
                out.append(found[0] + text + found[1] if text else text)
            out.append("\n")
        self._lines.clear()  # in place: table() holds the list
        if self.console.quiet:
            return
        try:
            self.console.file.write("".join(out))
        except BrokenPipeError:
            self.console.quiet = True
            raise _gone() from None

    def _codes_of(self, style: Any) -> tuple[str, str]:
        """The codes before and after a run of text in ``style``, as the console renders it."""
        if self.console.no_color and self._color_system:
            style = style.without_color
        before, marker, after = style.render("\x00", color_system=self._color_system).partition("\x00")
        return (before, after) if marker else ("", "")

    def close(self) -> None:
        self.write()
        if self.direct and not self.console.quiet:
            try:
                self.console.file.flush()
            except BrokenPipeError:
                self.console.quiet = True
                raise _gone() from None


def _color_system(console: Any) -> Any:
    """The console's rich ``ColorSystem`` (None: no colour), False when it has another."""
    from rich.color import ColorSystem

    name = console.color_system
    if name is None:
        return None
    member = _COLOR_SYSTEMS.get(name)
    return getattr(ColorSystem, member) if member else False


def stream_rows(
    count: int, build: Callable[[int], Sequence[Any]]
) -> Iterator[Sequence[Any]]:
    """Rows built one at a time, as they are drawn."""
    for index in range(count):
        yield build(index)
