"""Text from data made safe to show: no control or escape characters reach a terminal, and a
file name that is not UTF-8 is shown escaped instead of failing to print.

Pure (no I/O). One home for this: the problem lines and excerpts, the rich console
(:func:`roadmap_cli.render.make_console` removes control characters from every piece of data it
draws), the calendar export and the git authors and subjects all use it (docs/security.md).
"""

from __future__ import annotations

import re

#: the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they
#: reorder what the terminal shows after them ("Trojan Source", CVE-2021-42574), a title's
#: U+202E turning the rest of its line (and the table's border) right to left
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
#: C0 controls but tab and line feed, DEL, the C1 controls (U+009B is a one-character CSI), and
#: the bidirectional controls
_CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
#: the same with tab and line feed: nothing of it belongs on one line
_LINE_CONTROLS = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
#: lone surrogates: bytes of a file name that are not UTF-8 (Python's surrogateescape)
_SURROGATES = re.compile("[\ud800-\udfff]")


def _escaped_byte(m: re.Match[str]) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return "\ufffd"


def printable(text: str) -> str:
    """One line of text for a terminal or a log: control characters (line breaks included) as
    U+FFFD, the undecodable bytes of a file name as ``\\xNN``."""
    text = _LINE_CONTROLS.sub("\ufffd", text)
    if _SURROGATES.search(text):
        text = _SURROGATES.sub(_escaped_byte, text)
    return text


def terminal(text: str) -> str:
    """Text for a terminal that may span lines: control characters other than tab and line feed
    removed (they have no width, so tables stay aligned), lone surrogates as U+FFFD."""
    text = _CONTROLS.sub("", text)
    if _SURROGATES.search(text):
        text = _SURROGATES.sub("\ufffd", text)
    return text


def has_controls(text: str) -> bool:
    """Whether :func:`terminal` would remove something from ``text`` (a control character),
    told at C speed."""
    return _CONTROLS.search(text) is not None


def is_file_name(text: str) -> bool:
    """Whether :func:`file_name` leaves ``text`` as it is (told at C speed)."""
    return text.isascii() or not _SURROGATES.search(text)


def file_name(name: str) -> str:
    """A file name for any output (JSON and CSV included): undecodable bytes as ``\\xNN``."""
    if _SURROGATES.search(name):
        return _SURROGATES.sub(_escaped_byte, name)
    return name


def wrapped(text: str, width: int) -> str:
    """A message for a terminal ``width`` columns wide: each line longer than that broken
    between words (its indentation kept on the lines it gives), never inside a word, an id or
    a path (a terminal breaks a long line anywhere: "терми|нала"). Pure."""
    import textwrap

    if width < 20:
        return text
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        out.extend(textwrap.wrap(line, width, subsequent_indent=indent, break_long_words=False,
                                 break_on_hyphens=False) or [line])
    return "\n".join(out)
