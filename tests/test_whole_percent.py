"""The whole percentages of tables and bars never claim an end that was not reached: a document
with a measure still open is not shown as "100%", nor one with work done as "0%"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from roadmap_cli.labels import filled_cells, whole_percent

AGENCIES = """agencies:
  - id: kz-a
    name: {en: Agency A}
    country: KZ
    level: national
"""

DOC = """id: doc-x
kind: roadmap
title: {en: X}
parties: [kz-a]
signed: {date: 2025-11-05, place: Astana}
period: {start: 2026-01-01, end: 2028-12-31}
measures:
  - id: "1"
    title: {en: First}
    owners: [kz-a]
    due: 2026-12
    status: done
    completed: 2026-03-01
  - id: "2"
    title: {en: Second}
    owners: [kz-a]
    due: 2026-12
    status: in_progress
    progress: 99
"""


@pytest.mark.parametrize(
    ("value", "shown"),
    [(100.0, 100), (99.9, 99), (99.5, 99), (99.4, 99), (50.5, 50), (51.5, 52), (37.6, 38),
     (0.6, 1), (0.5, 1), (0.1, 1), (0.0, 0)],
)
def test_whole_percent_reaches_the_ends_only_at_the_ends(value: float, shown: int) -> None:
    assert whole_percent(value) == shown


@pytest.mark.parametrize(
    ("value", "cells"),
    [(100.0, 6), (99.5, 5), (95.0, 5), (50.0, 3), (5.0, 1), (0.1, 1), (0.0, 0)],
)
def test_a_bar_is_full_only_at_100_and_empty_only_at_0(value: float, cells: int) -> None:
    assert filled_cells(value, 6) == cells


def test_status_table_does_not_show_an_open_document_as_100_percent(
    tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "roadmaps"
    folder.mkdir()
    (folder / "agencies.yaml").write_text(AGENCIES, encoding="utf-8")
    (folder / "doc-x.yaml").write_text(DOC, encoding="utf-8")
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    code, out, _err = cli("status", str(folder), "--as-of", "2026-06-01", "--format", "json")
    assert code == 0 and json.loads(out)[0]["progress_pct"] == 99.5
    for command in ("status", "agencies"):
        code, out, err = cli(command, str(folder), "--as-of", "2026-06-01")
        assert code == 0, err
        assert "100%" not in out
        assert "99%" in out
        assert "██████" not in out  # the 6-cell bar is not full
