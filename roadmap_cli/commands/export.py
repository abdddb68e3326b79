"""roadmap export: deadlines as an iCalendar file, or the flat list of measures as CSV, JSON or a
workbook (xlsx)."""

from __future__ import annotations

import os
import stat
import sys
import tempfile

import click

from roadmap_cli.commands._common import F, Query, report_options
from roadmap_cli.errors import UsageError, WriteConflict
from roadmap_cli.i18n import N_, _


def output_option(f: F) -> F:
    return click.option(
        "-o",
        "--output",
        "output",
        metavar="FILE",
        help=_("Write to FILE (replaced atomically) instead of standard output; '-' is stdout."),
    )(f)


def write_output(data: bytes, output: str | None) -> None:
    """``data`` to stdout, or to ``output`` through a temporary file in the same folder that
    replaces it in one step (a reader never sees half a file)."""
    if output is None or output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    folder = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(folder):
        raise UsageError(_("roadmap: cannot write {output}: no folder {folder}").format(output=output, folder=folder))
    try:
        st: os.stat_result | None = os.lstat(output)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise UsageError(_("roadmap: cannot write {output}: {reason}").format(output=output, reason=e.strerror or e)) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        from roadmap_cli.load import not_regular

        # a link, a named pipe, a device (/dev/null as root) or a folder is never replaced
        raise UsageError(
            _("roadmap: cannot write {output}: it is {what}, not a regular file; give a file name, "
              "or leave out -o to write to standard output").format(output=output, what=not_regular(st.st_mode))
        )
    if st is not None:
        mode = stat.S_IMODE(st.st_mode)  # a replaced file keeps its mode (0600 stays 0600)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        fd, tmp = tempfile.mkstemp(prefix=".roadmap-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                if st is not None and hasattr(os, "geteuid") and os.geteuid() == 0:
                    try:
                        os.fchown(fh.fileno(), st.st_uid, st.st_gid)  # root keeps the owner
                    except OSError:
                        pass
            os.chmod(tmp, mode)  # our own new file (mkstemp made it 0600)
            os.replace(tmp, output)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except PermissionError as e:
        raise WriteConflict(_("roadmap: cannot write {output}: {reason}").format(output=output, reason=e.strerror or e)) from None
    except OSError as e:
        raise UsageError(_("roadmap: cannot write {output}: {reason}").format(output=output, reason=e.strerror or e)) from None


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
    """
)


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
def command(q: Query, output: str | None, remind_days: int) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import render
    from roadmap_cli.calendar_export import measure_rows, to_ics
    from roadmap_cli.commands._reports import load_view

    if q.fmt == "xlsx" and (output is None or output == "-") and sys.stdout.isatty():
        raise UsageError("roadmap: an xlsx workbook is binary; write it to a file with -o FILE.xlsx")
    repo, view = load_view(q)
    if q.fmt == "xlsx":
        from roadmap_cli.sheets import rows_workbook

        data = rows_workbook(measure_rows(view, repo.agencies, q.as_of, q.lang), "measures", q.as_of)
    elif q.fmt == "ics":
        data = to_ics(view, repo.agencies, q.as_of, q.lang, remind_days=remind_days)
    else:
        rows = measure_rows(view, repo.agencies, q.as_of, q.lang)
        text = render.dumps(rows) + "\n" if q.fmt == "json" else render.to_csv(rows, excel=q.excel)
        data = text.encode("utf-8")
    write_output(data, output)
