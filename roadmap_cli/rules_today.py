"""The rules that depend on today's date, run on the loaded model after every load.

They are kept apart from :mod:`roadmap_cli.rules` because a load may come from the cache, which
is keyed by the files' bytes, not by the date: a cached load must not keep yesterday's answer.
Today is a parameter (the CLI's local date).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from typing import Any

from roadmap_cli.i18n import _
from roadmap_cli.limits import FIRST_YEAR, LAST_YEAR, MAX_PROBLEMS
from roadmap_cli.model import Problem, Roadmap, Severity

#: the rule ids checked by :func:`dated_problems` and their severity
DATED_RULE_IDS = {"completed-in-future": "error", "event-in-future": "warning"}


def _completed(file: str, line: int, col: int, mid: object, when: date, today: date) -> Problem:
    return Problem(
        file, line, col, Severity.ERROR, "completed-in-future",
        _("measure {id}: completed {when} is after today ({today}): a completion date "
          "records what has happened; check the year").format(
            id=mid, when=when.isoformat(), today=today.isoformat()
        ),
    )


def _event(file: str, line: int, col: int, eid: object, when: date, today: date,
           place: int | None = None) -> Problem:
    """``place``: the event has no id; it is named by its place in the list (``event no. 2``)."""
    if place is not None:
        text = _("event no. {n} is dated {when}, after today ({today}): record an event once it "
                 "has happened").format(n=place, when=when.isoformat(), today=today.isoformat())
    else:
        text = _("event {id!r} is dated {when}, after today ({today}): record an event "
                 "once it has happened").format(id=eid, when=when.isoformat(), today=today.isoformat())
    return Problem(file, line, col, Severity.WARNING, "event-in-future", text)


def completed_in_future(roadmaps: Iterable[Roadmap], today: date) -> Iterator[Problem]:
    """A `completed` date after today: a completion records what has happened (a mistyped
    year such as `2062-01-15` would otherwise count the measure as not done for years)."""
    for rm in roadmaps:
        for m in rm.measures:
            if m.completed is not None and m.completed > today:
                line, col = rm.source.at(("measures", m.index, "completed"))
                yield _completed(rm.file, line, col, m.id, m.completed, today)


def future_events(roadmaps: Iterable[Roadmap], today: date) -> Iterator[Problem]:
    """event-in-future: an event dated after ``today``. An event is recorded once it has
    happened; a planned date belongs in no `date` (the measures that follow it wait)."""
    for rm in roadmaps:
        for j, event in enumerate(rm.events):
            if event.date is not None and event.date > today:
                line, col = rm.source.at(("events", j, "date"))
                yield _event(rm.file, line, col, event.id, event.date, today)


#: one dated value of a document that has errors (so no model): ``(kind, id, day, line,
#: column)``, kind "completed" or "event", the day as its ordinal (plain data: cached)
DatedFact = tuple[str, str, int, int, int]


def dated_facts(parsed: Any) -> tuple[DatedFact, ...]:
    """The dated values of a document read but not built (it has errors), taken from its data
    as written, so that its dated problems are reported with its other problems (not only
    once those are fixed): every measure's `completed` and every event's `date` that reads as
    a day. Anything else in the data is left to the schema and the rules."""
    data = parsed.data
    if not isinstance(data, dict):
        return ()
    found: list[DatedFact] = []
    for key, field in (("measures", "completed"), ("events", "date")):
        items = data.get(key)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            day = _day(item.get(field))
            if day is None:
                continue
            line, col = parsed.at((key, i, field))
            found.append((
                "completed" if key == "measures" else "event",
                _id_as_written(parsed, item.get("id"), (key, i, "id"), i), day.toordinal(), line, col,
            ))
    # every one, past or not: which are after today is known only when they are reported
    # (:func:`fact_problems` stops at MAX_PROBLEMS of them)
    return tuple(found)


def _id_as_written(parsed: Any, value: Any, path: tuple[Any, ...], i: int) -> str:
    """An id as the other problems name it (:func:`roadmap_cli.explain.item_name`): a string as
    it is, an unquoted number as written (``1.10``, which YAML reads as 1.1), else (none, null,
    empty, a line break, longer than 60) its place in the list (:data:`_NO_ID`)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = parsed.plain_text.get(path, str(value))
    if isinstance(value, str) and value.strip() and len(value) <= 60 and "\n" not in value:
        return value
    return f"{_NO_ID}{i + 1}"


#: the mark of a fact whose item has no id: its place follows, worded when shown (``no. 2``)
_NO_ID = "\x00"


def _day(value: Any) -> date | None:
    """The day ``value`` names, when a built document could hold it: not one outside the years
    a roadmap can name (that is the `date-range` error at the same place, said once)."""
    if not isinstance(value, str):
        return None
    from roadmap_cli.periods import parse_date

    try:
        day = parse_date(value)
    except (ValueError, OverflowError):
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


def fact_problems(file: str, facts: Iterable[DatedFact], today: date) -> list[Problem]:
    """The dated problems of a document not built, from its :func:`dated_facts`."""
    found: list[Problem] = []
    count = {"completed": 0, "event": 0}
    for kind, rid, ordinal, line, col in facts:
        day = date.fromordinal(ordinal)
        if day > today and count[kind] < MAX_PROBLEMS:  # as every rule of a file stops there
            count[kind] += 1
            place = int(rid[1:]) if rid.startswith(_NO_ID) else None
            if kind == "event":
                found.append(_event(file, line, col, rid, day, today, place))
            else:
                name = rid if place is None else _("no. {n}").format(n=place)
                found.append(_completed(file, line, col, name, day, today))
    return found


def dated_problems(roadmaps: Iterable[Roadmap], today: date) -> list[Problem]:
    """Every problem of the rules that depend on today's date, up to MAX_PROBLEMS per rule and
    file, as every rule of a file stops (and :func:`fact_problems` for a document not built)."""
    found: list[Problem] = []
    for rm in roadmaps:
        found += islice(completed_in_future([rm], today), MAX_PROBLEMS)
        found += islice(future_events([rm], today), MAX_PROBLEMS)
    return found
