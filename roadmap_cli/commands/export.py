"""roadmap export: deadlines as an iCalendar file, or the flat list of measures as CSV, JSON or a
workbook (xlsx)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

import click

from roadmap_cli import i18n
from roadmap_cli.commands._common import F, Query, format_of_output, report_options
from roadmap_cli.errors import UsageError
from roadmap_cli.i18n import N_, _, ngettext
from roadmap_cli.textsafe import file_name


def output_option(f: F) -> F:
    return click.option(
        "-o",
        "--output",
        "output",
        metavar="FILE",
        help=_("Write to FILE (replaced atomically) instead of standard output; '-' is stdout."),
    )(f)


def write_output(data: bytes, output: str | None) -> None:
    """``data`` to stdout, or to the file ``output`` replaced in one step
    (:func:`roadmap_cli.safewrite.write_output_file`)."""
    if output is None or output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from roadmap_cli.safewrite import write_output_file

    write_output_file(output, data)


@contextlib.contextmanager
def output_writer(output: str | None) -> Iterator[Callable[[bytes], object]]:
    """A function that writes bytes to stdout, or to the file ``output`` replaced in one step
    when the ``with`` block ends without an error (:func:`roadmap_cli.safewrite.output_file`):
    a writer hands its output over as it builds it, instead of holding all of it."""
    if output is None or output == "-":
        sys.stdout.flush()
        out = sys.stdout.buffer

        def write(data: bytes) -> None:
            try:
                out.write(data)
            except BrokenPipeError:
                raise _gone() from None

        yield write
        try:
            out.flush()
        except BrokenPipeError:
            raise _gone() from None
        return
    from roadmap_cli.safewrite import output_file

    with output_file(output) as fh:
        yield fh.write


def _gone() -> BrokenPipeError:
    """The reader went away (``| head``) while the output was being written: a
    BrokenPipeError without an errno, which click passes on, so that the CLI ends quietly with
    exit 0 (as ``tabledraw`` does for tables)."""
    return BrokenPipeError()


def quiet_option(f: F) -> F:
    return click.option(
        "-q",
        "--quiet",
        is_flag=True,
        help=_("Print nothing on standard error but problems: no progress display, no "
               "\"wrote FILE\" line."),
    )(f)


def wrote(output: str, documents: int, what: str, count: int) -> str:
    """What ``-o FILE`` wrote, for its last line on stderr: "wrote FILE: 3 documents, 68
    deadlines" (``what``: ``deadlines`` or ``measures``), the counts grouped as the tables
    group them ("175,221 deadlines"; "175 221 срок" in Russian)."""
    counted = (
        ngettext("{count} deadline", "{count} deadlines", count)
        if what == "deadlines"
        else ngettext("{count} measure", "{count} measures", count)
    )
    return _("wrote {file}: {documents}, {counted}").format(
        file=file_name(output),
        documents=ngettext("{count} document", "{count} documents", documents).format(
            count=i18n.number(documents)
        ),
        counted=counted.format(count=i18n.number(count)),  # grouped as in the tables
    )


HELP = N_(
    """Export deadlines as iCalendar, or the measures as CSV, JSON or an xlsx workbook.

    ics: one all-day event per deadline (one per occurrence of a recurring measure; none for
    cancelled, ongoing or on-request measures, nor for a measure still waiting for the
    event or measure its deadline follows), the agencies in the description, a reminder before each
    open deadline, and UIDs that stay the same across runs
    (ROADMAP/MEASURE[/PERIOD]@roadmap-cli) so calendar clients update events instead of
    duplicating them. The same data and --as-of give a byte-identical file.

    csv, json: the flat list of measures (one row each) for spreadsheets.

    xlsx: the same list as a workbook with typed cells (dates as dates, percentages as
    numbers), a frozen header row with filters, and columns as wide as their values. Binary:
    give -o FILE.xlsx (or redirect it).

    Without --format, -o FILE.csv, .json or .xlsx writes that format (.ics and any other name:
    ics).
    """
)

#: the format an output file's name gives when --format is not given (format_of_output)
OUTPUT_FORMATS = {".ics": "ics", ".csv": "csv", ".json": "json", ".xlsx": "xlsx"}


@click.command("export", help=_(HELP))
@report_options("ics", "csv", "json", "xlsx", default="ics")
@click.option(
    "--remind-days",
    type=click.IntRange(min=0, max=366),
    default=7,
    show_default=True,
    help=_("ics: a reminder this many days before each open deadline (0: none; at most 366)."),
)
@output_option
@quiet_option
def command(q: Query, output: str | None, remind_days: int, quiet: bool) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import render
    from roadmap_cli.commands._reports import load_view
    from roadmap_cli.progress import Progress

    q = format_of_output(q, output, OUTPUT_FORMATS)
    if q.fmt == "xlsx" and (output is None or output == "-") and sys.stdout.isatty():
        raise UsageError("roadmap: an xlsx workbook is binary; write it to a file with -o FILE.xlsx")
    with Progress(enabled=not quiet) as shown:
        repo, view = load_view(q, on_file=shown.stage(_("reading files")))
        with output_writer(output) as write:
            if q.fmt == "ics":
                from roadmap_cli.calendar_export import write_ics

                what, count = "deadlines", write_ics(
                    write, view, repo.agencies, q.as_of, q.lang, remind_days=remind_days,
                    on_step=shown.stage(_("writing deadlines")),
                )
            elif q.fmt == "csv":
                from roadmap_cli.csvout import write_csv_cells
                from roadmap_cli.measure_list import MEASURE_KEYS, iter_measure_cells

                what, count = "measures", write_csv_cells(
                    write, iter_measure_cells(view, repo.agencies, q.as_of, q.lang,
                                             on_step=shown.stage(_("listing measures"))),
                    MEASURE_KEYS, excel=q.excel,
                )
            else:
                from roadmap_cli.measure_list import measure_rows

                rows = measure_rows(view, repo.agencies, q.as_of, q.lang,
                                    on_step=shown.stage(_("listing measures")))
                what, count = "measures", len(rows)
                if q.fmt == "xlsx":
                    from roadmap_cli.sheets import rows_workbook

                    write(rows_workbook(rows, "measures", q.as_of))
                else:
                    write((render.dumps(rows) + "\n").encode("utf-8"))
    if output is not None and output != "-" and not quiet:
        click.echo(wrote(output, len(view), what, count), err=True)
