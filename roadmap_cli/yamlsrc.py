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
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from roadmap_cli import i18n
from roadmap_cli.i18n import _
from roadmap_cli.model import Path, Pos, Problem, Severity, locate

# --- limits (documented in docs/limits.md) -----------------------------------------------------

#: the largest file accepted, in bytes (the largest real document is a few hundred kilobytes)
MAX_FILE_BYTES = 4 * 1024 * 1024
#: the deepest nesting of lists and mappings (a roadmap needs 7 levels)
MAX_DEPTH = 64
#: keys and values in one file, aliases expanded
MAX_NODES = 250_000
#: values reached through aliases in one file (a "billion laughs" file stops here)
MAX_ALIAS_NODES = 10_000
#: the longest plain scalar still read as a number (longer digit strings are refused)
MAX_NUMBER_CHARS = 100
#: problems reported per file by the schema check and by each rule (one more line says so)
MAX_PROBLEMS = 1_000
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

_TAG = "tag:yaml.org,2002:"
_SEQ_TAGS = (None, "!", _TAG + "seq")
_MAP_TAGS = (None, "!", _TAG + "map")
_SCALAR_TAGS = {_TAG + "str": str, _TAG + "int": int, _TAG + "float": float, _TAG + "bool": bool,
                _TAG + "null": type(None)}



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


# --- plain scalars: YAML 1.2 core schema ------------------------------------------------------

_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")
# YAML 1.1 readings that differ from YAML 1.2 core
_Y11_BOOL = re.compile(r"(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)\Z")
_Y11_OCTAL = re.compile(r"[-+]?0[0-7_]+\Z")
_Y11_SEXA = re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?\Z")
_Y11_UNDERSCORE = re.compile(r"[-+]?(0b[01_]+|[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?)\Z")
_FIRST_SIMPLE = frozenset("abcdeghijklmpqrsuvwxzABCDEGHIJKLMPQRSUVWXZ")  # no f/n/o/t/y/F/N/O/T/Y
_NUMBERISH = re.compile(r"[-+]?[0-9.]")


#: whole numbers written as floats up to this size are read as integers (a float holds every
#: whole number up to 2**53 exactly; larger ones stay floats, out of every range a roadmap uses)
_EXACT = 2**53


class BadNumber(ValueError):
    """A plain scalar that reads as a number no report can use (NaN, infinity, 500 digits)."""


def read_plain(text: str) -> tuple[Any, str | None]:
    """A plain scalar's value by the YAML 1.2 core schema, and a note where YAML 1.1 differs.

    Raises :class:`BadNumber` for ``.nan``, ``.inf``, numbers too large for a float (``1e400``)
    and digit strings longer than :data:`MAX_NUMBER_CHARS`.
    """
    if text and text[0] in _FIRST_SIMPLE:
        return text, None
    if text in _NULLS:
        return None, None
    b = _BOOLS.get(text)
    if b is not None:
        return b, None
    if len(text) > MAX_NUMBER_CHARS:
        # never run the YAML 1.1 patterns (one of them backtracks) on long text
        if _NUMBERISH.match(text) and (_INT.match(text) or _FLOAT.match(text) or _HEX.match(text)):
            raise BadNumber(
                _(
                    "a number of {count} characters is longer than the {limit} accepted; "
                    "quote it if it is text"
                ).format(count=i18n.number(len(text)), limit=MAX_NUMBER_CHARS)
            )
        return text, None
    if _Y11_BOOL.match(text):
        return text, _("YAML 1.1 reads it as the boolean {value}").format(
            value=text.lower() in ("y", "yes", "on")
        )
    if _Y11_OCTAL.match(text) and len(text.lstrip("+-")) > 1:
        if _INT.match(text):
            return int(text), _("YAML 1.1 reads it as the octal number {value}").format(
                value=int(text.replace("_", ""), 8)
            )
        return text, _("YAML 1.1 reads it as an octal number")
    if _INT.match(text):
        return int(text), None
    if _OCT.match(text):
        return int(text[2:], 8), _("YAML 1.1 reads it as a string")
    if _HEX.match(text):
        return int(text[2:], 16), None
    if _FLOAT.match(text):
        value = float(text)
        if math.isinf(value):
            raise BadNumber(_("{text} is too large for a number (it would read as infinity)").format(text=text))
        note = _("YAML 1.1 reads it as a string") if "." not in text else None
        if value.is_integer() and abs(value) <= _EXACT:
            # a whole number written as a float (70.0, 1e3) is that whole number, everywhere
            # (JSON Schema calls it an integer too): docs/limits.md
            return int(value), note
        return value, note
    if _INF.match(text):
        raise BadNumber(
            _("{text} is infinity, which no report can use; write a number, or quote it if it is text").format(
                text=text
            )
        )
    if _NAN.match(text):
        raise BadNumber(
            _("{text} is not a number (NaN); write a number, or quote it if it is text").format(text=text)
        )
    if _Y11_SEXA.match(text):
        return text, _("YAML 1.1 reads it as a base-60 number")
    if _Y11_UNDERSCORE.match(text):
        return text, _("YAML 1.1 reads it as a number")
    return text, None


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
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SEPARATORS = {"\x85": "U+0085 NEXT LINE", "\u2028": "U+2028 LINE SEPARATOR",
               "\u2029": "U+2029 PARAGRAPH SEPARATOR"}
_SEPARATOR_RE = re.compile("[\x85\u2028\u2029]")
_BOMS = ((b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"), (b"\x00\x00\xfe\xff", "UTF-32"))


def parse(data: bytes, file: str) -> Parsed:
    """Read one YAML file's bytes. Never raises for bad input: every problem is in ``problems``."""
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
        for bom, name in _BOMS:
            if data.startswith(bom):
                hint = _("the file looks like {encoding}; save it as UTF-8").format(encoding=name)
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


def _syntax_rule(e: Any) -> str:
    if "expected a single document" in (e.context or "") + (e.problem or ""):
        return "multiple-documents"
    return "syntax"


def _syntax_message(e: Any) -> str:
    problem = e.problem or _("invalid YAML")
    context = e.context or ""
    if context:
        return _("YAML syntax error: {problem} ({context})").format(problem=problem, context=context)
    return _("YAML syntax error: {problem}").format(problem=problem)


class _Fatal(Exception):
    """A limit was hit: the problem is recorded, the file's data is dropped."""


_DISCARD = object()  # the key of a mapping entry whose value is read but not kept


class _Frame:
    """One open list or mapping while its events arrive."""

    __slots__ = ("anchor", "depth", "first", "is_map", "key", "path", "record", "value")

    def __init__(self, is_map: bool, value: Any, path: Path, depth: int, record: bool) -> None:
        self.is_map = is_map
        self.value = value
        self.path = path
        self.depth = depth
        self.record = record  # False inside a discarded key or value: no positions kept
        self.key: Any = None  # mappings: None while a key is expected, else the key (or _DISCARD)
        self.first: dict[str, Pos] = {}
        self.anchor: _Open | None = None


class _Open:
    """An anchor whose node is still being read."""

    __slots__ = ("count", "deepest", "depth", "name", "path", "records")

    def __init__(self, name: str, path: Path, records: int, count: int, depth: int) -> None:
        self.name = name
        self.path = path
        self.records = records
        self.count = count
        self.depth = depth
        self.deepest = depth


@dataclass
class _Anchor:
    value: Any
    path: Path
    records: list[tuple[int, Path, Any]]
    size: int
    height: int  # levels below the anchored node


class _Builder:
    """Turns the parser's events into plain values, positions and problems, without recursion."""

    def __init__(self, out: Parsed, positions: _Positions, text: str, restore: dict[int, str] | None) -> None:
        self.out = out
        self.positions = positions
        self.text = text
        self.restore = restore
        self.count = 0
        self.alias_count = 0
        self.anchors: dict[str, _Anchor] = {}
        self.open: list[_Open] = []
        #: (kind, path, payload) of what was recorded while an anchor is open: 0 position,
        #: 1 key position, 2 plain text; replayed (re-rooted) where an alias copies the anchor
        self.records: list[tuple[int, Path, Any]] = []
        self.mark_bytes = False
        self.fast = True  # try _fast_read first

    # -- problems ------------------------------------------------------------------------------

    def err(self, pos: Pos, rule: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.out.problems.append(Problem(self.out.file, pos[0], pos[1], severity, rule, message))

    def fatal(self, pos: Pos, rule: str, message: str) -> _Fatal:
        self.err(pos, rule, message)
        return _Fatal()

    # -- the event loop --------------------------------------------------------------------------

    def build(self) -> None:
        out = self.out
        import yaml

        parser_class, self.mark_bytes = _event_parser()
        if self.restore is None and self.fast and _fast_read(self, parser_class, yaml.YAMLError):
            return
        parser = parser_class(self.text)
        try:
            self._run(parser)
        except _Fatal:
            out.data = None
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            pos = self.positions.of(mark) if mark is not None else (1, 1)
            message = _syntax_message(e)
            rule = _syntax_rule(e)
            if rule == "multiple-documents":
                message = _("the file holds more than one YAML document ({marker}); keep one document per file").format(
                    marker="'---'"
                )
            else:
                pos, message = self._explained(e, pos)
            self.err(pos, rule, message)
            out.data = None
        except yaml.YAMLError as e:  # reader errors: the pre-checks in parse() should catch them first
            self.err(
                self._reader_pos(e),
                "syntax",
                _("YAML syntax error: {problem}").format(problem=getattr(e, "reason", e)),
            )
            out.data = None
        finally:
            parser.dispose()

    def _explained(self, e: Any, pos: Pos) -> tuple[Pos, str]:
        """The likely cause of a syntax error in words (see :mod:`roadmap_cli.explain`)."""
        from roadmap_cli.explain import Syntax, explain_syntax

        context = self.positions.of(e.context_mark) if e.context_mark is not None else (None, None)
        found = Syntax(e.problem or "invalid YAML", e.context or "", pos[0], pos[1], *context)
        return explain_syntax(self.out.text or self.text, found)

    def _reader_pos(self, e: Any) -> Pos:
        offset = getattr(e, "position", 0) or 0
        if self.mark_bytes:
            offset = len(self.text.encode("utf-8")[:offset].decode("utf-8", errors="ignore"))
        return self.positions.at_index(min(offset, len(self.text)))

    def _run(self, parser: Any) -> None:
        import yaml.events as ev

        out = self.out
        pos_of = self.positions.of
        get = parser.get_event
        get()  # StreamStartEvent
        event = get()
        if isinstance(event, ev.StreamEndEvent):
            self.err(
                (1, 1),
                "empty-file",
                _("the file has no content: expected a mapping (id, kind, title, parties, ...)"),
            )
            return
        stack: list[_Frame] = []
        root = _Frame(False, [], (), -1, True)  # holds the document's value
        stack_append = stack.append
        while True:
            event = get()
            cls = type(event)
            if cls is ev.MappingEndEvent or cls is ev.SequenceEndEvent:
                frame = stack.pop()
                if frame.anchor is not None:
                    self._close_anchor(frame.anchor, frame.value)
                continue
            if cls is ev.DocumentEndEvent:
                break
            # a node: a key, or a value in the open list or mapping (or the root)
            parent = stack[-1] if stack else root
            pos = pos_of(event.start_mark)
            self.count += 1
            if self.count > MAX_NODES:
                raise self.fatal(
                    pos,
                    "too-large",
                    _("the file holds more than {limit} keys and values").format(limit=i18n.number(MAX_NODES)),
                )
            is_key = parent.is_map and parent.key is None
            depth = parent.depth + 1
            if is_key:
                path = parent.path
                record = False
            else:
                if parent.is_map:
                    key = parent.key
                    record = parent.record and key is not _DISCARD
                    path = parent.path + (key,) if record else parent.path
                else:
                    record = parent.record
                    path = parent.path + (len(parent.value),) if parent is not root else ()
                if record:
                    out.positions[path] = pos
                    if self.open:
                        self.records.append((0, path, pos))
            if depth > MAX_DEPTH:
                raise self.fatal(pos, "too-deep", _("nesting is deeper than {limit} levels").format(limit=MAX_DEPTH))
            for a in self.open:
                if depth > a.deepest:
                    a.deepest = depth
            anchor = getattr(event, "anchor", None) if cls is not ev.AliasEvent else None
            opened = None
            if anchor is not None:
                opened = _Open(anchor, path, len(self.records), self.count, depth)
                self.anchors.pop(anchor, None)  # a redefined anchor: aliases until its end are errors
                self.open.append(opened)

            if cls is ev.ScalarEvent:
                value = self._scalar(event, path, pos, record and not is_key)
            elif cls is ev.AliasEvent:
                value = self._alias(event, path, pos, depth, record and not is_key)
            else:
                is_map = cls is ev.MappingStartEvent
                if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                    self._bad_tag(pos, event.tag)
                value = {} if is_map else []
                frame = _Frame(is_map, value, path, depth, record and not is_key)
                frame.anchor = opened
                opened = None
                if is_key:
                    self.err(pos, "key-type", _("a mapping key must be a plain string, not a list or a mapping"))
                    value = _DISCARD
                stack_append(frame)

            if opened is not None:  # a scalar or alias with an anchor is complete at once
                self._close_anchor(opened, value)
            # attach to the parent
            if is_key:
                parent.key = self._key(value, event, pos, parent) if value is not _DISCARD else _DISCARD
            elif parent.is_map:
                if parent.key is not _DISCARD:
                    parent.value[parent.key] = value
                parent.key = None
            else:
                parent.value.append(value)
        out.data = root.value[0]
        event = get()
        if not isinstance(event, ev.StreamEndEvent):
            self.err(
                pos_of(event.start_mark),
                "multiple-documents",
                _("the file holds more than one YAML document ({marker}); keep one document per file").format(
                    marker="'---'"
                ),
            )
            out.data = None
        elif out.data is None:
            self.err(
                (1, 1),
                "empty-file",
                _("the document is empty (null): expected a mapping (id, kind, title, parties, ...)"),
            )

    # -- keys, scalars, aliases ------------------------------------------------------------------

    def _key(self, value: Any, event: Any, pos: Pos, parent: _Frame) -> Any:
        if isinstance(value, (dict, list)):
            self.err(pos, "key-type", _("a mapping key must be a plain string, not a list or a mapping"))
            return _DISCARD
        if not isinstance(value, str):
            shown = event.value if hasattr(event, "value") else value
            self.err(pos, "key-type", _("the key {key} is not a string; quote it").format(key=self._shown(shown)))
            return _DISCARD
        first = parent.first.get(value)
        if first is not None:
            self.err(
                pos,
                "duplicate-key",
                _("duplicate key {key} (first at line {line}); a later value would silently replace the first").format(
                    key=repr(value), line=first[0]
                ),
            )
            return _DISCARD
        parent.first[value] = pos
        if parent.record:
            kpath = parent.path + (value,)
            self.out.key_positions[kpath] = pos
            if self.open:
                self.records.append((1, kpath, pos))
        return value

    def _shown(self, text: Any) -> str:
        text = str(text)
        return repr(text if len(text) <= 60 else text[:57] + "...")

    def _scalar(self, event: Any, path: Path, pos: Pos, record: bool) -> Any:
        tag = event.tag
        value = event.value
        if self.restore is not None:
            value = value.translate(self.restore)
        if tag is None and event.implicit[0]:
            try:
                result, note = read_plain(value)
            except BadNumber as e:
                self.err(pos, "bad-number", str(e))
                return value
            if record and not isinstance(result, str):
                self.out.plain_text[path] = value
                if self.open:
                    self.records.append((2, path, value))
            if note is not None:
                self.err(
                    pos,
                    "yaml-ambiguous",
                    _("{value} is read as {reading}, but {note}; quote it to say which you mean").format(
                        value=repr(value), reading=_describe(result), note=note
                    ),
                    Severity.WARNING,
                )
            elif record and isinstance(result, str):
                self._check_cut_by_comment(event, pos)
            return result
        if tag is None or tag == "!" or tag == _TAG + "str":
            return value
        kind = _SCALAR_TAGS.get(tag)
        if kind is None:
            self._bad_tag(pos, tag)
            return value
        try:
            result, _note = read_plain(value)
        except BadNumber as e:
            self.err(pos, "bad-number", str(e))
            return value
        if kind is float and isinstance(result, int) and not isinstance(result, bool):
            kind = int  # !!float 70 is the whole number 70, as 70.0 is
        if not isinstance(result, kind) or (kind is int and isinstance(result, bool)):
            self.err(
                pos,
                "yaml-tag",
                _("{value} is not a valid {tag}").format(value=self._shown(value), tag="!!" + tag[len(_TAG) :]),
            )
            return value
        return result

    def _alias(self, event: Any, path: Path, pos: Pos, depth: int, record: bool) -> Any:
        name = event.anchor
        anchor = self.anchors.get(name)
        if anchor is None:
            if any(a.name == name for a in self.open):
                raise self.fatal(
                    pos,
                    "alias-limit",
                    _("the alias {alias} is used inside its own anchor {anchor}: a value cannot contain itself").format(
                        alias="*" + name, anchor="&" + name
                    ),
                )
            raise self.fatal(
                pos,
                "syntax",
                _("the alias {alias} refers to no anchor {anchor} before it").format(alias="*" + name, anchor="&" + name),
            )
        self.alias_count += anchor.size
        self.count += anchor.size - 1
        if self.alias_count > MAX_ALIAS_NODES:
            raise self.fatal(
                pos,
                "alias-limit",
                _("aliases expand to more than {limit} values; write the values out instead of repeating anchors").format(
                    limit=i18n.number(MAX_ALIAS_NODES)
                ),
            )
        if self.count > MAX_NODES:
            raise self.fatal(
                    pos,
                    "too-large",
                    _("the file holds more than {limit} keys and values").format(limit=i18n.number(MAX_NODES)),
                )
        if depth + anchor.height > MAX_DEPTH:
            raise self.fatal(pos, "too-deep", _("nesting is deeper than {limit} levels").format(limit=MAX_DEPTH))
        for a in self.open:
            a.deepest = max(a.deepest, depth + anchor.height)
        if record:
            cut = len(anchor.path)
            out = self.out
            tables = (out.positions, out.key_positions, out.plain_text)
            for kind, rpath, payload in anchor.records:
                new = path + rpath[cut:]
                tables[kind][new] = payload
                if self.open:
                    self.records.append((kind, new, payload))
        return _copy(anchor.value)

    def _close_anchor(self, opened: _Open, value: Any) -> None:
        self.open.remove(opened)
        self.anchors[opened.name] = _Anchor(
            value=value,
            path=opened.path,
            records=self.records[opened.records :],
            size=self.count - opened.count + 1,
            height=opened.deepest - opened.depth,
        )
        if not self.open:
            self.records = []

    def _bad_tag(self, pos: Pos, tag: str) -> None:
        self.err(
            pos,
            "yaml-tag",
            _(
                "the tag {tag} is not allowed: roadmap files hold plain data only (nothing in a file is ever run)"
            ).format(tag=self._shown(tag)),
        )

    def _check_cut_by_comment(self, event: Any, pos: Pos) -> None:
        """Warn when a plain value is followed by '#' with no space: `Fix #12` reads as 'Fix'."""
        idx = event.end_mark.index
        text = self.text
        n = len(text)
        if idx + 2 < n and text[idx] in " \t":
            j = idx
            while j < n and text[j] in " \t":
                j += 1
            if j < n - 1 and text[j] == "#" and text[j + 1] not in " \t\r\n#!":
                end = j
                while end < n and text[end] not in "\r\n":
                    end += 1
                rest = text[j:end]
                if self.restore is not None:
                    rest = rest.translate(self.restore)
                if len(rest) > 40:
                    rest = rest[:37] + "..."
                self.err(
                    pos,
                    "comment-cuts-value",
                    _("the value reads as {value}: {rest} is a comment; quote the whole value to keep the {hash}").format(
                        value=self._shown(event.value), rest=repr(rest), hash="'#'"
                    ),
                    Severity.WARNING,
                )


class _Bail(Exception):
    """The fast path met something it leaves to the general builder."""


_SIMPLE_FIRST_NOT = frozenset("0123456789+-.~nNtTfFyYoO")  # may read as non-strings or with a note
_PERIODISH = re.compile(r"[0-9]{4}-(?:[0-9]{2}(?:-[0-9]{2})?|[QH][0-9])\Z")  # dates, periods: strings


#: plain scalars starting like a number or a YAML 1.1 word that read_plain read as themselves,
#: with no note (`title`, `owners`, `not_started`, `ongoing`): remembered, read_plain is pure
_READS_AS_ITSELF: set[str] = set()


def _check_reads_as_itself(item: str) -> None:
    try:
        result, note = read_plain(item)
    except BadNumber:
        raise _Bail from None
    if note is not None or type(result) is not str:
        raise _Bail
    if len(_READS_AS_ITSELF) < 4096:
        _READS_AS_ITSELF.add(item)


def _fast_read(builder: _Builder, parser_class: Any, yaml_error: type[Exception]) -> bool:
    """Read the common file in one tight loop: a mapping at the top, untagged scalars, no
    anchors or aliases, no problem of any kind. True when done (``builder.out`` filled exactly as
    :meth:`_Builder._run` fills it); False, with nothing kept, for anything else, which the
    general builder then reads from the start (tests/test_parse_fast_path.py holds the two
    paths to the same result).
    """
    out = builder.out
    if out.positions or out.key_positions or out.plain_text or not builder.positions.exact:
        return False
    problems_before = len(out.problems)
    parser = parser_class(builder.text)
    try:
        _fast_loop(builder, parser)
        return True
    except (_Bail, yaml_error):
        pass
    finally:
        parser.dispose()
    # start again: the general builder reads the file from the beginning
    del out.problems[problems_before:]
    out.data = None
    out.positions = {}
    out.key_positions = {}
    out.plain_text = {}
    builder.count = 0
    return False


def _fast_loop(builder: _Builder, parser: Any) -> None:
    import yaml.events as ev

    out = builder.out
    positions = out.positions
    plain_text = out.plain_text
    text = builder.text
    n_text = len(text)
    problems = out.problems
    n_problems = len(problems)
    special = _SIMPLE_FIRST_NOT
    periodish = _PERIODISH.match
    reads_as_itself = _READS_AS_ITSELF
    scalar_event = ev.ScalarEvent
    mapping_start = ev.MappingStartEvent
    sequence_start = ev.SequenceStartEvent
    mapping_end = ev.MappingEndEvent
    sequence_end = ev.SequenceEndEvent
    container_tags = (None, "!")
    max_nodes = MAX_NODES
    max_depth = MAX_DEPTH - 1
    get = parser.get_event

    get()  # StreamStartEvent
    if type(get()) is not ev.DocumentStartEvent:
        raise _Bail
    event = get()
    if type(event) is not mapping_start or event.tag not in container_tags or event.anchor is not None:
        raise _Bail
    mark: Any = event.start_mark
    positions[()] = (mark.line + 1, mark.column + 1)
    root: dict[str, Any] = {}
    count = 1
    # the open containers: (value, path, is_map, its keys so far)
    stack: list[tuple[Any, Path, bool, set[str]]] = []
    value: Any = root
    path: Path = ()
    is_map = True
    first: set[str] = set()  # a duplicate key hands over to the general builder
    while True:
        event = get()
        cls = type(event)
        if cls is mapping_end or cls is sequence_end:
            if not stack:
                break
            value, path, is_map, first = stack.pop()
            continue
        count += 1
        if count > max_nodes:
            raise _Bail
        if cls is scalar_event:
            if event.tag is not None or event.anchor is not None:
                raise _Bail
            item = event.value
            if is_map:
                # a key
                if event.implicit[0] and not (
                    (item and (item[0] not in special or periodish(item))) or item in reads_as_itself
                ):
                    _check_reads_as_itself(item)  # or _Bail: a key read as a number, or with a note
                if item in first:
                    raise _Bail  # a duplicate key: the general builder says so
                first.add(item)
                kpath = path + (item,)
                # its value
                count += 1
                event = get()
                cls = type(event)
                if cls is not scalar_event:
                    if (cls is not mapping_start and cls is not sequence_start) or event.tag not in container_tags \
                            or event.anchor is not None or len(stack) >= max_depth:
                        raise _Bail
                    mark = event.start_mark
                    positions[kpath] = (mark.line + 1, mark.column + 1)
                    child: Any = {} if cls is mapping_start else []
                    value[item] = child
                    stack.append((value, path, is_map, first))
                    value, path, is_map, first = child, kpath, cls is mapping_start, set()
                    continue
                key, path_here = item, kpath
            else:
                key, path_here = None, path + (len(value),)
            if event.tag is not None or event.anchor is not None:
                raise _Bail
            mark = event.start_mark
            positions[path_here] = (mark.line + 1, mark.column + 1)
            item = event.value
            if event.implicit[0]:
                if (item and (item[0] not in special or periodish(item))) or item in reads_as_itself:
                    # a plain string: cut short by a comment? (`Fix #12` reads as 'Fix')
                    idx = event.end_mark.index
                    if idx + 2 < n_text and text[idx] in " \t":
                        builder._check_cut_by_comment(event, positions[path_here])
                        if len(problems) != n_problems:
                            raise _Bail
                else:
                    try:
                        result, note = read_plain(item)
                    except BadNumber:
                        raise _Bail from None
                    if note is not None:
                        raise _Bail
                    if not isinstance(result, str):
                        plain_text[path_here] = item
                    else:
                        if len(reads_as_itself) < 4096:
                            reads_as_itself.add(item)
                        idx = event.end_mark.index
                        if idx + 2 < n_text and text[idx] in " \t":
                            builder._check_cut_by_comment(event, positions[path_here])
                            if len(problems) != n_problems:
                                raise _Bail
                    item = result
            if key is None:
                value.append(item)
            else:
                value[key] = item
        elif cls is mapping_start or cls is sequence_start:
            # a list or mapping inside a list (a mapping's are read with their key above)
            if is_map or event.tag not in container_tags or event.anchor is not None \
                    or len(stack) >= max_depth:
                raise _Bail
            mark = event.start_mark
            child_path = path + (len(value),)
            positions[child_path] = (mark.line + 1, mark.column + 1)
            child = {} if cls is mapping_start else []
            value.append(child)
            stack.append((value, path, is_map, first))
            value, path, is_map, first = child, child_path, cls is mapping_start, set()
        else:
            raise _Bail  # an alias, or anything unexpected
    if type(get()) is not ev.DocumentEndEvent or type(get()) is not ev.StreamEndEvent:
        raise _Bail
    builder.count = count
    out.data = root
    # key positions only locate unknown keys for the schema check: read them when asked
    out.key_positions = _KeyPositions(out.file, text)  # type: ignore[assignment]


class _KeyPositions(Mapping[Path, Pos]):
    """The key positions of a file the fast path read, found by the general builder when first
    asked for (only the schema check asks, and only about a document it found invalid)."""

    def __init__(self, file: str, text: str) -> None:
        self._file = file
        self._text: str | None = text
        self._map: dict[Path, Pos] | None = None

    def _get(self) -> dict[Path, Pos]:
        if self._map is None:
            assert self._text is not None
            out = Parsed(self._file)
            builder = _Builder(out, _Positions(self._text), self._text, None)
            builder.fast = False
            builder.build()
            self._map, self._text = out.key_positions, None
        return self._map

    def __getitem__(self, key: Path) -> Pos:
        return self._get()[key]

    def __iter__(self) -> Iterator[Path]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return repr(self._get())


def _copy(value: Any) -> Any:
    """A copy of an aliased value (its depth is at most MAX_DEPTH, so recursion is bounded)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return _("the boolean {value}").format(value=str(value).lower())
    if isinstance(value, (int, float)):
        return _("the number {value}").format(value=value)
    if value is None:
        return "null"
    return _("the string {value}").format(value=repr(value))
