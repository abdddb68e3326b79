"""The pure parts of the reporting cycle: reading answer cells, fingerprints, the en/ru words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roadmap_cli import answers, cycle, cycle_text
from roadmap_cli.cycle import Cell


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-12-31", dt.date(2026, 12, 31)),
    ("31.12.2026", dt.date(2026, 12, 31)),
    (" 1.2.2026 ", dt.date(2026, 2, 1)),
    (dt.datetime(2026, 12, 31), dt.date(2026, 12, 31)),
    (dt.date(2026, 12, 31), dt.date(2026, 12, 31)),
])
def test_dates_that_read(value: Any, expected: dt.date) -> None:
    assert answers.read_date(value) == expected


@pytest.mark.parametrize(("value", "message"), [
    ("12/31/2026", "'12/31/2026' is ambiguous"),
    ("31/12/2026", "'31/12/2026' is ambiguous"),
    ("31.12.26", "'31.12.26' is ambiguous"),
    ("31.02.2026", "'31.02.2026' is not a day of the calendar"),
    ("2026-02-30", "2026-02-30"),
    ("next week", "'next week' is not a date"),
    (46022, "46022 is a number, not a date"),
    (dt.datetime(2026, 12, 31, 15, 30), "a date with a time of day"),
])
def test_dates_refused(value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        answers.read_date(value)


@pytest.mark.parametrize(("cell", "expected"), [
    (Cell(80, "x"), 80), (Cell(80.0, "x"), 80), (Cell("80", "x"), 80), (Cell(" 0 ", "x"), 0),
    (Cell(0.8, "x", percent=True), 80), (Cell(1, "x", percent=True), 100),
    # 29%, 57%, 7% as a percentage cell holds them: binary fractions whose product with 100 is
    # 28.999999999999996, 56.99999999999999, 7.000000000000001 (refused as not whole)
    (Cell(0.29, "x", percent=True), 29), (Cell(0.57, "x", percent=True), 57),
    (Cell(0.07, "x", percent=True), 7),
])
def test_progress_that_reads(cell: Cell, expected: int) -> None:
    assert answers.read_progress(cell) == expected


@pytest.mark.parametrize(("value", "message"), [
    ("80%", "write the number without the % sign"), ("eighty", "is not a number"),
    (80.5, "is not a whole number"), (101, "outside 0 to 100"), (-1, "outside 0 to 100"),
    (True, "not a number"), ("1e2", "is not a number"),
])
def test_progress_refused(value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        answers.read_progress(Cell(value, "x"))


def test_a_percentage_cell_that_is_not_whole_is_still_refused() -> None:
    with pytest.raises(ValueError, match=r"45\.5 is not a whole number"):
        answers.read_progress(Cell(0.455, "x", percent=True))


def test_every_whole_percentage_cell_reads_as_its_number() -> None:
    for n in range(101):
        assert answers.read_progress(Cell(n / 100, "x", percent=True)) == n


@pytest.mark.parametrize(("text", "status"), [
    ("done", "done"), ("Выполнено", "done"), ("  в   работе ", "in_progress"),
    ("in_progress", "in_progress"), ("NOT STARTED", "not_started"), ("приостановлено", "blocked"),
    ("отменено", "cancelled"), ("finished", None), ("", None),
    # the word the tool's own tables print for blocked (the workbook's is приостановлено)
    ("Заблокировано", "blocked"),
])
def test_status_words(text: str, status: str | None) -> None:
    assert cycle_text.read_status(text) == status


def test_every_status_word_reads_back_in_both_languages() -> None:
    for lang in ("en", "ru", "kk", "be"):
        for s in cycle_text.STATUS_WORDS_EN:
            assert cycle_text.read_status(cycle_text.status_word(s, lang)) == s


def test_every_workbook_word_has_its_russian() -> None:
    english = cycle_text.instructions("en", "A", "2026-01-01")
    russian = cycle_text.instructions("ru", "A", "2026-01-01")
    assert len(english) == len(russian)
    for en, ru in zip(english, russian, strict=True):
        assert (en == ru) == (en == ""), en  # every line translated
    for col in cycle.COLUMNS:
        assert cycle_text.text(col.header, "ru") != col.header, col.header
    # the workbook's words are the catalog's with the context "workbook": the drop-down keeps
    # its words whatever the same English word reads as in the interface
    assert cycle_text.text("blocked", "ru") == "приостановлено"
    assert cycle_text.text("As of", "ru") == "По состоянию на"
    assert cycle_text.text("blocked", "en") == "blocked"
    assert cycle_text.text("instructions", "ru") == "инструкция"
    assert cycle_text.text("Document", "kk") == "Документ"  # kk and be read Russian


@pytest.mark.parametrize(("url", "ok"), [
    ("https://gov.kz/doc/1", True), ("http://minprom.gov.by", True), ("gov.kz/doc", False),
    ("ftp://x.kz/a", False), ("https://", False), ("https://a b.kz", False),
    ("javascript:alert(1)", False),
])
def test_urls(url: str, ok: bool) -> None:
    if ok:
        assert answers.read_url(url) == url
    else:
        with pytest.raises(ValueError, match="not an absolute address"):
            answers.read_url(url)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3),
                                                                      children, max_size=3),
    max_leaves=10,
)


@pytest.mark.fuzz
@given(st.dictionaries(st.text(max_size=4), json_values, max_size=5))
def test_a_fingerprint_ignores_key_order_and_sees_any_value(entry: dict[str, Any]) -> None:
    reordered = dict(reversed(list(entry.items())))
    assert cycle.fingerprint(entry) == cycle.fingerprint(reordered)
    changed = {**entry, "status": "changed-" + str(entry.get("status"))}
    assert cycle.fingerprint(changed) != cycle.fingerprint(entry)


@given(st.dictionaries(st.text(max_size=4), json_values | st.dates() | st.floats(), max_size=5))
def test_a_fingerprint_is_the_hash_of_the_entrys_sorted_json(entry: dict[str, Any]) -> None:
    """The fingerprint's definition (workbooks sent out carry it: it never changes)."""
    import hashlib
    import json

    text = json.dumps(entry, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    assert cycle.fingerprint(entry) == hashlib.sha256(
        text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def test_a_fingerprint_stays_what_it_was() -> None:
    entry = {"id": "1.3", "title": {"en": "Sign", "ru": "Подписать"}, "due": dt.date(2026, 9, 30),
             "progress": 40, "weight": 1.5, "owners": ["kz-mic"]}
    assert cycle.fingerprint(entry) == "d9e76a32a4ceb018"


@pytest.mark.parametrize(("value", "message"), [
    ("=1+1", "'=1+1"), ("-5", "'-5"), ("@x", "'@x"), ("plain", "plain"), (None, ""),
    (dt.date(2026, 1, 2), "2026-01-02"),
])
def test_csv_cells_never_start_a_formula(value: Any, message: str) -> None:
    assert cycle.csv_cell(value) == message


def test_every_rule_id_of_the_cycle_is_documented() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    source = "".join((root / "roadmap_cli" / name).read_text(encoding="utf-8")
                     for name in ("sheets.py", "answers.py", "commands/apply.py"))
    used = set(re.findall(r'"((?:workbook|apply|csv)-[a-z-]+)"', source))
    assert len(used) >= 20
    doc = (root / "docs" / "cycle.md").read_text(encoding="utf-8")
    assert {r for r in used if f"`{r}`" not in doc} == set()
