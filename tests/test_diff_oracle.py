"""`roadmap diff` and `roadmap history` against an oracle written from the contract alone
(shared/spec/roadmap-format.md, docs/diff.md, docs/semantics.md), on real git repositories
of random documents and random edits: every due form, rescheduled moves, owners reordered,
titles as text or a language map, measures added, removed and renamed, files renamed,
documents deleted, key order, quoting and comments changed, broken revisions (a syntax
error, a file saved as UTF-16) for history. The oracle reads the files with PyYAML and
nothing of roadmap_cli; the choices the contract leaves open follow the docs (a removed
measure just before the next measure of the old file that is still there; fields within a
measure, and a year written as a number or as text, as docs/diff.md says)."""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import json
import os
import random
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from dateutil.relativedelta import relativedelta
from gitrepo import Repo, isolate, run

FOLDER = "roadmaps"
AGENCIES = ["kz-mic", "kz-mti", "by-minprom", "by-maz"]
REGISTRY = "agencies:\n" + "".join(
    f"  - {{id: {a}, name: {{en: Agency {a}}}, country: {a[:2].upper()}, level: national}}\n"
    for a in AGENCIES)
TODAY = dt.date(2026, 1, 5)  # completions and dates stay on or before it (they are in the past)


class Broken:
    """A file that is not YAML text (a syntax error, UTF-16), with its bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data


BROKEN = Broken(b"")  # look()'s answer for a broken revision of the document

# ---------------------------------------------------------------- the oracle


def to_json(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dict):
        return {str(k): to_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_json(x) for x in v]
    return v


def same(a: Any, b: Any) -> bool:
    """Equal by meaning: 1 == 1.0, "1" != 1, a year as a number or as text the same year."""
    a, b = to_json(a), to_json(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if (isinstance(a, int) and isinstance(b, str)) or (isinstance(a, str) and isinstance(b, int)):
        return str(a) == str(b) and re.fullmatch(r"\d{4}", str(a)) is not None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def last_day(p: Any) -> dt.date | None:
    """The last day of a period form: a date, 2026-10, 2026-Q4, 2026-H1, 2026 or "2026"."""
    if isinstance(p, dt.date):
        return p
    s = str(p)
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", s):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{4})-(\d\d)", s):
        return _end(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})-([QH])([1-4])", s):
        return _end(int(m[1]), int(m[3]) * (3 if m[2] == "Q" else 6))
    if re.fullmatch(r"\d{4}", s):
        return dt.date(int(s), 12, 31)
    return None


def deadline(due: Any, doc: dict) -> dt.date | None:
    """The deadline (a recurring measure's last one, grace included); None for none."""
    if isinstance(due, dict) and "every" in due:
        until = last_day(due.get("until", doc["period"]["end"]))
        months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[due["every"]]
        end = _end(until.year, (until.month - 1) // months * months + months)
        return end + dt.timedelta(days=due.get("grace", 0))
    if isinstance(due, dict):
        anchor = next((e.get("date") for e in doc.get("events", []) if e["id"] == due["after"]), None)
        for m in doc["measures"]:
            if m["id"] == due["after"] and m["status"] == "done":
                anchor = m["completed"]
        n, unit = int(due["within"][:-1]), due["within"][-1]
        step = {"d": relativedelta(days=n), "w": relativedelta(weeks=n),
                "m": relativedelta(months=n), "y": relativedelta(years=n)}[unit]
        return None if anchor is None else anchor + step
    return None if due in ("ongoing", "on_request") else last_day(due)


ORDER = ["title", "owners", "co_executors", "due", "status", "progress", "weight", "completed",
         "reason", "depends_on", "evidence", "indicators", "reports", "notes"]


def changed_fields(a: dict, b: dict, skip: set[str]) -> list[tuple[str, Any, Any]]:
    keys = [k for k in ORDER if k in a or k in b] + sorted((a.keys() | b.keys()) - set(ORDER))
    return [(k, a.get(k), b.get(k)) for k in keys
            if k not in skip and not same(a.get(k), b.get(k))]


def rescheduled_by(a: dict, b: dict, old_doc: dict, new_doc: dict) -> str | None:
    """The amendment of a due change that new entries at the end of `rescheduled` record."""
    old, new = a.get("rescheduled", []), b.get("rescheduled", [])
    if len(new) <= len(old) or not same(new[:len(old)], old):
        return None
    first, by = new[len(old)]["from"], new[-1]["by"]
    written = deadline(first, old_doc)
    moved_from = same(first, a["due"]) or (written is not None and written == deadline(a["due"], old_doc))
    known = by in [x["id"] for x in new_doc.get("amendments", [])]
    return by if moved_from and known else None


def row(rid, mid, change, field, old, new, slip=None):
    return {"roadmap": rid, "measure": mid, "change": change, "field": field,
            "old": to_json(old), "new": to_json(new), "slip_days": slip}


def oracle_diff(old_files: dict[str, dict], new_files: dict[str, dict]) -> list[dict]:
    old = {d["id"]: (p, d) for p, d in old_files.items()}
    new = {d["id"]: (p, d) for p, d in new_files.items()}
    rows = []
    for rid in sorted(old.keys() | new.keys()):
        if rid not in new or rid not in old:
            gone = rid not in new
            rows.append(row(rid, None, "removed" if gone else "added", None,
                            old[rid][1] if gone else None, None if gone else new[rid][1]))
            continue
        (op, od), (np_, nd) = old[rid], new[rid]
        if op != np_:
            rows.append(row(rid, None, "renamed", "file", op, np_))
        rows += [row(rid, None, "changed", f, x, y)
                 for f, x, y in changed_fields(od, nd, {"id", "measures"})]
        om = {m["id"]: m for m in od["measures"]}
        nm = {m["id"]: m for m in nd["measures"]}
        before: dict[str, list[str]] = {}
        waiting: list[str] = []
        for mid in om:
            if mid in nm:
                before[mid], waiting = waiting, []
            else:
                waiting.append(mid)
        order = [x for mid in nm for x in before.get(mid, []) + [mid]] + waiting
        for mid in order:
            if mid not in nm or mid not in om:
                gone = mid not in nm
                rows.append(row(rid, mid, "removed" if gone else "added", None,
                                om[mid] if gone else None, None if gone else nm[mid]))
                continue
            a, b = om[mid], nm[mid]
            by = None if same(a["due"], b["due"]) else rescheduled_by(a, b, od, nd)
            for f, x, y in changed_fields(a, b, {"id"} | ({"rescheduled"} if by else set())):
                r = row(rid, mid, "rescheduled" if by and f == "due" else "changed", f, x, y)
                if f == "due":
                    d1, d2 = deadline(x, od), deadline(y, nd)
                    r["slip_days"] = None if d1 is None or d2 is None else (d2 - d1).days
                    if by:
                        r["by"] = by
                rows.append(r)
    return rows


def oracle_history(revisions: list[tuple[dict, dict, dict]], rid: str, mid: str) -> list[dict]:
    """One row per field a commit changed (creation and removal: field null); a revision whose
    file is broken (the document's file, or one with its id in it) says nothing: the last one
    read is compared with the next one read."""
    rows: list[dict] = []
    home, last = None, None

    def look(files: dict) -> tuple[str | None, Any]:
        for path, doc in files.items():
            if isinstance(doc, dict) and doc.get("id") == rid:
                return path, next((m for m in doc["measures"] if m["id"] == mid), None)
        for path, doc in files.items():
            if isinstance(doc, Broken) and (path == home or rid.encode() in doc.data):
                return path, BROKEN
        return None, None

    for info, before_files, after_files in revisions:
        b = look(before_files)[1]
        path, a = look(after_files)
        if a is BROKEN:
            continue
        b = last if b is BROKEN else b
        home, last = path or home, a
        if a is None and b is None:
            continue
        if a is None or b is None:
            rows.append({**info, "field": None, "old": to_json(b), "new": to_json(a)})
        else:
            rows += [{**info, "field": f, "old": to_json(x), "new": to_json(y)}
                     for f, x, y in changed_fields(b, a, {"id"})]
    return rows


# ---------------------------------------------------------------- random documents and edits


def period_form(r: random.Random, d: dt.date) -> Any:
    return r.choice([d, f"{d.year}-{d.month:02d}", f"{d.year}-Q{(d.month - 1) // 3 + 1}",
                     f"{d.year}-H{(d.month - 1) // 6 + 1}", str(d.year), d.year])


def random_day(r: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=r.randint(0, (hi - lo).days))


def random_due(r: random.Random, doc: dict, earlier: list[str]) -> Any:
    k = r.random()
    if k < 0.45:
        return period_form(r, random_day(r, dt.date(2026, 1, 1), dt.date(2028, 12, 31)))
    if k < 0.55:
        return r.choice(["ongoing", "on_request"])
    if k < 0.8:
        due: dict = {"every": r.choice(["quarter", "half", "year"])}
        if r.random() < 0.5:
            due["from"] = period_form(r, random_day(r, dt.date(2026, 1, 1), dt.date(2026, 6, 30)))
        if r.random() < 0.6:
            due["until"] = period_form(r, random_day(r, dt.date(2027, 1, 1), dt.date(2028, 12, 31)))
        if r.random() < 0.5:
            due["grace"] = r.choice([0, 15, 31])
        return due
    anchors = [e["id"] for e in doc["events"]] + earlier
    return {"after": r.choice(anchors), "within": f"{r.randint(1, 12)}{r.choice('dwmy')}"}


def set_status(r: random.Random, m: dict) -> None:
    for k in ("completed", "reason", "progress"):
        m.pop(k, None)
    m["status"] = r.choice(["not_started", "in_progress", "done", "blocked", "cancelled"])
    if m["status"] == "done":
        m["completed"] = random_day(r, dt.date(2025, 11, 6), TODAY)
    elif m["status"] in ("blocked", "cancelled"):
        m["reason"] = r.choice(["no funds", "waiting for the partner"])
    elif m["status"] == "in_progress" and r.random() < 0.6:
        m["progress"] = r.choice([10, 50, 90])


def new_measure(r: random.Random, doc: dict, mid: str, earlier: list[str]) -> dict:
    t = r.choice(["Hold a forum", "Open a trading house", "Assemble buses"])
    m: dict = {"id": mid, "title": r.choice([t, {"en": t}, {"en": t, "ru": "Провести форум"}]),
               "owners": r.sample(AGENCIES, r.randint(1, 2)), "due": random_due(r, doc, earlier)}
    set_status(r, m)
    if r.random() < 0.3:
        m["evidence"] = [{"title": "Protocol", "date": random_day(r, dt.date(2025, 12, 1), TODAY)}]
    if r.random() < 0.3:
        m["weight"] = r.choice([1, 2, 0.5])
    return m


def new_document(r: random.Random, rid: str) -> dict:
    doc: dict = {"id": rid, "kind": "roadmap", "title": f"Roadmap {rid}", "parties": AGENCIES[:2],
                 "signed": {"date": dt.date(2025, 11, 5)},
                 "period": {"start": dt.date(2026, 1, 1), "end": dt.date(2028, 12, 31)},
                 "events": [{"id": "entry-into-force", "title": "Entry into force",
                             "date": dt.date(2025, 12, 1)}, {"id": "ratified", "title": "Ratified"}],
                 "amendments": [{"id": "protocol-1", "date": dt.date(2025, 12, 10)}],
                 "measures": []}
    for mid in r.sample(["1", "1.1", "1.2", "1.10", "2", "A-3"], r.randint(2, 4)):
        doc["measures"].append(new_measure(r, doc, mid, [m["id"] for m in doc["measures"]]))
    return doc


def edit(r: random.Random, doc: dict) -> None:
    ms = doc["measures"]
    m = r.choice(ms)
    k = r.choice(["status", "due", "due", "same", "resched", "resched", "owners", "title",
                  "add", "remove", "rename", "period", "event", "evidence"])
    referenced = any(isinstance(x["due"], dict) and x["due"].get("after") == m["id"] for x in ms)
    free = [x for x in ["1", "1.1", "1.2", "1.10", "2", "A-3", "b_2"] if x not in {y["id"] for y in ms}]
    if k == "status":
        set_status(r, m)
    elif k in ("due", "resched") and not (isinstance(m["due"], dict) and "after" in m["due"]):
        old, d = m["due"], deadline(m["due"], doc)
        m["due"] = random_due(r, doc, []) if d is None or r.random() < 0.3 else period_form(
            r, d + dt.timedelta(days=r.choice([-92, -1, 1, 31, 184])))
        if k == "resched" and not isinstance(old, dict):
            aid = f"protocol-{len(doc['amendments']) + 1}"
            doc["amendments"].append({"id": aid, "date": TODAY})
            m.setdefault("rescheduled", []).append({"from": d if d and r.random() < 0.3 else old, "by": aid})
    elif k == "same" and deadline(m["due"], doc) and not isinstance(m["due"], dict):
        m["due"] = deadline(m["due"], doc)  # the same deadline as a date
    elif k == "owners":
        m["owners"] = m["owners"][::-1] if len(m["owners"]) > 1 else r.sample(AGENCIES, 2)
    elif k == "title":
        m["title"] = m["title"]["en"] if isinstance(m["title"], dict) else {"en": m["title"]}
    elif k == "add" and free:
        ms.insert(r.randint(0, len(ms)), new_measure(r, doc, r.choice(free), []))
        for x in ms:  # an anchor only among the measures listed before (no cycle)
            if isinstance(x["due"], dict) and x["due"].get("after") not in (
                    [e["id"] for e in doc["events"]] + [y["id"] for y in ms[:ms.index(x)]]):
                x["due"] = "ongoing"
    elif k in ("remove", "rename") and not referenced and len(ms) > 1:
        if k == "remove":
            ms.remove(m)
        elif free:
            m["id"] = r.choice(free)
    elif k == "period":
        doc["period"]["end"] = dt.date(r.choice([2028, 2029]), 12, 31)
    elif k == "event":
        doc["events"][1]["date"] = random_day(r, dt.date(2025, 11, 6), TODAY)
    elif k == "evidence":
        m.setdefault("evidence", []).append({"title": {"en": "Order"}, "url": "https://example.org"})


def scalar(r: random.Random, v: Any) -> str:
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (int, float)):
        return repr(v)
    quote = r.choice(["'", '"']) if r.random() < 0.5 or re.search(r"^[\d.]+$|[:#,\[\]{}]", v) else ""
    return f"{quote}{v}{quote}"


def write(r: random.Random, v: Any, pad: str = "") -> list[str]:
    """YAML for ``v`` in a random style: key order, flow or block, quoting, comments."""
    lines: list[str] = []
    if isinstance(v, dict):
        items = list(v.items())
        r.shuffle(items) if r.random() < 0.4 else None
        items.sort(key=lambda kv: kv[0] != "id")
        for k, x in items:
            if r.random() < 0.05:
                lines.append(f"{pad}# a comment")
            if not isinstance(x, (dict, list)) or ((not x or r.random() < 0.3) and all(
                    not isinstance(y, (dict, list)) for y in (x.values() if isinstance(x, dict) else x))):
                lines.append(f"{pad}{k}: {flow(r, x)}")
            else:
                lines += [f"{pad}{k}:"] + write(r, x, pad + "  ")
    else:
        for x in v:
            sub = write(r, x, pad + "  ") if isinstance(x, (dict, list)) and x else [pad + "  " + flow(r, x)]
            lines += [f"{pad}- {sub[0].lstrip()}"] + sub[1:]
    return lines


def flow(r: random.Random, v: Any) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {flow(r, x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(flow(r, x) for x in v) + "]"
    return scalar(r, v)


def read_side(repo: Repo, rev: str) -> dict[str, Any]:
    """path -> the document at ``rev`` as PyYAML reads it, or BROKEN."""
    out: dict[str, Any] = {}
    names = repo.git("ls-tree", "--name-only", f"{rev}:{FOLDER}").split("\n")
    for name in (n for n in names if n.endswith(".yaml") and n != "agencies.yaml"):
        data = subprocess.run(["git", "show", f"{rev}:{FOLDER}/{name}"], cwd=repo.root,
                              capture_output=True, check=True).stdout
        try:
            out[f"{FOLDER}/{name}"] = yaml.safe_load(data.decode("utf-8")) if b"\0" not in data else Broken(data)
        except (UnicodeDecodeError, yaml.YAMLError):
            out[f"{FOLDER}/{name}"] = Broken(data)
    return out


# ---------------------------------------------------------------- the comparison


def build(r: random.Random, root: Path) -> tuple[Repo, list[str]]:
    repo = Repo(root)
    repo.write(f"{FOLDER}/agencies.yaml", REGISTRY)
    files = {f"{FOLDER}/{rid}.yaml": new_document(r, rid) for rid in ["kz-by-a", "kz-by-b"]}
    commits, kept = [], ("", b"")
    for i in range(6):
        if i:
            k = r.random()
            p = r.choice(sorted(files))
            if k < 0.1:  # the file renamed, the same id
                repo.path(p).unlink()
                doc = files.pop(p)
                files[f"{FOLDER}/{doc['id']}-{i}.yaml"] = doc
            elif k < 0.15 and len(files) > 1:
                repo.path(p).unlink()
                del files[p]
            for _ in range(r.randint(1, 3)):
                edit(r, r.choice(list(files.values())))
        for p, doc in files.items():
            repo.write(p, "\n".join(write(r, doc)) + "\n")
        if kept[0] in files:  # still broken: the commit edits other documents
            repo.path(kept[0]).write_bytes(kept[1])
        kept = ("", b"")
        if 0 < i < 5 and r.random() < 0.25:  # a broken revision, fixed by a later commit
            broken = r.choice(sorted(files))
            text = "\n".join(write(r, files[broken])) + "\n"
            data = text.encode("utf-16") if r.random() < 0.5 else \
                text.replace("\nmeasures:", "\nmeasures: [", 1).encode()
            repo.path(broken).write_bytes(data)
            if r.random() < 0.5:
                kept = (broken, data)
        repo.write("NOTES", f"edit {i}\n")  # (never an empty commit)
        commits.append(repo.commit(f"edit {i}", date=f"2026-01-{10 + i}T10:00:00+05:00"))
    return repo, commits


def fields_sorted(rows: list[dict]) -> list[dict]:
    """The rows with the fields of each document or measure in name order: the order within
    one is the project's choice (docs/diff.md), the order of documents and measures is not."""
    key = {}
    for x in rows:
        key.setdefault((x["roadmap"], x["measure"]), len(key))
    return sorted(rows, key=lambda x: (key[x["roadmap"], x["measure"]], str(x["field"])))


def check_repository(seed: int, tmp_path: Path) -> int:
    r = random.Random(seed)
    repo, commits = build(r, tmp_path / f"repo{seed}")
    sides = [read_side(repo, c) for c in commits]
    compared = 0
    pairs = [(0, len(commits) - 1), (len(commits) - 1, 0)] + [(i, i + 1) for i in range(len(commits) - 1)]
    for a, b in pairs:
        res = run("diff", commits[a], commits[b], "--format", "json")
        if any(isinstance(v, Broken) for v in (*sides[a].values(), *sides[b].values())):
            assert res.code == 1, (seed, a, b, res.out)  # a side with errors is not compared
            continue
        assert res.code == 0, (seed, a, b, res.err)
        got = json.loads(res.out)
        want = oracle_diff(sides[a], sides[b])
        assert len(got) == len(want), (seed, a, b, got, want)
        assert fields_sorted([{k: x.get(k) for k in w} for x, w in zip(got, want, strict=True)]) == \
            fields_sorted(want), (seed, a, b, got, want)
        slipped = any(w["change"] == "changed" and (w["slip_days"] or 0) > 0 for w in want)
        assert run("diff", commits[a], commits[b], "--fail-on-slip").code == int(slipped)
        compared += 1
    log = repo.git("log", "--reverse", "--format=%H %aI").split("\n")
    revisions = []
    for i, entry in enumerate(line for line in log if line):
        sha, date = entry.split()
        info = {"commit": sha, "date": date, "author": "Aigerim Sadykova"}
        revisions.append((info, sides[i - 1] if i else {}, sides[i]))
    targets = {(d["id"], m["id"]) for side in sides for d in side.values() if isinstance(d, dict)
               for m in d["measures"]}
    for rid, mid in sorted(targets):
        res = run("history", f"{rid}/{mid}", "--format", "json")
        assert res.code == 0, (seed, rid, mid, res.err)
        got = [{k: x[k] for k in ("commit", "date", "author", "field", "old", "new")}
               for x in json.loads(res.out)]
        want = oracle_history(revisions, rid, mid)
        by_commit = {sha: i for i, sha in enumerate(c["commit"] for c, _b, _a in revisions)}
        assert sorted(got, key=lambda x: (by_commit[x["commit"]], str(x["field"]))) == \
            sorted(want, key=lambda x: (by_commit[x["commit"]], str(x["field"]))), (seed, rid, mid)
        assert [x["commit"] for x in got] == [x["commit"] for x in want]
        compared += 1
    return compared


@pytest.mark.parametrize("seed", [pytest.param(s, marks=pytest.mark.slow) if s else s for s in range(int(os.environ.get("ROADMAP_ORACLE_SEEDS", 8)))])
def test_diff_and_history_agree_with_the_oracle(seed: int, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, tmp_path)
    (tmp_path / f"repo{seed}").mkdir()
    monkeypatch.chdir(tmp_path / f"repo{seed}")
    assert check_repository(seed, tmp_path) > 0


def test_the_oracle_itself() -> None:
    """The oracle on the contract's own examples (docs/diff.md)."""
    doc = {"id": "d", "period": {"end": dt.date(2028, 12, 31)}, "events": [], "measures": [],
           "amendments": [{"id": "protocol-1"}]}
    assert deadline("2026-Q2", doc) == dt.date(2026, 6, 30)
    assert deadline(2027, doc) == deadline("2027-12-31", doc) == dt.date(2027, 12, 31)
    assert deadline({"every": "quarter", "until": "2026-Q4", "grace": 15}, doc) == dt.date(2027, 1, 15)
    assert deadline({"every": "year"}, doc) == dt.date(2028, 12, 31)
    old = {**doc, "measures": [{"id": "1.1", "due": "2026-Q2"}, {"id": "1.2", "due": "2026-06"}]}
    new = copy.deepcopy(old)
    new["measures"][0].update(due="2026-12", rescheduled=[{"from": "2026-06-30", "by": "protocol-1"}])
    new["measures"][1]["due"] = "2026-12"
    rows = oracle_diff({"a.yaml": old}, {"a.yaml": new})
    assert [(x["measure"], x["change"], x["slip_days"], x.get("by")) for x in rows] == [
        ("1.1", "rescheduled", 184, "protocol-1"), ("1.2", "changed", 184, None)]
