"""Property: whatever a table holds, the importer writes a file that validates (warnings only),
or refuses it with a message; never an exception, never an invalid file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from roadmap_cli.commands.update import problems_of, with_file
from roadmap_cli.docx_read import Cell, Table
from roadmap_cli.import_header import TableError, choose_table
from roadmap_cli.import_table import read_table
from roadmap_cli.import_write import Options, render
from roadmap_cli.load import load_sources
from roadmap_cli.model import Severity
from roadmap_cli.sources import find_files, read_sources

pytestmark = pytest.mark.fuzz

SHIPPED = Path(__file__).resolve().parent.parent / "roadmaps"
SOURCES = read_sources(find_files([str(SHIPPED)]))
AGENCIES = load_sources(SOURCES).agencies

HEADERS = ["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственные исполнители",
           "Ожидаемый результат", "Соисполнители", "Примечание", "Источник"]
TEXTS = st.sampled_from([
    "", "1", "1.1", "1.1.", "2.", "II", "Раздел 3. Торговля", "1. Промышленность", "А", "Сборка\nтракторов",
    "IV квартал 2026 г.", "ежегодно, до 15 января", "постоянно", "по мере необходимости", "2027 г.",
    "в течение 6 месяцев после вступления в силу Соглашения", "в течение 30 дней после выполнения п. 1.1",
    "в течение 30 дней после выполнения п. 1", "до 1 июля 2026 г.", "2026–2028 гг.", "к сезону",
    "МИИР РК", "Минпром, МТЗ", "Минпромм", "Управление культуры", "МТИ РК (головной)\nМИИР РК",
    "TODO", "TODO: x", "«»", ": # - [", "\u202e", "ежегодно, 2026–2028 гг.",
])


@st.composite
def tables(draw: st.DrawFn) -> Table:
    width = draw(st.integers(3, 8))
    header = draw(st.permutations(HEADERS))[:width]
    if draw(st.booleans()):
        header[0], header[1] = "Наименование мероприятия", "Срок исполнения"
    rows = [tuple(Cell(h, j + 1) for j, h in enumerate(header))]
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.integers(0, 6)) == 0:
            rows.append((Cell(draw(TEXTS), 1, width),))
            continue
        rows.append(tuple(Cell(draw(TEXTS), j + 1) for j in range(width)))
    return Table(1, tuple(rows), width)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_any_table_gives_a_valid_file_or_a_refusal(table: Table) -> None:
    try:
        chosen, header = choose_table([table], None)
    except TableError as e:
        assert e.message
        event("refused")
        return
    imported = read_table(chosen, header, AGENCIES, "ru")
    assert all(m.row is None or 1 <= m.row <= len(table.rows) for m in imported.messages)
    if not imported.measures:
        event("no measures")
        return
    event("measures written")
    options = Options(
        id="prop-plan", kind="roadmap", title="План", parties=("kz-mic", "by-minprom"),
        signed=date(2025, 11, 5), place=None, start=date(2026, 1, 1), end=date(2028, 12, 31),
        lang="ru", source="t.docx", today=date(2026, 11, 28),
    )
    text = render(imported, options)
    name = str(SHIPPED / "prop-plan.yaml")
    problems = problems_of(with_file(SOURCES, name, text.encode("utf-8")), name)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert errors == [], text
