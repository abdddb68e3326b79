"""The cache changes no answer of any command: every command of the benchmark matrix
(``benchmarks/matrix.py``: every command of the CLI, as a user runs it) prints the same bytes,
exits the same and writes the same file with the cache as without it, for new questions (other
dates, measures, revisions, agencies, windows), after one file of the repository was edited,
in English and in Russian, at 60, 80 and 120 columns.

Each run is the installed tracker in its own process (``python -m roadmap_cli``), as an officer
starts it: nothing one run keeps in memory can answer the next. The cached runs share one cache
folder, so that after the first one every run is warm, as in the matrix's "warm, new question"
and "warm, 1 file edited" modes; their twins run with ``ROADMAP_NO_CACHE=1``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402
import matrix  # noqa: E402
from clirun import run_roadmap  # noqa: E402
from matrix import COLD, WARM_NEW  # noqa: E402

#: run k of a command: its interface language and terminal width (the question is the matrix's)
LANGS = ("ru", "en")
WIDTHS = (80, 60, 120)


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> matrix.Workspace:
    base = tmp_path_factory.mktemp("every-command")
    generated = generate.generate(base / "generated", docs=8, measures=12, seed=3)
    return matrix.workspace("8x12", generated, base / "work")


def _written(path: Path | None) -> object:
    """What a run wrote: a file's bytes (a workbook's parts but the time it was saved: its zip
    and its properties say the second it was written), a folder's files and their bytes, or
    nothing."""
    if path is None or not path.exists():
        return None
    if path.is_dir():
        return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return {name: _SAVED.sub(b"", book.read(name)) for name in book.namelist()}
    return path.read_bytes()


#: the time a workbook was saved (openpyxl writes it into the document's properties)
_SAVED = re.compile(rb"<dcterms:modified [^>]*>[^<]*</dcterms:modified>")


def _run(ws: matrix.Workspace, command: matrix.Command, k: int, cache: Path | None) -> tuple[object, ...]:
    """Run k of ``command`` with the cache folder ``cache`` (None: without the cache, as the
    matrix's cold mode runs it): its exit code, outputs and what it wrote, which is then removed
    (its twin writes it again)."""
    mode = COLD if cache is None else WARM_NEW
    env = {"ROADMAP_LANG": LANGS[k % len(LANGS)], "ROADMAP_NO_CACHE": "1" if cache is None else "0"}
    if cache is not None:
        env["ROADMAP_CACHE_DIR"] = str(cache)
    args = matrix.argv(command, ws, k, mode)
    done: subprocess.CompletedProcess[str] = run_roadmap(
        args, cwd=ws.root if command.cwd_root else ROOT, columns=WIDTHS[k % len(WIDTHS)], env=env)
    output = command.written(ws, k)
    wrote = _written(output)
    if output is not None:
        matrix.remove(output)
    return done.returncode, done.stdout, done.stderr, wrote


def _edit_a_document(ws: matrix.Workspace) -> Path:
    """One document of the working tree edited as an agency's news edits it: every measure's
    English title marked, every progress moved by 5 points (another document each call)."""
    ws.edits += 1
    path = ws.document_file(ws.documents[(ws.edits * 7) % len(ws.documents)])
    text = path.read_text(encoding="utf-8")
    path.write_text(matrix.edit_progress(matrix.edit_title(text, ws.edits, count=0)), encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("name", list(matrix.COMMANDS))
def test_every_command_answers_the_same_with_the_cache_as_without(
    ws: matrix.Workspace, tmp_path: Path, name: str
) -> None:
    command = matrix.COMMANDS[name]
    cache = tmp_path / "cache"
    first = 100 * list(matrix.COMMANDS).index(name)  # questions no other command's test asked
    answers = []
    for k in range(first, first + 3):  # the first run fills the cache; the others are warm
        if command.prepare is not None:
            command.prepare(ws, k)
        without, cached = _run(ws, command, k, None), _run(ws, command, k, cache)
        answers.append(without)
        assert cached == without, f"{name}, run {k} (the arguments: {matrix.argv(command, ws, k, WARM_NEW)})"
    # (init reads no repository; history reads the document named by its id as typed, and
    # needs the cache only for an id typed otherwise: test_revisions.py)
    if command.floor not in ("nothing", "document twice"):
        assert cache.is_dir() and any(cache.rglob("*.bin")), f"{name} kept nothing in the cache"
    assert all(code == 0 for code, *_ in answers), [a[2] for a in answers]
    # other questions, other answers: a stale answer from the cache would show
    assert len({repr(a[1:]) for a in answers}) > 1, f"{name}: one answer to every question"
    # one document of the repository edited: the cache must not answer from its old bytes
    k = first + 3
    edited = _edit_a_document(ws)
    if command.prepare is not None:
        command.prepare(ws, k)
    without, cached = _run(ws, command, k, None), _run(ws, command, k, cache)
    assert without[0] == 0, without[2]
    assert cached == without, f"{name} after {edited.name} was edited"
