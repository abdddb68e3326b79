"""roadmap new ROADMAP_ID: scaffold a new document that validates from the start."""

from __future__ import annotations

import re
from datetime import date

import click

KINDS = ("roadmap", "memorandum", "action_plan", "agreement")
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
_YEARS = re.compile(r"(\d{4})(?:-(\d{4}))?\Z")

#: The template. Values are already YAML text (quoted where needed).
TEMPLATE = """\
# yaml-language-server: $schema=../schemas/roadmap.schema.json
#
# Created with `roadmap new` on {today}. Say here where the content comes from (the signed
# text, public reports) and what is reconstructed; then replace the example measure with the
# document's own measures and check the file with `roadmap validate`. The measures are
# grouped under the document's section headings (`sections`); deadlines tied to an event and
# deadlines moved by a protocol are described in docs/format.md (events, amendments).
id: {id}
kind: {kind}
title:
  en: {title}
parties: [{parties}]
signed: {signed}
period: {{start: {start}, end: {end}}}
sections:
  - id: "1"
    title:
      en: Example section (replace it with the first heading of the document)
measures:
  - id: "1.1"
    section: "1"
    title:
      en: Example measure (replace it with the first measure of the document)
    result:
      en: Example expected result (as the document words it; remove it if none is named)
    owners: [{owner}]
    due: {end}
    status: not_started
"""


def render(
    roadmap_id: str,
    *,
    kind: str,
    title: str,
    parties: tuple[str, ...],
    signed: date,
    place: str | None,
    start: date,
    end: date,
    today: date,
) -> str:
    """The text of a new document (pure)."""
    from roadmap_cli.edit import scalar_text

    signed_text = f"{{date: {signed.isoformat()}"
    if place:
        signed_text += f", place: {scalar_text(place, flow=True)}"
    signed_text += "}"
    return TEMPLATE.format(
        today=today.isoformat(),
        id=roadmap_id,
        kind=kind,
        title=scalar_text(title),
        parties=", ".join(scalar_text(p, flow=True) for p in parties),
        signed=signed_text,
        start=start.isoformat(),
        end=end.isoformat(),
        owner=scalar_text(parties[0], flow=True),
    )


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    from roadmap_cli.schedule import parse_date

    if value is None:
        return None
    try:
        return parse_date(value.strip())
    except ValueError as e:
        raise click.BadParameter(str(e)) from None


def _period(start: date | None, end: date | None, years: str | None) -> tuple[date, date]:
    if years is not None:
        if start is not None or end is not None:
            raise click.UsageError("give either --period or --start/--end, not both")
        m = _YEARS.fullmatch(years.strip())
        if m is None:
            raise click.BadParameter(
                f"{years!r}: expected years such as 2026-2028 or 2026", param_hint="--period"
            )
        first, last = int(m[1]), int(m[2] or m[1])
        if not 1900 <= first <= last <= 9999:
            raise click.BadParameter(f"{years!r}: the years run backwards", param_hint="--period")
        return date(first, 1, 1), date(last, 12, 31)
    if start is None or end is None:
        raise click.UsageError(
            "the document needs its period: --period 2026-2028, or --start DATE and --end DATE"
        )
    if start > end:
        raise click.BadParameter(f"--start {start} is after --end {end}", param_hint="--start")
    return start, end


@click.command("new")
@click.argument("roadmap_id", metavar="ROADMAP_ID")
@click.argument("folder", required=False, type=click.Path())
@click.option("--party", "parties", multiple=True, required=True, metavar="AGENCY",
              help="A signatory, by agency id from agencies.yaml (repeatable; the first one "
              "owns the example measure).")
@click.option("--kind", type=click.Choice(KINDS), default="roadmap", show_default=True,
              help="Kind of document.")
@click.option("--title", metavar="TEXT", help="Official title in English (default: the id).")
@click.option("--period", "years", metavar="YYYY-YYYY", help="The years the document covers.")
@click.option("--start", callback=_date, metavar="DATE", help="First day of the period.")
@click.option("--end", callback=_date, metavar="DATE", help="Last day of the period.")
@click.option("--signed", callback=_date, metavar="DATE", help="Date of signature (default: today).")
@click.option("--place", metavar="TEXT", help="Place of signature, e.g. Astana.")
def command(
    roadmap_id: str,
    folder: str | None,
    parties: tuple[str, ...],
    kind: str,
    title: str | None,
    years: str | None,
    start: date | None,
    end: date | None,
    signed: date | None,
    place: str | None,
) -> None:
    """Scaffold a new roadmap document.

    Writes FOLDER/ROADMAP_ID.yaml (FOLDER: default roadmaps/) from a template: the schema
    modeline, id, kind, title, parties, signature, period, one example section and one
    example measure in it, with its expected result. The file is
    validated with the rest of the repository before it is written, and an existing file is
    never overwritten (exit 3).

    \b
    Example:
      roadmap new kz-by-transport-2026-2027 --party kz-mic --party by-minprom --period 2026-2027
    """
    import os

    from roadmap_cli import safewrite
    from roadmap_cli.commands.update import (
        problems_of,
        refuse_invalid,
        show_new_warnings,
        with_file,
    )
    from roadmap_cli.errors import WriteConflict
    from roadmap_cli.load import default_paths, find_files, read_sources

    if not _SLUG.fullmatch(roadmap_id):
        raise click.BadParameter(
            f"{roadmap_id!r}: a document id is lowercase letters and digits in groups joined by "
            "single hyphens, e.g. kz-by-transport-2026-2027",
            param_hint="ROADMAP_ID",
        )
    for p in parties:
        if not _SLUG.fullmatch(p):
            raise click.BadParameter(f"{p!r} is not an agency id", param_hint="--party")
    if len(set(parties)) != len(parties):
        raise click.BadParameter("a party is given twice", param_hint="--party")
    for text, hint in ((title, "--title"), (place, "--place")):
        if text is not None and (not text.strip() or any(ord(c) < 0x20 for c in text)):
            raise click.BadParameter("give one line of text", param_hint=hint)
    first, last = _period(start, end, years)
    today = date.today()

    folder = folder or default_paths()[0]
    if not os.path.isdir(folder):
        raise click.BadParameter(f"{folder}: no such folder", param_hint="FOLDER")
    name = os.path.join(folder, f"{roadmap_id}.yaml")
    if os.path.lexists(name):
        raise WriteConflict(f"roadmap: {name} already exists; nothing was written (refusing to overwrite)")

    text = render(
        roadmap_id,
        kind=kind,
        title=(title or roadmap_id).strip(),
        parties=parties,
        signed=signed or today,
        place=place.strip() if place else None,
        start=first,
        end=last,
        today=today,
    )
    data = text.encode("utf-8")
    sources = read_sources(find_files([folder]))
    after = problems_of(with_file(sources, name, data), name)
    refuse_invalid(
        after, name, text,
        f"roadmap: refusing to create {name}: it would have {{n}} error(s); nothing was written",
    )
    show_new_warnings([], after, name, text)
    safewrite.create_file(name, data)
    click.echo(f"created {name}: edit it, then run `roadmap validate`")
