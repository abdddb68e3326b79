"""Ids as people type them: a document, measure or agency named case-insensitively, an agency by
its name or short name, a document by the start of its id; the closest ids on a miss.

Pure functions over plain data: a miss raises :class:`NotFound` with a message for people; the
CLI turns it into a usage error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from roadmap_cli.i18n import _, ngettext
from roadmap_cli.model import Agency, Title

#: at most this many suggestions are named on a miss
SUGGESTIONS = 3
#: at most this many known ids are listed on a miss (a folder of a hundred documents, a
#: document of a hundred measures, is not read in one line of a terminal)
LISTED = 10


class NotFound(ValueError):
    """No id (or more than one) matches what was typed; ``str()`` says which and suggests."""


def _titles(title: Title | None) -> list[str]:
    if title is None:
        return []
    if isinstance(title, str):
        return [title]
    return [t for t in title.values() if isinstance(t, str)]


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def suggestions(text: str, choices: Iterable[str]) -> list[str]:
    """The closest of ``choices`` to ``text`` (compared case-insensitively), best first; none
    for a text over 200 characters or among more than ``rules.MAX_SUGGESTION_CHOICES`` (the
    validator's bound: a miss is answered at once, whatever a checkout holds)."""
    from roadmap_cli.rules import MAX_SUGGESTION_CHOICES

    by_fold: dict[str, str] = {}
    for c in choices:
        by_fold.setdefault(_fold(c), c)
    folded = _fold(text)
    if len(folded) > 200 or len(by_fold) > MAX_SUGGESTION_CHOICES:
        return []
    import difflib  # only for a name not found (a warm run never needs it)

    close = difflib.get_close_matches(folded, list(by_fold), n=3 * SUGGESTIONS, cutoff=0.6)
    if close:
        ranked = sorted(enumerate(close), key=lambda ic: (_distance(folded, ic[1]), ic[0]))  # fewest typos first
        return [by_fold[c] for _, c in ranked[:SUGGESTIONS]]
    return [by_fold[c] for c in _starting_alike(folded, list(by_fold))]


#: the Cyrillic and Greek twins of Latin letters: typed in the other keyboard layout, they look
#: exactly like the Latin letter (а, с, е, о, р, х, у, і, Н, К, М, Т, В; Greek Α, Ο, Τ, ο)
_TWINS = frozenset(
    "асеорхуіјѕһԁԛԝ" "АВСЕНІЈКМОРЅТХУ" "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧο"
)


def foreign_letters(text: object) -> str:
    """For a message about an id, a code or a date that must be written in Latin letters and
    digits: ``" (...)"`` naming the Cyrillic or Greek twins of Latin letters in ``text``
    (``kz-miс``, ``2026-Н1``, ``рu``: typed in the other keyboard layout, they look right, and
    the message would show the value as if it were; a section ``"А"``), else ``""``. Only when
    every non-Latin letter of ``text`` is such a twin: ``2026 год``, ``до 31.12.2026`` and
    ``выполнено`` are words of another language, not slips. Then the dashes and spaces that
    only look like a hyphen or a space (:func:`lookalikes`). Pure."""
    if not isinstance(text, str) or text.isascii() or len(text) > 200:
        return ""
    return _twins(text) + lookalikes(text)


def _twins(text: str) -> str:
    found: list[str] = []
    for c in text:
        if c.isalpha() and not c.isascii():
            if c not in _TWINS:
                return ""
            if c not in found:
                found.append(c)
    if not found:
        return ""
    import unicodedata

    letters = ", ".join(f"{c!r} ({unicodedata.name(c)})" for c in found[:3])
    return " " + _("(it holds {letters}, not a Latin letter: retype it in the Latin keyboard layout)").format(
        letters=letters
    )


#: characters that look like a hyphen (Word's en dash, a minus sign, a non-breaking hyphen) or
#: like a space (a no-break space: text pasted from a word processor or a web page)
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d")
_SPACES = frozenset("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000")


def lookalikes(text: object) -> str:
    """``" (...)"`` naming the dashes of ``text`` that look like a hyphen and the spaces that
    look like a space but are other characters (``2026–05–20`` with Word's en dashes reads as
    YYYY-MM-DD, and the message would show it as if it were), else ``""``. Pure."""
    if not isinstance(text, str) or text.isascii() or len(text) > 200:
        return ""
    import unicodedata

    out = ""
    dashes = list(dict.fromkeys(c for c in text if c in _DASHES))
    if dashes:
        out += " " + _("(it holds {chars}, which looks like a hyphen but is not one: type '-')").format(
            chars=", ".join(f"{c!r} ({unicodedata.name(c)})" for c in dashes[:3]))
    spaces = list(dict.fromkeys(c for c in text if c in _SPACES))
    if spaces:
        out += " " + _("(it holds a {names}, which looks like a space but is not one: type a space)").format(
            names=", ".join(unicodedata.name(c) for c in spaces[:3]))
    return out


def _starting_alike(folded: str, choices: list[str]) -> list[str]:
    """The choices whose start is ``folded`` with one typo (two in 16 characters or more):
    the start of an id typed with a typo (``kz-by-industral`` for
    ``kz-by-industrial-cooperation-2026-2028``), which is too short a part of the id for
    difflib's ratio. Fewest typos first, then in order. (A banded comparison: a few dozen
    steps a character, whatever the ids' length.)"""
    n = len(folded)
    if n < 4:
        return []
    allowed = 1 if n < 16 else 2
    found = []
    for place, c in enumerate(choices):
        if len(c) < n - 1 or c.startswith(folded):
            continue
        typos = min(_typos(folded, c[:k], allowed) for k in (n - 1, n, n + 1) if k <= len(c))
        if typos <= allowed:
            found.append((typos, place, c))
    found.sort()
    return [c for _, _, c in found[:SUGGESTIONS]]


def _typos(a: str, b: str, most: int) -> int:
    """The edit distance between ``a`` and ``b`` when it is at most ``most``, else ``most + 1``:
    only the cells within ``most`` of the diagonal are worked out (Ukkonen's band)."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    over = most + 1
    row = {j: j for j in range(min(len(b), most) + 1)}  # row 0, inside the band
    for i, ca in enumerate(a, 1):
        new = {}
        for j in range(max(0, i - most), min(len(b), i + most) + 1):
            if j == 0:
                new[j] = i
                continue
            best = min(row.get(j, over) + 1, new.get(j - 1, over) + 1,
                       row.get(j - 1, over) + (ca != b[j - 1]))
            new[j] = min(best, over)
        if min(new.values()) > most:
            return over
        row = new
    return min(row.get(len(b), over), over)


def _distance(a: str, b: str) -> int:
    """The edit distance (insertions, deletions, substitutions) between two short strings."""
    if len(a) > 200 or len(b) > 200:
        return abs(len(a) - len(b)) + 200
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def listed(ids: Sequence[str]) -> str:
    """The known ids a miss names: all of them up to :data:`LISTED` and two more (", and 2
    more" would be longer than the two), else the first :data:`LISTED` and how many more
    (``none`` when there are none)."""
    if not ids:
        return _("none")
    if len(ids) <= LISTED + 2:
        return ", ".join(ids)
    more = len(ids) - LISTED
    return ", ".join(ids[:LISTED]) + ngettext(", and {n} more", ", and {n} more", more).format(n=more)


def hint(text: str, known: Sequence[str]) -> str:
    """What a miss adds to a message of its own: the closest of ``known`` ("; did you mean
    ...?") and the known ids (" (known: ...)", :func:`listed`); nothing when none is known."""
    if not known:
        return ""
    return _did_you_mean(text, known) + " " + _("(known: {ids})").format(ids=listed(known))


def _did_you_mean(text: str, choices: Iterable[str]) -> str:
    close = suggestions(text, choices)
    if not close:
        return ""
    return _("; did you mean {ids}?").format(ids=_(" or ").join(repr(c) for c in close))


def document(text: str, ids: Iterable[str]) -> str:
    """The document id ``text`` names: the id itself, in any case, or the start of one id."""
    known = sorted(set(ids))
    if text in known:
        return text
    folded = _fold(text)
    same = [i for i in known if _fold(i) == folded]
    if len(same) == 1:
        return same[0]
    starts = [i for i in known if _fold(i).startswith(folded)] if folded else []
    if len(starts) == 1:
        return starts[0]
    if len(starts) > 1:
        raise NotFound(
            _("{text} is the start of more than one document id: {ids}").format(
                text=repr(text), ids=", ".join(starts)
            )
        )
    raise NotFound(
        _("no document with id {text}{hint} (known: {ids})").format(
            text=repr(text), hint=_did_you_mean(text, known), ids=listed(known)
        )
    )


def measure(text: str, ids: Iterable[str], roadmap_id: str) -> str:
    """The measure id ``text`` names in document ``roadmap_id``: the id, in any case."""
    known = list(dict.fromkeys(ids))
    if text in known:
        return text
    same = [i for i in known if _fold(i) == _fold(text)]
    if len(same) == 1:
        return same[0]
    raise NotFound(
        _("{doc} has no measure {text}{hint} (its measures: {ids})").format(
            doc=roadmap_id, text=repr(text), hint=_did_you_mean(text, known),
            ids=listed(known),
        )
    )


def agency(text: str, agencies: Mapping[str, Agency]) -> str:
    """The agency id ``text`` names: the id as written, else the id in any case or a name, short
    name or alias (in any language) of exactly one agency, else a part of the names of exactly
    one agency. Names are compared as ``roadmap import`` compares them
    (:func:`roadmap_cli.agency_match.key`: case, "ё", quotes, dashes, "г." and "Республики
    Казахстан"/"РК" do not count)."""
    if text in agencies:
        return text
    from roadmap_cli.agency_match import key

    folded = _fold(text)
    typed = key(text)
    names = {a.id: [key(t) for t in _titles(a.name) + _titles(a.short) + list(a.aliases)]
             for a in agencies.values()}
    rules: list[Callable[[str], bool]] = [
        # one rule: "MTZ" typed, the short name of by-mtz and the id of an agency "mtz", is both
        lambda aid: _fold(aid) == folded or (bool(typed) and typed in names[aid]),
        lambda aid: len(typed) >= 3 and any(typed in t for t in names[aid]),
    ]
    for rule in rules:
        found = [aid for aid in agencies if rule(aid)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise NotFound(
                _("{text} names more than one agency: {ids}; give the id").format(
                    text=repr(text), ids=", ".join(sorted(found)[:10]) + (", ..." if len(found) > 10 else "")
                )
            )
    choices = [*agencies, *(t for a in agencies.values() for t in _titles(a.short))]
    # a full name or an alias mistyped: the names are compared only when no id or short name is close
    others = [t for a in agencies.values() for t in (*_titles(a.name), *a.aliases)]
    raise NotFound(
        _("no agency with id, name or short name {text} in agencies.yaml{hint}").format(
            text=repr(text), hint=_did_you_mean(text, choices) or _did_you_mean(text, others)
        )
    )
