"""The progress display of long commands and the "wrote FILE" line of export -o and report -o:
drawn on a terminal only after the delay and gone at the end, nothing on a pipe or with
--quiet, plain with NO_COLOR; the wrote line in English and Russian with Russian plurals."""

from __future__ import annotations

import io
import os
import sys
from itertools import pairwise
from pathlib import Path

import clirun
import pytest
from click.testing import CliRunner, Result
from rich.console import Console

from roadmap_cli import i18n
from roadmap_cli.cli import cli
from roadmap_cli.commands.export import wrote
from roadmap_cli.progress import Progress

ROOT = Path(__file__).resolve().parent.parent
ROADMAPS = ROOT / "roadmaps"
AS_OF = "2026-11-22"
#: the shipped data as of AS_OF: 3 documents, 39 measures, 68 calendar deadlines (the deadlines
#: are counted independently of the tracker in test_export.test_events_are_the_contracts_deadlines)
DOCS, MEASURES, DEADLINES = 3, 39, 68


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def terminal(no_color: bool = False) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80, no_color=no_color,
                      color_system=None if no_color else "standard")
    return console, out


def test_nothing_before_the_delay_then_a_bar_that_is_gone_at_the_end() -> None:
    console, out = terminal()
    clock = Clock()
    with Progress(console=console, clock=clock, delay=1.0) as shown:
        step = shown.stage("reading files")
        step(1, 5)
        clock.now += 0.9
        step(2, 5)
        assert out.getvalue() == ""  # a quick run shows nothing
        assert "rich.progress" not in sys.modules or shown.bar is None
        clock.now += 0.2
        step(3, 5)
        shown.stage("rendering documents")(1, 2)
        assert shown.bar is not None
        shown.bar.refresh()
        drawn = out.getvalue()
        assert "reading files" in drawn and "3/5" in drawn
        assert "rendering documents" in drawn and "1/2" in drawn
    assert shown.bar is None
    # transient: at the end the cursor comes back and goes up over the two lines, clearing them
    assert out.getvalue().endswith("\x1b[?25h\r\x1b[1A\x1b[2K\x1b[1A\x1b[2K")
    after = out.getvalue()
    shown.stage("reading files")(5, 5)  # a step after the end draws nothing
    assert out.getvalue() == after


def test_a_stage_updates_its_bar_at_most_every_tenth_of_a_second_and_at_its_end() -> None:
    """rich draws ten times a second: a stage of 175,000 calendar events told it of each one,
    a fifth of the run's time in a terminal. The first step that shows a stage, then one step a
    tenth of a second (the clock read at each), and the last step are drawn."""
    console, _out = terminal()
    clock = Clock()
    with Progress(console=console, clock=clock, delay=1.0) as shown:
        step = shown.stage("writing deadlines")
        clock.now += 2
        step(1, 10_000)
        assert shown.bar is not None
        updates: list[int] = []
        real = shown.bar.update
        shown.bar.update = lambda task, **kw: (updates.append(kw["completed"]), real(task, **kw))[1]
        for done in range(2, 10_000):
            clock.now += 0.001  # a millisecond an event
            step(done, 10_000)
        step(10_000, 10_000)
        task = shown.tasks["writing deadlines"]
        assert shown.bar.tasks[task].completed == 10_000
    assert len(updates) < 110 and updates[-1] == 10_000  # 10 s of steps: about one a tenth
    assert all(b - a >= 99 for a, b in pairwise(updates[:-1]))


def test_no_color_draws_without_colour() -> None:
    console, out = terminal(no_color=True)
    clock = Clock()
    with Progress(console=console, clock=clock) as shown:
        clock.now += 2
        shown.stage("reading files")(1, 4)
        assert shown.bar is not None
        shown.bar.refresh()
    drawn = out.getvalue()
    assert "reading files" in drawn and "1/4" in drawn
    assert "\x1b[3" not in drawn and "\x1b[9" not in drawn  # no foreground colours


def test_nothing_on_a_pipe_or_a_file_or_when_quiet() -> None:
    clock = Clock()
    piped = io.StringIO()
    with Progress(console=Console(file=piped, force_terminal=False), clock=clock) as shown:
        clock.now += 5
        shown.stage("reading files")(1, 2)
        assert shown.bar is None
    assert piped.getvalue() == ""
    console, out = terminal()
    with Progress(enabled=False, console=console, clock=clock) as quiet:
        clock.now += 5
        quiet.stage("reading files")(1, 2)
    assert out.getvalue() == ""


def test_dumb_terminal_gets_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    out = io.StringIO()
    clock = Clock()
    with Progress(console=Console(file=out, force_terminal=True), clock=clock) as shown:
        clock.now += 5
        shown.stage("reading files")(1, 2)
    assert out.getvalue() == ""


# --- the wrote line -------------------------------------------------------------------------


def run(*args: str, lang: str = "en") -> Result:
    env = {"COLUMNS": "80", "NO_COLOR": "1", "ROADMAP_NO_CACHE": "1", "ROADMAP_LANG": lang}
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.mark.parametrize(
    ("command", "name", "lang", "line"),
    [
        (["export"], "d.ics", "en", f"wrote {{out}}: {DOCS} documents, {DEADLINES} deadlines\n"),
        (["export"], "d.ics", "ru", f"Записан файл {{out}}: {DOCS} документа, {DEADLINES} сроков\n"),
        (["export", "--format", "csv"], "m.csv", "en", f"wrote {{out}}: {DOCS} documents, {MEASURES} measures\n"),
        (["export", "--format", "csv"], "m.csv", "ru", f"Записан файл {{out}}: {DOCS} документа, {MEASURES} мероприятий\n"),
        (["export", "--format", "json"], "m.json", "en", f"wrote {{out}}: {DOCS} documents, {MEASURES} measures\n"),
        (["export", "--format", "xlsx"], "m.xlsx", "en", f"wrote {{out}}: {DOCS} documents, {MEASURES} measures\n"),
        (["report"], "r.html", "en", f"wrote {{out}}: {DOCS} documents, {DEADLINES} deadlines\n"),
        (["report"], "r.html", "ru", f"Записан файл {{out}}: {DOCS} документа, {DEADLINES} сроков\n"),
        (["report", "--format", "markdown"], "r.md", "ru", f"Записан файл {{out}}: {DOCS} документа, {DEADLINES} сроков\n"),
    ],
)
def test_writing_a_file_ends_with_one_wrote_line(
    tmp_path: Path, command: list[str], name: str, lang: str, line: str
) -> None:
    out = tmp_path / name
    result = run(*command, "--as-of", AS_OF, "-o", str(out), str(ROADMAPS), lang=lang)
    assert result.exit_code == 0, result.output
    assert result.stderr == line.format(out=out)
    assert out.stat().st_size > 0
    quiet = run(*command, "--as-of", AS_OF, "-o", str(out), "--quiet", str(ROADMAPS), lang=lang)
    assert (quiet.exit_code, quiet.stderr) == (0, "")


@pytest.mark.parametrize("command", [["export"], ["export", "--format", "csv"], ["report"]])
def test_no_wrote_line_for_standard_output(command: list[str]) -> None:
    for extra in ([], ["-o", "-"]):
        result = run(*command, "--as-of", AS_OF, *extra, str(ROADMAPS))
        assert result.exit_code == 0 and result.stdout
        assert result.stderr == ""


def test_a_filtered_view_counts_what_was_written(tmp_path: Path) -> None:
    out = tmp_path / "one.ics"
    result = run("export", "--as-of", AS_OF, "--roadmap", "astana-minsk", "-o", str(out), str(ROADMAPS))
    events = out.read_bytes().count(b"BEGIN:VEVENT")
    assert 0 < events < DEADLINES
    assert result.stderr == f"wrote {out}: 1 document, {events} deadlines\n"


@pytest.mark.parametrize(
    ("documents", "count", "expected"),
    [
        (1, 1, "Записан файл f: 1 документ, 1 срок"),
        (2, 3, "Записан файл f: 2 документа, 3 срока"),
        (5, 11, "Записан файл f: 5 документов, 11 сроков"),
        (21, 22, "Записан файл f: 21 документ, 22 срока"),
        (112, 101, "Записан файл f: 112 документов, 101 срок"),
        # grouped as the tables group figures (a thin no-break space in Russian)
        (1000, 175221, "Записан файл f: 1\u202f000 документов, 175\u202f221 срок"),
    ],
)
def test_russian_plurals(documents: int, count: int, expected: str) -> None:
    i18n.activate("ru")
    try:
        assert wrote("f", documents, "deadlines", count) == expected
    finally:
        i18n.activate("en")
    assert wrote("f", 1, "measures", 1) == "wrote f: 1 document, 1 measure"
    assert wrote("f", 1000, "deadlines", 175221) == "wrote f: 1,000 documents, 175,221 deadlines"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a pseudo-terminal")
def test_on_a_terminal_a_quick_run_leaves_only_the_wrote_line(tmp_path: Path) -> None:
    """The installed command with standard error on a pseudo-terminal: a run shorter than the
    delay draws no progress (no cursor codes), and the wrote line is all that is left."""
    out = tmp_path / "d.ics"
    env = {k: v for k, v in os.environ.items() if k not in ("ROADMAP_LANG", "LC_ALL", "LANG")}
    env.update({"ROADMAP_NO_CACHE": "1", "TERM": "xterm"})
    code, _out, seen = clirun.run_with_stderr_on_a_terminal(
        ["export", "--as-of", AS_OF, "-o", str(out), str(ROADMAPS)], env)
    assert code == 0
    assert seen == f"wrote {out}: {DOCS} documents, {DEADLINES} deadlines\r\n"
