"""edit.unified_diff and edit.split_lines: the diff `update --dry-run` and `apply --dry-run`
print is a unified diff that turns the old text into the new one, line breaks as git counts
them (\\n, \\r\\n, a lone \\r; not the other breaks str.splitlines knows)."""

from __future__ import annotations

import difflib
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_cli.edit import split_lines, unified_diff

#: what the lines are made of: a few letters (so that lines repeat), every break
_CHARS = st.sampled_from(["a", "b", " ", "-", "\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x85",
                          "\u2028", "\u2029", "é"])
_TEXTS = st.lists(_CHARS, max_size=60).map("".join)


def _git_lines(text: str) -> list[str]:
    return re.findall(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+\Z", text)


def _patched(old: str, diff: str) -> str:
    """``old`` with the unified ``diff`` applied (a patch applier for the test: hunks in order,
    context and removed lines checked against ``old``)."""
    lines = split_lines(old)
    out: list[str] = []
    at = 0
    rows = _git_lines(diff)
    k = 2  # after the ---/+++ lines
    while k < len(rows):
        m = re.match(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n", rows[k])
        assert m, rows[k]
        start = int(m[1]) - (0 if m[2] == "0" else 1)
        out.extend(lines[at:start])
        at = start
        k += 1
        while k < len(rows) and not rows[k].startswith("@@"):
            row = rows[k]
            text = row[1:]
            if k + 1 < len(rows) and rows[k + 1] == "\\ No newline at end of file\n":
                text = text[:-1]
                k += 1
            if row[0] in " -":
                assert lines[at] == text, (lines[at], text)
                at += 1
            if row[0] in " +":
                out.append(text)
            k += 1
    out.extend(lines[at:])
    return "".join(out)


@given(_TEXTS)
def test_lines_break_where_git_breaks_them(text: str) -> None:
    assert split_lines(text) == _git_lines(text)
    assert "".join(split_lines(text)) == text


@settings(max_examples=300)
@given(_TEXTS, _TEXTS)
def test_the_diff_turns_the_old_text_into_the_new(old: str, new: str) -> None:
    diff = unified_diff(old, new, "f.yaml")
    if old == new:
        assert diff == ""
        return
    assert diff.startswith("--- a/f.yaml\n+++ b/f.yaml\n")
    assert _patched(old, diff) == new


@given(_TEXTS, _TEXTS)
def test_the_diff_is_difflibs_on_git_lines(old: str, new: str) -> None:
    expected = "".join(
        line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
        for line in difflib.unified_diff(_git_lines(old), _git_lines(new), "a/f.yaml", "b/f.yaml",
                                         lineterm="\n"))
    assert unified_diff(old, new, "f.yaml") == expected
