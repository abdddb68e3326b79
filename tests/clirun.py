"""Run the CLI as a user does: `python -m roadmap_cli` in a subprocess, at a fixed width, no colour."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_roadmap(args: list[str], *, cwd: Path = ROOT, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", "ROADMAP_NO_CACHE": "1"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "roadmap_cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def screen(text: str) -> str:
    """Output as it reads on screen: trailing spaces dropped, one final newline."""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
