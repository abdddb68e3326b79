"""roadmap update ROADMAP/MEASURE: record progress on one measure with a minimal edit of its file.

The command parses the options and prints; the transaction (read, plan, splice, check with the
rest of the repository, write atomically) is :mod:`roadmap_cli.transaction`'s. See
docs/update.md.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from roadmap_cli import i18n
from roadmap_cli.commands import _complete
from roadmap_cli.commands._common import (
    lang_option,
    no_cache_option,
    paths_argument,
    source_line,
    split_target,
)
from roadmap_cli.i18n import N_, _

# the repository with one file changed: `roadmap new` and `roadmap import` take them from here
from roadmap_cli.transaction import problems_of as problems_of
from roadmap_cli.transaction import with_file as with_file

if TYPE_CHECKING:
    from roadmap_cli.model import Problem
    from roadmap_cli.transaction import Refusal

STATUSES = ("not_started", "in_progress", "done", "blocked", "cancelled")


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    from roadmap_cli.periods import parse_typed_date

    if value is None:
        return None
    try:
        when = parse_typed_date(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None
    today = date.today()
    if when > today:
        # a completion, report, actual or evidence records what has happened
        raise click.BadParameter(
            _("{when} is after today ({today}): the date records what has happened; "
              "check the year").format(when=i18n.day(when), today=i18n.day(today))
        )
    return when


def _status(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A status id, or a status as the tables and the workbook word it (any case): `выполнено`,
    `in progress`. The file gets the id."""
    from roadmap_cli.cycle_text import read_status

    if value is None:
        return None
    found = read_status(value)
    if found is None:
        raise click.BadParameter(_("{value!r} is not a status; give one of: {ids}").format(
            value=value, ids=", ".join(STATUSES)))
    return found


def _progress(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """A whole number from 0 to 100; '30%' gets the number to give instead."""
    if value is None:
        return None
    text = value.strip()
    bare = text.rstrip("%").strip()
    # isdecimal, not isdigit: '²' is a digit that int() cannot read (a crash, exit 4)
    if bare != text and bare.isdecimal():
        raise click.BadParameter(_("write the number without the {percent} sign ({number})").format(
            percent="%", number=bare))
    if not text.isdecimal() or not 0 <= int(text) <= 100:
        raise click.BadParameter(_("{value!r} is not a whole number from 0 to 100").format(value=value))
    return int(text)


def _due(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from roadmap_cli.periods import _SHORT_YEAR_RE, NotADueForm, parse_typed_date, typed
    from roadmap_cli.schedule import parse_due

    if value is None:
        return None
    value = value.strip()
    try:
        # a day as the Russian tables show it (31.12.2026), as --on; 31.12.26 is told, as by
        # --on, to write the year in full (not that it is no due form)
        if typed(value) != value or _SHORT_YEAR_RE.fullmatch(value):
            parse_typed_date(value)
            value = typed(value)  # the files keep the ISO form
        parse_due(value)
    except NotADueForm as e:  # (the forms update writes: not a recurring or anchored mapping)
        raise click.BadParameter(
            _("{due} is not a due form that update writes: expected a date (2026-10-15), a "
              "month (2026-10), a quarter (2026-Q4), a half-year (2026-H1), a year (2026), "
              "`ongoing` or `on_request`; a recurring or anchored due is edited in the "
              "file").format(due=e.shown) + e.hint
        ) from None
    except ValueError as e:
        raise click.BadParameter(str(e)) from None
    return value


def _actuals(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out = []
    for item in value:
        ind, sep, number = item.partition("=")
        if not sep or not ind.strip() or not number.strip():
            raise click.BadParameter(
                _("{item!r}: expected INDICATOR=VALUE, e.g. tractors-per-year=5600").format(item=item)
            )
        out.append((ind.strip(), number.strip()))
    return tuple(out)


# --- shared with `roadmap new` -------------------------------------------------------------------


def text_source(name: str, text: str) -> Callable[[str, int], str | None]:
    """Source lines for error excerpts: ``name`` from ``text`` (in memory), others from disk."""
    from roadmap_cli.edit import split_lines

    lines = split_lines(text)

    def source(file: str, line: int) -> str | None:
        if file == name:
            return lines[line - 1] if 0 < line <= len(lines) else None
        return source_line(file, line)

    return source


def refuse_invalid(problems: list[Problem], name: str, text: str, message: str) -> None:
    """Print the located errors (excerpts from the candidate text) and exit 1."""
    from roadmap_cli import render
    from roadmap_cli.errors import DataError
    from roadmap_cli.model import Severity

    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        render.render_problems(problems, "text", out=sys.stderr, source=text_source(name, text))
        raise DataError(message.format(n=len(errors)))


def show_new_warnings(before: list[Problem], after: list[Problem], name: str, text: str) -> None:
    from roadmap_cli.transaction import new_warnings

    show_problems(new_warnings(before, after), name, text)


def show_problems(problems: list[Problem], name: str | None, text: str | None) -> None:
    """Problems on stderr as `validate` prints them, excerpts from ``text`` for ``name``."""
    from roadmap_cli import render

    if problems:
        source = text_source(name, text) if name is not None and text is not None else None
        render.render_problems(problems, "text", out=sys.stderr, source=source)


def show_refusal(refusal: Refusal) -> None:
    """Print a refused edit's problems; the caller re-raises it (exit 1)."""
    show_problems(refusal.problems, refusal.name, refusal.text)


# --- the command ---------------------------------------------------------------------------------

HELP = N_(
    """Record progress on a measure, editing its file minimally.

    Changes only the lines that must change (every other byte of the file stays as it was),
    checks the result with the rest of the repository before writing, and writes safely:
    refused with exit 1 when the result would be invalid, exit 3 when the file is locked,
    read-only, or changed since it was read. PATHS: the roadmap folder (default: roadmaps/).
    """
)

#: the examples of the help (command lines: not translated)
EXAMPLES = (
    "roadmap update kz-by-industrial-cooperation-2026-2028/2.1 --status done --on 2026-11-20",
    "roadmap update kz-by-industrial-cooperation-2026-2028/1.4 --reported 2026-Q3",
    'roadmap update astana-minsk-2026-2028/1.3 --status cancelled --reason "Site not found"',
    "roadmap update kz-by-industrial-cooperation-2026-2028/2.2 --due 2026-12 --by protocol-1",
    "roadmap update kz-by-industrial-cooperation-2026-2028 --event entry-into-force --on 2026-03-01",
)


@click.command("update", help=i18n.help_with_examples(_(HELP), _("Examples:"), EXAMPLES))
@click.argument("target", metavar="ROADMAP/MEASURE", shell_complete=_complete.measures)
@click.option("--status", callback=_status, metavar="STATUS",
              shell_complete=lambda _ctx, _param, typed: [s for s in STATUSES if s.startswith(typed)],
              help=_(
              "New status: not_started, in_progress, done, blocked or cancelled (or the words the "
              "tables print: в работе, выполнено...). done sets completed (from --on) and drops "
              "progress; blocked and cancelled need --reason."))
@click.option("--progress", callback=_progress, metavar="N",
              help=_("Percent complete, 0..100 (in_progress measures)."))
@click.option("--completed", callback=_date, metavar="DATE",
              help=_("Completion date of a done measure (default: --on)."))
@click.option("--reason", metavar="TEXT", help=_("Why the measure is blocked or cancelled."))
@click.option("--due", callback=_due, metavar="DUE",
              help=_("New deadline: 2026-10-15, 2026-10, 2026-Q4, 2026-H1, 2026, ongoing or "
                     "on_request."))
@click.option("--by", metavar="AMENDMENT",
              help=_("With --due: the amendment (an id of the document's amendments) that moved "
                     "the deadline; the due it replaces is kept in the measure's `rescheduled` "
                     "list, so the move is not a slip."))
@click.option("--event", metavar="ID",
              help=_("Record the date (--on, default today) of the event ID of the document: "
                     "give ROADMAP alone as the target."))
@click.option("--evidence", metavar="TITLE", help=_("Add an evidence entry (dated --on)."))
@click.option("--url", metavar="URL", help=_("Where the --evidence can be read."))
@click.option("--reported", multiple=True, metavar="PERIOD",
              help=_("Add a report for this period of a recurring measure, e.g. 2026-Q3 "
                     "(dated --on; repeatable)."))
@click.option("--actual", "actuals", multiple=True, callback=_actuals, metavar="INDICATOR=VALUE",
              help=_("Add an indicator value dated --on, e.g. tractors-per-year=5600 "
                     "(repeatable)."))
@click.option("--on", callback=_date, metavar="DATE",
              help=_("The date for completed, reports, actuals and evidence. Default: today."))
@click.option("--dry-run", is_flag=True, help=_("Print the change as a unified diff; write nothing."))
@lang_option
@no_cache_option
@paths_argument
def command(target: str, paths: tuple[str, ...], dry_run: bool, lang: str, no_cache: bool,
            **options: Any) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import edit, transaction
    from roadmap_cli.commands._common import open_cache, reading
    from roadmap_cli.workspace import resolve_paths

    event = options["event"]
    if event is not None:
        others = [k for k, v in options.items() if k not in ("event", "on") and v not in (None, ())]
        if others:
            raise click.UsageError(
                _("--event records an event's date only; give --{opt} in another update").format(
                    opt=others[0]
                )
            )
        if "/" in target:
            raise click.BadParameter(
                _("{target!r}: with --event give the document alone (ROADMAP), e.g. "
                  "kz-by-industrial-cooperation-2026-2028").format(target=target),
                param_hint="ROADMAP",
            )
        roadmap_id, measure_id = target, None
    else:
        roadmap_id, measure_id = split_target(target)

    update = edit.Update(
        by=options["by"],
        status=options["status"],
        progress=options["progress"],
        completed=options["completed"],
        reason=options["reason"],
        due=options["due"],
        evidence=options["evidence"],
        url=options["url"],
        reported=tuple(options["reported"]),
        actuals=options["actuals"],
        on=options["on"],
    )
    try:
        folders = resolve_paths(paths)
        with reading(label=_("checking files")) as on_file:  # gone before anything is printed
            prepared = transaction.prepare_update(folders, target, roadmap_id, measure_id, update,
                                                  event=event, on=options["on"],
                                                  cache=open_cache(folders, not no_cache), on_file=on_file)
    except transaction.Refusal as e:
        show_refusal(e)
        raise
    if prepared.unchanged:
        click.echo(_("{target}: nothing to change").format(target=prepared.label), err=True)
        return
    show_problems(prepared.warnings, prepared.name, prepared.new_text)

    if dry_run:
        click.echo(edit.unified_diff(prepared.old_text, prepared.new_text, prepared.name), nl=False)
        click.echo(_("(dry run: nothing was written)"), err=True)
        return
    transaction.commit_update(prepared)
    click.echo("{file}: {target}".format(file=prepared.name, target=prepared.label))
    for line in prepared.changes:
        click.echo("  {change}".format(change=line))
