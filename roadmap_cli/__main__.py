"""`python -m roadmap_cli` runs the CLI."""

from roadmap_cli.start import run

run()
