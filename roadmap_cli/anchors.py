"""Pure: the due in force on a date (amendments replayed), anchor dates and waiting measures.

A signed document's deadlines are not always dates. ``due: {after: X, within: N}`` follows an
event of the document (``events``) or the completion of another of its measures; until that
*anchor date* is known, and on every as-of date before it, the measure is **waiting**. And a
deadline may be moved officially, by an amendment (a protocol the parties signed): the measure's
``rescheduled`` list keeps, oldest first, the due that was in force until each amendment, so that
any past date can be replayed with the due that was in force then.

Every function takes the as-of date; ``None`` stands for "everything the file records" (every
amendment in force, every recorded anchor known): what ``diff`` and the calendar compare.
Nothing here reads files, prints or looks at a clock. :mod:`roadmap_cli.schedule` builds
deadlines, overdue items and progress on these functions.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from roadmap_cli.digest import AsOf
from roadmap_cli.i18n import _
from roadmap_cli.model import Due, Measure, Roadmap, Status

if TYPE_CHECKING:  # (imported where a span is made: dateutil's import is 2 ms of a run)
    from dateutil.relativedelta import relativedelta

_AFTER_KEYS = ("after", "within")
#: ``within`` of an anchored due: a whole number and a unit (days, weeks, months, years)
_WITHIN_RE = re.compile(r"([0-9]+)([dwmy])")
#: the longest ``within`` accepted, per unit (a hundred years)
MAX_WITHIN = {"d": 36525, "w": 5218, "m": 1200, "y": 100}

#: the key under which a document narrowed to some of its measures (a report's filter:
#: :func:`roadmap_cli.report.select`) keeps the whole document: an anchor is any of its measures
WHOLE = "_whole_document"


def _whole(roadmap: Roadmap) -> Roadmap:
    """The whole document of ``roadmap`` when it is a narrowed view of it (:data:`WHOLE`)."""
    whole: Roadmap | None = roadmap.__dict__.get(WHOLE)
    return whole if whole is not None else roadmap


def _amendment_date(roadmap: Roadmap, amendment_id: str) -> date | None:
    found = roadmap.amendment(amendment_id)
    return found.date if found is not None else None


def due_in_force(measure: AsOf, roadmap: Roadmap, as_of: date | None = None) -> Due:
    """The due in force on ``as_of``: the ``from`` of the first ``rescheduled`` entry whose
    amendment is dated after ``as_of``, else the current ``due``.

    An amendment dated on the as-of day is in force that day. ``as_of=None``: the current due.
    """
    rescheduled = measure.rescheduled
    if not rescheduled or as_of is None:
        return measure.due
    if len(rescheduled) <= _SCAN:
        for entry in rescheduled:
            when = _amendment_date(roadmap, entry.by)
            if when is not None and when > as_of:
                return entry.due
        return measure.due
    # the first entry dated after as_of is where the latest date so far first passes it: one
    # bisection (a burn-up asks at every date; scanning 24,000 entries each time took 50 s)
    i = bisect_right(_latest_so_far(roadmap, rescheduled), as_of)
    return rescheduled[i].due if i < len(rescheduled) else measure.due


#: entries of ``rescheduled`` scanned one by one; past them, :func:`_latest_so_far` bisected
_SCAN = 16


def _latest_so_far(roadmap: Roadmap, rescheduled: Sequence[Any]) -> list[date]:
    """For each entry of ``rescheduled``, the latest amendment date among it and the entries
    before it (``date.min`` while none is known): a sorted list, kept in the document's
    ``__dict__`` with the entries it was made from."""
    kept: dict[int, tuple[Sequence[Any], list[date]]] = roadmap.__dict__.setdefault("_latest_so_far", {})
    found = kept.get(id(rescheduled))
    if found is not None and found[0] is rescheduled:
        return found[1]
    latest, out = date.min, []
    for entry in rescheduled:
        when = _amendment_date(roadmap, entry.by)
        if when is not None and when > latest:
            latest = when
        out.append(latest)
    kept[id(rescheduled)] = (rescheduled, out)
    return out


def signed_due(measure: Measure) -> Due:
    """The due as signed: the first ``rescheduled`` entry's ``from``, else the current ``due``."""
    return measure.rescheduled[0].due if measure.rescheduled else measure.due


def rescheduled_by(measure: Measure, roadmap: Roadmap, as_of: date | None = None) -> list[str]:
    """The ids of the amendments that moved the measure's due and are in force on ``as_of``
    (dated on or before it), oldest first; empty when none. ``None``: all of them."""
    out = []
    for entry in measure.rescheduled:
        when = _amendment_date(roadmap, entry.by)
        if when is not None and (as_of is None or when <= as_of):
            out.append(entry.by)
    return out


def anchor_date(roadmap: Roadmap, anchor: str) -> date | None:
    """The date an ``after`` names: the event's ``date``, or the ``completed`` date of the
    measure (only when its status is ``done``); None when it is not known (not yet happened,
    not done, or naming nothing)."""
    event = roadmap.event(anchor)
    if event is not None:
        return event.date
    m = _whole(roadmap).measure(anchor)
    if m is not None and m.status is Status.DONE:
        return m.completed
    return None


def known_anchor(roadmap: Roadmap, due: Due, as_of: date | None) -> date | None:
    """The anchor date of an anchored ``due`` when it is known on ``as_of`` (on or before it);
    None while the measure is waiting, and for every other due form."""
    if not due.anchored or due.after is None:
        return None
    when = anchor_date(roadmap, due.after)
    if when is None or (as_of is not None and as_of < when):
        return None
    return when


def anchored_deadline(roadmap: Roadmap, due: Due, as_of: date | None) -> date | None:
    """Anchor date + ``within`` once the anchor date is known on ``as_of``, else None."""
    when = known_anchor(roadmap, due, as_of)
    if when is None or due.within is None:
        return None
    within = due.within
    if type(within) is str:  # (a burn-up asks at every date: relativedelta's sum is slow)
        return _plus_within(when, within)
    try:
        end: date = when + parse_within(within)
    except (ValueError, OverflowError):
        return None  # reported by validation (within-form, date-range)
    return end


@lru_cache(maxsize=4096)
def _plus_within(when: date, within: str) -> date | None:
    """``when`` + ``within``, None when it is not a ``within`` or runs past the calendar."""
    try:
        end: date = when + parse_within(within)
    except (ValueError, OverflowError):
        return None
    return end


def waiting_for(measure: Measure, roadmap: Roadmap, as_of: date | None = None) -> str | None:
    """The event or measure id the measure waits for on ``as_of``: its due in force is
    ``{after: X, ...}`` and X's date is unknown or later than ``as_of``. None when not waiting."""
    due = due_in_force(measure, roadmap, as_of)
    if not due.anchored:
        return None
    if known_anchor(roadmap, due, as_of) is None:
        return due.after
    return None


# --------------------------------------------------------------------------------------------
# Parsing the anchored due form


def _show_value(text: object) -> str:
    from roadmap_cli.periods import _show

    return _show(text)


def parse_after(raw: Mapping[str, Any]) -> Due:
    """``due: {after: X, within: N}`` as written -> :class:`Due`; ``ValueError`` on anything
    invalid (called by :func:`roadmap_cli.periods.parse_due`)."""
    unknown = [str(k) for k in raw if k not in _AFTER_KEYS]
    if unknown:
        raise ValueError(
            _("a due tied to an event has unknown key(s) {keys}: allowed are after and "
              "within").format(keys=", ".join(unknown))
        )
    after = raw.get("after")
    if not isinstance(after, str) or not after:
        raise ValueError(
            _("a due tied to an event needs `after`: the id of an event or of a measure of this "
              "document")
        )
    within = raw.get("within")
    if within is None:
        raise ValueError(_("a due tied to an event needs `within`: e.g. 6m, 30d, 2w or 1y"))
    parse_within(within)
    return Due(kind="after", raw=raw, after=after, within=str(within))


def parse_within(text: object) -> relativedelta:
    """``within`` of ``{after: X, within: N}``: ``Nd``, ``Nw``, ``Nm`` or ``Ny`` ->
    :class:`relativedelta` (months and years are calendar months and years: 31 Jan + 1m is the
    last day of February). ``ValueError`` says what is wrong, with the likely intended form."""
    if type(text) is str:
        return _parse_within_text(text)
    return _parse_within(text)


@lru_cache(maxsize=1024)
def _parse_within_text(text: str) -> relativedelta:
    return _parse_within(text)


def within_hint(text: object) -> str | None:
    """The ``within`` a person probably meant by ``text`` (``6 months`` -> ``6m``), or None."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return None
    if not isinstance(text, str):
        return None
    m = re.fullmatch(r"\s*([0-9]+)\s*([A-Za-zА-Яа-яЁё.]*)\s*", text)
    if m is None:
        return None
    word = m[2].lower().rstrip(".")
    units = {
        "d": ("d", "day", "days", "д", "дн", "день", "дня", "дней", "сут"),
        "w": ("w", "wk", "week", "weeks", "н", "нед", "неделя", "недели", "недель"),
        "m": ("m", "mo", "month", "months", "м", "мес", "месяц", "месяца", "месяцев"),
        "y": ("y", "yr", "year", "years", "г", "год", "года", "лет"),
    }
    for unit, words in units.items():
        if word in words:
            return "{n}{unit}".format(n=int(m[1]), unit=unit)
    return None


def _parse_within(text: object) -> relativedelta:
    m = _WITHIN_RE.fullmatch(text) if isinstance(text, str) else None
    if m is None:
        hint = within_hint(text)
        if isinstance(text, int) and not isinstance(text, bool):
            tip = _("; add the unit, e.g. {n}m for {n} months or {n}d for {n} days").format(n=text)
        elif hint is not None:
            tip = _("; did you mean {hint}?").format(hint=hint)
        else:
            tip = ""
        raise ValueError(
            _("within {value} is not a time span: write a whole number and d, w, m or y "
              "(30d, 2w, 6m, 1y){tip}").format(value=_show_value(text), tip=tip)
        )
    from dateutil.relativedelta import relativedelta

    n, unit = int(m[1]), m[2]
    if n > MAX_WITHIN[unit]:
        raise ValueError(
            _("within {value} is more than a hundred years: check the number").format(value=text)
        )
    if unit == "d":
        return relativedelta(days=n)
    if unit == "w":
        return relativedelta(weeks=n)
    if unit == "m":
        return relativedelta(months=n)
    return relativedelta(years=n)
