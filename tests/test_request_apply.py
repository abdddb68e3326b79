"""The reporting cycle end to end: `roadmap request` writes a workbook per agency, a filled
workbook goes back through `roadmap apply` (minimal edits; conflicts and bad cells refused,
located), in real git repositories in tmp_path."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from gitrepo import ROADMAP, Repo, run

from roadmap_cli import cycle
from roadmap_cli.load import load_paths

AS_OF = "2026-03-01"
BOOK = "out/request-kz-mic-2026-03-01.xlsx"
DOC = "roadmaps/kz-by-test.yaml"


@pytest.fixture
def repo(git_repo: Repo) -> Repo:
    return git_repo


def request(*extra: str) -> None:
    done = run("request", "--agency", "kz-mic", "--as-of", AS_OF, "-o", "out", *extra)
    assert done.code == 0, done.err


def fill(path: str, answers: dict[str, dict[str, Any]], out: str | None = None) -> str:
    """Fill the answer cells of measure rows (by measure id and machine key); save as ``out``."""
    wb = openpyxl.load_workbook(path)
    ws = wb["measures"]
    keys = [c.value for c in ws[cycle.KEY_ROW]]
    col = {k: n + 1 for n, k in enumerate(keys)}
    rows = {ws.cell(r, col["measure"]).value: r for r in range(cycle.FIRST_ROW, ws.max_row + 1)}
    for measure, cells in answers.items():
        for key, value in cells.items():
            ws.cell(rows[measure], col[key]).value = value
    target = out or path
    wb.save(target)
    return target


# --- request -------------------------------------------------------------------------------------


def test_request_writes_one_locked_workbook_per_agency(repo: Repo) -> None:
    done = run("request", "--agency", "kz-mic", "--agency", "kz-mti", "--lang", "ru",
               "--as-of", AS_OF, "-o", "out")
    assert done.code == 0, done.err
    assert done.out == ("out/request-kz-mic-2026-03-01.xlsx: 2 мероприятия\n"  # --lang ru
                        "out/request-kz-mti-2026-03-01.xlsx: 2 мероприятия\n")
    wb = openpyxl.load_workbook(BOOK)
    assert wb.sheetnames == ["measures", "инструкция"]
    ws = wb["measures"]
    assert [c.value for c in ws[2]] == list(cycle.KEYS)
    assert ws.row_dimensions[2].hidden
    assert ws.protection.sheet
    assert [c.value for c in ws[1]][:8] == ["Документ", "Мероприятие", "Наименование", "Срок",
                                            "Статус", "Выполнение, %", "Последний отчёт",
                                            "Новый статус"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert [(r[0], r[1]) for r in rows] == [("kz-by-test", "1.1"), ("kz-by-test", "1.3")]
    first = dict(zip(cycle.KEYS, rows[0], strict=True))
    assert first["title"] == "Провести бизнес-форум"
    assert first["deadline"] == dt.datetime(2026, 6, 30)
    assert first["status_now"] == "в работе" and first["progress_now"] == 50
    assert first["agency"] == "kz-mic" and first["as_of"] == AS_OF
    m = load_paths(["roadmaps"]).roadmaps
    measure = next(x for rm in m if rm.id == "kz-by-test" for x in rm.measures if x.id == "1.1")
    assert first["fingerprint"] == cycle.fingerprint(measure.raw)
    col = {k: n for n, k in enumerate(cycle.KEYS)}
    cells = next(iter(ws.iter_rows(min_row=3, max_row=3)))
    assert cells[col["title"]].protection.locked
    assert not cells[col["status"]].protection.locked
    assert not cells[col["comment"]].protection.locked
    lists = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert lists[0].formula1 == '"не начато,в работе,выполнено,приостановлено,отменено"'
    for key in ("agency", "as_of", "fingerprint"):
        letter = openpyxl.utils.get_column_letter(col[key] + 1)
        assert ws.column_dimensions[letter].hidden
    guide = [c.value for c in wb["инструкция"]["A"] if c.value]
    assert guide[0] == "Как заполнить эту книгу"
    assert "Министерство промышленности и строительства (kz-mic)" in guide[1]


def test_request_for_an_unknown_agency_is_a_usage_error(repo: Repo) -> None:
    done = run("request", "--agency", "kz-nobody", "-o", "out")
    assert done.code == 2
    assert "no agency with id, name or short name 'kz-nobody'" in done.err
    assert not Path("out").exists()


# --- apply ---------------------------------------------------------------------------------------


def test_apply_changes_exactly_the_filled_measures(repo: Repo) -> None:
    request()
    before = repo.read(DOC)
    memo = repo.read("roadmaps/astana-minsk-memo.yaml")
    fill(BOOK, {"1.1": {"progress": 80, "comment": "Форум назначен на май"},
                "1.3": {"reported": "2026-Q1", "evidence_title": "Протокол № 1",
                        "evidence_url": "https://gov.kz/p1"}})
    done = run("apply", BOOK, "--on", "2026-04-05")
    assert done.code == 0, done.err
    assert done.err == ""
    assert done.out == (
        f"kz-mic ({BOOK}): applied 2, unchanged 0, conflicts 0, refused 0\n"
        "  applied   kz-by-test/1.1: progress: 50 -> 80\n"
        "            comment: Форум назначен на май\n"
        "  applied   kz-by-test/1.3: evidence: added {title: Протокол № 1, date: 2026-04-05, "
        "url: https://gov.kz/p1}; reports: added {period: 2026-Q1, date: 2026-04-05}\n"
    )
    expected = before.replace("    progress: 50\n", "    progress: 80\n").replace(
        "    due: {every: quarter, from: 2026-Q1, until: 2026-Q4, grace: 15}\n"
        "    status: in_progress\n",
        "    due: {every: quarter, from: 2026-Q1, until: 2026-Q4, grace: 15}\n"
        "    status: in_progress\n"
        "    evidence:\n"
        "      - title: Протокол № 1\n"
        "        date: 2026-04-05\n"
        "        url: https://gov.kz/p1\n"
        "    reports:\n"
        "      - {period: 2026-Q1, date: 2026-04-05}\n",
    )
    assert repo.read(DOC) == expected
    assert repo.read("roadmaps/astana-minsk-memo.yaml") == memo
    assert run("validate").code == 0


def test_status_done_with_a_date_cell_and_blocked_with_a_reason(repo: Repo) -> None:
    request()
    fill(BOOK, {"1.1": {"status": "выполнено", "completed": dt.datetime(2026, 2, 20)},
                "1.3": {"status": "blocked", "reason": "Нет данных от предприятий"}})
    done = run("apply", BOOK, "--on", "2026-03-02")
    assert done.code == 0, done.err
    text = repo.read(DOC)
    assert "    status: done\n    completed: 2026-02-20\n" in text
    assert "progress: 50" not in text
    assert "    status: blocked\n    reason: Нет данных от предприятий\n" in text


def test_dry_run_prints_the_diff_and_writes_nothing(repo: Repo) -> None:
    request()
    before = repo.read(DOC)
    fill(BOOK, {"1.1": {"progress": "65"}})
    done = run("apply", BOOK, "--dry-run", "--on", "2026-04-05")
    assert done.code == 0, done.err
    assert repo.read(DOC) == before
    assert "-    progress: 50\n+    progress: 65\n" in done.out
    added = [ln for ln in done.out.splitlines() if ln.startswith(("+", "-"))]
    assert added == ["--- a/roadmaps/kz-by-test.yaml", "+++ b/roadmaps/kz-by-test.yaml",
                     "-    progress: 50", "+    progress: 65"]
    assert done.err == "(dry run: nothing was written)\n"


def test_a_conflicting_row_is_refused_and_the_others_apply(repo: Repo) -> None:
    request()
    repo.edit(DOC, "    progress: 50\n", "    progress: 70\n")
    repo.commit("Progress on 1.1 from the ministry's letter", date="2026-03-05T10:00:00+05:00")
    fill(BOOK, {"1.1": {"progress": 60}, "1.3": {"reported": "2026-Q1"}})
    done = run("apply", BOOK, "--on", "2026-04-05")
    assert done.code == 1
    assert [line.rstrip() for line in done.out.splitlines()] == [
        f"kz-mic ({BOOK}): applied 1, unchanged 0, conflicts 1, refused 0",
        "  conflict  kz-by-test/1.1",
        "  applied   kz-by-test/1.3: reports: added {period: 2026-Q1, date: 2026-04-05}",
        "",
        "Conflicts: changed in the repository since the request was made; not applied",
        "(check each against the file, then use `roadmap update`):",
        "",
        f"kz-by-test/1.1 ({BOOK}:measures!B3)",
        "Field     In the file now  The agency's answer",
        "──────────────────────────────────────────────",
        "progress  70               60",
    ]
    text = repo.read(DOC)
    assert "    progress: 70\n" in text  # the conflict was not applied
    assert "{period: 2026-Q1, date: 2026-04-05}" in text


# (answers, the problem line after "out/request-kz-mic-2026-03-01.xlsx:")
BAD_CELLS = [
    ({"1.1": {"status": "finished"}},
     "measures!H3: error: 'finished' is not a status; choose one of: не начато, в работе, "
     "выполнено, приостановлено, отменено, not started, in progress, done, blocked, cancelled "
     "[apply-status]"),
    ({"1.1": {"progress": "80%"}},
     "measures!I3: error: progress: '80%': write the number without the % sign (80) "
     "[apply-progress]"),
    ({"1.1": {"progress": "eighty"}},
     "measures!I3: error: progress: 'eighty' is not a number; write a whole number from 0 to "
     "100 [apply-progress]"),
    ({"1.1": {"progress": 120}},
     "measures!I3: error: progress: 120 is outside 0 to 100 [apply-progress]"),
    ({"1.1": {"completed": "12/31/2026"}},
     "measures!J3: error: completion date: '12/31/2026' is ambiguous (day and month, or the "
     "century, cannot be told apart); write it as 31.12.2026 [apply-date]"),
    ({"1.1": {"completed": "30.02.2026"}},
     "measures!J3: error: completion date: '30.02.2026' is not a day of the calendar "
     "[apply-date]"),
    ({"1.1": {"completed": "2026"}},
     "measures!J3: error: completion date: '2026' is not a date; write it as 31.12.2026 "
     "[apply-date]"),
    ({"1.1": {"evidence_title": "Протокол", "evidence_url": "gov.kz/p1"}},
     "measures!M3: error: evidence URL: 'gov.kz/p1' is not an absolute address; write it in "
     "full, https://... [apply-url]"),
    ({"1.1": {"evidence_url": "https://gov.kz/p1"}},
     "measures!L3: error: the evidence URL needs a title here (what the document is) "
     "[apply-evidence]"),
    ({"1.1": {"status": "cancelled"}},
     "measures!H3: error: a cancelled measure needs a reason: say why in the reason column "
     "[apply-reason]"),
    ({"1.1": {"progress": 30, "title": "Провести два форума"}},
     "measures!C3: error: this locked cell was changed (the request had 'Провести "
     "бизнес-форум' here, the answer 'Провести два форума'); answer in the white columns only "
     "[apply-locked]"),
    ({"1.1": {"progress": 30, "measure": "1.9"}},
     "measures!B3: error: no measure '1.9' in a document 'kz-by-test': it was removed or renamed "
     "since the request; ask for a new request [apply-no-measure]"),
    ({"1.1": {"progress": 30, "agency": "kz-mti"}},
     "measures!B3: error: measure kz-by-test/1.1 is not kz-mti's (lead: kz-mic): the row was "
     "changed or copied from another agency's workbook; answer it in that agency's workbook "
     "[apply-not-yours]"),
    ({"1.3": {"reported": "2027-Q1"}},
     "measures!N4: error: reported period 2027-Q1: the measure recurs from 2026-Q1 to 2026-Q4; "
     "2027-Q1 is not one of its periods [apply-refused]"),
    ({"1.3": {"actual": "5"}},
     "measures!O4: error: indicator values: this measure has no indicators: leave the cell "
     "empty (an indicator is added to the document by hand) [apply-actual]"),
]


@pytest.mark.parametrize(("answers", "problem"), BAD_CELLS)
def test_a_bad_cell_is_located_and_its_row_refused(
    repo: Repo, answers: dict[str, dict[str, Any]], problem: str
) -> None:
    request("--lang", "ru")
    before = repo.read(DOC)
    fill(BOOK, answers)
    done = run("apply", BOOK, "--on", "2026-04-05")
    assert done.code == 1
    assert done.err == f"{BOOK}:{problem}\n"
    assert "refused" in done.out
    assert repo.read(DOC) == before


def test_a_completion_after_today_is_refused_at_its_cell(repo: Repo) -> None:
    """It was refused at the row's measure cell (B), as 'the answer would make the file
    invalid' (found by an audit): now at the date's own cell, as update refuses it."""
    request()
    before = repo.read(DOC)
    fill(BOOK, {"1.1": {"status": "done", "completed": "01.01.2099"}})
    done = run("apply", BOOK, "--on", "2026-04-05")
    assert done.code == 1
    assert done.err.startswith(f"{BOOK}:measures!J3: error: completion date: 2099-01-01 is after "
                               f"today ({dt.date.today().isoformat()})"), done.err
    assert done.err.rstrip().endswith("[apply-date]")
    assert repo.read(DOC) == before


def test_a_row_added_by_the_agency_is_refused(repo: Repo) -> None:
    request()
    wb = openpyxl.load_workbook(BOOK)
    ws = wb["measures"]
    ws.append(["kz-by-test", "1.4", None, None, None, None, None, None, 20])
    wb.save(BOOK)
    done = run("apply", BOOK, "--on", "2026-04-05")
    assert done.code == 1
    assert done.err == (f"{BOOK}:measures!B5: error: this row was not in the request (its hidden "
                        "columns are empty); answer in the rows of the request, or ask for a new "
                        "one [apply-locked]\n")


def test_an_answer_typed_in_a_locked_cell_of_an_unanswered_row_is_refused(repo: Repo) -> None:
    """Progress typed in the grey column "progress_now" (and nothing in the white ones) was
    skipped unseen, exit 0 (found by an audit): the agency's answer lost. A CSV request has no
    protection, and a sheet's is one click away."""
    request()
    before = repo.read(DOC)
    fill(BOOK, {"1.1": {"progress": 80}, "1.3": {"progress_now": 30}})
    done = run("apply", BOOK, "--on", "2026-04-05")
    assert done.code == 1
    assert done.err == (f"{BOOK}:measures!F4: error: this locked cell was changed (the request "
                        "had '' here, the answer '30'); answer in the white columns only "
                        "[apply-locked]\n")
    assert "  refused   kz-by-test/1.3\n" in done.out
    assert "  applied   kz-by-test/1.1: progress: 50 -> 80\n" in done.out
    assert repo.read(DOC) == before.replace("    progress: 50\n", "    progress: 80\n")


def test_an_unanswered_row_of_a_measure_changed_since_is_still_skipped(repo: Repo) -> None:
    request()
    repo.edit(DOC, "    progress: 50\n", "    progress: 70\n")
    repo.commit("Progress on 1.1", date="2026-03-05T10:00:00+05:00")
    done = run("apply", BOOK, "--on", "2026-04-05")
    assert (done.code, done.out, done.err) == (0, "no answered rows: nothing to apply\n", "")


def test_an_edit_refused_for_a_progress_answer_points_at_the_progress_cell(repo: Repo) -> None:
    """Two answers for one measure (the row copied): done, then progress 80. The second is
    refused by the edit; it was located at the row's measure cell (B), which holds no answer
    (found by an audit): now at the progress cell."""
    request()
    wb = openpyxl.load_workbook(BOOK)
    ws = wb["measures"]
    ws.append([c.value for c in ws[3]])
    ws["H3"] = "done"
    ws["I5"] = 80
    wb.save(BOOK)
    done = run("apply", BOOK, "--on", "2026-04-05")
    assert done.code == 1
    assert done.err.startswith(f"{BOOK}:measures!I5: error: "), done.err
    assert done.err.rstrip().endswith("[apply-refused]")


def test_an_unanswered_workbook_changes_nothing(repo: Repo) -> None:
    request()
    before = repo.read(DOC)
    done = run("apply", BOOK)
    assert (done.code, done.out, done.err) == (0, "no answered rows: nothing to apply\n", "")
    assert repo.read(DOC) == before


def test_the_csv_form_round_trips(repo: Repo) -> None:
    request("--format", "csv", "--lang", "ru")
    path = Path("out/request-kz-mic-2026-03-01.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Документ", "Мероприятие", "Наименование"]
    assert rows[1] == list(cycle.KEYS)
    assert [r[1] for r in rows[2:]] == ["1.1", "1.3"]
    col = {k: n for n, k in enumerate(cycle.KEYS)}
    rows[2][col["status"]] = "в работе"
    rows[2][col["progress"]] = "75"
    rows[2][col["completed"]] = ""
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows(rows)  # as a Russian Excel saves it
    path.write_bytes(buf.getvalue().encode("cp1251"))
    done = run("apply", str(path), "--on", "2026-04-05")
    assert done.code == 0, done.err
    assert "  applied   kz-by-test/1.1: progress: 50 -> 75\n" in done.out
    rows[3][col["progress"]] = "abc"
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    done = run("apply", str(path), "--on", "2026-04-05")
    assert done.code == 1
    assert done.err.startswith(f"{path}:4:9: error: progress: 'abc' is not a number")


def test_a_csv_that_is_not_text_is_a_located_problem(repo: Repo) -> None:
    """Bytes that neither UTF-8 nor Windows-1251 read (0x98 is undefined in cp1251) are refused
    with a problem for the file, not a traceback; nothing is written."""
    before = repo.read(DOC)
    Path("answer.csv").write_bytes(b"\x98roadmap,measure\r\n")
    done = run("apply", "answer.csv")
    assert done.code == 1, done.err
    assert done.err == ("answer.csv: error: the file is not text in UTF-8 or Windows-1251; save it "
                        "again as CSV (UTF-8) [workbook-unreadable]\n"), done.err
    assert repo.read(DOC) == before


@pytest.mark.parametrize("name", ["answer.ods", "answer.xlsx"])
def test_an_opendocument_spreadsheet_is_refused_as_a_format(repo: Repo, name: str) -> None:
    """A workbook saved as .ods (LibreOffice's own format; or renamed .xlsx) was refused as
    "the workbook cannot be read: KeyError: \"There is no item named '[Content_Types].xml' in
    the archive\"" (found by an audit): now as any other format that is not .xlsx or .csv."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    Path(name).write_bytes(buf.getvalue())
    done = run("apply", name)
    assert done.code == 1
    assert done.err == (f"{name}: error: not a workbook (.xlsx) or a CSV file (.csv); save it as "
                        "one of them [workbook-format]\n")


def test_apply_refuses_a_repository_with_errors(repo: Repo) -> None:
    request()
    fill(BOOK, {"1.1": {"progress": 80}})
    repo.edit(DOC, "    progress: 50\n", "    progress: fifty\n")
    done = run("apply", BOOK)
    assert done.code == 1
    assert "refusing to report on invalid data" in done.err
    assert "progress: fifty" in repo.read(DOC)


def test_a_title_that_looks_like_a_formula_stays_text(repo: Repo) -> None:
    repo.edit(DOC, "title: {en: Hold a business forum, ru: Провести бизнес-форум}",
              "title: {en: '=HYPERLINK(\"http://evil\")', ru: '=1+1'}")
    request("--lang", "ru")
    wb = openpyxl.load_workbook(BOOK)
    cell = wb["measures"]["C3"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    fill(BOOK, {"1.1": {"progress": 55}})
    done = run("apply", BOOK, "--on", "2026-04-05")
    assert done.code == 0, done.err
    run("request", "--agency", "kz-mic", "--as-of", AS_OF, "--format", "csv", "-o", "out")
    assert "'=HYPERLINK" in Path("out/request-kz-mic-2026-03-01.csv").read_text(encoding="utf-8-sig")


# --- the installed command, and LibreOffice -------------------------------------------------------

SCRIPT = Path(sys.executable).parent / "roadmap"


@pytest.mark.slow
@pytest.mark.skipif(not SCRIPT.exists(), reason="the roadmap console script is not installed")
def test_the_installed_command_runs_the_cycle(tmp_path: Path) -> None:
    folder = tmp_path / "work"
    (folder / "roadmaps").mkdir(parents=True)
    shutil.copy(Path(__file__).parent.parent / "roadmaps" / "agencies.yaml", folder / "roadmaps")
    (folder / "roadmaps" / "kz-by-test.yaml").write_text(ROADMAP.replace("[kz-mti]", "[kz-mti]"),
                                                         encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80", "ROADMAP_NO_CACHE": "1"}

    def roadmap(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(SCRIPT), *args], cwd=folder, env=env, capture_output=True,
                              text=True, timeout=120, check=False)

    done = roadmap("request", "--agency", "kz-mic", "--as-of", AS_OF, "-o", "out")
    assert done.returncode == 0, done.stderr
    fill(str(folder / BOOK), {"1.1": {"status": "done", "completed": "20.02.2026"}})
    done = roadmap("apply", BOOK, "--on", "2026-03-02")
    assert done.returncode == 0, done.stderr
    assert "applied   kz-by-test/1.1: status: in_progress -> done" in done.stdout
    assert "completed: 2026-02-20" in (folder / DOC).read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_workbook_opens_in_libreoffice(repo: Repo, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui")
    request("--lang", "ru")
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path / "csv"), BOOK],
        capture_output=True, text=True, timeout=180, check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    converted = tmp_path / "csv" / "request-kz-mic-2026-03-01.csv"
    assert done.returncode == 0 and converted.exists(), done.stderr + done.stdout
    rows = list(csv.reader(io.StringIO(converted.read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["Документ", "Мероприятие", "Наименование"]
    assert rows[1][:2] == ["roadmap", "measure"]  # the hidden row of keys is still there
    assert [r[:3] for r in rows[2:]] == [["kz-by-test", "1.1", "Провести бизнес-форум"],
                                         ["kz-by-test", "1.3", "Report on joint ventures every quarter"]]
    # LibreOffice's CSV is a CSV answer: it reads back and applies
    col = {k: n for n, k in enumerate(rows[1])}
    rows[2][col["progress"]] = "90"
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    converted.write_text(buf.getvalue(), encoding="utf-8")
    done2 = run("apply", str(converted), "--on", "2026-04-05")
    assert done2.code == 0, done2.err
    assert "    progress: 90\n" in repo.read(DOC)


def test_a_file_with_a_byte_order_mark_keeps_it(repo: Repo) -> None:
    """The answered file is written with its byte order mark, the rest of its bytes as they
    were but the answered line; the dry run's diff shows the text, without the mark."""
    path = repo.root / DOC
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    request()
    fill(BOOK, {"1.1": {"progress": 65}})
    before = path.read_bytes()
    dry = run("apply", BOOK, "--dry-run", "--on", "2026-04-05")
    assert dry.code == 0, dry.err
    assert "\ufeff" not in dry.out
    assert [ln for ln in dry.out.splitlines() if ln.startswith(("+", "-"))] == [
        "--- a/roadmaps/kz-by-test.yaml", "+++ b/roadmaps/kz-by-test.yaml",
        "-    progress: 50", "+    progress: 65"]
    assert path.read_bytes() == before
    done = run("apply", BOOK, "--on", "2026-04-05")
    assert done.code == 0, done.err
    assert path.read_bytes() == before.replace(b"    progress: 50\n", b"    progress: 65\n")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert run("validate").code == 0


def _let_go_before(monkeypatch: pytest.MonkeyPatch, loader: tuple[Any, str], user: tuple[Any, str]) -> None:
    """Fail when ``user`` (module, name) is called while a document that the first call of
    ``loader`` (module, name: it returns a repository) loaded is still held."""
    import weakref

    loaded: list[weakref.ref[Any]] = []
    real_load, real_use = getattr(*loader), getattr(*user)

    def load(*args: Any, **kwargs: Any) -> Any:
        found = real_load(*args, **kwargs)
        if not loaded:  # (the first load: apply's check of its result loads again)
            loaded.extend(weakref.ref(rm) for rm in found.roadmaps)
        return found

    def use(*args: Any, **kwargs: Any) -> Any:
        assert loaded and all(ref() is None for ref in loaded), "a document is still held"
        return real_use(*args, **kwargs)

    monkeypatch.setattr(*loader, load)
    monkeypatch.setattr(*user, use)


def test_request_lets_the_documents_go_before_it_makes_a_workbook(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows of every agency asked for are made first; the documents are then let go, and
    openpyxl's cells take their place (a cold request of 1,000 documents: 286 -> 219 MB)."""
    from roadmap_cli import sheets
    from roadmap_cli.commands import _common

    _let_go_before(monkeypatch, (_common, "load_or_refuse"), (sheets, "request_workbook"))
    done = run("request", "--agency", "kz-mic", "--agency", "by-minprom", "--as-of", AS_OF, "-o", "out")
    assert done.code == 0, done.err
    assert sorted(os.listdir("out")) == [f"request-by-minprom-{AS_OF}.xlsx", f"request-kz-mic-{AS_OF}.xlsx"]


@pytest.mark.parametrize("cache", [True, False])
def test_apply_lets_the_repository_go_before_it_applies_the_rows(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, cache: bool
) -> None:
    """The answered rows are planned against the repository, which is then let go: the edits
    and the check of the result take its memory (a cold apply of 7,006 answers in 1,000
    documents: peak 512 -> 363 MB). The result is the same."""
    from roadmap_cli import apply_plan, load

    if not cache:
        monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    request()
    fill(BOOK, {"1.1": {"progress": 65}})
    _let_go_before(monkeypatch, (load, "load_sources"), (apply_plan, "apply_planned"))
    dry = run("apply", BOOK, "--dry-run", "--on", "2026-04-05")
    assert dry.code == 0, dry.err
    assert [ln for ln in dry.out.splitlines() if ln.startswith(("+", "-"))][2:] == [
        "-    progress: 50", "+    progress: 65"]
