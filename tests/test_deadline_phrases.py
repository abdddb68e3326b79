"""Every deadline phrase form of docs/import.md, Russian and English, read into its due form."""

from __future__ import annotations

import pytest

from roadmap_cli.deadline_phrases import TODO, Event, normalize, read_deadline

#: (as signed, due, kind)
CASES = [
    # quarters
    ("IV квартал 2026 г.", "2026-Q4", "quarter"),
    ("4 квартал 2026 года", "2026-Q4", "quarter"),
    ("в IV квартале 2026 года", "2026-Q4", "quarter"),
    ("I кв. 2027 г.", "2027-Q1", "quarter"),
    ("2-й квартал 2027 г.", "2027-Q2", "quarter"),
    ("третий квартал 2026 года", "2026-Q3", "quarter"),
    ("не позднее IV квартала 2026 г.", "2026-Q4", "quarter"),
    ("до конца III квартала 2027 г.", "2027-Q3", "quarter"),
    ("Q4 2026", "2026-Q4", "quarter"),
    ("2026-Q4", "2026-Q4", "quarter"),
    ("fourth quarter of 2026", "2026-Q4", "quarter"),
    ("in Q1 2027", "2027-Q1", "quarter"),
    # half-years
    ("II полугодие 2027 г.", "2027-H2", "half"),
    ("1 полугодие 2026 года", "2026-H1", "half"),
    ("в первом полугодии 2027 г.", "2027-H1", "half"),
    ("H2 2027", "2027-H2", "half"),
    ("second half of 2027", "2027-H2", "half"),
    # years
    ("2027 г.", "2027", "year"),
    ("2027 год", "2027", "year"),
    ("в течение 2027 года", "2027", "year"),
    ("до конца 2026 года", "2026", "year"),
    ("2027", "2027", "year"),
    ("by the end of 2027", "2027", "year"),
    # months
    ("июнь 2026 г.", "2026-06", "month"),
    ("в июне 2026 года", "2026-06", "month"),
    ("май 2027 г.", "2027-05", "month"),
    ("June 2026", "2026-06", "month"),
    ("Sept. 2026", "2026-09", "month"),
    # dates
    ("до 1 июля 2026 г.", "2026-06-30", "date"),
    ("к 1 июля 2026 г.", "2026-06-30", "date"),
    ("до 01.07.2026", "2026-06-30", "date"),
    ("не позднее 1 июля 2026 г.", "2026-07-01", "date"),
    ("по 1 июля 2026 г.", "2026-07-01", "date"),
    ("31 декабря 2026 г.", "2026-12-31", "date"),
    ("1 марта 2027 года", "2027-03-01", "date"),
    ("15.09.2026", "2026-09-15", "date"),
    ("by 1 July 2026", "2026-07-01", "date"),
    ("before 1 July 2026", "2026-06-30", "date"),
    ("no later than 1 July 2026", "2026-07-01", "date"),
    ("July 1, 2026", "2026-07-01", "date"),
    ("31 December 2026", "2026-12-31", "date"),
    # no deadline
    ("постоянно", "ongoing", "ongoing"),
    ("Постоянно.", "ongoing", "ongoing"),
    ("на постоянной основе", "ongoing", "ongoing"),
    ("ongoing", "ongoing", "ongoing"),
    ("on a permanent basis", "ongoing", "ongoing"),
    ("по мере необходимости", "on_request", "on_request"),
    ("по согласованию сторон", "on_request", "on_request"),
    ("as needed", "on_request", "on_request"),
    ("as agreed by the parties", "on_request", "on_request"),
    # recurring
    ("ежегодно", {"every": "year"}, "recurring"),
    ("ежеквартально", {"every": "quarter"}, "recurring"),
    ("ежемесячно", {"every": "month"}, "recurring"),
    ("раз в полугодие", {"every": "half"}, "recurring"),
    ("ежегодно, до 15 января", {"every": "year", "grace": 14}, "recurring"),
    ("ежегодно до 1 марта", {"every": "year", "grace": 59}, "recurring"),
    ("ежегодно, не позднее 15 января", {"every": "year", "grace": 15}, "recurring"),
    (
        "ежеквартально, до 10 числа месяца, следующего за отчетным кварталом",
        {"every": "quarter", "grace": 9},
        "recurring",
    ),
    ("ежегодно, 2026–2028 гг.", {"every": "year", "from": "2026", "until": "2028"}, "recurring"),
    ("annually", {"every": "year"}, "recurring"),
    ("quarterly", {"every": "quarter"}, "recurring"),
    ("monthly", {"every": "month"}, "recurring"),
    ("semi-annually", {"every": "half"}, "recurring"),
    ("annually, by 15 January", {"every": "year", "grace": 15}, "recurring"),
    # after an event or a measure
    (
        "в течение 6 месяцев после вступления в силу Соглашения",
        {"after": "entry-into-force", "within": "6m"},
        "after",
    ),
    (
        "в течение 6 (шести) месяцев с даты вступления в силу Соглашения",
        {"after": "entry-into-force", "within": "6m"},
        "after",
    ),
    (
        "в течение трех месяцев после подписания Протокола",
        {"after": "signing", "within": "3m"},
        "after",
    ),
    ("в течение 30 дней после выполнения п. 2.1", {"after": "2.1", "within": "30d"}, "after"),
    (
        "within six months of entry into force of the Agreement",
        {"after": "entry-into-force", "within": "6m"},
        "after",
    ),
    ("within 2 weeks after completion of item 1.3", {"after": "1.3", "within": "2w"}, "after"),
    ("в 2026 году", "2026", "year"),  # the prepositional case, as often written as "в течение 2026 года"
    # a span of years
    ("2026–2028 гг.", "2028", "span"),
    ("2026 - 2028 годы", "2028", "span"),
    ("в течение 2026-2028 гг.", "2028", "span"),
    ("2026–2028", "2028", "span"),
    ("2026–2027 гг.", "2027", "span"),  # late after 2027, though the document runs to 2028
]


@pytest.mark.parametrize(("text", "due", "kind"), CASES, ids=[c[0] for c in CASES])
def test_phrase(text: str, due: object, kind: str) -> None:
    got = read_deadline(text)
    assert (got.due, got.kind) == (due, kind)
    assert got.understood


NOT_UNDERSTOOD = [
    "",
    "   ",
    "к отопительному сезону",
    "до 2027 года",  # before which day of 2027? not guessed
    "к 2027 году",
    "до IV квартала 2026 г.",
    "в течение 10 рабочих дней после подписания",  # working days are not calendar days
    "31 февраля 2026 г.",  # no such day
    "V квартал 2026 г.",
    "2028–2026 гг.",  # backwards
    "IV квартал 2026 г., далее ежегодно",  # two readings: not half read
    "ежегодно до 1 июля",  # a day inside the year: not a grace
    "IV квартал 3026 г.",
    # two events, or an event and a cap: not read after the first event named
    "в течение 6 месяцев после подписания и вступления в силу Соглашения",
    "в течение 6 месяцев после подписания протокола и вступления его в силу",
    "в течение 6 месяцев с даты вступления в силу Соглашения, но не позднее 31 декабря 2026 г.",
    "в течение 3 месяцев после вступления в силу Соглашения и подписания Протокола",
    "within 6 months of signing and entry into force of the Agreement",
    "within 6 months of entry into force of the Agreement, but no later than 31 December 2026",
]


@pytest.mark.parametrize("text", NOT_UNDERSTOOD)
def test_not_understood_is_todo(text: str) -> None:
    got = read_deadline(text)
    assert (got.due, got.kind, got.understood) == (TODO, "todo", False)


def test_the_day_before_is_noted() -> None:
    got = read_deadline("до 1 июля 2026 г.")
    assert got.note is not None
    assert "2026-06-30" in got.note and "«до 1 июля 2026 г.»" in got.note
    assert read_deadline("не позднее 1 июля 2026 г.").note is None


def test_span_is_noted_with_its_years() -> None:
    got = read_deadline("2026–2028 гг.")
    assert got.years == (2026, 2028)
    assert got.note is not None and "due by the end of 2028" in got.note and "ongoing" in got.note


def test_event_title_keeps_the_words_as_written() -> None:
    got = read_deadline("в течение 6 месяцев после вступления в силу Соглашения о ЗСТ")
    assert got.event == Event("entry-into-force", "Вступление в силу Соглашения о ЗСТ")
    en = read_deadline("within six months of entry into force of the Agreement")
    assert en.event == Event("entry-into-force", "Entry into force of the Agreement")


def test_the_name_of_the_document_after_the_event_is_no_second_condition() -> None:
    got = read_deadline("в течение 6 месяцев после вступления в силу Соглашения о торговле и экономическом сотрудничестве")
    assert got.due == {"after": "entry-into-force", "within": "6m"}


def test_years_named() -> None:
    assert read_deadline("IV квартал 2026 г.").years == (2026,)
    assert read_deadline("ежегодно, 2026–2028 гг.").years == (2026, 2028)
    assert read_deadline("постоянно").years == ()


def test_normalize() -> None:
    assert normalize("  IV\u00a0квартал  2026\u00a0г. ") == "iv квартал 2026"
    assert normalize("2026 — 2028 гг.") == "2026-2028"
    assert normalize("Ёжегодно") == "ежегодно"
