"""Counting the YAML parses a run makes (a warm run from the cache makes none)."""

from __future__ import annotations

from typing import Any

import pytest

from roadmap_cli import yamlsrc


def counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files (or blobs) parsed from now on, in order, by any reader: every
    parse goes through :func:`roadmap_cli.yamlsrc.parse`, which the readers import when
    called."""
    parsed: list[str] = []
    real = yamlsrc.parse

    def counted(data: bytes, name: str, *args: Any, **kw: Any) -> Any:
        parsed.append(name)
        return real(data, name, *args, **kw)

    monkeypatch.setattr(yamlsrc, "parse", counted)
    return parsed
