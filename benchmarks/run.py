"""`make bench`: each row of issue 6's target table, measured side by side with its floor.

    python benchmarks/run.py [--quick] [--runs N] [--stages] [--json FILE]

For every case the command and its floor run alternately, in fresh processes, ``--runs`` times
(default 5; ``--quick``: 3 runs and no 1,000-document repository); the table shows medians of
wall-clock time, the ratio to the floor next to the target, pass or fail, and the peak resident
memory of the command's process (``ru_maxrss`` from ``os.wait4``). The CPU-time ratio (user +
system) is shown too: on a busy machine it is the steadier of the two.

Floors, run by the same interpreter:

- ``python -c "import click"`` (start-up);
- ``python -c "import click, rich.table"`` (a warm report: it must at least start and draw);
- the ``CSafeLoader`` load of the same files (``yaml.load(f, Loader=yaml.CSafeLoader)`` for every
  ``*.yaml`` of the folder) in a bare Python process: the cost of only parsing the YAML.

The tracker's modules are compiled to bytecode first (``compileall``), as an installed tool's are.
"Cold" is ``--no-cache``; "warm" runs after one run filled the cache (``ROADMAP_CACHE_DIR`` points
into ``benchmarks/out/``). Repositories come from ``benchmarks/generate.py`` (seed 0) and are kept
in ``benchmarks/out/repos/`` between runs. ``--stages`` adds an in-process breakdown of one cold
load of the 100 x 100 repository (read, parse, schema, rules, model, report).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
AS_OF = "2026-11-22"

sys.path.insert(0, str(HERE))
sys.path.insert(1, str(ROOT))
import generate as generator

FLOOR_YAML = (
    "import os, sys, yaml\n"
    "d = sys.argv[1]\n"
    "for n in sorted(os.listdir(d)):\n"
    "    if n.endswith('.yaml'):\n"
    "        with open(os.path.join(d, n), 'rb') as f:\n"
    "            yaml.load(f, Loader=yaml.CSafeLoader)\n"
)


@dataclass
class Sample:
    wall: float
    cpu: float
    rss: int  # bytes


@dataclass
class Case:
    name: str
    command: list[str]
    floor: list[str]
    floor_name: str
    target: float | None  # None: shown for information, no target in the issue
    warm: bool = False
    rss_limit: int | None = None
    runs: list[Sample] = field(default_factory=list)
    floor_runs: list[Sample] = field(default_factory=list)


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


def measure(argv: list[str], env: dict[str, str]) -> Sample:
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}\n{err.read().decode()[-2000:]}")
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss)


def check(argv: list[str], env: dict[str, str], output: bool = True) -> None:
    """One run that must succeed (with output, for a command); fills the cache for warm cases."""
    done = subprocess.run(argv, capture_output=True, env=env, cwd=ROOT, timeout=900, check=False)
    if done.returncode != 0 or (output and not done.stdout.strip()):
        raise SystemExit(f"failed ({done.returncode}): {' '.join(argv)}\n{done.stderr.decode()[-2000:]}")


def cases(quick: bool) -> tuple[list[Case], dict[str, Path]]:
    roadmap = roadmap_command()
    py = sys.executable
    click_floor = [py, "-c", "import click"]
    rich_floor = [py, "-c", "import click, rich.table"]
    sizes = {"3x40": (3, 40), "100x100": (100, 100)}
    if not quick:
        sizes["1000x100"] = (1000, 100)
    repos = {name: repository(*size) for name, size in sizes.items()}

    def yaml_floor(name: str) -> list[str]:
        return [py, "-c", FLOOR_YAML, str(repos[name])]

    def status(name: str, *extra: str) -> list[str]:
        return [*roadmap, "status", *extra, "--as-of", AS_OF, str(repos[name])]

    gib = 1024**3
    out = [
        Case("roadmap --help", [*roadmap, "--help"], click_floor, "import click", 1.3),
        Case("roadmap --version", [*roadmap, "--version"], click_floor, "import click", None),
        Case("status --format json, 3x40, cold", status("3x40", "--format", "json", "--no-cache"),
             yaml_floor("3x40"), "CSafeLoader 3x40", None),
        Case("status --format json, 100x100, cold", status("100x100", "--format", "json", "--no-cache"),
             yaml_floor("100x100"), "CSafeLoader 100x100", 1.2),
        Case("status --format json, 100x100, warm", status("100x100", "--format", "json"),
             rich_floor, "import click, rich.table", 2.5, warm=True),
        Case("validate, 100x100, cold", [*roadmap, "validate", "--no-cache", str(repos["100x100"])],
             yaml_floor("100x100"), "CSafeLoader 100x100", 1.2),
        Case("validate, 100x100, warm", [*roadmap, "validate", str(repos["100x100"])],
             rich_floor, "import click, rich.table", None, warm=True),
    ]
    if not quick:
        out += [
            Case("status, 1000x100, cold", status("1000x100", "--no-cache"), yaml_floor("1000x100"),
                 "CSafeLoader 1000x100", 1.2, rss_limit=gib),
            Case("status, 1000x100, warm", status("1000x100"), rich_floor, "import click, rich.table", 5.0,
                 warm=True),
            Case("status --format json, 1000x100, warm", status("1000x100", "--format", "json"), rich_floor,
                 "import click, rich.table", None, warm=True),
            Case("overdue, 1000x100, warm", [*roadmap, "overdue", "--as-of", AS_OF, str(repos["1000x100"])],
                 rich_floor, "import click, rich.table", None, warm=True),
        ]
    return out, repos


def run(all_cases: list[Case], runs: int, env: dict[str, str]) -> None:
    floors: dict[tuple[str, ...], list[Sample]] = {}
    for case in all_cases:
        print(f"  {case.name} ...", end="", flush=True)
        check(case.command, env)
        if case.warm:
            check(case.command, env)  # the first run filled the cache; this one reads it
        check(case.floor, env, output=False)
        for _ in range(runs):
            # alternate, so that a busy moment of the machine hits both sides alike
            case.floor_runs.append(measure(case.floor, env))
            case.runs.append(measure(case.command, env))
        floors.setdefault(tuple(case.floor), []).extend(case.floor_runs)
        print(f" {statistics.median(s.wall for s in case.runs):.3f} s")


def report(all_cases: list[Case], runs: int) -> list[dict[str, object]]:
    rows = []
    print()
    head = (f"{'case':38} {'median':>8} {'floor':>8} {'ratio':>6} {'target':>7} {'':4} "
            f"{'cpu ratio':>9} {'peak RSS':>9}  floor")
    print(head)
    print("-" * len(head))
    for c in all_cases:
        wall = statistics.median(s.wall for s in c.runs)
        floor = statistics.median(s.wall for s in c.floor_runs)
        cpu = statistics.median(s.cpu for s in c.runs)
        floor_cpu = statistics.median(s.cpu for s in c.floor_runs)
        rss = max(s.rss for s in c.runs)
        ratio = wall / floor
        ok = (c.target is None or ratio <= c.target) and (c.rss_limit is None or rss <= c.rss_limit)
        limit = f" (<= {c.rss_limit / 1024**3:.0f} GiB)" if c.rss_limit else ""
        verdict = "info" if c.target is None else "pass" if ok else "FAIL"
        target = "     -" if c.target is None else f"{c.target:5.1f}x"
        print(
            f"{c.name:38} {wall:7.3f}s {floor:7.3f}s {ratio:5.2f}x {target}  "
            f"{verdict} {cpu / floor_cpu:8.2f}x {rss / 2**20:7.0f} MB  "
            f"{c.floor_name}{limit}"
        )
        rows.append({
            "case": c.name, "median_s": wall, "floor_s": floor, "ratio": ratio, "target": c.target,
            "pass": ok, "cpu_s": cpu, "floor_cpu_s": floor_cpu, "cpu_ratio": cpu / floor_cpu,
            "peak_rss_bytes": rss, "floor": c.floor_name, "runs": runs,
            "samples": [s.wall for s in c.runs], "floor_samples": [s.wall for s in c.floor_runs],
        })
    print(f"\nmedians of {runs} runs each, command and floor alternating; "
          f"ratio = command / floor (wall clock); cpu ratio = user+system time / the floor's")
    return rows


def stages(folder: Path) -> None:
    """One cold load in this process, stage by stage (the collector paused, as load does)."""
    import gc
    from datetime import date

    from roadmap_cli import load, report, rules, schema, yamlsrc

    gc.disable()
    t = [time.perf_counter()]
    sources = load.read_sources(load.find_files([str(folder)]))
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


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="3 runs, no 1,000-document repository")
    ap.add_argument("--runs", type=int, help="runs per case (default 5, --quick 3)")
    ap.add_argument("--stages", action="store_true", help="also break a cold 100x100 load down by stage")
    ap.add_argument("--json", type=Path, help="write the results to this file as JSON")
    args = ap.parse_args(argv)
    runs = args.runs or (3 if args.quick else 5)

    OUT.mkdir(exist_ok=True)
    cache_dir = OUT / "cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    env = {**os.environ, "ROADMAP_CACHE_DIR": str(cache_dir), "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("ROADMAP_NO_CACHE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))

    # an installed tool runs from compiled bytecode (pip compiles at install), as the floors'
    # click and rich do; with PYTHONDONTWRITEBYTECODE set, an editable checkout would compile
    # every module of the tracker on every run
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "roadmap_cli")],
                   check=False, env={**env, "PYTHONDONTWRITEBYTECODE": ""})
    print(f"roadmap-cli benchmarks: Python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.2f}")
    print(f"command: {' '.join(roadmap_command())}")
    all_cases, repos = cases(args.quick)
    for name, folder in repos.items():
        size = sum(p.stat().st_size for p in folder.iterdir())
        print(f"repository {name}: {len(list(folder.iterdir()))} files, {size / 2**20:.1f} MB")
    run(all_cases, runs, env)
    rows = report(all_cases, runs)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    if args.stages:
        stages(repos["100x100"])
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
