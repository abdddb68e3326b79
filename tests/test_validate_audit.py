"""Problems found by an audit of `roadmap validate` against the contract (a mutation harness:
one known breakage at a time, each with its exact line, column, severity and rule), each
fixed with this test beside it. The documents are those of ``test_validate_rules``."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_validate_rules import SIGNED, E, check, messages, sub

from roadmap_cli import i18n


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


@pytest.mark.parametrize("every", ["week", "3"])
def test_a_recurrence_the_schema_rejects_brings_no_report_warning(tmp_path: Path, every: str) -> None:
    """`every: week` is one schema-enum error; the reports of the measure are not also told
    that the measure "recurs every week" (report-outside-schedule compared their period with
    a recurrence that does not exist)."""
    check(tmp_path, sub("every: quarter", f"every: {every}", SIGNED), (18, 18, E, "schema-enum"))


def test_report_outside_schedule_names_the_periods_in_russian(tmp_path: Path) -> None:
    """The kinds of period were the English ids inside the Russian sentence ("это month, а
    мероприятие повторяется с периодом quarter")."""
    i18n.activate("ru")  # conftest.py activates English again after the test
    text = sub("{period: 2026-Q1, date: 2026-04-10}", "{period: 2026-03, date: 2026-04-10}", SIGNED)
    assert messages(tmp_path, text) == [
        "22:18: warning: мероприятие 2: отчётный период 2026-03 — это месяц, а мероприятие "
        "повторяется ежеквартально [report-outside-schedule]"
    ]


def test_numbers_in_russian_messages_are_written_the_russian_way(tmp_path: Path) -> None:
    """"1,000" reads in Russian as one (a decimal comma): the grace of a thousand days was
    "отсрочка 1,000 дн. больше допустимых 366", a day more than 366. Numbers in messages are
    written as every Russian table writes them (i18n.number: 1 000)."""
    i18n.activate("ru")
    text = sub("grace: 15}", "grace: 1000}", SIGNED)
    text = sub("{from: 2026-09, by: protocol-1}", "{from: {every: month, grace: 2000}, by: protocol-1}", text)
    found = messages(tmp_path, text)
    assert [m.split(": ", 1)[0] for m in found] == ["18:65", "50:38"]
    assert "отсрочка 1\u202f000 дн. больше допустимых 366" in found[0]
    assert "период 2\u202f000 дн. больше допустимых 366" in found[1]
    assert not [m for m in found if "1,000" in m or "2,000" in m]


def test_too_many_occurrences_in_russian(tmp_path: Path) -> None:
    i18n.activate("ru")
    text = sub("due: {every: quarter, from: 2026-Q1, until: 2026-Q4, grace: 15}",
               "due: {every: month, from: 1900-01, until: 2199-12}", SIGNED)
    found = [m for m in messages(tmp_path, text) if m.endswith("[too-large]")]
    assert len(found) == 1 and "повторяется 3\u202f600 раз — больше допустимых 600" in found[0]


@pytest.mark.parametrize(
    ("old", "new", "line", "column"),
    [
        ("    progress: 40\n", "\u00a0\u00a0\u00a0\u00a0progress: 40\n", 14, 1),  # the whole indentation
        ("    progress: 40\n", "  \u00a0 progress: 40\n", 14, 3),
        ("    progress: 40\n", "    progress:\u00a040\n", 14, 14),  # between the key and its value
        ('      - {period: 2026-Q1, date: 2026-04-10}\n', '      -\u00a0{period: 2026-Q1, date: 2026-04-10}\n', 22, 8),
    ],
)
def test_a_no_break_space_where_yaml_needs_a_space_is_named(
    tmp_path: Path, old: str, new: str, line: int, column: int
) -> None:
    """A no-break space (U+00A0: text pasted from a word processor or a web page) looks like a
    space but is not one to YAML. In the indentation, or after a key's ':', it was reported on
    the next line as "'- id' is indented more (column 3) than the line above (column 1)" or
    "lines up with an outer mapping", naming neither the line nor the character."""
    text = sub(old, new, SIGNED)
    check(tmp_path, text, (line, column, E, "syntax"))
    assert "no-break space" in messages(tmp_path, text)[0]


@pytest.mark.parametrize(
    "before",
    ["Астана 😀", "阿斯塔纳", "Алма-Аты\u0306 и Бреи\u0306"],  # wide characters; combining marks (NFD й)
)
def test_the_caret_stands_under_the_column_after_wide_or_combining_characters(before: str) -> None:
    """The column counts characters, as editors do; the caret under the excerpt was as many
    spaces, so after an emoji or a CJK character (two cells) or a combining mark (none: the
    й of text pasted from a Mac) it stood cells away from the value it points at."""
    from rich.cells import cell_len

    from roadmap_cli import render
    from roadmap_cli.model import Problem, Severity

    source = f"signed: {{place: {before}, date: 2025-02-30}}"
    column = source.index("2025") + 1
    shown, caret = render.excerpt(Problem("roadmaps/a.yaml", 5, column, Severity.ERROR, "impossible-date", "x"),
                                  source)
    gutter = len("  5 | ")
    assert shown[:gutter] + source == shown
    assert cell_len(caret) - 1 == cell_len(shown[: gutter + column - 1])  # the caret's cell is the value's


@pytest.mark.parametrize(
    ("old", "new", "line", "column"),
    [
        ("{from: 2026-09, by", "{from: 10.2026, by", 50, 16),  # the due in force before protocol-1
        ("from: 2026-Q1, until", "from: 10.2026, until", 18, 33),  # a recurring due's from
        ("until: 2026-Q4,", "until: 10.2026,", 18, 49),
        ("{period: 2026-Q1, date: 2026-04-10}", "{period: 10.2026, date: 2026-04-10}", 22, 18),
    ],
)
def test_every_period_written_as_a_russian_month_is_told_its_form(
    tmp_path: Path, old: str, new: str, line: int, column: int
) -> None:
    """`due: 10.2026` (YAML reads the number 10.2026) is told "write it as 2026-10"; the
    other values that take a period were only told "expected ..., not 10.2026 (a number)"."""
    text = sub(old, new, SIGNED)
    found = messages(tmp_path, text)
    assert found[0].startswith(f"{line}:{column}: error: ")
    assert found[0].endswith("; write it as 2026-10 [schema-type]")


def test_a_rescheduled_from_left_todo_is_a_todo(tmp_path: Path) -> None:
    """`due: TODO` is a todo warning until it is replaced; a `rescheduled` entry's `from: TODO`
    (the same due form: the signed deadline the amendment changed) passed without a word."""
    from test_validate_rules import W

    text = sub("{from: 2026-09, by: protocol-1}", "{from: TODO, by: protocol-1}", SIGNED)
    check(tmp_path, text, (50, 16, W, "todo"))


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "rule", "said"),
    [
        # Word's en dash in a date: "2026–05–20 is not a date: expected YYYY-MM-DD" and nothing
        # more, about a value that reads as YYYY-MM-DD
        ("completed: 2026-05-20", "completed: 2026\u201305\u201320", 28, 16, "impossible-date",
         "(it holds '–' (EN DASH), which looks like a hyphen but is not one: type '-')"),
        # "2026‑Q4 is written in another form: write it as 2026-Q4", the two alike to the eye
        ("    due: 2026-Q4", "    due: 2026\u2011Q4", 12, 10, "date-format",
         "write it as 2026-Q4 (it holds '‑' (NON-BREAKING HYPHEN), which looks like a hyphen but is not one: type '-')"),
        ("    owners: [kz-mic]\n    co_executors", "    owners: [kz\u2212mic]\n    co_executors", 10, 14,
         "schema-pattern", "(it holds '−' (MINUS SIGN), which looks like a hyphen but is not one: type '-')"),
        # a no-break space after the ':' inside {...}: "unknown key 'date:\xa02025-11-05'"
        ("signed: {date: 2025-11-05,", "signed: {date:\u00a02025-11-05,", 5, 10, "schema-unknown-key",
         "(it holds a NO-BREAK SPACE, which looks like a space but is not one: type a space)"),
    ],
)
def test_a_dash_or_space_that_only_looks_like_one_is_named(
    tmp_path: Path, old: str, new: str, line: int, column: int, rule: str, said: str
) -> None:
    found = [m for m in messages(tmp_path, sub(old, new, SIGNED)) if m.endswith(f"[{rule}]")]
    assert found[0].startswith(f"{line}:{column}: error: ")
    assert said in found[0]


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "named", "naming"),
    [
        ('  - {id: "1", title: Direct ties', "  - {id: 1, title: Direct ties", 53, 10, "", ""),  # section "1"
        ("  - {id: protocol-1, date: 2026-06-15", "  - {id: 1, date: 2026-06-15", 59, 10,
         "by: protocol-1}", 'by: "1"}'),
        ("  - {id: entry-into-force, title", "  - {id: 7, title", 56, 10,
         "after: entry-into-force", 'after: "7"'),
    ],
)
def test_an_unquoted_entry_id_is_one_problem_not_two(
    tmp_path: Path, old: str, new: str, line: int, column: int, named: str, naming: str
) -> None:
    """A section, event or amendment id written unquoted (`{id: 1, ...}`) is unquoted-id; the
    measures naming it ("1" quoted, as they should) were also told that it names nothing
    (unknown-section, unknown-amendment, unknown-anchor), as a measure id written so is not."""
    text = sub(old, new, SIGNED)
    check(tmp_path, sub(named, naming, text) if named else text, (line, column, E, "unquoted-id"))


@pytest.mark.parametrize(
    ("old", "new", "line", "column"),
    [
        ('  - {id: "1", title: Direct ties between enterprises}\n  - {id: "2", title: Supplies of machinery}\n',
         "  x\n", 53, 3),
        ("  - {id: protocol-1, date: 2026-06-15, title: Protocol No. 1}\n"
         "  - {id: protocol-2, date: 2026-11-20, title: Protocol No. 2}\n", "  protocol-1\n", 59, 3),
        ("  - {id: entry-into-force, title: Entry into force of the agreement, date: 2026-03-01}\n"
         "  - {id: working-group, title: Working group set up}\n", "  {}\n", 56, 3),
    ],
)
def test_a_list_of_the_wrong_type_is_one_problem(tmp_path: Path, old: str, new: str, line: int, column: int) -> None:
    """`sections: x` is one schema-type error; the measures with a section were also told that
    "the document has no `sections` list" (and so for amendments and events), which it has."""
    check(tmp_path, sub(old, new, SIGNED), (line, column, E, "schema-type"))


@pytest.mark.parametrize(
    ("old", "new", "line", "column"),
    [
        ("    progress: 40\n", "    progress: 40\t\n", 14, 17),  # a trailing tab
        ("    progress: 40\n", "    progress:\t40\n", 14, 14),  # between a key and its value
        ("    progress: 40\n", "    progress: 40\t# about 40\n", 14, 17),  # before a comment
        ("    title: First measure\n", "    title: First\tmeasure\n", 9, 17),  # a title pasted from a table
        ("signed: {date: 2025-11-05, place: Astana}", "signed: {date: 2025-11-05,\tplace: Astana}", 5, 27),
    ],
)
def test_a_tab_outside_quotes_that_other_yaml_readers_refuse_is_a_warning(
    tmp_path: Path, old: str, new: str, line: int, column: int
) -> None:
    """libyaml (this tracker) reads a tab outside quotes as a space; PyYAML's own loader and
    check-jsonschema, which docs/ci.md runs beside `roadmap validate`, refuse the whole file
    ("found character '\\t' that cannot start any token"). `validate` said "no problems"."""
    from test_validate_rules import W

    text = sub(old, new, SIGNED)
    check(tmp_path, text, (line, column, W, "yaml-ambiguous"))
    assert "check-jsonschema" in messages(tmp_path, text)[0]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    title: First measure\n", '    title: "First\tmeasure"\n'),  # quoted: every reader takes it
        ("    title: First measure\n", "    title: 'First\tmeasure'  # a\tcomment\n"),
        ("    title: First measure\n", "    title: |\n      First\tmeasure\n"),
    ],
)
def test_a_tab_inside_quotes_a_block_or_a_comment_is_fine(tmp_path: Path, old: str, new: str) -> None:
    check(tmp_path, sub(old, new, SIGNED))


def test_every_rule_id_the_docs_quote_exists() -> None:
    """Rule ids are stable: scripts match on them (docs/rules.md). The README quoted
    `[due-format]`, an id no rule has (the rule is date-format)."""
    import re

    from test_validate_rules import KNOWN_RULES

    root = Path(__file__).resolve().parent.parent
    quoted: set[str] = set()
    for page in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        quoted |= set(re.findall(r"`\[([a-z]+(?:-[a-z]+)+)\]`", text))  # `[rule-id]`
        quoted |= set(re.findall(r": (?:error|warning): .* \[([a-z]+(?:-[a-z]+)*)\]$", text, re.M))
    # (apply-...: the ids of `roadmap apply`'s own problems, docs/cycle.md)
    assert {q for q in quoted if not q.startswith("apply-")} - set(KNOWN_RULES) == set()


@pytest.mark.parametrize(
    ("old", "new", "line", "column"),
    [
        ("{from: 2026-09, by", "{from: 2029-09, by", 50, 16),  # the deadline as signed
        ("{from: 2026-09, by", "{from: {every: month, from: 2026-01, until: 2029-06}, by", 50, 53),
    ],
)
def test_a_rescheduled_from_outside_the_period_is_a_warning(
    tmp_path: Path, old: str, new: str, line: int, column: int
) -> None:
    """The `from` of a `rescheduled` entry is the due in force before the amendment (the signed
    deadline): every report replayed for an earlier date uses it. A deadline outside the
    document's period there (2029 for 2026) passed without a word, as it would not in `due`."""
    from test_validate_rules import W

    check(tmp_path, sub(old, new, SIGNED), (line, column, W, "deadline-outside-period"))
