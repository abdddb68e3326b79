"""Text from the files reaches other programs escaped for each medium (issue 12): Markdown
(report tables, show, the report command, the `diff` pull-request comment) escapes HTML and
neutralises @mentions, pipes and line breaks; CSV neutralises formula starts; JSON keeps the
text as it is (it is data); no `javascript:` URL becomes a link."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import clirun
from gitrepo import Repo
from test_validate_rules import AGENCIES, VALID

AS_OF = "2026-07-20"
HOSTILE_TITLE = "<img src=x onerror=alert(1)> @everyone | <details> line"
FORMULA_TITLE = "=HYPERLINK(\"http://evil\",\"x\")"


def hostile(text: str) -> str:
    text = text.replace("title: Demo roadmap", "title: \"<img src=x onerror=alert(2)> @channel\"")
    text = text.replace("title: Tractors", "title: \"@channel Tractors | <i>x</i>\"")
    text = text.replace("title: First measure", "title: \"" + HOSTILE_TITLE.replace('"', '\\"') + "\"")
    text = text.replace("title: Third measure", "title: '" + FORMULA_TITLE + "'")
    text = text.replace("{en: Second measure,", "{en: '@SUM(A1:A9)',")
    text = text.replace('{title: Protocol, date: 2026-05-20, url: "https://example.org/p"}',
                        '{title: "@here <b>x</b>", date: 2026-05-20, url: "javascript:alert(1)"}')
    text = text.replace("    progress: 40\n", "    progress: 40\n    notes: \"-1+1 <script>x</script>\"\n")
    return text


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "roadmaps"
    folder.mkdir()
    (folder / "agencies.yaml").write_text(AGENCIES, encoding="utf-8")
    (folder / "demo.yaml").write_text(hostile(VALID), encoding="utf-8")
    check = clirun.run_roadmap(["validate", str(folder)])
    assert check.returncode == 0, check.stdout + check.stderr
    return folder


def _assert_inert_markdown(text: str) -> None:
    assert "<img" not in text and "<details>" not in text and "<script>" not in text and "<b>" not in text
    assert "@everyone" not in text and "@here" not in text
    assert "](javascript:" not in text and "<a " not in text
    header = None
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = len(re.findall(r"(?<!\\)\|", line))
        header = header if header is not None else cells
        assert cells == header, line  # a row keeps its table's cells: no pipe broke out


#: (arguments, as-of, the escaped text that must be there: hostile text is escaped, not dropped)
MARKDOWN_CASES = [
    (["status"], AS_OF, "&lt;img src=x onerror=alert(2)&gt; @\u200bchannel"),
    (["overdue"], "2027-01-01", "&lt;img src=x onerror=alert(1)&gt; @\u200beveryone \\| &lt;details&gt;"),
    (["upcoming", "--within", "1y"], AS_OF, "&lt;img src=x onerror=alert(1)&gt;"),
    (["agencies"], AS_OF, "Ministry of Industry"),
    (["indicators"], AS_OF, "@\u200bchannel Tractors \\| &lt;i&gt;x&lt;/i&gt;"),
    (["show", "demo"], AS_OF, "&lt;img src=x onerror=alert(1)&gt;"),
    (["show", "demo/1"], AS_OF, "-1+1 &lt;script&gt;x&lt;/script&gt;"),
    (["show", "demo/3"], AS_OF, "@\u200bhere &lt;b&gt;x&lt;/b&gt;"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("args", "as_of", "shown"), MARKDOWN_CASES)
def test_markdown_is_inert(repo: Path, args: list[str], as_of: str, shown: str) -> None:
    proc = clirun.run_roadmap([*args, "--as-of", as_of, "--format", "markdown", str(repo)])
    assert proc.returncode == 0, proc.stderr
    _assert_inert_markdown(proc.stdout)
    assert shown in proc.stdout, proc.stdout


def test_report_markdown_and_html_are_inert(repo: Path, tmp_path: Path) -> None:
    # on 2027-01-01 measure 1 (the hostile title) is overdue: it is in the report's lists
    md = clirun.run_roadmap(["report", "--format", "markdown", "--as-of", "2027-01-01", str(repo)])
    assert md.returncode == 0, md.stderr
    _assert_inert_markdown(md.stdout)
    assert "&lt;img src=x" in md.stdout
    out = tmp_path / "r.html"
    html = clirun.run_roadmap(["report", "--as-of", "2027-01-01", "-o", str(out), str(repo)])
    assert html.returncode == 0, html.stderr
    page = out.read_text(encoding="utf-8")
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert 'href="javascript:' not in page


@pytest.mark.slow
@pytest.mark.parametrize("args", [["status"], ["overdue"], ["upcoming", "--within", "1y"],
                                  ["indicators"], ["status", "--excel"], ["overdue", "--excel"]])
def test_csv_neutralises_formulas(repo: Path, args: list[str]) -> None:
    fmt = [] if "--excel" in args else ["--format", "csv"]
    proc = clirun.run_roadmap([*args, *fmt, "--as-of", AS_OF, str(repo)])
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if "--excel" in args else ","))
    if args[0] in ("overdue", "upcoming"):  # measure 2 (overdue, and next due) has "@SUM(..."
        assert "'@SUM(A1:A9)" in {cell for row in rows for cell in row}, rows
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not cell.startswith("-") or re.fullmatch(r"-[0-9.]+", cell), cell


def test_json_keeps_the_text(repo: Path) -> None:
    data = json.loads(clirun.run_roadmap(["overdue", "--as-of", "2027-01-01", "--format", "json",
                                          str(repo)]).stdout)
    assert HOSTILE_TITLE in {r["title"] for r in data}


def test_diff_markdown_comment_is_inert(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "git")
    repo.write("roadmaps/agencies.yaml", AGENCIES)
    repo.write("roadmaps/demo.yaml", VALID)
    repo.commit("base")
    repo.write("roadmaps/demo.yaml", hostile(VALID))
    repo.commit("hostile titles")
    proc = clirun.run_roadmap(["diff", "HEAD~1", "HEAD", "--format", "markdown"], cwd=repo.path("."))
    assert proc.returncode == 0, proc.stderr
    assert "First measure" in proc.stdout or "img" in proc.stdout
    _assert_inert_markdown(proc.stdout)
