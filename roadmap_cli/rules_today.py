"""The rules that depend on today's date, run on the loaded model after every load.

They are kept apart from :mod:`roadmap_cli.rules` because a load may come from the cache, which
is keyed by the files' bytes, not by the date: a cached load must not keep yesterday's answer.
Today is a parameter (the CLI's local date).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

from roadmap_cli.i18n import _
from roadmap_cli.limits import MAX_PROBLEMS
from roadmap_cli.model import Problem, Roadmap, Severity

#: the rule ids checked by :func:`dated_problems` and their severity
DATED_RULE_IDS = {"completed-in-future": "error", "event-in-future": "warning"}


def completed_in_future(roadmaps: Iterable[Roadmap], today: date) -> Iterator[Problem]:
    """A `completed` date after today: a completion records what has happened (a mistyped
    year such as `2062-01-15` would otherwise count the measure as not done for years)."""
    for rm in roadmaps:
        for m in rm.measures:
            if m.completed is not None and m.completed > today:
                line, col = rm.source.at(("measures", m.index, "completed"))
                yield Problem(
                    rm.file, line, col, Severity.ERROR, "completed-in-future",
                    _("measure {id}: completed {when} is after today ({today}): a completion date "
                      "records what has happened; check the year").format(
                        id=m.id, when=m.completed.isoformat(), today=today.isoformat()
                    ),
                )


def future_events(roadmaps: Iterable[Roadmap], today: date) -> Iterator[Problem]:
    """event-in-future: an event dated after ``today``. An event is recorded once it has
    happened; a planned date belongs in no `date` (the measures that follow it wait)."""
    for rm in roadmaps:
        for j, event in enumerate(rm.events):
            if event.date is not None and event.date > today:
                line, col = rm.source.at(("events", j, "date"))
                yield Problem(
                    rm.file, line, col, Severity.WARNING, "event-in-future",
                    _("event {id!r} is dated {when}, after today ({today}): record an event "
                      "once it has happened").format(
                        id=event.id, when=event.date.isoformat(), today=today.isoformat()
                    ),
                )


def dated_problems(roadmaps: Iterable[Roadmap], today: date) -> list[Problem]:
    """Every problem of the rules that depend on today's date."""
    roadmaps = list(roadmaps)
    return [
        *islice(completed_in_future(roadmaps, today), MAX_PROBLEMS),
        *islice(future_events(roadmaps, today), MAX_PROBLEMS),
    ]
