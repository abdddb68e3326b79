"""Pure parsing of the forms a document writes dates in: dates, periods, dues, windows.

Text in, :class:`~roadmap_cli.model.Period` / :class:`~roadmap_cli.model.Due` /
``relativedelta`` out, or a ``ValueError`` whose message (in the interface language) says what is
wrong. :mod:`roadmap_cli.schedule` builds deadlines, statuses and progress on these; the forms
tied to an event (``{after, within}``) are parsed by :mod:`roadmap_cli.anchors`.

Choices the contract leaves open, written down here (and in the docs):

- Period text is strict: ``2026-10-15``, ``2026-10``, ``2026-Q4``, ``2026-H1``, ``2026``, with
  two-digit months and days and capital ``Q``/``H``. Anything else is a ``ValueError`` whose
  message says what is wrong ("2026-02-30 is not a date: February 2026 has 28 days").
- Recurring ``from``/``until`` are stored in :class:`~roadmap_cli.model.Due` already widened to the
  recurring kind: ``start`` is the period of kind ``every`` that holds the *first* day of ``from``,
  ``until`` the period of kind ``every`` that holds the *last* day of ``until``. So
  ``{every: month, from: 2026-Q1, until: 2026-Q2}`` runs 2026-01 .. 2026-06. Missing ones are
  ``None`` and default to the roadmap's ``period`` when occurrences are computed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, Union

from roadmap_cli import anchors
from roadmap_cli.i18n import N_, _
from roadmap_cli.limits import FIRST_YEAR, LAST_YEAR
from roadmap_cli.model import Due, Period

if TYPE_CHECKING:  # (imported where a window is made: dateutil's import is 2 ms of a run)
    from dateutil.relativedelta import relativedelta

#: The recurring kinds and how many months each spans.
MONTHS_IN: dict[str, int] = {"month": 1, "quarter": 3, "half": 6, "year": 12}

_MONTH_NAMES = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)

_FORMS = N_("expected YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY")
_NOT_A_DUE = N_("due must be a date, period, `ongoing` or a recurring mapping, not {value}")

_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
_QUARTER_RE = re.compile(r"(\d{4})-([Qq])(\d+)")
_HALF_RE = re.compile(r"(\d{4})-([Hh])(\d+)")
_YEAR_RE = re.compile(r"(\d{4})")
_LOOSE_DATE_RE = re.compile(r"\d{4}-\d{1,2}(-\d{1,2})?")
_WINDOW_RE = re.compile(r"(\d+)\s*([dwmy]?)", re.IGNORECASE)

_ONGOING_WORDS = frozenset(
    {"постоянно", "на постоянной основе", "тұрақты", "continuous", "permanent"}
)
_RECURRING_KEYS = ("every", "from", "until", "grace")

#: the kinds of period as messages name them (ru: дата, месяц, квартал, полугодие, год)
KIND_WORDS = {"date": N_("date"), "month": N_("month"), "quarter": N_("quarter"), "half": N_("half"),
              "year": N_("year")}

#: every key of a due written as a mapping: recurring, or after an event or measure
DUE_MAPPING_KEYS = frozenset((*_RECURRING_KEYS, *anchors._AFTER_KEYS))
#: the due `roadmap import` writes where it could not read the signed deadline (rule todo warns)
TODO = "TODO"
_ON_REQUEST_WORDS = frozenset(
    {
        "on request",
        "on-request",
        "as needed",
        "по мере необходимости",
        "по согласованию сторон",
        "по запросу",
        "қажеттілігіне қарай",
    }
)



class RunsBackwards(ValueError):
    """A recurring due whose ``from`` is after its ``until`` (rule ``rescheduled`` tells it
    apart from the other complaints by this class, whatever the language of the message)."""


def _show(text: object) -> str:
    """Text as shown in a message: bare, unless empty, not text, or holding spaces or invisible
    characters (a zero-width space, a direction mark: shown bare, the value would look right)."""
    if isinstance(text, str) and text and text.isprintable() and not any(c.isspace() for c in text):
        return text
    return repr(text)


def _days_in_month(year: int, month: int) -> int:
    return _month_end(year, month).day


def _month_end(year: int, month: int) -> date:
    """The last day of a month."""
    if month == 12:
        return date(year, 12, 31)  # (December of 9999 has no next month to step back from)
    return date(year, month + 1, 1) - timedelta(days=1)


def _check_year(text: str, what: str, year: int) -> None:
    if year < 1:
        raise ValueError(_("{text} is not {what}: there is no year 0").format(text=text, what=_(what)))


def _check_month(text: str, what: str, month: int) -> None:
    if not 1 <= month <= 12:
        raise ValueError(_("{text} is not {what}: there is no month {month}").format(
            text=text, what=_(what), month=month
        ))


def parse_date(text: str) -> date:
    """A strict ISO ``YYYY-MM-DD`` date; ``ValueError`` says what is wrong with anything else."""
    if type(text) is str:
        return _parse_date_text(text)  # the same few hundred dates recur across a repository
    return _parse_date(text)


@lru_cache(maxsize=8192)
def _parse_date_text(text: str) -> date:
    return _parse_date(text)


def _parse_date(text: str) -> date:
    """A strict ISO ``YYYY-MM-DD`` date; ``ValueError`` says what is wrong with anything else."""
    if not isinstance(text, str):
        raise ValueError(_("{value} is not a date: expected text YYYY-MM-DD").format(value=repr(text)))
    m = _DATE_RE.fullmatch(text)
    if m is None:
        hint = _padding_hint(text)
        from roadmap_cli.resolve import foreign_letters  # (a date that is wrong: rare)

        raise ValueError(_("{value} is not a date: expected YYYY-MM-DD{hint}").format(
            value=_show(text), hint=hint
        ) + foreign_letters(text))
    year, month, day = (int(g) for g in m.groups())
    _check_year(text, N_("a date"), year)
    _check_month(text, N_("a date"), month)
    last = _days_in_month(year, month)
    if day == 0:
        raise ValueError(_("{text} is not a date: there is no day 0").format(text=text))
    if day > last:
        raise ValueError(_("{text} is not a date: {month} {year} has {last} days").format(
            text=text, month=_(_MONTH_NAMES[month - 1]), year=year, last=last
        ))
    return date(year, month, day)


def _padding_hint(text: str) -> str:
    text = text.strip()
    # (not for 2026-10: a month written right where a date is expected; its digits are fine)
    if _LOOSE_DATE_RE.fullmatch(text) and not _MONTH_RE.fullmatch(text):
        return " " + _("(months and days take two digits, e.g. 2026-01-05)")
    return ""


def _month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    return Period("month", start, _month_end(year, month), f"{year:04d}-{month:02d}")


def _quarter_period(year: int, quarter: int) -> Period:
    start = date(year, 3 * quarter - 2, 1)
    return Period("quarter", start, _month_end(year, 3 * quarter), f"{year:04d}-Q{quarter}")


def _half_period(year: int, half: int) -> Period:
    start = date(year, 6 * half - 5, 1)
    return Period("half", start, _month_end(year, 6 * half), f"{year:04d}-H{half}")


def _year_period(year: int) -> Period:
    return Period("year", date(year, 1, 1), date(year, 12, 31), f"{year:04d}")


def parse_period(text: str) -> Period:
    """One of the period forms -> :class:`Period` with its first and last day and canonical text.

    ``2026-10-15`` (a date: start = end), ``2026-10``, ``2026-Q4``, ``2026-H1``, ``2026``.
    """
    if type(text) is str:
        return _parse_period_text(text)  # periods are immutable: one per text is shared
    return _parse_period(text)


@lru_cache(maxsize=8192)
def _parse_period_text(text: str) -> Period:
    return _parse_period(text)


def _parse_period(text: str) -> Period:
    if not isinstance(text, str):
        raise ValueError(_("{value} is not a date or period: {forms}").format(
            value=repr(text), forms=_(_FORMS)
        ))
    if _DATE_RE.fullmatch(text):
        d = parse_date(text)
        return Period("date", d, d, text)
    if m := _MONTH_RE.fullmatch(text):
        year, month = int(m[1]), int(m[2])
        _check_year(text, N_("a month"), year)
        _check_month(text, N_("a month"), month)
        return _month_period(year, month)
    if m := _QUARTER_RE.fullmatch(text):
        year, letter, n = int(m[1]), m[2], int(m[3])
        _check_year(text, N_("a quarter"), year)
        if not 1 <= n <= 4:
            raise ValueError(_("{text} is not a quarter: quarters are Q1 to Q4").format(text=text))
        if letter != "Q":
            raise ValueError(_("{text} is not a quarter: write a capital Q ({fixed})").format(
                text=text, fixed=f"{year:04d}-Q{n}"
            ))
        return _quarter_period(year, n)
    if m := _HALF_RE.fullmatch(text):
        year, letter, n = int(m[1]), m[2], int(m[3])
        _check_year(text, N_("a half-year"), year)
        if not 1 <= n <= 2:
            raise ValueError(_("{text} is not a half-year: halves are H1 and H2").format(text=text))
        if letter != "H":
            raise ValueError(_("{text} is not a half-year: write a capital H ({fixed})").format(
                text=text, fixed=f"{year:04d}-H{n}"
            ))
        return _half_period(year, n)
    if _YEAR_RE.fullmatch(text):
        year = int(text)
        _check_year(text, N_("a year"), year)
        return _year_period(year)
    from roadmap_cli.resolve import foreign_letters  # (a period that is wrong: rare)

    raise ValueError(_("{value} is not a date or period: {forms}").format(
        value=_show(text), forms=_(_FORMS)
    ) + _padding_hint(text) + foreign_letters(text))


def period_containing(d: date, every: str) -> Period:
    """The month, quarter, half or year (or the single ``date``) that holds ``d``."""
    if type(d) is date and type(every) is str:
        return _period_containing_date(d, every)  # recurring spans ask for the same ones
    return _period_containing(d, every)


@lru_cache(maxsize=8192)
def _period_containing_date(d: date, every: str) -> Period:
    return _period_containing(d, every)


def _period_containing(d: date, every: str) -> Period:
    if every == "date":
        return Period("date", d, d, d.isoformat())
    if every == "month":
        return _month_period(d.year, d.month)
    if every == "quarter":
        return _quarter_period(d.year, (d.month - 1) // 3 + 1)
    if every == "half":
        return _half_period(d.year, 1 if d.month <= 6 else 2)
    if every == "year":
        return _year_period(d.year)
    raise ValueError(_("{every} is not a period kind: expected month, quarter, half or year").format(
        every=repr(every)))


def parse_as_of(text: str) -> date:
    """An as-of date: an ISO date, or a period form meaning its last day (2026-Q2 -> 2026-06-30);
    on the command line also a day as the Russian tables show it (31.03.2026: :func:`typed`)."""
    if not isinstance(text, str):
        return parse_period(text).end
    iso = typed(text)
    try:
        return parse_period(iso).end
    except ValueError as e:
        raise _as_typed(e, iso, text) from None


def parse_typed_date(text: str) -> date:
    """A day typed on the command line: ``YYYY-MM-DD``, or ``DD.MM.YYYY`` (:func:`typed`)."""
    iso = typed(text)
    try:
        return parse_date(iso)
    except ValueError as e:
        raise _as_typed(e, iso, text) from None


def _as_typed(e: ValueError, iso: str, text: str) -> ValueError:
    """``e`` about ``iso``, saying ``text`` as typed instead (31.02.2026, not 2026-02-31); a
    day typed with a short year (01.02.26) is told to write the year in full."""
    short = _SHORT_YEAR_RE.fullmatch(text.strip())
    if short is not None:
        day, month, year = short.groups()
        return ValueError(_("{value} is not a date: write the year in full, DD.MM.YYYY "
                            "({example})").format(value=text.strip(),
                                                  example=f"{day}.{month}.{2000 + int(year):04d}"))
    if iso == text.strip():
        return e
    return ValueError(str(e).replace(iso, text.strip()))


#: a day as the tables show it in Russian, and as people type it: 31.03.2026, 1.4.2026
_DOTTED_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
#: the same with a year of two digits (01.02.26): asked to be written in full
_SHORT_YEAR_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2})")


def typed(text: str) -> str:
    """A date typed on the command line, stripped, and written ``DD.MM.YYYY`` read as
    ``YYYY-MM-DD`` (the files keep the ISO form: the rule date-format says so there)."""
    text = text.strip()
    found = _DOTTED_RE.fullmatch(text)
    if found is None:
        return text
    day, month, year = found.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _period_value(value: object, key: str) -> Period:
    """A recurring ``from``/``until`` value: period text, a bare year, or an already-parsed date."""
    if isinstance(value, bool):
        raise ValueError(_("recurring `{key}` must be a date or period, not {value}").format(
            key=key, value=repr(value)))
    if isinstance(value, int):
        value = f"{value:04d}" if value >= 0 else str(value)
    elif isinstance(value, date) and not isinstance(value, datetime):
        return Period("date", value, value, value.isoformat())
    if not isinstance(value, str):
        raise ValueError(_("recurring `{key}` must be a date or period, not {value}").format(
            key=key, value=repr(value)))
    try:
        return parse_period(value)
    except ValueError as e:
        raise ValueError(_("recurring `{key}`: {reason}").format(key=key, reason=e)) from None


def parse_due(raw: str | int | date | Mapping[str, Any]) -> Due:
    """A measure's ``due`` as written -> :class:`Due`; ``ValueError`` on anything invalid.

    Fixed forms keep their :class:`Period` (deadline = its last day). ``ongoing`` has no
    deadline. A recurring mapping ``{every, from?, until?, grace?}`` keeps ``every``, ``grace``
    (default 0, a whole number of days >= 0) and ``start``/``until`` widened to periods of kind
    ``every`` (see the module docstring); absent ones stay ``None`` (the roadmap's period).
    A bare integer year (``due: 2026`` read by YAML as a number) and a ``date`` object are
    accepted as the same forms; ``raw`` is kept exactly as given.
    """
    if isinstance(raw, Mapping):
        if "after" in raw or "within" in raw:
            return anchors.parse_after(raw)
        return _parse_recurring(raw)
    if isinstance(raw, bool):
        raise ValueError(_(_NOT_A_DUE).format(value=repr(raw)))
    if isinstance(raw, int):
        period = parse_period(f"{raw:04d}" if raw >= 0 else str(raw))
        return Due(kind=period.kind, raw=raw, period=period)
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return Due(kind="date", raw=raw, period=Period("date", raw, raw, raw.isoformat()))
    if not isinstance(raw, str):
        raise ValueError(_(_NOT_A_DUE).format(value=repr(raw)))
    if raw in ("ongoing", "on_request"):
        return Due(kind=raw, raw=raw)
    if raw == TODO:  # left by `roadmap import`: no deadline until a person writes one
        return Due(kind="ongoing", raw=raw)
    if raw.strip().lower() in _ONGOING_WORDS or raw.strip().lower() == "ongoing":
        raise ValueError(
            _("{due} is not a due form: write `ongoing` for a measure with no deadline").format(
                due=_show(raw))
        )
    if raw.strip().lower() in _ON_REQUEST_WORDS:
        raise ValueError(
            _("{due} is not a due form: write `on_request` for a measure done as the need "
              "arises").format(due=_show(raw))
        )
    try:
        period = parse_period(raw)
    except ValueError as e:
        if _(_FORMS) not in str(e):
            raise  # a specific complaint: 2026-Q5, 2026-02-30, ...
        raise NotADueForm(
            _("{due} is not a due form: expected a date (2026-10-15), a month (2026-10), "
              "a quarter (2026-Q4), a half-year (2026-H1), a year (2026), `ongoing`, or a "
              "recurring mapping such as {example}").format(
                due=_show(raw), example="{every: quarter, grace: 15}") + _padding_hint(raw),
            _show(raw), _padding_hint(raw),
        ) from None
    return Due(kind=period.kind, raw=raw, period=period)


class NotADueForm(ValueError):
    """A text that is none of the due forms (no more specific complaint): ``shown``, the text
    as a message shows it, and ``hint``, what it probably meant (or "")."""

    def __init__(self, message: str, shown: str, hint: str) -> None:
        super().__init__(message)
        self.shown, self.hint = shown, hint


def _parse_recurring(raw: Mapping[str, Any]) -> Due:
    unknown = [str(k) for k in raw if k not in _RECURRING_KEYS]
    if unknown:
        raise ValueError(
            _("recurring due has unknown key(s) {keys}: allowed are every, from, until, "
              "grace").format(keys=", ".join(unknown))
        )
    every = raw.get("every")
    if every is None:
        raise ValueError(_("recurring due needs `every`: month, quarter, half or year"))
    if every not in MONTHS_IN:
        raise ValueError(_("recurring `every` must be month, quarter, half or year, not "
                           "{value}").format(value=repr(every)))
    grace = raw.get("grace", 0)
    if grace is None:
        grace = 0
    if isinstance(grace, bool) or not isinstance(grace, int) or grace < 0:
        raise ValueError(_("recurring `grace` must be a whole number of days >= 0, not "
                           "{value}").format(value=repr(grace)))
    start = until = None
    if raw.get("from") is not None:
        start = period_containing(_period_value(raw["from"], "from").start, every)
    if raw.get("until") is not None:
        until = period_containing(_period_value(raw["until"], "until").end, every)
    if start is not None and until is not None and start.start > until.start:
        raise RunsBackwards(
            _("recurring due runs backwards: from {start} is after until {until}").format(
                start=start.text, until=until.text)
        )
    return Due(kind="recurring", raw=raw, every=every, start=start, until=until, grace=grace)


def parse_window(text: str) -> relativedelta:
    """``14d``, ``2w``, ``3m``, ``1y`` or plain ``30`` (days) -> a :class:`relativedelta`."""
    m = _WINDOW_RE.fullmatch(text.strip()) if isinstance(text, str) else None
    if m is None:
        raise ValueError(
            _("{value} is not a window: expected a number of days (30, 14d), weeks (2w), "
              "months (3m) or years (1y)").format(value=_show(text))
        )
    from dateutil.relativedelta import relativedelta

    n, unit = int(m[1]), m[2].lower()
    if unit == "w":
        return relativedelta(weeks=n)
    if unit == "m":
        return relativedelta(months=n)
    if unit == "y":
        return relativedelta(years=n)
    return relativedelta(days=n)


class PeriodEnd(NamedTuple):
    """A window that runs to the end of the month, quarter, half-year or year that holds the
    as-of date (``this-month``: ``ahead`` 0) or of the one after it (``next-month``: 1), so that
    one command asks "what falls due by the end of next month" whatever the day."""

    kind: str  # "month" | "quarter" | "half" | "year"
    ahead: int


#: ``--within this-month``, ``next-quarter``, ``next-half-year``... (any case; ``-``, ``_`` or
#: a space between the words, or none)
_PERIOD_END_RE = re.compile(r"(this|next)[-_ ]?(month|quarter|half(?:[-_ ]?year)?|year)", re.IGNORECASE)

#: the names :data:`_PERIOD_END_RE` reads, as completion offers them (``next-month``...)
PERIOD_END_NAMES = tuple(f"{w}-{k}" for k in ("month", "quarter", "half", "year") for w in ("next", "this"))

#: what --within takes: a length (:func:`parse_window`), a last day, or a period's end
Window = Union["relativedelta", date, PeriodEnd]


def parse_window_or_end(text: str) -> Window:
    """A due-soon window (:func:`parse_window`), or the last day it runs to: a day, or a month,
    quarter or half-year meaning its last day (``2026-12``: what falls due by the end of next
    month), as ``--as-of`` takes them, or the end of the period that holds the as-of date or
    follows it (``this-month``, ``next-month``, ``next-quarter``...: :class:`PeriodEnd`). A
    bare number is days (``30``); one that reads as a year of the files (``2027``: five years of
    days, or the end of 2027?) is refused, with the forms that say either."""
    named = _PERIOD_END_RE.fullmatch(text.strip()) if isinstance(text, str) else None
    if named is not None:
        kind = named[2].lower()
        return PeriodEnd("half" if kind.startswith("half") else kind, int(named[1].lower() == "next"))
    bare = text.strip() if isinstance(text, str) else ""
    if bare.isdigit() and FIRST_YEAR <= int(bare) <= LAST_YEAR:
        raise ValueError(_("{value} reads as a year: write the end of that year as {year}-12 "
                           "(or 31.12.{year}), or days as {value}d").format(value=bare, year=bare))
    if isinstance(text, str) and _WINDOW_RE.fullmatch(text.strip()) is None:
        try:
            return parse_as_of(text)
        except ValueError:
            if _DAY_OR_PERIOD_RE.fullmatch(text.strip()):  # 31.02.2026, 31.12.26, 2026-13:
                raise  # what is wrong with the day, not "not a window: expected days (30)"
    try:
        return parse_window(text)
    except ValueError:
        raise ValueError(
            _("{value} is not a window: expected a number of days (30, 14d), weeks (2w), months "
              "(3m) or years (1y), a day or period to run to (31.12.2026, 2026-12), or the end of "
              "this or the next month, quarter, half-year or year (this-month, next-month, "
              "next-quarter, next-half, next-year)").format(value=_show(text))
        ) from None


#: text meant as a day or a period, not a window: 2026-..., 31.12.2026, 31.12.26
_DAY_OR_PERIOD_RE = re.compile(r"\d{4}-\S*|\d{1,2}\.\d{1,2}\.\d{2}(\d{2})?")


def window_end(as_of: date, window: Window) -> date:
    """The last day of the window that starts on ``as_of`` (inclusive): as-of + window, the
    day it was given to run to, or the end of the period it names (:class:`PeriodEnd`)."""
    if isinstance(window, date):
        return window
    if isinstance(window, PeriodEnd):
        period = period_containing(as_of, window.kind)
        for _step in range(window.ahead):
            period = period_containing(period.end + timedelta(days=1), window.kind)
        return period.end
    end: date = as_of + window
    return end
