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

#: Markdown of `--by section`: the section after its document.
SECTION_MARKDOWN_COLUMNS = [
    render.Column("roadmap", "Document"),
    render.Column("section", "Section"),
    render.Column("heading", "Heading"),
    render.Column("measures", "Measures", justify="right", kind="int"),
    *summary_columns(),
]


def section_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of the `--by section` table: ``named`` = "No. heading" (wrapping) over the
    document id (dim); measures without a section under "(no section)"."""
    out = []
    for r in with_bar(rows):
        if r["section"] is None:
            head = "(no section)"
        else:
            head = "{id}. {title}".format(id=r["section"], title=r["section_title"] or "")
        out.append(
            {
                **r,
                "named": [(head, ""), (str(r["roadmap"]), "dim")],
                "heading": "(no section)" if r["section"] is None else r["section_title"],
            }
        )
    return out


def table_columns(rows: list[dict[str, Any]], header: str = "Document") -> list[render.Column]:
    """The terminal table: fits 80 columns (name over id, wide enough for the longest id;
    progress over plan and health); wider terminals show more counts. JSON and CSV carry every
    key."""
    return [
        render.Column("named", header, kind="lines", min_width=id_width(rows, "roadmap")),
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
    "--by",
    "by",
    type=click.Choice(["document", "section"]),
    default="document",
    show_default=True,
    help="One row per document, or per section of each document (measures without a section "
    "under a row with no section).",
)
@click.option(
    "--chart",
    is_flag=True,
    help="After the table, draw each document's burn-up (progress against the schedule over "
    "time) in the terminal; --format table only.",
)
def command(q: Query, window: relativedelta, by: str, chart: bool) -> None:
    """Progress of each document as of a date.

    One row per document: its measures by status as of the date, the overdue and due-soon
    items (each missed occurrence of a recurring measure counts), progress against what the
    schedule expects by then, and a health word: n/a, complete, behind (progress below
    expected), overdue (something is late), not started, or on track.

    Filters narrow the measures counted (--agency, --country, --status) or the documents
    (--roadmap); a document left with no measures is not shown. With --by section, one row
    per section of each document.
    """
    from roadmap_cli import report

    if chart and q.fmt != "table":
        raise click.UsageError("--chart draws in the terminal: use it with --format table")
    end = window_end(q.as_of, window)
    if by == "section":
        if chart:
            raise click.UsageError("--chart draws one burn-up per document: use it without --by section")
        rows = cached_rows(
            q, "status-by-section", (end.isoformat(),),
            lambda repo, view: report.section_rows(view, q.as_of, end, q.lang),
        )
        by_section = section_table(rows)
        print_report(q.fmt, lambda out: render.render_rows(
            by_section,
            SECTION_MARKDOWN_COLUMNS if q.fmt == "markdown" else table_columns(by_section, "Section"),
            q.fmt,
            out=out,
            json_rows=rows,
            empty="No document matches.",
            footer=as_of_footer(q.as_of, end),
        ))
        return
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
