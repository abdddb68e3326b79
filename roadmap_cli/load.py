"""Files -> model + problems: find the files, read them, check them, build the model.

No printing and no exit: the result is a :class:`~roadmap_cli.model.Repository` whose ``problems``
the CLI renders. Only finding and reading the files touches the file system
(:mod:`roadmap_cli.sources`: :func:`find_files`, :func:`read_sources`);
:func:`load_sources` works on bytes, so git revisions load through the same path.
The model objects are built from checked data by :mod:`roadmap_cli.build_model`.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from roadmap_cli import rules_today
from roadmap_cli.build_model import build_agencies as build_agencies
from roadmap_cli.build_model import build_measure as build_measure
from roadmap_cli.build_model import build_roadmap as build_roadmap
from roadmap_cli.i18n import _
from roadmap_cli.limits import AGENCIES_SCHEMA, MAX_LOAD_OCCURRENCES, ROADMAP_SCHEMA
from roadmap_cli.model import (
    Agency,
    Problem,
    Repository,
    Roadmap,
    Severity,
    unbuilt_measures,
)
from roadmap_cli.record import Record, record
from roadmap_cli.sources import AGENCIES_FILE, Sources, find_files, read_sources
from roadmap_cli.sources import RULE_IDS as sources_rule_ids
from roadmap_cli.workspace import DEFAULT_DIR as DEFAULT_DIR
from roadmap_cli.workspace import default_paths as default_paths

if TYPE_CHECKING:  # the warm path imports no reader (the cache holds what they made)
    from roadmap_cli.yamlsrc import Parsed

#: the rule ids a load reports and their severity (docs/rules.md describes each): those of
#: finding and reading the files, and a folder without its registry
RULE_IDS = {**sources_rule_ids, "agencies-missing": "error"}


def load_paths(
    paths: Sequence[str],
    cache: Any = None,
    today: date | None = None,
    on_file: Callable[[int, int], None] | None = None,
) -> Repository:
    """Load a roadmap repository from folders and files (``workspace.load`` is the CLI's entry
    point: it opens the cache too)."""
    return load_sources(read_sources(find_files(paths or default_paths())), cache, today, on_file)


def load_sources(
    sources: Sources,
    cache: Any = None,
    today: date | None = None,
    on_file: Callable[[int, int], None] | None = None,
) -> Repository:
    """Check and build everything in ``sources`` (bytes already read).

    With ``cache`` (a :class:`roadmap_cli.cache.Cache`), each file checked before from the same
    bytes in the same context (:class:`Unit`) is reused; the result is the same with or without
    it. The garbage collector is paused while loading: the loaded values hold no reference
    cycles, and collecting while millions of them are created costs a third of the time. The
    rules that depend on the date (a completion after ``today``, default: the local date) run
    after the load, cached or not. ``on_file(done, total)`` is called after each file is read
    and checked (a progress display).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        repo, unbuilt = _load(sources, cache, on_file)
        if cache is not None:
            cache.finish()
    finally:
        if enabled:
            gc.enable()
    today = today if today is not None else date.today()
    dated = _dated(unbuilt, today, [r for r in repo.roadmaps if _may_be_dated(r, today)])
    if dated:
        repo.problems = sorted([*repo.problems, *dated])
    return repo


def _may_be_dated(roadmap: Roadmap, today: date) -> bool:
    """False when a document can hold no problem of the dated rules (rules_today) without
    building its measures: kept by the cache, with no ``completed`` after ``today`` and no
    dated events (a document built otherwise is always checked)."""
    stored = unbuilt_measures(roadmap)
    if stored is None or roadmap.events:
        return True
    latest = stored.latest
    return latest is not None and latest > today


def parse_checked(data: bytes, name: str, schema_name: str, read: Parsed | None = None) -> Parsed:
    """One file read and checked against its schema; ``read``: ``data`` as
    :func:`roadmap_cli.yamlsrc.parse` read it under ``name`` already (``roadmap update`` read
    the file, and its edit, for their ids and to verify the edit): checked, not read again.

    Key positions (they locate unknown keys for the schema check) and the decoded text serve
    only the reading and the check; they are let go here, as no later stage reads them: on
    100,000 measures they would hold a fifth of the memory.
    """
    if read is None or read.file != name:
        from roadmap_cli.yamlsrc import parse

        read = parse(data, name)
    parsed = _check(read, schema_name)
    parsed.key_positions = {}
    parsed.text = ""
    return parsed


@dataclass
class Unit:
    """One file read, checked and built: what the cache keeps per file (keyed by its name and
    bytes). ``context`` is what the rules that look across files saw when it was checked
    (:func:`_context`); a unit checked in another context is checked again.

    ``doc``: the file holds a mapping (rules run on it); ``id``: its document id, if a string;
    ``occurrences``: what it adds to the load's count of occurrences; ``problems``: every
    problem of the file; ``roadmap``: the model, when the document is valid and rule-clean;
    ``agencies``: for agencies.yaml, its agencies (None when it is not valid); ``dated``: for
    a document not built (it has errors), its dated values (:func:`rules_today.dated_facts`),
    so that the rules of today's date report on it too.
    """

    context: Any
    problems: list[Problem]
    doc: bool = False
    id: str | None = None
    occurrences: int = 0
    roadmap: Roadmap | None = None
    agencies: list[Agency] | None = None
    dated: tuple[rules_today.DatedFact, ...] = ()


def problems_in(
    sources: Sources, name: str, cache: Any = None, today: date | None = None,
    read: Parsed | None = None, on_file: Callable[[int, int], None] | None = None,
) -> list[Problem]:
    """The problems a load of ``sources`` finds in the roadmap file ``name`` (as
    ``load_sources(sources, cache, today)``'s of that file), checking that file alone: of the
    files before it only what the rules that look across files need (its document id, the
    occurrences it adds) is taken, from the cache when it holds them; the files after it are
    not read. ``roadmap update`` checks its result so in a repository of a thousand files. The
    cache is read, and the file's unit (and the small entries of the files before it,
    :func:`meta_of`) written, but never pruned here. ``read``: the file's bytes as read already
    (:func:`parse_checked`). ``on_file(done, total)``: called after each file is read (a
    progress display; the files after it are not counted)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        repo, unbuilt = _load(sources, cache, on_file, only=name, read=read)
    finally:
        if enabled:
            gc.enable()
    dated = _dated(unbuilt, today if today is not None else date.today(), repo.roadmaps)
    return sorted(p for p in [*repo.problems, *dated] if p.file == name)


def _load(
    sources: Sources, cache: Any = None, on_file: Callable[[int, int], None] | None = None,
    only: str | None = None, read: Parsed | None = None,
) -> tuple[Repository, list[tuple[str, tuple[rules_today.DatedFact, ...]]]]:
    """The load, and the dated values of the documents not built (:func:`_dated`); with ``only`` (:func:`problems_in`), the documents before that file are read
    for their id and occurrences alone, and those after it not at all (``read``: that file's
    bytes as read already)."""
    repo = Repository(problems=list(sources.problems))
    read_files = [name for name, data in (*sources.agencies, *sources.roadmaps) if data is not None]
    total = len(read_files) if only not in read_files else read_files.index(only) + 1
    done = 0
    agency_ids: set[str] | None = None
    if not sources.agencies:
        repo.problems.append(
            Problem(sources.agencies_expected, 1, 1, Severity.ERROR, "agencies-missing",
                    _("no {file} found: every roadmap folder needs its registry of agencies").format(
                        file=AGENCIES_FILE
                    ))
        )
    elif all(data is None for _name, data in sources.agencies) and not any(
        p.severity is Severity.ERROR for p in sources.problems
        if p.file in {name for name, _data in sources.agencies}
    ):  # skipped (a named pipe, a socket...): no registry, which is an error as when missing
        repo.problems.append(
            Problem(sources.agencies[0][0], 1, 1, Severity.ERROR, "agencies-missing",
                    _("{file} is not a file that can be read: every roadmap folder needs its "
                      "registry of agencies").format(file=AGENCIES_FILE))
        )
    else:
        agency_ids = set()
        for name, data in sources.agencies:
            if data is None:
                agency_ids = None
                continue
            unit = cache.unit(name, data, AGENCIES_SCHEMA) if cache is not None else None
            if unit is None or unit.context != "agencies":
                unit = _agencies_unit(parse_checked(data, name, AGENCIES_SCHEMA))
                if cache is not None:
                    cache.put_unit(name, data, AGENCIES_SCHEMA, unit)
            done += 1
            if on_file is not None:
                on_file(done, total)
            repo.problems.extend(unit.problems)
            if unit.agencies is None:
                agency_ids = None
                continue
            for agency in unit.agencies:
                repo.agencies.setdefault(agency.id, agency)
            if agency_ids is not None:
                agency_ids.update(repo.agencies)
    # one file at a time, in order: the context a document is checked in depends only on the
    # files before it, so no more than one file's values and positions are held at once
    agencies_key = None if agency_ids is None else tuple(sorted(agency_ids))
    first_file: dict[str, str] = {}
    occurrences = 0
    unbuilt: list[tuple[str, tuple[rules_today.DatedFact, ...]]] = []
    for name, data in sources.roadmaps:
        if data is None:
            continue
        if only is not None and name != only:
            doc, rid, count = meta_of(name, data, cache)
            if doc and rid is not None:
                first_file.setdefault(rid, name)
            occurrences += count
            done += 1
            if on_file is not None:
                on_file(done, total)
            continue
        unit = cache.unit(name, data, ROADMAP_SCHEMA) if cache is not None else None
        unit, count = _document(name, data, cache, unit, first_file, agencies_key, agency_ids, occurrences,
                                read if name == only else None)
        occurrences += count
        done += 1
        if on_file is not None:
            on_file(done, total)
        repo.problems.extend(unit.problems)
        if unit.roadmap is not None:
            repo.roadmaps.append(unit.roadmap)
        elif unit.dated:
            unbuilt.append((name, unit.dated))
        if name == only:
            break  # the files after it cannot change its problems
    repo.problems = _superseded(repo.problems)
    repo.problems.sort()
    return repo, unbuilt


def _dated(
    unbuilt: list[tuple[str, tuple[rules_today.DatedFact, ...]]], today: date,
    roadmaps: Sequence[Roadmap],
) -> list[Problem]:
    """The problems of the rules of today's date: of the documents built (``roadmaps``, those
    that may hold one) and of those that have errors (``unbuilt``: their facts)."""
    found = rules_today.dated_problems(roadmaps, today)
    for name, facts in unbuilt:
        found += rules_today.fact_problems(name, facts, today)
    return found


def _document(
    name: str, data: bytes, cache: Any, unit: Unit | None, first_file: dict[str, str],
    agencies_key: tuple[str, ...] | None, agency_ids: set[str] | None, occurrences: int,
    read: Parsed | None = None,
) -> tuple[Unit, int]:
    """One roadmap file checked in its context (the files before it): its ``unit`` from the
    cache when that was checked in the same context, else checked now (and put in the cache);
    with the occurrences it adds. Records its document id in ``first_file``. ``read``: see
    :func:`parse_checked`."""
    parsed = None
    clean_limits = False
    if unit is not None:
        doc, rid, count = unit.doc, unit.id, unit.occurrences
    else:
        parsed = parse_checked(data, name, ROADMAP_SCHEMA, read)
        doc, rid, count, clean_limits = _meta(parsed)
    if doc and rid is not None:
        first_file.setdefault(rid, name)
    context = _context(doc, name, rid, first_file, agencies_key, occurrences, count)
    if unit is None or unit.context != context:
        if parsed is None:
            parsed = parse_checked(data, name, ROADMAP_SCHEMA, read)
            clean_limits = False
        unit = _document_unit(parsed, context, agency_ids, first_file, occurrences,
                              count if clean_limits and context[2] is None else None)
        form = cache.put_unit(name, data, ROADMAP_SCHEMA, unit) if cache is not None else None
        if form is not None and unit.roadmap is not None:
            # the document kept as the next run reads it from the cache, its measures stored
            # (built when read): a first run of 1,000 documents of 100 measures held 100,000
            # built measures, 60 to 100 MB more at its peak, for the same time (the entry was
            # encoded anyway)
            from roadmap_cli.stored import stored_roadmap

            unit.roadmap = stored_roadmap(form, name)
    return unit, count


def meta_of(name: str, data: bytes, cache: Any) -> tuple[bool, str | None, int]:
    """What the rules that look across files need of a file before the one checked alone
    (:func:`problems_in`; ``history`` reads the ids so): whether it is a document, its id and
    the occurrences it adds. They depend on its bytes alone, so they come from the cache's
    small entry for them, else from the file's unit (a load wrote it), else from a parse
    (without the schema check: that is the edited file's work, not this one's), kept there."""
    found = known_meta(name, data, cache)
    if found is not None:
        return found
    from roadmap_cli.yamlsrc import parse

    # (the schema check adds problems only: the data, the id and the count are the parse's)
    doc, rid, count, _clean = _meta(parse(data, name))
    if cache is not None:
        cache.put_meta(data, (doc, rid, count))
    return doc, rid, count


def known_meta(name: str, data: bytes, cache: Any) -> tuple[bool, str | None, int] | None:
    """:func:`meta_of` of a file the cache knows (its small entry, else its unit), else None:
    nothing is parsed."""
    if cache is None:
        return None
    found: tuple[bool, str | None, int] | None = cache.meta(data)
    if found is not None:
        return found
    head = cache.unit(name, data, ROADMAP_SCHEMA)
    if head is None:
        return None
    meta = (head.doc, head.id, head.occurrences)
    cache.put_meta(data, meta)
    return meta


def _meta(parsed: Any) -> tuple[bool, str | None, int, bool]:
    """(is a mapping, its document id, the occurrences it adds to the load's count, whether its
    occurrences alone break no limit) of a file just parsed; the count as the occurrence-limit
    rule counts it (rules.too_many_occurrences)."""
    from roadmap_cli import rules

    if not isinstance(parsed.data, dict):
        return False, None, 0, False
    rid = parsed.data.get("id")
    ctx = rules.Context(agency_ids=None)
    clean = not rules.occurrence_limits(parsed, ctx)
    return True, rid if isinstance(rid, str) else None, ctx.occurrences, clean


def _context(
    doc: bool, name: str, rid: str | None, first_file: Mapping[str, str],
    agencies_key: tuple[str, ...] | None, before: int, count: int,
) -> Any:
    """What the rules that look across files see of the others when they check ``name``: the
    agency ids, the file that first holds its document id (when another one does), and the
    occurrences counted before it (only when its own cross the load's limit)."""
    if not doc:
        return "not a document"
    first = first_file.get(rid) if rid is not None else None
    crossing = before if before <= MAX_LOAD_OCCURRENCES < before + count else None
    return (agencies_key, first if first != name else None, crossing)


def _document_unit(
    parsed: Parsed, context: Any, agency_ids: set[str] | None, first_file: Mapping[str, str],
    before: int, counted: int | None = None,
) -> Unit:
    """Check one parsed document in its context (the rules, the occurrence limits) and build
    its model when it is valid and rule-clean. ``counted``: its occurrences, when :func:`_meta`
    found them within every limit and the load's count does not cross its limit here: the
    occurrence limits then find nothing, and are not counted again."""
    from roadmap_cli import rules

    if not isinstance(parsed.data, dict):
        return Unit(context, list(parsed.problems))
    rid = parsed.data.get("id")
    ctx = rules.Context(agency_ids=agency_ids, occurrences=before)
    if isinstance(rid, str):
        first = first_file.get(rid)
        ctx._first_by_id = {rid: parsed if first in (None, parsed.file) else _Elsewhere(first)}  # type: ignore[dict-item]
    else:
        ctx._first_by_id = {}
    valid = parsed.ok
    found = rules.run(parsed, ctx, valid=valid)
    if counted is None:
        found += rules.occurrence_limits(parsed, ctx)  # before any report lists occurrences
    else:
        ctx.occurrences += counted
    roadmap = None
    if valid and not any(p.severity is Severity.ERROR for p in found):
        # the data as written as compressed marshal bytes until asked for (a fraction of the
        # memory of the values: model.lean), the few positions read after the load likewise
        # (build_roadmap): reports read neither
        roadmap = build_roadmap(parsed, lean=True)
    return Unit(
        context, [*parsed.problems, *found], doc=True, id=rid if isinstance(rid, str) else None,
        occurrences=ctx.occurrences - before, roadmap=roadmap,
        dated=rules_today.dated_facts(parsed) if roadmap is None else (),
    )


@record
class _Elsewhere(Record):
    """The other file that first holds a document id (all the duplicate-id rule reads of it)."""

    file: str


def _agencies_unit(parsed: Parsed) -> Unit:
    from roadmap_cli import rules

    if not isinstance(parsed.data, dict):
        return Unit("agencies", list(parsed.problems))
    # (best effort on a registry the schema rejects, as on a document: one pass lists the
    # unknown parents and twice-defined ids beside a schema error, not one after the other)
    found = rules.run(parsed, rules.Context(agency_ids=None), scope="agencies", valid=parsed.ok)
    if not parsed.ok:
        return Unit("agencies", [*parsed.problems, *found])
    return Unit("agencies", [*parsed.problems, *found], agencies=list(build_agencies(parsed.data)))


def _superseded(problems: list[Problem]) -> list[Problem]:
    """Drop a schema pattern (or type) error where a rule says more about the same value
    (`2026-Q5`, `within: 6 months`, `31.12.2026`)."""
    precise = {(p.file, p.line, p.column): p.rule for p in problems if p.rule in _PRECISE}
    if not precise:
        return problems
    return [
        p
        for p in problems
        if p.rule not in _PRECISE.get(precise.get((p.file, p.line, p.column), ""), ())
    ]


#: rules that say more about a value than the schema's complaint at the same place
_PRECISE = {
    "impossible-date": ("schema-pattern",),
    "date-format": ("schema-pattern",),
    "within-form": ("schema-pattern", "schema-type"),
}


def _check(parsed: Parsed, schema_name: str) -> Parsed:
    if parsed.problems and isinstance(parsed.data, dict):  # (a syntax error names it already)
        from roadmap_cli.explain import name_by_position

        parsed.problems = name_by_position(parsed.problems, parsed.data, parsed.positions, parsed.plain_text)
    if parsed.data is not None and not any(p.severity is Severity.ERROR for p in parsed.problems):
        if not isinstance(parsed.data, dict):
            parsed.problems.append(
                Problem(parsed.file, 1, 1, Severity.ERROR, "schema-type",
                        _("the document must be a mapping of keys, not {what}").format(
                            what=_what(parsed.data)
                        ))
            )
        else:
            from roadmap_cli import schema

            parsed.problems.extend(schema.check(parsed, schema_name))
    return parsed


def _what(value: Any) -> str:
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        return _("a single string")
    return _("a single value ({value})").format(value=repr(value))
