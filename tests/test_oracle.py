"""Differential check: the report commands' JSON against an oracle written from the contract.

tests/oracle.py computes `status`, `status --by section`, `overdue`, `upcoming` and `agencies`
from the parsed YAML alone (it does not import roadmap_cli); tests/oraclegen.py writes random
valid repositories (every due form, amendments, anchors, reports dated late or undated, weights,
sections, varied YAML styles). Each example runs the commands in this process as of dates that
matter for it (deadlines and the day after, amendment and anchor dates, leap days) and compares
the contract's keys (and health and expected_pct, which docs/semantics.md adds).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import oracle
import oraclegen
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow

COMMON = ["roadmap", "measure", "title", "owners", "due", "deadline", "status", "period",
          "signed_deadline", "rescheduled_by"]
COUNTS = ["done", "in_progress", "not_started", "blocked", "cancelled", "overdue", "due_soon",
          "progress_pct", "expected_pct", "health"]
KEYS = {
    "status": ["roadmap", "title", "measures", *COUNTS],
    "sections": ["roadmap", "section", "measures", *COUNTS],
    "overdue": [*COMMON, "days_overdue"],
    "upcoming": [*COMMON, "days_left"],
    "agencies": ["agency", "name", "country", "lead", "co_executor", *COUNTS],
}
WINDOWS = {"14d": relativedelta(days=14), "2w": relativedelta(weeks=2),
           "3m": relativedelta(months=3), "0d": relativedelta(days=0)}


def _dates(rng: random.Random, docs: list[dict]) -> list[dt.date]:
    """A few as-of dates that matter for these documents."""
    found = {dt.date(2028, 2, 29), dt.date(2026, 11, 30)}
    for doc in docs:
        found |= {doc["period"]["start"] - dt.timedelta(days=1), doc["period"]["end"]}
        found |= {a["date"] for a in doc.get("amendments") or []}
        for m in doc["measures"]:
            if m.get("completed"):
                found |= {m["completed"], m["completed"] - dt.timedelta(days=1)}
            due = m["due"]
            if not isinstance(due, dict) and due not in oracle.NO_DEADLINE:
                end = oracle.period_bounds(due)[1]
                found |= {end, end + dt.timedelta(days=1)}
            elif isinstance(due, dict) and "every" in due:
                found |= {d for _, _, d in oracle.occurrences(due, doc)[:2]}
    return rng.sample(sorted(found), min(4, len(found)))


def _project(rows: list[dict], keys: list[str]) -> list[dict[str, Any]]:
    return [{k: r.get(k, "<missing>") for k in keys} for r in rows]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False))
def test_reports_match_the_oracle(cli: Any, tmp_path_factory: pytest.TempPathFactory,
                                  rng: random.Random) -> None:
    agencies, docs = oraclegen.repository(rng)
    folder = oraclegen.write(tmp_path_factory.mktemp("repo"), agencies, docs, rng.randrange(10**6))
    roadmaps = str(Path(folder) / "roadmaps")
    checked = cli("validate", roadmaps, "--no-cache")
    assert checked.code == 0, [line for line in checked.out.splitlines() if ": error: " in line]
    for as_of in _dates(rng, docs):
        window = rng.choice(sorted(WINDOWS))
        kw: dict[str, Any] = {"lang": rng.choice(["en", "ru", "kk", "be"])}
        r = rng.random()
        if r < 0.2:
            kw["roadmaps"] = [rng.choice(docs)["id"]]
        elif r < 0.4:
            kw["agency"] = rng.choice(agencies)["id"]
        elif r < 0.5:
            kw["country"] = rng.choice(["KZ", "BY"])
        elif r < 0.6:
            kw["statuses"] = rng.sample(["not_started", "in_progress", "done", "blocked"], 2)
        narrow = ["--lang", kw["lang"]]
        for key, option in [("roadmaps", "--roadmap"), ("agency", "--agency"),
                            ("country", "--country"), ("statuses", "--status")]:
            for value in [kw[key]] if isinstance(kw.get(key), str) else kw.get(key, []):
                narrow += [option, value]
        want = oracle.reports(agencies, docs, as_of, as_of + WINDOWS[window], **kw)
        for name, command in [("status", ["status", "--within", window]),
                              ("sections", ["status", "--by", "section", "--within", window]),
                              ("overdue", ["overdue"]),
                              ("upcoming", ["upcoming", "--within", window]),
                              ("agencies", ["agencies", "--within", window])]:
            ran = cli(*command, roadmaps, *narrow, "--as-of", as_of.isoformat(), "--format", "json")
            assert ran.code == 0, ran.err
            expected = json.loads(json.dumps(want[name], default=dt.date.isoformat))
            got = _project(json.loads(ran.out), KEYS[name])
            assert got == _project(expected, KEYS[name]), (name, as_of, window, narrow)
