"""The table drawer draws, off a terminal, byte for byte what rich's ``Table`` drew before it
(``tests/richtable.py`` keeps that old path as the reference): random tables of random widths,
justification and wrapping, over words in Latin, Cyrillic and CJK, long words, explicit line
breaks, tabs, no-break spaces and control characters; and whole ``print_table`` calls with
random columns of every kind. On a terminal it keeps the cells' styles."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
import richtable
from hypothesis import example, given, settings
from hypothesis import strategies as st

from roadmap_cli import i18n, render, tableconsole, tabledraw
from roadmap_cli.render import Column

_LETTERS = "abcxyzABC0123456789АБВабвгдеёжщыэюяЖЩ漢字表格進捗遅延中文"
_ODD = ["\u00a0", "\t", "\x1b", "\u200b", "e\u0301", "👍", "/", "-", ".", "%", "  ", "\u3000"]

_word = st.one_of(
    st.text(alphabet=_LETTERS, min_size=1, max_size=12),
    st.text(alphabet=_LETTERS, min_size=20, max_size=45),  # wider than most columns
    st.sampled_from(_ODD),
)


@st.composite
def _text(draw: st.DrawFn, min_words: int = 0) -> str:
    words = draw(st.lists(_word, min_size=min_words, max_size=10))
    out = ""
    for word in words:
        out += word + draw(st.sampled_from([" ", " ", " ", "  ", "\n", ""]))
    return out


@st.composite
def grids(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 5))
    return {
        "headers": [draw(_text(min_words=1)) for _i in range(n)],
        "widths": [draw(st.integers(1, 30)) for _i in range(n)],
        "justify": [draw(st.sampled_from(["left", "right", "center"])) for _i in range(n)],
        "wrap": [draw(st.booleans()) for _i in range(n)],
        "rows": draw(st.lists(st.lists(_text(), min_size=n, max_size=n), min_size=1, max_size=6)),
        "leading": draw(st.booleans()),
        "encoding": draw(st.sampled_from(["utf-8", "utf-8", "ascii"])),
    }


@pytest.mark.fuzz
@settings(max_examples=300, deadline=None)
@given(grids())
def test_the_drawer_draws_what_rich_table_drew(g: dict[str, Any]) -> None:
    expected = richtable.draw(
        richtable.grid_table(
            g["headers"], g["rows"], g["widths"], g["justify"], g["wrap"], leading=g["leading"]
        ),
        80,
        g["encoding"],
    )
    out = io.StringIO()
    sink = tabledraw.PlainSink(out, 80)
    grid = tabledraw.Grid(
        g["widths"], g["justify"], g["wrap"], leading=g["leading"], ascii_box=g["encoding"] == "ascii"
    )
    sink.table(grid, g["headers"], _body(grid, g["rows"]))
    sink.close()
    assert out.getvalue() == expected


def _body(grid: tabledraw.Grid, rows: list[list[str]], chunk: int = 256) -> Any:
    """The body of a table of these rows of cells, none of them measured before."""
    columns = [([row[i] for row in rows], [-1] * len(rows)) for i in range(len(grid.widths))]
    return tabledraw.body_lines(grid, len(rows), columns, chunk)


@pytest.mark.fuzz
@settings(max_examples=200, deadline=None)
@given(st.lists(_text(min_words=1), min_size=1, max_size=3), st.integers(1, 60))
def test_paragraphs_wrap_as_rich_printed_them(texts: list[str], width: int) -> None:
    from rich.text import Text

    from roadmap_cli import table

    old = io.StringIO()
    console = table.table_console(old, 20)
    console.width = width
    for text in texts:
        console.print(Text(text, style="bold"))
    new = io.StringIO()
    sink = tabledraw.PlainSink(new, width)
    for text in texts:
        sink.paragraph(text, "bold")
    sink.close()
    assert new.getvalue() == old.getvalue()


_KINDS = ["text", "int", "pct", "date", "list", "lines", "bar", "progress"]


def _value(draw: st.DrawFn, kind: str) -> Any:
    if kind == "int":
        return draw(st.integers(-5, 10**7))
    if kind == "pct":
        return draw(st.one_of(st.none(), st.floats(0, 100)))
    if kind == "date":
        return draw(st.dates(date(2020, 1, 1), date(2035, 12, 31)))
    if kind == "list":
        return draw(st.lists(st.text(alphabet=_LETTERS, min_size=1, max_size=8), max_size=4))
    if kind == "lines":
        ids = st.from_regex(r"[a-z]{2,14}(-[a-z0-9]{1,8}){0,3}/[A-Z0-9.]{1,6}", fullmatch=True)
        parts = st.one_of(_text(), ids)
        styles = st.sampled_from(["", "dim", "bold", "red"])
        return draw(st.lists(st.tuples(parts, styles), max_size=4))
    if kind == "bar":
        pct = st.floats(0, 100)
        return draw(st.one_of(st.none(), st.tuples(st.one_of(st.none(), pct), st.one_of(st.none(), pct))))
    if kind == "progress":
        pct = st.floats(0, 100)
        health = st.sampled_from(["", "behind", "on track", "overdue", "complete", "n/a"])
        return (draw(st.one_of(st.none(), pct)), draw(st.one_of(st.none(), pct)), draw(health))
    return draw(_text())


@st.composite
def tables(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 6))
    columns = []
    for i in range(n):
        kind = draw(st.sampled_from(_KINDS))
        columns.append(Column(
            f"k{i}",
            draw(st.sampled_from(["Title", "Days late", "Document", "Progress / plan", "Ответственный орган",
                                  "Срок\nисполнения", "進捗", "Measure"])),
            justify=draw(st.sampled_from(["left", "right", "center"])),
            kind=kind,
            min_width=draw(st.one_of(st.none(), st.integers(1, 30))),
            max_width=draw(st.one_of(st.none(), st.integers(1, 40))),
            no_wrap=draw(st.booleans()),
            ratio=draw(st.one_of(st.none(), st.integers(1, 3))),
            style=(lambda row: "bold red") if draw(st.booleans()) else None,
            drop=draw(st.one_of(st.none(), st.integers(1, 6))),
        ))
    rows = [
        {c.key: _value(draw, c.kind) for c in columns}
        for _r in range(draw(st.integers(0, 5)))
    ]
    return {
        "rows": rows,
        "columns": columns,
        "width": draw(st.integers(20, 160)),
        "title": draw(st.one_of(st.none(), _text(min_words=1))),
        "footer": draw(st.one_of(st.none(), _text(min_words=1))),
        "lang": draw(st.sampled_from(["en", "ru"])),
    }


@pytest.mark.fuzz
@settings(max_examples=250, deadline=None)
@given(tables())
def test_print_table_draws_what_it_drew_with_rich(t: dict[str, Any]) -> None:
    i18n.activate(t["lang"])  # conftest.py activates English again after the test
    expected = richtable.print_table(
        t["rows"], t["columns"], title=t["title"], footer=t["footer"], width=t["width"]
    )
    out = io.StringIO()
    render.print_table(
        t["rows"], t["columns"], out=out, title=t["title"], footer=t["footer"], width=t["width"]
    )
    assert out.getvalue() == expected
    # as for a terminal: the same lines under the colour codes
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NO_COLOR", raising=False)
        mp.setenv("FORCE_COLOR", "1")
        coloured = io.StringIO()
        render.print_table(
            t["rows"], t["columns"], out=coloured, title=t["title"], footer=t["footer"],
            width=t["width"],
        )
    assert _screen(coloured.getvalue()) == expected


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _screen(coloured: str) -> str:
    """Coloured output as plain lines: colour codes and trailing spaces removed."""
    return "\n".join(line.rstrip(" ") for line in _ANSI.sub("", coloured).split("\n"))


def test_on_a_terminal_the_cells_keep_their_styles(monkeypatch: pytest.MonkeyPatch) -> None:
    """FORCE_COLOR draws as for a terminal: the same text once the colour codes are removed
    (with trailing spaces), the header bold, bars and health words in colour."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    columns = [
        Column("title", "Title", kind="text", style=lambda row: "bold red"),
        Column("bar", "Progress / plan", kind="bar"),
        Column("progress", "Progress", kind="progress"),
    ]
    rows = [{"title": "Трансграничная торговля и логистика", "bar": (40.0, 70.0),
             "progress": (40.0, 70.0, "behind")}]
    out = io.StringIO()
    render.print_table(rows, columns, out=out, width=60)
    coloured = out.getvalue()
    assert "\x1b[1m" in coloured  # the header
    assert "\x1b[1;31m" in coloured  # the title's style
    assert "\x1b[33m" in coloured  # "behind" in yellow, and the bar filled in it
    plain = _screen(coloured)
    monkeypatch.delenv("FORCE_COLOR")
    expected = io.StringIO()
    render.print_table(rows, columns, out=expected, width=60)
    assert plain == expected.getvalue()


def test_control_characters_never_reach_the_output() -> None:
    columns = [Column("title", "Title"), Column("n", "N", justify="right", kind="int")]
    rows = [{"title": "evil \x1b]0;owned\x07 title \x1b[31mred", "n": 3}]
    out = io.StringIO()
    render.print_table(rows, columns, out=out, width=40)
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()
    assert out.getvalue() == richtable.print_table(rows, columns, width=40)


def test_a_big_table_is_written_as_it_is_drawn() -> None:
    """Rows are drawn one at a time and written in blocks: the stream sees writes before the
    last row is drawn."""
    writes: list[int] = []

    class Counting(io.StringIO):
        def write(self, s: str) -> int:
            writes.append(s.count("\n"))
            return super().write(s)

    columns = [Column("id", "Id", no_wrap=True), Column("n", "N", justify="right", kind="int")]
    rows = [{"id": f"doc-{i}", "n": i} for i in range(3000)]
    out = Counting()
    render.print_table(rows, columns, out=out, width=80)
    assert len(writes) >= 3 and max(writes) <= 1100
    assert out.getvalue() == richtable.print_table(rows, columns, width=80)


def test_a_reader_that_goes_away_ends_the_table_quietly() -> None:
    """`roadmap overdue | head`: the broken pipe reaches the CLI's top level (exit 0) as it
    does from rich's console, not click's EPIPE handling (exit 1)."""
    import errno

    class Gone(io.StringIO):
        def write(self, s: str) -> int:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    columns = [Column("id", "Id", no_wrap=True)]
    with pytest.raises(BrokenPipeError) as caught:
        render.print_table([{"id": f"doc-{i}"} for i in range(3000)], columns, out=Gone(), width=80)
    assert caught.value.errno is None


def test_the_characters_counted_as_one_cell_are_one_cell_in_rich() -> None:
    """cellwidth measures a text of these characters by its length: rich must agree on each."""
    from rich.cells import cell_len

    from roadmap_cli.cellwidth import single_cell_characters

    ones = single_cell_characters()
    assert "Ж" in ones and "a" in ones and "漢" not in ones
    assert "\u0483" not in ones  # a Cyrillic combining mark: no cell
    assert {"↑", "→", "─", "█", "░", "┊", "≤"} <= ones  # what the tables draw with
    assert [c for c in ones if cell_len(c) != 1] == []


def test_a_single_cell_text_is_one_of_these_characters_throughout() -> None:
    """``single`` (a regular expression) tells exactly the characters of
    single_cell_characters() (a set), for every code point, and a text by all of its
    characters."""
    from roadmap_cli.cellwidth import single, single_cell_characters

    ones = single_cell_characters()
    assert [hex(c) for c in range(0x110000) if single(chr(c)) != (chr(c) in ones)] == []
    assert single("") and single("Дорожная карта 2026–2028 («Astana», № 5, 10 ₸)")
    assert not single("Карта\x1b[31m") and not single("Ж\u0483") and not single("a漢") and not single("a\u200bb")


@given(_text())
def test_cell_widths_are_riches(text: str) -> None:
    from rich.cells import cell_len

    from roadmap_cli import cellwidth

    for part in (text, *text.split()):
        assert cellwidth.cell_len(part) == cell_len(part)


@given(_text(), st.integers(1, 40), st.sampled_from(["left", "right", "center", "default"]),
       st.booleans())
def test_a_cell_of_one_line_is_cut_as_pieces_cuts_it(text: str, width: int, justify: str,
                                                      wrap: bool) -> None:
    """tabledraw.one_line, the short way for a cell of one line that fits, gives what pieces
    gives (or leaves the cell to it)."""
    found = tabledraw.one_line(text, width, justify)
    if found is not None:
        assert found == tabledraw.pieces(text, width, justify, wrap)
    if text and "\n" not in text and "\t" not in text and justify == "left" and len(text) <= width:
        from rich.cells import cell_len

        assert (found is None) == (cell_len(text) > width)


_spaced_words = st.lists(st.text(alphabet="abЖж–.«»", min_size=1, max_size=9), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab Жж–.\u00a0\t漢", max_size=60), _spaced_words, st.integers(1, 25))
def test_a_line_of_spaced_words_is_divided_as_any_line_is(line: str, words: list[str], width: int) -> None:
    """breaks' shortcut for one-cell words between single spaces divides where the word by
    word division of any line does, and leaves every other line to it."""
    assert tabledraw.breaks(line, width) == tabledraw._divided(line, width)
    spaced = " ".join(words)
    found = tabledraw._spaced_breaks(spaced, width)
    if max(map(len, words)) > width:
        assert found is None  # a word folded across lines: the division word by word does it
    else:
        assert found == tabledraw._divided(spaced, width)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab Жж–.\u00a0\t\u2003\u3000\x1c\n", max_size=40), st.integers(0, 12))
def test_a_word_wider_than_the_need_is_found_as_split_finds_it(line: str, need: int) -> None:
    """column_need's search for a word wider than the need agrees with ``str.split`` (its
    whitespace is the regular expression's, the no-break and ideographic spaces included)."""
    from roadmap_cli.table import _longer_word

    assert (_longer_word(need)(line) is not None) == (max(map(len, line.split()), default=0) > need)


@settings(max_examples=400, deadline=None)
@given(_text() | st.text(alphabet="abcЖж. \n", max_size=40) | _spaced_words.map(" ".join), st.integers(1, 30),
       st.sampled_from(["left", "right", "center"]), st.booleans())
@example("abcd efg", 4, "left", True)  # "abcd " is cut to the width
def test_the_plain_lines_of_a_cell_are_its_pieces_padded(text: str, width: int, justify: str,
                                                         wrap: bool) -> None:
    """plain_lines, by lengths for left-justified lines of one-cell characters, draws each
    line as pieces() does."""
    assert tabledraw.plain_lines(text, width, justify, wrap) == [
        " " * before + part + " " * after
        for _offset, part, before, after in tabledraw.pieces(text, width, justify, wrap)
    ]


_ids = st.from_regex(r"[a-z]{2,14}(-[a-z0-9]{1,8}){0,3}/[A-Z0-9.]{1,6}/?", fullmatch=True)
_cell = (
    _text() | st.text(alphabet="ab Жж–.↑→\u00a0\t漢", max_size=30) | _spaced_words.map(" ".join)
    # a lines cell: ROADMAP/MEASURE, its title, its owners
    | st.lists(_ids | _spaced_words.map(" ".join), min_size=1, max_size=3).map("\n".join)
)
_column_texts = st.lists(_cell, max_size=8)


@settings(max_examples=500, deadline=None)
@given(_column_texts, st.integers(0, 25), st.booleans(), st.booleans())
@example(["ab cd", " abc"], 2, True, False)  # a cell of one word after a space needs all of it
@example(["a\nbcd", "ef"], 1, False, False)
@example(["doc-1/1.2\nA title of words", "x"], 3, True, True)
@example(["doc-1/1.2\nA title\naverylongwordofnoslash", "x"], 3, True, True)
def test_a_column_measured_at_once_measures_as_cell_by_cell(texts: list[str], need: int,
                                                            wrap: bool, slashed: bool) -> None:
    """column_need's measure of a whole column at once (lengths of the joined cells) gives
    the need, widest line and sizes that measuring it a cell at a time gives, or leaves the
    column to it."""
    from roadmap_cli.table import _need_cell_by_cell, _plain_column_need

    found = _plain_column_need(need, wrap, slashed, texts)
    if found is not None:
        assert found == _need_cell_by_cell(need, wrap, slashed, texts)
    common = all(set(t) <= set("abЖж–./-0123\n ") and all(
        line.strip() == line for line in t.split("\n")) for t in texts)
    if (wrap is False and not (slashed and "/" in "".join(texts))) or (wrap and common):
        assert found is not None  # the common columns are measured at once


@settings(max_examples=400, deadline=None)
@given(_column_texts, st.integers(1, 30), st.sampled_from(["left", "right", "center"]),
       st.booleans())
def test_cells_drawn_by_their_measured_sizes_are_drawn_as_plain_lines_draws_them(
    texts: list[str], width: int, justify: str, wrap: bool
) -> None:
    """fitted pads a measured cell of one line by its size as plain_lines draws the cell."""
    from rich.cells import cell_len

    sizes = [-1 if "\n" in text else cell_len(text) for text in texts]
    expected = [tabledraw.plain_lines(text, width, justify, wrap) for text in texts]
    drawn = tabledraw.fitted(texts, sizes, width, justify, wrap)
    assert [list(cell) if isinstance(cell, tuple) else [cell] for cell in drawn] == expected


@settings(max_examples=200, deadline=None)
@given(grids(), st.integers(1, 4))
def test_a_body_drawn_a_few_rows_at_a_time_is_the_body_drawn_at_once(g: dict[str, Any],
                                                                      chunk: int) -> None:
    """Rows are drawn in blocks (a table of 90,000 lines is never held whole): the blocks'
    lines are those of the body drawn in one block, blank lines between rows included."""
    grid = tabledraw.Grid(g["widths"], g["justify"], g["wrap"], leading=g["leading"])
    blocks = list(_body(grid, g["rows"], chunk))
    assert len(blocks) == -(-len(g["rows"]) // chunk)
    assert [line for block in blocks for line in block] == next(_body(grid, g["rows"], 10**6))


_STYLES = ["", "bold", "dim", "red", "bold red", "green", "yellow on blue", "italic #ff8800"]


@st.composite
def styled_grids(draw: st.DrawFn) -> dict[str, Any]:
    g = draw(grids())

    def styled(text: str) -> tuple[str, str, tuple[tuple[int, int, str], ...]]:
        spans = []
        if text and draw(st.booleans()):
            a = draw(st.integers(0, len(text) - 1))
            b = draw(st.integers(a + 1, len(text)))
            spans.append((a, b, draw(st.sampled_from(_STYLES))))
        return text, draw(st.sampled_from(_STYLES)), tuple(spans)

    g["styled"] = [[styled(text) for text in row] for row in g["rows"]]
    g["color_system"] = draw(st.sampled_from([None, "standard", "256", "truecolor", "windows"]))
    g["no_color"] = draw(st.booleans())
    g["widen"] = draw(st.booleans())
    return g


@pytest.mark.fuzz
@settings(max_examples=300, deadline=None)
@given(styled_grids())
def test_a_terminal_table_is_written_as_the_console_writes_it(g: dict[str, Any]) -> None:
    """On a terminal, the lines written straight to the console's file (the styles' codes made
    once, control characters removed) are those the console's own pipeline writes, for every
    colour system, with and without NO_COLOR."""
    from rich.style import Style

    outputs = []
    for direct in (True, False):
        # rich keeps a style's codes on the object the first time it is drawn, whatever the
        # colour system (one console a run draws with one): styles anew for each way
        Style.parse.cache_clear()
        Style._add.cache_clear()
        out = io.StringIO()
        console = render.safe_console_class()(
            file=out, width=80, force_terminal=True, color_system=g["color_system"],
            no_color=g["no_color"] or None, highlight=False, emoji=False, soft_wrap=False)
        sink = tableconsole.ConsoleSink(console, direct=direct)
        assert sink.direct is direct
        grid = tabledraw.Grid(g["widths"], g["justify"], g["wrap"], leading=g["leading"])
        if g["widen"] and grid.width > sink.width:
            sink.width = grid.width  # as print_table does (else the lines are cut, both ways)
        sink.paragraph("A title\x1b[31m", "bold")
        sink.table(grid, [(h, "", ()) for h in g["headers"]], iter(g["styled"]))
        sink.paragraph("a note", "dim")
        sink.close()
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    plain = io.StringIO()  # and its text is what is drawn off a terminal
    sink = tabledraw.PlainSink(plain, 80)
    grid = tabledraw.Grid(g["widths"], g["justify"], g["wrap"], leading=g["leading"])
    if g["widen"] and grid.width > sink.width:
        sink.width = grid.width
    sink.paragraph("A title\x1b[31m")
    sink.table(grid, g["headers"], _body(grid, g["rows"]))
    sink.paragraph("a note")
    sink.close()
    if not (grid.width > 80 and not g["widen"]):  # (the console cuts lines, the plain sink not)
        assert _screen(outputs[0]) == plain.getvalue()
