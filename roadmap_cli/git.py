"""The only module that runs git: revisions, folder listings, blobs and the log, read-only.

Everything goes through the real ``git`` binary in a subprocess. Nothing here checks out, writes
the index or touches the working tree: files at a revision are listed with ``git ls-tree`` and
their bytes read through one ``git cat-file --batch`` process per call (all the blobs asked for
in one round trip). Failures become :class:`~roadmap_cli.errors.UsageError` with a one-line
message (exit 2): not a git repository, git missing, an unknown revision.

Paths given to and returned by this module are relative to the repository's top level, with
``/`` separators (git's own spelling), except :meth:`GitRepo.repo_path`, which turns a file-system
path into one.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath

from roadmap_cli.errors import UsageError
from roadmap_cli.i18n import _, os_reason

#: environment for every git run: stable messages, no optional locks (read-only callers must not
#: take index.lock), never ask for credentials, no pager, never fetch a missing object.
_ENV = {
    "LC_ALL": "C",
    "LANGUAGE": "C",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "GIT_NO_LAZY_FETCH": "1",
}

#: options before every git subcommand: paths are literal (no glob magic in folder names),
#: paths are printed as they are, signatures are not checked while reading the log; and what a
#: checkout cannot turn against its reader (docs/security.md): a bare repository committed
#: inside it (a folder holding HEAD, objects/, refs/ and a config of its own) is never taken
#: for the repository (git would read that config: a "promisor" remote's upload-pack command
#: ran when an object was missing), and no transport runs at all (the tool never fetches).
_GLOBAL = ("--literal-pathspecs", "-c", "core.quotepath=off", "-c", "log.showSignature=false",
           "-c", "safe.bareRepository=explicit", "-c", "protocol.allow=never")

YAML_SUFFIXES = (".yaml", ".yml")


def blob_sha(data: bytes, length: int = 40) -> str:
    """The object id git gives ``data`` as a blob, without running git: SHA-1, or SHA-256 for
    ``length`` 64 (the length of the ids of a repository made with ``--object-format=sha256``)."""
    header = b"blob %d\0" % len(data)
    h = hashlib.sha256(header) if length == 64 else hashlib.sha1(header, usedforsecurity=False)
    h.update(data)
    return h.hexdigest()


@dataclass(frozen=True)
class TreeEntry:
    """One entry of ``git ls-tree``: mode, type (blob, tree, commit), object id and path."""

    mode: str
    type: str
    sha: str
    path: str

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name


@dataclass(frozen=True)
class FileChange:
    """One file changed by a commit (``git log --raw``, renames off): blobs before and after.

    ``old_sha``/``new_sha`` are None where the file did not exist (added / deleted).
    """

    status: str  # A | M | D | T
    path: str
    old_sha: str | None
    new_sha: str | None


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # author date, strict ISO 8601 with offset
    author: str
    email: str
    subject: str
    changes: tuple[FileChange, ...] = field(default=())


class GitRepo:
    """A git working tree, found from a folder inside it."""

    def __init__(self, root: str, shallow: bool = False) -> None:
        self.root = root
        #: a shallow clone (`git clone --depth N`): the history is cut, what came before unknown
        self.shallow = shallow

    # --- running git -------------------------------------------------------------------------

    @staticmethod
    def _exec(args: Sequence[str], cwd: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        env = {**os.environ, **_ENV}
        try:
            return subprocess.run(
                ["git", *_GLOBAL, *args],
                cwd=cwd,
                input=data,
                capture_output=True,
                env=env,
                check=False,
            )
        except FileNotFoundError:
            raise UsageError(
                _("roadmap: git is not installed or not on PATH (diff and history read the "
                  "roadmaps from git)")
            ) from None
        except OSError as e:
            raise UsageError(_("roadmap: cannot run git: {reason}").format(reason=os_reason(e))) from None

    def run(self, *args: str, data: bytes | None = None) -> bytes:
        """Run ``git ARGS`` at the top level; its output, or a UsageError with git's message."""
        proc = self._exec(args, self.root, data)
        if proc.returncode != 0:
            raise UsageError(_("roadmap: git {command} failed: {reason}").format(
                command=args[0], reason=_first_line(proc.stderr)))
        return proc.stdout

    @classmethod
    def find(cls, cwd: str = ".") -> GitRepo:
        """The repository holding ``cwd``; UsageError when there is none."""
        where = os.path.abspath(cwd)
        proc = cls._exec(["rev-parse", "--show-toplevel", "--is-shallow-repository"], cwd)
        if proc.returncode != 0:
            reason = _first_line(proc.stderr)
            if "not a git repository" in reason:
                raise UsageError(
                    _("roadmap: {where} is not in a git repository (diff and history compare "
                      "revisions of the roadmaps kept in git)").format(where=where)
                )
            if "cannot use bare repository" in reason:  # (safe.bareRepository: see _GLOBAL)
                raise UsageError(
                    _("roadmap: {where} holds a git repository of its own (HEAD, objects, refs, "
                      "config): it is not used, and nothing of it is run; remove those files "
                      "from the roadmap folder").format(where=where)
                )
            raise UsageError(_("roadmap: {where}: git cannot read the repository: {reason}").format(
                where=where, reason=reason))
        lines = os.fsdecode(proc.stdout).split("\n")  # (a path: as the file system names it)
        top = lines[0] if len(lines) > 2 else ""  # (the top level, then true or false)
        if not top:
            raise UsageError(_("roadmap: {where} is inside a git folder with no working tree").format(
                where=where))
        return cls(os.path.realpath(top), shallow=lines[1] == "true")

    @classmethod
    def inside(cls, folder: str) -> bool:
        """Whether ``folder`` is inside a git working tree (False when git is missing)."""
        try:
            proc = cls._exec(["rev-parse", "--is-inside-work-tree"], folder)
        except UsageError:
            return False
        return proc.returncode == 0 and proc.stdout.strip() == b"true"

    @classmethod
    def init(cls, folder: str) -> GitRepo:
        """``git init`` in ``folder``; UsageError with git's message when it fails."""
        # the branch main, as the README's commands and the CI workflow init writes name it
        # (git's own default is master, or what the user's configuration says)
        proc = cls._exec(["init", "--quiet", "--initial-branch=main"], folder)
        if proc.returncode != 0:
            raise UsageError(_("roadmap: git {command} failed: {reason}").format(
                command="init", reason=_first_line(proc.stderr)))
        return cls(os.path.realpath(folder))

    # --- questions ---------------------------------------------------------------------------

    def refs(self) -> list[str]:
        """Branch, tag and remote-branch names (for shell completion), HEAD first."""
        out = self.run("for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/tags", "refs/remotes")
        names = out.decode("utf-8", "replace").splitlines()
        return ["HEAD", *dict.fromkeys(n for n in names if n and not n.endswith("/HEAD"))]

    def commit(self, rev: str) -> str:
        """The full id of the commit that ``rev`` names; UsageError for an unknown revision."""
        if not rev or rev.startswith("-") or "\n" in rev or "\0" in rev:
            raise UsageError(_("roadmap: {rev} is not a revision").format(rev=repr(rev)))
        proc = self._exec(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], self.root
        )
        if proc.returncode != 0:
            message = _("roadmap: unknown revision {rev}: no branch, tag or commit of that name in "
                        "{root}").format(rev=repr(rev), root=self.root)
            base, dots, head = rev.partition("...")
            fork = self._merge_base(base or "HEAD", head or "HEAD") if dots else None
            if fork is not None:
                # (git diff A...B: from where B left A; A and B as given would also show A's
                # own later changes, undone)
                message += _("; to compare {head} with where it left {base} give their merge "
                             "base: roadmap diff {fork} {head}").format(
                                 base=base or "HEAD", head=head or "HEAD", fork=fork)
            elif ".." in rev:
                base, _dots, head = rev.partition("..")
                message += _("; to compare two revisions give them apart: roadmap diff {base} "
                             "{head}").format(base=base.strip(".") or "HEAD", head=head.strip(".") or "HEAD")
            elif self.shallow:
                message += _("; this clone is shallow (its history is cut): `git fetch "
                             "--unshallow` fetches the older commits")
            elif not self._exec(["rev-list", "-n", "1", "--all"], self.root).stdout.strip():
                message += _("; the repository has no commits yet: commit the roadmaps first "
                             "(git add roadmaps && git commit -m \"...\")")
            raise UsageError(message)
        return proc.stdout.decode("ascii").strip()

    def _merge_base(self, a: str, b: str) -> str | None:
        """The short id of the best common ancestor of two revisions, or None."""
        if any(not r or r.startswith("-") for r in (a, b)):
            return None
        proc = self._exec(["merge-base", "--end-of-options", a, b], self.root)
        if proc.returncode != 0:
            return None
        return proc.stdout.decode("ascii", "replace").strip()[:12] or None

    def repo_path(self, path: str) -> str:
        """``path`` (absolute, or relative to the current folder) relative to the top level, with
        ``/`` separators; ``""`` for the top level itself. UsageError when it is outside."""
        real = os.path.realpath(path)
        rel = os.path.relpath(real, self.root)
        if rel == os.curdir:
            return ""
        if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
            raise UsageError(_("roadmap: {path} is outside the git repository at {root}").format(
                path=path, root=self.root))
        return PurePosixPath(*rel.split(os.sep)).as_posix()

    def list_folder(self, commit: str, folder: str) -> list[TreeEntry]:
        """The entries directly inside ``folder`` at ``commit`` (empty if it did not exist)."""
        args = ["ls-tree", "-z", "--full-tree", commit]
        if folder:
            args += ["--", folder.rstrip("/") + "/"]
        out = self.run(*args)
        entries = []
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _tab, path = record.partition(b"\t")
            mode, kind, sha = meta.decode("ascii").split(" ")
            entries.append(TreeEntry(mode, kind, sha, os.fsdecode(path)))
        return entries

    def blob_sizes(self, shas: Sequence[str]) -> dict[str, int]:
        """The size of each object (``git cat-file --batch-check``), read without its bytes;
        a missing object is left out."""
        out = self.run("cat-file", "--batch-check", data=("\n".join(shas) + "\n").encode("ascii"))
        sizes: dict[str, int] = {}
        for line in out.decode("ascii", "replace").splitlines():
            parts = line.split(" ")
            if len(parts) == 3 and parts[2].isdigit():
                sizes[parts[0]] = int(parts[2])
        return sizes

    def read_blobs(self, shas: Iterable[str], max_size: int | None = None) -> dict[str, bytes]:
        """The bytes of each blob, read through one ``git cat-file --batch`` process.

        With ``max_size``, the sizes are asked first and a blob larger than that is never read:
        it stands as :func:`oversized` bytes (a small pack can hold blobs that expand to
        gigabytes; docs/limits.md)."""
        wanted = list(dict.fromkeys(s for s in shas if s))
        if not wanted:
            return {}
        blobs: dict[str, bytes] = {}
        if max_size is not None:
            sizes = self.blob_sizes(wanted)
            for sha in wanted:
                if sizes.get(sha, 0) > max_size:
                    blobs[sha] = oversized(max_size)
            wanted = [sha for sha in wanted if sha not in blobs]
            if not wanted:
                return blobs
        out = self.run("cat-file", "--batch", data=("\n".join(wanted) + "\n").encode("ascii"))
        pos = 0
        for sha in wanted:
            end = out.index(b"\n", pos)
            header = out[pos:end].decode("ascii", "replace").split(" ")
            pos = end + 1
            if len(header) != 3:
                raise UsageError(_("roadmap: git cat-file: object {sha} is missing from the "
                                   "repository").format(sha=sha))
            size = int(header[2])
            blobs[sha] = out[pos : pos + size]
            pos += size + 1  # the content is followed by a newline
        return blobs

    def log(self, folder: str) -> list[Commit]:
        """Every commit that changed a file in ``folder``, oldest first, with the files it
        changed (renames off: a rename is a deletion plus an addition; merges list no files)."""
        args = [
            "log",
            "--reverse",
            "--no-renames",
            "--raw",
            "-z",
            "--no-abbrev",
            "--no-color",
            "--format=%x1e%H%x1f%aI%x1f%an%x1f%ae%x1f%s",
            "HEAD",
        ]
        args += ["--", (folder.rstrip("/") + "/") if folder else "."]
        proc = self._exec(args, self.root)
        if proc.returncode != 0:
            if self._exec(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], self.root).returncode:
                return []  # no commit yet: no history (asked only then: a git run less)
            raise UsageError(_("roadmap: git {command} failed: {reason}").format(
                command="log", reason=_first_line(proc.stderr)))
        return _parse_log(proc.stdout)


@lru_cache(maxsize=4)
def oversized(max_size: int) -> bytes:
    """What stands for a blob larger than ``max_size``: ``max_size + 1`` zero bytes, one shared
    object (the loader refuses it unread as ``file-too-large``)."""
    return bytes(max_size + 1)


def _parse_log(out: bytes) -> list[Commit]:
    commits: list[Commit] = []
    head: list[str] | None = None
    changes: list[FileChange] = []

    def flush() -> None:
        if head is not None:
            sha, date, author, email, subject = (head + [""] * 5)[:5]
            commits.append(Commit(sha, date, author, email, subject, tuple(changes)))

    tokens = out.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        i += 1
        if token.startswith(b"\x1e"):
            flush()
            head = token[1:].decode("utf-8", "replace").split("\x1f", 4)
            changes = []
        elif token.startswith(b":") and i < len(tokens):
            meta = token[1:].decode("ascii", "replace").split(" ")
            path = os.fsdecode(tokens[i])
            i += 1
            if len(meta) < 5:
                continue
            old, new, status = meta[2], meta[3], meta[4][:1]
            changes.append(
                FileChange(status, path, _sha_or_none(old), _sha_or_none(new))
            )
    flush()
    return commits


def _sha_or_none(sha: str) -> str | None:
    """None for git's all-zero id (no file on that side), else the id."""
    return None if not sha.strip("0") else sha


def _first_line(stderr: bytes) -> str:
    for line in stderr.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line:
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return _("no message from git")
