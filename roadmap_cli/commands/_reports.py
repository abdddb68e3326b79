"""What the report commands (status, overdue, upcoming, agencies, show) share beyond
``_common``: the ``--within`` window option, loading a filtered view, and the display helpers
(column styles, footers) that turn report rows into tables."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

from roadmap_cli import i18n, render
from roadmap_cli.commands import _complete
from roadmap_cli.commands._common import Query, check_filters, load_or_refuse
from roadmap_cli.i18n import N_, _
from roadmap_cli.model import Repository, Roadmap

if TYPE_CHECKING:
    from roadmap_cli.periods import Window

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_WINDOW = "30"


def _window(ctx: click.Context, param: click.Parameter, value: str) -> Window:
    from roadmap_cli.periods import parse_window_or_end

    try:
        return parse_window_or_end(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None


def within_option(f: F) -> F:
    return click.option(
        "--within",
        "window",
        default=DEFAULT_WINDOW,
        callback=_window,
        metavar="WINDOW",
        shell_complete=_complete.windows,
        help=_("The due-soon window after the as-of date, inclusive: days (30, 14d), weeks (2w), "
               "months (3m) or years (1y), or up to a day or the end of a month, quarter or "
               "half-year (2026-12: to 31.12.2026), or to the end of this or the next one "
               "(this-month, next-month, next-quarter, next-half, next-year).  [default: 30 days]"),
    )(f)


def load_view(
    q: Query, repo: Repository | None = None, on_file: Callable[[int, int], None] | None = None
) -> tuple[Repository, list[Roadmap]]:
    """Load (refusing invalid data), check the filter ids, and return the filtered documents.
    With ``repo`` (loaded and refused already), only the filtering. ``on_file``: see
    :func:`roadmap_cli.load.load_sources`."""
    from roadmap_cli import report

    if repo is None:
        repo = load_or_refuse(q.paths, q.roadmap_ids, q.strict, on_file, not q.no_cache)
    roadmap_ids, agency = check_filters(repo, q.roadmap_ids, q.agency, q.country)
    view = report.select(
        repo.roadmaps,
        roadmap_ids=roadmap_ids,
        agency=agency,
        country=q.country,
        statuses=q.statuses,
        as_of=q.as_of,
        agencies=repo.agencies,
    )
    return repo, view


def report_rows(q: Query, compute: Callable[[Repository, list[Roadmap]], Any]) -> Any:
    """What ``compute(repo, view)`` returns for this query (the report's rows): the data loaded
    through the workspace (its cache keeps the model, not answers), refused when invalid, and
    filtered (:func:`load_view`)."""
    return compute(*load_view(q))


def print_report(fmt: str, draw: Callable[[Any], None]) -> None:
    """``draw(out)`` writes the report on standard output."""
    import sys

    draw(sys.stdout)


def window_end(as_of: date, window: Window) -> date:
    from roadmap_cli import schedule

    try:
        end = schedule.window_end(as_of, window)
    except (OverflowError, ValueError):  # past the end of the calendar
        raise click.BadParameter(_("the window ends after the year 9999"), param_hint="--within") from None
    if end < as_of:
        raise click.BadParameter(_("{end} is before the as-of date {as_of}: the window runs from "
                                   "that date forward").format(end=i18n.day(end), as_of=i18n.day(as_of)),
                                 param_hint="--within")
    return end


def as_of_footer(as_of: date, end: date | None = None) -> str:
    if end is None:
        return _("As of {date}.").format(date=i18n.day(as_of))
    return _("As of {date}; due soon = deadline from {date} to {end}.").format(
        date=i18n.day(as_of), end=i18n.day(end)
    )


def summary_columns() -> list[render.Column]:
    """The Markdown columns every summary row shares (documents and agencies): the as-of status
    counts, overdue and due-soon items, progress against expected, and health."""
    return [
        render.Column("done", N_("Done"), justify="right", kind="int"),
        render.Column("in_progress", N_("In progress"), justify="right", kind="int"),
        render.Column("not_started", N_("Not started"), justify="right", kind="int"),
        render.Column("blocked", N_("Blocked"), justify="right", kind="int"),
        render.Column("cancelled", N_("Cancelled"), justify="right", kind="int"),
        render.Column("overdue", N_("Overdue"), justify="right", kind="int"),
        render.Column("due_soon", N_("Due soon"), justify="right", kind="int"),
        render.Column("bar", N_("Progress / plan"), kind="bar"),
        render.Column("health_text", N_("Health")),
    ]


def count_style(state: str) -> Callable[[Mapping[str, Any]], str | None]:
    """Style a count column with ``state``'s style when the count is not zero."""

    def style(row: Mapping[str, Any]) -> str | None:
        return render.STYLES.get(state) if row.get(state) else None

    return style


def health_style(row: Mapping[str, Any]) -> str | None:
    return render.STYLES.get(str(row.get("health")))


def status_style(row: Mapping[str, Any]) -> str | None:
    return render.STYLES.get(str(row.get("status")))


def with_bar(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows for tables and Markdown: ``bar`` = (progress_pct, expected_pct) for a "bar" column,
    ``progress`` = (progress_pct, expected_pct, health) for a "progress" cell, and ``done_of``
    = "done/measures"."""
    return [
        {
            **r,
            "bar": (r.get("progress_pct"), r.get("expected_pct")),
            "progress": (r.get("progress_pct"), r.get("expected_pct"), r.get("health")),
            "health_text": render.health_word(str(r.get("health"))) if r.get("health") else "",
            "done_of": "{done}/{of}".format(done=r.get("done", 0), of=r.get("measures", r.get("lead", 0))),
        }
        for r in rows
    ]


def id_width(rows: Sequence[Mapping[str, Any]], id_key: str, cap: int = 40) -> int:
    """A comfortable width for a name-over-id column: the longest id up to ``cap`` (a longer id
    is still shown whole: render keeps every id whole)."""
    return min(cap, max((len(str(r[id_key])) for r in rows), default=0))


def named(rows: Sequence[Mapping[str, Any]], name_key: str, id_key: str) -> list[dict[str, Any]]:
    """Rows for tables: ``named`` = the name (wrapping) over the id (dim), as one cell."""
    return [{**r, "named": [(str(r.get(name_key) or ""), ""), (str(r[id_key]), "dim")]} for r in rows]


def with_ref(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows for tables: each with ``ref`` = ROADMAP/MEASURE, the measure's repository-wide name."""
    return [{**r, "ref": f"{r['roadmap']}/{r['measure']}"} for r in rows]


def fail(exit_code: int) -> None:
    raise click.exceptions.Exit(exit_code)


def with_item(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows for item tables: ``item`` = ROADMAP/MEASURE (with the occurrence's period, if any)
    over the title; ``state`` = the status in words. What rows share (the day of a deadline in
    words, a status in words, the owners' line) is made once."""
    out = []
    days: dict[Any, str] = {}
    states: dict[str, str] = {}
    owner_lines: dict[tuple[str, ...], str] = {}
    owners_line = _("owners: {owners}")
    for r in rows:
        deadline = r["deadline"]
        day = days.get(deadline)
        if day is None:
            day = days[deadline] = i18n.day(deadline)
        state = states.get(r["status"])
        if state is None:
            state = states[r["status"]] = words(r["status"])
        owners = tuple(r.get("owners") or ())
        owned = owner_lines.get(owners)
        if owned is None:
            owned = owner_lines[owners] = owners_line.format(owners=", ".join(owners))
        moved = _moved(r) if r.get("rescheduled_by") else ""
        out.append(
            {
                **r,
                "item": [
                    (f"{r['roadmap']}/{r['measure']}", "bold"),
                    (str(r["title"]), ""),
                    (owned, "dim"),
                ],
                "when": [
                    (day, ""),
                    (r.get("period") or "", "dim"),
                    (moved, "dim"),
                ],
                "state": state,
                "deadline_text": f"{day} ({moved})" if moved else day,
            }
        )
    return out


def _moved(row: Mapping[str, Any]) -> str:
    """The mark of an item whose deadline an amendment moved: "signed 2026-09-30"."""
    if row.get("rescheduled_by") and row.get("signed_deadline") != row.get("deadline"):
        signed = row.get("signed_deadline")
        return _("signed {when}").format(when=i18n.day(signed) if signed else "–")
    return ""


def words(status: str) -> str:
    """A status as words in the interface language: in_progress -> in progress."""
    return render.status_word(status)


def item_columns(days_key: str, days_header: str, days_state: str) -> list[render.Column]:
    """The columns of an overdue or upcoming table; ``days_key`` names the days column. Where
    they do not fit, columns are left out (and said so under the table) in this order: Status,
    the days (they follow from the deadline), Deadline."""
    return [
        render.Column(
            days_key, days_header, justify="right", kind="int", style=count_style(days_state),
            drop=2,
        ),
        render.Column("item", N_("Measure"), kind="lines", min_width=24),
        render.Column("when", N_("Deadline"), kind="lines", no_wrap=True, drop=3),
        render.Column("state", N_("Status"), min_width=11, style=status_style, drop=1),
    ]


def item_markdown_columns(days_key: str, days_header: str) -> list[render.Column]:
    """The Markdown form of :func:`item_columns`: one column per field."""
    return [
        render.Column(days_key, days_header, justify="right", kind="int"),
        render.Column("roadmap", N_("Document")),
        render.Column("measure", N_("Measure")),
        render.Column("period", N_("Period")),
        render.Column("title", N_("Title")),
        render.Column("owners", N_("Owners"), kind="list"),
        render.Column("deadline_text", N_("Deadline")),
        render.Column("state", N_("Status")),
    ]
