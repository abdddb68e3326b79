"""The editing transactions of ``roadmap update`` and ``roadmap apply``: read the files, plan
the edit, splice it in (:mod:`roadmap_cli.edit`), check the result with the rest of the
repository, and write it atomically (:mod:`roadmap_cli.safewrite`). Click-free and silent: the
commands parse options, call :func:`prepare_update` / :func:`roadmap_cli.apply_plan.prepare_apply`
(``roadmap apply`` its two halves, ``plan_apply`` and ``apply_planned``, letting the repository
go between them), print what these return, and call :func:`commit_update` / :func:`roadmap_cli.apply_plan.commit_apply`
unless it is a dry run. The parts both share live here: :class:`Refusal`, reading the files, the
checks of one file (:func:`problems_of`, :func:`alone`, :func:`with_file`).

A result that would leave errors is refused with :class:`Refusal`, which carries the problems
to show (and the candidate text they point into); nothing is written then.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field
from datetime import date
from typing import TYPE_CHECKING, Any

from roadmap_cli.errors import DataError, UsageError
from roadmap_cli.i18n import _, ngettext
from roadmap_cli.record import Record, record

if TYPE_CHECKING:
    from roadmap_cli.edit import Update
    from roadmap_cli.model import Problem
    from roadmap_cli.sources import Sources
    from roadmap_cli.yamlsrc import Parsed

BOM = b"\xef\xbb\xbf"


def bom_of(data: bytes) -> bytes:
    """The UTF-8 byte-order mark ``data`` starts with (kept on writing), else nothing."""
    return BOM if data.startswith(BOM) else b""


class Refusal(DataError):
    """The edit would leave (or meets) errors: ``problems`` to show, located in ``text`` (the
    candidate text of the file ``name``; None: excerpts from the files on disk)."""

    def __init__(self, message: str, problems: Sequence[Problem], name: str | None = None,
                 text: str | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems)
        self.name = name
        self.text = text


def _errors(problems: Sequence[Problem]) -> list[Problem]:
    from roadmap_cli.model import Severity

    return [p for p in problems if p.severity is Severity.ERROR]


# --- the repository with one file changed --------------------------------------------------------


def with_file(sources: Sources, name: str, data: bytes) -> Sources:
    """A copy of ``sources`` in which the roadmap file ``name`` holds ``data`` (added if new)."""
    return with_files(sources, {name: data})


def with_files(sources: Sources, files: Mapping[str, bytes]) -> Sources:
    """A copy of ``sources`` in which each roadmap file of ``files`` holds its bytes (added at
    the end, in order, if new): one pass, whatever the number of files."""
    from roadmap_cli.sources import Sources

    roadmaps = [(n, files.get(n, d)) for n, d in sources.roadmaps]
    known = {n for n, _d in sources.roadmaps}
    roadmaps.extend((n, d) for n, d in files.items() if n not in known)
    return Sources(
        agencies=list(sources.agencies),
        roadmaps=roadmaps,
        problems=list(sources.problems),
        agencies_expected=sources.agencies_expected,
    )


def alone(sources: Sources, name: str, data: bytes) -> Sources:
    """Only the file ``name`` (holding ``data``) with agencies.yaml: cheap to check, and the
    other documents cannot change whether it is valid (except by a duplicate id, which the check
    of the whole repository still catches)."""
    from roadmap_cli.sources import Sources

    return Sources(agencies=list(sources.agencies), roadmaps=[(name, data)],
                   problems=list(sources.problems), agencies_expected=sources.agencies_expected)


def problems_of(sources: Sources, name: str, cache: Any = None, read: Parsed | None = None,
                on_file: Callable[[int, int], None] | None = None) -> list[Problem]:
    """The problems that loading ``sources`` finds in the file ``name`` (``cache``: the
    workspace's cache, whose units give the ids and occurrences of the other files without
    reading them again; or the agencies file checked once for many such loads; ``read``: the
    file's bytes in ``sources`` as :func:`roadmap_cli.yamlsrc.parse` read them already, under
    ``name``: checked, not read again; ``on_file``: see :func:`roadmap_cli.load.problems_in`)."""
    from roadmap_cli.load import problems_in

    return problems_in(sources, name, cache, read=read, on_file=on_file)


class _AgenciesOnce:
    """A cache for :func:`roadmap_cli.load.load_sources` that keeps only the agencies file's
    unit, in memory: apply checks one document after each answered row, with the same
    agencies every time."""

    def __init__(self) -> None:
        self._units: dict[tuple[str, bytes], Any] = {}

    def unit(self, name: str, data: bytes, schema_name: str) -> Any:
        from roadmap_cli import schema

        return self._units.get((name, data)) if schema_name == schema.AGENCIES else None

    def put_unit(self, name: str, data: bytes, schema_name: str, unit: Any) -> None:
        from roadmap_cli import schema

        if schema_name == schema.AGENCIES:
            self._units[(name, data)] = unit

    def meta(self, data: bytes) -> None:
        return None

    def put_meta(self, data: bytes, meta: Any) -> None:
        pass

    def finish(self) -> None:
        pass


def read(paths: Sequence[str]) -> Sources:
    """The files of the roadmap folder(s) ``paths`` (default: roadmaps/), read."""
    from roadmap_cli.load import default_paths
    from roadmap_cli.sources import find_files, read_sources

    return read_sources(find_files(list(paths) or default_paths()))


# --- roadmap update ------------------------------------------------------------------------------


@record
class Prepared(Record):
    """An update, planned and checked, not yet written."""

    name: str  # the file
    label: str  # ROADMAP/MEASURE (or ROADMAP for an event), as the report names it
    old: bytes
    new: bytes
    old_text: str
    new_text: str
    changes: tuple[str, ...]  # one line per change, for people
    warnings: list[Problem] = field(default_factory=list)  # new warnings of the edited file

    @property
    def unchanged(self) -> bool:
        return self.new_text == self.old_text


def prepare_update(paths: Sequence[str], target: str, roadmap_id: str, measure_id: str | None,
                   update: Update, event: str | None = None, on: date | None = None,
                   today: date | None = None, cache: Any = None,
                   on_file: Callable[[int, int], None] | None = None) -> Prepared:
    """Plan and check ``update`` of measure ``measure_id`` of document ``roadmap_id`` (or, with
    ``measure_id`` None, record the date ``on`` of ``event``). ``target`` is the command's
    argument as typed, for messages. Raises :class:`Refusal` (the file has errors, or the
    result would), :class:`UsageError` (no such document, measure or event; a request the
    measure does not allow) or :class:`DataError` (a layout the edit cannot change safely).
    ``cache`` (:func:`roadmap_cli.workspace.open_cache`): the file is checked with what the cache
    knows of the others (in a thousand documents, the edited one is the only one read again).
    ``on_file(done, total)``: called after each file the check of the result reads (a progress
    display: without the cache, the files before the edited one are read for their ids)."""
    from roadmap_cli import edit

    today = today or date.today()
    sources = read(paths)
    name, as_read = find_document(sources, roadmap_id, cache)
    old = dict(sources.roadmaps)[name]
    assert old is not None
    if as_read is None:  # read once: for the ids (parsing never raises), then checked
        from roadmap_cli.yamlsrc import parse

        as_read = parse(old, name)
    data = as_read.data
    if cache is None:  # the two checks below read the registry once
        cache = _AgenciesOnce()
    roadmap_id = document_id(data, roadmap_id)
    bom = bom_of(old)
    old_text = old[len(bom):].decode("utf-8", errors="replace")  # strict once checked below

    before = problems_of(alone(sources, name, old), name, cache, as_read)
    errors = _errors(before)
    if errors:
        raise Refusal(ngettext(
            "roadmap: {name} has {n} error(s) already; fix them (see `roadmap validate`) before "
            "updating it; nothing was written",
            "roadmap: {name} has {n} error(s) already; fix them (see `roadmap validate`) before "
            "updating it; nothing was written", len(errors)).format(name=name, n=len(errors)),
            before, name, old_text)
    old_text = old[len(bom):].decode("utf-8")  # a file that is not UTF-8 was refused above
    if measure_id is not None:  # an event edits the document, not a measure
        measure_id = _measure_id(data, roadmap_id, measure_id)

    try:
        if measure_id is None:
            from roadmap_cli.edit_signed import record_event

            assert event is not None
            result = record_event(old_text, event, on or today, today)
        else:
            # the document as read above (the same bytes): not parsed a second time
            result = edit.update_measure(old_text, measure_id, update, today, data, name)
    except edit.UnsafeEdit as e:
        raise DataError(_("roadmap: {file}: {problem}; nothing was written").format(
            file=name, problem=e)) from None
    except edit.EditError as e:
        raise UsageError("roadmap: update {target}: {problem}".format(
            target=target, problem=e)) from None

    label = roadmap_id if measure_id is None else "{roadmap}/{measure}".format(
        roadmap=roadmap_id, measure=measure_id)
    new = bom + result.text.encode("utf-8")
    if result.text == old_text:
        return Prepared(name, label, old, old, old_text, old_text, ())
    # the edit as read back to verify it is the file checked (the same bytes without a BOM)
    after = problems_of(with_file(sources, name, new), name, cache, None if bom else result.parsed,
                        on_file)
    errors = _errors(after)
    if errors:
        raise Refusal(ngettext(
            "roadmap: refusing the update: it would leave {n} error(s) in {name}; nothing was "
            "written",
            "roadmap: refusing the update: it would leave {n} error(s) in {name}; nothing was "
            "written", len(errors)).format(name=name, n=len(errors)), after, name, result.text)
    return Prepared(name, label, old, new, old_text, result.text, result.changes,
                    new_warnings(before, after))


def new_warnings(before: Sequence[Problem], after: Sequence[Problem]) -> list[Problem]:
    """The problems of ``after`` that ``before`` did not have (by rule and message)."""
    known = {(p.rule, p.message) for p in before}
    return [p for p in after if (p.rule, p.message) not in known]


def commit_update(prepared: Prepared) -> None:
    """Write the update (atomically; refused with exit 3 when the file changed since it was
    read, is locked or read-only)."""
    from roadmap_cli import safewrite

    if not prepared.unchanged:
        safewrite.replace_file(prepared.name, prepared.old, prepared.new)


def document_id(doc: Any, typed: str) -> str:
    """The id of the document whose file reads as ``doc`` (``typed`` when it has none)."""
    rid = doc.get("id") if isinstance(doc, dict) else None
    return rid if isinstance(rid, str) else typed


def _measure_id(doc: Any, roadmap_id: str, typed: str) -> str:
    """The measure id ``typed`` names in a valid document file read as ``doc`` (any case),
    else a usage error."""
    from roadmap_cli import resolve

    measures = doc.get("measures") if isinstance(doc, dict) else None
    ids = [m["id"] for m in measures or () if isinstance(m, dict) and isinstance(m.get("id"), str)]
    try:
        return resolve.measure(typed, ids, roadmap_id)
    except resolve.NotFound as e:
        raise UsageError("roadmap: update {roadmap}/{measure}: {problem}".format(
            roadmap=roadmap_id, measure=typed, problem=e)) from None


def find_document(sources: Sources, roadmap_id: str, cache: Any = None) -> tuple[str, Parsed | None]:
    """The file holding the document ``roadmap_id``: by its ``id``, else (a file too broken to
    read its id) by its name; with the file as :func:`roadmap_cli.yamlsrc.parse` read it, when
    it was read to find it (None when not). ``cache``: the id of each file (the one named after
    the document first, then, for the start of an id or an id in another case, every file) comes
    from what the cache knows of its bytes (:func:`roadmap_cli.load.known_meta`), not from a
    parse; a file it does not know is parsed, once (the update checks that reading)."""
    from roadmap_cli.load import known_meta
    from roadmap_cli.yamlsrc import parse

    named = [(n, d) for n, d in sources.roadmaps if os.path.basename(n) == f"{roadmap_id}.yaml"]
    for name, data in named:  # the usual case: the file is named after the id
        if data is None:
            continue
        known = known_meta(name, data, cache)
        if known is not None:
            if known[1] == roadmap_id:
                return name, None
            continue
        as_read = parse(data, name)
        if isinstance(as_read.data, dict) and as_read.data.get("id") == roadmap_id:
            return name, as_read
    ids = []
    for name, data in sources.roadmaps:  # another name, the start of an id, a typo: every id
        if data is None:
            continue
        known = known_meta(name, data, cache)
        read: Parsed | None = None
        if known is not None:
            rid = known[1]
        else:
            read = parse(data, name)
            rid = read.data.get("id") if isinstance(read.data, dict) else None
        if rid == roadmap_id:
            return name, read
        if isinstance(rid, str):
            ids.append(rid)
    for name, data in sources.roadmaps:
        if os.path.basename(name) in (f"{roadmap_id}.yaml", f"{roadmap_id}.yml"):
            if data is None:
                raise UsageError(_("roadmap: {file}: the file cannot be read").format(file=name))
            return name, None
    from roadmap_cli import resolve

    try:
        found = resolve.document(roadmap_id, ids)  # in another case, or the start of an id
    except resolve.NotFound as e:
        raise UsageError("roadmap: {problem}".format(problem=e)) from None
    return find_document(sources, found, cache)
