"""A document's digest (:mod:`roadmap_cli.digest`) gives the rows its measures give.

The status, section and agency rows of a document rebuilt from the cache are summed from its
stored digest (plain rows, never its measures); these properties check that they equal the rows
of the same document's measures, for documents with every due form, amendments, anchors and
reports (``test_fast_rows.documents``), asked about the days where answers change; and that a
warm run builds no measure for them.
"""

from __future__ import annotations

import weakref
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fast_rows import AGENCIES, documents, question

from roadmap_cli import digest, report, schedule, stored, stored_measures, tally
from roadmap_cli.model import Measure, Repository, Roadmap, unbuilt_measures

days = st.dates(min_value=date(2025, 6, 1), max_value=date(2029, 6, 30))


class _Stored:
    def __init__(self, d: digest.Digest) -> None:
        self.d = d

    def get(self) -> digest.Digest:
        return self.d


def _as_stored(rm: Roadmap, measures: bool) -> Roadmap:
    """A copy of ``rm`` whose rows come from its digest as stored; without ``measures``, its
    measures are unreadable (a due anchored to a measure reads them)."""
    copy: Roadmap = object.__new__(Roadmap)
    state = {k: v for k, v in rm.__dict__.items() if measures or k != "measures"}
    state["_stored_digest"] = _Stored(stored.digest_of(stored.digest_blob(rm)))
    object.__setattr__(copy, "__dict__", state)
    if not measures:
        with pytest.raises(AttributeError):
            copy.measures  # noqa: B018
    return copy


class _StoredMeasures:
    """A document's measures as :class:`roadmap_cli.stored_measures.Measures` hands them out: all of
    them (``get``) or some (``pick``), each measure the same object either way."""

    def __init__(self, measures: tuple[Measure, ...]) -> None:
        self.measures = measures
        self.picked: list[int] = []

    def get(self) -> tuple[Measure, ...]:
        self.picked.extend(range(len(self.measures)))
        return self.measures

    def pick(self, indices: list[int]) -> list[Measure]:
        self.picked.extend(indices)
        return [self.measures[i] for i in indices]


def _with_stored_measures(rm: Roadmap) -> tuple[Roadmap, _StoredMeasures]:
    """A copy of ``rm`` as a warm run rebuilds it: its digest as stored, its measures built
    when read (and the few that ``overdue`` and ``upcoming`` pick)."""
    copy = _as_stored(rm, measures=True)
    ms = _StoredMeasures(copy.__dict__.pop("measures"))
    copy.__dict__["_stored_measures"] = ms
    return copy, ms


def _anchored(rm: Roadmap) -> bool:
    return any(d.anchored for m in rm.measures for d in (m.due, *(r.due for r in m.rescheduled)))


@pytest.mark.fuzz
@settings(max_examples=150, deadline=None)
@given(st.lists(documents(), max_size=3), days, st.integers(0, 400), st.data())
def test_rows_from_the_stored_digest_equal_the_rows_of_the_measures(
    rms: list[Roadmap], as_of: date, window: int, data: st.DataObject
) -> None:
    rms, as_of, end = question(rms, as_of, window, data)
    kept = [_as_stored(rm, measures=_anchored(rm)) for rm in rms]
    assert report.status_rows(kept, as_of, end) == report.status_rows(rms, as_of, end)
    assert report.section_rows(kept, as_of, end) == report.section_rows(rms, as_of, end)
    assert report.agency_rows(kept, AGENCIES, as_of, end) == report.agency_rows(rms, AGENCIES, as_of, end)
    # the items of a document rebuilt from the cache come from the measures its digest picks
    copies = [_with_stored_measures(rm) for rm in rms]
    kept = [copy for copy, _ms in copies]
    assert report.overdue_rows(kept, as_of) == report.overdue_rows(rms, as_of)
    assert report.upcoming_rows(kept, as_of, end) == report.upcoming_rows(rms, as_of, end)
    for rm, (_copy, ms) in zip(rms, copies, strict=True):
        position = {id(m): i for i, m in enumerate(rm.measures)}
        with_items = {position[id(item.measure)] for item in (
            *schedule.overdue_items(rm, as_of), *schedule.due_soon_items(rm, as_of, end))}
        if not _anchored(rm):  # (an anchored due reads all of them)
            assert set(ms.picked) == with_items
    for rm in rms:  # and the digest's answers, counted, are the measures' answers
        d = tally.digest_of(rm)
        assert d.total == len(rm.measures)
        assert tally.counted(tally.digest_answers(d, rm, as_of, end), d.counts) == tally.counted(
            tally.answers(rm.measures, rm, as_of, end), [1] * len(rm.measures)
        )


@pytest.mark.fuzz
@settings(max_examples=150, deadline=None)
@given(st.lists(documents(), min_size=1, max_size=3), days, st.integers(0, 400), st.data())
def test_the_burn_up_from_the_stored_digest_is_the_burn_up_of_the_measures(
    rms: list[Roadmap], as_of: date, window: int, data: st.DataObject
) -> None:
    """A report's chart of a document rebuilt from the cache (its span and its points) comes
    from the digest as stored, and equals the definitions over its measures: the chart ends at
    the latest ``schedule.deadline`` (or the period end), and its values are
    ``burnup.progress_series`` of the measures without their ``progress``; so does the
    report's count of measures done on time against their signed deadlines, and the number of
    its deadlines (the calendar's events)."""
    from roadmap_cli import burnup, calendar_export, report_signed
    from roadmap_cli.report_signed import on_time_against_signed

    rms, as_of, _end = question(rms, as_of, window, data)
    for rm in rms:
        kept = _as_stored(rm, measures=_anchored(rm))
        deadlines = [d for m in rm.measures if (d := schedule.deadline(m, rm)) is not None]
        end = max([rm.period_end, *deadlines])
        assert burnup.end_date(kept) == burnup.end_date(rm) == end
        dates = burnup.checkpoints(burnup.start_date(rm), end, as_of)
        undated = [(burnup._undated(m), rm) for m in rm.measures]
        expected = burnup.progress_series(undated, dates)
        assert burnup.undated_series(kept, dates) == burnup.undated_series(rm, dates) == expected
        now = schedule.progress([(m, rm) for m in rm.measures], as_of)
        assert burnup.series(kept, as_of, dates, now) == burnup.series(rm, as_of, dates)
        # and the line "done on time against the signed deadlines: N of M"
        pairs = [(m, rm) for m in rm.measures]
        assert report_signed.on_time_of(kept, as_of) == on_time_against_signed(pairs, as_of)
        # and the number of its deadlines ("wrote report.html: ..., 68 deadlines")
        assert calendar_export.deadline_count([kept], as_of) == len(calendar_export.deadlines([rm], as_of))


def test_rows_of_a_measure_of_every_form() -> None:
    """How each due form's deadline is found (the table of digest.Row)."""
    from roadmap_cli.model import Due, Event, Measure, Report, Rescheduling, Status
    from roadmap_cli.schedule import parse_due

    rm = Roadmap(id="rm", kind="roadmap", title="t", parties=(), signed=date(2025, 11, 5),
                 period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), measures=(),
                 events=(Event("eif", "eif", None),))

    def m(due: object, **kw: object) -> Measure:
        return Measure(id="1", title="t", owners=("a",), due=parse_due(due), status=Status.NOT_STARTED,
                       **kw)  # type: ignore[arg-type]

    quarterly: Due = parse_due({"every": "quarter"})
    q2 = (1, date(2026, 7, 9).toordinal())  # the second quarter, reported on its date
    cases = [
        (m("2026-Q2"), digest.FIXED, date(2026, 6, 30).toordinal(), ()),
        (m("2026-03-15"), digest.FIXED, date(2026, 3, 15).toordinal(), ()),
        (m("ongoing"), digest.OPEN, 0, ()),
        (m("on_request"), digest.OPEN, 0, ()),
        (m({"every": "quarter"}), digest.RECURRING, 0, ()),
        (m({"every": "quarter"}, reports=(Report("2026-Q2", date(2026, 7, 9)), Report("2030-Q1"))),
         digest.RECURRING, 0, (q2,)),
        (m({"after": "eif", "within": "30d"}), digest.RARE, 0, None),
        (m("2026-Q2", rescheduled=(Rescheduling(quarterly, "p1"),)), digest.RARE, 0, None),
    ]
    for measure, how, ref, known in cases:
        rows, schedules, rare = tally.rows_of([measure], rm)
        assert rows == [(how, "not_started", None, None, 1, ref)], measure.due.raw
        assert [k for _deadlines, k in schedules] == ([known] if how == digest.RECURRING else [])
        if how == digest.RECURRING:  # the quarters' ends, as day numbers
            assert schedules[0][0] == tuple(date(2026, m, d).toordinal()
                                            for m, d in ((3, 31), (6, 30), (9, 30), (12, 31)))
        assert rare == ([measure] if how == digest.RARE else [])


def test_measures_alike_count_once_per_measure() -> None:
    """Measures of one row (a recurring due shared, the same status and weight) are worked out
    once and counted for each: the chart, the on-time line and the number of deadlines of two
    alike measures are those of the two measures, not of one."""
    from dataclasses import replace

    from roadmap_cli import burnup, calendar_export, report_signed
    from roadmap_cli.model import Report, Status
    from roadmap_cli.report_signed import on_time_against_signed
    from roadmap_cli.schedule import parse_due

    quarterly = Measure(id="1", title="t", owners=("a",), due=parse_due({"every": "quarter", "grace": 10}),
                        status=Status.IN_PROGRESS, reports=(Report("2026-Q1", date(2026, 4, 3)),))
    done = Measure(id="3", title="t", owners=("a",), due=parse_due("2026-05"), status=Status.DONE,
                   completed=date(2026, 5, 20), weight=2)
    rm = Roadmap(id="rm", kind="roadmap", title="t", parties=(), signed=date(2025, 11, 5),
                 period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                 measures=(quarterly, replace(quarterly, id="2"), done, replace(done, id="4"),
                           replace(quarterly, id="5", status=Status.CANCELLED)))
    d = tally.digest_of(rm)
    assert sorted(d.counts) == [1, 2, 2]  # the quarterly pair shares its row, so does the done pair
    as_of = date(2026, 11, 1)
    dates = burnup.checkpoints(burnup.start_date(rm), burnup.end_date(rm), as_of)
    assert burnup.end_date(rm) == date(2027, 1, 10)
    undated = [(burnup._undated(m), rm) for m in rm.measures]
    assert burnup.undated_series(rm, dates) == burnup.progress_series(undated, dates)
    assert report_signed.on_time_of(rm, as_of) == on_time_against_signed(
        [(m, rm) for m in rm.measures], as_of) == (2, 2)
    assert calendar_export.deadline_count([rm], as_of) == len(calendar_export.deadlines([rm], as_of)) == 10


def test_a_warm_status_builds_no_measure(shipped_copy: Path, cli: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """``status``, ``status --by section`` and ``agencies`` from a filled cache read the stored
    digests, not the measures (whose building is most of a warm run's work)."""
    from roadmap_cli.commands._common import load_or_refuse

    folder = shipped_copy / "roadmaps"
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(shipped_copy / ".cache"))
    load_or_refuse((folder,), (), False, None, True)  # fills the cache
    repo = load_or_refuse((folder,), (), False, None, True)
    built: list[int] = []
    real = stored_measures._measure_of

    def counting(*args: object) -> object:
        built.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(stored_measures, "_measure_of", counting)
    as_of, end = date(2026, 11, 28), date(2026, 12, 28)
    assert all("_stored_digest" in rm.__dict__ for rm in repo.roadmaps)
    report.status_rows(repo.roadmaps, as_of, end)
    report.section_rows(repo.roadmaps, as_of, end)
    report.agency_rows(repo.roadmaps, repo.agencies, as_of, end)
    built_for_rows = len(built)
    anchored = sum(1 for rm in repo.roadmaps if _anchored(rm))
    # the shipped documents have no anchored due (which would read a document's measures)
    assert len(repo.roadmaps) == 3 and anchored == 0 and built_for_rows == 0


def test_a_warm_overdue_builds_only_the_measures_with_items(
    shipped_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``overdue`` and ``upcoming`` from a filled cache build the measures whose digest row has
    items as of the date, each once: not the document's other measures; and decode the stored
    fields and the title of those alone."""
    from roadmap_cli.commands._common import load_or_refuse

    folder = shipped_copy / "roadmaps"
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(shipped_copy / ".cache"))
    load_or_refuse((folder,), (), False, None, True)  # fills the cache
    repo = load_or_refuse((folder,), (), False, None, True)
    built: list[tuple[int, object]] = []
    real = stored_measures._measure_of

    def counting(index: int, *args: object) -> object:
        m = real(index, *args)  # type: ignore[arg-type]
        built.append((index, m.id))
        return m

    monkeypatch.setattr(stored_measures, "_measure_of", counting)
    decoded: list[bytes] = []
    real_loads = stored_measures.loads

    def decoding(blob: bytes) -> object:
        decoded.append(blob)
        return real_loads(blob)

    monkeypatch.setattr(stored_measures, "loads", decoding)
    as_of, end = date(2026, 11, 28), date(2027, 1, 31)
    overdue = report.overdue_rows(repo.roadmaps, as_of)
    upcoming = report.upcoming_rows(repo.roadmaps, as_of, end)
    picked = len(built)
    assert len(decoded) == 2 * picked  # each picked measure's fields and title, nothing else
    all_measures = [m for rm in repo.roadmaps for m in rm.measures]  # builds the rest
    with_items = {(rm.id, item.measure.id) for rm in repo.roadmaps for item in (
        *schedule.overdue_items(rm, as_of), *schedule.due_soon_items(rm, as_of, end))}
    assert overdue and upcoming and 0 < len(with_items) < len(all_measures)
    assert picked == len(with_items)  # each built once, when first picked
    assert len(built) == len(all_measures)  # and reading them all builds only the others


def _fresh_and_warm(
    shipped_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Repository, Repository, list[int]]:
    """The shipped documents read from their files, and read again from a filled cache; and the
    list that then receives the index of every measure built from the cache."""
    from roadmap_cli.commands._common import load_or_refuse

    folder = shipped_copy / "roadmaps"
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(shipped_copy / ".cache"))
    fresh = load_or_refuse((folder,), (), False, None, False)  # read from the files
    load_or_refuse((folder,), (), False, None, True)  # fills the cache
    repo = load_or_refuse((folder,), (), False, None, True)
    built: list[int] = []
    real = stored_measures._measure_of

    def counting(index: int, *args: object) -> object:
        built.append(index)
        return real(index, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(stored_measures, "_measure_of", counting)
    return fresh, repo, built


def test_warm_indicators_build_no_measure(
    shipped_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``indicators`` from a filled cache reads the indicators its cache entry keeps with their
    measures' ids and titles, builds no measure, and gives the rows of the document read from
    its file (in Russian and English); measures built afterwards have the same indicators."""
    from roadmap_cli import indicators

    fresh, repo, built = _fresh_and_warm(shipped_copy, monkeypatch)
    as_of = date(2026, 11, 28)
    for lang in ("ru", "en"):
        rows = indicators.indicator_rows(repo.roadmaps, as_of, lang)
        assert rows == indicators.indicator_rows(fresh.roadmaps, as_of, lang) and rows
    assert built == []
    assert [m.indicators for rm in repo.roadmaps for m in rm.measures] == [
        m.indicators for rm in fresh.roadmaps for m in rm.measures]


@pytest.mark.parametrize("as_of", [date(2026, 3, 1), date(2026, 11, 28), date(2028, 6, 30)])
def test_a_warm_stale_builds_no_measure(
    shipped_copy: Path, monkeypatch: pytest.MonkeyPatch, as_of: date
) -> None:
    """``stale`` from a filled cache tells the open measures and their statuses from the
    digests, and their ids, owners and titles from the stored fields: it builds no measure,
    and shows what it shows of the documents read from their files (every other measure
    changed long ago, some recently)."""
    from roadmap_cli import stale

    fresh, repo, _built = _fresh_and_warm(shipped_copy, monkeypatch)
    refs = _watch_built(monkeypatch)
    last = {(rm.id, m.id): stale.Change(date(2026, 1 + n % 12, 1), f"c{n}")
            for rm in fresh.roadmaps for n, m in enumerate(rm.measures) if n % 5}
    cutoff = date(2026, 6, 15)
    rows = stale.stale_rows(repo.roadmaps, last, as_of, cutoff, "ru")
    assert refs == [] and 0 < len(rows) < sum(len(rm.measures) for rm in fresh.roadmaps)
    assert rows == stale.stale_rows(fresh.roadmaps, last, as_of, cutoff, "ru")
    assert {r["status"] for r in rows} > {"in_progress"}  # (statuses as of the date, not as written)


def test_a_warm_report_builds_only_the_measures_with_items(
    shipped_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report from a filled cache reads its charts, on-time lines and number of deadlines
    from the digests and its indicator cards from the indicators kept apart: it builds the
    measures with overdue or due-soon items alone, and says what the report of the documents
    read from their files says."""
    from roadmap_cli import report_content
    from roadmap_cli.report_markdown import to_markdown

    fresh, repo, built = _fresh_and_warm(shipped_copy, monkeypatch)
    as_of, end = date(2026, 11, 28), date(2027, 1, 31)
    text = to_markdown(report_content.content(repo.roadmaps, repo.agencies, as_of, end, "ru"))
    assert text == to_markdown(report_content.content(fresh.roadmaps, fresh.agencies, as_of, end, "ru"))
    wanted = {(rm.id, item.measure.id) for rm in fresh.roadmaps for item in (
        *schedule.overdue_items(rm, as_of), *schedule.due_soon_items(rm, as_of, end))}
    assert len(built) == len(wanted) < sum(len(rm.measures) for rm in fresh.roadmaps)


@pytest.mark.parametrize("agency", ["kz-mic", "by-minprom", "kz-astana-akimat", "nobody"])
def test_a_warm_request_builds_only_the_agencys_measures_and_keeps_no_document_data(
    shipped_copy: Path, monkeypatch: pytest.MonkeyPatch, agency: str
) -> None:
    """An agency's request rows from a filled cache are those of the documents read from their
    files; only the measures the agency leads or co-executes are built, and the documents'
    data as written (read for the fingerprints) is not kept decoded afterwards."""
    from roadmap_cli import cycle

    fresh, repo, built = _fresh_and_warm(shipped_copy, monkeypatch)
    as_of = date(2026, 11, 28)
    rows = cycle.request_rows(repo.roadmaps, agency, as_of, "ru")
    assert rows == cycle.request_rows(fresh.roadmaps, agency, as_of, "ru")
    theirs = [m for rm in fresh.roadmaps for m in rm.measures
              if agency in m.owners or agency in m.co_executors]
    assert len(built) == len(theirs) and (agency == "nobody") == (not theirs)
    assert all(rm.__dict__["_raw_ref"]._blob is not None for rm in repo.roadmaps)
    # nor the documents' stored measures decoded (a thousand documents': 90 MB)
    assert all(unbuilt_measures(rm)._parts is None for rm in repo.roadmaps)  # type: ignore[union-attr]
    assert [m.raw for rm in repo.roadmaps for m in rm.measures] == [
        m.raw for rm in fresh.roadmaps for m in rm.measures]  # and read whole, it is all there


def test_apply_builds_only_the_measures_it_is_asked_for(
    shipped_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """apply's lookup of (document, measure) from a filled cache gives what a dict of every
    measure of the documents read from their files gives, builds only the measures asked for,
    and reads their data as written without keeping the documents' data decoded."""
    from roadmap_cli.some_measures import MeasuresById

    fresh, repo, built = _fresh_and_warm(shipped_copy, monkeypatch)
    everything = {(rm.id, m.id): (rm, m) for rm in fresh.roadmaps for m in rm.measures}
    asked = list(everything)[::7]
    lookup = MeasuresById(repo.roadmaps)
    for key in asked:
        found = lookup.get(key)
        assert found is not None
        rm, m = found
        assert (rm.id, m.id) == key and m == everything[key][1]
        assert lookup.raw(m) == everything[key][1].raw
    assert sorted(built) == sorted(everything[k][1].index for k in asked)
    assert all(rm.__dict__["_raw_ref"]._blob is not None for rm in repo.roadmaps)
    for missing in [("no-such-document", "1.1"), (asked[0][0], "99.99")]:
        assert lookup.get(missing) is None and everything.get(missing) is None
    decoded = [rm.id for rm in repo.roadmaps if unbuilt_measures(rm)._parts is not None]  # type: ignore[union-attr]
    assert decoded  # the documents asked of, decoded while asked
    lookup.let_go()  # done asking: their decoded stored measures forgotten, the measures given kept
    assert all(unbuilt_measures(rm)._parts is None for rm in repo.roadmaps)  # type: ignore[union-attr]
    assert lookup.get(asked[0]) == everything[asked[0]]  # (asked again, built again)
    lookup_of_built = MeasuresById(fresh.roadmaps)  # documents read from their files
    assert all(lookup_of_built.get(k) == everything[k] for k in asked)


def _watch_built(monkeypatch: pytest.MonkeyPatch) -> list[weakref.ref[Any]]:
    """A weak reference to every measure built from the cache from now on (whether something
    still holds it)."""
    refs: list[weakref.ref[Any]] = []
    real = stored_measures._measure_of

    def watched(*args: Any) -> Any:
        m = real(*args)
        refs.append(weakref.ref(m))
        return m

    monkeypatch.setattr(stored_measures, "_measure_of", watched)
    return refs


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_warm_list_of_measures_keeps_no_measure(
    shipped_copy: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """``export``'s measure list from a filled cache is the list of the documents read from
    their files; each document's measures are built once for it and kept by nobody (a writer
    of a thousand documents holds one document's at a time): read afterwards, the documents
    build them again, equal."""
    from roadmap_cli.measure_list import measure_rows
    from roadmap_cli.model import unbuilt_measures

    fresh, repo, _built = _fresh_and_warm(shipped_copy, monkeypatch)
    as_of = date(2026, 11, 28)
    refs = _watch_built(monkeypatch)
    rows = measure_rows(repo.roadmaps, repo.agencies, as_of, lang)
    assert rows == measure_rows(fresh.roadmaps, fresh.agencies, as_of, lang)
    total = sum(len(rm.measures) for rm in fresh.roadmaps)
    assert len(refs) == total and all(r() is None for r in refs)  # built once each, let go
    assert all(unbuilt_measures(rm) is not None and "measures" not in rm.__dict__
               for rm in repo.roadmaps)
    assert [rm.measures for rm in repo.roadmaps] == [rm.measures for rm in fresh.roadmaps]
    assert len(refs) == 2 * total


def test_the_warm_report_keeps_no_measure_of_a_document_it_wrote(
    shipped_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report from a filled cache is the report of the documents read from their files; the
    measures it builds for a document (those with items or indicators) are let go once the
    writer moves on, the memo of recurring schedules included (it holds them weakly)."""
    from roadmap_cli import report_content
    from roadmap_cli.report_markdown import to_markdown, write_markdown

    fresh, repo, _built = _fresh_and_warm(shipped_copy, monkeypatch)
    as_of, end = date(2026, 11, 28), date(2027, 1, 31)
    refs = _watch_built(monkeypatch)
    parts: list[bytes] = []
    write_markdown(report_content.content_as_read(repo.roadmaps, repo.agencies, as_of, end, "ru"),
                   parts.append)
    expected = to_markdown(report_content.content(fresh.roadmaps, fresh.agencies, as_of, end, "ru"))
    assert b"".join(parts).decode("utf-8") == expected
    assert refs and all(r() is None for r in refs)
    assert tally._RECURRING  # (the memo was used, and keeps none of them)


def test_indicators_are_counted_without_being_built(
    shipped_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``export``'s measure list counts a measure's indicators from the cache's stored form
    without building them (nor any other measure's); the counts are the indicators' numbers."""
    from roadmap_cli.model import indicator_count

    fresh, repo, _built = _fresh_and_warm(shipped_copy, monkeypatch)
    counts = [len(m.indicators) for rm in fresh.roadmaps for m in rm.measures]
    assert any(counts)  # (the shipped documents have indicators)
    warm = [m for rm in repo.roadmaps for m in rm.measures]
    assert [indicator_count(m) for m in warm] == counts
    assert not any("indicators" in m.__dict__ for m in warm)  # none built
    assert [indicator_count(m) for rm in fresh.roadmaps for m in rm.measures] == counts
