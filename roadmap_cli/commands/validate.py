"""roadmap validate: every problem in the files, located, with a closing summary."""

from __future__ import annotations

import click

from roadmap_cli import render
from roadmap_cli.commands._common import (
    format_option,
    lang_option,
    no_cache_option,
    open_cache,
    paths_argument,
    reading,
    source_line,
)
from roadmap_cli.errors import EXIT_DATA
from roadmap_cli.i18n import N_, _

HELP = N_(
    """Check roadmap files against the schema and the rules.

    Reads roadmaps/ (or the PATHS given: folders or files) and prints every problem as
    FILE:LINE:COLUMN: error|warning: message [rule-id], sorted by file and position, then a
    summary. Exit 0 when there are no errors (and, with --strict, no warnings), else 1.
    """
)


@click.command("validate", help=_(HELP))
@paths_argument
@format_option("text", "json", "github", default="text")
@click.option("--strict", is_flag=True, help=_("Warnings fail too (exit 1)."))
@no_cache_option
@lang_option
def command(paths: tuple[str, ...], fmt: str, strict: bool, lang: str, no_cache: bool) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import workspace
    from roadmap_cli.load import load_sources

    paths = tuple(workspace.resolve_paths(paths))
    sources = workspace.read(paths)
    files = len(sources.agencies) + len(sources.roadmaps)
    with reading(label=_("checking files")) as on_file:
        repo = load_sources(sources, open_cache(paths, not no_cache), on_file=on_file)
    render.render_problems(
        repo.problems, fmt, files=files if fmt != "json" else None, source=source_line
    )
    if repo.errors or (strict and repo.warnings):
        raise click.exceptions.Exit(EXIT_DATA)
