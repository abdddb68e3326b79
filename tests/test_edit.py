"""roadmap_cli.edit: every update option on files in different styles, asserting the exact bytes.

Each test writes a measure in one style (block or flow, plain or quoted, comments everywhere,
CRLF, no final line break, Cyrillic text before the edit point) and compares the whole edited
text with the text expected, so that any byte changed outside the lines that must change fails.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_cli import edit, splice, yamlscalar
from roadmap_cli.edit import EditError, UnsafeEdit, Update
from roadmap_cli.yamlsrc import parse

TODAY = date(2026, 11, 22)

HEAD = """\
# yaml-language-server: $schema=../schemas/roadmap.schema.json
id: test-roadmap   # the id
kind: roadmap
title: {en: Test roadmap, ru: Тестовая дорожная карта}
parties: [kz-mic, by-minprom]
signed: {date: 2025-11-05, place: Astana}
period: {start: 2026-01-01, end: 2028-12-31}
measures:
"""


def upd(text: str, measure: str = "1", **kw: object) -> str:
    return edit.update_measure(text, measure, Update(**kw), TODAY).text  # type: ignore[arg-type]


def changed_lines(old: str, new: str) -> str:
    return edit.unified_diff(old, new, "f.yaml")


# --- status, completed, progress: block style, comments everywhere -------------------------------

BLOCK = HEAD + """\
  # --- section 1 ---------------------------------------------------------
  - id: "1"   # quoted id
    title:
      en: Открыть центр   # Cyrillic before the edit point
    owners: [kz-mic]
    due: 2026-Q4          # end of the year
    # the status line follows
    status: in_progress   # as of the last meeting
    progress: 40          # estimated
    weight: 2

    notes: Keep this note.

  - id: "2"
    title: Second
    owners: [kz-mic]
    due: 2027-Q1
    status: not_started
"""


def test_status_done_sets_completed_after_status_and_drops_progress() -> None:
    expected = BLOCK.replace(
        """\
    status: in_progress   # as of the last meeting
    progress: 40          # estimated
    weight: 2
""",
        """\
    status: done   # as of the last meeting
    weight: 2
    completed: 2026-11-22
""",
    )
    assert upd(BLOCK, status="done") == expected


def test_status_done_on_a_date_and_explicit_completed() -> None:
    assert "    completed: 2026-10-01\n" in upd(BLOCK, status="done", on=date(2026, 10, 1))
    out = upd(BLOCK, status="done", on=date(2026, 10, 1), completed=date(2026, 9, 30))
    assert "    completed: 2026-09-30\n" in out and "2026-10-01" not in out


def test_progress_replaces_value_and_keeps_trailing_comment() -> None:
    expected = BLOCK.replace("    progress: 40          # estimated\n",
                             "    progress: 55          # estimated\n")
    assert upd(BLOCK, progress=55) == expected


def test_progress_inserted_after_status_when_missing() -> None:
    out = upd(BLOCK, "2", status="in_progress", progress=10)
    assert out == BLOCK.replace(
        "    status: not_started\n", "    status: in_progress\n    progress: 10\n"
    )


def test_blocked_needs_reason_and_reason_goes_after_completed_place() -> None:
    with pytest.raises(EditError, match="--status blocked needs --reason"):
        upd(BLOCK, status="blocked")
    out = upd(BLOCK, status="blocked", reason="No site: see protocol #3")
    assert out == BLOCK.replace(
        """\
    status: in_progress   # as of the last meeting
    progress: 40          # estimated
    weight: 2
""",
        """\
    status: blocked   # as of the last meeting
    weight: 2
    reason: "No site: see protocol #3"
""",
    )


def test_leaving_blocked_drops_reason_and_leaving_done_drops_completed() -> None:
    blocked = upd(BLOCK, status="blocked", reason="Waiting")
    assert upd(blocked, status="in_progress") == BLOCK.replace(
        "    status: in_progress   # as of the last meeting\n    progress: 40          # estimated\n",
        "    status: in_progress   # as of the last meeting\n",
    )
    done = upd(BLOCK, status="done")
    reopened = upd(done, status="not_started")
    assert "completed" not in reopened
    assert reopened == BLOCK.replace(
        "    status: in_progress   # as of the last meeting\n    progress: 40          # estimated\n",
        "    status: not_started   # as of the last meeting\n",
    )


def test_already_done_keeps_its_completed_date_unless_given() -> None:
    done = upd(BLOCK, status="done", on=date(2026, 10, 1))
    assert upd(done, status="done") == done  # nothing to change
    assert "completed: 2026-11-01" in upd(done, status="done", on=date(2026, 11, 1))
    assert "completed: 2026-09-01" in upd(done, completed=date(2026, 9, 1))


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"progress": 5, "status": "done"}, "--progress is for in_progress"),
        ({"completed": date(2026, 1, 1)}, "--completed is for done"),
        ({"reason": "x"}, "--reason is for blocked or cancelled"),
        ({"url": "https://x.kz/"}, "--url goes with --evidence"),
        ({"evidence": "E", "url": "not a url"}, "is not an absolute URL"),
        ({"reported": ("2026-Q1",)}, "is not recurring"),
        ({"actuals": (("jobs", "5"),)}, "has no indicator 'jobs'"),
        ({"due": "2026-Q5"}, "quarters are Q1 to Q4"),
        ({}, "nothing to update"),
    ],
)
def test_requests_that_cannot_apply_are_refused(kw: dict[str, object], message: str) -> None:
    with pytest.raises(EditError, match=message):
        upd(BLOCK, **kw)


def test_unknown_measure_suggests_a_close_id() -> None:
    with pytest.raises(EditError, match="no measure '3' in test-roadmap"):
        upd(BLOCK, "3", status="done")


# --- quoting styles ----------------------------------------------------------------------------

QUOTED = HEAD + """\
  - id: '1'
    title: "Quoted title"
    owners: ["kz-mic"]
    due: "2026-Q4"
    status: "in_progress"
    progress: 40
  - id: "2"
    title: x
    owners: [kz-mic]
    due: '2027'
    status: 'blocked'
    reason: 'It''s waiting'
"""


def test_double_quoted_values_stay_double_quoted() -> None:
    out = upd(QUOTED, status="done", due="2027-Q1")
    assert out == QUOTED.replace(
        '    due: "2026-Q4"\n    status: "in_progress"\n    progress: 40\n',
        '    due: "2027-Q1"\n    status: "done"\n    completed: 2026-11-22\n',
    )


def test_single_quoted_values_stay_single_quoted() -> None:
    out = upd(QUOTED, "2", due="2028", reason="Still 'waiting'")
    assert out == QUOTED.replace(
        "    due: '2027'\n    status: 'blocked'\n    reason: 'It''s waiting'\n",
        "    due: '2028'\n    status: 'blocked'\n    reason: 'Still ''waiting'''\n",
    )


def test_a_plain_due_that_would_read_as_a_number_is_quoted() -> None:
    out = upd(BLOCK, due="2027")
    assert out == BLOCK.replace("    due: 2026-Q4          # end of the year\n",
                                '    due: "2027"          # end of the year\n')
    assert parse(out.encode(), "f").data["measures"][0]["due"] == "2027"


# --- flow style --------------------------------------------------------------------------------

FLOW = HEAD + """\
  - {id: "1", title: Flow measure, owners: [kz-mic], due: 2026-Q4, status: in_progress, progress: 40}
  - {id: "2", title: Recurring, owners: [kz-mic], due: {every: quarter, grace: 15}, status: in_progress}
"""


def test_flow_measure_status_done() -> None:
    out = upd(FLOW, status="done")
    assert out == FLOW.replace(
        "status: in_progress, progress: 40}",
        "status: done, completed: 2026-11-22}",
    )


def test_flow_measure_new_lists_are_flow() -> None:
    out = upd(FLOW, "2", reported=("2026-Q3",), evidence="Report, signed", url="https://x.kz/a?b=1")
    assert out == FLOW.replace(
        "due: {every: quarter, grace: 15}, status: in_progress}",
        'due: {every: quarter, grace: 15}, status: in_progress, evidence: [{title: "Report, signed", '
        'date: 2026-11-22, url: "https://x.kz/a?b=1"}], reports: [{period: 2026-Q3, date: 2026-11-22}]}',
    )


def test_recurring_due_becomes_a_one_off_due() -> None:
    out = upd(FLOW, "2", due="2026-12")
    assert out == FLOW.replace("due: {every: quarter, grace: 15}", "due: 2026-12")


def test_block_recurring_due_becomes_a_one_off_due() -> None:
    text = HEAD + """\
  - id: "1"
    title: x
    owners: [kz-mic]
    due:
      every: quarter   # quarterly
      grace: 15
    status: in_progress  # keep
"""
    assert upd(text, due="ongoing") == text.replace(
        "    due:\n      every: quarter   # quarterly\n      grace: 15\n", "    due: ongoing\n"
    )


# --- reports: every list style ----------------------------------------------------------------

def recurring(reports: str) -> str:
    return HEAD + """\
  - id: "1"
    title: Quarterly monitoring
    owners: [kz-mic]
    due: {every: quarter, from: 2026-Q1, until: 2028-Q4, grace: 15}
    status: in_progress
""" + reports + """\
    notes: After the reports.   # trailing

  - id: "2"
    title: x
    owners: [kz-mic]
    due: 2026-Q4
    status: not_started
"""


@pytest.mark.parametrize(
    "before, after",
    [
        pytest.param(
            "    reports:\n      - {period: 2026-Q1, date: 2026-04-14, note: First}\n",
            "    reports:\n      - {period: 2026-Q1, date: 2026-04-14, note: First}\n"
            "      - {period: 2026-Q3, date: 2026-11-22}\n",
            id="block list of flow entries",
        ),
        pytest.param(
            "    reports:\n    - {period: 2026-Q1, date: 2026-04-14}   # indentless\n\n",
            "    reports:\n    - {period: 2026-Q1, date: 2026-04-14}   # indentless\n"
            "    - {period: 2026-Q3, date: 2026-11-22}\n\n",
            id="indentless list, blank line after",
        ),
        pytest.param(
            "    reports:\n      - period: 2026-Q1\n        date: 2026-04-14  # on time\n"
            "      # the next one is late\n",
            "    reports:\n      - period: 2026-Q1\n        date: 2026-04-14  # on time\n"
            "      - period: 2026-Q3\n        date: 2026-11-22\n      # the next one is late\n",
            id="block list of block entries",
        ),
        pytest.param(
            "    reports: [{period: 2026-Q1}, {period: 2026-Q2, date: 2026-07-10}]  # two\n",
            "    reports: [{period: 2026-Q1}, {period: 2026-Q2, date: 2026-07-10}, "
            "{period: 2026-Q3, date: 2026-11-22}]  # two\n",
            id="one-line flow list",
        ),
        pytest.param(
            "    reports: [\n      {period: 2026-Q1},\n      {period: 2026-Q2}\n    ]\n",
            "    reports: [\n      {period: 2026-Q1},\n      {period: 2026-Q2},\n"
            "      {period: 2026-Q3, date: 2026-11-22}\n    ]\n",
            id="multi-line flow list",
        ),
        pytest.param(
            "    reports: []\n",
            "    reports: [{period: 2026-Q3, date: 2026-11-22}]\n",
            id="empty flow list",
        ),
        pytest.param(
            "    reports:\n      - { period: \"2026-Q1\", date: '2026-04-14' }\n",
            "    reports:\n      - { period: \"2026-Q1\", date: '2026-04-14' }\n"
            "      - { period: \"2026-Q3\", date: '2026-11-22' }\n",
            id="padded and quoted siblings",
        ),
        pytest.param(
            "    reports:\n      - date: 2026-04-14\n        period: 2026-Q1\n",
            "    reports:\n      - date: 2026-04-14\n        period: 2026-Q1\n"
            "      - date: 2026-11-22\n        period: 2026-Q3\n",
            id="sibling key order",
        ),
        pytest.param(
            "",
            "    reports:\n      - {period: 2026-Q3, date: 2026-11-22}\n",
            id="no list yet",
        ),
    ],
)
def test_reported_appends_in_the_siblings_style(before: str, after: str) -> None:
    assert upd(recurring(before), reported=("2026-Q3",)) == recurring(after)


def test_new_reports_list_copies_the_layout_used_elsewhere_in_the_file() -> None:
    other = """\
  - id: "9"
    title: Elsewhere
    owners: [kz-mic]
    due: {every: quarter}
    status: in_progress
    reports:
    -   period: 2026-Q1
        date: 2026-04-01
"""
    text = recurring("") + other
    out = upd(text, reported=("2026-Q3",))
    assert out == recurring("    reports:\n    -   period: 2026-Q3\n        date: 2026-11-22\n") + other


def test_reported_several_periods_and_checks() -> None:
    text = recurring("    reports:\n      - {period: 2026-Q1}\n")
    out = upd(text, reported=("2026-Q2", "2026-Q3"), on=date(2026, 10, 10))
    assert out == recurring(
        "    reports:\n      - {period: 2026-Q1}\n      - {period: 2026-Q2, date: 2026-10-10}\n"
        "      - {period: 2026-Q3, date: 2026-10-10}\n"
    )
    with pytest.raises(EditError, match="2026-Q1 is already reported"):
        upd(text, reported=("2026-Q1",))
    # the same report again (same period, same date: a script run twice) changes nothing; a
    # period named twice in one update is written once
    reported = upd(text, reported=("2026-Q2",), on=date(2026, 10, 10))
    assert upd(reported, reported=("2026-Q2",), on=date(2026, 10, 10)) == reported
    assert upd(text, reported=("2026-Q2", "2026-Q2"), on=date(2026, 10, 10)) == reported
    with pytest.raises(EditError, match=r"2026-Q2 is already reported \(date: 2026-10-10\)"):
        upd(reported, reported=("2026-Q2",), on=date(2026, 10, 11))
    with pytest.raises(EditError, match=r"recurs every quarter, so name a quarter \(e.g. 2026-Q3\)"):
        upd(text, reported=("2026-08",))
    with pytest.raises(EditError, match="2029-Q1 is not one of its periods"):
        upd(text, reported=("2029-Q1",))
    # a period that has not begun by the report's date: a mistyped year would mark a future
    # quarter reported and leave the one meant overdue
    with pytest.raises(EditError, match="2027-Q3: the period begins on 2027-07-01, after the "
                                        "report's date 2026-11-22"):
        upd(text, reported=("2027-Q3",))
    with pytest.raises(EditError, match="begins on 2026-10-01, after the report's date 2026-09-30"):
        upd(text, reported=("2026-Q4",), on=date(2026, 9, 30))
    assert "2026-Q4, date: 2026-10-01" in upd(text, reported=("2026-Q4",), on=date(2026, 10, 1))


# --- evidence ---------------------------------------------------------------------------------

def test_evidence_block_entry_with_url_after_block_siblings() -> None:
    text = HEAD + """\
  - id: "1"
    title: x
    owners: [kz-mic]
    due: 2026-Q4
    status: done
    completed: 2026-02-26
    evidence:
      - title:
          en: Protocol of the first meeting
          ru: Протокол первого заседания
        date: 2026-02-26
        url: https://minprom.gov.by/   # official site
    notes: n
"""
    out = upd(text, evidence="Order No. 5: approval", url="https://minprom.gov.by/x#5",
              on=date(2026, 3, 1))
    assert out == text.replace(
        "        url: https://minprom.gov.by/   # official site\n",
        "        url: https://minprom.gov.by/   # official site\n"
        '      - title: "Order No. 5: approval"\n'
        "        date: 2026-03-01\n"
        "        url: https://minprom.gov.by/x#5\n",
    )


def test_new_evidence_list_is_block_by_default() -> None:
    out = upd(BLOCK, "2", evidence="Letter")
    assert out == BLOCK + "    evidence:\n      - title: Letter\n        date: 2026-11-22\n"
    # evidence and --on leave a done measure's completed date alone
    done = upd(BLOCK, status="done", on=date(2026, 10, 1))
    assert upd(done, evidence="Act", on=date(2026, 10, 5)).count("completed: 2026-10-01") == 1


# --- indicator actuals ------------------------------------------------------------------------

INDICATORS = HEAD + """\
  - id: "1"
    title: x
    owners: [kz-mic]
    due: "2028"
    status: in_progress
    indicators:
      - id: tractors
        title: {en: Tractors}
        target: 10000
        actuals:
          - {date: 2026-06-30, value: 4600}
      - id: jobs
        title: {en: Jobs}
        unit: jobs
        target: 800   # by 2028
    notes: n
"""


def test_actual_appended_to_existing_list() -> None:
    out = upd(INDICATORS, actuals=(("tractors", "5100"),), on=date(2026, 9, 30))
    assert out == INDICATORS.replace(
        "          - {date: 2026-06-30, value: 4600}\n",
        "          - {date: 2026-06-30, value: 4600}\n          - {date: 2026-09-30, value: 5100}\n",
    )


def test_actual_on_an_existing_date_replaces_the_value() -> None:
    out = upd(INDICATORS, actuals=(("tractors", "4650.5"),), on=date(2026, 6, 30))
    assert out == INDICATORS.replace("value: 4600}", "value: 4650.5}")
    # the change line names the indicator and the day (a measure may have several indicators)
    changes = edit.update_measure(INDICATORS, "1", Update(actuals=(("tractors", "4650.5"),),
                                                          on=date(2026, 6, 30)), TODAY).changes
    assert changes == ("tractors actuals 2026-06-30: value: 4600 -> 4650.5",)


def test_actual_creates_the_list_after_target() -> None:
    out = upd(INDICATORS, actuals=(("jobs", "90"), ("tractors", "5000")))
    assert out == INDICATORS.replace(
        "          - {date: 2026-06-30, value: 4600}\n",
        "          - {date: 2026-06-30, value: 4600}\n          - {date: 2026-11-22, value: 5000}\n",
    ).replace(
        "        target: 800   # by 2028\n",
        "        target: 800   # by 2028\n        actuals:\n          - {date: 2026-11-22, value: 90}\n",
    )


@pytest.mark.parametrize("value", ["lots", "true", ".nan", "0x10", "1_000", ""])
def test_actual_must_be_a_number(value: str) -> None:
    with pytest.raises(EditError, match="is not a number"):
        upd(INDICATORS, actuals=(("tractors", value),))


# --- block scalars, line ends, end of file ------------------------------------------------------

def test_folded_reason_keeps_its_header_and_indentation() -> None:
    text = HEAD + """\
  - id: "1"
    title: x
    owners: [kz-mic]
    due: 2026-Q4
    status: blocked
    reason: >-   # folded
      The site is not agreed
      and the partner is unknown.

    notes: n
"""
    out = upd(text, reason="Partner found; the site is still open.")
    assert out == text.replace(
        "      The site is not agreed\n      and the partner is unknown.\n",
        "      Partner found; the site is still open.\n",
    )


def test_clipped_block_reason_becomes_a_one_line_scalar() -> None:
    text = HEAD + '  - id: "1"\n    title: x\n    owners: [kz-mic]\n    due: 2026-Q4\n' \
        "    status: blocked\n    reason: |\n      line one\n      line two\n    notes: n\n"
    out = upd(text, reason="New reason")
    assert out == text.replace("    reason: |\n      line one\n      line two\n",
                               "    reason: New reason\n")


def test_a_reason_of_several_lines_is_one_line_in_the_changes() -> None:
    """The summary printed a block reason with its line breaks ("reason: line one\nline two
    -> ...", found by an audit): each change is one line."""
    text = HEAD + '  - id: "1"\n    title: x\n    owners: [kz-mic]\n    due: 2026-Q4\n' \
        "    status: blocked\n    reason: |\n      line one\n      line two\n    notes: n\n"
    changes = edit.update_measure(text, "1", Update(reason="New reason"), TODAY).changes
    assert changes == ("reason: line one line two -> New reason",)


def test_crlf_file_stays_crlf_byte_for_byte() -> None:
    crlf = BLOCK.replace("\n", "\r\n")
    out = upd(crlf, status="done", evidence="Protocol")
    expected = upd(BLOCK, status="done", evidence="Protocol").replace("\n", "\r\n")
    assert out == expected
    assert "\n" not in out.replace("\r\n", "")


def test_crlf_flow_list_append() -> None:
    text = recurring("    reports: [\n      {period: 2026-Q1}\n    ]\n").replace("\n", "\r\n")
    out = upd(text, reported=("2026-Q2",))
    assert out == recurring(
        "    reports: [\n      {period: 2026-Q1},\n      {period: 2026-Q2, date: 2026-11-22}\n    ]\n"
    ).replace("\n", "\r\n")


def test_file_without_final_line_break() -> None:
    text = BLOCK.rstrip("\n")  # ends with "    status: not_started"
    assert upd(text, "2", status="done") == text.replace(
        "    status: not_started", "    status: done\n    completed: 2026-11-22"
    )
    ends_with_progress = HEAD + '  - id: "1"\n    title: x\n    owners: [kz-mic]\n' \
        "    due: 2026-Q4\n    status: in_progress\n    progress: 40"
    assert upd(ends_with_progress, status="not_started") == ends_with_progress.replace(
        "    status: in_progress\n    progress: 40", "    status: not_started"
    )


def test_several_changes_in_one_update() -> None:
    out = upd(BLOCK, status="done", evidence="Act of acceptance", on=date(2026, 11, 20))
    assert changed_lines(BLOCK, out) == """\
--- a/f.yaml
+++ b/f.yaml
@@ -13,9 +13,12 @@
     owners: [kz-mic]
     due: 2026-Q4          # end of the year
     # the status line follows
-    status: in_progress   # as of the last meeting
-    progress: 40          # estimated
+    status: done   # as of the last meeting
     weight: 2
+    completed: 2026-11-20
+    evidence:
+      - title: Act of acceptance
+        date: 2026-11-20
 
     notes: Keep this note.
 
"""


def test_new_key_in_non_canonical_order_goes_after_its_predecessor() -> None:
    text = HEAD + '  - status: in_progress\n    id: "1"\n    title: x\n    owners: [kz-mic]\n' \
        "    due: 2026-Q4\n    progress: 10\n"
    out = upd(text, status="done")
    assert out == HEAD + '  - status: done\n    completed: 2026-11-22\n    id: "1"\n' \
        "    title: x\n    owners: [kz-mic]\n    due: 2026-Q4\n"


def test_removing_the_first_key_of_an_entry_moves_the_next_one_up() -> None:
    text = HEAD + '  - progress: 10\n    id: "1"\n    title: x\n    owners: [kz-mic]\n' \
        "    due: 2026-Q4\n    status: in_progress\n"
    out = upd(text, status="not_started")
    assert out == HEAD + '  - id: "1"\n    title: x\n    owners: [kz-mic]\n' \
        "    due: 2026-Q4\n    status: not_started\n"


def test_a_value_shared_through_an_alias_is_refused() -> None:
    text = HEAD + """\
  - id: "1"
    title: x
    owners: [kz-mic]
    due: 2026-Q4
    status: &st in_progress
  - id: "2"
    title: y
    owners: [kz-mic]
    due: 2026-Q4
    status: *st
"""
    with pytest.raises(UnsafeEdit, match="anchor and alias"):
        upd(text, "2", status="not_started")


# --- scalars and diffs ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "value, flow, text",
    [
        ("plain text", False, "plain text"),
        ("2027", False, '"2027"'),
        ("no", False, '"no"'),
        ("null", False, '"null"'),
        ("a: b", False, '"a: b"'),
        ("x #y", False, '"x #y"'),
        ("- item", False, '"- item"'),
        ("a, b", False, "a, b"),
        ("a, b", True, '"a, b"'),
        ("https://x.kz/", False, "https://x.kz/"),
        ("https://x.kz/", True, '"https://x.kz/"'),
        ('say "hi"\n', False, '"say \\"hi\\"\\n"'),
        (" lead", False, '" lead"'),
        ("Протокол №5", False, "Протокол №5"),
        ("=", False, '"="'),
        ("<<", True, '"<<"'),
    ],
)
def test_scalar_text(value: str, flow: bool, text: str) -> None:
    assert yamlscalar.scalar_text(value, None, flow) == text


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda s: s.strip() != ""
)


def test_a_written_reason_or_title_reads_back_with_pyyaml_too() -> None:
    # `=` and `<<` plain are YAML 1.1's value and merge keys: yaml.safe_load cannot read them
    import yaml

    for text in ("=", "<<"):
        out = edit.update_measure(BLOCK, "1", Update(status="cancelled", reason=text,
                                                      evidence=text), TODAY).text
        m = yaml.safe_load(out)["measures"][0]
        assert (m["reason"], m["evidence"][-1]["title"]) == (text, text)


@pytest.mark.fuzz
@settings(max_examples=150, deadline=None)
@given(TEXT, st.sampled_from([BLOCK, FLOW, QUOTED]))
def test_any_reason_or_evidence_title_reads_back_exactly(text: str, doc: str) -> None:
    out = edit.update_measure(doc, "1", Update(status="cancelled", reason=text, evidence=text),
                              TODAY).text
    m = parse(out.encode(), "f").data["measures"][0]
    assert m["reason"] == text
    assert m["evidence"][-1]["title"] == text


def test_unified_diff_marks_a_missing_final_line_break() -> None:
    assert edit.unified_diff("a\nb", "a\nc", "f") == (
        "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n"
        "+c\n\\ No newline at end of file\n"
    )
    assert edit.unified_diff("same\n", "same\n", "f") == ""


def _marks(node: object, out: list[tuple[int, int, str | None]]) -> list[tuple[int, int, str | None]]:
    import yaml

    style = getattr(node, "style", None) or getattr(node, "flow_style", None)
    out.append((node.start_mark.index, node.end_mark.index, str(style or None)))  # type: ignore[attr-defined]
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            _marks(k, out)
            _marks(v, out)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            _marks(v, out)
    return out


@pytest.mark.parametrize(
    "doc",
    [BLOCK, FLOW, QUOTED, INDICATORS, recurring("    reports: [\n      {period: 2026-Q1}\n    ]\n"),
     (BLOCK + "x: '😀 \u2028 é'\ny: |-\n  😀\n\n  z\nw:\n").replace("\n", "\r\n")],
)
def test_libyaml_and_pure_python_offsets_agree(doc: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    if not hasattr(yaml, "CSafeLoader"):  # pragma: no cover
        pytest.skip("libyaml is not installed")
    fast = _marks(yaml.compose(doc, Loader=yaml.CSafeLoader), [])
    assert fast == _marks(yaml.compose(doc, Loader=yaml.SafeLoader), [])
    assert fast == _marks(yaml.compose(doc, Loader=splice.LOADER), [])  # tags not resolved
    expected = upd(doc, status="cancelled", reason="Dropped", evidence="Протокол")
    monkeypatch.setattr(splice, "LOADER", yaml.SafeLoader)
    assert upd(doc, status="cancelled", reason="Dropped", evidence="Протокол") == expected
