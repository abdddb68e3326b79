"""Pure: deadlines -> an iCalendar (RFC 5545) file, built with the ``icalendar`` library.

One all-day event per deadline: a measure with a fixed due form has one, a recurring measure one
per occurrence (its period's last day plus ``grace``), an ``ongoing`` measure none, and a measure
whose status is ``cancelled`` none. Done measures keep their events (the deadline happened).

Choices written down here (and in docs/reports.md):

- **UIDs are stable**: ``<roadmap>/<measure>@roadmap-cli`` for a measure with one deadline, and
  ``<roadmap>/<measure>/<period>@roadmap-cli`` for each occurrence of a recurring one (``period``
  as ``2026-Q3``, ``2026-H1``, ``2026-03``, ``2026``). The deadline is *not* part of the UID, so
  when a deadline moves, calendar clients move the event instead of adding a second one.
- **DTSTAMP is the as-of date** (midnight UTC), not the clock: two runs with the same data and
  the same ``--as-of`` give byte-identical files; a later as-of gives a newer DTSTAMP, which tells
  clients to refresh.
- **Reminders**: a ``VALARM`` (display) ``remind_days`` days before the deadline, only on
  events still open as of the date (not done; for recurring occurrences, not reported).
  ``remind_days=0`` writes no alarms.
- Events are ``TRANSP:TRANSPARENT`` (a deadline does not make anyone busy), sorted by deadline,
  then document, then measure (natural order), so that the file diffs well.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from roadmap_cli import schedule
from roadmap_cli.labels import t
from roadmap_cli.model import Agency, Measure, Roadmap, Status, pick
from roadmap_cli.textsafe import terminal

PRODID = "-//roadmap-cli//roadmap-cli//EN"
UID_DOMAIN = "roadmap-cli"


@dataclass(frozen=True)
class Deadline:
    """One calendar deadline: a measure's, or one occurrence's of a recurring measure."""

    roadmap: Roadmap
    measure: Measure
    deadline: date
    period: str | None  # the occurrence (recurring only)
    open: bool  # still to do as of the date: not done (as of) / occurrence not reported

    @property
    def uid(self) -> str:
        return uid(self.roadmap.id, self.measure.id, self.period)


def uid(roadmap_id: str, measure_id: str, period: str | None = None) -> str:
    """``<roadmap>/<measure>[/<period>]@roadmap-cli``."""
    parts = [roadmap_id, measure_id] + ([period] if period else [])
    return "/".join(parts) + "@" + UID_DOMAIN


def _natural(text: str) -> tuple[tuple[int, int, str], ...]:
    from roadmap_cli.report import natural_key

    return natural_key(text)


def deadlines(roadmaps: Iterable[Roadmap], as_of: date) -> list[Deadline]:
    """Every deadline of ``roadmaps`` (see the module docstring), sorted for the calendar."""
    out: list[Deadline] = []
    for rm in roadmaps:
        for m in rm.measures:
            if m.status is Status.CANCELLED or m.due.ongoing:
                continue
            done = schedule.status_as_of(m, as_of) is Status.DONE
            if m.due.recurring:
                for o in schedule.occurrences(m, rm, as_of):
                    out.append(
                        Deadline(rm, m, o.deadline, o.period.text, not done and not o.reported)
                    )
                continue
            end = schedule.deadline(m, rm)
            if end is not None:
                out.append(Deadline(rm, m, end, None, not done))
    out.sort(key=lambda d: (d.deadline, d.roadmap.id, _natural(d.measure.id), d.period or ""))
    return out


def _agency_names(ids: Iterable[str], agencies: Mapping[str, Agency], lang: str) -> str:
    names = []
    for a in ids:
        known = agencies.get(a)
        names.append(f"{pick(known.name, lang)} ({a})" if known else a)
    return "; ".join(names)


def _due_text(raw: Any) -> str:
    if isinstance(raw, Mapping):
        return "{" + ", ".join(f"{k}: {v}" for k, v in raw.items()) + "}"
    return str(raw)


def summary(d: Deadline, lang: str = "en") -> str:
    """``1.4 (2026-Q3): Monitor ...`` / ``1.1: Set up ...``."""
    head = d.measure.id if d.period is None else f"{d.measure.id} ({d.period})"
    return f"{head}: {pick(d.measure.title, lang)}"


def description(d: Deadline, agencies: Mapping[str, Agency], as_of: date, lang: str = "en") -> str:
    """Plain text: the document, the measure, the due form, the agencies and the status."""
    m = d.measure
    status = schedule.status_as_of(m, as_of)
    lines = [
        f"{t('document', lang)}: {pick(d.roadmap.title, lang)} ({d.roadmap.id})",
        f"{t('measure', lang)}: {m.id}"
        + (f", {t('occurrence', lang)} {d.period}" if d.period else ""),
        f"{t('due', lang)}: {_due_text(m.due.raw)}",
        f"{t('deadline', lang)}: {d.deadline.isoformat()}",
        f"{t('owners', lang)}: {_agency_names(m.owners, agencies, lang)}",
    ]
    if m.co_executors:
        lines.append(f"{t('co_executors', lang)}: {_agency_names(m.co_executors, agencies, lang)}")
    state = t(status.value, lang)
    if d.period is not None and status is not Status.DONE:
        state += f"; {t('reported', lang)}: " + ("✓" if not d.open else "–")
    lines.append(f"{t('status_as_of', lang, date=as_of.isoformat())}: {state}")
    return "\n".join(lines)


def to_ics(
    roadmaps: Iterable[Roadmap],
    agencies: Mapping[str, Agency],
    as_of: date,
    lang: str = "en",
    remind_days: int = 7,
) -> bytes:
    """The iCalendar file for ``roadmaps`` as of ``as_of`` (bytes, CRLF lines, UTF-8)."""
    from icalendar import Alarm, Calendar, Event

    stamp = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", t("calendar_name", lang))
    for d in deadlines(roadmaps, as_of):
        event = Event()
        event.add("uid", d.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", d.deadline)
        event.add("dtend", d.deadline + timedelta(days=1))
        # no control characters in the calendar's text (a calendar shows them to people)
        event.add("summary", terminal(summary(d, lang)))
        event.add("description", terminal(description(d, agencies, as_of, lang)))
        event.add("categories", [d.roadmap.id])
        event.add("transp", "TRANSPARENT")
        if remind_days > 0 and d.open:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", timedelta(days=-remind_days))
            alarm.add("description", terminal(t("reminder", lang, days=remind_days, title=summary(d, lang))))
            event.add_component(alarm)
        cal.add_component(event)
    ics: bytes = cal.to_ical()
    return ics


# --------------------------------------------------------------------------------------------
# The flat list of measures (``export --format csv|json``), for spreadsheets

#: the keys of :func:`measure_rows`, in column order
MEASURE_KEYS: tuple[str, ...] = (
    "roadmap",
    "measure",
    "title",
    "owners",
    "co_executors",
    "due",
    "due_kind",
    "deadline",
    "next_deadline",
    "status",
    "status_written",
    "progress",
    "weight",
    "completed",
    "done_late",
    "fraction_pct",
    "expected_pct",
    "overdue",
    "days_overdue",
    "reason",
    "depends_on",
    "indicators",
    "roadmap_title",
    "file",
)


def measure_rows(
    roadmaps: Iterable[Roadmap], agencies: Mapping[str, Agency], as_of: date, lang: str = "en"
) -> list[dict[str, Any]]:
    """One flat row per measure, in document and file order (see :data:`MEASURE_KEYS`).

    Built from :func:`roadmap_cli.report.measure_detail`, with the nested parts flattened:
    ``owners``/``co_executors``/``depends_on`` are lists of ids (CSV joins them with ``; ``),
    ``due`` is the due form as written (a recurring mapping as text, e.g.
    ``{every: quarter, from: 2026-Q1, until: 2028-Q4, grace: 15}``), ``overdue`` the number of
    overdue items (occurrences for recurring measures), ``indicators`` the number of indicators.
    """
    from roadmap_cli.report import measure_detail

    rows = []
    for rm in roadmaps:
        for m in rm.measures:
            d = measure_detail(rm, m, as_of, agencies, lang)
            rows.append(
                {
                    "roadmap": rm.id,
                    "measure": m.id,
                    "title": d["title"],
                    "owners": list(m.owners),
                    "co_executors": list(m.co_executors),
                    "due": _due_text(m.due.raw),
                    "due_kind": d["due_kind"],
                    "deadline": d["deadline"],
                    "next_deadline": d["next_deadline"],
                    "status": d["status"],
                    "status_written": d["status_written"],
                    "progress": d["progress"],
                    "weight": d["weight"],
                    "completed": d["completed"],
                    "done_late": d["done_late"],
                    "fraction_pct": d["fraction_pct"],
                    "expected_pct": d["expected_pct"],
                    "overdue": len(d["overdue"]),
                    "days_overdue": d["days_overdue"],
                    "reason": d["reason"],
                    "depends_on": list(m.depends_on),
                    "indicators": len(m.indicators),
                    "roadmap_title": pick(rm.title, lang),
                    "file": rm.file,
                }
            )
    return rows
