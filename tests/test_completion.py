"""Shell completion of the installed command, as bash, zsh and fish ask for it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("completion")
    shutil.copytree(ROOT / "roadmaps", root / "roadmaps")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run([*git, "add", "."], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=root, check=True)
    subprocess.run([*git, "tag", "v1.0"], cwd=root, check=True)
    return root


def complete(repo: Path, line: str, shell: str = "bash") -> list[str]:
    words = line.split(" ")
    env = {
        **os.environ,
        "_ROADMAP_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": line,
        # bash and zsh give the index of the word completed, fish the word itself
        "COMP_CWORD": words[-1] if shell == "fish" else str(len(words) - 1),
        "ROADMAP_NO_CACHE": "1",
    }
    exe = Path(sys.executable).with_name("roadmap")
    proc = subprocess.run([str(exe)], cwd=repo, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line]
    if shell == "bash":
        return [item.split(",", 1)[1] for item in lines]
    return lines


@pytest.mark.slow
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("roadmap show ast", ["astana-minsk-2026-2028"]),
        ("roadmap status --roadmap a", ["almaty-region-vitebsk-memorandum-2025", "astana-minsk-2026-2028"]),
        ("roadmap show astana-minsk-2026-2028/3", [f"astana-minsk-2026-2028/3.{n}" for n in (1, 2, 3)]),
        ("roadmap update astana-minsk-2026-2028/4", ["astana-minsk-2026-2028/4.1"]),
        ("roadmap history kz-by-industrial-cooperation-2026-2028/1.",
         [f"kz-by-industrial-cooperation-2026-2028/1.{n}" for n in (1, 2, 3, 4)]),
        ("roadmap update almaty", [f"almaty-region-vitebsk-memorandum-2025/{n}" for n in range(1, 10)]),
        ("roadmap overdue --agency kz-m", ["kz-mic", "kz-mti", "kz-moa"]),
        ("roadmap diff ", ["HEAD", "main", "v1.0"]),
        ("roadmap diff main v", ["v1.0"]),
        ("roadmap status --lang ", ["en", "ru", "kk", "be"]),
        ("roadmap show nothing-like-this", []),
        ("roadmap upcoming --within next", ["next-month", "next-quarter", "next-half", "next-year"]),
        ("roadmap status --within this-q", ["this-quarter"]),
        ("roadmap upcoming --within 3", []),
    ],
)
def test_bash_completion(repo: Path, line: str, expected: list[str]) -> None:
    assert complete(repo, line) == expected


def test_zsh_and_fish_get_the_measure_titles(repo: Path) -> None:
    zsh = complete(repo, "roadmap show astana-minsk-2026-2028/1.1", "zsh")
    assert zsh[:3] == ["plain", "astana-minsk-2026-2028/1.1", zsh[2]] and zsh[2].startswith("Organise")
    fish = complete(repo, "roadmap show astana-minsk-2026-2028/1.1", "fish")
    assert fish[0].startswith("plain,astana-minsk-2026-2028/1.1\t")


def test_completion_outside_a_repository_offers_nothing(tmp_path: Path) -> None:
    assert complete(tmp_path, "roadmap show a") == []
    assert complete(tmp_path, "roadmap diff ") == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_readme_sources_each_shell_script(repo: Path, shell: str) -> None:
    env = {**os.environ, "_ROADMAP_COMPLETE": f"{shell}_source"}
    exe = Path(sys.executable).with_name("roadmap")
    proc = subprocess.run([str(exe)], cwd=repo, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "_ROADMAP_COMPLETE" in proc.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"_ROADMAP_COMPLETE={shell}_source roadmap" in readme
