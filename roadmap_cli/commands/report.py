"""roadmap report: a report document for people, as one self-contained HTML file or Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from roadmap_cli.commands._common import Query, check_filters, format_of_output, report_options
from roadmap_cli.commands._reports import within_option
from roadmap_cli.commands.export import output_option, quiet_option
from roadmap_cli.i18n import N_, _

if TYPE_CHECKING:

    from roadmap_cli.periods import Window

HELP = N_(
    """A report document (HTML or Markdown) with charts.

    Per document: progress against the schedule over time (a burn-up chart replayed from
    `completed` dates and report dates), the per-agency table, the overdue and upcoming
    lists, and the indicators against their target lines. Static words follow --lang (en, ru;
    kk and be fall back to ru, then en); titles follow it as everywhere.

    html: one file with inline styles and SVG charts; it loads nothing from the network and
    prints on A4 with one document per page. markdown: the same content, charts as tables.
    Without --format, -o FILE.md writes Markdown (any other name: HTML).

    Without -o, the HTML goes to standard output when it is piped or redirected; on a terminal
    it is written to report.html in the current folder instead (an existing report.html is
    not replaced: give -o FILE, or -o - to print the HTML).
    """
)


@click.command("report", help=_(HELP))
@report_options("html", "markdown", default="html")
@within_option
@output_option
@quiet_option
def command(q: Query, output: str | None, window: Window, quiet: bool) -> None:
    """The command (its help for people: :data:`HELP`)."""
    import os

    from roadmap_cli import html_report, report_content, report_markdown
    from roadmap_cli.calendar_export import deadline_count
    from roadmap_cli.commands._reports import load_view, window_end
    from roadmap_cli.commands.export import output_writer, wrote
    from roadmap_cli.progress import Progress

    q = format_of_output(q, output, OUTPUT_FORMATS)
    to_file = q.fmt == "html" and output is None and stdout_is_terminal()
    if to_file:
        output = DEFAULT_HTML
        if os.path.lexists(output):
            raise click.UsageError(
                _("the HTML report is for a browser, not for the terminal, and {name} "
                  "exists already: give -o FILE (or -o - to print the HTML here)").format(name=output)
            )
    with Progress(enabled=not quiet) as shown:
        repo, view = load_view(q, on_file=shown.stage(_("reading files")))
        end = window_end(q.as_of, window)
        agency = check_filters(repo, (), q.agency, None)[1]  # the id, as agencies does: not as typed
        with output_writer(output) as write:
            # each document is gathered, laid out and written before the next
            content = report_content.content_as_read(
                view, repo.agencies, q.as_of, end, q.lang, on_step=shown.stage(_("rendering documents")),
                agency=agency, country=q.country,
            )
            if q.fmt == "html":
                html_report.write_html(content, write)
            else:
                report_markdown.write_markdown(content, write)
    if output is None or output == "-" or quiet:
        return
    line = wrote(output, len(view), "deadlines", deadline_count(view, q.as_of))
    if to_file:
        line = _("{wrote}; open it in a browser (-o FILE writes elsewhere)").format(wrote=line)
    click.echo(line, err=True)


#: the format an output file's name gives when --format is not given (format_of_output)
OUTPUT_FORMATS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}

#: where `roadmap report` writes HTML when run on a terminal without -o
DEFAULT_HTML = "report.html"


def stdout_is_terminal() -> bool:
    import sys

    return sys.stdout.isatty()
