"""Pure reports: model + as-of date -> rows of plain data (dicts of JSON-ready values).

Each row carries the contract's keys for ``--format json`` with their contract meaning; a few
extra keys (``health``, ``file``, ``kind``, ``cancelled``, ``expected_pct``) are added where they
help a person. Dates are ISO strings, statuses their string values, titles picked in ``lang``
with the contract's fallback (:func:`roadmap_cli.model.pick`).

Nothing here prints, reads files or looks at a clock; the CLI passes the as-of date and the end
of the due-soon window (``schedule.window_end``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from roadmap_cli import anchors, report_signed, schedule, tally
from roadmap_cli.model import Agency, Measure, Roadmap, Status, pick

_STATUS_ORDER: tuple[Status, ...] = (
    Status.DONE,
    Status.IN_PROGRESS,
    Status.NOT_STARTED,
    Status.BLOCKED,
    Status.CANCELLED,
)
#: The status counts of the status and agencies reports, in column order.
STATUS_KEYS: tuple[str, ...] = tuple(s.value for s in _STATUS_ORDER)

_CHUNK = re.compile(r"(\d+)")


@lru_cache(maxsize=65536)
def natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """A sort key comparing runs of digits as numbers: "1.9" < "1.10" < "2" < "10"; "a" after "1".

    Ties between spellings of the same number ("01" and "1") are broken by the text itself.
    """
    parts: list[tuple[int, int, str]] = []
    for chunk in _CHUNK.split(text):
        if not chunk:
            continue
        if chunk.isdigit():
            parts.append((0, int(chunk), chunk))
        else:
            parts.append((1, 0, chunk))
    return tuple(parts)


def plain(value: Any) -> Any:
    """A value as plain JSON data: dates as ISO strings, mappings as dicts, tuples as lists."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Status):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


# --------------------------------------------------------------------------------------------
# Selection


def select(
    roadmaps: Iterable[Roadmap],
    *,
    roadmap_ids: Sequence[str] = (),
    agency: str | None = None,
    country: str | None = None,
    statuses: Iterable[Status | str] = (),
    as_of: date,
    agencies: Mapping[str, Agency],
) -> list[Roadmap]:
    """A filtered view of ``roadmaps``: the documents asked for, each with the measures that match.

    - ``roadmap_ids``: keep only these documents (in their original order); empty keeps all. Ids
      that name no document are ignored here: the CLI tells the user about them.
    - ``agency``: measures the agency leads (``owners``) or co-executes (``co_executors``).
    - ``country``: measures with at least one owner or co-executor whose agency is registered
      with that country (ISO code, compared case-insensitively). Unknown agency ids match no
      country.
    - ``statuses``: measures whose status *as of* ``as_of`` is one of these (a ``done`` measure
      completed after ``as_of`` matches ``in_progress``).

    Filters combine with "and". Measures keep their order. A document left with no measure by a
    measure filter (agency, country, status) is dropped; with no measure filter every asked
    document is kept, even an empty one. Documents are narrowed with ``dataclasses.replace``,
    so ``depends_on`` may name measures that are not in the view.
    """
    wanted_ids = set(roadmap_ids)
    wanted_statuses = {Status(s) for s in statuses}
    wanted_country = country.upper() if country else None
    filtering = bool(agency or wanted_country or wanted_statuses)

    def keep(m: Measure) -> bool:
        if agency and agency not in m.owners and agency not in m.co_executors:
            return False
        if wanted_country:
            countries = {
                agencies[a].country.upper() for a in (*m.owners, *m.co_executors) if a in agencies
            }
            if wanted_country not in countries:
                return False
        return not wanted_statuses or schedule.status_as_of(m, as_of) in wanted_statuses

    out: list[Roadmap] = []
    for rm in roadmaps:
        if wanted_ids and rm.id not in wanted_ids:
            continue
        if not filtering:
            out.append(rm)
            continue
        measures = tuple(m for m in rm.measures if keep(m))
        if measures:
            out.append(replace(rm, measures=measures))
    return out


# --------------------------------------------------------------------------------------------
# Counting


def health(
    pairs: Sequence[tuple[Measure, Roadmap]],
    as_of: date,
    *,
    overdue: int,
    progress_pct: float | None,
    expected_pct: float | None,
) -> str:
    """One word for how a set of measures stands as of a date. The first that holds, in order:

    1. ``n/a``: nothing counts for progress (no measures, or all cancelled or ``ongoing``).
    2. ``complete``: every measure that counts is complete: done as of the date, or recurring
       with every occurrence reported (then nothing can be overdue).
    3. ``behind``: progress_pct < expected_pct, as shown (one decimal): less is finished than the
       schedule says should be by now.
    4. ``overdue``: at least one overdue item, though overall progress keeps up with the schedule.
    5. ``not started``: no measure is done or in progress as of the date and progress_pct is 0
       (and, by the rules above, nothing is overdue and nothing was expected yet).
    6. ``on track``: anything else: nothing overdue, progress at or above expected.
    """
    if progress_pct is None or expected_pct is None:
        return "n/a"
    started = any(
        schedule.status_as_of(m, as_of) in (Status.DONE, Status.IN_PROGRESS) for m, _ in pairs
    )
    return _health(schedule.is_complete(pairs, as_of), started, overdue, progress_pct, expected_pct)


def _health(
    complete: bool, started: bool, overdue: int, progress_pct: float | None,
    expected_pct: float | None,
) -> str:
    """:func:`health` from what it is decided by."""
    if progress_pct is None or expected_pct is None:
        return "n/a"
    if complete:
        return "complete"
    if progress_pct < expected_pct:
        return "behind"
    if overdue:
        return "overdue"
    if not started and progress_pct == 0:
        return "not started"
    return "on track"


def _summary(t: tally.Tally) -> dict[str, Any]:
    """What a status row and an agency row share: the as-of status counts, overdue and due-soon
    items, progress, expected and health of a set of measures (:func:`roadmap_cli.tally.tally`)."""
    started = bool(t.statuses.get(Status.DONE) or t.statuses.get(Status.IN_PROGRESS))
    return {
        **{s.value: t.statuses.get(s, 0) for s in _STATUS_ORDER},
        "overdue": t.overdue,
        "due_soon": t.due_soon,
        "progress_pct": t.progress_pct,
        "expected_pct": t.expected_pct,
        "health": _health(t.complete, started, t.overdue, t.progress_pct, t.expected_pct),
    }


def status_rows(
    roadmaps: Iterable[Roadmap], as_of: date, window_end: date, lang: str = "en"
) -> list[dict[str, Any]]:
    """One row per document, in the order given: counts, progress and health as of ``as_of``.

    Keys: roadmap, title, measures, done, in_progress, not_started, blocked, cancelled, overdue,
    due_soon, progress_pct, expected_pct, and the extras health (see :func:`health`), file, kind.
    ``measures`` counts every measure; the status counts are as of the date and add up to it;
    ``overdue`` and ``due_soon`` count items (occurrences for recurring measures).
    """
    rows: list[dict[str, Any]] = []
    for rm in roadmaps:
        rows.append(
            {
                "roadmap": rm.id,
                "title": pick(rm.title, lang),
                "measures": len(rm.measures),
                **_summary(tally.tally([(m, rm) for m in rm.measures], as_of, window_end)),
                "file": rm.file,
                "kind": rm.kind,
            }
        )
    return rows


def section_rows(
    roadmaps: Iterable[Roadmap], as_of: date, window_end: date, lang: str = "en"
) -> list[dict[str, Any]]:
    """``status --by section``: one row per section of each document, in the document's order,
    then (when some measure has no section) one row with ``section`` None for those.

    The keys of :func:`status_rows` (``title`` is the document's) plus section and
    section_title. A document without ``sections`` gives one row, section None, that is its
    whole status row. A section no measure names is shown with 0 measures.
    """
    rows: list[dict[str, Any]] = []
    for rm in roadmaps:
        groups: dict[str | None, list[Measure]] = {s.id: [] for s in rm.sections}
        for m in rm.measures:
            key = m.section if m.section in groups else None
            groups.setdefault(key, []).append(m)
        if None in groups:
            groups[None] = groups.pop(None)  # measures without a section come last
        for key, measures in groups.items():
            section = rm.section(key)
            rows.append(
                {
                    "roadmap": rm.id,
                    "section": key,
                    "section_title": pick(section.title, lang) if section else None,
                    "title": pick(rm.title, lang),
                    "measures": len(measures),
                    **_summary(tally.tally([(m, rm) for m in measures], as_of, window_end)),
                    "file": rm.file,
                    "kind": rm.kind,
                }
            )
    return rows


# --------------------------------------------------------------------------------------------
# Overdue and upcoming items


def _item_row(item: schedule.Item, lang: str, days_key: str, as_of: date) -> dict[str, Any]:
    m = item.measure
    return {
        "roadmap": item.roadmap.id,
        "measure": m.id,
        "title": pick(m.title, lang),
        "owners": list(m.owners),
        "due": plain(m.due.raw),
        "deadline": item.deadline.isoformat(),
        days_key: item.days,
        "status": item.status.value,
        "period": item.period,
        **report_signed.item_signed_keys(item, as_of),
    }


def overdue_rows(
    roadmaps: Iterable[Roadmap], as_of: date, lang: str = "en"
) -> list[dict[str, Any]]:
    """Every overdue item as of ``as_of``: one row per measure, or per missed occurrence.

    Keys: roadmap, measure, title, owners (ids), due (as written), deadline, days_overdue, status
    (as of), period (the occurrence, ``None`` for non-recurring measures), signed_deadline (the
    deadline as signed, before any amendment) and rescheduled_by (the amendment ids in force
    that moved it; empty when none). Sorted by days_overdue
    descending, then roadmap id, then measure id compared naturally ("1.9" before "1.10"), then
    deadline (occurrences of one measure oldest first).
    """
    items = tally.overdue_items(roadmaps, as_of)
    items.sort(key=lambda i: (-i.days, i.roadmap.id, natural_key(i.measure.id), i.deadline))
    return [_item_row(i, lang, "days_overdue", as_of) for i in items]


def upcoming_rows(
    roadmaps: Iterable[Roadmap], as_of: date, window_end: date, lang: str = "en"
) -> list[dict[str, Any]]:
    """Everything falling due from ``as_of`` to ``window_end`` inclusive, soonest first.

    The keys of :func:`overdue_rows` with ``days_left`` (0 on the deadline day) instead of
    ``days_overdue``. A recurring measure appears once, with its next unreported occurrence.
    Sorted by deadline, then roadmap id, then measure id compared naturally.
    """
    items = tally.due_soon_items(roadmaps, as_of, window_end)
    items.sort(key=lambda i: (i.deadline, i.roadmap.id, natural_key(i.measure.id)))
    return [_item_row(i, lang, "days_left", as_of) for i in items]


# --------------------------------------------------------------------------------------------
# Agencies


def agency_rows(
    roadmaps: Iterable[Roadmap],
    agencies: Mapping[str, Agency],
    as_of: date,
    window_end: date,
    lang: str = "en",
    *,
    agency: str | None = None,
    country: str | None = None,
) -> list[dict[str, Any]]:
    """One row per agency that leads or co-executes at least one measure of ``roadmaps``.

    ``agency`` / ``country`` keep only the row of that agency / of the agencies registered with
    that country (the CLI's --agency and --country also narrow the measures, see :func:`select`).

    A measure counts for each of its owners as a lead measure and, separately, for each of its
    co-executors (an agency named in both counts in both). Keys: agency, name, country, lead
    (measures led), co_executor (measures co-executed), done, in_progress, not_started,
    blocked, cancelled (as-of statuses of the lead measures, adding up to ``lead``), overdue
    and due_soon (items of the lead measures only), progress_pct and expected_pct (of the lead
    measures), and health (:func:`health` over the lead measures). An id missing from the
    registry gets its id as name and ``None`` as country. Sorted by overdue descending, then
    agency id.
    """
    led: dict[str, tally.Acc] = {}  # each measure is worked out once, then added to its leads
    co: dict[str, int] = {}
    for rm in roadmaps:
        for m in rm.measures:
            owners = m.owners
            if owners:
                one = tally.measure_as_of(m, rm, as_of, window_end)
                for a in owners if len(owners) == 1 else dict.fromkeys(owners):
                    acc = led.get(a)
                    if acc is None:
                        acc = led[a] = tally.Acc()
                    acc.add(m, one)
            for a in dict.fromkeys(m.co_executors):
                co[a] = co.get(a, 0) + 1

    wanted_country = country.upper() if country else None
    rows: list[dict[str, Any]] = []
    for agency_id in {*led, *co}:
        if agency is not None and agency_id != agency:
            continue
        known = agencies.get(agency_id)
        if wanted_country and (known is None or known.country.upper() != wanted_country):
            continue
        found = led.get(agency_id)
        rows.append(
            {
                "agency": agency_id,
                "name": pick(known.name, lang) if known else agency_id,
                "country": known.country if known else None,
                "lead": found.measures if found else 0,
                "co_executor": co.get(agency_id, 0),
                **_summary((found or tally.Acc()).result()),
            }
        )
    rows.sort(key=lambda r: (-r["overdue"], r["agency"]))
    return rows


# --------------------------------------------------------------------------------------------
# Details for `show`


def _agency_ref(agency_id: str, agencies: Mapping[str, Agency], lang: str) -> dict[str, Any]:
    known = agencies.get(agency_id)
    return {
        "agency": agency_id,
        "name": pick(known.name, lang) if known else agency_id,
        "country": known.country if known else None,
    }


def _pct_of_target(latest: float, target: float, baseline: float | None) -> float | None:
    from roadmap_cli.indicators import pct_of_target  # one home (never nan for ±1e308)

    return pct_of_target(latest, target, baseline)


def measure_detail(
    roadmap: Roadmap,
    measure: Measure,
    as_of: date,
    agencies: Mapping[str, Agency],
    lang: str = "en",
) -> dict[str, Any]:
    """Everything about one measure as of ``as_of``, for ``show ROADMAP/MEASURE``.

    Keys:

    - roadmap, measure, title; owners and co_executors (ids); agencies (one entry per owner and
      co-executor: agency, name, country, role ``lead`` or ``co_executor``);
    - due (as written), due_in_force (the due in force as of the date: ``due`` unless an
      amendment dated later is replayed), due_kind (of the due in force), deadline (ISO; for
      recurring the last occurrence's; ``None`` for ongoing, on_request and while waiting), status (as of), status_written (in the file), completed, done_late,
      progress, weight, reason, notes;
    - fraction_pct and expected_pct: this measure's own progress and schedule, 0..100 with one
      decimal (``None`` when it is left out of progress: cancelled or ongoing);
    - overdue: its overdue items (deadline, days_overdue, period); days_overdue: the largest of
      them (the oldest missed), else ``None``;
    - next_deadline and days_left: the next deadline on or after ``as_of`` that still matters
      (not done or cancelled; for recurring, the next unreported occurrence), else ``None``;
    - occurrences (recurring only, else empty): period, deadline, reported (as of), report_date,
      overdue;
    - reports, evidence: all of them as written, each with ``future``: dated after ``as_of``
      (such a report does not count yet);
    - indicators: id, title, unit, baseline, target, latest and latest_date (the last actual
      dated on or before ``as_of``), pct_of_target (100 * (latest - baseline) / (target -
      baseline), baseline 0 when absent);
    - depends_on: each dependency's measure, title, status (as of), deadline, done (as of);
      ``None`` title and status when it names no measure; needed_by: ids of the measures of
      the same document that depend on this one;
    - section and section_title (``None`` when it has none); result (the expected result);
      waiting_for (the event or measure id it waits for as of the date, else ``None``) and
      waiting_for_title; signed_deadline and rescheduled_by (see :func:`overdue_rows`);
      deadline_history (:func:`roadmap_cli.report_signed.deadline_history`).

    The deadline is the one in force as of the date (``None`` while waiting).
    """
    core = measure_core(roadmap, measure, as_of, lang)
    status = Status(core["status"])
    reports_by_period: dict[str, date | None] = {}
    for r in measure.reports:
        try:
            key = schedule.parse_period(str(r.period)).text
        except ValueError:
            continue
        when = r.date or schedule.parse_period(key).end
        earlier = reports_by_period.get(key)
        if when <= as_of and (earlier is None or when < earlier):
            reports_by_period[key] = when
    occurrences = [
        {
            "period": o.period.text,
            "deadline": o.deadline.isoformat(),
            "reported": o.reported,
            "report_date": _iso(reports_by_period.get(o.period.text)) if o.reported else None,
            "overdue": o.deadline < as_of and not o.reported and status not in schedule.CLOSED,
        }
        for o in schedule.occurrences(measure, roadmap, as_of)
    ]
    indicators = []
    for ind in measure.indicators:
        known = [a for a in ind.actuals if a.date <= as_of]
        latest = max(known, key=lambda a: a.date) if known else None
        indicators.append(
            {
                "id": ind.id,
                "title": pick(ind.title, lang),
                "unit": ind.unit,
                "baseline": ind.baseline,
                "target": ind.target,
                "latest": latest.value if latest else None,
                "latest_date": _iso(latest.date) if latest else None,
                "pct_of_target": (
                    _pct_of_target(latest.value, ind.target, ind.baseline) if latest else None
                ),
            }
        )
    depends_on = []
    for dep_id in measure.depends_on:
        dep = roadmap.measure(dep_id)
        dep_status = schedule.status_as_of(dep, as_of) if dep else None
        depends_on.append(
            {
                "measure": dep_id,
                "title": pick(dep.title, lang) if dep else None,
                "status": dep_status.value if dep_status else None,
                "deadline": _iso(schedule.deadline(dep, roadmap, as_of)) if dep else None,
                "done": dep_status is Status.DONE,
            }
        )
    return {
        "roadmap": roadmap.id,
        "measure": measure.id,
        "title": core["title"],
        "owners": list(measure.owners),
        "co_executors": list(measure.co_executors),
        "agencies": [{**_agency_ref(a, agencies, lang), "role": "lead"} for a in measure.owners]
        + [{**_agency_ref(a, agencies, lang), "role": "co_executor"} for a in measure.co_executors],
        "due": plain(measure.due.raw),
        **{k: core[k] for k in _CORE_KEYS[:18]},
        "occurrences": occurrences,
        "reports": [
            {
                "period": str(r.period),
                "date": _iso(r.date),
                "note": r.note,
                "future": r.date is not None and r.date > as_of,
            }
            for r in measure.reports
        ],
        "evidence": [
            {
                "title": pick(ev.title, lang),
                "date": _iso(ev.date),
                "url": ev.url,
                "future": ev.date is not None and ev.date > as_of,
            }
            for ev in measure.evidence
        ],
        "indicators": indicators,
        "depends_on": depends_on,
        "needed_by": [m.id for m in roadmap.measures if measure.id in m.depends_on],
        **{k: core[k] for k in _CORE_KEYS[18:]},
        "deadline_history": report_signed.deadline_history(measure, roadmap, as_of, lang),
    }


#: the keys of :func:`measure_core` after ``title``, in the order :func:`measure_detail` gives
#: them (its nested lists come after the first 18)
_CORE_KEYS = (
    "due_kind", "due_in_force", "deadline", "status", "status_written", "completed",
    "done_late", "progress", "weight", "reason", "notes", "fraction_pct", "expected_pct",
    "overdue", "days_overdue", "next_deadline", "next_period", "days_left",
    "section", "section_title", "result", "waiting_for", "waiting_for_title",
    "signed_deadline", "rescheduled_by",
)


def measure_core(roadmap: Roadmap, measure: Measure, as_of: date, lang: str = "en") -> dict[str, Any]:
    """The flat part of :func:`measure_detail` (title and the keys of :data:`_CORE_KEYS`, same
    values): what the measure list of ``export`` needs, without the lists of occurrences,
    reports, evidence, indicators and dependencies that only ``show`` prints."""
    status = schedule.status_as_of(measure, as_of)
    in_force = anchors.due_in_force(measure, roadmap, as_of)
    overdue = schedule.measure_overdue(measure, roadmap, as_of)
    upcoming = schedule.measure_due_soon(measure, roadmap, as_of, date.max)
    # (None, None) when the measure is left out of progress (cancelled, ongoing, waiting
    # without an anchor, weight <= 0): its own progress and schedule, exact like a document's
    single = schedule.progress([(measure, roadmap)], as_of)
    section = roadmap.section(measure.section)
    return {
        "title": pick(measure.title, lang),
        "due_kind": in_force.kind,
        "due_in_force": plain(in_force.raw),
        "deadline": _iso(schedule.deadline(measure, roadmap, as_of)),
        "status": status.value,
        "status_written": Status(measure.status).value,
        "completed": _iso(measure.completed),
        "done_late": schedule.done_late(measure, roadmap, as_of),
        "progress": measure.progress,
        "weight": measure.weight,
        "reason": measure.reason,
        "notes": measure.notes,
        "fraction_pct": single[0],
        "expected_pct": single[1],
        "overdue": [
            {"deadline": i.deadline.isoformat(), "days_overdue": i.days, "period": i.period}
            for i in overdue
        ],
        "days_overdue": max((i.days for i in overdue), default=None),
        "next_deadline": _iso(upcoming[0].deadline) if upcoming else None,
        "next_period": upcoming[0].period if upcoming else None,
        "days_left": upcoming[0].days if upcoming else None,
        "section": measure.section,
        "section_title": pick(section.title, lang) if section else None,
        "result": pick(measure.result, lang) if measure.result is not None else None,
        **report_signed.waiting_keys(measure, roadmap, as_of, lang),
        **report_signed.signed_keys(measure, roadmap, as_of),
    }


def roadmap_detail(
    roadmap: Roadmap,
    as_of: date,
    window_end: date,
    agencies: Mapping[str, Agency],
    lang: str = "en",
) -> dict[str, Any]:
    """One document in full as of ``as_of``, for ``show ROADMAP``.

    Keys: roadmap, title, kind, file, parties (agency, name, country), signed, signed_place,
    period_start, period_end, notes, summary (its :func:`status_rows` row), measures (a
    :func:`measure_detail` per measure, in file order), overdue (:func:`overdue_rows`) and
    upcoming (:func:`upcoming_rows` up to ``window_end``).
    """
    return {
        "roadmap": roadmap.id,
        "title": pick(roadmap.title, lang),
        "kind": roadmap.kind,
        "file": roadmap.file,
        "parties": [_agency_ref(a, agencies, lang) for a in roadmap.parties],
        "signed": roadmap.signed.isoformat(),
        "signed_place": roadmap.signed_place,
        "period_start": roadmap.period_start.isoformat(),
        "period_end": roadmap.period_end.isoformat(),
        "notes": roadmap.notes,
        "summary": status_rows([roadmap], as_of, window_end, lang)[0],
        "measures": [measure_detail(roadmap, m, as_of, agencies, lang) for m in roadmap.measures],
        "overdue": overdue_rows([roadmap], as_of, lang),
        "upcoming": upcoming_rows([roadmap], as_of, window_end, lang),
    }
