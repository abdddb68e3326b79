"""roadmap indicators: every quantitative indicator with its baseline, target, latest actual as of
the date, progress toward the target and trend."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import click

from roadmap_cli import i18n, render
from roadmap_cli.commands._common import Query, report_options
from roadmap_cli.i18n import N_, _

_ARROWS = {"up": "↑", "down": "↓", "flat": "→"}


def _trend_style(row: Mapping[str, Any]) -> str | None:
    if row.get("improving") is True:
        return "green"
    if row.get("improving") is False:
        return "yellow"
    return None


#: The terminal table, one per document (its id as the title). Where they do not fit, columns
#: are left out (and said so under the table) in this order: Trend, Base -> target, Latest,
#: To target.
TABLE_COLUMNS = [
    render.Column("measure", N_("No."), no_wrap=True),
    render.Column("item", N_("Indicator"), ratio=1, min_width=20),
    render.Column("range_text", N_("Base → target"), justify="right", no_wrap=True, drop=2),
    render.Column("latest_text", N_("Latest"), justify="right", no_wrap=True, drop=3),
    render.Column("pct_of_target", N_("To target"), justify="right", kind="pct", no_wrap=True,
                  drop=4),
    render.Column("arrow", N_("Trend"), justify="center", no_wrap=True, style=_trend_style,
                  drop=1),
]

MARKDOWN_COLUMNS = [
    render.Column("roadmap", N_("Document")),
    render.Column("measure", N_("Measure")),
    render.Column("title", N_("Indicator")),
    render.Column("unit", N_("Unit")),
    render.Column("baseline_text", N_("Baseline"), justify="right"),
    render.Column("target_text", N_("Target"), justify="right"),
    render.Column("latest_text", N_("Latest"), justify="right"),
    render.Column("pct_of_target", N_("To target"), justify="right", kind="pct"),
    render.Column("trend_text", N_("Trend")),
]

#: the trend words of indicator rows, for people
TREND_WORDS = {"up": N_("up"), "down": N_("down"), "flat": N_("flat")}


def display_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows for tables and Markdown: numbers as text, the indicator with its measure under it."""
    number = i18n.number
    out = []
    for r in rows:
        unit = f" ({r['unit']})" if r.get("unit") else ""
        latest = number(r["latest"]) if r["latest"] is not None else "–"
        if r["latest_date"]:
            latest += "\n" + i18n.day(r["latest_date"])
        baseline, target = number(r["baseline"]), number(r["target"])
        out.append(
            {
                **r,
                "item": f"{r['title']}{unit}",
                "range_text": f"{baseline} → {target}",
                "baseline_text": baseline,
                "target_text": target,
                "latest_text": latest,
                "arrow": _ARROWS.get(r["trend"] or "", "–"),
                "trend_text": "{arrow} {word}".format(
                    arrow=_ARROWS[r["trend"]], word=_(TREND_WORDS[r["trend"]])
                ) if r["trend"] else "–",
            }
        )
    return out


HELP = N_(
    """Quantitative indicators: baseline, target, latest actual as of the date.

    One row per indicator of every measure (filters select the measures). Only actuals dated
    on or before the as-of date count. "To target" is (latest - baseline) / (target -
    baseline) in percent, not clamped (above 100 = target exceeded; a missing baseline counts
    as 0; empty when target equals baseline). The trend compares the two latest actuals:
    up, down or flat; it is green when it moves toward the target.
    """
)


@click.command("indicators", help=_(HELP))
@report_options()
def command(q: Query) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli.commands._reports import as_of_footer, report_rows

    def compute(repo: Any, view: Any) -> dict[str, Any]:
        from roadmap_cli.indicators import indicator_rows

        return {"rows": indicator_rows(view, q.as_of, q.lang), "view": [rm.id for rm in view]}

    found = report_rows(q, compute)
    rows, view_ids = found["rows"], found["view"]
    footer = as_of_footer(q.as_of)
    if q.fmt != "table" or not rows:
        render.render_rows(
            display_rows(rows),
            MARKDOWN_COLUMNS,
            q.fmt,
            json_rows=rows,
            empty=_("No indicators."),
            footer=footer,
            excel=q.excel,
        )
        return
    by_document: dict[str, list[dict[str, Any]]] = {rid: [] for rid in view_ids}
    for r in rows:  # (one pass: a filter per document was 17 million comparisons at 1,000)
        by_document[r["roadmap"]].append(r)
    groups = [(rid, g) for rid, g in by_document.items() if g]
    for i, (rid, group) in enumerate(groups):
        last = i == len(groups) - 1
        render.print_table(
            display_rows(group), TABLE_COLUMNS, title=rid, footer=footer if last else None
        )
        if not last:
            render.stdout().write("\n")
