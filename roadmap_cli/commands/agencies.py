"""roadmap agencies: per-agency summary of lead and co-executed measures."""

from __future__ import annotations

from datetime import date

import click
from dateutil.relativedelta import relativedelta

from roadmap_cli import render
from roadmap_cli.commands._common import report_options
from roadmap_cli.commands._reports import (
    as_of_footer,
    count_style,
    load_view,
    window_end,
    with_bar,
    within_option,
)

#: The terminal table: what fits in 100 columns; JSON and CSV carry everything.
TABLE_COLUMNS = [
    render.Column("who", "Agency", min_width=20),
    render.Column("country", "CC", no_wrap=True),
    render.Column("lead", "Lead", justify="right", kind="int"),
    render.Column("co_executor", "Co-exec.", justify="right", kind="int"),
    render.Column("done", "Done", justify="right", kind="int", style=count_style("done")),
    render.Column("overdue", "Overdue", justify="right", kind="int", style=count_style("overdue")),
    render.Column(
        "due_soon", "Due soon", justify="right", kind="int", style=count_style("due_soon")
    ),
    render.Column("bar", "Progress / expected", kind="bar", no_wrap=True),
]

MARKDOWN_COLUMNS = [
    render.Column("agency", "Agency"),
    render.Column("name", "Name"),
    render.Column("country", "Country"),
    render.Column("lead", "Lead", justify="right", kind="int"),
    render.Column("co_executor", "Co-executor", justify="right", kind="int"),
    render.Column("done", "Done", justify="right", kind="int"),
    render.Column("in_progress", "In progress", justify="right", kind="int"),
    render.Column("not_started", "Not started", justify="right", kind="int"),
    render.Column("blocked", "Blocked", justify="right", kind="int"),
    render.Column("cancelled", "Cancelled", justify="right", kind="int"),
    render.Column("overdue", "Overdue", justify="right", kind="int"),
    render.Column("due_soon", "Due soon", justify="right", kind="int"),
    render.Column("bar", "Progress / expected", kind="bar"),
    render.Column("health", "Health"),
]


@click.command("agencies")
@report_options()
@within_option
def command(
    paths: tuple[str, ...],
    fmt: str,
    lang: str,
    roadmap_ids: tuple[str, ...],
    agency: str | None,
    country: str | None,
    statuses: tuple[str, ...],
    as_of: date,
    window: relativedelta,
) -> None:
    """Per-agency summary: lead and co-executed measures.

    One row per agency that leads or co-executes a measure. A measure counts for each of its
    owners as lead and, separately, for each co-executor. The status counts, overdue and due
    soon items and progress are those of the measures the agency leads. Sorted by overdue items
    (most first), then agency id. --agency and --country keep only the rows of that agency or
    of that country's agencies.
    """
    from roadmap_cli import report

    repo, view = load_view(
        paths,
        roadmap_ids=roadmap_ids,
        agency=agency,
        country=country,
        statuses=statuses,
        as_of=as_of,
    )
    end = window_end(as_of, window)
    rows = report.agency_rows(view, repo.agencies, as_of, end, lang, agency=agency, country=country)
    table = [{**r, "who": f"{r['agency']}\n{r['name']}"} for r in with_bar(rows)]
    render.render_rows(
        table,
        MARKDOWN_COLUMNS if fmt == "markdown" else TABLE_COLUMNS,
        fmt,
        json_rows=rows,
        empty="No agency leads or co-executes a matching measure.",
        footer=as_of_footer(as_of, end) + " Counts, progress and items are of lead measures.",
    )
