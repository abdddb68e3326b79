"""A reader that goes away (``roadmap ... | head``, a pager quit early) ends a command that only
reads quietly, with exit 0; a command that writes files finishes writing them all the same, and
its exit code is its work's. The installed script, in its own process, its standard output a
pipe whose reader has gone before the first line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from roadmap_cli import cycle

SCRIPT = Path(sys.executable).parent / "roadmap"
KZBY = "kz-by-industrial-cooperation-2026-2028"


@pytest.fixture(autouse=True)
def _installed() -> None:
    if not SCRIPT.exists():
        pytest.skip("the roadmap console script is not installed (run `make test`)")


def gone(cwd: Path, *args: str) -> tuple[int, str]:
    """Exit code and standard error of ``roadmap ARGS`` whose standard output nobody reads."""
    env = {**os.environ, "NO_COLOR": "1", "ROADMAP_NO_CACHE": "1", "ROADMAP_LANG": "en"}
    with subprocess.Popen([str(SCRIPT), *args], cwd=cwd, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as run:
        assert run.stdout is not None and run.stderr is not None
        run.stdout.close()
        err = run.stderr.read().decode("utf-8", "replace")
        return run.wait(timeout=120), err


@pytest.mark.parametrize("args", [
    ["show", KZBY, "--as-of", "2026-11-28"],
    ["show", f"{KZBY}/1.1", "--format", "json"],
    ["indicators", "--as-of", "2027-06-30"],
    ["overdue", "--as-of", "2027-06-30"],
    ["agencies", "--format", "csv"],
    ["validate"],
])
def test_a_command_that_reads_ends_quietly(shipped_copy: Path, args: list[str]) -> None:
    assert gone(shipped_copy, *args) == (0, "")


def test_init_writes_every_file(tmp_path: Path) -> None:
    code, err = gone(tmp_path, "init", "repo", "--agency", "kz-mic", "--name", "Ministry", "--country", "KZ")
    assert (code, err) == (0, "")
    for name in ("roadmaps/agencies.yaml", "schemas/roadmap.schema.json", ".gitignore",
                 ".github/workflows/roadmaps.yml"):
        assert (tmp_path / "repo" / name).is_file(), name
    assert (tmp_path / "repo" / ".git").is_dir()


def test_request_and_apply_write_their_files(shipped_copy: Path) -> None:
    assert gone(shipped_copy, "request", "--agency", "kz-mic", "--as-of", "2026-11-01", "-o", "out") == (0, "")
    book = shipped_copy / "out" / "request-kz-mic-2026-11-01.xlsx"
    wb = openpyxl.load_workbook(book)
    sheet = wb["measures"]
    col = {cell.value: n for n, cell in enumerate(sheet[cycle.KEY_ROW], start=1)}
    rows = range(cycle.FIRST_ROW, sheet.max_row + 1)
    for row in rows:
        sheet.cell(row, col["evidence_title"]).value = "Protocol of the working group No. 9"
    wb.save(book)
    before = (shipped_copy / "roadmaps" / f"{KZBY}.yaml").read_text(encoding="utf-8")
    assert gone(shipped_copy, "apply", str(book), "--on", "2026-11-02") == (0, "")
    after = (shipped_copy / "roadmaps" / f"{KZBY}.yaml").read_text(encoding="utf-8")
    answered = [r for r in rows if sheet.cell(r, col["roadmap"]).value == KZBY]
    assert answered and after.count("Protocol of the working group No. 9") == len(answered)
    assert before.count("Protocol of the working group No. 9") == 0
