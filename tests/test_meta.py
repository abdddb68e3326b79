"""load.meta_of (what the cross-file rules need of a file not checked in this run: whether it is a
document, its id, its occurrences) reads the parse alone, without the schema check: it must give
what the checked parse gives, for valid, schema-invalid and broken files alike."""

from pathlib import Path

import pytest

from roadmap_cli.load import ROADMAP_SCHEMA, _meta, meta_of, parse_checked

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "roadmaps" / "astana-minsk-2026-2028.yaml").read_bytes()

CASES = [
    ("valid", SAMPLE),
    ("schema-invalid", SAMPLE.replace(b"signed:", b"signed_wrong:", 1) + b"\nextra_key: [1, 2]\n"),
    ("wrong types", b"id: 12\ntitle: 5\nmeasures: nope\n"),
    ("id only", b"id: kz-by-x\n"),
    ("list", b"- a\n- b\n"),
    ("scalar", b"just text\n"),
    ("empty", b""),
    ("syntax error", b"id: [unclosed\n"),
]


@pytest.mark.parametrize("label,data", CASES, ids=[c[0] for c in CASES])
def test_meta_of_equals_the_checked_parse(label: str, data: bytes) -> None:
    expected = _meta(parse_checked(data, "roadmaps/x.yaml", ROADMAP_SCHEMA))[:3]
    assert meta_of("roadmaps/x.yaml", data, None) == expected


def test_the_valid_sample_is_a_document_with_occurrences() -> None:
    doc, rid, count = meta_of("roadmaps/x.yaml", SAMPLE, None)
    assert doc and isinstance(rid, str) and count > 0
