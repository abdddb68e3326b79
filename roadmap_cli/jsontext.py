"""JSON text of report rows, fast: the very text of ``json.dumps(to_jsonable(value),
ensure_ascii=False, indent=2)`` (:func:`roadmap_cli.render.dumps`).

The standard library writes indented JSON with its pure-Python encoder (its C encoder does not
indent): 90,000 overdue items took a second, half of ``overdue --format json`` on 100,000
measures. This writer does the same in one pass over the rows, strings escaped by the C function
the standard encoder uses (``_json.encode_basestring``), and the plain-data conversion of
:func:`roadmap_cli.render.to_jsonable` on the way (dates as ISO text, names that are not UTF-8
as ``\\xNN``, NaN and infinities as null). Anything else (a value JSON has no form for) raises
:class:`Unwritten`: the caller then uses the standard encoder, which says what it is.
``tests/test_jsontext.py`` compares both on random values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

try:  # the C function itself: importing the json package costs a millisecond of every run
    from _json import encode_basestring
except ImportError:  # pragma: no cover (another Python than CPython)
    from json.encoder import encode_basestring
from typing import Any

from roadmap_cli.textsafe import file_name


class Unwritten(TypeError):
    """A value this writer has no form for."""


_STEP = "  "
#: each key written (most rows share their keys)
_KEYS: dict[str, str] = {}


def dumps(value: Any) -> str:
    """``json.dumps(to_jsonable(value), ensure_ascii=False, indent=2)``."""
    parts: list[str] = []
    _write(value, "\n", parts)
    return "".join(parts)


def _text(value: str) -> str:
    return encode_basestring(value if value.isascii() else file_name(value))


def _key(key: Any) -> str:
    found = _KEYS.get(key) if key.__class__ is str else None
    if found is None:
        found = encode_basestring(str(key)) + ": "
        if key.__class__ is str and len(_KEYS) < 4096:
            _KEYS[key] = found
    return found


#: what goes before each value of a mapping of these keys whose lines start at this newline:
#: the opening brace or the comma, the new line, the key (most rows share their keys)
_HEADS: dict[tuple[tuple[Any, ...], str], list[str]] = {}


def _heads(keys: tuple[Any, ...], newline: str) -> list[str]:
    inner = newline + _STEP
    heads = [("{" if n == 0 else ",") + inner + _key(key) for n, key in enumerate(keys)]
    if len(_HEADS) < 1024:
        _HEADS[keys, newline] = heads
    return heads


def _write(value: Any, newline: str, parts: list[str]) -> None:
    append = parts.append
    cls = value.__class__
    if cls is str:
        append(_text(value))
    elif value is None:
        append("null")
    elif value is True:
        append("true")
    elif value is False:
        append("false")
    elif cls is int:
        append(int.__repr__(value))
    elif cls is dict or (cls is not list and isinstance(value, Mapping)):
        if not value:
            append("{}")
            return
        inner = newline + _STEP
        keys = tuple(value)
        heads = _HEADS.get((keys, newline))
        if heads is None:
            heads = _heads(keys, newline)
        for head, item in zip(heads, value.values(), strict=True):
            append(head)
            if item.__class__ is str:  # the common values written here, not by a call each
                append(encode_basestring(item) if item.isascii() else _text(item))
            elif item is None:
                append("null")
            elif item.__class__ is int:
                append(int.__repr__(item))
            elif item.__class__ is list and not item:
                append("[]")
            else:
                _write(item, inner, parts)
        append(newline + "}")
    elif cls is list or cls is tuple or (cls is not dict and isinstance(value, list | tuple)):
        if not value:
            append("[]")
            return
        inner = newline + _STEP
        sep = "[" + inner
        for item in value:
            append(sep)
            if item.__class__ is str:
                append(encode_basestring(item) if item.isascii() else _text(item))
            else:
                _write(item, inner, parts)
            sep = "," + inner
        append(newline + "]")
    elif isinstance(value, str):  # a StrEnum: its value
        append(_text(value))
    elif isinstance(value, date):
        append(encode_basestring(value.isoformat()))
    elif isinstance(value, float):
        append(float.__repr__(value) if math.isfinite(value) else "null")
    elif isinstance(value, int):
        append(int.__repr__(value))
    elif hasattr(value, "value") and isinstance(value.value, str):  # an Enum of strings
        append(encode_basestring(str(value)))
    else:
        raise Unwritten(type(value).__name__)
