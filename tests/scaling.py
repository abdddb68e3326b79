"""Work that must grow no faster than its input, checked by how it grows rather than by a
clock's bound: a bound in seconds fails on a loaded or slow machine and passes a regression on
a fast one. A check times the same work on a small and on a big input (the best of a few runs
each, so that a moment's load elsewhere does not count) and bounds the ratio: a linear pass over
8 times the input takes about 8 times as long, a quadratic one 64 times."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

#: how many times each input is timed (the best counts)
RUNS = 3


def best_seconds(run: Callable[[], object], runs: int = RUNS) -> float:
    """The shortest of ``runs`` timings of ``run()`` (the collector off while it runs)."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - started)
        finally:
            gc.enable()
    return best


def growth(small: Callable[[], object], big: Callable[[], object], runs: int = RUNS) -> float:
    """How many times longer ``big()`` takes than ``small()`` (the best of ``runs`` each)."""
    return best_seconds(big, runs) / max(best_seconds(small, runs), 1e-6)
