"""Where the cache lives, and the only folders and files it touches (docs/security.md).

The user's cache folder (``$XDG_CACHE_HOME/roadmap-cli``, else ``~/.cache/roadmap-cli``), one
folder per checkout under ``checkouts/``, never a folder a checkout can bring with it. Every
folder is made with mode 0700 and checked with ``lstat`` to be a real folder of the user's that no
one else can write; every file is created with ``O_EXCL | O_NOFOLLOW`` (mode 0600) or opened with
``O_NOFOLLOW`` and checked to be a regular file of the user's. A failed check raises
:class:`Unsafe`, which turns the cache off with one warning (:mod:`roadmap_cli.cache`).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence

from roadmap_cli.i18n import _

#: the per-user secret key's file in the user's cache folder, and its length
KEY_FILE = "key"
KEY_BYTES = 32
#: the subfolder of the user's cache folder holding one folder per checkout
CHECKOUTS = "checkouts"
#: checkout folders kept (the newest used); CI clones each run into a new folder
KEEP_CHECKOUTS = 32

_ENV_DIR = "ROADMAP_CACHE_DIR"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_CHECKOUT_NAME = re.compile(r"[0-9a-f]{32}\Z")


class Unsafe(Exception):
    """A folder or file of the cache that is not what the cache made (a link, someone else's)."""


def folder_for(paths: Sequence[str]) -> str:
    """The folder of entries for a load of ``paths`` (folders or files; the first one decides).

    ``$ROADMAP_CACHE_DIR`` if set; else a folder of the user's cache folder named by a hash of
    the checkout's real path (the nearest folder above the roadmaps that holds ``.git``, else
    the roadmaps folder itself). Never a folder inside the checkout.
    """
    env = os.environ.get(_ENV_DIR)
    if env:
        return env
    first = os.path.abspath(paths[0]) if paths else os.path.abspath(".")
    folder = first if os.path.isdir(first) else os.path.dirname(first)
    folder = os.path.realpath(folder)
    checkout = folder
    for up in (folder, *_parents(folder)):
        if os.path.lexists(os.path.join(up, ".git")):
            checkout = up
            break
    name = hashlib.sha256(os.fsencode(checkout)).hexdigest()[:32]
    return os.path.join(user_cache_dir(), CHECKOUTS, name)


def _parents(folder: str) -> Iterator[str]:
    while True:
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        yield parent
        folder = parent


def user_cache_dir() -> str:
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
    elif sys.platform == "darwin":
        base = os.path.join(home, "Library", "Caches")
    else:
        # a relative XDG_CACHE_HOME is ignored, as the XDG specification says: it named a
        # folder under the current one, the checkout itself when run from there
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        base = xdg if os.path.isabs(xdg) else os.path.join(home, ".cache")
    return os.path.join(base, "roadmap-cli")


def own_folder(path: str) -> None:
    """Create ``path`` (mode 0700) if missing; raise :class:`Unsafe` unless it is a real folder
    (not a link) of this user's that no one else can write. OSError when it cannot be made."""
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        raise Unsafe(_("{path} is a symbolic link").format(path=path))
    if not stat.S_ISDIR(st.st_mode):
        raise Unsafe(_("{path} is not a folder").format(path=path))
    check_owner(path, st)
    if st.st_mode & 0o022:
        raise Unsafe(_("{path} can be written by other users").format(path=path))


def check_owner(path: str, st: os.stat_result) -> None:
    getuid = getattr(os, "getuid", None)
    if getuid is not None and st.st_uid != getuid():
        raise Unsafe(_("{path} belongs to another user").format(path=path))


def open_own_file(path: str) -> int:
    """A descriptor of ``path`` opened for reading without following a link; :class:`Unsafe`
    unless it is a regular file of this user's. OSError (FileNotFoundError) when missing."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | _BINARY)
    except OSError as e:
        if os.path.islink(path):
            raise Unsafe(_("{path} is a symbolic link").format(path=path)) from None
        raise e
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Unsafe(_("{path} is not a regular file").format(path=path))
        check_owner(path, st)
    except BaseException:
        os.close(fd)
        raise
    return fd


def create_file(path: str) -> int:
    """A new file ``path`` (mode 0600) opened for writing; never follows or replaces anything."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o600)


def secret_key(base: str | None = None) -> bytes:
    """The per-user key that authenticates entries, created on first use (0600, in the user's
    cache folder ``base``). :class:`Unsafe` when the folder or the key file is not the user's
    own or is readable by others; OSError when it cannot be made."""
    base = base or user_cache_dir()
    if not os.path.isabs(base):  # (a relative HOME): never a folder under the current one
        raise FileNotFoundError(errno.ENOENT, "not an absolute path", base)
    os.makedirs(os.path.dirname(base), mode=0o700, exist_ok=True)
    own_folder(base)
    path = os.path.join(base, KEY_FILE)
    if not os.path.lexists(path):
        tmp = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        fd = create_file(tmp)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(os.urandom(KEY_BYTES))
            try:
                os.link(tmp, path)  # never replaces a key another run made meanwhile
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
        _write_tag(base)
    fd = open_own_file(path)
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if os.name == "posix" and st.st_mode & 0o077:
            raise Unsafe(_("{path} can be read by other users").format(path=path))
        key = f.read(KEY_BYTES + 1)
    if len(key) != KEY_BYTES:
        raise Unsafe(_("{path} is not a key this tool made").format(path=path))
    return key


def _write_tag(base: str) -> None:
    try:
        fd = create_file(os.path.join(base, "CACHEDIR.TAG"))
    except OSError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This file is a cache directory tag created by roadmap-cli.\n")


def prune_checkouts(base: str | None = None, keep: int | None = None) -> None:
    """Remove all but the ``keep`` newest-used checkout folders (only folders of this user's
    named as the cache names them; never through a link)."""
    keep = KEEP_CHECKOUTS if keep is None else keep
    folder = os.path.join(base or user_cache_dir(), CHECKOUTS)
    try:
        own_folder(folder)
        found = []
        for e in os.scandir(folder):
            if _CHECKOUT_NAME.match(e.name) and e.is_dir(follow_symlinks=False):
                found.append((e.stat(follow_symlinks=False).st_mtime_ns, e.path))
    except (OSError, Unsafe):
        return
    found.sort(reverse=True)
    for _used, path in found[keep:]:
        import shutil  # only when pruning (it imports bz2 and lzma: not on every run)

        if shutil.rmtree.avoids_symlink_attacks:
            shutil.rmtree(path, ignore_errors=True)
