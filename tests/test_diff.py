"""roadmap diff over real git repositories built in tmp_path, and the pure diff module."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from gitrepo import AGENCIES, MEMO, Repo, isolate, run

from roadmap_cli import diff as diffing
from roadmap_cli.load import build_measure
from roadmap_cli.model import Roadmap

DOC = "roadmaps/kz-by-test.yaml"
MEMO_FILE = "roadmaps/astana-minsk-memo.yaml"


@pytest.fixture
def repo(git_repo: Repo) -> Repo:
    return git_repo


def diff_json(*args: str) -> list[dict]:
    res = run("diff", *args, "--format", "json")
    assert res.code == 0, res.err
    assert res.err == ""
    return json.loads(res.out)


def row(measure, change, field=None, old=None, new=None, slip=None, roadmap="kz-by-test"):
    return {
        "roadmap": roadmap,
        "measure": measure,
        "change": change,
        "field": field,
        "old": old,
        "new": new,
        "slip_days": slip,
    }


# --- scenarios ---------------------------------------------------------------------------------


def test_status_change_to_done(repo: Repo) -> None:
    repo.edit(DOC, "    status: not_started\n  - id: \"1.3\"", "    status: done\n    completed: 2026-06-20\n  - id: \"1.3\"")
    repo.commit("1.2 done")
    assert diff_json("v1", "HEAD") == [
        row("1.2", "changed", "status", "not_started", "done"),
        row("1.2", "changed", "completed", None, "2026-06-20"),
    ]


def test_deadline_slip_and_pull_in_in_days(repo: Repo) -> None:
    repo.edit(DOC, "due: 2026-Q2", "due: 2026-12")  # 2026-06-30 -> 2026-12-31
    repo.edit(DOC, 'due: "2027"', "due: 2027-06")  # 2027-12-31 -> 2027-06-30
    repo.edit(DOC, "until: 2026-Q4", "until: 2027-Q2")  # last occurrence + 15 days of grace
    repo.commit("Move deadlines")
    recurring = {"every": "quarter", "from": "2026-Q1", "grace": 15}
    assert diff_json("v1", "HEAD") == [
        row("1.1", "changed", "due", "2026-Q2", "2026-12", 184),
        row("1.3", "changed", "due", {**recurring, "until": "2026-Q4"}, {**recurring, "until": "2027-Q2"}, 181),
        row("1.4", "changed", "due", "2027", "2027-06", -184),
    ]


AMENDMENTS = "amendments:\n  - {id: protocol-1, date: 2026-06-15, title: Protocol No. 1}\n"


def test_a_move_by_amendment_is_rescheduled_not_a_slip(repo: Repo) -> None:
    repo.write(DOC, repo.read(DOC) + AMENDMENTS)
    repo.edit(DOC, "    due: 2026-Q2\n", "    due: 2026-12\n    rescheduled:\n      - {from: 2026-Q2, by: protocol-1}\n")
    repo.edit(DOC, "due: 2026-06\n", "due: 2026-09\n")  # moved with no amendment: a slip
    repo.commit("Protocol No. 1 moves 1.1; 1.2 slips")
    rows = diff_json("v1", "HEAD")
    assert rows[0]["measure"] is None and rows[0]["field"] == "amendments"
    assert rows[1:] == [
        {**row("1.1", "rescheduled", "due", "2026-Q2", "2026-12", 184), "by": "protocol-1"},
        row("1.2", "changed", "due", "2026-06", "2026-09", 92),
    ]
    res = run("diff", "v1", "HEAD", "--fail-on-slip")
    assert res.code == 1
    assert "1 deadline moved later (--fail-on-slip)" in res.err
    assert " ".join(res.out.split()).startswith(
        "1 deadline rescheduled by amendment, 1 deadline moved later by 92 days, 1 other change."
    )
    assert "2026-12 (by protocol-1)" in res.out


def test_fail_on_slip_passes_when_every_move_is_covered(repo: Repo) -> None:
    repo.write(DOC, repo.read(DOC) + AMENDMENTS)
    repo.edit(DOC, "    due: 2026-Q2\n", "    due: 2026-12\n    rescheduled:\n      - {from: 2026-Q2, by: protocol-1}\n")
    repo.commit("Protocol No. 1 moves 1.1")
    assert run("diff", "v1", "HEAD", "--fail-on-slip").code == 0


def test_a_rescheduled_entry_naming_no_amendment_is_not_a_cover() -> None:
    old = {"id": "1", "due": "2026-Q2"}
    new = {"id": "1", "due": "2026-12", "rescheduled": [{"from": "2026-Q2", "by": "protocol-9"}]}
    rm = Roadmap("d", "roadmap", "t", (), date(2025, 1, 1), date(2026, 1, 1), date(2028, 12, 31), ())
    assert diffing.rescheduled_by(old, new, rm) is None
    changes = [
        diffing.Change("d", "1", diffing.RESCHEDULED, "due", "2026-Q2", "2026-12", 184, "p"),
        diffing.Change("d", "2", diffing.CHANGED, "due", "2026-Q2", "2026-12", 184),
    ]
    assert [c.measure for c in diffing.slipped(changes)] == ["2"]


def test_owners_changed(repo: Repo) -> None:
    repo.edit(DOC, "owners: [by-minprom]", "owners: [by-minprom, kz-mic]")
    repo.commit("kz-mic co-leads 1.2")
    assert diff_json("v1", "HEAD") == [
        row("1.2", "changed", "owners", ["by-minprom"], ["by-minprom", "kz-mic"]),
    ]


def test_measure_added_and_removed(repo: Repo) -> None:
    text = repo.read(DOC)
    head, _, _ = text.partition('  - id: "1.4"')
    repo.write(
        DOC,
        head
        + '  - id: "1.5"\n    title: {en: Hold a joint exhibition}\n    owners: [kz-mti]\n'
        "    due: 2027-Q3\n    status: not_started\n",
    )
    repo.commit("Replace 1.4 with 1.5")
    assert diff_json("v1", "HEAD") == [
        row(
            "1.5",
            "added",
            new={
                "id": "1.5",
                "title": {"en": "Hold a joint exhibition"},
                "owners": ["kz-mti"],
                "due": "2027-Q3",
                "status": "not_started",
            },
        ),
        row(
            "1.4",
            "removed",
            old={
                "id": "1.4",
                "title": {"en": "Assemble MAZ buses in Kazakhstan"},
                "owners": ["by-maz"],
                "due": "2027",
                "status": "not_started",
            },
        ),
    ]


MEMO_DATA = {
    "id": "astana-minsk-memo",
    "kind": "memorandum",
    "title": {"en": "Memorandum between Astana and Minsk", "ru": "Меморандум между Астаной и Минском"},
    "parties": ["kz-mti", "by-minprom"],
    "signed": {"date": "2025-11-05"},
    "period": {"start": "2026-01-01", "end": "2027-12-31"},
    "measures": [
        {
            "id": "1",
            "title": {"en": "Exchange trade missions"},
            "owners": ["kz-mti"],
            "due": "2026-H2",
            "status": "not_started",
        }
    ],
}


def test_document_renamed(repo: Repo) -> None:
    repo.git("mv", MEMO_FILE, "roadmaps/astana-minsk.yaml")
    repo.commit("Rename the memorandum's file")
    assert diff_json("v1", "HEAD") == [
        row(None, "renamed", "file", MEMO_FILE, "roadmaps/astana-minsk.yaml", roadmap="astana-minsk-memo"),
    ]


def test_document_renamed_and_edited(repo: Repo) -> None:
    repo.git("mv", MEMO_FILE, "roadmaps/astana-minsk.yaml")
    repo.edit("roadmaps/astana-minsk.yaml", "due: 2026-H2", "due: 2027-H1")
    repo.commit("Rename and move")
    assert diff_json("v1", "HEAD") == [
        row(None, "renamed", "file", MEMO_FILE, "roadmaps/astana-minsk.yaml", roadmap="astana-minsk-memo"),
        row("1", "changed", "due", "2026-H2", "2027-H1", 181, roadmap="astana-minsk-memo"),
    ]


def test_document_deleted_and_added(repo: Repo) -> None:
    repo.git("rm", "-q", MEMO_FILE)
    repo.commit("The memorandum expired")
    assert diff_json("v1", "HEAD") == [row(None, "removed", old=MEMO_DATA, roadmap="astana-minsk-memo")]
    assert diff_json("HEAD", "v1") == [row(None, "added", new=MEMO_DATA, roadmap="astana-minsk-memo")]


def test_document_fields_changed(repo: Repo) -> None:
    repo.edit(DOC, "parties: [kz-mic, by-minprom]", "parties: [kz-mic, by-minprom, kz-mti]")
    repo.edit(DOC, "period: {start: 2026-01-01, end: 2028-12-31}", "period: {start: 2026-01-01, end: 2029-12-31}")
    repo.commit("Widen the roadmap")
    assert diff_json("v1", "HEAD") == [
        row(None, "changed", "parties", ["kz-mic", "by-minprom"], ["kz-mic", "by-minprom", "kz-mti"]),
        row(None, "changed", "period", {"start": "2026-01-01", "end": "2028-12-31"},
            {"start": "2026-01-01", "end": "2029-12-31"}),
    ]


def test_edit_only_in_the_working_tree(repo: Repo) -> None:
    index = repo.path(".git/index")
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    repo.edit(DOC, "progress: 50", "progress: 80")
    assert diff_json("HEAD") == [row("1.1", "changed", "progress", 50, 80)]
    assert diff_json("main") == [row("1.1", "changed", "progress", 50, 80)]
    assert diff_json("HEAD", "HEAD") == []
    # never touches the index or the working tree
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before
    assert repo.git("status", "--porcelain") == f" M {DOC}\n"
    assert "progress: 80" in repo.read(DOC)


def test_untracked_file_in_the_working_tree(repo: Repo) -> None:
    repo.write("roadmaps/new-doc.yaml", MEMO.replace("astana-minsk-memo", "new-doc"))
    data = diff_json("HEAD")
    assert [(r["roadmap"], r["change"]) for r in data] == [("new-doc", "added")]


def test_a_bare_year_quoted_or_not_is_no_change(repo: Repo) -> None:
    # due: "2027" and due: 2027 name the same year (docs/semantics.md): not "1 due date changed,
    # 2027 -> 2027, 0 d", in a pull request's comment, when someone only dropped the quotes
    repo.edit(DOC, 'due: "2027"', "due: 2027")
    repo.commit("Unquote a year")
    assert diff_json("v1", "HEAD") == []


def test_bare_years_in_recurrences_and_reports_quoted_or_not_are_no_change() -> None:
    old = {"id": "1", "due": {"every": "year", "from": "2026", "until": 2028, "grace": 15},
           "reports": [{"period": "2026"}], "rescheduled": [{"from": 2025, "by": "p"}]}
    new = {"id": "1", "due": {"every": "year", "from": 2026, "until": "2028", "grace": 15},
           "reports": [{"period": 2026}], "rescheduled": [{"from": "2025", "by": "p"}]}
    assert diffing.field_changes(old, new) == []
    # a grace is a number of days, not a year: "15" for 15 is a change
    assert diffing.field_changes(old, {**old, "due": {**old["due"], "grace": "15"}}) != []


def test_no_changes(repo: Repo) -> None:
    assert diff_json("v1") == []
    res = run("diff", "v1")
    assert res.code == 0
    assert res.out == "No changes to the roadmaps.\n"


def test_folder_missing_at_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, tmp_path)
    r = Repo(tmp_path / "repo")
    r.write("README.md", "roadmaps come later\n")
    r.commit("Start")
    r.write("roadmaps/agencies.yaml", AGENCIES)
    r.write(MEMO_FILE, MEMO)
    r.commit("Add the memorandum")
    monkeypatch.chdir(r.root)
    assert diff_json("HEAD~1", "HEAD") == [row(None, "added", new=MEMO_DATA, roadmap="astana-minsk-memo")]
    res = run("diff", "HEAD~1", "HEAD~1")
    assert res.code == 2
    assert res.err == (
        "roadmap: no roadmap folder roadmaps/ in revision HEAD~1 or in revision HEAD~1; "
        "give the folder with --dir\n"
    )


def test_subfolder_and_dir_option(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.edit(DOC, "progress: 50", "progress: 60")
    repo.commit("progress")
    (repo.root / "docs").mkdir()
    monkeypatch.chdir(repo.root / "docs")
    assert diff_json("v1", "HEAD") == [row("1.1", "changed", "progress", 50, 60)]
    monkeypatch.chdir(repo.root / "roadmaps")
    assert diff_json("v1", "HEAD", "--dir", ".") == [row("1.1", "changed", "progress", 50, 60)]
    res = run("diff", "v1", "HEAD", "--dir", str(repo.root.parent))
    assert res.code == 2
    assert res.err == (
        f"roadmap: {repo.root.parent} is not in a git repository (diff and history compare "
        "revisions of the roadmaps kept in git)\n"
    )


# --- errors ------------------------------------------------------------------------------------


def test_unknown_revision_exits_2(repo: Repo) -> None:
    res = run("diff", "no-such-branch")
    assert (res.code, res.out) == (2, "")
    assert res.err == (
        f"roadmap: unknown revision 'no-such-branch': no branch, tag or commit of that name in "
        f"{repo.root.resolve()}\n"
    )
    res = run("diff", "v1", "v9")
    assert res.code == 2
    assert "unknown revision 'v9'" in res.err


def test_not_a_repository_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, tmp_path)
    plain = tmp_path / "plain"
    (plain / "roadmaps").mkdir(parents=True)
    monkeypatch.chdir(plain)
    for args in (("diff", "main"), ("history", "kz-by-test/1.1")):
        res = run(*args)
        assert (res.code, res.out) == (2, "")
        assert res.err == (
            f"roadmap: {plain} is not in a git repository (diff and history compare revisions of "
            "the roadmaps kept in git)\n"
        )


def test_invalid_file_at_a_revision_is_reported_with_the_revision(repo: Repo) -> None:
    repo.edit(DOC, "status: in_progress\n    progress: 50", "status: finished\n    progress: 50")
    repo.commit("A typo")
    res = run("diff", "v1", "HEAD")
    assert res.code == 1
    assert res.out == ""
    first = res.err.splitlines()[0]
    assert first.startswith(f"HEAD:{DOC}:14:13: error: ")
    assert first.endswith("]")
    assert "    status: finished" in res.err  # the excerpt, read from the blob
    assert res.err.splitlines()[-1] == (
        "roadmap: cannot compare: the roadmaps at revision HEAD have 1 error(s) (listed above); "
        "fix them or compare other revisions"
    )
    # the base side is checked too, with its own name
    res = run("diff", "HEAD", "v1")
    assert res.code == 1
    assert res.err.startswith(f"HEAD:{DOC}:14:13: error: ")


def test_invalid_file_in_the_working_tree(repo: Repo) -> None:
    repo.edit(DOC, "owners: [kz-mic]", "owners: [kz-nobody]")
    res = run("diff", "v1")
    assert res.code == 1
    assert res.err.startswith(f"{DOC}:12:14: error: ")
    assert "[unknown-agency]" in res.err.splitlines()[0]
    assert "the roadmaps at the working tree have 1 error(s)" in res.err


def test_duplicate_id_with_an_unchanged_file_is_not_missed(repo: Repo) -> None:
    # the new file is loaded alone (the others are unchanged and shared): the duplicate must show
    repo.write("roadmaps/copy.yaml", MEMO)
    res = run("diff", "v1")
    assert res.code == 1
    assert "[duplicate-roadmap-id]" in res.err


def test_agencies_changed_revalidates_everything(repo: Repo) -> None:
    repo.edit("roadmaps/agencies.yaml", "  - id: by-maz\n", "  - id: by-maz-jsc\n")
    res = run("diff", "v1")
    assert res.code == 1
    assert f"{DOC}:" in res.err and "[unknown-agency]" in res.err


# --- output ------------------------------------------------------------------------------------


@pytest.fixture
def edited(repo: Repo) -> Repo:
    repo.edit(DOC, "    status: not_started\n  - id: \"1.3\"", "    status: done\n    completed: 2026-06-20\n  - id: \"1.3\"")
    repo.edit(DOC, "due: 2026-Q2", "due: 2026-12")
    repo.edit(DOC, "owners: [by-minprom]", "owners: [by-minprom, kz-mic]")
    repo.git("rm", "-q", MEMO_FILE)
    repo.commit("Review of the first half")
    return repo


def test_markdown_for_a_pull_request(edited: Repo) -> None:
    res = run("diff", "v1", "HEAD", "--format", "markdown")
    assert res.code == 0
    assert res.out == (
        "**1 measure done, 1 deadline moved later by 184 days, new owners for 1 measure, "
        "1 document removed.**\n"
        "\n"
        "Roadmap changes from `v1` to `HEAD`.\n"
        "\n"
        "### astana-minsk-memo\n"
        "\n"
        "| Measure | Change | Field | Old | New | Slip |\n"
        "| :--- | :--- | :--- | :--- | :--- | ---: |\n"
        "| (document) | removed |  | Memorandum between Astana and Minsk |  |  |\n"
        "\n"
        "### kz-by-test\n"
        "\n"
        "| Measure | Change | Field | Old | New | Slip |\n"
        "| :--- | :--- | :--- | :--- | :--- | ---: |\n"
        "| 1.1 | changed | due | 2026-Q2 | 2026-12 | +184 d |\n"
        "| 1.2 | changed | owners | by-minprom | by-minprom, kz-mic |  |\n"
        "| 1.2 | changed | status | not_started | done |  |\n"
        "| 1.2 | changed | completed | – | 2026-06-20 |  |\n"
    )


def test_table_at_80_columns_in_russian(edited: Repo) -> None:
    res = run("diff", "v1", "HEAD", "--lang", "ru")
    assert res.code == 0
    lines = res.out.splitlines()
    assert lines[0].startswith("1 мероприятие выполнено, 1 срок сдвинут позже на 184 дня")
    assert "Меморандум между Астаной и" in res.out  # wrapped to fit
    assert "+184 дн." in res.out
    assert all(len(line) <= 80 for line in lines)
    assert "\x1b[" not in res.out


def test_csv(edited: Repo) -> None:
    res = run("diff", "v1", "HEAD", "--format", "csv")
    assert res.code == 0
    lines = res.out.splitlines()
    assert lines[0] == "roadmap,measure,change,field,old,new,slip_days"
    assert "kz-by-test,1.1,changed,due,2026-Q2,2026-12,184" in lines


def test_fail_on_slip(edited: Repo) -> None:
    res = run("diff", "v1", "HEAD", "--format", "json", "--fail-on-slip")
    assert res.code == 1
    assert len(json.loads(res.out)) == 5
    assert res.err == "roadmap: 1 deadline moved later (--fail-on-slip)\n"
    # a deadline pulled in does not fail
    res = run("diff", "HEAD", "v1", "--format", "json", "--fail-on-slip")
    assert (res.code, res.err) == (0, "")
    assert [r["slip_days"] for r in json.loads(res.out) if r["field"] == "due"] == [-184]


# --- the pure module ---------------------------------------------------------------------------


def test_field_changes_order_and_types() -> None:
    old = {"id": "1", "status": "done", "title": "A", "zeta": 1, "progress": 1}
    new = {"id": "2", "status": "done", "title": "B", "owners": ["x"], "progress": True, "alpha": None}
    assert diffing.field_changes(old, new) == [
        ("title", "A", "B"),
        ("owners", None, ["x"]),
        ("progress", 1, True),
        ("zeta", 1, None),
    ]
    assert diffing.field_changes({"weight": 1}, {"weight": 1.0}) == []
    assert diffing.field_changes({"a": ["1"]}, {"a": [1]}) == [("a", ["1"], [1])]


def _roadmap(*measures: dict) -> Roadmap:
    return Roadmap(
        id="r",
        kind="roadmap",
        title="R",
        parties=("a",),
        signed=date(2025, 1, 1),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        measures=tuple(build_measure(m, i) for i, m in enumerate(measures)),
        raw={"id": "r", "measures": list(measures)},
    )


def _m(mid: str, due: object, **more: object) -> dict:
    return {"id": mid, "title": "T", "owners": ["a"], "due": due, "status": "not_started", **more}


def test_slip_days_forms() -> None:
    old = _roadmap(_m("1", "2026-10-15"), _m("2", "ongoing"), _m("3", {"every": "month"}), _m("4", "2026-Q4"))
    new = _roadmap(_m("1", "2026-10"), _m("2", "2026"), _m("3", {"every": "month", "grace": 10}), _m("4", "2026-12-31"))
    changes = diffing.diff([old], [new])
    assert [(c.measure, c.field, c.slip_days) for c in changes] == [
        ("1", "due", 16),
        ("2", "due", None),
        ("3", "due", 10),
        ("4", "due", 0),
    ]
    assert diffing.summary(changes) == (
        "2 deadlines moved later by up to 16 days, 1 due rewritten with the same deadline, "
        "1 due date changed."
    )


def test_removed_measures_keep_their_place() -> None:
    old = _roadmap(_m("1", "2026"), _m("2", "2026"), _m("3", "2026"), _m("4", "2026"))
    new = _roadmap(_m("1", "2026"), _m("3", "2026"), _m("5", "2026"))
    assert [(c.measure, c.change) for c in diffing.diff([old], [new])] == [
        ("2", "removed"),
        ("5", "added"),
        ("4", "removed"),
    ]


@pytest.mark.parametrize(
    ("rows", "text"),
    [
        ([], "No changes to the roadmaps."),
        (
            [
                diffing.Change("r", "1", "changed", "status", "in_progress", "done"),
                diffing.Change("r", "1", "changed", "completed", None, "2026-06-20"),  # goes with done
                diffing.Change("r", "1", "changed", "progress", 40, None),  # goes with done
                diffing.Change("r", "2", "changed", "status", "not_started", "done"),
                diffing.Change("r", "3", "changed", "status", "in_progress", "blocked"),
                diffing.Change("r", "1", "changed", "due", "2026", "2027", 365),
                diffing.Change("r", "2", "changed", "due", "2026-Q2", "2026-Q3", 92),
                diffing.Change("r", "4", "changed", "due", "2026-Q2", "2026-Q1", -91),
                diffing.Change("r", "5", "added"),
                diffing.Change("s", None, "renamed", "file", "a.yaml", "b.yaml"),
                diffing.Change("s", None, "changed", "title", "A", "B"),
            ],
            (
                "2 measures done, 1 measure blocked, 2 deadlines moved later by up to 365 days, "
                "1 deadline moved earlier by 91 days, 1 measure added, 1 document renamed, "
                "1 other change."
            ),
        ),
        (
            [
                diffing.Change("r", "1", "changed", "due", "2026-Q1", "2026-Q2", 91),
                diffing.Change("r", "2", "changed", "due", "2026-Q1", "2026-Q2", 91),
                diffing.Change("r", "3", "changed", "owners", ["a"], ["b"]),
            ],
            "2 deadlines moved later by 91 days each, new owners for 1 measure.",
        ),
    ],
)
def test_summary(rows: list[diffing.Change], text: str) -> None:
    assert diffing.summary(rows) == text


# --- the working tree and other repositories ----------------------------------------------------


def test_symlinked_file_in_the_working_tree(repo: Repo, tmp_path: Path) -> None:
    inside = repo.root / "roadmaps" / "drafts"
    inside.mkdir()
    (inside / "memo.txt").write_text(MEMO.replace("astana-minsk-memo", "linked-doc"), encoding="utf-8")
    (repo.root / "roadmaps" / "linked-doc.yaml").symlink_to(inside / "memo.txt")
    assert [(r["roadmap"], r["change"]) for r in diff_json("HEAD")] == [("linked-doc", "added")]


def test_a_link_out_of_the_working_tree_is_not_read(repo: Repo, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(MEMO.replace("astana-minsk-memo", "linked-doc"), encoding="utf-8")
    (repo.root / "roadmaps" / "linked-doc.yaml").symlink_to(outside)
    assert diff_json("HEAD") == []


def test_same_result_with_and_without_the_cache(repo: Repo) -> None:
    repo.edit(DOC, "due: 2026-Q2", "due: 2026-12")
    repo.commit("A slip")
    repo.edit(DOC, "progress: 50", "progress: 55")
    runs = [run("diff", "v1", *extra, "--format", "json") for extra in ((), (), ("--no-cache",))]
    assert runs[0] == runs[1] == runs[2]
    assert [r["field"] for r in json.loads(runs[0].out)] == ["due", "progress"]
    assert not repo.path(".roadmap-cache").exists()  # the cache lives in the user's folder
    assert repo.git("status", "--porcelain") == f" M {DOC}\n"


def test_dir_in_another_repository(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.edit(DOC, "progress: 50", "progress: 65")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # not a repository: the folder given decides
    assert diff_json("v1", "--dir", str(repo.root / "roadmaps")) == [row("1.1", "changed", "progress", 50, 65)]
    res = run("history", "kz-by-test/1.1", "--dir", str(repo.root / "roadmaps"), "--format", "json")
    assert res.code == 0
    assert [r["field"] for r in json.loads(res.out)] == [None]


def test_long_texts_show_where_they_differ() -> None:
    from roadmap_cli.diff_text import from_difference

    a = "The parties agree to hold the forum " * 6 + "in Astana in May."
    b = "The parties agree to hold the forum " * 6 + "in Minsk in June."
    x, y = from_difference(a, b)
    assert x.startswith("…") and y.startswith("…")
    assert x.endswith("in Astana in May.") and y.endswith("in Minsk in June.")
    assert len(x) < 60
    assert from_difference("short", "text") == ("short", "text")


def test_a_table_shows_what_changed_where_the_short_form_reads_the_same(repo: Repo) -> None:
    """A title edited in another language than the one shown, an entry's date or link edited
    (a list shown by its ids or its count): the table shows the parts that differ, not the
    same text on both sides."""
    repo.edit(DOC, "ru: Открыть торговый дом}", "ru: Открыть торговый дом в Минске}")
    repo.edit(DOC, "    status: not_started\n  - id: \"1.3\"",
              "    status: not_started\n    evidence:\n      - {title: Protocol, date: 2026-02-01, url: https://a.example/}\n"
              "  - id: \"1.3\"")
    repo.edit(DOC, "    status: in_progress\n  - id: \"1.4\"",
              "    status: in_progress\n    reports:\n      - {period: 2026-Q1, date: 2026-04-10, note: sent}\n"
              "  - id: \"1.4\"")
    repo.commit("evidence and a report")
    repo.edit(DOC, "ru: Открыть торговый дом в Минске}", "ru: Открыть торговый дом в Астане}")
    repo.edit(DOC, "url: https://a.example/", "url: https://b.example/")
    repo.edit(DOC, "date: 2026-04-10, note: sent", "date: 2026-05-20, note: sent")
    repo.commit("edits that read the same in short")
    res = run("diff", "HEAD~1", "HEAD", "--format", "markdown")
    assert res.code == 0, res.err
    lines = res.out.splitlines()
    assert "| 1.2 | changed | title | ru: Открыть торговый дом в Минске | ru: Открыть торговый дом в Астане |  |" in lines
    assert "| 1.2 | changed | evidence | \\#1 (url: https://a.example/) | \\#1 (url: https://b.example/) |  |" in lines
    assert "| 1.3 | changed | reports | 2026-Q1 (date: 2026-04-10) | 2026-Q1 (date: 2026-05-20) |  |" in lines
    # the JSON keeps the whole values
    rows = diff_json("HEAD~1", "HEAD")
    assert rows[0]["old"] == {"en": "Open a trading house", "ru": "Открыть торговый дом в Минске"}
    # and `history` reads the same way
    res = run("history", "kz-by-test/1.2", "--format", "markdown")
    assert "ru: Открыть торговый дом в Астане" in res.out
    assert "\\#1 (url: https://b.example/)" in res.out


def test_a_rescheduled_entry_from_another_due_does_not_cover_the_move(repo: Repo) -> None:
    """The new entry records the due in force until the amendment: one whose `from` is not the
    due the edit moves (2026-Q2 here) does not record this move; it is a slip."""
    repo.write(DOC, repo.read(DOC) + AMENDMENTS)
    repo.commit("Protocol No. 1")
    repo.edit(DOC, "    due: 2026-Q2\n", "    due: 2026-12\n    rescheduled:\n      - {from: 2026-Q1, by: protocol-1}\n")
    repo.commit("1.1 moved, the entry records another due")
    assert diff_json("HEAD~1", "HEAD") == [
        row("1.1", "changed", "due", "2026-Q2", "2026-12", 184),
        row("1.1", "changed", "rescheduled", None, [{"from": "2026-Q1", "by": "protocol-1"}]),
    ]
    assert run("diff", "HEAD~1", "HEAD", "--fail-on-slip").code == 1
    # the same deadline written in another form records it
    repo.edit(DOC, "{from: 2026-Q1, by", "{from: 2026-06-30, by")
    repo.commit("the entry records the due as a date")
    rows = diff_json("HEAD~2", "HEAD")
    assert rows == [{**row("1.1", "rescheduled", "due", "2026-Q2", "2026-12", 184), "by": "protocol-1"}]
    assert run("diff", "HEAD~2", "HEAD", "--fail-on-slip").code == 0


def test_a_three_dot_range_is_answered_with_the_merge_base(repo: Repo) -> None:
    """`main...feature` (git diff's "since feature left main") was answered 'roadmap diff main
    feature', which also shows main's own later changes, undone, as the branch's."""
    repo.git("branch", "feature")
    repo.edit(DOC, "due: 2026-Q2", "due: 2026-12")
    repo.commit("main moves 1.1")
    repo.git("checkout", "-q", "feature")
    repo.edit(DOC, "owners: [by-minprom]", "owners: [by-minprom, kz-mic]")
    repo.commit("the branch adds an owner")
    fork = repo.git("merge-base", "main", "feature").strip()[:12]
    ran = run("diff", "main...feature")
    assert ran.code == 2
    assert f"give their merge base: roadmap diff {fork} feature" in ran.err
    assert diff_json(fork, "feature") == [
        row("1.2", "changed", "owners", ["by-minprom"], ["by-minprom", "kz-mic"]),
    ]
    # two dots: the two revisions
    assert "give them apart: roadmap diff main feature" in run("diff", "main..feature").err


def test_a_due_rewritten_for_the_same_deadline_is_not_told_as_changed(repo: Repo) -> None:
    """2026-06 written 2026-06-30 moves nothing: the summary said "1 due date changed" (in
    Russian "1 срок изменён", the deadline changed)."""
    repo.edit(DOC, "due: 2026-06\n", "due: 2026-06-30\n")
    repo.commit("1.2: the day written out")
    assert diff_json("v1", "HEAD") == [row("1.2", "changed", "due", "2026-06", "2026-06-30", 0)]
    res = run("diff", "v1", "HEAD")
    assert res.code == 0
    assert res.out.splitlines()[0] == "1 due rewritten with the same deadline."
    assert run("diff", "v1", "HEAD", "--fail-on-slip").code == 0
