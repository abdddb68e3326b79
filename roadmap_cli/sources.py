"""The files of a load (:mod:`roadmap_cli.load`): found in the roadmap folders given
(:func:`find_files`: agencies.yaml and the documents, never a link or a file out of its folder)
and read (:func:`read_sources`: each file's bytes, up to the limit; one that cannot be read is
a located problem). The only part of loading that touches the file system: git revisions are
loaded from their bytes through the same :func:`roadmap_cli.load.load_sources`."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath

from roadmap_cli.errors import UsageError
from roadmap_cli.i18n import _, os_reason
from roadmap_cli.limits import MAX_FILE_BYTES
from roadmap_cli.model import Problem, Severity

AGENCIES_FILE = "agencies.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
#: the rule ids this module reports and their severity (docs/rules.md describes each)
RULE_IDS = {"unreadable": "error", "not-a-file": "warning"}


class Unread(bytes):
    """A file at a git revision whose bytes are not read (empty bytes standing for them), with
    their SHA-256: the cache knows it from the file's git blob id, and gives the file's unit
    by it (:mod:`roadmap_cli.revisions`). Parsing it raises :class:`NeedBytes`
    (:func:`roadmap_cli.yamlsrc.parse`): a load that must read the file reads it first."""

    digest: bytes

    def __new__(cls, digest: bytes) -> Unread:
        made = super().__new__(cls)
        made.digest = digest
        return made


class NeedBytes(Exception):
    """A load needs the bytes of an :class:`Unread` file."""


@dataclass
class Sources:
    """The files to load: names as shown to the user, with their bytes (None: unreadable)."""

    agencies: list[tuple[str, bytes | None]] = field(default_factory=list)
    roadmaps: list[tuple[str, bytes | None]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: where agencies.yaml was looked for (for the message when it is missing)
    agencies_expected: str = AGENCIES_FILE


def find_files(paths: Sequence[str]) -> Sources:
    """Expand folders into their YAML files; locate agencies.yaml. Missing paths are usage errors.

    Files are read only inside the folder that holds them: a file that is a symbolic link
    resolving outside its folder (the roadmaps folder, or the folder of a file given by name),
    and a folder given (or found) that is a link resolving outside the folder that holds it,
    are `not-a-file` and never opened (docs/security.md).
    """
    out = Sources()
    agencies: list[str] = []
    roadmaps: list[str] = []
    for raw in paths:
        p = FsPath(raw)
        if not os.path.lexists(p):
            raise UsageError(_("roadmap: {path}: no such file or folder").format(path=raw))
        if p.is_dir():
            folder = p
            if not _inside(p, _real(_holder(raw))) or led_out_of_the_checkout(raw):
                out.problems.append(_outside(raw, "folder"))
                continue
            root = _real(p)
            for entry, linked in _list_dir(p, out):
                if entry.name == AGENCIES_FILE:
                    continue
                # (a name in the folder that is not a link resolves to the folder's own place
                # and that name: inside; a link is resolved)
                if not linked or _inside(entry, root):
                    roadmaps.append(str(entry))
                else:
                    out.problems.append(_outside(str(entry), "file"))
        else:
            folder = p.parent
            root = _real(_holder(raw))
            if not _inside(p, root) or led_out_of_the_checkout(raw):
                out.problems.append(_outside(raw, "file"))
                continue
            if p.name == AGENCIES_FILE:
                agencies.append(str(p))
                continue
            roadmaps.append(raw)
        candidate = folder / AGENCIES_FILE
        if os.path.isdir(candidate):  # (a folder so named: not the registry; warned about above)
            if not agencies:
                out.agencies_expected = str(candidate)
        elif os.path.lexists(candidate) and str(candidate) not in agencies:
            if _inside(candidate, root):
                agencies.append(str(candidate))
            else:
                out.problems.append(_outside(str(candidate), "file"))
                out.agencies_expected = str(candidate)
        elif not agencies:
            out.agencies_expected = str(candidate)
    out.roadmaps.extend((name, None) for name in _once(roadmaps))
    # (the registry given by name and found beside a document or folder given too: one file,
    # read and counted once, as `validate DOC roadmaps/agencies.yaml` said "3 files checked")
    out.agencies.extend((name, None) for name in _once(agencies))
    return out


def _once(names: Iterable[str]) -> Iterator[str]:
    """``names`` without the repeats of a path (``roadmaps/x.yaml`` and ``./roadmaps/x.yaml``)."""
    seen: set[str] = set()
    for name in names:
        key = os.path.normpath(name)
        if key not in seen:
            seen.add(key)
            yield name


def inside_its_folder(path: str) -> bool:
    """True when ``path``, links resolved, lies inside the folder that holds it: the only files
    the tool reads (and shows lines of) on its own."""
    return _inside(path, _real(_holder(path)))


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def in_a_checkout(folder: str) -> bool:
    """Whether ``folder`` is in a git working tree (it or a folder above it holds ``.git``):
    where the files may come from someone else's pull request (docs/security.md)."""
    here = folder
    while True:
        if os.path.lexists(os.path.join(here, ".git")):
            return True
        up = os.path.dirname(here)
        if up == here:
            return False
        here = up


def led_out_of_the_checkout(path: str) -> bool:
    """Whether ``path`` is named inside the current folder, in a git working tree, but a
    symbolic link on its way leads it outside that folder (``reports/r.html`` or
    ``roadmaps/sub/x.yaml`` with ``reports`` or ``sub`` a committed link out): the one home of
    the rule that writes (:func:`roadmap_cli.safewrite.refuse_a_folder_led_out`) and reads
    (:func:`find_files`) follow (docs/security.md). A path named outside
    the current folder, or anywhere outside a git working tree, is the user's own word."""
    here = os.path.abspath(os.curdir)
    named = os.path.abspath(path)
    if not _under(named, here) or _under(os.path.realpath(named), os.path.realpath(here)):
        return False
    return in_a_checkout(here)


def _holder(path: str) -> str:
    """The folder that holds ``path``, as written (``roadmaps/..`` is the current folder)."""
    return os.path.dirname(os.path.abspath(path))


def _real(path: FsPath | str) -> str:
    return os.path.realpath(path)


def _inside(path: FsPath | str, root: str) -> bool:
    """True when ``path``, links resolved, is ``root`` or lies under it (``root`` resolved)."""
    real = os.path.realpath(path)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _outside(name: str, what: str) -> Problem:
    if what == "folder":
        message = _("this folder is a symbolic link to somewhere outside the folder that holds "
                    "it; it is not read")
    else:
        message = _("this file is a symbolic link to somewhere outside the folder that holds "
                    "it; it is not read")
    return Problem(name, 1, 1, Severity.WARNING, "not-a-file", message)


def _list_dir(folder: FsPath, out: Sources) -> list[tuple[FsPath, bool]]:
    """The YAML files of ``folder`` (folders among them are warned about and left out), each
    with whether it is a symbolic link (or may be one: its type could not be told)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        raise UsageError(_("roadmap: {path}: cannot read the folder: {reason}").format(
            path=folder, reason=os_reason(e)
        )) from None
    found = []
    for entry in entries:
        if not entry.name.endswith(YAML_SUFFIXES) or entry.name.startswith("."):
            continue
        path = folder / entry.name
        try:
            is_file = entry.is_file()
            is_dir = not is_file and entry.is_dir()
        except OSError:
            is_file = is_dir = False
        try:
            linked = entry.is_symlink()
        except OSError:
            linked = True
        if is_dir:
            out.problems.append(
                Problem(str(path), 1, 1, Severity.WARNING, "not-a-file",
                        _("this is a folder, not a YAML file; it is skipped"))
            )
            continue
        # broken links and loops too: read_sources says why they cannot be read
        found.append((path, linked))
    return found


def not_regular(mode: int) -> str:
    """What a file that is not a regular one is, in words: a symbolic link, a folder, ..."""
    if stat.S_ISLNK(mode):
        return _("a symbolic link")
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a named pipe")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("a device")


def _special(name: str) -> str | None:
    """What ``name`` is in words when it is a socket, a named pipe or a device (a file that
    could not be opened), else None (a missing file, a link loop, no permission...)."""
    try:
        mode = os.stat(name).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return not_regular(mode)


def read_sources(sources: Sources) -> Sources:
    """Read every file's bytes; a file that cannot be read becomes a located problem."""
    for group in (sources.agencies, sources.roadmaps):
        for i, (name, _data) in enumerate(group):
            data = None
            try:
                # O_NONBLOCK: opening a named pipe must not wait for a writer
                fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
                with os.fdopen(fd, "rb") as f:
                    st = os.fstat(f.fileno())
                    mode = st.st_mode
                    if stat.S_ISREG(mode):
                        # never more than the limit: yamlsrc refuses a longer file unread; a
                        # buffer of the file's size, not of the limit (3x faster on many files),
                        # and on past it when the file grew since
                        want = min(st.st_size, MAX_FILE_BYTES) + 1
                        data = f.read(want)
                        if len(data) == want and want <= MAX_FILE_BYTES:
                            data += f.read(MAX_FILE_BYTES + 1 - want)
                    else:
                        sources.problems.append(
                            Problem(name, 1, 1, Severity.WARNING, "not-a-file",
                                    _("this is {what}, not a YAML file; it is skipped").format(
                                        what=not_regular(mode)
                                    ))
                        )
            except OSError as e:
                what = _special(name)
                if what is not None:  # a socket cannot be opened: skipped like a named pipe
                    sources.problems.append(
                        Problem(name, 1, 1, Severity.WARNING, "not-a-file",
                                _("this is {what}, not a YAML file; it is skipped").format(what=what))
                    )
                    continue
                reason = os_reason(e)
                if e.errno == errno.ELOOP:
                    reason = _("symbolic link loop")
                elif e.errno == errno.ENOENT and os.path.islink(name):
                    reason = _("it is a symbolic link to {target}, which does not exist").format(
                        target=repr(os.readlink(name))
                    )
                sources.problems.append(
                    Problem(name, 1, 1, Severity.ERROR, "unreadable",
                            _("cannot read the file: {reason}").format(reason=reason))
                )
            group[i] = (name, data)
    return sources
