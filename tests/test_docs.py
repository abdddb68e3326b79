"""The README and the Russian guide (docs/guide.ru.md) stay true: every command is documented,
and every example output in them is what the command prints today (at 80 columns, no colour).
Regenerate with UPDATE_README=1."""

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
GUIDE_RU = ROOT / "docs" / "guide.ru.md"
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


def _examples() -> list[tuple[Path, str]]:
    return [(doc, m.group("args")) for doc in (README, GUIDE_RU)
            for m in MARKER.finditer(doc.read_text(encoding="utf-8"))]


@pytest.mark.parametrize(("doc", "args"), _examples(), ids=[f"{d.name}: {a}" for d, a in _examples()])
def test_readme_output_is_real(doc: Path, args: str) -> None:
    text = doc.read_text(encoding="utf-8")
    actual = run_roadmap(args)
    if os.environ.get("UPDATE_README"):
        def fill(m: re.Match[str]) -> str:
            if m.group("args") != args:
                return m.group(0)
            return f"<!-- output: roadmap {args} -->\n```text\n{actual}```"

        doc.write_text(MARKER.sub(fill, text), encoding="utf-8")
        return
    for m in MARKER.finditer(text):
        if m.group("args") == args:
            assert m.group("body") == actual, f"{doc.name}: example for `roadmap {args}` is stale"


def test_the_russian_guide_shows_russian_output_and_is_linked() -> None:
    """The guide's examples run in Russian (its readers' language), and the README's first
    screen points to it."""
    examples = [args for doc, args in _examples() if doc == GUIDE_RU]
    assert len(examples) >= 5 and all("--lang ru" in args for args in examples), examples
    assert "docs/guide.ru.md" in README.read_text(encoding="utf-8").split("## Quick start")[0]
