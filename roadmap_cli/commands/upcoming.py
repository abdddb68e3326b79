"""roadmap upcoming: what falls due within a window, soonest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from roadmap_cli import i18n, render
from roadmap_cli.commands._common import Query, report_options
from roadmap_cli.commands._reports import (
    item_columns,
    item_markdown_columns,
    print_report,
    report_rows,
    window_end,
    with_item,
    within_option,
)
from roadmap_cli.i18n import N_, _

if TYPE_CHECKING:

    from roadmap_cli.periods import Window

MARKDOWN_COLUMNS = item_markdown_columns("days_left", N_("Days left"))
COLUMNS = item_columns("days_left", N_("Days left"), "due_soon")


HELP = N_(
    """What falls due within a window, soonest first.

    Every measure not done or cancelled as of the date whose deadline is between that date and
    the end of the window, both included (--within, default 30 days). A recurring measure shows
    its next unreported occurrence if that falls in the window. Days left is 0 on the deadline
    day. Sorted by deadline, then document, then measure id.
    """
)


@click.command("upcoming", help=_(HELP))
@report_options()
@within_option
def command(q: Query, window: Window) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import report

    end = window_end(q.as_of, window)
    rows = report_rows(
        q,
        lambda repo, view: report.upcoming_rows(view, q.as_of, end, q.lang),
    )
    dates = {"start": i18n.day(q.as_of), "end": i18n.day(end)}
    print_report(q.fmt, lambda out: render.render_rows(
        with_item(rows) if q.fmt in ("table", "markdown") else rows,  # JSON, CSV: the rows
        MARKDOWN_COLUMNS if q.fmt == "markdown" else COLUMNS,
        q.fmt,
        out=out,
        json_rows=rows,
        empty=_("Nothing falls due from {start} to {end}.").format(**dates),
        footer=_("Deadlines from {start} to {end}, both included.").format(**dates) if rows else None,
        excel=q.excel,
    ))
