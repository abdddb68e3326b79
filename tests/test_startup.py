"""Lazy start-up: what each invocation imports, checked in a fresh interpreter.

`roadmap --help` and `--version` import none of rich, yaml, jsonschema, fastjsonschema or
dateutil; a command's --help imports no reader and no renderer; validating valid files never
imports jsonschema (a compiled validity check decides; jsonschema only explains invalid
documents); JSON output never imports rich, and a table off a terminal none of rich but
`rich.cells`.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from roadmap_cli.cli import COMMANDS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
HEAVY = {"rich", "yaml", "jsonschema", "fastjsonschema", "dateutil"}

_PROBE = """
import sys
from roadmap_cli.cli import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as e:
    code = e.code
print('IMPORTED=' + ','.join(sorted(sys.modules)), file=sys.stderr)
sys.exit(code)
"""


def imported(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> tuple[int, set[str], str]:
    """Exit code, the modules imported (and their top-level packages), and stdout of one run in
    a new interpreter."""
    environ = {**os.environ, "PYTHONPATH": str(ROOT), "ROADMAP_NO_CACHE": "1", **(env or {})}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, cwd=cwd, env=environ,
        timeout=120, check=False,
    )
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("IMPORTED="), done.stderr
    names = set(last[len("IMPORTED="):].split(","))
    return done.returncode, names | {n.split(".")[0] for n in names}, done.stdout


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_nothing_heavy(flag: str) -> None:
    code, modules, out = imported(flag)
    assert code == 0 and out
    assert modules & HEAVY == set()
    # and no command module either: the group lists them from a table
    assert not any(m.startswith("roadmap_cli.commands.") for m in modules)
    # nor locale: click words messages as its decorators run, through our catalog (the
    # standard library's gettext would search the system's catalogs and import locale)
    assert "locale" not in modules


def test_help_lists_every_available_command() -> None:
    _, _, out = imported("--help")
    for name, (module, help_text) in COMMANDS.items():
        if importlib.util.find_spec(f"roadmap_cli.commands.{module}") is not None:
            assert name in out and help_text[:30] in out


_AVAILABLE = [n for n, (m, _) in COMMANDS.items() if importlib.util.find_spec(f"roadmap_cli.commands.{m}")]


@pytest.mark.parametrize("name", _AVAILABLE)
def test_a_commands_help_imports_no_reader_and_no_renderer(name: str) -> None:
    code, modules, out = imported(name, "--help")
    assert code == 0 and "Usage:" in out
    assert modules & {"rich", "yaml", "jsonschema", "fastjsonschema"} == set()


def test_validating_valid_files_never_imports_jsonschema_or_rich() -> None:
    code, modules, out = imported("validate", "roadmaps")
    assert code == 0 and "no problems" in out
    assert "yaml" in modules  # the probe sees imports
    assert "jsonschema" not in modules and "rich" not in modules


def test_an_invalid_file_is_explained_with_jsonschema(tmp_path: Path) -> None:
    folder = tmp_path / "roadmaps"
    folder.mkdir()
    (folder / "agencies.yaml").write_text(
        "agencies:\n  - {id: kz-mic, name: MIC, country: KZ, level: national}\n", encoding="utf-8"
    )
    (folder / "x.yaml").write_text("id: x\nkind: treaty\n", encoding="utf-8")
    code, modules, out = imported("validate", str(folder))
    assert code == 1 and "[schema-enum]" in out
    assert "jsonschema" in modules


@pytest.mark.skipif(not importlib.util.find_spec("roadmap_cli.commands.status"), reason="no status yet")
def test_json_output_never_imports_rich() -> None:
    code, modules, out = imported("status", "--format", "json", "--as-of", "2026-11-22", "roadmaps")
    assert code == 0 and out.lstrip().startswith("[")
    assert "rich" not in modules


@pytest.mark.parametrize(
    ("args", "absent"),
    [
        # the JSON writer uses the C encoder's string function alone
        (("overdue", "--format", "json"), {"json"}),
        # progress in integers: fractions (which imports decimal) only for the definitions
        (("status",), {"fractions", "decimal"}),
        # dateutil (2 ms, its calendar and locale) only where a window or span is made
        (("indicators",), {"fractions", "decimal", "dateutil", "calendar"}),
        (("overdue",), {"dateutil", "calendar"}),
        # a file written without tempfile (shutil, random, the compressors), a CSV without
        # the calendar's writer
        (("export", "--format", "csv", "-o", "{tmp}/m.csv"), {"tempfile", "roadmap_cli.calendar_export"}),
    ],
)
def test_a_warm_report_imports_only_what_it_uses(tmp_path: Path, args: tuple[str, ...],
                                                 absent: set[str]) -> None:
    """A warm run (no schema, no reader) imports only what it uses: the ``json`` package,
    ``fractions``, ``tempfile`` and ``dateutil`` were each a millisecond or more of a run."""
    env = {"ROADMAP_NO_CACHE": "", "ROADMAP_CACHE_DIR": str(tmp_path / "cache")}
    argv = (*(a.replace("{tmp}", str(tmp_path)) for a in args), "--as-of", "2026-11-22", "roadmaps")
    imported(*argv, env=env)  # fills the cache
    code, modules, out = imported(*argv, env=env)
    assert code == 0 and (out.strip() or (tmp_path / "m.csv").exists())
    assert "roadmap_cli.schema" not in modules
    assert modules & absent == set()


def test_a_warm_update_of_a_valid_file_imports_no_explaining(tmp_path: Path) -> None:
    """Checking a valid document names no measure in a message: the explanations' patterns
    (``roadmap_cli.explain``, a millisecond of compiling) and jsonschema stay out."""
    env = {"ROADMAP_NO_CACHE": "", "ROADMAP_CACHE_DIR": str(tmp_path / "cache")}

    def update(n: int) -> tuple[int, set[str], str]:
        return imported("update", "astana-minsk-2026-2028/1.1", "--evidence", f"Protocol No. {n}",
                        "--on", "2026-11-20", "--dry-run", "roadmaps", env=env)

    update(1)  # fills the cache
    code, modules, out = update(2)  # an edit the cache has not checked
    assert code == 0 and "+      - title: Protocol No. 2" in out
    assert "roadmap_cli.rules" in modules  # (the edit was checked)
    assert modules & {"roadmap_cli.explain", "jsonschema"} == set()


@pytest.mark.skipif(not importlib.util.find_spec("roadmap_cli.commands.status"), reason="no status yet")
def test_a_table_off_a_terminal_imports_no_rich_console() -> None:
    """Off a terminal the drawer writes plain lines itself: rich's console, text and table
    (about 30 ms) are not imported, nor, for text of one-cell characters (Latin, Cyrillic,
    the bars, rules and arrows of the tables), ``rich.cells``, which measures any other."""
    env = {"NO_COLOR": "1", "COLUMNS": "100"}
    code, modules, out = imported("status", "--as-of", "2026-11-22", "roadmaps", env=env)
    assert code == 0 and "─" in out and "█" in out
    assert "rich" not in modules
    code, modules, out = imported("status", "--lang", "ru", "--as-of", "2026-11-22", "roadmaps",
                                  env=env)
    assert code == 0 and "Документ" in out
    assert "rich" not in modules


def test_diff_and_history_off_a_terminal_import_no_rich(tmp_path: Path) -> None:
    """``diff`` and ``history`` write their summary line and commit lines off a terminal as
    plain lines, as the tables are (rich's console is 15 ms of an import)."""
    import shutil

    shutil.copytree(ROOT / "roadmaps", tmp_path / "roadmaps")

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
                       cwd=tmp_path, check=True, capture_output=True, timeout=60)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "signed")
    path = tmp_path / "roadmaps" / "astana-minsk-2026-2028.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("progress: 70", "progress: 75", 1),
                    encoding="utf-8")
    git("commit", "-qam", "progress")
    env = {"NO_COLOR": "1", "COLUMNS": "100"}
    code, modules, out = imported("diff", "HEAD~1", "HEAD", cwd=tmp_path, env=env)
    assert code == 0 and "astana-minsk-2026-2028" in out and "─" in out
    assert "rich" not in modules
    code, modules, out = imported("history", "astana-minsk-2026-2028/1.2", cwd=tmp_path, env=env)
    assert code == 0 and "progress" in out
    assert "rich" not in modules
