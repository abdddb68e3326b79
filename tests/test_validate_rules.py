"""Every rule id, each with a small broken file and the exact line, column, severity and rule.

In the style of yamllint's rule tests: a minimal valid repository (``VALID`` + ``AGENCIES``) is
written to ``tmp_path``, one breakage is applied, ``load_paths`` runs, and the test lists every
problem expected as ``(line, column, severity, rule)``. Nothing else may be reported.
"""

from __future__ import annotations

import os
import re
import socket
from datetime import date
from pathlib import Path

import pytest

from roadmap_cli import load, rules, rules_today, schema, yamlsrc
from roadmap_cli.load import load_paths

E, W = "error", "warning"

AGENCIES = """\
agencies:
  - id: kz-mic
    name: {en: Ministry of Industry, ru: Министерство промышленности}
    country: KZ
    level: national
  - id: by-minprom
    name: Ministry of Industry of Belarus
    country: BY
    level: national
  - id: by-mtz
    name: Minsk Tractor Works
    country: BY
    level: enterprise
    parent: by-minprom
"""

# line numbers are referred to by the tests: keep them
VALID = """\
id: demo
kind: roadmap
title: Demo roadmap
parties: [kz-mic, by-minprom]
signed: {date: 2025-11-05, place: Astana}
period: {start: 2026-01-01, end: 2028-12-31}
measures:
  - id: "1"
    title: First measure
    owners: [kz-mic]
    co_executors: [by-mtz]
    due: 2026-Q4
    status: in_progress
    progress: 40
  - id: "2"
    title: {en: Second measure, ru: Второе мероприятие}
    owners: [by-minprom]
    due: {every: quarter, from: 2026-Q1, until: 2026-Q4, grace: 15}
    status: in_progress
    depends_on: ["1"]
    reports:
      - {period: 2026-Q1, date: 2026-04-10}
  - id: "3"
    title: Third measure
    owners: [kz-mic]
    due: 2026-06
    status: done
    completed: 2026-05-20
    evidence:
      - {title: Protocol, date: 2026-05-20, url: "https://example.org/p"}
    indicators:
      - id: tractors
        title: Tractors
        unit: units
        baseline: 0
        target: 100
        actuals: [{date: 2026-05-01, value: 40}]
"""

KNOWN_RULES = {
    **yamlsrc.RULE_IDS,
    **load.RULE_IDS,
    **schema.RULE_IDS,
    **{r.id: str(r.severity) for r in rules.RULES},
    **rules_today.DATED_RULE_IDS,
}
TESTED: set[str] = set()


def sub(old: str, new: str, text: str = VALID) -> str:
    """``text`` with ``old`` (which must occur exactly once) replaced by ``new``."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def problems(
    tmp_path: Path,
    roadmap: str | bytes | None = VALID,
    *,
    agencies: str | bytes | None = AGENCIES,
    name: str = "demo.yaml",
    today: date | None = None,
) -> list[tuple[int, int, str, str]]:
    """(line, column, severity, rule) of every problem of the repository, in report order."""
    folder = tmp_path / "roadmaps"
    folder.mkdir(exist_ok=True)
    for file, content in ((name, roadmap), ("agencies.yaml", agencies)):
        if content is not None:
            data = content.encode("utf-8") if isinstance(content, str) else content
            (folder / file).write_bytes(data)
    repo = load_paths([str(folder)], today=today)
    out = []
    for p in repo.problems:
        assert p.rule in KNOWN_RULES, f"undeclared rule id {p.rule!r}"
        assert str(p.severity) == KNOWN_RULES[p.rule], p
        assert p.message and "\n" not in p.message
        out.append((p.line, p.column, str(p.severity), p.rule))
    TESTED.update(r for *_, r in out)
    return out


def check(tmp_path: Path, roadmap: str | bytes | None, *expected: tuple[int, int, str, str], **kw: object) -> None:
    assert problems(tmp_path, roadmap, **kw) == list(expected)  # type: ignore[arg-type]


def messages(tmp_path: Path, roadmap: str | bytes, today: date | None = None) -> list[str]:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "agencies.yaml").write_text(AGENCIES, encoding="utf-8")
    data = roadmap.encode("utf-8") if isinstance(roadmap, str) else roadmap
    (folder / "demo.yaml").write_bytes(data)
    return [
        f"{p.line}:{p.column}: {p.severity}: {p.message} [{p.rule}]"
        for p in load_paths([str(folder)], today=today).problems
    ]


def test_the_minimal_repository_is_valid(tmp_path: Path) -> None:
    check(tmp_path, VALID)


# --- reading the YAML (yamlsrc) ---------------------------------------------------------------


def test_syntax_unclosed_flow_sequence(tmp_path: Path) -> None:
    # libyaml notices at the next key's colon that the list was never closed; the problem points
    # at the '[' that was opened and says how to close it
    text = sub("parties: [kz-mic, by-minprom]", "parties: [kz-mic, by-minprom")
    check(tmp_path, text, (4, 10, E, "syntax"))
    assert "not closed: end it with ]" in messages(tmp_path, text)[0]


def test_syntax_tab_indentation_names_the_tab(tmp_path: Path) -> None:
    text = sub("    title: First measure", "\ttitle: First measure")
    check(tmp_path, text, (9, 1, E, "syntax"))
    assert "tabs" in messages(tmp_path, text)[0]


def test_syntax_control_character(tmp_path: Path) -> None:
    text = sub("title: Demo roadmap", "title: Demo \x1b[31mroadmap")
    check(tmp_path, text, (3, 13, E, "syntax"))
    assert "U+001B" in messages(tmp_path, text)[0]


def test_syntax_nul_byte_is_binary(tmp_path: Path) -> None:
    check(tmp_path, sub("kind: roadmap", "kind: road\x00map"), (2, 11, E, "syntax"))


def test_syntax_undefined_alias(tmp_path: Path) -> None:
    check(tmp_path, sub("title: Demo roadmap", "title: *nowhere"), (3, 8, E, "syntax"))


def test_multiple_documents(tmp_path: Path) -> None:
    check(tmp_path, VALID + "---\nid: other\n", (38, 1, E, "multiple-documents"))


def test_duplicate_key_top_level(tmp_path: Path) -> None:
    check(tmp_path, sub("kind: roadmap\n", "kind: roadmap\nkind: memorandum\n"), (3, 1, E, "duplicate-key"))


def test_duplicate_key_in_a_measure(tmp_path: Path) -> None:
    text = sub("    progress: 40\n", "    progress: 40\n    progress: 50\n")
    check(tmp_path, text, (15, 5, E, "duplicate-key"))
    assert "duplicate key 'progress' (first at line 14)" in messages(tmp_path, text)[0]


def test_duplicate_key_deep_in_a_flow_mapping(tmp_path: Path) -> None:
    check(
        tmp_path,
        sub("actuals: [{date: 2026-05-01, value: 40}]", "actuals: [{date: 2026-05-01, value: 40, value: 41}]"),
        (37, 49, E, "duplicate-key"),
    )


def test_key_type_number_key(tmp_path: Path) -> None:
    check(tmp_path, sub("kind: roadmap\n", "kind: roadmap\n1: one\n"), (3, 1, E, "key-type"))


def test_key_type_list_key(tmp_path: Path) -> None:
    check(tmp_path, sub("kind: roadmap\n", "kind: roadmap\n? [a, b]\n: one\n"), (3, 3, E, "key-type"))


@pytest.mark.parametrize(
    "merge",
    ["  - <<: {owners: [kz-mic], status: not_started}\n", "  - <<: *first\n"],
    ids=["flow", "alias"],
)
def test_key_type_merge_key(tmp_path: Path, merge: str) -> None:
    # YAML 1.1's merge key, once at the '<<': not "unknown key '<<'" and "the required key
    # 'owners' is missing" for each key the merge was meant to bring (a YAML 1.2 reader brings none)
    text = sub("measures:\n  - id: \"1\"", "measures:\n  - &first\n    id: \"1\"") + (
        merge + '    id: "9"\n    title: Ninth\n    due: 2026-Q4\n'
    )
    line = text.count("\n") - 3  # the line of the merge
    check(tmp_path, text, (line, 5, E, "key-type"))
    assert "'<<' is a YAML merge key" in messages(tmp_path, text)[0]


def test_a_quoted_merge_key_is_an_unknown_key(tmp_path: Path) -> None:
    text = sub("    progress: 40\n", '    progress: 40\n    "<<": x\n')
    check(tmp_path, text, (15, 5, E, "schema-unknown-key"))


def test_yaml_tag_python_object(tmp_path: Path) -> None:
    check(
        tmp_path,
        sub("title: Demo roadmap", "title: !!python/object/apply:os.system ['true']"),
        (3, 8, E, "yaml-tag"),
    )


def test_yaml_tag_custom_and_mismatched(tmp_path: Path) -> None:
    text = sub("kind: roadmap", "kind: !roadmap roadmap")
    text = sub("    progress: 40", "    progress: !!int forty", text)
    check(tmp_path, text, (2, 7, E, "yaml-tag"), (14, 15, E, "yaml-tag"))


def test_encoding(tmp_path: Path) -> None:
    data = sub("title: Demo roadmap", "title: Demo r\udcffoadmap").encode("utf-8", "surrogateescape")
    check(tmp_path, data, (3, 14, E, "encoding"))


def test_encoding_utf16_says_so(tmp_path: Path) -> None:
    data = VALID.encode("utf-16")
    check(tmp_path, data, (1, 1, E, "encoding"))
    assert "UTF-16" in messages(tmp_path, data)[0]


@pytest.mark.parametrize(
    ("title", "encoding", "cp1251"),
    [("Дорожная карта «Астана — Минск» № 1, ёлка", "cp1251", True),
     ("Дорожная карта", "cp1251", True),
     ("café naïve été", "latin-1", False)],
)
def test_a_russian_file_saved_in_windows_1251_is_told_so(
    tmp_path: Path, title: str, encoding: str, cp1251: bool
) -> None:
    """A file Notepad or Excel saved in Windows-1251 was told only "save the file as UTF-8";
    it is told what it is. A Latin-1 accent between ASCII letters is not taken for it."""
    text = sub("title: Demo roadmap", f"title: {title}")
    try:  # the whole file as saved; the Latin-1 one keeps the file's other Cyrillic in UTF-8
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8").replace(title.encode("utf-8"), title.encode(encoding))
    found = yamlsrc.parse(data, "x.yaml").problems
    assert [p.rule for p in found] == ["encoding"]
    assert ("looks like Windows-1251" in found[0].message) is cp1251, found[0].message


@pytest.mark.parametrize("path", ["examples/kz-by-machinery-sample.docx", "OLE2"])
def test_a_word_or_excel_file_is_named_as_such_not_told_to_be_saved_as_utf8(tmp_path: Path, path: str) -> None:
    """`roadmap validate signed.docx` said "the file is not UTF-8 ...; save the file as UTF-8",
    which sends an officer to re-save a Word document; it names the command that reads it."""
    if path == "OLE2":
        data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4
    else:
        data = (Path(__file__).resolve().parent.parent / path).read_bytes()
    found = yamlsrc.parse(data, "signed.yaml").problems
    assert [p.rule for p in found] == ["encoding"]
    assert "roadmap import" in found[0].message and "save the file as UTF-8" not in found[0].message


def test_merge_conflict_at_the_first_marker(tmp_path: Path) -> None:
    text = sub(
        "    status: in_progress\n    progress: 40\n",
        "<<<<<<< HEAD\n    status: in_progress\n=======\n    status: done\n>>>>>>> feature\n",
    )
    check(tmp_path, text, (13, 1, E, "merge-conflict"))


@pytest.mark.parametrize("text", ["", "# only a comment\n# and another\n", "---\n", "~\n", "null"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    check(tmp_path, text, (1, 1, E, "empty-file"))


def test_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsrc, "MAX_FILE_BYTES", len(VALID) - 1)
    check(tmp_path, VALID, (1, 1, E, "file-too-large"))


def test_too_deep(tmp_path: Path) -> None:
    deep = "[" * (yamlsrc.MAX_DEPTH + 5) + "]" * (yamlsrc.MAX_DEPTH + 5)
    # `notes` is at depth 1: its value's brackets are depth 1, 2, ...: depth 65 is the 65th `[`
    check(tmp_path, VALID + f"notes: {deep}\n", (38, 7 + yamlsrc.MAX_DEPTH + 1, E, "too-deep"))


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsrc, "MAX_NODES", 10)
    # keys and values are counted from the root: in agencies.yaml the 11th is the key `ru` of
    # line 3; in demo.yaml it is by-minprom (id, demo, kind, roadmap, title, Demo roadmap,
    # parties, the list, kz-mic are 2nd to 10th)
    check(tmp_path, VALID, (3, 38, E, "too-large"), (4, 19, E, "too-large"))


def test_alias_limit_billion_laughs(tmp_path: Path) -> None:
    bomb = "".join(
        f"{k}: &{k} [{', '.join(['*' + p] * 9) if p else ', '.join(['x'] * 9)}]\n"
        for p, k in zip(["", "a", "b", "c", "d", "e"], ["a", "b", "c", "d", "e", "f"], strict=True)
    )
    # through aliases: b reaches 9 x 10 values (90), c 9 x 91 (819), d 9 x 820 (7,380): 8,289;
    # e's first alias of d (7,381 more) passes 10,000 and stops the reading there
    check(tmp_path, bomb, (5, 8, E, "alias-limit"))


def test_alias_limit_self_reference(tmp_path: Path) -> None:
    check(tmp_path, sub("title: Demo roadmap", "title: &t [a, *t]"), (3, 15, E, "alias-limit"))


def test_aliases_below_the_limit_are_plain_values(tmp_path: Path) -> None:
    text = sub("    owners: [kz-mic]\n    co_executors", "    owners: &lead [kz-mic]\n    co_executors")
    text = sub("    owners: [kz-mic]\n    due: 2026-06", "    owners: *lead\n    due: 2026-06", text)
    check(tmp_path, text)


@pytest.mark.parametrize(
    ("value", "reading"),
    [("yes", "the string 'yes'"), ("NO", "the string 'NO'"), ("on", "the string 'on'"),
     ("0755", "the number 755"), ("1:30", "the string '1:30'")],
)
def test_yaml_ambiguous(tmp_path: Path, value: str, reading: str) -> None:
    text = sub("notes", "notes", VALID + f"notes: {value}\n")
    found = problems(tmp_path, text)
    assert (38, 8, W, "yaml-ambiguous") in found
    message = next(m for m in messages(tmp_path, text) if "yaml-ambiguous" in m)
    assert f"is read as {reading}, but YAML 1.1 reads it as" in message and "quote it" in message


def test_yaml_ambiguous_where_a_string_is_fine_is_only_a_warning(tmp_path: Path) -> None:
    check(tmp_path, sub("place: Astana", "place: yes"), (5, 35, W, "yaml-ambiguous"))


def test_comment_cuts_value(tmp_path: Path) -> None:
    text = sub("title: First measure", "title: Fix #12 quickly")
    check(tmp_path, text, (9, 12, W, "comment-cuts-value"))
    assert messages(tmp_path, text) == [
        (
            "9:12: warning: measure 1: the value reads as 'Fix': '#12 quickly' is a comment; quote the whole "
            "value to keep the '#' [comment-cuts-value]"
        )
    ]


@pytest.mark.parametrize("char", ["\u2028", "\u0085", "\u2029"])
def test_line_separator_keeps_later_lines_right(tmp_path: Path, char: str) -> None:
    text = sub("title: Demo roadmap", f"title: Demo{char}roadmap")
    text = sub("    status: done", "    status: finished", text)
    check(tmp_path, text, (3, 12, W, "line-separator"), (27, 13, E, "schema-enum"))


@pytest.mark.parametrize("value", [".nan", ".inf", "-.Inf", "1e400", "9" * 5000, "0" + "7" * 400])
def test_bad_number(tmp_path: Path, value: str) -> None:
    check(tmp_path, sub("    progress: 40", f"    progress: {value}"), (14, 15, E, "bad-number"))


def test_bad_number_weight_infinity(tmp_path: Path) -> None:
    check(tmp_path, sub("    progress: 40", "    progress: 40\n    weight: .inf"), (15, 13, E, "bad-number"))


# --- finding and reading files (load) ---------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_unreadable_symlink_loop(tmp_path: Path) -> None:
    folder = tmp_path / "roadmaps"
    folder.mkdir()
    (folder / "loop.yaml").symlink_to("loop.yaml")
    check(tmp_path, VALID, (1, 1, E, "unreadable"))
    assert load_paths([str(folder)]).problems[0].file == str(folder / "loop.yaml")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_unreadable_dangling_link(tmp_path: Path) -> None:
    folder = tmp_path / "roadmaps"
    folder.mkdir()
    (folder / "gone.yaml").symlink_to("nowhere.yaml")
    check(tmp_path, VALID, (1, 1, E, "unreadable"))
    assert "'nowhere.yaml', which does not exist" in load_paths([str(folder)]).problems[0].message


def test_not_a_file_folder(tmp_path: Path) -> None:
    (tmp_path / "roadmaps" / "x.yaml").mkdir(parents=True)
    check(tmp_path, VALID, (1, 1, W, "not-a-file"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_not_a_file_named_pipe_does_not_block(tmp_path: Path) -> None:
    (tmp_path / "roadmaps").mkdir()
    os.mkfifo(tmp_path / "roadmaps" / "pipe.yaml")
    check(tmp_path, VALID, (1, 1, W, "not-a-file"))


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets")
def test_not_a_file_socket(tmp_path: Path) -> None:
    """A socket cannot be opened (ENXIO): skipped like a named pipe, not an unreadable file."""
    (tmp_path / "roadmaps").mkdir()
    here = os.getcwd()
    os.chdir(tmp_path / "roadmaps")  # (a socket's path is limited to about 100 bytes)
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind("s.yaml")
            check(tmp_path, VALID, (1, 1, W, "not-a-file"))
    finally:
        os.chdir(here)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_agencies_that_is_not_a_file_is_no_registry(tmp_path: Path) -> None:
    """agencies.yaml that is a named pipe is skipped (a warning) and is then missing: an error,
    else every agency would go unchecked (found by an audit: exit 0, unknown owners shown)."""
    (tmp_path / "roadmaps").mkdir()
    os.mkfifo(tmp_path / "roadmaps" / "agencies.yaml")
    assert problems(tmp_path, VALID, agencies=None) == [
        (1, 1, E, "agencies-missing"), (1, 1, W, "not-a-file")]


@pytest.mark.parametrize("text", ["", "~\n"])
def test_an_empty_registry_is_told_what_it_should_hold(tmp_path: Path, text: str) -> None:
    """It said "expected a mapping (id, kind, title, parties, ...)": a document's keys."""
    check(tmp_path, VALID, (1, 1, E, "empty-file"), agencies=text)
    repo = load_paths([str(tmp_path / "roadmaps")])
    (problem,) = [p for p in repo.problems if p.rule == "empty-file"]
    assert problem.message.endswith("expected a mapping (agencies: ...)")


def test_agencies_that_is_a_folder_is_no_registry(tmp_path: Path) -> None:
    """A folder named agencies.yaml: one warning that it is a folder, and the registry missing
    (it said both 'cannot read the file: Is a directory' and 'it is skipped')."""
    (tmp_path / "roadmaps" / "agencies.yaml").mkdir(parents=True)
    assert problems(tmp_path, VALID, agencies=None) == [
        (1, 1, E, "agencies-missing"), (1, 1, W, "not-a-file")]


def test_agencies_missing(tmp_path: Path) -> None:
    check(tmp_path, VALID, (1, 1, E, "agencies-missing"), agencies=None)
    repo = load_paths([str(tmp_path / "roadmaps")])
    assert repo.problems[0].file == str(tmp_path / "roadmaps" / "agencies.yaml")


# --- the schema ---------------------------------------------------------------------------------


def test_schema_type_title_number(tmp_path: Path) -> None:
    text = sub("title: Demo roadmap", "title: 12")
    check(tmp_path, text, (3, 8, E, "schema-type"))
    assert "expected a title: a non-empty string, or a map of language code" in messages(tmp_path, text)[0]


def test_schema_type_top_level_list(tmp_path: Path) -> None:
    check(tmp_path, "- id: demo\n- kind: roadmap\n", (1, 1, E, "schema-type"))


def test_schema_type_measures_left_empty(tmp_path: Path) -> None:
    text = VALID.split("measures:")[0] + "measures:\n"
    check(tmp_path, text, (7, 10, E, "schema-type"))
    assert messages(tmp_path, text) == [
        "7:10: error: measures: expected a list, not an empty value [schema-type]"
    ]


def test_schema_type_boolean_where_a_string_is_expected(tmp_path: Path) -> None:
    check(tmp_path, sub("place: Astana", "place: true"), (5, 35, E, "schema-type"))


def test_schema_required_at_the_mapping_that_lacks_it(tmp_path: Path) -> None:
    text = sub("    status: in_progress\n    progress: 40\n", "    progress: 40\n")
    check(tmp_path, text, (8, 5, E, "schema-required"))
    assert messages(tmp_path, text) == [
        "8:5: error: measure 1: the required key 'status' is missing [schema-required]"
    ]


def test_schema_required_top_level(tmp_path: Path) -> None:
    check(tmp_path, sub("kind: roadmap\n", ""), (1, 1, E, "schema-required"))


def test_schema_unknown_key_with_a_suggestion(tmp_path: Path) -> None:
    text = sub("    status: in_progress\n    progress: 40", "    stauts: in_progress\n    progress: 40")
    found = problems(tmp_path, text)
    assert (13, 5, E, "schema-unknown-key") in found and (8, 5, E, "schema-required") in found
    assert "unknown key 'stauts'; did you mean 'status'?" in " ".join(messages(tmp_path, text))


def test_schema_enum(tmp_path: Path) -> None:
    text = sub("    status: done", "    status: finished")
    check(tmp_path, text, (27, 13, E, "schema-enum"))
    assert messages(tmp_path, text) == [
        (
            "27:13: error: measure 3: status: 'finished' is not one of: not_started, in_progress, "
            "done, blocked, cancelled [schema-enum]"
        )
    ]


def test_schema_enum_yaml11_boolean_is_read_as_text(tmp_path: Path) -> None:
    # `status: no` is the string 'no' (YAML 1.2 core): not a status, and a warning to quote it
    check(tmp_path, sub("    status: done", "    status: no"), (27, 13, E, "schema-enum"), (27, 13, W, "yaml-ambiguous"))


def test_schema_pattern(tmp_path: Path) -> None:
    check(tmp_path, sub("      - id: tractors", "      - id: -tractors"), (32, 13, E, "schema-pattern"))


def test_schema_pattern_in_agencies(tmp_path: Path) -> None:
    check(tmp_path, VALID, (4, 14, E, "schema-pattern"), agencies=sub("country: KZ", "country: kz", AGENCIES))


def test_schema_range(tmp_path: Path) -> None:
    check(tmp_path, sub("    progress: 40", "    progress: 140"), (14, 15, E, "schema-range"))


def test_schema_empty_list(tmp_path: Path) -> None:
    check(tmp_path, sub("    owners: [by-minprom]", "    owners: []"), (17, 13, E, "schema-empty"))


def test_schema_empty_string(tmp_path: Path) -> None:
    check(tmp_path, sub("title: Demo roadmap", 'title: ""'), (3, 8, E, "schema-empty"))


def test_schema_duplicate(tmp_path: Path) -> None:
    # at the repeat, naming it (not at the '[' of the list: which of its values?)
    text = sub("parties: [kz-mic, by-minprom]", "parties: [kz-mic, kz-mic]")
    check(tmp_path, text, (4, 19, E, "schema-duplicate"))
    assert messages(tmp_path, text) == [
        "4:19: error: parties[1]: 'kz-mic' is listed twice (first at line 4, column 11); remove one [schema-duplicate]"
    ]


def test_schema_duplicate_each_repeat_of_a_long_list(tmp_path: Path) -> None:
    text = sub("    owners: [kz-mic]\n    co_executors", "    owners: [kz-mic, by-minprom, by-mtz, by-minprom, kz-mic]\n    co_executors")
    check(tmp_path, text, (10, 42, E, "schema-duplicate"), (10, 54, E, "schema-duplicate"))


def test_schema_problem_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "MAX_PROBLEMS", 2)
    text = sub("kind: roadmap", "kind: treaty")
    text = sub("    status: done", "    status: finished", text)
    text = sub("    progress: 40", "    progress: 400", text)
    check(tmp_path, text, (1, 1, E, "schema"), (2, 7, E, "schema-enum"), (14, 15, E, "schema-range"))


def test_unquoted_id(tmp_path: Path) -> None:
    text = sub('  - id: "2"', "  - id: 1.10")
    check(tmp_path, text, (15, 9, E, "unquoted-id"))
    assert messages(tmp_path, text) == [
        '15:9: error: measure 1.10: id: the id 1.10 is read as the number 1.1; quote it: "1.10" [unquoted-id]'
    ]


def test_unquoted_id_in_depends_on(tmp_path: Path) -> None:
    check(tmp_path, sub('depends_on: ["1"]', "depends_on: [1]"), (20, 18, E, "unquoted-id"))


# --- the rules (rules.RULES) -------------------------------------------------------------------


def test_impossible_date(tmp_path: Path) -> None:
    text = sub("    due: 2026-Q4", "    due: 2026-02-30")
    check(tmp_path, text, (12, 10, E, "impossible-date"))
    assert messages(tmp_path, text) == [
        "12:10: error: measure 1: 2026-02-30 is not a date: February 2026 has 28 days [impossible-date]"
    ]


@pytest.mark.parametrize(
    ("old", "new", "pos"),
    [
        ("    due: 2026-Q4", "    due: 2026-Q5", (12, 10)),
        ("    due: 2026-06", "    due: 2026-13", (26, 10)),
        ("completed: 2026-05-20", "completed: 2026-04-31", (28, 16)),
        ("{period: 2026-Q1, date", "{period: 2026-H3, date", (22, 18)),
        ("start: 2026-01-01", "start: 2026-00-01", (6, 17)),
    ],
)
def test_impossible_date_everywhere(tmp_path: Path, old: str, new: str, pos: tuple[int, int]) -> None:
    # one problem per value: the rule's message replaces the schema's pattern complaint
    check(tmp_path, sub(old, new), (*pos, E, "impossible-date"))


@pytest.mark.parametrize(
    ("old", "new", "pos", "fixed"),
    [
        ("completed: 2026-05-20", "completed: 20.05.2026", (28, 16), "2026-05-20"),
        ("completed: 2026-05-20", "completed: 20/05/2026", (28, 16), "2026-05-20"),
        ("completed: 2026-05-20", "completed: 2026.05.20", (28, 16), "2026-05-20"),
        ("completed: 2026-05-20", "completed: 20 мая 2026", (28, 16), "2026-05-20"),
        ("completed: 2026-05-20", "completed: 20 мая 2026 г.", (28, 16), "2026-05-20"),
        ("completed: 2026-05-20", "completed: May 20, 2026", (28, 16), "2026-05-20"),
        ("    due: 2026-Q4", "    due: 31.12.2026", (12, 10), "2026-12-31"),
        ("    due: 2026-Q4", "    due: Q4 2026", (12, 10), "2026-Q4"),
        ("    due: 2026-Q4", "    due: IV квартал 2026", (12, 10), "2026-Q4"),
        ("    due: 2026-06", "    due: июнь 2026", (26, 10), "2026-06"),
        ("start: 2026-01-01", "start: 01.01.2026", (6, 17), "2026-01-01"),
    ],
)
def test_date_format_says_how_to_write_it(
    tmp_path: Path, old: str, new: str, pos: tuple[int, int], fixed: str
) -> None:
    text = sub(old, new)
    check(tmp_path, text, (*pos, E, "date-format"))
    assert messages(tmp_path, text)[0].endswith(f"write it as {fixed} [date-format]")


def test_date_format_names_the_measure(tmp_path: Path) -> None:
    assert messages(tmp_path, sub("    due: 2026-Q4", "    due: 31.12.2026")) == [
        "12:10: error: measure 1: 31.12.2026 is written in another form: write it as 2026-12-31 [date-format]"
    ]


def test_date_format_that_names_no_day_is_an_impossible_date(tmp_path: Path) -> None:
    check(tmp_path, sub("completed: 2026-05-20", "completed: 31.02.2026"), (28, 16, E, "impossible-date"))


def test_completed_in_future(tmp_path: Path) -> None:
    text = sub("completed: 2026-05-20", "completed: 2062-05-20")
    today = date(2026, 11, 28)
    check(tmp_path, text, (28, 16, E, "completed-in-future"), today=today)
    assert messages(tmp_path, text, today=today) == [
        "28:16: error: measure 3: completed 2062-05-20 is after today (2026-11-28): a completion "
        "date records what has happened; check the year [completed-in-future]"
    ]
    # on the day itself it is fine
    check(tmp_path, sub("completed: 2026-05-20", "completed: 2026-11-28"), today=today)


@pytest.mark.parametrize("other", [
    ("    owners: [kz-mic]\n    due: 2026-06", "    owners: [kz-nope]\n    due: 2026-06", (25, 14, E, "unknown-agency")),
    ("title: Demo roadmap", "title: [Demo]", (3, 8, E, "schema-type")),
])
def test_completed_in_future_beside_other_errors(tmp_path: Path, other: tuple[str, str, tuple[int, int, str, str]]) -> None:
    """A document with another error is not built; its dated problems are still reported with
    its others (a user fixes everything in one pass), from the cache as from a cold read."""
    old, new, expected = other
    text = sub(old, new, sub("completed: 2026-05-20", "completed: 2062-05-20"))
    today = date(2026, 11, 28)
    want = sorted([expected, (28, 16, E, "completed-in-future")])
    check(tmp_path, text, *want, today=today)
    folder = tmp_path / "roadmaps"
    cache_dir = tmp_path / "cache"
    from roadmap_cli.cache import Cache

    for _run in range(2):  # the first run fills the cache, the second reads it
        repo = load.load_paths([str(folder)], cache=Cache(str(cache_dir)), today=today)
        assert [(p.line, p.column, str(p.severity), p.rule) for p in repo.problems] == want
    sources = load.read_sources(load.find_files([str(folder)]))
    found = load.problems_in(sources, str(folder / "demo.yaml"), today=today)  # update's check
    assert [(p.line, p.column, str(p.severity), p.rule) for p in found] == want
    # another day, the same entries: the date is not kept in them
    repo = load.load_paths([str(folder)], cache=Cache(str(cache_dir)), today=date(2062, 5, 20))
    assert [(p.line, p.column, str(p.severity), p.rule) for p in repo.problems] == [expected]


def test_completed_in_future_names_a_measure_as_its_other_problems_do(tmp_path: Path) -> None:
    """An unquoted id as written (1.10, not 1.1) and a measure without one by its place."""
    text = sub('  - id: "3"', "  - id: 3.10", sub("completed: 2026-05-20", "completed: 2062-05-20"))
    found = messages(tmp_path, text, today=date(2026, 11, 28))
    assert any(m.startswith("28:16: error: measure 3.10: completed 2062-05-20 is after today") for m in found)
    text = sub('  - id: "3"\n    title: Third measure', "  - title: Third measure",
               sub("completed: 2026-05-20", "completed: 2062-05-20"))
    (tmp_path / "m").rename(tmp_path / "m1")
    found = messages(tmp_path, text, today=date(2026, 11, 28))
    assert "27:16: error: measure no. 3: completed 2062-05-20 is after today" in "\n".join(found)


def test_completed_in_future_beside_other_errors_after_many_past_completions(tmp_path: Path) -> None:
    """The limit is on the problems reported (MAX_PROBLEMS per rule and file), not on the dated
    values read: a future completion after a thousand past ones is reported in a document with
    another error as in one without."""
    from roadmap_cli.limits import MAX_PROBLEMS

    head = VALID.split("measures:\n")[0] + "measures:\n"
    item = ('  - id: "{i}"\n    title: M\n    owners: [{owner}]\n    due: 2026-Q4\n'
            "    status: done\n    completed: {day}\n")
    n = MAX_PROBLEMS + 1
    for bad in (False, True):
        text = head + "".join(
            item.format(i=i, owner="kz-nope" if bad and i == 0 else "kz-mic",
                        day="2062-05-20" if i == n - 1 else "2026-05-20")
            for i in range(n)
        )
        found = problems(tmp_path, text, today=date(2026, 11, 28))
        assert [r for *_p, r in found] == [*(["unknown-agency"] if bad else []), "completed-in-future"]
    # and at most MAX_PROBLEMS of them
    text = head + "".join(item.format(i=i, owner="kz-nope" if i == 0 else "kz-mic", day="2062-05-20")
                          for i in range(MAX_PROBLEMS + 3))
    found = problems(tmp_path, text, today=date(2026, 11, 28))
    assert [r for *_p, r in found].count("completed-in-future") == MAX_PROBLEMS


def test_the_dated_problems_stop_at_the_limit_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MAX_PROBLEMS per rule and file, for built documents as for those with errors: the first
    file's future completions do not use up the second's."""
    monkeypatch.setattr(rules_today, "MAX_PROBLEMS", 2)
    folder = tmp_path / "roadmaps"
    folder.mkdir()
    (folder / "agencies.yaml").write_text(AGENCIES, encoding="utf-8")
    head = VALID.split("measures:\n")[0] + "measures:\n"
    item = ('  - id: "{i}"\n    title: M\n    owners: [kz-mic]\n    due: 2026-Q4\n'
            "    status: done\n    completed: 2062-05-20\n")
    for name in ("a", "b"):
        text = head.replace("id: demo", f"id: {name}") + "".join(item.format(i=i) for i in range(3))
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    repo = load_paths([str(folder)], today=date(2026, 11, 28))
    found = [(Path(p.file).name, p.rule) for p in repo.problems if p.rule == "completed-in-future"]
    assert found == [("a.yaml", "completed-in-future")] * 2 + [("b.yaml", "completed-in-future")] * 2


@pytest.mark.parametrize("day", ["2262-05-20", "9999-12-31"])
def test_a_completion_past_the_years_a_roadmap_names_is_one_error(tmp_path: Path, day: str) -> None:
    """`completed: 2262-05-20` is a date-range error; it is not also after today (a built
    document never holds such a date, so the rule of today's date never names it)."""
    check(tmp_path, sub("completed: 2026-05-20", f"completed: {day}"), (28, 16, E, "date-range"),
          today=date(2026, 11, 28))


@pytest.mark.parametrize("written", ["null", '""', "[3]"])
def test_completed_in_future_names_a_measure_without_a_readable_id_by_its_place(
        tmp_path: Path, written: str) -> None:
    """`id: null` or an empty id: 'measure no. 3', as the schema's error names it (not
    'measure null', 'measure :')."""
    text = sub('  - id: "3"', f"  - id: {written}", sub("completed: 2026-05-20", "completed: 2062-05-20"))
    found = messages(tmp_path, text, today=date(2026, 11, 28))
    assert "28:16: error: measure no. 3: completed 2062-05-20 is after today" in "\n".join(found), found


def test_event_in_future_without_an_id_is_named_by_its_place(tmp_path: Path) -> None:
    """Not "event 'no. 2'", which reads as an event whose id is 'no. 2'."""
    text = sub("{id: entry-into-force, title: Entry into force of the agreement, date: 2026-03-01}",
               "{title: Entry into force of the agreement, date: 2199-03-01}", SIGNED)
    found = "\n".join(messages(tmp_path, text, today=date(2026, 11, 28)))
    assert "warning: event no. 1 is dated 2199-03-01, after today (2026-11-28): record an event" in found


def test_event_in_future_beside_another_error(tmp_path: Path) -> None:
    text = sub("    owners: [by-minprom]\n    due: {every", "    owners: [by-nope]\n    due: {every", SIGNED)
    want = [(p[0], p[1], p[2], p[3]) for p in problems(tmp_path, text, today=date(2026, 2, 28))]
    assert (56, 76, W, "event-in-future") in want
    assert any(r == "unknown-agency" for *_pos, r in want)


def test_example_measure(tmp_path: Path) -> None:
    text = sub("    title: Third measure",
               "    title: {en: Example measure (replace it with the first measure of the document)}")
    check(tmp_path, text, (24, 12, W, "example-measure"))
    assert "measure 3: this is the example measure of `roadmap new`" in messages(tmp_path, text)[0]


def test_no_measures(tmp_path: Path) -> None:
    text = VALID.split("measures:\n", 1)[0] + "measures: []\n"
    check(tmp_path, text, (7, 11, W, "no-measures"))
    # the key missing is the schema's error; a list with measures has no such warning
    check(tmp_path, VALID.split("measures:\n", 1)[0], (1, 1, E, "schema-required"))


def test_date_range(tmp_path: Path) -> None:
    text = sub("date: 2026-05-20, url", "date: 0226-05-20, url")
    check(tmp_path, text, (30, 33, E, "date-range"))
    assert "0226-05-20 is outside the years 1900 to 2199" in messages(tmp_path, text)[0]


def test_date_range_grace(tmp_path: Path) -> None:
    check(tmp_path, sub("grace: 15", "grace: 100000000"), (18, 65, E, "date-range"))


def test_period_order(tmp_path: Path) -> None:
    check(tmp_path, sub("end: 2028-12-31", "end: 2025-12-31"), (6, 34, E, "period-order"))


def test_period_order_recurring(tmp_path: Path) -> None:
    check(tmp_path, sub("from: 2026-Q1, until: 2026-Q4", "from: 2026-Q3, until: 2026-Q2"), (18, 49, E, "period-order"))


def test_a_recurrence_within_one_period_is_not_an_order_error(tmp_path: Path) -> None:
    """every quarter from 2026-08-31 until 2026-07-01: the periods that hold them are one
    quarter, 2026-Q3, which it recurs in once (the contract); 2026-06-30 is the quarter before."""
    check(tmp_path, sub("from: 2026-Q1, until: 2026-Q4", "from: 2026-08-31, until: 2026-07-01"))
    check(tmp_path, sub("from: 2026-Q1, until: 2026-Q4", "from: 2026-08-31, until: 2026-06-30"),
          (18, 52, E, "period-order"))


def test_duplicate_measure_id(tmp_path: Path) -> None:
    text = sub('  - id: "3"', '  - id: "1"')
    check(tmp_path, text, (23, 9, E, "duplicate-measure-id"))
    assert "measure 1: the id '1' is used twice (first at line 8): give each measure its own id" in (
        messages(tmp_path, text)[0]
    )


def test_unknown_agency(tmp_path: Path) -> None:
    text = sub("    owners: [by-minprom]", "    owners: [by-minprm]")
    check(tmp_path, text, (17, 14, E, "unknown-agency"))
    assert "did you mean 'by-minprom'?" in messages(tmp_path, text)[0]


def test_a_due_written_as_a_russian_month_is_told_its_form(tmp_path: Path) -> None:
    """due: 10.2026 (YAML reads a number) and "10.2026" are told to be written 2026-10."""
    for n, (written, rule) in enumerate((("10.2026", "schema-type"), ('"10.2026"', "date-format"))):
        text = sub("    due: 2026-Q4", f"    due: {written}")
        (tmp_path / str(n)).mkdir()
        found = [m for m in messages(tmp_path / str(n), text) if "write it as 2026-10" in m]
        assert found and f"[{rule}]" in found[0], messages(tmp_path, text)


def test_an_agency_id_in_another_case_is_suggested(tmp_path: Path) -> None:
    """'BY-MINPROM' was told only that no agency has it (difflib compares case)."""
    text = sub("    owners: [by-minprom]", "    owners: [BY-MINPROM]")
    assert any("unknown agency 'BY-MINPROM'" in m and "did you mean 'by-minprom'?" in m
               for m in messages(tmp_path, text))


def test_unknown_agency_in_parties_and_co_executors(tmp_path: Path) -> None:
    text = sub("parties: [kz-mic, by-minprom]", "parties: [kz-mic, by-nobody]")
    text = sub("co_executors: [by-mtz]", "co_executors: [by-mtz, kz-nobody]", text)
    check(tmp_path, text, (4, 19, E, "unknown-agency"), (11, 28, E, "unknown-agency"))


def test_unknown_dependency(tmp_path: Path) -> None:
    check(tmp_path, sub('depends_on: ["1"]', 'depends_on: ["9"]'), (20, 18, E, "unknown-dependency"))


def test_dependency_cycle(tmp_path: Path) -> None:
    text = sub("    progress: 40\n", '    progress: 40\n    depends_on: ["2"]\n')
    check(tmp_path, text, (21, 18, E, "dependency-cycle"))
    assert "dependency cycle: 1 -> 2 -> 1" in messages(tmp_path, text)[0]


def test_dependency_cycle_on_itself(tmp_path: Path) -> None:
    check(tmp_path, sub('depends_on: ["1"]', 'depends_on: ["2"]'), (20, 18, E, "dependency-cycle"))


def test_done_without_completed(tmp_path: Path) -> None:
    check(tmp_path, sub("    completed: 2026-05-20\n", ""), (27, 13, E, "done-without-completed"))


@pytest.mark.parametrize("status", ["blocked", "cancelled"])
def test_missing_reason(tmp_path: Path, status: str) -> None:
    text = sub("    status: in_progress\n    depends_on", f"    status: {status}\n    depends_on")
    check(tmp_path, text, (19, 13, E, "missing-reason"))


@pytest.mark.parametrize(("word", "status"), [("выполнено", "done"), ("В работе", "in_progress"),
                                            ("заблокировано", "blocked")])
def test_a_status_in_words_is_told_its_id(tmp_path: Path, word: str, status: str) -> None:
    """A status written as the tables print it ('выполнено') was 'not one of: ...' without the
    one to write (found by a newcomer's walkthrough in Russian)."""
    text = sub("    status: in_progress\n    depends_on", f"    status: {word}\n    depends_on")
    (message,) = messages(tmp_path, text)
    assert message.endswith(f"; the file takes the status id: write {status} [schema-enum]"), message


@pytest.mark.parametrize("reason", ["'   '", '" \\t "'])
def test_missing_reason_of_spaces_only(tmp_path: Path, reason: str) -> None:
    """A reason of spaces says nothing: it passed (found by an audit)."""
    text = sub("    status: in_progress\n    depends_on", f"    status: blocked\n    reason: {reason}\n    depends_on")
    check(tmp_path, text, (19, 13, E, "missing-reason"))


def test_duplicate_roadmap_id(tmp_path: Path) -> None:
    (tmp_path / "roadmaps").mkdir()
    (tmp_path / "roadmaps" / "copy.yaml").write_text(VALID, encoding="utf-8")
    # copy.yaml comes first: demo.yaml is the duplicate; copy.yaml's name is not its id
    check(tmp_path, VALID, (1, 5, W, "file-name-mismatch"), (1, 5, E, "duplicate-roadmap-id"))
    repo = load_paths([str(tmp_path / "roadmaps")])
    assert [Path(p.file).name for p in repo.problems] == ["copy.yaml", "demo.yaml"]
    assert repo.problems[1].message == f"document id 'demo' is also the id of {repo.problems[0].file}"


def test_duplicate_agency_id(tmp_path: Path) -> None:
    again = AGENCIES + "  - id: kz-mic\n    name: Copy\n    country: KZ\n    level: national\n"
    check(tmp_path, VALID, (15, 9, E, "duplicate-agency-id"), agencies=again)


def test_unknown_parent(tmp_path: Path) -> None:
    check(tmp_path, VALID, (14, 13, E, "unknown-parent"), agencies=sub("parent: by-minprom", "parent: by-mnprom", AGENCIES))


@pytest.mark.parametrize(
    ("edit", "found"),
    [
        (("parent: by-minprom", "parent: by-mtz"), [(14, 13, E, "parent-cycle")]),  # its own parent
        (("    level: national\n  - id: by-minprom", "    level: national\n    parent: by-mtz\n"
          "  - id: by-minprom"), []),  # a chain that ends: no cycle
        (("  - id: by-minprom\n    name: Ministry of Industry of Belarus\n",
          "  - id: by-minprom\n    parent: by-mtz\n    name: Ministry of Industry of Belarus\n"),
         [(15, 13, E, "parent-cycle")]),  # by-minprom -> by-mtz -> by-minprom, once
    ],
)
def test_parent_cycle(tmp_path: Path, edit: tuple[str, str], found: list[tuple[int, int, str, str]]) -> None:
    """An agency that is its own parent, or a chain of parents back to it, is one error at the
    parent that closes the cycle (it was accepted)."""
    check(tmp_path, VALID, *found, agencies=sub(*edit, AGENCIES))


def test_deadline_outside_period(tmp_path: Path) -> None:
    check(tmp_path, sub("    due: 2026-06", "    due: 2029-06"), (26, 10, W, "deadline-outside-period"))


def test_deadline_outside_period_recurring(tmp_path: Path) -> None:
    check(tmp_path, sub("from: 2026-Q1", "from: 2025-Q1"), (18, 33, W, "deadline-outside-period"))


def test_completed_before_signed(tmp_path: Path) -> None:
    check(tmp_path, sub("completed: 2026-05-20", "completed: 2025-05-20"), (28, 16, W, "completed-before-signed"))


def test_file_name_mismatch(tmp_path: Path) -> None:
    check(tmp_path, VALID, (1, 5, W, "file-name-mismatch"), name="other-name.yaml")


def test_progress_not_in_progress(tmp_path: Path) -> None:
    check(tmp_path, sub("    completed: 2026-05-20\n", "    completed: 2026-05-20\n    progress: 100\n"), (29, 15, W, "progress-not-in-progress"))


def test_progress_beside_a_status_that_is_none_of_the_five(tmp_path: Path) -> None:
    """`status: in progress` is the schema's error (did you mean 'in_progress'?): no warning
    that "the status is in progress" beside it."""
    text = sub("    status: in_progress\n    progress: 40", "    status: in progress\n    progress: 40")
    check(tmp_path, text, (13, 13, E, "schema-enum"))


def test_progress_warning_beside_a_status_that_is_a_list(tmp_path: Path) -> None:
    """A status that is not text (a list) on one measure does not silence the warning on
    another: the rule reads each measure's status as text or not at all."""
    text = sub("    status: in_progress\n    progress: 40", "    status: [in_progress]\n    progress: 40",
               sub("    completed: 2026-05-20\n", "    completed: 2026-05-20\n    progress: 100\n"))
    found = problems(tmp_path, text)
    assert (29, 15, W, "progress-not-in-progress") in found


def test_report_outside_schedule(tmp_path: Path) -> None:
    check(
        tmp_path,
        sub("    status: done\n", "    status: done\n    reports: [{period: 2026-Q1}]\n"),
        (28, 15, W, "report-outside-schedule"),
    )


def test_report_of_another_period_kind(tmp_path: Path) -> None:
    check(tmp_path, sub("{period: 2026-Q1, date", "{period: 2026-03, date"), (22, 18, W, "report-outside-schedule"))


# --- signed documents as they really are (roadmap_cli/rules_signed.py) ------------------------

# VALID with two more measures and the document-level lists; docs/rules.md shows these lines
SIGNED = VALID + """\
  - id: "4"
    title: Fourth measure
    owners: [kz-mic]
    section: "2"
    due: {after: entry-into-force, within: 6m}
    status: not_started
  - id: "5"
    title: Fifth measure
    owners: [by-minprom]
    section: "1"
    due: 2026-12
    rescheduled:
      - {from: 2026-09, by: protocol-1}
    status: in_progress
sections:
  - {id: "1", title: Direct ties between enterprises}
  - {id: "2", title: Supplies of machinery}
events:
  - {id: entry-into-force, title: Entry into force of the agreement, date: 2026-03-01}
  - {id: working-group, title: Working group set up}
amendments:
  - {id: protocol-1, date: 2026-06-15, title: Protocol No. 1}
  - {id: protocol-2, date: 2026-11-20, title: Protocol No. 2}
"""


def test_the_signed_forms_are_valid(tmp_path: Path) -> None:
    check(tmp_path, SIGNED)
    check(tmp_path, sub("due: 2026-12\n", "due: on_request\n", SIGNED))


def test_duplicate_indicator_id(tmp_path: Path) -> None:
    """Two indicators of one measure with one id (the schema says unique; it passed, and
    `indicators` showed both rows: found by an audit)."""
    text = sub("        actuals: [{date: 2026-05-01, value: 40}]\n",
               "        actuals: [{date: 2026-05-01, value: 40}]\n      - {id: tractors, title: Again, target: 5}\n")
    check(tmp_path, text, (38, 14, E, "duplicate-entry-id"))
    assert messages(tmp_path, text) == [
        "38:14: error: measure 3: indicator id 'tractors' is used twice (first at line 32) [duplicate-entry-id]"]


def test_unknown_section(tmp_path: Path) -> None:
    text = sub('section: "2"', 'section: "22"', SIGNED)
    check(tmp_path, text, (41, 14, E, "unknown-section"))
    assert messages(tmp_path, text) == [
        "41:14: error: measure 4: section '22' names no section of this document; did you mean '2'? [unknown-section]"
    ]


def test_unknown_section_without_sections(tmp_path: Path) -> None:
    text = sub("    progress: 40\n", '    progress: 40\n    section: "1"\n')
    check(tmp_path, text, (15, 14, E, "unknown-section"))
    assert "the document has no `sections` list" in messages(tmp_path, text)[0]


def test_duplicate_entry_id(tmp_path: Path) -> None:
    text = sub("id: protocol-2", "id: protocol-1", SIGNED)
    text = sub("{id: working-group, title", "{id: entry-into-force, title", text)
    check(tmp_path, text, (57, 10, E, "duplicate-entry-id"), (60, 10, E, "duplicate-entry-id"))
    assert messages(tmp_path, text)[1] == (
        "60:10: error: amendment id 'protocol-1' is used twice (first at line 59) [duplicate-entry-id]"
    )


def test_deadline_outside_period_after_an_anchor(tmp_path: Path) -> None:
    # entry into force 2026-03-01 + 3y = 2029-03-01, after the period's end 2028-12-31
    text = sub("within: 6m}", "within: 3y}", SIGNED)
    check(tmp_path, text, (42, 44, W, "deadline-outside-period"))
    assert messages(tmp_path, text) == [
        "42:44: warning: measure 4: the deadline 2029-03-01 is outside the document's period "
        "2026-01-01 .. 2028-12-31 [deadline-outside-period]"
    ]
    # measure 3 was completed on 2026-05-20: + 3y is 2029-05-20
    check(tmp_path, sub("{after: entry-into-force, within: 6m}", '{after: "3", within: 3y}', SIGNED),
          (42, 31, W, "deadline-outside-period"))
    # not known yet (the event has no date, the measure is not done): no deadline, no warning
    check(tmp_path, sub("{after: entry-into-force, within: 6m}", "{after: working-group, within: 3y}", SIGNED))
    check(tmp_path, sub("{after: entry-into-force, within: 6m}", '{after: "1", within: 3y}', SIGNED))


def test_unknown_anchor(tmp_path: Path) -> None:
    text = sub("after: entry-into-force", "after: entry-in-force", SIGNED)
    check(tmp_path, text, (42, 18, E, "unknown-anchor"))
    assert messages(tmp_path, text) == [
        "42:18: error: measure 4: after 'entry-in-force' names no event and no measure of this document; "
        "did you mean 'entry-into-force'? [unknown-anchor]"
    ]


def test_unknown_anchor_in_a_rescheduled_entry(tmp_path: Path) -> None:
    text = sub("{from: 2026-09, by", "{from: {after: nothing, within: 1m}, by", SIGNED)
    check(tmp_path, text, (50, 24, E, "unknown-anchor"))


def test_ambiguous_anchor(tmp_path: Path) -> None:
    text = sub("{id: working-group, title", '{id: "5", title', SIGNED)
    check(tmp_path, text, (57, 10, E, "ambiguous-anchor"))


@pytest.mark.parametrize(
    ("within", "col", "message"),
    [
        ("6 months", 44, "within '6 months' is not a time span: write a whole number and d, w, m or y (30d, 2w, 6m, 1y); did you mean 6m?"),
        ("6", 44, "within 6 is not a time span: write a whole number and d, w, m or y (30d, 2w, 6m, 1y); add the unit, e.g. 6m for 6 months or 6d for 6 days"),
        ("шесть месяцев", 44, "within 'шесть месяцев' is not a time span: write a whole number and d, w, m or y (30d, 2w, 6m, 1y)"),
        ("200y", 44, "within 200y is more than a hundred years: check the number"),
    ],
)
def test_within_form(tmp_path: Path, within: str, col: int, message: str) -> None:
    text = sub("within: 6m}", f"within: {within}}}", SIGNED)
    # one problem per value: the rule's message replaces the schema's complaint
    check(tmp_path, text, (42, col, E, "within-form"))
    assert messages(tmp_path, text) == [f"42:{col}: error: measure 4: {message} [within-form]"]


def test_an_anchored_due_missing_within_is_explained(tmp_path: Path) -> None:
    text = sub("{after: entry-into-force, within: 6m}", "{after: entry-into-force}", SIGNED)
    assert messages(tmp_path, text) == [
        "42:10: error: measure 4: due: the required key 'within' is missing [schema-required]"
    ]


def test_schedule_cycle(tmp_path: Path) -> None:
    # 4 follows 5's completion; 5 depends on 4
    text = sub("after: entry-into-force", 'after: "5"', SIGNED)
    text = sub("    status: in_progress\nsections", '    status: in_progress\n    depends_on: ["4"]\nsections', text)
    check(tmp_path, text, (52, 18, E, "schedule-cycle"))
    assert "deadline cycle: 4 -> 5 -> 4" in messages(tmp_path, text)[0]


def test_schedule_cycle_on_itself(tmp_path: Path) -> None:
    check(tmp_path, sub("after: entry-into-force", 'after: "4"', SIGNED), (42, 18, E, "schedule-cycle"))


def test_unknown_amendment(tmp_path: Path) -> None:
    text = sub("by: protocol-1}", "by: protocl-1}", SIGNED)
    check(tmp_path, text, (50, 29, E, "unknown-amendment"))
    assert messages(tmp_path, text) == [
        "50:29: error: measure 5: rescheduled by 'protocl-1', which is no amendment of this document; "
        "did you mean 'protocol-1'? [unknown-amendment]"
    ]


def test_amendment_order(tmp_path: Path) -> None:
    text = sub("date: 2026-11-20", "date: 2026-01-20", SIGNED)
    check(tmp_path, text, (60, 28, E, "amendment-order"))


def test_rescheduled_order(tmp_path: Path) -> None:
    text = sub(
        "      - {from: 2026-09, by: protocol-1}\n",
        "      - {from: 2026-06, by: protocol-2}\n      - {from: 2026-09, by: protocol-1}\n",
        SIGNED,
    )
    check(tmp_path, text, (51, 29, E, "rescheduled-order"))


def test_rescheduled_twice_by_one_amendment(tmp_path: Path) -> None:
    text = sub(
        "      - {from: 2026-09, by: protocol-1}\n",
        "      - {from: 2026-06, by: protocol-1}\n      - {from: 2026-09, by: protocol-1}\n",
        SIGNED,
    )
    check(tmp_path, text, (51, 29, E, "rescheduled-order"))


@pytest.mark.parametrize(
    ("old", "new", "pos"),
    [
        ("date: 2026-03-01}", "date: 2026-02-30}", (56, 76)),
        ("date: 2026-06-15,", "date: 2026-06-31,", (59, 28)),
        ("{from: 2026-09, by", "{from: 2026-Q5, by", (50, 16)),
    ],
)
def test_impossible_dates_of_the_signed_forms(tmp_path: Path, old: str, new: str, pos: tuple[int, int]) -> None:
    check(tmp_path, sub(old, new, SIGNED), (*pos, E, "impossible-date"))


@pytest.mark.parametrize(
    ("old", "pos", "message"),
    [
        ("{from: {every: quarter, from: 2026-Q3, until: 2026-Q1}, by", (50, 16),
         "measure 5: recurring due runs backwards: from 2026-Q3 is after until 2026-Q1"),
        ("{from: {every: quarter, grace: 1000}, by", (50, 40),
         "measure 5: a grace of 1,000 days is more than the 366 accepted"),
    ],
)
def test_rescheduled_from(tmp_path: Path, old: str, pos: tuple[int, int], message: str) -> None:
    text = sub("{from: 2026-09, by", old, SIGNED)
    check(tmp_path, text, (*pos, E, "rescheduled-from"))
    assert messages(tmp_path, text) == ["{}:{}: error: {} [rescheduled-from]".format(*pos, message)]


def test_rescheduled_from_leaves_the_rest_to_the_schema(tmp_path: Path) -> None:
    check(tmp_path, sub("{from: 2026-09, by", "{from: {every: week}, by", SIGNED), (50, 24, E, "schema-enum"))


def test_event_in_future(tmp_path: Path) -> None:
    folder = tmp_path / "roadmaps"
    folder.mkdir()
    (folder / "agencies.yaml").write_text(AGENCIES, encoding="utf-8")
    (folder / "demo.yaml").write_text(SIGNED, encoding="utf-8")
    repo = load_paths([str(folder)])
    found = [
        (p.line, p.column, str(p.severity), p.rule)
        for p in rules_today.future_events(repo.roadmaps, date(2026, 2, 28))
    ]
    assert found == [(56, 76, W, "event-in-future")]
    assert list(rules_today.future_events(repo.roadmaps, date(2026, 3, 1))) == []  # on the day: past


def test_validate_warns_of_an_event_in_the_future(tmp_path: Path) -> None:
    from clirun import run_roadmap

    folder = tmp_path / "roadmaps"
    folder.mkdir()
    (folder / "agencies.yaml").write_text(AGENCIES, encoding="utf-8")
    (folder / "demo.yaml").write_text(sub("date: 2026-03-01}", "date: 2199-03-01}", SIGNED), encoding="utf-8")
    result = run_roadmap(["validate", str(folder)], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ":56:76: warning: event 'entry-into-force' is dated 2199-03-01, after today (" in result.stdout
    assert "[event-in-future]" in result.stdout


# --- coverage of the rule ids and of the docs --------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def test_every_rule_id_is_declared_once_with_one_severity() -> None:
    groups = [yamlsrc.RULE_IDS, load.RULE_IDS, schema.RULE_IDS, {r.id: r.severity for r in rules.RULES},
              rules_today.DATED_RULE_IDS]
    names = [n for g in groups for n in g]
    assert len(names) == len(set(names))
    assert all(sev in (E, W) for sev in KNOWN_RULES.values())


def test_todo_markers_left_by_import_are_warnings(tmp_path: Path) -> None:
    text = sub("    owners: [kz-mic]\n    co_executors: [by-mtz]\n    due: 2026-Q4\n",
               '    owners: [kz-mic, "TODO: МИИР РК"]\n    co_executors: [TODO]\n    due: TODO  # к отопительному сезону\n'
               "    notes: \"TODO: срок не распознан\"\n")
    text = sub("title: Demo roadmap", "title: {ru: 'TODO: наименование документа'}", text)
    text = sub("    title: Third measure", "    title: TODO", text)
    check(tmp_path, text, (3, 8, W, "todo"), (10, 22, W, "todo"), (11, 20, W, "todo"), (12, 10, W, "todo"),
          (25, 12, W, "todo"))
    found = messages(tmp_path, text)
    assert any("agency «МИИР РК» is TODO" in m for m in found)
    assert any("due is TODO" in m for m in found)
    # once replaced, nothing is left
    check(tmp_path, VALID)


def test_todo_in_notes_alone(tmp_path: Path) -> None:
    text = sub("    progress: 40\n", "    progress: 40\n    notes: check the TODO here\n")
    check(tmp_path, text, (15, 12, W, "todo"))


def test_unmatched_agency_todo_is_not_an_unknown_agency(tmp_path: Path) -> None:
    text = sub("owners: [by-minprom]", 'owners: ["TODO: Минпромм"]')
    check(tmp_path, text, (17, 14, W, "todo"))
    text = sub("owners: [by-minprom]", 'owners: ["TODO:"]')
    check(tmp_path, text, (17, 14, E, "schema-pattern"), (17, 14, E, "unknown-agency"))


def test_agency_aliases(tmp_path: Path) -> None:
    with_aliases = AGENCIES.replace("    country: KZ\n", "    aliases: [МИИР РК, Minprom KZ]\n    country: KZ\n", 1)
    check(tmp_path, VALID, agencies=with_aliases)
    empty = AGENCIES.replace("    country: KZ\n", '    aliases: [""]\n    country: KZ\n', 1)
    check(tmp_path, VALID, (4, 15, E, "schema-empty"), agencies=empty)
    shared = AGENCIES.replace("    country: KZ\n", "    aliases: [Minprom KZ, ministry of industry of Belarus.]\n    country: KZ\n", 1)
    check(tmp_path, VALID, (4, 27, W, "ambiguous-alias"), agencies=shared)
    found = [p.message for p in load_paths([str(tmp_path / "roadmaps")]).problems]
    assert found == [
        "agency kz-mic: alias «ministry of industry of Belarus.» is also a name of by-minprom: "
        "`roadmap import` cannot tell them apart"
    ]


def test_every_rule_id_has_a_test_in_this_file() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    missing = [r for r in KNOWN_RULES if f'E, "{r}")' not in source and f'W, "{r}")' not in source]
    assert missing == []


def test_every_rule_id_is_in_docs_rules_md() -> None:
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^### `([a-z-]+)`", doc, re.MULTILINE))
    assert {r.id for r in rules.RULES} <= headings
    assert set(KNOWN_RULES) <= headings
    assert headings <= set(KNOWN_RULES), "docs/rules.md documents a rule that does not exist"
    for rule_id, severity in KNOWN_RULES.items():
        section = doc.split(f"### `{rule_id}`", 1)[1].split("\n### ", 1)[0]
        assert f"**{severity}**" in section, rule_id
        assert f"[{rule_id}]" in section, f"{rule_id}: no example message"


@pytest.mark.parametrize(
    ("new", "shown"),
    [
        ('    due: "2026-10-01 "', "'2026-10-01 '"),
        ("    due: ' 2026-10-01'", "' 2026-10-01'"),
        ('    due: "2026-10-01\\u00a0"', "'2026-10-01\\xa0'"),
        ('    due: "2026-10-01\\t"', "'2026-10-01\\t'"),
    ],
)
def test_date_format_shows_the_spaces_that_are_wrong(tmp_path: Path, new: str, shown: str) -> None:
    # a value whose only fault is a space or an invisible character around it is quoted, else
    # the message reads "2026-10-01 is written in another form: write it as 2026-10-01"; a
    # character that looks like a space is named too
    named = " (it holds a NO-BREAK SPACE, which looks like a space but is not one: type a space)"
    assert messages(tmp_path, sub("    due: 2026-Q4", new)) == [
        f"12:10: error: measure 1: {shown} is written in another form: write it as 2026-10-01"
        f"{named if 'xa0' in shown else ''} [date-format]"
    ]


def test_impossible_date_shows_an_invisible_character(tmp_path: Path) -> None:
    # a zero-width space (pasted from a web page) is not shown bare: "2026-Q4 is not a date"
    [message] = messages(tmp_path, sub("    due: 2026-Q4", '    due: "2026-Q4\\u200b"'))
    assert "'2026-Q4\\u200b' is not a date or period" in message


@pytest.mark.parametrize(
    ("old", "new", "pos", "rule", "letter"),
    [  # typed in the Cyrillic layout: each value looks right, and the message showed it so
        ("    status: in_progress\n    progress: 40", "    status: in_prоgress", (13, 13), "schema-enum",
         "'о' (CYRILLIC SMALL LETTER O)"),
        ("parties: [kz-mic,", "parties: [kz-mіc,", (4, 11), "schema-pattern",
         "'і' (CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I)"),
        ("    due: 2026-Q4", "    due: 2026-Н2", (12, 10), "impossible-date", "'Н' (CYRILLIC CAPITAL LETTER EN)"),
        ("title: {en: Second measure, ru:", "title: {en: Second measure, рu:", (16, 33), "schema-unknown-key",
         "'р' (CYRILLIC SMALL LETTER ER)"),
        ('  - id: "2"\n', '  - id: "С"\n', (15, 9), "schema-pattern", "'С' (CYRILLIC CAPITAL LETTER ES)"),
    ],
)
def test_a_cyrillic_twin_of_a_latin_letter_is_named(
    tmp_path: Path, old: str, new: str, pos: tuple[int, int], rule: str, letter: str
) -> None:
    at = "{}:{}: error".format(*pos)
    [found] = [m for m in messages(tmp_path, sub(old, new)) if m.startswith(at) and m.endswith(f"[{rule}]")]
    assert f"(it holds {letter}, not a Latin letter: retype it in the Latin keyboard layout)" in found


def test_a_word_of_another_language_is_not_called_a_slip_of_the_layout(tmp_path: Path) -> None:
    # 'выполнено' is Russian for done: the enum message says so, and no layout hint is added
    [message] = messages(tmp_path, sub("    status: in_progress\n    progress: 40", "    status: выполнено"))
    assert "Latin" not in message


@pytest.mark.parametrize("due", ["2026 год", "до 31.12.2026", "II полугодие 2026"])
def test_a_date_in_russian_words_is_not_called_a_slip_of_the_layout(tmp_path: Path, due: str) -> None:
    [message] = messages(tmp_path, sub("    due: 2026-Q4", f"    due: {due}"))
    assert "Latin" not in message


def test_duplicate_measure_id_of_an_alias_copy_points_at_the_alias(tmp_path: Path) -> None:
    # `- *first` copies measure 1: the copy's id is written at the anchor (line 9), so the
    # problem is at the alias, not at line 9 saying "first at line 9"
    text = sub('measures:\n  - id: "1"', 'measures:\n  - &first\n    id: "1"') + "  - *first\n"
    line = text.count("\n")
    check(tmp_path, text, (line, 5, E, "duplicate-measure-id"))
    assert "(first at line 9)" in messages(tmp_path, text)[0]


def test_a_month_where_a_date_is_expected_is_not_told_to_take_two_digits(tmp_path: Path) -> None:
    # 'completed: 2026-05' has two-digit months already: the padding hint was wrong advice
    [message] = messages(tmp_path, sub("completed: 2026-05-20", "completed: 2026-05"))
    assert message.endswith("2026-05 is not a date: expected YYYY-MM-DD [impossible-date]")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    status: in_progress\n    progress: 40", "     status: in_progress\n    progress: 40"),  # too far in
        ('  - id: "2"', '  - id: "2'),  # a quote not closed
        ("    title: First measure\n", "\ttitle: First measure\n"),  # a tab
    ],
    ids=["indent", "quote", "tab"],
)
def test_a_syntax_error_in_a_file_with_lone_cr_line_ends(tmp_path: Path, old: str, new: str) -> None:
    # a file saved with classic Mac line ends (CR alone): the same line, column and words as
    # with LF, not line 1 quoting the whole file
    text = sub(old, new)
    (tmp_path / "lf").mkdir()
    (tmp_path / "cr").mkdir()
    lf = messages(tmp_path / "lf", text)
    assert lf[0].split(": ")[0] != "1:1"
    assert messages(tmp_path / "cr", text.replace("\n", "\r")) == lf


@pytest.mark.parametrize(
    ("due", "fixed"),
    [("постоянно", "ongoing"), ("на постоянной основе", "ongoing"), ("по мере необходимости", "on_request"),
     ("2026 год", "2026"), ("II полугодие 2026", "2026-H2")],
)
def test_date_format_of_a_due_in_the_words_of_a_signed_text(tmp_path: Path, due: str, fixed: str) -> None:
    # the words the contract itself gives for ongoing ("постоянно", "на постоянной основе") were
    # "not a date or period: expected YYYY-MM-DD, ...", which never names ongoing
    assert messages(tmp_path, sub("    due: 2026-Q4", f"    due: {due}")) == [
        f"12:10: error: measure 1: {due} is written in another form: write it as {fixed} [date-format]"
    ]


def test_a_due_in_words_that_needs_a_choice_is_no_date_format(tmp_path: Path) -> None:
    # "до 31.12.2026" is read by the importer as 2026-12-30 (the day before): not a fix to offer
    check(tmp_path, sub("    due: 2026-Q4", "    due: до 31.12.2026"), (12, 10, E, "impossible-date"))


def test_agency_rules_run_beside_a_schema_error(tmp_path: Path) -> None:
    """The rules of agencies.yaml run on a registry the schema rejects, as far as its shape
    allows, as the rules of a document do: one `validate` lists the unknown parent and the
    twice-defined id beside the lowercase country (only the schema error was reported, and
    each of the others appeared only once it was fixed)."""
    broken = sub("parent: by-minprom", "parent: by-mnprom", AGENCIES).replace("country: BY\n    level: enterprise",
                                                                               "country: by\n    level: enterprise")
    broken += "  - id: kz-mic\n    name: Copy\n    country: KZ\n    level: national\n"
    check(tmp_path, VALID, (12, 14, E, "schema-pattern"), (14, 13, E, "unknown-parent"),
          (15, 9, E, "duplicate-agency-id"), agencies=broken)


def test_a_long_cycle_is_named_by_its_ends(tmp_path: Path) -> None:
    # a circle of 15,000 measures was one message of 124 KB: its first ten and last two are named
    n = 2_000
    measures = "".join(
        f'  - {{id: "{i}", title: T, owners: [kz-mic], due: 2026-Q4, status: not_started, '
        f'depends_on: ["{(i + 1) % n}"]}}\n' for i in range(n))
    text = VALID.split("measures:\n")[0] + "measures:\n" + measures
    found = [m for m in messages(tmp_path, text) if m.endswith("[dependency-cycle]")]
    assert len(found) == 1
    assert found[0].split(": ", 2)[2] == (
        "measure 1999: dependency cycle: 0 -> 1 -> 2 -> 3 -> 4 -> 5 -> 6 -> 7 -> 8 -> 9 -> ... 1,989 more ... "
        "-> 1999 -> 0 [dependency-cycle]")
    assert rules.chain_text(["1", "2", "1"]) == "1 -> 2 -> 1"
    assert rules.chain_text([str(i) for i in range(12)]) == " -> ".join(str(i) for i in range(12))
