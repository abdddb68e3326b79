"""Validation beyond the schema: one small function per rule id, registered in one ordered list.

Rules run on documents that passed the schema, so they may rely on its shapes (a measure is a
mapping with a string ``id``, ``owners`` is a list of strings, ...). Each rule yields
``(path, message)`` pairs; :func:`run` turns them into located problems. A rule's docstring is its
documentation (``docs/rules.md`` lists them with failing examples).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from roadmap_cli import i18n, schedule
from roadmap_cli.i18n import _
from roadmap_cli.limits import FIRST_YEAR as FIRST_YEAR
from roadmap_cli.limits import LAST_YEAR as LAST_YEAR
from roadmap_cli.limits import MAX_LOAD_OCCURRENCES as MAX_LOAD_OCCURRENCES
from roadmap_cli.model import Path, Problem, Severity
from roadmap_cli.yamlsrc import MAX_PROBLEMS, Parsed

Finding = tuple[Path, str]

#: "did you mean" suggestions are computed only among at most this many choices
MAX_SUGGESTION_CHOICES = 1000


@dataclass
class Context:
    """What rules may look at besides the document: the other documents and the agencies."""

    agency_ids: set[str] | None  # None: agencies.yaml missing or invalid (agency rules skip)
    documents: list[Parsed] = field(default_factory=list)
    #: occurrences of recurring measures counted so far in this load (MAX_LOAD_OCCURRENCES)
    occurrences: int = 0
    _first_by_id: dict[str, Parsed] | None = None

    def first_with_id(self, rid: str) -> Parsed | None:
        """The first document (in load order) whose id is ``rid``: one dictionary, built once."""
        if self._first_by_id is None:
            self._first_by_id = {}
            for d in self.documents:
                other = d.data.get("id") if isinstance(d.data, dict) else None
                if isinstance(other, str):
                    self._first_by_id.setdefault(other, d)
        return self._first_by_id.get(rid)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    check: Callable[[Parsed, Context], Iterable[Finding]]
    scope: str = "roadmap"  # "roadmap" | "agencies"

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()


RULES: list[Rule] = []

#: the modules of rules, in the order their rules run and their problems are listed (the same
#: order whichever of them is imported first)
_MODULES = ("roadmap_cli.rules_errors", "roadmap_cli.rules_warnings", "roadmap_cli.rules_signed")


def _module_rank(r: Rule) -> int:
    module = getattr(r.check, "__module__", "")
    return _MODULES.index(module) if module in _MODULES else len(_MODULES)


def rule(rule_id: str, severity: Severity = Severity.ERROR, scope: str = "roadmap") -> Callable[
    [Callable[[Parsed, Context], Iterable[Finding]]], Callable[[Parsed, Context], Iterable[Finding]]
]:
    def register(fn: Callable[[Parsed, Context], Iterable[Finding]]) -> Callable[[Parsed, Context], Iterable[Finding]]:
        RULES.append(Rule(rule_id, severity, fn, scope))
        RULES.sort(key=_module_rank)  # stable: a module's rules keep the order they are defined in
        return fn

    return register


#: while run() checks one document, what the helpers marked @_per_document found in it (every
#: rule asks for the measures and most for the dates: computed once per document, not per rule)
_local = threading.local()


def _per_document(fn: Callable[[Parsed], Any]) -> Callable[[Parsed], Any]:
    """Remember ``fn(doc)`` (a list, or a generator read into one) during one run() call."""

    @functools.wraps(fn)
    def remembered(doc: Parsed) -> Any:
        memo = getattr(_local, "memo", None)
        if memo is None or memo[0] is not doc:
            return fn(doc)
        found = memo[1].get(fn)
        if found is None:
            found = fn(doc)
            if not isinstance(found, tuple):
                found = list(found)
            memo[1][fn] = found
        return found

    return remembered


@_per_document
def _measures(doc: Parsed) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """The measures that are mappings with a string id (rules also run on schema-invalid files)."""
    measures = doc.data.get("measures")
    if not isinstance(measures, list):
        return
    for i, m in enumerate(measures):
        if not isinstance(m, dict):
            continue
        mid = m.get("id")
        if isinstance(mid, (int, float)) and not isinstance(mid, bool):
            # an unquoted id (reported by the schema check): read it as written
            m = {**m, "id": doc.plain_text.get(("measures", i, "id"), str(mid))}
        if isinstance(m.get("id"), str):
            yield i, m


def _items(container: Any, key: str) -> list[tuple[int, Any]]:
    """(index, item) of the list at ``container[key]``, or nothing when it is not a list."""
    if not isinstance(container, dict):
        return []
    value = container.get(key)
    return list(enumerate(value)) if isinstance(value, list) else []


def _strings(container: Any, key: str) -> list[tuple[int, str]]:
    """(index, item) of the strings in the list at ``container[key]``."""
    if not isinstance(container, dict):
        return []
    value = container.get(key)
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, str)]


def _year_text(value: Any) -> Any:
    """A bare year written without quotes (read as an integer) as its period text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _try_date(value: Any) -> date | None:
    try:
        return schedule.parse_date(value)
    except (ValueError, TypeError):
        return None


def _todo_agency(value: str) -> bool:
    """An owner or co-executor that `roadmap import` could not match (reported by rule todo)."""
    return value == schedule.TODO or value.startswith(schedule.TODO + ": ")


# --- limits and shared values of the rules ---------------------------------------------------

#: the due forms that are words, not periods: no deadline
NO_DEADLINE = ("ongoing", "on_request", schedule.TODO)

#: the longest grace after a recurring period, in days
MAX_GRACE_DAYS = 366


#: occurrences one recurring measure may have (50 years of months; a real plan has under 200)
MAX_OCCURRENCES = 600


#: the title of the example measure `roadmap new` writes
EXAMPLE_TITLE = "Example measure (replace it with the first measure of the document)"


def too_many_occurrences(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A recurring measure with more than 600 occurrences, or more than 200,000 occurrences in
    all the files of one load (docs/limits.md): every report lists occurrences one by one.

    Reported with the reader's rule id `too-large` (a limit on the size of what is read), by
    :func:`occurrence_limits`, which the loader calls after the rules.
    """
    start = _try_date(_get(doc.data, ("period", "start")))
    end = _try_date(_get(doc.data, ("period", "end")))
    if start is None or end is None:
        return
    for i, m in _measures(doc):
        for path, raw in _dues(i, m):
            if not isinstance(raw, dict):
                continue
            try:
                due = schedule.parse_due(raw)
                count = schedule.occurrence_count(due, start, end)
            except (ValueError, TypeError, KeyError, OverflowError):
                continue  # a bad recurrence is another rule's finding
            before = ctx.occurrences
            ctx.occurrences += count
            if count > MAX_OCCURRENCES:
                yield path, _(
                    "it recurs {count} times, more than the {limit} accepted; check its from and until"
                ).format(count=i18n.number(count), limit=i18n.number(MAX_OCCURRENCES))
            elif before <= MAX_LOAD_OCCURRENCES < ctx.occurrences:
                yield path, _(
                    "with this measure, the files hold more than {limit} occurrences of recurring "
                    "measures, the most accepted in one run"
                ).format(limit=i18n.number(MAX_LOAD_OCCURRENCES))


def _dues(i: int, m: Mapping[str, Any]) -> Iterator[tuple[Path, Any]]:
    """Each due a measure may have in force, with its path: ``due``, and the ``from`` of each
    ``rescheduled`` entry (in force as of any date before its amendment: a report over past
    dates lists its occurrences as it lists the current due's)."""
    yield ("measures", i, "due"), m.get("due")
    rescheduled = m.get("rescheduled")
    if isinstance(rescheduled, list):
        for j, entry in enumerate(rescheduled):
            if isinstance(entry, dict):
                yield ("measures", i, "rescheduled", j, "from"), entry.get("from")


def cycles(
    graph: Mapping[str, list[tuple[Path, str]]],
) -> Iterator[tuple[Path, list[str], list[Path]]]:
    """Each circle of ``graph`` (node -> its edges as (path of the edge, target)) once: the path
    of the edge that closes it, the nodes around it (the first repeated at the end), and the
    paths of its edges. Targets that are no node are ignored."""
    white, grey, black = 0, 1, 2
    color = dict.fromkeys(graph, white)
    reported: set[frozenset[str]] = set()
    for start in graph:
        if color[start] != white:
            continue
        # iterative DFS keeping the current path and the edges taken
        stack: list[tuple[str, Iterator[tuple[Path, str]]]] = [(start, iter(graph[start]))]
        color[start] = grey
        trail = [start]
        taken: list[Path] = []
        while stack:
            node, edges = stack[-1]
            edge = next(edges, None)
            if edge is None:
                color[node] = black
                stack.pop()
                trail.pop()
                if taken:
                    taken.pop()
                continue
            path, nxt = edge
            if nxt not in graph:
                continue
            if color[nxt] == grey:
                at = trail.index(nxt)
                cycle = trail[at:]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    yield path, cycle + [nxt], taken[at:] + [path]
            elif color[nxt] == white:
                color[nxt] = grey
                trail.append(nxt)
                taken.append(path)
                stack.append((nxt, iter(graph[nxt])))


#: the most ids a message names of a chain or circle: its first ones and its last two (a circle
#: of 15,000 measures was one message of 124 KB)
CHAIN_SHOWN = 12


def chain_text(nodes: Sequence[str]) -> str:
    """``1.1 -> 1.2 -> 1.1`` for people; a long chain is cut in the middle: its first ten, how
    many are left out, its last two (``... -> 10 -> ... 14,988 more ... -> 15000 -> 1``)."""
    if len(nodes) <= CHAIN_SHOWN:
        return " -> ".join(nodes)
    left_out = _("... {n} more ...").format(n=i18n.number(len(nodes) - CHAIN_SHOWN))
    return " -> ".join([*nodes[:CHAIN_SHOWN - 2], left_out, *nodes[-2:]])


# --- running -----------------------------------------------------------------------------------


def run(doc: Parsed, ctx: Context, scope: str = "roadmap", *, valid: bool = True) -> list[Problem]:
    """Every rule of ``scope`` over one document.

    On a document that failed the schema (``valid=False``) rules still run, best effort, so that
    one pass reports as much as it can; a rule that meets a shape it cannot read finds nothing.
    """
    out = []
    _local.memo = (doc, {})
    try:
        for r in RULES:
            if r.scope == scope:
                out.extend(_run_rule(r, doc, ctx, valid))
    finally:
        _local.memo = None
    return out


_OCCURRENCES = Rule("too-large", Severity.ERROR, too_many_occurrences)


def occurrence_limits(doc: Parsed, ctx: Context) -> list[Problem]:
    """The occurrence limits of one document, counted on in ``ctx`` across the load."""
    return _run_rule(_OCCURRENCES, doc, ctx, valid=False)


def _run_rule(r: Rule, doc: Parsed, ctx: Context, valid: bool) -> list[Problem]:
    try:
        # a rule's findings are lazy: at most MAX_PROBLEMS are computed, one more tells
        findings = list(islice(r.check(doc, ctx), MAX_PROBLEMS + 1))
    except (TypeError, KeyError, AttributeError, ValueError, IndexError):
        if valid:
            raise
        findings = []
    if not findings:
        return []
    from roadmap_cli.explain import name_in_message  # (a finding to name: explain's patterns)

    out = []
    for n, (path, message) in enumerate(findings):
        line, col = doc.at(path)
        if n == MAX_PROBLEMS:
            message = _(
                "more problems of this kind are not shown (at most {most} per rule and file)"
            ).format(most=i18n.number(MAX_PROBLEMS))
        else:
            message = name_in_message(message, doc.data, path, doc.plain_text)
        out.append(Problem(doc.file, line, col, r.severity, r.id, message))
    return out


def _get(data: Any, path: Path) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _near(value: Any, options: Iterable[str]) -> str:
    import difflib

    options = list(options)
    if not isinstance(value, str) or len(options) > MAX_SUGGESTION_CHOICES or len(value) > 200:
        return ""  # a suggestion costs a comparison with every option: only for small sets
    # in any case: 'KZ-MIC' is kz-mic (difflib alone found nothing for it)
    folded = {o.casefold(): o for o in reversed(options)}
    hit = difflib.get_close_matches(value.casefold(), list(folded), n=1)
    return _("; did you mean {choice}?").format(choice=repr(folded[hit[0]])) if hit else ""


# The rules register themselves in RULES as their modules are imported, in this order (the order
# of the problems of one file): errors, warnings, then the rules of sections, events, amendments
# and anchored deadlines. A rule module imports what it needs from here.
# isort: off
from roadmap_cli import rules_errors  # noqa: E402,F401
from roadmap_cli import rules_warnings  # noqa: E402,F401
from roadmap_cli import rules_signed  # noqa: E402,F401
# isort: on
