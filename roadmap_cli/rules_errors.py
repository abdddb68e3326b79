"""The error rules (a file with one of these problems is refused by the reports): dates,
ranges, periods, ids, agencies, dependencies, statuses. One small function per rule id; each
docstring is the rule's documentation. They register in :data:`roadmap_cli.rules.RULES` like
every other rule (``rules`` imports this module once, at its end).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from roadmap_cli import i18n, schedule
from roadmap_cli.i18n import _
from roadmap_cli.model import Path
from roadmap_cli.rules import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_GRACE_DAYS,
    NO_DEADLINE,
    Context,
    Finding,
    _get,
    _items,
    _measures,
    _near,
    _per_document,
    _strings,
    _todo_agency,
    _year_text,
    chain_text,
    cycles,
    rule,
)
from roadmap_cli.yamlsrc import Parsed


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
def _date_values(doc: Parsed) -> tuple[list[tuple[Path, Any]], list[tuple[Path, Any]]]:
    """(path, value) of every date and of every period (:func:`_date_paths`), looked up once."""
    dates, periods = _date_paths(doc)
    data = doc.data
    return [(p, _get(data, p)) for p in dates], [(p, _get(data, p)) for p in periods]


@_per_document
def _spans(doc: Parsed) -> Iterator[tuple[Path, Any, date, date]]:
    """(path, value as written, first day, last day) of every date and period that parses."""
    dates, periods = _date_values(doc)
    for path, value, parse in [(p, v, schedule.parse_date) for p, v in dates] + [
        (p, v, schedule.parse_period) for p, v in periods
    ]:
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
    dates, periods = _date_values(doc)
    for path, value, parse in [(p, v, schedule.parse_date) for p, v in dates] + [
        (p, v, schedule.parse_period) for p, v in periods
    ]:
        if not isinstance(value, str):
            continue
        try:
            parse(value)
        except ValueError as e:
            from roadmap_cli.explain import iso_form  # (a date that is wrong: rare)

            if iso_form(value) is None and _due_in_words(path, value) is None:  # else date-format
                yield path, str(e)


def _due_in_words(path: Path, value: str) -> str | None:
    """The due form of a ``due`` (or a ``rescheduled`` ``from``) written as the signed text
    words it: ``постоянно``, ``на постоянной основе`` -> ``ongoing``; ``по мере
    необходимости`` -> ``on_request``; ``2026 год`` -> ``2026``; ``II полугодие 2026`` ->
    ``2026-H2`` (the readings of ``roadmap import``, :mod:`roadmap_cli.deadline_phrases`). None
    for anything else: a reading that needs a note (``до 31.12.2026`` is the day before: the
    importer's documented choice, not a fix to offer), a span of years, a recurrence, or a text
    it does not read."""
    if not (path[-1] == "due" or path[-3:-2] == ("rescheduled",)) or len(value) > 100:
        return None
    from roadmap_cli.deadline_phrases import read_deadline

    reading = read_deadline(value)
    if reading.note is not None or not isinstance(reading.due, str):  # (a reading to explain)
        return None
    return reading.due if reading.kind in _WORDED_DUES else None


#: the readings of a due in words offered as its fix: one due each, with nothing to explain
_WORDED_DUES = frozenset({"ongoing", "on_request", "year", "half", "quarter", "month", "date"})


#: a date or period written as the file wants it (or an impossible one: another rule's finding)
_ISO_LIKE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?|-Q[1-4]|-H[12])?").fullmatch


@rule("date-format")
def date_format(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A real date or period written in another common form: `31.12.2026`, `31/12/2026`,
    `2026.12.31`, `31 декабря 2026`, `December 31, 2026`, `Q4 2026`, `IV квартал 2026`.

    The message says how to write it: `2026-12-31` (a date), `2026-12` (a month), `2026-Q4`.
    """
    dates, periods = _date_values(doc)
    date_paths = _date_paths(doc)[0]
    for path, value in (*dates, *periods):
        if not isinstance(value, str) or _ISO_LIKE(value):
            continue  # (iso_form gives an ISO-like text back as it is, or None)
        from roadmap_cli.explain import iso_form  # (a date in another form: rare)

        fixed = iso_form(value) or _due_in_words(path, value)
        if fixed is not None and fixed != value:
            try:
                (schedule.parse_date if path in date_paths else schedule.parse_period)(value)
                continue  # it is fine as written
            except ValueError:
                pass
            shown = value.strip()
            if shown == fixed or not shown.isprintable():
                # only spaces or invisible characters are wrong: shown bare, the value would read
                # exactly as its fix ("2026-10-01 is written in another form: write it as 2026-10-01")
                shown = repr(value)
            from roadmap_cli.resolve import lookalikes  # (Word's dashes: 2026–Q4 reads as 2026-Q4)

            yield path, _("{value} is written in another form: write it as {fixed}").format(
                value=shown, fixed=fixed
            ) + lookalikes(value)


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
            ).format(grace=i18n.number(grace), most=MAX_GRACE_DAYS)


@rule("period-order")
def period_order(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """A `period` that ends before it starts, or a recurring `until` before its `from`."""
    spans = {path: (value, first, last) for path, value, first, last in _spans(doc)}
    start, end = spans.get(("period", "start")), spans.get(("period", "end"))
    if start and end and end[2] < start[1]:
        yield ("period", "end"), _("the period ends ({end}) before it starts ({start})").format(
            end=end[0], start=start[0]
        )
    for i, m in _measures(doc):
        since = spans.get(("measures", i, "due", "from"))
        until = spans.get(("measures", i, "due", "until"))
        if since and until and until[2] < since[1] and not _one_period(m.get("due"), since, until):
            yield ("measures", i, "due", "until"), _(
                "the recurrence ends (until {until}) before it starts (from {since})"
            ).format(until=until[0], since=since[0])


def _one_period(due: Any, since: tuple[Any, date, date], until: tuple[Any, date, date]) -> bool:
    """A recurrence from a day to an earlier day of the same period of its kind (every month
    from 2026-05-31 until 2026-05-01): it recurs from the period that holds `from` to the one
    that holds `until`, the same one, once; not an order error."""
    every = due.get("every") if isinstance(due, dict) else None
    if every not in ("month", "quarter", "half", "year"):
        return False
    return schedule.period_containing(until[2], every).start >= schedule.period_containing(since[1], every).start


@rule("duplicate-measure-id")
def duplicate_measure_id(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """Two measures of one document with the same `id`."""
    seen: dict[str, int] = {}
    for i, m in _measures(doc):
        mid = m["id"]
        if mid in seen:
            first = doc.positions.get(("measures", seen[mid], "id"), (0, 0))
            path: Path = ("measures", i, "id")
            if doc.positions.get(path) == first:
                # a copy of the first by an alias (`- *m`): its id is written at the anchor, so
                # the copy is pointed at, not the first again ("used twice (first at line 9)" at 9)
                path = ("measures", i)
            line = first[0]
            yield path, _(
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
        yield path, _("dependency cycle: {loop}").format(loop=chain_text(cycle))


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
    """A measure that is `blocked` or `cancelled` without a `reason` (or with one of spaces only)."""
    for i, m in _measures(doc):
        status = m.get("status")
        reason = m.get("reason")
        if status in ("blocked", "cancelled") and (not reason or (isinstance(reason, str) and not reason.strip())):
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


@rule("parent-cycle", scope="agencies")
def parent_cycle(doc: Parsed, ctx: Context) -> Iterator[Finding]:
    """An agency that is its own parent, or a chain of `parent`s that comes back to where it
    began (reported once, at the `parent` that closes it: the first agency's in the file)."""
    agencies = [(i, a) for i, a in _items(doc.data, "agencies") if isinstance(a, dict)]
    parent_of: dict[str, str] = {}
    index: dict[str, int] = {}
    for i, a in agencies:
        aid, parent = a.get("id"), a.get("parent")
        if isinstance(aid, str) and aid not in parent_of and isinstance(parent, str):
            parent_of[aid], index[aid] = parent, i
    # each agency is walked once (a walk stops at an agency seen before): a chain of parents
    # 3,000 long, scanned again from each of its agencies, took 47 s to check
    order = {aid: n for n, aid in enumerate(parent_of)}
    seen: set[str] = set()
    found: list[list[str]] = []
    for start in parent_of:
        path: dict[str, int] = {}
        node = start
        while node in parent_of and node not in seen:
            seen.add(node)
            path[node] = len(path)
            node = parent_of[node]
        if node in path:  # the walk came back to an agency of its own: a new circle
            found.append(list(path)[path[node]:])
    for circle in sorted(found, key=lambda c: min(order[a] for a in c)):
        first = min(range(len(circle)), key=lambda k: order[circle[k]])
        chain = circle[first:] + circle[:first]
        start, last = chain[0], chain[-1]
        yield ("agencies", index[last], "parent"), _(
            "agency {id}: the chain of parents comes back to it: {chain}").format(
                id=repr(start), chain=chain_text([*chain, start]))
