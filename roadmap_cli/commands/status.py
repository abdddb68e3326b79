"""roadmap status: how far along each document is as of a date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from roadmap_cli import render
from roadmap_cli.commands._common import Query, report_options
from roadmap_cli.commands._reports import (
    as_of_footer,
    count_style,
    id_width,
    load_view,
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

#: Markdown (for documents): every count and the title.
MARKDOWN_COLUMNS = [
    render.Column("roadmap", N_("Document")),
    render.Column("title", N_("Title")),
    render.Column("measures", N_("Measures"), justify="right", kind="int"),
    *summary_columns(),
]

#: Markdown of `--by section`: the section after its document.
SECTION_MARKDOWN_COLUMNS = [
    render.Column("roadmap", N_("Document")),
    render.Column("section", N_("Section")),
    render.Column("heading", N_("Heading")),
    render.Column("measures", N_("Measures"), justify="right", kind="int"),
    *summary_columns(),
]


def section_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of the `--by section` table: ``named`` = "No. heading" (wrapping) over the
    document id (dim); measures without a section under "(no section)"."""
    out = []
    for r in with_bar(rows):
        if r["section"] is None:
            head = _("(no section)")
        else:
            head = "{id}. {title}".format(id=r["section"], title=r["section_title"] or "")
        out.append(
            {
                **r,
                "named": [(head, ""), (str(r["roadmap"]), "dim")],
                "heading": _("(no section)") if r["section"] is None else r["section_title"],
            }
        )
    return out


def table_columns(rows: list[dict[str, Any]], header: str = N_("Document")) -> list[render.Column]:
    """The terminal table: name over id (the id whole), done of all, the counts, progress over
    plan and health. Where they do not fit, columns are left out (and said so under the table)
    in this order: In progress, Blocked, Done, Due soon, Overdue, Progress (what falls due next
    answers the everyday question before the count of what is done). JSON and CSV carry every
    key."""
    return [
        render.Column("named", header, kind="lines", min_width=id_width(rows, "roadmap")),
        render.Column("done_of", N_("Done"), justify="right", no_wrap=True, drop=3),
        render.Column("in_progress", N_("In progress"), justify="right", kind="int", drop=1),
        render.Column("blocked", N_("Blocked"), justify="right", kind="int", drop=2,
                      style=count_style("blocked")),
        render.Column("overdue", N_("Overdue"), justify="right", kind="int", drop=5,
                      style=count_style("overdue")),
        render.Column("due_soon", N_("Due soon"), justify="right", kind="int", drop=4,
                      style=count_style("due_soon")),
        render.Column("progress", N_("Progress"), kind="progress", drop=6),
    ]


HELP = N_(
    """Progress of each document as of a date.

    One row per document: its measures by status as of the date, the overdue and due-soon
    items (each missed occurrence of a recurring measure counts), progress against what the
    schedule expects by then, and a health word: n/a, complete, behind (progress below
    expected), overdue (something is late), not started, or on track.

    Filters narrow the measures counted (--agency, --country, --status) or the documents
    (--roadmap); a document left with no measures is not shown. With --by section, one row
    per section of each document.
    """
)


@click.command("status", help=_(HELP))
@report_options()
@within_option
@click.option(
    "--by",
    "by",
    type=click.Choice(["document", "section"]),
    default="document",
    show_default=True,
    help=_("One row per document, or per section of each document (measures without a section "
           "under a row with no section)."),
)
@click.option(
    "--chart",
    is_flag=True,
    help=_("After the table, draw each document's burn-up (progress against the schedule over "
           "time) in the terminal; --format table only."),
)
def command(q: Query, window: Window, by: str, chart: bool) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import report

    if chart and q.fmt != "table":
        raise click.UsageError(_("--chart draws in the terminal: use it with --format table"))
    end = window_end(q.as_of, window)
    if by == "section":
        if chart:
            raise click.UsageError(
                _("--chart draws one burn-up per document: use it without --by section")
            )
        rows = report_rows(
            q,
            lambda repo, view: report.section_rows(view, q.as_of, end, q.lang),
        )
        by_section = section_table(rows)
        print_report(q.fmt, lambda out: render.render_rows(
            by_section,
            SECTION_MARKDOWN_COLUMNS if q.fmt == "markdown" else table_columns(by_section, N_("Section")),
            q.fmt,
            out=out,
            json_rows=rows,
            empty=_("No document matches."),
            footer=as_of_footer(q.as_of, end),
            excel=q.excel,
        ))
        return
    if chart:  # the chart draws from the model: load it
        _repo, view = load_view(q)
        rows = report.status_rows(view, q.as_of, end, q.lang)
    else:
        rows = report_rows(
            q,
            lambda repo, view: report.status_rows(view, q.as_of, end, q.lang),
        )
    table = named(with_bar(rows), "title", "roadmap")
    print_report(q.fmt, lambda out: render.render_rows(
        table,
        MARKDOWN_COLUMNS if q.fmt == "markdown" else table_columns(table),
        q.fmt,
        out=out,
        json_rows=rows,
        empty=_("No document matches."),
        footer=as_of_footer(q.as_of, end),
        excel=q.excel,
    ))
    if chart:  # issue 8: the burn-up per document (roadmap_cli.render_chart)
        from roadmap_cli import burnup
        from roadmap_cli.render_chart import print_burnup

        for rm in view:
            click.echo()
            print_burnup(burnup.series(rm, q.as_of), rm.id, render.stdout())
