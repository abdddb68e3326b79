"""What every command shares: option decorators, loading with refusal on bad data, and the
source-line reader for error excerpts."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, TypeVar

import click

from roadmap_cli import render
from roadmap_cli.errors import DataError
from roadmap_cli.model import Repository, Severity
from roadmap_cli.textsafe import printable

F = TypeVar("F", bound=Callable[..., Any])

LANGS = ("en", "ru", "kk", "be")


def _as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date:
    from roadmap_cli.schedule import parse_as_of

    if value is None:
        return date.today()
    try:
        as_of = parse_as_of(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None
    from roadmap_cli.rules import FIRST_YEAR, LAST_YEAR

    if not FIRST_YEAR <= as_of.year <= LAST_YEAR:  # reports would compute past the year 9999
        raise click.BadParameter(f"{value} is outside the years {FIRST_YEAR} to {LAST_YEAR}")
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
        help="Output format.",
    )


def as_of_option(f: F) -> F:
    return click.option(
        "--as-of",
        "as_of",
        callback=_as_of,
        metavar="DATE",
        help="Compute as of this date: YYYY-MM-DD or a period (2026-Q2 = its last day). "
        "Default: today.",
    )(f)


def lang_option(f: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        default="en",
        show_default=True,
        help="Language of titles (falls back to en, ru, then the first given).",
    )(f)


def filter_options(f: F) -> F:
    """--roadmap, --agency, --country, --status."""
    f = click.option(
        "--status",
        "statuses",
        multiple=True,
        type=click.Choice(["not_started", "in_progress", "done", "blocked", "cancelled"]),
        help="Only measures with this status as of the date (repeatable).",
    )(f)
    f = click.option("--country", metavar="CC", help="Only measures with an agency of this country (KZ, BY, ...).")(f)
    f = click.option("--agency", metavar="ID", help="Only measures this agency leads or co-executes.")(f)
    f = click.option(
        "--roadmap", "roadmap_ids", multiple=True, metavar="ID", help="Only this document (repeatable)."
    )(f)
    return f


def _no_cache(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta["roadmap.no_cache"] = True
    return value


def no_cache_option(f: F) -> F:
    """--no-cache: kept in the context (commands need no parameter for it); see open_cache."""
    return click.option(
        "--no-cache",
        is_flag=True,
        expose_value=False,
        callback=_no_cache,
        help="Read and check every file afresh; neither use nor fill the cache "
        "(also ROADMAP_NO_CACHE=1).",
    )(f)


def open_cache(paths: Sequence[str]) -> Any:
    """The cache for loading ``paths`` (a roadmap_cli.cache.Cache), or None with --no-cache."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and ctx.meta.get("roadmap.no_cache"):
        return None  # without importing the cache module at all
    from roadmap_cli import cache

    return cache.open_for(paths, warn=_cache_warning)


def _cache_warning(reason: str) -> None:
    click.echo(
        "roadmap: warning: the cache is not used: {reason}".format(reason=printable(reason)),
        err=True,
    )


@dataclass(frozen=True)
class Query:
    """What every report command was asked: the files, the date, the filters and the output."""

    paths: tuple[str, ...]
    fmt: str
    lang: str
    roadmap_ids: tuple[str, ...]
    agency: str | None
    country: str | None
    statuses: tuple[str, ...]
    as_of: date


_QUERY_FIELDS = tuple(f.name for f in fields(Query))


def report_options(*formats: str, default: str = "table") -> Callable[[F], F]:
    """The options of every report command, with [PATH]... last. The command receives them as
    one :class:`Query` argument ``q`` (its other options as keyword arguments)."""

    def decorate(f: F) -> F:
        @functools.wraps(f)
        def with_query(**kwargs: Any) -> Any:
            q = Query(**{name: kwargs.pop(name) for name in _QUERY_FIELDS})
            return f(q, **kwargs)

        g: Any = with_query
        g = paths_argument(g)
        g = no_cache_option(g)
        g = format_option(*(formats or render.FORMATS), default=default)(g)
        g = lang_option(g)
        g = filter_options(g)
        g = as_of_option(g)
        return g  # type: ignore[no-any-return]

    return decorate


def source_line(file: str, line: int) -> str | None:
    """Line ``line`` of ``file`` on disk, for error excerpts (None when it cannot be read).

    Reads at most as much as the loader accepts (a 3 GB file of one line must not be read
    into memory to show an excerpt of it), and never a named pipe.
    """
    from roadmap_cli.load import inside_its_folder
    from roadmap_cli.yamlsrc import MAX_FILE_BYTES

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


def load_or_refuse(paths: Sequence[str]) -> Repository:
    """Load the repository; with errors, print them as `validate` does (on stderr) and exit 1."""
    from roadmap_cli.load import default_paths, load_paths

    paths = list(paths) or default_paths()
    return refuse_invalid(load_paths(paths, open_cache(paths)))


def refuse_invalid(repo: Repository) -> Repository:
    """With errors, print them as `validate` does (on stderr) and exit 1; else note the
    warnings (see :func:`note_warnings`)."""
    if repo.errors:
        render.render_problems(repo.problems, "text", out=sys.stderr, source=source_line)
        raise DataError(
            f"roadmap: refusing to report on invalid data: {len(repo.errors)} error(s); "
            "fix them (see `roadmap validate`) and run again"
        )
    note_warnings(len(repo.warnings))
    return repo


def note_warnings(count: int) -> None:
    """The one-line note on stderr that a report's data has warnings."""
    if count:
        click.echo(
            f"roadmap: {count} warning(s) in the data; `roadmap validate` lists them",
            err=True,
        )


def check_filters(repo: Repository, roadmap_ids: Sequence[str], agency: str | None, country: str | None) -> None:
    """Unknown ids given to filters are usage errors, not silently empty reports."""
    known = {r.id for r in repo.roadmaps}
    for rid in roadmap_ids:
        if rid not in known:
            raise click.BadParameter(
                f"no document with id {rid!r} (known: {', '.join(sorted(known))})", param_hint="--roadmap"
            )
    if agency is not None and agency not in repo.agencies:
        raise click.BadParameter(f"no agency with id {agency!r} in agencies.yaml", param_hint="--agency")
    if country is not None and not any(a.country == country.upper() for a in repo.agencies.values()):
        raise click.BadParameter(f"no agency of country {country!r}", param_hint="--country")


def severity_counts(repo: Repository) -> tuple[int, int]:
    errors = sum(1 for p in repo.problems if p.severity is Severity.ERROR)
    return errors, len(repo.problems) - errors
