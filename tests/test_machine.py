"""The suite answers the same on another machine: tests that passed here failed under settings a
CI machine or a colleague's may have (conftest.py leaves them out), so a few of them run again
in a pytest of their own under those settings."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: tests that read the machine's settings before: a module-scoped fixture (a calendar in Russian
#: under LANG=ru_RU.UTF-8, its cache written to ~/.cache), a module constant (the console
#: script's environment), colour under FORCE_COLOR or TERM=dumb, the progress display, SIGINT
#: ignored by the process that started the run; and nothing written in the home folder
TESTS = [
    "tests/test_export.py::test_owners_in_description_and_reminders_on_open_events",
    "tests/test_cli_subprocess.py::test_validate_the_shipped_roadmaps",
    "tests/test_cli_subprocess.py::test_ctrl_c_while_the_program_is_imported_ends_it_without_a_traceback",
    "tests/test_cache_rows.py::test_colours_are_part_of_the_drawing_key",
    "tests/test_tabledraw.py::test_on_a_terminal_the_cells_keep_their_styles",
    "tests/test_tabledraw.py::test_control_characters_never_reach_the_output",
    "tests/test_progress.py::test_nothing_before_the_delay_then_a_bar_that_is_gone_at_the_end",
    # (skipped without Chromium) Chromium wrote its crash reports in ~/.config/chromium
    "tests/test_browser.py::test_screenshot_has_content",
]


@pytest.mark.slow
def test_the_machines_settings_do_not_reach_the_tests(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "GIT_", "PYTEST_"))}
    env = {**keep, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "LANG": "ru_RU.UTF-8",
           "LANGUAGE": "ru", "TERM": "dumb", "FORCE_COLOR": "1", "ROADMAP_NO_CACHE": "1",
           "GITHUB_WORKSPACE": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--color=no", "-p", "no:cacheprovider", "-p", "no:randomly",
         "--basetemp", str(tmp_path / "run"), *TESTS],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert sorted(p.name for p in home.iterdir()) == []  # ~/.cache, ~/.config: nothing written
