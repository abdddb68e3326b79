"""Report rows for small hand-built roadmaps: exact keys, sorting, counts, progress by hand."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest

from roadmap_cli.model import (
    Actual,
    Agency,
    Evidence,
    Indicator,
    Measure,
    Report,
    Roadmap,
    Status,
)
from roadmap_cli.report import (
    agency_rows,
    natural_key,
    overdue_rows,
    select,
    status_rows,
    upcoming_rows,
)
from roadmap_cli.report_detail import measure_detail, roadmap_detail
from roadmap_cli.schedule import parse_due

D = date.fromisoformat
AS_OF = D("2026-07-01")
WINDOW_END = D("2026-07-31")

QUARTERLY = {"every": "quarter", "from": "2026-Q1", "until": "2026-Q4", "grace": 15}


def m(
    mid: str,
    due: str | Mapping[str, Any],
    status: Status,
    owners: tuple[str, ...],
    **kw: Any,
) -> Measure:
    return Measure(
        id=mid,
        title={"en": f"Measure {mid}", "ru": f"Мера {mid}"},
        owners=owners,
        due=parse_due(due),
        status=status,
        **kw,
    )


def rm(rid: str, *measures: Measure, start: str = "2026-01-01", end: str = "2027-12-31") -> Roadmap:
    return Roadmap(
        id=rid,
        kind="roadmap",
        title={"ru": f"Дорожная карта {rid}", "en": f"Roadmap {rid}"},
        parties=("kz-mic", "by-minprom"),
        signed=D("2025-11-05"),
        period_start=D(start),
        period_end=D(end),
        measures=measures,
    )


MIC, BY, AKIMAT, QAZ = "kz-mic", "by-minprom", "kz-akimat", "kz-qaz"

AGENCIES = {
    MIC: Agency(MIC, {"en": "Ministry of Industry", "ru": "Минпром РК"}, "KZ", "national"),
    BY: Agency(BY, {"ru": "Минпром РБ"}, "BY", "national"),
    AKIMAT: Agency(AKIMAT, "Akimat", "KZ", "city"),
    QAZ: Agency(QAZ, "QazIndustry", "KZ", "enterprise"),
}

# As of 2026-07-01 (window to 07-31). Per measure: weight w, fraction f, expected e.
A = rm(
    "rm-a",
    # done on time: w1 f1 e1
    m(
        "1.1",
        "2026-Q1",
        Status.DONE,
        (MIC,),
        co_executors=(BY,),
        completed=D("2026-03-20"),
        evidence=(
            Evidence("Protocol", D("2026-03-20"), "https://example.org/p"),
            Evidence({"en": "Later letter"}, D("2026-08-01")),
        ),
    ),
    # overdue 31 days (deadline 05-31): w1 f0.5 e1
    m(
        "1.2",
        "2026-05",
        Status.IN_PROGRESS,
        (MIC,),
        progress=50,
        indicators=(
            Indicator(
                "units",
                {"en": "Units per year"},
                target=100,
                unit="units",
                baseline=20,
                actuals=(
                    Actual(D("2026-03-31"), 40),
                    Actual(D("2026-06-30"), 60),
                    Actual(D("2026-09-30"), 90),
                ),
            ),
        ),
    ),
    # overdue 1 day: w1 f0 e1 (listed before 1.9 on purpose)
    m("1.10", "2026-06-30", Status.NOT_STARTED, (BY,), co_executors=(MIC,)),
    # overdue 1 day: w2 f0 e1
    m("1.9", "2026-06", Status.BLOCKED, (BY,), weight=2, reason="waiting for funds"),
    # Q1 reported, Q2 (deadline 07-15) due soon in 14 days: w1 f1/4 e1/4
    m(
        "2.1",
        QUARTERLY,
        Status.IN_PROGRESS,
        (MIC,),
        reports=(Report("2026-Q1", D("2026-04-10"), "sent"), Report("2026-Q2", D("2026-07-20"))),
    ),
    # left out of progress, never overdue
    m("2.2", "ongoing", Status.IN_PROGRESS, (MIC,)),
    m("2.3", "2026-Q2", Status.CANCELLED, (BY,), co_executors=(MIC,), reason="merged"),
    # done after the as-of date: in progress, w1 f0 e0 (deadline 09-30, outside the window)
    m("3.1", "2026-Q3", Status.DONE, (MIC,), completed=D("2026-08-01")),
    # due soon in 14 days: w1 f0 e0
    m(
        "4.1",
        "2026-07-15",
        Status.NOT_STARTED,
        (MIC,),
        co_executors=(QAZ,),
        depends_on=("1.1", "3.1", "9.9"),
    ),
)

B = rm(
    "rm-b",
    m("1", "2026-07-10", Status.NOT_STARTED, (AKIMAT,)),  # due soon in 9 days
    m("2", "2027", Status.NOT_STARTED, (AKIMAT,)),
    end="2026-12-31",
)

CONTRACT_STATUS_KEYS = [
    "roadmap",
    "title",
    "measures",
    "done",
    "in_progress",
    "not_started",
    "blocked",
    "cancelled",
    "overdue",
    "due_soon",
    "progress_pct",
    "expected_pct",
]
ITEM_KEYS = [
    "roadmap", "measure", "title", "owners", "due", "deadline", "status", "period",
    "signed_deadline", "rescheduled_by",
]


# --------------------------------------------------------------------------------------------
# status


def test_status_rows_by_hand() -> None:
    rows = status_rows([A, B], AS_OF, WINDOW_END, "en")
    assert [r["roadmap"] for r in rows] == ["rm-a", "rm-b"]
    a, b = rows
    assert list(a)[: len(CONTRACT_STATUS_KEYS)] == CONTRACT_STATUS_KEYS
    assert set(a) == {*CONTRACT_STATUS_KEYS, "health", "file", "kind"}
    assert a == {
        "roadmap": "rm-a",
        "title": "Roadmap rm-a",
        "measures": 9,
        "done": 1,  # 1.1
        "in_progress": 4,  # 1.2, 2.1, 2.2, 3.1 (done only on 08-01)
        "not_started": 2,  # 1.10, 4.1
        "blocked": 1,  # 1.9
        "cancelled": 1,  # 2.3
        "overdue": 3,  # 1.2, 1.9, 1.10
        "due_soon": 2,  # 2.1 (2026-Q2), 4.1
        # Σw = 8; Σw·f = 1 + 0.5 + 0.25 = 1.75 -> 21.875 %; Σw·e = 1 + 1 + 1 + 2 + 0.25 = 5.25
        "progress_pct": 21.9,
        "expected_pct": 65.6,
        "health": "behind",
        "file": "",
        "kind": "roadmap",
    }
    assert (b["measures"], b["not_started"], b["due_soon"], b["overdue"]) == (2, 2, 1, 0)
    assert (b["progress_pct"], b["expected_pct"], b["health"]) == (0.0, 0.0, "not started")


def test_status_counts_add_up_and_titles_follow_lang() -> None:
    for row in status_rows([A, B], AS_OF, WINDOW_END, "ru"):
        counted = sum(
            row[k] for k in ("done", "in_progress", "not_started", "blocked", "cancelled")
        )
        assert counted == row["measures"]
        assert row["title"].startswith("Дорожная карта")


def test_status_rows_replay_an_earlier_date() -> None:
    [a] = status_rows([A], D("2026-03-01"), D("2026-03-31"), "en")
    # 1.1 is not done yet on 03-01 (completed 03-20); nothing is overdue; 1.1 (03-31) is due soon
    assert (a["done"], a["in_progress"], a["overdue"], a["due_soon"]) == (0, 5, 0, 1)
    # Σw·f = 0.5 (1.2 at 50 %) of Σw 8 = 6.25 % -> 6.2 (a tie goes to even); nothing expected yet
    assert (a["progress_pct"], a["expected_pct"], a["health"]) == (6.2, 0.0, "on track")


def _one(*measures: Measure) -> dict[str, Any]:
    [row] = status_rows([rm("x", *measures)], AS_OF, WINDOW_END, "en")
    return row


@pytest.mark.parametrize(
    ("measures", "health"),
    [
        ((), "n/a"),
        ((m("1", "ongoing", Status.IN_PROGRESS, (MIC,)),), "n/a"),
        ((m("1", "2026-Q1", Status.CANCELLED, (MIC,), reason="r"),), "n/a"),
        ((m("1", "2026-Q3", Status.DONE, (MIC,), completed=D("2026-06-01")),), "complete"),
        (
            (
                m("1", "2026-Q1", Status.DONE, (MIC,), completed=D("2026-06-01")),
                m("2", "ongoing", Status.NOT_STARTED, (MIC,)),
            ),
            "complete",
        ),
        ((m("1", "2026-06", Status.IN_PROGRESS, (MIC,), progress=90),), "behind"),
        # due today: not overdue, but the schedule expects it done
        ((m("1", "2026-07-01", Status.IN_PROGRESS, (MIC,)),), "behind"),
        (
            (
                m("1", "2026-12", Status.DONE, (MIC,), completed=D("2026-05-01")),
                m("2", "2026-06", Status.NOT_STARTED, (MIC,)),
            ),
            "overdue",
        ),
        ((m("1", "2026-12", Status.IN_PROGRESS, (MIC,), progress=30),), "on track"),
        # 100 % but not done: not complete; past its deadline it is overdue, before it on track
        ((m("1", "2026-06", Status.IN_PROGRESS, (MIC,), progress=100),), "overdue"),
        ((m("1", "2026-12", Status.IN_PROGRESS, (MIC,), progress=100),), "on track"),
        ((m("1", "2026-12", Status.IN_PROGRESS, (MIC,)),), "on track"),
        ((m("1", "2026-12", Status.NOT_STARTED, (MIC,)),), "not started"),
        ((m("1", "2026-12", Status.BLOCKED, (MIC,), reason="r"),), "not started"),
    ],
)
def test_health(measures: tuple[Measure, ...], health: str) -> None:
    assert _one(*measures)["health"] == health


# --------------------------------------------------------------------------------------------
# overdue and upcoming


def test_overdue_rows_by_hand() -> None:
    late = rm("rm-0", m("7", "2026-06-30", Status.NOT_STARTED, (AKIMAT,)))
    rows = overdue_rows([B, A, late], AS_OF, "en")
    assert [list(r) for r in rows] == [[*ITEM_KEYS[:6], "days_overdue", *ITEM_KEYS[6:]]] * 4
    assert [(r["roadmap"], r["measure"], r["days_overdue"]) for r in rows] == [
        ("rm-a", "1.2", 31),
        ("rm-0", "7", 1),  # same days: roadmap id, then measure id naturally
        ("rm-a", "1.9", 1),
        ("rm-a", "1.10", 1),
    ]
    assert rows[0] == {
        "roadmap": "rm-a",
        "measure": "1.2",
        "title": "Measure 1.2",
        "owners": ["kz-mic"],
        "due": "2026-05",
        "deadline": "2026-05-31",
        "days_overdue": 31,
        "status": "in_progress",
        "period": None,
        "signed_deadline": "2026-05-31",  # never rescheduled: the deadline as signed
        "rescheduled_by": [],
    }
    assert rows[2]["status"] == "blocked"
    json.dumps(rows)  # plain data


def test_overdue_rows_for_recurring_occurrences() -> None:
    rows = overdue_rows([A], D("2026-11-01"), "ru")
    recurring = [r for r in rows if r["measure"] == "2.1"]
    # Q1 reported 04-10, Q2 reported 07-20, Q3 (deadline 10-15) missed
    assert recurring == [
        {
            "roadmap": "rm-a",
            "measure": "2.1",
            "title": "Мера 2.1",
            "owners": ["kz-mic"],
            "due": QUARTERLY,
            "deadline": "2026-10-15",
            "days_overdue": 17,
            "status": "in_progress",
            "period": "2026-Q3",
            "signed_deadline": "2026-10-15",  # the occurrence's, not the last one's
            "rescheduled_by": [],
        }
    ]
    days = [r["days_overdue"] for r in rows]
    assert days == sorted(days, reverse=True)


def test_upcoming_rows_by_hand() -> None:
    rows = upcoming_rows([A, B], AS_OF, WINDOW_END, "en")
    assert [list(r) for r in rows] == [[*ITEM_KEYS[:6], "days_left", *ITEM_KEYS[6:]]] * 3
    assert [
        (r["roadmap"], r["measure"], r["deadline"], r["days_left"], r["period"]) for r in rows
    ] == [
        ("rm-b", "1", "2026-07-10", 9, None),
        ("rm-a", "2.1", "2026-07-15", 14, "2026-Q2"),
        ("rm-a", "4.1", "2026-07-15", 14, None),
    ]
    assert rows[1]["due"] == QUARTERLY
    # a shorter window
    rows = upcoming_rows([A, B], AS_OF, D("2026-07-14"), "en")
    assert [r["measure"] for r in rows] == ["1"]


def test_natural_key() -> None:
    ids = ["1.10", "2", "1.9", "10", "1.1", "a", "1.1a", "01"]
    assert sorted(ids, key=natural_key) == ["01", "1.1", "1.1a", "1.9", "1.10", "2", "10", "a"]


# --------------------------------------------------------------------------------------------
# agencies


def test_agency_rows_by_hand() -> None:
    rows = agency_rows([A, B], AGENCIES, AS_OF, WINDOW_END, "en")
    assert [r["agency"] for r in rows] == [BY, MIC, AKIMAT, QAZ]
    by, mic, akimat, qaz = rows
    assert list(mic)[:12] == [
        "agency",
        "name",
        "country",
        "lead",
        "co_executor",
        "done",
        "in_progress",
        "not_started",
        "blocked",
        "cancelled",
        "overdue",
        "due_soon",
    ]
    assert mic == {
        "agency": MIC,
        "name": "Ministry of Industry",
        "country": "KZ",
        "lead": 6,  # 1.1, 1.2, 2.1, 2.2, 3.1, 4.1
        "co_executor": 2,  # 1.10, 2.3
        "done": 1,
        "in_progress": 4,
        "not_started": 1,
        "blocked": 0,
        "cancelled": 0,
        "overdue": 1,  # 1.2 only: 1.10 is co-executed
        "due_soon": 2,  # 2.1, 4.1
        # counted: 1.1, 1.2, 2.1, 3.1, 4.1 -> Σw 5; Σw·f 1.75; Σw·e 2.25
        "progress_pct": 35.0,
        "expected_pct": 45.0,
        "health": "behind",
    }
    assert by["name"] == "Минпром РБ"  # no English name: falls back to ru
    assert (by["lead"], by["co_executor"], by["overdue"], by["due_soon"]) == (3, 1, 2, 0)
    assert (by["not_started"], by["blocked"], by["cancelled"]) == (1, 1, 1)
    assert (by["progress_pct"], by["expected_pct"]) == (0.0, 100.0)  # Σw 3 (1.10 + 1.9 w2)
    assert (akimat["lead"], akimat["due_soon"], akimat["progress_pct"]) == (2, 1, 0.0)
    assert (qaz["lead"], qaz["co_executor"], qaz["progress_pct"], qaz["health"]) == (
        0,
        1,
        None,
        "n/a",
    )
    for row in rows:
        statuses = ("done", "in_progress", "not_started", "blocked", "cancelled")
        assert sum(row[k] for k in statuses) == row["lead"]
    json.dumps(rows)


def test_agency_rows_for_an_unregistered_agency() -> None:
    [row] = agency_rows(
        [rm("x", m("1", "2026", Status.NOT_STARTED, ("ghost",)))], {}, AS_OF, WINDOW_END
    )
    assert (row["agency"], row["name"], row["country"], row["lead"]) == ("ghost", "ghost", None, 1)


# --------------------------------------------------------------------------------------------
# select


def _ids(roadmaps: list[Roadmap]) -> dict[str, list[str]]:
    return {r.id: [x.id for x in r.measures] for r in roadmaps}


def test_select_without_filters_keeps_everything() -> None:
    empty = rm("rm-e")
    assert select([A, B, empty], as_of=AS_OF, agencies=AGENCIES) == [A, B, empty]


def test_select_by_roadmap_keeps_the_original_order() -> None:
    picked = select([A, B], roadmap_ids=["rm-b", "rm-a", "nope"], as_of=AS_OF, agencies=AGENCIES)
    assert [r.id for r in picked] == ["rm-a", "rm-b"]


def test_select_by_agency_matches_owners_and_co_executors() -> None:
    picked = select([A, B], agency=BY, as_of=AS_OF, agencies=AGENCIES)
    assert _ids(picked) == {"rm-a": ["1.1", "1.10", "1.9", "2.3"]}


def test_select_by_country() -> None:
    assert _ids(select([A, B], country="by", as_of=AS_OF, agencies=AGENCIES)) == {
        "rm-a": ["1.1", "1.10", "1.9", "2.3"]
    }
    assert _ids(select([A, B], country="KZ", as_of=AS_OF, agencies=AGENCIES)) == {
        "rm-a": ["1.1", "1.2", "1.10", "2.1", "2.2", "2.3", "3.1", "4.1"],
        "rm-b": ["1", "2"],
    }


def test_select_by_status_as_of() -> None:
    picked = select([A, B], statuses=["in_progress"], as_of=AS_OF, agencies=AGENCIES)
    assert _ids(picked) == {"rm-a": ["1.2", "2.1", "2.2", "3.1"]}
    picked = select([A], statuses=[Status.DONE], as_of=D("2026-08-01"), agencies=AGENCIES)
    assert _ids(picked) == {"rm-a": ["1.1", "3.1"]}


def test_select_filters_combine() -> None:
    picked = select(
        [A, B],
        agency=MIC,
        statuses=[Status.NOT_STARTED, Status.CANCELLED],
        as_of=AS_OF,
        agencies=AGENCIES,
    )
    assert _ids(picked) == {"rm-a": ["1.10", "2.3", "4.1"]}
    # the filtered view feeds the other reports
    [row] = status_rows(picked, AS_OF, WINDOW_END, "en")
    assert (row["measures"], row["not_started"], row["cancelled"], row["overdue"]) == (3, 2, 1, 1)


# --------------------------------------------------------------------------------------------
# show


def test_measure_detail_recurring() -> None:
    d = measure_detail(A, A.measure("2.1"), AS_OF, AGENCIES, "en")  # type: ignore[arg-type]
    assert d["occurrences"] == [
        {
            "period": "2026-Q1",
            "deadline": "2026-04-15",
            "reported": True,
            "report_date": "2026-04-10",
            "overdue": False,
        },
        {
            "period": "2026-Q2",
            "deadline": "2026-07-15",
            "reported": False,  # its report is dated 07-20, after the as-of date
            "report_date": None,
            "overdue": False,
        },
        {
            "period": "2026-Q3",
            "deadline": "2026-10-15",
            "reported": False,
            "report_date": None,
            "overdue": False,
        },
        {
            "period": "2026-Q4",
            "deadline": "2027-01-15",
            "reported": False,
            "report_date": None,
            "overdue": False,
        },
    ]
    assert [r["future"] for r in d["reports"]] == [False, True]
    assert (d["deadline"], d["next_deadline"], d["next_period"], d["days_left"]) == (
        "2027-01-15",
        "2026-07-15",
        "2026-Q2",
        14,
    )
    assert (d["fraction_pct"], d["expected_pct"], d["days_overdue"]) == (25.0, 25.0, None)
    json.dumps(d)


@pytest.mark.parametrize(("as_of", "status", "late"), [
    ("2026-07-13", "in_progress", False),  # done after the date: not done late yet
    ("2026-07-14", "done", True),
])
def test_done_late_as_of_the_date(as_of: str, status: str, late: bool) -> None:
    from roadmap_cli.measure_list import measure_rows

    doc = rm("rm-late", m("1", "2026-06", Status.DONE, (MIC,), completed=D("2026-07-14")))
    d = measure_detail(doc, doc.measures[0], D(as_of), AGENCIES, "en")
    assert (d["status"], d["done_late"]) == (status, late)
    (row,) = measure_rows([doc], AGENCIES, D(as_of), "en")
    assert (row["status"], row["done_late"]) == (status, late)


def test_a_filter_keeps_a_deadline_after_a_measure_it_leaves_out() -> None:
    """Measure 3 is due a month after measure 1 was done; a filter that keeps 3 but not 1 (by
    agency, by status) made 3 wait for its anchor again: no deadline, not overdue, expected 0
    (found by an audit). The anchor is read in the whole document."""
    from roadmap_cli import schedule, tally

    doc = rm("rm-anchor",
             m("1", "2026-03", Status.DONE, (MIC,), completed=D("2026-05-01")),
             m("3", {"after": "1", "within": "1m"}, Status.IN_PROGRESS, (QAZ,)))
    as_of = D("2026-11-22")
    for picked in (select([doc], agency=QAZ, as_of=as_of, agencies=AGENCIES),
                   select([doc], statuses=["in_progress"], as_of=as_of, agencies=AGENCIES)):
        (narrowed,) = picked
        assert [x.id for x in narrowed.measures] == ["3"]
        three = narrowed.measures[0]
        assert schedule.deadline(three, narrowed, as_of) == D("2026-06-01")
        assert [i.days for i in schedule.measure_overdue(three, narrowed, as_of)] == [174]
        assert tally.progress([(three, narrowed)], as_of) == (0.0, 100.0)
        assert select(picked, agency=QAZ, as_of=as_of, agencies=AGENCIES)[0].measures == (three,)


def test_measure_detail_done_later_and_dependencies() -> None:
    d = measure_detail(A, A.measure("3.1"), AS_OF, AGENCIES, "en")  # type: ignore[arg-type]
    assert (d["status"], d["status_written"], d["completed"], d["done_late"]) == (
        "in_progress",
        "done",
        "2026-08-01",
        False,
    )
    assert d["needed_by"] == ["4.1"]
    d = measure_detail(A, A.measure("4.1"), AS_OF, AGENCIES, "en")  # type: ignore[arg-type]
    assert [(x["measure"], x["status"], x["done"]) for x in d["depends_on"]] == [
        ("1.1", "done", True),
        ("3.1", "in_progress", False),
        ("9.9", None, False),
    ]
    assert d["agencies"] == [
        {"agency": MIC, "name": "Ministry of Industry", "country": "KZ", "role": "lead"},
        {"agency": QAZ, "name": "QazIndustry", "country": "KZ", "role": "co_executor"},
    ]


def test_measure_detail_overdue_indicators_and_evidence() -> None:
    d = measure_detail(A, A.measure("1.2"), AS_OF, AGENCIES, "en")  # type: ignore[arg-type]
    assert (d["days_overdue"], d["next_deadline"], d["days_left"]) == (31, None, None)
    assert d["overdue"] == [{"deadline": "2026-05-31", "days_overdue": 31, "period": None}]
    [ind] = d["indicators"]
    # latest actual on or before 07-01 is 60 (06-30): (60 - 20) / (100 - 20) = 50 %
    assert (ind["latest"], ind["latest_date"], ind["pct_of_target"]) == (60, "2026-06-30", 50.0)
    d = measure_detail(A, A.measure("1.1"), AS_OF, AGENCIES, "en")  # type: ignore[arg-type]
    assert [(e["title"], e["future"]) for e in d["evidence"]] == [
        ("Protocol", False),
        ("Later letter", True),
    ]
    assert d["indicators"] == []
    assert d["occurrences"] == []


def test_roadmap_detail() -> None:
    d = roadmap_detail(A, AS_OF, WINDOW_END, AGENCIES, "ru")
    assert d["title"] == "Дорожная карта rm-a"
    assert d["summary"] == status_rows([A], AS_OF, WINDOW_END, "ru")[0]
    assert [x["measure"] for x in d["measures"]] == [x.id for x in A.measures]
    assert [x["measure"] for x in d["overdue"]] == ["1.2", "1.9", "1.10"]
    assert [x["measure"] for x in d["upcoming"]] == ["2.1", "4.1"]
    assert [p["name"] for p in d["parties"]] == ["Минпром РК", "Минпром РБ"]
    json.dumps(d)


def test_agency_rows_limited_to_an_agency_or_a_country() -> None:
    rows = agency_rows([A, B], AGENCIES, AS_OF, WINDOW_END, "en", agency=MIC)
    assert [r["agency"] for r in rows] == [MIC]
    assert rows[0]["lead"] == 6
    rows = agency_rows([A, B], AGENCIES, AS_OF, WINDOW_END, "en", country="kz")
    assert [r["agency"] for r in rows] == [MIC, AKIMAT, QAZ]
