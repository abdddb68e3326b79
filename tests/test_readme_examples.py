"""Every command the README shows runs as written on a fresh clone.

The README's ```sh blocks (lines starting with `roadmap `) and ```console/```text blocks (lines
starting with `$ roadmap ` or `$ cd `) are extracted in order and run with bash, each block as
one script (a `cd` holds until the block ends), in one temporary clone: the shipped roadmaps
(with the schemas and examples/) committed on branch `main`, with one more commit after them
(as any clone has), the installed `roadmap` first on PATH. Each command must exit 0 or 1 (data errors and --fail-on conditions);
never 2 (an unknown revision, document or option), never an internal error or a traceback. The
output samples themselves are checked by tests/test_docs.py.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```", re.S | re.M)


def commands(block_lang: str, body: str) -> list[str]:
    """The commands of one block, continuation lines joined."""
    lines: list[str] = []
    for raw in body.splitlines():
        if lines and lines[-1].endswith("\\"):
            lines[-1] = lines[-1][:-1].rstrip() + " " + raw.strip()
            continue
        lines.append(raw)
    out = []
    for line in lines:
        text = line.strip()
        if block_lang == "sh" and text.startswith(("roadmap ", "cd ")):
            out.append(text)
        elif block_lang in ("console", "text") and text.startswith(("$ roadmap ", "$ cd ")):
            out.append(text[2:])
    return out


def blocks() -> list[list[str]]:
    found = [commands(m["lang"], m["body"]) for m in BLOCK.finditer(README.read_text(encoding="utf-8"))]
    return [b for b in found if b]


def test_the_readme_has_examples_of_every_kind() -> None:
    every = [c for b in blocks() for c in b]
    assert len(every) >= 20
    for command in ("init", "new", "validate", "status", "diff", "history", "update", "export", "report"):
        assert any(c.startswith(f"roadmap {command} ") or c == f"roadmap {command}" for c in every), command


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clone")
    for name in ("roadmaps", "schemas", "examples"):
        shutil.copytree(ROOT / name, root / name, symlinks=True)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run([*git, "add", "."], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "the signed documents"], cwd=root, check=True)
    shutil.copy(README, root / "README.md")
    subprocess.run([*git, "add", "."], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "readme"], cwd=root, check=True)
    return root


@pytest.mark.slow
def test_every_readme_command_runs_on_a_fresh_clone(clone: Path, tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(tmp_path / "home"),
        "ROADMAP_CACHE_DIR": str(tmp_path / "cache"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "NO_COLOR": "1",
        "COLUMNS": "80",
    }
    env.pop("ROADMAP_NO_CACHE", None)
    ran = 0
    for block in blocks():
        script = ["set -u"]
        for command in block:
            if command.startswith("cd "):
                script.append(command + " || exit 101")
                continue
            quoted = shlex.quote(command)
            # the command on a line of its own: a trailing `# comment` ends with the line
            script.append(
                f"{{ {command}\n}} >/dev/null 2>\"$ERR\"\nrc=$?\n"
                f"if [ $rc -gt 1 ] || grep -q -e Traceback -e 'internal error' \"$ERR\"; then "
                f"echo {quoted} exited $rc >&2; cat \"$ERR\" >&2; exit 100; fi"
            )
            ran += 1
        proc = subprocess.run(
            ["bash", "-c", "\n".join(script)],
            cwd=clone,
            env={**env, "ERR": str(tmp_path / "stderr")},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
    assert ran >= 20
