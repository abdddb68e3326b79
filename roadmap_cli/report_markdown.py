"""Pure: the report document as Markdown (``roadmap report --format markdown``): the content of
:func:`roadmap_cli.report_content.content` laid out as the HTML report is, with the charts as
tables (the burn-up at quarter ends). Text from the data goes through
:func:`roadmap_cli.render.md_escape`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date

from roadmap_cli import burnup
from roadmap_cli.labels import number, pct, t
from roadmap_cli.render import md_escape, md_row
from roadmap_cli.report_content import (
    AGENCY_COUNTS,
    Content,
    Document,
    day,
    deadline_text,
    health_word,
    kind_word,
    section_head,
    short,
    status_word,
)


def _md(text: object) -> str:
    return md_escape(str(text))


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[object]], right: set[int]) -> str:
    lines = [md_row(headers)]
    lines.append(
        "| " + " | ".join("---:" if i in right else ":---" for i in range(len(headers))) + " |"
    )
    lines += map(md_row, rows)
    return "\n".join(lines)


def _md_burnup(points: Sequence[burnup.Point], as_of: date) -> list[burnup.Point]:
    """Quarter ends up to the as-of date, and the as-of point itself."""
    return [
        p
        for p in points
        if p.date <= as_of and (p.date == as_of or (p.date.month % 3 == 0 and p.date.day >= 28))
    ]


def to_markdown(c: Content) -> str:
    """The report as Markdown: the same sections; the burn-up as a table of quarter ends."""
    return "".join(markdown_parts(c))


def write_markdown(c: Content, write: Callable[[bytes], object]) -> None:
    """:func:`to_markdown` handed to ``write`` as UTF-8, a document at a time (with
    :func:`roadmap_cli.report_content.content_as_read`, one document's content is held at once)."""
    for part in markdown_parts(c):
        write(part.encode("utf-8"))


def markdown_parts(c: Content) -> Iterator[str]:
    """:func:`to_markdown` in pieces: the summary, each document, the end. Reads
    ``c.documents`` once."""
    lang = c.lang
    as_of = day(c.as_of, lang)
    out = [f"# {_md(t('report_title', lang))}", "", f"_{_md(t('as_of', lang))} {as_of}_", ""]
    out += [f"## {_md(t('summary', lang))}", ""]
    out.append(
        _md_table(
            [
                t(k, lang)
                for k in (
                    "document",
                    "measures",
                    "done",
                    "overdue",
                    "due_soon",
                    "progress",
                    "expected",
                    "health",
                )
            ],
            [
                [
                    f"{r['title']} (`{r['roadmap']}`)",
                    r["measures"],
                    r["done"],
                    r["overdue"],
                    r["due_soon"],
                    pct(r["progress_pct"], lang),
                    pct(r["expected_pct"], lang),
                    health_word(r["health"], lang),
                ]
                for r in c.summary
            ],
            {1, 2, 3, 4, 5, 6},
        )
    )
    yield "\n".join(out)
    for doc in c.documents:
        out = []
        rm, row = doc.roadmap, doc.row
        signed = day(rm.signed, lang) + (f", {rm.signed_place}" if rm.signed_place else "")
        out += [
            "",
            f"## {_md(row['title'])}",
            "",
            f"`{rm.id}` · {t('kind', lang)}: {kind_word(rm.kind, lang)} · {t('signed', lang)}: "
            f"{_md(signed)} · {t('period', lang)}: {day(rm.period_start, lang)} – "
            f"{day(rm.period_end, lang)}",
            "",
            f"**{t('progress', lang)}: {pct(row['progress_pct'], lang)}** · "
            f"{t('expected', lang)}: {pct(row['expected_pct'], lang)} · "
            f"{t('overdue', lang)}: {row['overdue']} · {t('due_soon', lang)}: {row['due_soon']} · "
            f"{t('measures', lang)}: {row['measures']} · "
            f"{t('health', lang)}: {health_word(row['health'], lang)}",
            "",
            *_sections_md(doc, lang),
            f"### {t('burnup', lang)}",
            "",
            _md_table(
                [t("date", lang), t("progress", lang), t("expected", lang)],
                [
                    [day(p.date, lang), pct(p.progress_pct, lang), pct(p.expected_pct, lang)]
                    for p in _md_burnup(doc.burnup, c.as_of)
                ],
                {1, 2},
            ),
            "",
            f"_{_md(t('burnup_note', lang, date=as_of))}_",
            "",
            f"### {t('agencies', lang)}",
            "",
            _md_table(
                [t(k, lang) for k in ("agency", "country", *AGENCY_COUNTS, "progress")],
                [
                    [
                        f"{r['name']} (`{r['agency']}`)",
                        r["country"] or "",
                        *(r[k] for k in AGENCY_COUNTS),
                        pct(r["progress_pct"], lang),
                    ]
                    for r in doc.agencies
                ],
                set(range(2, 11)),
            ),
        ]
        for key, items, days_key, empty in (
            ("overdue_list", doc.overdue, "days_overdue", "nothing_overdue"),
            ("upcoming_list_until", doc.upcoming, "days_left", "nothing_upcoming"),
        ):
            heading = t(key, lang, date=day(c.window_end, lang))
            out += ["", f"### {heading} ({len(items)})", ""]
            if not items:
                out.append(f"_{t(empty, lang)}_")
                continue
            out.append(
                _md_table(
                    [
                        t(k, lang)
                        for k in ("measure", "title", "owners", "deadline", days_key, "status")
                    ],
                    [
                        [
                            r["measure"],
                            r["title"],
                            ", ".join(short(a, c.agencies, lang) for a in r["owners"]),
                            deadline_text(r, lang),
                            r[days_key],
                            status_word(r["status"], lang),
                        ]
                        for r in items
                    ],
                    {4},
                )
            )
        out += ["", f"### {t('indicators', lang)} ({len(doc.indicators)})", ""]
        if not doc.indicators:
            out.append(f"_{t('no_indicators', lang)}_")
        else:
            out.append(
                _md_table(
                    [
                        t(k, lang)
                        for k in (
                            "measure",
                            "indicator",
                            "unit",
                            "baseline",
                            "target",
                            "latest",
                            "pct_of_target",
                            "trend",
                        )
                    ],
                    [
                        [
                            i["measure"],
                            i["title"],
                            i["unit"] or "",
                            number(i["baseline"], lang),
                            number(i["target"], lang),
                            (
                                f"{number(i['latest'], lang)} ({i['latest_date']})"
                                if i["latest"] is not None
                                else t("no_actuals", lang)
                            ),
                            pct(i["pct_of_target"], lang),
                            t(i["trend"], lang) if i["trend"] else "–",
                        ]
                        for i in doc.indicators
                    ],
                    {3, 4, 5, 6},
                )
            )
        yield "\n" + "\n".join(out)
    yield "\n" + "\n".join(["", "---", "", f"_{_md(t('generated_note', lang, date=as_of))}_", ""])


def _sections_md(doc: Document, lang: str) -> list[str]:
    out: list[str] = []
    n, m = doc.on_time
    if m:
        out += [f"{_md(t('on_time_signed', lang, n=n, m=m))}", ""]
    if doc.sections:
        out += [
            f"### {t('sections', lang)}",
            "",
            _md_table(
                [t(k, lang) for k in ("section", "measures", "done", "overdue", "progress", "expected", "health")],
                [
                    [
                        section_head(r, lang),
                        r["measures"],
                        r["done"],
                        r["overdue"],
                        pct(r["progress_pct"], lang),
                        pct(r["expected_pct"], lang),
                        health_word(r["health"], lang),
                    ]
                    for r in doc.sections
                ],
                {1, 2, 3, 4, 5},
            ),
            "",
        ]
    return out
