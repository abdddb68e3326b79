"""The HTML report in a real headless browser (Chromium from Debian's packages).

Checks that the page loads with no console message at all (errors, CSP violations, uncaught
exceptions: the report logs nothing, so anything logged is a fault), that its inline script ran
(``<html data-rendered="yes">`` in the DOM after load), that the DOM shows report.py's numbers,
that a screenshot has content, and that printing gives one page per document or more.

A canary page with a deliberate script error and a blocked network request proves that the
console capture still works with the installed Chromium (its log format has changed before).

Skipped, with the reason shown by ``pytest -ra``, when no Chromium is installed; ``.ci/run``
installs it so that CI always runs these tests.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from roadmap_cli import report
from roadmap_cli.cli import main
from roadmap_cli.load import load_paths

ROOT = Path(__file__).resolve().parent.parent
ROADMAPS = ROOT / "roadmaps"
AS_OF = date(2026, 11, 22)
WINDOW_END = date(2026, 12, 22)  # the default --within 30 days

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser")) if p), None)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="chromium not installed: the HTML report is not checked in a browser "
        "(apt-get install chromium; .ci/run does this)",
    ),
]


def browse(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on ``page`` with an isolated profile and console logging."""
    assert CHROMIUM is not None
    args = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        *extra,
        page.as_uri(),
    ]
    # its home in the profile too: Chromium keeps crash reports in ~/.config/chromium whatever
    # the --user-data-dir, and the tests write nothing outside their temporary folders
    env = {**os.environ, "LANG": "C.UTF-8", "HOME": str(profile), "XDG_CONFIG_HOME": str(profile),
           "XDG_CACHE_HOME": str(profile)}
    proc = subprocess.run(args, capture_output=True, text=True, timeout=180, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def console_messages(stderr: str) -> list[str]:
    """Console output and uncaught errors from Chromium's log (``...:CONSOLE...] "text"``)."""
    return [
        line
        for line in stderr.splitlines()
        if ":CONSOLE" in line or "Uncaught" in line or "Content Security Policy" in line
    ]


class _Dom(HTMLParser):
    """Reads the numbers out of the dumped DOM: cards per document, list counts, overdue days."""

    def __init__(self) -> None:
        super().__init__()
        self.html_attrs: dict[str, str | None] = {}
        self.cards: dict[str, dict[str, str]] = {}
        self.counts: dict[str, dict[str, int]] = {}
        self.days: dict[str, list[int]] = {}
        self.text: list[str] = []
        self._doc: str | None = None
        self._card: str | None = None
        self._value = False
        self._days_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        cls = a.get("class") or ""
        if tag == "html":
            self.html_attrs = a
        roadmap_id = a.get("data-roadmap")
        if tag == "section" and roadmap_id:
            self._doc = roadmap_id
            self.cards[roadmap_id], self.counts[roadmap_id], self.days[roadmap_id] = {}, {}, []
        if self._doc is None:
            return
        if tag == "div" and a.get("data-key"):
            self._card = a["data-key"]
        if tag == "span" and cls == "value" and self._card:
            self._value = True
        if tag == "h3" and a.get("data-count") is not None:
            self.counts[self._doc][cls] = int(a["data-count"] or 0)
        if tag == "td" and {"days", "overdue-days"} <= set(cls.split()):  # overdue list only
            self._days_cell = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self._value = False
        if tag == "div":
            self._card = None
        if tag == "td":
            self._days_cell = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._doc and self._card and self._value:
            self.cards[self._doc][self._card] = data
        if self._doc and self._days_cell:
            self.days[self._doc].append(int(data))


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    with pytest.raises(SystemExit) as e:
        main(["report", "--as-of", AS_OF.isoformat(), "-o", str(out), str(ROADMAPS)])
    assert e.value.code == 0
    return out


@pytest.fixture(scope="module")
def dom(page: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[_Dom, str]:
    proc = browse(page, tmp_path_factory.mktemp("profile"), "--dump-dom")
    parsed = _Dom()
    parsed.feed(proc.stdout)
    return parsed, proc.stderr


def test_canary_console_errors_are_caught(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; script-src 'unsafe-inline'\"></head><body>"
        '<img src="http://example.invalid/x.png"><script>undefinedFunction();</script>'
        "</body></html>",
        encoding="utf-8",
    )
    messages = console_messages(browse(bad, tmp_path / "profile", "--dump-dom").stderr)
    assert any("undefinedFunction" in m for m in messages), messages
    assert any("example.invalid" in m for m in messages), messages


def test_loads_without_console_messages(dom: tuple[_Dom, str]) -> None:
    parsed, stderr = dom
    assert console_messages(stderr) == []
    assert parsed.html_attrs.get("data-rendered") == "yes"  # the inline script ran


def test_shows_report_numbers(dom: tuple[_Dom, str]) -> None:
    parsed, _ = dom
    repo: Any = load_paths([str(ROADMAPS)])
    rows = report.status_rows(repo.roadmaps, AS_OF, WINDOW_END)
    assert set(parsed.cards) == {r["roadmap"] for r in rows}
    for row in rows:
        rid = row["roadmap"]
        cards = parsed.cards[rid]
        assert cards["progress_pct"] == f"{row['progress_pct']:.1f}%"
        assert cards["expected_pct"] == f"{row['expected_pct']:.1f}%"
        assert cards["overdue"] == str(row["overdue"])
        assert cards["due_soon"] == str(row["due_soon"])
        assert cards["measures"] == str(row["measures"])
        rm = next(r for r in repo.roadmaps if r.id == rid)
        overdue = report.overdue_rows([rm], AS_OF)
        upcoming = report.upcoming_rows([rm], AS_OF, WINDOW_END)
        assert parsed.counts[rid] == {
            "overdue-title": len(overdue),
            "upcoming-title": len(upcoming),
        }
        assert parsed.days[rid] == [r["days_overdue"] for r in overdue]
    text = " ".join(parsed.text)
    assert "Tractors assembled in Kazakhstan, 12 months to date" in text
    assert "18.3%" in text


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_screenshot_has_content(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    proc = browse(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,2000")
    assert console_messages(proc.stderr) == []
    data = shot.read_bytes()
    assert _png_size(data) == (1200, 2000)
    # a blank 1200x2000 page compresses to about 11 kB; text, tables and a chart do not
    assert len(data) > 60_000


def test_prints_each_document_on_its_own_pages(page: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    browse(page, tmp_path / "profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))
    documents = len(load_paths([str(ROADMAPS)]).roadmaps)
    assert pages >= 1 + documents  # the summary, then each document from a new page


def test_russian_report_tables_fit_a_1280_px_screen(tmp_path: Path) -> None:
    """Issue 12: in Russian (longer headers) no table is wider than the page's column at a
    1280-px window, and the labels read right: the done count and the progress figure apart,
    the kind translated, dates in Russian form."""
    out = tmp_path / "ru.html"
    with pytest.raises(SystemExit) as done:
        main(["report", "--lang", "ru", "--as-of", AS_OF.isoformat(), "-o", str(out), str(ROADMAPS)])
    assert done.value.code == 0
    html = out.read_text(encoding="utf-8")
    assert "Ход выполнения" in html and ">Выполнено<" in html
    assert "меморандум" in html and ">memorandum<" not in html
    assert "22.11.2026" in html
    measure = (
        '<script>document.body.setAttribute("data-w", [...document.querySelectorAll("table")]'
        '.map(t => t.scrollWidth <= t.parentElement.clientWidth ? "ok" : "over:" + t.className)'
        '.join(" "));</script></body>'
    )
    probe = tmp_path / "probe.html"
    probe.write_text(html.replace("</body>", measure), encoding="utf-8")
    proc = browse(probe, tmp_path / "profile", "--window-size=1280,900", "--dump-dom")
    found = re.search(r'data-w="([^"]*)"', proc.stdout)
    assert found, proc.stdout[-500:]
    assert found.group(1) and set(found.group(1).split()) == {"ok"}, found.group(1)
