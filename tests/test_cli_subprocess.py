"""The installed `roadmap` console script, run as a user runs it, and the one error path.

The console script is looked for next to the Python running the tests (`make test` installs it
into `.venv/bin`); without it those tests are skipped. The error-path tests make a function raise
and check that every command answers with one line and exit code 4, and that `--debug` shows the
traceback.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from clirun import invoke

import roadmap_cli
from roadmap_cli.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / ("roadmap.exe" if os.name == "nt" else "roadmap")
needs_script = pytest.mark.skipif(
    not SCRIPT.exists(), reason=f"the roadmap console script is not installed next to {sys.executable} (run `make test`)"
)
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80", "ROADMAP_NO_CACHE": "1"}
AVAILABLE = [name for name, (module, _) in COMMANDS.items() if importlib.util.find_spec(f"roadmap_cli.commands.{module}")]


def roadmap(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=120, check=False)


@needs_script
def test_validate_the_shipped_roadmaps() -> None:
    done = roadmap("validate", "roadmaps/")
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("files checked: no problems.\n") and done.stderr == ""


@needs_script
def test_validate_finds_roadmaps_by_default() -> None:
    done = roadmap("validate", cwd=ROOT / "docs")  # the nearest roadmaps/ folder upwards
    assert done.returncode == 0 and "no problems" in done.stdout


@needs_script
def test_version() -> None:
    done = roadmap("--version")
    assert done.returncode == 0
    assert done.stdout == f"roadmap, version {roadmap_cli.__version__}\n"


@needs_script
def test_help_lists_the_commands() -> None:
    done = roadmap("--help")
    assert done.returncode == 0 and done.stdout.startswith("Usage: roadmap")
    for name in AVAILABLE:
        assert f"  {name} " in done.stdout, name


@needs_script
def test_a_broken_file_exits_1_with_a_located_message(tmp_path: Path) -> None:
    folder = tmp_path / "roadmaps"
    folder.mkdir()
    (folder / "agencies.yaml").write_bytes((ROOT / "roadmaps" / "agencies.yaml").read_bytes())
    source = (ROOT / "roadmaps" / "astana-minsk-2026-2028.yaml").read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.startswith("    status: "))
    lines[n] = "    status: finished\n"
    (folder / "astana-minsk-2026-2028.yaml").write_text("".join(lines), encoding="utf-8")
    done = roadmap("validate", str(folder))
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert f"astana-minsk-2026-2028.yaml:{n + 1}:13: error: " in done.stdout
    assert "'finished' is not one of" in done.stdout and "[schema-enum]" in done.stdout
    assert done.stdout.endswith("2 files checked: 1 error.\n")
    if "status" in AVAILABLE:
        refused = roadmap("status", "--as-of", "2026-11-22", str(folder))
        assert refused.returncode == 1 and f"astana-minsk-2026-2028.yaml:{n + 1}:13: error: " in refused.stderr


@needs_script
def test_a_missing_path_is_a_usage_error() -> None:
    done = roadmap("validate", "no-such-folder")
    assert done.returncode == 2 and done.stderr == "roadmap: no-such-folder: no such file or folder\n"


# --- one error path: internal errors -------------------------------------------------------------

ARGS = {
    "validate": ["validate", "roadmaps"],
    "status": ["status", "--as-of", "2026-11-22", "roadmaps"],
    "overdue": ["overdue", "--as-of", "2026-11-22", "roadmaps"],
    "upcoming": ["upcoming", "--as-of", "2026-11-22", "roadmaps"],
    "agencies": ["agencies", "--as-of", "2026-11-22", "roadmaps"],
    "show": ["show", "astana-minsk-2026-2028", "--as-of", "2026-11-22", "roadmaps"],
    "indicators": ["indicators", "--as-of", "2026-11-22", "roadmaps"],
    "export": ["export", "--format", "json", "roadmaps"],
    "report": ["report", "--format", "markdown", "--as-of", "2026-11-22", "roadmaps"],
}
HINT = "(this is a bug; please report it with the command line, and rerun with --debug for the traceback)"


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom\nsecond line of the message")


def run(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str, str]:
    return invoke(*args)


@pytest.mark.parametrize("command", [c for c in ARGS if c in AVAILABLE])
def test_an_internal_error_is_one_line_and_exit_4(
    command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    monkeypatch.setattr("roadmap_cli.load.load_sources", _boom)
    code, out, err = run(capsys, ARGS[command])
    assert code == 4
    assert out == ""
    assert err == f"roadmap: internal error: RuntimeError: boom {HINT}\n"


def test_an_internal_error_in_rendering_too(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("roadmap_cli.render.render_problems", _boom)
    code, out, err = run(capsys, ["validate", "roadmaps"])
    assert (code, out) == (4, "") and err.count("\n") == 1 and "Traceback" not in err


def test_debug_shows_the_traceback_and_still_exits_4(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    monkeypatch.setattr("roadmap_cli.load.load_sources", _boom)
    code, out, err = run(capsys, ["--debug", "validate", "roadmaps"])
    assert code == 4 and out == ""
    assert err.startswith("Traceback (most recent call last):")
    assert "RuntimeError: boom" in err and "_boom" in err and "internal error" not in err


_RAISES = """
import sys
sys.path.insert(0, {root!r})
import roadmap_cli.load
def boom(*a, **k):
    raise KeyError("no such thing")
roadmap_cli.load.load_sources = boom
from roadmap_cli.cli import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize("debug", [False, True])
def test_the_error_path_in_a_real_process(debug: bool) -> None:
    args = ["--debug"] if debug else []
    done = subprocess.run(
        [sys.executable, "-c", _RAISES.format(root=str(ROOT)), *args, "validate", "roadmaps"],
        cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 4 and done.stdout == ""
    if debug:
        assert "Traceback (most recent call last)" in done.stderr and "KeyError: 'no such thing'" in done.stderr
    else:
        assert done.stderr == f"roadmap: internal error: KeyError: 'no such thing' {HINT}\n"


@needs_script
@pytest.mark.parametrize(
    "args",
    [
        ["overdue", "--format", "json", "--as-of", "2026-11-22"],  # exit 0, a long output
        ["overdue", "--fail-on-any", "--format", "csv", "--as-of", "2026-11-22"],  # exit 1
        ["status", "--as-of", "yesterday"],  # a usage error: exit 2
        ["show", "--lang", "ru", "--as-of", "2026-11-22", "kz-by-industrial-cooperation-2026-2028"],
    ],
)
def test_the_script_ends_as_main_does(args: list[str]) -> None:
    """The script ends the process without the interpreter's teardown (cli.run): its exit code,
    standard output and standard error are what main gives in this process, every byte
    written; `python -m roadmap_cli` ends so too."""
    expected = invoke(*args, env={"NO_COLOR": "1", "COLUMNS": "80", "ROADMAP_NO_CACHE": "1"})
    for argv in ([str(SCRIPT), *args], [sys.executable, "-m", "roadmap_cli", *args]):
        done = subprocess.run(argv, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120,
                              check=False)
        assert (done.returncode, done.stdout, done.stderr) == (
            expected.exit_code, expected.stdout, expected.stderr)
    assert expected.stdout or expected.stderr


def test_run_gives_sys_exit_s_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    """cli.run ends with the code main exits with (None is 0, a message is printed and 1), after
    flushing what is still buffered in standard output and standard error."""
    import io

    from roadmap_cli import cli

    class Buffered(io.StringIO):
        """Text that counts as written once flushed."""

        def __init__(self) -> None:
            super().__init__()
            self.flushed = ""

        def flush(self) -> None:
            self.flushed = self.getvalue()

    ended: list[tuple[int, str, str]] = []
    out, err = Buffered(), Buffered()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)

    def end(code: int) -> None:
        ended.append((code, out.flushed, err.flushed))
        raise SystemExit  # (the test goes on)

    import atexit

    handled: list[str] = []
    monkeypatch.setattr(os, "_exit", end)
    monkeypatch.setattr(atexit, "_run_exitfuncs", lambda: handled.append(out.getvalue()))
    for raised in (None, 3, "roadmap: stop"):
        def main(raised: object = raised) -> None:
            out.write("written\n")  # buffered, not flushed
            raise SystemExit(raised)

        monkeypatch.setattr(cli, "main", main)
        with pytest.raises(SystemExit):
            cli.run()
    assert ended == [(0, "written\n", ""), (3, "written\n" * 2, ""),
                     (1, "written\n" * 3, "roadmap: stop\n")]
    assert handled == ["written\n" * n for n in (1, 2, 3)]  # the exit handlers ran, each time


@needs_script
def test_the_script_runs_the_exit_handlers_libraries_registered() -> None:
    """An exit handler a library registered (openpyxl removes its temporary files so) runs
    before the process ends, and what it writes is not lost."""
    code = ("import atexit, sys; atexit.register(lambda: print('handler ran')); "
            "from roadmap_cli.cli import run; sys.argv = ['roadmap', '--version']; run()")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True,
                          text=True, timeout=120, check=False)
    assert (done.returncode, done.stdout) == (0, "roadmap, version " + roadmap_cli.__version__ + "\nhandler ran\n")


@needs_script
@pytest.mark.parametrize("ignored", [False, True])
def test_ctrl_c_while_the_program_is_imported_ends_it_without_a_traceback(ignored: bool) -> None:
    """An interrupt in the fraction of a second before the click layer runs (while click, rich
    and the program's modules are imported) ends the run with 130 and no traceback (an
    ignored SIGINT stays ignored)."""
    code = (
        "import os, signal, sys\n"
        + ("signal.signal(signal.SIGINT, signal.SIG_IGN)\n" if ignored else "")
        + "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'roadmap_cli.cli':\n"
        "            sys.meta_path.remove(self)\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "        return None\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "sys.argv = ['roadmap', '--version']\n"
        "from roadmap_cli.start import run\n"
        "run()\n"
    )
    # SIGINT as a terminal's foreground process has it, whatever the process running the tests
    # inherited: a job started in the background of a script (`make test &`, a CI agent's shell)
    # ignores SIGINT, and so did this run in it
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True,
                          text=True, timeout=120, check=False,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    if ignored:  # the interrupt was ignored: the run goes on, and SIGINT stays ignored
        assert (done.returncode, done.stdout) == (0, "roadmap, version " + roadmap_cli.__version__ + "\n")
    else:
        assert (done.returncode, done.stdout, done.stderr) == (130, "", "")
