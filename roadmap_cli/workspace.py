"""The one seam between the commands and the data: finding the files, reading and checking
them, refusing invalid data, and the cache.

Click-free: no printing, no exit. A command asks :func:`load_valid` for the data it reports on
and gets a :class:`Loaded` (the repository, the documents left out, the number of warnings), or
an :class:`InvalidData` error carrying the problems to show; the command layer renders them in
one place (``commands._common.load_or_refuse``). :func:`load` is the same without refusal (for
``validate``, which shows every problem itself).

The default folder (``roadmaps/`` here or in the nearest parent folder) is resolved only here
(:func:`resolve_paths`). The cache (:mod:`roadmap_cli.cache`) is opened only here
(:func:`open_cache`): off with ``use_cache=False`` (``--no-cache``) or ``ROADMAP_NO_CACHE=1``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path as FsPath
from typing import Any

from roadmap_cli.errors import DataError, UsageError
from roadmap_cli.i18n import _, ngettext
from roadmap_cli.model import Problem, Repository

DEFAULT_DIR = "roadmaps"

#: where a warning that the cache is not used goes (the command layer prints it)
Warn = Callable[[str], None]
#: ``on_file(done, total)``: told after each file a load has checked (a progress display)
OnFile = Callable[[int, int], None]


def default_paths(cwd: str = ".") -> list[str]:
    """`roadmaps/` in the current folder or the nearest parent that has one."""
    here = FsPath(cwd).resolve()
    for folder in (here, *here.parents):
        candidate = folder / DEFAULT_DIR
        if candidate.is_dir():
            try:
                return [os.path.relpath(candidate, cwd)]
            except ValueError:  # pragma: no cover - other drive on Windows
                return [str(candidate)]
    raise UsageError(
        _("roadmap: no {folder}/ folder here or in any parent folder; "
          "give the roadmap folder or files as arguments").format(folder=DEFAULT_DIR)
    )


def resolve_paths(paths: Sequence[str]) -> list[str]:
    """The paths given, else the default folder (:func:`default_paths`)."""
    return list(paths) or default_paths()


def default_folder(folder: str | None = None) -> str:
    """The roadmap folder given (``--dir``), else the default one."""
    return folder or default_paths()[0]


def open_cache(paths: Sequence[str], use_cache: bool = True, warn: Warn | None = None) -> Any:
    """The cache for loading ``paths`` (a :class:`roadmap_cli.cache.Cache`), or None when it is
    off (``use_cache`` false, or ``ROADMAP_NO_CACHE=1``). ``warn`` receives the one warning when
    the cache folder fails its safety checks."""
    if not use_cache:
        return None  # without importing the cache module at all
    from roadmap_cli import cache

    return cache.open_for(paths, warn=warn)


def read(paths: Sequence[str]) -> Any:
    """The files of ``paths`` (or of the default folder), found and read: a ``sources.Sources``."""
    from roadmap_cli.sources import find_files, read_sources

    return read_sources(find_files(resolve_paths(paths)))


def load(
    paths: Sequence[str] = (), use_cache: bool = True, warn: Warn | None = None,
    today: date | None = None, on_file: OnFile | None = None,
) -> Repository:
    """Every file of ``paths`` read and checked, with every problem; nothing refused.
    ``on_file(done, total)``: called after each file is checked (a progress display)."""
    from roadmap_cli.load import load_sources

    paths = resolve_paths(paths)
    return load_sources(read(paths), open_cache(paths, use_cache, warn), today, on_file)


class InvalidData(DataError):
    """The data a command reports on has errors: ``problems`` are the ones to show (every
    problem of the files refused, warnings included, sorted), ``count`` the errors among them."""

    def __init__(self, problems: list[Problem], count: int) -> None:
        super().__init__(
            ngettext(
                "roadmap: refusing to report on invalid data: {count} error; "
                "fix it (see `roadmap validate`) and run again",
                "roadmap: refusing to report on invalid data: {count} errors; "
                "fix them (see `roadmap validate`) and run again",
                count,
            ).format(count=count)
        )
        self.problems = problems
        self.count = count


@dataclass
class Loaded:
    """The data a report may use: ``repo`` without the documents left out (``skipped``: their
    files, which have errors but are not reported on), and its number of warnings."""

    repo: Repository
    skipped: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> int:
        return len(self.repo.warnings)


def load_valid(
    paths: Sequence[str] = (), roadmap_ids: Sequence[str] = (), strict: bool = False,
    use_cache: bool = True, warn: Warn | None = None, on_file: OnFile | None = None,
) -> Loaded:
    """:func:`load`, then :func:`refuse`."""
    return refuse(load(paths, use_cache, warn, on_file=on_file), roadmap_ids, strict)


def refuse(repo: Repository, roadmap_ids: Sequence[str] = (), strict: bool = False) -> Loaded:
    """The contract's partial refusal. With errors in a file the report reads (agencies.yaml,
    and the documents it reports on: all of them, or those of ``roadmap_ids``, any case or the
    start of an id), or with any error and ``strict``: raise :class:`InvalidData`. Documents
    with errors that it does not report on are left out (``Loaded.skipped``)."""
    errors = repo.errors
    if not errors:
        return Loaded(repo)
    wanted = {rid.casefold() for rid in roadmap_ids}
    others: set[str] = set()
    if not strict and wanted:
        ids = {r.file: r.id for r in repo.roadmaps}
        for file in {p.file for p in errors if not _is_registry(p)}:  # (a file read once)
            rid = (ids.get(file) or document_id(file)).casefold()
            if not any(rid.startswith(w) for w in wanted):  # as --roadmap reads ids: any case, a start
                others.add(file)
    refused = [p for p in errors if p.file not in others]
    if refused:
        raise InvalidData([p for p in repo.problems if p.file not in others], len(refused))
    kept = Repository(
        agencies=repo.agencies,
        roadmaps=[r for r in repo.roadmaps if r.file not in others],
        problems=[p for p in repo.problems if p.file not in others],
    )
    return Loaded(kept, sorted(others))


def _is_registry(p: Problem) -> bool:
    from roadmap_cli.sources import AGENCIES_FILE

    return p.rule == "agencies-missing" or os.path.basename(p.file) == AGENCIES_FILE


def document_id(file: str) -> str:
    """The ``id`` written in a document file that did not load, else its name without .yaml."""
    from roadmap_cli.sources import inside_its_folder
    from roadmap_cli.yamlsrc import MAX_FILE_BYTES, parse

    stem = os.path.splitext(os.path.basename(file))[0]
    try:
        if not os.path.isfile(file) or not inside_its_folder(file):
            return stem  # (never a file a link leads to outside the folder: docs/security.md)
        with open(file, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError:
        return stem
    doc = parse(data, file).data
    rid = doc.get("id") if isinstance(doc, dict) else None
    return rid if isinstance(rid, str) else stem
