"""A corpus of hand-editing mistakes, each made by editing a shipped file the way people do.

Each mistake must get one error that points at the line of the edit (or at the line it names),
names the measure by its id, carries the rule id, and says what to write instead.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_cli.explain import Syntax, explain_syntax, iso_form
from roadmap_cli.load import load_paths
from roadmap_cli.model import Problem, Severity

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "roadmaps"
TODAY = date(2026, 11, 28)

AM = "astana-minsk-2026-2028.yaml"
KB = "kz-by-industrial-cooperation-2026-2028.yaml"
AV = "almaty-region-vitebsk-memorandum-2025.yaml"


class Mistake(NamedTuple):
    name: str
    file: str
    measure: str  # the measure the edit is in: the anchor `- id: "X"` and the expected name
    old: str  # replaced at its first occurrence after the anchor
    new: str
    rule: str
    fix: str  # what the message must say (the suggested fix)
    line_shift: int = 0  # the problem's line relative to the edited line
    named: str | None = None  # the measure's name in the message, when the edit changed its id


CORPUS = [
    # --- indentation ------------------------------------------------------------------------
    Mistake("key indented too far", AM, "1.1", "    status: done\n", "      status: done\n",
            "syntax", "move it to column 5"),
    Mistake("key under the dash", AM, "1.1", "    status: done\n", "  status: done\n",
            "syntax", "in column 5"),
    Mistake("key one space short", AM, "1.1", "    status: done\n", "   status: done\n",
            "syntax", "start it in column 5"),
    Mistake("key one space short, later measure", AM, "3.1", "    due: 2026-Q3\n", "   due: 2026-Q3\n",
            "syntax", "start it in column 5"),
    Mistake("item dash one space in", AM, "1.2", '  - id: "1.2"\n', '   - id: "1.2"\n',
            "syntax", "start every '-' of one list in the same column"),
    Mistake("title language indented too far", KB, "1.2", "      ru: ", "        ru: ",
            "syntax", "move it to column 7"),
    Mistake("tab for indentation", AM, "1.5", "    progress: 60\n", "\tprogress: 60\n",
            "syntax", "indent with spaces"),
    # --- spaces after ':' and '-' --------------------------------------------------------------
    Mistake("no space after colon", AM, "1.1", "    status: done\n", "    status:done\n",
            "syntax", "write 'status: done'"),
    Mistake("no space after colon in due", KB, "1.3", "    due: ", "    due:", "syntax", "write 'due: "),
    Mistake("no space after dash", AM, "1.2", '  - id: "1.2"\n', '  -id: "1.2"\n',
            "syntax", "write '- id: \"1.2\"'"),
    # --- quotes and brackets -------------------------------------------------------------------
    Mistake("unclosed double quote", AM, "1.2", '  - id: "1.2"\n', '  - id: "1.2\n',
            "syntax", 'end the value with "'),
    Mistake("unclosed single quote", AV, "2", '  - id: "2"\n', "  - id: '2\n",
            "syntax", "end the value with '"),
    Mistake("unclosed owners list", AM, "1.2", "    owners: [kz-astana-akimat]\n",
            "    owners: [kz-astana-akimat\n", "syntax", "end it with ]"),
    Mistake("unclosed depends_on", AM, "1.2", '    depends_on: ["1.1"]\n', '    depends_on: ["1.1"\n',
            "syntax", "end it with ]"),
    Mistake("colon forgotten", AM, "1.1", "    status: done\n", "    status done\n",
            "syntax", "e.g. 'status: done'"),
    Mistake("one bracket too many", AM, "1.2", "    owners: [kz-astana-akimat]\n",
            "    owners: [kz-astana-akimat]]\n", "syntax", "one ']' too many"),
    Mistake("quotes inside a quoted title", AM, "1.5", "      en: Hold a New Year fair of Minsk manufacturers in Astana\n",
            '      en: "Hold a "New Year" fair"\n', "syntax", "write a quote as \\\""),
    Mistake("colon inside a title", AM, "1.5", "      en: Hold a New Year fair",
            "      en: Hold: a New Year fair", "syntax", "put the whole value in quotes"),
    Mistake("value starting with @", AM, "1.2", "    due: 2026-09\n", "    due: @2026-09\n",
            "syntax", "put the whole value in quotes"),
    # --- the schema ----------------------------------------------------------------------------
    Mistake("status misspelt", AM, "1.3", "    status: blocked\n", "    status: bloked\n",
            "schema-enum", "did you mean 'blocked'?"),
    Mistake("status capitalised", AM, "3.1", "    status: done\n", "    status: Done\n",
            "schema-enum", "did you mean 'done'?"),
    Mistake("status in words", AM, "1.5", "    status: in_progress\n", "    status: in progress\n",
            "schema-enum", "did you mean 'in_progress'?"),
    Mistake("status in Russian", AM, "2.3", "    status: not_started\n", "    status: не начато\n",
            "schema-enum", "not_started, in_progress, done, blocked, cancelled"),
    Mistake("key misspelt", AM, "1.5", "    progress: 60\n", "    progres: 60\n",
            "schema-unknown-key", "did you mean 'progress'?"),
    Mistake("unquoted id", AM, "2.3", '  - id: "2.3"\n', "  - id: 2.3\n",
            "unquoted-id", 'quote it: "2.3"'),
    Mistake("progress over 100", AM, "1.5", "    progress: 60\n", "    progress: 160\n",
            "schema-range", "at most 100"),
    Mistake("progress with a percent sign", AM, "1.5", "    progress: 60\n", "    progress: 60%\n",
            "schema-type", "expected a whole number"),
    Mistake("owners emptied", AM, "2.3", "    owners: [kz-astana-akimat, by-minsk-cec]\n",
            "    owners: []\n", "schema-empty", "needs at least 1 item"),
    # --- dates ---------------------------------------------------------------------------------
    Mistake("due as dd.mm.yyyy", AM, "1.5", "    due: 2026-12-10\n", "    due: 10.12.2026\n",
            "date-format", "write it as 2026-12-10"),
    Mistake("completed as dd/mm/yyyy", AM, "3.1", "    completed: 2026-09-12\n",
            "    completed: 12/09/2026\n", "date-format", "write it as 2026-09-12"),
    Mistake("completed as yyyy.mm.dd", AM, "2.1", "    completed: 2026-07-14\n",
            "    completed: 2026.07.14\n", "date-format", "write it as 2026-07-14"),
    Mistake("completed in Russian words", AV, "2", "    completed: 2026-05-28\n",
            "    completed: 28 мая 2026\n", "date-format", "write it as 2026-05-28"),
    Mistake("due as a quarter in words", AM, "2.3", "    due: 2027-Q3\n", "    due: III квартал 2027\n",
            "date-format", "write it as 2027-Q3"),
    Mistake("impossible day", AM, "1.5", "    due: 2026-12-10\n", "    due: 2026-11-31\n",
            "impossible-date", "November 2026 has 30 days"),
    Mistake("completed year mistyped into the future", AM, "3.1", "    completed: 2026-09-12\n",
            "    completed: 2062-09-12\n", "completed-in-future", "check the year"),
    # --- the rules -----------------------------------------------------------------------------
    Mistake("owner id misspelt", AM, "2.3", "    owners: [kz-astana-akimat, by-minsk-cec]\n",
            "    owners: [kz-astana-akimat, by-minsk-cek]\n", "unknown-agency", "did you mean 'by-minsk-cec'?"),
    Mistake("depends_on names no measure", AM, "3.2", '    depends_on: ["3.1"]\n',
            '    depends_on: ["3.10"]\n', "unknown-dependency", "did you mean '3.1'?"),
    Mistake("done without completed", AM, "2.3", "    status: not_started\n", "    status: done\n",
            "done-without-completed", "add `completed: YYYY-MM-DD`"),
    Mistake("blocked without reason", AM, "1.2", "    status: in_progress\n", "    status: blocked\n",
            "missing-reason", "add `reason: ...`"),
    Mistake("a key written twice", AM, "1.5", "    progress: 60\n", "    progress: 60\n    progress: 65\n",
            "duplicate-key", "duplicate key 'progress' (first at line 108)", line_shift=1),
    Mistake("measure id duplicated", AM, "1.5", '  - id: "1.5"\n', '  - id: "1.4"\n',
            "duplicate-measure-id", "give each measure its own id", named="1.4"),
]


def _edit(text: str, m: Mistake) -> tuple[str, int]:
    """The file with the mistake made, and the 1-based line of the edit."""
    anchor = text.index(f'  - id: "{m.measure}"\n')
    at = text.index(m.old, anchor)
    return text[:at] + m.new + text[at + len(m.old):], text.count("\n", 0, at) + 1 + m.old.count("\n", 0, 0)


def _problems(tmp_path: Path, m: Mistake) -> tuple[list[Problem], int]:
    folder = tmp_path / "roadmaps"
    shutil.copytree(SHIPPED, folder)
    path = folder / m.file
    text, line = _edit(path.read_text(encoding="utf-8"), m)
    path.write_text(text, encoding="utf-8")
    repo = load_paths([str(folder)], today=TODAY)
    return repo.errors, line


def test_the_corpus_is_big_enough() -> None:
    assert len(CORPUS) >= 30
    assert len({m.name for m in CORPUS}) == len(CORPUS)


def test_the_shipped_files_have_no_errors() -> None:
    assert load_paths([str(SHIPPED)], today=TODAY).errors == []


@pytest.mark.parametrize("mistake", CORPUS, ids=[m.name for m in CORPUS])
def test_each_mistake_is_explained(tmp_path: Path, mistake: Mistake) -> None:
    errors, line = _problems(tmp_path, mistake)
    assert len(errors) == 1, errors
    p = errors[0]
    assert p.severity is Severity.ERROR
    assert p.file.endswith(mistake.file)
    assert (p.rule, p.line) == (mistake.rule, line + mistake.line_shift), p
    assert p.column >= 1
    assert p.message.startswith(f"measure {mistake.named or mistake.measure}: "), p.message
    assert mistake.fix in p.message, p.message
    assert "\n" not in p.message


# --- the explanations never fail, whatever the text ---------------------------------------------

_LINES = st.lists(
    st.text(alphabet=st.sampled_from(list(" \t-:#'\"[]{},abc1.\n")), max_size=30), max_size=12
)


@pytest.mark.fuzz
@settings(max_examples=300, deadline=None)
@given(
    lines=_LINES,
    line=st.integers(-2, 15),
    column=st.integers(-2, 40),
    context=st.sampled_from(["", "while parsing a flow sequence", "while scanning a quoted scalar",
                             "while parsing a block mapping", "while scanning a simple key"]),
    problem=st.sampled_from(["mapping values are not allowed in this context", "did not find expected key",
                             "found character that cannot start any token", "expected <block end>"]),
    context_line=st.one_of(st.none(), st.integers(-2, 15)),
)
def test_an_explanation_is_one_line_for_any_text(
    lines: list[str], line: int, column: int, context: str, problem: str, context_line: int | None
) -> None:
    text = "\n".join(lines)
    pos, message = explain_syntax(text, Syntax(problem, context, line, column, context_line, column))
    assert pos[0] >= 1 and pos[1] >= 1
    assert message and "\n" not in message
    assert problem in message


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("31.12.2026", "2026-12-31"), ("31/12/2026", "2026-12-31"), ("2026.12.31", "2026-12-31"),
        ("31 декабря 2026", "2026-12-31"), ("31 декабря 2026 года", "2026-12-31"),
        ("December 31, 2026", "2026-12-31"), ("12/31/2026", "2026-12-31"), ("2026-1-5", "2026-01-05"),
        ("1.2.2026", "2026-02-01"), ("Q4 2026", "2026-Q4"), ("2026 Q4", "2026-Q4"),
        ("IV квартал 2026", "2026-Q4"), ("4 квартал 2026 г.", "2026-Q4"), ("декабрь 2026", "2026-12"),
        ("31.02.2026", None), ("1.10", None), ("ongoing", None), ("soon", None), ("32.01.2026", None),
        ("10.2026", "2026-10"), ("3.2026 г.", "2026-03"), ("10/2026", "2026-10"), ("13.2026", None),
    ],
)
def test_iso_form(written: str, iso: str | None) -> None:
    assert iso_form(written) == iso
