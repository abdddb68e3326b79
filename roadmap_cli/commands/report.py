"""roadmap report: a report document for people, as one self-contained HTML file or Markdown."""

from __future__ import annotations

import click
from dateutil.relativedelta import relativedelta

from roadmap_cli.commands._common import Query, report_options
from roadmap_cli.commands._reports import within_option
from roadmap_cli.commands.export import output_option
from roadmap_cli.i18n import N_, _

HELP = N_(
    """A report document (HTML or Markdown) with charts.

    Per document: progress against the schedule over time (a burn-up chart replayed from
    `completed` dates and report dates), the per-agency table, the overdue and upcoming
    lists, and the indicators against their target lines. Static words follow --lang (en, ru;
    kk and be fall back to ru, then en); titles follow it as everywhere.

    html: one file with inline styles and SVG charts; it loads nothing from the network and
    prints on A4 with one document per page. markdown: the same content, charts as tables.
    """
)


@click.command("report", help=_(HELP))
@report_options("html", "markdown", default="html")
@within_option
@output_option
def command(q: Query, output: str | None, window: relativedelta) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import html_report
    from roadmap_cli.commands._reports import load_view, window_end
    from roadmap_cli.commands.export import write_output

    repo, view = load_view(q)
    content = html_report.content(view, repo.agencies, q.as_of, window_end(q.as_of, window), q.lang)
    text = html_report.to_html(content) if q.fmt == "html" else html_report.to_markdown(content)
    write_output(text.encode("utf-8"), output)
