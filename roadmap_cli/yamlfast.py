"""The fast loop of the YAML reader: the common clean file in one tight loop over the events.

It reads a mapping at the top, untagged scalars, no anchors or aliases, no problem of any kind,
and fills the result exactly as the general builder (:mod:`roadmap_cli.yamlbuild`) would; for
anything else it hands the file over to the general builder, which reads it from the start
(tests/test_parse_fast_path.py holds the two to the same result). The general builder is about
twice as slow on a clean file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from roadmap_cli.model import Path, Pos
from roadmap_cli.yamlbuild import _Builder
from roadmap_cli.yamlplain import BadNumber, read_plain


class _Bail(Exception):
    """The fast path met something it leaves to the general builder."""


_SIMPLE_FIRST_NOT = frozenset("0123456789+-.~nNtTfFyYoO<")  # may read as non-strings or with a note
_PERIODISH = re.compile(r"[0-9]{4}-(?:[0-9]{2}(?:-[0-9]{2})?|[QH][0-9])\Z")  # dates, periods: strings


#: plain scalars starting like a number or a YAML 1.1 word that read_plain read as themselves,
#: with no note (`title`, `owners`, `not_started`, `ongoing`): remembered, read_plain is pure
_READS_AS_ITSELF: set[str] = set()


def _periodish(item: str) -> bool:
    """A date or period (a string): remembered with the plain scalars read as themselves, so
    that the next time is one set lookup, not a regular expression."""
    if _PERIODISH.match(item) is None:
        return False
    if len(_READS_AS_ITSELF) < 4096:
        _READS_AS_ITSELF.add(item)
    return True


def _check_reads_as_itself(item: str) -> None:
    if item == "<<":
        raise _Bail  # YAML 1.1's merge key (as a key): the general builder says so
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
    builder.counts = {}
    out.data = None
    out.positions = {}
    out.key_positions = {}
    out.plain_text = {}
    builder.count = 0
    return False


def _fast_loop(builder: _Builder, parser: Any) -> None:
    import yaml.events as ev

    from roadmap_cli import yamlsrc as src

    out = builder.out
    text = builder.text
    n_text = len(text)
    problems = out.problems
    n_problems = len(problems)
    special = _SIMPLE_FIRST_NOT
    reads_as_itself = _READS_AS_ITSELF
    scalar_event = ev.ScalarEvent
    mapping_start = ev.MappingStartEvent
    sequence_start = ev.SequenceStartEvent
    mapping_end = ev.MappingEndEvent
    sequence_end = ev.SequenceEndEvent
    container_tags = (None, "!")
    max_nodes = src.MAX_NODES
    max_depth = src.MAX_DEPTH - 1
    kept_keys = KEPT_KEYS
    shared = _SHARED
    shared_get = shared.get
    get = parser.get_event

    get()  # StreamStartEvent
    if type(get()) is not ev.DocumentStartEvent:
        raise _Bail
    event = get()
    if type(event) is not mapping_start or event.tag not in container_tags or event.anchor is not None:
        raise _Bail
    mark: Any = event.start_mark
    # the positions the model keeps (see KEPT_KEYS); every other position, the key positions
    # and the plain texts are read again by the general builder when first asked for
    known: dict[Path, Pos] = {(): (mark.line + 1, mark.column + 1)}
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
                    (item and item[0] not in special) or item in reads_as_itself or _periodish(item)
                ):
                    _check_reads_as_itself(item)  # or _Bail: a key read as a number, or with a note
                if item in first:
                    raise _Bail  # a duplicate key: the general builder says so
                first.add(item)
                one = shared_get(item)
                if one is not None:
                    item = one
                elif len(shared) < _MAX_SHARED:
                    shared[item] = item
                # its value
                count += 1
                event = get()
                cls = type(event)
                if cls is not scalar_event:
                    if (cls is not mapping_start and cls is not sequence_start) or event.tag not in container_tags \
                            or event.anchor is not None or len(stack) >= max_depth:
                        raise _Bail
                    child: Any = {} if cls is mapping_start else []
                    value[item] = child
                    stack.append((value, path, is_map, first))
                    value, path, is_map, first = child, path + (item,), cls is mapping_start, set()
                    continue
                key = item
                if event.tag is not None or event.anchor is not None:
                    raise _Bail
                if item in kept_keys and len(path) == 2:
                    mark = event.start_mark
                    known[path + (item,)] = (mark.line + 1, mark.column + 1)
            else:
                key = None
                if event.tag is not None or event.anchor is not None:
                    raise _Bail
            item = event.value
            if event.implicit[0]:
                if (item and item[0] not in special) or item in reads_as_itself or _periodish(item):
                    # a plain string: cut short by a comment? (`Fix #12` reads as 'Fix')
                    idx = event.end_mark.index
                    if idx + 2 < n_text and text[idx] in " \t":
                        mark = event.start_mark
                        builder._check_cut_by_comment(event, (mark.line + 1, mark.column + 1))
                        if len(problems) != n_problems:
                            raise _Bail
                else:
                    try:
                        result, note = read_plain(item)
                    except BadNumber:
                        raise _Bail from None
                    if note is not None:
                        raise _Bail
                    if isinstance(result, str):
                        if len(reads_as_itself) < 4096:
                            reads_as_itself.add(item)
                        idx = event.end_mark.index
                        if idx + 2 < n_text and text[idx] in " \t":
                            mark = event.start_mark
                            builder._check_cut_by_comment(event, (mark.line + 1, mark.column + 1))
                            if len(problems) != n_problems:
                                raise _Bail
                    item = result
            if type(item) is str and len(item) <= _SHARED_LENGTH:
                one = shared_get(item)
                if one is not None:
                    item = one
                elif len(shared) < _MAX_SHARED:
                    shared[item] = item
            if key is None:
                value.append(item)
            else:
                value[key] = item
        elif cls is mapping_start or cls is sequence_start:
            # a list or mapping inside a list (a mapping's are read with their key above)
            if is_map or event.tag not in container_tags or event.anchor is not None \
                    or len(stack) >= max_depth:
                raise _Bail
            child = {} if cls is mapping_start else []
            child_path = path + (len(value),)
            value.append(child)
            stack.append((value, path, is_map, first))
            value, path, is_map, first = child, child_path, cls is mapping_start, set()
        else:
            raise _Bail  # an alias, or anything unexpected
    if type(get()) is not ev.DocumentEndEvent or type(get()) is not ev.StreamEndEvent:
        raise _Bail
    builder.count = count
    out.data = root
    # the positions, key positions and plain texts serve only messages about a problem: the
    # general builder finds them when first asked for (a clean file is never asked)
    again = _Reread(out.file, text)
    out.positions = _Lazy(again, "positions", known)  # type: ignore[assignment]
    out.key_positions = _Lazy(again, "key_positions")  # type: ignore[assignment]
    out.plain_text = _Lazy(again, "plain_text")  # type: ignore[assignment]


#: one string object for each key and short value read (ids, agency ids, dates, status words,
#: periods), shared by every file read in the process: a loaded model holds each once, not once
#: per measure (a third of its memory on 100,000 measures), and its marshal bytes refer to it
_SHARED: dict[str, str] = {}
#: the longest value shared (titles and notes are mostly unique), and the most strings kept
_SHARED_LENGTH = 32
_MAX_SHARED = 1 << 17


#: the keys whose positions a loaded model keeps, in a mapping at depth 2 (``("measures", 3,
#: "completed")``, ``("events", 0, "date")``): the rules that depend on today's date
#: (:mod:`roadmap_cli.rules_today`) locate their findings there after the load
KEPT_KEYS = frozenset({"completed", "date"})


def kept_positions(positions: Mapping[Path, Pos]) -> dict[Path, Pos]:
    """The positions of a file read that a loaded model keeps (:data:`KEPT_KEYS`), and the
    document's own."""
    if isinstance(positions, _Lazy) and positions._known is not None:
        return dict(positions._known)
    return {
        p: pos for p, pos in positions.items()
        if not p or (len(p) == 3 and p[2] in KEPT_KEYS and isinstance(p[1], int))
    }


class _Reread:
    """A file the fast loop read, read again by the general builder when first asked for its
    positions, key positions or plain texts (only messages about a problem ask)."""

    __slots__ = ("_file", "_out", "_text")

    def __init__(self, file: str, text: str) -> None:
        self._file = file
        self._text: str | None = text
        self._out: Any = None

    def get(self) -> Any:
        if self._out is None:
            assert self._text is not None
            from roadmap_cli.yamlsrc import Parsed, _Positions

            out = Parsed(self._file)
            builder = _Builder(out, _Positions(self._text), self._text, None)
            builder.fast = False
            builder.build()
            self._out, self._text = out, None
        return self._out


class _Lazy(Mapping[Any, Any]):
    """One of the maps of a :class:`_Reread` file (``positions``, ``key_positions`` or
    ``plain_text``); ``known``: the entries already known, answered without reading again."""

    __slots__ = ("_again", "_known", "_map", "_name")

    def __init__(self, again: _Reread, name: str, known: dict[Any, Any] | None = None) -> None:
        self._again = again
        self._name = name
        self._known = known
        self._map: dict[Any, Any] | None = None

    def _get(self) -> dict[Any, Any]:
        if self._map is None:
            self._map = getattr(self._again.get(), self._name)
        return self._map

    def get(self, key: Any, default: Any = None) -> Any:
        known = self._known
        if self._map is None and known is not None and key in known:
            return known[key]
        return self._get().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        known = self._known
        if self._map is None and known is not None and key in known:
            return known[key]
        return self._get()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._get()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return repr(self._get())
