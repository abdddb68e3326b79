"""roadmap history ROADMAP/MEASURE: a measure's timeline from git, oldest first.

The command parses its options and prints: the timeline is built by :mod:`roadmap_cli.history`
(which documents how it reads git) and worded for people by :mod:`roadmap_cli.diff_text`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import click

from roadmap_cli import render
from roadmap_cli.commands import _complete
from roadmap_cli.commands._common import format_option, lang_option, no_cache_option, split_target
from roadmap_cli.i18n import N_, _

HELP = N_(
    """A measure's timeline from git.

    Every commit that changed the measure ROADMAP/MEASURE (e.g.
    kz-by-industrial-cooperation-2026-2028/1.1), oldest first, with its date, author and each
    field's old and new value, from the measure's creation to the last commit. Follows the
    document when its file is renamed. Uncommitted edits are not shown (see `roadmap diff HEAD`).
    """
)


@click.command("history", help=_(HELP))
@click.argument("target", metavar="ROADMAP/MEASURE", shell_complete=_complete.measures)
@click.option(
    "--dir",
    "folder",
    metavar="DIR",
    help=_("The roadmap folder (default: roadmaps/ in the current folder or the nearest parent "
           "inside the repository, else at its top level)."),
)
@format_option(*render.FORMATS)
@lang_option
@no_cache_option
def command(target: str, folder: str | None, fmt: str, lang: str, no_cache: bool) -> None:
    """The command (its help for people: :data:`HELP`)."""
    roadmap_id, measure_id = split_target(target)
    from roadmap_cli.commands._common import open_cache, warn_if_shallow
    from roadmap_cli.history import measure_history
    from roadmap_cli.revisions import open_repository

    repo, folder = open_repository(folder)
    warn_if_shallow(repo)
    found = measure_history(repo, folder, roadmap_id, measure_id, open_cache([folder], not no_cache))
    show(found.rows, fmt, lang, found.target)


COLUMNS = (
    render.Column("day", N_("Date"), no_wrap=True),
    render.Column("short", N_("Commit"), no_wrap=True),
    render.Column("author", N_("Author"), max_width=20),
    render.Column("what", N_("Field"), no_wrap=True, max_width=14),
    render.Column("before", N_("Old"), drop=1),  # in a narrow terminal (said under the table)
    render.Column("after", N_("New")),
)

#: in a terminal, one small table per commit (under a line naming it) leaves Old and New the width
COMMIT_COLUMNS = COLUMNS[3:]


def show(rows: Sequence[Mapping[str, Any]], fmt: str, lang: str, target: str) -> None:
    from roadmap_cli.diff_text import history_rows

    if fmt in ("json", "csv"):
        render.render_rows(rows, COLUMNS, fmt)
        return
    shown, title = history_rows(rows, lang)
    heading = (
        _("History of {target}: {title}").format(target=target, title=title) if title
        else _("History of {target}").format(target=target)
    )
    if fmt == "markdown":
        render.render_rows(shown, COLUMNS, fmt, title=heading)
        return
    render.print_paragraph([(heading, "bold")])
    commits: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    for row in shown:
        commits.setdefault((row["day"], row["short"], row["author"], row["subject"]), []).append(row)
    for (day, short, author, subject), group in commits.items():
        render.print_paragraph([])
        render.print_paragraph([(f"{day}  ", ""), (short, "yellow"), (f"  {author}", ""),
                                *([(f": {subject}", "dim")] if subject else [])])
        render.render_rows(group, COMMIT_COLUMNS, fmt)
