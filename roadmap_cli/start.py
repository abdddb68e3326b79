"""The ``roadmap`` script's first lines: Ctrl-C while Python still imports the program.

:func:`roadmap_cli.cli.main` turns an interrupt into exit 130 without a traceback, but only once
it runs; an interrupt in the 0.1 to 0.3 s before, while click, rich and the program's modules are
imported, printed Python's traceback. Until :mod:`roadmap_cli.cli` is imported, an interrupt ends
the process at once with 130 (nothing is open or half-written then), and the usual handling
takes over.
"""

from __future__ import annotations

import os
import signal
from types import FrameType
from typing import NoReturn


def _interrupted(signum: int, frame: FrameType | None) -> None:
    os._exit(130)


def run() -> NoReturn:
    previous = None
    try:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # (not when ignored)
            previous = signal.signal(signal.SIGINT, _interrupted)
    except (ValueError, OSError):  # (not the main thread: nothing to guard)
        pass
    from roadmap_cli import cli

    if previous is not None:
        signal.signal(signal.SIGINT, previous)
    cli.run()
