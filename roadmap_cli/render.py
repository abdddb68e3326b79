"""Rows -> table | json | csv | markdown, and problems -> text | json | github.

The only module that imports rich (lazily, inside the functions that draw tables, so that JSON
output and ``--help`` never pay for it). Every report command builds plain rows (dicts with the
contract's keys) and a list of :class:`Column` saying how to show them; this module does the rest.

Terminal rules: colour only on a terminal and never when ``NO_COLOR`` is set (rich honours both);
when piped, plain text at the width given by ``COLUMNS`` (default 80).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from roadmap_cli.model import Problem, Severity
from roadmap_cli.textsafe import file_name, printable, terminal

FORMATS = ("table", "json", "csv", "markdown")
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


@dataclass(frozen=True)
class Column:
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
    #: hide the column in tables narrower than this (terminal width), e.g. detail counts at 80
    hide_below: int | None = None


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


#: the C1 controls and DEL, which json.dumps leaves raw (U+009B is a one-character CSI)
_JSON_C1 = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}


def dumps(value: Any) -> str:
    return json.dumps(to_jsonable(value), ensure_ascii=False, indent=2).translate(_JSON_C1)


def cell_text(value: Any, kind: str = "text") -> str:
    """A value as plain text (CSV, Markdown, and table cells)."""
    if value is None:
        return "" if kind != "pct" else "–"
    if kind == "pct":
        return f"{value:.1f}%"
    if kind == "lines":
        return " ".join(text for text, _ in value if text)
    if kind in ("bar", "progress"):
        progress, expected = value[0], value[1]
        p = "–" if progress is None else f"{progress:.1f}%"
        e = "–" if expected is None else f"{expected:.1f}%"
        return f"{p} / {e}"
    if isinstance(value, (list, tuple)):
        return ", ".join(cell_text(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(to_jsonable(value), ensure_ascii=False)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and not math.isfinite(value):
        return "–"
    return file_name(str(value))


def stdout() -> IO[str]:
    return sys.stdout


def make_console(file: IO[str] | None = None, width: int | None = None) -> Any:
    file = file if file is not None else sys.stdout
    return _safe_console_class()(
        file=file,
        width=width,
        highlight=False,
        emoji=False,
        soft_wrap=False,
        no_color="NO_COLOR" in os.environ or None,
    )


_SAFE_CONSOLE: Any = None


def _safe_console_class() -> Any:
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
    empty: str = "Nothing to show.",
    footer: str | None = None,
    json_rows: Sequence[Mapping[str, Any]] | None = None,
    width: int | None = None,
) -> None:
    """Write ``rows`` in ``fmt``. JSON and CSV carry every key of the rows (the contract's keys);
    table and Markdown show ``columns``."""
    out = out if out is not None else sys.stdout
    data = json_rows if json_rows is not None else rows
    if fmt == "json":
        out.write(dumps(list(data)) + "\n")
    elif fmt == "csv":
        out.write(to_csv(data))
    elif fmt == "markdown":
        out.write(to_markdown(rows, columns, title=title, empty=empty, footer=footer))
    else:
        print_table(rows, columns, out=out, title=title, empty=empty, footer=footer, width=width)


def to_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    buf = io.StringIO()
    if not rows:
        return ""
    keys: list[str] = []
    for row in rows:
        for k in row:
            if k not in keys:
                keys.append(k)
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([_csv_cell(row.get(k)) for k in keys])
    return buf.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_csv_cell(v) for v in value)
    if isinstance(value, Mapping):
        return json.dumps(to_jsonable(value), ensure_ascii=False)
    if isinstance(value, float):
        return f"{value:g}" if not value.is_integer() else f"{value:.1f}"
    return str(to_jsonable(value))


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    empty: str = "Nothing to show.",
    footer: str | None = None,
) -> str:
    lines = []
    if title:
        lines += [f"### {_md_escape(title)}", ""]
    if not rows:
        lines.append(f"_{empty}_")
    else:
        lines.append("| " + " | ".join(_md_escape(c.header) for c in columns) + " |")
        aligns = {"left": ":---", "right": "---:", "center": ":---:"}
        lines.append("| " + " | ".join(aligns.get(c.justify, "---") for c in columns) + " |")
        for row in rows:
            lines.append(
                "| " + " | ".join(_md_escape(cell_text(row.get(c.key), c.kind)) for c in columns) + " |"
            )
    if footer:
        lines += ["", _md_escape(footer)]
    return "\n".join(lines) + "\n"


def print_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    *,
    out: IO[str] | None = None,
    title: str | None = None,
    empty: str = "Nothing to show.",
    footer: str | None = None,
    width: int | None = None,
) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = make_console(out, width)
    columns = [c for c in columns if c.hide_below is None or console.width >= c.hide_below]
    if title:
        console.print(Text(title, style="bold"))
    if not rows:
        console.print(Text(empty, style="dim"))
        if footer:
            console.print(Text(footer, style="dim"))
        return
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        expand=False,
        collapse_padding=True,
        # rows of several lines read better with a blank line between them
        leading=1 if any(c.kind == "lines" for c in columns) else 0,
    )
    for c in columns:
        # a header never breaks inside a word; numbers never wrap
        longest_word = max((len(w) for w in c.header.split()), default=0)
        table.add_column(
            c.header,
            justify=c.justify,  # type: ignore[arg-type]
            ratio=c.ratio,
            min_width=max(c.min_width or 0, longest_word, _KIND_WIDTH.get(c.kind, 0)) or None,
            max_width=c.max_width,
            no_wrap=c.no_wrap or c.kind in _KIND_WIDTH,
            overflow="fold",
        )
    for row in rows:
        cells = []
        for c in columns:
            value = row.get(c.key)
            style = c.style(row) if c.style else None
            if c.kind == "bar":
                cells.append(_bar(value, style))
            elif c.kind == "progress":
                cells.append(_progress_cell(value, style))
            elif c.kind == "lines":
                cells.append(_lines(value))
            else:
                cells.append(Text(cell_text(value, c.kind), style=style or ""))
        table.add_row(*cells)
    console.print(table)
    if footer:
        console.print(Text(footer, style="dim"))


#: cells drawn at a fixed width
_KIND_WIDTH = {"progress": 13, "bar": 21}


def _lines(value: Any) -> Any:
    """A cell of several lines, each (text, style); empty lines are left out."""
    from rich.text import Text

    text = Text()
    for text_part, style in value or ():
        if not text_part:
            continue
        if text.plain:
            text.append("\n")
        text.append(text_part, style=style or "")
    return text


def _progress_cell(value: Any, style: str | None, width: int = 6) -> Any:
    """Progress as a bar with its percentage, then the plan (expected) and a health word."""
    from rich.text import Text

    progress, expected, health = value
    text = Text(no_wrap=True)
    if progress is None:
        text.append("–", style="dim")
    else:
        filled = min(width, round(progress / 100 * width))
        text.append("█" * filled, style=STYLES.get(str(health)) or "green")
        text.append("░" * (width - filled), style="dim")
        text.append(f" {progress:>3.0f}%")
    if expected is not None:
        text.append(f"\nplan {expected:.0f}%", style="dim")
    if health:
        text.append(f"\n{health}", style=style or STYLES.get(str(health)) or "")
    return text


def _bar(value: Any, style: str | None, width: int = 10) -> Any:
    """A progress bar: filled to progress, with a tick at the expected point; text after it."""
    from rich.text import Text

    progress, expected = value if value else (None, None)
    text = Text()
    if progress is None:
        text.append("–", style="dim")
        return text
    filled = round(progress / 100 * width)
    mark = None if expected is None else min(width - 1, round(expected / 100 * width))
    for i in range(width):
        if i == mark and i >= filled:
            text.append("┊", style="bold")
        elif i < filled:
            text.append("█", style=style or "green")
        else:
            text.append("░", style="dim")
    text.append(f" {progress:.0f}%")
    if expected is not None:
        text.append(f"/{expected:.0f}%", style="dim")
    return text


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
    return [
        f"  {gutter} | {line}",
        f"  {' ' * len(gutter)} | {' ' * col}^",
    ]


def summary(problems: Sequence[Problem], files: int) -> str:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    if not problems:
        return f"{_n(files, 'file')} checked: no problems."
    parts = []
    if errors:
        parts.append(_n(errors, "error"))
    if warnings:
        parts.append(_n(warnings, "warning"))
    return f"{_n(files, 'file')} checked: {', '.join(parts)}."


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


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
                f"::{kind} file={_gh_prop(file_name(p.file))},line={p.line},col={p.column},"
                f"title={_gh_prop(p.rule)}::{msg}\n"
            )
        if files is not None:
            out.write(summary(problems, files) + "\n")
        return
    for p in problems:
        out.write(problem_line(p) + "\n")
        if source is not None and p.severity is Severity.ERROR:
            for line in excerpt(p, source(p.file, p.line)):
                out.write(line + "\n")
    if files is not None:
        out.write(summary(problems, files) + "\n")


def _gh_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_escape(text).replace(":", "%3A").replace(",", "%2C")
