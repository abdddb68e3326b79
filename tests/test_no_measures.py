"""A document whose measures are not typed in yet (`measures: []`) is valid with a warning
(`no-measures`), and every command lists it with nothing to count instead of refusing the
whole repository; a missing `measures` key stays an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

AGENCIES = """agencies:
  - id: kz-a
    name: {en: Agency A, ru: Ведомство А}
    country: KZ
    level: national
"""

EMPTY = """id: memo-empty
kind: memorandum
title: {en: Memorandum with its plan to come, ru: Меморандум}
parties: [kz-a]
signed: {date: 2025-11-05, place: Astana}
period: {start: 2026-01-01, end: 2028-12-31}
measures: []
"""

FULL = """id: doc-full
kind: roadmap
title: {en: Full}
parties: [kz-a]
signed: {date: 2025-11-05, place: Astana}
period: {start: 2026-01-01, end: 2028-12-31}
measures:
  - id: "1"
    title: {en: First}
    owners: [kz-a]
    due: 2026-06
    status: not_started
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    roadmaps = tmp_path / "roadmaps"
    roadmaps.mkdir()
    (roadmaps / "agencies.yaml").write_text(AGENCIES, encoding="utf-8")
    (roadmaps / "memo-empty.yaml").write_text(EMPTY, encoding="utf-8")
    (roadmaps / "doc-full.yaml").write_text(FULL, encoding="utf-8")
    return roadmaps


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_validate_warns_at_the_empty_list_and_passes(folder: Path, cli, lang: str) -> None:
    code, out, err = cli("validate", str(folder), "--lang", lang)
    assert code == 0, (out, err)
    text = out + err
    assert f"{folder / 'memo-empty.yaml'}:7:11: warning: " in text, text
    assert text.count("[no-measures]") == 1
    assert ("в документе ещё нет мероприятий" in text) == (lang == "ru")
    code, out, err = cli("validate", str(folder), "--strict")
    assert code == 1, (out, err)  # --strict: warnings fail


@pytest.mark.parametrize("cache", ["cold", "warm"])
def test_status_lists_it_with_nothing_to_count(folder: Path, cli, monkeypatch: pytest.MonkeyPatch,
                                               cache: str) -> None:
    if cache == "cold":
        monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    else:
        cli("status", str(folder), "--as-of", "2026-01-15")  # fills the cache
    code, out, _err = cli("status", str(folder), "--as-of", "2026-11-22", "--format", "json")
    assert code == 0
    rows = {r["roadmap"]: r for r in json.loads(out)}
    empty = rows["memo-empty"]
    assert (empty["measures"], empty["done"], empty["overdue"], empty["due_soon"]) == (0, 0, 0, 0)
    assert (empty["progress_pct"], empty["expected_pct"], empty["health"]) == (None, None, "n/a")
    assert rows["doc-full"]["overdue"] == 1  # the other document is reported as before


@pytest.mark.parametrize("command", [
    ["status"], ["overdue"], ["upcoming"], ["agencies"], ["indicators"], ["show", "memo-empty"],
    ["status", "--by", "section"], ["status", "--chart"], ["export", "--format", "json"],
    ["export", "--format", "ics"], ["report", "--format", "markdown"],
])
def test_every_report_runs_beside_it(folder: Path, cli, command: list[str]) -> None:
    code, out, err = cli(*command, str(folder), "--as-of", "2026-11-22")
    assert code == 0, (command, out, err)
    assert "Traceback" not in err
    if command[0] in ("status", "show", "report") and "--by" not in command:
        assert "memo-empty" in out  # (by section: a document without sections or measures has no row)


def test_a_missing_measures_key_is_still_an_error(folder: Path, cli) -> None:
    (folder / "memo-empty.yaml").write_text(EMPTY.replace("measures: []\n", ""), encoding="utf-8")
    code, out, err = cli("validate", str(folder))
    assert code == 1
    assert "[schema-required]" in out + err
