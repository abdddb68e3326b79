"""roadmap diff BASE [HEAD]: what an edit does to the commitments, between two git revisions.

Each side is loaded and validated exactly as `roadmap validate` would (through
:func:`roadmap_cli.load.load_sources`), the revision side from git blobs named ``REV:path``, the
working-tree side (HEAD omitted) from disk. A side with errors is reported and the command exits
1: it never compares half the data.

Speed: a file with the same path and the same bytes on both sides (and the same agencies.yaml) is
loaded once and shared, so a pull request that edits a few documents costs about one load of the
repository. This relies on ``duplicate-roadmap-id`` being the only rule that looks across
documents: after sharing, the ids are checked for duplicates here, and anything unusual (an
error, a duplicate, a file that did not load) falls back to loading the whole side, so that the
problems reported are exactly those of `roadmap validate`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
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
from roadmap_cli.errors import EXIT_DATA, DataError, UsageError
from roadmap_cli.i18n import N_, _

if TYPE_CHECKING:
    from roadmap_cli.diff import Change
    from roadmap_cli.git import GitRepo
    from roadmap_cli.load import Sources
    from roadmap_cli.model import Repository

WORKTREE = "the working tree"


@dataclass
class Side:
    """The roadmap files of one side: as named for people, with their repository paths and blob ids."""

    label: str  # the revision as typed, or WORKTREE
    sources: Sources
    paths: dict[str, str] = field(default_factory=dict)  # name shown -> path from the top level
    shas: dict[str, str] = field(default_factory=dict)  # name shown -> git blob id
    exists: bool = True  # the folder exists on this side

    def where(self) -> str:
        return WORKTREE if self.label == WORKTREE else f"revision {self.label}"

    def blobs(self) -> dict[str, bytes]:
        return {n: d for n, d in (*self.sources.agencies, *self.sources.roadmaps) if d is not None}


HELP = N_(
    """What changed in the roadmaps between two git revisions.

    Compares the roadmap folder at revision BASE with HEAD (a revision; default: the working
    tree, so `roadmap diff main` shows an uncommitted edit). Documents are matched by id,
    measures by id: documents added, removed and renamed, measures added and removed, every
    changed field with its old and new value, and how far each deadline moved (+ = later).

    Exit 0; 1 when a side has invalid files (listed on stderr) or, with --fail-on-slip, when a
    deadline moved later; 2 for a folder outside git or an unknown revision.
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
@click.option("--fail-on-slip", is_flag=True, help=_("Exit 1 when any deadline moved later."))
@no_cache_option
def command(base: str, head: str | None, folder: str | None, fmt: str, lang: str, fail_on_slip: bool) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import diff as diffing

    repo, folder = open_repository(folder)
    prefix = repo.repo_path(folder)
    old = revision_side(repo, base, prefix)
    new = revision_side(repo, head, prefix) if head is not None else worktree_side(repo, folder)
    if not old.exists and not new.exists:
        raise UsageError(
            f"roadmap: no roadmap folder {prefix or '.'}/ in {old.where()} or in {new.where()}; "
            "give the folder with --dir"
        )
    before, after = load_pair(old, new, open_cache([folder]))
    changes = diffing.diff(
        before.roadmaps,
        after.roadmaps,
        old_path=lambda r: old.paths.get(r.file, r.file),
        new_path=lambda r: new.paths.get(r.file) or old.paths.get(r.file, r.file),
    )
    show(changes, fmt, lang, old, new)
    if fail_on_slip:
        late = diffing.slipped(changes)
        if late:
            click.echo(
                f"roadmap: {len(late)} deadline(s) moved later (--fail-on-slip)", err=True
            )
            raise click.exceptions.Exit(EXIT_DATA)


# --- the two sides -----------------------------------------------------------------------------


def open_repository(folder: str | None) -> tuple[GitRepo, str]:
    """The git repository and the roadmap folder: ``--dir`` (the repository is the one that
    holds it, so it may be another than the current folder's), else :func:`default_folder`."""
    from roadmap_cli.git import GitRepo

    if folder is None:
        repo = GitRepo.find()
        return repo, default_folder(repo)
    start = os.path.abspath(folder)
    while not os.path.isdir(start) and os.path.dirname(start) != start:
        start = os.path.dirname(start)  # a folder that exists only at a revision
    return GitRepo.find(start), folder


def default_folder(repo: GitRepo) -> str:
    """roadmaps/ in the current folder or the nearest parent up to the top level, else the top
    level's roadmaps/ (which may exist only at a revision)."""
    from roadmap_cli.load import DEFAULT_DIR

    here = os.path.realpath(os.getcwd())
    while True:
        candidate = os.path.join(here, DEFAULT_DIR)
        if os.path.isdir(candidate):
            return os.path.relpath(candidate)
        if here == repo.root or os.path.dirname(here) == here:
            break
        here = os.path.dirname(here)
    return os.path.relpath(os.path.join(repo.root, DEFAULT_DIR))


def revision_side(repo: GitRepo, rev: str, prefix: str) -> Side:
    """The YAML files directly in the folder ``prefix`` at revision ``rev``, read from git."""
    from roadmap_cli.load import AGENCIES_FILE, YAML_SUFFIXES, Sources
    from roadmap_cli.model import Problem, Severity

    commit = repo.commit(rev)
    entries = repo.list_folder(commit, prefix)
    joined = f"{prefix}/{AGENCIES_FILE}" if prefix else AGENCIES_FILE
    sources = Sources(agencies_expected=f"{rev}:{joined}")
    side = Side(rev, sources, exists=bool(entries))
    wanted = []
    for e in entries:
        if not e.name.endswith(YAML_SUFFIXES) or e.name.startswith("."):
            continue
        name = f"{rev}:{e.path}"
        if e.type != "blob" or e.mode == "120000":
            what = "a symbolic link" if e.mode == "120000" else f"a {e.type}, not a YAML file"
            sources.problems.append(
                Problem(name, 1, 1, Severity.WARNING, "not-a-file", f"this is {what}; it is skipped")
            )
            continue
        wanted.append((e, name))
    from roadmap_cli.yamlsrc import MAX_FILE_BYTES

    blobs = repo.read_blobs((e.sha for e, _ in wanted), MAX_FILE_BYTES)
    for e, name in wanted:
        group = sources.agencies if e.name == AGENCIES_FILE else sources.roadmaps
        group.append((name, blobs[e.sha]))
        side.paths[name] = e.path
        side.shas[name] = e.sha
    return side


def worktree_side(repo: GitRepo, folder: str) -> Side:
    """The folder as it is on disk (read as `roadmap validate` reads it)."""
    from roadmap_cli.git import blob_sha
    from roadmap_cli.load import AGENCIES_FILE, Sources, find_files, read_sources

    if not os.path.isdir(folder):
        return Side(WORKTREE, Sources(agencies_expected=os.path.join(folder, AGENCIES_FILE)), exists=False)
    sources = read_sources(find_files([folder]))
    side = Side(WORKTREE, sources)
    for name, data in (*sources.agencies, *sources.roadmaps):
        parent = repo.repo_path(os.path.dirname(name) or os.curdir)  # the link itself, if a link
        side.paths[name] = f"{parent}/{os.path.basename(name)}" if parent else os.path.basename(name)
        if data is not None:
            side.shas[name] = blob_sha(data)
    return side


#: Above this many bytes of YAML to load on each side, the new side loads in a forked child
#: process while this one loads the old side (Linux, two or more CPUs). Below it, forking and
#: sending the result back cost more than they save.
PARALLEL_BYTES = 1_000_000


@dataclass
class _Plan:
    """What the new side needs loaded: all its files, or only those changed since the old side."""

    sources: Sources
    unchanged: set[str]  # names of new-side files identical to an old-side file (shared)


def load_pair(old: Side, new: Side, cache: Any = None) -> tuple[Repository, Repository]:
    """Both sides loaded and valid (else their problems are printed and DataError raised).

    ``cache``: a :class:`roadmap_cli.cache.Cache` (or None), used for both sides; revision files
    are cached under their ``REV:path`` names, working-tree files share validate's entries."""
    from roadmap_cli.model import Repository

    plan = _plan(old, new)
    pending = None
    if old.exists and new.exists and _worth_forking(old.sources, plan.sources):
        pending = _Background(lambda: _portable(_load_sources(plan.sources, cache)))
    try:
        before = _load(old, old.sources, cache)
        payload = pending.result() if pending is not None else None
    finally:
        if pending is not None:
            pending.close()
    part = _unpack(payload) if payload is not None else None
    if not new.exists:
        return before, Repository()
    if part is None:
        part = _load_sources(plan.sources, cache)
    return before, _combine(old, new, before, plan, part, cache)


def _load_sources(sources: Sources, cache: Any) -> Repository:
    from roadmap_cli.load import load_sources

    return load_sources(sources, cache)


def _load(side: Side, sources: Sources, cache: Any) -> Repository:
    from roadmap_cli.model import Repository

    if not side.exists:
        return Repository()
    repo = _load_sources(sources, cache)
    if repo.errors:
        refuse(side, repo)
    return repo


def _plan(old: Side, new: Side) -> _Plan:
    """Share the files whose path and bytes are the same on both sides (and agencies.yaml too)."""
    from roadmap_cli.load import Sources

    if not new.exists or not old.exists:
        return _Plan(new.sources, set())

    def key(side: Side, name: str) -> tuple[str, str | None]:
        return side.paths.get(name, name), side.shas.get(name)

    same_agencies = sorted(key(new, n) for n, _ in new.sources.agencies) == sorted(
        key(old, n) for n, _ in old.sources.agencies
    )
    old_files = {key(old, n) for n, _ in old.sources.roadmaps}
    unchanged = {n for n, d in new.sources.roadmaps if d is not None and key(new, n) in old_files}
    if not same_agencies or not unchanged:
        return _Plan(new.sources, set())
    partial = Sources(
        agencies=list(new.sources.agencies),
        roadmaps=[(n, d) for n, d in new.sources.roadmaps if n not in unchanged],
        problems=list(new.sources.problems),
        agencies_expected=new.sources.agencies_expected,
    )
    return _Plan(partial, unchanged)


def _combine(old: Side, new: Side, before: Repository, plan: _Plan, part: Repository, cache: Any) -> Repository:
    """The new side: the files loaded for it plus the shared documents of the old side."""
    from roadmap_cli.model import Repository

    if not plan.unchanged:
        if part.errors:
            refuse(new, part)
        return part
    old_by_path = {old.paths.get(r.file): r for r in before.roadmaps}
    kept = [old_by_path.get(new.paths[n]) for n in sorted(plan.unchanged)]
    roadmaps = [*part.roadmaps, *(r for r in kept if r is not None)]
    ids = [r.id for r in roadmaps]
    if part.errors or None in kept or len(set(ids)) != len(ids):
        return _load(new, new.sources, cache)  # exact problems, as validate reports them
    return Repository(agencies=part.agencies, roadmaps=roadmaps, problems=part.problems)


def _size(sources: Sources) -> int:
    return sum(len(d) for _, d in (*sources.agencies, *sources.roadmaps) if d is not None)


def _worth_forking(old: Sources, new: Sources) -> bool:
    import threading

    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    if threading.active_count() != 1:  # forking a threaded process is unsafe
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return cpus >= 2 and min(_size(old), _size(new)) >= PARALLEL_BYTES


def _portable(repo: Repository) -> tuple[bytes, Any, Any]:
    """What the child sends back: the documents as data (marshal: fast for plain values), the
    agencies and the problems. Positions and Measure objects stay behind (diff needs neither)."""
    import marshal

    return marshal.dumps([(r.file, r.raw) for r in repo.roadmaps]), repo.agencies, repo.problems


def _unpack(payload: tuple[bytes, Any, Any]) -> Repository | None:
    """The child's repository, its documents rebuilt without Measure objects (see diff.py)."""
    import marshal

    from roadmap_cli.model import Repository, Roadmap, Source
    from roadmap_cli.schedule import parse_date

    try:
        docs, agencies, problems = payload
        roadmaps = [
            Roadmap(
                id=raw["id"],
                kind=raw["kind"],
                title=raw["title"],
                parties=tuple(raw["parties"]),
                signed=parse_date(raw["signed"]["date"]),
                signed_place=raw["signed"].get("place"),
                period_start=parse_date(raw["period"]["start"]),
                period_end=parse_date(raw["period"]["end"]),
                measures=(),
                notes=raw.get("notes"),
                source=Source(file),
                raw=raw,
            )
            for file, raw in marshal.loads(docs)
        ]
    except (ValueError, TypeError, KeyError, EOFError):
        return None
    return Repository(agencies=agencies, roadmaps=roadmaps, problems=problems)


class _Background:
    """Run ``fn`` in a forked child; :meth:`result` is its pickled result, or None if the child
    failed in any way (the caller then runs the work itself, so errors surface as usual)."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.read_fd: int | None = None
        self.pid: int | None = None
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            status = 1
            try:
                os.close(r)
                import pickle

                payload = pickle.dumps(fn(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(w, "wb") as out:
                    out.write(payload)
                status = 0
            except BaseException:  # the parent redoes the work and reports
                status = 1
            finally:
                os._exit(status)
        os.close(w)
        self.read_fd, self.pid = r, pid

    def result(self) -> Any:
        import pickle

        assert self.read_fd is not None and self.pid is not None
        with os.fdopen(self.read_fd, "rb") as f:
            self.read_fd = None
            data = f.read()
        _unused, status = os.waitpid(self.pid, 0)
        self.pid = None
        if status != 0 or not data:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # a truncated result: redo the work here
            return None

    def close(self) -> None:
        """Stop and reap the child if its result was not taken (an error on the other side)."""
        import signal

        if self.read_fd is not None:
            os.close(self.read_fd)
            self.read_fd = None
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = None


def refuse(side: Side, repo: Repository) -> None:
    """Print the side's problems as `validate` does (on stderr) and stop with exit 1."""
    blobs = side.blobs()
    lines: dict[str, list[str]] = {}

    def source(file: str, line: int) -> str | None:
        if side.label == WORKTREE or file not in blobs:
            return source_line(file, line)
        if file not in lines:
            lines[file] = blobs[file].decode("utf-8-sig", "replace").splitlines()
        text = lines[file]
        return text[line - 1] if 0 < line <= len(text) else None

    render.render_problems(repo.problems, "text", out=sys.stderr, source=source)
    raise DataError(
        f"roadmap: cannot compare: the roadmaps at {side.where()} have {len(repo.errors)} "
        "error(s) (listed above); fix them or compare other revisions"
    )


# --- output ------------------------------------------------------------------------------------

_CHANGE_STYLES = {"added": "green", "removed": "red", "renamed": "cyan"}

COLUMNS = (
    render.Column("measure", N_("Measure"), no_wrap=True, min_width=5, max_width=12),
    render.Column("change", N_("Change"), no_wrap=True, style=lambda r: _CHANGE_STYLES.get(r["change"])),
    render.Column("field", N_("Field"), no_wrap=True, max_width=14),
    render.Column("old", N_("Old")),
    render.Column("new", N_("New")),
    render.Column("slip", N_("Slip"), justify="right", no_wrap=True, style=lambda r: _slip_style(r)),
)

def _slip_style(row: Mapping[str, Any]) -> str | None:
    days = row.get("slip_days")
    if days is None or days == 0:
        return None
    return "bold red" if days > 0 else "green"


def show(changes: Sequence[Change], fmt: str, lang: str, old: Side, new: Side) -> None:
    from roadmap_cli import diff as diffing

    if fmt in ("json", "csv"):
        render.render_rows([c.to_json() for c in changes], COLUMNS, fmt)
        return
    out = sys.stdout
    line = diffing.summary(changes)
    to = WORKTREE if new.label == WORKTREE else f"`{new.label}`"
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in changes:
        groups.setdefault(c.roadmap, []).append(display_row(c, lang))
    if fmt == "markdown":
        out.write(f"**{line}**\n\n")
        out.write(f"Roadmap changes from `{old.label}` to {to}.\n")
        for rid, rows in groups.items():
            out.write("\n")
            render.render_rows(rows, COLUMNS, fmt, title=rid, out=out)
        return
    from rich.text import Text

    console = render.make_console(out)
    console.print(Text(line, style="bold"))
    for rid, rows in groups.items():
        console.print()
        render.render_rows(rows, COLUMNS, fmt, title=rid, out=out)


def display_row(c: Change, lang: str) -> dict[str, Any]:
    """A change as table cells: short, readable values (JSON keeps the full ones)."""
    if c.change in ("added", "removed"):
        whole = c.new if c.change == "added" else c.old
        title = brief("title", whole.get("title") if isinstance(whole, Mapping) else None, lang)
        old, new = ("", title) if c.change == "added" else (title, "")
        field_name = ""
    else:
        a, b = c.old, c.new
        if isinstance(a, str) and isinstance(b, str):
            a, b = from_difference(a, b)
        old, new = brief(c.field, a, lang), brief(c.field, b, lang)
        field_name = c.field or ""
    slip = ""
    if c.slip_days is not None:
        slip = "0 d" if c.slip_days == 0 else f"{c.slip_days:+d} d".replace("-", "−")
    return {
        "measure": c.measure if c.measure is not None else "(document)",
        "change": c.change,
        "field": field_name,
        "old": old,
        "new": new,
        "slip": slip,
        "slip_days": c.slip_days,
    }


MAX_CELL = 160


def from_difference(a: str, b: str, context: int = 30) -> tuple[str, str]:
    """Two long texts cut to start a little before their first difference ("…" marks the cut),
    so that the change shows in a table cell."""
    if len(a) <= MAX_CELL and len(b) <= MAX_CELL:
        return a, b
    same = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        same += 1
    cut = same - context
    if cut <= 0:
        return a, b
    cut = max(a.rfind(" ", 0, cut), 0) if " " in a[:cut] else cut  # start at a word
    return "…" + a[cut:].lstrip(), "…" + b[cut:].lstrip()


def brief(name: str | None, value: Any, lang: str) -> str:
    """A value in a few words: titles in the language asked, lists joined, dates as written."""
    from roadmap_cli.model import pick

    if value is None:
        return "–"
    if name == "title" or (name == "name" and isinstance(value, Mapping)):
        text = pick(value, lang) if isinstance(value, (str, Mapping)) else str(value)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, Mapping):
        if name == "period" and {"start", "end"} <= value.keys():
            text = f"{value['start']} – {value['end']}"
        elif "every" in value:
            text = "every " + ", ".join(
                f"{k} {v}" if k != "every" else str(v) for k, v in value.items()
            )
        else:
            text = ", ".join(f"{k}: {brief(k, v, lang)}" for k, v in value.items())
    elif isinstance(value, list):
        if value and all(isinstance(v, Mapping) for v in value):
            label = "period" if all("period" in v for v in value) else (
                "id" if all("id" in v for v in value) else None
            )
            if label:
                text = ", ".join(str(v[label]) for v in value)
            else:
                text = f"{len(value)} {'entry' if len(value) == 1 else 'entries'}"
        else:
            text = ", ".join(brief(None, v, lang) for v in value) if value else "(none)"
    else:
        text = str(value)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"
