"""Bytes -> plain values with source positions, and located problems. No printing, no exit.

Safe by construction: the YAML is only *composed* (libyaml's C parser where installed, the pure
Python one otherwise) and the nodes are turned into values here; no constructor runs, so no tag can
execute code. Plain scalars are read by the YAML 1.2 core schema, the reading generic schema
checkers use: dates stay strings (this module never builds a ``date``), and the values YAML 1.1
reads otherwise (``no``, ``on``, ``0755``, ``1:30``) are kept as YAML 1.2 reads them, with a warning
to quote them.

Positions are 1-based (line, column) in characters, counted as an editor counts them: only
``\\n``, ``\\r\\n`` and a lone ``\\r`` end a line (libyaml also breaks lines at U+0085, U+2028 and
U+2029; where those occur, positions are recomputed from character offsets).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import yaml
import yaml.composer
import yaml.parser
import yaml.reader
import yaml.resolver
import yaml.scanner
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from roadmap_cli.model import Path, Pos, Problem, Severity, locate

# --- limits (documented in docs/limits.md) -----------------------------------------------------

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 2_000_000  # values in one file, aliases expanded
MAX_ALIAS_NODES = 10_000  # values reached through aliases in one file

_TAG = "tag:yaml.org,2002:"
_PLAIN = "?plain"  # marker tag for plain (unquoted, untagged) scalars


class _Resolver(yaml.resolver.BaseResolver):
    """Marks plain scalars instead of resolving them, so that this module reads them itself."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _TAG + "str"
        if kind is SequenceNode:
            return _TAG + "seq"
        return _TAG + "map"


if getattr(yaml, "__with_libyaml__", False):

    class _Composer(yaml.cyaml.CParser, _Resolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)
            _Resolver.__init__(self)

else:  # pragma: no cover - exercised only where libyaml is missing

    class _Composer(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Resolver.__init__(self)


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
_FIRST_SIMPLE = frozenset("abcdefghijklmopqrsuvwxzABCDEFGHIJKLMOPQRSUVWXZ")  # no n/t/f/y/o/N/T/F/Y/O

_MAX_INT_DIGITS = 300


def read_plain(text: str) -> tuple[Any, str | None]:
    """A plain scalar's value by the YAML 1.2 core schema, and a note where YAML 1.1 differs."""
    if text and text[0] in _FIRST_SIMPLE:
        return text, None
    if text in _NULLS:
        return None, None
    b = _BOOLS.get(text)
    if b is not None:
        return b, None
    if _Y11_BOOL.match(text):
        return text, f"YAML 1.1 reads it as the boolean {text.lower() in ('y', 'yes', 'on')}"
    if _Y11_OCTAL.match(text) and len(text.lstrip("+-")) > 1:
        if _INT.match(text):
            return int(text), f"YAML 1.1 reads it as the octal number {int(text.replace('_', ''), 8)}"
        return text, "YAML 1.1 reads it as an octal number"
    if _INT.match(text):
        if len(text) > _MAX_INT_DIGITS:
            return text, "the number is too long to read"
        return int(text), None
    if _OCT.match(text):
        return int(text[2:], 8), "YAML 1.1 reads it as a string"
    if _HEX.match(text):
        return int(text[2:], 16), None
    if _FLOAT.match(text):
        return float(text), ("YAML 1.1 reads it as a string" if "." not in text else None)
    if _INF.match(text):
        return (-math.inf if text.startswith("-") else math.inf), None
    if _NAN.match(text):
        return math.nan, None
    if _Y11_SEXA.match(text):
        return text, "YAML 1.1 reads it as a base-60 number"
    if _Y11_UNDERSCORE.match(text):
        return text, "YAML 1.1 reads it as a number"
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
    """Maps libyaml marks to editor positions."""

    def __init__(self, text: str) -> None:
        self.exact = not any(c in text for c in "\x85\u2028\u2029") and not _lone_cr(text)
        self.starts: list[int] = []
        if not self.exact:
            self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def of(self, mark: Any) -> Pos:
        if self.exact:
            return (mark.line + 1, mark.column + 1)
        return self.at_index(mark.index)

    def at_index(self, index: int) -> Pos:
        if not self.starts:
            return (1, index + 1)
        line = bisect_right(self.starts, index)
        return (line, index - self.starts[line - 1] + 1)


def _lone_cr(text: str) -> bool:
    i = text.find("\r")
    while i != -1:
        if text[i + 1 : i + 2] != "\n":
            return True
        i = text.find("\r", i + 1)
    return False


def _pos_of_offset(text: str, offset: int) -> Pos:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return (line, offset - start + 1)


_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


def parse(data: bytes, file: str) -> Parsed:
    """Read one YAML file's bytes. Never raises for bad input: every problem is in ``problems``."""
    out = Parsed(file)

    def err(pos: Pos, rule: str, message: str, severity: Severity = Severity.ERROR) -> None:
        out.problems.append(Problem(file, pos[0], pos[1], severity, rule, message))

    if len(data) > MAX_FILE_BYTES:
        err(
            (1, 1),
            "file-too-large",
            f"the file is larger than {MAX_FILE_BYTES:,} bytes, the largest accepted; "
            "split the document or remove what does not belong in it",
        )
        return out
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        good = data[: e.start].decode("utf-8", errors="replace")
        err(
            _pos_of_offset(good, len(good)),
            "encoding",
            f"the file is not UTF-8: byte 0x{data[e.start]:02x} at offset {e.start} cannot be "
            "decoded; save the file as UTF-8",
        )
        return out
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark is accepted and ignored
    out.text = text
    conflict = _CONFLICT.search(text)
    if conflict and conflict.group(1).startswith("<"):
        err(
            _pos_of_offset(text, conflict.start()),
            "merge-conflict",
            "unresolved git merge conflict: resolve the conflict and remove the "
            "<<<<<<< ======= >>>>>>> markers",
        )
        return out
    if "\x00" in text:
        err(
            _pos_of_offset(text, text.index("\x00")),
            "syntax",
            "the file contains a NUL byte: it is binary, not YAML text",
        )
        return out

    positions = _Positions(text)
    try:
        composer = _Composer(text)
        try:
            node = composer.get_single_node()
        finally:
            composer.dispose()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        pos = positions.of(mark) if mark is not None else (1, 1)
        message = _syntax_message(e)
        if mark is not None and text[mark.index : mark.index + 1] == "\t":
            message += ": YAML does not allow tabs for indentation; indent with spaces"
        err(pos, _syntax_rule(e), message)
        return out
    except yaml.YAMLError as e:
        err((1, 1), "syntax", f"YAML syntax error: {e}")
        return out
    except RecursionError:
        err((1, 1), "too-deep", f"nesting is deeper than {MAX_DEPTH} levels")
        return out

    if node is None:
        err(
            (1, 1),
            "empty-file",
            "the file has no content: expected a mapping (id, kind, title, parties, ...)",
        )
        return out
    _Builder(out, positions, text).build(node)
    for ch, name in (("\u2028", "U+2028 LINE SEPARATOR"), ("\x85", "U+0085 NEXT LINE"),
                     ("\u2029", "U+2029 PARAGRAPH SEPARATOR")):
        i = text.find(ch)
        if i != -1:
            err(
                positions.at_index(i) if not positions.exact else _pos_of_offset(text, i),
                "line-separator",
                f"the file contains {name}, which YAML reads as a line break; replace it with "
                "a space or a real line break",
                Severity.WARNING,
            )
    return out


def _syntax_rule(e: yaml.MarkedYAMLError) -> str:
    problem = (e.problem or "").lower()
    if "expected a single document" in (e.context or "") + problem:
        return "multiple-documents"
    return "syntax"


def _syntax_message(e: yaml.MarkedYAMLError) -> str:
    problem = e.problem or "invalid YAML"
    context = e.context or ""
    if "expected a single document" in context or "expected a single document" in problem:
        return "the file holds more than one YAML document ('---'); keep one document per file"
    if "control characters are not allowed" in problem:
        return "the file contains control characters: it is binary, not YAML text"
    if context:
        return f"YAML syntax error: {problem} ({context})"
    return f"YAML syntax error: {problem}"


class _Builder:
    """Turns a composed node graph into plain values, iteratively (no recursion limit)."""

    def __init__(self, out: Parsed, positions: _Positions, text: str) -> None:
        self.out = out
        self.positions = positions
        self.text = text
        self.lines: list[str] | None = None
        self.count = 0
        self.alias_count = 0
        self.seen: dict[int, Path] = {}  # node id -> first path (aliases are nodes seen twice)

    def err(self, pos: Pos, rule: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.out.problems.append(Problem(self.out.file, pos[0], pos[1], severity, rule, message))

    def build(self, root: Node) -> None:
        out = self.out
        pos_of = self.positions.of
        positions = out.positions
        # stack of (node, path, container, key, depth, reached through an alias)
        holder: list[Any] = [None]
        stack: list[tuple[Node, Path, Any, Any, int, bool]] = [(root, (), holder, 0, 0, False)]
        while stack:
            node, path, container, key, depth, via_alias = stack.pop()
            pos = pos_of(node.start_mark)
            positions[path] = pos
            self.count += 1
            nid = id(node)
            if nid in self.seen and not via_alias:
                via_alias = True
            if via_alias:
                self.alias_count += 1
                if self.alias_count > MAX_ALIAS_NODES:
                    self.err(
                        pos,
                        "alias-limit",
                        f"aliases expand to more than {MAX_ALIAS_NODES:,} values; "
                        "write the values out instead of repeating anchors",
                    )
                    out.data = None
                    return
            else:
                self.seen[nid] = path
            if self.count > MAX_NODES:
                self.err(pos, "too-large", f"the file holds more than {MAX_NODES:,} values")
                out.data = None
                return
            if depth > MAX_DEPTH:
                self.err(pos, "too-deep", f"nesting is deeper than {MAX_DEPTH} levels")
                out.data = None
                return
            tag = node.tag
            if isinstance(node, ScalarNode):
                container[key] = self.scalar(node, path, pos)
                continue
            if isinstance(node, SequenceNode):
                if tag != _TAG + "seq":
                    self._bad_tag(pos, tag)
                seq: list[Any] = [None] * len(node.value)
                container[key] = seq
                for i in range(len(node.value) - 1, -1, -1):
                    stack.append((node.value[i], path + (i,), seq, i, depth + 1, via_alias))
                continue
            assert isinstance(node, MappingNode)
            if tag != _TAG + "map":
                self._bad_tag(pos, tag)
            mapping: dict[str, Any] = {}
            container[key] = mapping
            first: dict[str, Pos] = {}
            pending = []
            for knode, vnode in node.value:
                kpos = pos_of(knode.start_mark)
                if not isinstance(knode, ScalarNode):
                    self.err(kpos, "key-type", "a mapping key must be a plain string, not a "
                             "list or a mapping")
                    continue
                kval = self.scalar(knode, path + ("<key>",), kpos, record=False)
                if not isinstance(kval, str):
                    self.err(
                        kpos,
                        "key-type",
                        f"the key {knode.value!r} is not a string; quote it",
                    )
                    kval = str(knode.value)
                if kval in first:
                    self.err(
                        kpos,
                        "duplicate-key",
                        f"duplicate key {kval!r} (first at line {first[kval][0]}); "
                        "a later value would silently replace the first",
                    )
                    continue
                first[kval] = kpos
                out.key_positions[path + (kval,)] = kpos
                mapping[kval] = None
                pending.append((vnode, path + (kval,), kval))
            for vnode, vpath, kval in reversed(pending):
                stack.append((vnode, vpath, mapping, kval, depth + 1, via_alias))
        out.data = holder[0]

    def _bad_tag(self, pos: Pos, tag: str) -> None:
        self.err(
            pos,
            "yaml-tag",
            f"the tag {tag!r} is not allowed: roadmap files hold plain data only "
            "(nothing in a file is ever run)",
        )

    def scalar(self, node: ScalarNode, path: Path, pos: Pos, record: bool = True) -> Any:
        tag = node.tag
        value = node.value
        if tag == _PLAIN:
            result, note = read_plain(value)
            if result is not value and not isinstance(result, str) and record:
                self.out.plain_text[path] = value
            if note is not None:
                self.err(
                    pos,
                    "yaml-ambiguous",
                    f"{value!r} is read as {_describe(result)}, but {note}; quote it to say "
                    "which you mean",
                    Severity.WARNING,
                )
            elif isinstance(result, str) and record:
                self._check_cut_by_comment(node, pos)
            return result
        if tag == _TAG + "str":
            return value
        if tag in (_TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null"):
            result, _ = read_plain(value)
            return result
        self._bad_tag(pos, tag)
        return value

    def _check_cut_by_comment(self, node: ScalarNode, pos: Pos) -> None:
        """Warn when a plain value is followed by '#' with no space: `Fix #12` reads as 'Fix'."""
        end = node.end_mark
        idx = end.index
        text = self.text
        if idx + 2 < len(text) and text[idx] in " \t":
            j = idx
            while j < len(text) and text[j] in " \t":
                j += 1
            if j < len(text) - 1 and text[j] == "#" and text[j + 1] not in " \t\r\n#!":
                nl = text.find("\n", j)
                rest = text[j : nl if nl != -1 else len(text)].rstrip("\r")
                self.err(
                    pos,
                    "comment-cuts-value",
                    f"the value reads as {node.value!r}: {rest!r} is a comment; "
                    "quote the whole value to keep the '#'",
                    Severity.WARNING,
                )


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if value is None:
        return "null"
    return f"the string {value!r}"
