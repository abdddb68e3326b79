"""A measure's timeline from git, oldest first (for `roadmap history`); click-free, printing
nothing.

One ``git log --raw`` over the roadmap folder lists every commit with the blobs of the files it
changed (before and after); one ``git cat-file --batch`` reads them all. In each commit the
measure is looked up by document id and measure id among the files that commit changed, before
and after, so a document renamed (or moved to another file of the folder) keeps its history.
Old revisions are read, not validated: a revision that was invalid at the time still shows what it
said; one that is not YAML (a syntax error) says nothing of the measure (see :func:`timeline`). A commit that touched the measure gives one row per top-level field changed; the
measure's creation is a row with ``field: null`` (``old`` null, ``new`` the measure), and its
removal likewise (``old`` the measure, ``new`` null).

Merge commits are compared with nothing (git lists no files for them), so a change made only
while resolving a merge conflict is not shown; the commits of the merged branch are.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from roadmap_cli.errors import UsageError
from roadmap_cli.i18n import _

if TYPE_CHECKING:
    from roadmap_cli.git import Commit, GitRepo
    from roadmap_cli.model import Roadmap


@dataclass(frozen=True)
class History:
    """The timeline of one measure: its rows (the contract's ``history --format json``), oldest
    first, and the ids as the working tree spells them."""

    roadmap: str
    measure: str
    rows: list[dict[str, Any]]

    @property
    def target(self) -> str:
        return f"{self.roadmap}/{self.measure}"


def measure_history(repo: GitRepo, folder: str, roadmap_id: str, measure_id: str,
                    cache: Any = None) -> History:
    """The history of ``roadmap_id/measure_id`` in the git history of ``folder``.

    The ids are read as the working tree's files spell them (any case, a document by the start
    of its id), else as typed; ids exactly as typed that name a measure of the history win;
    ``cache`` (:func:`roadmap_cli.workspace.open_cache`) gives the document ids of the files it
    knows. UsageError when the history holds no such document or measure."""
    typed = (roadmap_id, measure_id)
    roadmap_id, measure_id, read, missed = _as_in_the_working_tree(folder, roadmap_id, measure_id, cache)
    prefix = repo.repo_path(folder)
    commits = repo.log(prefix)
    from roadmap_cli.yamlsrc import MAX_FILE_BYTES

    blobs = read_blobs(repo, ((ch.path, s) for c in commits for ch in c.changes
                              if roadmap_file(ch.path, prefix) for s in (ch.old_sha, ch.new_sha) if s),
                       MAX_FILE_BYTES)
    if typed != (roadmap_id, measure_id):
        # ids as typed that the history holds name that measure, not the working tree's
        # by the start of its id or in another case (a document renamed kz-by -> kz-by-test)
        rows, _seen = timeline(commits, prefix, blobs, *typed)
        if rows:
            return History(*typed, rows)
    rows, seen_document = timeline(commits, prefix, blobs, roadmap_id, measure_id, read)
    if not rows:
        from roadmap_cli import resolve

        where = _("the git history of {folder}/").format(folder=prefix or ".")
        kind, known = missed or ("", [])
        if seen_document:
            raise UsageError(_("roadmap: document {roadmap} has no measure {measure} in {where}").format(
                roadmap=roadmap_id, measure=repr(measure_id), where=where
            ) + (resolve.hint(measure_id, known) if kind == "measure" else ""))
        if not seen_document and not os.path.isdir(folder):  # (--dir names no folder at all)
            raise UsageError(_("roadmap: {path}: no such file or folder").format(path=folder))
        raise UsageError(_("roadmap: no document with id {id} in {where}").format(
            id=repr(roadmap_id), where=where
        ) + (resolve.hint(roadmap_id, known) if kind == "document" else ""))
    return History(roadmap_id, measure_id, rows)


def as_in_the_working_tree(folder: str, roadmap_id: str, measure_id: str,
                           cache: Any = None) -> tuple[str, str]:
    """The ids as the working tree's files spell them (any case, a document by the start of
    its id; see :mod:`roadmap_cli.resolve`), else as typed: the history may hold documents and
    measures that no longer exist. Each file's document id is what ``update`` reads of the
    files before the one it checks (:func:`roadmap_cli.load.meta_of`: with ``cache``, kept by
    the file's bytes, so a warm run parses only the document named, for its measure ids). An
    id typed as written, in the file named after it, is taken from that file alone (as
    ``update`` finds a document): the other files are not read.
    """
    found = _as_in_the_working_tree(folder, roadmap_id, measure_id, cache)
    return found[0], found[1]


def _as_in_the_working_tree(
    folder: str, roadmap_id: str, measure_id: str, cache: Any = None,
) -> tuple[str, str, tuple[bytes, Any] | None, tuple[str, list[str]] | None]:
    """:func:`as_in_the_working_tree`, with the named document's file (its bytes, as parsed)
    when it was read (a revision of the same bytes is not parsed again), and what the working
    tree knows when it does not know an id: ("document", the documents' ids) or ("measure",
    the document's measure ids), for the message when the history does not know it either."""
    from roadmap_cli import resolve
    from roadmap_cli.load import meta_of
    from roadmap_cli.sources import AGENCIES_FILE, YAML_SUFFIXES
    from roadmap_cli.yamlsrc import parse

    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(YAML_SUFFIXES) and n != AGENCIES_FILE)
    except OSError:
        return roadmap_id, measure_id, None, None
    docs: dict[str, str] = {}  # document id -> its file, the first in name order
    named: tuple[bytes, Any] | None = None  # that file, as read and parsed
    for suffix in YAML_SUFFIXES:  # the usual case: the id as written, in the file named after it
        if roadmap_id + suffix in names:
            path = os.path.join(folder, roadmap_id + suffix)
            data = _bytes(path)
            as_read = None if data is None else parse(data, path)
            if data is not None and as_read is not None and isinstance(as_read.data, dict) \
                    and as_read.data.get("id") == roadmap_id:
                docs[roadmap_id] = path
                named = (data, as_read)
                names = []  # no other file is read
            break
    for name in names[:1000]:
        path = os.path.join(folder, name)
        data = _bytes(path)
        if data is None:
            continue
        is_doc, rid, _count = meta_of(path, data, cache)
        if is_doc and rid is not None:
            docs.setdefault(rid, path)
    if cache is not None:
        cache.finish()
    try:
        roadmap_id = resolve.document(roadmap_id, docs)
    except resolve.NotFound:
        return roadmap_id, measure_id, None, ("document", sorted(docs))
    if named is not None:
        data, parsed = named
    else:
        data = _bytes(docs[roadmap_id])
        parsed = None if data is None else parse(data, docs[roadmap_id])
    read = None if data is None else (data, parsed)
    doc = None if parsed is None else parsed.data
    measures = doc.get("measures") if isinstance(doc, dict) else None
    ids = [m["id"] for m in measures or () if isinstance(m, dict) and isinstance(m.get("id"), str)]
    try:
        return roadmap_id, resolve.measure(measure_id, ids, roadmap_id), read, None
    except resolve.NotFound:
        return roadmap_id, measure_id, read, ("measure", list(dict.fromkeys(ids)))


def read_blobs(repo: GitRepo, blobs: Iterable[tuple[str, str]], max_size: int | None = None) -> dict[str, bytes]:
    """The bytes of each blob of ``blobs`` (its path from the top level, its id), by id. A blob
    whose bytes the working tree's file at its path holds (git's id of the file's bytes is the
    blob's) is taken from that file; the others are read through git
    (:meth:`roadmap_cli.git.GitRepo.read_blobs`, ``max_size`` as there). Most of a folder's
    history is its files as they are: decompressing them was most of what ``history`` and
    ``stale`` waited for."""
    from roadmap_cli.git import blob_sha

    wanted: dict[str, None] = {}
    paths: dict[str, None] = {}
    for path, sha in blobs:
        wanted[sha] = None
        paths[path] = None
    found: dict[str, bytes] = {}
    length = len(next(iter(wanted), ""))
    for path in paths:
        data = _bytes(os.path.join(repo.root, *path.split("/")))
        if data is not None and (max_size is None or len(data) <= max_size):
            sha = blob_sha(data, length)
            if sha in wanted:
                found[sha] = data
    if len(found) < len(wanted):
        found.update(repo.read_blobs((s for s in wanted if s not in found), max_size))
    return found


def _bytes(path: str) -> bytes | None:
    """The bytes of the file ``path`` (at most one more than a roadmap file may have), or None
    when it is not a file that can be read, or a link to a file outside its folder (read as
    the loader reads files: docs/security.md)."""
    from roadmap_cli.sources import inside_its_folder
    from roadmap_cli.yamlsrc import MAX_FILE_BYTES

    try:
        if not os.path.isfile(path) or not inside_its_folder(path):
            return None
        with open(path, "rb") as f:
            return f.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None


def last_changes_in(repo: GitRepo, folder: str, roadmaps: Sequence[Roadmap], until: date,
                    today: date, cache: Any = None,
                    on_document: Callable[[int, int], None] | None = None) -> dict[tuple[str, str], Any]:
    """When each measure's entry last changed on or before ``until``, by the git history of
    ``folder`` and the working tree (``roadmaps``, loaded from it): ``roadmap stale``'s
    :class:`roadmap_cli.stale.Change` per (document id, measure id). A revision whose bytes a
    file of the working tree holds has that file's fingerprints (from its loaded document):
    most revisions of a folder's history are its files as they are, and they are not parsed
    again. ``cache`` (:func:`roadmap_cli.workspace.open_cache`) keeps each revision's measure
    fingerprints by its bytes, so a warm run parses no revision it has seen.
    ``on_document(done, total)``: called after each document of the working tree is
    fingerprinted (a progress display: without the cache, the longest part)."""
    from roadmap_cli import stale
    from roadmap_cli.cycle import fingerprint
    from roadmap_cli.yamlsrc import MAX_FILE_BYTES

    prefix = repo.repo_path(folder)
    commits = repo.log(prefix)
    listed = [(ch.path, s) for c in commits for ch in c.changes
              if roadmap_file(ch.path, prefix) for s in (ch.old_sha, ch.new_sha) if s]
    now, memo = working_prints(roadmaps, fingerprint, cache, len(listed[0][1]) if listed else 40,
                               on_document)
    kept = set(memo)  # (in the cache already, by the files' bytes)
    blobs = read_blobs(repo, [(path, sha) for path, sha in listed if sha not in memo], MAX_FILE_BYTES)
    found = _kept_prints(blobs, cache)
    memo.update(found)
    kept |= set(found)
    last = stale.last_changes(commits, lambda p: roadmap_file(p, prefix), blobs, until, memo)
    head: dict[tuple[str, str], str] = {}
    if commits:
        entries = [e for e in repo.list_folder(repo.commit("HEAD"), prefix)
                   if e.type == "blob" and roadmap_file(e.path, prefix)]
        tree = read_blobs(repo, [(e.path, e.sha) for e in entries if e.sha not in memo], MAX_FILE_BYTES)
        found = _kept_prints(tree, cache)
        memo.update(found)
        kept |= set(found)
        for e in entries:
            if e.sha not in memo:
                memo[e.sha] = stale.measure_prints(tree[e.sha], e.path)
            head.update(memo[e.sha])
        blobs = {**blobs, **tree}
    if cache is not None:
        for sha, prints in memo.items():
            if sha not in kept and sha in blobs:
                cache.put_prints(blobs[sha], prints)
        cache.finish()
    return stale.with_working_tree(last, head, now, today, until)


def working_prints(roadmaps: Sequence[Roadmap], fingerprint: Any, cache: Any = None,
                   length: int = 40, on_document: Callable[[int, int], None] | None = None,
                   ) -> tuple[dict[tuple[str, str], str], dict[str, dict[tuple[str, str], str]]]:
    """(document id, measure id) -> fingerprint of each measure of the working tree, and the
    fingerprints of each file by the git blob id of its bytes (``length``: 40, or 64 in a
    SHA-256 repository): a revision of those bytes has the same, as
    :func:`roadmap_cli.stale.measure_prints` reads them from the bytes. Taken from what
    ``cache`` keeps for a file's bytes (an edit not yet committed is fingerprinted once, not
    at every run), else from the document's data. ``on_document(done, total)``: called after
    each document."""
    from roadmap_cli import some_measures
    from roadmap_cli.git import blob_sha

    now: dict[tuple[str, str], str] = {}
    by_blob: dict[str, dict[tuple[str, str], str]] = {}
    raw = some_measures.RawReader().raw  # (a document's data decoded for it alone, not kept)
    for done, rm in enumerate(roadmaps, 1):
        data = _bytes(rm.file)
        # (the measures' ids without building the measures, when they come from the cache)
        keys = [(rm.id, mid) for mid in some_measures.ids(rm)]
        prints = cache.prints(data) if data is not None and cache is not None else None
        if prints is None or prints.keys() != set(keys):
            # the fingerprints kept for these bytes are taken from the document these bytes
            # make (the cache's unit of them), not from the one loaded: the file may have been
            # edited since it was loaded (another run's `update`), and the loaded document's
            # would then be kept for bytes they are not of, and trusted by every later run
            own = _document_of(rm, data, cache)
            # (each measure built for this alone and kept by nobody, nor its data decoded)
            prints = {(own.id, m.id): fingerprint(raw(m)) for m in some_measures.passing(own)}
            if prints.keys() == set(keys) and own is not rm:
                cache.put_prints(data, prints)  # (data is not None: own came from its unit)
            elif own is not rm:  # an edit since the load changed its measures: as loaded
                prints = {(rm.id, m.id): fingerprint(raw(m)) for m in some_measures.passing(rm)}
        now.update((k, prints[k]) for k in keys)
        if data is not None and len(prints) == len(keys):  # (measure ids once each)
            by_blob[blob_sha(data, length)] = prints
        if on_document is not None:
            on_document(done, len(roadmaps))
    return now, by_blob


def _document_of(rm: Roadmap, data: bytes | None, cache: Any) -> Roadmap:
    """The document ``cache`` keeps for ``rm``'s file with the bytes ``data`` (read after the
    load), of the same id; else ``rm`` itself (no cache, no bytes, no such unit)."""
    if cache is None or data is None:
        return rm
    from roadmap_cli.limits import ROADMAP_SCHEMA

    unit = cache.unit(rm.file, data, ROADMAP_SCHEMA)
    own = unit.roadmap if unit is not None else None
    return own if own is not None and own.id == rm.id else rm


def _kept_prints(blobs: Mapping[str, bytes], cache: Any) -> dict[str, dict[tuple[str, str], str]]:
    """The fingerprints ``cache`` keeps for these blobs (by git sha), as far as it has them."""
    if cache is None:
        return {}
    out = {}
    for sha, data in blobs.items():
        found = cache.prints(data)
        if found is not None:
            out[sha] = found
    return out


def roadmap_file(path: str, prefix: str) -> bool:
    """Whether ``path`` (from the top level) is a roadmap file directly in the folder ``prefix``."""
    from roadmap_cli.sources import AGENCIES_FILE, YAML_SUFFIXES

    folder, _sep, name = path.rpartition("/")
    return (
        folder == prefix
        and name.endswith(YAML_SUFFIXES)
        and not name.startswith(".")
        and name != AGENCIES_FILE
    )


def find_measure(data: bytes, name: str, roadmap_id: str, measure_id: str,
                 parsed: Any = None, held: bool = False) -> tuple[bool | None, dict[str, Any] | None]:
    """(the document is in this file, the measure's data or None). Never raises. ``parsed``:
    ``data`` as :func:`roadmap_cli.yamlsrc.parse` read it already. A file that names the
    document but cannot be read as YAML (a syntax error): (None, None), not known. ``held``:
    the file held the document before, so bytes that are not UTF-8 text (saved as UTF-16,
    say: the id's bytes are not in them) are that document unreadable, not another one."""
    from roadmap_cli.yamlsrc import parse

    if roadmap_id.encode("utf-8") not in data and not (held and not _text(data)):
        return False, None  # cheap: most files are other documents
    if parsed is None:
        parsed = parse(data, name)
    doc = parsed.data
    if doc is None and parsed.problems:
        return None, None
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


def _text(data: bytes) -> bool:
    """UTF-8 without a NUL (UTF-16 of ASCII text is UTF-8, with a NUL every other byte)."""
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def timeline(
    commits: Sequence[Commit],
    prefix: str,
    blobs: Mapping[str, bytes],
    roadmap_id: str,
    measure_id: str,
    read: tuple[bytes, Any] | None = None,
) -> tuple[list[dict[str, Any]], bool]:
    """The history rows (oldest first) and whether the document was seen at all. ``read``: a
    file's bytes as parsed already (the working tree's: most often the last revision's).

    A revision of the document that is not YAML (a syntax error, fixed in a later commit) says
    nothing of the measure: the commit that broke it and the one that fixed it are compared
    as one change, from the last revision read to the next (it was shown as the measure
    removed, then created again, and the changes in between were lost)."""
    from roadmap_cli.diff import field_changes

    # by (blob, whether the file held the document before: see find_measure's ``held``)
    memo: dict[tuple[str, bool], tuple[bool | None, dict[str, Any] | None]] = {}

    def held(sha: str | None) -> bool:
        """Whether the blob was read as the document, or as an unreadable revision of it."""
        return sha is not None and any(
            memo.get((sha, h), (False,))[0] is not False for h in (True, False))

    def look(shas: Iterable[tuple[str | None, bool]]) -> tuple[bool, dict[str, Any] | None, bool]:
        """(the document is there, the measure or None, a file that may hold it is unreadable)"""
        found_doc = unreadable = False
        for sha, was_held in shas:
            if sha is None or sha not in blobs:
                continue
            if (sha, was_held) not in memo:
                data = blobs[sha]
                known = read[1] if read is not None and data == read[0] else None
                memo[sha, was_held] = find_measure(data, sha, roadmap_id, measure_id, known, was_held)
            has_doc, measure = memo[sha, was_held]
            if measure is not None:
                return True, measure, False
            found_doc = found_doc or bool(has_doc)
            unreadable = unreadable or has_doc is None
        return found_doc, None, unreadable and not found_doc

    rows: list[dict[str, Any]] = []
    seen = False
    carried: tuple[dict[str, Any] | None] | None = None  # the measure before an unreadable revision
    for c in commits:
        files = [ch for ch in c.changes if roadmap_file(ch.path, prefix)]
        if not files:
            continue
        # a blob before the commit was seen after an earlier one: held if it was the document's
        doc_before, before, broken_before = look((ch.old_sha, (ch.old_sha, True) in memo) for ch in files)
        doc_after, after, broken_after = look((ch.new_sha, held(ch.old_sha)) for ch in files)
        seen = seen or doc_before or doc_after
        if broken_after:  # nothing known of the measure here: compared at the next revision read
            if carried is None:
                carried = (before,)
            continue
        if broken_before and carried is not None:
            before = carried[0]
        if broken_before or doc_before or doc_after:  # (not a commit to other documents only)
            carried = None
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
