"""`roadmap export --format xlsx`: the CSV's rows as a workbook of typed cells."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from gitrepo import Repo, run

AS_OF = "2026-11-22"


@pytest.fixture
def repo(git_repo: Repo) -> Repo:
    return git_repo


def test_the_workbook_holds_the_csv_rows_typed(repo: Repo) -> None:
    done = run("export", "--format", "xlsx", "--as-of", AS_OF, "-o", "m.xlsx")
    assert done.code == 0, done.err
    assert run("export", "--format", "csv", "--as-of", AS_OF, "-o", "m.csv").code == 0
    table = list(csv.reader(io.StringIO(Path("m.csv").read_text(encoding="utf-8"))))
    ws = openpyxl.load_workbook("m.xlsx")["measures"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert cells[0] == table[0]
    assert len(cells) == len(table) == 6
    head = table[0]
    for got, want in zip(cells[1:], table[1:], strict=True):
        for key, value, text in zip(head, got, want, strict=True):
            if isinstance(value, datetime):
                assert value.date().isoformat() == text, key
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                assert float(text) == value, key
            elif value is None:
                assert text == "", key
            elif isinstance(value, bool):
                assert str(value).lower() == text.lower(), key
            else:
                assert value == text, key
    first = next(dict(zip(head, row, strict=True)) for row in cells[1:]
                 if row[:2] == ["kz-by-test", "1.1"])
    assert first["deadline"] == datetime(2026, 6, 30)
    assert first["fraction_pct"] == 50 and not isinstance(first["fraction_pct"], str)
    assert first["progress"] == 50
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(head))}6"
    widths = {k: ws.column_dimensions[openpyxl.utils.get_column_letter(n + 1)].width
              for n, k in enumerate(head)}
    assert widths["measure"] == len("measure") + 2
    assert widths["title"] == len("Report on joint ventures every quarter") + 2
    assert widths["deadline"] == 12


def test_a_title_that_looks_like_a_formula_is_text(repo: Repo) -> None:
    repo.edit("roadmaps/kz-by-test.yaml", "title: {en: Hold a business forum, ru: Провести бизнес-форум}",
              "title: {en: '=cmd|'' /C calc''!A0'}")
    assert run("export", "--format", "xlsx", "-o", "m.xlsx").code == 0
    ws = openpyxl.load_workbook("m.xlsx")["measures"]
    cell = next(row[2] for row in ws.iter_rows() if row[1].value == "1.1")
    assert (cell.value, cell.data_type) == ("=cmd|' /C calc'!A0", "s")


def test_xlsx_is_not_written_to_a_terminal(repo: Repo) -> None:
    # piped: the bytes go to stdout
    done = subprocess.run([sys.executable, "-m", "roadmap_cli", "export", "--format", "xlsx"],
                          cwd=repo.root, capture_output=True, check=False)
    assert done.returncode == 0 and done.stdout[:4] == b"PK\x03\x04"
