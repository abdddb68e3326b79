"""roadmap history ROADMAP/MEASURE: a measure's timeline from git, oldest first.

One ``git log --raw`` over the roadmap folder lists every commit with the blobs of the files it
changed (before and after); one ``git cat-file --batch`` reads them all. In each commit the
measure is looked up by document id and measure id among the files that commit changed, before
and after, so a document renamed (or moved to another file of the folder) keeps its history.
Old revisions are read, not validated: a revision that was invalid at the time still shows what it
said. A commit that touched the measure gives one row per top-level field changed; the
measure's creation is a row with ``field: null`` (``old`` null, ``new`` the measure), and its
removal likewise (``old`` the measure, ``new`` null).

Merge commits are compared with nothing (git lists no files for them), so a change made only
while resolving a merge conflict is not shown; the commits of the merged branch are.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import click

from roadmap_cli import render
from roadmap_cli.commands import _complete
from roadmap_cli.commands._common import format_option, lang_option, split_target
from roadmap_cli.errors import UsageError
from roadmap_cli.i18n import N_, _

if TYPE_CHECKING:
    from roadmap_cli.git import Commit


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
def command(target: str, folder: str | None, fmt: str, lang: str) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli.commands.diff import open_repository

    roadmap_id, measure_id = split_target(target)
    repo, folder = open_repository(folder)
    roadmap_id, measure_id = _as_in_the_working_tree(folder, roadmap_id, measure_id)
    prefix = repo.repo_path(folder)
    commits = repo.log(prefix)
    changes = [(c, ch) for c in commits for ch in c.changes if _roadmap_file(ch.path, prefix)]
    from roadmap_cli.yamlsrc import MAX_FILE_BYTES

    blobs = repo.read_blobs((s for _, ch in changes for s in (ch.old_sha, ch.new_sha) if s), MAX_FILE_BYTES)
    rows, seen_document = timeline(commits, prefix, blobs, roadmap_id, measure_id)
    if not rows:
        where = _("the git history of {folder}/").format(folder=prefix or ".")
        if seen_document:
            raise UsageError(_("roadmap: document {roadmap} has no measure {measure} in {where}").format(
                roadmap=roadmap_id, measure=repr(measure_id), where=where
            ))
        raise UsageError(_("roadmap: no document with id {id} in {where}").format(
            id=repr(roadmap_id), where=where
        ))
    show(rows, fmt, lang, f"{roadmap_id}/{measure_id}")


def _as_in_the_working_tree(folder: str, roadmap_id: str, measure_id: str) -> tuple[str, str]:
    """The ids as the working tree's files spell them (any case, a document by the start of
    its id; see :mod:`roadmap_cli.resolve`), else as typed: the history may hold documents and
    measures that no longer exist."""
    from roadmap_cli import resolve
    from roadmap_cli.load import AGENCIES_FILE, YAML_SUFFIXES
    from roadmap_cli.yamlsrc import MAX_FILE_BYTES, parse

    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(YAML_SUFFIXES) and n != AGENCIES_FILE)
    except OSError:
        return roadmap_id, measure_id
    docs: dict[str, Any] = {}
    for name in names[:1000]:
        path = os.path.join(folder, name)
        try:
            if not os.path.isfile(path):
                continue
            with open(path, "rb") as f:
                doc = parse(f.read(MAX_FILE_BYTES + 1), path).data
        except OSError:
            continue
        if isinstance(doc, dict) and isinstance(doc.get("id"), str):
            docs.setdefault(doc["id"], doc)
    try:
        roadmap_id = resolve.document(roadmap_id, docs)
    except resolve.NotFound:
        return roadmap_id, measure_id
    measures = docs[roadmap_id].get("measures")
    ids = [m["id"] for m in measures or () if isinstance(m, dict) and isinstance(m.get("id"), str)]
    try:
        return roadmap_id, resolve.measure(measure_id, ids, roadmap_id)
    except resolve.NotFound:
        return roadmap_id, measure_id


def _roadmap_file(path: str, prefix: str) -> bool:
    from roadmap_cli.load import AGENCIES_FILE, YAML_SUFFIXES

    folder, _sep, name = path.rpartition("/")
    return (
        folder == prefix
        and name.endswith(YAML_SUFFIXES)
        and not name.startswith(".")
        and name != AGENCIES_FILE
    )


def find_measure(data: bytes, name: str, roadmap_id: str, measure_id: str) -> tuple[bool, dict[str, Any] | None]:
    """(the document is in this file, the measure's data or None). Never raises."""
    from roadmap_cli.yamlsrc import parse

    if roadmap_id.encode("utf-8") not in data:  # cheap: most files are other documents
        return False, None
    parsed = parse(data, name)
    doc = parsed.data
    if not isinstance(doc, dict) or doc.get("id") != roadmap_id:
        return False, None
    measures = doc.get("measures")
    if not isinstance(measures, list):
        return True, None
    for i, m in enumerate(measures):
        if not isinstance(m, dict):
            continue
        mid = m.get("id")
        if not isinstance(mid, str) and mid is not None:
            mid = parsed.plain_text.get(("measures", i, "id"), str(mid))  # unquoted 1.1
        if mid == measure_id:
            return True, m
    return True, None


def timeline(
    commits: Sequence[Commit],
    prefix: str,
    blobs: Mapping[str, bytes],
    roadmap_id: str,
    measure_id: str,
) -> tuple[list[dict[str, Any]], bool]:
    """The history rows (oldest first) and whether the document was seen at all."""
    from roadmap_cli.diff import field_changes

    memo: dict[str, tuple[bool, dict[str, Any] | None]] = {}

    def look(shas: Iterable[str | None]) -> tuple[bool, dict[str, Any] | None]:
        found_doc = False
        for sha in shas:
            if sha is None or sha not in blobs:
                continue
            if sha not in memo:
                memo[sha] = find_measure(blobs[sha], sha, roadmap_id, measure_id)
            has_doc, measure = memo[sha]
            if measure is not None:
                return True, measure
            found_doc = found_doc or has_doc
        return found_doc, None

    rows: list[dict[str, Any]] = []
    seen = False
    for c in commits:
        files = [ch for ch in c.changes if _roadmap_file(ch.path, prefix)]
        if not files:
            continue
        doc_before, before = look(ch.old_sha for ch in files)
        doc_after, after = look(ch.new_sha for ch in files)
        seen = seen or doc_before or doc_after
        base = {"commit": c.sha, "date": c.date, "author": c.author}
        if before is None and after is None:
            continue
        if before is None:
            rows.append({**base, "field": None, "old": None, "new": after, "subject": c.subject})
        elif after is None:
            rows.append({**base, "field": None, "old": before, "new": None, "subject": c.subject})
        else:
            for name, old, new in field_changes(before, after):
                rows.append({**base, "field": name, "old": old, "new": new, "subject": c.subject})
    return rows, seen


COLUMNS = (
    render.Column("day", N_("Date"), no_wrap=True),
    render.Column("short", N_("Commit"), no_wrap=True),
    render.Column("author", N_("Author"), max_width=20),
    render.Column("what", N_("Field"), no_wrap=True, max_width=14),
    render.Column("before", N_("Old")),
    render.Column("after", N_("New")),
)

#: in a terminal, one small table per commit (under a line naming it) leaves Old and New the width
COMMIT_COLUMNS = COLUMNS[3:]


def show(rows: Sequence[Mapping[str, Any]], fmt: str, lang: str, target: str) -> None:
    from roadmap_cli.commands.diff import brief
    from roadmap_cli.model import pick

    if fmt in ("json", "csv"):
        render.render_rows(rows, COLUMNS, fmt)
        return
    shown = []
    title = ""
    for r in rows:
        if r["field"] is None:
            whole = r["new"] if r["new"] is not None else r["old"]
            title = pick(whole.get("title"), lang) if isinstance(whole, Mapping) else title
            created = r["new"] is not None
            what, before, after = (_("(created)"), "", title) if created else (_("(removed)"), title, "")
        else:
            what, before, after = r["field"], brief(r["field"], r["old"], lang), brief(r["field"], r["new"], lang)
            if r["field"] == "title" and isinstance(r["new"], (str, Mapping)):
                title = pick(r["new"], lang)
        shown.append(
            {
                "day": str(r["date"])[:10],
                "short": str(r["commit"])[:7],
                "author": r["author"],
                "subject": r.get("subject", ""),
                "what": what,
                "before": before,
                "after": after,
            }
        )
    heading = (
        _("History of {target}: {title}").format(target=target, title=title) if title
        else _("History of {target}").format(target=target)
    )
    if fmt == "markdown":
        render.render_rows(shown, COLUMNS, fmt, title=heading)
        return
    from rich.text import Text

    console = render.make_console(sys.stdout)
    console.print(Text(heading, style="bold"))
    commits: dict[tuple[str, str, str, str], list[dict[str, Any]]] = {}
    for row in shown:
        commits.setdefault((row["day"], row["short"], row["author"], row["subject"]), []).append(row)
    for (day, short, author, subject), group in commits.items():
        console.print()
        line = Text(f"{day}  ")
        line.append(short, style="yellow")
        line.append(f"  {author}")
        if subject:
            line.append(f": {subject}", style="dim")
        console.print(line)
        render.render_rows(group, COMMIT_COLUMNS, fmt)
