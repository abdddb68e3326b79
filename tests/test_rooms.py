"""Rooms stay small: no module of the package passes the house's 600 lines (a module that
grows past them is split at its seam in the same change)."""

from __future__ import annotations

from pathlib import Path

import roadmap_cli

PACKAGE = Path(roadmap_cli.__file__).parent


def test_no_module_passes_600_lines() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 50  # the package, not an empty folder
    over = {str(m.relative_to(PACKAGE)): n for m in modules
            if (n := m.read_text(encoding="utf-8").count("\n")) > 600}
    assert over == {}
