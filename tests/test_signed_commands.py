"""Signed documents as they really are, through the commands: show, status --by section,
overdue/upcoming, report, export, diff (see test_diff.py), update --event and --due --by.

One small document with sections, an event, an amendment, a waiting measure and a measure moved
by the amendment, written to a temporary roadmaps/ folder.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import run, run_roadmap

AGENCIES = """\
agencies:
  - id: kz-mic
    name: {en: Ministry of Industry, ru: Министерство промышленности}
    country: KZ
    level: national
  - id: by-minprom
    name: {en: Ministry of Industry of Belarus}
    country: BY
    level: national
"""

DOC = """\
id: signed
kind: roadmap
title: {en: Signed roadmap, ru: Подписанная дорожная карта}
parties: [kz-mic, by-minprom]
signed: {date: 2025-11-05, place: Astana}
period: {start: 2026-01-01, end: 2028-12-31}
sections:
  - {id: "1", title: {en: Direct ties between enterprises, ru: Прямые связи предприятий}}
  - {id: "2", title: {en: Supplies of machinery, ru: Поставки техники}}
events:
  - id: entry-into-force
    title: {en: Entry into force of the agreement, ru: Вступление соглашения в силу}
    date: 2026-03-01
  - id: working-group
    title: {en: Working group set up}
amendments:
  - {id: protocol-1, date: 2026-06-15, title: {en: Protocol No. 1}}
  - {id: protocol-2, date: 2026-11-20, title: {en: Protocol No. 2 of 20.11.2026}}
measures:
  - id: "1.1"
    section: "1"
    title: {en: Set up the working group}
    owners: [kz-mic]
    due: {after: entry-into-force, within: 6m}
    status: not_started
    result: {en: Order on the working group, ru: Приказ о рабочей группе}
  - id: "1.2"
    section: "1"
    title: {en: Agree the plan of joint projects}
    owners: [by-minprom]
    due: {after: working-group, within: 1m}
    status: not_started
  - id: "2.1"
    section: "2"
    title: {en: Approve the leasing scheme}
    owners: [kz-mic]
    due: 2026-12
    rescheduled:
      - {from: 2026-09, by: protocol-1}
    status: in_progress
  - id: "2.2"
    section: "2"
    title: {en: Deliver the first tractors}
    owners: [by-minprom]
    due: 2026-10
    status: done
    completed: 2026-10-20
  - id: "3"
    title: {en: Consult on request}
    owners: [kz-mic]
    due: on_request
    status: not_started
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "roadmaps"
    folder.mkdir()
    (folder / "agencies.yaml").write_text(AGENCIES, encoding="utf-8")
    (folder / "signed.yaml").write_text(DOC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    yield tmp_path


def as_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    code, out, err = run(capsys, *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_the_document_validates(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate")[:2] == (0, "2 files checked: no problems.\n")


@pytest.mark.parametrize("written", ["    date:\n", "    date: null\n", "    date: ~\n"])
def test_an_event_with_an_empty_date_has_not_happened(
    repo: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    # the contract: an event's date is "absent while the event has not happened"; `date:` left
    # empty says the same, and was a schema error ("expected a string, not an empty value")
    doc = repo / "roadmaps" / "signed.yaml"
    doc.write_text(DOC.replace("    title: {en: Working group set up}\n",
                               "    title: {en: Working group set up}\n" + written), encoding="utf-8")
    assert run(capsys, "validate")[:2] == (0, "2 files checked: no problems.\n")
    rows = as_json(capsys, "upcoming", "--as-of", "2026-03-01", "--within", "3y")
    assert rows and not [r for r in rows if r["measure"] == "1.2"]  # (waiting: no deadline)
    shown = as_json(capsys, "show", "signed/1.2", "--as-of", "2026-03-01")
    assert (shown["deadline"], shown["waiting_for"]) == (None, "working-group")
    assert run(capsys, "update", "signed", "--event", "working-group", "--on", "2026-04-01")[0] == 0
    assert "    date: 2026-04-01\n" in doc.read_text(encoding="utf-8")
    shown = as_json(capsys, "show", "signed/1.2", "--as-of", "2026-04-02")
    assert shown["deadline"] == "2026-05-01"


# --- show ------------------------------------------------------------------------------------


def _field(out: str, label: str) -> str:
    """The text of one `show` field, its wrapped lines joined."""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("  " + label + " "):
            col = len(line) - len(line[2 + len(label):].lstrip())
            text = [line[col:].strip()]
            for more in lines[i + 1:]:
                if more[:col].strip() or not more.strip():
                    break
                text.append(more.strip())
            return " ".join(text)
    raise AssertionError(f"no field {label!r} in:\n{out}")


def test_show_tells_section_result_and_what_a_measure_waits_for(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "show", "signed/1.1", "--as-of", "2026-02-01")
    assert code == 0
    assert _field(out, "Section") == "1. Direct ties between enterprises"
    assert _field(out, "Due") == "6 months after «Entry into force of the agreement»"
    assert _field(out, "Waiting for") == "Entry into force of the agreement"
    assert _field(out, "Result") == "Order on the working group"
    # on the event's day the deadline is known and nothing waits
    code, out, _ = run(capsys, "show", "signed/1.1", "--as-of", "2026-03-01")
    assert _field(out, "Due") == "6 months after «Entry into force of the agreement» (2026-09-01)"
    assert "Waiting for" not in out
    assert _field(out, "Result") == "Order on the working group"
    _, out, _ = run(capsys, "show", "signed/1.1", "--as-of", "2026-03-01", "--lang", "ru")
    assert "6 месяцев после «Вступление соглашения в силу» (01.09.2026)" in " ".join(out.split())
    # an event of another document's kind: its title in the language it has
    _, out, _ = run(capsys, "show", "signed/1.2", "--as-of", "2026-03-01")
    assert _field(out, "Due").startswith("1 month after «Working group set up»")


def test_show_in_russian_picks_the_russian_titles(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = as_json(capsys, "show", "signed/1.1", "--as-of", "2026-02-01", "--lang", "ru")
    assert isinstance(d, dict)
    assert (d["section_title"], d["result"], d["waiting_for_title"]) == (
        "Прямые связи предприятий", "Приказ о рабочей группе", "Вступление соглашения в силу"
    )


def test_show_the_deadline_history(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "show", "signed/2.1", "--as-of", "2026-07-01")
    assert _field(out, "Deadline") == "signed 2026-09-30; moved to 2026-12-31 by Protocol No. 1 of 15.06.2026"
    # replayed before the amendment: the signed deadline is in force, no history yet
    _, out, _ = run(capsys, "show", "signed/2.1", "--as-of", "2026-06-14")
    assert _field(out, "Due") == "2026-09 (2026-09-30)"
    assert _field(out, "Deadline") == "signed 2026-09-30"


def test_show_json_keys(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = as_json(capsys, "show", "signed/2.1", "--as-of", "2026-07-01")
    assert isinstance(d, dict)
    assert (d["deadline"], d["signed_deadline"], d["rescheduled_by"], d["waiting_for"]) == (
        "2026-12-31", "2026-09-30", ["protocol-1"], None
    )
    assert d["deadline_history"][1] == {
        "due": "2026-12", "deadline": "2026-12-31", "by": "protocol-1",
        "amendment": "Protocol No. 1 of 15.06.2026", "date": "2026-06-15",
    }
    waiting = as_json(capsys, "show", "signed/1.2", "--as-of", "2026-07-01")
    assert isinstance(waiting, dict)
    assert (waiting["deadline"], waiting["waiting_for"], waiting["signed_deadline"]) == (
        None, "working-group", None
    )
    assert (waiting["fraction_pct"], waiting["expected_pct"]) == (0.0, 0.0)


# --- status --by section ----------------------------------------------------------------------


def test_status_by_section(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = as_json(capsys, "status", "--by", "section", "--as-of", "2026-10-01")
    assert isinstance(rows, list)
    assert [r["section"] for r in rows] == ["1", "2", None]  # measures without one come last
    by = {r["section"]: r for r in rows}
    # 1.1: deadline 2026-09-01, overdue; 1.2 waits for the working group (expected 0)
    assert (by["1"]["measures"], by["1"]["overdue"], by["1"]["expected_pct"]) == (2, 1, 50.0)
    # 2.1 is due 2026-12-31 since protocol-1; 2.2 done 2026-10-20, after 2026-10-01
    assert (by["2"]["in_progress"], by["2"]["overdue"], by["2"]["expected_pct"]) == (2, 0, 0.0)
    assert (by[None]["measures"], by[None]["progress_pct"], by[None]["health"]) == (1, None, "n/a")
    assert by["1"]["section_title"] == "Direct ties between enterprises"
    assert by[None]["section_title"] is None
    assert sum(r["measures"] for r in rows) == 5


def test_status_by_section_table_fits_80_columns(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "status", "--by", "section", "--as-of", "2026-10-01")
    assert code == 0
    assert out.splitlines()[0].split()[0] == "Section"
    assert "1. Direct ties" in out and "enterprises" in out and "(no section)" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_status_by_section_markdown(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, md, _ = run(capsys, "status", "--by", "section", "--as-of", "2026-10-01", "--format", "markdown")
    assert code == 0
    assert "| signed | 1 | Direct ties between enterprises | 2 |" in md
    assert "| signed |  | (no section) | 1 |" in md


def test_show_roadmap_says_which_measures_wait(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "signed", "--as-of", "2026-02-01")
    assert code == 0
    assert out.count("waiting") == 2  # 1.1 (entry into force on 2026-03-01) and 1.2
    code, out, _ = run(capsys, "show", "signed", "--as-of", "2026-03-01")
    assert out.count("waiting") == 1


def test_a_document_without_sections_gives_its_status_row() -> None:
    from datetime import date

    from test_schedule_signed import measure, roadmap

    from roadmap_cli import report

    rm = roadmap(measure("2026-Q4"), measure("2027", mid="2"))
    rows = report.section_rows([rm], date(2026, 1, 1), date(2026, 2, 1))
    status = report.status_rows([rm], date(2026, 1, 1), date(2026, 2, 1))
    assert len(rows) == 1 and rows[0]["section"] is None
    assert {k: v for k, v in rows[0].items() if k not in ("section", "section_title")} == status[0]


def test_status_by_section_refuses_the_chart(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "status", "--by", "section", "--chart")
    assert code == 2 and "--chart" in err


# --- overdue and upcoming --------------------------------------------------------------------


def test_overdue_marks_a_moved_deadline(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = as_json(capsys, "overdue", "--as-of", "2027-01-05")
    assert isinstance(rows, list)
    assert [(r["measure"], r["deadline"], r["signed_deadline"], r["rescheduled_by"]) for r in rows] == [
        ("1.1", "2026-09-01", "2026-09-01", []),
        ("2.1", "2026-12-31", "2026-09-30", ["protocol-1"]),
    ]
    code, out, _ = run(capsys, "overdue", "--as-of", "2027-01-05")
    assert code == 0
    assert "signed 2026-09-30" in out
    assert out.count("signed ") == 1  # only the moved one is marked
    _, md, _ = run(capsys, "overdue", "--as-of", "2027-01-05", "--format", "markdown")
    assert "| 2026-12-31 (signed 2026-09-30) |" in md


def test_before_the_amendment_the_signed_deadline_is_overdue(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 2026-06-14 is before protocol-1: 2.1 was due 2026-09-30 then; as of 2026-06-20 it is not
    rows = as_json(capsys, "upcoming", "--as-of", "2026-06-01", "--within", "4m")
    assert isinstance(rows, list)
    assert [(r["measure"], r["deadline"], r["rescheduled_by"]) for r in rows] == [
        ("1.1", "2026-09-01", []),
        ("2.1", "2026-09-30", []),
    ]
    rows = as_json(capsys, "upcoming", "--as-of", "2026-06-20", "--within", "4m")
    assert isinstance(rows, list)
    assert [(r["measure"], r["deadline"]) for r in rows] == [("1.1", "2026-09-01")]  # 2.1: 12-31


def test_a_waiting_measure_is_never_overdue(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = as_json(capsys, "overdue", "--as-of", "2028-12-31")
    assert isinstance(rows, list)
    assert "1.2" not in [r["measure"] for r in rows]
    assert "3" not in [r["measure"] for r in rows]


# --- report ----------------------------------------------------------------------------------


def test_report_per_section_and_on_time_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, md, _ = run(capsys, "report", "--format", "markdown", "--as-of", "2027-01-05")
    assert code == 0
    # counted: 1.1 (signed deadline passed), 2.1 (signed 2026-09-30 passed), 2.2 (done on time)
    assert "Done on time against the signed deadlines: 1 of 3\n" in md
    assert "| 1. Direct ties between enterprises | 2 | 0 | 1 |" in md
    assert "| (no section) | 1 | 0 | 0 | – | – | n/a |" in md
    code, html, _ = run(capsys, "report", "--as-of", "2027-01-05", "--lang", "ru")
    assert code == 0
    assert 'data-n="1" data-m="3">Исполнено в сроки, установленные при подписании: 1 из 3</p>' in html
    assert "<h3>Разделы</h3>" in html


# --- export ----------------------------------------------------------------------------------


def test_export_leaves_waiting_measures_out(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, before, _ = run(capsys, "export", "--format", "ics", "--as-of", "2026-02-01")
    _, after, _ = run(capsys, "export", "--format", "ics", "--as-of", "2026-03-01")
    uids = lambda text: sorted(line for line in text.splitlines() if line.startswith("UID:"))  # noqa: E731
    assert uids(before) == ["UID:signed/2.1@roadmap-cli", "UID:signed/2.2@roadmap-cli"]
    assert uids(after) == [
        "UID:signed/1.1@roadmap-cli", "UID:signed/2.1@roadmap-cli", "UID:signed/2.2@roadmap-cli"
    ]
    assert "DTSTART;VALUE=DATE:20260901" in after
    rows = as_json(capsys, "export", "--as-of", "2026-02-01")
    assert isinstance(rows, list)
    by = {r["measure"]: r for r in rows}
    assert (by["1.2"]["waiting_for"], by["1.2"]["deadline"]) == ("working-group", None)
    assert (by["2.1"]["section"], by["2.1"]["signed_deadline"]) == ("2", "2026-09-30")


# --- update ----------------------------------------------------------------------------------


def test_update_records_an_event(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "update", "signed", "--event", "working-group", "--on", "2026-04-01")
    assert code == 0, err
    assert out == "roadmaps/signed.yaml: signed\n  event working-group: date 2026-04-01\n"
    text = (repo / "roadmaps/signed.yaml").read_text(encoding="utf-8")
    assert text == DOC.replace(
        "    title: {en: Working group set up}\n",
        "    title: {en: Working group set up}\n    date: 2026-04-01\n",
    )
    d = as_json(capsys, "show", "signed/1.2", "--as-of", "2026-04-02")
    assert isinstance(d, dict)
    assert (d["deadline"], d["waiting_for"]) == ("2026-05-01", None)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--event", "working-grup"], 2, "no event 'working-grup' in signed; did you mean 'working-group'?"),
        (["--event", "working-group", "--on", "2199-01-01"], 2, "the date records what has happened"),
        (["--event", "working-group", "--status", "done"], 2, "--event records an event's date only"),
    ],
)
def test_update_event_refusals(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    got, _, err = run(capsys, "update", "signed", *args)
    assert got == code
    assert message in err
    assert (repo / "roadmaps/signed.yaml").read_text(encoding="utf-8") == DOC


def test_update_due_by_an_amendment(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "update", "signed/2.2", "--due", "2026-12", "--by", "protocol-2")
    assert code == 0, err
    assert out == (
        "roadmaps/signed.yaml: signed/2.2\n"
        "  rescheduled: added {from: 2026-10, by: protocol-2}\n"
        "  due: 2026-10 -> 2026-12\n"
    )
    text = (repo / "roadmaps/signed.yaml").read_text(encoding="utf-8")
    assert text == DOC.replace(
        "    due: 2026-10\n",
        "    due: 2026-12\n    rescheduled:\n      - {from: 2026-10, by: protocol-2}\n",
    )
    d = as_json(capsys, "show", "signed/2.2", "--as-of", "2026-12-01")
    assert isinstance(d, dict)
    assert (d["signed_deadline"], d["deadline"], d["rescheduled_by"]) == ("2026-10-31", "2026-12-31", ["protocol-2"])


def test_update_due_by_an_amendment_given_twice_changes_nothing_the_second_time(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same --due --by again (a script run twice) says there is nothing to change, exit 0,
    as every other repeated update does; a due already in force by another amendment is still
    refused."""
    args = ("update", "signed/2.2", "--due", "2026-12", "--by", "protocol-2")
    assert run(capsys, *args)[0] == 0
    text = (repo / "roadmaps/signed.yaml").read_text(encoding="utf-8")
    code, out, err = run(capsys, *args)
    assert (code, out) == (0, ""), err
    assert "nothing to change" in err
    assert (repo / "roadmaps/signed.yaml").read_text(encoding="utf-8") == text
    code, _, err = run(capsys, "update", "signed/2.2", "--due", "2026-12", "--by", "protocol-1")
    assert code == 2 and "is the due already in force" in err, err


def test_update_due_by_an_amendment_again_in_the_tables_form_records_no_second_move(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--due 2026-12 --by A, then --due 31.12.2026 --by A (the same deadline as the tables write
    it): no second rescheduled entry by A from 2026-12 (refused as rescheduled-order, exit 1);
    the due is written in the new form only. By another amendment it is a due already in force."""
    assert run(capsys, "update", "signed/2.2", "--due", "2026-12", "--by", "protocol-2")[0] == 0
    code, _out, err = run(capsys, "update", "signed/2.2", "--due", "31.12.2026", "--by", "protocol-2")
    assert code == 0, err
    text = (repo / "roadmaps/signed.yaml").read_text(encoding="utf-8")
    assert text.count("by: protocol-2") == 1, text
    assert "due: 2026-12-31" in text
    code, _, err = run(capsys, "update", "signed/2.2", "--due", "2026-12", "--by", "protocol-1")
    assert code == 2 and "is the due already in force" in err, err


def test_update_second_move_appends(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "update", "signed/2.1", "--due", "2027-03", "--by", "protocol-2")
    assert code == 0, err
    text = (repo / "roadmaps/signed.yaml").read_text(encoding="utf-8")
    assert "    due: 2027-03\n    rescheduled:\n      - {from: 2026-09, by: protocol-1}\n      - {from: 2026-12, by: protocol-2}\n" in text


@pytest.mark.parametrize(
    ("target", "args", "code", "message"),
    [
        ("signed/2.2", ["--due", "2026-12", "--by", "protocl-2"], 2, "did you mean 'protocol-2'?"),
        ("signed/2.2", ["--by", "protocol-2"], 2, "--by AMENDMENT goes with --due NEW"),
        ("signed/1.1", ["--due", "2026-12", "--by", "protocol-2"], 2, "is not a single value"),
        # protocol-1 already moved 2.1: the result would be invalid (rescheduled-order)
        ("signed/2.1", ["--due", "2027-03", "--by", "protocol-1"], 1, "[rescheduled-order]"),
    ],
)
def test_update_due_by_refusals(
    repo: Path, capsys: pytest.CaptureFixture[str], target: str, args: list[str], code: int, message: str
) -> None:
    got, _, err = run(capsys, "update", target, *args)
    assert got == code
    assert message in err
    assert (repo / "roadmaps/signed.yaml").read_text(encoding="utf-8") == DOC


# --- the installed command -------------------------------------------------------------------


def test_installed_command_status_by_section(repo: Path) -> None:
    res = run_roadmap(["status", "--by", "section", "--as-of", "2026-10-01", "--format", "json"], cwd=repo)
    assert res.returncode == 0, res.stderr
    assert [r["section"] for r in json.loads(res.stdout)] == ["1", "2", None]
