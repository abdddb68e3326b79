"""Checked data -> model: the model objects of one roadmap or of agencies.yaml.

Only for data that passed the schema check and the rules (:mod:`roadmap_cli.load` checks it
first): a missing required key here is a bug, not a user's mistake. The names are importable from
:mod:`roadmap_cli.load` too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from roadmap_cli import schedule
from roadmap_cli.lazydata import LazyMap, LazyRaw
from roadmap_cli.model import (
    Actual,
    Agency,
    Amendment,
    Due,
    Event,
    Evidence,
    Indicator,
    Measure,
    Report,
    Rescheduling,
    Roadmap,
    Section,
    Source,
    Status,
    lazy_raw,
    lean_measure,
    lean_roadmap,
)

if TYPE_CHECKING:
    from roadmap_cli.yamlsrc import Parsed


def build_agencies(data: Mapping[str, Any]) -> Iterable[Agency]:
    for a in data.get("agencies") or []:
        yield Agency(
            id=a["id"],
            name=a["name"],
            country=a["country"],
            level=a["level"],
            parent=a.get("parent"),
            short=a.get("short"),
            aliases=tuple(a.get("aliases") or ()),
        )


def _date(value: Any) -> Any:
    return schedule.parse_date(value) if isinstance(value, str) else None


#: the model objects that many measures share, one object each (they are immutable): a due
#: written as a string or a year (`2026-Q4`, `ongoing`), a list of agencies or dependencies;
#: bounded (past the bound, new ones are made as usual)
_DUES: dict[tuple[type, Any], Due] = {}
_TUPLES: dict[tuple[Any, ...], tuple[Any, ...]] = {}
_MAX_SHARED = 4096


def _due(raw: Any) -> Due:
    kind = type(raw)
    if kind is not str and kind is not int:
        return schedule.parse_due(raw)
    due = _DUES.get((kind, raw))
    if due is None:
        due = schedule.parse_due(raw)
        if len(_DUES) < _MAX_SHARED:
            _DUES[(kind, raw)] = due
    return due


def _tuple(items: Any) -> tuple[Any, ...]:
    if not items:
        return ()
    value = tuple(items)
    one = _TUPLES.get(value)
    if one is not None:
        return one
    if len(_TUPLES) < _MAX_SHARED:
        _TUPLES[value] = value
    return value


def build_measure(m: Mapping[str, Any], index: int = 0, lazy: LazyRaw | None = None) -> Measure:
    """The measure of ``m`` (``index`` its place in its document's ``measures``); with
    ``lazy``, its document's data as written, made lean at once (:func:`model.lean_measure`)."""
    if lazy is not None:
        return lean_measure(
            m["id"], m["title"], _tuple(m["owners"]), _due(m["due"]), Status(m["status"]),
            _tuple(m.get("co_executors")), m.get("progress"), m.get("weight", 1),
            _date(m.get("completed")), m.get("reason"), _tuple(m.get("depends_on")),
            _evidence(m), _indicators(m), _reports(m), m.get("notes"), m.get("section"),
            m.get("result"), _rescheduled(m), index, lazy,
        )
    return Measure(
        id=m["id"],
        title=m["title"],
        owners=_tuple(m["owners"]),
        co_executors=_tuple(m.get("co_executors")),
        due=_due(m["due"]),
        status=Status(m["status"]),
        progress=m.get("progress"),
        weight=m.get("weight", 1),
        completed=_date(m.get("completed")),
        reason=m.get("reason"),
        depends_on=_tuple(m.get("depends_on")),
        evidence=_evidence(m),
        indicators=_indicators(m),
        reports=_reports(m),
        notes=m.get("notes"),
        section=m.get("section"),
        result=m.get("result"),
        rescheduled=_rescheduled(m),
        index=index,
        raw=m,
    )


def _evidence(m: Mapping[str, Any]) -> tuple[Evidence, ...]:
    items = m.get("evidence")
    if not items:
        return ()
    return tuple(
        Evidence(title=e["title"], date=_date(e.get("date")), url=e.get("url")) for e in items
    )


def _indicators(m: Mapping[str, Any]) -> tuple[Indicator, ...]:
    items = m.get("indicators")
    if not items:
        return ()
    return tuple(
        Indicator(
            id=ind["id"],
            title=ind["title"],
            target=ind["target"],
            unit=ind.get("unit"),
            baseline=ind.get("baseline"),
            actuals=tuple(
                Actual(date=schedule.parse_date(a["date"]), value=a["value"])
                for a in ind.get("actuals") or ()
            ),
        )
        for ind in items
    )


def _reports(m: Mapping[str, Any]) -> tuple[Report, ...]:
    items = m.get("reports")
    if not items:
        return ()
    return tuple(
        Report(period=str(r["period"]), date=_date(r.get("date")), note=r.get("note"))
        for r in items
    )


def _rescheduled(m: Mapping[str, Any]) -> tuple[Rescheduling, ...]:
    items = m.get("rescheduled")
    if not items:
        return ()
    return tuple(Rescheduling(due=schedule.parse_due(r["from"]), by=r["by"]) for r in items)


def build_roadmap(parsed: Parsed, lean: bool = False) -> Roadmap:
    """The document of ``parsed``; ``lean``: as :func:`model.lean` would make it (its data as
    written kept compressed), its measures made so at once."""
    from roadmap_cli.yamlfast import kept_positions  # a cold load's; a warm run reads no YAML

    d = parsed.data
    lazy = lazy_raw(d) if lean else None
    roadmap = Roadmap(
        id=d["id"],
        kind=d["kind"],
        title=d["title"],
        parties=tuple(d["parties"]),
        signed=schedule.parse_date(d["signed"]["date"]),
        signed_place=d["signed"].get("place"),
        period_start=schedule.parse_date(d["period"]["start"]),
        period_end=schedule.parse_date(d["period"]["end"]),
        measures=tuple(build_measure(m, i, lazy) for i, m in enumerate(d["measures"])),
        notes=d.get("notes"),
        sections=tuple(Section(id=x["id"], title=x["title"]) for x in d.get("sections") or ()),
        events=tuple(
            Event(id=x["id"], title=x["title"], date=_date(x.get("date")))
            for x in d.get("events") or ()
        ),
        amendments=tuple(
            Amendment(
                id=x["id"],
                date=schedule.parse_date(x["date"]),
                title=x.get("title"),
                url=x.get("url"),
            )
            for x in d.get("amendments") or ()
        ),
        # only the positions read after the load (yamlfast.KEPT_KEYS), as marshal bytes until asked
        source=Source(parsed.file, LazyMap.of(kept_positions(parsed.positions))),
        raw=d,
    )
    return roadmap if lazy is None else lean_roadmap(roadmap, lazy)
