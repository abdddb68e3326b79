"""The report document (HTML and Markdown), the burn-up series it charts, and the terminal chart.

The browser test (tests/test_browser.py) renders the same HTML in Chromium; here the HTML is
checked as text: self-contained, escaped, translated, and carrying report.py's numbers.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from clirun import Ran, invoke
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_cli import burnup, html_report, report, report_content, report_markdown
from roadmap_cli.cli import cli
from roadmap_cli.load import load_paths
from roadmap_cli.model import Agency, Measure, Report, Roadmap, Status
from roadmap_cli.render_chart import chart_lines, print_burnup, resample
from roadmap_cli.schedule import parse_due

D = date.fromisoformat
ROOT = Path(__file__).resolve().parent.parent
ROADMAPS = ROOT / "roadmaps"
ENV = {"COLUMNS": "80", "NO_COLOR": "1", "FORCE_COLOR": None, "TERM": "dumb"}
AS_OF = D("2026-11-22")
WINDOW_END = D("2026-12-22")


@pytest.fixture(scope="module")
def repo() -> Any:
    return load_paths([str(ROADMAPS)])


def _m(mid: str, due: Any, status: Status = Status.NOT_STARTED, **kw: Any) -> Measure:
    return Measure(
        id=mid, title=f"Measure {mid}", owners=("a",), due=parse_due(due), status=status, **kw
    )


def _rm(*measures: Measure, title: Any = "R", rid: str = "r") -> Roadmap:
    return Roadmap(
        id=rid,
        kind="roadmap",
        title=title,
        parties=("a",),
        signed=D("2026-01-01"),
        period_start=D("2026-01-01"),
        period_end=D("2026-12-31"),
        measures=measures,
    )


# --- burn-up series ---------------------------------------------------------------------------


def test_checkpoints() -> None:
    assert burnup.checkpoints(D("2026-01-15"), D("2026-04-10"), D("2026-02-20")) == [
        D("2026-01-15"),
        D("2026-01-31"),
        D("2026-02-20"),
        D("2026-02-28"),
        D("2026-03-31"),
        D("2026-04-10"),
    ]
    # as-of after the end: the chart runs on to it; before the start: it starts there (the
    # report's figures of that date are its first point; the chart was empty)
    assert burnup.checkpoints(D("2026-01-01"), D("2026-02-28"), D("2026-03-05"))[-2:] == [
        D("2026-02-28"),
        D("2026-03-05"),
    ]
    assert burnup.checkpoints(D("2026-01-01"), D("2026-02-28"), D("2025-06-01")) == [
        D("2025-06-01"), D("2026-01-01"), D("2026-01-31"), D("2026-02-28")]


def test_done_counts_from_completed_and_reports_from_their_date() -> None:
    rm = _rm(
        _m("1", "2026-03", Status.DONE, completed=D("2026-02-10")),
        _m(
            "2",
            {"every": "half"},
            Status.IN_PROGRESS,
            reports=(Report("2026-H1", D("2026-07-05")),),
        ),
    )
    points = {p.date: p for p in burnup.series(rm, D("2026-08-15"))}
    assert points[D("2026-01-31")][1:] == (0.0, 0.0)
    assert points[D("2026-02-28")][1:] == (50.0, 0.0)  # done on 10 February, due in March
    assert points[D("2026-03-31")][1:] == (50.0, 50.0)
    assert points[D("2026-06-30")][1:] == (50.0, 75.0)  # H1 due 30 June, reported 5 July
    assert points[D("2026-07-31")][1:] == (75.0, 75.0)
    assert points[D("2026-08-15")][1:] == (75.0, 75.0)
    assert points[D("2026-12-31")] == (D("2026-12-31"), None, 100.0)  # the future: expected only


def test_undated_progress_counts_only_at_the_as_of_point() -> None:
    rm = _rm(_m("1", "2026-12", Status.IN_PROGRESS, progress=40))
    series = burnup.series(rm, D("2026-06-10"))
    assert [p.progress_pct for p in series if p.date < D("2026-06-10")] == [0.0] * 6
    assert next(p for p in series if p.date == D("2026-06-10")).progress_pct == 40.0


def test_last_point_equals_status(repo: Any) -> None:
    for as_of in (D("2026-07-01"), AS_OF, D("2027-05-31")):
        rows = report.status_rows(repo.roadmaps, as_of, as_of)
        for rm, row in zip(repo.roadmaps, rows, strict=True):
            point = next(p for p in burnup.series(rm, as_of) if p.date == as_of)
            assert (point.progress_pct, point.expected_pct) == (
                row["progress_pct"],
                row["expected_pct"],
            )


def test_shipped_series_run_to_the_last_deadline_and_reach_100_expected(repo: Any) -> None:
    for rm in repo.roadmaps:
        series = burnup.series(rm, AS_OF)
        assert series[0].date == min(rm.signed, rm.period_start)
        assert series[-1].date >= rm.period_end
        assert series[-1].expected_pct == 100.0
        assert all(p.progress_pct is None for p in series if p.date > AS_OF)


def test_nothing_counts() -> None:
    rm = _rm(
        _m("1", "ongoing", Status.IN_PROGRESS), _m("2", "2026-05", Status.CANCELLED, reason="x")
    )
    assert {(p.progress_pct, p.expected_pct) for p in burnup.series(rm, D("2026-06-01"))} == {
        (None, None)
    }


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2026-02", "2026-Q2", "2026-08-15", "2026-H2", "2026"]),
            st.sampled_from([Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED]),
            st.integers(0, 300),
        ),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 364),
)
def test_past_points_never_decrease(specs: list[tuple[str, Status, int]], as_of_day: int) -> None:
    """Expected never goes down; replayed progress never goes down before the as-of point."""
    measures = []
    for i, (due, status, day) in enumerate(specs):
        kw: dict[str, Any] = {}
        if status is Status.DONE:
            kw["completed"] = date.fromordinal(D("2026-01-01").toordinal() + day)
        elif status is Status.IN_PROGRESS:
            kw["progress"] = day % 101
        measures.append(_m(str(i), due, status, **kw))
    as_of = date.fromordinal(D("2026-01-01").toordinal() + as_of_day)
    series = burnup.series(_rm(*measures), as_of)
    expected = [p.expected_pct for p in series]
    assert expected == sorted(expected)  # type: ignore[type-var]
    past = [p.progress_pct for p in series if p.date < as_of]
    assert past == sorted(past)  # type: ignore[type-var]


# --- HTML -------------------------------------------------------------------------------------


class _Checker(HTMLParser):
    """Collects tags and checks that every opened non-void element is closed in order."""

    VOID = {"meta", "br", "img", "input", "link", "hr"}  # SVG shapes close themselves: <line/>

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.stack == [], f"unclosed: {checker.stack}"
    return checker


def render(repo: Any, lang: str = "en", roadmaps: Any = None) -> str:
    c = report_content.content(
        roadmaps if roadmaps is not None else repo.roadmaps, repo.agencies, AS_OF, WINDOW_END, lang
    )
    return html_report.to_html(c)


def test_html_is_well_formed_and_self_contained(repo: Any) -> None:
    page = render(repo)
    doc = parse(page)
    assert page.startswith("<!DOCTYPE html>")
    for tag, attrs in doc.tags:
        assert tag not in {"link", "img", "iframe", "object", "embed"}, tag
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
        if tag == "script":
            assert "src" not in attrs
    # the only URL is the SVG namespace, which is a name, not a request
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) == {"http://www.w3.org/2000/svg"}
    assert "@import" not in page and "url(" not in page
    csp = next(a["content"] for t, a in doc.tags if t == "meta" and a.get("http-equiv"))
    assert csp is not None and csp.startswith("default-src 'none'")
    assert "@media print" in page


def test_html_carries_report_numbers(repo: Any) -> None:
    page = render(repo)
    text = " ".join(parse(page).text)
    for row in report.status_rows(repo.roadmaps, AS_OF, WINDOW_END):
        section = page[page.index(f'data-roadmap="{row["roadmap"]}"') :]
        section = section[: section.find("</section>")]
        assert f'data-key="progress_pct"><span class="value">{row["progress_pct"]:.1f}%<' in section
        assert f'data-key="expected_pct"><span class="value">{row["expected_pct"]:.1f}%<' in section
        assert f'data-key="overdue"><span class="value">{row["overdue"]}<' in section
        assert f'data-count="{row["overdue"]}" class="overdue-title"' in section
        rm = next(r for r in repo.roadmaps if r.id == row["roadmap"])
        for item in report.overdue_rows([rm], AS_OF):
            assert f">{item['days_overdue']}</td>" in section
        for agency in report.agency_rows([rm], repo.agencies, AS_OF, WINDOW_END):
            assert f"<code>{agency['agency']}</code>" in section
    assert "Tractors assembled in Kazakhstan, 12 months to date" in text
    assert "18.3%" in text  # tractors toward target
    assert "Target 10,000" in text  # the target line's label


def test_html_charts(repo: Any) -> None:
    page = render(repo)
    assert page.count('class="burnup"') == len(repo.roadmaps)
    assert page.count('class="indicator-chart"') == sum(
        len(m.indicators) for rm in repo.roadmaps for m in rm.measures
    )
    assert page.count('class="target"') == page.count('class="indicator-chart"')
    assert 'class="progress"' in page and 'class="expected"' in page


def test_html_in_russian(repo: Any) -> None:
    page = render(repo, "ru")
    text = " ".join(parse(page).text)
    assert '<html lang="ru">' in page
    for word in (
        "Ход реализации дорожных карт",
        "Просроченные",
        "Показатели",
        "Ведомства",
        "По плану",
    ):
        assert word in text
    assert "Собрано тракторов в Казахстане за 12 месяцев" in text
    assert "18,3\u00a0%" in text  # decimal comma
    assert "Целевое 10\u202f000" in text
    for english in ("Overdue", "Indicators", "Expected", "Progress against"):
        assert english not in text


def test_everything_from_the_data_is_escaped() -> None:
    evil = '<script>alert("x")</script> & "quotes" \'single\''
    rm = _rm(
        _m("1<b>", "2026-03", Status.IN_PROGRESS, progress=10),
        title={"en": evil},
        rid="r",
    )
    rm = replace(rm, measures=(replace(rm.measures[0], title=evil, owners=("<i>ag</i>",)),))
    agencies = {"<i>ag</i>": Agency(id="<i>ag</i>", name=evil, country="KZ", level="national")}
    c = report_content.content([rm], agencies, D("2026-06-01"), D("2026-07-01"))
    page = html_report.to_html(c)
    parse(page)
    assert "<script>alert" not in page
    assert "<b>" not in page and "<i>" not in page
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
        "&quot;quotes&quot; &#x27;single&#x27;" in page
    )
    assert page.count("<script>") == 1  # ours: the rendered marker


def test_empty_report() -> None:
    page = html_report.to_html(report_content.content([], {}, AS_OF, WINDOW_END))
    assert "No documents." in page
    parse(page)


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_has_the_same_content(repo: Any) -> None:
    c = report_content.content(repo.roadmaps, repo.agencies, AS_OF, WINDOW_END)
    md = report_markdown.to_markdown(c)
    assert md.startswith("# Implementation of roadmaps\n")
    for row in c.summary:
        assert f"## {row['title']}" in md
        assert (
            f"**Progress: {row['progress_pct']:.1f}%** · Expected: {row['expected_pct']:.1f}%" in md
        )
    for doc in c.documents:
        assert f"### Overdue ({len(doc.overdue)})" in md
    assert (
        "| 3.2 | Tractors assembled in Kazakhstan, 12 months to date | units "
        "| 4,000 | 10,000 | 5,100 (2026-09-30) | 18.3% | up |" in md
    )
    assert f"| {AS_OF.isoformat()} |" in md  # the burn-up table ends at the as-of date
    assert "<" not in md.replace("<br>", "")  # no HTML


def test_markdown_escapes_pipes() -> None:
    rm = _rm(_m("1", "2026-03", Status.IN_PROGRESS), title="A | B")
    md = report_markdown.to_markdown(report_content.content([rm], {}, D("2026-06-01"), D("2026-07-01")))
    assert "A \\| B" in md


# --- the command ------------------------------------------------------------------------------


def run(*args: str) -> Ran:
    return invoke(*args, env=ENV)


def test_report_command_writes_html(tmp_path: Path, repo: Any) -> None:
    out = tmp_path / "report.html"
    result = run("report", "--as-of", AS_OF.isoformat(), "-o", str(out), str(ROADMAPS))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render(repo)
    again = run("report", "--as-of", AS_OF.isoformat(), str(ROADMAPS)).stdout
    assert again == render(repo)  # stdout without -o; the same bytes on every run


def test_report_on_a_terminal_writes_report_html(
    tmp_path: Path, repo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from roadmap_cli.commands import report as report_command

    monkeypatch.setattr(report_command, "stdout_is_terminal", lambda: True)
    monkeypatch.chdir(tmp_path)
    result = run("report", "--as-of", AS_OF.isoformat(), str(ROADMAPS))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # no HTML on the terminal
    assert result.stderr == (
        "wrote report.html: 3 documents, 68 deadlines; open it in a browser (-o FILE writes elsewhere)\n"
    )
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == render(repo)
    # never replaced: the second run asks for -o
    (tmp_path / "report.html").write_text("mine", encoding="utf-8")
    again = run("report", "--as-of", AS_OF.isoformat(), str(ROADMAPS))
    assert (again.exit_code, again.stdout) == (2, "")
    assert "report.html exists already: give -o FILE" in again.stderr
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "mine"
    # -o - prints, and Markdown is for reading anyway
    assert run("report", "--as-of", AS_OF.isoformat(), "-o", "-", str(ROADMAPS)).stdout == render(repo)
    md = run("report", "--format", "markdown", "--as-of", AS_OF.isoformat(), str(ROADMAPS))
    assert md.exit_code == 0 and md.stdout.startswith("# ")


def test_report_command_markdown_filtered(repo: Any) -> None:
    result = run(
        "report",
        "--format",
        "markdown",
        "--as-of",
        AS_OF.isoformat(),
        "--lang",
        "ru",
        "--roadmap",
        "astana-minsk-2026-2028",
        str(ROADMAPS),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Ход реализации дорожных карт")
    assert result.stdout.count("\n## ") == 2  # summary + one document
    assert "kz-by-industrial" not in result.stdout


# --- the terminal chart -----------------------------------------------------------------------


def test_resample_is_a_step_function() -> None:
    points = [
        burnup.Point(D("2026-01-01"), 0.0, 0.0),
        burnup.Point(D("2026-01-31"), 10.0, 20.0),
        burnup.Point(D("2026-03-02"), None, 50.0),
    ]
    got = resample(points, 7)
    assert [p.date.isoformat() for p in got] == [
        "2026-01-01",
        "2026-01-11",
        "2026-01-21",
        "2026-01-31",
        "2026-02-10",
        "2026-02-20",
        "2026-03-02",
    ]  # 60 days in 6 even steps
    assert got[0] == points[0] and got[-1] == points[-1]
    assert [p.expected_pct for p in got] == [0.0, 0.0, 0.0, 20.0, 20.0, 20.0, 50.0]


def test_terminal_chart_plain_and_within_width(repo: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    rm = next(r for r in repo.roadmaps if r.id == "kz-by-industrial-cooperation-2026-2028")
    row = report.status_rows([rm], AS_OF, WINDOW_END)[0]
    for width in (80, 50, 120):
        out = io.StringIO()
        print_burnup(burnup.series(rm, AS_OF), rm.id, out, width=width)
        text = out.getvalue()
        assert "\x1b[" not in text
        assert max(len(line) for line in text.splitlines()) <= width
        assert f"progress {row['progress_pct']:.1f}%" in text
        assert f"expected {row['expected_pct']:.1f}%" in text
        assert "▲" in text and "100% ┤" in text and "  0% └" in text
        assert "2027" in text


def test_terminal_chart_bars_follow_progress() -> None:
    points = [burnup.Point(D("2026-01-01"), 0.0, 0.0), burnup.Point(D("2026-06-30"), 100.0, 50.0)]
    lines = chart_lines(points, 40)
    grid = ["".join(piece for piece, _ in line)[6:] for line in lines[:10]]
    assert all(row.endswith("█") for row in grid)  # the last column: full bar
    assert all(row[0] == " " for row in grid)  # the first column: nothing yet
    colours = {style for line in lines[:10] for piece, style in line if piece == "█"}
    assert colours == {"green"}  # at or above expected


def test_terminal_chart_shows_the_as_of_point_under_its_mark() -> None:
    """The evenly spaced columns stepped over the as-of date (a column on the 20th, the next
    on the 1st): the bars stopped short of the mark at the earlier figure while the legend
    said the as-of one (found by a review in a terminal). The marked column shows it, and no
    column after it shows progress."""
    # month ends from the signature to past the period's end, as the memorandum's chart has
    ends = [D("2025-11-05")] + [D(f"{y}-{m:02d}-01") - timedelta(days=1)
                                for y in range(2025, 2030) for m in range(1, 13)]
    ends = [d for d in ends if D("2025-11-05") <= d <= D("2029-01-31")]
    as_of = D("2026-11-22")
    points = [burnup.Point(d, 25.0 if d < as_of else None, 30.0) for d in ends]
    points.append(burnup.Point(as_of, 79.0, 36.8))  # the as-of point: undated progress counts
    points.sort(key=lambda p: p.date)
    for width in (40, 80, 120):
        lines = chart_lines(points, width)
        grid = ["".join(piece for piece, _ in line)[6:] for line in lines[:10]]
        mark = "".join(piece for piece, _ in lines[11])[6:].index("▲")
        column = [row[mark] if mark < len(row) else " " for row in grid]
        assert column[:4] == [" ", " ", "▇", "█"]  # 79 %: 70..80 % almost full, 60..70 % full
        assert all(row[mark + 1:].strip(" ╌") == "" for row in grid)  # nothing known after it


def test_terminal_chart_marks_expected_above_a_lagging_bar() -> None:
    points = [burnup.Point(D("2026-01-01"), 10.0, 80.0), burnup.Point(D("2026-01-31"), 10.0, 80.0)]
    lines = chart_lines(points, 40)
    rows = ["".join(piece for piece, _ in line)[6:] for line in lines[:10]]
    assert set(rows[1]) == {"╌"}  # 80..90 %: the expected mark
    assert set(rows[9]) == {"█"}  # 0..10 %: the bar
    assert {s for line in lines[:10] for p, s in line if p == "█"} == {"yellow"}  # behind


def test_status_chart(repo: Any) -> None:
    result = run("status", "--as-of", AS_OF.isoformat(), "--chart", str(ROADMAPS))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    rows = report.status_rows(repo.roadmaps, AS_OF, WINDOW_END)
    # a chart per document, each headed by its id and date span
    positions = [out.index(f"\n{row['roadmap']}  2025-11-05 .. ") for row in rows]
    assert positions == sorted(positions)
    assert out.index("As of 2026-11-22") < positions[0]  # after the table
    for row in rows:
        assert f"progress {row['progress_pct']:.1f}%   ╌ expected {row['expected_pct']:.1f}%" in out


def test_status_chart_is_for_the_terminal_only() -> None:
    result = CliRunner().invoke(cli, ["status", "--chart", "--format", "json", str(ROADMAPS)])
    assert result.exit_code == 2
    assert "--chart draws in the terminal: use it with --format table" in result.output


@pytest.mark.parametrize(("baseline", "target", "values"), [
    (-1.7e308, 1.7e308, [1.0]),
    (0.0, 1.0, [1.7e308, -1.7e308]),
    (1.7e308, 1.7e308, [1.7e308]),
])
def test_an_indicator_chart_of_values_near_the_floats_ends_has_no_nan(
    baseline: float, target: float, values: list[float]
) -> None:
    """Values validate accepts whose padded range overflowed: -1.7e308 - 3.4e307 is -inf, and
    every coordinate was nan (found by an audit)."""
    from roadmap_cli.report_svg import indicator_svg

    series = [(date(2026, 3 + k, 1), v) for k, v in enumerate(values)]
    ind = {"series": series, "span": (date(2026, 1, 1), date(2028, 12, 31)), "baseline": baseline,
           "target": target, "title": "Tractors", "unit": "units"}
    svg = indicator_svg(ind, date(2026, 11, 1), "en")
    coordinates = re.findall(r'\s(?:x1|y1|x2|y2|cx|cy|x|y)="([^"]*)"', svg)
    assert coordinates and all(float(c) == float(c) and abs(float(c)) < 1e6 for c in coordinates)
    assert "nan" not in svg and "inf" not in svg
