"""docs/update.md's examples on the shipped roadmaps print what the commands print today: the
dry run's diff (with its line numbers) and the summary, in English and in Russian. The examples
name lines of the shipped file, so an edit of that file that moves them must update the page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import clirun
import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "update.md"
BLOCK = re.compile(r"^```console\n\$ roadmap (?P<args>update [^\n]*)\n(?P<out>.*?)^(?:\$ |```)", re.S | re.M)


def examples() -> list[tuple[str, str]]:
    return [(m["args"], m["out"]) for m in BLOCK.finditer(PAGE.read_text(encoding="utf-8"))]


def test_the_page_has_its_examples() -> None:
    assert len(examples()) >= 3


@pytest.mark.parametrize("args,shown", examples(), ids=[a for a, _ in examples()])
def test_example_prints_what_the_page_shows(args: str, shown: str, tmp_path: Path) -> None:
    for name in ("roadmaps", "schemas"):
        shutil.copytree(ROOT / name, tmp_path / name)
    proc = clirun.run_roadmap(args.split(), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    # the page shows standard output then, for a dry run, its closing line on standard error
    # (a diff's context line of an empty line is one space: kept)
    printed = (proc.stdout + proc.stderr).rstrip("\n") + "\n"
    assert printed == shown.rstrip("\n") + "\n"
