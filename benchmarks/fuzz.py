"""A long fuzz session against the loader and the report functions, in-process.

    python3 benchmarks/fuzz.py --count 100000 [--seed 1] [--out benchmarks/out/fuzz]

Each input is one roadmap file, made one of four ways (round robin):

- ``yaml``: a random nested structure (roadmap-like keys, hostile scalars) dumped with
  ``yaml.safe_dump`` in a random style, sometimes with random text spliced in;
- ``bytes``: the bytes of a shipped roadmap with 1-8 byte-level mutations (flips, inserts of
  hostile tokens, deletions, duplicated ranges);
- ``lines``: a shipped roadmap with 1-6 line-level mutations (drop, duplicate, swap, re-indent,
  a value replaced by a hostile scalar, a line from another file);
- ``tree``: a shipped roadmap read, one to four of its values replaced by random but plausible
  ones (dates, periods, recurring dues, statuses, numbers at their edges), and written back with
  ``yaml.safe_dump``: these mostly stay valid and reach the report functions.

Every input is loaded with ``load_sources`` next to the shipped ``agencies.yaml``; when the load
has no error, the report functions run at three as-of dates (status, overdue, upcoming,
agencies, show for the document and every measure, indicators, the burn-up series, the calendar
export, the Markdown/HTML report content) and their rows are rendered as JSON, CSV, Markdown and
a table. Any exception is a failure: it is counted by (type, place), and the first input of each
kind is written to ``--out`` for a regression test. An input that takes more than ``--slow``
seconds is reported as slow. Not collected by pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
import traceback
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml

from roadmap_cli import report, report_detail, schedule
from roadmap_cli.load import load_sources
from roadmap_cli.sources import Sources
from roadmap_cli.yamlsrc import parse

SHIPPED = sorted(p for p in (ROOT / "roadmaps").glob("*.yaml") if p.name != "agencies.yaml")
AGENCIES = (ROOT / "roadmaps" / "agencies.yaml").read_bytes()
SEEDS = [p.read_bytes() for p in SHIPPED]
AS_OFS = [date(2026, 11, 22), date(2025, 1, 1), date(2029, 3, 31)]

KEYS = [
    "id", "kind", "title", "parties", "signed", "period", "measures", "notes", "date", "place",
    "start", "end", "owners", "co_executors", "due", "status", "progress", "weight", "completed",
    "reason", "depends_on", "evidence", "indicators", "reports", "every", "from", "until", "grace",
    "url", "unit", "baseline", "target", "actuals", "value", "period", "en", "ru", "kk", "be",
]
SCALARS: list[Any] = [
    "", " ", "no", "NO", "yes", "on", "off", "y", "~", "null", "true", "false", ".nan", ".inf",
    "-.inf", "1e400", "0755", "1:30", "1_000", "0o17", "0x1F", "2026-02-30", "2026-13", "2026-Q5",
    "2026-H3", "2026-Q4", "2026-H1", "2026-10", "2026", "2028-02-29", "0000-01-01", "9999-12-31",
    "1900-01-01", "2199-12-31", "ongoing", "done", "in_progress", "blocked", "cancelled",
    "not_started", "kz-mic", "by-minprom", "1.1", "1.10", "Fix #12", "a: b", "- x", "[x]", "{x}",
    "&a", "*a", "!!python/object/apply:os.system", "\t", "\x85", "\u2028", "\u2029", "\ufeff",
    "Дорожная карта", "ӘІҢҒҮҰҚӨҺ", "Ў", "😀", "x" * 300, "9" * 400, 0, -1, 1, 40, 100, 101,
    2026, 10**30, -(10**30), 1e308, -1e308, 5e-324, 0.5, True, False, None, float("nan"),
    float("inf"),
]
TOKENS = [
    b"\t", b"\x00", b"\x1b[2J", b"\xff", b"\xc3", b"\xef\xbb\xbf", "\u2028".encode(),
    "\x85".encode(), b"---\n", b"...\n", b"<<<<<<< HEAD\n", b"=======\n", b">>>>>>> x\n", b"&a ",
    b"*a", b"*b", b"!!python/object/apply:os.system ['true'] ", b"!!binary ", b"!!set ", b"? ",
    b": ", b"- ", b"[", b"]", b"{", b"}", b",", b"#", b" #", b"'", b'"', b"|\n", b">-\n", b"\r",
    b"\r\n", b"\n", b"  ", b"%YAML 1.1\n", b"%TAG ! tag:x,2000:\n", b"!x ", b"<<: *a\n", b"~",
    b".nan", b".inf", b"1e400", b"0755", b"2026-02-30", b"2026-Q5", b"9999-12-31", b"0000-01-01",
    b"no", b"yes", b"1:30", "Ж".encode(), b"\\", b"\\u0000",
]


# --- input makers --------------------------------------------------------------------------------


def random_value(rng: random.Random, depth: int = 0) -> Any:
    r = rng.random()
    if depth > 6 or r < 0.5:
        return rng.choice(SCALARS)
    if r < 0.75:
        return {rng.choice(KEYS): random_value(rng, depth + 1) for _ in range(rng.randint(0, 6))}
    return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 5))]


def make_yaml(rng: random.Random) -> bytes:
    value = random_value(rng)
    if rng.random() < 0.6:  # roadmap-shaped more often than not
        value = {k: random_value(rng, 1) for k in rng.sample(KEYS[:8], rng.randint(3, 8))}
        if rng.random() < 0.7:
            value["measures"] = [
                {k: random_value(rng, 3) for k in rng.sample(KEYS[8:24], rng.randint(2, 10))}
                for _ in range(rng.randint(0, 4))
            ]
    text = yaml.safe_dump(
        value, allow_unicode=rng.random() < 0.5, default_flow_style=rng.choice([None, True, False]),
        width=rng.choice([20, 80, 10**6]), sort_keys=False,
    )
    if rng.random() < 0.2:
        at = rng.randint(0, len(text))
        noise = "".join(chr(rng.choice([rng.randint(32, 126), rng.randint(0, 0x2FFF)])) for _ in range(rng.randint(1, 20)))
        text = text[:at] + noise + text[at:]
    return text.encode("utf-8", "surrogatepass")


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(5)
        i = rng.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(i, len(b) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[i:i] = rng.choice(TOKENS)
        elif op == 2:
            del b[i : i + rng.randint(1, 40)]
        elif op == 3:
            j = rng.randrange(len(b) + 1)
            lo, hi = sorted((i, j))
            b[i:i] = b[lo : min(hi, lo + 400)]
        else:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
    return bytes(b)


def mutate_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    other = rng.choice(SEEDS).split(b"\n")
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(len(lines))
        op = rng.randrange(7)
        if op == 0 and len(lines) > 1:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            lines[i] = b"  " + lines[i]
        elif op == 4:
            lines[i] = lines[i][2:] if lines[i].startswith(b"  ") else lines[i]
        elif op == 5 and b": " in lines[i]:
            key = lines[i].split(b": ", 1)[0]
            value = rng.choice(SCALARS)
            lines[i] = key + b": " + (yaml.safe_dump(value).split("\n...")[0].strip().encode("utf-8", "surrogatepass") if not isinstance(value, str) else value.encode("utf-8", "surrogatepass"))
        else:
            lines.insert(i, rng.choice(other))
    return b"\n".join(lines)


def _walk(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _walk(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _walk(v, path + (i,))
    return out


def plausible(rng: random.Random, key: Any) -> Any:
    """A value for ``key``: a valid one most of the time (so that the reports run on it), at the
    edges of what is valid (leap days, the first and last accepted years, huge and tiny numbers),
    and sometimes just past them."""
    valid = rng.random() < 0.75
    years = [1900, 1999, 2025, 2026, 2027, 2028, 2100, 2199] + ([] if valid else [1899, 2200, 9999])
    y = rng.choice(years)
    day = rng.randint(1, 28 if valid else 31)
    dates = [f"{y}-{rng.randint(1, 12):02d}-{day:02d}", f"{y}-12-31", f"{y}-01-01"]
    if y % 4 == 0 or not valid:
        dates.append(f"{y}-02-29")
    month = rng.randint(1, 12 if valid else 13)
    quarter = rng.randint(1, 4) if valid else rng.randint(0, 5)
    half = rng.randint(1, 2) if valid else rng.randint(0, 3)
    periods = dates + [f"{y}-{month:02d}", f"{y}-Q{quarter}", f"{y}-H{half}", str(y), y]
    every = ["month", "quarter", "half", "year"] + ([] if valid else ["week"])
    graces = [0, 1, 15, 90, 366] + ([] if valid else [367, -1, 10**9])
    if key in ("date", "start", "end", "completed"):
        return rng.choice(dates)
    if key == "due":
        recurring: dict[str, Any] = {"every": rng.choice(every)}
        for k in ("from", "until", "grace"):
            if rng.random() < 0.5:
                recurring[k] = rng.choice(graces) if k == "grace" else rng.choice(periods)
        return rng.choice(periods + ["ongoing", recurring, recurring])
    if key in ("from", "until", "period"):
        return rng.choice(periods)
    if key == "grace":
        return rng.choice(graces)
    if key == "status":
        return rng.choice(["not_started", "in_progress", "done", "blocked", "cancelled"])
    if key == "progress":
        return rng.choice([0, 1, 50, 99, 100] + ([] if valid else [101, -1, 0.5]))
    if key in ("weight", "baseline", "target", "value"):
        return rng.choice([1, 2, 0.5, 1e-300, 1e300, 10**20, 5e-324, 1.7976931348623157e308] + ([] if valid else [0, -1, -(10**20)]))
    if key in ("owners", "co_executors", "parties"):
        return rng.sample(["kz-mic", "by-minprom", "kz-mti"] + ([] if valid else ["x", "1.1"]), rng.randint(1, 3))
    if key == "depends_on":
        return rng.sample(["1.1", "1.2", "2.1", "3.1", "1"], rng.randint(0, 2))
    return rng.choice(SCALARS)


def mutate_tree(rng: random.Random, data: bytes) -> bytes:
    parsed = parse(data, "seed.yaml")
    value = parsed.data
    paths = [p for p in _walk(value) if p]
    for _ in range(rng.randint(1, 4)):
        path = rng.choice(paths)
        node = value
        for part in path[:-1]:
            node = node[part]
        last = path[-1]
        if rng.random() < 0.15 and isinstance(node, dict):
            node.pop(last, None)
        elif rng.random() < 0.1 and isinstance(node, list):
            node.append(node[rng.randrange(len(node))] if node else None)
        else:
            node[last] = plausible(rng, last if isinstance(last, str) else path[-2] if len(path) > 1 else None)
        paths = [p for p in _walk(value) if p]
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")


MAKERS = {
    "yaml": lambda rng: make_yaml(rng),
    "bytes": lambda rng: mutate_bytes(rng, rng.choice(SEEDS)),
    "lines": lambda rng: mutate_lines(rng, rng.choice(SEEDS)),
    "tree": lambda rng: mutate_tree(rng, rng.choice(SEEDS)),
}


# --- what runs on each input ---------------------------------------------------------------------


def exercise(data: bytes, name: str = "fuzz.yaml") -> tuple[int, int]:
    """Load ``data`` and, when it loads without errors, run every report on it.

    Returns (problems, report rows). Raises whatever the code under test raises."""
    from roadmap_cli import render

    repo = load_sources(Sources(agencies=[("agencies.yaml", AGENCIES)], roadmaps=[(name, data)]))
    for p in repo.problems:  # the problems render in every format
        render.problem_line(p)
    render.render_problems(repo.problems, "json", out=io.StringIO())
    render.render_problems(repo.problems, "github", out=io.StringIO(), files=1)
    if repo.errors or not repo.roadmaps:
        return len(repo.problems), 0
    rows = 0
    roadmaps = repo.roadmaps
    for as_of in AS_OFS:
        end = schedule.window_end(as_of, schedule.parse_window("3m"))
        tables = [
            report.status_rows(roadmaps, as_of, end),
            report.overdue_rows(roadmaps, as_of),
            report.upcoming_rows(roadmaps, as_of, end),
            report.agency_rows(roadmaps, repo.agencies, as_of, end),
            [report_detail.roadmap_detail(rm, as_of, end, repo.agencies, "ru") for rm in roadmaps],
            [report_detail.measure_detail(rm, m, as_of, repo.agencies, "kk") for rm in roadmaps for m in rm.measures],
        ]
        try:
            from roadmap_cli import (
                burnup,
                calendar_export,
                html_report,
                indicators,
                report_content,
                report_markdown,
            )
        except ImportError:  # pragma: no cover - optional report modules
            pass
        else:
            tables.append(indicators.indicator_rows(roadmaps, as_of))
            tables.append([{"points": len(burnup.series(rm, as_of))} for rm in roadmaps])
            tables.append([{"d": str(d)} for d in calendar_export.deadlines(roadmaps, as_of)])
            content = report_content.content(roadmaps, repo.agencies, as_of, end, "en")
            report_markdown.to_markdown(content)
            html_report.to_html(content)
        for table in tables:
            rows += len(table)
            for fmt in ("json", "csv", "markdown"):
                render.render_rows(table, [render.Column(k, k) for k in (table[0] if table else {})], fmt, out=io.StringIO())
        render.render_rows(tables[0], [render.Column("roadmap", "Roadmap"), render.Column("title", "Title")], "table", out=io.StringIO(), width=80)
        select = report.select(roadmaps, statuses=["done"], as_of=as_of, agencies=repo.agencies)
        report.status_rows(select, as_of, end)
    return len(repo.problems), rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "fuzz")
    ap.add_argument("--slow", type=float, default=2.0, help="seconds after which an input counts as slow")
    ap.add_argument("--report-every", type=int, default=5_000)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    kinds = list(MAKERS)
    failures: Counter[tuple[str, str]] = Counter()
    made: Counter[str] = Counter()
    loaded_clean: Counter[str] = Counter()
    slow: list[tuple[float, str, Path]] = []
    started = time.perf_counter()
    for n in range(args.count):
        kind = kinds[n % len(kinds)]
        try:
            data = MAKERS[kind](rng)
        except Exception:  # a maker that cannot mutate this seed: skip it
            continue
        made[kind] += 1
        t = time.perf_counter()
        try:
            _, rows = exercise(data)
            if rows:
                loaded_clean[kind] += 1
        except Exception as e:  # every exception is a finding
            frame = traceback.extract_tb(e.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"
            key = (f"{type(e).__name__}: {str(e)[:80]}", where)
            if key not in failures:
                path = args.out / f"crash-{len(failures):03d}-{kind}.yaml"
                path.write_bytes(data)
                print(f"[{n}] NEW {key[0]} at {where} -> {path}", flush=True)
            failures[key] += 1
        dt = time.perf_counter() - t
        if dt > args.slow:
            path = args.out / f"slow-{len(slow):03d}-{kind}.yaml"
            path.write_bytes(data)
            slow.append((dt, kind, path))
            print(f"[{n}] SLOW {dt:.1f} s -> {path}", flush=True)
        if (n + 1) % args.report_every == 0:
            print(f"{n + 1} inputs, {sum(failures.values())} failures, {time.perf_counter() - started:.0f} s", flush=True)
    total = sum(made.values())
    print(f"\n{total} inputs in {time.perf_counter() - started:.0f} s (seed {args.seed})")
    for kind in kinds:
        print(f"  {kind:6} {made[kind]:7} made, {loaded_clean[kind]:6} loaded without errors and reported on")
    print(f"{sum(failures.values())} failures, {len(failures)} distinct; {len(slow)} slow inputs (> {args.slow} s)")
    for (what, where), count in failures.most_common():
        print(f"  {count:6}  {what}  at {where}")
    return 1 if failures or slow else 0


if __name__ == "__main__":
    sys.exit(main())
