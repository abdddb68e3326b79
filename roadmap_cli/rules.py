"""Validation beyond the schema: one small function per rule id, registered in one ordered list.

Rules run on documents that passed the schema, so they may rely on its shapes (a measure is a
mapping with a string ``id``, ``owners`` is a list of strings, ...). Each rule yields
``(path, message)`` pairs; :func:`run` turns them into located problems. A rule's docstring is its
documentation (``docs/rules.md`` lists them with failing examples).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import PurePath
from typing import Any

from roadmap_cli import schedule
from roadmap_cli.explain import iso_form
from roadmap_cli.i18n import _
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


def rule(rule_id: str, severity: Severity = Severity.ERROR, scope: str = "roadmap") -> Callable[
    [Callable[[Parsed, Context], Iterable[Finding]]], Callable[[Parsed, Context], Iterable[Finding]]
]:
    def register(fn: Callable[[Parsed, Context], Iterable[Finding]]) -> Callable[[Parsed, Context], Iterable[Finding]]:
        RULES.append(Rule(rule_id, severity, fn, scope))
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
    value = container.get(key) if isinstance(container, dict) else None
    return list(enumerate(value)) if isinstance(value, list) else []


def _strings(container: Any, key: str) -> list[tuple[int, str]]:
    return [(i, v) for i, v in _items(container, key) if isinstance(v, str)]


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


# --- errors ------------------------------------------------------------------------------------


@_per_document
def _date_paths(doc: Parsed) -> tuple[list[Path], list[Path]]:
    """The paths of every date and of every period (due, recurring from/until, report periods)."""
    dates: list[Path] = [("signed", "date"), ("period", "start"), ("period", "end")]
    for key in ("events", "amendments"):
        for j, entry in _items(doc.data, key):
            if isinstance(entry, dict) and "date" in entry:
                dates.append((key, j, "date"))
    periods: list[Path] = []
    for i, m in _measures(doc):
        base: Path = ("measures", i)
        if "completed" in m:
            dates.append(base + ("completed",))
        dues: list[tuple[Path, Any]] = [(base + ("due",), m.get("due"))]
        dues.extend(
            (base + ("rescheduled", j, "from"), r.get("from"))
            for j, r in _items(m, "rescheduled")
            if isinstance(r, dict)
        )
        for path, due in dues:
            if isinstance(due, (str, int)) and due not in NO_DEADLINE:
                periods.append(path)
            elif isinstance(due, dict):
                periods.extend(path + (k,) for k in ("from", "until") if k in due)
        for j, e in _items(m, "evidence"):
            if isinstance(e, dict) and "date" in e:
                dates.append(base + ("evidence", j, "date"))
        for j, r in _items(m, "reports"):
            periods.append(base + ("reports", j, "period"))
            if isinstance(r, dict) and "date" in r:
                dates.append(base + ("reports", j, "date"))
        for j, ind in _items(m, "indicators"):
            for k, _unused in _items(ind, "actuals"):
                dates.append(base + ("indicators", j, "actuals", k, "date"))
    return dates, periods


@_per_document
def _spans(doc: Parsed) -> Iterator[tuple[Path, Any, date, date]]:
    """(path, value as written, first day, last day) of every date and period that parses."""
    dates, periods = _date_paths(doc)
    for path, parse in [(p, schedule.parse_date) for p in dates] + [
        (p, schedule.parse_period) for p in periods
    ]:
        value = _get(doc.data, path)
        text = _year_text(value) if parse is schedule.parse_period else value
        if not isinstance(text, str) or isinstance(value, bool):
            continue
        try:
            parsed = parse(text)
        except ValueError:
            continue
        if isinstance(parsed, date):
            yield path, value, parsed, parsed
        else:
            yield path, value, parsed.start, parsed.end


@rule("impossible-date")
def impossible_date(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A date or period that does not exist: `2026-02-30`, `2026-13`, `2026-Q5`.

    Every date (signed, period, completed, evidence, reports, indicator actuals) and every period
    (`due`, recurring `from`/`until`, report periods) must name a real day or period.
    """
    dates, periods = _date_paths(doc)
    for path, parse in [(p, schedule.parse_date) for p in dates] + [
        (p, schedule.parse_period) for p in periods
    ]:
        value = _get(doc.data, path)
        if not isinstance(value, str):
            continue
        try:
            parse(value)
        except ValueError as e:
            if iso_form(value) is None:  # else a date-format problem
                yield path, str(e)


@rule("date-format")
def date_format(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A real date or period written in another common form: `31.12.2026`, `31/12/2026`,
    `2026.12.31`, `31 декабря 2026`, `December 31, 2026`, `Q4 2026`, `IV квартал 2026`.

    The message says how to write it: `2026-12-31` (a date), `2026-12` (a month), `2026-Q4`.
    """
    dates, periods = _date_paths(doc)
    for path in (*dates, *periods):
        value = _get(doc.data, path)
        if not isinstance(value, str):
            continue
        fixed = iso_form(value)
        if fixed is not None and fixed != value:
            try:
                (schedule.parse_date if path in dates else schedule.parse_period)(value)
                continue  # it is fine as written
            except ValueError:
                pass
            yield path, _("{value} is written in another form: write it as {fixed}").format(
                value=value.strip(), fixed=fixed
            )


#: the due forms that are words, not periods: no deadline
NO_DEADLINE = ("ongoing", "on_request", schedule.TODO)

#: the years a date may name: a roadmap signed or due outside them is a typo (and reports over
#: them would compute dates past the calendar's end, year 9999)
FIRST_YEAR = 1900
LAST_YEAR = 2199
#: the longest grace after a recurring period, in days
MAX_GRACE_DAYS = 366


@rule("date-range")
def date_range(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A date or period outside the years 1900 to 2199, or a recurring `grace` over 366 days.

    Such a value is a typo (`0226-10-01`, `20266`); the reports would also have to compute
    deadlines past the end of the calendar.
    """
    for path, value, first, last in _spans(doc):
        if first.year < FIRST_YEAR or last.year > LAST_YEAR:
            yield path, _(
                "{value} is outside the years {first} to {last} that a roadmap can name; check "
                "the year for a typo"
            ).format(value=value, first=FIRST_YEAR, last=LAST_YEAR)
    for i, m in _measures(doc):
        due = m.get("due")
        grace = due.get("grace") if isinstance(due, dict) else None
        if isinstance(grace, int) and not isinstance(grace, bool) and grace > MAX_GRACE_DAYS:
            yield ("measures", i, "due", "grace"), _(
                "a grace of {grace} days is more than the {most} accepted; grace is the days "
                "allowed after each period ends"
            ).format(grace=f"{grace:,}", most=MAX_GRACE_DAYS)


#: occurrences one recurring measure may have (50 years of months; a real plan has under 200)
MAX_OCCURRENCES = 600
#: occurrences all the recurring measures of one load may have together (twice those of the
#: largest benchmark, 1,000 documents of 100 measures)
MAX_LOAD_OCCURRENCES = 200_000


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
        if not isinstance(m.get("due"), dict):
            continue
        try:
            due = schedule.parse_due(m["due"])
            count = schedule.occurrence_count(due, start, end)
        except (ValueError, TypeError, KeyError, OverflowError):
            continue  # a bad recurrence is another rule's finding
        before = ctx.occurrences
        ctx.occurrences += count
        if count > MAX_OCCURRENCES:
            yield ("measures", i, "due"), _(
                "it recurs {count} times, more than the {limit} accepted; check its from and until"
            ).format(count=f"{count:,}", limit=f"{MAX_OCCURRENCES:,}")
        elif before <= MAX_LOAD_OCCURRENCES < ctx.occurrences:
            yield ("measures", i, "due"), _(
                "with this measure, the files hold more than {limit} occurrences of recurring "
                "measures, the most accepted in one run"
            ).format(limit=f"{MAX_LOAD_OCCURRENCES:,}")


@rule("period-order")
def period_order(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A `period` that ends before it starts, or a recurring `until` before its `from`."""
    spans = {path: (value, first, last) for path, value, first, last in _spans(doc)}
    start, end = spans.get(("period", "start")), spans.get(("period", "end"))
    if start and end and end[2] < start[1]:
        yield ("period", "end"), _("the period ends ({end}) before it starts ({start})").format(
            end=end[0], start=start[0]
        )
    for i, _unused in _measures(doc):
        since = spans.get(("measures", i, "due", "from"))
        until = spans.get(("measures", i, "due", "until"))
        if since and until and until[2] < since[1]:
            yield ("measures", i, "due", "until"), _(
                "the recurrence ends (until {until}) before it starts (from {since})"
            ).format(until=until[0], since=since[0])


@rule("duplicate-measure-id")
def duplicate_measure_id(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """Two measures of one document with the same `id`."""
    seen: dict[str, int] = {}
    for i, m in _measures(doc):
        mid = m["id"]
        if mid in seen:
            line = doc.positions.get(("measures", seen[mid], "id"), (0, 0))[0]
            yield ("measures", i, "id"), _(
                "the id {id} is used twice (first at line {line}): give each measure its own id"
            ).format(id=repr(mid), line=line)
        else:
            seen[mid] = i


@rule("unknown-agency")
def unknown_agency(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """An agency id (in `parties`, `owners` or `co_executors`) that `agencies.yaml` does not define."""
    known = ctx.agency_ids
    if known is None:
        return
    places: list[tuple[Path, str]] = [(("parties", j), v) for j, v in _strings(doc.data, "parties")]
    for i, m in _measures(doc):
        for key in ("owners", "co_executors"):
            places.extend((("measures", i, key, j), v) for j, v in _strings(m, key))
    for path, value in places:
        if value not in known and not _todo_agency(value):
            yield path, _("unknown agency {id}: add it to agencies.yaml or fix the id{near}").format(
                id=repr(value), near=_near(value, known)
            )


@rule("unknown-dependency")
def unknown_dependency(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A `depends_on` entry that names no measure of the same document."""
    ids = {m["id"] for _unused, m in _measures(doc)}
    for i, m in _measures(doc):
        for j, dep in _strings(m, "depends_on"):
            if dep not in ids:
                yield ("measures", i, "depends_on", j), _(
                    "depends_on names {id}, which is no measure of this document{near}"
                ).format(id=repr(dep), near=_near(dep, ids))


@rule("dependency-cycle")
def dependency_cycle(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """Measures that depend on each other in a circle (including a measure depending on itself)."""
    graph: dict[str, list[tuple[Path, str]]] = {}
    for i, m in _measures(doc):
        if m["id"] not in graph:
            graph[m["id"]] = [
                (("measures", i, "depends_on", j), d) for j, d in _strings(m, "depends_on")
            ]
    for path, cycle, _edges in cycles(graph):
        yield path, _("dependency cycle: {loop}").format(loop=" -> ".join(cycle))


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


@rule("done-without-completed")
def done_without_completed(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A measure with `status: done` and no `completed` date."""
    for i, m in _measures(doc):
        if m.get("status") == "done" and "completed" not in m:
            yield ("measures", i, "status"), _(
                "it is done but has no completed date: add `completed: YYYY-MM-DD`"
            )


@rule("missing-reason")
def missing_reason(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A measure that is `blocked` or `cancelled` without a `reason`."""
    for i, m in _measures(doc):
        status = m.get("status")
        if status in ("blocked", "cancelled") and not m.get("reason"):
            yield ("measures", i, "status"), _(
                "it is {status} but gives no reason: add `reason: ...`"
            ).format(status=status)


@rule("duplicate-roadmap-id")
def duplicate_roadmap_id(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """Two files whose documents have the same `id`."""
    rid = doc.data.get("id")
    if not isinstance(rid, str):
        return
    first = ctx.first_with_id(rid)
    if first is not None and first is not doc:
        yield ("id",), _("document id {id} is also the id of {file}").format(id=repr(rid), file=first.file)


@rule("duplicate-agency-id", scope="agencies")
def duplicate_agency_id(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """Two agencies in `agencies.yaml` with the same `id`."""
    seen: set[str] = set()
    for i, a in _items(doc.data, "agencies"):
        aid = a.get("id") if isinstance(a, dict) else None
        if not isinstance(aid, str):
            continue
        if aid in seen:
            yield ("agencies", i, "id"), _("agency id {id} is defined twice").format(id=repr(aid))
        seen.add(aid)


@rule("unknown-parent", scope="agencies")
def unknown_parent(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """An agency whose `parent` is not an agency id of `agencies.yaml`."""
    agencies = [(i, a) for i, a in _items(doc.data, "agencies") if isinstance(a, dict)]
    ids = {a["id"] for _unused, a in agencies if isinstance(a.get("id"), str)}
    for i, a in agencies:
        parent = a.get("parent")
        if isinstance(parent, str) and parent not in ids:
            yield ("agencies", i, "parent"), _("parent {id} is not an agency in this file{near}").format(
                id=repr(parent), near=_near(parent, ids)
            )


# --- warnings ----------------------------------------------------------------------------------


@rule("deadline-outside-period", Severity.WARNING)
def deadline_outside_period(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A deadline (or a recurring measure's `from`/`until`) outside the document's `period`."""
    start = _try_date(_get(doc.data, ("period", "start")))
    end = _try_date(_get(doc.data, ("period", "end")))
    if start is None or end is None or end < start:  # a reversed period is period-order's
        return
    for i, m in _measures(doc):
        due = _year_text(m.get("due"))
        if isinstance(due, str):
            if due in NO_DEADLINE:
                continue
            try:
                period = schedule.parse_period(due)
            except ValueError:
                continue
            if period.end < start or period.end > end:
                yield ("measures", i, "due"), _(
                    "the deadline {deadline} is outside the document's period {start} .. {end}"
                ).format(deadline=period.end.isoformat(), start=start.isoformat(), end=end.isoformat())
        elif isinstance(due, dict):
            for key in ("from", "until"):
                if key not in due:
                    continue
                try:
                    period = schedule.parse_period(_year_text(due[key]))
                except ValueError:
                    continue
                if period.start > end or period.end < start:
                    yield ("measures", i, "due", key), _(
                        "{key} {value} is outside the document's period {start} .. {end}"
                    ).format(key=key, value=due[key], start=start.isoformat(), end=end.isoformat())


@rule("completed-before-signed", Severity.WARNING)
def completed_before_signed(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A `completed` date earlier than the document's signing date."""
    signed = _try_date(_get(doc.data, ("signed", "date")))
    if signed is None:
        return
    for i, m in _measures(doc):
        done = _try_date(m.get("completed"))
        if done is not None and done < signed:
            yield ("measures", i, "completed"), _(
                "completed {completed} is before the document was signed ({signed})"
            ).format(completed=done.isoformat(), signed=signed.isoformat())


@rule("file-name-mismatch", Severity.WARNING)
def file_name_mismatch(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A file whose name is not the document's `id` plus `.yaml`."""
    rid = doc.data.get("id")
    name = PurePath(doc.file).name
    if isinstance(rid, str) and name != f"{rid}.yaml":
        yield ("id",), _("the file name {name} is not the document id plus .yaml ({id}.yaml)").format(
            name=repr(name), id=rid
        )


@rule("progress-not-in-progress", Severity.WARNING)
def progress_not_in_progress(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """`progress` given on a measure whose status is not `in_progress` (it is ignored)."""
    for i, m in _measures(doc):
        status = m.get("status")
        if "progress" in m and isinstance(status, str) and status != "in_progress":
            yield ("measures", i, "progress"), _(
                "progress is given but the status is {status}; progress counts only for "
                "in_progress measures"
            ).format(status=m.get("status"))


#: the title of the example measure `roadmap new` writes
EXAMPLE_TITLE = "Example measure (replace it with the first measure of the document)"


@rule("example-measure", Severity.WARNING)
def example_measure(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """The example measure that `roadmap new` writes, not yet replaced by a real one (it would
    count in every report as a measure of the document)."""
    for i, m in _measures(doc):
        title = m.get("title")
        texts = title.values() if isinstance(title, dict) else [title]
        if any(isinstance(t, str) and t.strip() == EXAMPLE_TITLE for t in texts):
            yield ("measures", i, "title"), _(
                "this is the example measure of `roadmap new`: replace it with the document's "
                "own first measure"
            )


@rule("report-outside-schedule", Severity.WARNING)
def report_outside_schedule(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A `reports` entry on a measure that is not recurring, or naming a period of another kind."""
    for i, m in _measures(doc):
        due = m.get("due")
        for j, r in _items(m, "reports"):
            if not isinstance(r, dict) or not isinstance(_year_text(r.get("period")), str):
                continue
            if not isinstance(due, dict) or "every" not in due:
                yield ("measures", i, "reports", j), _(
                    "reports are for recurring measures (due: {{every: ...}}); this one is not recurring"
                ).format()
                break
            try:
                period = schedule.parse_period(_year_text(r["period"]))
            except ValueError:
                continue
            if period.kind != due.get("every"):
                yield ("measures", i, "reports", j, "period"), _(
                    "report period {period} is a {kind}, but the measure recurs every {every}"
                ).format(period=r["period"], kind=period.kind, every=due.get("every"))


def _todo_agency(value: str) -> bool:
    """An owner or co-executor that `roadmap import` could not match (reported by rule todo)."""
    return value == schedule.TODO or value.startswith(schedule.TODO + ": ")


def _todo_texts(title: Any) -> bool:
    texts = [title] if isinstance(title, str) else list(title.values()) if isinstance(title, dict) else []
    return any(isinstance(t, str) and _TODO_WORD.search(t) for t in texts)


_TODO_WORD = re.compile(r"\bTODO\b")


@rule("todo", Severity.WARNING)
def todo(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A `TODO` left where `roadmap import` could not read the signed text.

    `due: TODO` (the deadline as signed is kept in `notes`; until replaced the measure has no
    deadline), an owner or co-executor `TODO: name as signed` (no agency of `agencies.yaml`
    matched it), and the word TODO in a title, result or notes. Replace each with what the signed
    document says, then remove the TODO.
    """
    if _todo_texts(doc.data.get("title")):
        yield ("title",), _("the document's title is TODO: write it as signed")
    for key in ("sections", "events"):
        for j, item in _items(doc.data, key):
            if isinstance(item, dict) and _todo_texts(item.get("title")):
                message = _("section {id}: the title is TODO") if key == "sections" else _(
                    "event {id}: the title is TODO"
                )
                yield (key, j, "title"), message.format(id=item.get("id"))
    for i, m in _measures(doc):
        if m.get("due") == schedule.TODO:
            yield ("measures", i, "due"), _(
                "due is TODO: the signed deadline could not be read (see its notes); "
                "write it as a due form (docs/format.md)"
            )
        for key in ("owners", "co_executors"):
            for j, value in _strings(m, key):
                if _todo_agency(value):
                    name = value[len(schedule.TODO) + 2 :] or _("(none given)")
                    yield ("measures", i, key, j), _(
                        "agency «{name}» is TODO: write its id from agencies.yaml "
                        "(or add it there, or add the name to an agency's aliases)"
                    ).format(name=name)
        for key in ("title", "result"):
            if _todo_texts(m.get(key)):
                yield ("measures", i, key), (
                    _("the title is TODO") if key == "title" else _("the result is TODO")
                )
        notes = m.get("notes")
        if isinstance(notes, str) and _TODO_WORD.search(notes) and m.get("due") != schedule.TODO:
            yield ("measures", i, "notes"), _("the notes say TODO")


@rule("ambiguous-alias", Severity.WARNING, scope="agencies")
def ambiguous_alias(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """An agency's alias that is also a name, short name, alias or id of another agency.

    `roadmap import` matches the names of a signed table against names, short names and aliases,
    ignoring case and punctuation; a name two agencies share matches neither.
    """
    from roadmap_cli.agency_match import key

    agencies = [(i, a) for i, a in _items(doc.data, "agencies") if isinstance(a, dict)]
    owners: dict[str, set[str]] = {}
    for _i, a in agencies:
        aid = a.get("id")
        texts = [aid] if isinstance(aid, str) else []
        for field_name in ("name", "short"):
            value = a.get(field_name)
            texts.extend([value] if isinstance(value, str) else list(value.values()) if isinstance(value, dict) else [])
        texts.extend(t for _j, t in _strings(a, "aliases"))
        for text in texts:
            if isinstance(text, str) and key(text):
                owners.setdefault(key(text), set()).add(str(aid))
    for i, a in agencies:
        for j, alias in _strings(a, "aliases"):
            others = sorted(owners.get(key(alias), set()) - {str(a.get("id"))})
            if others:
                yield ("agencies", i, "aliases", j), _(
                    "alias «{alias}» is also a name of {others}: `roadmap import` cannot tell them apart"
                ).format(alias=alias, others=", ".join(others))


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
    from roadmap_cli.explain import name_in_message

    out = []
    for n, (path, message) in enumerate(findings):
        line, col = doc.at(path)
        if n == MAX_PROBLEMS:
            message = _(
                "more problems of this kind are not shown (at most {most} per rule and file)"
            ).format(most=f"{MAX_PROBLEMS:,}")
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
    hit = difflib.get_close_matches(value, options, n=1)
    return _("; did you mean {choice}?").format(choice=repr(hit[0])) if hit else ""


# the rules of sections, events, amendments and anchored deadlines register themselves here
from roadmap_cli import rules_signed  # noqa: E402,F401
