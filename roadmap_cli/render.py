"""Rows -> table | json | csv | markdown, and problems -> text | json | github (the CSV itself is
written by :mod:`roadmap_cli.csvout`).

The only module that imports rich (lazily, inside the functions that draw tables, so that JSON
output and ``--help`` never pay for it). Every report command builds plain rows (dicts with the
contract's keys) and a list of :class:`Column` saying how to show them; this module does the rest.

Terminal rules: colour only on a terminal and never when ``NO_COLOR`` is set (rich honours both);
when not on a terminal, plain text at the width given by ``COLUMNS`` (default 80, never the width
of the terminal the command was typed in) with no trailing spaces.

Terminal tables are laid out by :mod:`roadmap_cli.table` (a table never cuts a number, a date
or an id: columns that do not fit are left out in their ``drop`` order, and said so) and drawn
line by line by :mod:`roadmap_cli.tabledraw` (rich's console only on a terminal; off it, only
``rich.cells`` to measure text of other than one-cell characters, :mod:`roadmap_cli.cellwidth`).

Interface words pass through :mod:`roadmap_cli.i18n`: headers are marked with ``N_()`` and
translated here, when drawn; figures and dates follow the language in tables and Markdown, while
JSON and CSV keep ISO dates, dot decimals and their English keys (``--excel`` CSV has the
language's headers).
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import IO, Any

from roadmap_cli import i18n
from roadmap_cli.cellwidth import cell_len
from roadmap_cli.i18n import _, ngettext
from roadmap_cli.model import Problem, Severity
from roadmap_cli.record import Record, record
from roadmap_cli.textsafe import file_name, printable, terminal

FORMATS = ("table", "json", "csv", "markdown")
#: what an empty table says when its command gives no words of its own
EMPTY = i18n.N_("Nothing to show.")
PROBLEM_FORMATS = ("text", "json", "github")

#: rich styles by state, shared by every table
STYLES = {
    "overdue": "bold red",
    "due_soon": "yellow",
    "done": "green",
    "blocked": "magenta",
    "cancelled": "dim",
    "behind": "yellow",
    "on track": "green",
    "complete": "green",
    "error": "bold red",
    "warning": "yellow",
}


@record
class Column(Record):
    """How one key of a row is shown in a table or Markdown."""

    key: str
    header: str
    justify: str = "left"  # "left" | "right" | "center"
    kind: str = "text"  # "text" | "int" | "pct" | "list" | "bar" (value: (progress, expected))
    ratio: int | None = None  # share of the spare width for wrapping text columns
    min_width: int | None = None
    max_width: int | None = None
    no_wrap: bool = False
    style: Callable[[Mapping[str, Any]], str | None] | None = None
    #: when the table does not fit, columns are left out in this order (1 first); None: never
    #: (the column that names the row)
    drop: int | None = None


def to_jsonable(value: Any) -> Any:

    if isinstance(value, str):
        return file_name(value)  # a name that is not UTF-8 cannot be written as JSON text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "value") and isinstance(value.value, str):  # StrEnum
        return str(value)
    return value


#: the C1 controls and DEL, which json.dumps leaves raw (U+009B is a one-character CSI), and the
#: bidirectional controls (which reorder the terminal's line): escaped, the same JSON value
_JSON_C1 = {code: f"\\u{code:04x}" for code in (*range(0x7F, 0xA0), *range(0x202A, 0x202F),
                                                 *range(0x2066, 0x206A))}


def dumps(value: Any) -> str:
    """``value`` as indented JSON text (:mod:`roadmap_cli.jsontext` writes it; the standard
    encoder says what a value without a JSON form is)."""
    from roadmap_cli import jsontext

    try:
        text = jsontext.dumps(value)
    except jsontext.Unwritten:
        import json  # (only here: importing it is a millisecond of every JSON report)

        text = json.dumps(to_jsonable(value), ensure_ascii=False, indent=2)
    return text.translate(_JSON_C1)


def cell_text(value: Any, kind: str = "text") -> str:
    """A value as plain text (CSV, Markdown, and table cells)."""
    if kind == "text" and value.__class__ is str:  # most cells: as the last line makes them
        return file_name(value)
    if value is None:
        return "" if kind != "pct" else "–"
    if kind == "pct":
        return i18n.pct(value)
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return i18n.number(value)
    if kind == "date":
        return i18n.day(value)
    if kind == "lines":
        return " ".join(text for text, _style in value if text)
    if kind in ("bar", "progress"):
        progress, expected = value[0], value[1]
        return f"{i18n.pct(progress)} / {i18n.pct(expected)}"
    if isinstance(value, (list, tuple)):
        return ", ".join(cell_text(v) for v in value)
    if isinstance(value, Mapping):
        import json

        return json.dumps(to_jsonable(value), ensure_ascii=False)
    if isinstance(value, date):
        return i18n.day(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and not math.isfinite(value):
        return "–"
    return file_name(str(value))


def stdout() -> IO[str]:
    return sys.stdout


def is_terminal(file: IO[str]) -> bool:
    try:
        return bool(file.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def plain_width() -> int:
    """The width of output that is not on a terminal: ``COLUMNS`` when set to a number (at
    least 20), else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return 80
    return columns if columns >= 20 else 80


def terminal_width(file: IO[str]) -> int | None:
    """The width of the terminal ``file`` is on when ``COLUMNS`` does not name a usable one
    (rich took ``COLUMNS=0`` or ``5`` as the width and a table on a terminal of 80 columns
    left out its days, deadlines and statuses); None when ``COLUMNS`` is a number of at least
    20 (then it is the width, as off a terminal) or unset (rich asks the terminal itself)."""
    columns = os.environ.get("COLUMNS")
    if columns is None:
        return None
    try:
        if int(columns) >= 20:
            return None
    except ValueError:
        pass
    try:
        return os.get_terminal_size(file.fileno()).columns or 80
    except (AttributeError, OSError, ValueError):
        return 80


def make_console(file: IO[str] | None = None, width: int | None = None) -> Any:
    file = file if file is not None else sys.stdout
    if width is None:
        width = terminal_width(file) if is_terminal(file) else plain_width()
    return safe_console_class()(
        file=file,
        width=width,
        highlight=False,
        emoji=False,
        soft_wrap=False,
        no_color="NO_COLOR" in os.environ or None,
    )


_SAFE_CONSOLE: Any = None


def safe_console_class() -> Any:
    """A rich Console that removes control characters from every piece of text it draws (a
    title holding an escape sequence cannot recolour the terminal, retitle it or plant a link):
    the console's own styles are added after, so colours still work."""
    global _SAFE_CONSOLE
    if _SAFE_CONSOLE is None:
        from rich.console import Console
        from rich.segment import Segment

        class SafeConsole(Console):
            def on_broken_pipe(self) -> None:
                # the reader went away (`| head`): the CLI's top level ends quietly
                self.quiet = True
                raise BrokenPipeError

            def _render_buffer(self, buffer: Iterable[Any]) -> str:
                return str(super()._render_buffer(
                    Segment(terminal(text), style, control) if control is None else
                    Segment(text, style, control)
                    for text, style, control in buffer
                ))

        _SAFE_CONSOLE = SafeConsole
    return _SAFE_CONSOLE


def render_rows(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    fmt: str,
    *,
    out: IO[str] | None = None,
    title: str | None = None,
    empty: str = EMPTY,
    footer: str | None = None,
    json_rows: Sequence[Mapping[str, Any]] | None = None,
    width: int | None = None,
    excel: bool = False,
) -> None:
    """Write ``rows`` in ``fmt``. JSON and CSV carry every key of the rows (the contract's keys);
    table and Markdown show ``columns``."""
    out = out if out is not None else sys.stdout
    data = json_rows if json_rows is not None else rows
    if fmt == "json":
        out.write(dumps(list(data)) + "\n")
    elif fmt == "csv":
        from roadmap_cli.csvout import to_csv

        out.write(to_csv(data, excel=excel))
    elif fmt == "markdown":
        out.write(to_markdown(rows, columns, title=title, empty=empty, footer=footer))
    else:
        print_table(rows, columns, out=out, title=title, empty=empty, footer=footer, width=width)


_MD_SPECIAL = re.compile(r"([\\*{}\[\]#|~]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
_MENTION = re.compile(r"@(?=[A-Za-z0-9_])")
#: text in which :func:`md_escape` changes nothing: none of the characters it looks at
_MD_PLAIN = re.compile(r"[^&<>\\*{}\[\]#|~_@\r\n\u2028\u2029\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                       r"\ud800-\udfff]*")


def md_row(cells: Iterable[object]) -> str:
    """The cells of a Markdown table's row, each escaped (:func:`md_escape`), between pipes: a
    row with nothing to escape (the common one) is told so by one look at its cells joined
    (what :func:`md_escape` looks for is a set of single characters)."""
    texts = [str(c) for c in cells]
    if not _MD_PLAIN.fullmatch("".join(texts)):
        texts = [md_escape(t) for t in texts]
    return "| " + " | ".join(texts) + " |"


def md_escape(text: str) -> str:
    """Text from the files made inert in Markdown (a table cell, a list item, a heading): HTML
    tags and entities escaped, Markdown's punctuation backslash-escaped (no links, images,
    emphasis or table cells break out), ``@mentions`` neutralised with a zero-width space (no
    one is notified by a pull-request comment), line breaks turned into spaces and other
    control characters removed (Markdown is read in terminals too: docs/security.md)."""
    if _MD_PLAIN.fullmatch(text):
        return text  # most cells: nothing to escape (a quarter of a Markdown report's time)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MENTION.sub("@\u200b", text)
    return terminal(re.sub(r"[\r\n\u2028\u2029]+", " ", text))



def to_markdown(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    empty: str = EMPTY,
    footer: str | None = None,
) -> str:
    lines = []
    if title:
        lines += [f"### {md_escape(title)}", ""]
    if not rows:
        lines.append(f"_{md_escape(_(empty))}_")
    else:
        lines.append(md_row([_(c.header) for c in columns]))
        aligns = {"left": ":---", "right": "---:", "center": ":---:"}
        lines.append("| " + " | ".join(aligns.get(c.justify, "---") for c in columns) + " |")
        for row in rows:
            lines.append(md_row([cell_text(row.get(c.key), c.kind) for c in columns]))
    if footer:
        lines += ["", md_escape(footer)]
    return "\n".join(lines) + "\n"


def print_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    *,
    out: IO[str] | None = None,
    title: str | None = None,
    empty: str = EMPTY,
    footer: str | None = None,
    width: int | None = None,
) -> None:
    """Draw ``rows`` as a terminal table (see :func:`roadmap_cli.table.print_table`)."""
    from roadmap_cli import table

    table.print_table(rows, columns, out=out, title=title, empty=empty, footer=footer, width=width)


def print_paragraph(parts: Sequence[tuple[str, str]], out: IO[str] | None = None) -> None:
    """A paragraph of (text, style) runs (see :func:`roadmap_cli.table.print_paragraph`)."""
    from roadmap_cli import table

    table.print_paragraph(parts, out)


def table_console(out: IO[str] | None = None, width: int | None = None) -> Any:
    """The console a table is drawn on (see :func:`roadmap_cli.table.table_console`)."""
    from roadmap_cli import table

    return table.table_console(out, width)


#: the health words of report rows (English in JSON and CSV), for people
HEALTH_WORDS = {
    "n/a": i18n.N_("n/a"),
    "complete": i18n.N_("complete"),
    "behind": i18n.N_("behind"),
    "overdue": i18n.N_("overdue"),
    "not started": i18n.N_("not started"),
    "on track": i18n.N_("on track"),
}

#: the status words of report rows, for people
STATUS_WORDS = {
    "not_started": i18n.N_("not started"),
    "in_progress": i18n.N_("in progress"),
    "done": i18n.N_("done"),
    "blocked": i18n.N_("blocked"),
    "cancelled": i18n.N_("cancelled"),
}


def health_word(health: str) -> str:
    word = HEALTH_WORDS.get(health)
    return _(word) if word else health


def status_word(status: str) -> str:
    """A status for people: in_progress -> in progress (ru: в работе)."""
    word = STATUS_WORDS.get(status)
    return _(word) if word else status.replace("_", " ")


# --- problems ----------------------------------------------------------------------------------


def problem_line(p: Problem) -> str:
    return f"{printable(p.file)}:{p.line}:{p.column}: {p.severity}: {printable(p.message)} [{p.rule}]"


def excerpt(p: Problem, source_line: str | None, width: int = 160) -> list[str]:
    """The offending line with a caret under the column, as hledger shows it (a long line is
    cut to ``width`` characters around the column)."""
    if source_line is None:
        return []
    gutter = str(p.line)
    line = printable(source_line.rstrip("\r\n").expandtabs(1))
    col = p.column - 1
    if len(line) > width:
        start = max(0, min(col - width // 2, len(line) - width))
        line = ("…" if start else "") + line[start : start + width] + ("…" if start + width < len(line) else "")
        col = col - start + (1 if start else 0)
    # the caret stands under the column's cell: a wide character (CJK, an emoji) takes two
    # cells, a combining mark none, while the column counts characters as editors do
    return [
        f"  {gutter} | {line}",
        f"  {' ' * len(gutter)} | {' ' * cell_len(line[:col])}^",
    ]


def summary(problems: Sequence[Problem], files: int) -> str:
    """The closing line of ``validate``: files checked, errors and warnings found."""
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    checked = ngettext("{count} file checked", "{count} files checked", files).format(count=files)
    if not problems:
        return _("{checked}: no problems.").format(checked=checked)
    parts = []
    if errors:
        parts.append(ngettext("{count} error", "{count} errors", errors).format(count=errors))
    if warnings:
        parts.append(
            ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings)
        )
    return _("{checked}: {found}.").format(checked=checked, found=", ".join(parts))


def _terminal_columns(out: IO[str]) -> int | None:
    """The width of the terminal ``out`` is (``COLUMNS`` first, as the standard library reads
    it), or None when it is not one (a pipe, a file, a CI log)."""
    if not is_terminal(out):
        return None
    from shutil import get_terminal_size

    return get_terminal_size().columns


def _excerpt_width(p: Problem, columns: int | None) -> int:
    """The characters of the source line an excerpt shows: 160 off a terminal; on one, what
    fits its width after the gutter and the two ellipses (a terminal breaks a longer line,
    and the caret then points under another part of it)."""
    if columns is None:
        return 160
    return max(20, columns - len(f"  {p.line} | ") - 3)


def _in_workspace(file: str) -> str:
    """A problem's file as GitHub places an annotation: relative to the checkout
    (``GITHUB_WORKSPACE``), also when the step runs in a folder of it (``working-directory:
    roadmaps`` gave ``file=x.yaml``, which GitHub shows nowhere); else as given (a revision's
    ``REV:path``, a file outside the checkout)."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace or not os.path.exists(file):
        return file
    try:
        inside = os.path.relpath(os.path.abspath(file), os.path.abspath(workspace))
    except ValueError:
        return file
    return file if inside == os.curdir or inside.startswith(os.pardir) else inside


def render_problems(
    problems: Iterable[Problem],
    fmt: str,
    *,
    out: IO[str] | None = None,
    files: int | None = None,
    source: Callable[[str, int], str | None] | None = None,
) -> None:
    """Write problems as text lines (with excerpts), a JSON list, or GitHub annotations."""
    out = out if out is not None else sys.stdout
    problems = list(problems)
    if fmt == "json":
        out.write(dumps([p.to_json() for p in problems]) + "\n")
        return
    if fmt == "github":
        for p in problems:
            kind = "error" if p.severity is Severity.ERROR else "warning"
            msg = _gh_escape(f"{p.message} [{p.rule}]")
            out.write(
                f"::{kind} file={_gh_prop(file_name(_in_workspace(p.file)))},line={p.line},"
                f"col={p.column},title={_gh_prop(p.rule)}::{msg}\n"
            )
        if files is not None:
            out.write(summary(problems, files) + "\n")
        return
    columns = _terminal_columns(out)
    for p in problems:
        out.write(problem_line(p) + "\n")
        if source is not None and p.severity is Severity.ERROR:
            for line in excerpt(p, source(p.file, p.line), _excerpt_width(p, columns)):
                out.write(line + "\n")
    if files is not None:
        out.write(summary(problems, files) + "\n")


def _gh_escape(text: str) -> str:
    """A workflow command's value: ``%``, CR and LF encoded as GitHub reads them, any other
    control character shown as U+FFFD (a CI log is a terminal too: docs/security.md)."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _gh_prop(text: str) -> str:
    return _gh_escape(text).replace(":", "%3A").replace(",", "%2C")
