"""Hostile answers to `roadmap apply`: every one a located error, never a traceback, a hang or a
memory blow-up; and nothing written."""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from gitrepo import Repo, run

from roadmap_cli import sheets

AS_OF = "2026-03-01"
BOOK = "out/request-kz-mic-2026-03-01.xlsx"
DOC = "roadmaps/kz-by-test.yaml"


@pytest.fixture
def repo(git_repo: Repo) -> Repo:
    r = git_repo
    done = run("request", "--agency", "kz-mic", "--as-of", AS_OF, "-o", "out")
    assert done.code == 0, done.err
    return r


def answered(path: str = BOOK) -> None:
    """Answer one row (progress of 1.1), so that a workbook read right would change the file."""
    wb = openpyxl.load_workbook(path)
    wb["measures"]["I3"] = 70
    wb.save(path)


def rezip(path: str, out: str, replace: dict[str, bytes] | None = None,
          add: dict[str, bytes] | None = None) -> None:
    """Copy the workbook's zip with some members replaced or added."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, data in add.items():
            dst.writestr(name, data)


def sheet_xml(path: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode("utf-8")


def refused(repo: Repo, path: str, line: str) -> None:
    before = repo.read(DOC)
    started = time.monotonic()
    done = run("apply", path, "--on", "2026-04-05")
    assert time.monotonic() - started < 60
    assert done.code == 1, done.out
    assert done.err == line + "\n"
    assert "Traceback" not in done.out + done.err
    assert repo.read(DOC) == before


def test_not_a_zip(repo: Repo) -> None:
    Path("out/answer.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip" * 10)
    refused(repo, "out/answer.xlsx",
            "out/answer.xlsx: error: not an Excel workbook (.xlsx is a zip file, and this is "
            "not one); save it as .xlsx or .csv [workbook-not-xlsx]")


def test_a_truncated_workbook(repo: Repo) -> None:
    data = Path(BOOK).read_bytes()
    Path("out/cut.xlsx").write_bytes(data[: len(data) // 2])
    refused(repo, "out/cut.xlsx",
            "out/cut.xlsx: error: not an Excel workbook (.xlsx is a zip file, and this is not "
            "one); save it as .xlsx or .csv [workbook-not-xlsx]")


@pytest.mark.slow
def test_a_zip_bomb_is_refused_before_it_is_unpacked(repo: Repo) -> None:
    with (zipfile.ZipFile("out/bomb.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z,
          z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member):
        chunk = b"\0" * (1 << 20)
        for _ in range(sheets.MAX_UNCOMPRESSED // len(chunk) + 1):
            member.write(chunk)
    assert Path("out/bomb.xlsx").stat().st_size < 1_000_000
    size = sheets.MAX_UNCOMPRESSED + (1 << 20)
    refused(repo, "out/bomb.xlsx",
            f"out/bomb.xlsx: error: the workbook unpacks to {size} bytes, more than the "
            f"{sheets.MAX_UNCOMPRESSED} read (docs/limits.md) [workbook-too-large]")


def test_a_member_that_lies_about_its_size_does_not_inflate_past_it(repo: Repo) -> None:
    # the header says 100 bytes; the data inflates to far more: the zip reader stops (CRC error)
    answered()
    xml = sheet_xml(BOOK).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(BOOK) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename) if info.filename !=
                         "xl/worksheets/sheet1.xml" else xml + b" " * 5_000_000)
    data = bytearray(buf.getvalue())
    # patch the sizes in the local header and the central directory to 100 bytes
    name = b"xl/worksheets/sheet1.xml"
    for m in re.finditer(re.escape(name), bytes(data)):
        start = m.start()
        if data[start - 30 : start - 26] == b"PK\x03\x04":
            data[start - 8 : start - 4] = (100).to_bytes(4, "little")
        elif data[start - 46 : start - 42] == b"PK\x01\x02":
            data[start - 22 : start - 18] = (100).to_bytes(4, "little")
    Path("out/liar.xlsx").write_bytes(bytes(data))
    done = run("apply", "out/liar.xlsx", "--on", "2026-04-05")
    assert done.code == 1
    assert done.err.startswith("out/liar.xlsx: error: the workbook cannot be read: ")
    assert done.err.endswith("[workbook-unreadable]\n")


def test_a_macro_workbook_is_refused_by_its_name(repo: Repo) -> None:
    Path("out/answer.xlsm").write_bytes(Path(BOOK).read_bytes())
    refused(repo, "out/answer.xlsm",
            "out/answer.xlsm: error: a macro workbook is refused; save it as an Excel workbook "
            "(.xlsx) without macros [workbook-macro]")


def test_a_macro_project_inside_an_xlsx_is_refused(repo: Repo) -> None:
    answered()
    rezip(BOOK, "out/sneaky.xlsx", add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    refused(repo, "out/sneaky.xlsx",
            "out/sneaky.xlsx: error: the workbook holds macros; save it as an Excel workbook "
            "(.xlsx) without macros [workbook-macro]")


def test_an_external_link_is_refused(repo: Repo) -> None:
    answered()
    rezip(BOOK, "out/linked.xlsx", add={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    refused(repo, "out/linked.xlsx",
            "out/linked.xlsx: error: the workbook links to other files (external links); copy "
            "the values in and remove the links (Data > Edit Links > Break Link) "
            "[workbook-external-link]")


def test_a_formula_without_a_cached_value_is_refused(repo: Repo) -> None:
    wb = openpyxl.load_workbook(BOOK)
    wb["measures"]["I3"] = "=35+35"  # openpyxl stores no computed value
    wb["measures"]["N4"] = "2026-Q1"  # a good answer in the same file is not applied either
    wb.save(BOOK)
    refused(repo, BOOK, f"{BOOK}:measures!I3: error: a formula without a computed value; type "
            "the value itself [workbook-formula]")


def test_a_formula_with_a_cached_value_gives_that_value(repo: Repo) -> None:
    wb = openpyxl.load_workbook(BOOK)
    wb["measures"]["I3"] = "=35+35"
    wb.save(BOOK)
    xml = sheet_xml(BOOK)
    cached = re.sub(r"<f>35\+35</f><v\s*/>|<f>35\+35</f>(<v></v>)?", "<f>35+35</f><v>70</v>", xml)
    assert cached != xml
    rezip(BOOK, "out/cached.xlsx", replace={"xl/worksheets/sheet1.xml": cached.encode("utf-8")})
    done = run("apply", "out/cached.xlsx", "--on", "2026-04-05")
    assert done.code == 0, done.err
    assert "    progress: 70\n" in repo.read(DOC)


@pytest.mark.slow
def test_a_million_rows_are_bounded(repo: Repo) -> None:
    xml = sheet_xml(BOOK)
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>'
                   for n in range(5, 1_000_001))
    big = xml.replace("</sheetData>", rows + "</sheetData>")
    big = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:S1000000"/>', big)
    rezip(BOOK, "out/million.xlsx", replace={"xl/worksheets/sheet1.xml": big.encode("utf-8")})
    refused(repo, "out/million.xlsx",
            f"out/million.xlsx:measures!A{sheets.MAX_ROWS + 3}: error: more than "
            f"{sheets.MAX_ROWS} rows; a request has one row per measure (docs/limits.md) "
            "[workbook-too-many-rows]")


def test_merged_cells_are_refused(repo: Repo) -> None:
    wb = openpyxl.load_workbook(BOOK)
    wb["measures"]["I3"] = 70
    wb["measures"].merge_cells("I3:J4")
    wb.save(BOOK)
    refused(repo, BOOK, f"{BOOK}:measures!I3: error: merged cells (I3:J4); unmerge them (every "
            "answer needs its own cell) [workbook-merged]")


def test_a_renamed_sheet(repo: Repo) -> None:
    wb = openpyxl.load_workbook(BOOK)
    wb["measures"].title = "Лист1"
    wb.save(BOOK)
    refused(repo, BOOK, f"{BOOK}: error: no sheet named 'measures' (the workbook has: 'Лист1', "
            "'instructions'); it was renamed or deleted: name it 'measures' again, or ask for a "
            "new request [workbook-no-sheet]")


def test_a_deleted_sheet(repo: Repo) -> None:
    wb = openpyxl.load_workbook(BOOK)
    del wb["measures"]
    wb.save(BOOK)
    refused(repo, BOOK, f"{BOOK}: error: no sheet named 'measures' (the workbook has: "
            "'instructions'); it was renamed or deleted: name it 'measures' again, or ask for a "
            "new request [workbook-no-sheet]")


def test_deleted_key_row_and_key_columns(repo: Repo) -> None:
    wb = openpyxl.load_workbook(BOOK)
    ws = wb["measures"]
    ws.delete_cols(19)  # the fingerprint
    ws["I3"] = 70
    wb.save(BOOK)
    refused(repo, BOOK, f"{BOOK}:measures!A2: error: the column(s) fingerprint are missing "
            "(deleted?); answer in the workbook the request came in, or ask for a new one "
            "[workbook-keys]")
    ws.delete_rows(2)
    wb.save(BOOK)
    refused(repo, BOOK, f"{BOOK}: error: the row of column keys (roadmap, measure, ..., "
            "fingerprint; hidden under the headers) is missing; answer in the workbook the "
            "request came in, or ask for a new one [workbook-keys]")


def test_an_xml_entity_bomb_is_refused(repo: Repo) -> None:
    xml = sheet_xml(BOOK)
    doctype = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
               '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    body = xml[xml.index("<worksheet"):]
    bomb = '<?xml version="1.0"?>' + doctype + body.replace(">1.1<", ">&lol2;<", 1)
    assert bomb != '<?xml version="1.0"?>' + doctype + body
    rezip(BOOK, "out/lol.xlsx", replace={"xl/worksheets/sheet1.xml": bomb.encode()})
    done = run("apply", "out/lol.xlsx")
    assert done.code == 1
    assert done.err.startswith("out/lol.xlsx: error: the workbook cannot be read: ")
    assert done.err.endswith("[workbook-unreadable]\n")


def test_a_reordered_and_translated_sheet_still_reads(repo: Repo) -> None:
    wb = openpyxl.load_workbook(BOOK)
    ws = wb["measures"]
    ws.move_range("A1:C4", cols=19)  # the ids to the far right
    ws["V1"] = "何か"  # a header in another language
    ws["I3"] = 70
    wb.save(BOOK)
    done = run("apply", BOOK, "--on", "2026-04-05")
    assert done.code == 0, done.err
    assert "    progress: 70\n" in repo.read(DOC)


def test_not_a_workbook_nor_csv(repo: Repo) -> None:
    Path("out/answer.doc").write_bytes(b"\xd0\xcf\x11\xe0 an old Word file")
    refused(repo, "out/answer.doc",
            "out/answer.doc: error: not a workbook (.xlsx) or a CSV file (.csv); save it as one "
            "of them [workbook-format]")


def test_a_missing_file_and_a_folder(repo: Repo) -> None:
    refused(repo, "out/none.xlsx", "out/none.xlsx: error: no such file [workbook-unreadable]")
    Path("out/dir.xlsx").mkdir()
    done = run("apply", "out/dir.xlsx")
    assert done.code == 1 and "[workbook-unreadable]" in done.err


def test_a_huge_csv_field_is_located(repo: Repo) -> None:
    Path("out/big.csv").write_text("roadmap,measure,agency,as_of,fingerprint\n" + '"' + "x" * (sheets.MAX_FIELD + 10)
                                   + '"\n', encoding="utf-8")
    done = run("apply", "out/big.csv")
    assert done.code == 1
    assert done.err.startswith("out/big.csv:2: error: cannot read this line: field larger than")
    assert done.err.endswith("[csv-unreadable]\n")


def test_a_file_over_the_size_limit(repo: Repo) -> None:
    with open("out/huge.csv", "wb") as fh:
        fh.truncate(sheets.MAX_FILE_BYTES + 1)
    refused(repo, "out/huge.csv",
            f"out/huge.csv: error: the file is {sheets.MAX_FILE_BYTES + 1} bytes, more than the "
            f"{sheets.MAX_FILE_BYTES} read (docs/limits.md) [workbook-too-large]")


def test_a_named_pipe_does_not_hang(repo: Repo) -> None:
    os.mkfifo("out/pipe.xlsx")
    refused(repo, "out/pipe.xlsx", "out/pipe.xlsx: error: not a regular file [workbook-unreadable]")


@pytest.mark.slow
def test_a_csv_of_a_million_rows_is_bounded(repo: Repo) -> None:
    Path("out/rows.csv").write_text("roadmap,measure,agency,as_of,fingerprint,progress\n"
                                    + "k,1,m,d,f,5\n" * 1_000_000,
                                    encoding="utf-8")
    done = run("apply", "out/rows.csv")
    assert done.code == 1
    assert done.err.endswith(f"out/rows.csv:{sheets.MAX_ROWS + 2}: error: more than "
                             f"{sheets.MAX_ROWS} rows; a request has one row per measure "
                             "(docs/limits.md) [workbook-too-many-rows]\n")
