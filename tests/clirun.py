"""Run the CLI as a user does: `python -m roadmap_cli` in a subprocess, at a fixed width, no colour."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_roadmap(
    args: list[str], *, cwd: Path = ROOT, columns: int = 80, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Without ``env`` naming them, no ROADMAP_LANG and no locale: the interface is English."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("ROADMAP_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "FORCE_COLOR")}
    env = {**base, "COLUMNS": str(columns), "NO_COLOR": "1", "ROADMAP_NO_CACHE": "1", **(env or {})}
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
