"""roadmap agencies: per-agency summary of lead and co-executed measures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from roadmap_cli import render
from roadmap_cli.commands._common import Query, check_filters, report_options
from roadmap_cli.commands._reports import (
    as_of_footer,
    count_style,
    id_width,
    named,
    print_report,
    report_rows,
    summary_columns,
    window_end,
    with_bar,
    within_option,
)
from roadmap_cli.i18n import N_, _

if TYPE_CHECKING:

    from roadmap_cli.periods import Window


def table_columns(rows: list[dict[str, Any]]) -> list[render.Column]:
    """The terminal table: name over id (the id whole), the lead and co-executed counts, the
    counts of lead measures, progress over plan and health. Where they do not fit, columns are
    left out (and said so under the table) in this order: Done, Blocked, Co-exec., Due soon,
    Lead, Overdue, Progress. JSON and CSV carry every key."""
    return [
        render.Column("named", N_("Agency"), kind="lines", min_width=id_width(rows, "agency", cap=30)),
        render.Column("lead", N_("Lead"), justify="right", kind="int", drop=5),
        render.Column("co_executor", N_("Co-exec."), justify="right", kind="int", drop=3),
        render.Column("done", N_("Done"), justify="right", kind="int", drop=1,
                      style=count_style("done")),
        render.Column("blocked", N_("Blocked"), justify="right", kind="int", drop=2,
                      style=count_style("blocked")),
        render.Column("overdue", N_("Overdue"), justify="right", kind="int", drop=6,
                      style=count_style("overdue")),
        render.Column("due_soon", N_("Due soon"), justify="right", kind="int", drop=4,
                      style=count_style("due_soon")),
        render.Column("progress", N_("Progress"), kind="progress", drop=7),
    ]

MARKDOWN_COLUMNS = [
    render.Column("agency", N_("Agency")),
    render.Column("name", N_("Name")),
    render.Column("country", N_("Country")),
    render.Column("lead", N_("Lead"), justify="right", kind="int"),
    render.Column("co_executor", N_("Co-executor"), justify="right", kind="int"),
    *summary_columns(),
]


HELP = N_(
    """Per-agency summary: lead and co-executed measures.

    One row per agency that leads or co-executes a measure. A measure counts for each of its
    owners as lead and, separately, for each co-executor. The status counts, overdue and due
    soon items and progress are those of the measures the agency leads. Sorted by overdue items
    (most first), then agency id. --agency and --country keep only the rows of that agency or
    of that country's agencies.
    """
)


@click.command("agencies", help=_(HELP))
@report_options()
@within_option
def command(q: Query, window: Window) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import report

    end = window_end(q.as_of, window)
    rows = report_rows(
        q,
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
        empty=_("No agency leads or co-executes a matching measure."),
        footer=as_of_footer(q.as_of, end) + " " + _("Counts, progress and items are of lead measures."),
        excel=q.excel,
    ))
