"""Golden files: what users see, pinned (tests/golden/). Regenerate with UPDATE_GOLDEN=1, then
read every file that changed before committing it."""

from __future__ import annotations

import os
from pathlib import Path


def check(path: Path, text: str) -> None:
    """``text`` is what the golden file ``path`` holds; with UPDATE_GOLDEN=1 it is written there
    first."""
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8")
