"""roadmap stale: open measures whose entry has not changed for a while, by the git history."""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from roadmap_cli import i18n, render
from roadmap_cli.commands._common import Query, report_options
from roadmap_cli.commands._reports import as_of_footer, status_style, words
from roadmap_cli.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

COLUMNS = (
    render.Column("days_since_change", N_("Days"), justify="right", kind="int"),
    render.Column("item", N_("Measure"), kind="lines", min_width=24),
    # left out where they do not fit: the last change (its date is the as-of date less Days),
    # then the status
    render.Column("state", N_("Status"), min_width=7, style=status_style, drop=2),
    render.Column("change", N_("Last change"), kind="lines", no_wrap=True, drop=1),
)
MARKDOWN_COLUMNS = (
    render.Column("days_since_change", N_("Days"), justify="right", kind="int"),
    render.Column("roadmap", N_("Document")),
    render.Column("measure", N_("Measure")),
    render.Column("title", N_("Title")),
    render.Column("owners", N_("Lead agencies"), kind="list"),
    render.Column("state", N_("Status")),
    render.Column("last_changed", N_("Last change")),
    render.Column("short", N_("Commit")),
)


def _older_than(ctx: click.Context, param: click.Parameter, value: str) -> relativedelta:
    from roadmap_cli.schedule import parse_window

    try:
        return parse_window(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None


HELP = N_(
    """Open measures whose entry has not changed for longer than --older-than.

    Measures not done or cancelled (as of the date) whose entry in the file was last changed
    by a commit longer ago than the window: whom to chase for news. Read from the git history
    of the roadmap folder (as `roadmap history` does); an uncommitted change in the working
    tree counts as a change today; commits dated after --as-of are not counted. Most days
    since the change first.
    """
)


@click.command("stale", help=_(HELP))
@report_options()
@click.option("--older-than", "window", default="90d", show_default=True, callback=_older_than,
              metavar="WINDOW", help=_("How long without a change: days (90, 90d), weeks (12w), "
                                       "months (3m) or years (1y)."))
def command(q: Query, window: relativedelta) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import stale
    from roadmap_cli.commands._common import open_cache, warn_if_shallow
    from roadmap_cli.commands._reports import load_view
    from roadmap_cli.history import last_changes_in
    from roadmap_cli.progress import Progress
    from roadmap_cli.revisions import open_repository

    first = q.paths[0] if q.paths else None
    if first is not None and not os.path.lexists(first):  # (as the other reports say it)
        from roadmap_cli.errors import UsageError

        raise UsageError(_("roadmap: {path}: no such file or folder").format(path=first))
    if first is not None and os.path.isfile(first):  # a document named: the history of its folder
        first = os.path.dirname(first) or os.curdir
    git, folder = open_repository(first)
    warn_if_shallow(git)
    repo, view = load_view(q)
    with Progress() as shown:  # gone before anything is printed
        last = last_changes_in(git, folder, repo.roadmaps, q.as_of, date.today(),
                               open_cache([folder], not q.no_cache),
                               shown.stage(_("reading the history")))
    try:
        cutoff = q.as_of - window
    except (OverflowError, ValueError):
        cutoff = date.min
    rows = stale.stale_rows(view, last, q.as_of, cutoff, q.lang)
    # the rows are plain values: the documents and the history let go before the table is
    # drawn, which takes their memory (1,000 documents, 83,000 rows: 446 -> 351 MB cold)
    del repo, view, last
    if q.fmt not in ("json", "csv"):  # (JSON, CSV: the rows themselves)
        rows = [_shown(r, q.fmt == "markdown") for r in rows]  # (each row let go as it is shown)
    render.render_rows(
        rows,
        MARKDOWN_COLUMNS if q.fmt == "markdown" else COLUMNS,
        q.fmt,
        empty=_("No open measure has gone unchanged that long as of {date}.").format(
            date=i18n.day(q.as_of)),
        footer=as_of_footer(q.as_of) if rows else None,
    )


def _shown(row: dict[str, Any], markdown: bool) -> dict[str, Any]:
    """A row as the table (or Markdown) shows it, with the keys its columns read: the measure
    with its title and leads, its status in words (and as written, for its colour), the day
    and commit of the last change (83,000 rows at 1,000 documents: the table's cells are the
    run's memory)."""
    short = (row["commit"] or "")[:7] or _("uncommitted")
    if markdown:
        return {k: row[k] for k in _MARKDOWN_KEYS} | {"state": words(row["status"]), "short": short}
    ref = "{roadmap}/{measure}".format(roadmap=row["roadmap"], measure=row["measure"])
    return {
        "days_since_change": row["days_since_change"],
        "status": row["status"],
        "item": [(ref, "bold"), (str(row["title"]), ""),
                 (ngettext("lead: {owners}", "leads: {owners}", len(row["owners"])).format(
                     owners=", ".join(row["owners"])), "dim")],
        "state": words(row["status"]),
        "change": [(i18n.day(row["last_changed"]), ""), (short, "dim")],
    }


#: the keys of a row that the Markdown columns show as they are
_MARKDOWN_KEYS = ("days_since_change", "roadmap", "measure", "title", "owners", "last_changed")
