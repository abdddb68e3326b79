"""The README stays true: every command is documented, and every example output in it is what
the command prints today (at 80 columns, no colour). Regenerate with UPDATE_README=1."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import clirun
import pytest

from roadmap_cli.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MARKER = re.compile(r"<!-- output: roadmap (?P<args>[^>]*?) -->\n```text\n(?P<body>.*?)```", re.S)


def run_roadmap(args: str) -> str:
    proc = clirun.run_roadmap(shlex.split(args))
    assert proc.returncode in (0, 1), proc.stderr
    return clirun.screen(proc.stdout)


def test_every_command_is_documented_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [name for name in COMMANDS if f"roadmap {name}" not in text]
    assert not missing, f"commands without a README section: {missing}"


def test_readme_has_example_outputs() -> None:
    assert len(MARKER.findall(README.read_text(encoding="utf-8"))) >= 5


@pytest.mark.parametrize(
    "args", [m.group("args") for m in MARKER.finditer(README.read_text(encoding="utf-8"))]
)
def test_readme_output_is_real(args: str) -> None:
    text = README.read_text(encoding="utf-8")
    actual = run_roadmap(args)
    if os.environ.get("UPDATE_README"):
        def fill(m: re.Match[str]) -> str:
            if m.group("args") != args:
                return m.group(0)
            return f"<!-- output: roadmap {args} -->\n```text\n{actual}```"

        README.write_text(MARKER.sub(fill, text), encoding="utf-8")
        return
    for m in MARKER.finditer(text):
        if m.group("args") == args:
            assert m.group("body") == actual, f"README example for `roadmap {args}` is stale"
