"""Which open measures have not changed for a while, by the git history. Pure: commits and blob
bytes in (read by ``roadmap_cli.git``), rows out.

The history engine is ``roadmap history``'s: every commit that changed a file of the roadmap
folder, with its blobs before and after. A measure's entry changed in a commit when its
:func:`roadmap_cli.cycle.fingerprint` (a hash of its data, not its text: re-indenting changes
nothing) differs before and after it, looked up by document id and measure id in the files the
commit changed, so a document moved to another file keeps its history. The working tree's
uncommitted change counts as a change today.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from roadmap_cli import digest, schedule, some_measures, tally
from roadmap_cli.cycle import fingerprint
from roadmap_cli.model import Roadmap, Status, pick
from roadmap_cli.report import natural_key

Key = tuple[str, str]

#: among a file's fingerprints: the revision does not read as YAML (a syntax error, fixed by a
#: later commit), so it says nothing of its measures (no document or measure has an empty id)
UNREADABLE: Key = ("", "")


@dataclass(frozen=True)
class Change:
    """When a measure's entry last changed: the day, and the commit (None: uncommitted)."""

    day: date
    commit: str | None


def measure_prints(data: bytes, name: str) -> dict[Key, str]:
    """(document id, measure id) -> fingerprint for each measure of a file; {} when the file
    is not a document, ``{UNREADABLE: ""}`` when it is not YAML at all. Never raises."""
    from roadmap_cli.yamlsrc import parse

    parsed = parse(data, name)
    doc = parsed.data
    if doc is None and parsed.problems:
        return {UNREADABLE: ""}
    if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
        return {}
    measures = doc.get("measures")
    out: dict[Key, str] = {}
    if not isinstance(measures, list):
        return out
    for i, m in enumerate(measures):
        if not isinstance(m, dict) or m.get("id") is None:
            continue
        mid = m["id"]
        if not isinstance(mid, str):
            mid = parsed.plain_text.get(("measures", i, "id"), str(mid))  # unquoted 1.1
        out[(doc["id"], mid)] = fingerprint(m)
    return out


def last_changes(
    commits: Iterable[Any],
    is_roadmap_file: Callable[[str], bool],
    blobs: Mapping[str, bytes],
    until: date,
    memo: dict[str, dict[Key, str]] | None = None,
) -> dict[Key, Change]:
    """The last commit dated on or before ``until`` that changed each measure's entry (its
    creation included). ``commits`` oldest first (``roadmap_cli.git.Commit``). ``memo``: blob
    sha -> its :func:`measure_prints`, known before (a blob ``blobs`` does not hold) or filled
    here (each blob is read once; HEAD's blobs are mostly among them).

    A revision that is not YAML (a syntax error, fixed by a later commit) says nothing of its
    measures: the commit that fixes it compares them with the revision before the one that
    broke it, as ``roadmap history`` does (else every measure of the file would count as
    changed by the fix)."""
    memo = {} if memo is None else memo

    def prints(shas: Iterable[str | None]) -> tuple[dict[Key, str], bool]:
        """The fingerprints of these revisions, and whether one of them is not YAML."""
        out: dict[Key, str] = {}
        for sha in shas:
            if sha is None or (sha not in memo and sha not in blobs):
                continue
            if sha not in memo:
                memo[sha] = measure_prints(blobs[sha], sha)
            out.update(memo[sha])
        return out, out.pop(UNREADABLE, None) is not None

    last: dict[Key, Change] = {}
    carried: dict[Key, str] = {}  # the measures of a revision before it became unreadable
    for c in commits:
        day = commit_day(c.date)
        if day is None or day > until:
            continue
        files = [ch for ch in c.changes if is_roadmap_file(ch.path)]
        if not files:
            continue
        before, broken_before = prints(ch.old_sha for ch in files)
        after, broken_after = prints(ch.new_sha for ch in files)
        if broken_before:
            before = {**carried, **before}
        if broken_after:
            for key, fp in before.items():
                if key not in after:
                    carried.setdefault(key, fp)
        change = Change(day, c.sha)  # one for all the measures the commit changed
        for key, fp in after.items():
            carried.pop(key, None)
            if before.get(key) != fp:
                last[key] = change
    return last


def commit_day(iso: str) -> date | None:
    """The day of a commit's author date (in the author's own time zone)."""
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None


def with_working_tree(
    last: Mapping[Key, Change], head: Mapping[Key, str], now: Mapping[Key, str], today: date,
    until: date,
) -> dict[Key, Change]:
    """``last`` with the measures whose entry differs between HEAD and the working tree
    changed ``today`` (when that is not after ``until``)."""
    out = dict(last)
    if today <= until:
        change = Change(today, None)
        for key, fp in now.items():
            if head.get(key) != fp:
                out[key] = change
    return out


def stale_rows(
    roadmaps: Sequence[Roadmap],
    last: Mapping[Key, Change],
    as_of: date,
    cutoff: date,
    lang: str,
) -> list[dict[str, Any]]:
    """Measures open as of ``as_of`` whose entry last changed before ``cutoff``; most days
    since the change first, then document, then measure id. Keys: roadmap, measure, title,
    owners, status, last_changed, days_since_change, commit. Of a document rebuilt from the
    cache, no measure is built: each open one's id, owners and title are read from its stored
    fields, its status as of the date from the document's digest."""
    rows: list[dict[str, Any]] = []
    for rm in roadmaps:
        found = _open_measures(rm, as_of)
        named = some_measures.heads(rm, [index for index, _status in found])
        for (_index, status), (mid, owners, title) in zip(found, named, strict=True):
            change = last.get((rm.id, mid))
            if change is None or change.day >= cutoff:
                continue
            rows.append({
                "roadmap": rm.id,
                "measure": mid,
                "title": pick(title, lang),
                "owners": list(owners),
                "status": str(status),
                "last_changed": change.day.isoformat(),
                "days_since_change": (as_of - change.day).days,
                "commit": change.commit,
            })
    rows.sort(key=lambda r: (-r["days_since_change"], r["roadmap"], natural_key(r["measure"])))
    return rows


def _open_measures(roadmap: Roadmap, as_of: date) -> list[tuple[int, Status]]:
    """(index, status as of ``as_of``) of the measures of ``roadmap`` not done or cancelled as
    of that date: of a document rebuilt from the cache, told from its digest's answers (each
    row's status as of the date, :func:`roadmap_cli.tally.digest_answers`) without building
    the measures."""
    found = digest.stored(roadmap)
    if found is None:
        statuses = [schedule.status_as_of(m, as_of) for m in roadmap.measures]
    else:
        answers = tally.digest_answers(found, roadmap, as_of, as_of)
        statuses = [answers[row][0] for row in found.order]
    return [(i, s) for i, s in enumerate(statuses) if s not in schedule.CLOSED]
