"""The terminal burn-up chart (``roadmap status --chart``), drawn with rich.

Kept apart from :mod:`roadmap_cli.render` (tables) but under the same rules: rich is imported
only inside the drawing function; colour only on a terminal and never with ``NO_COLOR`` (the
console comes from :func:`roadmap_cli.table.table_console`); plain text when piped, without
trailing spaces, at the width of ``COLUMNS`` (default 80).

The chart is a column chart over time: each column is one date (the series resampled evenly
from the first to the last point), bars of block characters show progress (green, or yellow
where it is below the schedule), a dotted mark ``╌`` shows where the schedule expects progress
to be (visible wherever the bar has not reached it), and ``▲`` under the axis marks the as-of
date. Columns after the as-of date carry only the expected mark (the future is not known).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import IO

from roadmap_cli import i18n
from roadmap_cli.burnup import Point
from roadmap_cli.i18n import _

HEIGHT = 10  # rows of 10 % each
_BLOCKS = " ▁▂▃▄▅▆▇█"
_AXIS = 6  # "100% ┤" is 6 columns


def resample(points: Sequence[Point], columns: int) -> list[Point]:
    """``columns`` points at evenly spaced dates from the first point to the last, each taking
    the values of the latest point on or before its date (the series is a step function)."""
    if not points or columns <= 0:
        return []
    first, last = points[0].date, points[-1].date
    span = (last - first).days
    out = []
    j = 0
    for c in range(columns):
        offset = round(span * c / (columns - 1)) if columns > 1 else span
        d = date.fromordinal(first.toordinal() + offset)
        while j + 1 < len(points) and points[j + 1].date <= d:
            j += 1
        p = points[j]
        out.append(Point(d, p.progress_pct, p.expected_pct))
    return out


def _last_known(points: Sequence[Point]) -> Point | None:
    return next((p for p in reversed(points) if p.progress_pct is not None), None)


def chart_lines(points: Sequence[Point], width: int) -> list[list[tuple[str, str]]]:
    """The chart as lines of (text, style) pieces: HEIGHT rows, the axis, the date labels.

    Pure (no rich): :func:`print_burnup` turns the pieces into rich ``Text``.
    """
    cols = max(10, width - _AXIS - 1)
    if len(points) < cols:
        cols = max(10, min(cols, len(points) * 2))
    sampled = resample(points, cols)
    known = _last_known(points)
    as_of = known.date if known else None
    mark = None
    if known is not None and as_of is not None and sampled:
        # the column nearest the as-of date shows its point (the figures of the legend): the
        # even dates may step over it (a column on the 20th, the next on the 1st); after it
        # nothing is known of progress
        mark = min(range(len(sampled)), key=lambda k: abs((sampled[k].date - as_of).days))
        sampled = [Point(p.date, None, p.expected_pct) if p.date > as_of else p for p in sampled]
        sampled[mark] = Point(as_of, known.progress_pct, known.expected_pct)
    lines: list[list[tuple[str, str]]] = []
    for r in range(HEIGHT):
        lo = (HEIGHT - 1 - r) * 100 / HEIGHT
        hi = lo + 100 / HEIGHT
        label = {0: "100%", HEIGHT // 2: " 50%"}.get(r, "")  # (the top of its row's band)
        line: list[tuple[str, str]] = [(f"{label:>4} ┤" if label else "     │", "dim")]
        for p in sampled:
            prog, exp = p.progress_pct, p.expected_pct
            behind = prog is not None and exp is not None and prog < exp
            style = "yellow" if behind else "green"
            cell, cell_style = " ", ""
            if prog is not None and prog > lo:
                eighths = 8 if prog >= hi else max(1, round((prog - lo) / (hi - lo) * 8))
                cell, cell_style = _BLOCKS[eighths], style
            in_band = exp is not None and (lo <= exp < hi or (exp >= 100 and r == 0))
            lagging = prog is None or (exp is not None and prog < exp)
            if in_band and lagging and cell != _BLOCKS[8]:
                cell, cell_style = "╌", "bold blue"
            line.append((cell, cell_style))
        lines.append(line)
    axis = "  0% └" + "─" * len(sampled)
    lines.append([(axis, "dim")])
    marks = [" "] * len(sampled)
    labels = [" "] * len(sampled)
    for i, p in enumerate(sampled):
        if p.date.month == 1 and (i == 0 or sampled[i - 1].date.year != p.date.year):
            text = str(p.date.year)
            free = labels[max(0, i - 1) : i + len(text) + 1]
            if i + len(text) <= len(labels) and all(ch == " " for ch in free):
                labels[i : i + len(text)] = list(text)
    if mark is not None:
        marks[mark] = "▲"
    lines.append([("      " + "".join(marks).rstrip(), "bold")])
    lines.append([("      " + "".join(labels).rstrip(), "dim")])
    return lines


def print_burnup(
    series: Sequence[Point], title: str, out: IO[str] | None = None, width: int | None = None
) -> None:
    """Draw one document's burn-up: a title line with the figures, the chart, a legend."""
    from rich.text import Text

    from roadmap_cli.table import table_console

    console = table_console(out, width)  # off a terminal: plain lines, no trailing spaces
    points = list(series)
    heading = Text(title, style="bold")
    if points:
        span = "  {first} .. {last}".format(first=i18n.day(points[0].date), last=i18n.day(points[-1].date))
        heading.append(span, style="dim")
    console.print(heading)
    if not points:
        console.print(Text(_("No dates to chart."), style="dim"))
        return
    known = _last_known(points)
    if known is None or known.progress_pct is None:
        note = _("Nothing to count: every measure is cancelled or ongoing, or the chart starts "
                 "later.")
        console.print(Text(note, style="dim"))
    for pieces in chart_lines(points, console.width):
        text = Text(no_wrap=True, overflow="crop")
        for piece, style in pieces:
            text.append(piece, style=style)
        console.print(text)
    if known is not None:
        legend = Text()
        behind = (
            known.progress_pct is not None
            and known.expected_pct is not None
            and known.progress_pct < known.expected_pct
        )
        legend.append("█", style="yellow" if behind else "green")
        legend.append(" " + _("progress {percent}").format(percent=_pct(known.progress_pct)) + "   ")
        legend.append("╌", style="bold blue")
        legend.append(" " + _("expected {percent}").format(percent=_pct(known.expected_pct)) + "   ")
        legend.append("▲", style="bold")
        legend.append(" " + _("as of {date}").format(date=i18n.day(known.date)))
        console.print(legend)


def _pct(value: float | None) -> str:
    return "–" if value is None else i18n.pct(value)
