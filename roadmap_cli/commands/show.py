"""roadmap show: one document, or one measure, in full."""

from __future__ import annotations

import difflib
import shutil
import textwrap
from collections.abc import Mapping, Sequence
from datetime import date
from typing import IO, Any

import click
from dateutil.relativedelta import relativedelta

from roadmap_cli import render
from roadmap_cli.commands._common import as_of_option, format_option, lang_option, paths_argument
from roadmap_cli.commands._reports import status_style, window_end, within_option
from roadmap_cli.model import Repository, Roadmap
from roadmap_cli.report_signed import history_text

FORMATS = ("table", "json", "markdown")

MEASURE_COLUMNS = [
    render.Column("measure", "ID", no_wrap=True),
    render.Column("what", "Measure / owners", min_width=24),
    render.Column("due_text", "Due", min_width=10, max_width=22),
    render.Column("state", "Status", min_width=11, max_width=24, style=status_style),
    render.Column("fraction_pct", "Progress", justify="right", kind="pct", no_wrap=True),
]
MEASURE_MARKDOWN_COLUMNS = [
    render.Column("measure", "ID"),
    render.Column("title", "Measure"),
    render.Column("owners", "Owners", kind="list"),
    render.Column("due_text", "Due"),
    render.Column("state", "Status"),
    render.Column("fraction_pct", "Progress", justify="right", kind="pct"),
]
OCCURRENCE_COLUMNS = [
    render.Column("period", "Period", no_wrap=True),
    render.Column("deadline", "Deadline", no_wrap=True),
    render.Column("reported_text", "Reported", no_wrap=True),
    render.Column("overdue_text", "Overdue", no_wrap=True, style=lambda r: _overdue_style(r)),
]
REPORT_COLUMNS = [
    render.Column("period", "Period", no_wrap=True),
    render.Column("date_text", "Date", no_wrap=True),
    render.Column("note", "Note", min_width=20),
]
EVIDENCE_COLUMNS = [
    render.Column("date_text", "Date", no_wrap=True),
    render.Column("title", "Title", min_width=20),
    render.Column("url", "URL", min_width=12),
]
INDICATOR_COLUMNS = [
    render.Column("title", "Indicator", min_width=16),
    render.Column("unit", "Unit"),
    render.Column("baseline", "Baseline", justify="right"),
    render.Column("target", "Target", justify="right"),
    render.Column("latest", "Latest", justify="right"),
    render.Column("latest_date", "As of", no_wrap=True),
    render.Column("pct_of_target", "Of target", justify="right", kind="pct"),
    render.Column("trend", "Trend", no_wrap=True),
]


def _overdue_style(row: Mapping[str, Any]) -> str | None:
    return render.STYLES["overdue"] if row.get("overdue") else None


@click.command("show")
@click.argument("target", metavar="ROADMAP[/MEASURE]")
@as_of_option
@within_option
@lang_option
@format_option(*FORMATS)
@paths_argument
def command(
    target: str,
    as_of: date,
    window: relativedelta,
    lang: str,
    fmt: str,
    paths: tuple[str, ...],
) -> None:
    """One document or one measure in full.

    ROADMAP shows the document: parties, period, progress and a line per measure with its
    deadline and state as of the date. ROADMAP/MEASURE (e.g. astana-minsk-2026-2028/1.2)
    shows one measure: owners, deadline, status, progress, dependencies, and every occurrence,
    report, piece of evidence and indicator. --format json gives the same as plain data.
    """
    from roadmap_cli import report
    from roadmap_cli.commands._common import load_or_refuse

    repo = load_or_refuse(paths)
    roadmap_id, _, measure_id = target.partition("/")
    roadmap = _find_roadmap(repo, roadmap_id)
    end = window_end(as_of, window)
    if measure_id:
        measure = roadmap.measure(measure_id)
        if measure is None:
            ids = [m.id for m in roadmap.measures]
            raise click.BadParameter(
                f"{roadmap_id} has no measure {measure_id!r}{_near(measure_id, ids)} "
                f"(its measures: {', '.join(ids) or 'none'})",
                param_hint="ROADMAP/MEASURE",
            )
        detail = report.measure_detail(roadmap, measure, as_of, repo.agencies, lang)
        detail = _with_trends(detail, roadmap, as_of, lang)
        if fmt == "json":
            click.echo(render.dumps(detail))
        elif fmt == "markdown":
            click.echo(_measure_markdown(detail, as_of), nl=False)
        else:
            _measure_table(detail, as_of)
        return
    doc = report.roadmap_detail(roadmap, as_of, end, repo.agencies, lang)
    doc = {**doc, "measures": [_with_trends(m, roadmap, as_of, lang) for m in doc["measures"]]}
    if fmt == "json":
        click.echo(render.dumps(doc))
    elif fmt == "markdown":
        click.echo(_roadmap_markdown(doc, as_of, end), nl=False)
    else:
        _roadmap_table(doc, as_of, end)


def _with_trends(
    detail: Mapping[str, Any], roadmap: Roadmap, as_of: date, lang: str
) -> dict[str, Any]:
    """A measure detail whose indicators also carry ``trend`` and ``improving``
    (:mod:`roadmap_cli.indicators`, as ``roadmap indicators`` shows them)."""
    from roadmap_cli.indicators import indicator_row

    measure = roadmap.measure(detail["measure"])
    if measure is None or not measure.indicators:
        return dict(detail)
    rows = [indicator_row(roadmap, measure, i, as_of, lang) for i in measure.indicators]
    indicators = [
        {**shown, "trend": row["trend"], "improving": row["improving"]}
        for shown, row in zip(detail["indicators"], rows, strict=True)
    ]
    return {**detail, "indicators": indicators}


def _document_indicators(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every indicator of a document's measures, each with its measure id."""
    return [{"measure": m["measure"], **i} for m in doc["measures"] for i in m["indicators"]]


def _near(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _find_roadmap(repo: Repository, roadmap_id: str) -> Roadmap:
    for rm in repo.roadmaps:
        if rm.id == roadmap_id:
            return rm
    ids = sorted(rm.id for rm in repo.roadmaps)
    raise click.BadParameter(
        f"no document with id {roadmap_id!r}{_near(roadmap_id, ids)} "
        f"(known: {', '.join(ids) or 'none'})",
        param_hint="ROADMAP[/MEASURE]",
    )


# --------------------------------------------------------------------------------------------
# Words for values


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def _due_text(d: Mapping[str, Any]) -> str:
    """The due form in force in words: the deadline of a fixed form, the rule of a recurring
    one, the time after the event or measure of an anchored one."""
    due = d.get("due_in_force", d["due"])
    if isinstance(due, Mapping) and "after" in due:
        text = "{within} after {after}".format(within=due.get("within"), after=due.get("after"))
        return text + (" ({deadline})".format(deadline=d["deadline"]) if d["deadline"] else "")
    if due == "on_request":
        return "on request"
    if isinstance(due, Mapping):
        text = f"every {due.get('every')}"
        if due.get("from") is not None:
            text += f" from {due['from']}"
        if due.get("until") is not None:
            text += f" until {due['until']}"
        if due.get("grace"):
            text += f", +{_days(int(due['grace']))}"
        return text
    if d["deadline"] is None:
        return "ongoing"
    if str(due) == d["deadline"]:
        return str(d["deadline"])
    return f"{due} ({d['deadline']})"


def _state_text(d: Mapping[str, Any], soon_until: date | None = None) -> str:
    """The status as of the date, with what matters most about the schedule: overdue, done
    late, or the days left to the next deadline (only up to ``soon_until`` when given)."""
    state = str(d["status"]).replace("_", " ")
    notes: list[str] = []
    late = d["overdue"]
    if len(late) == 1:
        notes.append(f"overdue {_days(late[0]['days_overdue'])}")
    elif late:
        notes.append(f"{len(late)} periods overdue, oldest {_days(d['days_overdue'])}")
    if d["status"] == "done" and d["done_late"]:
        notes.append("done late")

    soon = soon_until is None or (
        d["next_deadline"] is not None and d["next_deadline"] <= soon_until.isoformat()
    )
    if d["days_left"] is not None and not late and soon:
        notes.append("due today" if d["days_left"] == 0 else f"due in {_days(d['days_left'])}")
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
        ("Status", f"{_state_text(d)} (as of {as_of.isoformat()})"),
        ("Owners", _agencies_text(d, "lead")),
        ("Co-executors", _agencies_text(d, "co_executor")),
    ]
    due = _due_text(d)
    if d["due_kind"] == "recurring" and d["next_deadline"]:
        due += f"; next deadline {d['next_deadline']} ({d['next_period']})"
    elif d["due_kind"] == "recurring" and d["deadline"]:
        due += f"; last deadline {d['deadline']}"
    if d.get("section"):
        fields.insert(3, ("Section", "{id}. {title}".format(id=d["section"], title=d["section_title"])))
    fields.append(("Due", due))
    if d.get("waiting_for"):
        fields.append(("Waiting for", str(d["waiting_for_title"] or d["waiting_for"])))
    if d.get("deadline_history"):
        fields.append(("Deadline", history_text(d["deadline_history"])))
    if d.get("result"):
        fields.append(("Result", str(d["result"])))
    if d["status_written"] == "done" and d["status"] != "done":
        fields.append(("Completed", f"{d['completed']} (after the as-of date)"))
    elif d["completed"]:
        fields.append(("Completed", d["completed"] + (" (late)" if d["done_late"] else "")))
    progress = f"{_pct(d['fraction_pct'])} (expected {_pct(d['expected_pct'])})"
    if d["fraction_pct"] is None:
        reason = {"ongoing": "ongoing", "on_request": "on request"}.get(d["due_kind"], "cancelled")
        progress = "not counted (" + reason + ")"
    if d["weight"] != 1:
        progress += f", weight {d['weight']:g}"
    fields.append(("Progress", progress))
    if d["reason"]:
        fields.append(("Reason", d["reason"]))
    if d["depends_on"]:
        deps = []
        for dep in d["depends_on"]:
            state = dep["status"].replace("_", " ") if dep["status"] else "no such measure"
            deps.append(f"{dep['measure']} ({state})")
        fields.append(("Depends on", ", ".join(deps)))
    if d["needed_by"]:
        fields.append(("Needed by", ", ".join(d["needed_by"])))
    if d["notes"]:
        fields.append(("Notes", d["notes"]))
    return [(k, v) for k, v in fields if v]


def _measure_sections(d: Mapping[str, Any]) -> list[tuple[str, list[dict[str, Any]], Any]]:
    """(title, rows, columns) for each non-empty section of a measure."""
    sections: list[tuple[str, list[dict[str, Any]], Any]] = []
    if d["occurrences"]:
        rows = [
            {
                **o,
                "reported_text": f"yes, {o['report_date']}" if o["reported"] else "no",
                "overdue_text": "overdue" if o["overdue"] else "",
            }
            for o in d["occurrences"]
        ]
        sections.append(("Occurrences", rows, OCCURRENCE_COLUMNS))
    if d["reports"]:
        rows = [{**r, "date_text": _dated(r)} for r in d["reports"]]
        sections.append(("Reports", rows, REPORT_COLUMNS))
    if d["evidence"]:
        rows = [{**e, "date_text": _dated(e)} for e in d["evidence"]]
        sections.append(("Evidence", rows, EVIDENCE_COLUMNS))
    if d["indicators"]:
        sections.append(("Indicators", list(d["indicators"]), INDICATOR_COLUMNS))
    return sections


def _dated(entry: Mapping[str, Any]) -> str:
    if entry.get("date") is None:
        return ""
    return str(entry["date"]) + (" (after the as-of date)" if entry.get("future") else "")


# --------------------------------------------------------------------------------------------
# Table (terminal) form


def _width() -> int:
    return shutil.get_terminal_size((80, 24)).columns


def _echo_fields(fields: Sequence[tuple[str, str]], out: IO[str] | None = None) -> None:
    label_width = max((len(k) for k, _ in fields), default=0) + 2
    width = max(_width() - 2, 40)
    for label, value in fields:
        text = textwrap.fill(
            value,
            width=width,
            initial_indent="  " + label.ljust(label_width),
            subsequent_indent=" " * (label_width + 2),
            break_on_hyphens=False,
            break_long_words=False,
        )
        click.echo(text, file=out)


def _measure_table(d: Mapping[str, Any], as_of: date) -> None:
    click.echo(f"{d['roadmap']}/{d['measure']}")
    click.echo(textwrap.fill(d["title"], width=max(_width(), 40)))
    click.echo()
    _echo_fields(_measure_fields(d, as_of))
    for title, rows, columns in _measure_sections(d):
        click.echo()
        render.print_table(rows, columns, title=title)


def _roadmap_fields(doc: Mapping[str, Any], end: date) -> list[tuple[str, str]]:
    s = doc["summary"]
    parties = "; ".join(
        f"{p['agency']} ({p['name']}{', ' + p['country'] if p['country'] else ''})"
        for p in doc["parties"]
    )
    signed = doc["signed"] + (f", {doc['signed_place']}" if doc["signed_place"] else "")
    counts = (
        f"{s['measures']} measures: {s['done']} done, {s['in_progress']} in progress, "
        f"{s['not_started']} not started, {s['blocked']} blocked, {s['cancelled']} cancelled"
    )
    items = f"{s['overdue']} overdue, {s['due_soon']} due soon (to {end.isoformat()})"
    progress = f"{_pct(s['progress_pct'])} (expected {_pct(s['expected_pct'])}): {s['health']}"
    fields = [
        ("Parties", parties),
        ("Signed", signed),
        ("Period", f"{doc['period_start']} .. {doc['period_end']}"),
        ("File", doc["file"]),
        ("Measures", counts),
        ("Items", items),
        ("Progress", progress),
        ("Notes", doc["notes"] or ""),
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
                "due_text": _due_text(d) + ("; waiting" if _waiting(d) else ""),
                "state": _state_text(d, end),
            }
        )
    return rows


def _roadmap_table(doc: Mapping[str, Any], as_of: date, end: date) -> None:
    click.echo(f"{doc['roadmap']} ({doc['kind']}, as of {as_of.isoformat()})")
    click.echo(textwrap.fill(doc["title"], width=max(_width(), 40)))
    click.echo()
    _echo_fields(_roadmap_fields(doc, end))
    click.echo()
    indicators = _document_indicators(doc)
    render.print_table(
        _measure_rows(doc, end),
        MEASURE_COLUMNS,
        empty="No measures.",
        footer=None if indicators else f"Show one measure: roadmap show {doc['roadmap']}/ID",
    )
    if indicators:
        click.echo()
        render.print_table(
            indicators,
            [render.Column("measure", "ID", no_wrap=True), *INDICATOR_COLUMNS],
            title="Indicators",
            footer=f"Show one measure: roadmap show {doc['roadmap']}/ID",
        )


# --------------------------------------------------------------------------------------------
# Markdown form


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


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
        f"- **Kind**: {doc['kind']}",
        f"- **As of**: {as_of.isoformat()}",
    ]
    lines += _md_fields(_roadmap_fields(doc, end))
    out = "\n".join(lines) + "\n\n"
    out += render.to_markdown(
        _measure_rows(doc, end), MEASURE_MARKDOWN_COLUMNS, title="Measures", empty="No measures."
    )
    indicators = _document_indicators(doc)
    if indicators:
        columns = [render.Column("measure", "ID"), *INDICATOR_COLUMNS]
        out += "\n" + render.to_markdown(indicators, columns, title="Indicators")
    return out
