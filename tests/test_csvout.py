"""CSV written column by column (``csvout.write_csv``) is the CSV of each cell alone."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_cli import csvout

KEYS = ("a", "b", "c", "d")

#: text that is often a formula's start, a number, non-ASCII or an undecodable byte
_text = st.one_of(
    st.text(max_size=6),
    st.sampled_from(["", "=1+1", "-5", "-5.5", "+x", "@SUM", "\tx", "\rx", "plain", "Пуск",
                     "a\udcffb", "\udc80", "-", "'q", "x; y", "a,b", 'say "hi"', "a\nb"]),
)
_value = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), _text,
    st.lists(_text, max_size=3), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(), st.dictionaries(st.sampled_from(["k", "j"]), st.integers(0, 9), max_size=2),
    st.tuples(st.integers(0, 3), _text),
)
#: rows of one kind per column (the commands' rows), mixed, or missing keys
_row = st.dictionaries(st.sampled_from(KEYS), _value)
_column_kinds = st.fixed_dictionaries({k: st.sampled_from([_text, st.integers(), st.none()]) for k in KEYS})


def _one_by_one(rows: Sequence[Mapping[str, Any]], keys: Sequence[str], excel: bool) -> str:
    """CSV made a cell at a time by the definitions: :func:`_cell`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", delimiter=";" if excel else ",")
    if excel:
        buf.write("\ufeff")
    for n, row in enumerate(rows):
        if not n:
            writer.writerow([csvout.csv_header(k) for k in keys] if excel else keys)
        writer.writerow([_cell(row.get(k), excel) for k in keys])
    return buf.getvalue()


def _cell(value: Any, excel: bool) -> str:
    """``csv_safe(_csv_cell(value))``; with ``excel``, of the spreadsheet's form of ``value``
    (its text as made there when it made one: a decimal comma, ="1.10")."""
    if excel:
        value = csvout._for_a_spreadsheet(value)
        if type(value) is csvout._Verbatim:
            return str(value)
    return csvout.csv_safe(csvout._csv_cell(value))


def _written(rows: Sequence[Mapping[str, Any]], keys: Sequence[str], excel: bool) -> str:
    parts: list[str] = []
    count = csvout.write_csv(parts.append, rows, keys, excel=excel, encode=False)
    assert count == len(rows)
    return "".join(parts)


@settings(max_examples=300)
@given(st.lists(_row, max_size=12), st.booleans())
def test_any_rows_give_the_csv_of_each_cell(rows: list[dict[str, Any]], excel: bool) -> None:
    assert _written(rows, KEYS, excel) == _one_by_one(rows, KEYS, excel)


@settings(max_examples=100)
@given(_column_kinds.flatmap(lambda kinds: st.lists(st.fixed_dictionaries(kinds), max_size=20)))
def test_columns_of_one_kind_give_the_csv_of_each_cell(rows: list[dict[str, Any]]) -> None:
    """Rows as the commands make them (each key in every row, a column of one kind): the
    columns that need no change are handed on whole."""
    assert _written(rows, KEYS, False) == _one_by_one(rows, KEYS, False)


def test_batches_are_joined_without_a_seam() -> None:
    """More rows than one batch: a formula in the last batch only is still neutralised, and
    the text is the same as a cell at a time."""
    rows = [{"a": f"m{i}", "b": i, "c": None, "d": ["x", "y"]} for i in range(csvout.BATCH * 2 + 5)]
    rows[-1]["a"] = "=HYPERLINK(1)"
    rows[3]["d"] = ["-x", "y"]
    text = _written(rows, KEYS, False)
    assert text == _one_by_one(rows, KEYS, False)
    assert text.endswith("'=HYPERLINK(1),1028,,x; y\n")
    assert "\nm3,3,,'-x; y\n" in text


def test_a_file_name_with_an_undecodable_byte_is_escaped_in_a_clean_column() -> None:
    rows = [{"a": "ok.yaml"}, {"a": "bad\udcff.yaml"}, {"a": None}]
    assert _written(rows, ["a"], False) == "a\nok.yaml\nbad\\xff.yaml\n\"\"\n"


def test_no_rows_no_header_and_no_keys() -> None:
    assert _written([], KEYS, False) == ""
    assert _written([], KEYS, True) == "\ufeff"
    assert _written([{}, {}], [], False) == _one_by_one([{}, {}], [], False) == "\n\n\n"
    assert csvout.to_csv([{"when": dt.date(2026, 1, 2), "n": 1.5}]) == "when,n\n2026-01-02,1.5\n"


@settings(max_examples=100)
@given(st.lists(_row, max_size=12), st.booleans())
def test_rows_as_tuples_give_the_csv_of_their_mappings(rows: list[dict[str, Any]], excel: bool) -> None:
    """``write_csv_cells`` (a row as its values in the keys' order) writes what ``write_csv``
    writes of the same rows as mappings."""
    parts: list[str] = []
    cells = [tuple(row.get(k) for k in KEYS) for row in rows]
    assert csvout.write_csv_cells(parts.append, cells, KEYS, excel=excel, encode=False) == len(rows)
    assert "".join(parts) == _written(rows, KEYS, excel)


def test_cells_to_quote_and_carriage_returns_are_written_as_csv_writer_writes_them() -> None:
    """The lines joined without ``csv.writer`` quote what it quotes (the delimiter, a double
    quote, a line feed) and nothing else; a batch with a carriage return is its own."""
    rows = [{"a": 'say "hi"', "b": "x,y", "c": "l1\nl2", "d": "a;b"}, {"a": "p", "b": 1, "c": None, "d": True}]
    for excel in (False, True):
        assert _written(rows, KEYS, excel) == _one_by_one(rows, KEYS, excel)
    assert _written(rows, KEYS, False).splitlines()[1] == '"say ""hi""","x,y","l1'
    with_cr = [*rows, {"a": "x\ry", "b": 2, "c": "", "d": ""}]
    assert _written(with_cr, KEYS, False) == _one_by_one(with_cr, KEYS, False)


def test_a_float_keeps_every_digit_it_was_written_with() -> None:
    # an indicator's figures (USD, tonnes) are floats of more than 6 digits: `:g` wrote
    # 1234567.25 as 1.23457e+06, a silently different number in a spreadsheet
    rows = [{"baseline": 1234567.25, "latest": 1200000.125, "pct": 45.3, "whole": 2500000.0}]
    assert csvout.to_csv(rows) == "baseline,latest,pct,whole\n1234567.25,1200000.125,45.3,2500000.0\n"
    cells: list[str] = []
    csvout.write_csv_cells(cells.append, [(1234567.25, 0.1)], ("a", "b"), encode=False)
    assert "".join(cells) == "a,b\n1234567.25,0.1\n"


def test_every_key_of_status_sections_and_export_has_a_spreadsheet_header() -> None:
    # --excel gives the headers in the interface language: a key without a label (kind,
    # section, section_title, result, waiting_for) stayed an English key among Russian headers
    from roadmap_cli.measure_list import MEASURE_KEYS

    status_keys = ("roadmap", "section", "section_title", "title", "measures", "done",
                   "in_progress", "not_started", "blocked", "cancelled", "overdue", "due_soon",
                   "progress_pct", "expected_pct", "health", "file", "kind")
    assert [k for k in (*status_keys, *MEASURE_KEYS) if k not in csvout.CSV_HEADERS] == []


def test_excel_writes_decimal_commas_and_keeps_ids_that_look_like_dates_as_text() -> None:
    rows = [{"a": "1.10", "b": 12.5, "c": ["2.4"], "d": "2026-12"},
            {"a": "7", "b": -0.25, "c": ["1.1", "1.2"], "d": "2026-12-31"},
            {"a": "01", "b": 3, "c": [], "d": "2026-Q4"}]
    assert _written(rows, KEYS, True).splitlines()[1:] == [
        '"=""1.10""";12,5;"=""2.4""";"=""2026-12"""',
        '7;-0,25;"1.1; 1.2";2026-12-31',
        '"=""01""";3;;2026-Q4',
    ]
    assert _written(rows, KEYS, False).splitlines()[1] == "1.10,12.5,2.4,2026-12"


def test_a_due_mapping_reads_as_written_and_other_mappings_stay_json() -> None:
    """A recurring or anchored due is written as in the file; any other mapping (a title in
    its languages, an evidence entry: diff's and history's old and new) stays JSON text, not
    Python's repr of its nested values."""
    assert csvout.csv_safe(csvout._csv_cell({"every": "quarter", "from": "2026-Q1", "grace": 15})) == (
        "{every: quarter, from: 2026-Q1, grace: 15}")
    assert csvout.csv_safe(csvout._csv_cell({"after": "entry-into-force", "within": "6m"})) == (
        "{after: entry-into-force, within: 6m}")
    assert csvout._csv_cell({"en": "A", "ru": "Б"}) == '{"en": "A", "ru": "Б"}'
    evidence = [{"title": {"en": "=HYPERLINK(\"x\")"}, "date": dt.date(2026, 2, 12), "url": None}]
    cell = csvout._csv_cell(evidence)
    assert cell == '{"title": {"en": "=HYPERLINK(\\"x\\")"}, "date": "2026-02-12", "url": null}'
    assert csvout.csv_safe(cell) == cell  # starts with "{": no formula
