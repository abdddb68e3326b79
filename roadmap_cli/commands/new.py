"""roadmap new ROADMAP_ID: scaffold a new document that validates from the start."""

from __future__ import annotations

import re
from datetime import date

import click

from roadmap_cli import i18n
from roadmap_cli.commands import _complete
from roadmap_cli.commands._common import interface_lang_option, no_cache_option, open_cache, reading
from roadmap_cli.i18n import N_, _
from roadmap_cli.rules import EXAMPLE_TITLE

KINDS = ("roadmap", "memorandum", "action_plan", "agreement")
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
_YEARS = re.compile(r"(\d{4})(?:-(\d{4}))?\Z")

#: Cyrillic letters: a title in them is kept under ``ru:``
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

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
  {title_lang}: {title}
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
      en: {example}
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
    from roadmap_cli.yamlscalar import scalar_text

    signed_text = f"{{date: {signed.isoformat()}"
    if place:
        signed_text += f", place: {scalar_text(place, flow=True)}"
    signed_text += "}"
    return TEMPLATE.format(
        today=today.isoformat(),
        id=roadmap_id,
        kind=kind,
        title_lang="ru" if _CYRILLIC.search(title) else "en",  # (as init names an agency)
        title=scalar_text(title),
        parties=", ".join(scalar_text(p, flow=True) for p in parties),
        signed=signed_text,
        start=start.isoformat(),
        end=end.isoformat(),
        owner=scalar_text(parties[0], flow=True),
        example=EXAMPLE_TITLE,
    )


def _registered(folder: str, typed: list[str]) -> tuple[str, ...]:
    """The agency ids of the parties typed, from the folder's agencies.yaml (any case, names
    and short names too); a party that is not registered is a usage error."""
    import os

    from roadmap_cli import resolve
    from roadmap_cli.load import load_sources
    from roadmap_cli.sources import AGENCIES_FILE, Sources, read_sources

    registry = os.path.join(folder, AGENCIES_FILE)
    if not os.path.isfile(registry):
        raise click.UsageError(
            _("{path} does not exist: every document's parties must be registered there; start "
              "a repository with `roadmap init` (see the README, Getting started)").format(path=registry)
        )
    repo = load_sources(read_sources(Sources(agencies=[(registry, None)])))
    if repo.errors:
        raise click.UsageError(
            _("{path} has errors; fix them first (see `roadmap validate`)").format(path=registry)
        )
    ids = []
    for text in typed:
        try:
            ids.append(resolve.agency(text, repo.agencies))
        except resolve.NotFound as e:
            if str(e).endswith("?"):
                advice = _("{problem} Or add the agency to {path} first")
            else:
                advice = _("{problem}; add the agency to {path} first")
            raise click.BadParameter(
                advice.format(problem=e, path=registry),
                param_hint="--party",
            ) from None
    if len(set(ids)) != len(ids):
        raise click.BadParameter(_("a party is given twice"), param_hint="--party")
    return tuple(ids)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    from roadmap_cli.periods import parse_typed_date

    if value is None:
        return None
    try:
        return parse_typed_date(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None


def _period(start: date | None, end: date | None, years: str | None) -> tuple[date, date]:
    if years is not None:
        if start is not None or end is not None:
            raise click.UsageError(_("give either --period or --start/--end, not both"))
        m = _YEARS.fullmatch(years.strip())
        if m is None:
            raise click.BadParameter(
                _("{years}: expected years such as 2026-2028 or 2026").format(years=repr(years)),
                param_hint="--period",
            )
        first, last = int(m[1]), int(m[2] or m[1])
        if first > last:
            raise click.BadParameter(_("{years}: the years run backwards").format(years=repr(years)),
                                     param_hint="--period")
        from roadmap_cli.limits import FIRST_YEAR, LAST_YEAR

        if not FIRST_YEAR <= first <= last <= LAST_YEAR:  # (the years the files may name)
            raise click.BadParameter(_("{years}: give years from {first} to {last}").format(
                years=repr(years), first=FIRST_YEAR, last=LAST_YEAR), param_hint="--period")
        return date(first, 1, 1), date(last, 12, 31)
    if start is None or end is None:
        raise click.UsageError(
            _("the document needs its period: --period 2026-2028, or --start DATE and --end DATE")
        )
    if start > end:
        raise click.BadParameter(_("--start {start} is after --end {end}").format(start=start, end=end),
                                 param_hint="--start")
    return start, end


HELP = N_(
    """Scaffold a new roadmap document.

    Writes FOLDER/ROADMAP_ID.yaml (FOLDER: default roadmaps/) from a template: the schema
    modeline, id, kind, title, parties, signature, period, one example section and one
    example measure in it, with its expected result. The file is
    validated with the rest of the repository before it is written, and an existing file is
    never overwritten (exit 3).

    The parties must be in the folder's agencies.yaml (start one with `roadmap init`). The
    example measure is flagged by `roadmap validate` (warning example-measure) until it is
    replaced with the document's own.
    """
)

#: the example of the help (a command line: not translated)
EXAMPLES = ("roadmap new kz-by-transport-2026-2027 --party kz-mic,by-minprom --period 2026-2027",)


@click.command("new", help=i18n.help_with_examples(_(HELP), _("Example:"), EXAMPLES))
@click.argument("roadmap_id", metavar="ROADMAP_ID")
@click.argument("folder", required=False, type=click.Path())
@click.option("--party", "party_args", multiple=True, required=True, metavar="AGENCY[,AGENCY...]",
              shell_complete=_complete.agencies,
              help=_("The signatories, from agencies.yaml: repeat it or separate ids with commas "
                     "(--party kz-mic,by-minprom); ids in any case, names or short names too. The "
                     "first one owns the example measure."))
@click.option("--kind", type=click.Choice(KINDS), default="roadmap", show_default=True,
              help=_("Kind of document."))
@click.option("--title", metavar="TEXT",
              help=_("Official title, in Russian or in English (kept as ru: or en:; default: the id)."))
@click.option("--period", "years", metavar="YYYY-YYYY", help=_("The years the document covers."))
@click.option("--start", callback=_date, metavar="DATE", help=_("First day of the period."))
@click.option("--end", callback=_date, metavar="DATE", help=_("Last day of the period."))
@click.option("--signed", callback=_date, metavar="DATE",
              help=_("Date of signature (default: today)."))
@click.option("--place", metavar="TEXT", help=_("Place of signature, e.g. Astana."))
@interface_lang_option
@no_cache_option
def command(
    roadmap_id: str,
    folder: str | None,
    party_args: tuple[str, ...],
    kind: str,
    title: str | None,
    years: str | None,
    start: date | None,
    end: date | None,
    signed: date | None,
    place: str | None,
    no_cache: bool,
) -> None:
    """The command (its help for people: :data:`HELP`)."""
    import os

    from roadmap_cli import safewrite
    from roadmap_cli.commands.update import (
        problems_of,
        refuse_invalid,
        show_new_warnings,
        with_file,
    )
    from roadmap_cli.errors import WriteConflict
    from roadmap_cli.load import default_paths
    from roadmap_cli.sources import find_files, read_sources

    if not _SLUG.fullmatch(roadmap_id):
        raise click.BadParameter(
            _("{id!r}: a document id is lowercase letters and digits in groups joined by single "
              "hyphens, e.g. kz-by-transport-2026-2027").format(id=roadmap_id),
            param_hint="ROADMAP_ID",
        )
    typed = [p.strip() for arg in party_args for p in arg.split(",") if p.strip()]
    if not typed:
        raise click.BadParameter(_("give at least one agency id"), param_hint="--party")
    for text, hint in ((title, "--title"), (place, "--place")):
        if text is not None and (not text.strip() or any(ord(c) < 0x20 for c in text)):
            raise click.BadParameter(_("give one line of text"), param_hint=hint)
    first, last = _period(start, end, years)
    today = date.today()

    folder = folder or default_paths()[0]
    if not os.path.isdir(folder):
        hint = ""
        if os.path.sep not in folder and _SLUG.fullmatch(folder):
            hint = _(
                "; to give several parties, repeat --party or separate them with commas: "
                "--party {first},{folder}").format(first=typed[-1], folder=folder)
        raise click.BadParameter(_("{folder}: no such folder").format(folder=folder) + hint,
                                 param_hint="FOLDER")
    name = os.path.join(folder, f"{roadmap_id}.yaml")
    safewrite.refuse_a_folder_led_out(name)  # (before its agencies.yaml is read)
    parties = _registered(folder, typed)
    if os.path.lexists(name):
        raise WriteConflict(
            _("roadmap: {name} already exists; nothing was written (refusing to overwrite)").format(name=name)
        )

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
    # the files before it: their ids from the cache (as update does), not read and checked again
    with reading(label=_("checking files")) as on_file:  # gone before anything is printed
        after = problems_of(with_file(sources, name, data), name, open_cache([folder], not no_cache), on_file=on_file)
    refuse_invalid(
        after, name, text,
        _("roadmap: refusing to create {name}: it would have {{n}} error(s); nothing was "
          "written").format(name=name),
    )
    show_new_warnings([], after, name, text)
    safewrite.create_file(name, data)
    click.echo(_("created {name}: edit it, then run `roadmap validate`").format(name=name))
