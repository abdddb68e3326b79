"""An independent oracle for the report commands' JSON, written from the contract
(shared/spec/roadmap-format.md) and docs/semantics.md only: it does not import roadmap_cli.

`reports(agencies, docs, as_of, window_end, ...)` takes `yaml.safe_load`ed files (valid ones) and
returns {"status": [...], "overdue": [...], "upcoming": [...], "agencies": [...], "sections": [...]}
as `roadmap X --format json --lang en` prints them (the keys the contract names, and a few that
docs/semantics.md adds)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from fractions import Fraction
from typing import Any

from dateutil.relativedelta import relativedelta

Date = dt.date
NO_DEADLINE = ("ongoing", "on_request")
_STEP = {"month": 1, "quarter": 3, "half": 6, "year": 12}


# --- periods and deadlines -----------------------------------------------------------------

def _last_day(year: int, month: int) -> Date:
    return Date(year, month, calendar.monthrange(year, month)[1])


def period_bounds(text: Any) -> tuple[Date, Date, str]:
    """A period form (a date, YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY) -> (first day, last day, kind)."""
    if isinstance(text, dt.date):
        return text, text, "date"
    s = str(text)
    if m := re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", s):
        d = Date(int(m[1]), int(m[2]), int(m[3]))
        return d, d, "date"
    if m := re.fullmatch(r"(\d{4})-(\d\d)", s):
        y, mo = int(m[1]), int(m[2])
        return Date(y, mo, 1), _last_day(y, mo), "month"
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", s):
        y, q = int(m[1]), int(m[2])
        return Date(y, 3 * q - 2, 1), _last_day(y, 3 * q), "quarter"
    if m := re.fullmatch(r"(\d{4})-H([12])", s):
        y, h = int(m[1]), int(m[2])
        return Date(y, 6 * h - 5, 1), _last_day(y, 6 * h), "half"
    if m := re.fullmatch(r"\d{4}", s):
        y = int(s)
        return Date(y, 1, 1), Date(y, 12, 31), "year"
    raise ValueError(f"not a period: {text!r}")


def period_name(first: Date, every: str) -> str:
    if every == "month":
        return f"{first.year}-{first.month:02d}"
    if every == "quarter":
        return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    if every == "half":
        return f"{first.year}-H{(first.month - 1) // 6 + 1}"
    return f"{first.year}"


def _period_start(d: Date, every: str) -> Date:
    step = _STEP[every]
    return Date(d.year, (d.month - 1) // step * step + 1, 1)


def occurrences(due: dict, doc: dict) -> list[tuple[str, Date, Date]]:
    """A recurring due -> [(period name, period's last day, deadline)], in order."""
    every, grace = due["every"], int(due.get("grace", 0) or 0)
    start = period_bounds(due["from"])[0] if due.get("from") is not None else doc["period"]["start"]
    end = period_bounds(due["until"])[1] if due.get("until") is not None else doc["period"]["end"]
    first = _period_start(start, every)
    out = []
    while first <= end:
        nxt = first + relativedelta(months=_STEP[every])
        last = nxt - dt.timedelta(days=1)
        out.append((period_name(first, every), last, last + dt.timedelta(days=grace)))
        first = nxt
    return out


def add_within(anchor: Date, within: str) -> Date:
    m = re.fullmatch(r"(\d+)([dwmy])", str(within))
    assert m, within
    n, unit = int(m[1]), m[2]
    delta = {"d": relativedelta(days=n), "w": relativedelta(weeks=n),
             "m": relativedelta(months=n), "y": relativedelta(years=n)}[unit]
    return anchor + delta


# --- one measure as of a date --------------------------------------------------------------

def status_as_of(m: dict, as_of: Date) -> str:
    if m["status"] == "done" and m["completed"] > as_of:
        return "in_progress"
    return m["status"]


def due_in_force(m: dict, doc: dict, as_of: Date) -> Any:
    amendments = {a["id"]: a["date"] for a in doc.get("amendments") or []}
    for entry in m.get("rescheduled") or []:
        if amendments[entry["by"]] > as_of:
            return entry["from"]
    return m["due"]


def rescheduled_by(m: dict, doc: dict, as_of: Date) -> list[str]:
    amendments = {a["id"]: a["date"] for a in doc.get("amendments") or []}
    return [e["by"] for e in m.get("rescheduled") or [] if amendments[e["by"]] <= as_of]


def anchor_date(x: str, doc: dict, as_of: Date) -> Date | None:
    for ev in doc.get("events") or []:
        if ev["id"] == x:
            return ev.get("date")
    for other in doc["measures"]:
        if other["id"] == x:
            return other.get("completed") if other["status"] == "done" else None
    raise KeyError(x)


def deadline_of(due: Any, doc: dict, as_of: Date) -> tuple[str, Any]:
    """-> ("none", None) | ("waiting", X) | ("date", deadline) | ("recurring", occurrences)."""
    if isinstance(due, str) and due in NO_DEADLINE:
        return "none", None
    if isinstance(due, dict) and "every" in due:
        return "recurring", occurrences(due, doc)
    if isinstance(due, dict):
        anchor = anchor_date(due["after"], doc, as_of)
        if anchor is None or as_of < anchor:
            return "waiting", due["after"]
        return "date", add_within(anchor, due["within"])
    return "date", period_bounds(due)[1]


def reported(m: dict, as_of: Date) -> set[str]:
    """The period names reported by entries that count as of the date."""
    out = set()
    for r in m.get("reports") or []:
        when = r.get("date") or period_bounds(r["period"])[1]
        if when <= as_of:
            out.add(str(r["period"]))
    return out


def signed_deadline(m: dict, doc: dict, as_of: Date, period: str | None = None) -> Date | None:
    """The deadline of the first entry's `from` (else of `due`); on an occurrence of a recurring
    measure, that period's deadline under the signed due (docs/json.md), else None."""
    resched = m.get("rescheduled") or []
    due = resched[0]["from"] if resched else m["due"]
    kind, value = deadline_of(due, doc, as_of)
    if period is not None:
        return next((d for p, _, d in value if p == period), None) if kind == "recurring" else None
    if kind == "recurring":  # a judgement call of the project's: the last occurrence's, as diff does
        return value[-1][2]
    return value if kind == "date" else None


CHAINS = {"en": ("en", "ru"), "ru": ("ru", "en"), "kk": ("kk", "ru", "en"), "be": ("be", "ru", "en")}
LANG = ["en"]  # the language titles are picked in (reports(lang=...) sets it)


def title_en(title: Any) -> str:
    """The title in LANG[0], else its fallbacks, else the first one given."""
    if isinstance(title, str):
        return title
    for lang in CHAINS[LANG[0]]:
        if title.get(lang):
            return title[lang]
    return next(iter(title.values()))


def natural(s: str) -> list:
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", s) if p]


# --- the reports -----------------------------------------------------------------------------

class Measure:
    """One measure's figures as of a date."""

    def __init__(self, m: dict, doc: dict, as_of: Date, window_end: Date):
        self.m, self.doc = m, doc
        self.status = status_as_of(m, as_of)
        due = due_in_force(m, doc, as_of)
        kind, value = deadline_of(due, doc, as_of)
        self.kind = kind
        self.overdue: list[dict] = []
        self.upcoming: list[dict] = []
        active = self.status not in ("done", "cancelled")
        base = {
            "roadmap": doc["id"], "measure": m["id"], "title": title_en(m["title"]),
            "owners": list(m["owners"]), "status": self.status,
            "signed_deadline": _iso(signed_deadline(m, doc, as_of)),
            "rescheduled_by": rescheduled_by(m, doc, as_of),
        }
        # fractions for progress
        # (a recurring span that is empty, `from` after the document's end: a warning, left out)
        self.counted = m["status"] != "cancelled" and kind != "none" and value != []
        self.weight = Fraction(str(m.get("weight", 1)))
        if self.status == "done":
            self.fraction = Fraction(1)
        elif kind == "recurring" and value:
            rep = reported(m, as_of)
            self.fraction = Fraction(sum(1 for p, _, _ in value if p in rep), len(value))
        elif self.status == "in_progress" and m.get("progress") is not None:
            self.fraction = Fraction(str(m["progress"])) / 100
        else:
            self.fraction = Fraction(0)
        if kind == "recurring":
            self.expected = Fraction(sum(1 for _, _, d in value if d <= as_of), len(value) or 1)
            rep = reported(m, as_of)
            self.complete = self.status == "done" or all(p in rep for p, _, _ in value)
            if active:
                for p, _, d in value:
                    if p not in rep and d < as_of:
                        self.overdue.append({**base, "deadline": d.isoformat(),
                                             "days_overdue": (as_of - d).days, "period": p})
                nxt = [(p, d) for p, _, d in value if p not in rep and as_of <= d <= window_end]
                if nxt:
                    p, d = nxt[0]
                    self.upcoming.append({**base, "deadline": d.isoformat(),
                                          "days_left": (d - as_of).days, "period": p})
        else:
            self.expected = Fraction(1 if kind == "date" and value <= as_of else 0)
            self.complete = self.status == "done"
            if kind == "date" and active:
                item = {**base, "deadline": value.isoformat(), "period": None}
                if value < as_of:
                    self.overdue.append({**item, "days_overdue": (as_of - value).days})
                elif value <= window_end:
                    self.upcoming.append({**item, "days_left": (value - as_of).days})
        for item in self.overdue + self.upcoming:
            item["due"] = m["due"]
            if item["period"] is not None:
                item["signed_deadline"] = _iso(signed_deadline(m, doc, as_of, item["period"]))


def _iso(d: Date | None) -> str | None:
    return d.isoformat() if d else None


def _pct(ms: list[Measure], attr: str) -> float | None:
    counted = [x for x in ms if x.counted]
    total = sum((x.weight for x in counted), Fraction(0))
    if not counted or total == 0:
        return None
    return float(round(100 * sum(x.weight * getattr(x, attr) for x in counted) / total, 1))


def summary(ms: list[Measure]) -> dict:
    counts = {s: sum(1 for x in ms if x.status == s)
              for s in ("done", "in_progress", "not_started", "blocked", "cancelled")}
    progress, expected = _pct(ms, "fraction"), _pct(ms, "expected")
    overdue = sum(len(x.overdue) for x in ms)
    counted = [x for x in ms if x.counted]
    if progress is None:
        health = "n/a"
    elif all(x.complete for x in counted):
        health = "complete"
    elif expected is not None and progress < expected:
        health = "behind"
    elif overdue:
        health = "overdue"
    elif counts["done"] == 0 and counts["in_progress"] == 0 and progress == 0:
        health = "not started"
    else:
        health = "on track"
    return {**counts, "overdue": overdue, "due_soon": sum(len(x.upcoming) for x in ms),
            "progress_pct": progress, "expected_pct": expected, "health": health}


def reports(agencies: list[dict], docs: list[dict], as_of: Date, window_end: Date,
            roadmaps: list[str] | None = None, agency: str | None = None,
            country: str | None = None, statuses: list[str] | None = None,
            lang: str = "en") -> dict[str, list]:
    LANG[0] = lang
    docs = sorted((d for d in docs if roadmaps is None or d["id"] in roadmaps),
                  key=lambda d: d["id"])
    by_doc: dict[str, list[Measure]] = {}
    for doc in docs:
        ms = [Measure(m, doc, as_of, window_end) for m in doc.get("measures") or []]
        by_doc[doc["id"]] = ms

    countries = {a["id"]: a["country"] for a in agencies}
    filtering = agency is not None or country is not None or statuses is not None

    def keep(x: Measure) -> bool:
        named = [*x.m["owners"], *(x.m.get("co_executors") or [])]
        return ((agency is None or agency in named)
                and (country is None or country in {countries[a] for a in named})
                and (statuses is None or x.status in statuses))

    status, sections = [], []
    for doc in docs:
        ms = [x for x in by_doc[doc["id"]] if keep(x)]
        if not ms and filtering:
            continue
        status.append({"roadmap": doc["id"], "title": title_en(doc["title"]),
                       "measures": len(ms), **summary(ms)})
        ids = [s["id"] for s in doc.get("sections") or []]
        groups = ids + ([None] if any(x.m.get("section") is None for x in ms) else [])
        for sid in groups:
            sm = [x for x in ms if x.m.get("section") == sid]
            sections.append({"roadmap": doc["id"], "section": sid, "measures": len(sm), **summary(sm)})
    kept = [x for doc in docs for x in by_doc[doc["id"]] if keep(x)]
    overdue = sorted((i for x in kept for i in x.overdue),
                     key=lambda i: (-i["days_overdue"], i["roadmap"], natural(i["measure"])))
    upcoming = sorted((i for x in kept for i in x.upcoming),
                      key=lambda i: (i["deadline"], i["roadmap"], natural(i["measure"])))
    rows = []
    every = [x for doc in docs for x in by_doc[doc["id"]] if keep(x)]
    for a in agencies:
        if (agency is not None and a["id"] != agency) or (country is not None and a["country"] != country):
            continue
        lead = [x for x in every if a["id"] in x.m["owners"]]
        co = [x for x in every if a["id"] in (x.m.get("co_executors") or [])]
        if not lead and not co:
            continue
        s = summary(lead)
        rows.append({"agency": a["id"], "name": title_en(a["name"]), "country": a["country"],
                     "lead": len(lead), "co_executor": len(co), **s})
    rows.sort(key=lambda r: (-r["overdue"], r["agency"]))
    return {"status": status, "overdue": overdue, "upcoming": upcoming, "agencies": rows,
            "sections": sections}


def show(doc: dict, m: dict, as_of: Date) -> dict:
    """A few keys of `show ROADMAP/MEASURE --format json` that the contract defines (for a measure
    whose due in force is not recurring: a recurring one has no single deadline)."""
    x = Measure(m, doc, as_of, as_of)
    kind, value = deadline_of(due_in_force(m, doc, as_of), doc, as_of)
    deadline = value if kind == "date" else None
    return {
        "status": x.status, "deadline": _iso(deadline),
        "waiting_for": value if kind == "waiting" else None,
        "signed_deadline": _iso(signed_deadline(m, doc, as_of)),
        "rescheduled_by": rescheduled_by(m, doc, as_of),
        "done_late": x.status == "done" and deadline is not None and m["completed"] > deadline,
        "days_overdue": x.overdue[0]["days_overdue"] if x.overdue else None,
        "fraction_pct": float(round(100 * x.fraction, 1)) if x.counted else None,
        "expected_pct": float(round(100 * x.expected, 1)) if x.counted else None,
    }
