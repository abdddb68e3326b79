"""roadmap update ROADMAP/MEASURE: record progress on one measure with a minimal edit of its file.

The edit is computed in memory (``roadmap_cli.edit``), validated with the rest of the repository
(``load.load_sources``) and only then written (``roadmap_cli.safewrite``). See docs/update.md.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from roadmap_cli.commands import _complete
from roadmap_cli.commands._common import paths_argument, source_line, split_target

if TYPE_CHECKING:
    from roadmap_cli.load import Sources
    from roadmap_cli.model import Problem

STATUSES = ("not_started", "in_progress", "done", "blocked", "cancelled")


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    from roadmap_cli.schedule import parse_date

    if value is None:
        return None
    try:
        when = parse_date(value.strip())
    except ValueError as e:
        raise click.BadParameter(str(e)) from None
    today = date.today()
    if when > today:
        # a completion, report, actual or evidence records what has happened
        raise click.BadParameter(
            "{when} is after today ({today}): the date records what has happened; "
            "check the year".format(when=when.isoformat(), today=today.isoformat())
        )
    return when


def _due(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from roadmap_cli.schedule import parse_due

    if value is None:
        return None
    value = value.strip()
    try:
        parse_due(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None
    return value


def _actuals(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out = []
    for item in value:
        ind, sep, number = item.partition("=")
        if not sep or not ind.strip() or not number.strip():
            raise click.BadParameter(
                f"{item!r}: expected INDICATOR=VALUE, e.g. tractors-per-year=5600"
            )
        out.append((ind.strip(), number.strip()))
    return tuple(out)


# --- shared with `roadmap new` -------------------------------------------------------------------


def with_file(sources: Sources, name: str, data: bytes) -> Sources:
    """A copy of ``sources`` in which the roadmap file ``name`` holds ``data`` (added if new)."""
    from roadmap_cli.load import Sources

    roadmaps = [(n, data if n == name else d) for n, d in sources.roadmaps]
    if not any(n == name for n, _ in roadmaps):
        roadmaps.append((name, data))
    return Sources(
        agencies=list(sources.agencies),
        roadmaps=roadmaps,
        problems=list(sources.problems),
        agencies_expected=sources.agencies_expected,
    )


def problems_of(sources: Sources, name: str) -> list[Problem]:
    """The problems that loading ``sources`` finds in the file ``name``."""
    from roadmap_cli.load import load_sources

    return [p for p in load_sources(sources).problems if p.file == name]


def text_source(name: str, text: str) -> Callable[[str, int], str | None]:
    """Source lines for error excerpts: ``name`` from ``text`` (in memory), others from disk."""
    from roadmap_cli.edit import split_lines

    lines = split_lines(text)

    def source(file: str, line: int) -> str | None:
        if file == name:
            return lines[line - 1] if 0 < line <= len(lines) else None
        return source_line(file, line)

    return source


def refuse_invalid(problems: list[Problem], name: str, text: str, message: str) -> None:
    """Print the located errors (excerpts from the candidate text) and exit 1."""
    from roadmap_cli import render
    from roadmap_cli.errors import DataError
    from roadmap_cli.model import Severity

    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        render.render_problems(problems, "text", out=sys.stderr, source=text_source(name, text))
        raise DataError(message.format(n=len(errors)))


def show_new_warnings(before: list[Problem], after: list[Problem], name: str, text: str) -> None:
    from roadmap_cli import render

    known = {(p.rule, p.message) for p in before}
    fresh = [p for p in after if (p.rule, p.message) not in known]
    if fresh:
        render.render_problems(fresh, "text", out=sys.stderr, source=text_source(name, text))


BOM = b"\xef\xbb\xbf"


# --- the command ---------------------------------------------------------------------------------


@click.command("update")
@click.argument("target", metavar="ROADMAP/MEASURE", shell_complete=_complete.measures)
@click.option("--status", type=click.Choice(STATUSES), help="New status. done sets completed "
              "(from --on) and drops progress; blocked and cancelled need --reason.")
@click.option("--progress", type=click.IntRange(0, 100), metavar="N",
              help="Percent complete, 0..100 (in_progress measures).")
@click.option("--completed", callback=_date, metavar="DATE",
              help="Completion date of a done measure (default: --on).")
@click.option("--reason", metavar="TEXT", help="Why the measure is blocked or cancelled.")
@click.option("--due", callback=_due, metavar="DUE",
              help="New deadline: 2026-10-15, 2026-10, 2026-Q4, 2026-H1, 2026, ongoing or "
              "on_request.")
@click.option("--by", metavar="AMENDMENT",
              help="With --due: the amendment (an id of the document's amendments) that moved "
              "the deadline; the due it replaces is kept in the measure's `rescheduled` list, so "
              "the move is not a slip.")
@click.option("--event", metavar="ID",
              help="Record the date (--on, default today) of the event ID of the document: "
              "give ROADMAP alone as the target.")
@click.option("--evidence", metavar="TITLE", help="Add an evidence entry (dated --on).")
@click.option("--url", metavar="URL", help="Where the --evidence can be read.")
@click.option("--reported", multiple=True, metavar="PERIOD",
              help="Add a report for this period of a recurring measure, e.g. 2026-Q3 "
              "(dated --on; repeatable).")
@click.option("--actual", "actuals", multiple=True, callback=_actuals, metavar="INDICATOR=VALUE",
              help="Add an indicator value dated --on, e.g. tractors-per-year=5600 (repeatable).")
@click.option("--on", callback=_date, metavar="DATE",
              help="The date for completed, reports, actuals and evidence. Default: today.")
@click.option("--dry-run", is_flag=True, help="Print the change as a unified diff; write nothing.")
@paths_argument
def command(target: str, paths: tuple[str, ...], dry_run: bool, **options: Any) -> None:
    """Record progress on a measure, editing its file minimally.

    Changes only the lines that must change (every other byte of the file stays as it was),
    checks the result with the rest of the repository before writing, and writes safely:
    refused with exit 1 when the result would be invalid, exit 3 when the file is locked,
    read-only, or changed since it was read. PATHS: the roadmap folder (default: roadmaps/).

    \b
    Examples:
      roadmap update kz-by-industrial-cooperation-2026-2028/2.1 --status done --on 2026-11-20
      roadmap update kz-by-industrial-cooperation-2026-2028/1.4 --reported 2026-Q3
      roadmap update astana-minsk-2026-2028/1.3 --status cancelled --reason "Site not found"
      roadmap update kz-by-industrial-cooperation-2026-2028/2.2 --due 2026-12 --by protocol-1
      roadmap update kz-by-industrial-cooperation-2026-2028 --event entry-into-force --on 2026-03-01
    """
    from roadmap_cli import edit, safewrite
    from roadmap_cli.errors import DataError, UsageError
    from roadmap_cli.load import Sources, default_paths, find_files, read_sources

    event = options["event"]
    if event is not None:
        others = [k for k, v in options.items() if k not in ("event", "on") and v not in (None, ())]
        if others:
            raise click.UsageError(
                "--event records an event's date only; give --{opt} in another update".format(
                    opt=others[0]
                )
            )
        if "/" in target:
            raise click.BadParameter(
                "{target!r}: with --event give the document alone (ROADMAP), e.g. "
                "kz-by-industrial-cooperation-2026-2028".format(target=target),
                param_hint="ROADMAP",
            )
        roadmap_id, measure_id = target, None
    else:
        roadmap_id, measure_id = split_target(target)
    sources = read_sources(find_files(list(paths) or default_paths()))
    name = _find_document(sources, roadmap_id)
    roadmap_id = _document_id(sources, name, roadmap_id)
    old = dict(sources.roadmaps)[name]
    assert old is not None
    bom = BOM if old.startswith(BOM) else b""
    old_text = old[len(bom):].decode("utf-8", errors="replace")  # strict once checked below

    # the file as it is, with agencies.yaml (cheap: the other documents cannot change whether
    # this one is valid, except by a duplicate id, which the full check below still catches)
    alone = Sources(agencies=list(sources.agencies), roadmaps=[(name, old)],
                    problems=list(sources.problems), agencies_expected=sources.agencies_expected)
    before = problems_of(alone, name)
    refuse_invalid(
        before, name, old_text,
        f"roadmap: {name} has {{n}} error(s) already; fix them (see `roadmap validate`) "
        "before updating it; nothing was written",
    )
    old_text = old[len(bom):].decode("utf-8")  # a file that is not UTF-8 was refused above
    if measure_id is not None:  # --event edits the document, not a measure
        measure_id = _measure_id(old, name, roadmap_id, measure_id)

    update = edit.Update(
        by=options["by"],
        status=options["status"],
        progress=options["progress"],
        completed=options["completed"],
        reason=options["reason"],
        due=options["due"],
        evidence=options["evidence"],
        url=options["url"],
        reported=tuple(options["reported"]),
        actuals=options["actuals"],
        on=options["on"],
    )
    try:
        if measure_id is None:
            from roadmap_cli.edit_signed import record_event

            result = record_event(old_text, event, options["on"] or date.today(), date.today())
        else:
            result = edit.update_measure(old_text, measure_id, update, date.today())
    except edit.UnsafeEdit as e:
        raise DataError(f"roadmap: {name}: {e}; nothing was written") from None
    except edit.EditError as e:
        raise UsageError(f"roadmap: update {target}: {e}") from None

    label = roadmap_id if measure_id is None else f"{roadmap_id}/{measure_id}"
    if result.text == old_text:
        click.echo(f"{label}: nothing to change", err=True)
        return
    new = bom + result.text.encode("utf-8")
    after = problems_of(with_file(sources, name, new), name)
    refuse_invalid(
        after, name, result.text,
        f"roadmap: refusing the update: it would leave {{n}} error(s) in {name}; "
        "nothing was written",
    )
    show_new_warnings(before, after, name, result.text)

    if dry_run:
        click.echo(edit.unified_diff(old_text, result.text, name), nl=False)
        click.echo("(dry run: nothing was written)", err=True)
        return
    safewrite.replace_file(name, old, new)
    click.echo(f"{name}: {label}")
    for line in result.changes:
        click.echo(f"  {line}")


def _document_id(sources: Sources, name: str, typed: str) -> str:
    """The id of the document in file ``name`` (``typed`` when it cannot be read)."""
    from roadmap_cli.yamlsrc import parse

    data = dict(sources.roadmaps).get(name)
    doc = parse(data, name).data if data is not None else None
    rid = doc.get("id") if isinstance(doc, dict) else None
    return rid if isinstance(rid, str) else typed


def _measure_id(data: bytes, name: str, roadmap_id: str, typed: str) -> str:
    """The measure id ``typed`` names in a valid document file (any case), else a usage error."""
    from roadmap_cli import resolve
    from roadmap_cli.errors import UsageError
    from roadmap_cli.yamlsrc import parse

    doc = parse(data, name).data
    measures = doc.get("measures") if isinstance(doc, dict) else None
    ids = [m["id"] for m in measures or () if isinstance(m, dict) and isinstance(m.get("id"), str)]
    try:
        return resolve.measure(typed, ids, roadmap_id)
    except resolve.NotFound as e:
        raise UsageError("roadmap: update {roadmap}/{measure}: {problem}".format(
            roadmap=roadmap_id, measure=typed, problem=e)) from None


def _find_document(sources: Sources, roadmap_id: str) -> str:
    """The file holding the document ``roadmap_id``: by its ``id``, else (a file too broken to
    read its id) by its name."""
    import os

    from roadmap_cli.errors import UsageError
    from roadmap_cli.yamlsrc import parse

    def read_id(name: str, data: bytes) -> object:
        doc = parse(data, name).data
        return doc.get("id") if isinstance(doc, dict) else None

    named = [(n, d) for n, d in sources.roadmaps if os.path.basename(n) == f"{roadmap_id}.yaml"]
    for name, data in named:  # the usual case: the file is named after the id
        if data is not None and read_id(name, data) == roadmap_id:
            return name
    ids = []
    for name, data in sources.roadmaps:
        if data is None:
            continue
        doc = parse(data, name).data
        rid = doc.get("id") if isinstance(doc, dict) else None
        if rid == roadmap_id:
            return name
        if isinstance(rid, str):
            ids.append(rid)
    for name, data in sources.roadmaps:
        if os.path.basename(name) in (f"{roadmap_id}.yaml", f"{roadmap_id}.yml"):
            if data is None:
                raise UsageError(f"roadmap: {name}: the file cannot be read")
            return name
    from roadmap_cli import resolve

    try:
        found = resolve.document(roadmap_id, ids)  # in another case, or the start of an id
    except resolve.NotFound as e:
        raise UsageError("roadmap: {problem}".format(problem=e)) from None
    return _find_document(sources, found)
