"""The cache keeps the model, never answers, and is invisible: every report command prints the
same bytes with and without it, cold and warm, in every format; after a file changes; for each
date, language, filter, window, terminal width and colour; after an entry is corrupted; and a
warm run reads neither yaml nor jsonschema."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from benchgen import generate
from clirun import invoke

import roadmap_cli
from roadmap_cli import cache as cache_mod
from roadmap_cli import load, report

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-22"
COMMANDS = ["status", "overdue", "upcoming", "agencies", "indicators"]
FORMATS = ["table", "json", "csv", "markdown"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = generate(tmp_path / "roadmaps", docs=3, measures=12, seed=11)
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ROADMAP_NO_CACHE", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    return folder


def run(*args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one command, as cli.main reports them."""
    return invoke(*args)


def everything(folder: Path, *extra: str) -> dict[str, tuple[int, str, str]]:
    """Every report command in every format."""
    return {
        f"{command} {fmt}": run(command, "--format", fmt, "--as-of", AS_OF, *extra, str(folder))
        for command in COMMANDS
        for fmt in FORMATS
    }


def entries(tmp_path: Path, kind: str) -> list[Path]:
    return sorted((tmp_path / "cache" / kind).glob("*.bin"))


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch):
    """From here on, reading a file's YAML or building the model fails the test: only the
    cached model may answer."""

    def forbidden(*args, **kwargs):
        raise AssertionError("a warm run parsed a file or built the model")

    def arm() -> None:
        monkeypatch.setattr(load, "parse_checked", forbidden)
        monkeypatch.setattr(load, "build_roadmap", forbidden)

    return arm


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


# --- the same output -------------------------------------------------------------------------


def test_every_command_and_format_is_the_same_without_cache_cold_and_warm(
    repo: Path, tmp_path: Path, no_parsing
) -> None:
    without = everything(repo, "--no-cache")
    assert not (tmp_path / "cache").exists(), "--no-cache must neither read nor write"
    cold = everything(repo)
    # one unit per file (agencies.yaml and 3 documents), and nothing else: no answers, no
    # drawn tables
    assert len(entries(tmp_path, "units")) == 4
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["units"]
    no_parsing()
    warm = everything(repo)
    assert without == cold == warm
    assert all(code == 0 for code, _, _ in warm.values())
    # every command has rows here (an empty CSV would be an empty string)
    assert all(warm[f"{command} json"][1].startswith("[\n") for command in COMMANDS if command != "upcoming")
    assert "kz-by-cooperation-0001" in warm["status json"][1]


def test_the_environment_switch_bypasses_the_cache(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    assert run("status", "--as-of", AS_OF, str(repo))[0] == 0
    assert not (tmp_path / "cache").exists()


def test_a_changed_file_changes_the_output(repo: Path, tmp_path: Path) -> None:
    before = everything(repo)
    doc = repo / "kz-by-cooperation-0002.yaml"
    _edit(doc, "status: not_started", "status: done\n    completed: 2026-01-15")
    after = everything(repo)
    assert after == everything(repo, "--no-cache")
    assert after["status json"] != before["status json"]
    assert after["status table"] != before["status table"]
    _edit(doc, "status: done\n    completed: 2026-01-15", "status: not_started")
    assert everything(repo) == before  # and back: the first entries serve again


def test_a_change_that_moves_no_row_is_looked_up_again(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("status", "--format", "json", "--as-of", AS_OF, str(repo))
    before = run(*args)
    with (repo / "kz-by-cooperation-0001.yaml").open("a", encoding="utf-8") as f:
        f.write("# a comment changes the bytes, not the rows\n")
    calls = []
    real = report.status_rows
    monkeypatch.setattr(report, "status_rows", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert run(*args) == before
    assert calls == [1]


VARIANTS = [
    ("--as-of", "2026-01-01"),
    ("--as-of", "2026-06-30"),
    ("--as-of", "2027-Q1"),
    ("--lang", "ru"),
    ("--lang", "kk"),
    ("--status", "in_progress"),
    ("--status", "done", "--status", "blocked"),
    ("--country", "KZ"),
    ("--country", "BY"),
    ("--roadmap", "kz-by-cooperation-0002"),
]


@pytest.mark.slow
def test_no_cross_talk_between_dates_languages_and_filters(
    repo: Path, tmp_path: Path, no_parsing, monkeypatch: pytest.MonkeyPatch
) -> None:
    def all_variants() -> dict[str, tuple[int, str, str]]:
        out = {}
        for variant in VARIANTS:
            for command in COMMANDS:
                for fmt in ("json", "table"):
                    args = (command, "--format", fmt, *variant, str(repo))
                    out[" ".join(args)] = run(*args)
        return out

    for command in ("status", "upcoming", "agencies"):
        for within in ("7", "3m", "1y"):
            args = (command, "--as-of", AS_OF, "--within", within, str(repo))
            assert run(*args) == run(*args[:1], "--no-cache", *args[1:])
    expected = {key: run(*key.split(" ")[:1], "--no-cache", *key.split(" ")[1:]) for key in all_variants()}
    assert all_variants() == expected  # filled from a cache holding every other key
    outputs = [value[1] for value in expected.values()]
    assert len(set(outputs)) > len(outputs) // 2  # the variants do differ
    no_parsing()
    assert all_variants() == expected  # every new question answered from the cached model


def test_the_default_date_is_today(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    import roadmap_cli.commands._common as common

    today = run("status", "--format", "json", str(repo))
    assert today == run("status", "--format", "json", "--as-of", date.today().isoformat(), str(repo))

    # two days the clock is set to, whose answers differ whatever the day the suite runs (it
    # compared 2031-01-01 with the real day, equal from the day every generated deadline passed)
    def on(day: date) -> tuple[int, str, str]:
        class Clock(date):
            @classmethod
            def today(cls) -> date:
                return day

        monkeypatch.setattr(common, "date", Clock)
        said = run("status", "--format", "json", str(repo))
        assert said == run("status", "--format", "json", "--as-of", day.isoformat(), "--no-cache", str(repo))
        return said

    assert on(date.fromisoformat(AS_OF)) != on(date(2031, 1, 1))


@pytest.mark.parametrize("columns", ["80", "120", "200"])
def test_the_terminal_width_shapes_only_the_drawing(
    repo: Path, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    run("status", "--as-of", AS_OF, str(repo))  # entries for 100 columns
    monkeypatch.setenv("COLUMNS", columns)
    for command in COMMANDS:
        args = (command, "--as-of", AS_OF, str(repo))
        cold = run(*args)
        assert cold == run(*args) == run(command, "--no-cache", *args[1:])


def test_colours_are_part_of_the_drawing_key(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("status", "--as-of", AS_OF, str(repo))
    plain = run(*args)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = run(*args)
    assert "\x1b[" in coloured[1] and "\x1b[" not in plain[1]
    assert coloured == run(*args) == run("status", "--no-cache", *args[1:])


def test_a_new_tool_version_makes_the_model_stale(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = everything(repo)
    monkeypatch.setattr(roadmap_cli, "__version__", "99.0.0")
    calls = []
    real = load.parse_checked
    monkeypatch.setattr(load, "parse_checked", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert run("status", "--format", "json", "--as-of", AS_OF, str(repo)) == before["status json"]
    assert calls, "the model of another tool version was used"


# --- warnings and errors ---------------------------------------------------------------------


def test_warnings_are_noted_on_hits_too(repo: Path, no_parsing) -> None:
    (repo / "folder.yaml").mkdir()  # a folder where a file is expected: a warning
    cold = everything(repo)
    assert all("1 warning in" in err for _, _, err in cold.values())
    no_parsing()
    assert everything(repo) == cold


def test_invalid_data_is_refused_every_time_and_never_stored(repo: Path, tmp_path: Path) -> None:
    doc = repo / "kz-by-cooperation-0002.yaml"
    _edit(doc, "status: blocked", "status: stuck")
    first = everything(repo)
    for code, out, err in first.values():
        assert code == 1 and out == "" and "schema-enum" in err and "refusing to report" in err
    assert everything(repo) == first == everything(repo, "--no-cache")


def test_an_unknown_filter_id_is_refused_every_time(repo: Path, tmp_path: Path) -> None:
    args = ("status", "--agency", "NOPE", "--as-of", AS_OF, str(repo))
    first = run(*args)
    assert first[0] == 2 and "NOPE" in first[2]
    assert run(*args) == first


# --- bad entries are never trusted -----------------------------------------------------------


def _flip(blob: bytes) -> bytes:
    i = len(blob) // 2
    return blob[:i] + bytes([blob[i] ^ 0x40]) + blob[i + 1 :]


CORRUPTIONS = {
    "flipped byte": _flip,
    "truncated": lambda b: b[: len(b) // 3],
    "header only": lambda b: b[: len(cache_mod.MAGIC) + 44],
    "empty": lambda b: b"",
    "garbage": lambda b: os.urandom(len(b)),
    "other key": lambda b: b[:8] + bytes(32) + b[40:],
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(CORRUPTIONS))
def test_a_corrupt_entry_is_ignored_and_rebuilt(repo: Path, tmp_path: Path, kind: str, no_parsing) -> None:
    expected = everything(repo, "--no-cache")
    everything(repo)
    for entry in entries(tmp_path, "units"):
        entry.write_bytes(CORRUPTIONS[kind](entry.read_bytes()))
    assert everything(repo) == expected
    no_parsing()
    assert everything(repo) == expected  # the rebuilt entries serve


def test_an_unusable_cache_folder_changes_nothing_but_one_warning(repo: Path, tmp_path: Path) -> None:
    expected = everything(repo, "--no-cache")
    (tmp_path / "cache").write_text("a file where the folder should be", encoding="utf-8")
    warning = f"roadmap: warning: the cache is not used: {tmp_path / 'cache'} is not a folder\n"
    found = everything(repo)
    assert found.keys() == expected.keys()
    for name, (code, out, err) in found.items():
        assert (code, out) == expected[name][:2], name
        assert err == warning + expected[name][2], name


# --- a warm run stays away from yaml and jsonschema -------------------------------------------

_PROBE = """
import sys
from roadmap_cli.cli import main
from roadmap_cli import cache
calls = []
real = cache.Cache.unit
cache.Cache.unit = lambda self, *args: calls.append(1) or real(self, *args)
try:
    main(sys.argv[1:])
except SystemExit as e:
    code = e.code
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'yaml', 'jsonschema', 'fastjsonschema'})
print('IMPORTED=' + ','.join(heavy) + ' UNITS=%d' % len(calls), file=sys.stderr)
sys.exit(code)
"""


def _probe(*args: str, env: dict[str, str]) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr.strip().splitlines()[-1]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "table"])
def test_a_warm_run_reads_neither_yaml_nor_jsonschema(repo: Path, tmp_path: Path, fmt: str) -> None:
    env = {**os.environ, "ROADMAP_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    env.pop("ROADMAP_NO_CACHE", None)
    args = ("status", "--format", fmt, "--as-of", AS_OF, str(repo))
    cold_out, cold = _probe(*args, env=env)
    assert "yaml" in cold and "UNITS=4" in cold
    warm_out, warm = _probe(*args, env=env)
    assert warm == "IMPORTED= UNITS=4"  # the cached model of each file
    new_out, new = _probe("status", "--format", fmt, "--as-of", "2027-03-01", str(repo), env=env)
    assert new == "IMPORTED= UNITS=4"  # a new question: the same
    assert warm_out == cold_out != new_out
