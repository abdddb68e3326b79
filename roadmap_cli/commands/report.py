"""roadmap report: a report document for people, as one self-contained HTML file or Markdown."""

from __future__ import annotations

from datetime import date

import click
from dateutil.relativedelta import relativedelta

from roadmap_cli.commands._common import (
    as_of_option,
    filter_options,
    format_option,
    lang_option,
    paths_argument,
)
from roadmap_cli.commands._reports import within_option
from roadmap_cli.commands.export import output_option


@click.command("report")
@as_of_option
@filter_options
@lang_option
@format_option("html", "markdown", default="html")
@within_option
@output_option
@paths_argument
def command(
    paths: tuple[str, ...],
    output: str | None,
    window: relativedelta,
    fmt: str,
    lang: str,
    roadmap_ids: tuple[str, ...],
    agency: str | None,
    country: str | None,
    statuses: tuple[str, ...],
    as_of: date,
) -> None:
    """A report document (HTML or Markdown) with charts.

    Per document: progress against the schedule over time (a burn-up chart replayed from
    `completed` dates and report dates), the per-agency table, the overdue and upcoming
    lists, and the indicators against their target lines. Static words follow --lang (en, ru;
    others fall back to en); titles follow it as everywhere.

    html: one file with inline styles and SVG charts; it loads nothing from the network and
    prints on A4 with one document per page. markdown: the same content, charts as tables.
    """
    from roadmap_cli import html_report
    from roadmap_cli.commands._reports import load_view, window_end
    from roadmap_cli.commands.export import write_output

    repo, view = load_view(
        paths,
        roadmap_ids=roadmap_ids,
        agency=agency,
        country=country,
        statuses=statuses,
        as_of=as_of,
    )
    content = html_report.content(view, repo.agencies, as_of, window_end(as_of, window), lang)
    text = html_report.to_html(content) if fmt == "html" else html_report.to_markdown(content)
    write_output(text.encode("utf-8"), output)
