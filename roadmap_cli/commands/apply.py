"""roadmap apply FILE...: the agencies' filled request workbooks (or their CSV form), applied.

Each answered row becomes a ``roadmap update`` of its measure (``roadmap_cli.edit``: only the
lines that must change). A row is refused with located problems (``FILE.xlsx:measures!D7``)
and the others still apply; a row whose measure changed since the request was made is a
conflict, shown side by side and not applied. Each edit is checked with its file alone, and
the whole result with the rest of the repository before anything is written. See
docs/cycle.md.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from roadmap_cli import i18n
from roadmap_cli.commands.update import _date
from roadmap_cli.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from roadmap_cli.answers import RowPlan
    from roadmap_cli.cycle import SheetProblem
    from roadmap_cli.load import Sources


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
def command(files: tuple[str, ...], dry_run: bool, on: date | None, folder: str | None) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import answers, sheets
    from roadmap_cli.commands._common import refuse_invalid
    from roadmap_cli.load import default_paths, find_files, load_sources, read_sources

    sources = read_sources(find_files([folder] if folder else default_paths()))
    repo = refuse_invalid(load_sources(sources))
    measures = {(rm.id, m.id): (rm, m) for rm in repo.roadmaps for m in rm.measures}
    files_of = {rm.id: rm.file for rm in repo.roadmaps}

    problems: list[SheetProblem] = []
    plans: list[RowPlan] = []
    for name in dict.fromkeys(files):
        table = sheets.read_table(name)
        problems.extend(table.problems)
        if table.problems:  # a file not read as it was sent is refused whole
            continue
        for cells in table.rows:
            plan = answers.plan_row(name, cells, measures, on)
            if plan is not None:
                plans.append(plan)

    texts = _texts(sources)
    originals = dict(texts)
    changes: dict[int, list[str]] = {}
    for n, plan in enumerate(plans):
        if not plan.ok:
            continue
        doc = files_of[plan.roadmap]
        result = _edit_row(plan, doc, texts[doc], sources)
        if isinstance(result, str):
            problems_of_row(plan, result)
            continue
        texts[doc] = result[0]
        changes[n] = result[1]

    changed = {name: text for name, text in texts.items() if text != originals[name]}
    _check_whole(sources, changed)
    for plan in plans:
        problems.extend(plan.problems)
    for p in problems:
        click.echo(str(p), err=True)
    tally = _summary(plans, changes, problems)
    _conflicts(plans)
    if dry_run:
        from roadmap_cli.edit import unified_diff

        for name, text in changed.items():
            click.echo(unified_diff(originals[name], text, name), nl=False)
        click.echo(_("(dry run: nothing was written)"), err=True)
    else:
        from roadmap_cli import safewrite

        raw = dict(sources.roadmaps)
        for name, text in changed.items():
            old = raw[name]
            assert old is not None
            safewrite.replace_file(name, old, _bom(old) + text.encode("utf-8"))
    if tally.refused or tally.conflicts or problems:
        raise click.exceptions.Exit(1)


def problems_of_row(plan: RowPlan, message: str) -> None:
    from roadmap_cli.answers import for_people, where_of
    from roadmap_cli.cycle import SheetProblem

    plan.problems.append(SheetProblem(plan.file, where_of(plan), for_people(message), "apply-refused"))


BOM = b"\xef\xbb\xbf"


def _bom(data: bytes) -> bytes:
    return BOM if data.startswith(BOM) else b""


def _texts(sources: Sources) -> dict[str, str]:
    """Each document's text (a valid repository: every file is UTF-8)."""
    return {name: data[len(_bom(data)):].decode("utf-8")
            for name, data in sources.roadmaps if data is not None}


def _edit_row(plan: RowPlan, name: str, text: str, sources: Sources) -> tuple[str, list[str]] | str:
    """The document's text with the row applied and the change lines, or why it cannot be."""
    from datetime import date as _d

    from roadmap_cli import edit
    from roadmap_cli.commands.update import problems_of
    from roadmap_cli.load import Sources
    from roadmap_cli.model import Severity

    assert plan.update is not None
    try:
        result = edit.update_measure(text, plan.measure, plan.update, _d.today())
    except edit.EditError as e:
        return str(e)
    if result.text == text:
        return result.text, []
    raw = dict(sources.roadmaps)[name] or b""
    alone = Sources(agencies=list(sources.agencies),
                    roadmaps=[(name, _bom(raw) + result.text.encode("utf-8"))],
                    agencies_expected=sources.agencies_expected)
    errors = [p for p in problems_of(alone, name) if p.severity is Severity.ERROR]
    if errors:
        return _("the answer would make {file} invalid: {message} [{rule}]").format(
            file=name, message=errors[0].message, rule=errors[0].rule)
    return result.text, list(result.changes)


def _check_whole(sources: Sources, changed: dict[str, str]) -> None:
    """The repository with every change, checked together (a duplicate id across files, ...);
    with errors, print them and exit 1 with nothing written."""
    if not changed:
        return
    from roadmap_cli import render
    from roadmap_cli.commands.update import with_file
    from roadmap_cli.errors import DataError
    from roadmap_cli.load import load_sources
    from roadmap_cli.model import Severity

    candidate = sources
    for name, text in changed.items():
        raw = dict(sources.roadmaps)[name] or b""
        candidate = with_file(candidate, name, _bom(raw) + text.encode("utf-8"))
    found = load_sources(candidate).problems
    errors = [p for p in found if p.severity is Severity.ERROR]
    if errors:
        render.render_problems(errors, "text", out=sys.stderr)
        raise DataError(ngettext(
            "roadmap: refusing to apply: the result would have {n} error(s); nothing was written",
            "roadmap: refusing to apply: the result would have {n} error(s); nothing was written",
            len(errors),
        ).format(n=len(errors)))


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
        click.echo(_("{agency} ({files}): {a} applied, {u} unchanged, {c} conflict(s), "
                     "{r} refused").format(agency=agency, files=", ".join(sorted(t.files)),
                                        a=t.applied, u=t.unchanged, c=t.conflicts, r=t.refused))
        for line in lines:
            click.echo(line)
        total.applied += t.applied
        total.unchanged += t.unchanged
        total.conflicts += t.conflicts
        total.refused += t.refused
    if not plans and not problems:
        click.echo(_("no answered rows: nothing to apply"))
    return total


def _conflicts(plans: Sequence[RowPlan]) -> None:
    """Each conflicting row, side by side: the file's value now and the agency's answer."""
    from roadmap_cli import render

    conflicts = [p for p in plans if p.conflict is not None]
    if not conflicts:
        return
    click.echo()
    click.echo(_("Conflicts: changed in the repository since the request was made; not applied"))
    click.echo(_("(check each against the file, then use `roadmap update`):"))
    columns = [
        render.Column("field", N_("Field"), no_wrap=True),
        render.Column("now", N_("In the file now"), ratio=1),
        render.Column("answer", N_("The agency's answer"), ratio=1),
    ]
    for plan in conflicts:
        assert plan.conflict is not None
        click.echo()
        click.echo("{roadmap}/{measure} ({file}:{where})".format(
            roadmap=plan.roadmap, measure=plan.measure, file=plan.file, where=plan.where))
        rows: list[dict[str, Any]] = [{"field": key, "now": now, "answer": answer}
                                      for key, now, answer in plan.conflict]
        render.render_rows(rows, columns, "table")
