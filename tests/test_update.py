"""roadmap update end to end: exact diffs on copies of the shipped roadmaps, validation before
writing, and the write discipline (locks, changed files, read-only files, injected failures)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from importlib.util import find_spec
from pathlib import Path

import pytest
from clirun import run

from roadmap_cli import edit, safewrite
from roadmap_cli.errors import WriteConflict

SHIPPED = Path(__file__).resolve().parent.parent / "roadmaps"
KZBY = "kz-by-industrial-cooperation-2026-2028"
FILE = f"roadmaps/{KZBY}.yaml"


@pytest.fixture
def repo(shipped_copy: Path) -> Path:
    return shipped_copy


def changes(diff: str) -> list[str]:
    """The removed and added lines of a unified diff (headers left out)."""
    return [
        line for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++ ", "--- "))
    ]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".yaml"))


# --- exact changes on the shipped files ---------------------------------------------------------

def line_of(text: str, measure: str, needle: str) -> int:
    """The 1-based line of ``needle`` within measure ``measure`` (the shipped data may move)."""
    i = text.index(needle, text.index(f'- id: "{measure}"'))
    return text.count("\n", 0, i) + 1


def measure_data(text: str, measure: str) -> dict[str, object]:
    from roadmap_cli.yamlsrc import parse

    doc = parse(text.encode("utf-8"), FILE).data
    return next(m for m in doc["measures"] if m["id"] == measure)


def dry_run_done(text: str) -> str:
    """The diff of `--status done --on 2026-11-20` on measure 2.1 (in progress, 60 %)."""
    n = line_of(text, "2.1", "    status: in_progress\n    progress: 60\n")
    lines = text.splitlines(keepends=True)
    return (
        f"--- a/{FILE}\n+++ b/{FILE}\n@@ -{n - 3},8 +{n - 3},8 @@\n"
        + "".join(" " + line for line in lines[n - 4 : n - 1])
        + "-    status: in_progress\n-    progress: 60\n+    status: done\n+    completed: 2026-11-20\n"
        + "".join(" " + line for line in lines[n + 1 : n + 4])
    )


def test_a_warm_update_reads_the_edited_file_once_and_its_result_twice(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the cache warm, the edited document's id comes from what the cache knows and its
    text is parsed once for the edit; the edited text once (it reads back as intended, and that
    reading is what is checked). No other file is parsed."""
    from parsecount import counting_parses

    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(repo / ".cache"))
    monkeypatch.delenv("ROADMAP_NO_CACHE", raising=False)
    assert run(capsys, "update", f"{KZBY}/2.1", "--progress", "65", "--dry-run")[0] == 0
    parsed = counting_parses(monkeypatch)
    monkeypatch.setattr(edit, "parse", __import__("roadmap_cli.yamlsrc").yamlsrc.parse)
    code, out, _err = run(capsys, "update", f"{KZBY}/2.1", "--progress", "70", "--dry-run")
    assert (code, changes(out)) == (0, ["-    progress: 60", "+    progress: 70"])
    assert [Path(name).name for name in parsed] == [f"{KZBY}.yaml", f"{KZBY}.yaml"]


@pytest.mark.parametrize("typed", ["kz-by-industrial", "KZ-BY-INDUSTRIAL-COOPERATION-2026-2028"])
def test_a_warm_update_by_the_start_of_an_id_parses_no_other_file(
    typed: str, repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start of an id (or the id in another case) names no file: the ids of the files come
    from what the cache knows, not from parsing every document of the folder (a typo in a
    folder of a thousand documents took seconds); a typo still lists the known ids."""
    from parsecount import counting_parses

    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(repo / ".cache"))
    monkeypatch.delenv("ROADMAP_NO_CACHE", raising=False)
    assert run(capsys, "status", "--format", "json")[0] == 0  # fills the cache
    parsed = counting_parses(monkeypatch)
    monkeypatch.setattr(edit, "parse", __import__("roadmap_cli.yamlsrc").yamlsrc.parse)
    code, out, _err = run(capsys, "update", f"{typed}/2.1", "--progress", "70", "--dry-run")
    assert (code, changes(out)) == (0, ["-    progress: 60", "+    progress: 70"])
    assert [Path(name).name for name in parsed] == [f"{KZBY}.yaml", f"{KZBY}.yaml"]
    parsed.clear()
    code, out, err = run(capsys, "update", "kz-by-industrail-cooperation-2026-2028/2.1", "--progress", "70")
    assert (code, out, parsed) == (2, "", [])
    assert f"did you mean '{KZBY}'?" in err and "known: almaty-region-vitebsk-memorandum-2025, " in err


def test_an_update_of_a_file_the_cache_does_not_know_parses_it_once(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache filled before the file was edited by hand knows the other files, not its new
    bytes: the reading that finds the document's id is the one checked (its text parsed once,
    then its edit once); no other file is parsed."""
    from parsecount import counting_parses

    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(repo / ".cache"))
    monkeypatch.delenv("ROADMAP_NO_CACHE", raising=False)
    assert run(capsys, "status", "--format", "json")[0] == 0  # fills the cache
    (repo / FILE).write_bytes((repo / FILE).read_bytes() + b"# reviewed\n")
    parsed = counting_parses(monkeypatch)
    monkeypatch.setattr(edit, "parse", __import__("roadmap_cli.yamlsrc").yamlsrc.parse)
    code, out, _err = run(capsys, "update", f"{KZBY}/2.1", "--progress", "70", "--dry-run")
    assert (code, changes(out)) == (0, ["-    progress: 60", "+    progress: 70"])
    assert [Path(name).name for name in parsed] == [f"{KZBY}.yaml", f"{KZBY}.yaml"]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["utf-8", "with a BOM"])
def test_an_update_without_the_cache_parses_the_file_and_its_edit_once_each(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bom: bytes
) -> None:
    """Without a cache the edited file is checked before the edit from the reading that found
    its ids, and its edit from the reading that verified it: each text is parsed once (the files
    before it once each, for their ids). A file with a byte order mark is written with it, so
    its edit (read back without it) is read again for the check. The diff and the refusal of
    an edit that breaks a rule are those of the run that parsed everything again."""
    from parsecount import counting_parses

    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    (repo / FILE).write_bytes(bom + (repo / FILE).read_bytes())
    parsed = counting_parses(monkeypatch)
    monkeypatch.setattr(edit, "parse", __import__("roadmap_cli.yamlsrc").yamlsrc.parse)
    code, out, _err = run(capsys, "update", f"{KZBY}/2.1", "--progress", "70", "--dry-run")
    assert (code, changes(out)) == (0, ["-    progress: 60", "+    progress: 70"])
    names = [Path(name).name for name in parsed]
    assert names.count(f"{KZBY}.yaml") == (3 if bom else 2)
    assert len(set(names)) == len(names) - names.count(f"{KZBY}.yaml") + 1  # the others once
    # the check of that reading still finds and locates what the edit would break
    real_plan = edit.plan
    monkeypatch.setattr(edit, "plan", lambda *a, **kw: [
        *(ops := real_plan(*a, **kw)), edit.Op("set", ops[0].path, "status", "finished")])
    n = line_of((repo / FILE).read_bytes().decode("utf-8-sig"), "2.1", "    status: in_progress\n")
    code, out, err = run(capsys, "update", f"{KZBY}/2.1", "--progress", "70", "--dry-run")
    assert (code, out) == (1, "")
    assert err.splitlines()[0].startswith(f"{FILE}:{n}:13: error: ")
    assert "refusing the update: it would leave 1 error(s)" in err


def test_dry_run_prints_the_diff_and_writes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (repo / FILE).read_bytes()
    code, out, err = run(capsys, "update", f"{KZBY}/2.1", "--status", "done", "--on", "2026-11-20",
                         "--dry-run")
    assert (code, out) == (0, dry_run_done(before.decode("utf-8")))
    assert "dry run: nothing was written" in err
    assert (repo / FILE).read_bytes() == before
    assert leftovers(repo / "roadmaps") == []


@pytest.mark.parametrize(
    "args, expected",
    [
        pytest.param(
            ["2.1", "--progress", "75"],
            ["-    progress: {progress}", "+    progress: 75"],
            id="progress",
        ),
        pytest.param(
            ["4.1", "--status", "cancelled", "--reason", "Dropped by the working group"],
            ["-    status: not_started", "+    status: cancelled",
             "+    reason: Dropped by the working group"],
            id="cancelled with reason",
        ),
        pytest.param(
            ["3.5", "--status", "in_progress", "--progress", "10"],
            ["-    status: blocked",
             "-    reason: {reason}",
             "+    status: in_progress", "+    progress: 10"],
            id="unblocked",
        ),
        pytest.param(
            ["1.1", "--completed", "2026-02-27"],
            ["-    completed: {completed}", "+    completed: 2026-02-27"],
            id="completed",
        ),
        pytest.param(
            ["2.2", "--due", "2028-H1"],
            ['-    due: "{due}"', '+    due: "2028-H1"'],
            id="due keeps quotes",
        ),
        pytest.param(
            ["2.3", "--due", "2027"],
            ["-    due: {due}", '+    due: "2027"'],
            id="due year gets quotes",
        ),
        pytest.param(
            ["1.4", "--reported", "2026-Q3", "--on", "2026-10-14"],
            ["+      - {period: 2026-Q3, date: 2026-10-14}"],
            id="reported",
        ),
        pytest.param(
            ["3.3", "--actual", "combines-per-year=610", "--on", "2026-10-31"],
            ["+          - {date: 2026-10-31, value: 610}"],
            id="actual",
        ),
        pytest.param(
            ["1.3", "--evidence", "Протокол B2B-сессии", "--url", "https://www.gov.kz/b2b",
             "--on", "2026-10-10"],
            ["+      - title: Протокол B2B-сессии", "+        date: 2026-10-10",
             "+        url: https://www.gov.kz/b2b"],
            id="evidence",
        ),
    ],
)
def test_each_option_changes_exactly_its_lines(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: list[str]
) -> None:
    before = (repo / FILE).read_text(encoding="utf-8")
    old = measure_data(before, args[0])  # the shipped values, wherever the data team moved them
    code, out, err = run(capsys, "update", f"{KZBY}/{args[0]}", *args[1:])
    assert code == 0, err
    assert out.startswith(f"{FILE}: {KZBY}/{args[0]}\n")
    after = (repo / FILE).read_text(encoding="utf-8")
    removed = [line.format(**old) for line in expected if line.startswith("-")]  # old values
    added = [line for line in expected if line.startswith("+")]
    assert changes(edit.unified_diff(before, after, FILE)) == removed + added
    assert leftovers(repo / "roadmaps") == []
    assert run(capsys, "validate")[0] == 0


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "core.autocrlf=false",
         *args],
        cwd=repo, check=True, capture_output=True, text=True,
    ).stdout


def test_git_diff_and_roadmap_diff_show_exactly_the_change(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "init", "-q")
    git(repo, "add", "roadmaps")
    git(repo, "commit", "-q", "-m", "shipped")
    expected = dry_run_done((repo / FILE).read_text(encoding="utf-8"))
    code, out, err = run(capsys, "update", f"{KZBY}/2.1", "--status", "done", "--on", "2026-11-20")
    assert code == 0, err
    assert git(repo, "status", "--porcelain") == f" M {FILE}\n"
    diff = git(repo, "diff", "--no-color")
    body = diff[diff.index("--- a/"):]
    header = expected.splitlines()[2]
    assert body == expected.replace(header, header + " measures:")
    if find_spec("roadmap_cli.commands.diff") is None:  # pragma: no cover - before `diff` exists
        pytest.skip("roadmap diff is not there yet")
    code, out, err = run(capsys, "diff", "HEAD", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["roadmap"], r["measure"], r["change"], r["field"], r["old"], r["new"]) for r in rows] == [
        (KZBY, "2.1", "changed", "status", "in_progress", "done"),
        (KZBY, "2.1", "changed", "progress", 60, None),
        (KZBY, "2.1", "changed", "completed", None, "2026-11-20"),
    ]


def test_crlf_and_bom_file_keeps_both(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lf = (repo / FILE).read_bytes()
    (repo / FILE).write_bytes(b"\xef\xbb\xbf" + lf.replace(b"\n", b"\r\n"))
    args = ("--status", "done", "--on", "2026-11-20", "--evidence", "Act", "--url", "https://x.kz/")
    assert run(capsys, "update", f"{KZBY}/2.1", *args)[0] == 0
    crlf = (repo / FILE).read_bytes()
    (repo / FILE).write_bytes(lf)
    assert run(capsys, "update", f"{KZBY}/2.1", *args)[0] == 0
    assert crlf == b"\xef\xbb\xbf" + (repo / FILE).read_bytes().replace(b"\n", b"\r\n")


def test_the_same_answer_twice_is_written_once(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An answer given twice (the same workbook applied twice in one run, a command run twice)
    added its evidence twice and showed 'progress: 75 -> 75' as a change (found by an audit)."""
    args = ("--progress", "75", "--evidence", "Протокол РГ", "--url", "https://gov.kz/rg", "--on", "2026-11-20")
    assert run(capsys, "update", f"{KZBY}/4.3", *args)[0] == 0
    once = (repo / FILE).read_bytes()
    assert once.count("Протокол РГ".encode()) == 1
    code, out, err = run(capsys, "update", f"{KZBY}/4.3", *args)
    assert (code, out) == (0, "") and "nothing to change" in err
    assert (repo / FILE).read_bytes() == once
    # the same title on another day is other evidence; progress already 75 is not a change
    code, out, err = run(capsys, "update", f"{KZBY}/4.3", *args[:-1], "2026-11-21", "--dry-run")
    assert code == 0 and "progress" not in out, out
    assert out.count("+      - title: Протокол РГ") == 1 and "+        date: 2026-11-21" in out, out


@pytest.mark.parametrize("word", ["выполнено", "Done", "done"])
def test_status_in_the_words_the_tables_print(repo: Path, capsys: pytest.CaptureFixture[str], word: str) -> None:
    """The tables say 'выполнено'; `update --status выполнено` was refused (only the ids were
    accepted: found by a newcomer's walkthrough in Russian). The file gets the id."""
    code, _out, err = run(capsys, "update", f"{KZBY}/2.1", "--status", word, "--on", "2026-11-20")
    assert code == 0, err
    assert "    status: done\n" in (repo / FILE).read_text(encoding="utf-8")


def test_nothing_to_change(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (repo / FILE).read_bytes()
    code, out, err = run(capsys, "update", f"{KZBY}/1.1", "--status", "done")
    assert (code, out) == (0, "")
    assert "nothing to change" in err
    assert (repo / FILE).read_bytes() == before


def test_new_warnings_are_shown_and_the_edit_is_written(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "update", f"{KZBY}/2.3", "--due", "2029-Q1")
    assert code == 0
    assert "warning: measure 2.3: the deadline 2029-03-31 is outside the document's period" in err
    assert "due: 2029-Q1" in (repo / FILE).read_text(encoding="utf-8")


def test_symlinked_file_is_edited_through_the_link(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = repo / "roadmaps" / "elsewhere" / f"{KZBY}.yaml"  # links are followed inside roadmaps/
    real.parent.mkdir()
    shutil.move(repo / FILE, real)
    (repo / FILE).symlink_to(real)
    assert run(capsys, "update", f"{KZBY}/2.1", "--progress", "61")[0] == 0
    assert (repo / FILE).is_symlink()
    assert "progress: 61" in real.read_text(encoding="utf-8")
    assert leftovers(repo / "roadmaps") == ["elsewhere"] and sorted(os.listdir(real.parent)) == [real.name]


def test_mode_is_kept(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.chmod(repo / FILE, 0o640)
    assert run(capsys, "update", f"{KZBY}/2.1", "--progress", "61")[0] == 0
    assert stat.S_IMODE(os.stat(repo / FILE).st_mode) == 0o640


# --- refusals: the file stays byte for byte -------------------------------------------------------


def test_an_earlier_report_is_named_by_its_day_as_the_tables_write_it(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADMAP_LANG", "ru")
    got, _out, err = run(capsys, "update", f"{KZBY}/1.4", "--reported", "2026-Q1")
    assert got == 2 and "(дата: 14.04.2026)" in err, err


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["2.1", "--status", "blocked"], 2, "--status blocked needs --reason TEXT"),
        (["2.1", "--progress", "101"], 2, "'101' is not a whole number from 0 to 100"),
        (["2.1", "--progress", "30%"], 2, "write the number without the % sign (30)"),
        (["2.1", "--progress", "²"], 2, "'²' is not a whole number from 0 to 100"),
        (["2.1", "--progress", "5²%"], 2, "'5²%' is not a whole number from 0 to 100"),
        (["2.1", "--status", "finished"], 2, "'finished' is not a status; give one of: not_started,"),
        (["2.1", "--on", "2026-02-30"], 2, "February 2026 has 28 days"),
        (["2.1", "--status", "done", "--on", "2199-01-01"], 2,
         "2199-01-01 is after today"),
        (["2.1", "--status", "done", "--completed", "2199-01-01"], 2, "2199-01-01 is after today"),
        (["1.4", "--reported", "2026-Q3", "--on", "2199-01-01"], 2, "2199-01-01 is after today"),
        (["2.1", "--actual", "tractors"], 2, "expected INDICATOR=VALUE"),
        (["9.9", "--status", "done"], 2, "no measure '9.9'"),
        (["1.4", "--reported", "2026-Q1"], 2, "2026-Q1 is already reported (date: 2026-04-14)"),
        (["1.4", "--reported", "2026-05"], 2, "recurs every quarter"),
        (["2.1", "--evidence", "Act", "--url", "www.gov.kz"], 2, "is not an absolute URL"),
        (["2.1"], 2, "nothing to update"),
    ],
)
def test_usage_refusals(repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int,
                        message: str) -> None:
    before = (repo / FILE).read_bytes()
    got, out, err = run(capsys, "update", f"{KZBY}/{args[0]}", *args[1:])
    assert (got, out) == (code, "")
    assert message in err
    assert (repo / FILE).read_bytes() == before


def test_a_future_completed_date_in_the_file_refuses_the_update(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 1.1 is done; its completed date mistyped into the future makes the file invalid
    path = repo / FILE
    text = path.read_text(encoding="utf-8")
    old = text.split('- id: "1.1"', 1)[1].split("completed: ", 1)[1][:10]
    path.write_text(text.replace(f"completed: {old}", "completed: 2199-01-01", 1), encoding="utf-8")
    before = path.read_bytes()
    code, out, err = run(capsys, "update", f"{KZBY}/2.1", "--progress", "70")
    assert (code, out) == (1, "")
    assert "measure 1.1: completed 2199-01-01 is after today" in err
    assert "[completed-in-future]" in err
    assert path.read_bytes() == before


def test_bad_target(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "update", KZBY, "--status", "done")
    assert code == 2 and "is not ROADMAP/MEASURE" in err
    code, _, err = run(capsys, "update", "no-such-roadmap/1.1", "--status", "done")
    assert code == 2 and "no document with id 'no-such-roadmap'" in err


def test_an_edit_that_would_be_invalid_is_refused_with_the_located_problem(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_plan = edit.plan

    def bad_plan(*a: object, **kw: object) -> list[edit.Op]:
        ops = real_plan(*a, **kw)  # type: ignore[arg-type]
        return [*ops, edit.Op("set", ops[0].path, "status", "finished")]

    monkeypatch.setattr(edit, "plan", bad_plan)
    before = (repo / FILE).read_bytes()
    n = line_of(before.decode("utf-8"), "2.1", "    status: in_progress\n")
    code, out, err = run(capsys, "update", f"{KZBY}/2.1", "--progress", "70")
    assert (code, out) == (1, "")
    first = err.splitlines()[0]
    assert first.startswith(f"{FILE}:{n}:13: error: ")
    assert "finished" in first
    assert f"  {n} |     status: finished" in err  # the excerpt shows the refused text
    assert "refusing the update: it would leave 1 error(s)" in err
    assert (repo / FILE).read_bytes() == before
    assert leftovers(repo / "roadmaps") == []


def test_a_file_with_errors_is_not_edited(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (repo / FILE).read_text(encoding="utf-8").replace("status: not_started", "status: later", 1)
    (repo / FILE).write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "update", f"{KZBY}/2.1", "--progress", "70")
    assert (code, out) == (1, "")
    assert "has 1 error(s) already" in err
    assert (repo / FILE).read_text(encoding="utf-8") == text


def test_a_file_that_is_not_utf8_is_not_edited(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = (repo / FILE).read_bytes().replace("Проработать".encode(), "Проработать".encode("cp1251"))
    (repo / FILE).write_bytes(data)
    code, out, err = run(capsys, "update", f"{KZBY}/2.1", "--progress", "70")
    assert (code, out) == (1, "")
    assert "the file is not UTF-8" in err
    assert (repo / FILE).read_bytes() == data


def test_an_existing_lock_refuses_with_exit_3_and_stays(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (repo / FILE).read_bytes()
    lock = repo / (FILE + ".lock")
    lock.write_bytes(b"another edit")
    code, out, err = run(capsys, "update", f"{KZBY}/2.1", "--progress", "70")
    assert (code, out) == (3, "")
    assert "is locked by another edit" in err
    assert lock.read_bytes() == b"another edit"
    assert (repo / FILE).read_bytes() == before


def test_a_file_changed_since_it_was_read_refuses_with_exit_3(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_update = edit.update_measure
    theirs = (repo / FILE).read_bytes().replace(b"progress: 60", b"progress: 65")

    def update_while_someone_saves(*a: object, **kw: object) -> edit.Result:
        result = real_update(*a, **kw)  # type: ignore[arg-type]
        (repo / FILE).write_bytes(theirs)  # another editor saves meanwhile
        return result

    monkeypatch.setattr(edit, "update_measure", update_while_someone_saves)
    code, out, err = run(capsys, "update", f"{KZBY}/2.1", "--progress", "70")
    assert (code, out) == (3, "")
    assert "changed on disk since it was read" in err
    assert (repo / FILE).read_bytes() == theirs
    assert leftovers(repo / "roadmaps") == []


def test_a_read_only_file_refuses_with_exit_3(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (repo / FILE).read_bytes()
    os.chmod(repo / FILE, 0o444)  # root could still write it: the mode bits decide
    code, out, err = run(capsys, "update", f"{KZBY}/2.1", "--progress", "70")
    assert (code, out) == (3, "")
    assert "is read-only" in err
    assert (repo / FILE).read_bytes() == before
    assert stat.S_IMODE(os.stat(repo / FILE).st_mode) == 0o444
    assert leftovers(repo / "roadmaps") == []


@pytest.mark.parametrize("failing", ["replace", "fsync", "fchmod"])
def test_a_failure_before_the_replace_leaves_the_original_and_no_lock(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    before = (repo / FILE).read_bytes()

    def boom(*a: object, **kw: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, boom)
    code, out, err = run(capsys, "update", f"{KZBY}/2.1", "--status", "done")
    monkeypatch.undo()
    assert (code, out) == (3, "")
    assert "the write failed: No space left on device; the file is unchanged" in err
    assert (repo / FILE).read_bytes() == before
    assert leftovers(repo / "roadmaps") == []


# --- safewrite directly ---------------------------------------------------------------------------


def test_replace_file_compares_content_not_time(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_bytes(b"one\n")
    st = os.stat(f)
    with pytest.raises(WriteConflict, match="changed on disk"):
        safewrite.replace_file(str(f), b"two\n", b"three\n")
    f.write_bytes(b"uno\n")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # same time, other content
    with pytest.raises(WriteConflict):
        safewrite.replace_file(str(f), b"one\n", b"three\n")
    safewrite.replace_file(str(f), b"uno\n", b"three\n")
    assert f.read_bytes() == b"three\n"
    assert os.listdir(tmp_path) == ["a.yaml"]


def test_create_file_never_overwrites(tmp_path: Path) -> None:
    f = tmp_path / "new.yaml"
    safewrite.create_file(str(f), b"first\n")
    with pytest.raises(WriteConflict, match="already exists"):
        safewrite.create_file(str(f), b"second\n")
    assert f.read_bytes() == b"first\n"
    assert os.listdir(tmp_path) == ["new.yaml"]


def test_read_only_is_decided_by_mode_bits(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_bytes(b"x")
    os.chmod(f, 0o444)
    assert safewrite.is_read_only(os.stat(f), str(f))
    os.chmod(f, 0o644)
    assert not safewrite.is_read_only(os.stat(f), str(f))


def test_the_editing_core_is_click_free_and_split_at_its_seams() -> None:
    """The transaction, the planning and the splicing import neither click nor rich (the
    commands parse options and print); tests/test_rooms.py holds every module to 600 lines."""
    import sys

    code = ("import sys, roadmap_cli.transaction, roadmap_cli.apply_plan, roadmap_cli.edit, "
            "roadmap_cli.splice, roadmap_cli.yamlscalar, roadmap_cli.edit_signed; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'rich')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout


@pytest.mark.parametrize("due", ["{every: quarter, grace: 15}", "2026-Q", " "])
def test_a_due_update_cannot_write_says_which_it_can(repo: Path, capsys: pytest.CaptureFixture[str], due: str) -> None:
    """The message named a recurring mapping as a valid form, which update refuses (it offered
    the very value it refused), and left out on_request (found by an audit)."""
    before = (repo / FILE).read_bytes()
    code, out, err = run(capsys, "update", f"{KZBY}/2.3", "--due", due)
    assert (code, out) == (2, "")
    assert "is not a due form that update writes" in err and "`on_request`" in err
    assert "such as {every" not in err
    assert (repo / FILE).read_bytes() == before


@pytest.mark.parametrize(("typed", "written"), [("31.12.2026", "2026-12-31"), ("1.7.2027", "2027-07-01")])
def test_a_due_typed_as_the_tables_show_it_is_written_as_a_date(
    repo: Path, capsys: pytest.CaptureFixture[str], typed: str, written: str
) -> None:
    """--on, --completed and --as-of take 31.12.2026 (the tables' Russian form); --due refused
    it as no due form, so an officer copying a deadline from a table had to retype it. The file
    keeps the ISO date; an impossible day is named as typed."""
    code, out, err = run(capsys, "update", f"{KZBY}/2.3", "--due", typed, "--dry-run")
    assert code == 0, err
    assert f"+    due: {written}" in out, out
    code, out, err = run(capsys, "update", f"{KZBY}/2.3", "--due", "31.02.2026", "--dry-run")
    assert code == 2 and "31.02.2026 is not a date" in err, err
    code, out, err = run(capsys, "update", f"{KZBY}/2.3", "--due", "31.12.26", "--dry-run")
    assert code == 2 and "31.12.26 is not a date: write the year in full, DD.MM.YYYY (31.12.2026)" in err, err


def test_a_future_date_is_told_in_the_russian_date_form(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In Russian the refusal of a date after today gave both dates as ISO (2199-01-01, today as
    2026-11-30), where every other Russian line writes 01.01.2199 (found by a terminal audit)."""
    from datetime import date

    from roadmap_cli import i18n

    got, _out, err = run(capsys, "update", f"{KZBY}/2.1", "--status", "done", "--on", "01.01.2199",
                         "--lang", "ru")
    assert got == 2
    assert f"01.01.2199 — позже сегодняшнего дня ({i18n.day(date.today(), 'ru')})" in err
