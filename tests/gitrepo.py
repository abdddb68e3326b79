"""Real git repositories in tmp_path for the diff and history tests: scripted commits with fixed
authors and dates (the `git_repo` fixture of conftest.py builds one); `run` is the one in-process
CLI runner (clirun.invoke: exit code, stdout, stderr)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from clirun import invoke

AGENCIES = """\
agencies:
  - id: kz-mic
    name: {en: Ministry of Industry and Construction, ru: Министерство промышленности и строительства}
    country: KZ
    level: national
  - id: kz-mti
    name: {en: Ministry of Trade and Integration}
    country: KZ
    level: national
  - id: by-minprom
    name: {en: Ministry of Industry of Belarus, ru: Министерство промышленности Республики Беларусь}
    country: BY
    level: national
  - id: by-maz
    name: {en: MAZ}
    country: BY
    level: enterprise
"""

ROADMAP = """\
id: kz-by-test
kind: roadmap
title:
  en: Test roadmap on industrial cooperation
  ru: Тестовая дорожная карта по промышленной кооперации
parties: [kz-mic, by-minprom]
signed: {date: 2025-11-05, place: Astana}
period: {start: 2026-01-01, end: 2028-12-31}
measures:
  - id: "1.1"
    title: {en: Hold a business forum, ru: Провести бизнес-форум}
    owners: [kz-mic]
    due: 2026-Q2
    status: in_progress
    progress: 50
  - id: "1.2"
    title: {en: Open a trading house, ru: Открыть торговый дом}
    owners: [by-minprom]
    co_executors: [kz-mti]
    due: 2026-06
    status: not_started
  - id: "1.3"
    title: {en: Report on joint ventures every quarter}
    owners: [kz-mic, by-minprom]
    due: {every: quarter, from: 2026-Q1, until: 2026-Q4, grace: 15}
    status: in_progress
  - id: "1.4"
    title: {en: Assemble MAZ buses in Kazakhstan}
    owners: [by-maz]
    due: "2027"
    status: not_started
"""

MEMO = """\
id: astana-minsk-memo
kind: memorandum
title: {en: Memorandum between Astana and Minsk, ru: Меморандум между Астаной и Минском}
parties: [kz-mti, by-minprom]
signed: {date: 2025-11-05}
period: {start: 2026-01-01, end: 2027-12-31}
measures:
  - id: "1"
    title: {en: Exchange trade missions}
    owners: [kz-mti]
    due: 2026-H2
    status: not_started
"""

AUTHOR = ("Aigerim Sadykova", "a.sadykova@example.kz")


class Repo:
    """A git repository in a folder, with a roadmaps/ folder and helpers to edit and commit."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("-c", "init.defaultBranch=main", "init", "-q")

    def git(self, *args: str, date: str = "2026-01-15T10:00:00+05:00", author: tuple[str, str] = AUTHOR) -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": author[0],
            "GIT_AUTHOR_EMAIL": author[1],
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": author[0],
            "GIT_COMMITTER_EMAIL": author[1],
            "GIT_COMMITTER_DATE": date,
        }
        proc = subprocess.run(
            ["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True
        )
        return proc.stdout

    def path(self, rel: str) -> Path:
        return self.root / rel

    def write(self, rel: str, text: str) -> None:
        p = self.path(rel)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")

    def read(self, rel: str) -> str:
        return self.path(rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
        self.write(rel, text.replace(old, new))

    def commit(self, message: str, date: str = "2026-01-15T10:00:00+05:00", author: tuple[str, str] = AUTHOR) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date, author=author)
        return self.git("rev-parse", "HEAD").strip()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()


def isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user or system git configuration, no repository above tmp_path, plain 80-column output."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


def seeded(root: Path) -> Repo:
    """A repository with agencies.yaml, kz-by-test.yaml and astana-minsk-memo.yaml committed."""
    repo = Repo(root)
    repo.write("roadmaps/agencies.yaml", AGENCIES)
    repo.write("roadmaps/kz-by-test.yaml", ROADMAP)
    repo.write("roadmaps/astana-minsk-memo.yaml", MEMO)
    repo.commit("Add the roadmaps", date="2026-01-10T09:00:00+05:00")
    repo.git("tag", "v1")
    return repo


run = invoke  # the name the git tests call it by
