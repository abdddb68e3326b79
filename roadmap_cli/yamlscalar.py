"""YAML scalars as text: how a string or number is written so that every YAML reader (1.1 or
1.2, PyYAML or another) reads back exactly that value. Pure. :mod:`roadmap_cli.splice` writes
them into a file's text; :mod:`roadmap_cli.import_write` and :mod:`roadmap_cli.scaffold` into new
files.
"""

from __future__ import annotations

from roadmap_cli.record import Record, record
from roadmap_cli.yamlsrc import read_plain


@record
class Num(Record):
    """A number to write as given (``4200``, ``12.5``): its text and its value."""

    text: str
    value: int | float


Scalar = str | int | Num


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


def has_control(s: str) -> bool:
    return any(_needs_escape(c) for c in s)


def plain_ok(s: str, flow: bool = False) -> bool:
    """Can ``s`` be written unquoted and read back as exactly this string?

    Conservative: anything that might be read differently by a YAML 1.1 or 1.2 reader, or that
    needs care in a flow collection, is quoted.
    """
    if not s or s != s.strip(" ") or has_control(s) or "\t" in s:
        return False
    if s[0] in _INDICATOR_CHARS:
        return False
    if ": " in s or " #" in s or s.endswith(":"):
        return False
    if s in ("=", "<<"):  # YAML 1.1's value and merge keys: PyYAML cannot read them as values
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
    if style == "'" and not has_control(value):
        return "'" + value.replace("'", "''") + "'"
    return _double(value)
