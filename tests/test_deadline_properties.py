"""Properties of the deadline reader: any text gives an answer (never an exception), and every
answer it understands is a due form the tracker reads."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_cli import schedule
from roadmap_cli.deadline_phrases import TODO, read_deadline

WORDS = st.sampled_from([
    "до", "не позднее", "в течение", "IV", "II", "квартал", "кв.", "полугодие", "2026", "2027 г.",
    "года", "гг.", "1", "15", "31", "июля", "декабря", "июнь", "ежегодно", "ежеквартально", ",",
    "после", "вступления в силу", "Соглашения", "месяцев", "дней", "п.", "2.1", "–", "Q4", "by",
    "within", "of", "annually", "2026–2028", "постоянно", "по мере необходимости", "числа",
])


@pytest.mark.fuzz
@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=8).map(" ".join))
def test_any_phrase_of_deadline_words_reads(text: str) -> None:
    _check(text)


@pytest.mark.fuzz
@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_reads(text: str) -> None:
    _check(text)


def _check(text: str) -> None:
    got = read_deadline(text)
    if not got.understood:
        assert got.due == TODO
        return
    due = schedule.parse_due(got.due)
    assert due.raw == got.due
    for year in got.years:
        assert 1900 <= year <= 2199
