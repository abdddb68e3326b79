"""The editing transactions of ``roadmap update`` and ``roadmap apply``: read the files, plan
the edit, splice it in (:mod:`roadmap_cli.edit`), check the result with the rest of the
repository, and write it atomically (:mod:`roadmap_cli.safewrite`). Click-free and silent: the
commands parse options, call :func:`prepare_update` / :func:`prepare_apply`, print what these
return, and call :func:`commit_update` / :func:`commit_apply` unless it is a dry run.

A result that would leave errors is refused with :class:`Refusal`, which carries the problems
to show (and the candidate text they point into); nothing is written then.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from roadmap_cli.errors import DataError, UsageError
from roadmap_cli.i18n import _, ngettext

if TYPE_CHECKING:
    from roadmap_cli.answers import RowPlan
    from roadmap_cli.cycle import SheetProblem
    from roadmap_cli.edit import Update
    from roadmap_cli.load import Sources
    from roadmap_cli.model import Problem, Repository

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
    from roadmap_cli.load import Sources

    roadmaps = [(n, data if n == name else d) for n, d in sources.roadmaps]
    if not any(n == name for n, _d in roadmaps):
        roadmaps.append((name, data))
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
    from roadmap_cli.load import Sources

    return Sources(agencies=list(sources.agencies), roadmaps=[(name, data)],
                   problems=list(sources.problems), agencies_expected=sources.agencies_expected)


def problems_of(sources: Sources, name: str, cache: Any = None) -> list[Problem]:
    """The problems that loading ``sources`` finds in the file ``name`` (``cache``: the
    workspace's cache, whose units give the ids and occurrences of the other files without
    reading them again; or the agencies file checked once for many such loads)."""
    from roadmap_cli.load import problems_in

    return problems_in(sources, name, cache)


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
    from roadmap_cli.load import default_paths, find_files, read_sources

    return read_sources(find_files(list(paths) or default_paths()))


# --- roadmap update ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
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
                   today: date | None = None, cache: Any = None) -> Prepared:
    """Plan and check ``update`` of measure ``measure_id`` of document ``roadmap_id`` (or, with
    ``measure_id`` None, record the date ``on`` of ``event``). ``target`` is the command's
    argument as typed, for messages. Raises :class:`Refusal` (the file has errors, or the
    result would), :class:`UsageError` (no such document, measure or event; a request the
    measure does not allow) or :class:`DataError` (a layout the edit cannot change safely).
    ``cache`` (:func:`roadmap_cli.workspace.open_cache`): the file is checked with what the cache
    knows of the others (in a thousand documents, the edited one is the only one read again)."""
    from roadmap_cli import edit

    today = today or date.today()
    sources = read(paths)
    name = find_document(sources, roadmap_id)
    old = dict(sources.roadmaps)[name]
    assert old is not None
    from roadmap_cli.yamlsrc import parse

    data = parse(old, name).data  # read once for the ids (parsing never raises)
    roadmap_id = document_id(data, roadmap_id)
    bom = bom_of(old)
    old_text = old[len(bom):].decode("utf-8", errors="replace")  # strict once checked below

    before = problems_of(alone(sources, name, old), name, cache)
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
            result = edit.update_measure(old_text, measure_id, update, today)
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
    after = problems_of(with_file(sources, name, new), name, cache)
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


def find_document(sources: Sources, roadmap_id: str) -> str:
    """The file holding the document ``roadmap_id``: by its ``id``, else (a file too broken to
    read its id) by its name."""
    from roadmap_cli.yamlsrc import parse

    def read_id(name: str, data: bytes) -> object:
        doc = parse(data, name).data
        return doc.get("id") if isinstance(doc, dict) else None

    named = [(n, d) for n, d in sources.roadmaps if os.path.basename(n) == f"{roadmap_id}.yaml"]
    for name, data in named:  # the usual case: the file is named after the id
        if data is not None and read_id(name, data) == roadmap_id:
            return name
    ids = []
    for name, data in sources.roadmaps:
        if data is None:
            continue
        doc = parse(data, name).data
        rid = doc.get("id") if isinstance(doc, dict) else None
        if rid == roadmap_id:
            return name
        if isinstance(rid, str):
            ids.append(rid)
    for name, data in sources.roadmaps:
        if os.path.basename(name) in (f"{roadmap_id}.yaml", f"{roadmap_id}.yml"):
            if data is None:
                raise UsageError(_("roadmap: {file}: the file cannot be read").format(file=name))
            return name
    from roadmap_cli import resolve

    try:
        found = resolve.document(roadmap_id, ids)  # in another case, or the start of an id
    except resolve.NotFound as e:
        raise UsageError("roadmap: {problem}".format(problem=e)) from None
    return find_document(sources, found)


# --- roadmap apply -------------------------------------------------------------------------------


@dataclass
class Applied:
    """The answered rows of the workbooks, planned and applied in memory, not yet written."""

    plans: list[RowPlan]
    problems: list[SheetProblem]  # of the files, then of the rows
    changes: dict[int, list[str]]  # plan number -> its change lines
    originals: dict[str, str]  # file -> its text before
    changed: dict[str, str]  # file -> its new text (only files that change)
    raw: dict[str, bytes]  # file -> its bytes as read


def prepare_apply(sources: Sources, repo: Repository, files: Sequence[str],
                  on: date | None, today: date | None = None, cache: Any = None) -> Applied:
    """Apply the answered rows of ``files`` (workbooks or their CSV form) to the texts of the
    valid repository ``repo`` (read as ``sources``), in memory. A row with a problem or a
    conflict is left out; the whole result is checked together (:class:`Refusal` on errors),
    with ``cache`` (:func:`roadmap_cli.workspace.open_cache`: the files the rows leave as they
    are are not read again)."""
    from roadmap_cli import answers, sheets

    today = today or date.today()
    measures = {(rm.id, m.id): (rm, m) for rm in repo.roadmaps for m in rm.measures}
    files_of = {rm.id: rm.file for rm in repo.roadmaps}

    problems: list[SheetProblem] = []
    plans: list[RowPlan] = []
    for name in dict.fromkeys(files):
        table = sheets.read_table(name)
        problems.extend(table.problems)
        if table.problems:  # a file not read as it was sent is refused whole
            continue
        for cells in table.rows:
            plan = answers.plan_row(name, cells, measures, on)
            if plan is not None:
                plans.append(plan)

    raw = {name: data for name, data in sources.roadmaps if data is not None}
    texts = {name: data[len(bom_of(data)):].decode("utf-8") for name, data in raw.items()}
    originals = dict(texts)
    changes: dict[int, list[str]] = {}
    split: dict[str, _Blocks | None] = {}  # a document's text in measure blocks, once per file
    once = _AgenciesOnce()
    for n, plan in enumerate(plans):
        if not plan.ok:
            continue
        doc = files_of[plan.roadmap]
        if doc not in split:
            split[doc] = _Blocks.of(texts[doc])
        blocks = split[doc]
        fast = None if blocks is None else _edit_block(plan, doc, blocks, sources, raw, today, once)
        if fast is not None:
            changes[n] = fast
            continue
        # the whole text, as the edit and the check always did
        text = texts[doc] if blocks is None else blocks.text()
        result = _edit_row(plan, doc, text, sources, today)
        if isinstance(result, str):
            texts[doc] = text
            _refuse_row(plan, result)
            continue
        if result[0] != text:
            split[doc] = _Blocks.of(result[0])
        texts[doc] = result[0]
        changes[n] = result[1]
    for doc, blocks in split.items():
        if blocks is not None:
            texts[doc] = blocks.text()

    changed = {name: text for name, text in texts.items() if text != originals[name]}
    _check_whole(sources, changed, cache)
    for plan in plans:
        problems.extend(plan.problems)
    return Applied(plans, problems, changes, originals, changed, raw)


def commit_apply(applied: Applied) -> None:
    """Write every changed file (atomically, one after the other)."""
    from roadmap_cli import safewrite

    for name, text in applied.changed.items():
        old = applied.raw[name]
        safewrite.replace_file(name, old, bom_of(old) + text.encode("utf-8"))


def _refuse_row(plan: RowPlan, message: str) -> None:
    from roadmap_cli.answers import for_people, where_of
    from roadmap_cli.cycle import SheetProblem

    plan.problems.append(SheetProblem(plan.file, where_of(plan), for_people(message), "apply-refused"))


def _edit_row(plan: RowPlan, name: str, text: str, sources: Sources,
              today: date) -> tuple[str, list[str]] | str:
    """The document's text with the row applied and the change lines, or why it cannot be."""
    from roadmap_cli import edit

    assert plan.update is not None
    try:
        result = edit.update_measure(text, plan.measure, plan.update, today)
    except edit.EditError as e:
        return str(e)
    if result.text == text:
        return result.text, []
    raw = dict(sources.roadmaps)[name] or b""
    errors = _errors(problems_of(alone(sources, name, bom_of(raw) + result.text.encode("utf-8")),
                                 name))
    if errors:
        return _("the answer would make {file} invalid: {message} [{rule}]").format(
            file=name, message=errors[0].message, rule=errors[0].rule)
    return result.text, list(result.changes)


@dataclass
class _Blocks:
    """A document's text cut at its measures: the text before the first measure, each measure's
    item of the block sequence ``measures:`` (from its ``- `` line to the next one's), the text
    after the last. ``ids``: each item's ``id`` as written (None: not a plain string);
    ``deps``: the ids each item's ``depends_on`` names."""

    head: str
    items: list[str]
    tail: str
    ids: list[str | None]
    deps: list[list[str]]

    def text(self) -> str:
        return self.head + "".join(self.items) + self.tail

    def around(self, index: int) -> tuple[str, str]:
        """The text before and after the measure ``index`` in the document with only that
        measure and the measures it depends on, directly or not (in their order)."""
        at: dict[str | None, int] = {}
        for i, mid in enumerate(self.ids):
            at.setdefault(mid, i)
        keep, todo = {index}, [index]
        while todo:
            for dep in self.deps[todo.pop()]:
                i = at.get(dep, index)
                if i not in keep:
                    keep.add(i)
                    todo.append(i)
        before = self.head + "".join(self.items[i] for i in sorted(keep) if i < index)
        after = "".join(self.items[i] for i in sorted(keep) if i > index) + self.tail
        return before, after

    @classmethod
    def of(cls, text: str) -> _Blocks | None:
        """``text`` cut, or None where the cut might not keep its meaning: anchors or aliases
        (one measure's data may then live in another's text), a flow or unusual layout."""
        import yaml

        from roadmap_cli.splice import LOADER as loader
        try:
            if "&" in text or "*" in text:  # perhaps an anchor or an alias
                for event in yaml.parse(text, Loader=loader):
                    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                        return None
            root = yaml.compose(text, Loader=loader)
        except yaml.YAMLError:
            return None
        if not isinstance(root, yaml.MappingNode) or not text.endswith("\n"):
            return None
        seqs = [v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "measures"]
        if len(seqs) != 1 or not isinstance(seqs[0], yaml.SequenceNode) or seqs[0].flow_style:
            return None
        seq = seqs[0]
        if not seq.value or seq.end_mark.column != 0:
            return None
        lines = text.splitlines(keepends=True)
        if "".join(lines) != text or any(line[-1:] not in ("\n",) for line in lines):
            return None  # a \r or another line break: YAML's lines and ours may differ
        starts, ids, deps = [], [], []
        for item in seq.value:
            line, column = item.start_mark.line, item.start_mark.column
            if not isinstance(item, yaml.MappingNode) or item.flow_style:
                return None
            if not _DASH.fullmatch(lines[line][:column]):
                return None
            starts.append(line)
            found = [v for k, v in item.value if isinstance(k, yaml.ScalarNode) and k.value == "id"]
            ids.append(found[0].value if len(found) == 1 and isinstance(found[0], yaml.ScalarNode)
                       else None)
            deps.append([d.value for k, v in item.value if isinstance(k, yaml.ScalarNode)
                         and k.value == "depends_on" and isinstance(v, yaml.SequenceNode)
                         for d in v.value if isinstance(d, yaml.ScalarNode)])
        end = seq.end_mark.line
        bounds = [*starts, end]
        if any(a >= b for a, b in pairwise(bounds)):
            return None
        items = ["".join(lines[a:b]) for a, b in pairwise(bounds)]
        return cls("".join(lines[:starts[0]]), items, "".join(lines[end:]), ids, deps)


_DASH = re.compile(r" *- +")


def _edit_block(plan: RowPlan, name: str, blocks: _Blocks, sources: Sources,
                raw: dict[str, bytes], today: date,
                once: _AgenciesOnce) -> list[str] | None:
    """:func:`_edit_row` on the document with the row's measure and those it depends on alone
    (the others cannot change how that measure is edited, nor, unless there are errors, whether
    the result is valid: an answer changes no id or dependency): cheap in a long document. The
    change is kept in ``blocks``; returns its change lines, or None (do it on the whole text,
    which says which error and whether it is one) for anything but a valid edit."""
    from roadmap_cli import edit

    assert plan.update is not None
    found = [i for i, mid in enumerate(blocks.ids) if mid == plan.measure]
    if len(found) != 1:
        return None
    index = found[0]
    head, tail = blocks.around(index)
    text = head + blocks.items[index] + tail
    try:
        result = edit.update_measure(text, plan.measure, plan.update, today)
    except edit.EditError:
        return None
    if result.text == text:
        return []
    new = result.text
    if not (new.startswith(head) and new.endswith(tail)) or len(new) < len(head) + len(tail):
        return None
    item = new[len(head):len(new) - len(tail)]
    if _errors(problems_of(alone(sources, name, bom_of(raw.get(name, b"")) + new.encode("utf-8")),
                           name, once)):
        return None
    blocks.items[index] = item
    return list(result.changes)


def _check_whole(sources: Sources, changed: dict[str, str], cache: Any = None) -> None:
    """The repository with every change, checked together (a duplicate id across files, ...);
    :class:`Refusal` with its errors."""
    if not changed:
        return
    from roadmap_cli.load import load_sources

    candidate = sources
    for name, text in changed.items():
        raw = dict(sources.roadmaps)[name] or b""
        candidate = with_file(candidate, name, bom_of(raw) + text.encode("utf-8"))
    errors = _errors(load_sources(candidate, cache).problems)
    if errors:
        raise Refusal(ngettext(
            "roadmap: refusing to apply: the result would have {n} error(s); nothing was written",
            "roadmap: refusing to apply: the result would have {n} error(s); nothing was written",
            len(errors),
        ).format(n=len(errors)), errors)
