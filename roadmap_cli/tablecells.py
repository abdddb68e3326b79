"""The text of a table's cells: plain (:func:`cell_plain`, what is measured and written off a
terminal) and styled (:func:`cell_styled`: bars, the plan line, health and status colours) for
:mod:`roadmap_cli.table`, which lays the columns out and draws them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from roadmap_cli import i18n
from roadmap_cli.cellwidth import cell_len
from roadmap_cli.i18n import _
from roadmap_cli.labels import filled_cells, whole_percent
from roadmap_cli.render import STYLES, Column, cell_text, health_word

if TYPE_CHECKING:
    from roadmap_cli.tableconsole import Styled


def cell_plain(c: Column, row: Mapping[str, Any]) -> str:
    """The text of one cell, as measured and as drawn off a terminal."""
    value = row.get(c.key)
    if c.kind == "bar":
        return "".join(text for text, _style in _bar(value, None))
    if c.kind == "progress":
        return "".join(text for text, _style in _progress_cell(value, None))
    if c.kind == "lines":
        return lines_plain(value)
    return cell_text(value, c.kind)


def cell_styled(c: Column, row: Mapping[str, Any], width: int | None = None) -> Styled:
    """One cell with its styles, for a terminal: (text, style, spans); a ``lines`` cell as
    drawn in a column ``width`` wide."""
    value = row.get(c.key)
    style = c.style(row) if c.style else None
    if c.kind == "bar":
        parts = _bar(value, style)
    elif c.kind == "progress":
        parts = _progress_cell(value, style)
    elif c.kind == "lines":
        parts = _lines(value, width)
    else:
        return cell_text(value, c.kind), style or "", ()
    spans: list[tuple[int, int, str]] = []
    offset = 0
    for text, part_style in parts:
        if part_style and text:
            spans.append((offset, offset + len(text), part_style))
        offset += len(text)
    return "".join(text for text, _style in parts), "", tuple(spans)


#: cells drawn at a fixed width
KIND_WIDTH = {"progress": 13, "bar": 21}

#: a cell as pieces of text, each with its style
Parts = list[tuple[str, str]]


def _lines(value: Any, width: int | None = None) -> Parts:
    """A cell of several lines, each (text, style); empty lines are left out. A line of one
    word wider than ``width`` that holds a slash (ROADMAP/MEASURE) goes on two lines after its
    last slash, so that neither id is broken."""
    parts: Parts = []
    for text_part, style in value or ():
        if not text_part:
            continue
        if parts:
            parts.append(("\n", ""))
        if width is not None and cell_len(text_part) > width and " " not in text_part.strip():
            head, slash, tail = text_part.rpartition("/")
            if slash and head:
                text_part = head + "/\n" + tail
        parts.append((text_part, style or ""))
    return parts


def splits(value: Any, width: int) -> bool:
    """Whether :func:`_lines` puts a line of ``value`` on two after its slash in a column
    ``width`` wide (else its text is the same at every width)."""
    for text_part, _style in value or ():
        if "/" in text_part and cell_len(text_part) > width and " " not in text_part.strip():
            return True
    return False


def lines_plain(value: Any, width: int | None = None) -> str:
    """The text of a ``lines`` cell (see :func:`_lines`)."""
    if width is None:  # its non-empty lines (what _lines makes of them at no width)
        return "\n".join([text for text, _style in value or () if text])
    return "".join(text for text, _style in _lines(value, width))


def _progress_cell(value: Any, style: str | None, width: int = 6) -> Parts:
    """Progress as a bar with its percentage, then the plan (expected) and a health word."""
    progress, expected, health = value
    parts: Parts = []
    if progress is None:
        parts.append(("–", "dim"))
    else:
        filled = filled_cells(progress, width)
        parts.append(("█" * filled, STYLES.get(str(health)) or "green"))
        parts.append(("░" * (width - filled), "dim"))
        parts.append((" " + whole_pct(progress).rjust(4), ""))
    if expected is not None:
        parts.append(("\n" + _("plan {pct}").format(pct=whole_pct(expected)), "dim"))
    if health:
        parts.append(("\n" + health_word(str(health)), style or STYLES.get(str(health)) or ""))
    return parts


def _bar(value: Any, style: str | None, width: int = 10) -> Parts:
    """A progress bar: filled to progress, with a tick at the expected point; text after it."""
    progress, expected = value if value else (None, None)
    if progress is None:
        return [("–", "dim")]
    parts: Parts = []
    filled = filled_cells(progress, width)
    mark = None if expected is None else min(width - 1, round(expected / 100 * width))
    for i in range(width):
        if i == mark and i >= filled:
            parts.append(("┊", "bold"))
        elif i < filled:
            parts.append(("█", style or "green"))
        else:
            parts.append(("░", "dim"))
    parts.append((" " + whole_pct(progress), ""))
    if expected is not None:
        parts.append(("/" + whole_pct(expected), "dim"))
    return parts


def whole_pct(value: float) -> str:
    """A percentage rounded to a whole number for bars: ``37%`` (en), ``37 %`` (ru)."""
    number = str(whole_percent(value))
    return number + "%" if i18n.current() == "en" else number + "\u00a0%"
