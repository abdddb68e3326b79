"""Pure: what the reports say about a signed document as it really is: the deadline as signed and
the amendments that moved it, the deadline's history, what a waiting measure waits for, and
the sections.

Plain data out (ISO dates, ids, titles picked in ``lang``); :mod:`roadmap_cli.report` puts these
keys in its rows. Nothing here prints or looks at a clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from roadmap_cli import anchors, i18n, schedule
from roadmap_cli.i18n import _, ngettext
from roadmap_cli.model import Due, Measure, Roadmap, Status, pick


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def signed_keys(measure: Measure, roadmap: Roadmap, as_of: date) -> dict[str, Any]:
    """``signed_deadline`` (ISO date or None) and ``rescheduled_by`` (the amendment ids in force
    on ``as_of``, oldest first; empty when none)."""
    return {
        "signed_deadline": _iso(schedule.signed_deadline(measure, roadmap, as_of)),
        "rescheduled_by": anchors.rescheduled_by(measure, roadmap, as_of),
    }


def measure_signed_keys(
    measure: Measure, roadmap: Roadmap, as_of: date, deadline: str | None
) -> dict[str, Any]:
    """:func:`signed_keys` of a measure whose deadline in force on ``as_of`` is ``deadline``
    (ISO): a measure never rescheduled has it as signed, and no amendment moved it."""
    if measure.rescheduled:
        return signed_keys(measure, roadmap, as_of)
    return {"signed_deadline": deadline, "rescheduled_by": []}


def item_signed_keys(item: schedule.Item, as_of: date) -> dict[str, Any]:
    """:func:`signed_keys` of one overdue or due-soon item. For an occurrence of a recurring
    measure the signed deadline is that occurrence's (its period under the signed due; None
    when the signed due had no such period); a measure never rescheduled has its deadline as
    signed deadline."""
    m, rm = item.measure, item.roadmap
    if not m.rescheduled:
        return {"signed_deadline": item.deadline.isoformat(), "rescheduled_by": []}
    keys = signed_keys(m, rm, as_of)
    if item.period is not None:
        keys["signed_deadline"] = _iso(schedule.occurrence_deadline(anchors.signed_due(m), rm, item.period))
    return keys


def waiting_keys(
    measure: Measure, roadmap: Roadmap, as_of: date, lang: str, in_force: Due | None = None
) -> dict[str, Any]:
    """``waiting_for`` (the event or measure id, or None) and ``waiting_for_title``: the event's
    title, or "completion of ID (title)" for a measure. ``in_force``: the measure's due in
    force on ``as_of`` when the caller has it (a due without an anchor waits for nothing)."""
    if in_force is not None and not in_force.anchored:
        return {"waiting_for": None, "waiting_for_title": None}
    anchor = anchors.waiting_for(measure, roadmap, as_of)
    title = None
    if anchor is not None:
        event = roadmap.event(anchor)
        if event is not None:
            title = pick(event.title, lang)
        else:
            other = roadmap.measure(anchor)
            name = pick(other.title, lang) if other is not None else ""
            title = _("completion of {id}").format(id=anchor) + (
                " ({title})".format(title=name) if name else ""
            )
    return {"waiting_for": anchor, "waiting_for_title": title}


def amendment_name(roadmap: Roadmap, amendment_id: str, lang: str) -> str:
    """An amendment as a person names it: "Protocol No. 1 of 15.06.2026" (its title, else its
    id, and its date as written in the region's documents)."""
    found = roadmap.amendment(amendment_id)
    if found is None:
        return amendment_id
    name = pick(found.title, lang) if found.title is not None else found.id
    written = found.date.strftime("%d.%m.%Y")
    if written in name or found.date.isoformat() in name:
        return name  # the title names its date already
    return _("{name} of {date}").format(name=name, date=written)


def deadline_history(
    measure: Measure, roadmap: Roadmap, as_of: date, lang: str
) -> list[dict[str, Any]]:
    """The deadline as signed, then each move by an amendment in force on ``as_of``: one entry
    each, oldest first, with ``due`` (as written), ``deadline`` (ISO or None while waiting),
    ``by`` (None for the signed one), ``amendment`` (its name) and ``date``. Empty for a
    measure never rescheduled."""
    if not measure.rescheduled:
        return []
    dues = [r.due for r in measure.rescheduled] + [measure.due]
    entries: list[dict[str, Any]] = [
        {
            "due": _plain(dues[0].raw),
            "deadline": _iso(schedule.due_deadline(dues[0], roadmap, as_of)),
            "by": None,
            "amendment": None,
            "date": None,
        }
    ]
    in_force = set(anchors.rescheduled_by(measure, roadmap, as_of))
    for entry, due in zip(measure.rescheduled, dues[1:], strict=True):
        if entry.by not in in_force:
            break
        found = roadmap.amendment(entry.by)
        entries.append(
            {
                "due": _plain(due.raw),
                "deadline": _iso(schedule.due_deadline(due, roadmap, as_of)),
                "by": entry.by,
                "amendment": amendment_name(roadmap, entry.by, lang),
                "date": _iso(found.date) if found is not None else None,
            }
        )
    return entries


def history_text(history: list[dict[str, Any]]) -> str:
    """"signed 2026-09-30; moved to 2026-12-31 by Protocol No. 1 of 15.06.2026"."""
    if not history:
        return ""
    parts = [_("signed {when}").format(when=_when(history[0]))]
    for h in history[1:]:
        parts.append(
            _("moved to {when} by {amendment}").format(when=_when(h), amendment=h["amendment"])
        )
    return "; ".join(parts)


#: the units of ``within`` in words, for people: ``6m`` -> "6 months"
_WITHIN_WORDS = {
    "d": lambda n: ngettext("{count} day", "{count} days", n),
    "w": lambda n: ngettext("{count} week", "{count} weeks", n),
    "m": lambda n: ngettext("{count} month", "{count} months", n),
    "y": lambda n: ngettext("{count} year", "{count} years", n),
}


def within_text(within: Any) -> str:
    """A ``within`` in words in the interface language: ``6m`` -> "6 months" ("6 месяцев");
    anything else as written."""
    text = str(within)
    if len(text) >= 2 and text[:-1].isdigit() and text[-1] in _WITHIN_WORDS:
        n = int(text[:-1])
        return _WITHIN_WORDS[text[-1]](n).format(count=i18n.number(n))
    return text


def after_text(due: Any, anchor_title: str | None = None) -> str:
    """An anchored due in words: "6 months after entry-into-force"; with the title of the
    event it follows, "6 months after «Entry into force of the Agreement»"."""
    after = due.get("after")
    if anchor_title:
        after = "«{title}»".format(title=anchor_title)
    return _("{within} after {after}").format(within=within_text(due.get("within")), after=after)


def _when(entry: dict[str, Any]) -> str:
    if entry["deadline"] is not None:
        return i18n.day(entry["deadline"])
    due = entry["due"]
    if isinstance(due, dict) and "after" in due:
        return after_text(due)
    return str(due)


def _plain(value: Any) -> Any:
    from roadmap_cli.report import plain

    return plain(value)

def on_time_against_signed(
    measures: Iterable[tuple[Measure, Roadmap]], as_of: date
) -> tuple[int, int]:
    """(N, M) of the line "done on time against the signed deadlines: N of M".

    M: the measures with a one-off signed deadline (not recurring, ``ongoing`` or
    ``on_request``, not cancelled as of ``as_of``) that are done as of ``as_of`` or whose signed
    deadline is before ``as_of``. N: those of them done as of ``as_of`` with ``completed`` on or
    before the signed deadline. A measure done while its signed deadline was still waiting for
    its anchor counts as on time. Amendments do not change the signed deadline: this is the
    line that tells how the document is kept *as signed*.
    """
    on_time = counted = 0
    for measure, roadmap in measures:
        due = anchors.signed_due(measure)
        status = schedule.status_as_of(measure, as_of)
        if due.open_ended or due.recurring or status is Status.CANCELLED:
            continue
        end = schedule.due_deadline(due, roadmap, as_of)
        done = status is Status.DONE and measure.completed is not None
        if done:
            counted += 1
            if end is None or (measure.completed is not None and measure.completed <= end):
                on_time += 1
        elif end is not None and end < as_of:
            counted += 1
    return on_time, counted


def on_time_of(roadmap: Roadmap, as_of: date) -> tuple[int, int]:
    """:func:`on_time_against_signed` of every measure of ``roadmap``, from its digest: a row of
    a fixed deadline (never rescheduled: its signed deadline is its deadline) counted once for
    all its measures; a rare one (rescheduled, anchored) from its fields."""
    from roadmap_cli import digest, tally

    d = tally.digest_of(roadmap)
    day = as_of.toordinal()
    on_time = counted = 0
    for (how, written, completed, _progress, _weight, ref), n in zip(d.rows, d.counts, strict=True):
        if how == digest.RARE:
            one, of = on_time_against_signed([(d.rare[ref], roadmap)], as_of)  # type: ignore[list-item]
            on_time, counted = on_time + one * n, counted + of * n
        elif how == digest.FIXED and written != "cancelled":  # (open and recurring: not counted)
            if written == "done" and completed is not None and completed <= day:
                counted += n
                if completed <= ref:
                    on_time += n
            elif ref < day:
                counted += n
    return on_time, counted

