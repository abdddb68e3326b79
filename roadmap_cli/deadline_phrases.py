"""Pure: a deadline as signed documents write it ("IV квартал 2026 г.") -> the contract's due form.

No I/O. :func:`read_deadline` takes the text of one "Срок исполнения" cell and returns a
:class:`Reading`: the ``due`` value ready for YAML (a string or a mapping), the event it may
follow, and a note the importer shows the user. Text it does not understand *as a whole* gives
``due: TODO`` and ``understood=False``: a phrase is never half read.

Choices (``docs/import.md`` lists every form and says why):

- "до 1 июля 2026 г." / "к 1 июля 2026 г." / "before 1 July 2026": the day before the named day,
  2026-06-30 ("до" names the first day on which the work is no longer on time).
  "не позднее 1 июля", "по 1 июля" (включительно), "by 1 July", "no later than 1 July": that day.
- "2026–2028 гг." (a span of years): due by the end of the last year (``"2028"``), with a note.
- "ежегодно, до 15 января": every year, with grace up to the day before 15 January (14 days).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from roadmap_cli.i18n import N_, _

#: the due value written for a deadline that was not understood
TODO = "TODO"

DAY_BEFORE_NOTE = N_("«{phrase}» read as {day}, the day before {named} (see docs/import.md)")
SPAN_NOTE = N_(
    "«{phrase}» names the years {first}-{last}: read as due by the end of {last}; if the "
    "measure has no deadline (work that runs on), write ongoing"
)


@dataclass(frozen=True)
class Event:
    """A document-level event that a deadline follows (its date is unknown at import)."""

    id: str
    title: str


@dataclass(frozen=True)
class Reading:
    """What one deadline cell says, in the contract's terms."""

    due: Any  # str ("2026-Q4", "ongoing", "TODO", ...) or a mapping (recurring, after/within)
    kind: str  # date|month|quarter|half|year|ongoing|on_request|recurring|after|span|todo
    event: Event | None = None
    note: str | None = None  # something the reviewer should know about this reading
    years: tuple[int, ...] = ()  # the years the phrase names (to guess the document's period)

    @property
    def understood(self) -> bool:
        return self.kind != "todo"


# --- words -----------------------------------------------------------------------------------

_RU_MONTHS = (
    ("январ", 1), ("феврал", 2), ("март", 3), ("апрел", 4), ("ма", 5), ("июн", 6),
    ("июл", 7), ("август", 8), ("сентябр", 9), ("октябр", 10), ("ноябр", 11), ("декабр", 12),
)
_RU_MONTH = (
    r"(январ[ьяе]|феврал[ьяе]|марта?|марте|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|августа?|августе|"
    r"сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"
)
_EN_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}
_EN_MONTH = "(" + "|".join(sorted(_EN_MONTHS, key=len, reverse=True)) + r")\.?"

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ORDINALS = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4,
    "first": 1, "second": 2, "third": 3, "fourth": 4,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
}
_NUMBER_WORDS = {
    "один": 1, "одного": 1, "одной": 1, "одну": 1, "два": 2, "двух": 2, "две": 2, "три": 3,
    "трех": 3, "четыре": 4, "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6,
    "семь": 7, "семи": 7, "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10,
    "десяти": 10, "двенадцать": 12, "двенадцати": 12, "пятнадцать": 15, "пятнадцати": 15,
    "двадцать": 20, "двадцати": 20, "тридцать": 30, "тридцати": 30, "сорок": 40, "сорока": 40,
    "шестьдесят": 60, "шестидесяти": 60, "девяносто": 90, "девяноста": 90,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "sixty": 60, "ninety": 90,
}
_UNITS = (
    (r"месяц(?:а|ев)?|мес\.?|months?", "m"),
    (r"(?:календарных\s+)?(?:дней|дня|день)|(?:calendar\s+)?days?", "d"),
    (r"недел[ьяи]|недель|weeks?", "w"),
    (r"лет|года?|years?", "y"),
)

_ONGOING = (
    "постоянно", "на постоянной основе", "в постоянном режиме", "на регулярной основе",
    "ongoing", "continuously", "permanently", "on a permanent basis", "on an ongoing basis",
    "continuous", "permanent", "тұрақты",
)
_ON_REQUEST = (
    "по мере необходимости", "по согласованию сторон", "по согласованию", "по запросу",
    "по мере поступления запросов", "по мере поступления обращений", "по договоренности сторон",
    "as needed", "as necessary", "when necessary", "if necessary", "upon request", "on request",
    "as agreed by the parties", "as agreed between the parties", "as agreed", "by agreement of the parties",
)
_EVERY = (
    (r"ежегодно|раз в год|один раз в год|ежегодный|annually|yearly|every year|once a year", "year"),
    (r"ежеквартально|раз в квартал|один раз в квартал|quarterly|every quarter|once a quarter", "quarter"),
    (
        r"раз в полугодие|один раз в полугодие|ежеполугодно|раз в пол ?года|"
        r"semi-annually|semiannually|every six months|every half-year|twice a year|half-yearly",
        "half",
    ),
    (r"ежемесячно|раз в месяц|один раз в месяц|monthly|every month|once a month", "month"),
)
#: events a deadline may follow: (pattern on the words after "после"/"of", id, ru noun, en noun)
_EVENTS = (
    (r"(?:вступления|вступление) в (?:законную )?силу", "entry-into-force", "Вступление в силу"),
    (r"entry into force", "entry-into-force", "Entry into force"),
    (r"(?:подписания|подписание)", "signing", "Подписание"),
    (r"(?:the )?signing", "signing", "Signing"),
    (r"(?:ратификации|ратификация)", "ratification", "Ратификация"),
    (r"(?:the )?ratification", "ratification", "Ratification"),
)


# --- normalisation ---------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_DASHES = re.compile(r"\s*[\u2010-\u2015\u2212-]\s*")
_YEAR_SPAN_WORDS = re.compile(r"(\d{4})\s*-\s*(\d{4})\s*(?:гг\.?|г\.?г\.?|годы|годов|годах|г\.?)?(?=\W|$)")
_YEAR_WORDS = re.compile(r"(\d{4})\s*(?:г\.?|год[ау]?|годе|гг\.?)(?=\W|$)")


def normalize(text: str) -> str:
    """Lower case, one space, one kind of dash, "ё" as "е", "г."/"года" after years dropped."""
    t = text.lower().replace("ё", "е")
    t = t.replace("«", '"').replace("»", '"')
    t = _SPACES.sub(" ", t).strip()
    t = _DASHES.sub("-", t)
    t = re.sub(r"(\d)\s*\((\w+)\)", r"\1", t)  # "6 (шесть) месяцев" -> "6 месяцев"
    t = _YEAR_SPAN_WORDS.sub(r"\1-\2", t)
    t = _YEAR_WORDS.sub(r"\1", t)
    t = re.sub(r"\s*,\s*", ", ", t)
    return t.strip(" .;,")


# --- the forms -------------------------------------------------------------------------------


def _year(text: str) -> int | None:
    y = int(text)
    return y if 1900 <= y <= 2199 else None


def _ru_month(word: str) -> int:
    for stem, n in _RU_MONTHS:
        if word.startswith(stem):
            return n
    raise ValueError(word)


def _day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _strip_prefix(t: str, prefixes: tuple[str, ...]) -> tuple[str, str]:
    for p in prefixes:
        if t.startswith(p + " "):
            return p, t[len(p) + 1 :]
    return "", t


_BEFORE = ("до", "к", "before", "prior to")  # the day before the named day
_BY = ("не позднее", "по", "by", "no later than", "not later than", "on or before")  # that day
#: before a period: the period itself ("в IV квартале 2026 г.", "до конца 2026 года")
_IN = ("в течение", "в", "во", "до конца", "к концу", "in", "during", "by the end of", "within",
       "until the end of", "by end of", "end of", "до окончания", "не позднее конца")
_PREFIXES = tuple(sorted(set(_BEFORE + _BY + _IN), key=len, reverse=True))
_PERIOD_PREFIXES = ("", *_IN, "не позднее", "no later than", "not later than")


def _quarter(t: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"(i{1,3}|iv|[1-4])(?:-?й|-?го|-?м|-?ом)?\s*(?:квартал[ае]?|кв\.?)\s*(\d{4})", t)
    if m:
        q: int = _ROMAN.get(m[1]) or int(m[1])
        return (y, q) if (y := _year(m[2])) else None
    m = re.fullmatch(r"(перв|втор|трет|четверт)\w*\s+(?:квартал[ае]?|кв\.?)\s*(\d{4})", t)
    if m:
        return (y, _ORDINALS[m[1]]) if (y := _year(m[2])) else None
    m = re.fullmatch(r"q([1-4])\s*(?:of\s+)?(\d{4})|(\d{4})\s*-?\s*q([1-4])", t)
    if m:
        qs, ys = (m[1], m[2]) if m[1] else (m[4], m[3])
        return (y, int(qs)) if (y := _year(ys)) else None
    m = re.fullmatch(
        r"(?:the\s+)?(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?(\d{4})", t
    )
    if m:
        return (y, _ORDINALS[m[1]]) if (y := _year(m[2])) else None
    return None


def _half(t: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"(i{1,2}|[12])(?:-?е|-?го|-?м)?\s*(?:полугоди[еяи]|полуг\.?)\s*(\d{4})", t)
    if m:
        h: int = _ROMAN.get(m[1]) or int(m[1])
        return (y, h) if (y := _year(m[2])) else None
    m = re.fullmatch(r"(перв|втор)\w*\s+полугоди[еяи]\s*(\d{4})", t)
    if m:
        return (y, _ORDINALS[m[1]]) if (y := _year(m[2])) else None
    m = re.fullmatch(r"h([12])\s*(?:of\s+)?(\d{4})|(\d{4})\s*-?\s*h([12])", t)
    if m:
        hs, ys = (m[1], m[2]) if m[1] else (m[4], m[3])
        return (y, int(hs)) if (y := _year(ys)) else None
    m = re.fullmatch(r"(?:the\s+)?(first|second|1st|2nd)\s+half(?:-year)?\s+(?:of\s+)?(\d{4})", t)
    if m:
        return (y, _ORDINALS[m[1]]) if (y := _year(m[2])) else None
    return None


def _month(t: str) -> tuple[int, int] | None:
    m = re.fullmatch(_RU_MONTH + r"\s+(\d{4})", t)
    if m:
        return (y, _ru_month(m[1])) if (y := _year(m[2])) else None
    m = re.fullmatch(_EN_MONTH + r",?\s+(\d{4})", t)
    if m:
        return (y, _EN_MONTHS[m[1]]) if (y := _year(m[2])) else None
    return None


def _date(t: str) -> date | None:
    m = re.fullmatch(r"(\d{1,2})\s*(?:-?го)?\s+" + _RU_MONTH + r"\s+(\d{4})", t)
    if m:
        return _day(y, _ru_month(m[2]), int(m[1])) if (y := _year(m[3])) else None
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _EN_MONTH + r",?\s+(\d{4})", t)
    if m:
        return _day(y, _EN_MONTHS[m[2]], int(m[1])) if (y := _year(m[3])) else None
    m = re.fullmatch(_EN_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", t)
    if m:
        return _day(y, _EN_MONTHS[m[1]], int(m[2])) if (y := _year(m[3])) else None
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", t)
    if m:
        return _day(y, int(m[2]), int(m[1])) if (y := _year(m[3])) else None
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        return _day(y, int(m[2]), int(m[3])) if (y := _year(m[1])) else None
    return None


def _fixed(t: str, phrase: str) -> Reading | None:
    """Quarter, half-year, year, month or date (with "до"/"не позднее"/"в течение" ...)."""
    word, rest = _strip_prefix(t, _PREFIXES)
    rest = re.sub(r"^(?:the|of)\s+", "", rest)
    d = _date(rest)
    if d is not None:
        if word in _BEFORE:
            day = d - timedelta(days=1)
            note = _(DAY_BEFORE_NOTE).format(
                phrase=phrase, day=day.isoformat(), named=d.isoformat()
            )
            return Reading(day.isoformat(), "date", note=note, years=(day.year,))
        if word in _BY or not word:
            return Reading(d.isoformat(), "date", years=(d.year,))
        return None
    if word not in _PERIOD_PREFIXES:
        return None  # "до 2027 года", "до IV квартала": before which day? not guessed
    if (q := _quarter(rest)) is not None:
        return Reading(f"{q[0]}-Q{q[1]}", "quarter", years=(q[0],))
    if (h := _half(rest)) is not None:
        return Reading(f"{h[0]}-H{h[1]}", "half", years=(h[0],))
    if (mo := _month(rest)) is not None:
        return Reading(f"{mo[0]}-{mo[1]:02d}", "month", years=(mo[0],))
    m = re.fullmatch(r"(?:year\s+)?(\d{4})", rest)
    if m and (y := _year(m[1])):
        return Reading(str(y), "year", years=(y,))
    return None


def _span(t: str, phrase: str) -> Reading | None:
    _word, rest = _strip_prefix(t, ("в течение", "в", "during", "in", "from"))
    m = re.fullmatch(r"(\d{4})\s*(?:-|to|по|until)\s*(\d{4})(?:\s+years)?", rest)
    if not m:
        return None
    first, last = _year(m[1]), _year(m[2])
    if first is None or last is None or last < first:
        return None
    note = _(SPAN_NOTE).format(phrase=phrase, first=first, last=last)
    # (the measure is carried out in those years: done by the last one's end, as an official
    # reads it; "ongoing" lost that a span shorter than the document's is late after it)
    return Reading(str(last), "span", note=note, years=(first, last))


def _grace(every: str, t: str) -> tuple[int, str | None] | None:
    """Days after each period's end from "до 15 января", "до 10 числа месяца, следующего ..."."""
    if not t:
        return 0, None
    m = re.fullmatch(
        r"(до|не позднее|by|before|no later than)\s+(\d{1,2})(?:-?го)?\s+числа(?:\s+месяца)?"
        r"(?:,?\s+следующего\s+за\s+отчетным(?:\s+(?:периодом|кварталом|месяцем|полугодием|годом))?)?",
        t,
    ) or re.fullmatch(
        r"(by|before|no later than)\s+the\s+(\d{1,2})(?:st|nd|rd|th)?\s+(?:day\s+)?of\s+the\s+"
        r"(?:following|next)\s+month",
        t,
    )
    if m:
        day = int(m[2])
        if not 1 <= day <= 28:
            return None
        return (day - 1 if m[1] in ("до", "before") else day), None
    m = re.fullmatch(r"(до|не позднее|by|before|no later than)\s+(\d{1,2})\s+" + _RU_MONTH, t)
    month = _ru_month(m[3]) if m else None
    if m is None:
        m = re.fullmatch(r"(by|before|no later than)\s+(\d{1,2})(?:st|nd|rd|th)?\s+" + _EN_MONTH, t)
        month = _EN_MONTHS[m[3]] if m else None
        if m is None:
            m = re.fullmatch(r"(by|before|no later than)\s+" + _EN_MONTH + r"\s+(\d{1,2})", t)
            if m:
                month, m_day = _EN_MONTHS[m[2]], int(m[3])
                return _grace_to(every, m[1], month, m_day)
    if m is None or month is None:
        return None
    return _grace_to(every, m[1], month, int(m[2]))


def _grace_to(every: str, word: str, month: int, day: int) -> tuple[int, str | None] | None:
    """Grace for a yearly measure due on a day of the next year's first quarter."""
    if every != "year" or month > 3:
        return None  # a day inside the period, or after a quarter: not a grace
    named = _day(2027, month, day)  # a common year: "до 1 марта" is 59 days after 31 December
    if named is None:
        return None
    last = named - timedelta(days=1) if word in ("до", "before") else named
    return (last - date(2026, 12, 31)).days, None


def _recurring(t: str, phrase: str) -> Reading | None:
    every, m = "", None
    for pattern, kind in _EVERY:
        m = re.match(r"(?:" + pattern + r")(?=\W|$)", t)
        if m:
            every = kind
            break
    if m is None:
        return None
    rest = t[m.end() :].strip(" ,;")
    due: dict[str, Any] = {"every": every}
    years: tuple[int, ...] = ()
    # an optional span of years, before or after the grace phrase
    span = re.search(r"(?:,\s*)?(?:в течение\s+|в\s+|during\s+|in\s+)?(\d{4})-(\d{4})(?:\s+years)?", rest)
    if span:
        first, last = _year(span[1]), _year(span[2])
        if first is None or last is None or last < first:
            return None
        due["from"], due["until"] = str(first), str(last)
        years = (first, last)
        rest = (rest[: span.start()] + rest[span.end() :]).strip(" ,;")
    got = _grace(every, rest)
    if got is None:
        return None
    if got[0]:
        due["grace"] = got[0]
    return Reading(due, "recurring", years=years)


#: words after the event's name that add another event or a cap ("после подписания и вступления
#: в силу Соглашения", "..., но не позднее 31 декабря 2026 г."): the deadline is then no
#: single event plus a time, and is left as TODO rather than read after the first event named
_ANOTHER_CONDITION = re.compile(
    r"(?<!\w)(?:вступлени|вступит|подписани|ратификаци|выполнени|завершени|утверждени)"
    r"|(?<!\w)(?:позднее|ранее|но|или|либо|entry into force|signing|signature|ratification|"
    r"completion|approval|later|earlier|but|or|whichever)(?!\w)"
)


def _within(t: str, phrase: str) -> Reading | None:
    m = re.fullmatch(
        r"(?:в течение|не позднее|в срок до|within|no later than)\s+(\d+|\w+)\s+(\S+(?:\s+\S+)?)\s+"
        r"(?:после|с момента|с даты|со дня|от даты|с|of|after|from|following)\s+(?:the\s+)?(?:date\s+of\s+)?(.+)",
        t,
    )
    if not m:
        return None
    n = int(m[1]) if m[1].isdigit() else _NUMBER_WORDS.get(m[1])
    if not n or n > 1000:
        return None
    unit = next((u for pattern, u in _UNITS if re.fullmatch(pattern, m[2])), None)
    if unit is None:
        return None
    within = f"{n}{unit}"
    target = m[3]
    mm = re.fullmatch(
        r"(?:выполнения|завершения|исполнения|реализации|completion of|completing)\s+"
        r"(?:(?:мероприятия|пункта|п\.|item|measure|action)\s*)?(?:№\s*|no\.\s*)?(\d+(?:\.\d+)*)",
        target,
    )
    if mm:
        return Reading({"after": mm[1], "within": within}, "after")
    for pattern, event_id, noun in _EVENTS:
        em = re.fullmatch("(?:" + pattern + r")(?:\s+(.*))?", target)
        if em and em[1] and _ANOTHER_CONDITION.search(em[1]):
            return None  # "после подписания и вступления в силу ...", "..., но не позднее ...": not one event
        if em:
            what = _original_tail(phrase, em[1] or "")
            title = f"{noun} {what}".strip()
            return Reading({"after": event_id, "within": within}, "after", event=Event(event_id, title))
    return None


def _original_tail(phrase: str, tail_lower: str) -> str:
    """The words of ``phrase`` that ``tail_lower`` (normalised) came from, as written."""
    if not tail_lower:
        return ""
    flat = _SPACES.sub(" ", phrase).strip().rstrip(" .;,")
    i = flat.lower().replace("ё", "е").rfind(tail_lower)
    return flat[i:] if i >= 0 else tail_lower


def read_deadline(text: str) -> Reading:
    """The due form of one deadline cell; ``kind == "todo"`` when it is not understood."""
    phrase = _SPACES.sub(" ", text).strip()
    t = normalize(text)
    if not t:
        return Reading(TODO, "todo", note="no deadline given")
    if t in _ONGOING:
        return Reading("ongoing", "ongoing")
    if t in _ON_REQUEST:
        return Reading("on_request", "on_request")
    for form in (_fixed, _span, _recurring, _within):
        found = form(t, phrase)
        if found is not None:
            return found
    return Reading(TODO, "todo")
