"""`roadmap stale` by the real git history of a scripted repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from gitrepo import Repo, isolate, run, seeded
from parsecount import counting_parses

from roadmap_cli import stale
from roadmap_cli.cycle import fingerprint

DOC = "roadmaps/kz-by-test.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """Added on 2026-01-10; 1.1 changed on 2026-03-01, 1.2 on 2026-05-20; then a reformat of the
    whole file (no data changed) on 2026-06-01."""
    isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    r = seeded(tmp_path / "repo")
    r.edit(DOC, "    progress: 50\n", "    progress: 60\n")
    r.commit("1.1: progress from the ministry", date="2026-03-01T12:00:00+05:00")
    r.edit(DOC, "    due: 2026-06\n    status: not_started\n",
           "    due: 2026-06\n    status: in_progress\n")
    r.commit("1.2 started", date="2026-05-20T12:00:00+03:00")
    r.edit(DOC, "parties: [kz-mic, by-minprom]", "parties:   [kz-mic, by-minprom]   # reformatted")
    r.commit("Reformat", date="2026-06-01T12:00:00+05:00")
    monkeypatch.chdir(r.root)
    return r


def rows(*args: str) -> list[dict[str, object]]:
    done = run("stale", "--format", "json", *args)
    assert done.code == 0, done.err
    return json.loads(done.out)  # type: ignore[no-any-return]


def test_a_document_named_is_read_with_the_history_of_its_folder(repo: Repo) -> None:
    """`stale roadmaps/x.yaml` took the file for the folder: no commit matched it, every
    measure had changed 'today' and the list was empty (found by an audit)."""
    every = rows("--as-of", "2026-06-30", "--older-than", "30d")
    named = rows("--as-of", "2026-06-30", "--older-than", "30d", DOC)
    assert named == [r for r in every if r["roadmap"] == "kz-by-test"] and len(named) == 4
    assert all(r["commit"] for r in named)


def test_a_missing_path_is_named(repo: Repo) -> None:
    """It said '/ is not in a git repository' (found by an audit of the JSON contract)."""
    done = run("stale", "/no/such/folder")
    assert done.code == 2 and "roadmap: /no/such/folder: no such file or folder" in done.err


def test_stale_lists_open_measures_by_their_last_change(repo: Repo) -> None:
    first = repo.git("rev-list", "--max-parents=0", "HEAD").strip()
    c11 = repo.git("rev-list", "-n1", "HEAD~2").strip()
    c12 = repo.git("rev-list", "-n1", "HEAD~1").strip()
    got = rows("--as-of", "2026-06-30", "--older-than", "30d")
    assert c12 != first and got == [
        {"roadmap": "astana-minsk-memo", "measure": "1", "title": "Exchange trade missions",
         "owners": ["kz-mti"], "status": "not_started", "last_changed": "2026-01-10",
         "days_since_change": 171, "commit": first},
        {"roadmap": "kz-by-test", "measure": "1.3",
         "title": "Report on joint ventures every quarter", "owners": ["kz-mic", "by-minprom"],
         "status": "in_progress", "last_changed": "2026-01-10", "days_since_change": 171,
         "commit": first},
        {"roadmap": "kz-by-test", "measure": "1.4", "title": "Assemble MAZ buses in Kazakhstan",
         "owners": ["by-maz"], "status": "not_started", "last_changed": "2026-01-10",
         "days_since_change": 171, "commit": first},
        {"roadmap": "kz-by-test", "measure": "1.1", "title": "Hold a business forum",
         "owners": ["kz-mic"], "status": "in_progress", "last_changed": "2026-03-01",
         "days_since_change": 121, "commit": c11},
        {"roadmap": "kz-by-test", "measure": "1.2", "title": "Open a trading house",
         "owners": ["by-minprom"], "status": "in_progress", "last_changed": "2026-05-20",
         "days_since_change": 41, "commit": c12},
    ]
    # 1.2 changed 41 days before: not older than 60 days
    assert [r["measure"] for r in rows("--as-of", "2026-06-30", "--older-than", "60d")] == \
        ["1", "1.3", "1.4", "1.1"]
    assert [r["commit"] for r in rows("--as-of", "2026-06-30", "--older-than", "40d")][-1] == c12
    assert rows("--as-of", "2026-06-30", "--older-than", "1y") == []


def test_filters_and_past_dates(repo: Repo) -> None:
    assert [r["measure"] for r in rows("--as-of", "2026-06-30", "--older-than", "30d",
                                       "--agency", "kz-mic")] == ["1.3", "1.1"]
    assert [r["measure"] for r in rows("--as-of", "2026-06-30", "--roadmap", "astana-minsk-memo",
                                       "--older-than", "30d")] == ["1"]
    # as of 2026-04-01 the change of 1.2 (2026-05-20) has not happened yet
    got = rows("--as-of", "2026-04-01", "--older-than", "30d", "--roadmap", "kz-by-test")
    assert [(r["measure"], r["last_changed"]) for r in got] == [
        ("1.2", "2026-01-10"), ("1.3", "2026-01-10"), ("1.4", "2026-01-10"), ("1.1", "2026-03-01")]


def test_done_and_cancelled_measures_are_not_stale(repo: Repo) -> None:
    repo.edit(DOC, "    due: \"2027\"\n    status: not_started\n",
              "    due: \"2027\"\n    status: cancelled\n    reason: Not needed\n")
    repo.commit("1.4 cancelled", date="2026-02-01T10:00:00+05:00")
    got = rows("--as-of", "2026-06-30", "--older-than", "30d", "--roadmap", "kz-by-test")
    assert [r["measure"] for r in got] == ["1.3", "1.1", "1.2"]


def test_an_uncommitted_change_counts_as_today(repo: Repo) -> None:
    today = date.today().isoformat()
    repo.edit(DOC, "    progress: 60\n", "    progress: 65\n")
    got = rows("--as-of", today, "--older-than", "0d", "--roadmap", "kz-by-test")
    assert "1.1" not in [r["measure"] for r in got]
    done = run("stale", "--as-of", today, "--older-than", "0d", "--roadmap", "kz-by-test")
    assert done.code == 0
    assert "uncommitted" not in done.out
    # without the edit, 1.1 is back
    repo.git("checkout", "--", DOC)
    got = rows("--as-of", today, "--older-than", "0d", "--roadmap", "kz-by-test")
    assert "1.1" in [r["measure"] for r in got]


def test_the_table(repo: Repo) -> None:
    done = run("stale", "--as-of", "2026-06-30", "--older-than", "100d", "--agency", "kz-mic")
    assert done.code == 0, done.err
    short = repo.git("rev-list", "-n1", "--abbrev-commit", "--abbrev=7",
                     "--max-parents=0", "HEAD").strip()[:7]
    lines = [line.rstrip() for line in done.out.splitlines()]
    assert lines[0].split() == ["Days", "Measure", "Status", "Last", "change"]
    assert lines[2].split() == ["171", "kz-by-test/1.3", "in", "progress", "2026-01-10"]
    assert lines[3].split() == ["Report", "on", "joint", "ventures", "every", "quarter", short]
    assert lines[4].split() == ["leads:", "kz-mic,", "by-minprom"]
    assert lines[6].split()[:2] == ["121", "kz-by-test/1.1"]
    assert lines[-1] == "As of 2026-06-30."
    assert all(len(line) <= 80 for line in lines)


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_the_documents_are_let_go_before_the_rows_are_drawn(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """stale's rows are plain values: the loaded documents are let go before the table (or
    the JSON) is drawn, which takes their memory (1,000 documents, 83,000 rows: 446 -> 351 MB
    cold, 456 -> 404 MB warm)."""
    import weakref

    from roadmap_cli import render
    from roadmap_cli.commands import _reports

    loaded: list[weakref.ref[Any]] = []
    real_load, real_render = _reports.load_view, render.render_rows

    def load(*args: Any, **kwargs: Any) -> Any:
        repo_, view = real_load(*args, **kwargs)
        loaded.extend(weakref.ref(rm) for rm in repo_.roadmaps)
        return repo_, view

    def drawn(*args: Any, **kwargs: Any) -> Any:
        assert loaded and all(ref() is None for ref in loaded), "a document is still held"
        return real_render(*args, **kwargs)

    monkeypatch.setattr(_reports, "load_view", load)
    monkeypatch.setattr(render, "render_rows", drawn)
    done = run("stale", "--as-of", "2026-06-30", "--older-than", "100d", "--format", fmt)
    assert done.code == 0, done.err
    assert "kz-by-test/1.3" in done.out or '"1.3"' in done.out


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_the_table_is_given_only_what_its_columns_read(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """The rows a table (or Markdown) draws hold the keys its columns and their styles read,
    and the rows as computed are let go as they are shown (83,000 rows at 1,000 documents:
    cold 357 -> 295 MB at the peak)."""
    from roadmap_cli import render
    from roadmap_cli.commands import stale as command

    real_render = render.render_rows
    seen: list[Any] = []

    def drawn(rows: Any, columns: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append((rows, columns, kwargs.get("json_rows")))
        return real_render(rows, columns, *args, **kwargs)

    monkeypatch.setattr(render, "render_rows", drawn)
    done = run("stale", "--as-of", "2026-06-30", "--older-than", "100d", "--format", fmt)
    assert done.code == 0, done.err
    ((rows, columns, json_rows),) = seen
    assert rows and json_rows is None
    wanted = {c.key for c in columns} | ({"status"} if fmt == "table" else set())  # (its colour)
    assert all(set(row) == wanted for row in rows), (set(rows[0]), wanted)
    assert columns is (command.COLUMNS if fmt == "table" else command.MARKDOWN_COLUMNS)


def test_outside_git_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, tmp_path)
    folder = tmp_path / "plain"
    (folder / "roadmaps").mkdir(parents=True)
    monkeypatch.chdir(folder)
    done = run("stale")
    assert done.code == 2
    assert done.err == (f"roadmap: {folder} is not in a git repository (diff and history compare "
                        "revisions of the roadmaps kept in git)\n")


def test_a_reformat_is_not_a_change() -> None:
    a = b'id: d\nmeasures:\n  - {id: "1", title: T, status: done}\n'
    b = b'id: d\nmeasures:\n  - id: "1"\n    title: "T"\n    status: done   # same\n'
    assert stale.measure_prints(a, "a") == stale.measure_prints(b, "b")
    assert stale.measure_prints(b"not: [yaml", "x") == {stale.UNREADABLE: ""}  # says nothing of its measures
    assert stale.measure_prints(b"- a list\n", "x") == {}
    assert stale.measure_prints(b"id: d\nmeasures:\n  - id: 1.10\n", "x") == {
        ("d", "1.10"): fingerprint({"id": 1.1})}


SCRIPT = Path(sys.executable).parent / "roadmap"


@pytest.mark.skipif(not SCRIPT.exists(), reason="the roadmap console script is not installed")
def test_the_installed_command(repo: Repo) -> None:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80", "ROADMAP_NO_CACHE": "1"}
    done = subprocess.run([str(SCRIPT), "stale", "--as-of", "2026-06-30", "--format", "csv",
                           "--roadmap", "astana-minsk-memo"], cwd=repo.root, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    first = repo.git("rev-list", "--max-parents=0", "HEAD").strip()
    assert done.stdout.splitlines() == [
        "roadmap,measure,title,owners,status,last_changed,days_since_change,commit",
        f"astana-minsk-memo,1,Exchange trade missions,kz-mti,not_started,2026-01-10,171,{first}",
    ]


def test_the_cache_changes_no_answer(repo: Repo, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """stale keeps each revision's fingerprints in the cache, by its bytes: with the cache
    empty, filled, after a new commit and with an uncommitted edit, the answers of a run
    without it; and a warm run parses no revision it has seen."""
    questions = [("--as-of", "2026-06-30", "--older-than", "30d"),
                 ("--as-of", "2026-04-01", "--older-than", "10d"),
                 ("--as-of", date.today().isoformat(), "--older-than", "0d")]

    def both() -> list[object]:
        monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
        plain = [rows(*q) for q in questions]
        monkeypatch.setenv("ROADMAP_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.delenv("ROADMAP_NO_CACHE")
        for _ in range(2):  # filling, then filled
            assert [rows(*q) for q in questions] == plain
        return plain

    first = both()
    assert any((tmp_path / "cache" / "prints").glob("*.bin"))
    with monkeypatch.context() as m:
        parsed = counting_parses(m)
        rows(*questions[0])
    assert parsed == []  # every revision's fingerprints from the cache, the files' units too
    repo.edit(DOC, "    progress: 60\n", "    progress: 70\n")
    repo.commit("1.1: more progress", date="2026-06-10T12:00:00+05:00")
    after_commit = both()
    assert after_commit != first
    repo.edit(DOC, "    progress: 70\n", "    progress: 75\n")  # uncommitted
    assert both() != after_commit
    from roadmap_cli import cycle

    with monkeypatch.context() as m:  # the uncommitted edit's fingerprints come from the cache
        made: list[object] = []
        real = cycle.fingerprint
        m.setattr(cycle, "fingerprint", lambda data: made.append(data) or real(data))
        rows(*questions[1])
    assert made == []


def test_an_edit_during_a_run_is_not_kept_under_the_loaded_fingerprints(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file edited by another run (an `update`) after stale loaded it and before it read the
    file's bytes again for their fingerprints: the loaded document's fingerprints were kept
    for the edited bytes, so every later warm run took the uncommitted edit for no change and
    listed the measure as stale where a run without the cache did not (found by an audit of
    the cache)."""
    from roadmap_cli import history

    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ROADMAP_NO_CACHE")
    today = date.today().isoformat()
    question = ("--as-of", today, "--older-than", "0d", "--roadmap", "kz-by-test")
    assert run("status").code == 0  # the units of the files as committed
    real = history._bytes
    edits: list[str] = []

    def edited_meanwhile(path: str) -> bytes | None:
        if path.endswith("kz-by-test.yaml") and not edits:
            edits.append(path)
            repo.edit(DOC, "Hold a business forum", "Hold a business forum in Astana")
        return real(path)

    with monkeypatch.context() as m:
        m.setattr(history, "_bytes", edited_meanwhile)
        rows(*question)
    assert edits and "in Astana" in Path(DOC).read_text(encoding="utf-8")
    warm = [r["measure"] for r in rows(*question)]
    cold = [r["measure"] for r in json.loads(
        run("stale", "--format", "json", *question, env={"ROADMAP_NO_CACHE": "1"}).out)]
    assert "1.1" not in cold  # an uncommitted change counts as today
    assert warm == cold


def test_an_unusable_cache_folder_changes_nothing_but_one_warning(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """stale opens the cache twice (the load of the folder, then the fingerprints of its
    history): with a file where the cache folder should be, it said "the cache is not used"
    twice, where every other command says it once (found by an audit of the cache)."""
    question = ("stale", "--as-of", "2026-06-30", "--older-than", "30d")
    plain = run(*question)
    (tmp_path / "cache").write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ROADMAP_NO_CACHE")
    done = run(*question)
    warning = f"roadmap: warning: the cache is not used: {tmp_path / 'cache'} is not a folder\n"
    assert (done.code, done.out) == (plain.code, plain.out) and plain.code == 0
    assert done.err == warning + plain.err


def test_the_working_tree_takes_the_fingerprints_of_the_blob_it_equals(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A working-tree file's fingerprints, taken from its loaded document, are those its bytes
    give as a revision (so a revision of the same bytes is not parsed again), by the blob id
    of the bytes; an edited file has its own; a cold run parses only the revisions that no
    file of the working tree holds; and the table, in Russian too, is the same with the cache
    as without."""
    from roadmap_cli import load
    from roadmap_cli import sources as sources_mod
    from roadmap_cli.git import blob_sha
    from roadmap_cli.history import working_prints
    from roadmap_cli.stale import measure_prints

    def loaded() -> list[Any]:
        return load.load_sources(sources_mod.read_sources(sources_mod.find_files(["roadmaps"]))).roadmaps

    roadmaps = loaded()
    now, by_blob = working_prints(roadmaps, fingerprint)
    as_revisions = {blob_sha(Path(rm.file).read_bytes()): measure_prints(Path(rm.file).read_bytes(), rm.file)
                    for rm in roadmaps}
    assert by_blob == as_revisions
    assert now == {k: fp for prints in as_revisions.values() for k, fp in prints.items()}
    sha256 = working_prints(roadmaps, fingerprint, length=64)[1]
    assert sorted(sha256) == sorted(blob_sha(Path(rm.file).read_bytes(), 64) for rm in roadmaps)
    with monkeypatch.context() as m:  # HEAD's revisions are the files: only older ones parsed
        parsed = counting_parses(m)
        rows("--as-of", "2026-06-30", "--older-than", "30d")
    heads = {repo.git("rev-parse", f"HEAD:{rm.file}").strip() for rm in roadmaps}
    revisions = {t for t in repo.git("log", "--format=", "--raw", "--no-abbrev", "--", "roadmaps").split()
                 if len(t) == 40 and t.strip("0")}  # (the blob ids, before and after each commit)
    assert len(parsed) == len(roadmaps) + 1 + 3  # the files loaded (agencies.yaml too), three older revisions
    assert not heads & set(parsed) and len(revisions & set(parsed)) == 3
    repo.edit(DOC, "    progress: 60\n", "    progress: 65\n")
    edited = loaded()
    now_edited, by_blob_edited = working_prints(edited, fingerprint)
    mine = Path(DOC).read_bytes()
    assert by_blob_edited[blob_sha(mine)] == measure_prints(mine, DOC)
    assert now_edited != now and {k for k in now_edited if now_edited[k] != now[k]} == {("kz-by-test", "1.1")}
    for lang in ("en", "ru"):
        question = ("stale", "--as-of", "2026-07-01", "--older-than", "20d", "--lang", lang)
        plain = run(*question)
        monkeypatch.setenv("ROADMAP_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.delenv("ROADMAP_NO_CACHE")
        assert run(*question) == run(*question) == plain
        assert plain.code == 0 and "kz-by-test/1.1" in plain.out
        monkeypatch.setenv("ROADMAP_NO_CACHE", "1")


def test_a_revision_that_is_not_yaml_does_not_make_every_measure_changed(repo: Repo) -> None:
    """A commit broke the file (a syntax error) and the next fixed it while changing 1.4 only:
    the other measures changed at neither (it said they changed at the fix; `history` already
    compared across the broken revision)."""
    text = repo.read(DOC)
    repo.write(DOC, text + "  - id: [\n")
    repo.commit("broken", date="2026-06-10T12:00:00+05:00")
    repo.write(DOC, text.replace('    due: "2027"\n', '    due: "2027"\n    weight: 2\n'))
    repo.commit("fixed; 1.4 weighs more", date="2026-06-20T12:00:00+05:00")
    fixed = repo.head()
    got = {r["measure"]: (r["last_changed"], r["commit"])
           for r in rows("--as-of", "2026-06-30", "--older-than", "5d", "--roadmap", "kz-by-test")}
    first = repo.git("rev-list", "--max-parents=0", "HEAD").strip()
    assert got["1.3"] == ("2026-01-10", first)
    assert got["1.2"][0] == "2026-05-20"
    assert got["1.4"] == ("2026-06-20", fixed)
