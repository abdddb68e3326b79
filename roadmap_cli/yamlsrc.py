"""Bytes -> plain values with source positions, and located problems. No printing, no exit.

Safe by construction: the YAML is only *parsed* into events (libyaml's C parser where installed,
the pure Python one otherwise) and the events are turned into values here, iteratively; no
constructor runs, so no tag can execute code, and no recursion follows the nesting of the file.
Every limit below is checked while the events arrive, so a hostile file is refused before it costs
more than the limits allow (see docs/limits.md).

Plain scalars are read by the YAML 1.2 core schema, the reading generic schema checkers use: dates
stay strings (this module never builds a ``date``), and the values YAML 1.1 reads otherwise
(``no``, ``on``, ``0755``, ``1:30``) are kept as YAML 1.2 reads them, with a warning to quote them.

Positions are 1-based (line, column) in characters, counted as an editor counts them: only
``\\n``, ``\\r\\n`` and a lone ``\\r`` end a line. U+0085, U+2028 and U+2029 are ordinary characters
(as in YAML 1.2; libyaml, a YAML 1.1 parser, would break lines there and shift every later line
number), so they are swapped for private-use characters while parsing and put back in the values.

This module holds the limits, the checks made before parsing, the result and its positions; the
events become values in :mod:`roadmap_cli.yamlfast` (the common clean file, one tight loop) or
:mod:`roadmap_cli.yamlbuild` (everything else), plain scalars are read by
:mod:`roadmap_cli.yamlplain`. The names other modules use are importable from here.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import Any

from roadmap_cli import i18n
from roadmap_cli.i18n import _
from roadmap_cli.limits import MAX_FILE_BYTES as MAX_FILE_BYTES
from roadmap_cli.limits import MAX_PROBLEMS as MAX_PROBLEMS
from roadmap_cli.model import Path, Pos, Problem, Severity, locate
from roadmap_cli.yamlbuild import _Builder
from roadmap_cli.yamlfast import _fast_read as _fast_read
from roadmap_cli.yamlfast import kept_positions as kept_positions
from roadmap_cli.yamlplain import MAX_NUMBER_CHARS as MAX_NUMBER_CHARS
from roadmap_cli.yamlplain import BadNumber as BadNumber
from roadmap_cli.yamlplain import read_plain as read_plain

# --- limits (documented in docs/limits.md; MAX_FILE_BYTES and MAX_PROBLEMS live in
# roadmap_cli.limits, which the warm path imports without this module) ----------------------

#: the deepest nesting of lists and mappings (a roadmap needs 7 levels)
MAX_DEPTH = 64
#: keys and values in one file, aliases expanded
MAX_NODES = 250_000
#: values reached through aliases in one file (a "billion laughs" file stops here)
MAX_ALIAS_NODES = 10_000
#: separator warnings reported per file (the rest are counted in the last one)
MAX_SEPARATOR_WARNINGS = 10

#: the rule ids this module reports and their severity (docs/rules.md describes each)
RULE_IDS = {
    "file-too-large": "error", "encoding": "error", "merge-conflict": "error", "syntax": "error",
    "multiple-documents": "error", "empty-file": "error", "too-deep": "error", "too-large": "error",
    "alias-limit": "error", "duplicate-key": "error", "key-type": "error", "yaml-tag": "error",
    "bad-number": "error", "yaml-ambiguous": "warning", "comment-cuts-value": "warning",
    "line-separator": "warning",
}



@cache
def _event_parser() -> tuple[Any, bool]:
    """The parser class (libyaml's where installed) and whether its reader errors count bytes.

    yaml is imported here, not at module level: a warm run served from the cache never needs it.
    """
    import yaml

    if getattr(yaml, "__with_libyaml__", False):
        from yaml._yaml import CParser

        return CParser, True
    import yaml.parser  # pragma: no cover - exercised only where libyaml is missing
    import yaml.reader
    import yaml.scanner

    class PyParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[misc]  # pragma: no cover
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)

        def dispose(self) -> None:
            self.states: list[Any] = []
            self.state = None

    return PyParser, False  # pragma: no cover



# --- the result --------------------------------------------------------------------------------


@dataclass
class Parsed:
    """One YAML file read: its value (None when unreadable), positions and problems."""

    file: str
    data: Any = None
    positions: dict[Path, Pos] = field(default_factory=dict)
    key_positions: dict[Path, Pos] = field(default_factory=dict)
    #: the source text of plain scalars that did not read as strings (to quote them in messages)
    plain_text: dict[Path, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    text: str = ""

    def at(self, path: Path) -> Pos:
        return locate(self.positions, path)

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(
            p.severity is Severity.ERROR for p in self.problems
        )


class _Positions:
    """Maps parser marks and character offsets to editor positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        # libyaml breaks lines exactly where editors do once U+0085/U+2028/U+2029 are swapped out
        self.exact = "\r" not in text or not _lone_cr(text)
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", self.text)]
        return self._starts

    def of(self, mark: Any) -> Pos:
        if self.exact:
            return (mark.line + 1, mark.column + 1)
        return self.at_index(mark.index)

    def at_index(self, index: int) -> Pos:
        starts = self.starts
        line = bisect_right(starts, index)
        return (line, index - starts[line - 1] + 1)


def _lone_cr(text: str) -> bool:
    i = text.find("\r")
    while i != -1:
        if text[i + 1 : i + 2] != "\n":
            return True
        i = text.find("\r", i + 1)
    return False


_CONFLICT = re.compile(r"^<{7}(?: |\r?$)", re.MULTILINE)
#: characters YAML does not allow in a file (YAML 1.2, 5.1 "c-printable")
# (listed: the class of those it allows, [^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd
# \U00010000-\U0010ffff], is the same set and took 3.3 ms to compile in every run that reads a
# file; tests/test_hostile.py holds the two equal)
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_SEPARATORS = {"\x85": "U+0085 NEXT LINE", "\u2028": "U+2028 LINE SEPARATOR",
               "\u2029": "U+2029 PARAGRAPH SEPARATOR"}
_SEPARATOR_RE = re.compile("[\x85\u2028\u2029]")
_BOMS = ((b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"), (b"\x00\x00\xfe\xff", "UTF-32"))


def _looks_like_cp1251(data: bytes) -> bool:
    """Bytes that are not UTF-8 but read as Russian text in Windows-1251: mostly Cyrillic
    letters (0xC0..0xFF, Ё, ё) among the bytes above 0x7F, the rest its punctuation (« » — №),
    and no NUL (UTF-16's)."""
    head = data[:65536]
    high = [b for b in head if b > 0x7F]
    if not high or b"\x00" in head:
        return False
    letters = sum(1 for b in high if b >= 0xC0 or b in (0xA8, 0xB8))
    # Russian words are runs of such bytes; a Latin-1 accent (café) stands between ASCII letters
    runs = sum(1 for a, b in pairwise(head) if a > 0x7F and b > 0x7F)
    return letters >= 0.7 * len(high) and runs >= 0.5 * len(high)


def parse(data: bytes, file: str) -> Parsed:
    """Read one YAML file's bytes. Never raises for bad input: every problem is in ``problems``
    (:class:`roadmap_cli.sources.NeedBytes` for a file whose bytes were not read)."""
    if type(data) is not bytes:
        from roadmap_cli.sources import NeedBytes, Unread

        if isinstance(data, Unread):
            raise NeedBytes(file)
    out = Parsed(file)

    def err(pos: Pos, rule: str, message: str, severity: Severity = Severity.ERROR) -> None:
        out.problems.append(Problem(file, pos[0], pos[1], severity, rule, message))

    if len(data) > MAX_FILE_BYTES:
        err(
            (1, 1),
            "file-too-large",
            _(
                "the file is larger than {limit} bytes, the largest accepted; "
                "split the document or remove what does not belong in it"
            ).format(limit=i18n.number(MAX_FILE_BYTES)),
        )
        return out
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        good = data[: e.start].decode("utf-8", errors="replace")
        hint = _("save the file as UTF-8")
        if _looks_like_cp1251(data):  # what Windows' Notepad and Excel save Russian text as
            hint = _("the file looks like {encoding}; save it as UTF-8").format(
                encoding="Windows-1251")
        for bom, name in _BOMS:
            if data.startswith(bom):
                hint = _("the file looks like {encoding}; save it as UTF-8").format(encoding=name)
        if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
            # a .docx or .xlsx (a zip), a .doc or .xls (OLE2) given to validate or a report:
            # "save the file as UTF-8" sent the reader to the wrong tool
            hint = _("this is a Word or Excel file, not a roadmap's YAML: a signed document's "
                     "table is read with `roadmap import FILE.docx --id ID`, filled request "
                     "workbooks with `roadmap apply FILE.xlsx`")
        err(
            _Positions(good).at_index(len(good)),
            "encoding",
            _("the file is not UTF-8: byte {byte} at offset {offset} cannot be decoded; {hint}").format(
                byte=f"0x{data[e.start]:02x}", offset=e.start, hint=hint
            ),
        )
        return out
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark is accepted and ignored
    out.text = text
    positions = _Positions(text)
    conflict = _CONFLICT.search(text) if "<<<<<<<" in text else None  # a substring test is faster
    if conflict:
        err(
            positions.at_index(conflict.start()),
            "merge-conflict",
            _(
                "unresolved git merge conflict: resolve the conflict and remove the {markers} markers"
            ).format(markers="<<<<<<< ======= >>>>>>>"),
        )
        return out
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        ch = bad.group()
        if ch == "\x00":
            what = _("the file contains a NUL byte: it is binary, not YAML text")
        elif ord(ch) < 0x20:
            what = _(
                "the file contains the character {char}, which YAML does not allow; remove it "
                "(the file may be binary, not YAML text)"
            ).format(char=f"U+{ord(ch):04X}")
        else:
            what = _("the file contains the character {char}, which YAML does not allow; remove it").format(
                char=f"U+{ord(ch):04X}"
            )
        err(positions.at_index(bad.start()), "syntax", what)
        return out

    parse_text = text
    restore: dict[int, str] | None = None
    if "\x85" in text or "\u2028" in text or "\u2029" in text:  # _SEPARATOR_RE, faster
        parse_text, restore = _swap_separators(text)
        for n, m in enumerate(_SEPARATOR_RE.finditer(text)):
            if n == MAX_SEPARATOR_WARNINGS:
                break
            err(
                positions.at_index(m.start()),
                "line-separator",
                _(
                    "the file contains {char}, which is read as part of the text "
                    "(YAML 1.1 tools and some editors read it as a line break); replace it with a "
                    "space or a real line break"
                ).format(char=_SEPARATORS[m.group()]),
                Severity.WARNING,
            )
        if restore is None:  # no free private-use characters: refuse rather than misplace
            return out
    _Builder(out, positions, parse_text, restore).build()
    if "\t" in text and out.ok:
        from roadmap_cli.yamltabs import loose_tabs  # (a file with a tab: rare)

        for pos in loose_tabs(parse_text, _event_parser()[0], MAX_SEPARATOR_WARNINGS):
            err(pos, "yaml-ambiguous", _(
                "a tab outside quotes: roadmap reads it as a space, but other YAML readers (such as "
                "check-jsonschema, which CI runs) refuse the whole file; replace it with a space, or "
                "quote the value"
            ), Severity.WARNING)
    return out


def _swap_separators(text: str) -> tuple[str, dict[int, str] | None]:
    """Replace U+0085/U+2028/U+2029 by private-use characters the file does not use."""
    free = []
    for code in range(0xE000, 0xF900):
        if chr(code) not in text:
            free.append(chr(code))
            if len(free) == 3:
                break
    else:  # pragma: no cover - a file using the whole private-use area
        return text, None
    table = dict(zip(map(ord, _SEPARATORS), free, strict=True))
    back = {ord(v): chr(k) for k, v in table.items()}
    return text.translate(table), back
