"""apply edits and checks each answered row on its measure alone (and the measures it depends
on), not on the whole document (apply_plan._Blocks): the result must be the one the whole
text gives, row for row: the same texts, change lines, refusals and messages."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from benchgen import generate

from roadmap_cli import apply_plan, cycle, sheets, transaction
from roadmap_cli.load import load_sources

AS_OF = date(2026, 9, 1)

#: answers by the row's number: every kind of answer, and some that the whole document refuses
ANSWERS: tuple[dict[str, Any], ...] = (
    {"progress": "55", "evidence_title": "Protocol No. 1"},
    {"status": "done", "completed": "2026-08-20"},
    {"status": "blocked", "reason": "waiting for the other party"},
    {"reported": "2026-Q2", "evidence_title": "Report", "evidence_url": "https://example.org/r"},
    {"completed": "2026-07-01"},
    {"status": "cancelled"},  # no reason: refused by the sheet's checks
    {"progress": "100"},
    {"comment": "only a comment"},
    {"status": "done", "completed": "1800-01-01"},  # outside the years: refused by the check
    {"actual": "5"},
)


def _variants(text: str) -> str:
    """The document with the layouts the cut must keep: comments and blank lines between
    measures, a comment before the first one."""
    text = text.replace("\nmeasures:\n", "\nmeasures:\n  # the measures\n", 1)
    return re.sub(r"\n(  - id: [^\n]*[05]\n)", r"\n\n  # a comment between measures\n\1", text)


def _answered(folder: Path, repo: Any, agency: str, out: Path, salt: int) -> Path:
    rows = cycle.request_rows(repo.roadmaps, agency, AS_OF, "en")
    for n, row in enumerate(rows):
        row.update(ANSWERS[(n + salt) % len(ANSWERS)])
    out.write_bytes(sheets.request_csv(rows, "en"))
    return out


def _run(sources: Any, repo: Any, files: list[str], whole: bool,
         monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as m:
        if whole:
            m.setattr(apply_plan._Blocks, "of", classmethod(lambda cls, text: None))
        try:
            applied = apply_plan.prepare_apply(sources, repo, files, None, today=AS_OF)
        except transaction.Refusal as e:
            return ("refused", str(e), [str(p) for p in e.problems])
    return (applied.changed, applied.changes, [str(p) for p in applied.problems])


@pytest.mark.parametrize("seed", [1, 2])
def test_the_cut_gives_what_the_whole_text_gives(tmp_path: Path, seed: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = generate(tmp_path / "roadmaps", docs=3, measures=30, seed=seed)
    for n, path in enumerate(sorted(folder.glob("*.yaml"))):
        if path.name != "agencies.yaml" and n % 2:
            path.write_text(_variants(path.read_text(encoding="utf-8")), encoding="utf-8")
    sources = transaction.read([str(folder)])
    repo = load_sources(sources)
    assert not [p for p in repo.problems if p.severity.value == "error"]
    agencies = sorted({a for rm in repo.roadmaps for m in rm.measures for a in m.owners})
    files = [str(_answered(folder, repo, a, tmp_path / f"{a}-{k}.csv", k + seed))
             for k, a in enumerate(agencies[:3])]
    # the same measure answered twice (two workbooks): the second edits the first's result
    files.append(str(_answered(folder, repo, agencies[0], tmp_path / "again.csv", seed + 3)))
    whole = _run(sources, repo, files, True, monkeypatch)
    cut = _run(sources, repo, files, False, monkeypatch)
    assert cut == whole
    assert whole[0], "nothing applied: the test would prove nothing"


def test_a_document_with_anchors_is_edited_whole() -> None:
    text = "id: x\nbase: &b\n  a: 1\nmeasures:\n  - id: '1'\n    extra: *b\n"
    assert apply_plan._Blocks.of(text) is None
    plain = "id: x\nmeasures:\n  - id: '1'\n    title: a\n\n  # note\n  - id: '2'\nend: 1\n"
    blocks = apply_plan._Blocks.of(plain)
    assert blocks is not None
    assert blocks.text() == plain
    assert blocks.items == ["  - id: '1'\n    title: a\n\n  # note\n", "  - id: '2'\n"]
    assert (blocks.head, blocks.tail) == ("id: x\nmeasures:\n", "end: 1\n")


def test_the_cut_is_kept_for_the_files_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where a document is cut at its measures (or that it cannot be) is kept in the cache for
    the file's bytes: a later apply reads it without composing the text again, and cuts the
    text into the same blocks."""
    from roadmap_cli import cache as cache_mod

    kept = cache_mod.Cache(str(tmp_path / "cache"))
    plain = ("id: x\nmeasures:\n  - id: '1'\n    title: a\n    depends_on: ['2']\n\n  # note\n"
             "  - id: '2'\nend: 1\n")
    anchored = "id: x\nbase: &b\n  a: 1\nmeasures:\n  - id: '1'\n    extra: *b\n"
    made = apply_plan._blocks_of(plain.encode(), plain, kept)
    assert made is not None and made.deps == [["2"], []] and made.ids == ["1", "2"]
    assert apply_plan._blocks_of(anchored.encode(), anchored, kept) is None
    assert kept.cut(anchored.encode()) is False and kept.cut(plain.encode()) == made.cut

    def composed(cls: Any, text: str) -> Any:
        raise AssertionError("composed again")

    monkeypatch.setattr(apply_plan._Blocks, "of", classmethod(composed))
    again = apply_plan._blocks_of(plain.encode(), plain, cache_mod.Cache(str(tmp_path / "cache")))
    assert again == made and again is not made and again.text() == plain
    assert apply_plan._blocks_of(anchored.encode(), anchored, kept) is None
    # an entry not of a cut's shape is not one; a cut that does not fit the text cuts nothing
    for bad in [(("1",), 2, (None,), ((),)), ((0, 1), 2, ("a",), ((), ())), ((0,), 1, (1,), ((),)),
                ((0,), 1, (None,), (("a", 2),)), ((0,), 1, (None,)), "cut", None, True]:
        kept.put_cut(b"bad", bad)
        assert kept.cut(b"bad") is None, bad
    assert apply_plan._Blocks.at("a: 1\n", ((0,), 5, (None,), ((),))) is None
    assert apply_plan._Blocks.at("a: 1\n", ((), 1, (), ())) is None
    assert apply_plan._Blocks.at("a: 1\nb: 2\n", ((-1,), 1, (None,), ((),))) is None


def test_the_cut_is_taken_and_the_whole_text_still_refuses(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    folder = generate(tmp_path / "roadmaps", docs=3, measures=40, seed=5)
    sources = transaction.read([str(folder)])
    repo = load_sources(sources)
    agency = sorted({a for rm in repo.roadmaps for m in rm.measures for a in m.owners})[0]
    book = str(_answered(folder, repo, agency, tmp_path / "a.csv", 0))
    whole_rows: list[str] = []
    real = apply_plan._edit_row

    def counted(plan: Any, *args: Any) -> Any:
        whole_rows.append(plan.measure)
        return real(plan, *args)

    monkeypatch.setattr(apply_plan, "_edit_row", counted)
    applied = apply_plan.prepare_apply(sources, repo, [book], None, today=AS_OF)
    done = [p for p in applied.plans if p.ok]
    assert len(whole_rows) < len(done) / 2  # most rows on their measure alone
    refused = [p for p in applied.problems if p.rule == "apply-refused"]
    # the whole text names the error that the check of the measure alone found
    assert any("invalid" in p.message and "[date-range]" in p.message for p in refused)


def test_apply_with_the_cache_answers_as_without(tmp_path: Path, cli: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """apply reads the repository and checks the result with the workspace's cache: empty,
    filled, and filled by an earlier apply's candidate files, it prints and writes what a run
    without it does, and a refused result is refused alike."""
    folder = generate(tmp_path / "roadmaps", docs=3, measures=20, seed=7)
    repo = load_sources(transaction.read([str(folder)]))
    agency = sorted({a for rm in repo.roadmaps for m in rm.measures for a in m.owners})[0]
    book = str(_answered(folder, repo, agency, tmp_path / "a.csv", 1))
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(tmp_path / "cache"))
    args = ("apply", book, "--dry-run", "--on", "2026-09-02", "--dir", str(folder))

    def ran(cache: bool) -> tuple[int, str, str]:
        if cache:
            monkeypatch.delenv("ROADMAP_NO_CACHE", raising=False)
        else:
            monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
        done = cli(*args)
        return done.exit_code, done.stdout, done.stderr

    plain = ran(False)
    assert "+" in plain[1] and plain[0] == 1  # rows applied, and some refused
    assert ran(True) == plain  # the cache filled
    assert ran(True) == plain  # the cache read (and the candidates' entries in it)
    assert any((tmp_path / "cache").rglob("*.bin"))
    # a result the whole repository refuses: another document takes the edited one's id
    target = sorted(p for p in folder.glob("*.yaml") if p.name != "agencies.yaml")
    first_id = load_sources(transaction.read([str(folder)])).roadmaps[0].id
    other = target[-1]
    text = other.read_text(encoding="utf-8")
    other_id = next(rm.id for rm in repo.roadmaps if rm.file == str(other))
    other.write_text(text.replace("id: " + other_id, "id: " + first_id, 1), encoding="utf-8")
    refused = ran(False)
    assert refused[0] == 1 and "duplicate-roadmap-id" in refused[2]
    assert ran(True) == refused
    assert ran(True) == refused


def _one_document_answered(folder: Path, repo: Any, out: Path,
                           answers: dict[int, dict[str, Any]]) -> tuple[Path, str]:
    """A workbook (CSV) answering the rows of the document where one agency has the most,
    with ``answers`` by the row's number there (the others progress: valid), and that
    document's file."""
    agencies = sorted({a for rm in repo.roadmaps for m in rm.measures for a in m.owners})
    mine = max(([r for r in cycle.request_rows(repo.roadmaps, a, AS_OF, "en") if r["roadmap"] == rm.id]
                for a in agencies for rm in repo.roadmaps), key=len)
    first = mine[0]["roadmap"]
    assert len(mine) >= 4, "too few rows in one document for the test"
    for n, row in enumerate(mine):
        row.update(answers.get(n, {"progress": str(10 + n)}))
    out.write_bytes(sheets.request_csv(mine, "en"))
    return out, next(rm.file for rm in repo.roadmaps if rm.id == first)


def _spied(monkeypatch: pytest.MonkeyPatch, sources: Any, repo: Any, files: list[str],
           careful: bool) -> tuple[Any, list[str]]:
    """apply's result (as :func:`_run`), and the files whose rows were checked one by one; with
    ``careful``, every document is (the path each row took before the check of the result)."""
    checked: list[str] = []
    real = apply_plan._apply_carefully

    def spy(plans: Any, rows: Any, name: str, *args: Any) -> Any:
        checked.append(name)
        return real(plans, rows, name, *args)

    with monkeypatch.context() as m:
        m.setattr(apply_plan, "_apply_carefully", spy)
        if careful:
            m.setattr(apply_plan, "_apply_quickly", lambda *args: None)
        return _run(sources, repo, files, False, monkeypatch), checked


def test_valid_rows_are_checked_once_with_the_result(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """When no answer of a document is wrong, its rows are applied without a check each (the
    check of the whole result says the same): what the row-by-row check gives, faster."""
    folder = generate(tmp_path / "roadmaps", docs=3, measures=30, seed=11)
    sources = transaction.read([str(folder)])
    repo = load_sources(sources)
    book, _doc = _one_document_answered(folder, repo, tmp_path / "a.csv",
                                        {1: {"status": "done", "completed": "2026-08-20"}})
    calls: list[str] = []
    real = apply_plan.problems_of
    monkeypatch.setattr(apply_plan, "problems_of",
                        lambda s, name, *a: calls.append(name) or real(s, name, *a))
    quick, checked = _spied(monkeypatch, sources, repo, [str(book)], careful=False)
    assert checked == [] and calls == []  # no row checked on its own
    careful, _checked = _spied(monkeypatch, sources, repo, [str(book)], careful=True)
    assert calls  # the row-by-row path checks each row
    assert quick == careful
    assert quick[1] and all(quick[1].values()), "no row applied: the test would prove nothing"


@pytest.mark.parametrize("wrong", [
    {"status": "done", "completed": "1800-01-01"},  # the check of the file refuses it
    # (a completion after today is refused at its cell now, before any check of the file)
])
def test_a_wrong_row_among_valid_ones_is_refused_as_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wrong: dict[str, Any]) -> None:
    """One row that would make its document invalid, among valid rows of the same document
    (before and after it): the same row refused with the same message, the others applied,
    as when each row is checked; only that document is checked row by row."""
    folder = generate(tmp_path / "roadmaps", docs=3, measures=30, seed=12)
    sources = transaction.read([str(folder)])
    repo = load_sources(sources)
    book, doc = _one_document_answered(folder, repo, tmp_path / "a.csv", {2: wrong})
    # the other documents answered too, all valid: they keep the quick path
    agencies = sorted({a for rm in repo.roadmaps for m in rm.measures for a in m.owners})
    rows = list({(r["roadmap"], r["measure"]): r  # one row per measure (co-executors too)
                 for a in agencies for r in cycle.request_rows(repo.roadmaps, a, AS_OF, "en")
                 if r["roadmap"] != next(rm.id for rm in repo.roadmaps if rm.file == doc)}.values())
    for row in rows:
        row.update({"progress": "42"})
    other = tmp_path / "b.csv"
    other.write_bytes(sheets.request_csv(rows, "en"))
    files = [str(book), str(other)]
    quick, checked = _spied(monkeypatch, sources, repo, files, careful=False)
    careful, _checked = _spied(monkeypatch, sources, repo, files, careful=True)
    assert quick == careful
    assert checked == [doc]
    refused = [p for p in quick[2] if "apply-refused" in p]
    assert len(refused) == 1 and "invalid" in refused[0], quick[2]
    assert len(quick[0]) >= 2


def test_a_measure_answered_wrong_then_right_is_refused_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workbooks answer one measure, the first wrongly, the second rightly: the end result
    is valid, yet the first row is refused (as when each row is checked) and the second applied
    to the measure as it was."""
    folder = generate(tmp_path / "roadmaps", docs=2, measures=20, seed=13)
    sources = transaction.read([str(folder)])
    repo = load_sources(sources)
    first, _doc = _one_document_answered(folder, repo, tmp_path / "a.csv",
                                         {0: {"completed": "1800-01-01"}})
    second, _doc = _one_document_answered(folder, repo, tmp_path / "b.csv",
                                          {0: {"completed": "2026-08-01"}})
    files = [str(first), str(second)]
    quick, _checked = _spied(monkeypatch, sources, repo, files, careful=False)
    careful, _checked = _spied(monkeypatch, sources, repo, files, careful=True)
    assert quick == careful
    assert len([p for p in quick[2] if "apply-refused" in p]) == 1
