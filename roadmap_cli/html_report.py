"""Pure: the report document for people who never open a terminal, as one self-contained HTML
file (inline CSS, inline SVG charts, no network) or as Markdown with the same content.

:func:`content` gathers everything once, from the pure row functions of
:mod:`roadmap_cli.report` (status, agencies, overdue, upcoming), :mod:`roadmap_cli.burnup` and
:mod:`roadmap_cli.indicators`; :func:`to_html` and :func:`to_markdown` only lay it out. Static
words come from :mod:`roadmap_cli.labels` in the language asked (en, ru; others fall back to en).

Safety and self-containment: every piece of text from the data goes through ``html.escape``
(text and attributes alike); the page declares a Content-Security-Policy that allows no network
access at all (``default-src 'none'``), so a stray external reference would fail loudly in a
browser instead of leaking a request. One tiny inline script marks the page as rendered
(``<html data-rendered="yes">``): the browser test checks it ran.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from roadmap_cli import burnup, indicators, report, report_signed
from roadmap_cli.labels import LABELS, number, pct, t
from roadmap_cli.model import Agency, Roadmap, pick

esc = html.escape

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


# --------------------------------------------------------------------------------------------
# Content: plain data shared by the HTML and Markdown forms


@dataclass(frozen=True)
class Document:
    roadmap: Roadmap
    row: Mapping[str, Any]  # report.status_rows row
    burnup: list[burnup.Point]
    agencies: list[dict[str, Any]]
    overdue: list[dict[str, Any]]
    upcoming: list[dict[str, Any]]
    indicators: list[dict[str, Any]]  # indicators.indicator_row + "series" + "span"
    #: report.section_rows of the document; empty when it has no `sections`
    sections: list[dict[str, Any]] = field(default_factory=list)
    #: (N, M) of "done on time against the signed deadlines: N of M"
    on_time: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Content:
    as_of: date
    window_end: date
    lang: str
    summary: list[dict[str, Any]]
    documents: list[Document]
    agencies: Mapping[str, Agency]


def content(
    roadmaps: Sequence[Roadmap],
    agencies: Mapping[str, Agency],
    as_of: date,
    window_end: date,
    lang: str = "en",
    on_step: Callable[[int, int], None] | None = None,
) -> Content:
    """Everything the report shows, per document, as of ``as_of``. ``on_step(done, total)`` is
    called after each document (a progress display)."""
    summary = report.status_rows(roadmaps, as_of, window_end, lang)
    docs = []
    for rm, row in zip(roadmaps, summary, strict=True):
        span = (burnup.start_date(rm), burnup.end_date(rm))  # once: it reads every deadline
        inds = []
        for m in rm.measures:
            for ind in m.indicators:
                inds.append(
                    {
                        **indicators.indicator_row(rm, m, ind, as_of, lang),
                        "series": list(indicators.actual_series(ind, as_of)),
                        "span": span,
                    }
                )
        docs.append(
            Document(
                roadmap=rm,
                row=row,
                burnup=burnup.series(
                    rm,
                    as_of,
                    burnup.checkpoints(*span, as_of),
                    now=(row["progress_pct"], row["expected_pct"]),
                ),
                agencies=report.agency_rows([rm], agencies, as_of, window_end, lang),
                overdue=report.overdue_rows([rm], as_of, lang),
                upcoming=report.upcoming_rows([rm], as_of, window_end, lang),
                indicators=inds,
                sections=(
                    report.section_rows([rm], as_of, window_end, lang) if rm.sections else []
                ),
                on_time=report_signed.on_time_against_signed([(m, rm) for m in rm.measures], as_of),
            )
        )
        if on_step is not None:
            on_step(len(docs), len(roadmaps))
    return Content(as_of, window_end, lang, summary, docs, agencies)


def _short(agency_id: str, agencies: Mapping[str, Agency], lang: str) -> str:
    """An agency's short name when the registry has one, else its id."""
    known = agencies.get(agency_id)
    if known is not None and known.short:
        return pick(known.short, lang) or agency_id
    return agency_id


def _status_word(status: str, lang: str) -> str:
    return t(status, lang).lower() if lang != "en" else status.replace("_", " ")


def _health_word(health: str, lang: str) -> str:
    if health == "overdue":
        return t("overdue", lang).lower()
    return t(health, lang)


def _due_text(due: Any) -> str:
    if isinstance(due, Mapping):
        return "{" + ", ".join(f"{k}: {v}" for k, v in due.items()) + "}"
    return str(due)


def _day(value: object, lang: str) -> str:
    """A date as people of ``lang`` write it (22.11.2026 in Russian)."""
    from roadmap_cli.i18n import day

    return day(value, lang)


def _kind_word(kind: str, lang: str) -> str:
    return t("kind_" + kind, lang) if ("kind_" + kind) in LABELS else kind


def _deadline_text(row: Mapping[str, Any], lang: str = "en") -> str:
    text = _day(row["deadline"], lang)
    if row.get("period"):
        text += f" ({row['period']})"
    if row.get("rescheduled_by") and row.get("signed_deadline") != row.get("deadline"):
        signed = row.get("signed_deadline")
        text += " ({})".format(t("signed_deadline", lang, date=_day(signed, lang) if signed else "–"))
    return text


# --------------------------------------------------------------------------------------------
# SVG charts


def _f(x: float) -> str:
    """A coordinate with at most one decimal (stable, compact output)."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


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
    coords = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
    return (
        f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
        f'stroke-linejoin="round" points="{coords}"{extra}/>'
    )


def _year_ticks(s: _Scale, room: float = 0) -> list[str]:
    """A grid line at each 1 January inside the span, labelled with the year when there is
    ``room`` (px) for the label before the right edge."""
    out = []
    for year in range(s.d0.year + 1, s.d1.year + 1):
        x = s.x(date(year, 1, 1))
        out.append(
            f'<line x1="{_f(x)}" y1="{_f(s.top)}" x2="{_f(x)}" y2="{_f(s.bottom)}" class="grid"/>'
        )
        if x + room <= s.right:
            out.append(
                f'<text x="{_f(x)}" y="{_f(s.bottom + 16)}" text-anchor="middle">{year}</text>'
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
        gy = _f(s.y(v))
        parts.append(
            f'<line x1="{_f(s.left)}" y1="{gy}" x2="{_f(s.right)}" y2="{gy}" class="grid"/>'
            f'<text x="{_f(s.left - 6)}" y="{gy}" dy="4" text-anchor="end">{v}%</text>'
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
        ax = _f(s.x(as_of))
        parts.append(
            f'<line x1="{ax}" y1="{_f(s.top)}" x2="{ax}" y2="{_f(s.bottom)}" '
            f'stroke="{COLOURS["asof"]}" stroke-width="1" stroke-dasharray="2 2"/>'
            f'<text x="{ax}" y="{_f(s.top - 3)}" text-anchor="middle" class="asof">'
            f"{esc(_day(as_of, lang))}</text>"
        )
    if last is not None and last.progress_pct is not None:
        x, y = s.x(last.date), s.y(last.progress_pct)
        parts.append(
            f'<circle cx="{_f(x)}" cy="{_f(y)}" r="4" fill="{colour}"/>'
            f'<text x="{_f(x + 7)}" y="{_f(y)}" dy="4" class="value" fill="{colour}">'
            f"{esc(pct(last.progress_pct, lang))}</text>"
        )
    if expected_now is not None:
        y = s.y(expected_now)
        x = s.x(as_of)
        parts.append(
            f'<text x="{_f(x + 7)}" y="{_f(y)}" dy="{-6 if behind else 14}" class="value" '
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
    s = _Scale(d0, d1, lo - pad, hi + pad, (8, 12, width - 8, height - 22))
    label = f"{ind['title']}: {t('target', lang)} {number(ind['target'], lang)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="indicator-chart" role="img" aria-label="{esc(label)}">',
        f"<title>{esc(label)}</title>",
    ]
    parts += _year_ticks(s, room=14)

    def hline(value: float, colour: str, dash: str, text: str, cls: str) -> None:
        # labels at the right end: the actuals so far sit on the left of the period
        y = _f(s.y(value))
        parts.append(
            f'<line x1="{_f(s.left)}" y1="{y}" x2="{_f(s.right)}" y2="{y}" stroke="{colour}" '
            f'stroke-width="1.5" stroke-dasharray="{dash}" class="{cls}"/>'
            f'<text x="{_f(s.right - 2)}" y="{y}" dy="-4" text-anchor="end" fill="{colour}">'
            f"{esc(text)}</text>"
        )

    hline(
        ind["target"],
        COLOURS["target"],
        "6 3",
        f"{t('target', lang)} {number(ind['target'], lang)}",
        "target",
    )
    if base is not None:
        hline(
            base,
            COLOURS["baseline"],
            "2 3",
            f"{t('baseline', lang)} {number(base, lang)}",
            "baseline",
        )
    if d0 <= as_of <= d1:
        ax = _f(s.x(as_of))
        parts.append(
            f'<line x1="{ax}" y1="{_f(s.top)}" x2="{ax}" y2="{_f(s.bottom)}" '
            f'stroke="{COLOURS["asof"]}" stroke-width="1" stroke-dasharray="2 2"/>'
        )
    pts = [(s.x(d), s.y(v)) for d, v in series]
    if len(pts) > 1:
        parts.append(_polyline(pts, COLOURS["progress"], ' class="actuals"'))
    for (x, y), (d, v) in zip(pts, series, strict=True):
        parts.append(
            f'<circle cx="{_f(x)}" cy="{_f(y)}" r="3.5" fill="{COLOURS["progress"]}">'
            f"<title>{esc(d.isoformat())}: {esc(number(v, lang))}</title></circle>"
        )
    if pts:  # only the latest figure is written out: earlier ones would collide
        (x, y), (_, v) = pts[-1], series[-1]
        parts.append(
            f'<text x="{_f(x + 6)}" y="{_f(y)}" dy="-6" class="value">{esc(number(v, lang))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------------------------
# HTML

CSS = """
:root { --fg: #1f2328; --muted: #57606a; --line: #d0d7de; --bg-soft: #f6f8fa;
  --ok: #1a7f37; --warn: #b35900; --bad: #c62828; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  color: var(--fg); margin: 0 auto; padding: 24px 32px 48px; max-width: 1100px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 6px; padding-top: 12px; border-top: 3px solid var(--fg); }
h3 { font-size: 16px; margin: 22px 0 8px; }
.asof, .meta, .note, footer { color: var(--muted); }
.meta { margin: 0 0 12px; }
code { font: 13px ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left;
  vertical-align: top; }
th { background: var(--bg-soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
th { hyphens: auto; }
td code { overflow-wrap: anywhere; }
table.agencies { font-size: 13px; }
table.agencies th, table.agencies td { padding: 4px 5px; }
td.nowrap { white-space: nowrap; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0 14px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.card .value { display: block; font-size: 24px; font-weight: 700;
  font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 13px; }
.card.bad .value { color: var(--bad); }
.card.warn .value { color: var(--warn); }
.card.ok .value { color: var(--ok); }
.health-behind, .health-overdue { color: var(--warn); font-weight: 600; }
.health-complete, .health-on-track { color: var(--ok); font-weight: 600; }
.overdue-days { color: var(--bad); font-weight: 600; }
figure { margin: 8px 0 12px; }
figcaption { color: var(--muted); font-size: 13px; max-width: 720px; }
svg { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  fill: var(--muted); }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .value { font-weight: 700; font-size: 12px; }
svg.burnup { width: 100%; max-width: 720px; height: auto; }
svg.indicator-chart { width: 100%; max-width: 360px; height: auto; }
.legend { display: flex; gap: 18px; font-size: 13px; color: var(--muted); margin: 2px 0 4px; }
.legend .swatch { display: inline-block; width: 26px; height: 0; vertical-align: middle;
  margin-right: 6px; border-top: 3px solid var(--ok); }
.legend .swatch.expected { border-top: 3px dashed #57606a; }
.indicators { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr));
  gap: 14px; }
.indicator { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.indicator h4 { font-size: 14px; margin: 0 0 2px; }
.indicator .ref { color: var(--muted); font-size: 12px; margin: 0 0 6px; }
.indicator dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 6px 0 0;
  font-size: 13px; }
.indicator dt { color: var(--muted); }
.indicator dd { margin: 0; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; width: 80px; height: 8px; background: var(--line);
  border-radius: 4px; vertical-align: middle; margin-right: 6px; overflow: hidden; }
.bar > span { display: block; height: 100%; background: var(--ok); }
nav ol { margin: 4px 0; padding-left: 22px; }
.empty { color: var(--muted); font-style: italic; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10pt; padding: 0; max-width: none; }
  h1 { font-size: 18pt; }
  h2 { font-size: 14pt; }
  nav { display: none; }
  .document { break-before: page; }
  table, figure, .indicator, .cards, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  th, td { padding: 3px 5px; }
  table { font-size: 9pt; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

READY_SCRIPT = '<script>document.documentElement.setAttribute("data-rendered", "yes");</script>'


def _table(
    headers: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[tuple[str, str]]],
    cls: str = "",
) -> str:
    """A table; headers are (text, css class), cells are (html, css class): cell html is
    already escaped by the caller."""
    head = "".join(
        f'<th class="{c}">{esc(h)}</th>' if c else f"<th>{esc(h)}</th>" for h, c in headers
    )
    body = []
    for row in rows:
        cells = "".join(f'<td class="{c}">{v}</td>' if c else f"<td>{v}</td>" for v, c in row)
        body.append(f"<tr>{cells}</tr>")
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _health_html(health: str, lang: str) -> str:
    cls = "health-" + health.replace(" ", "-").replace("/", "")
    return f'<span class="{esc(cls)}">{esc(_health_word(health, lang))}</span>'


def _card(key: str, value: str, label: str, tone: str = "") -> str:
    cls = f"card {tone}".strip()
    return (
        f'<div class="{cls}" data-key="{esc(key)}"><span class="value">{esc(value)}</span>'
        f'<span class="label">{esc(label)}</span></div>'
    )


def _bar(value: float | None) -> str:
    width = 0.0 if value is None else max(0.0, min(100.0, value))
    return f'<span class="bar"><span style="width:{_f(width)}%"></span></span>'


def _summary_html(c: Content) -> str:
    lang = c.lang
    headers = [
        (t("document", lang), ""),
        (t("measures", lang), "num"),
        (t("done", lang), "num"),
        (t("overdue", lang), "num"),
        (t("due_soon", lang), "num"),
        (t("progress", lang), "num"),
        (t("expected", lang), "num"),
        (t("health", lang), ""),
    ]
    rows = []
    for r in c.summary:
        rows.append(
            [
                (
                    f'<a href="#doc-{esc(r["roadmap"])}">{esc(r["title"])}</a><br>'
                    f"<code>{esc(r['roadmap'])}</code>",
                    "",
                ),
                (esc(str(r["measures"])), "num"),
                (esc(str(r["done"])), "num"),
                (esc(str(r["overdue"])), "num" + (" overdue-days" if r["overdue"] else "")),
                (esc(str(r["due_soon"])), "num"),
                (esc(pct(r["progress_pct"], lang)), "num"),
                (esc(pct(r["expected_pct"], lang)), "num"),
                (_health_html(r["health"], lang), ""),
            ]
        )
    return _table(headers, rows, "summary")


def _items_html(items: Sequence[Mapping[str, Any]], c: Content, days_key: str) -> str:
    lang = c.lang
    headers = [
        (t("measure", lang), ""),
        (t("title", lang), ""),
        (t("owners", lang), ""),
        (t("deadline", lang), ""),
        (t(days_key, lang), "num"),
        (t("status", lang), ""),
    ]
    rows = []
    for r in items:
        owners = ", ".join(_short(a, c.agencies, lang) for a in r["owners"])
        rows.append(
            [
                (esc(str(r["measure"])), "nowrap"),
                (esc(r["title"]), ""),
                (esc(owners), ""),
                (esc(_deadline_text(r, lang)), "nowrap"),
                (
                    esc(str(r[days_key])),
                    "num days" + (" overdue-days" if days_key == "days_overdue" else ""),
                ),
                (esc(_status_word(r["status"], lang)), ""),
            ]
        )
    return _table(headers, rows, days_key.replace("_", "-"))


#: the counts of an agency row, in the order both report forms show them
_AGENCY_COUNTS = (
    "lead",
    "co_executor",
    "done",
    "in_progress",
    "not_started",
    "blocked",
    "overdue",
    "due_soon",
)


def _agencies_html(rows_in: Sequence[Mapping[str, Any]], lang: str) -> str:
    headers = [
        (t("agency", lang), ""),
        (t("country", lang), ""),
        *((t(k, lang), "num") for k in _AGENCY_COUNTS),
        (t("progress", lang), "num"),
    ]
    rows = []
    for r in rows_in:
        rows.append(
            [
                (f"{esc(r['name'])}<br><code>{esc(r['agency'])}</code>", ""),
                (esc(r["country"] or ""), ""),
                *(
                    (
                        esc(str(r[k])),
                        "num" + (" overdue-days" if k == "overdue" and r[k] else ""),
                    )
                    for k in _AGENCY_COUNTS
                ),
                (esc(pct(r["progress_pct"], lang)), "num"),
            ]
        )
    return _table(headers, rows, "agencies")


def _indicator_html(ind: Mapping[str, Any], as_of: date, lang: str) -> str:
    unit = f" {ind['unit']}" if ind.get("unit") else ""
    if ind["latest"] is not None:
        latest = f"{number(ind['latest'], lang)}{unit} ({ind['latest_date']})"
    else:
        latest = t("no_actuals", lang)
    trend = t(ind["trend"], lang) if ind["trend"] else "–"
    arrow = {"up": "↑ ", "down": "↓ ", "flat": "→ "}.get(ind["trend"] or "", "")
    rows = [
        (
            t("baseline", lang),
            esc(number(ind["baseline"], lang) + (unit if ind["baseline"] is not None else "")),
        ),
        (t("target", lang), esc(number(ind["target"], lang) + unit)),
        (t("latest", lang), esc(latest)),
        (
            t("pct_of_target", lang),
            _bar(ind["pct_of_target"])
            + f'<span class="pct">{esc(pct(ind["pct_of_target"], lang))}</span>',
        ),
        (t("trend", lang), esc(arrow + trend)),
    ]
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f'<div class="indicator" data-indicator="{esc(ind["indicator"])}">'
        f"<h4>{esc(ind['title'])}</h4>"
        f'<p class="ref">{esc(t("measure", lang))} {esc(ind["measure"])}: '
        f"{esc(ind['measure_title'])}</p>"
        f"{indicator_svg(ind, as_of, lang)}<dl>{dl}</dl></div>"
    )


def _document_html(doc: Document, c: Content) -> str:
    lang, rm, row = c.lang, doc.roadmap, doc.row
    title = str(row["title"])
    signed = _day(rm.signed, lang) + (f", {rm.signed_place}" if rm.signed_place else "")
    parties = ", ".join(_short(a, c.agencies, lang) for a in rm.parties)
    meta = (
        f"<code>{esc(rm.id)}</code> · {esc(t('kind', lang))}: {esc(_kind_word(rm.kind, lang))} · "
        f"{esc(t('signed', lang))}: {esc(signed)} · {esc(t('period', lang))}: "
        f"{esc(_day(rm.period_start, lang))} – {esc(_day(rm.period_end, lang))} · "
        f"{esc(t('parties', lang))}: {esc(parties)}"
    )
    progress, expected = row["progress_pct"], row["expected_pct"]
    behind = progress is not None and expected is not None and progress < expected
    cards = "".join(
        [
            _card(
                "progress_pct", pct(progress, lang), t("progress", lang), "warn" if behind else "ok"
            ),
            _card("expected_pct", pct(expected, lang), t("expected", lang)),
            _card(
                "overdue", str(row["overdue"]), t("overdue", lang), "bad" if row["overdue"] else ""
            ),
            _card("due_soon", str(row["due_soon"]), t("due_soon", lang)),
            _card("measures", str(row["measures"]), t("measures", lang)),
            _card("health", _health_word(row["health"], lang), t("health", lang)),
        ]
    )
    legend = (
        f'<div class="legend"><span><span class="swatch"></span>{esc(t("progress", lang))}</span>'
        f'<span><span class="swatch expected"></span>{esc(t("expected", lang))}</span></div>'
    )
    chart = (
        f"<figure>{burnup_svg(doc.burnup, title, c.as_of, lang)}{legend}"
        f"<figcaption>{esc(t('burnup_note', lang, date=_day(c.as_of, lang)))}</figcaption>"
        "</figure>"
    )
    overdue = (
        _items_html(doc.overdue, c, "days_overdue")
        if doc.overdue
        else f'<p class="empty">{esc(t("nothing_overdue", lang))}</p>'
    )
    upcoming = (
        _items_html(doc.upcoming, c, "days_left")
        if doc.upcoming
        else f'<p class="empty">{esc(t("nothing_upcoming", lang))}</p>'
    )
    inds = (
        '<div class="indicators">'
        + "".join(_indicator_html(i, c.as_of, lang) for i in doc.indicators)
        + "</div>"
        if doc.indicators
        else f'<p class="empty">{esc(t("no_indicators", lang))}</p>'
    )
    upcoming_title = t("upcoming_list_until", lang, date=_day(c.window_end, lang))
    return (
        f'<section class="document" id="doc-{esc(rm.id)}" data-roadmap="{esc(rm.id)}">'
        f'<h2>{esc(title)}</h2><p class="meta">{meta}</p>'
        f'<div class="cards">{cards}</div>{_on_time_html(doc, lang)}{_sections_html(doc, lang)}'
        f"<h3>{esc(t('burnup', lang))}</h3>{chart}"
        f"<h3>{esc(t('agencies', lang))}</h3>{_agencies_html(doc.agencies, lang)}"
        f'<h3 data-count="{len(doc.overdue)}" class="overdue-title">'
        f"{esc(t('overdue_list', lang))} ({len(doc.overdue)})</h3>{overdue}"
        f'<h3 data-count="{len(doc.upcoming)}" class="upcoming-title">'
        f"{esc(upcoming_title)} ({len(doc.upcoming)})</h3>{upcoming}"
        f"<h3>{esc(t('indicators', lang))} ({len(doc.indicators)})</h3>{inds}"
        "</section>"
    )


def _on_time_html(doc: Document, lang: str) -> str:
    n, m = doc.on_time
    if not m:
        return ""
    return f'<p class="on-time" data-n="{n}" data-m="{m}">{esc(t("on_time_signed", lang, n=n, m=m))}</p>'


def _section_head(r: Mapping[str, Any], lang: str) -> str:
    if r["section"] is None:
        return t("no_section", lang)
    return f"{r['section']}. {r['section_title'] or ''}".strip()


def _sections_html(doc: Document, lang: str) -> str:
    """Per-section progress: one row per section of the document (when it has sections)."""
    if not doc.sections:
        return ""
    headers = [
        (t("section", lang), ""),
        (t("measures", lang), "num"),
        (t("done", lang), "num"),
        (t("overdue", lang), "num"),
        (t("progress", lang), "num"),
        (t("expected", lang), "num"),
        (t("health", lang), ""),
    ]
    rows = [
        [
            (esc(_section_head(r, lang)), ""),
            (esc(str(r["measures"])), "num"),
            (esc(str(r["done"])), "num"),
            (esc(str(r["overdue"])), "num" + (" overdue-days" if r["overdue"] else "")),
            (esc(pct(r["progress_pct"], lang)), "num"),
            (esc(pct(r["expected_pct"], lang)), "num"),
            (_health_html(r["health"], lang), ""),
        ]
        for r in doc.sections
    ]
    return f"<h3>{esc(t('sections', lang))}</h3>" + _table(headers, rows, "sections")


def _sections_md(doc: Document, lang: str) -> list[str]:
    out: list[str] = []
    n, m = doc.on_time
    if m:
        out += [f"{_md(t('on_time_signed', lang, n=n, m=m))}", ""]
    if doc.sections:
        out += [
            f"### {t('sections', lang)}",
            "",
            _md_table(
                [t(k, lang) for k in ("section", "measures", "done", "overdue", "progress", "expected", "health")],
                [
                    [
                        _section_head(r, lang),
                        r["measures"],
                        r["done"],
                        r["overdue"],
                        pct(r["progress_pct"], lang),
                        pct(r["expected_pct"], lang),
                        _health_word(r["health"], lang),
                    ]
                    for r in doc.sections
                ],
                {1, 2, 3, 4, 5},
            ),
            "",
        ]
    return out


def to_html(c: Content) -> str:
    """The whole report as one HTML page (UTF-8 text, no external references)."""
    lang = c.lang
    heading = t("report_title", lang)
    as_of = c.as_of.isoformat()
    as_of_text = _day(c.as_of, lang)
    nav = "".join(
        f'<li><a href="#doc-{esc(d.roadmap.id)}">{esc(str(d.row["title"]))}</a></li>'
        for d in c.documents
    )
    body = (
        "".join(_document_html(d, c) for d in c.documents)
        if c.documents
        else f'<p class="empty">{esc(t("no_documents", lang))}</p>'
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="roadmap-cli">\n'
        f"<title>{esc(heading)} — {esc(as_of_text)}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{esc(heading)}</h1>"
        f'<p class="asof">{esc(t("as_of", lang))} <time datetime="{esc(as_of)}">{esc(as_of_text)}'
        "</time></p></header>\n"
        f"<nav><h3>{esc(t('contents', lang))}</h3><ol>{nav}</ol></nav>\n"
        f'<section id="summary"><h3>{esc(t("summary", lang))}</h3>{_summary_html(c)}</section>\n'
        f"{body}\n"
        f"<footer><p>{esc(t('generated_note', lang, date=as_of_text))}</p></footer>\n"
        f"{READY_SCRIPT}\n</body>\n</html>\n"
    )


# --------------------------------------------------------------------------------------------
# Markdown: the same content, charts as tables


def _md(text: object) -> str:
    from roadmap_cli.render import md_escape

    return md_escape(str(text))


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[object]], right: set[int]) -> str:
    lines = ["| " + " | ".join(_md(h) for h in headers) + " |"]
    lines.append(
        "| " + " | ".join("---:" if i in right else ":---" for i in range(len(headers))) + " |"
    )
    for row in rows:
        lines.append("| " + " | ".join(_md(v) for v in row) + " |")
    return "\n".join(lines)


def _md_burnup(points: Sequence[burnup.Point], as_of: date) -> list[burnup.Point]:
    """Quarter ends up to the as-of date, and the as-of point itself."""
    return [
        p
        for p in points
        if p.date <= as_of and (p.date == as_of or (p.date.month % 3 == 0 and p.date.day >= 28))
    ]


def to_markdown(c: Content) -> str:
    """The report as Markdown: the same sections; the burn-up as a table of quarter ends."""
    lang = c.lang
    as_of = _day(c.as_of, lang)
    out = [f"# {_md(t('report_title', lang))}", "", f"_{_md(t('as_of', lang))} {as_of}_", ""]
    out += [f"## {_md(t('summary', lang))}", ""]
    out.append(
        _md_table(
            [
                t(k, lang)
                for k in (
                    "document",
                    "measures",
                    "done",
                    "overdue",
                    "due_soon",
                    "progress",
                    "expected",
                    "health",
                )
            ],
            [
                [
                    f"{r['title']} (`{r['roadmap']}`)",
                    r["measures"],
                    r["done"],
                    r["overdue"],
                    r["due_soon"],
                    pct(r["progress_pct"], lang),
                    pct(r["expected_pct"], lang),
                    _health_word(r["health"], lang),
                ]
                for r in c.summary
            ],
            {1, 2, 3, 4, 5, 6},
        )
    )
    for doc in c.documents:
        rm, row = doc.roadmap, doc.row
        signed = _day(rm.signed, lang) + (f", {rm.signed_place}" if rm.signed_place else "")
        out += [
            "",
            f"## {_md(row['title'])}",
            "",
            f"`{rm.id}` · {t('kind', lang)}: {_kind_word(rm.kind, lang)} · {t('signed', lang)}: "
            f"{_md(signed)} · {t('period', lang)}: {_day(rm.period_start, lang)} – "
            f"{_day(rm.period_end, lang)}",
            "",
            f"**{t('progress', lang)}: {pct(row['progress_pct'], lang)}** · "
            f"{t('expected', lang)}: {pct(row['expected_pct'], lang)} · "
            f"{t('overdue', lang)}: {row['overdue']} · {t('due_soon', lang)}: {row['due_soon']} · "
            f"{t('measures', lang)}: {row['measures']} · "
            f"{t('health', lang)}: {_health_word(row['health'], lang)}",
            "",
            *_sections_md(doc, lang),
            f"### {t('burnup', lang)}",
            "",
            _md_table(
                [t("date", lang), t("progress", lang), t("expected", lang)],
                [
                    [_day(p.date, lang), pct(p.progress_pct, lang), pct(p.expected_pct, lang)]
                    for p in _md_burnup(doc.burnup, c.as_of)
                ],
                {1, 2},
            ),
            "",
            f"_{_md(t('burnup_note', lang, date=as_of))}_",
            "",
            f"### {t('agencies', lang)}",
            "",
            _md_table(
                [t(k, lang) for k in ("agency", "country", *_AGENCY_COUNTS, "progress")],
                [
                    [
                        f"{r['name']} (`{r['agency']}`)",
                        r["country"] or "",
                        *(r[k] for k in _AGENCY_COUNTS),
                        pct(r["progress_pct"], lang),
                    ]
                    for r in doc.agencies
                ],
                set(range(2, 11)),
            ),
        ]
        for key, items, days_key, empty in (
            ("overdue_list", doc.overdue, "days_overdue", "nothing_overdue"),
            ("upcoming_list_until", doc.upcoming, "days_left", "nothing_upcoming"),
        ):
            heading = t(key, lang, date=_day(c.window_end, lang))
            out += ["", f"### {heading} ({len(items)})", ""]
            if not items:
                out.append(f"_{t(empty, lang)}_")
                continue
            out.append(
                _md_table(
                    [
                        t(k, lang)
                        for k in ("measure", "title", "owners", "deadline", days_key, "status")
                    ],
                    [
                        [
                            r["measure"],
                            r["title"],
                            ", ".join(_short(a, c.agencies, lang) for a in r["owners"]),
                            _deadline_text(r, lang),
                            r[days_key],
                            _status_word(r["status"], lang),
                        ]
                        for r in items
                    ],
                    {4},
                )
            )
        out += ["", f"### {t('indicators', lang)} ({len(doc.indicators)})", ""]
        if not doc.indicators:
            out.append(f"_{t('no_indicators', lang)}_")
        else:
            out.append(
                _md_table(
                    [
                        t(k, lang)
                        for k in (
                            "measure",
                            "indicator",
                            "unit",
                            "baseline",
                            "target",
                            "latest",
                            "pct_of_target",
                            "trend",
                        )
                    ],
                    [
                        [
                            i["measure"],
                            i["title"],
                            i["unit"] or "",
                            number(i["baseline"], lang),
                            number(i["target"], lang),
                            (
                                f"{number(i['latest'], lang)} ({i['latest_date']})"
                                if i["latest"] is not None
                                else t("no_actuals", lang)
                            ),
                            pct(i["pct_of_target"], lang),
                            t(i["trend"], lang) if i["trend"] else "–",
                        ]
                        for i in doc.indicators
                    ],
                    {3, 4, 5, 6},
                )
            )
    out += ["", "---", "", f"_{_md(t('generated_note', lang, date=as_of))}_", ""]
    return "\n".join(out)
