"""roadmap show: one document, or one measure, in full."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Mapping, Sequence
from datetime import date
from typing import IO, TYPE_CHECKING, Any

import click

from roadmap_cli import i18n, render
from roadmap_cli.commands import _complete
from roadmap_cli.commands._common import (
    as_of_option,
    format_option,
    lang_option,
    measure_filter_options,
    no_cache_option,
    paths_argument,
    strict_option,
)
from roadmap_cli.commands._reports import status_style, window_end, within_option
from roadmap_cli.i18n import N_, _, ngettext
from roadmap_cli.model import Roadmap, pick
from roadmap_cli.report_signed import after_text, history_text
from roadmap_cli.textsafe import terminal

if TYPE_CHECKING:
    from roadmap_cli.periods import Window

FORMATS = ("table", "json", "csv", "markdown")
#: the columns of `show --format csv`: one row per measure shown
CSV_KEYS = (
    "roadmap", "measure", "title", "owners", "co_executors", "due", "deadline", "status",
    "completed", "done_late", "progress", "weight", "fraction_pct", "expected_pct", "days_overdue",
    "next_deadline", "days_left", "reason",
)

MEASURE_COLUMNS = [
    render.Column("measure", N_("ID"), no_wrap=True),
    render.Column("what", N_("Measure / owners"), min_width=24),
    render.Column("due_text", N_("Due"), min_width=10, max_width=22, drop=2),
    render.Column("state", N_("Status"), min_width=14, max_width=24, style=status_style, drop=1),
    render.Column("fraction_pct", N_("Progress"), justify="right", kind="pct", no_wrap=True,
                  drop=3),
]
MEASURE_MARKDOWN_COLUMNS = [
    render.Column("measure", N_("ID")),
    render.Column("title", N_("Measure")),
    render.Column("owners", N_("Owners"), kind="list"),
    render.Column("due_text", N_("Due")),
    render.Column("state", N_("Status")),
    render.Column("fraction_pct", N_("Progress"), justify="right", kind="pct"),
]
OCCURRENCE_COLUMNS = [
    render.Column("period", N_("Period"), no_wrap=True),
    render.Column("deadline", N_("Deadline"), kind="date", no_wrap=True, drop=3),
    render.Column("reported_text", N_("Reported"), no_wrap=True, drop=2),
    render.Column("overdue_text", N_("Overdue"), no_wrap=True, style=lambda r: _overdue_style(r),
                  drop=1),
]
REPORT_COLUMNS = [
    render.Column("period", N_("Period"), no_wrap=True),
    render.Column("date_text", N_("Date"), no_wrap=True, drop=2),
    render.Column("note", N_("Note"), min_width=20, drop=1),
]
EVIDENCE_COLUMNS = [
    render.Column("date_text", N_("Date"), no_wrap=True, drop=2),
    render.Column("title", N_("Title"), min_width=20),
    render.Column("url", N_("URL"), min_width=12, drop=1),
]
INDICATOR_COLUMNS = [
    render.Column("title", N_("Indicator"), min_width=16),
    render.Column("unit", N_("Unit"), drop=2),
    render.Column("baseline", N_("Baseline"), justify="right", no_wrap=True, drop=3),
    render.Column("target", N_("Target"), justify="right", no_wrap=True, drop=4),
    render.Column("latest", N_("Latest"), justify="right", no_wrap=True, drop=6),
    render.Column("latest_date", N_("As of"), kind="date", no_wrap=True, drop=5),
    render.Column("pct_of_target", N_("Of target"), justify="right", kind="pct", drop=7),
    render.Column("trend", N_("Trend"), no_wrap=True, drop=1),
]


def _overdue_style(row: Mapping[str, Any]) -> str | None:
    return render.STYLES["overdue"] if row.get("overdue") else None


HELP = N_(
    """One document or one measure in full.

    ROADMAP shows the document: parties, period, progress and a line per measure with its
    deadline and state as of the date; --agency, --country and --status keep the measures that
    match (the summary is then theirs). ROADMAP/MEASURE (e.g. astana-minsk-2026-2028/1.2)
    shows one measure: owners, deadline, status, progress, dependencies, and every occurrence,
    report, piece of evidence and indicator. --format json gives the same as plain data;
    --format csv one row per measure shown.
    """
)


@click.command("show", help=_(HELP))
@click.argument("target", metavar="ROADMAP[/MEASURE]", shell_complete=_complete.targets)
@as_of_option
@within_option
@lang_option
@format_option(*FORMATS)
@measure_filter_options
@strict_option
@no_cache_option
@paths_argument
def command(
    target: str,
    as_of: date,
    window: Window,
    lang: str,
    fmt: str,
    agency: str | None,
    country: str | None,
    statuses: tuple[str, ...],
    strict: bool,
    no_cache: bool,
    paths: tuple[str, ...],
) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from dataclasses import replace

    from roadmap_cli import csvout, report, report_detail
    from roadmap_cli.commands._common import (
        check_filters,
        find_measure,
        find_roadmap,
        load_or_refuse,
        split_target,
    )

    roadmap_id, measure_id = split_target(target, measure=False)
    repo = load_or_refuse(paths, (roadmap_id,), strict, use_cache=not no_cache)
    roadmap = find_roadmap(repo, roadmap_id, "ROADMAP[/MEASURE]")
    end = window_end(as_of, window)
    _ids, agency_id = check_filters(repo, (), agency, country)
    filtering = bool(agency_id or country or statuses)
    if filtering and measure_id:
        raise click.UsageError(_("--agency, --country and --status filter the measures of a "
                                 "document; give ROADMAP without /MEASURE"))
    if filtering:
        view = report.select([roadmap], agency=agency_id, country=country, statuses=statuses,
                             as_of=as_of, agencies=repo.agencies)
        roadmap = view[0] if view else replace(roadmap, measures=())
    if measure_id:
        measure = find_measure(roadmap, measure_id)
        detail = report_detail.measure_detail(roadmap, measure, as_of, repo.agencies, lang)
        detail = _with_trends(detail, roadmap, as_of, lang)
        if fmt == "csv":
            click.echo(csvout.to_csv(_csv_rows([detail])), nl=False)
        elif fmt == "json":
            click.echo(render.dumps(detail))
        elif fmt == "markdown":
            click.echo(_measure_markdown(detail, as_of), nl=False)
        else:
            _measure_table(detail, as_of)
        return
    doc = report_detail.roadmap_detail(roadmap, as_of, end, repo.agencies, lang)
    doc = {**doc, "measures": [_with_trends(m, roadmap, as_of, lang) for m in doc["measures"]]}
    if fmt == "csv":
        click.echo(csvout.to_csv(_csv_rows(doc["measures"])), nl=False)
    elif fmt == "json":
        click.echo(render.dumps(doc))
    elif fmt == "markdown":
        click.echo(_roadmap_markdown(doc, as_of, end), nl=False)
    else:
        _roadmap_table(doc, as_of, end)


def _csv_rows(details: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One flat row per measure detail: the :data:`CSV_KEYS` (the due as written: a recurring
    due as its JSON)."""
    return [{k: d.get(k) for k in CSV_KEYS} for d in details]


def _with_trends(
    detail: Mapping[str, Any], roadmap: Roadmap, as_of: date, lang: str
) -> dict[str, Any]:
    """A measure detail whose indicators also carry ``trend`` and ``improving``
    (:mod:`roadmap_cli.indicators`, as ``roadmap indicators`` shows them), and whose due in
    force after an event carries ``after_title``, the event's title (an officer reads
    "6 месяцев после «Вступление в силу Соглашения»", not the event's id)."""
    from roadmap_cli.indicators import indicator_row

    detail = dict(detail)
    due = detail.get("due_in_force", detail["due"])
    event = roadmap.event(str(due.get("after"))) if isinstance(due, Mapping) else None
    if event is not None and event.title:
        detail["after_title"] = pick(event.title, lang)
    measure = roadmap.measure(detail["measure"])
    if measure is None or not measure.indicators:
        return detail
    rows = [indicator_row(roadmap, measure, i, as_of, lang) for i in measure.indicators]
    indicators = [
        {**shown, "trend": row["trend"], "improving": row["improving"]}
        for shown, row in zip(detail["indicators"], rows, strict=True)
    ]
    return {**detail, "indicators": indicators}


def _document_indicators(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every indicator of a document's measures, each with its measure id."""
    return [{"measure": m["measure"], **i} for m in doc["measures"] for i in m["indicators"]]


# --------------------------------------------------------------------------------------------
# Words for values


def _days(n: int) -> str:
    return ngettext("{count} day", "{count} days", n).format(count=i18n.number(n))


def _pct(value: float | None) -> str:
    return i18n.pct(value)


#: the kinds of document, for people
KIND_WORDS = {
    "roadmap": N_("roadmap"),
    "memorandum": N_("memorandum"),
    "action_plan": N_("action plan"),
    "agreement": N_("agreement"),
}


def kind_word(kind: str) -> str:
    word = KIND_WORDS.get(kind)
    return _(word) if word else kind


#: the recurrence of a recurring measure, for people
EVERY_WORDS = {
    "month": N_("every month"),
    "quarter": N_("every quarter"),
    "half": N_("every half-year"),
    "year": N_("every year"),
}


def _due_text(d: Mapping[str, Any]) -> str:
    """The due form in force in words: the deadline of a fixed form, the rule of a recurring
    one, the time after the event or measure of an anchored one."""
    due = d.get("due_in_force", d["due"])
    if isinstance(due, Mapping) and "after" in due:
        text = after_text(due, d.get("after_title"))
        return text + (" ({deadline})".format(deadline=i18n.day(d["deadline"])) if d["deadline"] else "")
    if due == "on_request":
        return _("on request")
    if isinstance(due, Mapping):
        every = str(due.get("every"))
        text = _(EVERY_WORDS[every]) if every in EVERY_WORDS else every
        if due.get("from") is not None:
            text += " " + _("from {date}").format(date=i18n.day(due["from"]))
        if due.get("until") is not None:
            text += " " + _("until {date}").format(date=i18n.day(due["until"]))
        if due.get("grace"):
            text += ", +" + _days(int(due["grace"]))
        return text
    if d["deadline"] is None:
        return _("ongoing")
    if str(due) == d["deadline"]:
        return i18n.day(d["deadline"])
    return "{due} ({deadline})".format(due=due, deadline=i18n.day(d["deadline"]))


def _state_text(d: Mapping[str, Any], soon_until: date | None = None) -> str:
    """The status as of the date, with what matters most about the schedule: overdue, done
    late, or the days left to the next deadline (only up to ``soon_until`` when given)."""
    state = render.status_word(str(d["status"]))
    notes: list[str] = []
    late = d["overdue"]
    if len(late) == 1:
        notes.append(_("overdue {days}").format(days=_days(late[0]["days_overdue"])))
    elif late:
        notes.append(
            ngettext("{count} period overdue, oldest {days}", "{count} periods overdue, oldest {days}",
                     len(late)).format(count=len(late), days=_days(d["days_overdue"]))
        )
    if d["status"] == "done" and d["done_late"]:
        state = _("done late")  # (not "done, done late")
    soon = soon_until is None or (
        d["next_deadline"] is not None and d["next_deadline"] <= soon_until.isoformat()
    )
    if d["days_left"] is not None and not late and soon:
        notes.append(
            _("due today") if d["days_left"] == 0 else _("due in {days}").format(days=_days(d["days_left"]))
        )
    return state + (f", {'; '.join(notes)}" if notes else "")


def _waiting(d: Mapping[str, Any]) -> bool:
    """Waiting for the event or measure its deadline follows (and not done or cancelled)."""
    return bool(d.get("waiting_for")) and d["status"] not in ("done", "cancelled")


def _agencies_text(d: Mapping[str, Any], role: str) -> str:
    parts = []
    for a in d["agencies"]:
        if a["role"] == role:
            country = f", {a['country']}" if a["country"] else ""
            parts.append(f"{a['agency']} ({a['name']}{country})")
    return "; ".join(parts)


def _measure_fields(d: Mapping[str, Any], as_of: date) -> list[tuple[str, str]]:
    """The measure's fields as (label, text), empty ones left out."""
    fields: list[tuple[str, str]] = [
        (_("Status"), _("{state} (as of {date})").format(state=_state_text(d), date=i18n.day(as_of))),
        (_("Owners"), _agencies_text(d, "lead")),
        (_("Co-executors"), _agencies_text(d, "co_executor")),
    ]
    due = _due_text(d)
    if d["due_kind"] == "recurring" and d["next_deadline"]:
        due += "; " + _("next deadline {date} ({period})").format(
            date=i18n.day(d["next_deadline"]), period=d["next_period"]
        )
    elif d["due_kind"] == "recurring" and d["deadline"]:
        due += "; " + _("last deadline {date}").format(date=i18n.day(d["deadline"]))
    if d.get("section"):
        fields.insert(3, (_("Section"), "{id}. {title}".format(id=d["section"], title=d["section_title"])))
    fields.append((_("Due"), due))
    if d.get("waiting_for"):
        fields.append((_("Waiting for"), str(d["waiting_for_title"] or d["waiting_for"])))
    if d.get("deadline_history"):
        fields.append((_("Deadline"), history_text(d["deadline_history"])))
    if d.get("result"):
        fields.append((_("Result"), str(d["result"])))
    if d["status_written"] == "done" and d["status"] != "done":
        fields.append((_("Completed"), _("{date} (after the as-of date)").format(date=i18n.day(d["completed"]))))
    elif d["completed"]:
        fields.append((_("Completed"), i18n.day(d["completed"]) + (" " + _("(late)") if d["done_late"] else "")))
    progress = _("{progress} (expected {expected})").format(
        progress=_pct(d["fraction_pct"]), expected=_pct(d["expected_pct"])
    )
    if d["fraction_pct"] is None:
        progress = {
            "ongoing": _("not counted (ongoing)"),
            "on_request": _("not counted (on request)"),
        }.get(d["due_kind"], _("not counted (cancelled)"))
    if d["weight"] != 1:
        progress += ", " + _("weight {weight}").format(weight=i18n.number(d["weight"]))
    fields.append((_("Progress"), progress))
    if d["reason"]:
        fields.append((_("Reason"), d["reason"]))
    if d["depends_on"]:
        deps = []
        for dep in d["depends_on"]:
            state = render.status_word(dep["status"]) if dep["status"] else _("no such measure")
            deps.append("{measure} ({state})".format(measure=dep["measure"], state=state))
        fields.append((_("Depends on"), ", ".join(deps)))
    if d["needed_by"]:
        fields.append((_("Needed by"), ", ".join(d["needed_by"])))
    if d["notes"]:
        fields.append((_("Notes"), d["notes"]))
    return [(k, v) for k, v in fields if v]


def _measure_sections(d: Mapping[str, Any]) -> list[tuple[str, list[dict[str, Any]], Any]]:
    """(title, rows, columns) for each non-empty section of a measure."""
    sections: list[tuple[str, list[dict[str, Any]], Any]] = []
    if d["occurrences"]:
        rows = [
            {
                **o,
                "reported_text": _("yes, {date}").format(date=i18n.day(o["report_date"]))
                if o["reported"] else _("no"),
                "overdue_text": _("overdue") if o["overdue"] else "",
            }
            for o in d["occurrences"]
        ]
        sections.append((_("Occurrences"), rows, OCCURRENCE_COLUMNS))
    if d["reports"]:
        rows = [{**r, "date_text": _dated(r)} for r in d["reports"]]
        sections.append((_("Reports"), rows, REPORT_COLUMNS))
    if d["evidence"]:
        rows = [{**e, "date_text": _dated(e)} for e in d["evidence"]]
        sections.append((_("Evidence"), rows, EVIDENCE_COLUMNS))
    if d["indicators"]:
        sections.append((_("Indicators"), _indicator_rows(d["indicators"]), INDICATOR_COLUMNS))
    return sections


def _dated(entry: Mapping[str, Any]) -> str:
    if entry.get("date") is None:
        return ""
    return i18n.day(entry["date"]) + (" " + _("(after the as-of date)") if entry.get("future") else "")


def _indicator_rows(indicators: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Indicators for tables: figures in the language's form, the trend in words."""
    from roadmap_cli.commands.indicators import TREND_WORDS

    return [
        {
            **i,
            "baseline": i18n.number(i["baseline"]) if i.get("baseline") is not None else "",
            "target": i18n.number(i["target"]) if i.get("target") is not None else "",
            "latest": i18n.number(i["latest"]) if i.get("latest") is not None else "",
            "trend": _(TREND_WORDS[i["trend"]]) if i.get("trend") in TREND_WORDS else (i.get("trend") or ""),
        }
        for i in indicators
    ]


# --------------------------------------------------------------------------------------------
# Table (terminal) form


def _echo(text: str = "", file: IO[str] | None = None) -> None:
    """A line of the terminal form: data never sends control characters to the terminal."""
    click.echo(terminal(text), file=file)


def _width() -> int:
    """The terminal's width, or (not on a terminal) ``COLUMNS``, else 80."""
    import sys

    if not render.is_terminal(sys.stdout):
        return render.plain_width()
    return shutil.get_terminal_size((80, 24)).columns


def _fill(text: str) -> str:
    """Text wrapped to the width between words (an id is never broken)."""
    return textwrap.fill(text, width=max(_width(), 20), break_on_hyphens=False,
                         break_long_words=False)


def _echo_fields(fields: Sequence[tuple[str, str]], out: IO[str] | None = None) -> None:
    label_width = max((len(k) for k, _value in fields), default=0) + 2
    width = max(_width() - 2, 20)
    for label, value in fields:
        first, rest = "  " + label.ljust(label_width), " " * (label_width + 2)
        if max((len(w) for w in value.split()), default=0) > width - len(rest):
            # a word (a file name, an id) wider than the value's column: under the label
            _echo("  " + label, file=out)
            first = rest = "    "
        text = textwrap.fill(
            value,
            width=width,
            initial_indent=first,
            subsequent_indent=rest,
            break_on_hyphens=False,
            break_long_words=False,
        )
        _echo(text, file=out)


def _measure_table(d: Mapping[str, Any], as_of: date) -> None:
    ref = "{roadmap}/{measure}".format(roadmap=d["roadmap"], measure=d["measure"])
    if len(ref) > _width():  # both ids whole: the measure's on a line of its own
        ref = "{roadmap}/\n{measure}".format(roadmap=d["roadmap"], measure=d["measure"])
    _echo(ref)
    _echo(_fill(d["title"]))
    _echo()
    _echo_fields(_measure_fields(d, as_of))
    for title, rows, columns in _measure_sections(d):
        _echo()
        render.print_table(rows, columns, title=title)


def _roadmap_fields(doc: Mapping[str, Any], end: date) -> list[tuple[str, str]]:
    s = doc["summary"]
    parties = "; ".join(
        f"{p['agency']} ({p['name']}{', ' + p['country'] if p['country'] else ''})"
        for p in doc["parties"]
    )
    signed = i18n.day(doc["signed"]) + (", " + doc["signed_place"] if doc["signed_place"] else "")
    counts = _(
        "{measures} measures: {done} done, {in_progress} in progress, {not_started} not started, "
        "{blocked} blocked, {cancelled} cancelled"
    ).format(**{k: s[k] for k in ("measures", "done", "in_progress", "not_started", "blocked", "cancelled")})
    items = _("{overdue} overdue, {due_soon} due soon (to {end})").format(
        overdue=s["overdue"], due_soon=s["due_soon"], end=i18n.day(end)
    )
    progress = _("{progress} (expected {expected}): {health}").format(
        progress=_pct(s["progress_pct"]), expected=_pct(s["expected_pct"]),
        health=render.health_word(str(s["health"])),
    )
    fields = [
        (_("Parties"), parties),
        (_("Signed"), signed),
        (_("Period"), _("{start} .. {end}").format(
            start=i18n.day(doc["period_start"]), end=i18n.day(doc["period_end"]))),
        (_("File"), doc["file"]),
        (_("Measures"), counts),
        (_("Items"), items),
        (_("Progress"), progress),
        (_("Notes"), doc["notes"] or ""),
    ]
    return [(k, v) for k, v in fields if v]


def _measure_rows(doc: Mapping[str, Any], end: date) -> list[dict[str, Any]]:
    rows = []
    for d in doc["measures"]:
        owners = ", ".join(d["owners"])
        rows.append(
            {
                **d,
                "what": f"{d['title']}\n{owners}",
                "due_text": _due_text(d) + ("; " + _("waiting") if _waiting(d) else ""),
                "state": _state_text(d, end),
            }
        )
    return rows


def _roadmap_table(doc: Mapping[str, Any], as_of: date, end: date) -> None:
    _echo(_fill(_("{roadmap} ({kind}, as of {date})").format(
        roadmap=doc["roadmap"], kind=kind_word(doc["kind"]), date=i18n.day(as_of)
    )))
    _echo(_fill(doc["title"]))
    _echo()
    _echo_fields(_roadmap_fields(doc, end))
    _echo()
    indicators = _document_indicators(doc)
    render.print_table(
        _measure_rows(doc, end),
        MEASURE_COLUMNS,
        empty=_("No measures."),
        footer=None if indicators else _("Show one measure: roadmap show {roadmap}/ID").format(roadmap=doc["roadmap"]),
    )
    if indicators:
        _echo()
        render.print_table(
            _indicator_rows(indicators),  # (figures grouped, the trend in words, as show ID/N)
            [render.Column("measure", N_("ID"), no_wrap=True), *INDICATOR_COLUMNS],
            title=_("Indicators"),
            footer=_("Show one measure: roadmap show {roadmap}/ID").format(roadmap=doc["roadmap"]),
        )


# --------------------------------------------------------------------------------------------
# Markdown form


_md = render.md_escape


def _md_fields(fields: Sequence[tuple[str, str]]) -> list[str]:
    return [f"- **{label}**: {_md(value)}" for label, value in fields]


def _measure_markdown(d: Mapping[str, Any], as_of: date) -> str:
    lines = [f"## {d['roadmap']}/{d['measure']}", "", _md(d["title"]), ""]
    lines += _md_fields(_measure_fields(d, as_of))
    out = "\n".join(lines) + "\n"
    for title, rows, columns in _measure_sections(d):
        out += "\n" + render.to_markdown(rows, columns, title=title)
    return out


def _roadmap_markdown(doc: Mapping[str, Any], as_of: date, end: date) -> str:
    lines = [
        f"## {doc['roadmap']}",
        "",
        _md(doc["title"]),
        "",
        "- **{label}**: {value}".format(label=_("Kind"), value=_md(kind_word(doc["kind"]))),
        "- **{label}**: {value}".format(label=_("As of"), value=i18n.day(as_of)),
    ]
    lines += _md_fields(_roadmap_fields(doc, end))
    out = "\n".join(lines) + "\n\n"
    out += render.to_markdown(
        _measure_rows(doc, end), MEASURE_MARKDOWN_COLUMNS, title=_("Measures"), empty=_("No measures.")
    )
    indicators = _document_indicators(doc)
    if indicators:
        columns = [render.Column("measure", N_("ID")), *INDICATOR_COLUMNS]
        out += "\n" + render.to_markdown(_indicator_rows(indicators), columns, title=_("Indicators"))
    return out
