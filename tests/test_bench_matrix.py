"""The benchmark matrix's logic (benchmarks/matrix.py, benchmarks/targets.py), nothing timed.

What must hold for `make bench` to measure what it says: every run asks a question no earlier
run asked, the edits keep the repository valid and change one file, the git checkout has the
two commits diff and history read, every command of the matrix runs as written, and the targets
pass or fail by the issue's numbers.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402
import matrix  # noqa: E402
import targets  # noqa: E402
from clirun import run_roadmap  # noqa: E402
from matrix import COLD, FIRST, WARM_EDITED, WARM_NEW  # noqa: E402
from targets import Cell  # noqa: E402

from roadmap_cli.cli import COMMANDS as CLI_COMMANDS  # noqa: E402

# commands of the CLI that the matrix leaves out, and why (none: every command is measured)
NOT_MEASURED: dict[str, str] = {}


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> matrix.Workspace:
    base = tmp_path_factory.mktemp("bench")
    generated = generate.generate(base / "generated", docs=12, measures=9, seed=0)
    return matrix.workspace("12x9", generated, base / "work")


def git(ws: matrix.Workspace, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=ws.root, check=True, capture_output=True, text=True).stdout


def test_every_command_of_the_cli_is_in_the_matrix() -> None:
    measured = {c.name.split()[0] for c in matrix.COMMANDS.values()}
    missing = set(CLI_COMMANDS) - measured - set(NOT_MEASURED)
    assert not missing, f"add {sorted(missing)} to benchmarks/matrix.py COMMANDS (or to NOT_MEASURED here)"


@pytest.mark.parametrize("name", list(matrix.COMMANDS))
def test_each_run_asks_a_new_question(ws: matrix.Workspace, name: str) -> None:
    command = matrix.COMMANDS[name]
    questions = [tuple(matrix.argv(command, ws, k, WARM_NEW)) for k in range(8)]
    # never the question the cache just answered; a command with a date never one asked before
    assert all(a != b for a, b in itertools.pairwise(questions))
    if name not in ("validate", "diff", "history"):
        assert len(set(questions)) == len(questions)


def test_as_of_dates_are_distinct_and_within_the_documents() -> None:
    dates = [matrix.as_of(k) for k in range(matrix.DAYS)]
    assert len(set(dates)) == matrix.DAYS
    assert min(dates) >= "2026-09-01" and max(dates) <= "2028-12-31"


def test_cold_runs_bypass_the_cache_by_option_where_there_is_one(ws: matrix.Workspace) -> None:
    status = matrix.COMMANDS["status"]
    assert "--no-cache" in matrix.argv(status, ws, 3, COLD)
    for mode in (FIRST, WARM_NEW, WARM_EDITED):
        assert "--no-cache" not in matrix.argv(status, ws, 3, mode)
    assert "--no-cache" not in matrix.argv(matrix.COMMANDS["show"], ws, 3, COLD)


@pytest.mark.parametrize(
    ("line", "edited"),
    [
        ("      en: Plain title\n", "      en: Plain title (rev 4)\n"),
        ('      en: "Up to 50 % in Astana"\n', '      en: "Up to 50 % in Astana (rev 4)"\n'),
        ("      en: 'It''s done'\n", "      en: 'It''s done (rev 4)'\n"),
        ("      en: Plain title (rev 3)\n", "      en: Plain title (rev 4)\n"),
        ('      en: "Quoted (rev 12)"\n', '      en: "Quoted (rev 4)"\n'),
    ],
)
def test_edit_title_marks_the_title_and_stays_yaml(line: str, edited: str) -> None:
    text = "title:\n  en: Document\nmeasures:\n  - id: \"1.1\"\n    title:\n" + line
    out = matrix.edit_title(text, 4)
    assert out.endswith(edited)
    assert yaml.safe_load(out)["measures"][0]["title"]["en"].endswith("(rev 4)")


def test_edit_title_marks_every_measure_with_count_0() -> None:
    text = "measures:\n" + "".join(f'  - id: "1.{n}"\n    title:\n      en: Title {n}\n' for n in (1, 2, 3))
    assert matrix.edit_title(text, 7, count=0).count(" (rev 7)\n") == 3
    assert matrix.edit_title(text, 7).count(" (rev 7)\n") == 1


def test_edit_title_refuses_a_file_without_a_measure_title() -> None:
    with pytest.raises(ValueError):
        matrix.edit_title("id: x\n", 1)


@pytest.mark.parametrize(("before", "after"), [(0, 5), (90, 95), (95, 90), (100, 95)])
def test_edit_progress_stays_within_0_and_100(before: int, after: int) -> None:
    assert matrix.edit_progress(f"    progress: {before}\n") == f"    progress: {after}\n"


def test_workspace_is_a_git_checkout_of_two_commits(ws: matrix.Workspace) -> None:
    assert git(ws, "rev-list", "--count", "HEAD").strip() == "2"
    changed = git(ws, "diff", "--name-only", "HEAD~1", "HEAD").split()
    assert changed == [f"roadmaps/{ws.document_file(r).name}" for r, _ in ws.edited]
    assert len(ws.documents) == 12 and ws.agencies and ws.measures


def test_an_edit_changes_one_file_and_the_repository_stays_valid(ws: matrix.Workspace) -> None:
    before = {p: p.read_bytes() for p in ws.folder.iterdir()}
    path = matrix.edit_one_file(ws)
    assert [p for p in ws.folder.iterdir() if p.read_bytes() != before[p]] == [path]
    second = matrix.edit_one_file(ws)
    assert second != path  # another file each time
    done = run_roadmap(["validate", "--strict", str(ws.folder)])
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_every_command_runs_as_the_matrix_writes_it(ws: matrix.Workspace) -> None:
    before = {p.name: p.read_bytes() for p in ws.folder.iterdir()}
    for k, command in enumerate(matrix.COMMANDS.values()):
        if command.prepare is not None:
            command.prepare(ws, k)
        args = matrix.argv(command, ws, k, COLD)
        done = run_roadmap(args, cwd=ws.root if command.cwd_root else ROOT)
        assert done.returncode == 0, (args, done.stderr)
        output = command.written(ws, k)
        if output is None:
            assert done.stdout.strip(), args
        elif output.is_dir():
            assert any(output.iterdir()), args
        else:
            assert output.read_bytes().strip(), args
        if command.cleanup:
            assert output is not None
            matrix.remove(output)
            assert not output.exists()
    # what new and import wrote into the repository is gone: every command reads the same files
    assert {p.name: p.read_bytes() for p in ws.folder.iterdir()} == before


@pytest.mark.slow
def test_the_new_commands_answer_something(ws: matrix.Workspace) -> None:
    """stale finds measures unchanged for weeks (the commits are dated before the benchmark's
    dates); apply's prepared workbook changes measures and none is refused; import reads every
    row of the prepared document; request writes the workbook it is expected to."""
    k = 5
    stale = run_roadmap([*matrix.argv(matrix.COMMANDS["stale"], ws, k, WARM_NEW), "--format", "json"],
                        cwd=ws.root)
    assert stale.returncode == 0 and len(json.loads(stale.stdout)) > 0, stale.stderr
    apply = matrix.COMMANDS["apply"]
    assert apply.prepare is not None
    apply.prepare(ws, k)
    done = run_roadmap(matrix.argv(apply, ws, k, WARM_NEW))
    assert done.returncode == 0, done.stderr
    summary = re.search(r": applied (\d+), unchanged 0, conflicts 0, refused 0$", done.stdout.splitlines()[0])
    assert summary is not None and int(summary.group(1)) > 0, done.stdout[:500]
    assert "evidence: added {title: Protocol of the working group No. 5, date: " in done.stdout
    request = matrix.COMMANDS["request"]
    book = request.written(ws, k)
    assert book is not None and book.name.startswith("request-") and book.name.endswith(".xlsx")
    assert run_roadmap(matrix.argv(request, ws, k, WARM_NEW)).returncode == 0 and book.stat().st_size
    importing = matrix.COMMANDS["import"]
    assert importing.prepare is not None
    importing.prepare(ws, k)
    args = [a for a in matrix.argv(importing, ws, k, WARM_NEW) if a != "-o"][:4] + ["--dry-run"]
    printed = run_roadmap(args)
    assert printed.returncode == 0, printed.stderr
    rows = len(ws.measures) * 3 // len(ws.documents)
    assert printed.stdout.count("\n  - id: ") == rows


def test_only_selects_by_name_or_first_word() -> None:
    assert [c.name for c in matrix.select(["export"])] == ["export ics", "export csv"]
    assert [c.name for c in matrix.select(["overdue --format json"])] == ["overdue --format json"]
    assert len(matrix.select(None)) == len(matrix.COMMANDS)
    with pytest.raises(SystemExit):
        matrix.select(["stauts"])


def cell(command: str, mode: str, size: str, wall: float, floor: float = 1.0, rss_mb: int = 50) -> Cell:
    return Cell(command, mode, size, wall, wall, floor, floor, "floor", rss_mb * targets.MB)


def found(cells: list[Cell]) -> dict[tuple[str, str, str, str], bool]:
    return {(v.size, v.command, v.mode, v.target): v.ok for v in targets.verdicts(cells)}


@pytest.mark.parametrize(
    ("cells", "target", "ok"),
    [
        ([cell("status", WARM_NEW, "100x100", 0.12, floor=0.06)], "<= 2 x `import click, rich.table`", True),
        ([cell("status", WARM_NEW, "100x100", 0.13, floor=0.06)], "<= 2 x `import click, rich.table`", False),
        ([cell("status", WARM_NEW, "1000x100", 1.0)], "<= 1 s", True),
        ([cell("status", WARM_NEW, "1000x100", 1.01)], "<= 1 s", False),
        ([cell("status", COLD, "1000x100", 11.0, floor=11.0)], "<= 1.0 x the CSafeLoader floor", True),
        ([cell("status", COLD, "1000x100", 11.1, floor=11.0)], "<= 1.0 x the CSafeLoader floor", False),
        ([cell("status", COLD, "1000x100", 1, rss_mb=250)], "peak RSS <= 250 MB", True),
        ([cell("status", COLD, "1000x100", 1, rss_mb=251)], "peak RSS <= 250 MB", False),
        ([cell("show", COLD, "100x100", 1.0), cell("show", FIRST, "100x100", 1.2)], "<= 1.2 x cold", True),
        ([cell("show", COLD, "100x100", 1.0), cell("show", FIRST, "100x100", 1.3)], "<= 1.2 x cold", False),
        ([cell("diff", WARM_NEW, "1000x100", 0.5), cell("diff", WARM_EDITED, "1000x100", 1.0)],
         "<= 2 x warm, new question", True),
        ([cell("diff", WARM_NEW, "1000x100", 0.5), cell("diff", WARM_EDITED, "1000x100", 1.1)],
         "<= 2 x warm, new question", False),
        ([cell("update --dry-run", WARM_EDITED, "1000x100", 1.2)], "update warm <= 1 s", False),
        ([cell("status", COLD, "100x100", 2.0), cell("report html", COLD, "100x100", 3.0)],
         "<= 1.5 x cold status", True),
        ([cell("status", COLD, "100x100", 2.0), cell("export ics", COLD, "100x100", 8.1)],
         "<= 1.5 x cold status", False),
        ([cell("status", WARM_NEW, "100x100", 0.1), cell("export csv", WARM_NEW, "100x100", 0.3)],
         "<= 3 x warm status (new question)", True),
        ([cell("status", WARM_NEW, "100x100", 0.1), cell("report markdown", WARM_NEW, "100x100", 0.4)],
         "<= 3 x warm status (new question)", False),
        ([cell("overdue --format json", WARM_NEW, "1000x100", 0.3), cell("overdue", WARM_NEW, "1000x100", 0.6)],
         "table <= 2 x the JSON of the same rows", True),
        ([cell("overdue --format json", WARM_NEW, "1000x100", 0.3), cell("overdue", WARM_NEW, "1000x100", 22)],
         "table <= 2 x the JSON of the same rows", False),
    ],
)
def test_targets_pass_and_fail_by_the_issues_numbers(cells: list[Cell], target: str, ok: bool) -> None:
    last = cells[-1]
    assert found(cells)[(last.size, last.command, last.mode, target)] is ok


def test_a_target_whose_cells_were_not_measured_is_left_out() -> None:
    # --quick has no 1000x100 column; --only report has no status to compare with
    assert found([cell("report html", COLD, "100x100", 3.0)]) == {}
    assert found([cell("status", COLD, "100x100", 3.0)]) == {}


def test_recorded_dates_are_in_the_past_and_within_the_documents() -> None:
    """update --on, apply --on and new --signed refuse a date after today: the matrix must run
    on any day, for any number of runs (a run of 3 x 21 commands once reached December 2026)."""
    from datetime import date

    dates = [matrix.recorded_on(k) for k in range(3 * matrix.RECORDED_DAYS)]
    assert len(set(dates)) == matrix.RECORDED_DAYS
    assert min(dates) >= "2026-01-01" and max(dates) < date.today().isoformat()
    assert max(dates) <= "2026-08-31"  # a day past on the day this was written (2026-11-29)
