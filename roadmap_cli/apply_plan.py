"""The transaction of ``roadmap apply``: the answered rows of the workbooks planned
(:mod:`roadmap_cli.answers`), applied to the documents' texts in memory (:mod:`roadmap_cli.edit`),
each edit checked, and the whole result checked with the rest of the repository before
:func:`commit_apply` writes it. Click-free and silent, like :mod:`roadmap_cli.transaction`
(whose :class:`~roadmap_cli.transaction.Refusal` and checks of one file it uses).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from roadmap_cli.i18n import _, ngettext
from roadmap_cli.transaction import (
    Refusal,
    _AgenciesOnce,
    _errors,
    alone,
    bom_of,
    problems_of,
    with_files,
)

if TYPE_CHECKING:
    from roadmap_cli.answers import RowPlan
    from roadmap_cli.cycle import SheetProblem
    from roadmap_cli.model import Problem, Repository
    from roadmap_cli.progress import Step
    from roadmap_cli.sources import Sources

@dataclass
class Applied:
    """The answered rows of the workbooks, planned and applied in memory, not yet written."""

    plans: list[RowPlan]
    problems: list[SheetProblem]  # of the files, then of the rows
    changes: dict[int, list[str]]  # plan number -> its change lines
    #: file -> its new bytes, as they are written (only files that change; a byte order mark
    #: kept). Bytes, not text: a thousand documents' texts before and after, as Python strings,
    #: took 170 MB; each is decoded when shown (:meth:`texts`)
    changed: dict[str, bytes]
    raw: dict[str, bytes]  # file -> its bytes as read

    def texts(self, name: str) -> tuple[str, str]:
        """The changed file's text before and after (without a byte order mark)."""
        return _text_of(self.raw[name]), _text_of(self.changed[name])


def _text_of(data: bytes) -> str:
    """A roadmap file's text: its bytes without a byte order mark, as UTF-8 (a file that is
    not was refused by the load before anything is applied)."""
    return data[len(bom_of(data)):].decode("utf-8")


@dataclass
class Planned:
    """The answered rows of the workbooks planned against the repository (:func:`plan_apply`):
    what applying them reads, without the repository."""

    plans: list[RowPlan]
    problems: list[SheetProblem]  # of the files
    files_of: dict[str, str]  # document id -> its file


def prepare_apply(sources: Sources, repo: Repository, files: Sequence[str],
                  on: date | None, today: date | None = None, cache: Any = None,
                  on_document: Step | None = None, on_file: Step | None = None) -> Applied:
    """Apply the answered rows of ``files`` (workbooks or their CSV form) to the texts of the
    valid repository ``repo`` (read as ``sources``), in memory: :func:`plan_apply`, then
    :func:`apply_planned` (``roadmap apply`` lets the repository go between the two)."""
    return apply_planned(sources, plan_apply(repo, files, on), today, cache, on_document, on_file)


def plan_apply(repo: Repository, files: Sequence[str], on: date | None) -> Planned:
    """The answered rows of ``files`` (workbooks or their CSV form) planned against the valid
    repository ``repo``: only the answered measures are built, and the plans hold them; the
    repository is not needed after (at 1,000 documents read without the cache it holds 100,000
    built measures, which the edits and the check of the result can then use)."""
    from roadmap_cli import answers, sheets
    from roadmap_cli.some_measures import MeasuresById

    measures = MeasuresById(repo.roadmaps)  # only the answered measures are built
    problems: list[SheetProblem] = []
    plans: list[RowPlan] = []
    for name in dict.fromkeys(files):
        table = sheets.read_table(name)
        problems.extend(table.problems)
        if table.problems:  # a file not read as it was sent is refused whole
            continue
        for cells in table.rows:
            plan = answers.plan_row(name, cells, measures, on, measures.raw)
            if plan is not None:
                plans.append(plan)
    measures.let_go()  # (the answered measures are in the plans; 57 MB at 1,000 documents)
    return Planned(plans, problems, {rm.id: rm.file for rm in repo.roadmaps})


def apply_planned(sources: Sources, planned: Planned, today: date | None = None, cache: Any = None,
                  on_document: Step | None = None, on_file: Step | None = None) -> Applied:
    """Apply the rows ``planned`` to the texts of the repository read as ``sources``, in memory.
    A row with a problem or a conflict is left out; the whole result is checked together
    (:class:`Refusal` on errors), with ``cache`` (:func:`roadmap_cli.workspace.open_cache`: the
    files the rows leave as they are are not read again). ``on_document(done, total)`` is
    called after the rows of each document are applied, ``on_file(done, total)`` after each
    file of the result is checked (a progress display)."""
    today = today or date.today()
    plans, problems, files_of = planned.plans, list(planned.problems), planned.files_of

    raw = {name: data for name, data in sources.roadmaps if data is not None}
    changes: dict[int, list[str]] = {}
    rows_of: dict[str, list[int]] = {}  # a document's file -> the numbers of its rows to apply
    for n, plan in enumerate(plans):
        if plan.ok:
            rows_of.setdefault(files_of[plan.roadmap], []).append(n)
    # the documents with rows to apply (the others stay as they are), one text at a time
    once = _AgenciesOnce()
    quick: dict[str, list[int]] = {}  # the documents whose rows were applied unchecked
    after: dict[str, bytes] = {}  # the new bytes of the documents that change

    def keep(doc: str, original: str, text: str) -> None:
        if text != original:
            after[doc] = bom_of(raw[doc]) + text.encode("utf-8")
        else:
            after.pop(doc, None)

    cuts: dict[str, Cut | None] = {}  # each document's text cut at its measures, where it can be

    def blocks(doc: str, original: str) -> _Blocks | None:  # anew each time (edits change them)
        if doc not in cuts:
            made = _blocks_of(raw[doc], original, cache)
            cuts[doc] = None if made is None else made.cut
            return made
        cut = cuts[doc]
        return None if cut is None else _Blocks.at(original, cut)

    for count, (doc, rows) in enumerate(rows_of.items(), 1):
        original = _text_of(raw[doc])
        done = _apply_quickly([plans[n] for n in rows], original, today, blocks(doc, original))
        if done is None:
            keep(doc, original, _apply_carefully(plans, rows, doc, original, sources, raw, today,
                                                 once, changes, blocks(doc, original)))
        else:
            keep(doc, original, done[0])
            changes.update(zip(rows, done[1], strict=True))
            quick[doc] = rows
        if on_document is not None:
            on_document(count, len(rows_of))

    errors = _whole_errors(sources, after, cache, on_file)
    redo = [doc for doc in quick if any(p.file == doc for p in errors)]
    if redo:  # a row of these documents may be refused: apply them row by row, checked
        for doc in redo:
            for n in quick[doc]:
                del changes[n]
            original = _text_of(raw[doc])
            keep(doc, original, _apply_carefully(plans, quick[doc], doc, original, sources, raw,
                                                 today, once, changes, blocks(doc, original)))
        errors = _whole_errors(sources, after, cache, on_file)
    if errors:
        raise Refusal(ngettext(
            "roadmap: refusing to apply: the result would have {n} error(s); nothing was written",
            "roadmap: refusing to apply: the result would have {n} error(s); nothing was written",
            len(errors),
        ).format(n=len(errors)), errors)
    for plan in plans:
        problems.extend(plan.problems)
    # (in the order of the documents' first answered rows)
    changed = {doc: after[doc] for doc in rows_of if doc in after}
    return Applied(plans, problems, changes, changed, raw)


#: the longest text (in characters) whose rows are applied unchecked: far from the limits of a
#: file's bytes and nodes (yamlsrc), which a document could pass between two rows and not after
#: the last
_QUICK_CHARS = 100_000


def _apply_quickly(rows: Sequence[RowPlan], text: str, today: date,
                   blocks: _Blocks | None) -> tuple[str, list[list[str]]] | None:
    """The document ``text`` with ``rows`` (its answered rows, in order) applied, each on its
    measure's block, none checked; with each row's change lines. None (apply them with
    :func:`_apply_carefully`) unless every row is edited so and answers another measure.

    Checking the result once, with the rest of the repository, then says what checking each row
    would: an answer changes no id, dependency, due or section (what the rules that look across
    measures read), so the errors of the document after any of its rows are those of the
    measures answered so far, each as it is at the end. A measure answered twice is the
    exception (its first answer may be wrong and the second right): such a document is checked
    row by row."""
    if len({p.measure for p in rows}) != len(rows) or len(text) > _QUICK_CHARS or blocks is None:
        return None
    size = len(text)
    lines = []
    for plan in rows:
        edited = _edit_in_block(plan, blocks, today)
        if edited is None:
            return None
        index, item, _block, changes = edited
        size += len(item) - len(blocks.items[index])
        if size > _QUICK_CHARS:
            return None
        blocks.items[index] = item
        lines.append(changes)
    return blocks.text(), lines


def _apply_carefully(plans: Sequence[RowPlan], rows: Sequence[int], name: str, text: str,
                     sources: Sources, raw: dict[str, bytes], today: date, once: _AgenciesOnce,
                     changes: dict[int, list[str]], blocks: _Blocks | None) -> str:
    """The document ``text`` of the file ``name`` with the rows ``rows`` (numbers in ``plans``,
    in order) applied one after the other, each checked on its measure's block
    (:func:`_edit_block`), else on the whole text (:func:`_edit_row`): a row that would leave
    an error is refused (its problem added to its plan) and the next one edits the text
    without it. Each applied row's change lines go to ``changes``. ``blocks``: ``text`` cut
    at its measures (:meth:`_Blocks.of`), or None."""
    for n in rows:
        plan = plans[n]
        fast = None if blocks is None else _edit_block(plan, name, blocks, sources, raw, today, once)
        if fast is not None:
            changes[n] = fast
            continue
        # the whole text, as the edit and the check always did
        if blocks is not None:
            text = blocks.text()
        result = _edit_row(plan, name, text, sources, today)
        if isinstance(result, str):
            _refuse_row(plan, result)
            continue
        if result[0] != text:
            blocks = _Blocks.of(result[0])
        text = result[0]
        changes[n] = result[1]
    return text if blocks is None else blocks.text()


def commit_apply(applied: Applied) -> None:
    """Write every changed file (atomically, one after the other)."""
    from roadmap_cli import safewrite

    for name, data in applied.changed.items():
        safewrite.replace_file(name, applied.raw[name], data)


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
    cut: Cut  # where the text was cut (the cache keeps it for the file's bytes)

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
        if any(a >= b for a, b in pairwise([*starts, end])):
            return None
        return cls._at(lines, (tuple(starts), end, tuple(ids), tuple(map(tuple, deps))))

    @classmethod
    def at(cls, text: str, cut: Cut) -> _Blocks | None:
        """``text`` cut where :meth:`of` cut the same text before (the cache keeps the cut for
        the file's bytes): None when the cut does not fit the text."""
        lines = text.splitlines(keepends=True)
        starts, end = cut[0], cut[1]
        if (not starts or starts[0] < 0 or any(a >= b for a, b in pairwise([*starts, end]))
                or end > len(lines)):
            return None
        return cls._at(lines, cut)

    @classmethod
    def _at(cls, lines: list[str], cut: Cut) -> _Blocks:
        starts, end, ids, deps = cut
        items = ["".join(lines[a:b]) for a, b in pairwise([*starts, end])]
        return cls("".join(lines[:starts[0]]), items, "".join(lines[end:]), list(ids),
                   [list(d) for d in deps], cut)


#: where :meth:`_Blocks.of` cuts a text: the first line of each measure's item, the line where
#: the sequence of measures ends, each item's id as written (None: not a plain string), the ids
#: each item's ``depends_on`` names
Cut = tuple[tuple[int, ...], int, tuple[str | None, ...], tuple[tuple[str, ...], ...]]


def _blocks_of(data: bytes, text: str, cache: Any) -> _Blocks | None:
    """:meth:`_Blocks.of` the text of a file's bytes ``data``, the cut read from ``cache`` when
    it knows those bytes (cutting composes the whole document: 5 ms of a 1,400-line one, a
    quarter of a warm ``apply``), else made and kept there."""
    known = cache.cut(data) if cache is not None else None
    if known is False:
        return None
    if known is not None:
        return _Blocks.at(text, known)
    blocks = _Blocks.of(text)
    if cache is not None:
        cache.put_cut(data, False if blocks is None else blocks.cut)
    return blocks


_DASH = re.compile(r" *- +")


def _edit_in_block(plan: RowPlan, blocks: _Blocks,
                   today: date) -> tuple[int, str, str, list[str]] | None:
    """The row's edit on the document with its measure and those it depends on alone (the
    others cannot change how that measure is edited): the measure's index in ``blocks``, its
    new item (the old one when the edit changes nothing), that document edited and the change
    lines (none when nothing changes). None: do it on the whole text (an edit error, a measure
    id written twice, an edit beyond the measure's item)."""
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
        return index, blocks.items[index], text, []
    new = result.text
    if not (new.startswith(head) and new.endswith(tail)) or len(new) < len(head) + len(tail):
        return None
    return index, new[len(head):len(new) - len(tail)], new, list(result.changes)


def _edit_block(plan: RowPlan, name: str, blocks: _Blocks, sources: Sources,
                raw: dict[str, bytes], today: date,
                once: _AgenciesOnce) -> list[str] | None:
    """:func:`_edit_row` on the document with the row's measure and those it depends on alone
    (:func:`_edit_in_block`; nor can the other measures, unless there are errors, change whether
    the result is valid: an answer changes no id or dependency): cheap in a long document. The
    change is kept in ``blocks``; returns its change lines, or None (do it on the whole text,
    which says which error and whether it is one) for anything but a valid edit."""
    edited = _edit_in_block(plan, blocks, today)
    if edited is None:
        return None
    index, item, new, lines = edited
    if item == blocks.items[index]:
        return lines
    if _errors(problems_of(alone(sources, name, bom_of(raw.get(name, b"")) + new.encode("utf-8")),
                           name, once)):
        return None
    blocks.items[index] = item
    return lines


def _whole_errors(sources: Sources, changed: dict[str, bytes], cache: Any = None,
                  on_file: Step | None = None) -> list[Problem]:
    """The errors of the repository with every change (each file's new bytes), checked
    together (a duplicate id across files, ...)."""
    if not changed:
        return []
    from roadmap_cli.load import load_sources

    return _errors(load_sources(with_files(sources, changed), cache, on_file=on_file).problems)
