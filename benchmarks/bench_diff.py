"""Benchmark: `roadmap diff BASE HEAD` over a repository of 100 documents x 100 measures.

Generates a git repository in a temporary folder with two commits (the second edits statuses,
moves deadlines, adds and removes measures, changes owners and renames one document), then runs
the installed ``roadmap`` command five times and prints the median wall-clock time.

    python3 benchmarks/bench_diff.py [--documents 100] [--measures 100] [--runs 5]
                                     [--roadmap PATH_TO_ROADMAP_EXECUTABLE]

The target (issue 4) is under 2 seconds. The generator is self-contained (deterministic, no
random module state shared with anything else).
"""

from __future__ import annotations

import argparse
import os
import random
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
    status = status or rng.choice(STATUSES)
    due = due or rng.choice(DUES)
    owners = owners or rng.sample(AGENCIES, 2)
    lines = [
        f'  - id: "{i // 10 + 1}.{i % 10 + 1}"',
        "    title:",
        f"      en: Measure {i} of document {doc}, hold joint events and exchange delegations",
        f"      ru: Мероприятие {i} документа {doc}, провести совместные мероприятия и обмен делегациями",
        f"    owners: [{', '.join(owners)}]",
        f"    co_executors: [{', '.join(rng.sample(AGENCIES, 2))}]",
        f"    due: {due}" if due == "ongoing" else f'    due: "{due}"',
        f"    status: {status}",
    ]
    if status == "in_progress":
        lines.append(f"    progress: {rng.randrange(0, 100, 10)}")
    if status == "done":
        lines.append("    completed: 2026-06-30")
        lines += ["    evidence:",
                  "      - {title: {en: Protocol of the meeting}, date: 2026-06-30, url: https://example.org/}"]
    if status in ("blocked", "cancelled"):
        lines.append("    reason: Waiting for the other side to agree the dates.")
    return "\n".join(lines) + "\n"


def document_yaml(doc: int, measures: int, edit: bool) -> str:
    rng = random.Random(doc)
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
        state = rng.getstate()
        text = measure_yaml(rng, doc, i)
        if edit:
            # a few edits per document: done, slipped, owners changed, removed, added
            if i == 3:
                rng.setstate(state)
                text = measure_yaml(rng, doc, i, status="blocked")
            elif i == 5:
                rng.setstate(state)
                text = measure_yaml(rng, doc, i, due="2028-Q2")
            elif i == 7:
                rng.setstate(state)
                text = measure_yaml(rng, doc, i, owners=[AGENCIES[0]])
            elif i == 9:
                continue
        body.append(text)
    if edit:
        body.append(measure_yaml(rng, doc, measures + 10, status="not_started", due="2028"))
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


def generate(root: Path, documents: int, measures: int) -> None:
    folder = root / "roadmaps"
    folder.mkdir(parents=True)
    git(root, "-c", "init.defaultBranch=main", "init", "-q")
    (folder / "agencies.yaml").write_text(agencies_yaml(), encoding="utf-8")
    for d in range(documents):
        (folder / f"bench-doc-{d:03d}.yaml").write_text(document_yaml(d, measures, False), encoding="utf-8")
    git(root, "add", "roadmaps")
    git(root, "commit", "-q", "-m", "base")
    git(root, "tag", "base")
    for d in range(documents):
        (folder / f"bench-doc-{d:03d}.yaml").write_text(document_yaml(d, measures, True), encoding="utf-8")
    # one document renamed (same id, new file name: a file-name warning, not an error)
    (folder / "bench-doc-000.yaml").rename(folder / "bench-doc-000-renamed.yaml")
    git(root, "add", "-A", "roadmaps")
    git(root, "commit", "-q", "-m", "edit")
    git(root, "tag", "head")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=100)
    ap.add_argument("--measures", type=int, default=100)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--roadmap", default=shutil.which("roadmap") or "roadmap",
                    help="the installed roadmap executable (default: the one on PATH)")
    ap.add_argument("--keep", action="store_true", help="keep the generated repository")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="roadmap-bench-diff-"))
    try:
        generate(tmp, args.documents, args.measures)
        cmd = [args.roadmap, "diff", "base", "head", "--format", "json"]
        times = []
        out = b""
        for _ in range(args.runs):
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, cwd=tmp, capture_output=True)
            times.append(time.perf_counter() - t0)
            out = proc.stdout
            if proc.returncode != 0:
                sys.stderr.write(proc.stderr.decode(errors="replace"))
                print(f"roadmap diff exited {proc.returncode}", file=sys.stderr)
                return 1
        import json

        rows = json.loads(out)
        print(f"repository: {args.documents} documents x {args.measures} measures, 2 commits ({tmp})")
        print(f"changes reported: {len(rows)}")
        print(f"runs: {', '.join(f'{t:.3f}' for t in times)} s")
        print(f"median of {args.runs}: {statistics.median(times):.3f} s (target < 2 s)")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
