"""roadmap history ROADMAP/MEASURE over real git repositories with scripted commits."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from gitrepo import Repo, isolate, run, seeded

DOC = "roadmaps/kz-by-test.yaml"
RENAMED = "roadmaps/kz-by-test-2026.yaml"
MEMO_FILE = "roadmaps/astana-minsk-memo.yaml"
IVAN = ("Ivan Petrov", "i.petrov@example.by")

MEASURE_1_1 = {
    "id": "1.1",
    "title": {"en": "Hold a business forum", "ru": "Провести бизнес-форум"},
    "owners": ["kz-mic"],
    "due": "2026-Q2",
    "status": "in_progress",
    "progress": 50,
}


@pytest.fixture
def story(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Repo, dict[str, str]]:
    """c1 creates the roadmaps; c2 marks 1.1 done; c3 edits only 1.2; c4 renames the file;
    c5 moves 1.1's deadline and adds an owner; c6 edits only the memorandum; c7 removes 1.4;
    and 1.1 is edited once more in the working tree, uncommitted."""
    isolate(monkeypatch, tmp_path)
    repo = seeded(tmp_path / "repo")
    c = {"c1": repo.head()}
    repo.edit(DOC, "    status: in_progress\n    progress: 50\n", "    status: done\n    completed: 2026-01-30\n")
    c["c2"] = repo.commit("1.1 done", date="2026-02-01T11:30:00+03:00", author=IVAN)
    repo.edit(DOC, "owners: [by-minprom]", "owners: [by-minprom, by-maz]")
    c["c3"] = repo.commit("1.2: MAZ co-leads", date="2026-03-01T10:00:00+05:00")
    repo.git("mv", DOC, RENAMED)
    c["c4"] = repo.commit("Rename the file", date="2026-04-01T10:00:00+05:00")
    repo.edit(RENAMED, "    owners: [kz-mic]\n    due: 2026-Q2\n", "    owners: [kz-mic, kz-mti]\n    due: 2026-Q3\n")
    c["c5"] = repo.commit("1.1: new owner, one more quarter", date="2026-05-01T09:15:00+03:00", author=IVAN)
    repo.edit(MEMO_FILE, "due: 2026-H2", "due: 2027-H1")
    c["c6"] = repo.commit("Memorandum slips", date="2026-06-01T10:00:00+05:00")
    text = repo.read(RENAMED)
    repo.write(RENAMED, text[: text.index('  - id: "1.4"')])
    c["c7"] = repo.commit("Drop 1.4", date="2026-07-01T10:00:00+05:00")
    repo.edit(RENAMED, "completed: 2026-01-30", "completed: 2026-01-29")  # not committed
    monkeypatch.chdir(repo.root)
    return repo, c


def history_json(target: str) -> list[dict]:
    res = run("history", target, "--format", "json")
    assert res.code == 0, res.err
    assert res.err == ""
    return json.loads(res.out)


def asked_of_git(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the blobs git is asked for from now on (through ``GitRepo.read_blobs``)."""
    from roadmap_cli.git import GitRepo

    asked: list[str] = []
    read_blobs = GitRepo.read_blobs

    def recorded(self: GitRepo, shas, max_size=None):  # type: ignore[no-untyped-def]
        shas = list(shas)
        asked.extend(shas)
        return read_blobs(self, shas, max_size)

    monkeypatch.setattr(GitRepo, "read_blobs", recorded)
    return asked


def entry(commit: str, date: str, author: str, field, old, new, subject: str) -> dict:
    return {
        "commit": commit,
        "date": date,
        "author": author,
        "field": field,
        "old": old,
        "new": new,
        "subject": subject,
    }


def test_timeline_from_creation_through_a_rename(story: tuple[Repo, dict[str, str]]) -> None:
    _, c = story
    aigerim, ivan = "Aigerim Sadykova", "Ivan Petrov"
    c2 = (c["c2"], "2026-02-01T11:30:00+03:00", ivan)
    c5 = (c["c5"], "2026-05-01T09:15:00+03:00", ivan)
    assert history_json("kz-by-test/1.1") == [
        entry(c["c1"], "2026-01-10T09:00:00+05:00", aigerim, None, None, MEASURE_1_1, "Add the roadmaps"),
        entry(*c2, "status", "in_progress", "done", "1.1 done"),
        entry(*c2, "progress", 50, None, "1.1 done"),
        entry(*c2, "completed", None, "2026-01-30", "1.1 done"),
        entry(*c5, "owners", ["kz-mic"], ["kz-mic", "kz-mti"], "1.1: new owner, one more quarter"),
        entry(*c5, "due", "2026-Q2", "2026-Q3", "1.1: new owner, one more quarter"),
    ]


def test_removed_measure_and_deleted_document(story: tuple[Repo, dict[str, str]]) -> None:
    repo, c = story
    rows = history_json("kz-by-test/1.4")
    assert [(r["commit"], r["field"], r["old"] is None, r["new"] is None) for r in rows] == [
        (c["c1"], None, True, False),
        (c["c7"], None, False, True),
    ]
    assert rows[1]["old"] == {
        "id": "1.4",
        "title": {"en": "Assemble MAZ buses in Kazakhstan"},
        "owners": ["by-maz"],
        "due": "2027",
        "status": "not_started",
    }
    repo.git("rm", "-q", MEMO_FILE)
    c8 = repo.commit("The memorandum expired", date="2026-08-01T10:00:00+05:00")
    rows = history_json("astana-minsk-memo/1")
    assert [(r["commit"], r["field"], r["old"], r["new"]) for r in rows][1:] == [
        (c["c6"], "due", "2026-H2", "2027-H1"),
        (c8, None, {"id": "1", "title": {"en": "Exchange trade missions"}, "owners": ["kz-mti"],
                    "due": "2027-H1", "status": "not_started"}, None),
    ]


def test_table(story: tuple[Repo, dict[str, str]]) -> None:
    _, c = story
    res = run("history", "kz-by-test/1.1", "--lang", "ru")
    assert res.code == 0
    lines = [line.rstrip() for line in res.out.splitlines()]
    assert lines[:3] == [
        "История kz-by-test/1.1: Провести бизнес-форум",
        "",
        f"10.01.2026  {c['c1'][:7]}  Aigerim Sadykova: Add the roadmaps",
    ]
    assert lines[3].split() == ["Поле", "Было", "Стало"]
    assert set(lines[4]) == {"─"}
    assert lines[5].split() == ["(создано)", "Провести", "бизнес-форум"]
    # the title starts under "New", not under "Old"
    assert lines[5].index("Провести") == lines[3].index("Стало")
    at = lines.index(f"01.05.2026  {c['c5'][:7]}  Ivan Petrov: 1.1: new owner, one more quarter")
    assert [line.split() for line in lines[at + 3 :]] == [
        ["исполнители", "kz-mic", "kz-mic,", "kz-mti"],
        ["срок", "2026-Q2", "2026-Q3"],
    ]
    assert all(len(line) <= 80 for line in lines)


def test_markdown(story: tuple[Repo, dict[str, str]]) -> None:
    _, c = story
    res = run("history", "kz-by-test/1.1", "--format", "markdown")
    assert res.code == 0
    lines = res.out.splitlines()
    assert lines[:4] == [
        "### History of kz-by-test/1.1: Hold a business forum",
        "",
        "| Date | Commit | Author | Field | Old | New |",
        "| :--- | :--- | :--- | :--- | :--- | :--- |",
    ]
    assert lines[-1] == f"| 2026-05-01 | {c['c5'][:7]} | Ivan Petrov | due | 2026-Q2 | 2026-Q3 |"
    assert len(lines) == 4 + 6


def test_merged_branch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, tmp_path)
    repo = seeded(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    repo.git("checkout", "-q", "-b", "review")
    repo.edit(DOC, "progress: 50", "progress: 70")
    branch = repo.commit("progress on the branch", date="2026-02-01T10:00:00+05:00")
    repo.git("checkout", "-q", "main")
    repo.edit(MEMO_FILE, "due: 2026-H2", "due: 2027-H1")
    repo.commit("memo on main", date="2026-02-02T10:00:00+05:00")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge review", "review", date="2026-02-03T10:00:00+05:00")
    rows = history_json("kz-by-test/1.1")
    assert [(r["commit"], r["field"], r["old"], r["new"]) for r in rows][1:] == [(branch, "progress", 50, 70)]


def test_unknown_document_or_measure_exits_2(story: tuple[Repo, dict[str, str]]) -> None:
    """An id neither the history nor the files know is refused with the ids the files know
    (and the closest, for a typo), as every command that takes an id does."""
    res = run("history", "no-such-doc/1.1")
    assert (res.code, res.out, res.err) == (
        2,
        "",
        "roadmap: no document with id 'no-such-doc' in the git history of roadmaps/"
        " (known: astana-minsk-memo, kz-by-test)\n",
    )
    res = run("history", "kz-by-tset/1.1")
    assert (res.code, res.err) == (
        2,
        "roadmap: no document with id 'kz-by-tset' in the git history of roadmaps/;"
        " did you mean 'kz-by-test'? (known: astana-minsk-memo, kz-by-test)\n",
    )
    res = run("history", "kz-by-test/9.9")
    assert (res.code, res.out, res.err) == (
        2,
        "",
        "roadmap: document kz-by-test has no measure '9.9' in the git history of roadmaps/"
        " (known: 1.1, 1.2, 1.3)\n",
    )
    res = run("history", "kz-by-test/9.9", "--lang", "ru")
    assert (res.code, res.err) == (
        2,
        "roadmap: в документе kz-by-test нет мероприятия '9.9' в истории git папки roadmaps/"
        " (известны: 1.1, 1.2, 1.3)\n",
    )
    res = run("history", "kz-by-test")
    assert res.code == 2
    assert "'kz-by-test' is not ROADMAP/MEASURE" in res.err
    assert "Traceback" not in res.err


def test_repository_without_commits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, tmp_path)
    repo = Repo(tmp_path / "repo")
    (repo.root / "roadmaps").mkdir()
    monkeypatch.chdir(repo.root)
    res = run("history", "kz-by-test/1.1")
    assert (res.code, res.err) == (2, "roadmap: no document with id 'kz-by-test' in the git history of roadmaps/\n")
    res = run("diff", "HEAD")
    assert (res.code, res.err) == (2, f"roadmap: unknown revision 'HEAD': no branch, tag or commit of that name in {repo.root.resolve()}"
                                   "; the repository has no commits yet: commit the roadmaps first "
                                   '(git add roadmaps && git commit -m "...")\n')


def test_ids_in_any_case_and_a_document_by_the_start_of_its_id(story: tuple[Repo, dict[str, str]]) -> None:
    assert history_json("KZ-BY-TEST/1.1") == history_json("kz-by-test/1.1")
    res = run("history", "kz-by-tes/1.2", "--format", "json")
    assert res.code == 0 and json.loads(res.out) == history_json("kz-by-test/1.2")


def test_an_id_as_typed_that_the_history_holds_wins_over_the_start_of_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document id the history holds, typed as written, is that document even when it is
    also the start of an id of the working tree (a document renamed kz-by -> kz-by-test, or
    deleted): it was answered with the other document's history, which JSON does not name
    (found by differential testing). The start of an id still works where nothing else does."""
    isolate(monkeypatch, tmp_path)
    repo = seeded(tmp_path / "repo")
    old = repo.read(DOC).replace("id: kz-by-test", "id: kz-by").replace("due: 2026-Q2", "due: 2026-Q3")
    repo.write("roadmaps/kz-by.yaml", old)
    created = repo.commit("the short one", date="2026-02-01T10:00:00+05:00")
    repo.path("roadmaps/kz-by.yaml").unlink()
    removed = repo.commit("the short one goes", date="2026-02-02T10:00:00+05:00")
    monkeypatch.chdir(repo.root)
    rows = history_json("kz-by/1.1")
    assert [(r["commit"], r["field"], (r["old"] or {}).get("due"), (r["new"] or {}).get("due"))
            for r in rows] == [(created, None, None, "2026-Q3"), (removed, None, "2026-Q3", None)]
    assert history_json("kz-by-tes/1.1") == history_json("kz-by-test/1.1")
    assert history_json("kz-by-test/1.1")[0]["new"]["due"] == "2026-Q2"


def test_blobs_the_working_tree_holds_are_read_from_its_files(
    story: tuple[Repo, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A revision whose bytes a file of the working tree holds (by git's id of them) is taken
    from that file, not decompressed by git; the timeline is the one read all through git."""
    from roadmap_cli import history
    from roadmap_cli.git import blob_sha

    repo, _c = story
    asked = asked_of_git(monkeypatch)
    targets = ["kz-by-test/1.1", "kz-by-test/1.2", "kz-by-test/1.4", "astana-minsk-memo/1"]
    shortcut = [history_json(t) for t in targets]
    memo = blob_sha(repo.path(MEMO_FILE).read_bytes())
    assert memo not in asked  # the memorandum is as its last commit left it
    assert asked  # the renamed file's revisions and the uncommitted edit's are not in the tree
    assert blob_sha(repo.path(RENAMED).read_bytes()) not in asked  # (not a revision: edited since)
    asked.clear()
    monkeypatch.setattr(history, "_bytes", lambda path: None)  # every blob through git
    assert [history_json(t) for t in targets] == shortcut
    assert memo in asked


def test_read_blobs_takes_a_file_only_for_the_bytes_of_its_blob(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file edited since, a path gone, or a link to a file outside the folder with the very
    bytes: each blob is read through git, and every blob is its bytes at the revision."""
    from roadmap_cli.git import GitRepo
    from roadmap_cli.history import read_blobs

    isolate(monkeypatch, tmp_path)
    repo = seeded(tmp_path / "repo")
    g = GitRepo.find(str(repo.root))
    entries = {e.path: e.sha for e in g.list_folder(repo.head(), "roadmaps")}
    committed = {sha: repo.path(path).read_bytes() for path, sha in entries.items()}
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(repo.path(MEMO_FILE).read_bytes())
    repo.path(MEMO_FILE).unlink()
    repo.path(MEMO_FILE).symlink_to(outside)
    signed = repo.read(DOC)
    repo.write(DOC, signed + "# edited\n")
    repo.path("roadmaps/agencies.yaml").unlink()
    asked = asked_of_git(monkeypatch)
    assert read_blobs(g, entries.items(), 10**6) == committed
    assert sorted(asked) == sorted(entries.values())
    asked.clear()
    repo.write(DOC, signed)  # the file holds its blob's bytes again
    assert read_blobs(g, entries.items()) == committed
    assert entries[DOC] not in asked and len(asked) == 2


def test_a_sha256_repository_reads_its_revisions_from_the_files_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a repository of SHA-256 object ids, a revision a file holds is told by its SHA-256
    blob id: git is asked only for the revision the file no longer holds, and `history` and
    `stale` say what they say with every revision read through git."""
    import subprocess

    from roadmap_cli import history

    isolate(monkeypatch, tmp_path)
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", "--object-format=sha256", str(root)], check=True)
    repo = seeded(root)  # (git init again keeps the object format)
    repo.edit(DOC, "    progress: 50\n", "    progress: 60\n")
    repo.commit("1.1: 60 %", date="2026-03-01T12:00:00+05:00")
    monkeypatch.chdir(repo.root)
    asked = asked_of_git(monkeypatch)
    shown = history_json("kz-by-test/1.1")
    stale = run("stale", "--as-of", "2026-06-30", "--older-than", "30d", "--format", "json")
    assert [row["field"] for row in shown] == [None, "progress"] and stale.code == 0
    assert asked and all(len(sha) == 64 for sha in asked)
    old = repo.git("rev-parse", f"HEAD~1:{DOC}").strip()
    assert set(asked) == {old}  # the first revision of the edited file: no file holds it
    monkeypatch.setattr(history, "_bytes", lambda path: None)  # every revision through git
    assert history_json("kz-by-test/1.1") == shown
    assert run("stale", "--as-of", "2026-06-30", "--older-than", "30d", "--format", "json").out == stale.out


def test_a_revision_that_is_not_yaml_is_skipped_not_a_removal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A commit that broke the file's YAML and the one that fixed it compare as one change,
    from the last revision read: not "removed" then "created" with the change in between
    lost (found by an audit)."""
    isolate(monkeypatch, tmp_path)
    repo = seeded(tmp_path / "repo")
    repo.edit(DOC, "    progress: 50\n", "    progress: [75\n")
    broke = repo.commit("broken 1.1", date="2026-02-01T10:00:00+05:00")
    repo.edit(DOC, "    progress: [75\n", "    progress: 80\n")
    fixed = repo.commit("fix 1.1", date="2026-02-02T10:00:00+05:00")
    monkeypatch.chdir(repo.root)
    rows = history_json("kz-by-test/1.1")
    assert [(r["commit"], r["field"], r["old"], r["new"]) for r in rows[1:]] == [(fixed, "progress", 50, 80)]
    assert broke not in {r["commit"] for r in rows}
    # a measure nobody touched: its creation only
    assert [r["field"] for r in history_json("kz-by-test/1.2")] == [None]


def test_a_broken_revision_is_skipped_across_commits_to_other_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the document's file is broken, a commit that edits another document of the folder
    does not end the wait for the fix: the measure was shown created again by the fixing
    commit, the change made across the broken revisions lost (found by differential testing)."""
    isolate(monkeypatch, tmp_path)
    repo = seeded(tmp_path / "repo")
    repo.edit(DOC, "    progress: 50\n", "    progress: [75\n")
    repo.commit("broken 1.1", date="2026-02-01T10:00:00+05:00")
    repo.edit(MEMO_FILE, "due: 2026-H2", "due: 2027-H1")
    repo.commit("memorandum: one more half-year", date="2026-02-02T10:00:00+05:00")
    repo.edit(DOC, "    progress: [75\n", "    progress: 80\n")
    fixed = repo.commit("fix 1.1", date="2026-02-03T10:00:00+05:00")
    monkeypatch.chdir(repo.root)
    rows = history_json("kz-by-test/1.1")
    assert [(r["commit"], r["field"], r["old"], r["new"]) for r in rows[1:]] == [(fixed, "progress", 50, 80)]


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("utf-16"),  # Windows Notepad's "Unicode"
    lambda text: text.encode("utf-16-le"),  # the same without a byte order mark
    lambda text: b"\x00\x01\xff",  # not text at all
], ids=["utf-16", "utf-16-le", "binary"])
def test_a_revision_saved_in_another_encoding_is_skipped_not_a_removal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encode
) -> None:
    """A revision of the document that is not UTF-8, so not YAML (its id's bytes are not in it),
    is skipped like a syntax error: it was taken for a file of another document, so the
    measure showed as removed by the commit that broke the file and created again by the one
    that fixed it, the change in between lost (found by differential testing)."""
    isolate(monkeypatch, tmp_path)
    repo = seeded(tmp_path / "repo")
    text = repo.read(DOC)
    repo.path(DOC).write_bytes(encode(text.replace("    progress: 50\n", "    progress: 75\n")))
    broke = repo.commit("saved as UTF-16", date="2026-02-01T10:00:00+05:00")
    repo.write(DOC, text.replace("    progress: 50\n", "    progress: 80\n"))
    fixed = repo.commit("saved as UTF-8 again", date="2026-02-02T10:00:00+05:00")
    monkeypatch.chdir(repo.root)
    rows = history_json("kz-by-test/1.1")
    assert [(r["commit"], r["field"], r["old"], r["new"]) for r in rows[1:]] == [(fixed, "progress", 50, 80)]
    assert broke not in {r["commit"] for r in rows}


def test_a_shallow_clone_is_said_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a shallow clone (CI's default checkout) history and stale took the cut for the start:
    'created' at the clone's one commit, every measure as old as it, without a word (found by
    an audit). One warning line says so; diff's unknown revision says why."""
    import subprocess

    isolate(monkeypatch, tmp_path)
    origin = seeded(tmp_path / "origin")
    origin.edit(DOC, "    progress: 50\n", "    progress: 60\n")
    origin.commit("1.1: 60", date="2026-02-01T10:00:00+05:00")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin.root}", str(clone)], check=True)
    monkeypatch.chdir(clone)
    ran = run("history", "kz-by-test/1.1")
    assert ran.code == 0
    assert ran.err.startswith("roadmap: warning: this is a shallow clone")
    assert run("stale", "--as-of", "2026-06-30").err.startswith("roadmap: warning: this is a shallow clone")
    missing = run("diff", "HEAD~1")
    assert missing.code == 2 and "this clone is shallow" in missing.err
    monkeypatch.chdir(origin.root)
    assert run("history", "kz-by-test/1.1").err == ""  # a whole history: no word


def test_a_range_is_answered_with_the_two_revisions(story: tuple[Repo, dict[str, str]]) -> None:
    ran = run("diff", "HEAD~1..HEAD")
    assert ran.code == 2
    assert "give them apart: roadmap diff HEAD~1 HEAD" in ran.err


def test_a_repository_under_a_cyrillic_folder_in_an_ascii_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git's paths were decoded as UTF-8 whatever the file system's encoding: in a locale that
    is not UTF-8, a repository under 'репо' failed to open ('cannot write the output', then an
    internal error), found by an audit. They are decoded as the file system names them."""
    import subprocess
    import sys

    if not (sys.executable + str(Path(__file__).resolve())).isascii():
        pytest.skip("the checkout's own path is not ASCII: Python in an ASCII locale cannot import it")
    isolate(monkeypatch, tmp_path)
    repo = seeded(tmp_path / "репо")
    env = {**os.environ, "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "LC_ALL": "C",
           "PYTHONIOENCODING": "utf-8", "ROADMAP_NO_CACHE": "1"}
    env.pop("LANG", None)
    probe = subprocess.run([sys.executable, "-c", "import sys; print(sys.getfilesystemencoding())"],
                           env=env, capture_output=True, text=True, check=True)
    if probe.stdout.strip().lower().replace("-", "") == "utf8":
        pytest.skip("this Python reads every locale as UTF-8")
    done = subprocess.run([sys.executable, "-m", "roadmap_cli", "history", "kz-by-test/1.1", "--format", "json"],
                          cwd=repo.root, env=env, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert json.loads(done.stdout)[0]["field"] is None


def test_a_dir_that_does_not_exist_is_named(story: tuple[Repo, dict[str, str]]) -> None:
    """It said "no document with id ... in the git history of nonexist/" (found by an audit)."""
    ran = run("history", "kz-by-test/1.1", "--dir", "nonexist")
    assert ran.code == 2 and ran.err.strip() == "roadmap: nonexist: no such file or folder"
