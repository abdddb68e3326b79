"""Plain scalars by the YAML 1.2 core schema, with a note where YAML 1.1 reads them otherwise.

Part of the YAML reader (:mod:`roadmap_cli.yamlsrc`): pure functions of a scalar's text, no parser.
"""

from __future__ import annotations

import math
import re
from typing import Any

from roadmap_cli import i18n
from roadmap_cli.i18n import _

#: the longest plain scalar still read as a number (longer digit strings are refused; one of the
#: limits documented in docs/limits.md, re-exported by roadmap_cli.yamlsrc)
MAX_NUMBER_CHARS = 100

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



def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return _("the boolean {value}").format(value=str(value).lower())
    if isinstance(value, (int, float)):
        return _("the number {value}").format(value=value)
    if value is None:
        return "null"
    return _("the string {value}").format(value=repr(value))
