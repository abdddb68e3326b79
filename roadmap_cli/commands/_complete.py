"""Shell completion (click's ``shell_complete``): document ids, ROADMAP/MEASURE, agency ids and
git revisions, read from the roadmap folder the command would read. Completion never fails: on
any problem it offers nothing. See the README ("Shell completion") for bash, zsh and fish."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import click
from click.shell_completion import CompletionItem

Completer = Callable[[click.Context, click.Parameter, str], list[CompletionItem]]

#: completion reads at most this many files of a folder
MAX_FILES = 500


def _quiet(fn: Completer) -> Completer:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        try:
            return fn(ctx, param, incomplete)
        except Exception:  # a completion offers nothing rather than print a traceback mid-line
            return []

    return complete


def _folder(ctx: click.Context) -> str:
    """The roadmap folder: the first PATHS argument (or its folder), else roadmaps/ found as the
    commands find it (``--dir`` for diff and history)."""
    from roadmap_cli.workspace import default_folder

    given = list(ctx.params.get("paths") or ()) or ([ctx.params["folder"]] if ctx.params.get("folder") else [])
    if given:
        first = given[0]
        return first if os.path.isdir(first) else os.path.dirname(first) or "."
    return default_folder()


def _document_files(folder: str) -> dict[str, str]:
    """Document id (the file name without .yaml, as the format asks) -> file."""
    from roadmap_cli.sources import AGENCIES_FILE, YAML_SUFFIXES

    found: dict[str, str] = {}
    for entry in sorted(os.scandir(folder), key=lambda e: e.name)[:MAX_FILES]:
        if entry.name.endswith(YAML_SUFFIXES) and entry.name != AGENCIES_FILE and entry.is_file():
            found.setdefault(os.path.splitext(entry.name)[0], entry.path)
    return found


def _read(path: str) -> Any:
    """The data of the file ``path``, or None: never a file a link leads to outside its folder
    (the shell would show its ids and titles), nor anything but a regular file (a named pipe
    would hang the shell's completion); read as the loader reads (docs/security.md)."""
    from roadmap_cli.sources import inside_its_folder
    from roadmap_cli.yamlsrc import MAX_FILE_BYTES, parse

    if not os.path.isfile(path) or not inside_its_folder(path):
        return None
    with open(path, "rb") as f:
        return parse(f.read(MAX_FILE_BYTES + 1), path).data


def _title(value: Any) -> str:
    from roadmap_cli.model import pick

    text = pick(value) if isinstance(value, (str, dict)) else ""
    return text if len(text) <= 60 else text[:57] + "..."


def _starts(value: str, incomplete: str) -> bool:
    return value.casefold().startswith(incomplete.casefold())


@_quiet
def documents(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    return [CompletionItem(rid) for rid in _document_files(_folder(ctx)) if _starts(rid, incomplete)]


def _measures(ctx: click.Context, incomplete: str, bare_documents: bool) -> list[CompletionItem]:
    files = _document_files(_folder(ctx))
    doc, sep, part = incomplete.partition("/")
    if not sep:
        matching = [rid for rid in files if _starts(rid, doc)]
        if len(matching) == 1 and not bare_documents:  # one document: straight to its measures
            return _measures(ctx, matching[0] + "/", bare_documents)
        return [CompletionItem(rid) for rid in matching]
    path = files.get(doc) or next((f for rid, f in files.items() if rid.casefold() == doc.casefold()), None)
    if path is None:
        return []
    data = _read(path)
    measures = data.get("measures") if isinstance(data, dict) else None
    out = []
    for m in measures if isinstance(measures, list) else ():
        mid = m.get("id") if isinstance(m, dict) else None
        if isinstance(mid, str) and _starts(mid, part):
            out.append(CompletionItem(f"{doc}/{mid}", help=_title(m.get("title"))))
    return out


@_quiet
def targets(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """ROADMAP or ROADMAP/MEASURE (show)."""
    return _measures(ctx, incomplete, bare_documents=True)


@_quiet
def measures(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """ROADMAP/MEASURE (update, history)."""
    return _measures(ctx, incomplete, bare_documents=False)


@_quiet
def agencies(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from roadmap_cli.sources import AGENCIES_FILE

    data = _read(os.path.join(_folder(ctx), AGENCIES_FILE))
    items = data.get("agencies") if isinstance(data, dict) else None
    out = []
    for a in items if isinstance(items, list) else ():
        aid = a.get("id") if isinstance(a, dict) else None
        if isinstance(aid, str) and _starts(aid, incomplete):
            out.append(CompletionItem(aid, help=_title(a.get("short") or a.get("name"))))
    return out


@_quiet
def revisions(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from roadmap_cli.git import GitRepo

    return [CompletionItem(r) for r in GitRepo.find(".").refs() if r.startswith(incomplete)]


@_quiet
def windows(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """--within: the named ends of a period (next-month...), once a letter is typed (a number
    of days or a date has nothing to complete)."""
    if not incomplete[:1].isalpha():
        return []
    from roadmap_cli.periods import PERIOD_END_NAMES

    return [CompletionItem(w) for w in PERIOD_END_NAMES if w.startswith(incomplete.lower())]
