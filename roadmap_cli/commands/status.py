"""roadmap status: how far along each document is as of a date."""

from __future__ import annotations

from typing import Any

import click
from dateutil.relativedelta import relativedelta

from roadmap_cli import render
from roadmap_cli.commands._common import Query, report_options
from roadmap_cli.commands._reports import (
    as_of_footer,
    cached_rows,
    count_style,
    id_width,
    load_view,
    named,
    print_report,
    summary_columns,
    window_end,
    with_bar,
    within_option,
)

#: Markdown (for documents): every count and the title.
MARKDOWN_COLUMNS = [
    render.Column("roadmap", "Document"),
    render.Column("title", "Title"),
    render.Column("measures", "Measures", justify="right", kind="int"),
    *summary_columns(),
]

def table_columns(rows: list[dict[str, Any]]) -> list[render.Column]:
    """The terminal table: fits 80 columns (name over id, wide enough for the longest id;
    progress over plan and health); wider terminals show more counts. JSON and CSV carry every
    key."""
    return [
        render.Column("named", "Document", kind="lines", min_width=id_width(rows, "roadmap")),
        render.Column("done_of", "Done", justify="right", no_wrap=True),
        render.Column(
            "in_progress", "In progress", justify="right", kind="int", hide_below=110
        ),
        render.Column("blocked", "Blocked", justify="right", kind="int", hide_below=100,
                      style=count_style("blocked")),
        render.Column("overdue", "Overdue", justify="right", kind="int", style=count_style("overdue")),
        render.Column(
            "due_soon", "Due soon", justify="right", kind="int", style=count_style("due_soon")
        ),
        render.Column("progress", "Progress", kind="progress"),
    ]


@click.command("status")
@report_options()
@within_option
@click.option(
    "--chart",
    is_flag=True,
    help="After the table, draw each document's burn-up (progress against the schedule over "
    "time) in the terminal; --format table only.",
)
def command(q: Query, window: relativedelta, chart: bool) -> None:
    """Progress of each document as of a date.

    One row per document: its measures by status as of the date, the overdue and due-soon
    items (each missed occurrence of a recurring measure counts), progress against what the
    schedule expects by then, and a health word: n/a, complete, behind (progress below
    expected), overdue (something is late), not started, or on track.

    Filters narrow the measures counted (--agency, --country, --status) or the documents
    (--roadmap); a document left with no measures is not shown.
    """
    from roadmap_cli import report

    if chart and q.fmt != "table":
        raise click.UsageError("--chart draws in the terminal: use it with --format table")
    end = window_end(q.as_of, window)
    if chart:  # the chart draws from the model: load it
        _, view = load_view(q)
        rows = report.status_rows(view, q.as_of, end, q.lang)
    else:
        rows = cached_rows(
            q, "status", (end.isoformat(),),
            lambda repo, view: report.status_rows(view, q.as_of, end, q.lang),
        )
    table = named(with_bar(rows), "title", "roadmap")
    print_report(q.fmt, lambda out: render.render_rows(
        table,
        MARKDOWN_COLUMNS if q.fmt == "markdown" else table_columns(table),
        q.fmt,
        out=out,
        json_rows=rows,
        empty="No document matches.",
        footer=as_of_footer(q.as_of, end),
    ))
    if chart:  # issue 8: the burn-up per document (roadmap_cli.render_chart)
        from roadmap_cli import burnup
        from roadmap_cli.render_chart import print_burnup

        for rm in view:
            click.echo()
            print_burnup(burnup.series(rm, q.as_of), rm.id, render.stdout())
