"""Pure: one measure or one document in full as of a date, for ``show`` (and the flat part of
a measure for ``export`` and the calendar): plain data, as :mod:`roadmap_cli.report` gives rows
(split from it at 600 lines; the rows of the other reports stay there).

Nothing here prints, reads files or looks at a clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from roadmap_cli import anchors, report_signed, schedule, tally
from roadmap_cli.model import Agency, Due, Measure, Roadmap, Status, pick
from roadmap_cli.report import _iso, overdue_rows, plain, status_rows, upcoming_rows


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
      waiting_for_title; signed_deadline and rescheduled_by (see :func:`roadmap_cli.report.overdue_rows`);
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
        "needed_by": roadmap.needed_by(measure.id),
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


#: what a measure's rows say of it as of a day (:func:`measure_facts`): its status then, its due
#: in force, that due's deadline, its overdue items, its next open item (without a window's
#: end) and its own (fraction_pct, expected_pct)
Facts = tuple[
    Status, Due, "date | None", "list[schedule.Item]", "schedule.Item | None",
    "tuple[float | None, float | None]",
]


def measure_facts(
    roadmap: Roadmap, measure: Measure, as_of: date, one: tally.OneMeasure | None = None
) -> Facts:
    """A measure's :data:`Facts` as of ``as_of``, its due in force and deadline worked out once.
    ``one``: the measure's ``tally.answers`` up to ``as_of`` when the caller has them (a
    document's measures worked out in one call)."""
    status = schedule.status_as_of(measure, as_of) if one is None else one[0]
    in_force = anchors.due_in_force(measure, roadmap, as_of)
    end = schedule.due_deadline(in_force, roadmap, as_of)  # schedule.deadline
    overdue, upcoming = schedule.measure_items(measure, roadmap, as_of, status, in_force, end)
    # (None, None) when the measure is left out of progress (cancelled, ongoing, waiting
    # without an anchor, weight <= 0): its own progress and schedule, exact like a document's
    single = (
        tally.measure_progress(measure, roadmap, as_of) if one is None else tally.one_progress(one)
    )
    return status, in_force, end, overdue, upcoming, single


def measure_core(
    roadmap: Roadmap, measure: Measure, as_of: date, lang: str = "en",
    one: tally.OneMeasure | None = None,
) -> dict[str, Any]:
    """The flat part of :func:`measure_detail` (title and the keys of :data:`_CORE_KEYS`, same
    values), from the measure's :func:`measure_facts`, without the lists of occurrences,
    reports, evidence, indicators and dependencies that only ``show`` prints."""
    status, in_force, end, overdue, upcoming, single = measure_facts(roadmap, measure, as_of, one)
    section = roadmap.section(measure.section)
    deadline = _iso(end)
    return {
        "title": pick(measure.title, lang),
        "due_kind": in_force.kind,
        "due_in_force": plain(in_force.raw),
        "deadline": deadline,
        "status": status.value,
        "status_written": Status(measure.status).value,
        "completed": _iso(measure.completed),
        "done_late": schedule.completed_late(measure, end, as_of),
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
        "next_deadline": _iso(upcoming.deadline) if upcoming else None,
        "next_period": upcoming.period if upcoming else None,
        "days_left": upcoming.days if upcoming else None,
        "section": measure.section,
        "section_title": pick(section.title, lang) if section else None,
        "result": pick(measure.result, lang) if measure.result is not None else None,
        **report_signed.waiting_keys(measure, roadmap, as_of, lang, in_force),
        **report_signed.measure_signed_keys(measure, roadmap, as_of, deadline),
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
