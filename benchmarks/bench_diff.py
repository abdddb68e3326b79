"""Benchmark: `roadmap diff BASE HEAD` over a repository of 100 documents x 100 measures.

Generates a git repository in a temporary folder with two commits (the second edits statuses,
moves deadlines, adds and removes measures, changes owners and renames one document), then runs
the installed ``roadmap`` command five times and prints the median wall-clock time.

    python3 benchmarks/bench_diff.py [--documents 100] [--measures 100] [--runs 5]
                                     [--edited N] [--roadmap PATH_TO_ROADMAP_EXECUTABLE]

Reports the median wall-clock and CPU time of the diff cold (``--no-cache``) and warm (the
content-hash cache filled), beside one cold ``roadmap validate`` of one side as a reference (a
diff must load and check both sides). The target (issue 4) is under 2 seconds. The generator is
self-contained and deterministic. ``--edited 5`` gives the usual pull request: a few documents
changed, the rest shared between the two sides.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AGENCIES = [f"kz-agency-{i:02d}" for i in range(10)] + [f"by-agency-{i:02d}" for i in range(10)]
STATUSES = ["not_started", "in_progress", "done", "blocked", "cancelled"]
DUES = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-H1", "2027-H2", "2027", "2026-10-15",
        "2027-03", "ongoing"]


def agencies_yaml() -> str:
    lines = ["agencies:"]
    for a in AGENCIES:
        country = "KZ" if a.startswith("kz") else "BY"
        lines += [
            f"  - id: {a}",
            "    name:",
            f"      en: Agency {a}",
            f"      ru: Ведомство {a}",
            f"    country: {country}",
            "    level: national",
        ]
    return "\n".join(lines) + "\n"


def measure_yaml(rng: random.Random, doc: int, i: int, status: str | None = None,
                 due: str | None = None, owners: list[str] | None = None) -> str:
    # draw every random value first, so that an override leaves the rest of the measure as it was
    drawn_status, drawn_due, drawn_owners = rng.choice(STATUSES), rng.choice(DUES), rng.sample(AGENCIES, 2)
    co_executors, progress = rng.sample(AGENCIES, 2), rng.randrange(0, 100, 10)
    status = status or drawn_status
    due = due or drawn_due
    owners = owners or drawn_owners
    lines = [
        f'  - id: "{i // 10 + 1}.{i % 10 + 1}"',
        "    title:",
        f"      en: Measure {i} of document {doc}, hold joint events and exchange delegations",
        f"      ru: Мероприятие {i} документа {doc}, провести совместные мероприятия и обмен делегациями",
        f"    owners: [{', '.join(owners)}]",
        f"    co_executors: [{', '.join(co_executors)}]",
        f"    due: {due}" if due == "ongoing" else f'    due: "{due}"',
        f"    status: {status}",
    ]
    if status == "in_progress":
        lines.append(f"    progress: {progress}")
    if status == "done":
        lines.append("    completed: 2026-06-30")
        lines += ["    evidence:",
                  "      - {title: {en: Protocol of the meeting}, date: 2026-06-30, url: https://example.org/}"]
    if status in ("blocked", "cancelled"):
        lines.append("    reason: Waiting for the other side to agree the dates.")
    return "\n".join(lines) + "\n"


def document_yaml(doc: int, measures: int, edit: bool) -> str:
    """One document; with ``edit``, a few measures changed the way a review would change them."""
    head = [
        "# yaml-language-server: $schema=../schemas/roadmap.schema.json",
        f"id: bench-doc-{doc:03d}",
        "kind: roadmap",
        "title:",
        f"  en: Benchmark roadmap number {doc} on trade, economic and cultural cooperation",
        f"  ru: Дорожная карта номер {doc} по торгово-экономическому и культурному сотрудничеству",
        f"parties: [{AGENCIES[doc % 10]}, {AGENCIES[10 + doc % 10]}]",
        "signed: {date: 2025-11-05, place: Astana}",
        "period: {start: 2026-01-01, end: 2028-12-31}",
        "measures:",
    ]
    body = []
    for i in range(measures):
        rng = random.Random(doc * 100_000 + i)  # one stream per measure: edits stay local
        if edit and i == 3:
            body.append(measure_yaml(rng, doc, i, status="blocked"))
        elif edit and i == 5:
            body.append(measure_yaml(rng, doc, i, due="2028-Q2"))
        elif edit and i == 7:
            body.append(measure_yaml(rng, doc, i, owners=[AGENCIES[0]]))
        elif edit and i == 9:
            continue  # removed
        else:
            body.append(measure_yaml(rng, doc, i))
    if edit:
        body.append(measure_yaml(random.Random(-doc), doc, measures + 10, status="not_started", due="2028"))
    return "\n".join(head) + "\n" + "\n".join(body)


def git(cwd: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org",
        "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00",
    }
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def generate(root: Path, documents: int, measures: int, edited: int | None = None) -> None:
    """A repository at ``root``: commit ``base`` with the documents, commit ``head`` editing
    ``edited`` of them (default: all) and renaming the first one."""
    edited = documents if edited is None else edited
    folder = root / "roadmaps"
    folder.mkdir(parents=True)
    git(root, "-c", "init.defaultBranch=main", "init", "-q")
    (folder / "agencies.yaml").write_text(agencies_yaml(), encoding="utf-8")
    for d in range(documents):
        (folder / f"bench-doc-{d:03d}.yaml").write_text(document_yaml(d, measures, False), encoding="utf-8")
    git(root, "add", "roadmaps")
    git(root, "commit", "-q", "-m", "base")
    git(root, "tag", "base")
    for d in range(edited):
        (folder / f"bench-doc-{d:03d}.yaml").write_text(document_yaml(d, measures, True), encoding="utf-8")
    # one document renamed (same id, new file name: a file-name warning, not an error)
    (folder / "bench-doc-000.yaml").rename(folder / "bench-doc-000-renamed.yaml")
    git(root, "add", "-A", "roadmaps")
    git(root, "commit", "-q", "-m", "edit")
    git(root, "tag", "head")


def measure(cmd: list[str], cwd: Path, runs: int) -> tuple[list[float], list[float], bytes]:
    """Wall-clock and CPU seconds (user + system, the command and everything it waited for) of
    each run, and the last run's output."""
    walls, cpus, out = [], [], b""
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        out = proc.stdout
        if proc.returncode not in (0, 1) or (proc.returncode == 1 and "validate" not in cmd):
            sys.stderr.write(proc.stderr.decode(errors="replace"))
            raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    return walls, cpus, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=100)
    ap.add_argument("--measures", type=int, default=100)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--edited", type=int, default=None,
                    help="how many documents the second commit edits (default: all of them)")
    ap.add_argument("--roadmap", default=shutil.which("roadmap") or str(Path(sys.executable).parent / "roadmap"),
                    help="the installed roadmap executable (default: the one on PATH)")
    ap.add_argument("--keep", action="store_true", help="keep the generated repository")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="roadmap-bench-diff-"))
    try:
        generate(tmp, args.documents, args.measures, args.edited)
        edited = args.documents if args.edited is None else args.edited
        print(f"repository: {args.documents} documents x {args.measures} measures, 2 commits, "
              f"{edited} documents edited ({tmp})")
        diff = [args.roadmap, "diff", "base", "head", "--format", "json"]
        validate = [args.roadmap, "validate", "roadmaps"]
        cold, cold_cpu, out = measure([*diff, "--no-cache"], tmp, args.runs)
        print(f"changes reported: {len(json.loads(out))}")
        measure(diff, tmp, 1)  # fill the cache
        warm, warm_cpu, _ = measure(diff, tmp, args.runs)
        ref, ref_cpu, _ = measure([*validate, "--no-cache"], tmp, args.runs)
        rows = [
            ("roadmap diff base head, cold (--no-cache)", cold, cold_cpu),
            ("roadmap diff base head, warm (cache filled)", warm, warm_cpu),
            ("roadmap validate, one side, cold (reference)", ref, ref_cpu),
        ]
        for name, walls, cpus in rows:
            print(f"{name}:")
            print(f"  runs {', '.join(f'{t:.3f}' for t in walls)} s")
            print(f"  median wall {statistics.median(walls):.3f} s, median CPU {statistics.median(cpus):.3f} s")
        print(f"target: diff under 2 s; cold diff / cold validate (wall) = "
              f"{statistics.median(cold) / statistics.median(ref):.2f}")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
