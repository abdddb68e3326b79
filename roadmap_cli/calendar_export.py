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

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from roadmap_cli import anchors, schedule
from roadmap_cli.labels import t
from roadmap_cli.measure_list import due_text
from roadmap_cli.model import Agency, Measure, Roadmap, Status, pick
from roadmap_cli.textsafe import BIDI_CONTROLS, terminal

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
    if period:
        return f"{roadmap_id}/{measure_id}/{period}@{UID_DOMAIN}"
    return f"{roadmap_id}/{measure_id}@{UID_DOMAIN}"


def _natural(text: str) -> tuple[tuple[int, int, str], ...]:
    from roadmap_cli.report import natural_key

    return natural_key(text)


#: one deadline as plain values, in the calendar's order when sorted: (deadline, document id,
#: natural key of the measure id, period or "" (none: a measure's only deadline), its place in
#: the documents, document, measure, open); see :class:`Deadline`. (A calendar of 1,000
#: documents holds 176,000 of them at once: each value is 8 bytes more.)
_Found = tuple[date, str, tuple[tuple[int, int, str], ...], str, int, Roadmap, Measure, bool]


def _each_deadline(roadmaps: Iterable[Roadmap], as_of: date) -> Iterator[tuple[Roadmap, Measure, date, str | None, bool]]:
    """(document, measure, deadline, period, open) of every deadline, in document and measure
    order."""
    closed = Status.CANCELLED
    for rm in roadmaps:
        for m in rm.measures:
            if m.status is closed:
                continue
            due = anchors.due_in_force(m, rm, as_of)
            if due.open_ended:
                continue
            done = schedule.status_as_of(m, as_of) is Status.DONE
            if due.recurring:
                for period, when, reported in schedule._occurrences(m, rm, as_of, due):
                    yield rm, m, when, period.text, not done and not reported
                continue
            end = schedule.due_deadline(due, rm, as_of)  # None while waiting: left out
            if end is not None:
                yield rm, m, end, None, not done


def _sorted_deadlines(roadmaps: Iterable[Roadmap], as_of: date) -> list[_Found]:
    """Every deadline as :data:`_Found`, sorted for the calendar: by deadline, then document,
    then measure (natural order), then period; ties keep the document order."""
    natural: dict[str, tuple[tuple[int, int, str], ...]] = {}
    out: list[_Found] = []
    for n, (rm, m, when, period, still_open) in enumerate(_each_deadline(roadmaps, as_of)):
        key = natural.get(m.id)
        if key is None:
            key = natural[m.id] = _natural(m.id)
        out.append((when, rm.id, key, period or "", n, rm, m, still_open))
    out.sort()  # the place n is unique: the tuples never compare past it
    return out


def deadlines(roadmaps: Iterable[Roadmap], as_of: date) -> list[Deadline]:
    """Every deadline of ``roadmaps`` (see the module docstring), sorted for the calendar."""
    return [Deadline(f[5], f[6], f[0], f[3] or None, f[7]) for f in _sorted_deadlines(roadmaps, as_of)]


def deadline_count(roadmaps: Iterable[Roadmap], as_of: date) -> int:
    """How many deadlines :func:`deadlines` gives (the events of the calendar): counted from
    each document's digest, a row once for all its measures (a fixed deadline one, a recurring
    due its occurrences), a rare one (rescheduled, anchored) from its fields."""
    from roadmap_cli import digest, tally

    n = 0
    for rm in roadmaps:
        d = tally.digest_of(rm)
        for (how, written, _completed, _progress, _weight, ref), count in zip(d.rows, d.counts, strict=True):
            if written == "cancelled" or how == digest.OPEN:
                continue
            if how == digest.FIXED:
                n += count
            elif how == digest.RECURRING:
                n += len(d.schedules[ref][0]) * count  # one event per occurrence
            else:
                n += _deadlines_of(d.rare[ref], rm, as_of) * count  # type: ignore[arg-type]
    return n


def _deadlines_of(m: Measure, rm: Roadmap, as_of: date) -> int:
    """How many calendar events a measure that is not cancelled has."""
    due = anchors.due_in_force(m, rm, as_of)
    if due.open_ended:
        return 0
    if due.recurring:
        return len(schedule._span_of(due, rm))  # what _each_deadline's occurrences are
    return int(schedule.due_deadline(due, rm, as_of) is not None)


def _agency_names(ids: Iterable[str], agencies: Mapping[str, Agency], lang: str) -> str:
    names = []
    for a in ids:
        known = agencies.get(a)
        names.append(f"{pick(known.name, lang)} ({a})" if known else a)
    return "; ".join(names)


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
        self.measures: dict[int, tuple[Measure, str, str, str, str, Status]] = {}
        self.documents: dict[int, tuple[Roadmap, str]] = {}
        self.dues: dict[int, tuple[object, str]] = {}
        self.names: dict[tuple[str, tuple[str, ...]], str] = {}

    def _measure(self, rm: Roadmap, m: Measure, keep: bool = True) -> tuple[str, str, str, str, Status]:
        """(document, due, owners, co-executors or "", status as of) of ``m`` (the head of its
        description is the document's text and its id); kept for its next deadline unless
        ``keep`` is false (a measure with one deadline). The texts are shared: one object for
        the measures of a document, of a due form, of a list of agencies."""
        lang, w = self.lang, self.words
        known = self.measures.get(id(m))
        if known is not None and known[0] is m:
            return known[1:]
        document = self.documents.get(id(rm))
        if document is None or document[0] is not rm:
            text = "{}: {} ({})\n{}: ".format(w["document"], pick(rm.title, lang), rm.id, w["measure"])
            document = self.documents[id(rm)] = (rm, text)
        written = self.dues.get(id(m.due))
        if written is None or written[0] is not m.due:
            written = self.dues[id(m.due)] = (m.due, "{}: {}".format(w["due"], due_text(m.due.raw)))
        owners = self._names(m.owners, "owners")
        co_executors = self._names(m.co_executors, "co_executors") if m.co_executors else ""
        status = schedule.status_as_of(m, self.as_of)
        if keep:
            self.measures[id(m)] = (m, document[1], written[1], owners, co_executors, status)
        return document[1], written[1], owners, co_executors, status

    def _names(self, ids: Sequence[str], word: str) -> str:
        """"Owners: name (id); ..." (``word``: owners or co_executors), made once per list."""
        key = (word, tuple(ids))
        text = self.names.get(key)
        if text is None:
            text = self.names[key] = "{}: {}".format(
                self.words[word], _agency_names(ids, self.agencies, self.lang)
            )
        return text

    def __call__(self, d: Deadline) -> str:
        document, due, agencies, co_executors, status = self._measure(d.roadmap, d.measure)
        head, w = document + d.measure.id, self.words
        if co_executors:
            agencies += "\n" + co_executors
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
    n = len(data)
    if n <= 74:
        return data
    ascii_only = n == len(line)  # an octet a character: no character to keep whole
    out = []
    start = 0
    while n - start > 74:
        end = start + 74
        if not ascii_only:
            while data[end] & 0xC0 == 0x80:  # a continuation byte: not inside a character
                end -= 1
        if data[end - 1] in _ESCAPE_START:
            end -= 1
        out.append(data[start:end])
        start = end
    out.append(data[start:])
    return b"\r\n ".join(out)


#: the octets of ``\\`` and ``^``, which a folded line does not end with
_ESCAPE_START = (0x5C, 0x5E)


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
    """The iCalendar file for ``roadmaps`` as of ``as_of`` (bytes, CRLF lines, UTF-8): what
    :func:`write_ics` writes, in one piece."""
    parts: list[bytes] = []
    write_ics(parts.append, roadmaps, agencies, as_of, lang, remind_days, on_step)
    return b"".join(parts)


def _escaped(text: str) -> str:
    """A calendar's text value: no control characters (a calendar shows them to people),
    escaped (RFC 5545)."""
    return _text(terminal(text))


def write_ics(
    write: Callable[[bytes], object],
    roadmaps: Iterable[Roadmap],
    agencies: Mapping[str, Agency],
    as_of: date,
    lang: str = "en",
    remind_days: int = 7,
    on_step: Callable[[int, int], None] | None = None,
) -> int:
    """Write the iCalendar file for ``roadmaps`` as of ``as_of`` (CRLF lines, UTF-8) to
    ``write``, an event at a time; the number of events.

    Written directly, line by line, in the form the ``icalendar`` library gives (properties
    in its canonical order, its escaping and folding): building its objects cost 25 times
    more than the calendar's content (``tests/test_export.py`` holds the two to the same
    bytes). What does not change between the events of a measure (its title, document, due
    form, agencies and status) is made once per measure. ``on_step(done, total)`` is called
    after each event (a progress display)."""
    write(
        b"\r\n".join(
            [
                b"BEGIN:VCALENDAR",
                b"VERSION:2.0",
                _fold("PRODID:" + _text(PRODID)),
                b"CALSCALE:GREGORIAN",
                b"METHOD:PUBLISH",
                _fold("X-WR-CALNAME:" + _text(t("calendar_name", lang))),
                b"",
            ]
        )
    )
    stamp_line = f"DTSTAMP:{_ymd(as_of)}T000000Z".encode()
    trigger = f"TRIGGER:-P{remind_days}D".encode()
    describe = _Describer(agencies, as_of, lang)
    # the words an event adds to its measure's parts, escaped once (exact when _plain)
    around = t("reminder", lang, days=remind_days, title="\x00").split("\x00")
    words = [", {} ".format(describe.words["occurrence"])] + [
        "; {}: ".format(describe.words["reported"]) + mark for mark in ("–", "✓")
    ]
    words_plain = len(around) == 2 and _plain("".join(around + words))
    reminder = [_plain_escaped(x) for x in around]
    occurrence = _plain_escaped(words[0])
    reported = {True: _plain_escaped(words[1]), False: _plain_escaped(words[2])}
    categories: dict[str, bytes] = {}
    texts: dict[str, str | None] = {}  # escaped once (see _parts)
    #: per recurring measure (by id): its :func:`_parts` (a measure with one deadline is not
    #: kept: the calendar's memory stays the model's)
    measures: dict[int, _Parts | None] = {}
    events = _sorted_deadlines(roadmaps, as_of)
    total = len(events)
    events.reverse()  # taken from the end, so that each is freed once it is written
    # what events share, made once: each deadline's date lines and ISO text, each period
    # escaped (None: not plain), each document's categories line
    days: dict[date, tuple[bytes, str]] = {}
    periods: dict[str, str | None] = {}
    alarm_open = b"\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n"
    alarm_close = b"\r\n" + trigger + b"\r\nEND:VALARM\r\nEND:VEVENT\r\n"
    block: list[bytes] = []  # events written a few hundred at a time
    for n in range(1, total + 1):
        when, rid, _key, period_key, _n, rm, m, still_open = events.pop()
        period = period_key or None
        if period is None:  # its only deadline: nothing to keep
            known = _parts(describe, texts, rm, m, lang, keep=False) if words_plain else None
            escaped: str | None = ""
        else:
            if id(m) in measures:  # (each measure stays alive in its document: its id is its own)
                known = measures[id(m)]
            else:
                known = measures[id(m)] = _parts(describe, texts, rm, m, lang) if words_plain else None
            escaped = periods.get(period, "")
            if escaped == "":
                escaped = periods[period] = _plain_escaped(period) if _plain(period) else None
        day = days.get(when)
        if day is None:
            day = days[when] = (
                f"DTSTART;VALUE=DATE:{_ymd(when)}\r\nDTEND;VALUE=DATE:{_ymd(when + _DAY)}\r\n".encode()
                + stamp_line, when.isoformat())
        if known is not None and escaped is not None:
            (whole, name, rest), head, middle, tail, status = known
            if period is None:
                summary_text, text = whole, head + middle + day[1] + tail
            else:
                summary_text = f"{name} ({escaped}){rest}"
                text = head + occurrence + escaped + middle + day[1] + tail
                if status is not Status.DONE:
                    text += reported[still_open]
            alarm = reminder[0] + summary_text + reminder[1]
        else:  # escaped whole (see _escaped)
            d = Deadline(rm, m, when, period, still_open)
            title = summary(d, lang)
            summary_text, text, alarm = _escaped(title), _escaped(describe(d)), None
        category = categories.get(rid)
        if category is None:
            category = categories[rid] = _fold("CATEGORIES:" + _text(rid))
        # no control characters in the calendar's text (a calendar shows them to people)
        event = b"BEGIN:VEVENT\r\n%b\r\n%b\r\n%b\r\n%b\r\n%b\r\nTRANSP:TRANSPARENT" % (
            _fold("SUMMARY:" + summary_text), day[0], _fold("UID:" + _text(uid(rid, m.id, period))),
            category, _fold("DESCRIPTION:" + text),
        )
        if remind_days > 0 and still_open:
            if alarm is None:
                title = summary(Deadline(rm, m, when, period, still_open), lang)
                alarm = _escaped(t("reminder", lang, days=remind_days, title=title))
            block.append(event + alarm_open + _fold("DESCRIPTION:" + alarm) + alarm_close)
        else:
            block.append(event + b"\r\nEND:VEVENT\r\n")
        if len(block) >= 256:
            write(b"".join(block))
            block.clear()
        if on_step is not None:
            on_step(n, total)
    block.append(b"END:VCALENDAR\r\n")
    write(b"".join(block))
    return total


_DAY = timedelta(days=1)


#: a measure's parts of its events (:func:`_parts`)
_Parts = tuple[tuple[str, str, str], str, str, str, Status]


def _parts(describe: _Describer, escaped: dict[str, str | None], rm: Roadmap, m: Measure, lang: str,
           keep: bool = True) -> _Parts | None:
    """What :func:`write_ics` needs of a measure for each of its events, escaped: its summary
    (whole, and the two parts around an occurrence's period), the description before the
    occurrence, between it and the deadline's date, and after it, and its status as of the
    date; None when escaping the parts alone would not be exact (:func:`_plain`).

    What measures share (their document's text, due form, owners, co-executors, status) is
    escaped once, in ``escaped`` (a text: its :func:`_plain_escaped`, or None when it is not
    plain); a measure adds its id and title."""
    pieces = describe._measure(rm, m, keep)
    status = pieces[4]
    parts = []
    for text in (*pieces[:4], describe.states[status], describe.words["deadline"], describe.status_as_of):
        known = escaped.get(text)
        if known is None:  # not seen yet (or not plain: seen again, rare)
            known = escaped[text] = _plain_escaped(text) if _plain(text) else None
            if known is None:
                return None
        parts.append(known)
    document, due, owners, co_executors, state, deadline, as_of = parts
    title = pick(m.title, lang)
    if not _plain(title + m.id):
        return None
    name, rest = _plain_escaped(m.id), ": " + _plain_escaped(title)
    if co_executors:
        owners += "\\n" + co_executors
    return (
        (name + rest, name, rest), document + name, "\\n" + due + "\\n" + deadline + ": ",
        "\\n" + owners + "\\n" + as_of + ": " + state, status,
    )


#: what :func:`_plain` looks for: what ``terminal`` removes or replaces (controls but tab and
#: line feed, the bidirectional controls, lone surrogates), a backslash and a carriage return
_NOT_PLAIN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff\\\\]")


def _plain(text: str) -> bool:
    """Nothing in ``text`` that ``terminal`` changes, nor a backslash or a carriage return: its
    :func:`_escaped` is :func:`_plain_escaped`, which escapes character by character, so that
    the escaped parts of a text joined are the escaped text (``write_ics`` escapes what does
    not change between the events of a measure once)."""
    return _NOT_PLAIN.search(text) is None


def _plain_escaped(text: str) -> str:
    """:func:`_escaped` of a :func:`_plain` text (``_text``'s three steps)."""
    return text.replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
