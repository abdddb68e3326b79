"""Partial refusal (the contract, "Exit codes"): a report refuses only when agencies.yaml or a
document it reports on has errors; errors elsewhere are one warning line on stderr; --strict
refuses on any error. With and without the cache."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from clirun import Ran, invoke

ROOT = Path(__file__).resolve().parent.parent
AM = "astana-minsk-2026-2028"
KB = "kz-by-industrial-cooperation-2026-2028"
AV = "almaty-region-vitebsk-memorandum-2025"
AS_OF = ("--as-of", "2026-11-28")


@pytest.fixture(params=["no-cache", "cache"])
def repo(shipped_copy: Path, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Path:
    if request.param == "cache":
        monkeypatch.setenv("ROADMAP_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.delenv("ROADMAP_NO_CACHE", raising=False)
    else:
        monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    return shipped_copy


@pytest.fixture(autouse=True)
def _plain(cli: Callable[..., Ran]) -> None:
    """80 columns, no colour (the `cli` fixture's setting) for every run of this file."""


def run(*args: str) -> Ran:
    """One in-process run of the command as the console entry point runs it."""
    ran = invoke(*args, *AS_OF)
    assert "Traceback" not in ran.err
    return ran


def break_file(repo: Path, doc: str, old: str, new: str) -> None:
    path = repo / "roadmaps" / f"{doc}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_error_elsewhere_is_one_warning_line(repo: Path) -> None:
    break_file(repo, KB, "    due: 2026-03\n", "    due: 31.03.2026\n")
    for _ in range(2):  # cold, then warm
        result = run("overdue", "--roadmap", AM, "--format", "json")
        assert result.exit_code == 0, result.output
        assert {row["roadmap"] for row in json.loads(result.stdout)} == {AM}
        assert result.stderr == (
            f"roadmap: warning: 1 other document has errors and was not read: roadmaps/{KB}.yaml "
            "(see `roadmap validate`)\n"
        )


def test_strict_refuses_on_an_error_elsewhere(repo: Path) -> None:
    break_file(repo, KB, "    due: 2026-03\n", "    due: 31.03.2026\n")
    assert run("overdue", "--roadmap", AM).exit_code == 0  # and a cache entry, when cached
    result = run("overdue", "--roadmap", AM, "--strict")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "write it as 2026-03-31 [date-format]" in result.stderr
    assert "refusing to report on invalid data: 1 error;" in result.stderr


def test_an_error_in_the_document_reported_on_refuses(repo: Path) -> None:
    break_file(repo, KB, "    due: 2026-03\n", "    due: 31.03.2026\n")
    result = run("overdue", "--roadmap", KB)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "measure 1.1: 31.03.2026 is written in another form" in result.stderr


def test_the_document_reported_on_named_loosely_still_refuses(repo: Path) -> None:
    break_file(repo, KB, "    due: 2026-03\n", "    due: 31.03.2026\n")
    for typed in ("KZ-BY-INDUSTRIAL-COOPERATION-2026-2028", "kz-by"):
        result = run("overdue", "--roadmap", typed)
        assert (result.exit_code, result.stdout) == (1, ""), typed
        assert "[date-format]" in result.stderr


def test_without_roadmap_every_document_is_reported_on(repo: Path) -> None:
    break_file(repo, KB, "    due: 2026-03\n", "    due: 31.03.2026\n")
    for command in ("status", "overdue", "upcoming", "agencies", "indicators"):
        result = run(command)
        assert result.exit_code == 1, command
        assert "[date-format]" in result.stderr


def test_a_broken_document_is_known_by_its_id_even_when_it_cannot_be_read(repo: Path) -> None:
    # a syntax error: the document's id cannot be read; its file name says which it is
    break_file(repo, AV, "    status: done\n", "    status:done\n")
    ok = run("status", "--roadmap", AM, "--roadmap", KB)
    assert ok.exit_code == 0
    assert f"roadmaps/{AV}.yaml" in ok.stderr
    refused = run("status", "--roadmap", AV)
    assert refused.exit_code == 1
    assert "a space is missing after ':'" in refused.stderr


def test_errors_in_agencies_yaml_always_refuse(repo: Path) -> None:
    path = repo / "roadmaps" / "agencies.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("level: national", "level: nation", 1),
                    encoding="utf-8")
    result = run("status", "--roadmap", AM)
    assert result.exit_code == 1
    assert "[schema-enum]" in result.stderr


def test_show_refuses_only_for_its_document(repo: Path) -> None:
    break_file(repo, KB, "    due: 2026-03\n", "    due: 31.03.2026\n")
    assert run("show", f"{AM}/1.1").exit_code == 0
    assert run("show", f"{KB}/1.2").exit_code == 1
    assert run("show", f"{AM}/1.1", "--strict").exit_code == 1


def test_a_completion_after_today_refuses_only_its_document(repo: Path) -> None:
    break_file(repo, KB, "    completed: 2026-02-26\n", "    completed: 2126-02-26\n")
    ok = run("upcoming", "--roadmap", AM, "--format", "json")
    assert ok.exit_code == 0 and f"roadmaps/{KB}.yaml" in ok.stderr
    refused = run("upcoming", "--roadmap", KB)
    assert refused.exit_code == 1 and "[completed-in-future]" in refused.stderr


def test_a_file_of_many_errors_is_read_once_to_tell_its_id(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A refusal for ``--roadmap`` reads the id of a broken file once, not once per problem (a
    file of a thousand errors took 20 s to refuse)."""
    from roadmap_cli import workspace

    line = '  - {id: "1", title: T, owners: [kz-mic], due: 2026, status: not_started}\n'
    break_file(repo, AM, "measures:\n", "measures:\n" + line * 50)
    calls: list[str] = []
    real = workspace.document_id
    monkeypatch.setattr(workspace, "document_id", lambda file: calls.append(file) or real(file))
    result = run("status", "--roadmap", "astana")
    assert result.exit_code == 1
    assert "duplicate-measure-id" in result.stderr
    assert len(calls) <= 1
