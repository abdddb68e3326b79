"""Widths of text in terminal cells, as rich measures them, fast for the common text.

A table measures every word of every title to find where lines may break. rich's
``cell_len`` is exact for every script (CJK two cells, combining marks none) but costs a call
and a cache lookup per word. Most text of the documents is Latin, Cyrillic and punctuation,
one cell a character: :func:`single` tells such a text at C speed (a regular expression of
the characters that are not, searched without making a string of each character as a set's
``issuperset`` does: a tenth of the time for a Cyrillic title), and every part of such a
text is one cell a character too, so a caller measures its words with ``len``. Any other
text is measured by rich, imported then (``tests/test_tabledraw.py`` checks that rich gives
one cell to every character counted as one here): a table of Latin and Cyrillic text, with
its rules, bars and arrows, imports none of rich (a millisecond of every run).
"""

from __future__ import annotations

import re

#: characters one terminal cell wide: printable ASCII, Latin-1 and Latin extended letters,
#: IPA, Greek and Cyrillic (without the Cyrillic combining marks U+0483-U+0489, zero cells),
#: and the punctuation and signs of Russian and Kazakh text: dashes, quotes and the ellipsis
#: (U+2010-U+2027, not the zero-width marks before them), per mille to the double hyphen,
#: currency signs (the tenge), letterlike symbols (the numero sign); and what the tables draw
#: with: arrows (a trend, base -> target), mathematical operators, box drawing and blocks
#: (rules and progress bars)
_RANGES = ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x48A, 0x52F),
           (0x2010, 0x2027), (0x2030, 0x205E), (0x20A0, 0x20C0), (0x2100, 0x214F),
           (0x2190, 0x22FF), (0x2500, 0x259F))
#: a character that is not one cell wide by :data:`_RANGES`
_other = re.compile("[^" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in _RANGES) + "]").search


def single_cell_characters() -> frozenset[str]:
    """Every character :func:`single` counts as one cell wide."""
    return frozenset(chr(code) for start, end in _RANGES for code in range(start, end + 1))


def single(text: str) -> bool:
    """Whether every character of ``text`` is one cell wide (then its width is its length):
    every character is in :func:`single_cell_characters`."""
    return _other(text) is None


def cell_len(text: str) -> int:
    """The width of ``text`` in terminal cells (rich's ``cell_len``, imported for the first
    text of other characters)."""
    if _other(text) is None:
        return len(text)
    from rich.cells import cell_len as rich_cell_len

    return rich_cell_len(text)
