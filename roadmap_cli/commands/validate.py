"""roadmap validate: every problem in the files, located, with a closing summary."""

from __future__ import annotations

import click

from roadmap_cli import render
from roadmap_cli.commands._common import (
    format_option,
    no_cache_option,
    open_cache,
    paths_argument,
    source_line,
)
from roadmap_cli.errors import EXIT_DATA


@click.command("validate")
@paths_argument
@format_option("text", "json", "github", default="text")
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@no_cache_option
def command(paths: tuple[str, ...], fmt: str, strict: bool) -> None:
    """Check roadmap files against the schema and the rules.

    Reads roadmaps/ (or the PATHS given: folders or files) and prints every problem as
    FILE:LINE:COLUMN: error|warning: message [rule-id], sorted by file and position, then a
    summary. Exit 0 when there are no errors (and, with --strict, no warnings), else 1.
    """
    from datetime import date

    from roadmap_cli.load import default_paths, find_files, load_sources, read_sources
    from roadmap_cli.rules_signed import future_events

    paths = tuple(paths) or tuple(default_paths())
    sources = read_sources(find_files(list(paths)))
    files = len(sources.agencies) + len(sources.roadmaps)
    repo = load_sources(sources, open_cache(paths))
    # dated by today: outside the cached load, whose result must not depend on the day
    repo.problems = sorted([*repo.problems, *future_events(repo.roadmaps, date.today())])
    render.render_problems(
        repo.problems, fmt, files=files if fmt != "json" else None, source=source_line
    )
    if repo.errors or (strict and repo.warnings):
        raise click.exceptions.Exit(EXIT_DATA)
