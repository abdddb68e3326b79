"""Issue 11's targets (its section 2), checked against the cells of one benchmark run.

Pure: a cell is the medians of one command in one mode on one repository; ``verdicts`` says,
for every target that applies to the cells measured, what was measured, the limit and pass or
fail. A target whose cells were not measured (``--quick``, ``--only``) is left out, not passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matrix import COLD, FIRST, WARM_EDITED, WARM_NEW

MB = 2**20
BIG = "1000x100"
SMALL = "100x100"
WRITERS = ("export ics", "export csv", "report html", "report markdown")


@dataclass
class Cell:
    command: str
    mode: str
    size: str
    wall: float  # median wall-clock seconds
    cpu: float  # median user + system seconds
    floor: float  # median wall-clock seconds of its floor, measured alternately with it
    floor_cpu: float
    floor_name: str
    rss: int  # the largest peak resident memory of its runs, bytes
    samples: list[float] = field(default_factory=list)
    floor_samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.wall / self.floor

    @property
    def cpu_ratio(self) -> float:
        return self.cpu / self.floor_cpu if self.floor_cpu else float("nan")


@dataclass(frozen=True)
class Verdict:
    size: str
    command: str
    mode: str
    target: str  # the rule, in words
    measured: str
    ok: bool


def verdicts(cells: list[Cell]) -> list[Verdict]:
    at = {(c.command, c.mode, c.size): c for c in cells}
    out: list[Verdict] = []

    def add(c: Cell, target: str, value: float, limit: float, unit: str = "x") -> None:
        text = f"{value:.2f} s" if unit == "s" else f"{value / MB:.0f} MB" if unit == "MB" else f"{value:.2f}x"
        out.append(Verdict(c.size, c.command, c.mode, target, text, value <= limit))

    for c in cells:
        cold = at.get((c.command, COLD, c.size))
        warm = at.get((c.command, WARM_NEW, c.size))
        if c.mode == WARM_NEW and c.size == SMALL:
            add(c, "<= 2 x `import click, rich.table`", c.ratio, 2.0)
        if c.mode == WARM_NEW and c.size == BIG:
            add(c, "<= 1 s", c.wall, 1.0, "s")
        if c.mode == COLD and c.size == BIG:
            add(c, "<= 1.0 x the CSafeLoader floor", c.ratio, 1.0)
            add(c, "peak RSS <= 250 MB", c.rss, 250 * MB, "MB")
        if c.mode == FIRST and cold:
            add(c, "<= 1.2 x cold", c.wall / cold.wall, 1.2)
        if c.mode == WARM_EDITED and c.size == BIG and warm:
            add(c, "<= 2 x warm, new question", c.wall / warm.wall, 2.0)
        if c.command == "update --dry-run" and c.mode == WARM_EDITED and c.size == BIG:
            add(c, "update warm <= 1 s", c.wall, 1.0, "s")
        if c.command in WRITERS:
            status = at.get(("status", c.mode, c.size))
            if status and c.mode == COLD:
                add(c, "<= 1.5 x cold status", c.wall / status.wall, 1.5)
            if status and c.mode == WARM_NEW:
                add(c, "<= 3 x warm status (new question)", c.wall / status.wall, 3.0)
        if c.command == "overdue":
            json = at.get(("overdue --format json", c.mode, c.size))
            if json:
                add(c, "table <= 2 x the JSON of the same rows", c.wall / json.wall, 2.0)
    return out
