"""The general builder of the YAML reader: parser events -> plain values, positions, problems.

It reads every file :func:`roadmap_cli.yamlsrc.parse` accepts, whatever it holds: tags, anchors
and aliases (counted against the limits), keys that are not strings, duplicate keys, syntax errors
(explained in words by :mod:`roadmap_cli.explain`). The common clean file is read first by the
fast loop (:mod:`roadmap_cli.yamlfast`); only what that loop hands over is read here.

The limits are read from :mod:`roadmap_cli.yamlsrc`, their one home (docs/limits.md), when a file
is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from roadmap_cli import i18n
from roadmap_cli.i18n import _
from roadmap_cli.limits import MAX_PROBLEMS
from roadmap_cli.model import Path, Pos, Problem, Severity
from roadmap_cli.yamlplain import BadNumber, _describe, read_plain

if TYPE_CHECKING:
    from roadmap_cli.yamlsrc import Parsed, _Positions

_TAG = "tag:yaml.org,2002:"
_SEQ_TAGS = (None, "!", _TAG + "seq")
_MAP_TAGS = (None, "!", _TAG + "map")
_SCALAR_TAGS = {_TAG + "str": str, _TAG + "int": int, _TAG + "float": float, _TAG + "bool": bool,
                _TAG + "null": type(None)}




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
        #: problems reported so far, by rule (:meth:`err`)
        self.counts: dict[str, int] = {}

    # -- problems ------------------------------------------------------------------------------

    def err(self, pos: Pos, rule: str, message: str, severity: Severity = Severity.ERROR) -> None:
        """One problem; at most MAX_PROBLEMS per rule, and one more saying the rest are not
        shown (a value can be a problem every four bytes: a 1 MB flow list of `1e3` gave 240,000
        `yaml-ambiguous` warnings, 37 MB of output)."""
        n = self.counts.get(rule, 0)
        self.counts[rule] = n + 1
        if n > MAX_PROBLEMS:
            return
        if n == MAX_PROBLEMS:
            message = _(
                "more problems of this kind are not shown (at most {most} per rule and file)"
            ).format(most=i18n.number(MAX_PROBLEMS))
        self.out.problems.append(Problem(self.out.file, pos[0], pos[1], severity, rule, message))

    def fatal(self, pos: Pos, rule: str, message: str) -> _Fatal:
        # (the error that stops the reading is always shown)
        self.out.problems.append(Problem(self.out.file, pos[0], pos[1], Severity.ERROR, rule, message))
        return _Fatal()

    # -- the event loop --------------------------------------------------------------------------

    def build(self) -> None:
        out = self.out
        import yaml

        from roadmap_cli import yamlsrc as src

        parser_class, self.mark_bytes = src._event_parser()
        if self.restore is None and self.fast and src._fast_read(self, parser_class, yaml.YAMLError):
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

        from roadmap_cli import yamlsrc as src

        max_nodes = src.MAX_NODES
        max_depth = src.MAX_DEPTH
        out = self.out
        pos_of = self.positions.of
        get = parser.get_event
        get()  # StreamStartEvent
        event = get()
        if isinstance(event, ev.StreamEndEvent):
            self.err(
                (1, 1),
                "empty-file",
                _("the file has no content: expected a mapping ({keys})").format(keys=_top_keys(out.file)),
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
            if self.count > max_nodes:
                raise self.fatal(
                    pos,
                    "too-large",
                    _("the file holds more than {limit} keys and values").format(limit=i18n.number(max_nodes)),
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
            if depth > max_depth:
                raise self.fatal(pos, "too-deep", _("nesting is deeper than {limit} levels").format(limit=max_depth))
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
                _("the document is empty (null): expected a mapping ({keys})").format(
                    keys=_top_keys(out.file)),
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
        if value == "<<" and event.tag is None and getattr(event, "implicit", (False,))[0]:
            # YAML 1.1's merge key: PyYAML and some editors copy the keys of the mapping it names
            # into this one, YAML 1.2 readers (this one, generic schema checkers) read a key '<<'.
            # Either way the file means two things: one error here, not "unknown key '<<'" and
            # "'due' is missing" for every key the merge was meant to bring.
            self.err(
                pos,
                "key-type",
                _(
                    "'<<' is a YAML merge key, which roadmap files do not use (YAML 1.2 has none, "
                    "so tools disagree on what it brings): write the keys out in this mapping"
                ),
            )
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
        from roadmap_cli import yamlsrc as src

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
        if self.alias_count > src.MAX_ALIAS_NODES:
            raise self.fatal(
                pos,
                "alias-limit",
                _("aliases expand to more than {limit} values; write the values out instead of repeating anchors").format(
                    limit=i18n.number(src.MAX_ALIAS_NODES)
                ),
            )
        if self.count > src.MAX_NODES:
            raise self.fatal(
                    pos,
                    "too-large",
                    _("the file holds more than {limit} keys and values").format(limit=i18n.number(src.MAX_NODES)),
                )
        if depth + anchor.height > src.MAX_DEPTH:
            raise self.fatal(pos, "too-deep", _("nesting is deeper than {limit} levels").format(limit=src.MAX_DEPTH))
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




def _copy(value: Any) -> Any:
    """A copy of an aliased value (its depth is at most MAX_DEPTH, so recursion is bounded)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _top_keys(file: str) -> str:
    """The keys a file of this name starts with, for a message about an empty one: the registry
    of agencies has one, a document several."""
    import os

    from roadmap_cli.sources import AGENCIES_FILE

    return "agencies: ..." if os.path.basename(file) == AGENCIES_FILE else "id, kind, title, parties, ..."
