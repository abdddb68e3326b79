"""The progress display of long commands, on standard error.

A command that may run for seconds (``export``, ``report`` on a large folder) makes one
:class:`Progress` and hands the core plain callables from :meth:`Progress.stage`: the core
calls ``on_step(done, total)`` after each unit of work (a file read, a document rendered) and
never sees rich. The display:

- appears only once the run has taken :data:`DELAY` seconds (a quick run shows nothing, and
  rich's progress module is not even imported);
- only when standard error is a terminal (not a dumb one): nothing on a pipe or in a file, and
  nothing with ``--quiet``;
- follows ``NO_COLOR`` (rich draws the bar without colour);
- is transient: it is gone when the command ends, whatever its outcome, so the terminal keeps
  only what the command printed;
- is told of a stage's progress at most every :data:`UPDATE_EVERY` seconds (and at its last
  step): rich draws ten times a second, and telling it of each of 175,000 calendar events cost
  a fifth of the run's time in a terminal.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

#: seconds a run takes before the display appears
DELAY = 1.0

#: seconds between two updates of a stage's bar (rich redraws it ten times a second)
UPDATE_EVERY = 0.1

#: what the core calls: (units done, units in all)
Step = Callable[[int, int], None]


def _nothing(done: int, total: int) -> None:
    return None


class Progress:
    """A lazily shown rich progress display on standard error (see the module docstring).

    ``console`` (tests): the rich console to draw on instead of standard error; ``clock``: the
    time source (seconds)."""

    def __init__(
        self,
        enabled: bool = True,
        *,
        delay: float = DELAY,
        console: Any = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.enabled = enabled and (console is not None or _stderr_is_terminal())
        self.delay = delay
        self.console = console
        self.clock = clock
        self.start = clock()
        self.bar: Any = None  # rich.progress.Progress, once shown
        self.tasks: dict[str, Any] = {}
        self.closed = False

    def stage(self, label: str) -> Step:
        """The callable for one stage of the work, shown as ``label`` (already translated)."""
        if not self.enabled:
            return _nothing

        last = [0.0]  # when this stage's bar was last updated

        def step(done: int, total: int) -> None:
            if self.bar is None and (
                self.closed or self.clock() - self.start < self.delay or not self._show()
            ):
                return
            now = self.clock()
            task = self.tasks.get(label)
            if task is None:
                task = self.tasks[label] = self.bar.add_task(label, total=total)
            elif done < total and now - last[0] < UPDATE_EVERY:
                return  # drawn soon enough with the next update
            last[0] = now
            self.bar.update(task, completed=done, total=total)

        return step

    def _show(self) -> bool:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        console = self.console if self.console is not None else Console(stderr=True)
        if not console.is_terminal or console.is_dumb_terminal:
            self.enabled = False
            return False
        self.bar = Bar(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.bar.start()
        return True

    def close(self) -> None:
        """Take the display off the screen (nothing when it never appeared)."""
        self.closed = True
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False
