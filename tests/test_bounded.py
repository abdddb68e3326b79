"""Bounded work for any input (issue 17, docs/limits.md): the burn-up in one pass agrees with
the contract's progress at every date, the occurrence limits are located errors, and the
duplicate-id rule is linear. The attacks themselves, on a real clone under a 2 GiB cap, are
in tests/test_security.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from benchgen import generate
from scaling import growth

from roadmap_cli import burnup, load, rules, rules_errors, schedule
from roadmap_cli.model import Roadmap
from roadmap_cli.yamlsrc import Parsed

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> list:
    out = []
    for seed in (1, 2, 3):
        folder = generate(tmp_path_factory.mktemp(f"gen{seed}") / "roadmaps", docs=3, measures=60, seed=seed)
        out.append(load.load_paths([str(folder)]))
    out.append(load.load_paths([str(ROOT / "roadmaps")]))
    out.append(load.load_paths([str(ROOT / "tests" / "data" / "reports")]))
    return out


@pytest.mark.slow
def test_progress_series_is_progress_at_every_date(repos: list) -> None:
    dates = [date(2025, 1, 1) + timedelta(days=n) for n in range(0, 4 * 366, 9)]
    dates += [date(1900, 1, 1), date(2199, 12, 31), date(2026, 11, 22)]
    for repo in repos:
        assert not repo.errors
        for rm in repo.roadmaps:
            for pairs in ([(m, rm) for m in rm.measures],
                          [(m, rm) for m in rm.measures if m.due.recurring],
                          [(m, rm) for m in rm.measures if not m.due.recurring]):
                assert burnup.progress_series(pairs, dates) == [schedule.progress(pairs, d) for d in dates]


def _doc(**measure: object) -> Parsed:
    m = {"id": "1", "title": {"en": "x"}, "owners": ["a"], "status": "not_started", **measure}
    data = {"id": "d", "period": {"start": "1900-01-01", "end": "2199-12-31"}, "measures": [m]}
    return Parsed(file="d.yaml", data=data, positions={}, problems=[])


@pytest.mark.parametrize(
    ("due", "count", "refused"),
    [
        ({"every": "month", "from": "2026-01", "until": "2075-12"}, 600, False),
        ({"every": "month", "from": "2026-01", "until": "2076-01"}, 601, True),
        ({"every": "month"}, 3600, True),
        ({"every": "quarter"}, 1200, True),
        ({"every": "year"}, 300, False),
        ({"every": "half", "from": "2199-H2"}, 1, False),
    ],
)
def test_occurrences_per_measure(due: dict, count: int, refused: bool) -> None:
    parsed = schedule.parse_due(due)
    assert schedule.occurrence_count(parsed, date(1900, 1, 1), date(2199, 12, 31)) == count
    found = list(rules.too_many_occurrences(_doc(due=due), rules.Context(agency_ids=None)))
    assert bool(found) == refused
    if refused:
        assert found[0][0] == ("measures", 0, "due")
        assert f"recurs {count:,} times, more than the 600 accepted" in found[0][1]


def test_occurrences_per_load() -> None:
    ctx = rules.Context(agency_ids=None)
    due = {"every": "month", "from": "2026-01", "until": "2075-12"}  # 600 each
    found = []
    for _ in range(rules.MAX_LOAD_OCCURRENCES // 600 + 2):
        found += list(rules.too_many_occurrences(_doc(due=due), ctx))
    assert len(found) == 1 and "more than 200,000 occurrences" in found[0][1]


def test_occurrences_of_a_rescheduled_due_are_counted() -> None:
    # the due in force before an amendment recurs as the current one does: a 16 kB file of 100
    # measures each rescheduled from a monthly due over 1900-2199 passed `validate`, and
    # `report` as of 2150 ran past 60 s (`overdue`: 25 s and 800 MB)
    monthly = {"every": "month"}
    doc = _doc(due="2199-12-31", rescheduled=[{"from": "2026", "by": "p1"}, {"from": monthly, "by": "p2"}])
    found = list(rules.too_many_occurrences(doc, rules.Context(agency_ids=None)))
    assert found == [(("measures", 0, "rescheduled", 1, "from"),
                      "it recurs 3,600 times, more than the 600 accepted; check its from and until")]
    ctx = rules.Context(agency_ids=None)
    due = {"every": "month", "from": "2026-01", "until": "2075-12"}  # 600 each
    found = []
    for _ in range(rules.MAX_LOAD_OCCURRENCES // 1200 + 2):
        found += list(rules.too_many_occurrences(_doc(due=due, rescheduled=[{"from": due, "by": "p"}]), ctx))
    assert len(found) == 1 and "more than 200,000 occurrences" in found[0][1]


def test_duplicate_roadmap_ids_are_found_with_a_dictionary() -> None:
    # 20,000 files took 58 s (each compared with every earlier one)
    def check(n: int) -> list:
        docs = [Parsed(file=f"f{i}.yaml", data={"id": f"doc-{i % (n - n // 20)}"}, positions={},
                       problems=[]) for i in range(n)]
        ctx = rules.Context(agency_ids=None, documents=docs)
        return [f for d in docs for f in rules_errors.duplicate_roadmap_id(d, ctx)]

    # linear: 8 times the files, about 8 times the work (comparing each with every earlier: 64)
    assert growth(lambda: check(2_500), lambda: check(20_000)) < 24
    found = check(20_000)
    assert len(found) == 1_000
    assert found[0] == (("id",), "document id 'doc-0' is also the id of f0.yaml")


def _anchored_document(tmp_path: Path, n: int) -> Roadmap:
    """A document of ``n`` measures, each ``after`` its own event and depending on the one
    before it."""
    lines = ["id: d", "kind: roadmap", "title: {en: T}", "parties: [a]",
             "signed: {date: 2025-11-05, place: Astana}", "period: {start: 2026-01-01, end: 2028-12-31}",
             "events:"]
    lines += [f"  - {{id: e{i}, title: {{en: E}}, date: 2026-01-01}}" for i in range(n)]
    lines.append("measures:")
    for i in range(n):
        lines += [f'  - id: "{i}"', "    title: {en: M}", "    owners: [a]",
                  f"    due: {{after: e{i}, within: {1 + i % 90}d}}", "    status: not_started"]
        if i:
            lines.append(f'    depends_on: ["{i - 1}"]')
    folder = tmp_path / "roadmaps"
    folder.mkdir(parents=True)
    (folder / "d.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "agencies.yaml").write_text(
        "agencies:\n  - {id: a, name: {en: A}, country: KZ, level: national}\n", encoding="utf-8"
    )
    repo = load.load_paths([str(folder)])
    assert not repo.errors
    return repo.roadmaps[0]


def test_lookups_by_id_are_dictionaries(tmp_path: Path) -> None:
    # each lookup scanned the document: the burn-up asks for every measure's event at every
    # date, so 7,000 measures each after its own event made `status --chart` take 30 s
    # (8 times the measures: about 8 times the work; a scan of the document per lookup, 64)
    small, rm = _anchored_document(tmp_path / "small", 750), _anchored_document(tmp_path / "big", 6_000)
    dates = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 400, 10)]

    def series_of(doc: Roadmap) -> list:
        return burnup.progress_series([(m, doc) for m in doc.measures], dates)

    assert growth(lambda: series_of(small), lambda: series_of(rm)) < 24  # (before: 11 s at 6,000)
    series = series_of(rm)
    # `show` listed each measure's dependants by scanning every measure (8,000: 10 s)
    assert growth(lambda: [small.needed_by(m.id) for m in small.measures],
                  lambda: [rm.needed_by(m.id) for m in rm.measures]) < 24
    needed = [rm.needed_by(m.id) for m in rm.measures]
    assert series[-1] == schedule.progress([(m, rm) for m in rm.measures], dates[-1])
    assert rm.event("e5999").id == "e5999" and rm.measure("5999").id == "5999"
    assert rm.event("nothing") is None and rm.measure("nothing") is None
    assert needed[0] == ["1"] and needed[-1] == []


def test_due_in_force_among_many_amendments() -> None:
    # the due in force was found by scanning the `rescheduled` entries at every date of a
    # burn-up: one measure of 24,000 entries made `status --chart` and `report` take 50 s
    import random
    from types import SimpleNamespace

    from roadmap_cli import anchors

    class Doc:  # what due_in_force reads of a document: its amendments by id
        def __init__(self, dates: dict[str, date | None]) -> None:
            self.dates = dates

        def amendment(self, amendment_id: str) -> Any:
            when = self.dates.get(amendment_id, "none")
            return None if when == "none" else SimpleNamespace(date=when)

    def scanned(m: SimpleNamespace, doc: Doc, as_of: date) -> Any:
        for entry in m.rescheduled:
            found = doc.amendment(entry.by)
            if found is not None and found.date is not None and found.date > as_of:
                return entry.due
        return m.due

    rng = random.Random(7)
    day = date(2026, 1, 1)
    for n in (3, 16, 17, 40, 300):
        dates = {f"p{i}": rng.choice([None, day + timedelta(days=rng.randrange(60))]) for i in range(n)}
        by = list(dates) + ["unknown"]
        if n % 2:
            by.sort(key=lambda a: dates.get(a) or date.min)  # in order, as validation wants
        m = SimpleNamespace(due="now", rescheduled=tuple(SimpleNamespace(by=a, due=f"before {a}") for a in by))
        doc = Doc(dates)
        for as_of in (day + timedelta(days=k) for k in range(-2, 63)):
            assert anchors.due_in_force(m, doc, as_of) == scanned(m, doc, as_of)  # type: ignore[arg-type]
    def asked(n: int) -> Callable[[], list]:
        """2,000 questions among ``n`` entries, past the middle (a scan reads half of them)."""
        doc = Doc({f"p{i}": day + timedelta(days=i) for i in range(n)})
        m = SimpleNamespace(due="now", rescheduled=tuple(SimpleNamespace(by=f"p{i}", due=i) for i in range(n)))
        anchors.due_in_force(m, doc, day)  # type: ignore[arg-type]  # (what is kept per document)
        return lambda: [anchors.due_in_force(m, doc, day + timedelta(days=k))  # type: ignore[arg-type]
                        for k in range(n // 2, n // 2 + 4_000, 2)]

    # one bisection a question: 16 times the entries, about as long (a scan: about 16 times;
    # 5 s at 24,000)
    small, big = asked(1_500), asked(24_000)
    assert growth(small, big) < 5
    found = big()
    assert found[0] == 12_001 and found[-1] == 15_999


def _agencies(parents: list[str | None]) -> Parsed:
    data = {"agencies": [{"id": f"a{i}", "parent": p} for i, p in enumerate(parents)]}
    return Parsed(file="agencies.yaml", data=data, positions={}, problems=[])


def test_parent_cycles_are_found_in_one_walk() -> None:
    # each agency's chain of parents was walked again, with a list for the agencies seen: a
    # chain of 3,000 took 47 s, of 15,000 never ended (`validate` past 60 s)
    import random

    def walked(parents: list[str | None]) -> list[tuple[object, str]]:  # the rule as it was
        parent_of = {f"a{i}": p for i, p in enumerate(parents) if p is not None}
        out, reported = [], set()
        for start in parent_of:
            chain = [start]
            while chain[-1] in parent_of and parent_of[chain[-1]] not in chain:
                chain.append(parent_of[chain[-1]])
            last = chain[-1]
            if last in parent_of and parent_of[last] == start and start not in reported:
                reported.update(chain)
                out.append((("agencies", int(last[1:]), "parent"),
                            f"agency '{start}': the chain of parents comes back to it: "
                            + rules.chain_text([*chain, start])))
        return out

    rng = random.Random(3)
    for n in range(1, 40):
        for _ in range(20):
            parents = [rng.choice([None, "x", *(f"a{j}" for j in range(n))]) for _ in range(n)]
            assert list(rules_errors.parent_cycle(_agencies(parents), rules.Context(agency_ids=None))) == walked(parents)
    def walks(n: int) -> Callable[[], tuple[list, list]]:
        chain = _agencies([None, *(f"a{i - 1}" for i in range(1, n))])
        circle = _agencies([f"a{(i + 1) % n}" for i in range(n)])
        ctx = rules.Context(agency_ids=None)
        return lambda: (list(rules_errors.parent_cycle(chain, ctx)), list(rules_errors.parent_cycle(circle, ctx)))

    # one walk: 4 times the agencies, about 4 times the work (a walk per agency: 16 and more;
    # a chain of 1,000 took 3 s, of 15,000 hours)
    assert growth(walks(1_000), walks(4_000)) < 10
    none, found = walks(1_000)()
    assert none == [] and len(found) == 1 and found[0][0] == ("agencies", 999, "parent")
