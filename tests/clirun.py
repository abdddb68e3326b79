"""Run the CLI as a user does: `python -m roadmap_cli` in a subprocess, at a fixed width, no colour
(`run_roadmap`); or in this process through the console entry point (`invoke`, behind the `cli`
fixture of conftest.py), which is quicker and lets a test patch the code it runs."""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys
from collections.abc import Mapping
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import NamedTuple

from roadmap_cli.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run_roadmap(
    args: list[str], *, cwd: Path = ROOT, columns: int = 80, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Without ``env`` naming them, no ROADMAP_LANG and no locale: the interface is English."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("ROADMAP_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "FORCE_COLOR")}
    env = {**base, "COLUMNS": str(columns), "NO_COLOR": "1", "ROADMAP_NO_CACHE": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "roadmap_cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def screen(text: str) -> str:
    """Output as it reads on screen: trailing spaces dropped, one final newline."""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


class Ran(NamedTuple):
    """One in-process run: exit code, standard output, standard error (unpacks as a tuple)."""

    code: int
    out: str
    err: str

    # the names of click.testing.Result, for the tests written against CliRunner
    @property
    def exit_code(self) -> int:
        return self.code

    @property
    def stdout(self) -> str:
        return self.out

    @property
    def stderr(self) -> str:
        return self.err

    @property
    def output(self) -> str:
        return self.out + self.err

    @property
    def stdout_bytes(self) -> bytes:
        return self.out.encode("utf-8", "surrogateescape")  # the bytes written, to the byte


def _stream() -> io.TextIOWrapper:
    """A UTF-8 text stream with a byte buffer under it, as a pipe has."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n", write_through=True)


def invoke(*args: str, env: Mapping[str, str | None] | None = None) -> Ran:
    """Run the CLI in this process as the console entry point runs it (`cli.main`: its exit codes,
    its error lines), capturing what it writes; ``env`` is set for the run only (None unsets a
    name). The interface language is chosen by `main` from the arguments and the environment."""
    saved = {name: os.environ.get(name) for name in env or {}}
    for name, value in (env or {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    collecting = gc.isenabled()  # main turns the collector off for its short run; not for the tests'
    out, err = _stream(), _stream()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main(list(args))
                code = 0
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        if collecting:
            gc.enable()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    for stream in (out, err):
        stream.flush()
    text = [s.buffer.getvalue().decode("utf-8", "surrogateescape") for s in (out, err)]  # type: ignore[attr-defined]
    return Ran(code, text[0], text[1])


def run(capsys: object, *args: str) -> Ran:
    """`invoke`, as the tests that pass pytest's capsys call it (it needs no capsys)."""
    return invoke(*args)


def run_with_stderr_on_a_terminal(
    args: list[str], env: Mapping[str, str], timeout: float = 120
) -> tuple[int, str, str]:
    """The CLI in another process with standard error on a pseudo-terminal (standard output a
    pipe): (exit code, standard output, what the terminal received, CRLF as the terminal
    writes line ends)."""
    main, secondary = os.openpty()
    proc = subprocess.run([sys.executable, "-m", "roadmap_cli", *args], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=secondary, env=dict(env), timeout=timeout,
                          check=False)
    os.close(secondary)
    seen = drained(main)
    return proc.returncode, proc.stdout.decode(), seen.decode()


def drained(main: int) -> bytes:
    """What a pseudo-terminal's other end received, read to its end; ``main`` is closed."""
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # (the other end closed: Linux says EIO)
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    return seen
