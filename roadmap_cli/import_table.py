"""Pure: the tables of a signed document (plain text cells) -> the measures of a roadmap file.

No I/O: :mod:`roadmap_cli.docx_read` reads the .docx into :class:`~roadmap_cli.docx_read.Table`
values and :mod:`roadmap_cli.import_header` finds the table of measures and its columns; this
module tells section rows from measures, and reads each cell with
:mod:`roadmap_cli.deadline_phrases` and :mod:`roadmap_cli.agency_match`. Whatever it cannot read
becomes a ``TODO`` in the result and a located :class:`Message`
(``FILE.docx:table 1, row 7, column 3: ...``). :mod:`roadmap_cli.import_write` writes the YAML.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from roadmap_cli.agency_match import Index, Name, owners_and_co, read_cell
from roadmap_cli.deadline_phrases import TODO, Event, Reading, read_deadline
from roadmap_cli.docx_read import Cell, Table
from roadmap_cli.i18n import _
from roadmap_cli.import_header import Header, flat, role_of
from roadmap_cli.model import Agency
from roadmap_cli.rules import chain_text

_MEASURE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_SECTION_HEAD = re.compile(
    r"^(?:раздел|section|глава|chapter)?\s*(\d+|[IVXLC]+)\s*[.)]?\s+(.+)$", re.IGNORECASE | re.DOTALL
)
_TOP_NUMBER = re.compile(r"^(?:раздел|section)?\s*(\d+|[IVXLC]+)\s*[.)]?$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-•–—*·]\s*")
#: text written into the YAML, per --lang
NOTES = {
    "ru": {
        "due_todo": "TODO: срок не распознан; в подписанном тексте: «{text}»",
        "no_due": "TODO: в подписанной таблице срок не указан",
        "no_title": "TODO: в подписанной таблице нет наименования",
        "column": "{header}: {text}",
        "form": "Форма завершения: {text}",
        "doc_title": "TODO: наименование документа",
    },
    "en": {
        "due_todo": "TODO: deadline not understood; the signed text says: «{text}»",
        "no_due": "TODO: the signed table gives no deadline",
        "no_title": "TODO: the signed table gives no title",
        "column": "{header}: {text}",
        "form": "Form of completion: {text}",
        "doc_title": "TODO: title of the document",
    },
}


@dataclass(frozen=True)
class Message:
    """One finding about the signed table, located by table, row and column (1-based)."""

    table: int
    row: int | None
    column: int | None
    severity: str  # "error" | "warning" | "note"
    text: str

    def render(self, file: str) -> str:
        where = _("{file}:table {table}").format(file=file, table=self.table)
        if self.row is not None:
            where += _(", row {row}").format(row=self.row)
        if self.column is not None:
            where += _(", column {column}").format(column=self.column)
        text = "".join(c if c.isprintable() else "\ufffd" for c in self.text)  # no terminal control
        return "{where}: {severity}: {text}".format(where=where, severity=self.severity, text=text)


@dataclass
class ImportedMeasure:
    id: str
    row: int
    title: str
    due: Any
    due_text: str
    owners: list[str]
    co_executors: list[str]
    section: str | None = None
    result: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Imported:
    """What the table says, ready to write; ``messages`` tell what to review."""

    table: int
    rows: int
    title: str
    sections: list[tuple[str, str]]
    events: list[Event]
    measures: list[ImportedMeasure]
    messages: list[Message]
    years: list[int]
    parties: list[str]  # a guess: the most named head agency of each country
    signed: date | None = None  # found in the text ("Совершено ... 5 ноября 2025 года")
    place: str | None = None


# --- rows -----------------------------------------------------------------------------------


def _at(row: Mapping[int, Cell], column: int | None) -> Cell | None:
    """The cell that starts at grid ``column`` (a cell spanning from further left does not count)."""
    return None if column is None else row.get(column)


def _text(cell: Cell | None) -> str:
    return cell.text.strip() if cell is not None else ""


def one_line(text: str) -> str:
    """A cell's lines as one line: wrapped lines joined by a space, list items by "; "."""
    out = ""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        bullet = bool(_BULLET.match(line))
        line = _BULLET.sub("", line)
        if not out:
            out = line
        elif bullet and not out.endswith((":", ";")):
            out += "; " + line
        else:
            out += " " + line
    return " ".join(out.split())


def _is_column_numbers(row: Sequence[Cell]) -> bool:
    texts = [c.text.strip().rstrip(".") for c in row]
    return len(texts) > 1 and texts == [str(i + 1) for i in range(len(texts))]


@dataclass
class _State:
    table: Table
    header: Header
    index: Index
    lang: str
    messages: list[Message] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)
    events: dict[str, Event] = field(default_factory=dict)
    measures: list[ImportedMeasure] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    per_section: bool = False  # measures numbered 1, 2, ... anew in each section
    named: Counter[str] = field(default_factory=Counter)

    def say(self, row: int | None, column: int | None, severity: str, text: str) -> None:
        self.messages.append(Message(self.table.number, row, column, severity, text))

    def note(self, key: str, **values: str) -> str:
        return NOTES[self.lang][key].format(**values)


def read_table(
    table: Table,
    header: Header,
    agencies: Mapping[str, Agency],
    lang: str = "ru",
) -> Imported:
    """The sections, measures, events and messages of a table of measures."""
    st = _State(table, header, Index(agencies.values()), lang if lang in NOTES else "ru")
    header_cells = table.rows[header.row - 1]
    for role in ("owners", "number"):
        if role not in header.columns:
            st.say(header.row, None, "warning", _(
                "no responsible-agency column: every measure gets owners: [TODO]"
            ) if role == "owners" else _("no № column: measures are numbered in order"))
    header_texts = [flat(c.text) for c in header_cells]
    rows: list[tuple[int, dict[int, Cell], tuple[str | None, str] | None]] = []
    for r in range(header.row, len(table.rows)):
        row = table.rows[r]
        texts = [flat(c.text) for c in row]
        if not any(texts) or _is_column_numbers(row) or texts == header_texts:
            continue
        by_column = {c.column: c for c in row}  # one look-up per cell, however wide the row
        rows.append((r + 1, by_column, _section(st, row, by_column)))
    st.per_section = _numbered_per_section(rows, header.columns.get("number"))
    for number, by_column, section in rows:
        if section is not None:
            _add_section(st, number, section)
        else:
            _measure(st, by_column, number)
    if table.truncated:
        st.say(None, None, "error", _("the table has {n:,} more rows than the {limit:,} read").format(
            n=table.truncated, limit=len(table.rows)))
    _check_after(st)
    return Imported(
        table=table.number,
        rows=len(table.rows),
        title="",
        sections=st.sections,
        events=list(st.events.values()),
        measures=st.measures,
        messages=st.messages,
        years=sorted(set(st.years)),
        parties=_parties(st.named, agencies),
    )


def _section(st: _State, row: Sequence[Cell], by_column: Mapping[int, Cell]) -> tuple[str | None, str] | None:
    """(id or None, title) when the row is a section heading, else None."""
    cols = st.header.columns
    filled = [c for c in row if c.text.strip() and c.merged_from is None]
    if not filled:
        return None
    title_col, due_col = cols["title"], cols["due"]
    low, high = min(title_col, due_col), max(title_col, due_col)
    spanning = [c for c in filled if c.column <= low and c.column + c.span > high]
    if spanning or (len(row) == 1 and row[0].span > 1):
        cell = spanning[0] if spanning else row[0]
        text = one_line(cell.text)
        number_cell = _at(by_column, cols.get("number"))
        if number_cell is not None and number_cell is not cell and number_cell.text.strip():
            text = one_line(number_cell.text) + " " + text
        m = _SECTION_HEAD.match(text)
        return (m[1], one_line(m[2])) if m else (None, text)
    number = _text(_at(by_column, cols.get("number")))
    due = _text(_at(by_column, due_col))
    owners = _text(_at(by_column, cols.get("owners")))
    title = one_line(_text(_at(by_column, title_col)))
    if title and not due and not owners and _TOP_NUMBER.match(number):
        m = _TOP_NUMBER.match(number)
        assert m is not None
        return m[1], title
    return None


def _add_section(st: _State, row: int, section: tuple[str | None, str]) -> None:
    sid, title = section
    if sid is None or sid in {s for s, _ in st.sections}:
        wanted = sid
        sid = str(len(st.sections) + 1)
        while sid in {s for s, _ in st.sections}:
            sid += "-2"
        if wanted is not None:
            st.say(row, None, "warning", _("section {wanted} is numbered twice: this one is given id {sid}").format(
                wanted=wanted, sid=sid))
    st.sections.append((sid, title))


def _measure(st: _State, row: Mapping[int, Cell], number: int) -> None:
    cols = st.header.columns
    section = st.sections[-1][0] if st.sections else None
    mid = _measure_id(st, _text(_at(row, cols.get("number"))), section, number, cols.get("number"))
    title = one_line(_text(_at(row, cols["title"])))
    m = ImportedMeasure(mid, number, title, TODO, "", [], [], section)
    if not title:
        m.title = st.note("no_title")
        st.say(number, cols["title"], "warning", _("measure {id}: no title: left as TODO").format(id=mid))
    _due(st, m, _at(row, cols["due"]), cols["due"])
    _agencies(st, m, row)
    results = [one_line(_text(_at(row, cols.get("result"))))]
    for column, header in st.header.extra.items():
        text = one_line(_text(_at(row, column)))
        if not text:
            continue
        if role_of(header) == "result" and not results[0]:
            results[0] = text
        elif role_of(header) == "result":
            m.notes.append(st.note("form", text=text))
        else:
            m.notes.append(st.note("column", header=header, text=text))
    m.result = results[0] or None
    notes_text = one_line(_text(_at(row, cols.get("notes"))))
    if notes_text:
        m.notes.append(notes_text)
    st.measures.append(m)


def _numbered_per_section(rows: list[tuple[int, dict[int, Cell], Any]], column: int | None) -> bool:
    """Whether measures are numbered 1, 2, ... anew in each section (a whole number seen under
    two sections): then every such number is given its section's number in front ("2.1")."""
    seen: dict[str, int] = {}
    section_index = 0
    for _row, by_column, section in rows:
        if section is not None:
            section_index += 1
            continue
        text = _text(_at(by_column, column)).rstrip(".").strip()
        if text.isdigit() and section_index and seen.setdefault(text, section_index) != section_index:
            return True
    return False


def _measure_id(st: _State, written: str, section: str | None, row: int, column: int | None) -> str:
    text = written.strip().rstrip(".").strip()
    mid = text if _MEASURE_ID.fullmatch(text) else ""
    if mid.isdigit() and section is not None and st.per_section:
        mid = "{section}.{n}".format(section=section, n=mid)  # numbered anew in each section
    if not mid:
        k = sum(1 for m in st.measures if m.section == section) + 1
        mid = "{section}.{k}".format(section=section, k=k) if section else str(len(st.measures) + 1)
        message = _(
            "no number in the № column (Word's automatic numbering is not text): given id {id}; "
            "check it against the document"
        ) if not text else _("«{text}» cannot be an id: given id {id}")
        st.say(row, column, "warning", message.format(text=text, id=mid))
    base, k = mid, 2
    while mid in st.ids:
        mid = "{base}-{k}".format(base=base, k=k)
        k += 1
    if mid != base:
        st.say(row, column, "warning", _("measure number {base} is used twice: this one is given id {id}").format(
            base=base, id=mid))
    st.ids.add(mid)
    return mid


def _due(st: _State, m: ImportedMeasure, cell: Cell | None, column: int) -> None:
    text = " ".join(_text(cell).split())
    m.due_text = text
    reading: Reading = read_deadline(text)
    st.years.extend(reading.years)
    if not text:
        m.notes.append(st.note("no_due"))
        st.say(m.row, column, "warning", _("measure {id}: no deadline: due left as TODO").format(id=m.id))
        return
    if not reading.understood:
        m.notes.append(st.note("due_todo", text=text))
        st.say(m.row, column, "warning", _(
            "measure {id}: deadline «{text}» not understood: kept in notes, due left as TODO "
            "(docs/import.md lists the phrases read)"
        ).format(id=m.id, text=text))
        return
    due = reading.due
    if reading.event is not None:
        event = _event(st, reading.event)
        due = {**due, "after": event.id}
    m.due = due
    if reading.note:
        st.say(m.row, column, "note", _("measure {id}: {note}").format(id=m.id, note=reading.note))


def _event(st: _State, event: Event) -> Event:
    """The document's event with this title (one id per distinct title)."""
    for known in st.events.values():
        if known.title.casefold() == event.title.casefold():
            return known
    eid, k = event.id, 2
    while eid in st.events:
        eid = "{base}-{k}".format(base=event.id, k=k)
        k += 1
    st.events[eid] = Event(eid, event.title)
    return st.events[eid]


_OWN_DOCUMENT = re.compile(r"дорожн\w* карт|настоящ|roadmap|this", re.IGNORECASE)


def own_signing(event: Event) -> bool:
    """An event that is the signing of this very document ("после подписания Дорожной карты"):
    its date is the signing date."""
    return event.id.startswith("signing") and bool(_OWN_DOCUMENT.search(event.title))


def _check_after(st: _State) -> None:
    """A due after a measure that the table does not have becomes TODO."""
    for m in st.measures:
        after = m.due.get("after") if isinstance(m.due, dict) else None
        if after is not None and after not in st.events and (after not in st.ids or after == m.id):
            st.say(m.row, st.header.columns["due"], "warning", _(
                "measure {id}: the deadline follows measure {after}, which the table does not "
                "have: due left as TODO"
            ).format(id=m.id, after=after))
            m.notes.append(st.note("due_todo", text=m.due_text))
            m.due = TODO
    follows = {m.id: m.due["after"] for m in st.measures if isinstance(m.due, dict) and m.due.get("after") in st.ids}
    by_id = {m.id: m for m in st.measures}
    walked: set[str] = set()  # each row is walked once (a chain of 10,000 rows, from each: 10^8)
    for start in list(follows):
        seen: dict[str, int] = {}  # the walk's rows and their places in it
        at: str | None = start
        while at is not None and at in follows and at not in seen and at not in walked:
            seen[at] = len(seen)
            at = follows.get(at)
        walked.update(seen)
        if at is None or at not in seen:
            continue
        loop = list(seen)[seen[at]:]
        shown = chain_text([*loop, loop[0]])
        for mid in loop:  # each deadline waits for the next: none can ever be known
            m = by_id[mid]
            st.say(m.row, st.header.columns["due"], "warning", _(
                "measure {id}: the deadlines of measures {loop} follow each other in a circle: "
                "due left as TODO"
            ).format(id=mid, loop=shown))
            m.notes.append(st.note("due_todo", text=m.due_text))
            m.due = TODO
            follows.pop(mid, None)


def _agencies(st: _State, m: ImportedMeasure, row: Mapping[int, Cell]) -> None:
    cols = st.header.columns
    owners_col, co_col = cols.get("owners"), cols.get("co_executors")
    names = read_cell(_text(_at(row, owners_col)), st.index) if owners_col else []
    co_names = read_cell(_text(_at(row, co_col)), st.index) if co_col else []
    owners, co = owners_and_co(names, co_names)
    for name in (*owners, *co):
        column = owners_col if name in names else co_col
        if name.agency is None:
            st.say(m.row, column, "warning", _unmatched(m.id, name))
        else:
            st.named[name.agency] += 1
    m.owners = _ids(owners) or [TODO]
    m.co_executors = [a for a in _ids(co) if a not in m.owners]
    if not owners and owners_col:
        st.say(m.row, owners_col, "warning", _("measure {id}: no responsible agency: owners left as TODO").format(id=m.id))


def _ids(names: Sequence[Name]) -> list[str]:
    out: list[str] = []
    for n in names:
        value = n.agency or "TODO: {name}".format(name=n.text)
        if value not in out:
            out.append(value)
    return out


def _unmatched(mid: str, name: Name) -> str:
    if name.ambiguous:
        return _("measure {id}: «{name}» names more than one agency ({ids}): left as TODO").format(
            id=mid, name=name.text, ids=", ".join(name.ambiguous))
    near = _("; closest: {ids}").format(ids=", ".join(name.suggestions)) if name.suggestions else ""
    return _(
        "measure {id}: «{name}» is no agency of agencies.yaml (add it, or an alias): left as TODO{near}"
    ).format(id=mid, name=name.text, near=near)


def _parties(named: Counter[str], agencies: Mapping[str, Agency]) -> list[str]:
    """The most named head agency (no parent) of each country, countries in order of first mention.

    An agency counts for its head (an enterprise for its ministry, a department for its akimat).
    """
    heads: Counter[str] = Counter()
    for aid, n in named.items():  # a Counter keeps the order of first mention
        a = agencies.get(aid)
        seen = {aid}
        while a is not None and a.parent and a.parent in agencies and a.parent not in seen:
            seen.add(a.parent)
            a = agencies[a.parent]
        if a is not None:
            heads[a.id] += n
    best: dict[str, str] = {}
    for aid, n in heads.items():
        country = agencies[aid].country
        if country not in best or n > heads[best[country]]:
            best[country] = aid
    return list(best.values())


#: the signature clause begins its paragraph ("Совершено в г. Астана 5 ноября 2025 года ...");
#: "Соглашение ... подписано 12 июня 2024 года" (a note on another document) is no such clause
_SIGNED = re.compile(
    r"^[\s\"'«*]*(?:совершено|подписано|signed|done)\b(?P<rest>.{0,80}?)"
    r"«?(?P<day>\d{1,2})»?\s+(?P<month>[а-яa-z]+)\s+(?P<year>\d{4})",
    re.IGNORECASE | re.DOTALL,
)
_PLACE = re.compile(r"\b(?:г\.|at|in)\s*(?P<place>[A-ZА-ЯЁ][\w-]+)")


def document_facts(table: Table) -> tuple[str, date | None, str | None]:
    """The document's title (the paragraphs just above the table), and the date and place of a
    signature clause ("Совершено в г. Астана 5 ноября 2025 года ...") after or above it."""
    from roadmap_cli.deadline_phrases import read_deadline as read

    lines = [one_line(p) for p in table.before if one_line(p)]
    title = " ".join(lines[-4:])
    signed: date | None = None
    place: str | None = None
    for text in (*table.after, *table.before):
        m = _SIGNED.match(" ".join(text.split()))
        if m is None:
            continue
        reading = read("{day} {month} {year}".format(day=m["day"], month=m["month"], year=m["year"]))
        if reading.kind == "date":
            signed = date.fromisoformat(reading.due)
            pm = _PLACE.search(m["rest"])
            place = pm["place"] if pm else None
            break
    return title, signed, place
