"""Every command that reads the roadmap folder hands its long work to a progress display
(issue 11: "when a command runs longer than about a second and standard error is a terminal"),
and takes the display off the screen before it prints anything: a live display on standard
error and lines written under it would garble the terminal.

The display itself (drawn only after the delay, only on a terminal, gone at the end) is tested
in test_progress.py; here a recorder stands in for it, in real git repositories."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from clirun import invoke
from docx_build import HEADER_RU, build
from gitrepo import Repo
from test_request_apply import BOOK, fill, request

from roadmap_cli import progress


def _written() -> tuple[int, int]:
    """How much the command has written on standard output and error so far (the in-process
    runner's streams)."""
    return tuple(len(s.buffer.getvalue()) for s in (sys.stdout, sys.stderr))  # type: ignore[attr-defined,return-value]


class Recorder:
    """In place of :class:`roadmap_cli.progress.Progress`: what each stage was told, in order;
    fails when the command printed anything while a display was open."""

    steps: list[tuple[str, int, int]] = []
    open_displays = 0

    def __init__(self, enabled: bool = True, **_kw: Any) -> None:
        self.enabled = enabled
        self.at_open = _written()
        Recorder.open_displays += 1

    def stage(self, label: str) -> Callable[[int, int], None]:
        def step(done: int, total: int) -> None:
            assert _written() == self.at_open, f"printed while {label!r} was shown"
            Recorder.steps.append((label, done, total))

        return step

    def close(self) -> None:
        assert _written() == self.at_open, "printed while a display was shown"
        Recorder.open_displays -= 1

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


@pytest.fixture
def recorded(git_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Iterator[Repo]:
    monkeypatch.setattr(progress, "Progress", Recorder)
    Recorder.steps = []
    Recorder.open_displays = 0
    yield git_repo
    assert Recorder.open_displays == 0  # every display taken off the screen


def finished(label: str) -> bool:
    """The stage ``label`` was told of its work to the end: its last step is (n, n), n > 0."""
    told = [(done, total) for name, done, total in Recorder.steps if name == label]
    return bool(told) and told[-1][0] == told[-1][1] > 0 and [d for d, _t in told] == list(
        range(1, len(told) + 1))


@pytest.mark.parametrize(
    ("args", "labels"),
    [
        (["status"], ["reading files"]),
        (["overdue", "--as-of", "2026-11-22"], ["reading files"]),
        (["upcoming"], ["reading files"]),
        (["agencies"], ["reading files"]),
        (["indicators"], ["reading files"]),
        (["show", "kz-by-test"], ["reading files"]),
        (["stale", "--as-of", "2026-11-22"], ["reading files", "reading the history"]),
        (["export", "--format", "csv", "-o", "m.csv"], ["reading files", "listing measures"]),
        (["report", "--format", "markdown", "-o", "r.md"], ["reading files", "rendering documents"]),
        (["request", "--agency", "kz-mic", "-o", "out"], ["reading files"]),
        (["validate"], ["checking files"]),
        (["diff", "v1"], ["reading revision v1", "reading the working tree"]),
        (["update", "kz-by-test/1.1", "--progress", "60", "--dry-run"], ["checking files"]),
        (["new", "kz-by-zeta", "--kind", "roadmap", "--party", "kz-mic", "--party", "by-minprom",
          "--period", "2026-2027"], ["checking files"]),
    ],
)
def test_a_command_shows_its_long_work_and_prints_after(
    recorded: Repo, args: list[str], labels: list[str]
) -> None:
    if args[0] == "diff":  # an edit in the working tree, so that its side reads a file
        recorded.write("roadmaps/kz-by-test.yaml",
                       recorded.read("roadmaps/kz-by-test.yaml").replace("progress: 50", "progress: 55"))
    code, out, err = invoke(*args)
    assert code == 0, err
    assert out or args[0] in ("new", "request", "export", "report")
    for label in labels:
        assert finished(label), (label, Recorder.steps)
    assert {name for name, _d, _t in Recorder.steps} == set(labels)


def test_apply_shows_reading_applying_and_checking(recorded: Repo) -> None:
    request()
    fill(BOOK, {"1.1": {"progress": 65}})
    Recorder.steps = []
    code, out, err = invoke("apply", BOOK, "--dry-run", "--on", "2026-04-05")
    assert code == 0, err
    assert "+    progress: 65" in out
    for label in ("reading files", "applying answers", "checking the result"):
        assert finished(label), (label, Recorder.steps)


def test_import_shows_the_files_checked(recorded: Repo) -> None:
    build(Path("plan.docx"), [["1", "Заседание рабочей группы", "IV квартал 2026 г.", "Минпром"]],
          header=HEADER_RU[:4])
    code, _out, err = invoke("import", "plan.docx", "--id", "kz-by-plan-2026-2027", "--party", "kz-mic",
                            "--party", "by-minprom")
    assert code == 0, err
    assert finished("checking files"), Recorder.steps  # (the registry alone is read before)
    assert {name for name, _d, _t in Recorder.steps} == {"checking files"}


def test_a_refusal_is_printed_after_the_display(recorded: Repo) -> None:
    """A folder with errors: the load's display is gone before the problems are listed."""
    recorded.write("roadmaps/kz-by-test.yaml", recorded.read("roadmaps/kz-by-test.yaml").replace(
        "status: in_progress", "status: unheard_of", 1))
    for args in (["status"], ["validate"], ["update", "kz-by-test/1.1", "--progress", "60"]):
        Recorder.steps = []
        code, out, err = invoke(*args)
        assert code == 1 and "unheard_of" in out + err, (args, out, err)
        # the display was told of the files read before the refusal (update refuses the
        # edited file before it reads the others)
        assert bool(Recorder.steps) == (args[0] != "update"), (args, Recorder.steps)
