"""What every test shares: an English interface unless the test asks for another language, and
nothing a test runs writes outside its temporary folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from roadmap_cli import i18n


@pytest.fixture(autouse=True)
def _english_interface(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No language from the machine running the tests (ROADMAP_LANG, the locale), and English
    active again after a test that ran a command in another language in this process."""
    for name in ("ROADMAP_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    i18n.activate("en")
    yield
    i18n.activate("en")


@pytest.fixture(autouse=True)
def _user_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder (the results cache and its key) is a temporary folder, for this
    process and every command a test starts: no test writes ~/.cache."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("ROADMAP_CACHE_DIR", raising=False)
    return folder
