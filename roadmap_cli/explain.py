"""Words for people who edit YAML by hand: what a syntax error most likely means at its line, which
measure a problem is in, and how to write a date given in another common form.

Pure functions over text and plain data (no I/O, no printing). ``yamlsrc`` asks for syntax
explanations, ``schema`` and ``rules`` for the name of the measure a path is in, ``rules`` for the
ISO form of a date written as ``31.12.2026``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from roadmap_cli.i18n import N_, _
from roadmap_cli.model import Path, Pos, Problem

# --- which measure (or agency) a path or a line is in -------------------------------------------

#: list key -> how one of its items is named: by its id, and by its place when it has no id
#: (translated where the name is built)
_ITEM_WORDS = {
    "measures": (N_("measure {id}"), N_("measure no. {n}")),
    "agencies": (N_("agency {id}"), N_("agency no. {n}")),
}


def _leads_with_item(message: str, key: str) -> bool:
    """Whether ``message`` already starts by naming an item of the list ``key`` (``measure 4.2
    ...``), in the active language: the test is the name's own template, up to its id."""
    lead = _(_ITEM_WORDS[key][0]).split("{", 1)[0]
    return bool(lead) and message.startswith(lead)


def item_name(data: Any, path: Path, plain_text: Mapping[Path, str] | None = None) -> tuple[str, Path] | None:
    """``("measure 4.2", rest of the path)`` for a path inside a measure (or an agency), with the
    item named by its id; None for a path elsewhere. An item without a readable id is named by
    its place: ``measure no. 13``."""
    if len(path) < 2 or not isinstance(path[1], int) or path[0] not in _ITEM_WORDS:
        return None
    by_id, by_place = _ITEM_WORDS[str(path[0])]
    items = data.get(path[0]) if isinstance(data, dict) else None
    item = items[path[1]] if isinstance(items, list) and 0 <= path[1] < len(items) else None
    ident = item.get("id") if isinstance(item, dict) else None
    if isinstance(ident, (int, float)) and not isinstance(ident, bool):
        ident = (plain_text or {}).get((path[0], path[1], "id"), str(ident))
    if isinstance(ident, str) and ident.strip() and len(ident) <= 60 and "\n" not in ident:
        return _(by_id).format(id=ident), path[2:]
    return _(by_place).format(n=path[1] + 1), path[2:]


def where(path: Path, data: Any = None, plain_text: Mapping[Path, str] | None = None) -> str:
    """A readable name for a path: ``measure 4.2: due``, ``period.end``, ``the document``."""
    if not path:
        return _("the document")
    named = item_name(data, path, plain_text)
    head, rest = named if named is not None else ("", path)
    out = ""
    for part in rest:
        if isinstance(part, int):
            out += "[{n}]".format(n=part)
        else:
            out += ("." if out else "") + part
    if head and out:
        return _("{head}: {rest}").format(head=head, rest=out)
    return head or out


def name_in_message(message: str, data: Any, path: Path, plain_text: Mapping[Path, str] | None = None) -> str:
    """``message`` led by the measure (or agency) ``path`` is in, unless it names it already."""
    named = item_name(data, path, plain_text)
    if named is None or _leads_with_item(message, str(path[0])):
        return message
    return _("{item}: {message}").format(item=named[0], message=message)


def name_by_position(
    problems: list[Problem], data: Any, positions: Mapping[Path, Pos], plain_text: Mapping[Path, str] | None = None
) -> list[Problem]:
    """``problems`` found while reading a file (a duplicate key, an ambiguous value), each led
    by the measure (or agency) whose lines hold it, as :func:`item_name` names it (a message
    that starts with that name already is left as it is)."""
    out = []
    for p in problems:
        path = _item_at(data, positions, p.line, p.column) if p.line > 1 else None
        named = item_name(data, path, plain_text) if path else None
        if path is None or named is None or p.message.startswith(named[0]):
            out.append(p)
            continue
        out.append(replace(p, message=name_in_message(p.message, data, path, plain_text)))
    return out


def _item_at(data: Any, positions: Mapping[Path, Pos], line: int, column: int) -> Path | None:
    for key in _ITEM_WORDS:
        items = data.get(key) if isinstance(data, dict) else None
        if not isinstance(items, list):
            continue
        found = None
        for i in range(len(items)):
            pos = positions.get((key, i))
            if pos is None:
                continue
            if pos[0] > line:
                break
            found = (key, i) if column >= pos[1] else None
        if found is not None:
            return found
    return None


_ITEM_LINE = re.compile(r"^(?P<indent> *)- *id: *(?P<q>[\"']?)(?P<id>[^\"'#\s,}]+)")
_LIST_LINE = re.compile(r"^(?P<key>measures|agencies):\s*(#.*)?$")


def item_at_line(lines: list[str], line: int) -> str | None:
    """``measure 4.2`` when 1-based ``line`` of a file's ``lines`` is inside that measure (or
    agency), by the text alone: for files the parser could not read."""
    if not 1 <= line <= len(lines):
        return None
    target = lines[line - 1]
    target_indent = len(target.expandtabs(8)) - len(target.lstrip(" \t"))
    for n in range(line - 1, max(-1, line - 1 - _SCAN), -1):
        text = lines[n]
        m = _ITEM_LINE.match(text)
        if m is not None:
            body = target.strip()
            if n != line - 1 and body and not body.startswith("#") and (
                target_indent < len(m["indent"]) or (target_indent == len(m["indent"]) and body.startswith("-"))
            ):
                return None  # the line is out of that item (a sibling or a top-level key)
            for k in range(n - 1, max(-1, n - 1 - _SCAN), -1):
                top = _LIST_LINE.match(lines[k])
                if top is not None:
                    by_id = _ITEM_WORDS[top["key"]][0]
                    return _(by_id).format(id=m["id"])
                if lines[k][:1] not in ("", " ", "#", "\t"):
                    return None
            return None
        if text[:1] not in ("", " ", "#", "\t", "-"):
            return None  # a top-level key before any item
    return None


# --- syntax errors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Syntax:
    """What the YAML parser said, with 1-based positions."""

    problem: str
    context: str
    line: int
    column: int
    context_line: int | None = None
    context_column: int | None = None


_KEY = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[^\s:#\"'\[\]{},][^:#]*?|\"[^\"]*\"|'[^']*'):(?:\s|$)")
_NO_SPACE_COLON = re.compile(r"^ *(?:- +)?(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s/:][^#]*)$")
_NO_SPACE_DASH = re.compile(r"^ *-(?P<rest>[^\s\-][^#]*)$")
_OPEN_QUOTE = re.compile(r"(?:^ *(?:- +)?(?:[^\s:#\"'][^:#]*?: +)?|[\[{,] *)(?P<q>[\"'])")
#: how far above the parser's position an unclosed quote or a missing space is looked for
_LOOK_BACK = 60
#: how far above a line its siblings, parent and measure are looked for, and how much of each
#: line is read (bounded work on a huge file: a measure is never thousands of lines long)
_SCAN = 2000
_WIDTH = 2000


def _content(lines: list[str], n: int) -> bool:
    text = lines[n].strip()
    return bool(text) and not text.startswith("#")


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _key_column(text: str) -> int:
    """Where the line's key (or value) starts: after the '- ' of an item."""
    m = _KEY.match(text)
    if m is not None and m["dash"]:
        return len(m["indent"]) + len(m["dash"])
    stripped = text.lstrip(" ")
    if stripped.startswith("- "):
        return _indent(text) + 2 + _indent(stripped[2:])
    return _indent(text)


def _shown(text: str, limit: int = 50) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _unclosed_quote(line: str) -> tuple[int, str] | None:
    """(0-based column, quote) of a value's opening quote that the line does not close."""
    for m in _OPEN_QUOTE.finditer(line):
        q = m["q"]
        start = m.start("q")
        rest = line[start + 1 :]
        if q == '"':
            closed = re.search(r'(?<!\\)(?:\\\\)*"', rest) is not None
        else:
            closed = re.search(r"'(?!')", rest.replace("''", "")) is not None
        if not closed:
            return start, q
        return None  # the first quoted value is closed: the line is fine
    return None


def _after_closing_quote(line: str) -> int | None:
    """The 0-based column of text that follows a value's closing quote (``"a "b" c"``)."""
    m = _OPEN_QUOTE.search(line)
    if m is None:
        return None
    q = m["q"]
    start = m.start("q") + 1
    if q == '"':
        end = re.search(r'(?<!\\)(?:\\\\)*"', line[start:])
    else:
        end = re.search(r"'(?!')", line[start:].replace("''", "__"))
    if end is None:
        return None
    after = start + end.end()
    rest = line[after:]
    stripped = rest.strip()
    if not stripped or stripped.startswith("#") or stripped[0] in ",]}:":
        return None
    return after + len(rest) - len(rest.lstrip())


def _extra_closing(line: str) -> tuple[int, str] | None:
    """(0-based column, bracket) of a ']' or '}' that closes nothing opened on the line, outside
    quotes and comments."""
    depth = {"]": 0, "}": 0}
    pairs = {"[": "]", "{": "}"}
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "\"'" and (i == 0 or line[i - 1] in " [{,:"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] == " "):
            return None
        elif ch in pairs:
            depth[pairs[ch]] += 1
        elif ch in depth:
            if depth[ch] == 0:
                return i, ch
            depth[ch] -= 1
    return None


#: a no-break or other non-ASCII space in the indentation, or right after a key's ':' or an
#: item's '-' (where YAML needs a space): up to and including that character
_ODD_SPACE = re.compile(
    r"[ \t]*(?:[\u00a0\u2000-\u200a\u202f\u205f\u3000]"
    r"|(?:- +)*[^\s#'\"\[{,:-][^:#]*?:[\u00a0\u2000-\u200a\u202f\u205f\u3000]"
    r"|(?:- +)*-[\u00a0\u2000-\u200a\u202f\u205f\u3000])"
)


def explain_syntax(text: str, e: Syntax) -> tuple[Pos, str]:
    """A sentence about the likely cause of a YAML syntax error, and where it points (the
    culprit's line when it is above the parser's position, else the parser's position)."""
    # what is read of each line: enough for any real line, bounded for a 4 MB one
    # lines as an editor (and the parser's positions) count them: a lone CR ends one too (a
    # file saved with classic Mac line ends is one line to split("\n"): every syntax error was
    # put at line 1, quoting the whole file)
    lines = [line[:_WIDTH] for line in re.split(r"\r\n|\r|\n", text)]
    n = min(max(e.line, 1), len(lines)) - 1
    inside = e.context_line is not None and 1 <= e.context_line <= len(lines)
    e = Syntax(  # positions inside the text, whatever the parser said
        e.problem, e.context, n + 1, max(e.column, 1),
        e.context_line if inside else None, max(e.context_column or 1, 1) if inside else None,
    )
    pos, sentence = _cause(lines, n, e)
    item = item_at_line(lines, pos[0])
    said = e.problem + (" ({context})".format(context=e.context) if e.context else "")
    message = _("{sentence} (the YAML parser says: {said})").format(sentence=sentence, said=said)
    if item is not None:
        message = _("{item}: {message}").format(item=item, message=message)
    return pos, message


def _cause(lines: list[str], n: int, e: Syntax) -> tuple[Pos, str]:
    here: Pos = (e.line, e.column)
    line = lines[n]
    problem = e.problem
    if line[e.column - 1 : e.column] == "\t":
        return here, _("a tab character here: YAML does not allow tabs for indentation; indent with spaces")
    if "quoted scalar" in e.context and e.context_line is not None and e.context_column is not None:
        q = lines[e.context_line - 1][e.context_column - 1 : e.context_column] if e.context_line <= len(lines) else ""
        if q in ("'", '"'):
            return (e.context_line, e.context_column), (
                _("the quote {q} opened here is never closed: end the value with {q}").format(q=q)
            )
    first = max(0, (e.context_line or e.line) - 1 - _LOOK_BACK, n - _LOOK_BACK)
    # a no-break space where YAML needs a space, at this line or the two above
    for k in range(n, max(first, n - 2) - 1, -1):
        odd = _ODD_SPACE.match(lines[k]) if _content(lines, k) else None
        if odd is not None:
            import unicodedata

            ch = lines[k][odd.end() - 1]
            return (k + 1, odd.end()), _(
                "a no-break space ({name}) here: to YAML it is not a space, and indentation and "
                "'key: value' take ordinary spaces; replace it with a space (it comes with text "
                "pasted from a word processor or a web page)"
            ).format(name="U+{code:04X} {name}".format(code=ord(ch), name=unicodedata.name(ch, "")).strip())
    # a tab in the indentation of this line or of the one above
    for k in (n, n - 1):
        if k >= 0 and "\t" in lines[k][: len(lines[k]) - len(lines[k].lstrip(" \t"))]:
            return (k + 1, lines[k].index("\t") + 1), (
                _("a tab character in the indentation: YAML does not allow tabs; indent with spaces")
            )
    # a quote opened and never closed, at this line or above
    if "quoted scalar" in e.context or "expected key" in problem or "block end" in problem or "simple key" in problem:
        for k in range(n, first - 1, -1):
            found = _unclosed_quote(lines[k]) if _content(lines, k) else None
            if found is not None:
                col, q = found
                return (k + 1, col + 1), (
                    _("the quote {q} opened here is not closed on this line: end the value with {q}")
                    .format(q=q)
                )
    # a list or mapping in brackets that is not closed
    if "flow sequence" in e.context or "flow mapping" in e.context:
        close = "]" if "sequence" in e.context else "}"
        open_ = "[" if close == "]" else "{"
        at = (e.context_line or e.line, e.context_column or 1)
        opened = lines[at[0] - 1] if 1 <= at[0] <= len(lines) else ""
        if opened[at[1] - 1 :].count(close) < opened[at[1] - 1 :].count(open_):
            return at, (
                _("the {open} opened here is not closed: end it with {close} on the same line")
                .format(open=open_, close=close)
            )
        return here, (
            _("inside {open}...{close} the items are separated by ', ' and the list ends with {close}; "
              "check for a missing comma or {close}, or put a value with a comma or colon in quotes")
            .format(open=open_, close=close)
        )
    # a missing space after ':' or after '-'
    for k in range(n, max(first, n - 3) - 1, -1):
        if not _content(lines, k):
            continue
        m = _NO_SPACE_COLON.match(lines[k])
        if m is not None and not m["value"].strip().isdigit():
            return (k + 1, _indent(lines[k]) + 1), (
                _("a space is missing after ':' in {text!r}: write {fixed!r}").format(
                    text=_shown(lines[k]), fixed=_shown(lines[k].replace(m["key"] + ":", m["key"] + ": ", 1))
                )
            )
        m = _NO_SPACE_DASH.match(lines[k])
        if m is not None and lines[k].strip() != "---":
            return (k + 1, _indent(lines[k]) + 1), (
                _("a space is missing after '-' in {text!r}: write {fixed!r}").format(
                    text=_shown(lines[k]), fixed=_shown(lines[k].replace("-", "- ", 1))
                )
            )
    for k in range(n, max(first, n - 2) - 1, -1):
        after = _after_closing_quote(lines[k]) if _content(lines, k) else None
        if after is not None:
            return (k + 1, after + 1), (
                _("there is more text after the closing quote: inside \"...\" write a quote as \\\", "
                  "inside '...' as '', or quote the whole value with the other kind of quote")
            )
        extra = _extra_closing(lines[k]) if _content(lines, k) else None
        if extra is not None:
            return (k + 1, extra[0] + 1), (
                _("one {close!r} too many: it closes no bracket opened on this line; remove it").format(
                    close=extra[1])
            )
    if "could not find expected ':'" in problem:
        for k in range(n, max(first, n - 2) - 1, -1):
            text = lines[k].strip()
            if _content(lines, k) and ":" not in text and not text.startswith(("-", "[", "{", "'", '"')):
                key, _sep, value = text.partition(" ")
                fixed = "{key}: {value}".format(key=key, value=value) if value else key + ":"
                return (k + 1, _indent(lines[k]) + 1), (
                    _("{text!r} has no ':': a key and its value are written 'key: value', e.g. "
                      "{fixed!r}").format(text=_shown(text), fixed=_shown(fixed))
                )
    if "cannot start any token" in problem:
        ch = line[e.column - 1 : e.column] if 0 < e.column <= len(line) else ""
        return here, (
            _("a value cannot start with {ch!r} in YAML: put the whole value in quotes, "
              "e.g. \"{ch}...\"").format(ch=ch or _("this character"))
        )
    if "mapping values are not allowed" in problem:
        m = _KEY.match(line)
        if m is not None and e.column - 1 > m.end():
            return here, (
                _("the value contains ': ', which YAML reads as a new key: put the whole value in quotes, "
                  "e.g. {key}: \"{value}\"").format(key=m["key"], value=_shown(line[m.end():], 40))
            )
    sentence, about_indentation = _indentation(lines, n)
    if about_indentation:
        # about the line's indentation: point at where the line starts, not where the parser stopped
        return (n + 1, _indent(line) + 1), sentence
    return here, sentence


def _indentation(lines: list[str], n: int) -> tuple[str, bool]:
    """The sentence about this line's indentation compared with its siblings and its parent, and
    whether it is about the line's indentation (False: the structure breaks, cause unknown)."""
    line = lines[n]
    top = max(-1, n - 1 - _SCAN)
    prev = next((k for k in range(n - 1, top, -1) if _content(lines, k)), None)
    if not _content(lines, n) or prev is None:
        return _(
            "the structure breaks here: check the indentation of this line and the one above, "
            "a missing space after ':' or '-', and unclosed quotes or brackets"
        ), False
    col = _indent(line)
    stripped = line.lstrip(" ")
    is_item = stripped.startswith("-")
    above = lines[prev]
    above_key = _key_column(above)
    above_item = above.lstrip(" ").startswith("- ")
    name = _shown(stripped.split(":")[0], 30)
    if is_item:
        # items of one list start in one column: the nearest item above that is not deeper
        items = []
        for k in range(n - 1, top, -1):
            if not _content(lines, k):
                continue
            if lines[k][:1] not in (" ", "-"):
                break  # a top-level key: the list began after it
            if lines[k].lstrip(" ").startswith("- "):
                items.append(k)
        sibling = next((k for k in items if _indent(lines[k]) <= col), None)
        if sibling is None and items:
            outer = min(_indent(lines[k]) for k in items)
            sibling = next(k for k in items if _indent(lines[k]) == outer)
        if sibling is not None and _indent(lines[sibling]) != col:
            return _(
                "this list item starts in column {col}, but the item before it (line {line}) starts "
                "in column {other}: start every '-' of one list in the same column"
            ).format(col=col + 1, line=sibling + 1, other=_indent(lines[sibling]) + 1), True
    above_has_value = _KEY.match(above) is not None and above.split(":", 1)[1].strip() not in ("", "|", ">")
    if col > above_key and (above_has_value or not above.rstrip().endswith(":")):
        return _(
            "{name!r} is indented more (column {col}) than the line above (column {above}), which "
            "already has its value: keys of the same mapping start in the same column; move it to "
            "column {above}"
        ).format(name=name, col=col + 1, above=above_key + 1), True
    if col < above_key:
        # the columns keys may start in: the line above's and each ancestor's
        columns = [above_key]
        dashes = set()
        if above_item:
            columns.append(_indent(above))
            dashes.add(_indent(above))
        for k in range(prev - 1, top, -1):
            if _content(lines, k):
                for c in (_key_column(lines[k]), _indent(lines[k])):
                    if c < columns[-1]:
                        columns.append(c)
                        if lines[k].lstrip(" ").startswith("- ") and c == _indent(lines[k]):
                            dashes.add(c)
                if columns[-1] == 0:
                    break
        owner = next((k for k in range(prev, top, -1) if lines[k].lstrip(" ").startswith("- ")
                      and _indent(lines[k]) <= col), None)
        if owner is not None and _indent(lines[owner]) == col and not is_item:
            return _(
                "{name!r} starts in the column of the '-' (column {col}) that opens its item at line "
                "{line}: the keys of an item line up after the '- ', in column {sibling}"
            ).format(name=name, col=col + 1, line=owner + 1, sibling=_key_column(lines[owner]) + 1), True
        if col not in columns:
            sibling = above_key + 1
            parent = next((c for c in columns if c < col), 0)
            if parent in dashes:
                return _(
                    "{name!r} is indented less (column {col}) than the line above (column {sibling}) "
                    "but more than the '-' of its item (column {parent}): the keys of one item line "
                    "up in one column; start it in column {sibling}"
                ).format(name=name, col=col + 1, sibling=sibling, parent=parent + 1), True
            return _(
                "{name!r} is indented less (column {col}) than the line above (column {sibling}) but "
                "more than its parent (column {parent}): to continue the same mapping, start it in "
                "column {sibling}; a new key of the parent starts in column {parent}"
            ).format(name=name, col=col + 1, sibling=sibling, parent=parent + 1), True
        return _(
            "{name!r} (column {col}) lines up with an outer mapping, not with the line above "
            "(column {sibling}): check that it belongs there, and that the line above is complete"
        ).format(name=name, col=col + 1, sibling=above_key + 1), True
    return _(
        "the structure breaks here: check the indentation of this line against the line above "
        "(column {above}), a missing space after ':' or '-', and unclosed quotes or brackets"
    ).format(above=above_key + 1), False


# --- dates written in other forms --------------------------------------------------------------

_MONTHS = {
    **{name: n for n, name in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december"], 1)},
    **{name: n for n, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)},
    **{name: n for n, name in enumerate(
        ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
         "октября", "ноября", "декабря"], 1)},
    **{name: n for n, name in enumerate(
        ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
         "октябрь", "ноябрь", "декабрь"], 1)},
}
_DMY = re.compile(r"(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})(?:\s*(?:г\.?|года?))?")
_YMD = re.compile(r"(\d{4})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{1,2})")
_WORDS_DMY = re.compile(r"(\d{1,2})\s+([^\W\d_]+)\.?,?\s+(\d{4})(?:\s*(?:г\.?|года?))?", re.I)
_WORDS_MDY = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})", re.I)
_WORDS_MY = re.compile(r"([^\W\d_]+)\s+(\d{4})(?:\s*(?:г\.?|года?))?", re.I)
_QUARTER = re.compile(
    r"(?:(?:q|кв\.?\s*)([1-4])|([1-4]|iv|iii|ii|i)\s*(?:-?й\s*)?(?:q|квартал[а]?|кв\.?))\s*(\d{4})(?:\s*(?:г\.?|года?))?"
    r"|(\d{4})\s*(?:-|\s)\s*q([1-4])",
    re.I,
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
#: a month as Russian tables write it: 10.2026 (also 10/2026, 10-2026)
_MY = re.compile(r"(\d{1,2})\s*[./-]\s*(\d{4})(?:\s*(?:г\.?|года?))?")


def iso_form(value: str) -> str | None:
    """The form the file wants for a date or period written in another common form:
    ``31.12.2026`` -> ``2026-12-31``, ``31 декабря 2026`` -> ``2026-12-31``, ``Q4 2026`` ->
    ``2026-Q4``. None when ``value`` is no such form, or names no real day."""
    text = value.strip()
    if not text or len(text) > 40:
        return None
    from datetime import date

    def ymd(y: int, m: int, d: int) -> str | None:
        try:
            return date(y, m, d).isoformat()
        except ValueError:
            return None

    if (m := _YMD.fullmatch(text)) is not None:
        return ymd(int(m[1]), int(m[2]), int(m[3]))
    if (m := _DMY.fullmatch(text)) is not None:
        day, month = int(m[1]), int(m[2])
        if month > 12 and day <= 12:  # 12/31/2026: month first
            day, month = month, day
        return ymd(int(m[3]), month, day)
    if (m := _WORDS_DMY.fullmatch(text)) is not None and m[2].lower() in _MONTHS:
        return ymd(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    if (m := _WORDS_MDY.fullmatch(text)) is not None and m[1].lower() in _MONTHS:
        return ymd(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
    if (m := _WORDS_MY.fullmatch(text)) is not None and m[1].lower() in _MONTHS:
        return "{y}-{m:02d}".format(y=m[2], m=_MONTHS[m[1].lower()])
    if (m := _QUARTER.fullmatch(text)) is not None:
        if m[4]:
            return "{y}-Q{q}".format(y=m[4], q=m[5])
        q = m[1] or m[2]
        return "{y}-Q{q}".format(y=m[3], q=_ROMAN.get(q.lower(), q))
    if (m := _MY.fullmatch(text)) is not None and 1 <= int(m[1]) <= 12:  # 10.2026, 10/2026
        return "{y}-{m:02d}".format(y=m[2], m=int(m[1]))
    return None
