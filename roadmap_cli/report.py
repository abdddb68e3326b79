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
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from roadmap_cli import anchors, asof_items, report_signed, schedule, tally
from roadmap_cli.model import Agency, Measure, Roadmap, Status, pick

_STATUS_ORDER: tuple[Status, ...] = (
    Status.DONE,
    Status.IN_PROGRESS,
    Status.NOT_STARTED,
    Status.BLOCKED,
    Status.CANCELLED,
)
#: each status's value (``Status.value`` is a Python property: 90,000 rows asked it)
_VALUE: dict[Status, str] = {s: s.value for s in Status}
#: The status counts of the status and agencies reports, in column order.
STATUS_KEYS: tuple[str, ...] = tuple(s.value for s in _STATUS_ORDER)
_STATUS_PAIRS: tuple[tuple[str, Status], ...] = tuple(zip(STATUS_KEYS, _STATUS_ORDER, strict=True))

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
    if value.__class__ is str:
        return value
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
            narrowed = replace(rm, measures=measures)
            # a deadline `after` a measure the filter left out is still known from the whole
            # document (roadmap_cli.anchors reads its measures there)
            narrowed.__dict__[anchors.WHOLE] = rm.__dict__.get(anchors.WHOLE, rm)
            out.append(narrowed)
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
        **{key: t.statuses.get(s, 0) for key, s in _STATUS_PAIRS},
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
        d = tally.digest_of(rm)
        rows.append(
            {
                "roadmap": rm.id,
                "title": pick(rm.title, lang),
                "measures": d.total,
                **_summary(tally.summed_counts(
                    tally.counted(tally.digest_answers(d, rm, as_of, window_end), d.counts)
                )),
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
        d = tally.digest_of(rm)
        ones = tally.digest_answers(d, rm, as_of, window_end)
        groups: dict[str | None, Counter[tally.OneMeasure]] = {s.id: Counter() for s in rm.sections}
        for shape, _owners, _co, in_section, n in d.groups:
            key = in_section if in_section in groups else None
            found = groups.get(key)
            if found is None:
                found = groups[key] = Counter()
            found[ones[shape]] += n
        if None in groups:
            groups[None] = groups.pop(None)  # measures without a section come last
        for key, counts in groups.items():
            section = rm.section(key)
            rows.append(
                {
                    "roadmap": rm.id,
                    "section": key,
                    "section_title": pick(section.title, lang) if section else None,
                    "title": pick(rm.title, lang),
                    "measures": sum(counts.values()),
                    **_summary(tally.summed_counts(counts)),
                    "file": rm.file,
                    "kind": rm.kind,
                }
            )
    return rows


# --------------------------------------------------------------------------------------------
# Overdue and upcoming items


def _item_rows(
    items: Iterable[asof_items.Found], lang: str, days_key: str, as_of: date
) -> list[dict[str, Any]]:
    """One row per item (see :func:`overdue_rows`); what a measure's rows share (its title and
    due as written) and the ISO form of each deadline are made once."""
    rows: list[dict[str, Any]] = []
    per_measure: dict[int, tuple[str, Any]] = {}
    iso: dict[date, str] = {}
    for rm, m, when, period, days, status in items:
        shared = per_measure.get(id(m))
        if shared is None:
            shared = per_measure[id(m)] = (pick(m.title, lang), plain(m.due.raw))
        title, due = shared
        deadline = iso.get(when)
        if deadline is None:
            deadline = iso[when] = when.isoformat()
        row = {
            "roadmap": rm.id,
            "measure": m.id,
            "title": title,
            "owners": list(m.owners),
            "due": dict(due) if due.__class__ is dict else due,
            "deadline": deadline,
            days_key: days,
            "status": _VALUE[status],
            "period": period,
            # report_signed.item_signed_keys: a measure never moved has its deadline as signed
            "signed_deadline": deadline,
            "rescheduled_by": [],
        }
        if m.rescheduled:
            row.update(report_signed.item_signed_keys(schedule.Item(rm, m, when, period, days, status), as_of))
        rows.append(row)
    return rows


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
    items = asof_items.overdue_found(roadmaps, as_of)
    items.sort(key=lambda i: (-i[4], i[0].id, natural_key(i[1].id), i[2]))
    return _item_rows(items, lang, "days_overdue", as_of)


def upcoming_rows(
    roadmaps: Iterable[Roadmap], as_of: date, window_end: date, lang: str = "en"
) -> list[dict[str, Any]]:
    """Everything falling due from ``as_of`` to ``window_end`` inclusive, soonest first.

    The keys of :func:`overdue_rows` with ``days_left`` (0 on the deadline day) instead of
    ``days_overdue``. A recurring measure appears once, with its next unreported occurrence.
    Sorted by deadline, then roadmap id, then measure id compared naturally.
    """
    items = asof_items.due_soon_found(roadmaps, as_of, window_end)
    items.sort(key=lambda i: (i[2], i[0].id, natural_key(i[1].id)))
    return _item_rows(items, lang, "days_left", as_of)


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
    # each measure's row is worked out once (a document's digest), and its answer counted for
    # each agency its group names, as many times as the group has measures
    led: dict[str, dict[tally.OneMeasure, int]] = {}
    co: dict[str, int] = {}
    distinct: dict[tuple[str, ...], tuple[str, ...]] = {}  # a list of ids without repeats
    for rm in roadmaps:
        d = tally.digest_of(rm)
        ones = tally.digest_answers(d, rm, as_of, window_end)
        for shape, owners, executors, _section, n in d.groups:
            one = ones[shape]
            named = distinct.get(owners)
            if named is None:
                named = distinct[owners] = tuple(dict.fromkeys(owners))
            for a in named:
                counts = led.get(a)
                if counts is None:
                    led[a] = {one: n}
                else:
                    counts[one] = counts.get(one, 0) + n
            named = distinct.get(executors)
            if named is None:
                named = distinct[executors] = tuple(dict.fromkeys(executors))
            for a in named:
                co[a] = co.get(a, 0) + n

    wanted_country = country.upper() if country else None
    rows: list[dict[str, Any]] = []
    for agency_id in {*led, *co}:
        if agency is not None and agency_id != agency:
            continue
        known = agencies.get(agency_id)
        if wanted_country and (known is None or known.country.upper() != wanted_country):
            continue
        counts = led.get(agency_id, {})
        rows.append(
            {
                "agency": agency_id,
                "name": pick(known.name, lang) if known else agency_id,
                "country": known.country if known else None,
                "lead": sum(counts.values()),
                "co_executor": co.get(agency_id, 0),
                **_summary(tally.summed_counts(counts)),
            }
        )
    rows.sort(key=lambda r: (-r["overdue"], r["agency"]))
    return rows
