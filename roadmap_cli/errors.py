"""Exit codes of the contract and the exceptions that carry them to the CLI's top level."""

from __future__ import annotations

EXIT_OK = 0
EXIT_DATA = 1  # the data has errors, or a --fail-on condition held
EXIT_USAGE = 2  # bad option, missing path, not a git repository, unknown revision
EXIT_CONFLICT = 3  # a write refused: file changed on disk, locked, or read-only
EXIT_INTERNAL = 4  # a bug


class RoadmapError(Exception):
    """A failure with a message for people and the exit code that goes with it."""

    exit_code = EXIT_DATA

    def __init__(self, message: str = "", exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class DataError(RoadmapError):
    """The data has errors (already reported); the command refuses to go on."""

    exit_code = EXIT_DATA


class UsageError(RoadmapError):
    """A path, revision or argument that cannot be used."""

    exit_code = EXIT_USAGE


class WriteConflict(RoadmapError):
    """A write refused because the file changed, is locked, or is read-only."""

    exit_code = EXIT_CONFLICT
