"""The lines of a terminal table on a terminal: the cells keep their styles.

:mod:`roadmap_cli.tabledraw` draws a table's lines; on a terminal (:class:`ConsoleSink`) each
line is a list of (text, rich ``Style``) runs with the cells' styles, written as the console
writes them (each style's codes made once by rich: ``NO_COLOR``, ``FORCE_COLOR``, its colour
system) with control characters removed as the safe console removes them
(``render.safe_console_class``); a legacy Windows console gets them through
``console.print``. Off a terminal, no rich console is made (:class:`tabledraw.PlainSink`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import Any

from roadmap_cli.tabledraw import Grid, one_line, pieces, plain_lines, reader_gone
from roadmap_cli.textsafe import terminal

#: a cell drawn with styles: (its text, the style of all of it, (start, end, style) spans)
Styled = tuple[str, str, tuple[tuple[int, int, str], ...]]


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
            raise reader_gone() from None

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
                raise reader_gone() from None


def _color_system(console: Any) -> Any:
    """The console's rich ``ColorSystem`` (None: no colour), False when it has another."""
    from rich.color import ColorSystem

    name = console.color_system
    if name is None:
        return None
    member = _COLOR_SYSTEMS.get(name)
    return getattr(ColorSystem, member) if member else False
