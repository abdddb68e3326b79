"""Widths of text in terminal cells, as rich measures them, fast for the common text.

A table measures every word of every title to find where lines may break. rich's
``cell_len`` is exact for every script (CJK two cells, combining marks none) but costs a call
and a cache lookup per word. Most text of the documents is Latin, Cyrillic and punctuation,
one cell a character: :func:`single` tells such a text at C speed, and every part of such a
text is one cell a character too, so a caller measures its words with ``len``. Any other
text is measured by rich (``tests/test_tabledraw.py`` checks that rich gives one cell to every
character counted as one here).
"""

from __future__ import annotations

from rich.cells import cell_len as _rich_cell_len

#: characters one terminal cell wide: printable ASCII, Latin-1 and Latin extended letters,
#: IPA, Greek and Cyrillic (without the Cyrillic combining marks U+0483-U+0489, zero cells)
SINGLE_CELL = frozenset(
    chr(code)
    for start, end in ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482),
                       (0x48A, 0x52F))
    for code in range(start, end + 1)
)

#: whether every character of a text is one cell wide (then its width is its length)
single = SINGLE_CELL.issuperset


def cell_len(text: str) -> int:
    """The width of ``text`` in terminal cells (rich's ``cell_len``)."""
    return len(text) if single(text) else _rich_cell_len(text)
