"""Pure: the agency names of a "responsible" cell -> agency ids of ``agencies.yaml``.

A cell lists names separated by line breaks, semicolons or commas, often abbreviated ("МИИР РК",
"Минпром", "акимат г. Астаны") and often with remarks ("(по согласованию)"). Each name is compared
with every agency's names (all languages), short names and ``aliases`` after :func:`key`: case,
"ё", quotes and punctuation do not count, "г."/"города" are dropped and "Республики Казахстан"
equals "РК". A name that equals no agency (or more than one) is unmatched, with the closest
registry entries as suggestions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from roadmap_cli.model import Agency, Title

#: "(головной)", "(ответственный)", "(lead)" after a name: that agency leads
_LEAD_MARKS = re.compile(r"\((?:головной(?: исполнитель)?|ответственный(?: исполнитель)?|lead|координатор)\)", re.I)
#: other remarks in parentheses, dropped ("(по согласованию)", "(по отдельному плану)")
_REMARK = re.compile(r"\([^()]*\)")
_PUNCT = re.compile(r"[\"'«»“”„`.,;:!?()\[\]{}/\\*–—-]+")
#: words that do not tell agencies apart: "г."/"города", legal forms ("ОАО «МАЗ»" is МАЗ)
_DROP = frozenset(
    {"г", "гор", "город", "города", "the", "of", "оао", "ао", "зао", "ооо", "тоо", "ojsc", "jsc", "llp"}
)
_PHRASES = (
    (re.compile(r"республики казахстан"), "рк"),
    (re.compile(r"республики беларусь"), "рб"),
    (re.compile(r"республика казахстан"), "рк"),
    (re.compile(r"республика беларусь"), "рб"),
    (re.compile(r"\bобласти\b"), "обл"),
    (re.compile(r"republic of kazakhstan"), "rk"),
    (re.compile(r"republic of belarus"), "rb"),
)


def key(name: str) -> str:
    """The form names are compared in (a letter pasted as two characters, и + ̆, is й)."""
    if not name.isascii():
        name = unicodedata.normalize("NFC", name)
    t = name.casefold().replace("ё", "е")
    t = _PUNCT.sub(" ", t)
    for pattern, short in _PHRASES:
        t = pattern.sub(short, t)
    return " ".join(w for w in t.split() if w not in _DROP)


@dataclass(frozen=True)
class Name:
    """One name read from a cell."""

    text: str  # as written (remarks dropped)
    agency: str | None  # the id it matched, or None
    lead: bool = False  # marked as the lead in the cell
    suggestions: tuple[str, ...] = ()  # closest agency ids when unmatched
    ambiguous: tuple[str, ...] = ()  # the agencies that share this name


def _texts(title: Title | None) -> list[str]:
    if title is None:
        return []
    if isinstance(title, str):
        return [title]
    return [t for t in title.values() if t]


class Index:
    """The names of a registry, by :func:`key`."""

    def __init__(self, agencies: Iterable[Agency]) -> None:
        self.by_key: dict[str, set[str]] = {}
        for a in agencies:
            for text in (*_texts(a.name), *_texts(a.short), *a.aliases, a.id):
                k = key(text)
                if k:
                    self.by_key.setdefault(k, set()).add(a.id)

    def match(self, text: str) -> Name:
        lead = bool(_LEAD_MARKS.search(text))
        shown = " ".join(_REMARK.sub(" ", text).split()).strip(" .,;")
        ids = self.by_key.get(key(shown), set())
        if len(ids) == 1:
            return Name(shown, next(iter(ids)), lead)
        if len(ids) > 1:
            return Name(shown, None, lead, ambiguous=tuple(sorted(ids)))
        return Name(shown, None, lead, suggestions=self.closest(shown))

    def closest(self, text: str, n: int = 3) -> tuple[str, ...]:
        import difflib  # only for a name not found (resolve.agency needs key alone)

        hits = difflib.get_close_matches(key(text), list(self.by_key), n=n * 2, cutoff=0.5)
        out: list[str] = []
        for hit in hits:
            for aid in sorted(self.by_key[hit]):
                if aid not in out:
                    out.append(aid)
        return tuple(out[:n])


def split_names(cell: str, index: Index) -> list[str]:
    """The names in a cell: one per line or per ";"; a part that is no whole name, split at ","."""
    out: list[str] = []
    for line in re.split(r"[\n;]+", cell):
        line = line.strip(" \t.,")
        if not line:
            continue
        if "," in _REMARK.sub("", line) and index.match(line).agency is None:
            out.extend(p.strip(" \t.") for p in _split_commas(line) if p.strip(" \t."))
        else:
            out.append(line)
    return out


def _split_commas(line: str) -> list[str]:
    """Split at commas outside parentheses and quotes."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in line:
        if ch in "(«":
            depth += 1
        elif ch in ")»" and depth:
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def read_cell(cell: str, index: Index) -> list[Name]:
    """Every name in a "responsible" cell, matched, in the order written (duplicates dropped)."""
    names: list[Name] = []
    seen: set[str] = set()
    for text in split_names(cell, index):
        name = index.match(text)
        k = name.agency or key(name.text)
        if k in seen:
            continue
        seen.add(k)
        names.append(name)
    return names


def owners_and_co(names: list[Name], co_cell: list[Name] | None = None) -> tuple[list[Name], list[Name]]:
    """Lead agencies and co-executors: those marked as lead, else the first named; the rest co."""
    marked = [n for n in names if n.lead]
    owners = marked or names[:1]
    co = [n for n in names if n not in owners]
    for n in co_cell or ():
        if n not in owners and n not in co:
            co.append(n)
    return owners, co
