"""roadmap diff BASE [HEAD]: what an edit does to the commitments, between two git revisions.

The command parses its options and prints: the two sides are found, read and loaded by
:mod:`roadmap_cli.revisions` (a side with errors is refused there, its problems printed here),
compared by :mod:`roadmap_cli.diff`, and worded for people by :mod:`roadmap_cli.diff_text`.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import click

from roadmap_cli import render
from roadmap_cli.commands import _complete
from roadmap_cli.commands._common import (
    format_option,
    lang_option,
    no_cache_option,
    open_cache,
    source_line,
)
from roadmap_cli.errors import EXIT_DATA
from roadmap_cli.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from roadmap_cli.diff import Change
    from roadmap_cli.revisions import InvalidSide, Side


HELP = N_(
    """What changed in the roadmaps between two git revisions.

    Compares the roadmap folder at revision BASE with HEAD (a revision; default: the working
    tree, so `roadmap diff main` shows an uncommitted edit). Documents are matched by id,
    measures by id: documents added, removed and renamed, measures added and removed, every
    changed field with its old and new value, and how far each deadline moved (+ = later).
    A deadline moved by an amendment (a new `rescheduled` entry) shows as `rescheduled`.

    Exit 0; 1 when a side has invalid files (listed on stderr) or, with --fail-on-slip, when a
    deadline moved later without an amendment; 2 for a folder outside git or an unknown
    revision.
    """
)


@click.command("diff", help=_(HELP))
@click.argument("base", metavar="BASE", shell_complete=_complete.revisions)
@click.argument("head", metavar="[HEAD]", required=False, shell_complete=_complete.revisions)
@click.option(
    "--dir",
    "folder",
    metavar="DIR",
    help=_("The roadmap folder (default: roadmaps/ in the current folder or the nearest parent "
           "inside the repository, else at its top level)."),
)
@format_option(*render.FORMATS)
@lang_option
@click.option(
    "--fail-on-slip",
    is_flag=True,
    help=_("Exit 1 when any deadline moved later without an amendment (a move recorded with a new "
           "`rescheduled` entry is not a slip)."),
)
@no_cache_option
def command(
    base: str, head: str | None, folder: str | None, fmt: str, lang: str, fail_on_slip: bool,
    no_cache: bool,
) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import diff as diffing
    from roadmap_cli import revisions
    from roadmap_cli.progress import Progress

    repo, folder = revisions.open_repository(folder)
    cache = open_cache([folder], not no_cache)
    old, new = revisions.sides(repo, folder, base, head, cache)
    try:
        with Progress() as shown:  # gone before anything is printed
            changes = revisions.compare(old, new, cache, lambda side: shown.stage(
                _("reading {side}").format(side=side.where())))
    except revisions.InvalidSide as refused:
        print_problems(refused)
        raise
    show(changes, fmt, lang, old, new)
    if fail_on_slip:
        late = diffing.slipped(changes)
        if late:
            click.echo(
                ngettext("roadmap: {count} deadline moved later (--fail-on-slip)",
                         "roadmap: {count} deadlines moved later (--fail-on-slip)",
                         len(late)).format(count=len(late)),
                err=True,
            )
            raise click.exceptions.Exit(EXIT_DATA)


def print_problems(refused: InvalidSide) -> None:
    """The refused side's problems as `validate` prints them (on stderr), with source lines
    from the side's blobs (a revision) or from disk (the working tree)."""
    side = refused.side
    blobs = side.blobs()
    lines: dict[str, list[str]] = {}

    def source(file: str, line: int) -> str | None:
        if side.is_worktree or file not in blobs:
            return source_line(file, line)
        if file not in lines:
            lines[file] = blobs[file].decode("utf-8-sig", "replace").splitlines()
        text = lines[file]
        return text[line - 1] if 0 < line <= len(text) else None

    render.render_problems(refused.repository.problems, "text", out=sys.stderr, source=source)


# --- output ------------------------------------------------------------------------------------

_CHANGE_STYLES = {"added": "green", "removed": "red", "renamed": "cyan", "rescheduled": "yellow"}

#: in a narrow terminal Old goes first, then Change, Slip and Field (the note under the table says so)
COLUMNS = (
    render.Column("measure", N_("Measure"), no_wrap=True, min_width=5, max_width=12),
    render.Column("change", N_("Change"), no_wrap=True, style=lambda r: _CHANGE_STYLES.get(r["kind"]), drop=2),
    render.Column("field", N_("Field"), no_wrap=True, max_width=14, drop=4),
    render.Column("old", N_("Old"), drop=1),
    render.Column("new", N_("New")),
    render.Column("slip", N_("Slip"), justify="right", no_wrap=True, style=lambda r: _slip_style(r), drop=3),
)

def _slip_style(row: Mapping[str, Any]) -> str | None:
    days = row.get("slip_days")
    if days is None or days == 0 or row.get("kind") == "rescheduled":
        return None  # a move an amendment covers is no slip
    return "bold red" if days > 0 else "green"


def show(changes: Sequence[Change], fmt: str, lang: str, old: Side, new: Side) -> None:
    """The changes in ``fmt``: JSON and CSV as the contract says; a table or Markdown under the
    summary line, one table per document."""
    from roadmap_cli import diff as diffing
    from roadmap_cli.diff_text import display_row

    if fmt in ("json", "csv"):
        render.render_rows([c.to_json() for c in changes], COLUMNS, fmt)
        return
    out = sys.stdout
    line = diffing.summary(changes)
    to = new.where() if new.is_worktree else "`{rev}`".format(rev=new.label)
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in changes:
        groups.setdefault(c.roadmap, []).append(display_row(c, lang))
    if fmt == "markdown":
        out.write("**{line}**\n\n".format(line=line))
        out.write(_("Roadmap changes from {old} to {new}.").format(old="`{rev}`".format(rev=old.label), new=to))
        out.write("\n")
        for rid, rows in groups.items():
            out.write("\n")
            render.render_rows(rows, COLUMNS, fmt, title=rid, out=out)
        return
    render.print_paragraph([(line, "bold")], out)
    for rid, rows in groups.items():
        render.print_paragraph([], out)
        render.render_rows(rows, COLUMNS, fmt, title=rid, out=out)
