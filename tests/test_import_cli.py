"""roadmap import: the command, its refusals and hostile input (never a traceback, never an
overwrite), and a file that validates."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pytest
from clirun import run, run_roadmap
from docx_build import HEADER_EN, HEADER_RU, build, build_big

from roadmap_cli import docx_read
from roadmap_cli.load import load_paths

SHIPPED = Path(__file__).resolve().parent.parent / "roadmaps"

#: rows that need nothing beyond the due forms every version of the format reads
PLAIN_ROWS = [
    ["1", "Заседание рабочей группы", "IV квартал 2026 г.", "МИИР РК\nМинпром"],
    ["2", "Сборка тракторов", "ежегодно, до 15 января", "МТЗ; МИИР РК"],
    ["3", "Выставка", "до 1 июля 2027 г.", "Минпром"],
    ["4", "Обмен делегациями", "постоянно", "акимат г. Астаны, Мингорисполком"],
    ["5", "Семинар", "к отопительному сезону", "Минпромм"],
]


@pytest.fixture
def repo(shipped_copy: Path) -> Path:
    return shipped_copy


def test_plain_table_imports_and_validates(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(repo / "plan.docx", PLAIN_ROWS, header=HEADER_RU[:4])
    code, out, err = run(capsys, "import", "plan.docx", "--id", "kz-by-plan-2026-2027")
    assert code == 0, err
    assert err.splitlines() == [
        "plan.docx:table 1, row 4, column 3: note: measure 3: «до 1 июля 2027 г.» read as 2027-06-30, "
        "the day before 2027-07-01 (see docs/import.md)",
        "plan.docx:table 1, row 6, column 3: warning: measure 5: deadline «к отопительному сезону» not "
        "understood: kept in notes, due left as TODO (docs/import.md lists the phrases read)",
        "plan.docx:table 1, row 6, column 4: warning: measure 5: «Минпромм» is no agency of "
        "agencies.yaml (add it, or an alias): left as TODO; closest: by-minprom, by-minsk-cec",
    ]
    assert out == (
        "created roadmaps/kz-by-plan-2026-2027.yaml: 5 measures in 0 sections, parties kz-mic, "
        "by-minprom, period 2026-01-01 .. 2028-12-31; 2 TODO(s) to replace (`roadmap validate` "
        "lists them). Review it against the signed document.\n"
    )
    text = (repo / "roadmaps/kz-by-plan-2026-2027.yaml").read_text(encoding="utf-8")
    assert "    due: {every: year, grace: 14}  # ежегодно, до 15 января\n" in text
    assert "    owners: [by-mtz]\n    co_executors: [kz-mic]\n" in text
    assert "    owners: [kz-astana-akimat]\n    co_executors: [by-minsk-cec]\n" in text
    assert "signed: {date: 2025-11-05, place: Астана}\n" in text
    loaded = load_paths(["roadmaps"])
    assert loaded.errors == []
    todo = [(p.line, p.rule) for p in loaded.warnings if p.file.endswith("kz-by-plan-2026-2027.yaml")]
    assert [r for _, r in todo] == ["todo", "todo"]
    (rm,) = [r for r in loaded.roadmaps if r.id == "kz-by-plan-2026-2027"]
    assert [m.due.raw for m in rm.measures] == [
        "2026-Q4", {"every": "year", "grace": 14}, "2027-06-30", "ongoing", "TODO"]
    assert all(m.status == "not_started" for m in rm.measures)
    # validate reports the TODOs as warnings, exit 0
    code, out, _ = run(capsys, "validate")
    assert code == 0
    assert out.count("[todo]") == 2


def test_never_overwrites(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(repo / "plan.docx", PLAIN_ROWS, header=HEADER_RU[:4])
    target = repo / "roadmaps/kz-by-plan-2026-2027.yaml"
    target.write_text("mine\n", encoding="utf-8")
    code, out, err = run(capsys, "import", "plan.docx", "--id", "kz-by-plan-2026-2027")
    assert (code, out) == (3, "")
    assert err == (
        "roadmap: roadmaps/kz-by-plan-2026-2027.yaml already exists; nothing was written "
        "(refusing to overwrite)\n"
    )
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_dry_run_prints_and_writes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(repo / "plan.docx", PLAIN_ROWS[:1], header=HEADER_RU[:4])
    code, out, err = run(capsys, "import", "plan.docx", "--id", "kz-by-plan", "--dry-run",
                         "--period", "2026-2028", "--signed", "2025-12-01", "--place", "Minsk",
                         "--party", "by-minprom", "--party", "kz-mic", "--title", "План")
    assert code == 0, err
    assert not (repo / "roadmaps/kz-by-plan.yaml").exists()
    assert out.startswith("# yaml-language-server: $schema=../schemas/roadmap.schema.json\n")
    assert "\nid: kz-by-plan\nkind: roadmap\ntitle:\n  ru: План\nparties: [by-minprom, kz-mic]\n" in out
    assert "signed: {date: 2025-12-01, place: Minsk}\nperiod: {start: 2026-01-01, end: 2028-12-31}\n" in out
    assert err.startswith("dry run: roadmaps/kz-by-plan.yaml not written; 1 measures")


def test_english_table(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["1", "Working group meeting", "Q4 2026", "MIC RK"], ["2", "Report", "annually, by 15 January", "Minprom"]]
    build(repo / "plan.docx", rows, header=HEADER_EN[:4], before=("ROADMAP",),
          after=("Done at Astana on 5 November 2025.",))
    code, out, err = run(capsys, "import", "plan.docx", "--id", "en-plan", "--dry-run")
    assert (code, err.count("warning")) == (0, 0), err
    assert "title:\n  en: ROADMAP\n" in out  # the header is in English: so is the text
    assert "title:\n      en: Working group meeting\n" in out
    code, out, err = run(capsys, "import", "plan.docx", "--id", "en-plan", "--dry-run", "--lang", "kk")
    assert code == 0 and "title:\n  kk: ROADMAP\n" in out
    assert "    due: {every: year, grace: 15}  # annually, by 15 January\n" in out


@pytest.mark.parametrize(("content", "message"), [
    (b"hello, this is text\n", "is not a Word .docx file (a .docx is a zip archive; this one is not)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
     "is a Word 97-2003 .doc file or a password-protected .docx (both are stored the same way), "
     "which cannot be read: open it in Word and save it as .docx without a password"),
    (b"", "is not a Word .docx file (a .docx is a zip archive; this one is not)"),
])
def test_not_a_docx(repo: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str) -> None:
    (repo / "plan.docx").write_bytes(content)
    code, out, err = run(capsys, "import", "plan.docx", "--id", "x")
    assert (code, out, err) == (1, "", "roadmap: plan.docx: {m}\n".format(m=message))
    assert sorted(p.name for p in (repo / "roadmaps").iterdir()) == sorted(p.name for p in SHIPPED.iterdir())


def _rezip(src: Path, dst: Path, change: dict[str, bytes | None]) -> None:
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    for name, data in change.items():
        if data is None:
            parts.pop(name, None)
        else:
            parts[name] = data
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_damaged_files(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = build(repo / "good.docx", PLAIN_ROWS, header=HEADER_RU[:4])
    (repo / "cut.docx").write_bytes(good.read_bytes()[:1500])
    _rezip(good, repo / "noct.docx", {"[Content_Types].xml": None})
    _rezip(good, repo / "badxml.docx", {"word/document.xml": b"<w:document><w:body><w:tbl>"})
    with zipfile.ZipFile(good) as z:
        types = z.read("[Content_Types].xml")
    _rezip(good, repo / "sheet.docx", {"[Content_Types].xml": types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")})
    expected = {
        "cut.docx": "roadmap: cut.docx: is a damaged .docx (its zip archive cannot be read: File is not a zip file)",
        "noct.docx": "roadmap: noct.docx: is a zip archive but not a Word .docx (it has no [Content_Types].xml)",
        "badxml.docx": "roadmap: badxml.docx: cannot be read as a Word .docx:",
        "sheet.docx": "roadmap: sheet.docx: is not a Word document (",
    }
    for name, message in expected.items():
        code, out, err = run(capsys, "import", name, "--id", "x")
        assert (code, out) == (1, ""), name
        assert err.startswith(message), err
        assert "Traceback" not in err and len(err.splitlines()) == 1


@pytest.mark.slow
def test_zip_bomb_is_refused_before_it_inflates(repo: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = repo / "bomb.docx"
    good = build(repo / "good.docx", PLAIN_ROWS, header=HEADER_RU[:4])
    _rezip(good, bomb, {})
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as z, z.open("word/media/zeros.bin", "w", force_zip64=True) as f:
        chunk = b"\0" * (1 << 20)
        for _ in range(docx_read.MAX_UNPACKED_BYTES // len(chunk) + 1):
            f.write(chunk)
    assert bomb.stat().st_size < 2_000_000
    opened: list[str] = []  # the parts unpacked (none: the sizes the zip declares refuse it)
    real_open = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: object, *args: object, **kwargs: object) -> object:
        opened.append(getattr(name, "filename", name))  # type: ignore[arg-type]
        return real_open(self, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    code, out, err = run(capsys, "import", "bomb.docx", "--id", "x")
    assert opened == []
    assert (code, out) == (1, "")
    assert re.fullmatch(
        r"roadmap: bomb\.docx: would unpack to 1\d\d,\d{3},\d{3} bytes; at most 104,857,600 are read "
        r"\(see docs/limits\.md\)\n",
        err,
    ), err


def test_xml_part_past_the_limit(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    build_big(repo / "big.docx", 200)
    monkeypatch.setattr(docx_read, "MAX_XML_PART_BYTES", 50_000)
    code, out, err = run(capsys, "import", "big.docx", "--id", "x")
    assert (code, out) == (1, "")
    assert re.fullmatch(
        r"roadmap: big\.docx: has a part \(word/document\.xml\) that would unpack to \d{2,3},\d{3} bytes; "
        r"at most 50,000 are read \(see docs/limits\.md\)\n",
        err,
    ), err


def test_too_many_parts(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    build(repo / "good.docx", PLAIN_ROWS, header=HEADER_RU[:4])
    monkeypatch.setattr(docx_read, "MAX_PARTS", 3)
    code, _, err = run(capsys, "import", "good.docx", "--id", "x")
    assert code == 1 and "parts; a .docx has a few dozen and at most 3 are read" in err


def test_no_table_and_no_deadline_column(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Протокол")
    d.save(str(repo / "none.docx"))
    code, out, err = run(capsys, "import", "none.docx", "--id", "x")
    assert (code, out, err) == (1, "", "roadmap: none.docx: the document has no table\n")
    build(repo / "nodue.docx", [["1", "А", "Минпром"]], header=["№", "Наименование мероприятия", "Исполнители"])
    code, out, err = run(capsys, "import", "nodue.docx", "--id", "x")
    assert (code, out) == (1, "")
    assert err == ("roadmap: nodue.docx: table 1 has no deadline column (its header reads: "
                   "№ | Наименование мероприятия | Исполнители)\n")
    code, out, err = run(capsys, "import", "nodue.docx", "--id", "x", "--table", "2")
    assert (code, err) == (2, "roadmap: nodue.docx: --table 2: the document has 1 table(s)\n")


def test_usage_errors(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(repo / "plan.docx", PLAIN_ROWS, header=HEADER_RU[:4], after=())
    code, _, err = run(capsys, "import", "plan.docx", "--id", "Bad Id")
    assert code == 2 and "a document id is lowercase letters" in err
    code, _, err = run(capsys, "import", "missing.docx", "--id", "x")
    assert code == 2 and "does not exist" in err
    code, _, err = run(capsys, "import", "plan.docx", "--id", "x")
    assert (code, err.splitlines()[-1]) == (
        2, "roadmap: plan.docx: the date of signature is not in the text: give --signed DATE")
    code, _, err = run(capsys, "import", "plan.docx", "--id", "x", "--signed", "2025-11-05", "--party", "kz-nope")
    assert code == 2 and "'kz-nope' is no agency of agencies.yaml" in err
    code, _, err = run(capsys, "import", "plan.docx", "--id", "x", "--signed", "2025-11-05", "-o", "nowhere/x.yaml")
    assert code == 2 and "nowhere: no such folder" in err


@pytest.mark.slow
def test_five_thousand_rows(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_big(repo / "big.docx", 5000)
    started = time.perf_counter()
    code, out, err = run(capsys, "import", "big.docx", "--id", "big-plan")
    took = time.perf_counter() - started
    assert code == 0, err[-500:]
    assert out.startswith("created roadmaps/big-plan.yaml: 5000 measures in 0 sections, parties kz-mic, by-minprom")
    assert took < 60, took
    assert load_paths(["roadmaps"]).errors == []


@pytest.mark.slow
def test_a_wide_table_is_read_in_bounded_time(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_big(repo / "wide.docx", 300, extra=400)
    started = time.perf_counter()
    code, out, err = run(capsys, "import", "wide.docx", "--id", "wide-plan", "--dry-run")
    assert code == 0, err[-300:]
    assert time.perf_counter() - started < 30
    assert "    notes: \"Колонка 0: x; Колонка 1: x; " in out


def test_rows_past_the_limit_are_an_error(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    build_big(repo / "big.docx", 30)
    monkeypatch.setattr(docx_read, "MAX_ROWS", 20)
    code, out, err = run(capsys, "import", "big.docx", "--id", "big-plan")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "big.docx:table 1: error: the table has 11 more rows than the 20 read",
        "roadmap: big.docx: nothing was written",
    ]
    assert not (repo / "roadmaps/big-plan.yaml").exists()


@pytest.mark.slow
def test_installed_command(repo: Path) -> None:
    build(repo / "plan.docx", PLAIN_ROWS, header=HEADER_RU[:4])
    done = run_roadmap(["import", "plan.docx", "--id", "kz-by-plan-2026-2027"], cwd=repo)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("created roadmaps/kz-by-plan-2026-2027.yaml: 5 measures")
    again = run_roadmap(["import", "plan.docx", "--id", "kz-by-plan-2026-2027"], cwd=repo)
    assert again.returncode == 3
    checked = run_roadmap(["validate"], cwd=repo)
    assert checked.returncode == 0 and checked.stdout.count("[todo]") == 2


@pytest.mark.slow
def test_huge_cells_and_control_characters(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["1", "А" * 5_000_000, "2027 г.", "Минпром"]]
    build(repo / "huge.docx", rows, header=HEADER_RU[:4])
    code, out, err = run(capsys, "import", "huge.docx", "--id", "x")
    assert (code, out) == (1, "")
    assert err.startswith("roadmap: huge.docx: the roadmap file would be 10,00")
    assert err.endswith("bytes, more than the 4,194,304 a roadmap file may have (docs/limits.md); nothing was written\n")
    # XML holds no ESC, but C1 controls (8-bit CSI) and bidi overrides pass through Word files
    build(repo / "ctl.docx", [["1", "А", "к \x9b2J\u202e сроку", "Минпром"]], header=HEADER_RU[:4])
    code, out, err = run(capsys, "import", "ctl.docx", "--id", "x", "--dry-run", "--period", "2026-2028")
    assert code == 0, err
    assert "\x9b" not in err and "\u202e" not in err
    assert "deadline «к \ufffd2J\ufffd сроку» not understood" in err
    assert "\x9b" not in out.split("\nid: ")[1].split("notes:")[0]  # the comment after due is clean


def test_the_cache_changes_no_answer(repo: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """import reads the repository through the workspace's cache: without it, filling it and
    reading it, the same output, messages and exit code; also when a document has errors."""
    build(repo / "plan.docx", PLAIN_ROWS, header=HEADER_RU[:4])
    args = ("import", "plan.docx", "--id", "kz-by-plan-2026-2027", "--dry-run")

    def three() -> list[tuple[int, str, str]]:
        seen = []
        for off in ("1", "", ""):
            monkeypatch.setenv("ROADMAP_NO_CACHE", off) if off else monkeypatch.delenv(
                "ROADMAP_NO_CACHE", raising=False)
            seen.append(tuple(run(capsys, *args)))
        return seen

    clean = three()
    assert clean[0][0] == 0 and "measure 5" in clean[0][2]
    assert clean[1:] == [clean[0], clean[0]]
    cache = repo / "cache"
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(cache))
    assert tuple(run(capsys, *args, "--no-cache")) == clean[0]  # the option, as the variable
    assert not cache.exists() or not any(p.is_file() and p.name != "key" for p in cache.rglob("*"))
    # another document takes the new one's id: the import is refused, with the cache too
    doc = repo / "roadmaps/astana-minsk-2026-2028.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace(
        "\nid: astana-minsk-2026-2028\n", "\nid: kz-by-plan-2026-2027\n", 1), encoding="utf-8")
    broken = three()
    assert broken[0][0] == 1 and "duplicate-roadmap-id" in broken[0][2]
    assert broken[1:] == [broken[0], broken[0]]


def test_the_russian_summary_gives_the_period_in_the_russian_date_form(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Russian summary of an import gave the period as ISO dates (период 2026-01-01 ..
    2027-12-31), where show gives 01.01.2026 .. 31.12.2027 (found by a terminal audit)."""
    build(repo / "plan.docx", PLAIN_ROWS, header=HEADER_RU[:4])
    code, out, err = run(capsys, "import", "plan.docx", "--id", "kz-by-plan-2026-2027", "--lang", "ru")
    assert code == 0, err
    assert "период 01.01.2026 .. 31.12.2028;" in out  # the title's years: "на 2026–2028 годы"


def test_the_period_covers_the_years_the_title_names(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A roadmap "на 2026–2028 годы" whose deadlines name only 2026 and 2027 runs to 2028: its
    yearly measures recur in 2028 too (the period was the deadlines' years alone, 2026-2027)."""
    build(repo / "plan.docx", PLAIN_ROWS, header=HEADER_RU[:4])
    code, out, err = run(capsys, "import", "plan.docx", "--id", "p", "--dry-run")
    assert code == 0, err
    assert "period: {start: 2026-01-01, end: 2028-12-31}\n" in out
    build(repo / "plan.docx", PLAIN_ROWS, header=HEADER_RU[:4], before=("ДОРОЖНАЯ КАРТА",))
    code, out, err = run(capsys, "import", "plan.docx", "--id", "p", "--dry-run")
    assert "period: {start: 2026-01-01, end: 2027-12-31}\n" in out  # no years in the title
    build(repo / "plan.docx", [["1", "А", "постоянно", "Минпром"]], header=HEADER_RU[:4],
          before=("План мероприятий на 2026 год",))
    code, out, err = run(capsys, "import", "plan.docx", "--id", "p", "--dry-run")
    assert code == 0, err  # no deadline names a year: the title's is enough
    assert "period: {start: 2026-01-01, end: 2026-12-31}\n" in out


def test_a_second_table_of_measures_is_not_lost_silently(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A table that Word split, or one table per section: only the first is read, and the
    others are named, so that their measures are not missing from the file unnoticed."""
    import docx

    d = docx.Document()
    d.add_paragraph("ДОРОЖНАЯ КАРТА")
    for n, (section, due) in enumerate((("I. Промышленность", "IV квартал 2026 г."),
                                        ("II. Торговля", "2027 г.")), start=1):
        t = d.add_table(rows=3 if n == 1 else 2, cols=4)
        rows = [HEADER_RU[:4]] if n == 1 else []
        rows += [[section], [str(n), "Мероприятие", due, "Минпром"]]
        for i, row in enumerate(rows):
            if len(row) == 1:  # a section row: one cell across the table
                t.cell(i, 0).merge(t.cell(i, 3)).text = row[0]
                continue
            for j, text in enumerate(row):
                t.cell(i, j).text = text
        d.add_paragraph("")
    d.add_paragraph("Совершено в г. Астана 5 ноября 2025 года.")
    d.save(str(repo / "split.docx"))
    code, _out, err = run(capsys, "import", "split.docx", "--id", "split", "--signed", "2025-11-05")
    assert code == 0, err
    assert err.splitlines() == [
        "split.docx:table 2: warning: this table also looks like a table of measures (a table Word "
        "split, or one per section) and was not read: only table 1 was; its measures are not in the "
        "file (join the tables in Word, or import it with --table 2)",
    ]
    # the document's table after a table of approvals is no table of measures: nothing said
    build(repo / "one.docx", PLAIN_ROWS[:1], header=HEADER_RU[:4], tables_before=1)
    code, _out, err = run(capsys, "import", "one.docx", "--id", "one")
    assert code == 0 and err == "", err
