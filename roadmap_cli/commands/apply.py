"""roadmap apply FILE...: the agencies' filled request workbooks (or their CSV form), applied.

Each answered row becomes a ``roadmap update`` of its measure (``roadmap_cli.edit``: only the
lines that must change); the transaction is :mod:`roadmap_cli.apply_plan`'s, this module parses
the options and prints. A row is refused with located problems (``FILE.xlsx:measures!D7``)
and the others still apply; a row whose measure changed since the request was made is a
conflict, shown side by side and not applied. The whole result is checked with the rest of
the repository before anything is written; a document it finds an error in is applied again
row by row, each edit checked with its file alone, so that the row at fault is refused. See
docs/cycle.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from roadmap_cli import i18n
from roadmap_cli.commands._common import lang_option, no_cache_option, quiet_stdout, say
from roadmap_cli.commands.update import _date, show_refusal
from roadmap_cli.i18n import N_, _

if TYPE_CHECKING:
    from roadmap_cli.answers import RowPlan
    from roadmap_cli.cycle import SheetProblem


@dataclass
class _Tally:
    applied: int = 0
    unchanged: int = 0
    conflicts: int = 0
    refused: int = 0
    files: set[str] = field(default_factory=set)


HELP = N_(
    """Apply filled request workbooks (.xlsx) or their CSV form.

    Every answered row is applied to its measure as `roadmap update` would: only the lines
    that must change. A row with a problem is refused with its location
    (FILE.xlsx:measures!D7), and so is a row whose measure changed in the repository since
    the request was made (a conflict: shown side by side, the file's value now and the
    agency's answer); the other rows apply. The result is checked with the whole repository
    before anything is written. Exit 1 when any row was refused, 0 when all applied.
    """
)

#: the examples of the help (command lines: not translated)
EXAMPLES = (
    'roadmap apply answers/request-kz-mic-2026-11-28.xlsx --dry-run',
    'roadmap apply answers/*.xlsx answers/*.csv --on 2026-12-05',
)


@click.command("apply", help=i18n.help_with_examples(_(HELP), _("Examples:"), EXAMPLES))
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--dry-run", is_flag=True, help=_("Print the changes as a unified diff; write nothing."))
@click.option("--on", callback=_date, metavar="DATE",
              help=_("The date of new reports, evidence and indicator values, and of completion "
                     "when none is given. Default: today."))
@click.option("--dir", "folder", metavar="DIR", help=_("The roadmap folder (default: roadmaps/)."))
@lang_option
@no_cache_option
def command(files: tuple[str, ...], dry_run: bool, on: date | None, folder: str | None,
            lang: str, no_cache: bool) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import apply_plan, transaction
    from roadmap_cli.commands._common import open_cache, refuse_invalid
    from roadmap_cli.load import load_sources
    from roadmap_cli.progress import Progress
    from roadmap_cli.workspace import resolve_paths

    folders = resolve_paths([folder] if folder else [])
    sources = transaction.read(folders)
    cache = open_cache(folders, not no_cache)
    with Progress() as shown:  # each display gone before anything is printed
        loaded = load_sources(sources, cache, on_file=shown.stage(_("reading files")))
    repo = refuse_invalid(loaded)
    try:
        with Progress() as shown:
            planned = apply_plan.plan_apply(repo, files, on)
            # the repository let go: the plans hold the answered measures, and a load without
            # the cache built every measure (the edits and the check take that memory)
            del loaded, repo
            applied = apply_plan.apply_planned(
                sources, planned, cache=cache,
                on_document=shown.stage(_("applying answers")),
                on_file=shown.stage(_("checking the result")),
            )
    except transaction.Refusal as e:
        show_refusal(e)
        raise
    for p in applied.problems:
        click.echo(str(p), err=True)
    tally = _summary(applied.plans, applied.changes, applied.problems)
    try:
        _conflicts(applied.plans)
    except BrokenPipeError:  # the reader went away (| head): the answers are applied all the same
        quiet_stdout()
    if dry_run:
        from roadmap_cli.edit import unified_diff

        for name in applied.changed:
            click.echo(unified_diff(*applied.texts(name), name), nl=False)
        click.echo(_("(dry run: nothing was written)"), err=True)
    else:
        apply_plan.commit_apply(applied)
    if tally.refused or tally.conflicts or applied.problems:
        raise click.exceptions.Exit(1)


def _summary(plans: Sequence[RowPlan], changes: dict[int, list[str]],
             problems: Sequence[SheetProblem]) -> _Tally:
    """Per agency: what was applied (with the change lines), unchanged, in conflict, refused."""
    total = _Tally()
    words = {"conflict": _("conflict"), "refused": _("refused"), "applied": _("applied"),
             "unchanged": _("no change")}
    width = max(len(w) for w in words.values())

    def row(word: str, ref: str) -> str:
        return "  {word} {ref}".format(word=words[word].ljust(width), ref=ref)

    by_agency: dict[str, list[tuple[int, RowPlan]]] = {}
    for n, plan in enumerate(plans):
        by_agency.setdefault(plan.agency or "?", []).append((n, plan))
    for agency, rows in by_agency.items():
        t = _Tally()
        lines = []
        for n, plan in rows:
            t.files.add(plan.file)
            ref = "{roadmap}/{measure}".format(roadmap=plan.roadmap, measure=plan.measure)
            if plan.conflict is not None:
                t.conflicts += 1
                lines.append(row("conflict", ref))
            elif plan.problems:
                t.refused += 1
                lines.append(row("refused", ref))
            elif changes.get(n):
                t.applied += 1
                lines.append(row("applied", "{ref}: {what}".format(ref=ref, what="; ".join(changes[n]))))
            else:
                t.unchanged += 1
                lines.append(row("unchanged", ref))
            if plan.comment:
                lines.append(" " * (width + 3) + _("comment: {text}").format(text=plan.comment))
        say(_("{agency} ({files}): applied {a}, unchanged {u}, conflicts {c}, "
              "refused {r}").format(agency=agency, files=", ".join(sorted(t.files)),
                                 a=t.applied, u=t.unchanged, c=t.conflicts, r=t.refused))
        for line in lines:
            say(line)
        total.applied += t.applied
        total.unchanged += t.unchanged
        total.conflicts += t.conflicts
        total.refused += t.refused
    if not plans and not problems:
        say(_("no answered rows: nothing to apply"))
    return total


def _conflicts(plans: Sequence[RowPlan]) -> None:
    """Each conflicting row, side by side: the file's value now and the agency's answer."""
    from roadmap_cli import render

    conflicts = [p for p in plans if p.conflict is not None]
    if not conflicts:
        return
    say()
    say(_("Conflicts: changed in the repository since the request was made; not applied"))
    say(_("(check each against the file, then use `roadmap update`):"))
    columns = [
        render.Column("field", N_("Field"), no_wrap=True),
        render.Column("now", N_("In the file now"), ratio=1),
        render.Column("answer", N_("The agency's answer"), ratio=1),
    ]
    for plan in conflicts:
        assert plan.conflict is not None
        say()
        say("{roadmap}/{measure} ({file}:{where})".format(
            roadmap=plan.roadmap, measure=plan.measure, file=plan.file, where=plan.where))
        rows: list[dict[str, Any]] = [
            {"field": _field(key), "now": _status(now) if key == "status" else now,
             "answer": answer}
            for key, now, answer in plan.conflict
        ]
        render.render_rows(rows, columns, "table")


def _field(key: str) -> str:
    """An answer column in the conflict table: its machine key in English (as always), its
    header in the workbook's words in other languages (Прогресс (0-100), ...)."""
    from roadmap_cli import cycle, cycle_text

    lang = i18n.current()
    column = cycle.BY_KEY.get(key)
    return key if lang == "en" or column is None else cycle_text.text(column.header, lang)


def _status(value: str) -> str:
    """The file's status now, in the workbook's words outside English."""
    from roadmap_cli import cycle_text

    lang = i18n.current()
    if lang == "en" or value not in cycle_text.STATUS_WORDS_EN:
        return value
    return cycle_text.status_word(value, lang)
