"""Splicing text into a YAML file: minimal, targeted edits of its text. Pure: text + one edit ->
new text.

Why not a round-trip YAML library: ruamel.yaml re-emits the whole document and, even with
``preserve_quotes``, changes bytes nobody asked to change (indentation of sequences, spacing in
flow mappings, line ends, wrapped long lines). Instead, this module composes the text (PyYAML's
composer: nodes with start and end offsets into the very string it was given, no constructor
runs) and splices new text in at those offsets. Everything outside the spliced spans is the
original text, byte for byte: comments, blank lines, key order, quoting, flow or block style,
indentation, line ends.

Each primitive edit (:func:`set_value`, :func:`remove_key`, :func:`append_item`) re-composes
the text it is given, so edits compose simply. Deciding what to change for a ``roadmap update``
request, and checking that the result reads back as intended, is :mod:`roadmap_cli.edit`'s.

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

import re
from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import Any

import yaml
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from roadmap_cli.i18n import _
from roadmap_cli.model import Path
from roadmap_cli.record import Record, record
from roadmap_cli.yamlscalar import Scalar, has_control, scalar_text

#: The conventional order of a measure's keys (the contract's example): new keys go here.
MEASURE_ORDER = (
    "id", "section", "title", "result", "owners", "co_executors", "due", "rescheduled", "status",
    "progress", "weight", "completed", "reason", "depends_on", "evidence", "indicators",
    "reports", "notes",
)
INDICATOR_ORDER = ("id", "title", "unit", "baseline", "target", "actuals")


class EditError(ValueError):
    """The requested change cannot be made: the message says why, for people."""


class UnsafeEdit(EditError):
    """The file's YAML is laid out so that a targeted edit would change more than asked."""


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


class _Untagged(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser where installed (ten times faster; its marks count characters exactly
    as the pure-Python one does, tests compare the two, so offsets index the Python string),
    composing without resolving plain scalars' tags: an edit reads the nodes' kinds, values,
    styles and places, never their tags (a quarter of composing a document was resolving)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return "tag:yaml.org,2002:str"
        return "tag:yaml.org,2002:seq" if kind is SequenceNode else "tag:yaml.org,2002:map"


#: the loader that composes the texts an edit reads (:func:`compose`)
LOADER = _Untagged


def compose(text: str) -> Node:
    """The node tree of ``text`` with offsets into ``text``. Only composed: no constructor runs,
    so no tag can execute anything."""
    try:
        node = yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError as e:
        raise EditError(_("the file cannot be read as YAML: {problem}").format(problem=e)) from None
    if node is None:
        raise EditError(_("the file is empty"))
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
                raise EditError(_("cannot find {path} in the file").format(path=_joined(path)))
            node = node.value[part]
        else:
            pair = _pair(node, part) if isinstance(node, MappingNode) else None
            if pair is None:
                raise EditError(_("cannot find {path} in the file").format(path=_joined(path)))
            node = pair[1]
    return node


def _joined(path: Path) -> str:
    return "/".join(map(str, path))


def _mapping(root: Node, path: Path) -> MappingNode:
    node = find_node(root, path)
    if not isinstance(node, MappingNode):
        raise EditError(_("{path} is not a mapping").format(path=_joined(path)))
    return node


def _rank(order: Sequence[str], key: str) -> int:
    return order.index(key) if key in order else len(order)


# --- primitive edits -----------------------------------------------------------------------------

#: An item of a list to add: (key, value) pairs in the preferred order.
Item = Sequence[tuple[str, Scalar]]


@record
class _ListLayout(Record):
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
        raise EditError(_("cannot find the '-' of a list entry"))
    return i


def _sibling_layout(text: str, seq: SequenceNode, key_col: int | None) -> _ListLayout:
    """The layout of an existing list, read from its last entry."""
    last = seq.value[-1] if seq.value else None
    keys, styles, _flow = _item_styles(last)
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
    return bool(value) and value == value.strip() and not has_control(value) and "\t" not in value


def remove_key(text: str, path: Path, key: str) -> str:
    """Remove ``key`` (and its value) from the mapping at ``path``; nothing if it is absent."""
    mapping = _mapping(compose(text), path)
    pairs = mapping.value
    index = next(
        (n for n, (k, _v) in enumerate(pairs) if isinstance(k, ScalarNode) and k.value == key), None
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
    raise EditError(_("cannot remove {key}: it is the only key of its entry").format(key=key))


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
        raise EditError(_("cannot add to {key}: it is not a list").format(key=key))
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
