"""Pure: deadlines -> an iCalendar (RFC 5545) file.

One all-day event per deadline: a measure with a fixed due form has one, a recurring measure one
per occurrence (its period's last day plus ``grace``), an ``ongoing`` or ``on_request`` measure
none, a measure whose status is ``cancelled`` none, and a **waiting** measure (``due: {after,
within}`` whose anchor date is not known as of the date) none until its anchor date is
recorded. The due is the one in force as of the date (amendments replayed). Done measures keep
their events (the deadline happened).

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

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from roadmap_cli import anchors, schedule
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


def _each_deadline(roadmaps: Iterable[Roadmap], as_of: date) -> Iterator[Deadline]:
    for rm in roadmaps:
        for m in rm.measures:
            due = anchors.due_in_force(m, rm, as_of)
            if m.status is Status.CANCELLED or due.open_ended:
                continue
            done = schedule.status_as_of(m, as_of) is Status.DONE
            if due.recurring:
                for o in schedule.occurrences(m, rm, as_of):
                    yield Deadline(rm, m, o.deadline, o.period.text, not done and not o.reported)
                continue
            end = schedule.due_deadline(due, rm, as_of)  # None while waiting: left out
            if end is not None:
                yield Deadline(rm, m, end, None, not done)


def deadlines(roadmaps: Iterable[Roadmap], as_of: date) -> list[Deadline]:
    """Every deadline of ``roadmaps`` (see the module docstring), sorted for the calendar."""
    out = list(_each_deadline(roadmaps, as_of))
    out.sort(key=lambda d: (d.deadline, d.roadmap.id, _natural(d.measure.id), d.period or ""))
    return out


def deadline_count(roadmaps: Iterable[Roadmap], as_of: date) -> int:
    """How many deadlines :func:`deadlines` gives (the events of the calendar)."""
    return sum(1 for _d in _each_deadline(roadmaps, as_of))


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
    return _Describer(agencies, as_of, lang)(d)


class _Describer:
    """:func:`description` for many deadlines: the words of ``lang`` looked up once, and what
    does not change between the occurrences of a measure (its document, due form, agencies and
    status) put together once per measure."""

    def __init__(self, agencies: Mapping[str, Agency], as_of: date, lang: str) -> None:
        self.agencies, self.as_of, self.lang = agencies, as_of, lang
        self.words = {
            k: t(k, lang)
            for k in ("document", "measure", "occurrence", "due", "deadline", "owners",
                      "co_executors", "reported")
        }
        self.status_as_of = t("status_as_of", lang, date=as_of.isoformat())
        self.states = {s: t(s.value, lang) for s in Status}
        self.measures: dict[int, tuple[Measure, str, str, str, Status]] = {}

    def _measure(self, d: Deadline) -> tuple[str, str, str, Status]:
        m, lang, w = d.measure, self.lang, self.words
        known = self.measures.get(id(m))
        if known is not None and known[0] is m:
            return known[1:]
        head = "{}: {} ({})\n{}: {}".format(
            w["document"], pick(d.roadmap.title, lang), d.roadmap.id, w["measure"], m.id
        )
        due = "{}: {}".format(w["due"], _due_text(m.due.raw))
        agencies = "{}: {}".format(w["owners"], _agency_names(m.owners, self.agencies, lang))
        if m.co_executors:
            agencies += "\n{}: {}".format(
                w["co_executors"], _agency_names(m.co_executors, self.agencies, lang)
            )
        status = schedule.status_as_of(m, self.as_of)
        self.measures[id(m)] = (m, head, due, agencies, status)
        return head, due, agencies, status

    def __call__(self, d: Deadline) -> str:
        head, due, agencies, status = self._measure(d)
        w = self.words
        if d.period:
            head += ", {} {}".format(w["occurrence"], d.period)
        state = self.states[status]
        if d.period is not None and status is not Status.DONE:
            state += "; {}: ".format(w["reported"]) + ("✓" if not d.open else "–")
        return "{}\n{}\n{}: {}\n{}\n{}: {}".format(
            head, due, w["deadline"], d.deadline.isoformat(), agencies, self.status_as_of, state
        )


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 (3.3.11) says, in the order the icalendar library
    applies (a literal ``\\N`` reads as a line break; CR, LF and CRLF become ``\\n``)."""
    if "\\" not in value and "\r" not in value:
        # no escape sequence and no CR (every text but a few): three of the seven steps
        if ";" not in value and "," not in value and "\n" not in value:
            return value  # nothing to escape (most summaries and ids)
        return value.replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> bytes:
    """One content line as UTF-8, folded (RFC 5545 3.1) as the icalendar library folds: at most
    74 octets per physical line, never inside a character, and a trailing ``\\`` or ``^``
    (the start of an escape) moved to the next line."""
    data = line.encode("utf-8")
    if len(data) <= 74:
        return data
    out = []
    start, n = 0, len(data)
    while n - start > 74:
        end = start + 74
        while data[end] & 0xC0 == 0x80:  # a continuation byte: not inside a character
            end -= 1
        if data[end - 1] in b"\\^":
            end -= 1
        out.append(data[start:end])
        start = end
    out.append(data[start:])
    return b"\r\n ".join(out)


def _ymd(d: date) -> str:
    text = _YMD.get(d)
    if text is None:
        text = f"{d.year:04d}{d.month:02d}{d.day:02d}"
        if len(_YMD) < 8192:  # a calendar's deadlines fall on a few hundred days
            _YMD[d] = text
    return text


_YMD: dict[date, str] = {}


def to_ics(
    roadmaps: Iterable[Roadmap],
    agencies: Mapping[str, Agency],
    as_of: date,
    lang: str = "en",
    remind_days: int = 7,
    on_step: Callable[[int, int], None] | None = None,
) -> bytes:
    """The iCalendar file for ``roadmaps`` as of ``as_of`` (bytes, CRLF lines, UTF-8).

    Written directly, line by line, in the form the ``icalendar`` library gives (properties
    in its canonical order, its escaping and folding): building its objects cost 25 times
    more than the calendar's content (``tests/test_export.py`` holds the two to the same
    bytes). ``on_step(done, total)`` is called after each event (a progress display)."""
    stamp = f"DTSTAMP:{_ymd(as_of)}T000000Z"
    lines: list[bytes] = [
        b"BEGIN:VCALENDAR",
        b"VERSION:2.0",
        _fold("PRODID:" + _text(PRODID)),
        b"CALSCALE:GREGORIAN",
        b"METHOD:PUBLISH",
        _fold("X-WR-CALNAME:" + _text(t("calendar_name", lang))),
    ]
    trigger = f"TRIGGER:-P{remind_days}D".encode()
    describe = _Describer(agencies, as_of, lang)
    stamp_line = stamp.encode()
    events = deadlines(roadmaps, as_of)
    for n, d in enumerate(events, 1):
        title = summary(d, lang)
        # one bytes object per event (not one per line): a tenth of the objects to keep
        event = [
            b"BEGIN:VEVENT",
            # no control characters in the calendar's text (a calendar shows them to people)
            _fold("SUMMARY:" + _text(terminal(title))),
            f"DTSTART;VALUE=DATE:{_ymd(d.deadline)}".encode(),
            f"DTEND;VALUE=DATE:{_ymd(d.deadline + timedelta(days=1))}".encode(),
            stamp_line,
            _fold("UID:" + _text(d.uid)),
            _fold("CATEGORIES:" + _text(d.roadmap.id)),
            _fold("DESCRIPTION:" + _text(terminal(describe(d)))),
            b"TRANSP:TRANSPARENT",
        ]
        if remind_days > 0 and d.open:
            reminder = t("reminder", lang, days=remind_days, title=title)
            event += [
                b"BEGIN:VALARM",
                b"ACTION:DISPLAY",
                _fold("DESCRIPTION:" + _text(terminal(reminder))),
                trigger,
                b"END:VALARM",
            ]
        event.append(b"END:VEVENT")
        lines.append(b"\r\n".join(event))
        if on_step is not None:
            on_step(n, len(events))
    lines += [b"END:VCALENDAR", b""]
    return b"\r\n".join(lines)


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
    "section",
    "result",
    "signed_deadline",
    "rescheduled_by",
    "waiting_for",
)


def measure_rows(
    roadmaps: Sequence[Roadmap],
    agencies: Mapping[str, Agency],
    as_of: date,
    lang: str = "en",
    on_step: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """One flat row per measure, in document and file order (see :data:`MEASURE_KEYS`).

    Built from :func:`roadmap_cli.report_detail.measure_core` (the flat part of ``show``'s
    :func:`~roadmap_cli.report_detail.measure_detail`), with the nested parts flattened:
    ``owners``/``co_executors``/``depends_on`` are lists of ids (CSV joins them with ``; ``),
    ``due`` is the due form as written (a recurring mapping as text, e.g.
    ``{every: quarter, from: 2026-Q1, until: 2028-Q4, grace: 15}``), ``overdue`` the number of
    overdue items (occurrences for recurring measures), ``indicators`` the number of indicators.
    ``on_step(done, total)`` is called after each document (a progress display).
    """
    from roadmap_cli.report_detail import measure_core

    rows = []
    for n, rm in enumerate(roadmaps, 1):
        for m in rm.measures:
            d = measure_core(rm, m, as_of, lang)
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
                    "section": d["section"],
                    "result": d["result"],
                    "signed_deadline": d["signed_deadline"],
                    "rescheduled_by": d["rescheduled_by"],
                    "waiting_for": d["waiting_for"],
                }
            )
        if on_step is not None:
            on_step(n, len(roadmaps))
    return rows
