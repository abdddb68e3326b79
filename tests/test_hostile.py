"""Hostile input: every case of issue 5 runs `validate` and `status` on a broken repository and
asserts the exit code, the located message, and that no traceback is printed.

The CLI runs in-process (`roadmap_cli.cli.main`, SystemExit caught for the exit code). The few
cases about memory run in a subprocess under a 2 GiB address-space limit. The last section holds
the regressions found by fuzzing (`tests/test_fuzz.py`, `benchmarks/fuzz.py`).
"""

from __future__ import annotations

import importlib.util
import os
import re
import resource
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from clirun import invoke

from roadmap_cli import yamlsrc

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_validate_rules import AGENCIES, VALID, sub

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-22"
HAS_STATUS = importlib.util.find_spec("roadmap_cli.commands.status") is not None
COMMANDS = [
    "validate",
    pytest.param(
        "status", marks=pytest.mark.skipif(not HAS_STATUS, reason="status command not yet available")
    ),
]


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Exit code and everything printed (stdout + stderr) of one in-process CLI run."""
    code, out, err = invoke(*args)
    return code, out + err


def folder(tmp_path: Path, content: str | bytes | None = VALID, *, name: str = "demo.yaml", agencies: bool = True) -> Path:
    path = tmp_path / "roadmaps"
    path.mkdir(exist_ok=True)
    if agencies:
        (path / "agencies.yaml").write_text(AGENCIES, encoding="utf-8")
    if content is not None:
        (path / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def hostile(
    capsys: pytest.CaptureFixture[str],
    command: str,
    path: Path,
    code: int,
    *located: str,
) -> str:
    """Run ``command`` on ``path``; assert the exit code, each located message, no traceback.

    ``validate`` prints every problem; ``status`` prints the errors (it refuses to report, exit 1)
    or only counts the warnings (exit 0). ``located`` are ``LINE:COL: severity: text [rule]``
    fragments, checked after the file name.
    """
    args = [command, str(path)] if command == "validate" else [command, "--as-of", AS_OF, str(path)]
    got, output = run(capsys, *args)
    assert "Traceback" not in output and "internal error" not in output, output
    if command == "validate":
        assert got == code, output
        for text in located:
            assert found(text, output), output
    else:
        assert got == code, output
        for text in located:
            if ": error: " in text:
                assert found(text, output), output
        if code == 1:
            assert "refusing to report on invalid data" in output
    return output


def at(file: str, where: str) -> str:
    return f"{file}:{where}"


def found(located: str, output: str) -> bool:
    """``located`` is in ``output``, where a problem inside a measure may lead its message with
    the measure's name (``error: measure 1: duplicate key ...``)."""
    m = re.match(r"(.*?: (?:error|warning): )(.*)", located, re.S)
    if located in output or m is None:
        return located in output
    named = re.escape(m[1]) + r"(?:(?:measure|agency) [^:\n]+: )?" + re.escape(m[2])
    return re.search(named, output) is not None


# --- the corpus of issue 5 ------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    path = folder(tmp_path, "")
    hostile(capsys, command, path, 1, at("demo.yaml", "1:1: error: the file has no content") + ": expected a mapping (id, kind, title, parties, ...) [empty-file]")


@pytest.mark.parametrize("command", COMMANDS)
def test_comments_only(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    path = folder(tmp_path, "# yaml-language-server: $schema=../schemas/roadmap.schema.json\n# to do\n")
    hostile(capsys, command, path, 1, at("demo.yaml", "1:1: error: the file has no content"))


@pytest.mark.parametrize("command", COMMANDS)
def test_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    data = sub("title: Demo roadmap", "title: Demo r\udcffoadmap").encode("utf-8", "surrogateescape")
    path = folder(tmp_path, data)
    hostile(capsys, command, path, 1, at("demo.yaml", "3:14: error: the file is not UTF-8: byte 0xff at offset 36"))


@pytest.mark.parametrize("command", COMMANDS)
def test_bom_and_crlf_are_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    path = folder(tmp_path, b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode("utf-8"))
    output = hostile(capsys, command, path, 0)
    if command == "validate":
        assert "2 files checked: no problems." in output
    else:
        assert "Demo roadmap" in output


@pytest.mark.parametrize("command", COMMANDS)
def test_bom_and_crlf_positions(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    text = sub("    status: done", "    status: finished")
    text = sub("title: Demo roadmap", "title: Дорожная карта", text)
    text = sub("    co_executors: [by-mtz]", "    co_executors: {ru: Минтранс, x: 1, x: 2}", text)
    path = folder(tmp_path, b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    # the byte-order mark is not a column; a Cyrillic letter is one column; CRLF is one line end
    hostile(capsys, command, path, 1, at("demo.yaml", "11:40: error: duplicate key 'x'"))
    fixed = text.replace("    co_executors: {ru: Минтранс, x: 1, x: 2}", "    co_executors: [by-mtz]")
    folder(tmp_path, b"\xef\xbb\xbf" + fixed.replace("\n", "\r\n").encode("utf-8"))
    hostile(capsys, command, path, 1, at("demo.yaml", "27:13: error: measure 3: status: 'finished' is not one of"))


@pytest.mark.parametrize("command", COMMANDS)
def test_tabs_for_indentation(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    path = folder(tmp_path, sub("    title: First measure", "\ttitle: First measure"))
    hostile(capsys, command, path, 1, at("demo.yaml", "9:1: error: measure 1: a tab character here: YAML does not allow tabs for indentation; indent with spaces (the YAML parser says:"))


@pytest.mark.parametrize("command", COMMANDS)
def test_two_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    path = folder(tmp_path, VALID + "---\n" + VALID)
    hostile(capsys, command, path, 1, at("demo.yaml", "38:1: error: the file holds more than one YAML document ('---')"))


@pytest.mark.parametrize("command", COMMANDS)
def test_binary_garbage(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    # bytes 0..255: line breaks at 0x0a and 0x0d, then 0x80 is no UTF-8
    path = folder(tmp_path, bytes(range(256)) * 16)
    output = hostile(capsys, command, path, 1, at("demo.yaml", "3:115: error: the file is not UTF-8: byte 0x80 at offset 128"))
    assert "\x1b" not in output and "\x07" not in output  # the excerpt shows no control characters


@pytest.mark.parametrize("command", COMMANDS)
def test_binary_garbage_that_is_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    path = folder(tmp_path, b"\x00\x01\x02\x1b[2J\x07ok")
    output = hostile(capsys, command, path, 1, at("demo.yaml", "1:1: error: the file contains a NUL byte: it is binary, not YAML text [syntax]"))
    assert "\x1b" not in output


@pytest.mark.parametrize("command", COMMANDS)
def test_merge_conflict_markers(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    text = sub(
        "    status: in_progress\n    progress: 40\n",
        "<<<<<<< HEAD\n    status: in_progress\n    progress: 40\n=======\n    status: done\n>>>>>>> feature\n",
    )
    path = folder(tmp_path, text)
    hostile(capsys, command, path, 1, at("demo.yaml", "13:1: error: unresolved git merge conflict"))


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("kind: roadmap\n", "kind: roadmap\nkind: memorandum\n", "3:1: error: duplicate key 'kind' (first at line 2)"),
        ("    progress: 40\n", "    progress: 40\n    progress: 50\n", "15:5: error: duplicate key 'progress' (first at line 14)"),
        ("value: 40}]", "value: 40, value: 41}]", "37:49: error: duplicate key 'value' (first at line 37)"),
    ],
    ids=["top", "measure", "deep-flow"],
)
def test_duplicate_keys_at_any_depth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, old: str, new: str, where: str
) -> None:
    hostile(capsys, command, folder(tmp_path, sub(old, new)), 1, at("demo.yaml", where))


BILLION_LAUGHS = "a: &a [" + ", ".join(["lol"] * 9) + "]\n" + "".join(
    f"{k}: &{k} [{', '.join(['*' + p] * 9)}]\n" for p, k in zip("abcdefgh", "bcdefghi", strict=True)
)  # 9 ** 9 lols


@pytest.mark.parametrize("command", COMMANDS)
def test_alias_bomb(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    hostile(capsys, command, folder(tmp_path, BILLION_LAUGHS), 1, at("demo.yaml", "5:8: error: aliases expand to more than 10,000 values"))


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("opening", "column"),
    # `notes` is at depth 1 and its value starts at column 8: the 65th `[` is depth 65; in
    # `{a: {a: ...` the key `a` of the 64th mapping is the first value at depth 65
    [("[", 8 + yamlsrc.MAX_DEPTH), ("{a: ", 8 + 4 * (yamlsrc.MAX_DEPTH - 1) + 1)],
)
def test_nesting_20000_deep(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, opening: str, column: int) -> None:
    closing = "]" if opening == "[" else "}"
    text = VALID + "notes: " + opening * 20_000 + closing * 20_000 + "\n"
    hostile(capsys, command, folder(tmp_path, text), 1, at("demo.yaml", f"38:{column}: error: nesting is deeper than 64 levels [too-deep]"))


@pytest.mark.parametrize("command", COMMANDS)
def test_a_40_mb_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    path = folder(tmp_path, None)
    line = b"# " + b"x" * 1021 + b"\n"
    with open(path / "demo.yaml", "wb") as f:
        f.write(VALID.encode())
        f.writelines(line for _ in range(40 * 1024))
    assert (path / "demo.yaml").stat().st_size > 40 * 1024 * 1024
    hostile(capsys, command, path, 1, at("demo.yaml", "1:1: error: the file is larger than 4,194,304 bytes, the largest accepted"))


@pytest.mark.parametrize("command", COMMANDS)
def test_python_tags_are_refused_and_nothing_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    target = tmp_path / "pwned"
    payload = f'!!python/object/apply:builtins.open ["{target}", "w"]'
    hostile(
        capsys, command, folder(tmp_path, sub("title: Demo roadmap", f"title: {payload}")), 1,
        at("demo.yaml", "3:8: error: the tag 'tag:yaml.org,2002:python/object/apply:builtins.open' is not allowed"),
    )
    assert not target.exists()


def test_the_python_tag_payload_would_create_a_file(tmp_path: Path) -> None:
    """The payload above is live: an unsafe YAML loader does create the file."""
    import yaml

    target = tmp_path / "pwned"
    yaml.unsafe_load(f'title: !!python/object/apply:builtins.open ["{target}", "w"]\n')["title"].close()
    assert target.exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_top_level_list(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    hostile(capsys, command, folder(tmp_path, "- id: demo\n- kind: roadmap\n"), 1, at("demo.yaml", "1:1: error: the document must be a mapping of keys, not a list [schema-type]"))


@pytest.mark.parametrize("command", COMMANDS)
def test_status_no(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    hostile(
        capsys, command, folder(tmp_path, sub("    status: done", "    status: no")), 1,
        at("demo.yaml", "27:13: error: measure 3: status: 'no' is not one of"),
        at("demo.yaml", "27:13: warning: 'no' is read as the string 'no', but YAML 1.1 reads it as the boolean False; quote it"),
    )


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("title: Demo roadmap", "title: 12", "3:8: error: title: expected a title"),
        ("place: Astana", "place: 2025", "5:35: error: signed.place: expected a string, not 2025 (a number) [schema-type]"),
        ("    title: First measure", "    title: 3.5", "9:12: error: measure 1: title: expected a title"),
    ],
)
def test_numbers_where_strings_are_expected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, old: str, new: str, where: str
) -> None:
    hostile(capsys, command, folder(tmp_path, sub(old, new)), 1, at("demo.yaml", where))


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("new", "where"),
    [
        ("    progress: .nan", "14:15: error: .nan is not a number (NaN)"),
        ("    progress: 40\n    weight: .inf", "15:13: error: .inf is infinity, which no report can use"),
        ("    progress: 1e400", "14:15: error: 1e400 is too large for a number (it would read as infinity)"),
        ("    progress: " + "9" * 5000, "14:15: error: a number of 5,000 characters is longer than the 100 accepted"),
        ("    progress: 40\n    weight: -.Inf", "15:13: error: -.Inf is infinity"),
    ],
    ids=["nan", "inf", "1e400", "5000-digits", "-inf"],
)
def test_huge_numbers_nan_and_inf(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, new: str, where: str) -> None:
    hostile(capsys, command, folder(tmp_path, sub("    progress: 40", new)), 1, at("demo.yaml", where))


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("key", "where"),
    [("1", "3:1: error: the key '1' is not a string; quote it [key-type]"),
     ("null", "3:1: error: the key 'null' is not a string"),
     ("[a, b]", "3:1: error: a mapping key must be a plain string, not a list or a mapping [key-type]")],
)
def test_non_string_mapping_key(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, key: str, where: str) -> None:
    hostile(capsys, command, folder(tmp_path, sub("kind: roadmap\n", f"kind: roadmap\n{key}: x\n")), 1, at("demo.yaml", where))


@pytest.mark.parametrize("command", COMMANDS)
def test_measures_left_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    text = VALID.split("measures:")[0] + "measures:\n"
    hostile(capsys, command, folder(tmp_path, text), 1, at("demo.yaml", "7:10: error: measures: expected a list, not an empty value [schema-type]"))


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_named_x_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    path = folder(tmp_path)
    (path / "x.yaml").mkdir()
    (path / "x.yaml" / "inner.yaml").write_text(VALID, encoding="utf-8")
    output = hostile(capsys, command, path, 0, at("x.yaml", "1:1: warning: this is a folder, not a YAML file; it is skipped [not-a-file]"))
    if command == "status":
        assert "1 warning in the data" in output


@pytest.mark.parametrize("command", COMMANDS)
def test_file_names_with_spaces_and_cyrillic(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    path = folder(tmp_path, VALID, name="дорожная карта 2026.yaml")
    output = hostile(
        capsys, command, path, 0,
        at("дорожная карта 2026.yaml", "1:5: warning: the file name 'дорожная карта 2026.yaml' is not the document id plus .yaml (demo.yaml) [file-name-mismatch]"),
    )
    if command == "status":
        assert "Demo roadmap" in output
    # and a broken file under such a name is located by that name
    (path / "дорожная карта 2026.yaml").write_text(sub("    status: done", "    status: finished"), encoding="utf-8")
    hostile(capsys, command, path, 1, at("дорожная карта 2026.yaml", "27:13: error: measure 3: status"))


@pytest.mark.parametrize("command", COMMANDS)
def test_missing_agencies_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    path = folder(tmp_path, VALID, agencies=False)
    hostile(capsys, command, path, 1, at("agencies.yaml", "1:1: error: no agencies.yaml found: every roadmap folder needs its registry of agencies [agencies-missing]"))


@pytest.mark.parametrize("command", COMMANDS)
def test_a_path_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    missing = tmp_path / "nowhere"
    args = [command, str(missing)] if command == "validate" else [command, "--as-of", AS_OF, str(missing)]
    code, output = run(capsys, *args)
    assert code == 2 and "Traceback" not in output
    assert output.strip() == f"roadmap: {missing}: no such file or folder"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
@pytest.mark.parametrize("command", COMMANDS)
def test_symlink_loops_in_the_roadmap_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    path = folder(tmp_path)
    (path / "a.yaml").symlink_to("b.yaml")
    (path / "b.yaml").symlink_to("a.yaml")
    (path / "self.yaml").symlink_to("self.yaml")
    (path / "up.yaml").symlink_to(".")  # a folder loop: the folder is not walked into
    hostile(
        capsys, command, path, 1,
        at("a.yaml", "1:1: error: cannot read the file: symbolic link loop [unreadable]"),
        at("b.yaml", "1:1: error: cannot read the file: symbolic link loop [unreadable]"),
        at("self.yaml", "1:1: error: cannot read the file: symbolic link loop [unreadable]"),
        at("up.yaml", "1:1: warning: this is a folder, not a YAML file; it is skipped [not-a-file]"),
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_unquoted_impossible_date(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    hostile(
        capsys, command, folder(tmp_path, sub("    due: 2026-Q4", "    due: 2026-02-30")), 1,
        at("demo.yaml", "12:10: error: measure 1: 2026-02-30 is not a date: February 2026 has 28 days [impossible-date]"),
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_a_comment_cuts_a_value_short(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    output = hostile(
        capsys, command, folder(tmp_path, sub("title: First measure", "title: Fix #12 quickly")), 0,
        at("demo.yaml", "9:12: warning: the value reads as 'Fix': '#12 quickly' is a comment; quote the whole value to keep the '#' [comment-cuts-value]"),
    )
    if command == "status":
        assert "1 warning in the data" in output


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("char", ["\u2028", "\u0085", "\u2029"], ids=["U+2028", "U+0085", "U+2029"])
def test_line_separators_do_not_shift_later_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, char: str) -> None:
    text = sub("title: Demo roadmap", f"title: Demo{char}roadmap")
    text = sub("    title: First measure", f"    title: First{char}{char}measure", text)
    text = sub("    status: done", "    status: finished", text)
    hostile(
        capsys, command, folder(tmp_path, text), 1,
        at("demo.yaml", "3:12: warning: the file contains U+"),
        at("demo.yaml", "9:17: warning: the file contains U+"),
        at("demo.yaml", "27:13: error: measure 3: status: 'finished' is not one of"),
    )


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("value", "code", "reading"),
    [
        ("NO", 0, "'NO' is read as the string 'NO', but YAML 1.1 reads it as the boolean False"),
        ("yes", 0, "'yes' is read as the string 'yes', but YAML 1.1 reads it as the boolean True"),
        ("on", 0, "'on' is read as the string 'on', but YAML 1.1 reads it as the boolean True"),
        ("0755", 1, "'0755' is read as the number 755, but YAML 1.1 reads it as the octal number 493"),
        ("1:30", 0, "'1:30' is read as the string '1:30', but YAML 1.1 reads it as a base-60 number"),
    ],
)
def test_values_yaml_11_and_12_read_differently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, value: str, code: int, reading: str
) -> None:
    # read the YAML 1.2 way (as check-jsonschema does) and the user is told to quote them
    located = [at("demo.yaml", f"9:12: warning: {reading}; quote it to say which you mean [yaml-ambiguous]")]
    if code:
        located.append(at("demo.yaml", "9:12: error: measure 1: title: expected a title"))
    hostile(capsys, command, folder(tmp_path, sub("    title: First measure", f"    title: {value}")), code, *located)


@pytest.mark.parametrize(("item", "rule"), [("1e3", "yaml-ambiguous"), ("{a: 1, a: 1}", "duplicate-key"),
                                          ("{? [x]: 1}", "key-type")])
def test_problems_of_the_reader_are_capped_per_rule(item: str, rule: str) -> None:
    # a problem every few bytes: 240,000 `1e3` (a 1 MB file) gave 240,000 warnings, 37 MB of
    # `validate` output; at most MAX_PROBLEMS per rule, as for the schema and the rules
    data = ("x: [" + ", ".join([item] * 5_000) + "]\n").encode()
    problems = [p for p in yamlsrc.parse(data, "f.yaml").problems if p.rule == rule]
    assert len(problems) == yamlsrc.MAX_PROBLEMS + 1
    assert problems[-1].message == "more problems of this kind are not shown (at most 1,000 per rule and file)"


# --- every report command on a hostile file ---------------------------------------------------------

REPORTS = [c for c in ("status", "overdue", "upcoming", "agencies") if importlib.util.find_spec(f"roadmap_cli.commands.{c}")]


@pytest.mark.parametrize("command", REPORTS)
def test_every_report_refuses_with_the_located_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    path = folder(tmp_path, sub("    due: 2026-Q4", "    due: 2026-02-30"))
    code, output = run(capsys, command, "--as-of", AS_OF, str(path))
    assert code == 1 and "Traceback" not in output
    assert f"{path / 'demo.yaml'}:12:10: error: measure 1: 2026-02-30 is not a date" in output
    assert "  12 |     due: 2026-02-30" in output  # the same excerpt as validate


# --- bounded memory: a 2 GiB address space is never reached -----------------------------------------

_LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
sys.path.insert(0, {root!r})
from roadmap_cli.load import load_sources
from roadmap_cli.sources import Sources
data = open(sys.argv[1], "rb").read()
repo = load_sources(Sources(agencies=[("agencies.yaml", {agencies!r})], roadmaps=[("x.yaml", data)]))
print(repo.problems[0].line, repo.problems[0].column, repo.problems[0].rule)
"""


def _limited(tmp_path: Path, data: bytes) -> str:
    file = tmp_path / "x.yaml"
    file.write_bytes(data)
    script = _LIMITED.format(root=str(ROOT), agencies=AGENCIES.encode())
    done = subprocess.run([sys.executable, "-c", script, str(file)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr  # no MemoryError, no segmentation fault
    return done.stdout.strip()


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(resource, "RLIMIT_AS"), reason="no address-space limit here")
@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        # 2 million `[` crashed the recursive C composer (segmentation fault) before
        ("deep", b"a: " + b"[" * 2_000_000 + b"]" * 2_000_000, "1 68 too-deep"),
        ("billion-laughs", BILLION_LAUGHS.encode(), "5 8 alias-limit"),
        # 2 million values: composing them all first took 1.8 GB
        ("flood", b"a: [" + b"0," * 2_000_000 + b"0]", "1 499999 too-large"),
    ],
    ids=["deep", "billion-laughs", "flood"],
)
def test_limits_hold_under_a_2_gib_address_space(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    if len(data) > yamlsrc.MAX_FILE_BYTES:
        data = data[: yamlsrc.MAX_FILE_BYTES]
    assert _limited(tmp_path, data) == expected


_LIMITED_CLI = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
sys.path.insert(0, {root!r})
from roadmap_cli.cli import main
main(sys.argv[1:])
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(resource, "RLIMIT_AS"), reason="no address-space limit here")
def test_a_3_gb_file_of_one_line_is_refused_within_2_gib(tmp_path: Path) -> None:
    # the excerpt under the error read the whole first line: 3 GB (a sparse file here)
    path = folder(tmp_path, None)
    with open(path / "demo.yaml", "wb") as f:
        f.write(b"title: ")
        f.truncate(3 << 30)
    done = subprocess.run(
        [sys.executable, "-c", _LIMITED_CLI.format(root=str(ROOT)), "validate", str(path)],
        capture_output=True, text=True, timeout=120, check=False, env={**os.environ, "ROADMAP_NO_CACHE": "1"},
    )
    assert done.returncode == 1, done.stderr
    assert "demo.yaml:1:1: error: the file is larger than 4,194,304 bytes" in done.stdout
    assert done.stderr == ""


# --- regressions found by fuzzing and by these tests ------------------------------------------------


@contextmanager
def hang_guard(seconds: int = 30) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the body runs away: not a timing assertion."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_regression_long_octal_looking_integer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # "0" + 5000 octal digits reached int() past Python's 4300-digit limit: ValueError, exit 4
    path = folder(tmp_path, sub("    progress: 40", "    progress: 0" + "7" * 5000))
    hostile(capsys, "validate", path, 1, at("demo.yaml", "14:15: error: a number of 5,001 characters"))


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="no alarm signal")
def test_regression_underscore_number_pattern_does_not_backtrack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the YAML 1.1 pattern for 1_000 backtracked quadratically: 200,000 underscores ran for hours
    path = folder(tmp_path, sub("    title: First measure", "    title: 1" + "_" * 200_000 + "x"))
    with hang_guard():
        hostile(capsys, "validate", path, 0)  # a valid (if odd) title


def test_regression_false_is_a_boolean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `false`, `False`, `on`, `off` were read as text (a first-letter shortcut let f and o through)
    assert yamlsrc.read_plain("false") == (False, None) and yamlsrc.read_plain("FALSE") == (False, None)
    assert yamlsrc.read_plain("off")[1] is not None
    path = folder(tmp_path, sub("place: Astana", "place: false"))
    hostile(capsys, "validate", path, 1, at("demo.yaml", "5:35: error: signed.place: expected a string, not false (a boolean)"))


@pytest.mark.parametrize("command", REPORTS)
@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("grace: 15", "grace: 100000000", "18:65: error: measure 2: a grace of 100,000,000 days is more than the 366 accepted"),
        ("    due: 2026-06", "    due: 9999-12-31", "26:10: error: measure 3: 9999-12-31 is outside the years 1900 to 2199"),
        ("from: 2026-Q1, until: 2026-Q4", "from: 1000-01, until: 9999-12", "18:33: error: measure 2: 1000-01 is outside the years"),
        ("end: 2028-12-31", "end: 2025-12-31", "6:34: error: the period ends (2025-12-31) before it starts"),
    ],
    ids=["grace", "year-9999", "span-1000-9999", "reversed-period"],
)
def test_regression_dates_past_the_calendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, old: str, new: str, where: str
) -> None:
    # these were schema-valid and made every report fail with OverflowError (exit 4), or run for
    # minutes over 108,000 monthly occurrences
    hostile(capsys, command, folder(tmp_path, sub(old, new)), 1, at("demo.yaml", where))


@pytest.mark.parametrize("command", REPORTS)
@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01"])
def test_regression_as_of_past_the_calendar_is_a_usage_error(capsys: pytest.CaptureFixture[str], command: str, as_of: str) -> None:
    code, output = run(capsys, command, "--as-of", as_of, str(ROOT / "roadmaps"))
    assert code == 2 and "Traceback" not in output and "is outside the years 1900 to 2199" in output


@pytest.mark.skipif(not importlib.util.find_spec("roadmap_cli.commands.upcoming"), reason="no upcoming command")
def test_regression_window_past_the_calendar_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run(capsys, "upcoming", "--as-of", AS_OF, "--within", "999999m", str(ROOT / "roadmaps"))
    assert code == 2 and "the window ends after the year 9999" in output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="no alarm signal")
@pytest.mark.parametrize("command", COMMANDS)
def test_regression_a_named_pipe_does_not_block(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    path = folder(tmp_path)
    os.mkfifo(path / "pipe.yaml")
    with hang_guard():
        hostile(capsys, command, path, 0, at("pipe.yaml", "1:1: warning: this is a named pipe, not a YAML file; it is skipped"))


@pytest.mark.parametrize("command", COMMANDS)
def test_regression_escape_sequences_never_reach_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    path = folder(tmp_path, sub("title: Demo roadmap", "title: Demo \x1b]0;pwned\x07\x1b[2J roadmap"))
    output = hostile(capsys, command, path, 1, at("demo.yaml", "3:13: error: the file contains the character U+001B"))
    assert "\x1b" not in output and "\x07" not in output
    assert "  3 | title: Demo \ufffd]0;pwned\ufffd\ufffd[2J roadmap" in output


def test_regression_explicit_empty_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `---` alone or `~` was read as no document at all and passed with exit 0
    for text in ("---\n", "~\n", "--- null\n"):
        hostile(capsys, "validate", folder(tmp_path, text), 1, at("demo.yaml", "1:1: error: the document is empty (null)"))


def test_regression_hostile_files_through_the_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache keeps and replays problems of hostile files exactly (cold and warm runs agree)."""
    monkeypatch.delenv("ROADMAP_NO_CACHE")
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(tmp_path / "cache"))
    text = sub("title: Demo roadmap", "title: Demo\u2028roadmap")
    text = sub("    progress: 40", "    progress: .nan", text)
    path = folder(tmp_path, text)
    first = run(capsys, "validate", str(path))
    second = run(capsys, "validate", str(path))
    assert first == second and first[0] == 1
    assert found("14:15: error: .nan is not a number (NaN)", first[1])


def test_the_billion_laughs_constant_is_what_it_claims() -> None:
    assert BILLION_LAUGHS.splitlines()[1] == "b: &b [" + ", ".join(["*a"] * 9) + "]"
    assert textwrap.dedent(BILLION_LAUGHS) == BILLION_LAUGHS


def test_the_characters_refused_are_those_yaml_does_not_allow() -> None:
    """yamlsrc lists the characters YAML 1.2 does not allow (5.1, c-printable); the set is the
    complement of those it allows, for every code point."""
    from roadmap_cli.yamlsrc import _NOT_PRINTABLE

    printable = re.compile("[\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    differ = [code for code in range(0x110000)
              if (_NOT_PRINTABLE.match(chr(code)) is None) != bool(printable.match(chr(code)))]
    assert differ == []
