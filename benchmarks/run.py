"""`make bench`: the benchmark matrix of issue 11, every cell beside its floor, with the targets.

    python benchmarks/run.py [--quick] [--runs N] [--only CMD]... [--size NAME]...
                             [--stages] [--json FILE] [--markdown FILE]

Every command a user runs (``matrix.COMMANDS``: validate, status, overdue, upcoming, agencies,
show, indicators, export ics/csv, report html/markdown, update --dry-run, diff, history, stale,
new, init, request, apply --dry-run, import, and ``overdue --format json`` to compare a big
table with the JSON of the same rows) x four cache
states (``matrix.MODES``: cold without cache, first run with an empty cache, warm with unchanged
files and a new question, warm after one file was edited) x two generated repositories (100
documents x 100 measures, 1,000 x 100). Each run of a command asks a question that no earlier
run asked (another ``--as-of``, window, measure, revision pair; see ``matrix.py``).

In each cell the command and its floor run alternately, in fresh processes, ``--runs`` times
(default 5; ``--quick``: 3 runs, 100 x 100 only); the matrix shows medians of wall-clock time,
the ratio to the floor and the largest peak resident memory of the command's process
(``ru_maxrss`` from ``os.wait4``), then every target of the issue that applies, with pass or
fail (``targets.py``). Floors, run by the same interpreter:

- cold and first run: the ``CSafeLoader`` load of the same files (``yaml.load(f,
  Loader=yaml.CSafeLoader)`` for every ``*.yaml`` the command reads: the folder, twice for
  ``diff`` (two revisions), the measure's document twice for ``history``) in a bare Python
  process: the cost of only parsing the YAML;
- warm: ``python -c "import click, rich.table"`` (a warm run must at least start and draw);
- ``roadmap --help`` (start-up, shown first): ``python -c "import click"``.

The tracker's modules are compiled to bytecode first (``compileall``), as an installed tool's
are. The cache lives in ``benchmarks/out/cache`` (both ``ROADMAP_CACHE_DIR`` and
``XDG_CACHE_HOME`` point there). Repositories come from ``benchmarks/generate.py`` (seed 0), are
kept in ``benchmarks/out/repos/`` and copied into a git checkout of two commits in
``benchmarks/out/work/`` for each run. ``--stages`` adds an in-process breakdown of one cold load
of the 100 x 100 repository (read, parse, schema, rules, model, report).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = Path(os.environ.get("ROADMAP_BENCH_OUT") or HERE / "out")  # where repositories, cache and outputs go
CACHE = OUT / "cache"
AS_OF = "2026-11-22"  # of --stages

sys.path.insert(0, str(HERE))
sys.path.insert(1, str(ROOT))
import generate as generator
import matrix
import targets
from matrix import COLD, FIRST, MODES, WARM_EDITED, WARM_NEW, Command, Workspace
from targets import Cell, Verdict

FLOOR_YAML = (
    "import sys, yaml\n"
    "from pathlib import Path\n"
    "for d in map(Path, sys.argv[1:]):\n"
    "    for p in sorted(d.glob('*.yaml')) if d.is_dir() else [d]:\n"
    "        with open(p, 'rb') as f:\n"
    "            yaml.load(f, Loader=yaml.CSafeLoader)\n"
)
RICH_FLOOR = "import click, rich.table"


@dataclass
class Sample:
    wall: float
    cpu: float
    rss: int  # bytes


def roadmap_command() -> list[str]:
    script = Path(sys.executable).with_name("roadmap")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from roadmap_cli.cli import main; main()"]


def repository(docs: int, measures: int) -> Path:
    """The generated repository, made again when the generator changed."""
    stamp = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:16]
    base = OUT / "repos" / f"{docs}x{measures}"
    folder = base / "roadmaps"
    marker = base / "generator.stamp"
    if not (marker.exists() and marker.read_text() == stamp):
        shutil.rmtree(base, ignore_errors=True)
        generator.generate(folder, docs, measures, seed=0)
        marker.write_text(stamp)
    return folder


def measure(argv: list[str], env: dict[str, str], cwd: Path = ROOT, output: Path | None = None,
            check_output: bool = False) -> Sample:
    """One run in a fresh process; it must succeed (and, for a command, write something)."""
    if output is not None:
        matrix.remove(output)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if output is None:
            wrote = out.seek(0, os.SEEK_END)
        else:  # the file (or folder) it must write, not merely something on standard output
            wrote = output.stat().st_size if output.exists() else 0
        if code != 0 or (check_output and not wrote):
            err.seek(0)
            raise SystemExit(f"failed ({code}, {wrote} bytes out): {' '.join(argv)}\n"
                             f"{err.read().decode(errors='replace')[-2000:]}")
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss)


def floor_argv(command: Command, ws: Workspace, k: int, mode: str) -> tuple[list[str], str]:
    if mode in (WARM_NEW, WARM_EDITED):
        return [sys.executable, "-c", RICH_FLOOR], f"`{RICH_FLOOR}`"
    paths = command.floor_paths(ws, k)
    return [sys.executable, "-c", FLOOR_YAML, *map(str, paths)], f"CSafeLoader, {command.floor}"


def cell(command: Command, mode: str, ws: Workspace, runs: int, env: dict[str, str],
         counter: itertools.count[int], last: dict[str, int]) -> Cell:
    """``runs`` runs of ``command`` in ``mode``, each after its floor."""
    roadmap = roadmap_command()
    cwd = ws.root if command.cwd_root else ROOT
    run_env = {**env, "ROADMAP_NO_CACHE": "1"} if mode == COLD else env
    samples, floors = [], []
    floor_name = ""
    for _ in range(runs):
        if mode == WARM_EDITED:
            matrix.edit_one_file(ws)
            k = last[command.name]  # the question the cache answered last, about the files before
        else:
            k = next(counter)
        if command.prepare is not None:
            command.prepare(ws, k)  # untimed: what the run reads (apply's workbook, import's .docx)
        floor, floor_name = floor_argv(command, ws, k, mode)
        floors.append(measure(floor, env))
        if mode == FIRST:
            shutil.rmtree(CACHE, ignore_errors=True)
        argv = [*roadmap, *matrix.argv(command, ws, k, mode)]
        output = command.written(ws, k)
        samples.append(measure(argv, run_env, cwd, output, check_output=True))
        if command.cleanup and output is not None:
            matrix.remove(output)  # new, import, init: the other commands read the same files
        last[command.name] = k
    return Cell(
        command.name, mode, ws.name,
        wall=statistics.median(s.wall for s in samples), cpu=statistics.median(s.cpu for s in samples),
        floor=statistics.median(s.wall for s in floors), floor_cpu=statistics.median(s.cpu for s in floors),
        floor_name=floor_name, rss=max(s.rss for s in samples),
        samples=[s.wall for s in samples], floor_samples=[s.wall for s in floors],
    )


def startup(runs: int, env: dict[str, str]) -> Cell:
    samples, floors = [], []
    for _ in range(runs):
        floors.append(measure([sys.executable, "-c", "import click"], env))
        samples.append(measure([*roadmap_command(), "--help"], env, check_output=True))
    return Cell("roadmap --help", "-", "-", statistics.median(s.wall for s in samples),
                statistics.median(s.cpu for s in samples), statistics.median(s.wall for s in floors),
                statistics.median(s.cpu for s in floors), "`import click`", max(s.rss for s in samples),
                [s.wall for s in samples], [s.wall for s in floors])


def stages(folder: Path) -> None:
    """One cold load in this process, stage by stage (the collector paused, as load does)."""
    import gc
    from datetime import date

    from roadmap_cli import load, report, rules, schema, yamlsrc
    from roadmap_cli import sources as sources_mod

    gc.disable()
    t = [time.perf_counter()]
    sources = sources_mod.read_sources(sources_mod.find_files([str(folder)]))
    t.append(time.perf_counter())
    parsed = [yamlsrc.parse(data, name) for name, data in sources.roadmaps if data is not None]
    t.append(time.perf_counter())
    for p in parsed:
        schema.check(p, schema.ROADMAP)
    t.append(time.perf_counter())
    ctx = rules.Context(agency_ids=None, documents=parsed)
    for p in parsed:
        rules.run(p, ctx)
    t.append(time.perf_counter())
    model = [load.build_roadmap(p) for p in parsed]
    t.append(time.perf_counter())
    as_of = date.fromisoformat(AS_OF)
    report.status_rows(model, as_of, date(2026, 12, 22))
    t.append(time.perf_counter())
    gc.enable()
    names = ["read", "parse (yamlsrc)", "schema", "rules", "model", "status rows"]
    total = t[-1] - t[0]
    print(f"\nwhere a cold load of {folder.parent.name} goes (in process, collector paused):")
    for name, a, b in zip(names, t, t[1:], strict=False):
        print(f"  {name:16} {b - a:6.3f} s  {100 * (b - a) / total:4.0f} %")
    print(f"  {'total':16} {total:6.3f} s")



def _cell_text(c: Cell) -> str:
    return f"{c.wall:6.2f}s {c.ratio:5.2f}x {c.rss / 2**20:4.0f}M"


def _floor_of(cells: list[Cell], mode: str) -> Cell | None:
    same = [c for c in cells if c.mode == mode]
    return next((c for c in same if c.command == "status"), same[0] if same else None)


def print_matrix(cells: list[Cell], size: str, info: str) -> None:
    here = [c for c in cells if c.size == size]
    if not here:
        return
    print(f"\n{size}: {info}\n  each cell: median time, ratio to its floor, peak RSS of the command")
    print(f"{'command':22}" + "".join(f" {m[:20]:20}" for m in MODES))
    for name in dict.fromkeys(c.command for c in here):
        row = {c.mode: c for c in here if c.command == name}
        print(f"{name:22}" + "".join(f" {_cell_text(row[m]) if m in row else '-':20}" for m in MODES))
    floors = [_floor_of(here, m) for m in MODES]
    label = f"floor ({next(f for f in floors if f).command})"
    print(f"{label[:22]:22}" + "".join(
        f" {f'{f.floor:6.2f}s' if f else '-':20}" for f in floors))
    print("  floors: " + "; ".join(f"{m}: {f.floor_name}" for m, f in zip(MODES, floors, strict=True) if f))


def print_verdicts(verdicts: list[Verdict]) -> None:
    if not verdicts:
        return
    print("\ntargets of issue 11 (section 2):")
    for v in verdicts:
        print(f"  {'pass' if v.ok else 'FAIL'}  {v.size:8} {v.command:22} {v.mode:22} {v.measured:>9}  "
              f"target {v.target}")
    passed = sum(v.ok for v in verdicts)
    print(f"  {passed} of {len(verdicts)} targets met")


def markdown(cells: list[Cell], verdicts: list[Verdict], infos: dict[str, str], header: str) -> str:
    lines = [header, ""]
    for size, info in infos.items():
        here = [c for c in cells if c.size == size]
        if not here:
            continue
        lines += [f"**{size}** ({info}): median time, ratio to its floor, peak RSS", "",
                  "| command | " + " | ".join(MODES) + " |", "|---" * (len(MODES) + 1) + "|"]
        for name in dict.fromkeys(c.command for c in here):
            row = {c.mode: c for c in here if c.command == name}
            lines.append(f"| `{name}` | " + " | ".join(
                f"{row[m].wall:.2f} s, {row[m].ratio:.2f}x, {row[m].rss / 2**20:.0f} MB" if m in row else "-"
                for m in MODES) + " |")
        floors = [_floor_of(here, m) for m in MODES]
        lines.append(f"| floor (of `{next(f for f in floors if f).command}`) | " + " | ".join(
            f"{f.floor:.2f} s ({f.floor_name})" if f else "-" for f in floors) + " |")
        lines.append("")
    if verdicts:
        lines += ["| target | size | command | mode | measured | |", "|---|---|---|---|---|---|"]
        lines += [f"| {v.target} | {v.size} | `{v.command}` | {v.mode} | {v.measured} | "
                  f"{'pass' if v.ok else '**FAIL**'} |" for v in verdicts]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="3 runs, 100 x 100 only")
    ap.add_argument("--runs", type=int, help="runs per cell (default 5, --quick 3)")
    ap.add_argument("--big-runs", type=int, help="runs per cell of 1000 x 100 (default: --runs)")
    ap.add_argument("--only", action="append", metavar="CMD",
                    help=f"only this command (repeatable): {', '.join(matrix.COMMANDS)}")
    ap.add_argument("--size", action="append", choices=[*matrix.SIZES, *matrix.SMOKE], help="only this repository")
    ap.add_argument("--stages", action="store_true", help="also break a cold 100x100 load down by stage")
    ap.add_argument("--json", type=Path, help="write the results to this file as JSON")
    ap.add_argument("--markdown", type=Path, help="write the matrix and targets as Markdown tables")
    args = ap.parse_args(argv)
    runs = args.runs or (3 if args.quick else 5)
    commands = matrix.select(args.only)
    sizes = args.size or (["100x100"] if args.quick else list(matrix.SIZES))

    OUT.mkdir(exist_ok=True)
    shutil.rmtree(CACHE, ignore_errors=True)
    env = {**os.environ, "ROADMAP_CACHE_DIR": str(CACHE), "XDG_CACHE_HOME": str(CACHE),
           "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("ROADMAP_NO_CACHE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))

    # an installed tool runs from compiled bytecode (pip compiles at install), as the floors'
    # click and rich do; with PYTHONDONTWRITEBYTECODE set, an editable checkout would compile
    # every module of the tracker on every run
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "roadmap_cli")],
                   check=False, env={**env, "PYTHONDONTWRITEBYTECODE": ""})
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    header = (f"roadmap-cli benchmark matrix, {started}: Python {platform.python_version()} on "
              f"{platform.machine()}, {os.cpu_count()} CPU(s), load average at the start "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(header)
    print(f"command: {' '.join(roadmap_command())}")
    helped = startup(runs, env)
    print(f"roadmap --help: {helped.wall:.3f} s, {helped.ratio:.2f}x `import click` (issue 6: <= 1.3), "
          f"{helped.rss / 2**20:.0f} MB")
    cells: list[Cell] = []
    infos: dict[str, str] = {}
    counter, last = itertools.count(), {}
    for size in sizes:
        docs, per_doc = {**matrix.SIZES, **matrix.SMOKE}[size]
        generated = repository(docs, per_doc)
        ws = matrix.workspace(size, generated, OUT / "work" / size)
        megabytes = sum(p.stat().st_size for p in ws.folder.iterdir()) / 2**20
        size_runs = args.big_runs if args.big_runs and docs >= 1000 else runs
        infos[size] = (f"{docs} documents x {per_doc} measures, {megabytes:.1f} MB, "
                       f"{size_runs} run(s) per cell")
        print(f"\n{size}: {infos[size]}")
        for command in commands:
            for mode in MODES:
                print(f"  {command.name:22} {mode:22} ...", end="", flush=True)
                cells.append(cell(command, mode, ws, size_runs, env, counter, last))
                print(f" {cells[-1].wall:7.3f} s {cells[-1].ratio:5.2f}x {cells[-1].rss / 2**20:5.0f} MB")
                save(args, header, helped, cells, infos)  # so far: a long run interrupted keeps its cells
    load_end = " ".join(f"{x:.2f}" for x in os.getloadavg())
    for size in sizes:
        print_matrix(cells, size, infos[size])
    found = targets.verdicts(cells)
    print_verdicts(found)
    print(f"\nload average at the end: {load_end}")
    if args.stages:
        stages(repository(100, 100))
    save(args, header + f"; at the end {load_end}", helped, cells, infos)


def save(args: argparse.Namespace, header: str, helped: Cell, cells: list[Cell], infos: dict[str, str]) -> None:
    found = targets.verdicts(cells)
    if args.json:
        args.json.write_text(json.dumps({
            "header": header, "sizes": infos, "startup": asdict(helped),
            "cells": [asdict(c) for c in cells], "targets": [asdict(v) for v in found],
        }, indent=2) + "\n", encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(markdown(cells, found, infos, header), encoding="utf-8")


if __name__ == "__main__":
    main()
