"""What every command shares: option decorators, loading with refusal on bad data, and the
source-line reader for error excerpts."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import fields, replace
from datetime import date
from typing import Any, TypeVar

import click

from roadmap_cli import i18n, render
from roadmap_cli.commands import _complete
from roadmap_cli.errors import DataError
from roadmap_cli.i18n import _, ngettext
from roadmap_cli.model import Measure, Repository, Roadmap, Severity
from roadmap_cli.record import Record, record
from roadmap_cli.textsafe import printable

F = TypeVar("F", bound=Callable[..., Any])

LANGS = i18n.LANGS


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date:
    from roadmap_cli.schedule import parse_as_of

    if value is None:
        return date.today()
    try:
        as_of = parse_as_of(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None
    from roadmap_cli.limits import FIRST_YEAR, LAST_YEAR

    if not FIRST_YEAR <= as_of.year <= LAST_YEAR:  # reports would compute past the year 9999
        raise click.BadParameter(
            _("{value} is outside the years {first} to {last}").format(
                value=value, first=FIRST_YEAR, last=LAST_YEAR
            )
        )
    return as_of


def paths_argument(f: F) -> F:
    return click.argument("paths", nargs=-1, type=click.Path())(f)


def format_option(*choices: str, default: str = "table") -> Callable[[F], F]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help=_("Output format."),
    )


def as_of_option(f: F) -> F:
    return click.option(
        "--as-of",
        "as_of",
        callback=_as_of,
        metavar="DATE",
        help=_("Compute as of this date: YYYY-MM-DD (or DD.MM.YYYY) or a period (2026-Q2 = "
               "its last day). Default: today."),
    )(f)


def _lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """The language chosen once (i18n.choose) and made active for every message; a command
    without its own --lang takes the group's (``roadmap --lang ru status``)."""
    if value is None:
        value = ctx.meta.get(i18n.GROUP_LANG)
    lang = i18n.choose(value)
    if lang != i18n.current():
        i18n.activate(lang)
    return lang


def _lang_option(f: F, help: str, expose_value: bool = True) -> F:
    return click.option(
        "--lang", type=click.Choice(LANGS, case_sensitive=False), default=None, callback=_lang, is_eager=True,
        expose_value=expose_value, help=help,
    )(f)


def lang_option(f: F) -> F:
    return _lang_option(f, _(
        "Language of the interface and of titles (kk and be fall back to ru, then en). "
        "Default: ROADMAP_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG), else en."))


def interface_lang_option(f: F) -> F:
    """``--lang`` of a command whose only language is the interface's (init, new):
    :func:`roadmap_cli.cli.main` has made it active already, before click wrote anything."""
    return _lang_option(f, _(
        "Language of the interface (kk and be fall back to ru, then en). "
        "Default: ROADMAP_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG), else en."),
        expose_value=False)


def excel_option(f: F) -> F:
    return click.option(
        "--excel",
        is_flag=True,
        help=_("CSV for a spreadsheet: UTF-8 with BOM, ';' between cells, decimal commas, "
               "headers in the interface language (implies --format csv)."),
    )(f)


def filter_options(f: F) -> F:
    """--roadmap, --agency, --country, --status."""
    f = measure_filter_options(f)
    f = click.option(
        "--roadmap", "roadmap_ids", multiple=True, metavar="ID", shell_complete=_complete.documents,
        help=_("Only this document (repeatable; any case, or the start of its id)."),
    )(f)
    return f


class StatusChoice(click.Choice[str]):
    """A status id, or the words the tables print for it (`в работе`, `выполнено`), as
    `update --status` and `apply` read them; anything else is click's error with the ids."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from roadmap_cli.cycle_text import read_status

        found = read_status(value) if isinstance(value, str) else None
        return super().convert(found if found is not None else value, param, ctx)


def measure_filter_options(f: F) -> F:
    """--agency, --country, --status: the filters of the measures within a document."""
    f = click.option(
        "--status",
        "statuses",
        multiple=True,
        type=StatusChoice(["not_started", "in_progress", "done", "blocked", "cancelled"]),
        help=_("Only measures with this status as of the date (repeatable)."),
    )(f)
    f = click.option("--country", metavar="CC", help=_("Only measures with an agency of this country (KZ, BY, ...)."))(f)
    f = click.option(
        "--agency", metavar="ID", shell_complete=_complete.agencies,
        help=_("Only measures this agency leads or co-executes (its id, name or short name)."),
    )(f)
    return f


def strict_option(f: F) -> F:
    return click.option(
        "--strict",
        is_flag=True,
        help=_("Refuse when any file has errors, not only agencies.yaml and the documents "
               "reported on."),
    )(f)


def no_cache_option(f: F) -> F:
    """--no-cache: the command receives ``no_cache`` (a report command: ``Query.no_cache``)."""
    return click.option(
        "--no-cache",
        "no_cache",
        is_flag=True,
        help=_("Read and check every file afresh; neither use nor fill the cache "
               "(also ROADMAP_NO_CACHE=1)."),
    )(f)


def quiet_stdout() -> None:
    """Standard output to nowhere, once its reader went away (``| head``, a pager quit early):
    what is still buffered, and whatever is written next, goes without a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def say(message: str = "", *, prose: bool = False) -> None:
    """One line on standard output about what a command that writes files is doing: a reader
    that goes away does not stop the writing. Its lines are dropped from then on; the files
    are written and the run ends as the work does (``roadmap apply ... | head``). With
    ``prose``, on a terminal, its lines wider than the terminal are broken (a terminal breaks
    them anywhere: 'roadma' / 'ps/agencies.yaml', '2026-20' / '28'): a sentence between words,
    an indented command line between its arguments with the shell's `` \\``."""
    if prose and render.is_terminal(sys.stdout):
        from shutil import get_terminal_size

        from roadmap_cli.textsafe import wrapped

        width = get_terminal_size().columns - 1
        lines = []
        for line in message.split("\n"):
            indent = line[: len(line) - len(line.lstrip(" "))]
            if len(line) <= width or width < 20:
                lines.append(line)
            elif indent:
                lines.extend(indent + part for part in i18n.example_lines(line.strip(), width - len(indent)))
            else:
                lines.append(wrapped(line, width))
        message = "\n".join(lines)
    try:
        click.echo(message)
    except BrokenPipeError:
        quiet_stdout()


def open_cache(paths: Sequence[str], use_cache: bool = True) -> Any:
    """The cache for loading ``paths`` (a roadmap_cli.cache.Cache), or None when ``use_cache``
    is false (--no-cache) or ROADMAP_NO_CACHE=1."""
    from roadmap_cli import workspace

    return workspace.open_cache(paths, use_cache, _cache_warning)


def warn_if_shallow(repo: Any) -> None:
    """One warning line on standard error when ``repo`` (a GitRepo) is a shallow clone: the
    history ``history`` and ``stale`` read is cut there (CI checks out one commit by default)."""
    if repo.shallow:
        click.echo(_("roadmap: warning: this is a shallow clone: its history is cut, so changes "
                     "made before its oldest commit are not known (they show as made by that "
                     "commit); `git fetch --unshallow` fetches the whole history"), err=True)


def _cache_warning(reason: str) -> None:
    """The one warning that the cache is not used, once a run: a command that opens the cache
    twice (``stale`` loads the folder, then reads its history) said it twice."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        told = ctx.find_root().meta.setdefault("roadmap_cli.cache_warnings", set())
        if reason in told:
            return
        told.add(reason)
    click.echo(
        _("roadmap: warning: the cache is not used: {reason}").format(reason=printable(reason)),
        err=True,
    )


@record
class Query(Record):
    """What every report command was asked: the files, the date, the filters and the output."""

    paths: tuple[str, ...]
    fmt: str
    lang: str
    roadmap_ids: tuple[str, ...]
    agency: str | None
    country: str | None
    statuses: tuple[str, ...]
    as_of: date
    #: --excel: CSV for a spreadsheet (csvout.to_csv)
    excel: bool = False
    strict: bool = False
    #: --no-cache: read and check every file afresh
    no_cache: bool = False


_QUERY_FIELDS = tuple(f.name for f in fields(Query))


def report_options(*formats: str, default: str = "table") -> Callable[[F], F]:
    """The options of every report command, with [PATH]... last. The command receives them as
    one :class:`Query` argument ``q`` (its other options as keyword arguments)."""

    def decorate(f: F) -> F:
        @functools.wraps(f)
        def with_query(**kwargs: Any) -> Any:
            if kwargs.get("excel"):
                given = click.get_current_context().get_parameter_source("fmt")
                if kwargs["fmt"] != "csv" and given is not click.core.ParameterSource.DEFAULT:
                    raise click.UsageError(_("--excel writes CSV: use it with --format csv"))
                kwargs["fmt"] = "csv"
            q = Query(**{name: kwargs.pop(name) for name in _QUERY_FIELDS if name in kwargs})
            return f(q, **kwargs)

        g: Any = with_query
        g = paths_argument(g)
        g = strict_option(g)
        g = no_cache_option(g)
        if "csv" in (formats or render.FORMATS):
            g = excel_option(g)
        g = format_option(*(formats or render.FORMATS), default=default)(g)
        g = lang_option(g)
        g = filter_options(g)
        g = as_of_option(g)
        return g  # type: ignore[no-any-return]

    return decorate


def format_of_output(q: Query, output: str | None, suffixes: Mapping[str, str]) -> Query:
    """``q`` with the format its output file's name says (``-o measures.csv``: CSV), when
    neither --format nor --excel was given and the name ends in one of ``suffixes`` (any
    case); else ``q`` as it is. A format given is never overridden."""
    if output is None or output == "-" or q.excel:
        return q
    given = click.get_current_context().get_parameter_source("fmt")
    if given not in (click.core.ParameterSource.DEFAULT, click.core.ParameterSource.DEFAULT_MAP):
        return q
    fmt = suffixes.get(os.path.splitext(output)[1].lower())
    return q if fmt is None else replace(q, fmt=fmt)


def source_line(file: str, line: int) -> str | None:
    """Line ``line`` of ``file`` on disk, for error excerpts (None when it cannot be read).

    Reads at most as much as the loader accepts (a 3 GB file of one line must not be read
    into memory to show an excerpt of it), and never a named pipe.
    """
    from roadmap_cli.limits import MAX_FILE_BYTES
    from roadmap_cli.sources import inside_its_folder

    budget = MAX_FILE_BYTES
    try:
        if not os.path.isfile(file) or not inside_its_folder(file):
            return None  # never a line of a file a link points to outside (docs/security.md)
        with open(file, encoding="utf-8-sig", errors="replace", newline="") as fh:
            number, text, after_cr = 1, "", False
            while budget > 0:
                chunk = fh.readline(min(budget, 1 << 16))
                if not chunk:
                    return text if number == line and text else None
                budget -= len(chunk)
                if after_cr and chunk == "\n":  # a CRLF split by the read limit: one line end
                    after_cr = False
                    continue
                if number == line:
                    text += chunk
                after_cr = chunk.endswith("\r")
                if chunk.endswith(("\n", "\r")):
                    if number == line:
                        return text
                    number += 1
    except OSError:
        return None
    return None


def load_or_refuse(
    paths: Sequence[str],
    roadmap_ids: Sequence[str] = (),
    strict: bool = False,
    on_file: Callable[[int, int], None] | None = None,
    use_cache: bool = True,
) -> Repository:
    """The data a report reads (:func:`roadmap_cli.workspace.load_valid`), its refusal shown as
    :func:`refuse_invalid` shows it. ``on_file``: see :func:`roadmap_cli.workspace.load`; without
    it, a load that takes longer than a second shows the files read on a terminal's standard
    error (:mod:`roadmap_cli.progress`), gone before anything is printed. ``use_cache`` false:
    --no-cache."""
    from roadmap_cli import workspace

    def load() -> workspace.Loaded:
        with reading(on_file) as step:
            return workspace.load_valid(paths, roadmap_ids, strict, use_cache, _cache_warning, step)

    return _shown(load)


@contextlib.contextmanager
def reading(on_file: Callable[[int, int], None] | None = None,
            label: str | None = None) -> Iterator[Callable[[int, int], None]]:
    """The ``on_file(done, total)`` of a load: the one given (a command that shows its own
    progress), else a stage of a :class:`roadmap_cli.progress.Progress` ("reading files", or
    ``label``) that is taken off the screen when the block ends (before the command prints)."""
    if on_file is not None:
        yield on_file
        return
    from roadmap_cli.progress import Progress

    with Progress() as shown:
        yield shown.stage(label or _("reading files"))


def refuse_invalid(repo: Repository, roadmap_ids: Sequence[str] = (), strict: bool = False) -> Repository:
    """The contract's partial refusal (:func:`roadmap_cli.workspace.refuse`), shown: the problems
    of the files refused printed as `validate` prints them (on stderr), then exit 1; one warning
    line for the documents left out; then the note of the warnings (:func:`note_warnings`)."""
    from roadmap_cli import workspace

    return _shown(lambda: workspace.refuse(repo, roadmap_ids, strict))


def _shown(refuse: Callable[[], Any]) -> Repository:
    """The one place where a refusal (workspace.InvalidData) is rendered."""
    from roadmap_cli.workspace import InvalidData

    try:
        loaded = refuse()
    except InvalidData as e:
        render.render_problems(e.problems, "text", out=sys.stderr, source=source_line)
        raise DataError(e.message) from None
    if loaded.skipped:
        names = loaded.skipped
        click.echo(
            ngettext(
                "roadmap: warning: {n} other document has errors and was not read: {files} "
                "(see `roadmap validate`)",
                "roadmap: warning: {n} other documents have errors and were not read: {files} "
                "(see `roadmap validate`)",
                len(names),
            ).format(n=len(names), files=", ".join(names)),
            err=True,
        )
    note_warnings(loaded.warnings)
    repo: Repository = loaded.repo
    return repo


def note_warnings(count: int) -> None:
    """The one-line note on stderr that a report's data has warnings."""
    if count:
        click.echo(
            ngettext(
                "roadmap: {count} warning in the data; `roadmap validate` lists it",
                "roadmap: {count} warnings in the data; `roadmap validate` lists them",
                count,
            ).format(count=count),
            err=True,
        )


def check_filters(
    repo: Repository, roadmap_ids: Sequence[str], agency: str | None, country: str | None
) -> tuple[tuple[str, ...], str | None]:
    """The filter ids as the data spells them (see :mod:`roadmap_cli.resolve`: any case, an
    agency by name); unknown ones are usage errors with the closest ids, not silently empty
    reports."""
    from roadmap_cli import resolve

    known = [r.id for r in repo.roadmaps]
    try:
        ids = tuple(resolve.document(rid, known) for rid in roadmap_ids)
    except resolve.NotFound as e:
        raise click.BadParameter(str(e), param_hint="--roadmap") from None
    try:
        agency_id = resolve.agency(agency, repo.agencies) if agency is not None else None
    except resolve.NotFound as e:
        raise click.BadParameter(str(e), param_hint="--agency") from None
    if country is not None and not any(a.country == country.upper() for a in repo.agencies.values()):
        # the codes to give: 'Kazakhstan' or 'Казахстан' was told only that no agency has it
        codes = sorted({a.country for a in repo.agencies.values() if a.country})
        raise click.BadParameter(
            _("no agency of country {country}; give the two-letter code of a country of "
              "agencies.yaml: {codes}").format(country=repr(country), codes=", ".join(codes)),
            param_hint="--country"
        )
    return ids, agency_id


def split_target(target: str, *, measure: bool = True) -> tuple[str, str]:
    """ROADMAP/MEASURE as typed -> (the document's id, the measure's id), split at the first
    slash, both as typed (resolved by :func:`find_roadmap` and :func:`find_measure`); a usage
    error unless both are there. ``measure=False``: ROADMAP[/MEASURE], the measure may be
    left out (``""``)."""
    roadmap_id, sep, measure_id = target.partition("/")
    if not roadmap_id or (measure and (not sep or not measure_id)):
        raise click.BadParameter(
            _("{target} is not ROADMAP/MEASURE, e.g. kz-by-industrial-cooperation-2026-2028/1.1").format(
                target=repr(target)
            ),
            param_hint="ROADMAP/MEASURE" if measure else "ROADMAP[/MEASURE]",
        )
    return roadmap_id, measure_id


def find_roadmap(repo: Repository, roadmap_id: str, hint: str = "ROADMAP/MEASURE") -> Roadmap:
    """The document ``roadmap_id`` names (any case, or the start of its id); else a usage error."""
    from roadmap_cli import resolve

    try:
        rid = resolve.document(roadmap_id, [r.id for r in repo.roadmaps])
    except resolve.NotFound as e:
        raise click.BadParameter(str(e), param_hint=hint) from None
    return next(r for r in repo.roadmaps if r.id == rid)


def find_measure(roadmap: Roadmap, measure_id: str, hint: str = "ROADMAP/MEASURE") -> Measure:
    """The measure ``measure_id`` names in ``roadmap`` (any case); else a usage error."""
    from roadmap_cli import resolve

    try:
        mid = resolve.measure(measure_id, [m.id for m in roadmap.measures], roadmap.id)
    except resolve.NotFound as e:
        raise click.BadParameter(str(e), param_hint=hint) from None
    found = roadmap.measure(mid)
    assert found is not None
    return found


def severity_counts(repo: Repository) -> tuple[int, int]:
    errors = sum(1 for p in repo.problems if p.severity is Severity.ERROR)
    return errors, len(repo.problems) - errors
