"""A content-hash cache of checked files: a warm run reads the files, hashes them, and rebuilds
each file's :class:`roadmap_cli.load.Unit` (its problems and its lean model) from its stored
form (:mod:`roadmap_cli.stored`: marshal tuples), without importing yaml, jsonschema or the
rules. It keeps the model, never a report's answers.

One kind of entry, keyed by SHA-256 of the file's name, its bytes and the schema it is checked
against. A unit records the context the rules that look across files saw when it was checked
(:func:`roadmap_cli.load._context`); the loader checks a unit again when that changed. When one
file of a thousand changes, only that file is parsed again.

Every key also holds a *salt*: the cache format, the tool version, the Python version, the sizes
and times of the package's own modules and catalogs, the bytes of both JSON Schemas, and the installed
PyYAML, regress and jsonschema (their files' sizes and times). Any change there makes every entry stale.

**Trusted only by itself** (docs/security.md). The cache lives in the user's cache folder
(``$XDG_CACHE_HOME/roadmap-cli``, else ``~/.cache/roadmap-cli``), one subfolder per checkout,
never in a folder a checkout can bring with it (a ``.roadmap-cache/`` left in a checkout is
ignored). An entry is a file ``MAGIC | key | length | HMAC-SHA256 | payload``, the HMAC taken
with a per-user secret key (``key`` in the cache folder, 32 random bytes created with mode 0600
on first use), so an entry written by anyone without the key is never accepted. An entry that
is truncated, corrupt, written for another key, not authenticated, or that does not decode is
ignored (and written again). Units are plain :mod:`marshal` data (tuples, strings, numbers;
never pickles), unmarshalled only after the HMAC holds and rebuilt by code that calls no
constructor named by the entry, then checked for their shape; the file a document belongs to
is the name it was looked up under. Even an authenticated entry cannot run code.

Every folder the cache uses is checked with ``lstat`` to be a real folder (not a symbolic link)
owned by the user and writable by no one else, and created with mode 0700 when missing; every
file it opens is opened with ``O_NOFOLLOW`` and checked to be a regular file of the user's; it
prunes and deletes only regular files named as its entries are. A folder that fails these checks
disables the cache with one warning; a folder that cannot be written (read-only, full disk)
disables it without a word (the folders and files: :mod:`roadmap_cli.cachedir`). Writes go to
a temporary file renamed into place (atomic).

``$ROADMAP_CACHE_DIR`` names the folder of entries instead (benchmarks, tests; the key stays in
the user's cache folder). ``--no-cache`` or ``ROADMAP_NO_CACHE=1`` bypasses the cache. Deleting
the folder is always safe. See docs/performance.md and docs/security.md.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import re
import stat
import sys
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

from roadmap_cli import i18n, stored
from roadmap_cli.cachedir import CHECKOUTS as CHECKOUTS
from roadmap_cli.cachedir import KEEP_CHECKOUTS as KEEP_CHECKOUTS
from roadmap_cli.cachedir import KEY_BYTES as KEY_BYTES
from roadmap_cli.cachedir import KEY_FILE as KEY_FILE
from roadmap_cli.cachedir import (
    Unsafe,
    create_file,
    folder_for,
    open_own_file,
    own_folder,
    prune_checkouts,
    secret_key,
    user_cache_dir,
)
from roadmap_cli.lazydata import LazyMap as LazyMap

FORMAT = b"roadmap-cache 3 " + stored.TAG.encode()
MAGIC = b"RMCACHE3"
_MAC = 32
_HEADER = len(MAGIC) + 32 + 8 + _MAC

#: per-file entries kept besides those the last load used (the newest; at least three times as
#: many as it used)
KEEP_SPARE_UNITS = 256

#: the folders of the small entries kept for a file's bytes (Cache._small)
_SMALL = ("metas", "prints", "blobs", "cuts")

#: the entry folders of earlier versions (whole loads, parsed files, report rows): emptied
_LEGACY = ("loads", "files", "rows")

_ENV_OFF = "ROADMAP_NO_CACHE"
#: the only names the cache deletes: its entries and its own temporary files
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.bin(?:\.[0-9]+\.[0-9a-f]{8}\.tmp)?\Z")


def digest_of(data: bytes) -> bytes:
    """The SHA-256 of a file's bytes (of an unread file: the one kept for its git blob)."""
    if type(data) is not bytes:
        from roadmap_cli.sources import Unread

        if isinstance(data, Unread):
            return data.digest
    return hashlib.sha256(data).digest()


def disabled_by_env() -> bool:
    value = os.environ.get(_ENV_OFF, "")
    return value not in ("", "0", "false", "no")


def open_for(
    paths: Sequence[str], enabled: bool = True, warn: Callable[[str], None] | None = None
) -> Cache | None:
    """The cache to use for a load of ``paths``; None when disabled (flag or environment).
    ``warn`` receives the one warning when a folder or the key fails the safety checks."""
    if not enabled or disabled_by_env():
        return None
    return Cache(folder_for(paths), warn=warn)


# --- the salt: everything besides the bytes that shapes a load's result ----------------------


def _package_fingerprint() -> bytes:
    """The sizes and modification times of the package's modules (not the commands) and of its
    compiled message catalogs (problems are worded through them): what Python's own bytecode
    cache reads to tell a changed module (an upgrade, an edit, a checkout of another version);
    reading and hashing their bytes was 2 ms of every run. The JSON Schemas, which say what is
    valid, by their bytes (23 KB: a few microseconds): a schema edited in place with its size
    and time kept (a copy that keeps times, a same-second edit) made warm runs check files
    against the schema before it."""
    h = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    locale = os.path.join(here, "locale")
    try:
        languages = sorted(os.listdir(locale))
    except OSError:
        languages = []
    catalogs = [os.path.join(locale, lang, "LC_MESSAGES") for lang in languages]
    schemas = os.path.join(here, "schemas")
    for folder in (here, schemas, *catalogs):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            if name.endswith((".py", ".json", ".mo")):
                path = os.path.join(folder, name)
                try:
                    if folder == schemas and name.endswith(".json"):
                        with open(path, "rb") as f:
                            data = hashlib.sha256(f.read()).digest()
                    else:
                        st = os.stat(path)
                        data = b"%d:%d" % (st.st_size, st.st_mtime_ns)
                except OSError:
                    data = b"?"
                h.update(name.encode() + b"\0" + data + b"\0")
    return h.digest()


def _dependency_fingerprint() -> bytes:
    """Sizes and times of the installed readers' files (an upgrade changes them), found without
    importing them."""
    from importlib.machinery import PathFinder

    parts = []
    for name in ("yaml", "regress", "jsonschema"):
        spec = PathFinder.find_spec(name)
        origin = spec.origin if spec is not None else None
        if not origin:
            parts.append(f"{name}:-")
            continue
        folder = os.path.dirname(origin)
        try:
            entries = sorted(
                (e.name, e.stat().st_size, e.stat().st_mtime_ns)
                for e in os.scandir(folder)
                if e.name == "__init__.py" or e.name.startswith("_yaml") or e.name == "version.py"
            )
        except OSError:
            entries = []
        parts.append(f"{name}:{folder}:{entries}")
    return "\n".join(parts).encode()


_salt: bytes | None = None


def salt() -> bytes:
    """Computed once per process (the tool version is read each time: tests change it)."""
    global _salt
    if _salt is None:
        _salt = hashlib.sha256(
            b"\0".join(
                (
                    FORMAT,
                    sys.implementation.name.encode(),
                    repr(sys.version_info[:2]).encode(),
                    _package_fingerprint(),
                    _dependency_fingerprint(),
                )
            )
        ).digest()
    import roadmap_cli

    # (the interface language is not part of it: a unit without problems serves every
    # language, one with problems is kept under a key of its language, Cache.language_key)
    return hashlib.sha256(_salt + roadmap_cli.__version__.encode()).digest()


# --- the cache -------------------------------------------------------------------------------


class Cache:
    """One cache folder. ``stats`` counts what happened (for tests and ``make bench``)."""

    def __init__(self, folder: str, warn: Callable[[str], None] | None = None) -> None:
        self.folder = folder
        self.writable = True
        self._warn = warn
        self._secret: bytes | None = None
        self._checked: set[str] = set()
        self._off = False
        self._dirty = False
        self.stats = {"unit_hit": 0, "unit_miss": 0, "bad": 0, "written": 0}
        self._used: set[str] = set()
        #: the folder was made by this run: it holds only the entries this run wrote (in
        #: ``_used``), so no other is looked for (a first run's 15 ms at 100 x 100)
        self._fresh = False

    # -- the hooks load.load_sources calls: one entry per file ------------------------------

    def unit_key(self, name: str, data: bytes, schema_name: str) -> bytes:
        """The key of a file's unit: the salt, the file's name, the schema it is checked
        against and its bytes' SHA-256."""
        return hashlib.sha256(
            salt() + b"unit\0" + name.encode("utf-8", "surrogateescape") + b"\0"
            + schema_name.encode() + b"\0" + digest_of(data)
        ).digest()

    def unit(self, name: str, data: bytes, schema_name: str, shown: str | None = None) -> Any:
        """The :class:`roadmap_cli.load.Unit` kept for this file's name and bytes, or None
        (missing, corrupt, not authenticated, or of the wrong shape). A unit with problems is
        kept under a key of the interface language its problems are worded in
        (:meth:`language_key`): a run in another language checks the file again once, and then
        each language finds its own. ``shown``: the file is named so, its unit kept under
        ``name`` (:meth:`put_unit`: only a unit without problems, which would name the file)."""
        base = self.unit_key(name, data, schema_name)
        for key in (base, self.language_key(base)):
            path = self._path("units", key)
            found = self._read(path, key)
            if found is None:
                continue
            self._used.add(os.path.basename(path))
            blob, start = found
            try:
                unit = stored.decode(memoryview(blob)[start:], name, shown)
            except stored.OtherLanguage:  # an entry of before: checked in another language
                continue
            except Exception:  # any failure to decode means: not of this shape, rebuild
                self.stats["bad"] += 1
                continue
            if shown is not None and unit.problems:
                break  # not kept so (put_unit)
            self.stats["unit_hit"] += 1
            return unit
        self.stats["unit_miss"] += 1
        return None

    @staticmethod
    def language_key(base: bytes) -> bytes:
        """The key of a unit with problems, worded in the current interface language."""
        return hashlib.sha256(base + b"\0lang\0" + i18n.current().encode()).digest()

    def put_unit(self, name: str, data: bytes, schema_name: str, unit: Any,
                 shown: str | None = None) -> Any:
        """Keep ``unit`` for this file's name and bytes (its document lean, as the load built it:
        :func:`roadmap_cli.model.lean`). ``shown``: the file is named so, and the unit is kept
        under ``name``, for any name it is shown by, unless it has problems (they name it).
        Returns its document's stored form when it kept one (:func:`roadmap_cli.stored.stored_roadmap`
        makes the document a warm run reads of it), else None."""
        if not self.writable or (shown is not None and unit.problems):
            return None
        made: list[Any] = []
        try:
            payload = stored.encode(unit, name if shown is not None else None, made)
        except stored.Unstorable:
            return None
        key = self.unit_key(name, data, schema_name)
        if unit.problems:  # worded in the interface language: kept under its key
            # a unit without problems of these bytes, checked in another context (agencies.yaml
            # has changed since), is let go: looked up first, it made every later run check
            # the file again
            self.forget_unit(name, data, schema_name)
            key = self.language_key(key)
        path = self._path("units", key)
        self._used.add(os.path.basename(path))
        self._write(path, key, payload)
        self._dirty = True
        return made[0] if made else None

    def forget_unit(self, name: str, data: bytes, schema_name: str) -> None:
        """Delete the unit without problems kept for this file's name and bytes (found first by
        :meth:`unit`), when a check in another context found problems in it: only a regular
        file of the user's, in the cache's own folder."""
        path = self._path("units", self.unit_key(name, data, schema_name))
        if not self.writable or not self._ready(os.path.dirname(path)):
            return
        getuid = getattr(os, "getuid", None)
        try:
            st = os.lstat(path)
            if stat.S_ISREG(st.st_mode) and (getuid is None or st.st_uid == getuid()):
                os.unlink(path)
        except OSError:
            return
        self._used.discard(os.path.basename(path))

    def prints(self, data: bytes) -> dict[tuple[str, str], str] | None:
        """The measures' fingerprints kept for a file's bytes (``roadmap stale`` reads every
        revision of every file: :func:`roadmap_cli.stale.measure_prints`), or None."""
        rows = self._small("prints", data)
        # every row three strings, told of all the rows at once (a file's rows are its
        # measures': a hundred thousand of them at a thousand documents)
        if (type(rows) is not tuple or not set(map(type, rows)) <= {tuple}
                or not set(map(len, rows)) <= {3} or not set(map(type, chain.from_iterable(rows))) <= {str}):
            return None
        return {(rid, mid): fp for rid, mid, fp in rows}

    def put_prints(self, data: bytes, prints: dict[tuple[str, str], str]) -> None:
        """Keep the measures' fingerprints of a file's bytes."""
        self._put_small("prints", data, tuple((r, m, fp) for (r, m), fp in prints.items()))

    def meta(self, data: bytes) -> tuple[bool, str | None, int] | None:
        """What :func:`roadmap_cli.load.problems_in` reads of a file before the one it checks
        (is it a document, its id, the occurrences it adds), kept for the file's bytes; or
        None."""
        found = self._small("metas", data)
        if type(found) is not tuple or len(found) != 3:
            return None
        doc, rid, count = found
        if type(doc) is not bool or not (rid is None or type(rid) is str) or type(count) is not int:
            return None
        return doc, rid, count

    def put_meta(self, data: bytes, meta: tuple[bool, str | None, int]) -> None:
        """Keep :meth:`meta` for a file's bytes."""
        self._put_small("metas", data, tuple(meta))

    def cut(self, data: bytes) -> Any:
        """Where ``apply`` cuts a document's text at its measures
        (:class:`roadmap_cli.apply_plan.Cut`), kept for the file's bytes: the cut, False (the
        text cannot be cut so), or None (not known, or not of that shape)."""
        found = self._small("cuts", data)
        if found is False:
            return False
        if type(found) is not tuple or len(found) != 4:
            return None
        starts, end, ids, deps = found
        if (type(starts) is not tuple or type(end) is not int or type(ids) is not tuple
                or type(deps) is not tuple or not len(starts) == len(ids) == len(deps)
                or not set(map(type, starts)) <= {int}
                or not set(map(type, ids)) <= {str, type(None)}
                or not set(map(type, deps)) <= {tuple}
                or not set(map(type, chain.from_iterable(deps))) <= {str}):
            return None
        return found

    def put_cut(self, data: bytes, cut: Any) -> None:
        """Keep :meth:`cut` for a file's bytes."""
        self._put_small("cuts", data, cut)

    def blob_digest(self, blob: str) -> bytes | None:
        """The SHA-256 of the bytes of the git blob ``blob`` (its id), as read when it was read
        last (:meth:`put_blob_digest`), or None: ``diff`` finds a revision's units by it
        without reading the revision's files (docs/security.md)."""
        found = self._small_at("blobs", self._blob_key(blob))
        return found if type(found) is bytes and len(found) == 32 else None

    def put_blob_digest(self, blob: str, data: bytes) -> None:
        """Keep the SHA-256 of ``data``, the bytes of the git blob ``blob`` just read."""
        if self.writable:
            self._put_small_at("blobs", self._blob_key(blob), digest_of(data))

    @staticmethod
    def _blob_key(blob: str) -> bytes:
        return hashlib.sha256(salt() + b"blobs\0" + blob.encode("ascii", "replace")).digest()

    def _small(self, kind: str, data: bytes) -> Any:
        """The plain value kept in an entry of ``kind`` for a file's bytes (marshal data,
        read once its HMAC holds; the caller checks its shape), or None."""
        return self._small_at(kind, self._small_key(kind, data))

    def _small_at(self, kind: str, key: bytes) -> Any:
        """The plain value kept in the entry of ``kind`` under ``key``, or None."""
        path = self._path(kind, key)
        found = self._read(path, key)
        if found is None:
            return None
        self._used.add(os.path.basename(path))
        blob, start = found
        try:
            return marshal.loads(memoryview(blob)[start:])
        except (ValueError, EOFError, TypeError):
            self.stats["bad"] += 1
            return None

    def _put_small(self, kind: str, data: bytes, value: Any) -> None:
        self._put_small_at(kind, self._small_key(kind, data), value)

    def _put_small_at(self, kind: str, key: bytes, value: Any) -> None:
        if not self.writable:
            return
        path = self._path(kind, key)
        self._used.add(os.path.basename(path))
        self._write(path, key, marshal.dumps(value))
        self._dirty = True

    @staticmethod
    def _small_key(kind: str, data: bytes) -> bytes:
        """The key of a small entry: the salt, its kind and the SHA-256 of the file's bytes."""
        return hashlib.sha256(salt() + kind.encode() + b"\0" + digest_of(data)).digest()

    def finish(self) -> None:
        """After a load that wrote something: keep the units it used and the newest others."""
        if self._dirty and self.writable:
            # spare: for a few other revisions of as many files too (diff loads two)
            keep = max(KEEP_SPARE_UNITS, 3 * len(self._used))
            self._prune_kind("units", keep, self._used)
            for kind in _SMALL:
                if os.path.isdir(os.path.join(self.folder, kind)):
                    self._prune_kind(kind, keep, self._used)
            for kind in _LEGACY:  # emptied, never made
                if os.path.isdir(os.path.join(self.folder, kind)):
                    self._prune_kind(kind, 0, set())
        self._dirty = False

    # -- entries on disk --------------------------------------------------------------------

    def _path(self, kind: str, key: bytes) -> str:
        return os.path.join(self.folder, kind, key.hex() + ".bin")

    def _ready(self, folder: str | None = None) -> bool:
        """True once the key is read and ``folder`` (a kind's folder, or the cache's own) is
        checked; on the first failure the cache is off for the rest of the run (one warning
        when a check failed, none when a folder cannot be made)."""
        if self._off:
            return False
        try:
            if self._secret is None:
                self._secret = secret_key()
                parent = os.path.dirname(self.folder)
                ours = parent == os.path.join(user_cache_dir(), CHECKOUTS)
                if ours:
                    own_folder(parent)
                else:
                    os.makedirs(parent, mode=0o700, exist_ok=True)
                fresh = not os.path.lexists(self.folder)
                own_folder(self.folder)
                self._fresh = fresh
                if ours and fresh:
                    prune_checkouts()
                self._checked.add(self.folder)
                try:
                    os.utime(self.folder)  # the newest-used checkouts survive pruning
                except OSError:
                    pass
            if folder is not None and folder not in self._checked:
                own_folder(folder)
                self._checked.add(folder)
        except Unsafe as e:
            self._disable(str(e))
            return False
        except OSError:
            self._disable(None)
            return False
        return True

    def _disable(self, reason: str | None) -> None:
        self._off = True
        self.writable = False
        if reason is not None and self._warn is not None:
            self._warn(reason)

    def _mac(self, key: bytes) -> Any:
        assert self._secret is not None
        return hmac.new(self._secret, MAGIC + key, hashlib.sha256)

    def _read(self, path: str, key: bytes, touch: bool = False) -> tuple[bytes, int] | None:
        """The entry's bytes and where its payload starts, once header and HMAC hold."""
        if not self._ready(os.path.dirname(path)):
            return None
        if self._fresh and os.path.basename(path) not in self._used:
            return None
        try:
            fd = open_own_file(path)
        except Unsafe:
            self.stats["bad"] += 1
            return None
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as f:
                blob = f.read()
                if touch and os.utime in os.supports_fd:
                    os.utime(f.fileno())  # the newest-used entries survive pruning
        except OSError:
            return None
        if (
            len(blob) < _HEADER
            or blob[: len(MAGIC)] != MAGIC
            or blob[len(MAGIC) : len(MAGIC) + 32] != key
        ):
            self.stats["bad"] += 1
            return None
        at = len(MAGIC) + 32
        length = int.from_bytes(blob[at : at + 8], "little")
        mac = blob[at + 8 : _HEADER]
        payload = memoryview(blob)[_HEADER:]
        if len(payload) != length:
            self.stats["bad"] += 1
            return None
        check = self._mac(key)
        check.update(payload)
        if not hmac.compare_digest(check.digest(), mac):
            self.stats["bad"] += 1
            return None
        return blob, _HEADER

    def _write(self, path: str, key: bytes, payload: bytes) -> None:
        """Write to a new temporary file, then rename it into place (readers never see half an
        entry; a link at ``path`` is replaced, never followed). The header (the magic, the key,
        the payload's length and MAC) and the payload in one write: a first run writes an entry
        per file, and a buffered file object, a seek and a second write cost as much as the
        rest of it."""
        if not self.writable or not self._ready(os.path.dirname(path)):
            return
        tmp = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        mac = self._mac(key)
        mac.update(payload)
        data = memoryview(MAGIC + key + len(payload).to_bytes(8, "little") + mac.digest() + payload)
        try:
            fd = create_file(tmp)
            try:
                while data:
                    data = data[os.write(fd, data):]
            finally:
                os.close(fd)
            os.replace(tmp, path)
            self.stats["written"] += 1
        except OSError:
            self.writable = False  # full disk, ...: run without the cache
            try:
                os.unlink(tmp)
            except OSError:
                pass

    def _prune_kind(self, kind: str, keep: int, used: set[str]) -> None:
        """Delete all but the ``keep`` newest entries of a kind: only regular files of this
        user's named as entries are, in a folder checked to be the cache's own."""
        folder = os.path.join(self.folder, kind)
        if not self._ready(folder):
            return
        getuid = getattr(os, "getuid", None)
        entries = []
        try:
            for e in os.scandir(folder):
                if e.name in used or not _ENTRY_NAME.match(e.name):
                    continue
                st = e.stat(follow_symlinks=False)
                if stat.S_ISREG(st.st_mode) and (getuid is None or st.st_uid == getuid()):
                    entries.append((st.st_mtime_ns, e.name))
        except OSError:
            return
        entries.sort(reverse=True)
        for _, name in entries[keep:]:
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass
