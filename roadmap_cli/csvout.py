"""Rows as CSV (``--format csv``, ``export --format csv``): the contract's English keys as
headers, ISO dates, dot decimals, ``,``; ``--excel``: a byte order mark, ``;``, the headers in
the interface language, decimal commas, and ids a spreadsheet would take for dates kept as text
(:func:`_for_a_spreadsheet`). A cell that a spreadsheet would run as a formula is neutralised
(:func:`csv_safe`), control characters from the files are removed (CSV is read in terminals
too: docs/security.md) and a file name's undecodable bytes are shown as ``\\xNN``
(:func:`roadmap_cli.textsafe.file_name`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from itertools import islice, repeat
from operator import itemgetter
from typing import Any

from roadmap_cli import i18n
from roadmap_cli.i18n import _
from roadmap_cli.textsafe import file_name, has_controls, is_file_name, terminal


def to_csv(rows: Sequence[Mapping[str, Any]], *, excel: bool = False) -> str:
    """Rows as CSV: the contract's English keys as headers, ISO dates, dot decimals, ``,``.

    ``excel``: for a person opening the file in a spreadsheet: UTF-8 with a byte order mark,
    ``;`` between cells (what a spreadsheet in a Russian locale expects) and the headers in the
    interface language. Either way a cell that a spreadsheet would run as a formula is
    neutralised (:func:`csv_safe`).
    """
    if not rows:
        return "\ufeff" if excel else ""
    keys: list[str] = []
    for row in rows:
        for k in row:
            if k not in keys:
                keys.append(k)
    parts: list[str] = []
    write_csv(parts.append, rows, keys, excel=excel, encode=False)
    return "".join(parts)


def write_csv(
    write: Callable[[Any], object],
    rows: Iterable[Mapping[str, Any]],
    keys: Sequence[str],
    *,
    excel: bool = False,
    encode: bool = True,
) -> int:
    """:func:`to_csv` of ``rows`` with the columns ``keys``, handed to ``write`` as it is made
    (UTF-8 bytes, or text with ``encode=False``) :data:`BATCH` rows at a time; the number of
    rows. No rows: no header (the byte order mark alone with ``excel``). A row without one of
    the keys has None there. :func:`write_csv_cells` for rows as tuples."""
    return _write(write, map(_cells_of(keys), _batches(rows)), keys, excel, encode)


def write_csv_cells(
    write: Callable[[Any], object],
    rows: Iterable[Sequence[Any]],
    keys: Sequence[str],
    *,
    excel: bool = False,
    encode: bool = True,
) -> int:
    """:func:`write_csv` of rows given as their values in the order of ``keys`` (a tuple a row:
    what a writer of ten thousand rows makes faster than a dictionary, e.g.
    :func:`roadmap_cli.measure_list.iter_measure_cells`)."""
    return _write(write, _batches(rows), keys, excel, encode)


def _write(
    write: Callable[[Any], object],
    batches: Iterable[Sequence[Sequence[Any]]],
    keys: Sequence[str],
    excel: bool,
    encode: bool,
) -> int:
    """Each cell is ``csv_safe(_csv_cell(value))``, worked out a batch's column at a time
    (:func:`_column_texts`); the batch's lines are joined as ``csv.writer`` writes them
    (:func:`_joined_lines`), or written by it when that cannot be told at C speed."""
    import csv

    delimiter = ";" if excel else ","
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", delimiter=delimiter)

    def flush() -> None:
        text = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        write(text.encode("utf-8") if encode else text)

    if excel:
        buf.write("\ufeff")
    width = len(keys)
    count = 0
    for batch in batches:
        if excel:
            batch = [tuple(map(_for_a_spreadsheet, row)) for row in batch]
        if not count:
            writer.writerow([csv_header(k) for k in keys] if excel else keys)
        if not width:
            writer.writerows([()] * len(batch))
        else:
            columns = list(map(_column_texts, zip(*batch, strict=True)))
            lines = _joined_lines(columns, delimiter) if width > 1 else None
            if lines is None:
                writer.writerows(zip(*columns, strict=True))
            else:
                buf.write(lines)
        count += len(batch)
        flush()
    if buf.tell():
        flush()
    return count


#: the rows of CSV made and written at a time
BATCH = 512


def _batches(rows: Iterable[Any]) -> Iterator[list[Any]]:
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield batch


def _cells_of(keys: Sequence[str]) -> Callable[[Sequence[Mapping[str, Any]]], list[tuple[Any, ...]]]:
    """A batch of rows -> their values of ``keys`` as tuples (a missing key as None)."""
    if not keys:
        return lambda batch: [()] * len(batch)
    get = itemgetter(*keys)

    def cells(batch: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        try:
            return list(map(get, batch)) if len(keys) > 1 else [(r[keys[0]],) for r in batch]
        except KeyError:  # a row without one of the keys
            return [tuple(map(row.get, keys)) for row in batch]

    return cells


def _joined_lines(columns: Sequence[Sequence[str]], delimiter: str) -> str | None:
    """The lines ``csv.writer`` (``QUOTE_MINIMAL``) writes for rows of these text columns,
    joined at C speed (``csv.writer`` spends as long again on each field): a field holding the
    delimiter, a double quote or a line feed in double quotes, its double quotes doubled, any
    other as it is. None when a cell holds a carriage return (whether ``csv.writer`` quotes it
    with ``\\n`` lines depends on Python's version: it writes those rows). A row of one empty
    field it writes as ``""``: rows of one column are left to it too (never given here)."""
    texts = []
    for column in columns:
        joined = "".join(column)
        if "\r" in joined:
            return None
        if delimiter in joined or '"' in joined or "\n" in joined:
            column = [
                '"' + v.replace('"', '""') + '"' if delimiter in v or '"' in v or "\n" in v else v
                for v in column
            ]
        texts.append(column)
    return "\n".join(map(delimiter.join, zip(*texts, strict=True))) + "\n"


#: the types of the cells :func:`_column_texts` writes with ``str()`` (None as nothing), none
#: of them a formula's start
_AS_IS: frozenset[type] = frozenset({type(None), int, bool})
_INT: frozenset[type] = frozenset({int})
_STR: frozenset[type] = frozenset({str})
_TEXT: frozenset[type] = frozenset({type(None), str})
_LIST: frozenset[type] = frozenset({list})


def _column_texts(column: Sequence[Any]) -> Sequence[str]:
    """One column of a batch as the text of its cells (``csv_safe(_csv_cell(value))``), told of
    the whole column at once where no value needs more than ``str()``: whole numbers, booleans,
    None, text that is neither a formula's start nor holds an undecodable byte."""
    kinds: AbstractSet[type] = set(map(type, column))
    if kinds <= _AS_IS:
        if kinds == _INT:
            return list(map(str, column))
        return ["" if v is None else str(v) for v in column]
    if kinds == _LIST:  # ids: "a; b" (TypeError: an item is not text)
        try:
            column = list(map("; ".join, column))
        except TypeError:
            return list(map(_cell, column))
        kinds = _STR
    if kinds <= _TEXT:
        texts = column if kinds == _STR else [v or "" for v in column]
        joined = "".join(texts)
        if is_file_name(joined) and not has_controls(joined) and not any(
            map(str.startswith, texts, repeat(_FORMULA_START))
        ):
            return texts
    return list(map(_cell, column))


class _Verbatim(str):
    """A cell's text made here for a spreadsheet (``="1.10"``): written as it is."""

    __slots__ = ()


#: text a spreadsheet in a Russian locale turns into a date or a number it is not: a measure id
#: (1.10 becomes 1 October; 01 becomes 1), a month as written (2026-12); not a whole number
#: without a leading zero (a number it is) nor an ISO date (a date it is)
_NOT_A_NUMBER = re.compile(r"(?=.*[.,/:\-]|0\d)[\d.,/: \-]+")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _for_a_spreadsheet(value: Any) -> Any:
    """A cell of ``--excel``, for a spreadsheet that reads ``;`` between cells (one in a
    Russian locale, as every locale with that separator, takes ``,`` for the decimal mark): a
    fraction with a decimal comma (``41,4``: with a dot it was text, and ``12.5`` became
    12 May), and text made of digits that it would read as a date or a number (a measure id
    ``2.10``, ``01``, a due ``2026-12``) as a text formula, ``="2.10"``."""
    kind = type(value)
    if kind is float:
        return _Verbatim(_float_text(value).replace(".", ","))
    if kind is list and len(value) == 1 and type(value[0]) is str:  # one id: depends_on [1.1]
        value, kind = value[0], str
    if kind is str and _NOT_A_NUMBER.fullmatch(value) and not _ISO_DAY.fullmatch(value):
        return _Verbatim('="' + value + '"')
    return value


def _cell(value: Any) -> str:
    """``csv_safe(_csv_cell(value))``, the common kinds inline."""
    kind = type(value)
    if kind is _Verbatim:
        return str(value)
    if kind is str:
        text: str = value if value.isascii() else file_name(value)
    elif value is None:
        return ""
    elif kind is int:
        return str(value)  # digits, or a minus and digits: never a formula
    elif kind is float:
        text = _float_text(value)
    elif kind is list and all(type(x) is str for x in value):  # ids: "a; b"
        text = "; ".join(value)
        if not text.isascii():
            text = file_name(text)  # (character by character: the same as item by item)
    else:
        return csv_safe(_csv_cell(value))
    if has_controls(text):
        text = terminal(text)
    if text[:1] in _FORMULA_SET and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


#: the CSV keys of every command, as a person reads them (``--excel`` headers)
CSV_HEADERS = {
    "roadmap": i18n.N_("Document"),
    "title": i18n.N_("Title"),
    "measure": i18n.N_("Measure"),
    "measures": i18n.N_("Measures"),
    "done": i18n.N_("Done"),
    "in_progress": i18n.N_("In progress"),
    "not_started": i18n.N_("Not started"),
    "blocked": i18n.N_("Blocked"),
    "cancelled": i18n.N_("Cancelled"),
    "overdue": i18n.N_("Overdue"),
    "due_soon": i18n.N_("Due soon"),
    "progress_pct": i18n.N_("Progress, %"),
    "expected_pct": i18n.N_("Plan, %"),
    "health": i18n.N_("Health"),
    "agency": i18n.N_("Agency"),
    "name": i18n.N_("Name"),
    "country": i18n.N_("Country"),
    "lead": i18n.N_("Lead"),
    "co_executor": i18n.N_("Co-executor"),
    "period": i18n.N_("Period"),
    "deadline": i18n.N_("Deadline"),
    "days_overdue": i18n.N_("Days overdue"),
    "days_left": i18n.N_("Days left"),
    "status": i18n.N_("Status"),
    "owners": i18n.N_("Owners"),
    "co_executors": i18n.N_("Co-executors"),
    "unit": i18n.N_("Unit"),
    "baseline": i18n.N_("Baseline"),
    "target": i18n.N_("Target"),
    "latest": i18n.N_("Latest"),
    "latest_date": i18n.N_("Latest as of"),
    "pct_of_target": i18n.N_("To target, %"),
    "trend": i18n.N_("Trend"),
    "improving": i18n.N_("Improving"),
    "due": i18n.N_("Due as written"),
    "due_kind": i18n.N_("Kind of due"),
    "next_deadline": i18n.N_("Next deadline"),
    "status_written": i18n.N_("Status as written"),
    "progress": i18n.N_("Progress as written, %"),
    "weight": i18n.N_("Weight"),
    "completed": i18n.N_("Completed"),
    "done_late": i18n.N_("Done late"),
    "fraction_pct": i18n.N_("Measure progress, %"),
    "reason": i18n.N_("Reason"),
    "depends_on": i18n.N_("Depends on"),
    "indicators": i18n.N_("Indicators"),
    "roadmap_title": i18n.N_("Document title"),
    "file": i18n.N_("File"),
    "indicator": i18n.N_("Indicator id"),
    "previous": i18n.N_("Previous"),
    "previous_date": i18n.N_("Previous as of"),
    "actuals": i18n.N_("Actuals"),
    "measure_title": i18n.N_("Measure title"),
    "signed_deadline": i18n.N_("Deadline as signed"),
    "rescheduled_by": i18n.N_("Rescheduled by"),
    "kind": i18n.N_("Kind"),
    "section": i18n.N_("Section"),
    "section_title": i18n.N_("Section title"),
    "result": i18n.N_("Result"),
    "waiting_for": i18n.N_("Waiting for"),
}


def csv_header(key: str) -> str:
    """A CSV key in the interface language (a key without a label stays as it is)."""
    label = CSV_HEADERS.get(key)
    return _(label) if label else key


#: what a spreadsheet reads as the start of a formula (or strips before one)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: one starting with ``=``, ``+``, ``-``, ``@``, a tab
    or a carriage return gets a leading apostrophe (OWASP's advice) -- but a plain negative
    number stays a number. Control characters are removed first (:func:`terminal`)."""
    if has_controls(text):
        text = terminal(text)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_FORMULA_SET = frozenset(_FORMULA_START)


def _float_text(value: float) -> str:
    """A float as the shortest text that reads back as it (``repr``), a whole one with ``.0``:
    every digit an indicator's figure was written with (``1234567.25``, not ``1.23457e+06``)."""
    return repr(value) if not value.is_integer() else f"{value:.1f}"


def _csv_cell(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return file_name(value)
    if kind is int or kind is bool:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_csv_cell(v) for v in value)
    if isinstance(value, Mapping):
        # a recurring or anchored due: as written, as export's CSV has it
        from roadmap_cli.periods import DUE_MAPPING_KEYS

        if DUE_MAPPING_KEYS.issuperset(value) and all(type(v) in (str, int) for v in value.values()):
            from roadmap_cli.measure_list import due_text

            return file_name(due_text(value))
        import json  # any other (a title, an evidence entry: diff's old and new): JSON text

        from roadmap_cli.render import to_jsonable

        return json.dumps(to_jsonable(value), ensure_ascii=False)
    if isinstance(value, float):
        return _float_text(value)
    from roadmap_cli.render import to_jsonable

    return str(to_jsonable(value))
