"""Random *valid* roadmap repositories for the oracle (tests/oracle.py): every due form, statuses,
weights, progress, completions before and after an as-of date, reports (some dated late, some
undated), events with and without dates, anchors on measures, rescheduled chains, sections and
acyclic depends_on. `repository(rng)` -> (agencies, docs) as Python data; `write(folder, ...)`."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

Date = dt.date
#: completions, reports and most events happen by today (validate refuses completions later)
TODAY = Date.today()
#: the most measures a document gets
MAX_MEASURES = 12


def _day(rng: random.Random, lo: Date, hi: Date) -> Date:
    return lo + dt.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def _period_form(rng: random.Random, d: Date, kinds: tuple[str, ...] | None = None) -> Any:
    kind = rng.choice(kinds or ("date", "month", "quarter", "half", "year", "year-int"))
    if kind == "date":
        return d
    if kind == "month":
        return f"{d.year}-{d.month:02d}"
    if kind == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    if kind == "half":
        return f"{d.year}-H{(d.month - 1) // 6 + 1}"
    return d.year if kind == "year-int" else str(d.year)


def _title(rng: random.Random, text: str) -> Any:
    r = rng.random()
    if r < 0.2:
        return text
    if r < 0.3:
        return {"ru": f"{text} (ru)"}
    if r < 0.35:
        return {rng.choice(["kk", "be"]): f"{text} (kk)", **({"ru": f"{text} (ru)"} if rng.random() < 0.5 else {})}
    return {"en": text, "ru": f"{text} (ru)"}


def agencies(rng: random.Random) -> list[dict]:
    out = []
    for i in range(rng.randint(3, 7)):
        country = ["KZ", "BY"][i] if i < 2 else rng.choice(["KZ", "BY"])
        out.append({"id": f"{country.lower()}-ag{i}", "name": _title(rng, f"Agency {i}"),
                    "country": country, "level": rng.choice(["national", "regional", "other"]),
                    "parent": out[0]["id"] if out and rng.random() < 0.2 else None})
    return out


def _simple_due(rng: random.Random, lo: Date, hi: Date) -> Any:
    r = rng.random()
    if r < 0.07:
        return "ongoing"
    if r < 0.12:
        return "on_request"
    return _period_form(rng, _day(rng, lo, hi))


def _recurring(rng: random.Random, lo: Date, hi: Date) -> dict:
    every = rng.choice(["month", "quarter", "quarter", "half", "year"])
    due: dict[str, Any] = {"every": every}
    if rng.random() < 0.5:
        a, b = sorted([_day(rng, lo, hi), _day(rng, lo, hi)])
        if every == "month" and (b - a).days > 400:
            b = a + dt.timedelta(days=rng.randint(0, 400))
        due["from"] = _period_form(rng, a)
        if rng.random() < 0.8:
            due["until"] = _period_form(rng, b)
    elif every == "month":
        due["until"] = _period_form(rng, lo + dt.timedelta(days=rng.randint(0, 500)))
    if rng.random() < 0.6:
        due["grace"] = rng.choice([0, 5, 15, 30, 45])
    return due


def _reports(rng: random.Random, due: dict, doc: dict) -> list[dict]:
    from oracle import occurrences  # the oracle's own spans: same module folder

    out = []
    for period, last, _deadline in occurrences(due, doc):
        if last > TODAY + dt.timedelta(days=40) or rng.random() < 0.35:
            continue
        entry: dict[str, Any] = {"period": int(period) if period.isdigit() and rng.random() < 0.5
                                 else period}
        if rng.random() < 0.85:
            when = last + dt.timedelta(days=rng.randint(-10, 60))
            entry["date"] = min(when, TODAY)
        if rng.random() < 0.3:
            entry["note"] = "reported"
        out.append(entry)
        if rng.random() < 0.08:
            again = dict(entry)
            if rng.random() < 0.7:
                again["date"] = min(last + dt.timedelta(days=rng.randint(-20, 120)), TODAY)
            out.append(again)
        if due["every"] != "month" and rng.random() < 0.05:
            out.append({"period": f"{last.year}-{last.month:02d}", "date": min(last, TODAY)})
    rng.shuffle(out) if rng.random() < 0.2 else None
    return out


def document(rng: random.Random, n: int, ags: list[dict]) -> dict:
    start = Date(rng.choice([2025, 2026, 2026, 2027]), rng.choice([1, 1, 1, 3, 7]), rng.choice([1, 1, 15]))
    end = Date(start.year + rng.randint(0, 2), 12, 31) if rng.random() < 0.8 else \
        start + dt.timedelta(days=rng.randint(200, 1000))
    signed = start - dt.timedelta(days=rng.randint(0, 90))
    ids = [a["id"] for a in ags]
    doc: dict[str, Any] = {
        "id": rng.choice([f"doc-{n}", f"doc-{n}", f"doc-{n + 8}", f"z{n}", f"a-{n}-{n * 7}"]), "kind": rng.choice(["roadmap", "memorandum", "action_plan", "agreement"]),
        "title": _title(rng, f"Document {n}"), "parties": rng.sample(ids, 2),
        "signed": {"date": signed, "place": "Astana"}, "period": {"start": start, "end": end},
    }
    sections = [{"id": str(i), "title": _title(rng, f"Section {i}")} for i in range(1, rng.randint(0, 3) + 1)]
    if sections:
        doc["sections"] = sections
    events = []
    for i in range(rng.randint(0, 3)):
        ev: dict[str, Any] = {"id": f"ev-{i}", "title": _title(rng, f"Event {i}")}
        if rng.random() < 0.7:
            ev["date"] = Date(2024, 2, 29) if rng.random() < 0.1 else rng.choice(
                [Date(2025, 1, 31), Date(2026, 1, 31), Date(2025, 8, 31), Date(2026, 10, 31)]) \
                if rng.random() < 0.2 else _day(rng, signed, min(end, TODAY) if rng.random() < 0.85 else end + dt.timedelta(days=30))
        events.append(ev)
    if events:
        doc["events"] = events
    amendments = []
    when = start
    for i in range(rng.randint(0, 3)):
        when = when if amendments and rng.random() < 0.15 else _day(rng, when, min(when + dt.timedelta(days=300), TODAY))
        amendments.append({"id": f"protocol-{i + 1}", "date": when, "title": _title(rng, f"Protocol {i + 1}")})
    if amendments:
        doc["amendments"] = amendments
    lo, hi = start, end
    measures: list[dict] = []
    done_ids: list[str] = []
    count = rng.randint(2, MAX_MEASURES) if rng.random() < 0.95 else 0
    for i in range(count):
        r = rng.random()
        mid = (f"{rng.randint(1, 2)}.{i + 1}" if r < 0.75 else f"{i + 1}a" if r < 0.82
               else f"{i + 1}" if r < 0.9 else f"1.{i + 1}.{rng.randint(1, 12)}" if r < 0.95 else f"A-{i}")
        if any(m["id"] == mid for m in measures):
            mid = f"{mid}.{i}"
        m: dict[str, Any] = {"id": mid, "title": _title(rng, f"Measure {mid}")}
        if sections and rng.random() < 0.8:
            m["section"] = rng.choice(sections)["id"]
        m["owners"] = rng.sample(ids, rng.randint(1, 2))
        if rng.random() < 0.6:
            m["co_executors"] = rng.sample([x for x in ids if x not in m["owners"]] or ids, 1)
            if rng.random() < 0.1:
                m["co_executors"].append(m["owners"][0])
        r = rng.random()
        anchors = [e["id"] for e in events] + [x["id"] for x in measures]
        if r < 0.22:
            due: Any = _recurring(rng, lo, hi)
        elif r < 0.40 and anchors:
            due = {"after": rng.choice(anchors),
                   "within": f"{rng.choice([0, 1, 2, 3, 6, 10, 30, 45])}{rng.choice('dwmy')}"}
            if due["within"].endswith("y"):
                due["within"] = f"{rng.randint(1, 2)}y"
        else:
            due = _simple_due(rng, lo, hi)
        m["due"] = due
        if amendments and rng.random() < 0.3:
            chosen = sorted(rng.sample(range(len(amendments)), rng.randint(1, len(amendments))))
            m["rescheduled"] = [{"from": (_recurring(rng, lo, hi) if rng.random() < 0.1 else
                                          {"after": rng.choice(anchors), "within": "2m"}
                                          if anchors and rng.random() < 0.1 else
                                          _simple_due(rng, lo, hi)),
                                 "by": amendments[k]["id"]} for k in chosen]
        status = rng.choices(["not_started", "in_progress", "done", "blocked", "cancelled"],
                             [3, 4, 4, 1, 1])[0]
        if status == "done" and signed >= TODAY:
            status = "in_progress"  # nothing signed today or later is done yet
        m["status"] = status
        if status == "in_progress" and rng.random() < 0.7:
            m["progress"] = rng.choice([0, 5, 10, 25, 33, 40, 50, 75, 90, 100, 13, 37])
        if rng.random() < 0.3:
            m["weight"] = rng.choice([1, 2, 3, 0.5, 1.5, 2.5, 0.25, 5, 0.125, 7, 0.1, 0.3])
        if status in ("done", "blocked", "not_started") and rng.random() < 0.1:
            m["progress"] = rng.choice([20, 50, 80])
        if status == "done":
            m["completed"] = _day(rng, signed + dt.timedelta(days=1) if rng.random() < 0.9 else signed - dt.timedelta(days=40), TODAY)
            done_ids.append(mid)
        if status in ("blocked", "cancelled"):
            m["reason"] = "A reason."
        if measures and rng.random() < 0.3:
            m["depends_on"] = rng.sample([x["id"] for x in measures], 1)
        measures.append(m)
    doc["measures"] = measures
    for m in measures:
        for due in [m["due"]] + [e["from"] for e in m.get("rescheduled") or []]:
            if isinstance(due, dict) and "every" in due and rng.random() < 0.8:
                m.setdefault("reports", []).extend(_reports(rng, due, doc))
                break
    return doc


def repository(rng: random.Random) -> tuple[list[dict], list[dict]]:
    ags = agencies(rng)
    return ags, [document(rng, n, ags) for n in range(1, rng.randint(1, 4) + 1)]


def _scalar(rng: random.Random, v: Any) -> str:
    if isinstance(v, dt.date):
        return v.isoformat() if rng.random() < 0.9 else f'"{v.isoformat()}"'
    if v is None:
        return rng.choice(["null", "~", "null"])
    if isinstance(v, bool | int | float):
        return repr(v)
    plain = yaml.safe_load(f"k: {v}") == {"k": v} and not any(c in v for c in ",[]{}#") and v.strip() == v
    r = rng.random()
    if plain and r < 0.7:
        return v
    if r < 0.85 and "'" not in v:
        return f"'{v}'"
    return json_quote(v)


def json_quote(v: str) -> str:
    import json
    return json.dumps(v, ensure_ascii=False)


def _flow(rng: random.Random, v: Any) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_flow(rng, x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_flow(rng, x) for x in v) + "]"
    return _scalar(rng, v)


def _leafy(v: Any) -> bool:
    items = v.values() if isinstance(v, dict) else v
    return all(not isinstance(x, dict | list) for x in items)


def _block(rng: random.Random, v: Any, indent: int, out: list[str]) -> None:
    """Append lines for the mapping or sequence v, its items at column `indent`."""
    pad = " " * indent
    if isinstance(v, dict):
        for k, x in v.items():
            if rng.random() < 0.04:
                out.append(f"{pad}# a comment")
            if isinstance(x, dict | list) and x and _leafy(x) and rng.random() < 0.5:
                out.append(f"{pad}{k}: {_flow(rng, x)}")
            elif isinstance(x, dict | list) and x:
                out.append(f"{pad}{k}:")
                seq_indent = indent + (2 if isinstance(x, dict) or rng.random() < 0.5 else 0)
                _block(rng, x, seq_indent, out)
            elif isinstance(x, dict | list):
                out.append(f"{pad}{k}: {'{}' if isinstance(x, dict) else '[]'}")
            else:
                tail = "  # note" if rng.random() < 0.03 else ""
                out.append(f"{pad}{k}: {_scalar(rng, x)}{tail}")
    else:
        for x in v:
            if isinstance(x, dict) and x and _leafy(x) and rng.random() < 0.5:
                out.append(f"{pad}- {_flow(rng, x)}")
            elif isinstance(x, dict) and x:
                sub: list[str] = []
                _block(rng, x, indent + 2, sub)
                out.append(f"{pad}- {sub[0].lstrip()}" if not sub[0].lstrip().startswith("#") else f"{pad}-")
                out.extend(sub[1:] if not sub[0].lstrip().startswith("#") else sub)
            else:
                out.append(f"{pad}- {_flow(rng, x)}")


def dump(rng: random.Random, data: dict) -> str:
    lines = ["# yaml-language-server: $schema=../schemas/roadmap.schema.json"] if rng.random() < 0.5 else []
    _block(rng, data, 0, lines)
    return "\n".join(lines) + "\n"


def write(folder: Path, ags: list[dict], docs: list[dict], seed: int = 0) -> Path:
    """Writes the files in varied YAML styles (flow or block, quoted or plain, comments)."""
    rng = random.Random(seed)
    roadmaps = folder / "roadmaps"
    roadmaps.mkdir(parents=True, exist_ok=True)
    (roadmaps / "agencies.yaml").write_text(dump(rng, {"agencies": ags}), encoding="utf-8")
    for doc in docs:
        text = dump(rng, doc)
        loaded = yaml.safe_load(text)
        assert _same(loaded, doc), (doc["id"], text)
        (roadmaps / f"{doc['id']}.yaml").write_text(text, encoding="utf-8")
    return folder


def _same(a: Any, b: Any) -> bool:
    """Equal once quoted dates are read as dates."""
    if isinstance(a, str) and isinstance(b, dt.date):
        return a == b.isoformat()
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b and type(a) is type(b)
