"""Loading the roadmap folder at two git revisions (or a revision and the working tree), for
`roadmap diff`; click-free, and printing nothing.

Each side is loaded and validated exactly as `roadmap validate` would (through
:func:`roadmap_cli.load.load_sources`), a revision side from git blobs named ``REV:path``, the
working-tree side from disk. A side with errors raises :class:`InvalidSide`, which carries its
problems (the command prints them): the two sides are never compared on half the data.

The plain design: one ``git ls-tree`` per revision lists the folder, one ``git cat-file
--batch`` reads the blobs of both revisions (a blob that is the same on both sides is read
once), and the two sides load one after the other in this process. With the cache, a blob
read once has its SHA-256 kept by its blob id, and a revision whose blobs it all knows is not
read at all: each file's unit is found by that SHA-256, and a file is read only when a load
needs its bytes (:func:`load_pair`). A file with the same path
and the same bytes on both sides (and the same agencies.yaml) is loaded once and shared, so a pull
request that edits a few documents costs about one load of the repository. This relies on
``duplicate-roadmap-id`` being the only rule that looks across documents: after sharing, the ids
are checked for duplicates here, and anything unusual (an error, a duplicate, a file that did not
load) falls back to loading the whole side, so that the problems reported are exactly those of
`roadmap validate`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from roadmap_cli.errors import DataError, UsageError
from roadmap_cli.i18n import _
from roadmap_cli.sources import NeedBytes

if TYPE_CHECKING:
    from roadmap_cli.diff import Change
    from roadmap_cli.git import GitRepo, TreeEntry
    from roadmap_cli.model import Repository
    from roadmap_cli.sources import Sources

#: the label of the working-tree side (a revision side is labelled by the revision as typed)
WORKTREE = "the working tree"


@dataclass
class Side:
    """The roadmap files of one side: as named for people, with their repository paths and blob ids."""

    label: str  # the revision as typed, or WORKTREE
    sources: Sources
    paths: dict[str, str] = field(default_factory=dict)  # name shown -> path from the top level
    shas: dict[str, str] = field(default_factory=dict)  # name shown -> git blob id
    exists: bool = True  # the folder exists on this side
    #: files listed at a revision whose bytes are still to be read: (entry, name shown)
    unread: list[tuple[TreeEntry, str]] = field(default_factory=list, repr=False)
    #: files standing as :class:`roadmap_cli.sources.Unread` (the cache knew their blobs), with
    #: the repository to read them from when a load needs their bytes
    deferred: list[tuple[TreeEntry, str]] = field(default_factory=list, repr=False)
    repo: GitRepo | None = field(default=None, repr=False)

    @property
    def is_worktree(self) -> bool:
        return self.label == WORKTREE

    def where(self) -> str:
        """The side for people: "the working tree", "revision main"."""
        if self.is_worktree:
            return _("the working tree")
        return _("revision {rev}").format(rev=self.label)

    def blobs(self) -> dict[str, bytes]:
        return {n: d for n, d in (*self.sources.agencies, *self.sources.roadmaps) if d is not None}


class InvalidSide(DataError):
    """A side whose files have errors: its problems are in ``repository.problems``; printing
    them (with source lines from :meth:`Side.blobs` or the disk) is the caller's job."""

    def __init__(self, side: Side, repository: Repository) -> None:
        super().__init__(
            _("roadmap: cannot compare: the roadmaps at {where} have {count} error(s) (listed "
              "above); fix them or compare other revisions").format(
                where=side.where(), count=len(repository.errors))
        )
        self.side = side
        self.repository = repository


# --- finding the repository and the folder -----------------------------------------------------


def open_repository(folder: str | None) -> tuple[GitRepo, str]:
    """The git repository and the roadmap folder: ``folder`` (``--dir``; the repository is the
    one that holds it, so it may be another than the current folder's), else
    :func:`default_folder`."""
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


# --- the two sides -----------------------------------------------------------------------------


def sides(repo: GitRepo, folder: str, base: str, head: str | None,
          cache: Any = None) -> tuple[Side, Side]:
    """The folder at revision ``base``, and at revision ``head`` or (None) in the working tree.
    ``cache``: a revision's files whose blobs it knows are not read (:func:`_read_blobs`).

    UsageError for an unknown revision, or when the folder exists on neither side."""
    prefix = repo.repo_path(folder)
    if head is None:
        old = revision_side(repo, base, prefix, cache)
        new = worktree_side(repo, folder)
    else:
        old, new = _listed(repo, base, prefix), _listed(repo, head, prefix)
        _read_blobs(repo, [old, new], cache)
    if not old.exists and not new.exists:
        raise UsageError(
            _("roadmap: no roadmap folder {folder}/ in {old} or in {new}; give the folder with "
              "--dir").format(folder=prefix or ".", old=old.where(), new=new.where())
        )
    return old, new


def revision_side(repo: GitRepo, rev: str, prefix: str, cache: Any = None) -> Side:
    """The YAML files directly in the folder ``prefix`` at revision ``rev``, read from git."""
    side = _listed(repo, rev, prefix)
    _read_blobs(repo, [side], cache)
    return side


def _listed(repo: GitRepo, rev: str, prefix: str) -> Side:
    """A side with the files listed (and problems for entries that are not files), bytes unread."""
    from roadmap_cli.model import Problem, Severity
    from roadmap_cli.sources import AGENCIES_FILE, YAML_SUFFIXES, Sources

    commit = repo.commit(rev)
    entries = repo.list_folder(commit, prefix)
    joined = f"{prefix}/{AGENCIES_FILE}" if prefix else AGENCIES_FILE
    sources = Sources(agencies_expected=f"{rev}:{joined}")
    side = Side(rev, sources, exists=bool(entries))
    for e in entries:
        if not e.name.endswith(YAML_SUFFIXES) or e.name.startswith("."):
            continue
        name = f"{rev}:{e.path}"
        if e.mode == "120000":
            message = _("this is a symbolic link; it is skipped")
        elif e.type != "blob":
            what = {"tree": _("a tree"), "commit": _("a commit")}.get(e.type, e.type)
            message = _("this is {what}, not a YAML file; it is skipped").format(what=what)
        else:
            side.unread.append((e, name))
            continue
        sources.problems.append(Problem(name, 1, 1, Severity.WARNING, "not-a-file", message))
    return side


def _read_blobs(repo: GitRepo, listed: list[Side], cache: Any = None) -> None:
    """Read the listed files of the sides, in one ``git cat-file`` run (each blob once). When
    ``cache`` knows the SHA-256 of every one of their blobs (it keeps it by blob id once it has
    read the blob), none is read: each file stands as :class:`roadmap_cli.sources.Unread`,
    which the cache finds the file's unit by, and is read only if a load needs its bytes
    (:func:`load_pair`)."""
    from roadmap_cli.sources import AGENCIES_FILE, Unread
    from roadmap_cli.yamlsrc import MAX_FILE_BYTES

    shas = list(dict.fromkeys(e.sha for s in listed for e, _name in s.unread))
    known: dict[str, bytes] = {}
    if cache is not None and shas:
        for sha in shas:
            digest = cache.blob_digest(sha)
            if digest is None:
                break
            known[sha] = Unread(digest)
    if len(known) != len(shas):
        blobs: dict[str, bytes] = repo.read_blobs(shas, MAX_FILE_BYTES)
        if cache is not None:
            for sha, data in blobs.items():
                # (not the stand-in for a blob too large; a known one is kept already)
                if sha not in known and len(data) <= MAX_FILE_BYTES:
                    cache.put_blob_digest(sha, data)
    else:
        blobs = known
    for s in listed:
        wanted, s.unread = s.unread, []
        if blobs is known:
            s.deferred, s.repo = wanted, repo
        for e, name in wanted:
            group = s.sources.agencies if e.name == AGENCIES_FILE else s.sources.roadmaps
            group.append((name, blobs[e.sha]))
            s.paths[name] = e.path
            s.shas[name] = e.sha


def _read_deferred(*listed: Side) -> None:
    """Read the bytes of the sides' files that stand unread, in place (in one ``git cat-file``
    run, each blob once)."""
    from roadmap_cli.yamlsrc import MAX_FILE_BYTES

    waiting = [(s, s.repo) for s in listed if s.deferred and s.repo is not None]
    if not waiting:
        return
    blobs = waiting[0][1].read_blobs(
        (e.sha for s, _repo in waiting for e, _name in s.deferred), MAX_FILE_BYTES)
    for s, _repo in waiting:
        by_name = {name: blobs[e.sha] for e, name in s.deferred}
        s.sources.agencies = [(n, by_name.get(n, d)) for n, d in s.sources.agencies]
        s.sources.roadmaps = [(n, by_name.get(n, d)) for n, d in s.sources.roadmaps]
        s.deferred = []


def worktree_side(repo: GitRepo, folder: str) -> Side:
    """The folder as it is on disk (read as `roadmap validate` reads it)."""
    from roadmap_cli.git import blob_sha
    from roadmap_cli.sources import AGENCIES_FILE, Sources, find_files, read_sources

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


# --- loading -----------------------------------------------------------------------------------


@dataclass
class _Plan:
    """What the new side needs loaded: all its files, or only those changed since the old side."""

    sources: Sources
    unchanged: set[str]  # names of new-side files identical to an old-side file (shared)


#: ``reading(side)``: the ``on_file(done, total)`` of the load of a side (a progress display)
Reading = Callable[[Side], Callable[[int, int], None] | None]


def _not_shown(side: Side) -> None:
    return None


def load_pair(old: Side, new: Side, cache: Any = None,
              reading: Reading = _not_shown) -> tuple[Repository, Repository]:
    """Both sides loaded and valid, else :class:`InvalidSide` (the old side is checked first).

    ``cache``: a :class:`roadmap_cli.cache.Cache` (or None), used for both sides; revision files
    are cached under their paths whatever the revision is called (:class:`_AtRevision`),
    working-tree files share validate's entries.
    A side whose folder does not exist is an empty repository. ``reading``: see :data:`Reading`."""
    try:
        return _load_pair(old, new, cache, reading)
    except NeedBytes:
        # a file standing unread must be read: a unit the cache does not have, or one checked
        # in another context, or a side with problems (they are shown with their lines)
        _read_deferred(old, new)
        return _load_pair(old, new, cache, reading)


def _load_pair(old: Side, new: Side, cache: Any,
               reading: Reading) -> tuple[Repository, Repository]:
    from roadmap_cli.load import load_sources
    from roadmap_cli.model import Repository

    before = _load(old, old.sources, cache, reading)
    if not new.exists:
        return before, Repository()
    plan = _plan(old, new)
    part = load_sources(plan.sources, _AtRevision.of(new, cache), on_file=reading(new))
    return before, _combine(old, new, before, plan, part, cache, reading)


class _AtRevision:
    """The cache as the load of a revision side sees it: a file without problems is kept under
    its path from the top level (``@revision:PATH``), whatever the revision is called, so that
    ``diff HEAD HEAD~1`` after ``diff HEAD~1 HEAD``, or ``diff main`` after ``diff HEAD``,
    reads what the other read; its model is named as the side names the file (``REV:PATH``).
    A file with problems (they name it) is kept under that name, as before."""

    def __init__(self, cache: Any, paths: dict[str, str]) -> None:
        self._cache = cache
        self._paths = paths

    @classmethod
    def of(cls, side: Side, cache: Any) -> Any:
        if cache is None:
            return _StoredForm()
        return cache if side.is_worktree else cls(cache, side.paths)

    def _kept_as(self, name: str) -> str:
        return "@revision:" + self._paths.get(name, name)

    def unit(self, name: str, data: bytes, schema_name: str) -> Any:
        found = self._cache.unit(self._kept_as(name), data, schema_name, shown=name)
        return found if found is not None else self._cache.unit(name, data, schema_name)

    def put_unit(self, name: str, data: bytes, schema_name: str, unit: Any) -> Any:
        if unit.problems:
            return self._cache.put_unit(name, data, schema_name, unit)
        return self._cache.put_unit(self._kept_as(name), data, schema_name, unit, shown=name)

    def finish(self) -> None:
        self._cache.finish()


class _StoredForm:
    """In place of the cache when there is none (``--no-cache``): keeps nothing, and hands back
    each document's stored form, which the load keeps instead of the document it built
    (:func:`roadmap_cli.load._document`: measures built when read). A comparison holds two
    revisions of every document: at 1,000 documents of 100 measures, built, 254 MB at the
    peak, over the 250 of issue 11; encoding costs about 1 ms a document (a cold ``diff``
    takes under half the time of its floor)."""

    def unit(self, name: str, data: bytes, schema_name: str) -> Any:
        return None

    def put_unit(self, name: str, data: bytes, schema_name: str, unit: Any) -> Any:
        from roadmap_cli.stored import encoded

        return None if unit.roadmap is None else encoded(unit.roadmap)

    def finish(self) -> None:
        pass


def _load(side: Side, sources: Sources, cache: Any, reading: Reading = _not_shown) -> Repository:
    from roadmap_cli.load import load_sources
    from roadmap_cli.model import Repository

    if not side.exists:
        return Repository()
    repo = load_sources(sources, _AtRevision.of(side, cache), on_file=reading(side))
    if repo.errors:
        if side.deferred:
            raise NeedBytes(side.label)
        raise InvalidSide(side, repo)
    return repo


def _plan(old: Side, new: Side) -> _Plan:
    """Share the files whose path and bytes are the same on both sides (and agencies.yaml too)."""
    from roadmap_cli.sources import Sources

    if not new.exists or not old.exists:
        return _Plan(new.sources, set())

    def key(side: Side, name: str) -> tuple[str, str | None]:
        return side.paths.get(name, name), side.shas.get(name)

    same_agencies = sorted(key(new, n) for n, _d in new.sources.agencies) == sorted(
        key(old, n) for n, _d in old.sources.agencies
    )
    old_files = {key(old, n) for n, _d in old.sources.roadmaps}
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


def _combine(old: Side, new: Side, before: Repository, plan: _Plan, part: Repository, cache: Any,
             reading: Reading = _not_shown) -> Repository:
    """The new side: the files loaded for it plus the shared documents of the old side."""
    from roadmap_cli.model import Repository

    if not plan.unchanged:
        if part.errors:
            if new.deferred:
                raise NeedBytes(new.label)
            raise InvalidSide(new, part)
        return part
    old_by_path = {old.paths.get(r.file): r for r in before.roadmaps}
    kept = [old_by_path.get(new.paths[n]) for n in sorted(plan.unchanged)]
    roadmaps = [*part.roadmaps, *(r for r in kept if r is not None)]
    ids = [r.id for r in roadmaps]
    if part.errors or None in kept or len(set(ids)) != len(ids):
        return _load(new, new.sources, cache, reading)  # exact problems, as validate reports them
    return Repository(agencies=part.agencies, roadmaps=roadmaps, problems=part.problems)


def compare(old: Side, new: Side, cache: Any = None, reading: Reading = _not_shown) -> list[Change]:
    """The changes from ``old`` to ``new`` (:func:`roadmap_cli.diff.diff`), both sides loaded by
    :func:`load_pair` (``reading``: see :data:`Reading`); documents are compared under their
    paths from the repository's top level (a shared document carries the old side's), to tell a
    renamed file."""
    from roadmap_cli import diff as diffing

    before, after = load_pair(old, new, cache, reading)
    return diffing.diff(
        before.roadmaps,
        after.roadmaps,
        old_path=lambda r: old.paths.get(r.file, r.file),
        new_path=lambda r: new.paths.get(r.file) or old.paths.get(r.file, r.file),
    )
