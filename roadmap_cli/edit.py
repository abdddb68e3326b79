"""Minimal, targeted edits of a roadmap file's text. Pure: file text + requested change -> new text.

Why not a round-trip YAML library: ruamel.yaml re-emits the whole document and, even with
``preserve_quotes``, changes bytes nobody asked to change (indentation of sequences, spacing in
flow mappings, line ends, wrapped long lines). Instead, this module composes the text (PyYAML's
pure-Python composer: nodes with start and end offsets into the very string it was given, no
constructor runs) and splices new text in at those offsets. Everything outside the spliced spans
is the original text, byte for byte: comments, blank lines, key order, quoting, flow or block
style, indentation, line ends.

Each primitive edit (:func:`set_value`, :func:`remove_key`, :func:`append_item`) re-composes
the text it is given, so edits compose simply. :func:`update_measure` plans the edits for one
``roadmap update`` request (:func:`plan`), applies them, and checks that the new text reads as
exactly the old data with exactly the planned changes (anything else raises
:class:`EditError`), so a surprise in the YAML (an alias, an unusual layout) is refused instead
of written.

Style rules for new text:

- a changed scalar keeps its quoting style (plain, 'single' or "double") unless the new value
  cannot be written that way (``2028`` as a plain due would read as a number: it is quoted);
- a new key goes into its conventional place (:data:`MEASURE_ORDER`, :data:`INDICATOR_ORDER`)
  with the mapping's indentation, and uses the line end of the line it follows;
- a new list entry copies its last sibling: flow (``- {period: 2026-Q3, date: ...}``) or block,
  the same dash column and spacing, key order and quoting;
- a new list copies the layout the same key has elsewhere in the file (else: block list
  indented by two, flow entries for ``reports`` and ``actuals``, block entries for
  ``evidence``).
"""

from __future__ import annotations

import copy
import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import yaml
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from roadmap_cli import schedule
from roadmap_cli.model import Path
from roadmap_cli.yamlsrc import parse, read_plain

#: The conventional order of a measure's keys (the contract's example): new keys go here.
MEASURE_ORDER = (
    "id", "title", "owners", "co_executors", "due", "status", "progress", "weight", "completed",
    "reason", "depends_on", "evidence", "indicators", "reports", "notes",
)
INDICATOR_ORDER = ("id", "title", "unit", "baseline", "target", "actuals")

STATUSES = ("not_started", "in_progress", "done", "blocked", "cancelled")
_NEEDS_REASON = ("blocked", "cancelled")


class EditError(ValueError):
    """The requested change cannot be made: the message says why, for people."""


class UnsafeEdit(EditError):
    """The file's YAML is laid out so that a targeted edit would change more than asked."""


@dataclass(frozen=True)
class Num:
    """A number to write as given (``4200``, ``12.5``): its text and its value."""

    text: str
    value: int | float


Scalar = str | int | Num


# --- scalars -------------------------------------------------------------------------------------

_INDICATOR_CHARS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_SPECIAL = frozenset("\x7f\x85\u2028\u2029\ufeff")


def _needs_escape(c: str) -> bool:
    """Outside YAML's printable set, or read as a line break or byte-order mark."""
    o = ord(c)
    return (
        o < 0x20
        or 0x7F <= o <= 0x9F
        or c in _SPECIAL
        or 0xD800 <= o <= 0xDFFF
        or o in (0xFFFE, 0xFFFF)
    )


def _has_control(s: str) -> bool:
    return any(_needs_escape(c) for c in s)


def plain_ok(s: str, flow: bool = False) -> bool:
    """Can ``s`` be written unquoted and read back as exactly this string?

    Conservative: anything that might be read differently by a YAML 1.1 or 1.2 reader, or that
    needs care in a flow collection, is quoted.
    """
    if not s or s != s.strip(" ") or _has_control(s) or "\t" in s:
        return False
    if s[0] in _INDICATOR_CHARS:
        return False
    if ": " in s or " #" in s or s.endswith(":"):
        return False
    if flow and any(c in ",?[]{}:#" for c in s):
        return False
    try:
        value, note = read_plain(s)
    except ValueError:  # a number no report can use (.nan, 1e400): not a string either
        return False
    return isinstance(value, str) and note is None


def _double(s: str) -> str:
    out = ['"']
    for c in s:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif _needs_escape(c):
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def scalar_text(value: Scalar, style: str | None = None, flow: bool = False) -> str:
    """A scalar as YAML text. ``style`` is the preferred one: None (plain), "'" or '"'.

    Strings are written plain only where :func:`plain_ok`; otherwise in the preferred quotes,
    falling back to double quotes (which can hold anything).
    """
    if isinstance(value, Num):
        return value.text
    if isinstance(value, bool):  # not expected; spelled as YAML 1.2 reads it
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if style is None and plain_ok(value, flow):
        return value
    if style == "'" and not _has_control(value):
        return "'" + value.replace("'", "''") + "'"
    return _double(value)


def _data_value(value: Any) -> Any:
    if isinstance(value, Num):
        return value.value
    if isinstance(value, Mapping):
        return {k: _data_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_data_value(v) for v in value]
    return value


# --- text positions ------------------------------------------------------------------------------


def _line_start(text: str, i: int) -> int:
    return max(text.rfind("\n", 0, i), text.rfind("\r", 0, i)) + 1


def _line_end(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i] not in "\r\n":
        i += 1
    return i


def _next_line(text: str, i: int) -> int:
    j = _line_end(text, i)
    if j < len(text):
        j += 2 if text.startswith("\r\n", j) else 1
    return j


def _default_newline(text: str) -> str:
    m = re.search(r"\r\n|\n|\r", text)
    return m.group() if m else "\n"


def _newline_of_line(text: str, i: int) -> str:
    """The line break ending the line that holds ``i`` (the file's first one at the end)."""
    j = _line_end(text, i)
    if text.startswith("\r\n", j):
        return "\r\n"
    if j < len(text):
        return text[j]
    return _default_newline(text)


def _col(text: str, i: int) -> int:
    return i - _line_start(text, i)


def _content_end(node: Node, text: str) -> int:
    """Where a value's own text ends (a block collection ends with its last leaf, not at the
    next key after the comments and blank lines that follow it)."""
    while True:
        if isinstance(node, ScalarNode):
            if node.style in ("|", ">"):
                j = node.end_mark.index
                while j > node.start_mark.index and text[j - 1] in " \t\r\n":
                    j -= 1
                return _line_end(text, j)
            return int(node.end_mark.index)
        assert isinstance(node, CollectionNode)
        if node.flow_style or not node.value:
            return int(node.end_mark.index)
        if isinstance(node, SequenceNode):
            node = node.value[-1]
        else:
            node = node.value[-1][1]


# --- the node tree -------------------------------------------------------------------------------


#: libyaml's parser where installed (ten times faster); its marks count characters exactly as
#: the pure-Python one does (tests compare the two), so offsets index the Python string.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str) -> Node:
    """The node tree of ``text`` with offsets into ``text``. Only composed: no constructor runs,
    so no tag can execute anything."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as e:
        raise EditError(f"the file cannot be read as YAML: {e}") from None
    if node is None:
        raise EditError("the file is empty")
    return node


def _style(node: ScalarNode) -> str | None:
    """None (plain), "'", '"', "|" or ">" (libyaml says "" for plain, PyYAML None)."""
    return node.style or None


def _pair(mapping: MappingNode, key: str) -> tuple[Node, Node] | None:
    for k, v in mapping.value:
        if isinstance(k, ScalarNode) and k.value == key:
            return k, v
    return None


def find_node(root: Node, path: Path) -> Node:
    node = root
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, SequenceNode) or part >= len(node.value):
                raise EditError(f"cannot find {'/'.join(map(str, path))} in the file")
            node = node.value[part]
        else:
            pair = _pair(node, part) if isinstance(node, MappingNode) else None
            if pair is None:
                raise EditError(f"cannot find {'/'.join(map(str, path))} in the file")
            node = pair[1]
    return node


def _mapping(root: Node, path: Path) -> MappingNode:
    node = find_node(root, path)
    if not isinstance(node, MappingNode):
        raise EditError(f"{'/'.join(map(str, path))} is not a mapping")
    return node


def _rank(order: Sequence[str], key: str) -> int:
    return order.index(key) if key in order else len(order)


# --- primitive edits -----------------------------------------------------------------------------

#: An item of a list to add: (key, value) pairs in the preferred order.
Item = Sequence[tuple[str, Scalar]]


@dataclass(frozen=True)
class _ListLayout:
    """How a block list and its entries are laid out."""

    offset: int = 2  # dash column minus the column of the list's key
    gap: int = 1  # spaces between the dash and the entry
    flow_items: bool = True  # entries as one-line flow mappings
    flow_list: bool = False  # the whole list in flow style: key: [{...}]
    keys: tuple[str, ...] = ()  # key order of a sibling entry
    styles: Mapping[str, str | None] = field(default_factory=dict)  # quoting of a sibling
    padded: bool = False  # "{ a: 1 }" rather than "{a: 1}"


def _item_styles(node: Node | None) -> tuple[tuple[str, ...], dict[str, str | None], bool]:
    if not isinstance(node, MappingNode):
        return (), {}, False
    keys = []
    styles: dict[str, str | None] = {}
    for k, v in node.value:
        if isinstance(k, ScalarNode):
            keys.append(k.value)
            if isinstance(v, ScalarNode) and _style(v) in (None, "'", '"'):
                styles[k.value] = _style(v)
    return tuple(keys), styles, False


def _order_item(item: Item, keys: Sequence[str]) -> list[tuple[str, Scalar]]:
    pairs = list(item)
    known = [p for k in keys for p in pairs if p[0] == k]
    return known + [p for p in pairs if p[0] not in keys]


def _flow_item(item: Item, layout: _ListLayout) -> str:
    parts = [
        f"{k}: {scalar_text(v, layout.styles.get(k), flow=True)}"
        for k, v in _order_item(item, layout.keys)
    ]
    body = ", ".join(parts)
    return "{ " + body + " }" if layout.padded else "{" + body + "}"


def _block_item(item: Item, layout: _ListLayout, dash_col: int) -> list[str]:
    pairs = _order_item(item, layout.keys)
    inner = " " * (dash_col + 1 + layout.gap)
    lines = []
    for n, (k, v) in enumerate(pairs):
        text = f"{k}: {scalar_text(v, layout.styles.get(k))}"
        if n == 0:
            lines.append(" " * dash_col + "-" + " " * layout.gap + text)
        else:
            lines.append(inner + text)
    return lines


def _entry_lines(item: Item, layout: _ListLayout, dash_col: int) -> list[str]:
    if layout.flow_items:
        return [" " * dash_col + "-" + " " * layout.gap + _flow_item(item, layout)]
    return _block_item(item, layout, dash_col)


def _dash_index(text: str, item: Node) -> int:
    i: int = item.start_mark.index - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    if i < 0 or text[i] != "-":
        raise EditError("cannot find the '-' of a list entry")
    return i


def _sibling_layout(text: str, seq: SequenceNode, key_col: int | None) -> _ListLayout:
    """The layout of an existing list, read from its last entry."""
    last = seq.value[-1] if seq.value else None
    keys, styles, _ = _item_styles(last)
    padded = False
    if isinstance(last, MappingNode) and last.flow_style:
        padded = text.startswith("{ ", last.start_mark.index)
    if seq.flow_style:
        return _ListLayout(flow_list=True, flow_items=True, keys=keys, styles=styles, padded=padded)
    assert last is not None
    dash = _dash_index(text, last)
    offset = _col(text, dash) - key_col if key_col is not None else 2
    return _ListLayout(
        offset=offset,
        gap=last.start_mark.index - dash - 1,
        flow_items=not (isinstance(last, MappingNode) and not last.flow_style),
        keys=keys,
        styles=styles,
        padded=padded,
    )


def _file_layout(text: str, root: Node, key: str, default_flow_items: bool) -> _ListLayout:
    """How lists under ``key`` are laid out elsewhere in the file (the first one found)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            for k, v in node.value:
                if (
                    isinstance(k, ScalarNode)
                    and k.value == key
                    and isinstance(v, SequenceNode)
                    and v.value
                ):
                    return _sibling_layout(text, v, _col(text, k.start_mark.index))
            stack.extend(v for _, v in reversed(node.value))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
    return _ListLayout(flow_items=default_flow_items)


def _insert_key(text: str, mapping: MappingNode, key: str, value: str | list[str],
                order: Sequence[str]) -> str:
    """Insert ``key`` into ``mapping`` at its conventional place.

    ``value`` is one line of text (a scalar or a flow collection) or, for a block mapping, the
    lines of a block value (already indented) that follow ``key:``.
    """
    rank = _rank(order, key)
    anchor = None
    for k, v in mapping.value:
        if (
            isinstance(k, ScalarNode)
            and _rank(order, k.value) < rank
            and (anchor is None or _rank(order, k.value) >= _rank(order, anchor[0].value))
        ):
            anchor = (k, v)
    first_key = mapping.value[0][0]
    if mapping.flow_style:
        assert isinstance(value, str)
        if anchor is None:
            i = first_key.start_mark.index
            return text[:i] + f"{key}: {value}, " + text[i:]
        i = _content_end(anchor[1], text)
        return text[:i] + f", {key}: {value}" + text[i:]
    indent = " " * _col(text, first_key.start_mark.index)
    if isinstance(value, str):
        lines = [f"{indent}{key}: {value}"]
    else:
        lines = [f"{indent}{key}:", *value]
    if anchor is None:
        i = first_key.start_mark.index
        nl = _newline_of_line(text, i)
        return text[:i] + nl.join(line.lstrip(" ") if n == 0 else line
                                  for n, line in enumerate(lines)) + nl + indent + text[i:]
    end = _content_end(anchor[1], text)
    nl = _newline_of_line(text, end)
    i = _next_line(text, end)
    if i == len(text) and (not text or text[-1] not in "\r\n"):
        return text + nl + nl.join(lines)  # the file ends without a line break: keep it so
    return text[:i] + nl.join(lines) + nl + text[i:]


def set_value(text: str, path: Path, key: str, value: Scalar,
              order: Sequence[str] = MEASURE_ORDER) -> str:
    """Set ``key`` of the mapping at ``path`` to a scalar: in place if it exists, else inserted."""
    mapping = _mapping(compose(text), path)
    flow = bool(mapping.flow_style)
    pair = _pair(mapping, key)
    if pair is None:
        return _insert_key(text, mapping, key, scalar_text(value, None, flow), order)
    knode, vnode = pair
    if isinstance(vnode, ScalarNode):
        start, end = vnode.start_mark.index, vnode.end_mark.index
        if vnode.style not in ("|", ">") and text[start:start + 1] in ("!", "&"):
            kept, at = _properties(text, start, value)
            text = text[:start] + kept + text[at:]
            end += len(kept) - (at - start)
            start += len(kept)
        if vnode.style in ("|", ">"):
            header_end = _line_end(text, start)
            header = text[start:header_end].split("#")[0].strip()
            end = _content_end(vnode, text)
            strip = "-" in header and not any(c.isdigit() for c in header)
            if isinstance(value, str) and _block_ok(value) and strip:
                first = _next_line(text, header_end)
                while first < end and text[first:_line_end(text, first)].strip() == "":
                    first = _next_line(text, first)
                indent = len(text[first:]) - len(text[first:].lstrip(" "))
                nl = _newline_of_line(text, start)
                return text[:header_end] + nl + " " * indent + value + text[end:]
            return text[:start] + scalar_text(value, None, flow) + text[end:]
        if _style(vnode) is None and vnode.value == "" and start == end:  # `key:` with no value
            rest = _line_end(text, start)
            if text[start:rest].strip() == "":
                return text[:start] + " " + scalar_text(value, None, flow) + text[rest:]
            return text[:start] + " " + scalar_text(value, None, flow) + text[start:]
        return text[:start] + scalar_text(value, _style(vnode), flow) + text[end:]
    # a collection (a recurring due) becomes a scalar
    assert isinstance(vnode, CollectionNode)
    if vnode.flow_style:
        start, end = vnode.start_mark.index, vnode.end_mark.index
        return text[:start] + scalar_text(value, None, flow) + text[end:]
    colon = text.index(":", knode.end_mark.index)
    end = _content_end(vnode, text)
    return text[: colon + 1] + " " + scalar_text(value, None, flow) + text[end:]


#: explicit tags kept when the new value is of their kind (`!!str 2026` stays a string)
_TAG_KINDS: dict[str, tuple[type, ...]] = {
    "!!str": (str,), "!!int": (int,), "!!float": (int, float), "!!bool": (bool,),
    "tag:yaml.org,2002:str": (str,),
}


def _properties(text: str, start: int, value: Scalar) -> tuple[str, int]:
    """The node properties written before a scalar's value (``&anchor``, ``!!str``) that the new
    ``value`` keeps, and where the value's own text starts. An anchor is always kept; a tag when
    the new value is of its kind (an edit never silently changes what a tagged value reads as)."""
    pos, kept = start, []
    while pos < len(text) and text[pos] in "!&":
        stop = pos
        while stop < len(text) and text[stop] not in " \t\r\n":
            stop += 1
        token = text[pos:stop]
        kinds = _TAG_KINDS.get(token)
        if token.startswith("&") or (
            kinds is not None and isinstance(value, kinds)
            and not (isinstance(value, bool) and bool not in kinds)
        ):
            kept.append(token)
        while stop < len(text) and text[stop] in " \t":
            stop += 1
        pos = stop
    return ("".join(t + " " for t in kept), pos)


def _block_ok(value: str) -> bool:
    return bool(value) and value == value.strip() and not _has_control(value) and "\t" not in value


def remove_key(text: str, path: Path, key: str) -> str:
    """Remove ``key`` (and its value) from the mapping at ``path``; nothing if it is absent."""
    mapping = _mapping(compose(text), path)
    pairs = mapping.value
    index = next(
        (n for n, (k, _) in enumerate(pairs) if isinstance(k, ScalarNode) and k.value == key), None
    )
    if index is None:
        return text
    knode, vnode = pairs[index]
    kstart = knode.start_mark.index
    if mapping.flow_style:
        if index > 0:
            start = _content_end(pairs[index - 1][1], text)
            return text[:start] + text[_content_end(vnode, text):]
        if len(pairs) > 1:
            return text[:kstart] + text[pairs[1][0].start_mark.index:]
        return text[:kstart] + text[_content_end(vnode, text):]
    line = _line_start(text, kstart)
    end = _next_line(text, _content_end(vnode, text))
    if text[line:kstart].strip() == "":
        if end == len(text) and text[end - 1 : end] not in ("\r", "\n") and line > 0:
            # the last line, without a line break: take the break before it instead
            prev = line - (2 if text[line - 2 : line] == "\r\n" else 1)
            return text[:prev]
        return text[:line] + text[end:]
    # the first key of a list entry (`- key: value`): the next key moves up to its place
    if index + 1 < len(pairs):
        return text[:kstart] + text[pairs[index + 1][0].start_mark.index :]
    raise EditError(f"cannot remove {key}: it is the only key of its entry")


def append_item(text: str, path: Path, key: str, item: Item, order: Sequence[str],
                default_flow_items: bool = True) -> str:
    """Add ``item`` (a mapping) at the end of the list ``key`` of the mapping at ``path``,
    creating the list when it does not exist."""
    root = compose(text)
    mapping = _mapping(root, path)
    pair = _pair(mapping, key)
    if pair is None:
        if mapping.flow_style:
            layout = _file_layout(text, root, key, default_flow_items)
            return _insert_key(text, mapping, key, "[" + _flow_item(item, layout) + "]", order)
        layout = _file_layout(text, root, key, default_flow_items)
        if layout.flow_list:
            return _insert_key(text, mapping, key, "[" + _flow_item(item, layout) + "]", order)
        key_col = _col(text, mapping.value[0][0].start_mark.index)
        dash_col = max(key_col + layout.offset, key_col)
        return _insert_key(text, mapping, key, _entry_lines(item, layout, dash_col), order)
    knode, seq = pair
    if not isinstance(seq, SequenceNode):
        raise EditError(f"cannot add to {key}: it is not a list")
    if seq.flow_style:
        layout = _sibling_layout(text, seq, None)
        entry = _flow_item(item, layout)
        if not seq.value:
            i = seq.start_mark.index + 1
            return text[:i] + entry + text[i:]
        last = seq.value[-1]
        end = _content_end(last, text)
        if _line_start(text, last.start_mark.index) == _line_start(text, seq.start_mark.index):
            return text[:end] + ", " + entry + text[end:]
        nl = _newline_of_line(text, last.start_mark.index)
        indent = " " * _col(text, last.start_mark.index)
        return text[:end] + "," + nl + indent + entry + text[end:]
    layout = _sibling_layout(text, seq, _col(text, knode.start_mark.index))
    last = seq.value[-1]
    dash_col = _col(text, _dash_index(text, last))
    lines = _entry_lines(item, layout, dash_col)
    end = _content_end(last, text)
    nl = _newline_of_line(text, end)
    i = _next_line(text, end)
    if i == len(text) and text[-1:] not in ("\r", "\n"):
        return text + nl + nl.join(lines)
    return text[:i] + nl.join(lines) + nl + text[i:]


# --- one update request --------------------------------------------------------------------------


@dataclass(frozen=True)
class Update:
    """What `roadmap update` was asked to do (already checked for form by the CLI)."""

    status: str | None = None
    progress: int | None = None
    completed: date | None = None
    reason: str | None = None
    due: str | None = None
    evidence: str | None = None
    url: str | None = None
    reported: tuple[str, ...] = ()
    actuals: tuple[tuple[str, str], ...] = ()  # (indicator id, number as text)
    on: date | None = None  # --on, when given

    def empty(self) -> bool:
        return not any(
            v not in (None, ())
            for k, v in self.__dict__.items()
            if k not in ("on", "url")
        )


@dataclass(frozen=True)
class Op:
    """One edit: ``set`` a key, ``remove`` a key, or ``append`` an item to a list key."""

    kind: str  # "set" | "remove" | "append"
    path: Path  # the mapping edited
    key: str
    value: Any = None  # a Scalar for set, an Item for append
    order: tuple[str, ...] = MEASURE_ORDER
    flow_items: bool = True  # the default entry style for a new list

    def apply_text(self, text: str) -> str:
        if self.kind == "set":
            return set_value(text, self.path, self.key, self.value, self.order)
        if self.kind == "remove":
            return remove_key(text, self.path, self.key)
        return append_item(text, self.path, self.key, self.value, self.order, self.flow_items)

    def apply_data(self, data: Any) -> None:
        target = data
        for part in self.path:
            target = target[part]
        if self.kind == "set":
            target[self.key] = _data_value(self.value)
        elif self.kind == "remove":
            target.pop(self.key, None)
        else:
            target.setdefault(self.key, []).append({k: _data_value(v) for k, v in self.value})


def parse_number(text: str) -> Num:
    """An indicator value as given on the command line: an integer or a decimal number."""
    t = text.strip()
    try:
        value, note = read_plain(t)
    except ValueError:
        value, note = None, None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or note is not None
        or (isinstance(value, float) and not math.isfinite(value))
        or t.startswith(("0x", "0o"))
    ):
        raise EditError(f"{text!r} is not a number (write it like 4200 or 12.5)")
    return Num(t, value)


def _describe(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_describe(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Num):
        return value.text
    return str(value)


def plan(doc: Mapping[str, Any], index: int, update: Update, today: date) -> list[Op]:
    """The edits that carry out ``update`` on measure number ``index`` of ``doc`` (its data).

    Status-bound fields follow the status: ``done`` gets ``completed`` (``--completed``, else
    ``--on``, else today; a measure already done keeps its date unless one is given), and fields
    that belong to a status the measure leaves are dropped (``progress`` unless in_progress,
    ``completed`` unless done, ``reason`` unless blocked or cancelled).
    """
    if update.url is not None and update.evidence is None:
        raise EditError("--url goes with --evidence TITLE (the evidence it points to)")
    for name in ("reason", "evidence", "url", "due"):
        value = getattr(update, name)
        if isinstance(value, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            raise EditError(f"--{name} is not valid UTF-8 text")
    if update.empty():
        raise EditError(
            "nothing to update: give --status, --progress, --completed, --reason, --due, "
            "--evidence, --reported or --actual"
        )
    m = doc["measures"][index]
    base: Path = ("measures", index)
    when = (update.on or today).isoformat()
    current = m.get("status")
    new = update.status or current
    changed = update.status is not None and update.status != current
    ops: list[Op] = []
    if changed:
        ops.append(Op("set", base, "status", update.status))
    # reason
    if update.reason is not None:
        if new not in _NEEDS_REASON:
            raise EditError(
                f"--reason is for blocked or cancelled measures (this one is {new}); "
                "add --status blocked or --status cancelled"
            )
        if not update.reason.strip():
            raise EditError("--reason must not be empty")
        ops.append(Op("set", base, "reason", update.reason))
    elif changed and new in _NEEDS_REASON:
        raise EditError(f"--status {new} needs --reason TEXT: say why the measure is {new}")
    elif changed and "reason" in m:
        ops.append(Op("remove", base, "reason"))
    # completed
    if new == "done":
        if update.completed is not None:
            done_on = update.completed.isoformat()
        elif changed or "completed" not in m or (update.status == "done" and update.on):
            done_on = when
        else:
            done_on = m["completed"]
        if m.get("completed") != done_on:
            ops.append(Op("set", base, "completed", done_on))
    elif update.completed is not None:
        raise EditError(
            f"--completed is for done measures (this one is {new}); add --status done"
        )
    elif changed and "completed" in m:
        ops.append(Op("remove", base, "completed"))
    # progress
    if update.progress is not None:
        if new != "in_progress":
            raise EditError(
                f"--progress is for in_progress measures (this one is {new}); "
                "add --status in_progress"
            )
        ops.append(Op("set", base, "progress", update.progress))
    elif changed and new != "in_progress" and "progress" in m:
        ops.append(Op("remove", base, "progress"))
    # due
    if update.due is not None:
        try:
            schedule.parse_due(update.due)
        except ValueError as e:
            raise EditError(f"--due: {e}") from None
        if isinstance(update.due, str) and update.due.strip() != update.due:
            raise EditError(f"--due: {update.due!r} has spaces around it")
        ops.append(Op("set", base, "due", update.due))
    # evidence
    if update.evidence is not None:
        if not update.evidence.strip():
            raise EditError("--evidence needs a title")
        item: list[tuple[str, Scalar]] = [("title", update.evidence), ("date", when)]
        if update.url is not None:
            parts = urlsplit(update.url)
            spaces = any(c.isspace() or ord(c) < 0x20 for c in update.url)
            if not parts.scheme or not (parts.netloc or parts.path) or spaces:
                raise EditError(f"--url {update.url!r} is not an absolute URL (https://...)")
            item.append(("url", update.url))
        ops.append(Op("append", base, "evidence", tuple(item), flow_items=False))
    # reports
    if update.reported:
        ops.extend(_report_ops(doc, m, base, update.reported, when))
    # indicator actuals
    seen: set[tuple[str, str]] = set()
    for ind_id, value_text in update.actuals:
        value = parse_number(value_text)
        if (ind_id, when) in seen:
            raise EditError(f"--actual {ind_id}= is given twice for {when}")
        seen.add((ind_id, when))
        indicators = m.get("indicators") or []
        j = next((n for n, ind in enumerate(indicators) if ind.get("id") == ind_id), None)
        if j is None:
            have = ", ".join(ind.get("id", "?") for ind in indicators)
            raise EditError(
                f"measure {m['id']} has no indicator {ind_id!r}"
                + (f" (it has: {have})" if have else " (it has no indicators)")
            )
        ipath: Path = (*base, "indicators", j)
        actuals = indicators[j].get("actuals") or []
        k = next((n for n, a in enumerate(actuals) if a.get("date") == when), None)
        if k is not None:
            ops.append(Op("set", (*ipath, "actuals", k), "value", value, ("date", "value")))
        else:
            ops.append(Op("append", ipath, "actuals", (("date", when), ("value", value)),
                          INDICATOR_ORDER))
    return ops


def _report_ops(doc: Mapping[str, Any], m: Mapping[str, Any], base: Path,
                periods: Iterable[str], when: str) -> list[Op]:
    due = m.get("due")
    if not isinstance(due, Mapping):
        raise EditError(
            f"measure {m['id']} is not recurring (due: {due}); --reported is for recurring "
            "measures (due: {every: ...})"
        )
    parsed = schedule.parse_due(due)
    every = parsed.every
    assert every is not None
    first = parsed.start or schedule.period_containing(
        schedule.parse_date(doc["period"]["start"]), every)
    last = parsed.until or schedule.period_containing(
        schedule.parse_date(doc["period"]["end"]), every)
    done: dict[tuple[str, date], str] = {}
    for r in m.get("reports") or []:
        try:
            p = schedule.parse_period(str(r.get("period")))
        except ValueError:
            continue
        done[(p.kind, p.start)] = str(r.get("date", "undated"))
    ops = []
    for text in periods:
        try:
            p = schedule.parse_period(text)
        except ValueError as e:
            raise EditError(f"--reported: {e}") from None
        if p.kind != every:
            example = schedule.period_containing(p.start, every).text
            raise EditError(
                f"--reported {text}: the measure recurs every {every}, so name a {every} "
                f"(e.g. {example})"
            )
        if not first.start <= p.start <= last.start:
            raise EditError(
                f"--reported {text}: the measure recurs from {first.text} to {last.text}; "
                f"{p.text} is not one of its periods"
            )
        if (p.kind, p.start) in done:
            raise EditError(f"{p.text} is already reported (date: {done[(p.kind, p.start)]})")
        done[(p.kind, p.start)] = when
        ops.append(Op("append", base, "reports", (("period", p.text), ("date", when))))
    return ops


@dataclass(frozen=True)
class Result:
    text: str
    changes: tuple[str, ...]  # one line per change, for people


def find_measure(doc: Mapping[str, Any], measure_id: str) -> int:
    measures = doc.get("measures") or []
    for n, m in enumerate(measures):
        if isinstance(m, Mapping) and m.get("id") == measure_id:
            return n
    ids = [str(m.get("id")) for m in measures if isinstance(m, Mapping)]
    hint = difflib.get_close_matches(measure_id, ids, n=1)
    raise EditError(
        f"no measure {measure_id!r} in {doc.get('id')}"
        + (f"; did you mean {hint[0]!r}?" if hint else f" (its measures: {', '.join(ids)})")
    )


def update_measure(text: str, measure_id: str, update: Update, today: date) -> Result:
    """Carry out ``update`` on measure ``measure_id`` of the document ``text`` (no BOM)."""
    doc = _read(text)
    index = find_measure(doc, measure_id)
    ops = plan(doc, index, update, today)
    new = text
    expected = copy.deepcopy(doc)
    # removals first: a key about to go must not be the place a new key is inserted after
    for op in sorted(ops, key=lambda o: o.kind != "remove"):
        try:
            new = op.apply_text(new)
        except EditError as e:
            if new == text:
                raise
            raise UnsafeEdit(f"cannot edit this file safely: {e}; edit it by hand") from None
        op.apply_data(expected)
    try:
        got = _read(new)
    except EditError:
        got = None
    if got != expected:
        raise UnsafeEdit(
            "cannot edit this file safely: the edited text would not read back as the intended "
            "change (is a value shared through a YAML anchor and alias?); edit it by hand"
        )
    return Result(new, tuple(_change_lines(doc, ops)))


def _read(text: str) -> dict[str, Any]:
    parsed = parse(text.encode("utf-8"), "<edit>")
    if not isinstance(parsed.data, dict):
        raise EditError("the file does not read as a YAML mapping")
    return parsed.data


def _change_lines(doc: Mapping[str, Any], ops: Sequence[Op]) -> list[str]:
    out = []
    for op in ops:
        target: Any = doc
        for part in op.path:
            target = target[part]
        where = ""
        if "indicators" in op.path:
            where = f"{target.get('id')} " if op.kind == "append" else ""
        if op.kind == "set":
            old = target.get(op.key) if isinstance(target, Mapping) else None
            new = _describe(op.value)
            if old is None:
                out.append(f"{where}{op.key}: {new}")
            else:
                out.append(f"{where}{op.key}: {_describe(old)} -> {new}")
        elif op.kind == "remove":
            out.append(f"{op.key}: removed (was {_describe(target.get(op.key))})")
        else:
            out.append(f"{where}{op.key}: added {_describe(dict(op.value))}")
    return out


# --- diffs ---------------------------------------------------------------------------------------


def split_lines(text: str) -> list[str]:
    """Lines with their breaks (only \\n, \\r\\n and a lone \\r end a line, as in git)."""
    return re.findall(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+\Z", text)


def unified_diff(old: str, new: str, name: str) -> str:
    """A git-style unified diff (a/NAME, b/NAME, 3 lines of context) of two texts."""
    out = []
    for line in difflib.unified_diff(
        split_lines(old), split_lines(new), f"a/{name}", f"b/{name}", lineterm="\n"
    ):
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)
