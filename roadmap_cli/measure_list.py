"""Pure: the flat list of measures (``export --format csv|json|xlsx``), one row each, for
spreadsheets: the contract's keys, each measure's values as ``show`` gives them
(:func:`roadmap_cli.report_detail.measure_facts`), lists of ids as lists, the due as written
as one line of text (:func:`due_text`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from roadmap_cli import schedule
from roadmap_cli.model import Agency, Roadmap, Status, indicator_count, pick


def due_text(raw: Any) -> str:
    """A due as written, on one line: a date or period as it is, a mapping as
    ``{every: quarter, from: 2026-Q1, until: 2028-Q4, grace: 15}``."""
    if isinstance(raw, Mapping):
        return "{" + ", ".join(f"{k}: {v}" for k, v in raw.items()) + "}"
    return str(raw)


#: the keys of :func:`measure_rows`, in column order
MEASURE_KEYS: tuple[str, ...] = (
    "roadmap",
    "measure",
    "title",
    "owners",
    "co_executors",
    "due",
    "due_kind",
    "deadline",
    "next_deadline",
    "status",
    "status_written",
    "progress",
    "weight",
    "completed",
    "done_late",
    "fraction_pct",
    "expected_pct",
    "overdue",
    "days_overdue",
    "reason",
    "depends_on",
    "indicators",
    "roadmap_title",
    "file",
    "section",
    "result",
    "signed_deadline",
    "rescheduled_by",
    "waiting_for",
)


def measure_rows(
    roadmaps: Sequence[Roadmap],
    agencies: Mapping[str, Agency],
    as_of: date,
    lang: str = "en",
    on_step: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """One flat row per measure, in document and file order: the values of
    :func:`iter_measure_cells` by their keys (:data:`MEASURE_KEYS`)."""
    keys = MEASURE_KEYS
    return [dict(zip(keys, cells, strict=True))
            for cells in iter_measure_cells(roadmaps, agencies, as_of, lang, on_step)]


def iter_measure_cells(
    roadmaps: Sequence[Roadmap],
    agencies: Mapping[str, Agency],
    as_of: date,
    lang: str = "en",
    on_step: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[Any, ...]]:
    """One flat row per measure, in document and file order, as its values in the order of
    :data:`MEASURE_KEYS` (a tuple: ``export --format csv`` writes ten thousand of them).

    Built from each measure's :func:`roadmap_cli.report_detail.measure_facts` (the values of
    ``show``'s :func:`~roadmap_cli.report_detail.measure_core` are made from them), with the
    nested parts flattened:
    ``owners``/``co_executors``/``depends_on`` are lists of ids (CSV joins them with ``; ``),
    ``due`` is the due form as written (a recurring mapping as text, e.g.
    ``{every: quarter, from: 2026-Q1, until: 2028-Q4, grace: 15}``), ``overdue`` the number of
    overdue items (occurrences for recurring measures), ``indicators`` the number of indicators.
    ``on_step(done, total)`` is called after each document (a progress display).
    """
    from roadmap_cli import report_signed, tally
    from roadmap_cli.report_detail import measure_facts
    from roadmap_cli.some_measures import passing

    for n, rm in enumerate(roadmaps, 1):
        ms = passing(rm)  # (a document's measures at a time, not a thousand documents')
        # each measure's answers from its row of the document's digest (worked out once a row)
        digest = tally.digest_of(rm)
        ones = list(map(tally.digest_answers(digest, rm, as_of, as_of).__getitem__, digest.order))
        roadmap_title = pick(rm.title, lang)
        rid, file = rm.id, rm.file
        for m, one in zip(ms, ones, strict=True):
            status, in_force, end, overdue, upcoming, single = measure_facts(rm, m, as_of, one)
            deadline = None if end is None else end.isoformat()
            completed = m.completed
            signed = report_signed.measure_signed_keys(m, rm, as_of, deadline)
            yield (
                rid,
                m.id,
                pick(m.title, lang),
                list(m.owners),
                list(m.co_executors),
                due_text(m.due.raw),
                in_force.kind,
                deadline,
                upcoming.deadline.isoformat() if upcoming else None,
                status.value,
                Status(m.status).value,
                m.progress,
                m.weight,
                None if completed is None else completed.isoformat(),
                schedule.completed_late(m, end, as_of),
                single[0],
                single[1],
                len(overdue),
                max([i.days for i in overdue]) if overdue else None,
                m.reason,
                list(m.depends_on),
                indicator_count(m),
                roadmap_title,
                file,
                m.section,
                pick(m.result, lang) if m.result is not None else None,
                signed["signed_deadline"],
                signed["rescheduled_by"],
                report_signed.waiting_keys(m, rm, as_of, lang, in_force)["waiting_for"],
            )
        if on_step is not None:
            on_step(n, len(roadmaps))
