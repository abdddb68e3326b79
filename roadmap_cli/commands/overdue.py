"""roadmap overdue: every overdue item, most overdue first."""

from __future__ import annotations

import click

from roadmap_cli import i18n, render
from roadmap_cli.commands._common import Query, report_options
from roadmap_cli.commands._reports import (
    as_of_footer,
    fail,
    item_columns,
    item_markdown_columns,
    print_report,
    report_rows,
    with_item,
)
from roadmap_cli.errors import EXIT_DATA
from roadmap_cli.i18n import N_, _

MARKDOWN_COLUMNS = item_markdown_columns("days_overdue", N_("Days"))
COLUMNS = item_columns("days_overdue", N_("Days"), "overdue")


HELP = N_(
    """Every overdue item, most overdue first.

    A measure is overdue when it is not done or cancelled as of the date and its deadline is
    before that date (on the deadline day itself it is due today, not overdue). A recurring
    measure is overdue once for each past occurrence that is not reported; each is its own row,
    with its period. Ongoing measures are never overdue.

    Sorted by days overdue (most first), then document, then measure id (1.9 before 1.10).
    """
)


@click.command("overdue", help=_(HELP))
@report_options()
@click.option(
    "--fail-on-any", is_flag=True, help=_("Exit 1 when anything is overdue (for CI and cron).")
)
def command(q: Query, fail_on_any: bool) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import report

    rows = report_rows(q, lambda repo, view: report.overdue_rows(view, q.as_of, q.lang))
    print_report(q.fmt, lambda out: render.render_rows(
        with_item(rows) if q.fmt in ("table", "markdown") else rows,  # JSON, CSV: the rows
        MARKDOWN_COLUMNS if q.fmt == "markdown" else COLUMNS,
        q.fmt,
        out=out,
        json_rows=rows,
        empty=_("Nothing is overdue as of {date}.").format(date=i18n.day(q.as_of)),
        footer=as_of_footer(q.as_of) if rows else None,
        excel=q.excel,
    ))
    if fail_on_any and rows:
        fail(EXIT_DATA)
