"""Pure: the report's SVG charts (inline in the HTML report): a document's burn-up and an
indicator's actuals against its target. Every piece of text from the data goes through
``html.escape``."""

from __future__ import annotations

import html
import math
import re
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from roadmap_cli import burnup
from roadmap_cli.labels import number, pct, t
from roadmap_cli.report_content import day, word

_TO_ESCAPE = re.compile("[&<>\"']").search


def esc(text: str) -> str:
    """``html.escape(text)`` (quotes too); text with nothing to escape is returned as it is."""
    return html.escape(text) if _TO_ESCAPE(text) else text


def num(value: float, lang: str) -> str:
    """``esc(number(value, lang))``, made once per value and language (a report writes the same
    few hundred values on thousands of charts)."""
    key = (value, value.__class__, lang)
    text = _NUMBERS.get(key)
    if text is None:
        text = esc(number(value, lang))
        if len(_NUMBERS) < _MAX_REMEMBERED:
            _NUMBERS[key] = text
    return text


_NUMBERS: dict[tuple[float, type, str], str] = {}


#: chart colours (also readable in grey when printed: solid vs dashed lines)
COLOURS = {
    "progress": "#1a7f37",
    "behind": "#b35900",
    "expected": "#57606a",
    "asof": "#0969da",
    "target": "#8250df",
    "baseline": "#8c959f",
    "overdue": "#c62828",
}


def coord(x: float) -> str:
    """A coordinate with at most one decimal (stable, compact output)."""
    text = _COORDS.get(x) if x else None  # (0.0 and -0.0 are one key, not one text)
    if text is None:
        text = f"{x:.1f}"
        if text.endswith(".0"):
            text = text[:-2]
        if x and len(_COORDS) < _MAX_REMEMBERED:
            _COORDS[x] = text
    return text


#: the texts of the coordinates written so far (a report repeats the same few thousand)
_COORDS: dict[float, str] = {}
_MAX_REMEMBERED = 1 << 16


class _Scale:
    """Linear maps from dates and values to SVG coordinates."""

    def __init__(
        self, d0: date, d1: date, v0: float, v1: float, box: tuple[float, float, float, float]
    ) -> None:
        self.d0, self.d1, self.v0, self.v1 = d0, d1, v0, v1
        self.left, self.top, self.right, self.bottom = box

    def x(self, d: date) -> float:
        span = max((self.d1 - self.d0).days, 1)
        return self.left + (self.right - self.left) * (d - self.d0).days / span

    def y(self, v: float) -> float:
        # in halves: the same ratio, and no overflow to inf (or nan) for values near ±1e308
        span = (self.v1 / 2 - self.v0 / 2) or 1
        part = v / 2 - self.v0 / 2
        product = (self.bottom - self.top) * part
        if math.isfinite(product):
            return self.bottom - product / span
        return self.bottom - (self.bottom - self.top) * (part / span)


def _polyline(points: Sequence[tuple[float, float]], colour: str, extra: str = "") -> str:
    coords = " ".join(f"{coord(x)},{coord(y)}" for x, y in points)
    return (
        f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
        f'stroke-linejoin="round" points="{coords}"{extra}/>'
    )


def _year_ticks(s: _Scale, room: float = 0) -> list[str]:
    """A grid line at each 1 January inside the span, labelled with the year when there is
    ``room`` (px) for the label before the right edge (the same for every chart of a document's
    span: made once)."""
    key = (s.d0, s.d1, s.left, s.top, s.right, s.bottom, room)
    known = _TICKS.get(key)
    if known is None:
        known = _ticks(s, room)
        if len(_TICKS) < _MAX_REMEMBERED:
            _TICKS[key] = known
    return list(known)


_TICKS: dict[tuple[Any, ...], list[str]] = {}


def _ticks(s: _Scale, room: float) -> list[str]:
    out = []
    for year in range(s.d0.year + 1, s.d1.year + 1):
        x = s.x(date(year, 1, 1))
        out.append(
            f'<line x1="{coord(x)}" y1="{coord(s.top)}" x2="{coord(x)}" y2="{coord(s.bottom)}" class="grid"/>'
        )
        if x + room <= s.right:
            out.append(
                f'<text x="{coord(x)}" y="{coord(s.bottom + 16)}" text-anchor="middle">{year}</text>'
            )
    return out


def burnup_svg(points: Sequence[burnup.Point], title: str, as_of: date, lang: str) -> str:
    """The burn-up chart: progress (solid) and expected (dashed) over time, 0..100 %."""
    width, height = 720, 260
    if not points:
        return ""
    s = _Scale(points[0].date, points[-1].date, 0, 100, (48, 14, width - 70, height - 34))
    last = next((p for p in reversed(points) if p.progress_pct is not None), None)
    expected_now = next((p.expected_pct for p in points if p.date == as_of), None)
    behind = (
        last is not None
        and last.progress_pct is not None
        and expected_now is not None
        and last.progress_pct < expected_now
    )
    colour = COLOURS["behind" if behind else "progress"]
    caption = t(
        "chart_caption",
        lang,
        title=title,
        progress=pct(last.progress_pct if last else None, lang),
        expected=pct(expected_now, lang),
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="burnup" role="img" aria-label="{esc(caption)}">',
        f"<title>{esc(caption)}</title>",
    ]
    for v in (0, 25, 50, 75, 100):
        gy = coord(s.y(v))
        parts.append(
            f'<line x1="{coord(s.left)}" y1="{gy}" x2="{coord(s.right)}" y2="{gy}" class="grid"/>'
            f'<text x="{coord(s.left - 6)}" y="{gy}" dy="4" text-anchor="end">{v}%</text>'
        )
    parts += _year_ticks(s, room=0)
    exp = [(s.x(p.date), s.y(p.expected_pct)) for p in points if p.expected_pct is not None]
    if exp:
        parts.append(
            _polyline(exp, COLOURS["expected"], ' stroke-dasharray="6 4" class="expected"')
        )
    prog = [(s.x(p.date), s.y(p.progress_pct)) for p in points if p.progress_pct is not None]
    if prog:
        parts.append(_polyline(prog, colour, ' class="progress"'))
    if points[0].date <= as_of <= points[-1].date:
        ax = coord(s.x(as_of))
        parts.append(
            f'<line x1="{ax}" y1="{coord(s.top)}" x2="{ax}" y2="{coord(s.bottom)}" '
            f'stroke="{COLOURS["asof"]}" stroke-width="1" stroke-dasharray="2 2"/>'
            f'<text x="{ax}" y="{coord(s.top - 3)}" text-anchor="middle" class="asof">'
            f"{esc(day(as_of, lang))}</text>"
        )
    if last is not None and last.progress_pct is not None:
        x, y = s.x(last.date), s.y(last.progress_pct)
        parts.append(
            f'<circle cx="{coord(x)}" cy="{coord(y)}" r="4" fill="{colour}"/>'
            f'<text x="{coord(x + 7)}" y="{coord(y)}" dy="4" class="value" fill="{colour}">'
            f"{esc(pct(last.progress_pct, lang))}</text>"
        )
    if expected_now is not None:
        y = s.y(expected_now)
        x = s.x(as_of)
        parts.append(
            f'<text x="{coord(x + 7)}" y="{coord(y)}" dy="{-6 if behind else 14}" class="value" '
            f'fill="{COLOURS["expected"]}">{esc(pct(expected_now, lang))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def indicator_svg(ind: Mapping[str, Any], as_of: date, lang: str) -> str:
    """Actuals over time against the baseline (dotted) and the target (dashed) lines."""
    width, height = 360, 170
    series: Sequence[tuple[date, float]] = ind["series"]
    d0, d1 = ind["span"]
    if series:
        d0, d1 = min(d0, series[0][0]), max(d1, series[-1][0])
    base = ind["baseline"]
    values = [v for _, v in series] + [ind["target"]] + ([base] if base is not None else [0])
    lo, hi = min(values), max(values)
    pad = (hi / 2 - lo / 2) * 0.2 or 1  # (hi - lo) * 0.1 without overflowing
    # (and the padded ends within the floats: -1.7e308 - 3.4e307 is -inf, whose lines were nan)
    top = sys.float_info.max
    s = _Scale(d0, d1, max(lo - pad, -top), min(hi + pad, top), (8, 12, width - 8, height - 22))
    label = f"{ind['title']}: {word('target', lang)} {number(ind['target'], lang)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="indicator-chart" role="img" aria-label="{esc(label)}">',
        f"<title>{esc(label)}</title>",
    ]
    parts += _year_ticks(s, room=14)

    def hline(value: float, colour: str, dash: str, text: str, cls: str) -> None:
        # labels at the right end: the actuals so far sit on the left of the period
        y = coord(s.y(value))
        parts.append(
            f'<line x1="{coord(s.left)}" y1="{y}" x2="{coord(s.right)}" y2="{y}" stroke="{colour}" '
            f'stroke-width="1.5" stroke-dasharray="{dash}" class="{cls}"/>'
            f'<text x="{coord(s.right - 2)}" y="{y}" dy="-4" text-anchor="end" fill="{colour}">'
            f"{esc(text)}</text>"
        )

    hline(
        ind["target"],
        COLOURS["target"],
        "6 3",
        f"{word('target', lang)} {number(ind['target'], lang)}",
        "target",
    )
    if base is not None:
        hline(
            base,
            COLOURS["baseline"],
            "2 3",
            f"{word('baseline', lang)} {number(base, lang)}",
            "baseline",
        )
    if d0 <= as_of <= d1:
        ax = coord(s.x(as_of))
        parts.append(
            f'<line x1="{ax}" y1="{coord(s.top)}" x2="{ax}" y2="{coord(s.bottom)}" '
            f'stroke="{COLOURS["asof"]}" stroke-width="1" stroke-dasharray="2 2"/>'
        )
    pts = [(s.x(d), s.y(v)) for d, v in series]
    if len(pts) > 1:
        parts.append(_polyline(pts, COLOURS["progress"], ' class="actuals"'))
    for (x, y), (d, v) in zip(pts, series, strict=True):
        parts.append(
            f'<circle cx="{coord(x)}" cy="{coord(y)}" r="3.5" fill="{COLOURS["progress"]}">'
            f"<title>{d.isoformat()}: {num(v, lang)}</title></circle>"
        )
    if pts:  # only the latest figure is written out: earlier ones would collide
        (x, y), (_, v) = pts[-1], series[-1]
        parts.append(
            f'<text x="{coord(x + 6)}" y="{coord(y)}" dy="-6" class="value">{num(v, lang)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
