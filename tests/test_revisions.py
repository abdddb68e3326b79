"""The click-free core of `diff` and `history` over real git repositories in tmp_path: the two
sides (roadmap_cli.revisions), the measure's timeline (roadmap_cli.history), and the words of
their tables (roadmap_cli.diff_text) in English and Russian."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gitrepo import Repo, isolate, seeded
from parsecount import counting_parses

from roadmap_cli import diff as diffing
from roadmap_cli import diff_text, i18n, revisions
from roadmap_cli.errors import EXIT_DATA, EXIT_USAGE, UsageError
from roadmap_cli.git import GitRepo
from roadmap_cli.history import measure_history, roadmap_file
from roadmap_cli.load import load_sources

DOC = "roadmaps/kz-by-test.yaml"
MEMO_FILE = "roadmaps/astana-minsk-memo.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    r = seeded(tmp_path / "repo")
    monkeypatch.chdir(r.root)
    return r


@pytest.fixture
def russian() -> Iterator[None]:
    i18n.activate("ru")
    try:
        yield
    finally:
        i18n.activate("en")


def open_sides(base: str, head: str | None, cache: object = None) -> tuple[revisions.Side, revisions.Side]:
    git, folder = revisions.open_repository(None)
    return revisions.sides(git, folder, base, head, cache)


# --- the two sides -------------------------------------------------------------------------------


def test_two_revisions_are_read_in_one_git_run_each_blob_once(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.edit(DOC, "due: 2026-Q2", "due: 2026-12")
    repo.commit("A slip")
    calls: list[list[str]] = []
    real = GitRepo.read_blobs

    def spy(self: GitRepo, shas: object, max_size: int | None = None) -> dict[str, bytes]:
        wanted = list(shas)  # type: ignore[call-overload]
        calls.append(wanted)
        return real(self, wanted, max_size)

    monkeypatch.setattr(GitRepo, "read_blobs", spy)
    old, new = open_sides("v1", "HEAD")
    assert len(calls) == 1
    # agencies.yaml and the memorandum are the same blob on both sides: asked for once each
    assert sorted(set(calls[0])) == sorted(set(old.shas.values()) | set(new.shas.values()))
    assert len(set(old.shas.values()) | set(new.shas.values())) == 4
    assert (old.label, new.label, old.exists, new.exists) == ("v1", "HEAD", True, True)
    assert sorted(old.paths.values()) == sorted(new.paths.values()) == [
        "roadmaps/agencies.yaml", "roadmaps/astana-minsk-memo.yaml", "roadmaps/kz-by-test.yaml"]
    assert new.blobs()[f"HEAD:{MEMO_FILE}"] == old.blobs()[f"v1:{MEMO_FILE}"] == repo.path(MEMO_FILE).read_bytes()
    assert all(not s.unread for s in (old, new))


def test_unchanged_documents_are_loaded_once_and_no_process_is_forked(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.edit(DOC, "progress: 50", "progress: 60")
    repo.commit("Progress")

    def no_fork() -> int:
        raise AssertionError("diff must not fork")

    monkeypatch.setattr(os, "fork", no_fork)
    old, new = open_sides("v1", "HEAD")
    before, after = revisions.load_pair(old, new)
    memo_before = next(r for r in before.roadmaps if r.id == "astana-minsk-memo")
    memo_after = next(r for r in after.roadmaps if r.id == "astana-minsk-memo")
    assert memo_after is memo_before  # shared, not loaded again
    # the same changes as loading each side whole, on its own
    whole_before, whole_after = load_sources(old.sources), load_sources(new.sources)
    assert not whole_before.errors and not whole_after.errors
    expected = diffing.diff(
        whole_before.roadmaps, whole_after.roadmaps,
        old_path=lambda r: old.paths[r.file], new_path=lambda r: new.paths[r.file],
    )
    assert revisions.compare(old, new) == expected
    assert [(c.measure, c.field, c.old, c.new) for c in expected] == [("1.1", "progress", 50, 60)]


@pytest.mark.parametrize("head", ["HEAD", None])
def test_without_the_cache_each_side_keeps_its_documents_stored(repo: Repo, head: str | None) -> None:
    """A comparison holds two revisions of every document: without the cache each side keeps
    them in the stored form (measures built when read), equal to the documents built from the
    files, and the changes are the same (1,000 documents of 100 measures: 259 -> 198 MB)."""
    from roadmap_cli.model import unbuilt_measures

    repo.edit(DOC, "progress: 50", "progress: 60")
    if head:
        repo.commit("Progress")
    old, new = open_sides("v1", head)
    before, after = revisions.load_pair(old, new)
    whole_before, whole_after = load_sources(old.sources), load_sources(new.sources)
    assert all(unbuilt_measures(r) is not None for r in (*before.roadmaps, *after.roadmaps))
    for kept, built in ((before, whole_before), (after, whole_after)):
        assert len(kept.roadmaps) == len(built.roadmaps) == 2
        assert all(unbuilt_measures(r) is None for r in built.roadmaps)
        by_id = {r.id: r for r in built.roadmaps}
        for r in kept.roadmaps:
            assert r == by_id[r.id] and r.measures == by_id[r.id].measures
    assert [(c.measure, c.field, c.old, c.new) for c in revisions.compare(old, new)] == [
        ("1.1", "progress", 50, 60)]


def test_the_working_tree_side(repo: Repo) -> None:
    repo.git("mv", DOC, "roadmaps/kz-by-test-2026.yaml")
    old, new = open_sides("HEAD", None)
    assert new.is_worktree and new.where() == "the working tree"
    assert old.where() == "revision HEAD"
    changes = revisions.compare(old, new)
    assert [(c.roadmap, c.change, c.old, c.new) for c in changes] == [
        ("kz-by-test", "renamed", DOC, "roadmaps/kz-by-test-2026.yaml")]


def test_an_invalid_side_is_refused_with_its_problems(repo: Repo) -> None:
    repo.edit(DOC, "owners: [kz-mic]", "owners: [kz-nobody]")
    old, new = open_sides("v1", None)
    with pytest.raises(revisions.InvalidSide) as refused:
        revisions.load_pair(old, new)
    err = refused.value
    assert err.side is new and err.exit_code == EXIT_DATA
    assert [p.rule for p in err.repository.errors] == ["unknown-agency"]
    assert err.message == ("roadmap: cannot compare: the roadmaps at the working tree have 1 error(s) "
                           "(listed above); fix them or compare other revisions")


def test_the_old_side_is_checked_first(repo: Repo) -> None:
    repo.edit(DOC, "owners: [kz-mic]", "owners: [kz-nobody]")
    repo.commit("Broken")
    repo.git("tag", "broken")
    repo.edit(DOC, "owners: [kz-nobody]", "owners: [kz-mic]")
    repo.edit(MEMO_FILE, "owners: [kz-mti]", "owners: [kz-nobody]")
    repo.commit("Fixed one, broke another")
    old, new = open_sides("broken", "HEAD")
    with pytest.raises(revisions.InvalidSide) as refused:
        revisions.load_pair(old, new)
    assert refused.value.side is old
    assert refused.value.repository.errors[0].file == f"broken:{DOC}"


def test_a_folder_on_one_side_only(repo: Repo) -> None:
    repo.git("rm", "-q", "-r", "roadmaps")
    repo.commit("Moved away")
    old, new = open_sides("v1", "HEAD")
    assert old.exists and not new.exists
    before, after = revisions.load_pair(old, new)
    assert len(before.roadmaps) == 2 and after.roadmaps == []
    assert [(c.roadmap, c.change) for c in revisions.compare(old, new)] == [
        ("astana-minsk-memo", "removed"), ("kz-by-test", "removed")]
    with pytest.raises(UsageError) as err:
        open_sides("HEAD", None)
    assert err.value.exit_code == EXIT_USAGE
    assert err.value.message == ("roadmap: no roadmap folder roadmaps/ in revision HEAD or in the "
                                 "working tree; give the folder with --dir")


def test_a_link_or_a_folder_at_a_revision_is_skipped_with_a_warning(repo: Repo) -> None:
    os.symlink("kz-by-test.yaml", repo.path("roadmaps/link.yaml"))
    repo.path("roadmaps/sub.yaml").mkdir()
    repo.write("roadmaps/sub.yaml/x.txt", "not read")
    repo.commit("A link and a folder")
    old, _new = open_sides("HEAD", "HEAD")
    assert [(p.file, p.rule, p.message) for p in old.sources.problems] == [
        ("HEAD:roadmaps/link.yaml", "not-a-file", "this is a symbolic link; it is skipped"),
        ("HEAD:roadmaps/sub.yaml", "not-a-file", "this is a tree, not a YAML file; it is skipped"),
    ]
    assert "HEAD:roadmaps/link.yaml" not in old.blobs()


def test_a_warm_diff_reads_no_revision_whose_blobs_the_cache_knows(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache keeps the SHA-256 of each blob it read, by blob id: a warm diff of two
    revisions finds their units by it and reads no blob from git, and answers as without the
    cache. A file that must be read after all (a unit the cache lost, a side with an error,
    shown with its lines) is read then: the same changes, the same refusal."""
    from roadmap_cli import cache as cache_module
    from roadmap_cli.git import GitRepo

    repo.edit(DOC, "progress: 50", "progress: 60")
    repo.commit("Progress")
    folder = str(tmp_path / "cache")
    reads: list[int] = []
    real = GitRepo.read_blobs

    def counted(self: GitRepo, shas: Any, max_size: int | None = None) -> dict[str, bytes]:
        found = real(self, shas, max_size)
        reads.append(len(found))
        return found

    monkeypatch.setattr(GitRepo, "read_blobs", counted)

    def compared(base: str, head: str, cache: object) -> list[diffing.Change]:
        old, new = open_sides(base, head, cache)
        return revisions.compare(old, new, cache)

    plain, swapped = compared("HEAD~1", "HEAD", None), compared("HEAD", "HEAD~1", None)
    blobs_read = reads[0]
    assert compared("HEAD~1", "HEAD", cache_module.Cache(folder)) == plain  # fills the cache
    reads.clear()
    with monkeypatch.context() as m:
        parsed = counting_parses(m)
        assert compared("HEAD~1", "HEAD", cache_module.Cache(folder)) == plain
        assert compared("HEAD", "HEAD~1", cache_module.Cache(folder)) == swapped
    assert reads == [] and parsed == []
    # units lost: the files are read (their blob ids were known), then loaded as usual
    for unit in (tmp_path / "cache").rglob("units/*.bin"):
        unit.unlink()
    assert compared("HEAD~1", "HEAD", cache_module.Cache(folder)) == plain
    assert reads == [blobs_read]
    # a side with an error, its units kept: refused with its lines, as without the cache
    repo.edit(DOC, "owners: [kz-mic]", "owners: [kz-nobody]")
    repo.commit("Broken")
    seen = []
    for cache in (None, cache_module.Cache(folder), cache_module.Cache(folder)):
        old, new = open_sides("HEAD~1", "HEAD", cache)
        with pytest.raises(revisions.InvalidSide) as refused:
            revisions.compare(old, new, cache)
        blobs = refused.value.side.blobs()
        assert all(type(data) is bytes and data for data in blobs.values())
        seen.append([(p.file, p.line, p.rule, p.message) for p in refused.value.repository.problems])
    assert seen[0] == seen[1] == seen[2] and seen[0][0][2] == "unknown-agency"


# --- the history timeline ------------------------------------------------------------------------


def test_measure_history(repo: Repo) -> None:
    first = repo.head()
    repo.edit(DOC, "progress: 50", "progress: 70")
    second = repo.commit("More progress", date="2026-02-01T10:00:00+05:00")
    repo.git("mv", DOC, "roadmaps/renamed.yaml")
    repo.commit("Renamed: no change to the measure")
    git, folder = revisions.open_repository(None)
    found = measure_history(git, folder, "KZ-BY", "1.1")  # as the working tree spells it
    assert found.target == "kz-by-test/1.1"
    assert [(r["commit"], r["field"], r["old"], r["new"]) for r in found.rows] == [
        (first, None, None, found.rows[0]["new"]),
        (second, "progress", 50, 70),
    ]
    assert found.rows[0]["new"]["title"]["ru"] == "Провести бизнес-форум"
    assert found.rows[1]["date"] == "2026-02-01T10:00:00+05:00"
    assert found.rows[1]["subject"] == "More progress"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (("no-such-doc", "1.1"), "roadmap: no document with id 'no-such-doc' in the git history of roadmaps/"
                                 " (known: astana-minsk-memo, kz-by-test)"),
        (("kz-by-test", "9.9"), "roadmap: document kz-by-test has no measure '9.9' in the git history of roadmaps/"
                                " (known: 1.1, 1.2, 1.3, 1.4)"),
    ],
)
def test_measure_history_of_nothing(repo: Repo, target: tuple[str, str], message: str) -> None:
    git, folder = revisions.open_repository(None)
    with pytest.raises(UsageError) as err:
        measure_history(git, folder, *target)
    assert err.value.message == message


@pytest.mark.parametrize(
    ("path", "prefix", "expected"),
    [
        ("roadmaps/a.yaml", "roadmaps", True),
        ("roadmaps/a.yml", "roadmaps", True),
        ("a.yaml", "", True),
        ("roadmaps/agencies.yaml", "roadmaps", False),
        ("roadmaps/.hidden.yaml", "roadmaps", False),
        ("roadmaps/sub/a.yaml", "roadmaps", False),
        ("roadmaps/a.txt", "roadmaps", False),
        ("other/a.yaml", "roadmaps", False),
    ],
)
def test_roadmap_file(path: str, prefix: str, expected: bool) -> None:
    assert roadmap_file(path, prefix) is expected


# --- the words of the tables ---------------------------------------------------------------------

RECURRING = {"every": "quarter", "from": "2026-Q1", "until": "2026-Q4", "grace": 15}

BRIEF = [
    # (field, value, English, Russian)
    ("status", "not_started", "not_started", "не начато"),
    ("kind", "action_plan", "action_plan", "план действий"),
    ("completed", "2026-06-20", "2026-06-20", "20.06.2026"),
    ("due", "2026-Q2", "2026-Q2", "2026-Q2"),
    ("due", RECURRING, "every quarter, from 2026-Q1, until 2026-Q4, grace 15",
     "ежеквартально, с 2026-Q1, по 2026-Q4, отсрочка 15 дн."),
    ("period", {"start": "2026-01-01", "end": "2028-12-31"}, "2026-01-01 – 2028-12-31",
     "01.01.2026 – 31.12.2028"),
    ("signed", {"date": "2025-11-05", "place": "Astana"}, "date: 2025-11-05, place: Astana",
     "дата: 05.11.2025, место: Astana"),
    ("owners", ["kz-mic", "by-maz"], "kz-mic, by-maz", "kz-mic, by-maz"),
    ("owners", [], "(none)", "(нет)"),
    ("evidence", [{"title": "Act"}, {"title": "Protocol"}], "2 entries", "2 записи"),
    ("reports", [{"period": "2026-Q1"}, {"period": "2026-Q2"}], "2026-Q1, 2026-Q2", "2026-Q1, 2026-Q2"),
    ("weight", True, "true", "да"),
    ("title", {"en": "Hold a forum", "ru": "Провести форум"}, "Hold a forum", "Провести форум"),
    ("progress", None, "–", "–"),
]


@pytest.mark.parametrize(("name", "value", "english", "russian"), BRIEF, ids=[b[0] + "-" + b[2] for b in BRIEF])
def test_brief_in_both_languages(name: str, value: object, english: str, russian: str) -> None:
    assert diff_text.brief(name, value, "en") == english
    i18n.activate("ru")
    try:
        assert diff_text.brief(name, value, "ru") == russian
    finally:
        i18n.activate("en")


def test_display_row(russian: None) -> None:
    moved = diffing.Change("r", "1.1", "rescheduled", "due", "2026-Q2", "2026-12", 184, "protocol-1")
    assert diff_text.display_row(moved, "ru") == {
        "measure": "1.1", "change": "перенесено", "kind": "rescheduled", "field": "срок",
        "old": "2026-Q2", "new": "2026-12 (по protocol-1)", "slip": "+184 дн.", "slip_days": 184,
    }
    gone = diffing.Change("r", None, "removed", old={"title": {"en": "A memo", "ru": "Меморандум"}})
    row = diff_text.display_row(gone, "ru")
    assert (row["measure"], row["change"], row["field"], row["old"], row["new"]) == (
        "(документ)", "удалено", "", "Меморандум", "")
    earlier = diffing.Change("r", "2", "changed", "due", "2027", "2027-06", -184)
    assert diff_text.display_row(earlier, "ru")["slip"] == "−184 дн."


def test_display_row_in_english_is_the_contracts_words() -> None:
    moved = diffing.Change("r", "1.1", "rescheduled", "due", "2026-Q2", "2026-12", 184, "protocol-1")
    row = diff_text.display_row(moved, "en")
    assert (row["change"], row["field"], row["new"], row["slip"]) == (
        "rescheduled", "due", "2026-12 (by protocol-1)", "+184 d")
    assert diff_text.display_row(diffing.Change("r", None, "added", new={}), "en")["measure"] == "(document)"
    assert diff_text.field_name("x_custom") == "x_custom"  # a key the format does not know
    assert diff_text.change_word("renamed") == "renamed"


def _changes(**counts: int) -> list[diffing.Change]:
    out = []
    for i in range(counts.get("done", 0)):
        out.append(diffing.Change("r", f"d{i}", "changed", "status", "in_progress", "done"))
    for i in range(counts.get("later", 0)):
        out.append(diffing.Change("r", f"l{i}", "changed", "due", "2026-Q1", "2026-Q2", 91))
    for i in range(counts.get("owners", 0)):
        out.append(diffing.Change("r", f"o{i}", "changed", "owners", ["a"], ["b"]))
    for i in range(counts.get("docs", 0)):
        out.append(diffing.Change(f"doc{i}", None, "removed", old={}))
    return out


@pytest.mark.parametrize(
    ("counts", "russian"),
    [
        ({}, "Изменений в дорожных картах нет."),
        ({"done": 1, "later": 1}, "1 мероприятие выполнено, 1 срок сдвинут позже на 91 день."),
        ({"done": 2, "later": 3, "owners": 2},
         "2 мероприятия выполнены, 3 срока сдвинуты позже на 91 день каждый, новые исполнители у 2 "
         "мероприятий."),
        ({"done": 5, "owners": 1, "docs": 21},
         "5 мероприятий выполнено, новые исполнители у 1 мероприятия, 21 документ удалён."),
    ],
)
def test_summary_in_russian_takes_the_plural_forms(counts: dict[str, int], russian: str) -> None:
    changes = _changes(**counts)
    english = diffing.summary(changes)
    i18n.activate("ru")
    try:
        assert diffing.summary(changes) == russian
    finally:
        i18n.activate("en")
    assert diffing.summary(changes) == english  # and back


def test_the_ids_as_spelled_are_the_same_through_the_cache(repo: Repo, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """history spells the ids as the working tree does, from each file's id kept in the cache
    by its bytes: the same as reading every file, with the cache empty or filled, and for a
    file with errors; a warm run parses only the document named."""
    from roadmap_cli import cache as cache_module
    from roadmap_cli.history import as_in_the_working_tree

    git, folder = revisions.open_repository(None)
    invalid = Path(folder) / "zz-broken.yaml"
    invalid.write_text("id: kz-by-broken\nkind: roadmap\nmeasures:\n  - id: 'Q.1'\n    status: x\n",
                       encoding="utf-8")
    asked = [("KZ-BY", "1.1"), ("kz-by-test", "1.1"), ("KZ-BY-BROKEN", "q.1"),
             ("kz-by-broken", "Q.1"), ("no-such", "1.1"), ("astana", "1.1"), ("kz", "9.9")]
    plain = [as_in_the_working_tree(folder, r, m) for r, m in asked]
    assert ("kz-by-test", "1.1") in plain and ("kz-by-broken", "Q.1") in plain
    for _ in range(2):  # the cache filled, then read
        cache = cache_module.Cache(str(tmp_path / "cache"))
        assert [as_in_the_working_tree(folder, r, m, cache) for r, m in asked] == plain
    assert any((tmp_path / "cache" / "metas").glob("*.bin"))
    with monkeypatch.context() as m:
        parsed = counting_parses(m)
        assert as_in_the_working_tree(folder, "kz-by-test", "1.1", cache) == ("kz-by-test", "1.1")
        # an id as written, in the file named after it: no other file is read, even cold
        assert as_in_the_working_tree(folder, "kz-by-test", "1.1") == ("kz-by-test", "1.1")
    assert [os.path.basename(p) for p in parsed] == ["kz-by-test.yaml"] * 2  # the one named only
    with monkeypatch.context() as m:
        parsed = counting_parses(m)
        found = measure_history(git, folder, "KZ-BY-TEST", "1.1", cache_module.Cache(str(tmp_path / "cache")))
    # the working tree's file is its last revision: read once for both
    assert [os.path.basename(p) for p in parsed] == ["kz-by-test.yaml"]
    assert found == measure_history(git, folder, "KZ-BY-TEST", "1.1")
    assert found.target == "kz-by-test/1.1"


def test_a_revision_read_under_another_name_comes_from_the_cache(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file at a revision is kept in the cache under its path, whatever the revision is
    called: `diff HEAD HEAD~1` after `diff HEAD~1 HEAD` reads no file again, and answers as
    without the cache; its documents are named as the side names them. A revision with errors
    is refused alike, with or without the cache."""
    from roadmap_cli import cache as cache_module

    repo.edit(DOC, "progress: 50", "progress: 60")
    repo.commit("Progress")

    def compared(base: str, head: str, cache: object) -> list[diffing.Change]:
        old, new = open_sides(base, head)
        found = revisions.compare(old, new, cache)
        before, after = revisions.load_pair(old, new, cache)
        assert {r.file for r in before.roadmaps} <= set(old.paths)  # named as this side names it
        assert all(r.source.file == r.file for r in (*before.roadmaps, *after.roadmaps))
        return found

    folder = str(tmp_path / "cache")
    first = compared("HEAD~1", "HEAD", cache_module.Cache(folder))
    with monkeypatch.context() as m:
        parsed = counting_parses(m)
        swapped = compared("HEAD", "HEAD~1", cache_module.Cache(folder))
        by_sha = compared(repo.head(), "v1", cache_module.Cache(folder))
    assert parsed == []
    assert first == compared("HEAD~1", "HEAD", None)
    assert swapped == compared("HEAD", "HEAD~1", None) != first
    assert by_sha == compared(repo.head(), "v1", None)
    # a revision with an error: refused the same, the cache empty or filled
    repo.edit(DOC, "owners: [kz-mic]", "owners: [kz-nobody]")
    repo.commit("Broken")
    seen = []
    for cache in (None, cache_module.Cache(folder), cache_module.Cache(folder)):
        old, new = open_sides("HEAD~1", "HEAD")
        with pytest.raises(revisions.InvalidSide) as refused:
            revisions.load_pair(old, new, cache)
        seen.append([(p.file, p.line, p.rule, p.message) for p in refused.value.repository.problems])
    assert seen[0] == seen[1] == seen[2]
    assert [p[:3] for p in seen[0]] == [("HEAD:roadmaps/kz-by-test.yaml", 12, "unknown-agency")]


def test_history_reads_no_file_outside_the_folder(repo: Repo, tmp_path: Path) -> None:
    """A link in the roadmap folder to a document outside it is not read to spell the ids (the
    loader does not read it either): the id typed is kept as typed."""
    from roadmap_cli.history import as_in_the_working_tree

    outside = tmp_path / "outside.yaml"
    outside.write_text("id: kz-by-secret-plan\nmeasures:\n  - id: 'S.1'\n", encoding="utf-8")
    _git, folder = revisions.open_repository(None)
    os.symlink(outside, os.path.join(folder, "zz-link.yaml"))
    assert as_in_the_working_tree(folder, "KZ-BY-SECRET", "s.1") == ("KZ-BY-SECRET", "s.1")
    assert as_in_the_working_tree(folder, "KZ-BY-TEST", "1.1") == ("kz-by-test", "1.1")
