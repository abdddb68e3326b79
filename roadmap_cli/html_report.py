"""Pure: the report document for people who never open a terminal, as one self-contained HTML
file (inline CSS, inline SVG charts, no network).

:func:`to_html` lays out the :class:`~roadmap_cli.report_content.Content` that
:func:`roadmap_cli.report_content.content` gathered (the same content as the Markdown form of
:mod:`roadmap_cli.report_markdown`), with the charts of :mod:`roadmap_cli.report_svg`.

Safety and self-containment: every piece of text from the data goes through ``html.escape``
(text and attributes alike); the page declares a Content-Security-Policy that allows no network
access at all (``default-src 'none'``), so a stray external reference would fail loudly in a
browser instead of leaking a request. One tiny inline script marks the page as rendered
(``<html data-rendered="yes">``): the browser test checks it ran.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from roadmap_cli.labels import number, pct, t
from roadmap_cli.report_content import (
    AGENCY_COUNTS,
    Content,
    Document,
    day,
    deadline_text,
    health_word,
    kind_word,
    section_head,
    short,
    status_word,
    word,
)
from roadmap_cli.report_svg import burnup_svg, coord, esc, indicator_svg

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
    return f'<span class="{esc(cls)}">{esc(health_word(health, lang))}</span>'


def _card(key: str, value: str, label: str, tone: str = "") -> str:
    cls = f"card {tone}".strip()
    return (
        f'<div class="{cls}" data-key="{esc(key)}"><span class="value">{esc(value)}</span>'
        f'<span class="label">{esc(label)}</span></div>'
    )


def _bar(value: float | None) -> str:
    width = 0.0 if value is None else max(0.0, min(100.0, value))
    return f'<span class="bar"><span style="width:{coord(width)}%"></span></span>'


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
        owners = ", ".join(short(a, c.agencies, lang) for a in r["owners"])
        rows.append(
            [
                (esc(str(r["measure"])), "nowrap"),
                (esc(r["title"]), ""),
                (esc(owners), ""),
                (esc(deadline_text(r, lang)), "nowrap"),
                (
                    esc(str(r[days_key])),
                    "num days" + (" overdue-days" if days_key == "days_overdue" else ""),
                ),
                (esc(status_word(r["status"], lang)), ""),
            ]
        )
    return _table(headers, rows, days_key.replace("_", "-"))



def _agencies_html(rows_in: Sequence[Mapping[str, Any]], lang: str) -> str:
    headers = [
        (word("agency", lang), ""),
        (word("country", lang), ""),
        *((word(k, lang), "num") for k in AGENCY_COUNTS),
        (word("progress", lang), "num"),
    ]
    rows = []
    for r in rows_in:
        rows.append(
            [
                (f"{esc(r['name'])}<br><code>{esc(r['agency'])}</code>", ""),
                (esc(r["country"] or ""), ""),
                *(
                    (
                        str(r[k]),  # (counts: digits)
                        "num" + (" overdue-days" if k == "overdue" and r[k] else ""),
                    )
                    for k in AGENCY_COUNTS
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
        latest = word("no_actuals", lang)
    trend = word(ind["trend"], lang) if ind["trend"] else "–"
    arrow = {"up": "↑ ", "down": "↓ ", "flat": "→ "}.get(ind["trend"] or "", "")
    rows = [
        (
            word("baseline", lang),
            esc(number(ind["baseline"], lang) + (unit if ind["baseline"] is not None else "")),
        ),
        (word("target", lang), esc(number(ind["target"], lang) + unit)),
        (word("latest", lang), esc(latest)),
        (
            word("pct_of_target", lang),
            _bar(ind["pct_of_target"])
            + f'<span class="pct">{esc(pct(ind["pct_of_target"], lang))}</span>',
        ),
        (word("trend", lang), esc(arrow + trend)),
    ]
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f'<div class="indicator" data-indicator="{esc(ind["indicator"])}">'
        f"<h4>{esc(ind['title'])}</h4>"
        f'<p class="ref">{esc(word("measure", lang))} {esc(ind["measure"])}: '
        f"{esc(ind['measure_title'])}</p>"
        f"{indicator_svg(ind, as_of, lang)}<dl>{dl}</dl></div>"
    )


def _document_html(doc: Document, c: Content) -> str:
    lang, rm, row = c.lang, doc.roadmap, doc.row
    title = str(row["title"])
    signed = day(rm.signed, lang) + (f", {rm.signed_place}" if rm.signed_place else "")
    parties = ", ".join(short(a, c.agencies, lang) for a in rm.parties)
    meta = (
        f"<code>{esc(rm.id)}</code> · {esc(t('kind', lang))}: {esc(kind_word(rm.kind, lang))} · "
        f"{esc(t('signed', lang))}: {esc(signed)} · {esc(t('period', lang))}: "
        f"{esc(day(rm.period_start, lang))} – {esc(day(rm.period_end, lang))} · "
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
            _card("health", health_word(row["health"], lang), t("health", lang)),
        ]
    )
    legend = (
        f'<div class="legend"><span><span class="swatch"></span>{esc(t("progress", lang))}</span>'
        f'<span><span class="swatch expected"></span>{esc(t("expected", lang))}</span></div>'
    )
    chart = (
        f"<figure>{burnup_svg(doc.burnup, title, c.as_of, lang)}{legend}"
        f"<figcaption>{esc(t('burnup_note', lang, date=day(c.as_of, lang)))}</figcaption>"
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
    upcoming_title = t("upcoming_list_until", lang, date=day(c.window_end, lang))
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
            (esc(section_head(r, lang)), ""),
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


def to_html(c: Content) -> str:
    """The whole report as one HTML page (UTF-8 text, no external references)."""
    return "".join(html_parts(c))


def write_html(c: Content, write: Callable[[bytes], object]) -> None:
    """:func:`to_html` handed to ``write`` as UTF-8, a document at a time (with
    :func:`roadmap_cli.report_content.content_as_read`, one document's content is held at once)."""
    for part in html_parts(c):
        write(part.encode("utf-8"))


def html_parts(c: Content) -> Iterator[str]:
    """:func:`to_html` in pieces: the head, each document, the end. Reads ``c.documents`` once."""
    lang = c.lang
    heading = t("report_title", lang)
    as_of = c.as_of.isoformat()
    as_of_text = day(c.as_of, lang)
    nav = "".join(
        f'<li><a href="#doc-{esc(r["roadmap"])}">{esc(str(r["title"]))}</a></li>'
        for r in c.summary
    )
    yield (
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
    )
    empty = True
    for d in c.documents:
        empty = False
        yield _document_html(d, c)
    if empty:
        yield f'<p class="empty">{esc(t("no_documents", lang))}</p>'
    yield (
        "\n"
        f"<footer><p>{esc(t('generated_note', lang, date=as_of_text))}</p></footer>\n"
        f"{READY_SCRIPT}\n</body>\n</html>\n"
    )
