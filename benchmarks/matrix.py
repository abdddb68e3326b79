"""What `make bench` measures: every command, in every cache state, on generated repositories.

The matrix is commands x modes x sizes. This module holds what is measured and nothing that
measures (that is `run.py`), so that its logic can be tested without timing anything
(`tests/test_bench_matrix.py`):

- ``COMMANDS``: each command as a user runs it, with the question it is asked on its k-th run.
  Every run gets a number k that no other run of the benchmark had, and the question is built
  from it: another ``--as-of`` date (and another ``--within`` window where the command takes
  one), another measure for ``show``, ``update`` and ``history``, another pair of revisions and
  language for ``diff``; another id and parties for ``new``, another folder and agencies for
  ``init``, another ``--as-of`` and ``--older-than`` for ``stale``, another agency and date for
  ``request``, another answered workbook (``--on`` its date) for ``apply``, another ``--id`` for
  ``import`` of a Word document made from a generated one. So a warm run never repeats the
  question the cache just answered. ``validate`` has no question to vary; it alternates its
  output format. What a run needs and the matrix does not time (``apply``'s answered workbook,
  ``import``'s .docx) is made by ``Command.prepare`` before it; what a run writes into the
  repository or as a new repository (``new``, ``import``, ``init``) is removed after it, so that
  every other command reads the same files.
- ``MODES``: cold (no cache at all), the first run (empty cache, it fills it), warm with
  unchanged files and a new question, warm after one file was edited (the question the cache
  answered last, asked again after another file of the repository changed each run).
- ``Workspace``: a generated repository made into a git repository of two commits (the second
  edits titles and progress of some measures; dated 2026-06-01 and 2026-08-01, so that ``stale``
  as of the benchmark's dates finds measures unchanged for weeks), which ``diff``, ``history``
  and ``stale`` need; every
  command reads its ``roadmaps/`` folder, whose working tree the "edited" mode changes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FIRST_DAY = date(2026, 9, 1)  # as-of dates run from here, one day further for each run
DAYS = 700  # ... and wrap after this many (the documents run 2026 to 2028)
# the dates that record what has happened (update --on, apply --on, new --signed) must not be
# after the day the matrix runs: they run back from here, one day earlier for each run
LAST_RECORDED_DAY = date(2026, 8, 31)
RECORDED_DAYS = 240  # ... and wrap after this many (back to early January 2026)
WINDOWS = ("30d", "2w", "6w", "3m", "45d", "1y")

COLD, FIRST, WARM_NEW, WARM_EDITED = "cold", "first run", "warm, new question", "warm, 1 file edited"
MODES = (COLD, FIRST, WARM_NEW, WARM_EDITED)
SIZES = {"100x100": (100, 100), "1000x100": (1000, 100)}  # the matrix
SMOKE = {"10x20": (10, 20)}  # `--size 10x20`: does every cell run? (seconds, not a measurement)

_ID = re.compile(r"^id: (\S+)$", re.M)
_MEASURE_ID = re.compile(r'^  - id: "([^"]+)"$', re.M)
_AGENCY_ID = re.compile(r"^  - id: (\S+)$", re.M)
# the English title of a measure (six spaces in: `measures: - title: en:`), plain or quoted, with
# the mark of an earlier benchmark edit if it has one
_MEASURE_TITLE = re.compile(r"^(      en: [^\n]*?)(?: \(rev \d+\))?([\"']?)$", re.M)
_PROGRESS = re.compile(r"^(    progress: )(\d+)$", re.M)


@dataclass
class Workspace:
    """One generated repository as a git checkout: ``root`` holds ``roadmaps/``."""

    name: str
    root: Path
    documents: list[str]  # roadmap ids, in file order
    measures: list[tuple[str, str]]  # (roadmap id, measure id), a few per document
    agencies: list[str]
    edited: list[tuple[str, str]] = field(default_factory=list)  # measures the second commit changed
    edits: int = 0  # how many times the "edited" mode changed a file

    @property
    def folder(self) -> Path:
        return self.root / "roadmaps"

    def document_file(self, roadmap: str) -> Path:
        return self.folder / f"{roadmap}.yaml"

    def out(self, name: str) -> Path:
        return self.root.parent / f"{self.name}-output" / name


def edit_title(text: str, mark: int, count: int = 1) -> str:
    """The file with its first measure's English title marked ``(rev MARK)``: one real edit
    (``count`` 0: every measure's)."""
    edited, n = _MEASURE_TITLE.subn(lambda m: f"{m.group(1)} (rev {mark}){m.group(2)}", text, count=count)
    if n == 0 or (count and n != count):
        raise ValueError("no measure title to edit")
    return edited


def edit_progress(text: str) -> str:
    """The file with every ``progress:`` moved by 5 points, staying within 0..100."""
    return _PROGRESS.sub(lambda m: f"{m.group(1)}{_moved(int(m.group(2)))}", text)


def _moved(progress: int) -> int:
    return progress + 5 if progress <= 90 else progress - 5


def edit_one_file(ws: Workspace) -> Path:
    """Change one document of the working tree, another one (or another mark) each call."""
    ws.edits += 1
    path = ws.document_file(ws.documents[(ws.edits * 7) % len(ws.documents)])
    path.write_text(edit_title(path.read_text(encoding="utf-8"), ws.edits), encoding="utf-8")
    return path


def _git(root: Path, *args: str, when: str = "2026-06-01T10:00:00+05:00") -> None:
    env_args = ["-c", "user.name=roadmap-bench", "-c", "user.email=bench@roadmap-cli.invalid",
                "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"]
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *env_args, *args], cwd=root, env=env, check=True, capture_output=True)


def workspace(name: str, generated: Path, root: Path) -> Workspace:
    """``generated`` (a folder of roadmaps) copied to ``root/roadmaps`` as a git repository of two
    commits; the second edits the titles and progress of every tenth document's measures."""
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(generated, root / "roadmaps")
    (root / ".gitignore").write_text(".roadmap-cache/\n", encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "signed roadmaps")
    documents, measures, edited = [], [], []
    for index, path in enumerate(sorted((root / "roadmaps").glob("*.yaml"))):
        if path.name == "agencies.yaml":
            continue
        text = path.read_text(encoding="utf-8")
        roadmap = _ID.search(text)
        if roadmap is None:
            raise ValueError(f"{path}: no id")
        ids = _MEASURE_ID.findall(text)
        documents.append(roadmap.group(1))
        measures += [(roadmap.group(1), m) for m in ids[:: max(1, len(ids) // 3)]]
        if index % 10 == 1:
            path.write_text(edit_progress(edit_title(text, 0)), encoding="utf-8")
            edited.append((roadmap.group(1), ids[0]))
    _git(root, "commit", "-q", "-a", "-m", "progress of the quarter", when="2026-08-01T10:00:00+05:00")
    agencies = _AGENCY_ID.findall((root / "roadmaps" / "agencies.yaml").read_text(encoding="utf-8"))
    ws = Workspace(name, root, documents, measures, agencies, edited)
    ws.out("").mkdir(exist_ok=True)
    return ws


def as_of(k: int) -> str:
    return (FIRST_DAY + timedelta(days=k % DAYS)).isoformat()


def recorded_on(k: int) -> str:
    """The date run k records something on (``--on``, ``--signed``): a day of the past, so that
    the matrix runs on any later day (a date after today is refused)."""
    return (LAST_RECORDED_DAY - timedelta(days=k % RECORDED_DAYS)).isoformat()


@dataclass(frozen=True)
class Command:
    """A command as a user runs it: ``args(ws, k)`` is its k-th question (after ``roadmap``)."""

    name: str
    args: Callable[[Workspace, int], list[str]]
    # what its floor loads: "folder", "folder twice" (diff), "document twice" (history), "nothing"
    # (init reads no repository: the floor is starting Python and importing yaml)
    floor: str = "folder"
    cwd_root: bool = False  # run in the git checkout (diff, history), else in the checkout of the tool
    output: str | None = None  # the file it writes with -o, instead of standard output
    no_cache_flag: bool = True  # it takes --no-cache (all take ROADMAP_NO_CACHE=1)
    # the file or folder its k-th run writes, where that is not ``output`` (new, init, request, import)
    writes: Callable[[Workspace, int], Path] | None = None
    cleanup: bool = False  # remove what it wrote after each run (it wrote into the repository, or one)
    prepare: Callable[[Workspace, int], None] | None = None  # untimed, before run k: what it reads

    def written(self, ws: Workspace, k: int) -> Path | None:
        """What run k writes (checked to be there and not empty after the run), if a file."""
        if self.writes is not None:
            return self.writes(ws, k)
        return ws.out(self.output) if self.output else None

    def floor_paths(self, ws: Workspace, k: int) -> list[Path]:
        if self.floor == "folder":
            return [ws.folder]
        if self.floor == "nothing":
            return []
        if self.floor == "folder twice":
            return [ws.folder, ws.folder]
        roadmap = history_target(ws, k).split("/")[0]
        return [ws.document_file(roadmap)] * 2


def _report(name: str, *extra: str, window: bool = True) -> Callable[[Workspace, int], list[str]]:
    def args(ws: Workspace, k: int) -> list[str]:
        within = ["--within", WINDOWS[k % len(WINDOWS)]] if window else []
        return [name, *extra, "--as-of", as_of(k), *within, str(ws.folder)]
    return args


def _written(name: str, fmt: str, out: str, window: bool) -> Callable[[Workspace, int], list[str]]:
    def args(ws: Workspace, k: int) -> list[str]:
        return [*_report(name, "--format", fmt, window=window)(ws, k), "-o", str(ws.out(out))]
    return args


def _validate(ws: Workspace, k: int) -> list[str]:
    return ["validate", "--format", ("text", "json", "github")[k % 3], str(ws.folder)]


def _show(ws: Workspace, k: int) -> list[str]:
    roadmap, measure = ws.measures[(k * 13) % len(ws.measures)]
    return ["show", f"{roadmap}/{measure}", "--as-of", as_of(k), str(ws.folder)]


def _update(ws: Workspace, k: int) -> list[str]:
    roadmap, measure = ws.measures[(k * 17) % len(ws.measures)]
    return ["update", f"{roadmap}/{measure}", "--evidence", f"Protocol No. {k}",
            "--on", recorded_on(k), "--dry-run", str(ws.folder)]


def _diff(ws: Workspace, k: int) -> list[str]:
    pairs = (["HEAD~1", "HEAD"], ["HEAD", "HEAD~1"], ["HEAD~1"], ["HEAD"])
    return ["diff", *pairs[k % 4], "--lang", ("en", "ru", "kk", "be")[(k // 4) % 4], "--dir", "roadmaps"]


def history_target(ws: Workspace, k: int) -> str:
    roadmap, measure = (ws.edited or ws.measures)[k % len(ws.edited or ws.measures)]
    return f"{roadmap}/{measure}"


def _history(ws: Workspace, k: int) -> list[str]:
    return ["history", history_target(ws, k), "--lang", ("en", "ru")[k % 2], "--dir", "roadmaps"]


def _parties(ws: Workspace, k: int) -> tuple[str, str]:
    """Two agencies of the registry, one of each country, other ones as k grows."""
    kz = [a for a in ws.agencies if a.startswith("kz-")] or ws.agencies
    by = [a for a in ws.agencies if a.startswith("by-")] or ws.agencies
    return kz[k % len(kz)], by[(k // len(kz)) % len(by)]


def _new_id(k: int) -> str:
    return f"kz-by-bench-new-{k:05d}"


def _new(ws: Workspace, k: int) -> list[str]:
    first, second = _parties(ws, k)
    year = 2026 + k % 3
    return ["new", _new_id(k), str(ws.folder), "--party", f"{first},{second}",
            "--period", f"{year}-{year + 2}", "--signed", recorded_on(k), "--place", "Astana",
            "--title", f"Roadmap of the benchmark, run {k}"]


def _init(ws: Workspace, k: int) -> list[str]:
    return ["init", str(ws.out(f"init-{k:05d}")),
            "--agency", f"kz-bench-{k}", "--name", f"Agency {k} of the Republic of Kazakhstan", "--country", "KZ",
            "--agency", f"by-bench-{k}", "--name", f"Агентство {k} Республики Беларусь", "--country", "BY"]


OLDER_THAN = ("30d", "6w", "60d", "3m", "90d", "12w", "4m")


def _stale(ws: Workspace, k: int) -> list[str]:
    return ["stale", "--as-of", as_of(k), "--older-than", OLDER_THAN[k % len(OLDER_THAN)], "roadmaps"]


def _request_agency(ws: Workspace, k: int) -> str:
    return ws.agencies[(k * 5) % len(ws.agencies)]


def _request_file(ws: Workspace, k: int) -> Path:
    return ws.out("requests") / f"request-{_request_agency(ws, k)}-{as_of(k)}.xlsx"


def _request(ws: Workspace, k: int) -> list[str]:
    return ["request", "--agency", _request_agency(ws, k), "--as-of", as_of(k),
            "-o", str(ws.out("requests")), str(ws.folder)]


def _answers(ws: Workspace, k: int) -> Path:
    return ws.out(f"answers-{k:05d}.xlsx")


def _cli(*args: str) -> None:
    """The tracker in another process, with no cache (preparing must not warm the measured run's)."""
    env = {**os.environ, "ROADMAP_NO_CACHE": "1"}
    done = subprocess.run([sys.executable, "-m", "roadmap_cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"roadmap {' '.join(args)}: exit {done.returncode}\n{done.stderr[-2000:]}")


def prepare_answers(ws: Workspace, k: int) -> None:
    """An agency's answered request workbook for run k of ``apply``: ``roadmap request`` of the
    files as they are now (so that no row conflicts, even after an edit), then every row answered
    as an officer would: an evidence title, and progress 5 points on where it is reported."""
    import openpyxl  # a dependency of the tracker, needed only here

    from roadmap_cli import cycle

    book = _request_file(ws, k)
    book.unlink(missing_ok=True)
    _cli(*_request(ws, k))
    wb = openpyxl.load_workbook(book)
    sheet = wb.worksheets[0]
    col = {cell.value: n for n, cell in enumerate(sheet[cycle.KEY_ROW], start=1)}
    for row in range(cycle.FIRST_ROW, sheet.max_row + 1):
        sheet.cell(row, col["evidence_title"]).value = f"Protocol of the working group No. {k}"
        now = sheet.cell(row, col["progress_now"]).value
        if isinstance(now, int | float) and now < 95:
            sheet.cell(row, col["progress"]).value = int(now) + 5
    wb.save(_answers(ws, k))
    book.unlink()


def _apply(ws: Workspace, k: int) -> list[str]:
    return ["apply", str(_answers(ws, k)), "--dry-run", "--on", recorded_on(k), "--dir", str(ws.folder)]


#: deadlines as signed texts write them (docs/import.md), {y} a year of the documents
_PHRASES = ("IV квартал {y} г.", "II полугодие {y} г.", "до 1 июля {y} г.", "31 декабря {y} г.",
            "июнь {y} г.", "ежегодно, до 15 января", "ежеквартально", "постоянно", "в течение {y} года",
            "по мере необходимости")


def prepare_docx(ws: Workspace, k: int) -> None:
    """Once per workspace: a signed roadmap as a Word table, as long as a document of the
    repository (its measures' count), its agencies named in Russian as agencies.yaml has them."""
    path = ws.out("signed.docx")
    if path.exists():
        return
    import docx  # python-docx, a dependency of the tracker
    import yaml

    registry = yaml.safe_load((ws.folder / "agencies.yaml").read_text(encoding="utf-8"))["agencies"]
    names = [a["name"]["ru"] for a in registry if isinstance(a["name"], dict) and "ru" in a["name"]]
    rows = max(1, len(ws.measures) * 3 // max(1, len(ws.documents)))  # about a document's measures
    d = docx.Document()
    d.add_paragraph("ДОРОЖНАЯ КАРТА")
    d.add_paragraph("по развитию промышленной кооперации на 2026–2028 годы")
    table = d.add_table(rows=1, cols=5)
    header = ["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственные исполнители",
              "Ожидаемый результат"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for n in range(1, rows + 1):
        cells = table.add_row().cells
        cells[0].text = f"{n}."
        cells[1].text = f"Провести совместное мероприятие № {n} по промышленной кооперации"
        cells[2].text = _PHRASES[n % len(_PHRASES)].format(y=2026 + n % 3)
        cells[3].text = f"{names[n % len(names)]}\n{names[(n * 7 + 1) % len(names)]}"
        cells[4].text = "Протокол совещания"
    d.add_paragraph("Совершено в г. Астана 5 ноября 2025 года в двух подлинных экземплярах.")
    d.save(str(path))


def _import_id(k: int) -> str:
    return f"kz-by-bench-import-{k:05d}"


def _import(ws: Workspace, k: int) -> list[str]:
    return ["import", str(ws.out("signed.docx")), "--id", _import_id(k),
            "-o", str(ws.folder / f"{_import_id(k)}.yaml")]


def remove(path: Path) -> None:
    """A file or a folder a run wrote, gone (nothing if there is none)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


COMMANDS: dict[str, Command] = {c.name: c for c in [
    Command("validate", _validate),
    Command("status", _report("status")),
    Command("overdue", _report("overdue", window=False)),
    Command("overdue --format json", _report("overdue", "--format", "json", window=False)),
    Command("upcoming", _report("upcoming")),
    Command("agencies", _report("agencies")),
    Command("show", _show, no_cache_flag=False),
    Command("indicators", _report("indicators", window=False)),
    Command("export ics", _written("export", "ics", "deadlines.ics", window=False), output="deadlines.ics"),
    Command("export csv", _written("export", "csv", "measures.csv", window=False), output="measures.csv"),
    Command("report html", _written("report", "html", "report.html", window=True), output="report.html"),
    Command("report markdown", _written("report", "markdown", "report.md", window=True),
            output="report.md"),
    Command("update --dry-run", _update, no_cache_flag=False),
    Command("diff", _diff, floor="folder twice", cwd_root=True),
    Command("history", _history, floor="document twice", cwd_root=True, no_cache_flag=False),
    Command("stale", _stale, cwd_root=True),
    Command("new", _new, no_cache_flag=False, cleanup=True,
            writes=lambda ws, k: ws.folder / f"{_new_id(k)}.yaml"),
    Command("init", _init, floor="nothing", no_cache_flag=False, cleanup=True,
            writes=lambda ws, k: ws.out(f"init-{k:05d}")),
    Command("request", _request, no_cache_flag=False, writes=_request_file),
    Command("apply", _apply, no_cache_flag=False, prepare=prepare_answers),
    Command("import", _import, no_cache_flag=False, cleanup=True, prepare=prepare_docx,
            writes=lambda ws, k: ws.folder / f"{_import_id(k)}.yaml"),
]}


def select(only: list[str] | None) -> list[Command]:
    """The commands named by ``--only`` (a name, or the first word of names: ``export``)."""
    if not only:
        return list(COMMANDS.values())
    chosen = [c for c in COMMANDS.values()
              if any(c.name == o or c.name.split()[0] == o for o in only)]
    unknown = [o for o in only if not any(c.name == o or c.name.split()[0] == o for c in COMMANDS.values())]
    if unknown:
        raise SystemExit(f"unknown command(s) {', '.join(unknown)}; known: {', '.join(COMMANDS)}")
    return chosen


def argv(command: Command, ws: Workspace, k: int, mode: str) -> list[str]:
    """The arguments of run k of ``command`` in ``mode`` (after ``roadmap``)."""
    args = command.args(ws, k)
    if mode == COLD and command.no_cache_flag:
        args = [args[0], "--no-cache", *args[1:]]
    return args
