"""Problems found by an audit of `roadmap validate` against the contract (a mutation harness:
one known breakage at a time, each with its exact line, column, severity and rule), each
fixed with this test beside it. The documents are those of ``test_validate_rules``."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_validate_rules import SIGNED, E, check, messages, sub


@pytest.mark.parametrize(
    ("old", "new", "line", "column"),
    [
        ('    section: "2"', "    section: 2", 41, 14),
        ('    section: "2"', "    section: 1.10", 41, 14),
        ("after: entry-into-force", "after: 1.10", 42, 18),
        ("{from: 2026-09, by: protocol-1}", "{from: {after: 3, within: 1m}, by: protocol-1}", 50, 24),
        ("by: protocol-1}", "by: 1}", 50, 29),
    ],
)
def test_an_unquoted_number_naming_a_section_anchor_or_amendment_is_an_unquoted_id(
    tmp_path: Path, old: str, new: str, line: int, column: int
) -> None:
    """`section: 2`, `after: 1.10` and `by: 1` name an id of the document as `depends_on: [1]`
    does; they were `schema-type` "expected a string, not 1.10 (a number)", which never says
    to quote it (and `after: 1.10` names measure 1.1 to YAML)."""
    text = sub(old, new, SIGNED)
    check(tmp_path, text, (line, column, E, "unquoted-id"))
    assert "quote it" in messages(tmp_path, text)[0]
