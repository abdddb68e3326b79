"""The round trip import -> validate -> status on the sample shipped in examples/ (a two-party
roadmap of 40 rows with sections, abbreviations and merged cells), from a fresh layout of the
repository's files, and the README's example of it."""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from clirun import run_roadmap
from docx_build import build

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "kz-by-machinery-sample.docx"
GOLDEN = ROOT / "tests" / "golden" / "import" / "kz-by-machinery-2026-2028.yaml"
ID = "kz-by-machinery-2026-2028"


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """The files a fresh clone has: roadmaps/, schemas/ and examples/ (no cache, no state)."""
    for folder in ("roadmaps", "schemas", "examples"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def _imported(fresh: Path) -> tuple[str, str]:
    done = run_roadmap(["import", "examples/kz-by-machinery-sample.docx", "--id", ID], cwd=fresh)
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


@pytest.mark.slow
def test_sample_round_trip(fresh: Path) -> None:
    out, _ = _imported(fresh)
    text = (fresh / "roadmaps" / f"{ID}.yaml").read_text(encoding="utf-8")
    shown = text.replace(date.today().isoformat(), "TODAY", 1)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(shown, encoding="utf-8")
    assert shown == GOLDEN.read_text(encoding="utf-8")
    assert out.startswith(f"created roadmaps/{ID}.yaml: 34 measures in 5 sections, parties kz-mic, by-minprom,")

    checked = run_roadmap(["validate", "--format", "json"], cwd=fresh)
    assert checked.returncode == 0, checked.stdout
    mine = [p for p in json.loads(checked.stdout) if p["file"].endswith(f"{ID}.yaml")]
    # the TODOs the import left, and measure 1.6's deadline, a month after the signing
    # (2025-12-05), before the period's start: the contract's warning
    assert [(p["severity"], p["rule"]) for p in mine] == [
        ("warning", "deadline-outside-period"), ("warning", "todo"), ("warning", "todo")]

    status = run_roadmap(["status", "--format", "json", "--as-of", "2026-12-31", "--roadmap", ID], cwd=fresh)
    assert status.returncode == 0, status.stderr
    (row,) = json.loads(status.stdout)
    assert (row["roadmap"], row["measures"], row["not_started"], row["done"]) == (ID, 34, 34, 0)
    assert row["overdue"] > 0  # the deadlines of 2026 have passed and nothing is done

    overdue = run_roadmap(["overdue", "--format", "json", "--as-of", "2026-12-31", "--roadmap", ID], cwd=fresh)
    items = {(i["measure"], i["deadline"]) for i in json.loads(overdue.stdout)}
    assert ("1.1", "2026-03-31") in items  # I квартал 2026 г.
    assert ("2.5", "2026-06-30") in items  # июнь 2026 г.
    assert ("1.6", "2025-12-05") in items  # a month after the signing of this document


def test_sample_import_reads_every_form(fresh: Path) -> None:
    _imported(fresh)
    from roadmap_cli.load import load_paths

    repo = load_paths([str(fresh / "roadmaps")])
    (rm,) = [r for r in repo.roadmaps if r.id == ID]
    due = {m.id: m.due.raw for m in rm.measures}
    assert due["1.1"] == "2026-Q1"
    assert due["1.2"] == {"every": "half"}
    assert due["1.3"] == {"every": "year", "grace": 14}
    assert due["1.4"] == {"every": "quarter", "grace": 9}
    assert due["1.5"] == "ongoing"
    assert due["2.2"] == "2027-H2"
    assert due["2.3"] == "2027"
    assert due["2.4"] == "2027-06-30"
    assert due["2.5"] == "2026-06"
    assert due["2.6"] == due["2.7"] == "2028"  # "2026–2028 гг.", merged over two rows: by its end
    assert due["3.1"] == {"after": "entry-into-force", "within": "6m"}
    assert due["3.2"] == {"after": "3.1", "within": "3m"}
    assert due["3.3"] == due["3.5"] == "on_request"
    assert due["4.4"] == "TODO"
    assert due["5.4"] == {"every": "year", "from": "2026", "until": "2028"}
    owners = {m.id: (m.owners, m.co_executors) for m in rm.measures}
    assert owners["1.3"] == (("kz-mic",), ("by-minprom",))  # a merged responsible cell
    assert owners["2.2"] == (("by-gomselmash",), ("kz-mic", "kz-astana-akimat"))
    assert owners["5.3"] == (("TODO: ТОО «КазАгроИнновация»",), ("by-mtz",))
    sections = [s["id"] for s in rm.raw["sections"]]
    assert sections == ["1", "2", "3", "4", "5"]
    assert {m.raw["section"] for m in rm.measures if m.id.startswith("4.")} == {"4"}
    events = {e["id"]: e for e in rm.raw["events"]}
    assert events == {
        "signing": {"id": "signing", "title": {"ru": "Подписание Дорожной карты"}, "date": "2025-11-05"},
        "entry-into-force": {"id": "entry-into-force", "title": {"ru": "Вступление в силу Соглашения о лизинге"}},
    }


@pytest.mark.slow
def test_phrases_of_the_issue_validate(fresh: Path, tmp_path: Path) -> None:
    """Each deadline form of the issue, one per row, imports into a file that validates."""
    rows = [
        ["1", "А", "IV квартал 2026 г.", "МИИР РК"],
        ["2", "Б", "4 квартал 2026 года", "Минпром"],
        ["3", "В", "II полугодие 2027 г.", "МИИР РК"],
        ["4", "Г", "2027 г.", "МИИР РК"],
        ["5", "Д", "2027 год", "МИИР РК"],
        ["6", "Е", "июнь 2026 г.", "МИИР РК"],
        ["7", "Ж", "до 1 июля 2026 г.", "МИИР РК"],
        ["8", "З", "31 декабря 2026 г.", "МИИР РК"],
        ["9", "И", "постоянно", "МИИР РК"],
        ["10", "К", "на постоянной основе", "МИИР РК"],
        ["11", "Л", "по мере необходимости", "МИИР РК"],
        ["12", "М", "по согласованию сторон", "МИИР РК"],
        ["13", "Н", "ежегодно", "МИИР РК"],
        ["14", "О", "ежеквартально", "МИИР РК"],
        ["15", "П", "ежемесячно", "МИИР РК"],
        ["16", "Р", "раз в полугодие", "МИИР РК"],
        ["17", "С", "ежегодно, до 15 января", "МИИР РК"],
        ["18", "Т", "в течение 6 месяцев после вступления в силу Соглашения", "МИИР РК"],
        ["19", "У", "2026–2028 гг.", "МИИР РК"],
        ["20", "Ф", "Q4 2026", "МИИР РК"],
        ["21", "Х", "by 1 July 2026", "МИИР РК"],
        ["22", "Ц", "annually", "МИИР РК"],
        ["23", "Ч", "within six months of entry into force of the Agreement", "МИИР РК"],
        ["24", "Ш", "неясно когда", "МИИР РК"],
    ]
    build(fresh / "all.docx", rows, header=["№", "Мероприятие", "Срок", "Исполнители"])
    done = run_roadmap(["import", "all.docx", "--id", "all-forms"], cwd=fresh)
    assert done.returncode == 0, done.stderr
    assert "24 measures in 0 sections" in done.stdout and "1 TODO(s)" in done.stdout
    checked = run_roadmap(["validate"], cwd=fresh)
    assert checked.returncode == 0, checked.stdout
    text = (fresh / "roadmaps" / "all-forms.yaml").read_text(encoding="utf-8")
    dues = re.findall(r"^    due: (.*?)(?:  # .*)?$", text, re.MULTILINE)
    assert dues == [
        "2026-Q4", "2026-Q4", "2027-H2", '"2027"', '"2027"', "2026-06", "2026-06-30", "2026-12-31",
        "ongoing", "ongoing", "on_request", "on_request", "{every: year}", "{every: quarter}",
        "{every: month}", "{every: half}", "{every: year, grace: 14}",
        "{after: entry-into-force, within: 6m}", '"2028"', "2026-Q4", "2026-07-01", "{every: year}",
        "{after: entry-into-force-2, within: 6m}", "TODO",
    ]


def test_readme_shows_the_sample_import(fresh: Path) -> None:
    out, err = _imported(fresh)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ roadmap import examples/kz-by-machinery-sample.docx --id kz-by-machinery-2026-2028\n", 1)[1]
    block = block.split("```", 1)[0]
    assert block == err + out


@pytest.mark.slow
def test_shipped_sample_is_what_its_generator_writes(tmp_path: Path) -> None:
    import importlib.util

    from roadmap_cli.docx_read import read

    spec = importlib.util.spec_from_file_location("make_sample_docx", ROOT / "examples" / "make_sample_docx.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = read(str(module.write(tmp_path / "sample.docx")))
    shipped = read(str(SAMPLE))
    assert made == shipped
    assert len(shipped.tables[0].rows) == 40
