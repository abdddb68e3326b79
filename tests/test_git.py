"""roadmap_cli.git: the git binary, read-only, on real repositories in tmp_path."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from gitrepo import Repo, isolate

from roadmap_cli.errors import UsageError
from roadmap_cli.git import GitRepo, blob_sha


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    isolate(monkeypatch, tmp_path)
    r = Repo(tmp_path / "repo")
    r.write("roadmaps/a.yaml", "id: a\n")
    r.write("roadmaps/б в.yaml", "id: б\n")  # Cyrillic and a space: no quoting with -z
    r.write("roadmaps/sub/c.yaml", "id: c\n")
    r.write("other/d.yaml", "id: d\n")
    r.commit("First", date="2026-01-10T09:00:00+05:00")
    return r


def test_find_from_a_subfolder(repo: Repo) -> None:
    g = GitRepo.find(str(repo.root / "roadmaps" / "sub"))
    assert g.root == os.path.realpath(repo.root)


def test_find_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, tmp_path)
    (tmp_path / "plain").mkdir()
    with pytest.raises(UsageError) as e:
        GitRepo.find(str(tmp_path / "plain"))
    assert e.value.message == (
        f"roadmap: {tmp_path / 'plain'} is not in a git repository (diff and history compare "
        "revisions of the roadmaps kept in git)"
    )
    assert e.value.exit_code == 2


def test_git_missing(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo.root / "no-bin-here"))
    with pytest.raises(UsageError) as e:
        GitRepo.find(str(repo.root))
    assert e.value.message.startswith("roadmap: git is not installed or not on PATH")


def test_commit_resolves_names_and_refuses_the_rest(repo: Repo) -> None:
    g = GitRepo.find(str(repo.root))
    first = repo.head()
    repo.write("roadmaps/a.yaml", "id: a2\n")
    second = repo.commit("Second")
    repo.git("tag", "v1", first)
    assert g.commit("HEAD") == second
    assert g.commit("main") == second
    assert g.commit("HEAD~1") == first
    assert g.commit("v1") == first
    assert g.commit(first[:8]) == first
    for bad in ("nope", "HEAD~5", "HEAD:roadmaps", "--all", "", "a\nb"):
        with pytest.raises(UsageError) as e:
            g.commit(bad)
        assert e.value.exit_code == 2


def test_repo_path(repo: Repo, tmp_path: Path) -> None:
    g = GitRepo.find(str(repo.root))
    assert g.repo_path(str(repo.root)) == ""
    assert g.repo_path(str(repo.root / "roadmaps")) == "roadmaps"
    assert g.repo_path(str(repo.root / "roadmaps" / "sub" / "..")) == "roadmaps"
    assert g.repo_path(str(repo.root / "not-yet")) == "not-yet"
    os.symlink(repo.root / "roadmaps", tmp_path / "link")
    assert g.repo_path(str(tmp_path / "link")) == "roadmaps"
    with pytest.raises(UsageError):
        g.repo_path(str(tmp_path))


def test_list_folder(repo: Repo) -> None:
    g = GitRepo.find(str(repo.root))
    head = repo.head()
    entries = g.list_folder(head, "roadmaps")
    assert [(e.type, e.path, e.name) for e in entries] == [
        ("blob", "roadmaps/a.yaml", "a.yaml"),
        ("tree", "roadmaps/sub", "sub"),
        ("blob", "roadmaps/б в.yaml", "б в.yaml"),
    ]
    assert entries[0].sha == blob_sha(b"id: a\n")
    assert g.list_folder(head, "missing") == []
    assert g.list_folder(head, "road*") == []  # folder names are literal, not patterns
    assert {e.path for e in g.list_folder(head, "")} == {"other", "roadmaps"}


def test_read_blobs_in_one_batch(repo: Repo) -> None:
    # more than a pipe's worth both ways, binary content, an empty file, a duplicate id
    contents = {f"roadmaps/many/{i:03d}.yaml": (b"x\n\0" * i) + bytes([i % 256]) * 700 for i in range(300)}
    contents["roadmaps/many/empty.yaml"] = b""
    for rel, data in contents.items():
        repo.path(rel).parent.mkdir(parents=True, exist_ok=True)
        repo.path(rel).write_bytes(data)
    repo.commit("Many files")
    g = GitRepo.find(str(repo.root))
    entries = g.list_folder(repo.head(), "roadmaps/many")
    shas = [e.sha for e in entries]
    blobs = g.read_blobs([*shas, shas[0]])
    assert {e.path: blobs[e.sha] for e in entries} == contents
    assert g.read_blobs([]) == {}
    with pytest.raises(UsageError):
        g.read_blobs(["0" * 39 + "1"])


def test_blob_sha_matches_git(repo: Repo) -> None:
    data = "id: кириллица\r\n".encode()
    repo.path("x.bin").write_bytes(data)
    assert blob_sha(data) == repo.git("hash-object", "x.bin").strip()


def test_blob_sha_of_a_sha256_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, tmp_path)
    data = "id: кириллица\r\n".encode()
    (tmp_path / "x.bin").write_bytes(data)
    subprocess.run(["git", "init", "-q", "--object-format=sha256", str(tmp_path)], check=True)
    made = subprocess.run(["git", "hash-object", "x.bin"], cwd=tmp_path, capture_output=True,
                          text=True, check=True).stdout.strip()
    assert len(made) == 64
    assert blob_sha(data, 64) == made
    assert blob_sha(data) != made[:40]


def test_log(repo: Repo) -> None:
    first = repo.head()
    repo.git("mv", "roadmaps/a.yaml", "roadmaps/a2.yaml")
    repo.write("roadmaps/б в.yaml", "id: б2\n")
    second = repo.commit("Переименовать a; edit б", date="2026-02-01T12:00:00+03:00",
                         author=("Иван Петров", "ivan@example.by"))
    repo.write("other/d.yaml", "id: d2\n")
    repo.commit("Outside the folder")
    repo.git("rm", "-q", "roadmaps/a2.yaml")
    third = repo.commit("Delete a2")
    g = GitRepo.find(str(repo.root))
    log = g.log("roadmaps")
    assert [(c.sha, c.subject) for c in log] == [
        (first, "First"),
        (second, "Переименовать a; edit б"),
        (third, "Delete a2"),
    ]
    assert (log[1].date, log[1].author, log[1].email) == ("2026-02-01T12:00:00+03:00", "Иван Петров", "ivan@example.by")
    a, a2, b = blob_sha(b"id: a\n"), blob_sha(b"id: a\n"), blob_sha(b"id: \xd0\xb1\n")
    assert [(ch.status, ch.path, ch.old_sha, ch.new_sha) for ch in log[1].changes] == [
        ("D", "roadmaps/a.yaml", a, None),
        ("A", "roadmaps/a2.yaml", None, a2),
        ("M", "roadmaps/б в.yaml", b, blob_sha("id: б2\n".encode())),
    ]
    assert [(ch.status, ch.path) for ch in log[2].changes] == [("D", "roadmaps/a2.yaml")]
    assert [c.subject for c in g.log("")] == ["First", "Переименовать a; edit б", "Outside the folder", "Delete a2"]


def test_the_log_is_one_git_run_and_empty_without_a_commit(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """history and stale start with the log: one git run (whether there is a commit is asked
    only when the log fails); a repository without a commit has an empty history."""
    runs: list[str] = []
    real = GitRepo._exec

    def counted(args: Any, cwd: str, data: bytes | None = None) -> Any:
        runs.append(args[0])
        return real(args, cwd, data)

    monkeypatch.setattr(GitRepo, "_exec", staticmethod(counted))
    g = GitRepo.find(str(repo.root))
    runs.clear()
    assert [c.subject for c in g.log("roadmaps")] == ["First"]
    assert runs == ["log"]
    empty = tmp_path / "empty"
    empty.mkdir()
    subprocess.run(["git", "init", "-q", str(empty)], check=True)
    runs.clear()
    assert GitRepo.find(str(empty)).log("roadmaps") == []
    assert runs == ["rev-parse", "log", "rev-parse"]


def test_reading_leaves_index_and_working_tree_alone(repo: Repo) -> None:
    repo.write("roadmaps/a.yaml", "id: edited\n")  # uncommitted
    index = repo.path(".git/index")
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    g = GitRepo.find(str(repo.root))
    head = g.commit("HEAD")
    g.read_blobs(e.sha for e in g.list_folder(head, "roadmaps"))
    g.log("roadmaps")
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before
    assert not repo.path(".git/index.lock").exists()
    assert repo.read("roadmaps/a.yaml") == "id: edited\n"
