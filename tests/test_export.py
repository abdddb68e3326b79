"""Calendar export and the flat measure list: the ics parses back with icalendar, its events are
the contract's deadlines (computed here independently, straight from the YAML), and two runs
give the same bytes."""

from __future__ import annotations

import calendar
import csv
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from clirun import Ran, invoke
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from roadmap_cli.calendar_export import deadlines, to_ics, uid
from roadmap_cli.cli import main
from roadmap_cli.load import load_paths
from roadmap_cli.measure_list import measure_rows
from roadmap_cli.model import Measure, Roadmap, Status
from roadmap_cli.schedule import parse_due

D = date.fromisoformat
ROOT = Path(__file__).resolve().parent.parent
ROADMAPS = ROOT / "roadmaps"
ENV = {"COLUMNS": "80", "NO_COLOR": "1", "FORCE_COLOR": None, "TERM": "dumb"}
AS_OF = "2026-11-22"


def run(*args: str) -> Ran:
    return invoke(*args, env=ENV)


# --- an independent reading of the contract's due forms ---------------------------------------

MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def _end_of_month(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _span(text: Any) -> tuple[date, date]:
    """First and last day of a date, month, quarter, half or year as written."""
    if isinstance(text, date):
        return text, text
    s = str(text)
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", s):
        d = date(int(m[1]), int(m[2]), int(m[3]))
        return d, d
    if m := re.fullmatch(r"(\d{4})-(\d\d)", s):
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, 1), _end_of_month(y, mo)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", s):
        y, q = int(m[1]), int(m[2])
        return date(y, 3 * q - 2, 1), _end_of_month(y, 3 * q)
    if m := re.fullmatch(r"(\d{4})-H([12])", s):
        y, h = int(m[1]), int(m[2])
        return date(y, 6 * h - 5, 1), _end_of_month(y, 6 * h)
    if m := re.fullmatch(r"(\d{4})", s):
        y = int(m[1])
        return date(y, 1, 1), date(y, 12, 31)
    raise AssertionError(f"not a period: {text!r}")


def _period_of(d: date, every: str) -> tuple[int, int]:
    """(year, index) of the period of kind ``every`` holding ``d``: index 1-based."""
    return d.year, (d.month - 1) // MONTHS[every] + 1


def _period_name(year: int, index: int, every: str) -> str:
    return {
        "month": f"{year:04d}-{index:02d}",
        "quarter": f"{year:04d}-Q{index}",
        "half": f"{year:04d}-H{index}",
        "year": f"{year:04d}",
    }[every]


def expected_events(path: Path) -> dict[str, date]:
    """UID -> deadline for every deadline of one roadmap file, read with plain yaml."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rid = data["id"]
    start, end = _span(data["period"]["start"])[0], _span(data["period"]["end"])[1]
    out: dict[str, date] = {}
    for m in data["measures"]:
        mid, due = str(m["id"]), m["due"]
        if m["status"] == "cancelled" or due == "ongoing":
            continue
        if not isinstance(due, dict):
            out[f"{rid}/{mid}@roadmap-cli"] = _span(due)[1]
            continue
        every, grace = due["every"], due.get("grace", 0)
        first = _period_of(_span(due["from"])[0] if "from" in due else start, every)
        last = _period_of(_span(due["until"])[1] if "until" in due else end, every)
        per_year = 12 // MONTHS[every]
        y, i = first
        while (y, i) <= last:
            period_end = _end_of_month(y, i * MONTHS[every])
            out[f"{rid}/{mid}/{_period_name(y, i, every)}@roadmap-cli"] = period_end + timedelta(
                grace
            )
            y, i = (y + 1, 1) if i == per_year else (y, i + 1)
    return out


def roadmap_files() -> list[Path]:
    return [p for p in sorted(ROADMAPS.glob("*.yaml")) if p.name != "agencies.yaml"]


def parse_events(ics: bytes) -> dict[str, Any]:
    cal = Calendar.from_ical(ics)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert len(events) == len(cal.walk("VEVENT")), "UIDs must be unique"
    return events


# --- the shipped roadmaps ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_ics(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("ics") / "deadlines.ics"
    result = run("export", "--format", "ics", "--as-of", AS_OF, "-o", str(out), str(ROADMAPS))
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_events_are_the_contracts_deadlines(shipped_ics: bytes) -> None:
    expected: dict[str, date] = {}
    for path in roadmap_files():
        expected.update(expected_events(path))
    assert len(expected) > 40  # the shipped data has recurring measures with many occurrences
    events = parse_events(shipped_ics)
    assert set(events) == set(expected)
    for key, event in events.items():
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert type(start) is date, "all-day events carry a DATE, not a DATE-TIME"
        assert start == expected[key], key
        assert end == start + timedelta(days=1)


def test_two_runs_give_identical_bytes(shipped_ics: bytes, tmp_path: Path) -> None:
    again = tmp_path / "again.ics"
    assert run("export", "--as-of", AS_OF, "-o", str(again), str(ROADMAPS)).exit_code == 0
    assert again.read_bytes() == shipped_ics
    stdout = run("export", "--as-of", AS_OF, str(ROADMAPS)).stdout_bytes
    assert stdout == shipped_ics


def test_uids_stay_the_same_on_another_day(shipped_ics: bytes) -> None:
    later = run("export", "--as-of", "2027-03-01", str(ROADMAPS)).stdout_bytes
    assert set(parse_events(later)) == set(parse_events(shipped_ics))
    assert later != shipped_ics  # DTSTAMP moved on, so clients refresh


def test_calendar_header_and_stamp(shipped_ics: bytes) -> None:
    cal = Calendar.from_ical(shipped_ics)
    assert str(cal["version"]) == "2.0"
    assert "roadmap-cli" in str(cal["prodid"])
    stamps = {e.decoded("dtstamp").isoformat() for e in cal.walk("VEVENT")}
    assert stamps == {"2026-11-22T00:00:00+00:00"}
    assert shipped_ics.endswith(b"END:VCALENDAR\r\n")


def test_owners_in_description_and_reminders_on_open_events(shipped_ics: bytes) -> None:
    events = parse_events(shipped_ics)
    e = events["kz-by-industrial-cooperation-2026-2028/2.1@roadmap-cli"]
    text = str(e["description"])
    assert "Ministry of Industry and Construction of the Republic of Kazakhstan (kz-mic)" in text
    assert "Co-executors:" in text and "kz-kazagrofinance" in text
    assert str(e["summary"]).startswith("2.1: ")
    alarms = e.walk("VALARM")
    assert len(alarms) == 1
    assert alarms[0].decoded("trigger") == timedelta(days=-7)
    assert str(alarms[0]["action"]) == "DISPLAY"
    # done: no reminder; a reported occurrence: no reminder; a missing one: a reminder
    assert events["kz-by-industrial-cooperation-2026-2028/1.1@roadmap-cli"].walk("VALARM") == []
    q = "kz-by-industrial-cooperation-2026-2028/1.4/{}@roadmap-cli"
    assert events[q.format("2026-Q1")].walk("VALARM") == []
    assert len(events[q.format("2026-Q3")].walk("VALARM")) == 1
    assert str(events[q.format("2026-Q3")]["summary"]).startswith("1.4 (2026-Q3): ")


def test_no_reminders_when_asked(tmp_path: Path) -> None:
    out = run("export", "--as-of", AS_OF, "--remind-days", "0", str(ROADMAPS)).stdout_bytes
    assert b"BEGIN:VALARM" not in out
    assert set(parse_events(out)) == {k for p in roadmap_files() for k in expected_events(p)}


def test_russian_calendar() -> None:
    out = run("export", "--as-of", AS_OF, "--lang", "ru", str(ROADMAPS)).stdout_bytes
    e = parse_events(out)["kz-by-industrial-cooperation-2026-2028/1.1@roadmap-cli"]
    assert (
        str(e["summary"])
        == "1.1: Создать совместную рабочую группу по промышленной кооперации и утвердить её состав"
    )
    assert "Головные исполнители: Министерство промышленности и строительства" in str(
        e["description"]
    )


def test_filters_narrow_the_calendar() -> None:
    out = run(
        "export", "--as-of", AS_OF, "--roadmap", "astana-minsk-2026-2028", str(ROADMAPS)
    ).stdout_bytes
    assert set(parse_events(out)) == set(expected_events(ROADMAPS / "astana-minsk-2026-2028.yaml"))


# --- pure: UIDs and which measures get events ---------------------------------------------------


def _rm(*measures: Measure) -> Roadmap:
    return Roadmap(
        id="r",
        kind="roadmap",
        title="R",
        parties=("a",),
        signed=D("2026-01-01"),
        period_start=D("2026-01-01"),
        period_end=D("2026-12-31"),
        measures=measures,
    )


def _m(mid: str, due: Any, status: Status = Status.NOT_STARTED, **kw: Any) -> Measure:
    return Measure(id=mid, title=f"M {mid}", owners=("a",), due=parse_due(due), status=status, **kw)


def test_uid_does_not_change_when_the_deadline_moves() -> None:
    before = to_ics([_rm(_m("1", "2026-Q3"))], {}, D("2026-07-01"))
    after = to_ics([_rm(_m("1", "2026-12-15"))], {}, D("2026-07-01"))
    (b,), (a,) = parse_events(before).items(), parse_events(after).items()
    assert b[0] == a[0] == uid("r", "1") == "r/1@roadmap-cli"
    assert (b[1].decoded("dtstart"), a[1].decoded("dtstart")) == (D("2026-09-30"), D("2026-12-15"))


def test_cancelled_and_ongoing_get_no_event_done_keeps_its_event() -> None:
    rm = _rm(
        _m("1", "2026-03", Status.CANCELLED, reason="dropped"),
        _m("2", "ongoing", Status.IN_PROGRESS),
        _m("3", {"every": "half"}, Status.CANCELLED, reason="dropped"),
        _m("4", "2026-05-10", Status.DONE, completed=D("2026-05-01")),
        _m("5", {"every": "half", "grace": 10}),
    )
    got = [(d.measure.id, d.period, d.deadline, d.open) for d in deadlines([rm], D("2026-06-01"))]
    assert got == [
        ("4", None, D("2026-05-10"), False),
        ("5", "2026-H1", D("2026-07-10"), True),
        ("5", "2026-H2", D("2027-01-10"), True),
    ]


# --- the flat list: csv and json ----------------------------------------------------------------


def test_json_is_one_row_per_measure() -> None:
    rows = json.loads(run("export", "--format", "json", "--as-of", AS_OF, str(ROADMAPS)).stdout)
    expected = []
    for path in roadmap_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        expected += [(data["id"], str(m["id"]), m["status"]) for m in data["measures"]]
    assert [(r["roadmap"], r["measure"], r["status_written"]) for r in rows] == expected
    row = next(
        r
        for r in rows
        if (r["roadmap"], r["measure"]) == ("kz-by-industrial-cooperation-2026-2028", "1.4")
    )
    assert row["due"] == "{every: quarter, from: 2026-Q1, until: 2028-Q4, grace: 15}"
    assert row["deadline"] == "2029-01-15"
    assert row["overdue"] == 1 and row["days_overdue"] == 38
    assert row["owners"] == ["kz-mic", "by-minprom"]


def test_csv_for_spreadsheets(tmp_path: Path) -> None:
    out = tmp_path / "measures.csv"
    assert (
        run("export", "--format", "csv", "--as-of", AS_OF, "-o", str(out), str(ROADMAPS)).exit_code
        == 0
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    repo = load_paths([str(ROADMAPS)])
    assert len(rows) == sum(len(rm.measures) for rm in repo.roadmaps)
    assert rows == [
        {k: _csv(v) for k, v in r.items()}
        for r in measure_rows(repo.roadmaps, repo.agencies, D(AS_OF))
    ]
    row = next(r for r in rows if r["measure"] == "2.1" and r["roadmap"].startswith("kz-by"))
    assert row["owners"] == "kz-mic; by-minprom"
    assert row["status"] == "in_progress" and row["progress"] == "60"


def _csv(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, float):
        return f"{value:.1f}" if value.is_integer() else f"{value:g}"
    return str(value)


def test_output_file_is_replaced_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    out = tmp_path / "deadlines.ics"
    out.write_text("old", encoding="utf-8")
    assert run("export", "--as-of", AS_OF, "-o", str(out), str(ROADMAPS)).exit_code == 0
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deadlines.ics"]


def test_output_into_a_missing_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as e:
        main(["export", "-o", str(tmp_path / "no" / "x.ics"), str(ROADMAPS)])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert f"roadmap: cannot write {tmp_path / 'no' / 'x.ics'}: no folder {tmp_path / 'no'}" in err
    assert "Traceback" not in err


def test_output_onto_a_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as e:
        main(["export", "-o", str(tmp_path), str(ROADMAPS)])
    assert e.value.code == 2
    assert "it is a folder" in capsys.readouterr().err


# --- the calendar is written directly, as the icalendar library writes it -------------------


def _ics_by_icalendar(
    roadmaps: Any, agencies: Any, as_of: date, lang: str = "en", remind_days: int = 7
) -> bytes:
    """The calendar as the icalendar library builds it (how to_ics built it before it wrote the
    lines itself): the reference the direct writer must match byte for byte."""
    from datetime import UTC, datetime

    from icalendar import Alarm, Event

    from roadmap_cli.calendar_export import PRODID, description, summary
    from roadmap_cli.labels import t
    from roadmap_cli.textsafe import terminal

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", t("calendar_name", lang))
    stamp = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    for d in deadlines(roadmaps, as_of):
        event = Event()
        event.add("uid", d.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", d.deadline)
        event.add("dtend", d.deadline + timedelta(days=1))
        event.add("summary", terminal(summary(d, lang)))
        event.add("description", terminal(description(d, agencies, as_of, lang)))
        event.add("categories", [d.roadmap.id])
        event.add("transp", "TRANSPARENT")
        if remind_days > 0 and d.open:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", timedelta(days=-remind_days))
            alarm.add("description", terminal(t("reminder", lang, days=remind_days, title=summary(d, lang))))
            event.add_component(alarm)
        cal.add_component(event)
    return bytes(cal.to_ical())


@pytest.mark.parametrize(
    ("as_of", "lang", "remind"),
    [(D("2026-11-22"), "en", 7), (D("2026-11-22"), "ru", 14), (D("2027-06-30"), "en", 0), (D("2026-01-01"), "ru", 366)],
)
def test_direct_calendar_is_the_icalendar_librarys(as_of: date, lang: str, remind: int) -> None:
    for folder in (ROADMAPS, ROOT / "tests" / "data" / "reports"):
        repo = load_paths([str(folder)])
        ours = to_ics(repo.roadmaps, repo.agencies, as_of, lang, remind_days=remind)
        assert ours == _ics_by_icalendar(repo.roadmaps, repo.agencies, as_of, lang, remind)


_TEXT = st.text(
    alphabet=st.sampled_from(list("ab ;,\\^N\n\r:\"'Жё€😀\u00a0\u0301x")) | st.characters(),
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_escaping_and_folding_are_the_icalendar_librarys(text: str) -> None:
    """Any text (separators, backslashes, carets, line breaks, Cyrillic, emoji, combining marks,
    lone surrogates aside) is escaped and folded as the library does it."""
    _same_line_as_icalendar(text)


def _same_line_as_icalendar(text: str) -> None:
    from icalendar import Event

    from roadmap_cli.calendar_export import _fold, _text

    text = text.encode("utf-8", "replace").decode("utf-8") if not _encodable(text) else text
    if text.startswith("\ufeff"):  # the library drops it there (a byte order mark to it); we keep text as written
        text = "x" + text
    event = Event()
    event.add("description", text)
    expected = event.to_ical().split(b"\r\n")[1:-2]  # between BEGIN:VEVENT and END:VEVENT
    assert _fold("DESCRIPTION:" + _text(text)) == b"\r\n".join(expected)


@pytest.mark.parametrize("special", ["^", "\\", ",", ";", "\n", "Ж", "€", "😀", "^^", "\\\\"])
def test_folding_at_every_boundary_is_the_icalendar_librarys(special: str) -> None:
    """The special text at every offset around the first and second fold."""
    for offset in range(50, 170):
        _same_line_as_icalendar("x" * offset + special + "y" * 90)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


#: titles whose escaping depends on their neighbours (a backslash, a carriage return) or that
#: lose characters (controls, which a calendar shows to people), beside plain ones
_TRICKY_TITLES = [
    "a\\Nb \\\\ c\\", "N\\", "carriage\rreturn\r\nend", "tab\tand\x01bell\x7f", "semi;comma,\nline",
    "Жё€😀\u0301", "plain",
]


@pytest.mark.parametrize("title", _TRICKY_TITLES)
def test_calendar_of_tricky_titles_is_the_icalendar_librarys(title: str, tmp_path: Path) -> None:
    """The writer escapes what does not change between a measure's events once and joins the
    pieces where that is exact; a title where it would not be (or a document title, an agency's
    name, an occurrence) is escaped whole: either way the bytes the icalendar library gives."""
    import shutil

    folder = tmp_path / "reports"
    shutil.copytree(ROOT / "tests" / "data" / "reports", folder)
    # a YAML double-quoted scalar with the same escapes (DEL escaped: YAML refuses it raw)
    quoted = json.dumps(title, ensure_ascii=False).replace("\x7f", "\\x7f")
    for name, old in (
        ("test-city-memorandum-2026.yaml", "{en: Hold a city festival}"),
        ("test-city-memorandum-2026.yaml", "{en: Test memorandum between two cities}"),
        ("test-cooperation-2026-2027.yaml", "{en: Report on the joint projects every quarter}"),
        ("agencies.yaml", "{en: City Akimat}"),  # an owner's name
        ("agencies.yaml", "{en: Export Agency}"),  # a co-executor's
    ):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, "{en: " + quoted + "}", 1), encoding="utf-8")
    repo = load_paths([str(folder)])
    from roadmap_cli.model import pick

    assert title in {pick(m.title, "en") for rm in repo.roadmaps for m in rm.measures}
    for as_of, lang, remind in ((D("2026-07-01"), "en", 7), (D("2026-11-22"), "ru", 0)):
        ours = to_ics(repo.roadmaps, repo.agencies, as_of, lang, remind_days=remind)
        assert ours == _ics_by_icalendar(repo.roadmaps, repo.agencies, as_of, lang, remind)


@pytest.mark.parametrize(("error", "code"), [(RuntimeError("a bug"), 4), (OSError(28, "No space left on device"), 2)])
@pytest.mark.parametrize("command", [["export"], ["export", "--format", "csv"], ["report"]])
def test_a_write_that_fails_midway_leaves_the_file_as_it_was(
    command: list[str], error: Exception, code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The writers write as they go, into a temporary file that replaces the output only when
    all of it is written: a failure halfway (a bug, a full disk) leaves the old file whole and
    no temporary file behind."""
    from roadmap_cli import calendar_export, html_report, report_detail

    out = tmp_path / "out.txt"
    out.write_bytes(b"the old file")
    written = []

    def failing(real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            written.append(1)
            if len(written) > 2:  # after the first pieces were written
                raise error
            return real(*args, **kwargs)

        return call

    monkeypatch.setattr(calendar_export, "_fold", failing(calendar_export._fold))
    monkeypatch.setattr(report_detail, "measure_facts", failing(report_detail.measure_facts))
    monkeypatch.setattr(html_report, "_document_html", failing(html_report._document_html))
    with pytest.raises(SystemExit) as e:
        main([*command, "--as-of", "2026-11-22", "-o", str(out), str(ROADMAPS)])
    assert e.value.code == code
    assert out.read_bytes() == b"the old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
    capsys.readouterr()


def test_deadline_count_is_the_number_of_calendar_events(tmp_path: Path) -> None:
    """``report -o`` says how many deadlines it covers, counted without making the events:
    the calendar's number of events, at dates before, inside and after the documents' periods."""
    from benchgen import generate

    from roadmap_cli.calendar_export import deadline_count

    generated = generate(tmp_path / "generated", docs=3, measures=60, seed=11)
    for folder in (ROADMAPS, ROOT / "tests" / "data" / "reports", generated):
        repo = load_paths([str(folder)])
        for as_of in (D("2025-06-01"), D("2026-04-15"), D("2026-11-22"), D("2027-07-01"), D("2030-01-01")):
            assert deadline_count(repo.roadmaps, as_of) == len(deadlines(repo.roadmaps, as_of))
            assert deadline_count(repo.roadmaps, as_of) == to_ics(repo.roadmaps, repo.agencies, as_of).count(
                b"\r\nBEGIN:VEVENT\r\n"
            )


@pytest.mark.parametrize(
    "command", [["export"], ["export", "--format", "csv"], ["report"], ["report", "--format", "markdown"]]
)
def test_a_reader_that_goes_away_ends_the_writer_quietly(command: list[str], tmp_path: Path) -> None:
    """``roadmap export | head``: the writers write to standard output as they go, and a reader
    that stops early ends them with exit 0 and nothing on standard error (the installed script)."""
    import os
    import subprocess
    import sys

    from benchgen import generate

    script = Path(sys.executable).parent / "roadmap"
    if not script.exists():
        pytest.skip("the roadmap console script is not installed (run `make test`)")
    folder = generate(tmp_path / "generated", docs=4, measures=100, seed=3)  # far more than a pipe holds
    env = {**os.environ, "ROADMAP_NO_CACHE": "1", "NO_COLOR": "1"}
    with subprocess.Popen(
        [str(script), *command, "--as-of", "2026-11-22", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    ) as run:
        assert run.stdout is not None and run.stderr is not None
        assert len(run.stdout.read(100)) == 100
        run.stdout.close()
        errors = run.stderr.read()
        assert run.wait(timeout=120) == 0, errors
    assert errors == b""


@pytest.mark.parametrize(("name", "args", "starts"), [
    ("measures.csv", [], b"roadmap,measure,title"),
    ("Measures.CSV", [], b"roadmap,measure,title"),
    ("measures.json", [], b"[\n  {"),
    ("measures.xlsx", [], b"PK"),
    ("deadlines.ics", [], b"BEGIN:VCALENDAR"),
    ("deadlines.txt", [], b"BEGIN:VCALENDAR"),  # another name: the default, ics
    ("measures.csv", ["--format", "ics"], b"BEGIN:VCALENDAR"),  # a format given wins
    ("measures.json", ["--excel"], "\ufeffDocument;".encode()),  # --excel is CSV
])
def test_the_output_files_name_gives_the_format_when_none_is_given(
    tmp_path: Path, cli: Any, name: str, args: list[str], starts: bytes
) -> None:
    """An officer who types -o measures.csv gets CSV, not a calendar in a .csv file."""
    code, _out, err = cli("export", *args, "-o", str(tmp_path / name), "--as-of", "2026-11-28",
                          str(ROADMAPS))
    assert code == 0, err
    assert (tmp_path / name).read_bytes().startswith(starts)


@pytest.mark.parametrize(("name", "starts"), [("report.md", "# "), ("report.markdown", "# "),
                                              ("report.html", "<!DOCTYPE html>")])
def test_the_reports_file_name_gives_its_format(tmp_path: Path, cli: Any, name: str,
                                                starts: str) -> None:
    code, _out, err = cli("report", "-o", str(tmp_path / name), "--as-of", "2026-11-28",
                          str(ROADMAPS))
    assert code == 0, err
    assert (tmp_path / name).read_text(encoding="utf-8").startswith(starts)
