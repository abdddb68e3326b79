"""Tabs outside quotes: libyaml (this tracker's reader) takes a tab between or inside plain
values as a space, as YAML 1.2 allows; PyYAML's own loader and ruamel.yaml (check-jsonschema,
which docs/ci.md runs beside `roadmap validate`) refuse the whole file ("found character '\\t'
that cannot start any token"). A tab inside a quoted value, a block scalar (``|``, ``>``) or a
comment is read alike by all of them. Only a file that holds a tab is scanned again (a second
pass of libyaml's scanner over its tokens)."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from roadmap_cli.model import Pos

#: where a file's lines end, as libyaml counts them (U+0085, U+2028 and U+2029 swapped out)
_LINE_END = re.compile(r"\r\n|\r|\n")
#: a tab, or a '#' that starts a comment (at the start of a line or after a space or a tab)
_TAB_OR_COMMENT = re.compile(r"\t|(?:^|(?<=[ \t]))#")


def loose_tabs(text: str, parser_class: Any, most: int) -> list[Pos]:
    """The positions (1-based line and column) of the first ``most`` tabs of ``text`` outside
    quoted values, block scalars and comments; ``text`` is a file libyaml has read."""
    protected: list[tuple[tuple[int, int], tuple[int, int]]] = []
    parser = parser_class(text)
    try:
        while (token := parser.get_token()) is not None:
            if getattr(token, "style", None) in ("'", '"', "|", ">"):
                start, end = token.start_mark, token.end_mark
                protected.append(((start.line, start.column), (end.line, end.column)))
    except Exception:  # (the file was read once: it scans again; else say nothing)
        return []
    finally:
        parser.dispose()
    # the tokens follow each other: the span that may hold a place is the last one starting
    # at or before it (one bisection a character of a line with a tab)
    firsts = [a for a, _b in protected]
    out: list[Pos] = []
    starts = [0] + [m.end() for m in _LINE_END.finditer(text)]
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        line = text[start:end]
        if "\t" not in line:
            continue
        for m in _TAB_OR_COMMENT.finditer(line):
            col = m.start()
            k = bisect_right(firsts, (n, col)) - 1
            if k >= 0 and (n, col) < protected[k][1]:
                continue  # inside a quoted value or a block scalar
            if m.group() == "#":
                break  # a comment, to the end of the line
            out.append((n + 1, col + 1))
            if len(out) == most:
                return out
    return out
