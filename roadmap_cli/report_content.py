"""Pure: what the report document says (``roadmap report``), gathered once for its two forms.

:func:`content` collects everything from the pure row functions of :mod:`roadmap_cli.report`
(status, agencies, overdue, upcoming, sections), :mod:`roadmap_cli.burnup` and
:mod:`roadmap_cli.indicators`; :mod:`roadmap_cli.html_report` (HTML with the SVG charts of
:mod:`roadmap_cli.report_svg`) and :mod:`roadmap_cli.report_markdown` only lay it out. The
words both forms share (a status, a health, a deadline as people write it) are here too. Static
words come from :mod:`roadmap_cli.labels` in the language asked (en, ru; others fall back).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from roadmap_cli import burnup, i18n, indicators, report, report_signed
from roadmap_cli.labels import LABELS, t
from roadmap_cli.model import Agency, Roadmap, pick
from roadmap_cli.some_measures import let_go


@dataclass(frozen=True)
class Document:
    roadmap: Roadmap
    row: Mapping[str, Any]  # report.status_rows row
    burnup: list[burnup.Point]
    agencies: list[dict[str, Any]]
    overdue: list[dict[str, Any]]
    upcoming: list[dict[str, Any]]
    indicators: list[dict[str, Any]]  # indicators.indicator_row + "series" + "span"
    #: report.section_rows of the document; empty when it has no `sections`
    sections: list[dict[str, Any]] = field(default_factory=list)
    #: (N, M) of "done on time against the signed deadlines: N of M"
    on_time: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Content:
    as_of: date
    window_end: date
    lang: str
    #: report.status_rows, one row per document in order (what the table of contents and the
    #: summary show)
    summary: list[dict[str, Any]]
    #: a list (:func:`content`), or made one at a time as a writer reads it
    #: (:func:`content_as_read`): read it once
    documents: Iterable[Document]
    agencies: Mapping[str, Agency]


def content(
    roadmaps: Sequence[Roadmap],
    agencies: Mapping[str, Agency],
    as_of: date,
    window_end: date,
    lang: str = "en",
    on_step: Callable[[int, int], None] | None = None,
) -> Content:
    """Everything the report shows, per document, as of ``as_of``. ``on_step(done, total)`` is
    called after each document (a progress display)."""
    c = content_as_read(roadmaps, agencies, as_of, window_end, lang, on_step)
    return Content(c.as_of, c.window_end, c.lang, c.summary, list(c.documents), c.agencies)


def content_as_read(
    roadmaps: Sequence[Roadmap],
    agencies: Mapping[str, Agency],
    as_of: date,
    window_end: date,
    lang: str = "en",
    on_step: Callable[[int, int], None] | None = None,
    *,
    agency: str | None = None,
    country: str | None = None,
) -> Content:
    """:func:`content` whose documents are gathered one at a time as a writer reads them (a
    writer that writes each as it goes holds one document's content, not all of them).
    ``agency`` / ``country``: each document's table of agencies keeps only those rows, as
    ``roadmap agencies --agency/--country`` does (the measures are narrowed by the caller)."""
    summary = report.status_rows(roadmaps, as_of, window_end, lang)
    documents = _documents(roadmaps, summary, agencies, as_of, window_end, lang, on_step,
                           agency, country)
    return Content(as_of, window_end, lang, summary, documents, agencies)


def _documents(
    roadmaps: Sequence[Roadmap],
    summary: Sequence[Mapping[str, Any]],
    agencies: Mapping[str, Agency],
    as_of: date,
    window_end: date,
    lang: str,
    on_step: Callable[[int, int], None] | None,
    agency: str | None = None,
    country: str | None = None,
) -> Iterator[Document]:
    for n, (rm, row) in enumerate(zip(roadmaps, summary, strict=True), 1):
        span = (burnup.start_date(rm), burnup.end_date(rm))  # once: it reads every deadline
        inds = []
        for m, ind in indicators.measure_indicators(rm):
            inds.append(
                {
                    **indicators.indicator_row(rm, m, ind, as_of, lang),
                    "series": list(indicators.actual_series(ind, as_of)),
                    "span": span,
                }
            )
        yield Document(
            roadmap=rm,
            row=row,
            burnup=burnup.series(
                rm,
                as_of,
                burnup.checkpoints(*span, as_of),
                now=(row["progress_pct"], row["expected_pct"]),
            ),
            agencies=report.agency_rows([rm], agencies, as_of, window_end, lang,
                                        agency=agency, country=country),
            overdue=report.overdue_rows([rm], as_of, lang),
            upcoming=report.upcoming_rows([rm], as_of, window_end, lang),
            indicators=inds,
            sections=(
                report.section_rows([rm], as_of, window_end, lang) if rm.sections else []
            ),
            on_time=report_signed.on_time_of(rm, as_of),
        )
        let_go(rm)
        if on_step is not None:
            on_step(n, len(roadmaps))


# --------------------------------------------------------------------------------------------
# Words both forms share

#: the counts of an agency row, in the order both report forms show them
AGENCY_COUNTS = (
    "lead",
    "co_executor",
    "done",
    "in_progress",
    "not_started",
    "blocked",
    "overdue",
    "due_soon",
)


@functools.lru_cache(maxsize=1024)
def word(key: str, lang: str) -> str:
    """``labels.t(key, lang)`` of a label without placeholders, looked up once per run (a
    report asks for the same few words for every row, indicator and chart)."""
    return t(key, lang)


def short(agency_id: str, agencies: Mapping[str, Agency], lang: str) -> str:
    """An agency's short name when the registry has one, else its id."""
    known = agencies.get(agency_id)
    if known is not None and known.short:
        return pick(known.short, lang) or agency_id
    return agency_id


def status_word(status: str, lang: str) -> str:
    return word(status, lang).lower() if lang != "en" else status.replace("_", " ")


def health_word(health: str, lang: str) -> str:
    if health == "overdue":
        return word("overdue", lang).lower()
    return word(health, lang)


def day(value: object, lang: str) -> str:
    """A date as people of ``lang`` write it (22.11.2026 in Russian)."""
    return i18n.day(value, lang)


def kind_word(kind: str, lang: str) -> str:
    return t("kind_" + kind, lang) if ("kind_" + kind) in LABELS else kind


def deadline_text(row: Mapping[str, Any], lang: str = "en") -> str:
    text = day(row["deadline"], lang)
    if row.get("period"):
        text += f" ({row['period']})"
    if row.get("rescheduled_by") and row.get("signed_deadline") != row.get("deadline"):
        signed = row.get("signed_deadline")
        text += " ({})".format(t("signed_deadline", lang, date=day(signed, lang) if signed else "–"))
    return text


def section_head(r: Mapping[str, Any], lang: str) -> str:
    if r["section"] is None:
        return t("no_section", lang)
    return f"{r['section']}. {r['section_title'] or ''}".strip()
