"""roadmap agencies: per-agency summary of lead and co-executed measures."""

from __future__ import annotations

from typing import Any

import click
from dateutil.relativedelta import relativedelta

from roadmap_cli import render
from roadmap_cli.commands._common import Query, check_filters, report_options
from roadmap_cli.commands._reports import (
    as_of_footer,
    cached_rows,
    count_style,
    id_width,
    named,
    print_report,
    summary_columns,
    window_end,
    with_bar,
    within_option,
)


def table_columns(rows: list[dict[str, Any]]) -> list[render.Column]:
    """The terminal table: fits 80 columns (name over id, wide enough for the longest id;
    progress over plan and health); wider terminals show more counts. JSON and CSV carry every
    key."""
    return [
        render.Column("named", "Agency", kind="lines", min_width=id_width(rows, "agency", cap=30)),
        render.Column("lead", "Lead", justify="right", kind="int"),
        render.Column("co_executor", "Co-exec.", justify="right", kind="int"),
        render.Column("done", "Done", justify="right", kind="int", hide_below=90,
                      style=count_style("done")),
        render.Column("blocked", "Blocked", justify="right", kind="int", hide_below=100,
                      style=count_style("blocked")),
        render.Column("overdue", "Overdue", justify="right", kind="int", style=count_style("overdue")),
        render.Column(
            "due_soon", "Due soon", justify="right", kind="int", style=count_style("due_soon")
        ),
        render.Column("progress", "Progress", kind="progress"),
    ]

MARKDOWN_COLUMNS = [
    render.Column("agency", "Agency"),
    render.Column("name", "Name"),
    render.Column("country", "Country"),
    render.Column("lead", "Lead", justify="right", kind="int"),
    render.Column("co_executor", "Co-executor", justify="right", kind="int"),
    *summary_columns(),
]


@click.command("agencies")
@report_options()
@within_option
def command(q: Query, window: relativedelta) -> None:
    """Per-agency summary: lead and co-executed measures.

    One row per agency that leads or co-executes a measure. A measure counts for each of its
    owners as lead and, separately, for each co-executor. The status counts, overdue and due
    soon items and progress are those of the measures the agency leads. Sorted by overdue items
    (most first), then agency id. --agency and --country keep only the rows of that agency or
    of that country's agencies.
    """
    from roadmap_cli import report

    end = window_end(q.as_of, window)
    rows = cached_rows(
        q, "agencies", (end.isoformat(),),
        lambda repo, view: report.agency_rows(
            view, repo.agencies, q.as_of, end, q.lang,
            agency=check_filters(repo, (), q.agency, None)[1], country=q.country,
        ),
    )
    table = named(with_bar(rows), "name", "agency")
    print_report(q.fmt, lambda out: render.render_rows(
        table,
        MARKDOWN_COLUMNS if q.fmt == "markdown" else table_columns(table),
        q.fmt,
        out=out,
        json_rows=rows,
        empty="No agency leads or co-executes a matching measure.",
        footer=as_of_footer(q.as_of, end) + " Counts, progress and items are of lead measures.",
    ))
