"""`python -m roadmap_cli` runs the CLI."""

from roadmap_cli.cli import run

run()
