"""roadmap request: one workbook per agency asking what has been done on its open measures."""

from __future__ import annotations

import os

import click

from roadmap_cli import i18n
from roadmap_cli.commands._common import (
    as_of_option,
    lang_option,
    no_cache_option,
    paths_argument,
    say,
)
from roadmap_cli.i18n import N_, _, ngettext, os_reason

HELP = N_(
    """Ask agencies what has been done on their measures.

    Writes FOLDER/request-AGENCY-DATE.xlsx for each --agency: the sheet "measures" has one row
    per measure the agency leads or co-executes that is open as of the date (what is known,
    locked; empty cells to fill: new status from a drop-down, progress, completion date,
    reason, evidence, reported period, indicator values, comment), and a second sheet says how
    to fill it in, in the --lang language (en, else Russian). Send it; read the answers back
    with `roadmap apply`. See docs/cycle.md.
    """
)

#: the examples of the help (command lines: not translated)
EXAMPLES = (
    'roadmap request --agency kz-mic --lang ru -o out/',
    'roadmap request --agency kz-mic --agency by-minprom --format csv -o out/',
)


@click.command("request", help=i18n.help_with_examples(_(HELP), _("Examples:"), EXAMPLES))
@click.option("--agency", "agencies", multiple=True, required=True, metavar="ID",
              help=_("The agency to ask (repeatable): one file each."))
@click.option("-o", "--output", "folder", required=True, metavar="FOLDER",
              help=_("The folder to write the files in (made if missing)."))
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx",
              show_default=True, help=_("A workbook, or the same rows as CSV."))
@as_of_option
@lang_option
@no_cache_option
@paths_argument
def command(agencies: tuple[str, ...], folder: str, fmt: str, as_of: object, lang: str,
            no_cache: bool, paths: tuple[str, ...]) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from datetime import date

    from roadmap_cli import cycle, sheets
    from roadmap_cli.commands._common import check_filters, load_or_refuse
    from roadmap_cli.commands.export import write_output
    from roadmap_cli.errors import UsageError

    assert isinstance(as_of, date)
    repo = load_or_refuse(paths, use_cache=not no_cache)
    # ids as agencies.yaml spells them (any case, or a name or short name)
    agencies = tuple(check_filters(repo, (), agency, None)[1] or agency for agency in agencies)
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise UsageError(_("roadmap: {folder} is not a folder").format(folder=folder))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise UsageError(_("roadmap: cannot make the folder {folder}: {reason}").format(
            folder=folder, reason=os_reason(e))) from None
    # every agency's rows first, and the documents let go before any workbook is made: openpyxl
    # holds every cell of one (a cold request of 1,000 documents peaked at 286 MB with both)
    asked = [(agency, cycle.request_rows(repo.roadmaps, agency, as_of, lang),
              "{name} ({id})".format(name=cycle.agency_name(repo.agencies, agency, lang), id=agency))
             for agency in dict.fromkeys(agencies)]
    del repo
    for agency, rows, label in asked:
        if not rows:
            click.echo(_("{agency}: no open measures as of {date}; nothing written").format(
                agency=agency, date=i18n.day(as_of)), err=True)
            continue
        name = os.path.join(folder, cycle.file_stem(agency, as_of) + "." + fmt)
        if fmt == "xlsx":
            data = sheets.request_workbook(rows, lang, label, as_of)
        else:
            data = sheets.request_csv(rows, lang)
        write_output(data, name)
        say(ngettext("{file}: {n} measure(s)", "{file}: {n} measure(s)", len(rows)).format(
            file=name, n=len(rows)))
