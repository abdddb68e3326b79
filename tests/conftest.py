"""What every test shares: an English interface unless the test asks for another language, nothing
a test runs writes outside its temporary folders, and the fixtures many test files use: the CLI
runner (`cli`), a copy of the shipped roadmaps (`shipped_copy`) and a git repository with test
roadmaps committed (`git_repo`)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from clirun import Ran, invoke
from gitrepo import Repo, isolate, seeded
from hypothesis import HealthCheck, settings

from roadmap_cli import i18n

# The property tests assert what the code answers, not how fast examples are drawn or run: a
# shared CI machine that stalls for a second must not fail them (hypothesis' default deadline
# of 200 ms per example and its "input generation is slow" check did, once, in a fresh
# clone's `make test`). The tests that bound a run's time say so in their own settings (the
# fuzz tests' deadlines). Where CI, GITHUB_ACTIONS (or another CI's variable) is set, hypothesis
# starts from its own "ci" profile, which this one then extends: examples derandomized (the same
# ones every run, chosen from each test's source: an edited test draws others) and no example
# database. `CI=true make test` draws here what such a CI draws; without it every run draws anew.
settings.register_profile("roadmap", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("roadmap")

ROOT = Path(__file__).resolve().parent.parent

#: what the machine running the tests may say that the program reads: the interface language,
#: colour, the cache, the CI checkout's root (validate --format github)
LANGUAGE = ("ROADMAP_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
MACHINE = (*LANGUAGE, "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
           "ROADMAP_NO_CACHE", "ROADMAP_CACHE_DIR", "GITHUB_WORKSPACE")


def pytest_configure(config: pytest.Config) -> None:
    """None of MACHINE, and an ordinary terminal type (TERM=dumb, as some CI machines and
    editors' shells set it, turns off colour and the progress display), for the whole run:
    from collection on, module constants built from the environment and module-scoped fixtures
    (both come before any test's own fixtures) included. A module's calendar was written in
    Russian under LANG=ru_RU.UTF-8, and the colour tests drew plain under TERM=dumb."""
    for name in MACHINE:
        os.environ.pop(name, None)
    os.environ["TERM"] = "xterm"


@pytest.fixture(scope="session", autouse=True)
def _session_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The user's cache folder is a temporary folder from the first fixture on: a module-scoped
    fixture that runs a command (it comes before `_user_cache_in_tmp`) wrote ~/.cache/roadmap-cli."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache-session")))
        yield


@pytest.fixture(autouse=True)
def _english_interface(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No language from the machine running the tests (ROADMAP_LANG, the locale), and English
    active again after a test that ran a command in another language in this process."""
    for name in LANGUAGE:
        monkeypatch.delenv(name, raising=False)
    i18n.activate("en")
    yield
    i18n.activate("en")


@pytest.fixture(autouse=True)
def _user_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder (the results cache and its key) is a temporary folder, for this
    process and every command a test starts: no test writes ~/.cache."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("ROADMAP_CACHE_DIR", raising=False)
    return folder


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    """The CLI runner: ``cli("status", "--as-of", "2026-11-22")`` runs the command in this process
    as the console entry point does and gives its exit code, stdout and stderr (``code, out, err
    = ...``; also ``.exit_code``, ``.stdout``, ``.output`` as click's CliRunner names them), at 80
    columns, without colour."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return invoke


@pytest.fixture
def shipped_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped roadmaps in ``tmp_path/roadmaps``; ``tmp_path``, which it returns, is
    the current folder. Tests that change files change the copy, and an ordinary `roadmap update`
    of the shipped data changes nothing a test reads from here."""
    shutil.copytree(ROOT / "roadmaps", tmp_path / "roadmaps")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """A real git repository in ``tmp_path/repo`` with gitrepo's test roadmaps committed and
    tagged v1, the current folder; no user or system git configuration, no results cache."""
    isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    repo = seeded(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    return repo
