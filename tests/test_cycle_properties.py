"""Properties of reading answers: whatever a cell or a file holds, the answer is a located
problem or an update, never an exception."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from gitrepo import AGENCIES, ROADMAP
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from roadmap_cli import answers, cycle, edit, sheets
from roadmap_cli.cycle import Cell
from roadmap_cli.load import load_paths

AS_OF = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, bytes, bytes]:
    folder = tmp_path_factory.mktemp("cycle") / "roadmaps"
    folder.mkdir()
    (folder / "agencies.yaml").write_text(AGENCIES, encoding="utf-8")
    (folder / "kz-by-test.yaml").write_text(ROADMAP, encoding="utf-8")
    repo = load_paths([str(folder)])
    assert not repo.errors
    rows = cycle.request_rows(repo.roadmaps, "kz-mic", AS_OF, "ru")
    return repo, sheets.request_workbook(rows, "ru", "kz-mic", AS_OF), sheets.request_csv(rows, "ru")


cell_values = st.one_of(
    st.none(), st.text(max_size=30), st.integers(-10**6, 10**6),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2199, 12, 31)),
    st.sampled_from(["80%", "31.12.2026", "12/31/2026", "в работе", "done", "2026-Q1",
                     "2026-Q1; 2026-Q2", "x=1", "=1+1", "https://gov.kz/a", " ", "\x00"]),
)


@pytest.mark.fuzz
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(cycle.ANSWER_KEYS), cell_values, min_size=1))
def test_any_answer_is_a_problem_or_an_edit(shipped: tuple[Any, bytes, bytes],
                                             answer: dict[str, Any]) -> None:
    repo = shipped[0]
    rm = repo.roadmaps[0]
    m = next(x for x in rm.measures if x.id == "1.3")
    row = cycle.request_rows([rm], "kz-mic", AS_OF, "en")[1]
    row.update(answer)
    cells = {k: Cell(v, f"measures!{k}") for k, v in row.items()}
    plan = answers.plan_row("f.xlsx", cells, {(rm.id, m.id): (rm, m)}, dt.date(2026, 4, 5))
    if plan is None:
        assert not answers.answered(cells)
        return
    assert plan.conflict is None
    for p in plan.problems:
        assert p.where and p.where.startswith("measures!") and p.rule.startswith("apply-")
    if plan.update is not None:
        assert not plan.problems
        text = Path(rm.file).read_text(encoding="utf-8")
        try:
            result = edit.update_measure(text, "1.3", plan.update, dt.date(2026, 4, 5))
        except edit.EditError:
            return
        assert result.text.startswith(text[:40])


@pytest.mark.fuzz
# the shipped repository and workbook bytes are fixtures: their repr is large and never useful
@pytest.mark.filterwarnings("ignore:Generating overly large repr")
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(["xlsx", "csv"]),
    edits=st.lists(st.tuples(st.integers(0, 2**24), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.integers(0, 2**24),
)
@example(kind="csv", edits=[(0, 0x98)], cut=0)  # a byte cp1251 leaves undefined: was a traceback
def test_a_damaged_file_is_never_an_exception(shipped: tuple[Any, bytes, bytes], tmp_path: Path,
                                              kind: str, edits: list[tuple[int, int]], cut: int) -> None:
    # every choice is drawn up front, independently of the file (its length changes with the
    # code that writes it): hypothesis replays the same choices as the same damage
    original = bytearray(shipped[1] if kind == "xlsx" else shipped[2])
    for position, value in edits:
        original[position % len(original)] = value
    path = tmp_path / f"answer.{kind}"
    path.write_bytes(bytes(original[: 1 + cut % len(original)]))
    table = sheets.read_table(str(path))
    for p in table.problems:
        assert str(p).startswith(str(path))
    for row in table.rows:
        assert set(row) <= set(cycle.KEYS)


def test_a_csv_neither_utf8_nor_cp1251_is_refused_not_raised(tmp_path: Path) -> None:
    """0x98 is undefined in cp1251 too (a case hypothesis found): a located problem, no traceback."""
    path = tmp_path / "answer.csv"
    path.write_bytes(b"\x98roadmap,measure\r\nkz-by-test,1.3\r\n")
    table = sheets.read_table(str(path))
    assert table.problems
    for p in table.problems:
        assert str(p).startswith(str(path))
