"""The edits of signed documents as they really are: record an event's date, and move a
deadline by an amendment (the old due goes into the measure's ``rescheduled`` list).

Built on :mod:`roadmap_cli.edit` (minimal text edits, checked by reading the result back); the
CLI checks the edited document with the rest of the repository before writing, so the rules
(``unknown-amendment``, ``rescheduled-order``, ...) still guard the result.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Mapping
from datetime import date
from typing import Any

from roadmap_cli import i18n
from roadmap_cli.edit import EditError, Op, Result, UnsafeEdit, _read, unsafe
from roadmap_cli.i18n import _
from roadmap_cli.model import Path

#: the order of an event's keys (a new `date` goes after `title`)
EVENT_ORDER = ("id", "title", "date")


def _near(value: str, options: list[str]) -> str:
    hit = difflib.get_close_matches(value, options, n=1)
    if hit:
        return _("; did you mean {hit!r}?").format(hit=hit[0])
    if options:
        return _(" (it has: {ids})").format(ids=", ".join(options))
    return ""


def _ids(doc: Mapping[str, Any], key: str) -> list[str]:
    return [str(e.get("id")) for e in doc.get(key) or [] if isinstance(e, Mapping)]


def reschedule_op(doc: Mapping[str, Any], m: Mapping[str, Any], base: Path, by: str, due: str) -> Op | None:
    """The ``rescheduled`` entry that keeps the measure's current due (``from``) as in force
    until amendment ``by``, which must be an amendment of the document."""
    amendments = _ids(doc, "amendments")
    if by not in amendments:
        where = _("; add it to the document's amendments first") if not amendments else ""
        raise EditError(
            _("--by {by}: the document has no amendment {by!r}{near}{where}").format(
                by=by, near=_near(by, amendments), where=where
            )
        )
    old = m.get("due")
    if isinstance(old, (Mapping, bool)) or old is None:
        raise EditError(
            _("--by: the current due of measure {id} is not a single value; add the rescheduled "
              "entry by hand").format(id=m.get("id"))
        )
    if str(old) == due or _same_deadline(old, due):
        entries = m.get("rescheduled")
        last = entries[-1] if isinstance(entries, list) and entries else None
        if isinstance(last, Mapping) and last.get("by") == by:
            return None  # the same update again (this due, by this amendment): nothing to change
        raise EditError(_("--due {due} is the due already in force").format(due=due))
    return Op("append", base, "rescheduled", (("from", old), ("by", by)), flow_items=True)


def _same_deadline(old: Any, due: str) -> bool:
    """``old`` and ``due`` are the same deadline written two ways (2027-03 and 2027-03-31, as
    --due 31.03.2027 writes it): no move for an amendment to record."""
    from roadmap_cli.schedule import parse_due

    try:
        before, after = parse_due(old), parse_due(due)
    except ValueError:
        return False
    return (before.period is not None and after.period is not None
            and before.period.end == after.period.end)


def record_event(text: str, event_id: str, on: date, today: date) -> Result:
    """Set the ``date`` of event ``event_id`` of the document ``text`` (no BOM) to ``on``."""
    if on > today:
        raise EditError(
            _("--on {on} is after today: an event is recorded once it has happened").format(
                on=i18n.day(on)
            )
        )
    doc = _read(text)
    events = doc.get("events") or []
    index = next(
        (n for n, e in enumerate(events) if isinstance(e, Mapping) and e.get("id") == event_id),
        None,
    )
    if index is None:
        raise EditError(
            _("no event {id!r} in {doc}{near}").format(
                id=event_id, doc=doc.get("id"), near=_near(event_id, _ids(doc, "events"))
            )
        )
    when = on.isoformat()
    old = events[index].get("date")
    if old == when:
        return Result(text, ())
    op = Op("set", ("events", index), "date", when, EVENT_ORDER)
    try:
        new = op.apply_text(text)
    except EditError as e:
        raise UnsafeEdit(unsafe(str(e))) from None
    expected = copy.deepcopy(doc)
    op.apply_data(expected)
    if _read(new) != expected:
        raise UnsafeEdit(_(
            "cannot edit this file safely: the edited text would not read back as the intended "
            "change; edit it by hand"
        ))
    if old:
        change = _("event {id}: date {old} -> {new}").format(
            id=event_id, old=i18n.day(old), new=i18n.day(when))
    else:
        change = _("event {id}: date {new}").format(id=event_id, new=i18n.day(when))
    return Result(new, (change,))
