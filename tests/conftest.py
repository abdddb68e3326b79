"""What every test shares: an English interface unless the test asks for another language."""

from __future__ import annotations

from collections.abc import Iterator

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
