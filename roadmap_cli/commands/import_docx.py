"""roadmap import FILE.docx: the signed Word table -> a roadmap file to review.

Only options and exit codes here: reading is :mod:`roadmap_cli.docx_read`, the table's meaning
:mod:`roadmap_cli.import_table`, the text :mod:`roadmap_cli.import_write`.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import date

import click

from roadmap_cli import i18n
from roadmap_cli.commands._common import no_cache_option
from roadmap_cli.commands.new import KINDS, _date, _period
from roadmap_cli.i18n import N_, _

LANGS = ("ru", "en", "kk", "be")


HELP = N_(
    """Import the table of a signed Word document into a roadmap file to review.

    Reads the table of measures of FILE.docx (columns "№ п/п", "Наименование мероприятия",
    "Срок исполнения", "Ответственные исполнители", "Ожидаемый результат", in any order, in
    Russian or English), turns each deadline phrase into a due form and each agency name into
    its id, and writes a roadmap file in which every measure is not_started. What it could not
    read is listed as FILE.docx:table T, row R, column C and left as TODO in the file, which
    `roadmap validate` reports as a warning until it is replaced. The file is checked before
    it is written; an existing file is never overwritten (exit 3).
    """
)

#: the example of the help (a command line: not translated)
EXAMPLES = (
    "roadmap import examples/kz-by-machinery-sample.docx \\",
    "    --id kz-by-machinery-2026-2028 --dry-run",
)


@click.command("import", help=i18n.help_with_examples(_(HELP), _("Example:"), EXAMPLES))
@click.argument("file", metavar="FILE.docx", type=click.Path(exists=True, dir_okay=False))
@click.option("--id", "roadmap_id", required=True, metavar="ID",
              help=_("The document's id, e.g. kz-by-transport-2026-2027 (also the file name)."))
@click.option("--kind", type=click.Choice(KINDS), default="roadmap", show_default=True,
              help=_("Kind of document."))
@click.option("--signed", callback=_date, metavar="DATE",
              help=_("Date of signature (default: from the text's \"Совершено ... 5 ноября 2025 "
                     "года\")."))
@click.option("--place", metavar="TEXT", help=_("Place of signature (default: from the text)."))
@click.option("--period", "years", metavar="YYYY-YYYY",
              help=_("The years the document covers (default: the years its deadlines name)."))
@click.option("--party", "parties", multiple=True, metavar="AGENCY",
              help=_("A signatory by agency id (repeatable; default: the agency of each country "
                     "named most often in the table)."))
@click.option("--title", metavar="TEXT",
              help=_("The document's title (default: the text above the table)."))
@click.option("--table", "table_number", type=click.IntRange(min=1), metavar="N",
              help=_("Read the N-th table (default: the first whose header names a measure and a "
                     "deadline)."))
@click.option("--lang", type=click.Choice(LANGS, case_sensitive=False),
              help=_("The language of the document's text, the key its titles are written under "
                     "(default: ru when the table's header is in Cyrillic, else en)."))
@click.option("-o", "--output", metavar="PATH", type=click.Path(dir_okay=False),
              help=_("Where to write (default: roadmaps/ID.yaml). An existing file is never "
                     "overwritten."))
@click.option("--dry-run", is_flag=True, help=_("Print the file instead of writing it."))
@no_cache_option
def command(
    file: str,
    roadmap_id: str,
    kind: str,
    signed: date | None,
    place: str | None,
    years: str | None,
    parties: tuple[str, ...],
    title: str | None,
    table_number: int | None,
    lang: str | None,
    output: str | None,
    dry_run: bool,
    no_cache: bool,
) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import safewrite
    from roadmap_cli.commands._common import open_cache, reading
    from roadmap_cli.commands.new import _SLUG
    from roadmap_cli.commands.update import problems_of, refuse_invalid, with_file
    from roadmap_cli.docx_read import DocxError, read
    from roadmap_cli.errors import DataError, UsageError, WriteConflict
    from roadmap_cli.import_header import TableError, choose_table
    from roadmap_cli.import_table import document_facts, own_signing, read_table
    from roadmap_cli.import_write import Options, render
    from roadmap_cli.load import default_paths, load_sources
    from roadmap_cli.sources import Sources, find_files, read_sources
    from roadmap_cli.yamlsrc import MAX_FILE_BYTES

    if not _SLUG.fullmatch(roadmap_id):
        raise click.BadParameter(
            _("{id!r}: a document id is lowercase letters and digits in groups joined by single "
            "hyphens, e.g. kz-by-transport-2026-2027").format(id=roadmap_id),
            param_hint="--id",
        )
    for text, hint in ((title, "--title"), (place, "--place")):
        if text is not None and (not text.strip() or any(ord(c) < 0x20 for c in text)):
            raise click.BadParameter(_("give one line of text"), param_hint=hint)
    name = output or os.path.join(default_paths()[0], "{id}.yaml".format(id=roadmap_id))
    folder = os.path.dirname(name) or "."
    if not os.path.isdir(folder):
        raise click.BadParameter(_("{folder}: no such folder").format(folder=folder), param_hint="-o")
    if not dry_run and os.path.lexists(name):
        raise WriteConflict(
            _("roadmap: {name} already exists; nothing was written (refusing to overwrite)").format(name=name)
        )
    shown = os.path.basename(file)

    try:
        document = read(file)
        table, header = choose_table(document.tables, table_number)
    except DocxError as e:
        raise DataError("roadmap: {file}: {reason}".format(file=file, reason=e)) from None
    except TableError as e:
        if e.usage:
            raise UsageError("roadmap: {file}: {reason}".format(file=file, reason=e.message)) from None
        raise DataError("roadmap: {file}: {reason}".format(file=file, reason=e.message)) from None

    sources = read_sources(find_files([folder]))
    cache = open_cache([folder], not no_cache)
    # the registry alone: the documents are read once, below, for what the new one's check
    # needs of them (their ids and occurrences), from the cache when it knows them
    repo = load_sources(Sources(agencies=sources.agencies, agencies_expected=sources.agencies_expected),
                        cache)
    if not repo.agencies:
        raise DataError(
            _("roadmap: {folder} has no readable agencies.yaml: agencies are matched against it "
            "(run `roadmap validate {folder}`)").format(folder=folder)
        )
    for p in parties:
        if p not in repo.agencies:
            raise click.BadParameter(_("{p!r} is no agency of agencies.yaml").format(p=p), param_hint="--party")
    if lang is None:
        header_text = " ".join(c.text for c in table.rows[header.row - 1])
        lang = "ru" if any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in header_text) else "en"
    imported = read_table(table, header, repo.agencies, lang)
    if table_number is None:
        from roadmap_cli.import_header import other_tables_of_measures
        from roadmap_cli.import_table import Message

        for n in other_tables_of_measures(document.tables, table):
            imported.messages.append(Message(n, None, None, "warning", _(
                "this table also looks like a table of measures (a table Word split, or one per "
                "section) and was not read: only table {first} was; its measures are not in the "
                "file (join the tables in Word, or import it with --table {n})"
            ).format(first=table.number, n=n)))
    found_title, found_signed, found_place = document_facts(table)

    for message in imported.messages:
        click.echo(message.render(file), err=True)
    if any(m.severity == "error" for m in imported.messages):
        raise DataError(_("roadmap: {file}: nothing was written").format(file=file))
    if not imported.measures:
        raise DataError(_("roadmap: {file}: table {n} holds no measures").format(file=file, n=imported.table))

    signed = signed or found_signed
    if signed is None:
        raise UsageError(
            _("roadmap: {file}: the date of signature is not in the text: give --signed DATE").format(file=file)
        )
    first, last = _document_period(years, imported.years, title or found_title)
    chosen = parties or tuple(imported.parties)
    if not chosen:
        raise UsageError(
            _("roadmap: {file}: no agency of agencies.yaml is named in the table: give the signatories "
            "with --party AGENCY").format(file=file)
        )
    from roadmap_cli.import_table import NOTES

    options = Options(
        id=roadmap_id,
        kind=kind,
        title=(title or found_title or NOTES[lang if lang in NOTES else "ru"]["doc_title"]).strip(),
        parties=chosen,
        signed=signed,
        place=place or found_place,
        start=first,
        end=last,
        lang=lang,
        source=shown,
        today=date.today(),
        event_dates={e.id: signed for e in imported.events if own_signing(e)},
    )
    text = render(imported, options)
    data = text.encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise DataError(
            _("roadmap: {file}: the roadmap file would be {size:,} bytes, more than the {limit:,} a "
            "roadmap file may have (docs/limits.md); nothing was written").format(
                file=file, size=len(data), limit=MAX_FILE_BYTES)
        )
    # the files before it: their ids from the cache (as update does), not read and checked again
    with reading(label=_("checking files")) as on_file:  # gone before anything is printed
        after = problems_of(with_file(sources, name, data), name, cache, on_file=on_file)
    refuse_invalid(
        after, name, text,
        _("roadmap: refusing to write {name}: it would have {{n}} error(s); nothing was written "
        "(this is a bug of roadmap import: please report it)").format(name=name),
    )
    todo = sum(1 for p in after if p.rule == "todo")
    summary = _(
        "{measures} measures in {sections} sections, parties {parties}, period {start} .. {end}; "
        "{todo} TODO(s) to replace (`roadmap validate` lists them)"
    ).format(
        measures=len(imported.measures), sections=len(imported.sections),
        parties=", ".join(chosen), start=i18n.day(first), end=i18n.day(last), todo=todo,
    )
    if dry_run:
        sys.stdout.write(text)
        click.echo(_("dry run: {name} not written; {summary}").format(name=name, summary=summary), err=True)
        return
    safewrite.create_file(name, data)
    click.echo(_("created {name}: {summary}. Review it against the signed document.").format(
        name=name, summary=summary))


#: the years a title names ("... на 2026–2028 годы", "... for 2026-2028", "... на 2026 год")
_TITLE_YEARS = re.compile(
    r"(?:(?<!\w)на|(?<!\w)for)\s+(\d{4})(?:\s*[\u2010-\u2015\u2212-]\s*(\d{4}))?\s*"
    r"(?:гг\.?|г\.?|годы|годов|год|years?)?(?!\w)",
    re.IGNORECASE,
)


def _title_years(title: str) -> list[int]:
    m = _TITLE_YEARS.search(title)
    if m is None:
        return []
    first, last = int(m[1]), int(m[2] or m[1])
    return [first, last] if 1900 <= first <= last <= 2199 else []


def _document_period(years: str | None, named: list[int], title: str = "") -> tuple[date, date]:
    """--period; else the years the title names ("на 2026–2028 годы") and those the deadlines
    name, together: a yearly measure recurs through the years the document was signed for."""
    from roadmap_cli.errors import UsageError

    if years is not None:
        return _period(None, None, years)
    named = [*named, *_title_years(title)]
    if not named:
        raise UsageError(
            _("roadmap: no deadline names a year: give the document's years with --period YYYY-YYYY"))
    return date(min(named), 1, 1), date(max(named), 12, 31)
