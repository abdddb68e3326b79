"""`--no-cache` on every command that reads the roadmaps: with it, a command answers as it does
without it and neither reads nor writes a cache entry (as ROADMAP_NO_CACHE=1 does). A user who
was told "try it with --no-cache" must not meet "No such option" on one command of the set."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from clirun import invoke as run
from gitrepo import Repo

from roadmap_cli import cycle

AS_OF = "2026-03-01"
BOOK = "out/request-kz-mic-2026-03-01.xlsx"

#: every command that reads a roadmap folder, with arguments that succeed on gitrepo's data
#: (init reads none: it creates one)
COMMANDS = {
    "validate": ["validate"],
    "status": ["status", "--as-of", AS_OF],
    "overdue": ["overdue", "--as-of", "2026-12-01"],
    "upcoming": ["upcoming", "--as-of", AS_OF],
    "agencies": ["agencies", "--as-of", AS_OF],
    "show": ["show", "kz-by-test/1.1", "--as-of", AS_OF],
    "indicators": ["indicators"],
    "export": ["export", "--format", "csv", "--as-of", AS_OF],
    "report": ["report", "--format", "markdown", "--as-of", AS_OF],
    "diff": ["diff", "v1"],
    "history": ["history", "kz-by-test/1.1"],
    "stale": ["stale", "--as-of", AS_OF],
    "update": ["update", "kz-by-test/1.1", "--progress", "60", "--dry-run"],
    "new": ["new", "kz-by-extra-2026", "--party", "kz-mic,by-minprom", "--period", "2026-2027",
            "--signed", "2026-01-15"],
    "request": ["request", "--agency", "kz-mic", "--as-of", AS_OF, "-o", "out"],
    "apply": ["apply", BOOK, "--dry-run", "--on", AS_OF],
}


@pytest.fixture
def cached(git_repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """gitrepo's repository with the cache on, in ``tmp_path/cache`` (returned)."""
    monkeypatch.delenv("ROADMAP_NO_CACHE", raising=False)
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path / "cache"


def _answered_book() -> None:
    """The workbook `apply` reads: kz-mic's request with one row answered (made without the
    cache, so that the cache folder holds nothing before the command tested)."""
    done = run("request", "--agency", "kz-mic", "--as-of", AS_OF, "-o", "out", "--no-cache")
    assert done.code == 0, done.err
    wb = openpyxl.load_workbook(BOOK)
    ws = wb["measures"]
    keys = [c.value for c in ws[cycle.KEY_ROW]]
    ws.cell(cycle.FIRST_ROW, keys.index("progress") + 1).value = 70
    wb.save(BOOK)


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file() and p.name != "key") if cache.exists() else []


@pytest.mark.parametrize("name", list(COMMANDS))
def test_no_cache_neither_reads_nor_writes_the_cache(cached: Path, name: str) -> None:
    if name == "apply":
        _answered_book()
    args = COMMANDS[name]
    without = run(*args, "--no-cache")
    assert without.code == 0, without.err
    assert _entries(cached) == [], f"{name} --no-cache wrote cache entries"
    if name == "new":  # it wrote the new document: the second run would find it there
        Path("roadmaps/kz-by-extra-2026.yaml").unlink()
    with_cache = run(*args)
    assert with_cache.code == 0, with_cache.err
    assert (with_cache.out, with_cache.err) == (without.out, without.err)
    if name not in ("history",):  # history reads revisions git holds; the rest fill the cache
        assert _entries(cached) != [], f"{name} without --no-cache wrote no entry"


def test_every_command_that_reads_roadmaps_is_listed() -> None:
    from roadmap_cli.cli import COMMANDS as TABLE

    readers = set(TABLE) - {"init", "import"}  # import: tests/test_import_cli.py (a .docx)
    assert readers == set(COMMANDS)
