"""The content-hash cache is invisible: the same output and the same model with and without it,
after a file changes, after an entry is corrupted or tampered with, after the tool version
changes; it never runs code from an entry, and a warm load imports neither yaml nor jsonschema."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import hmac
import importlib.util
import json
import marshal
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from benchgen import generate
from clirun import invoke
from parsecount import counting_parses

import roadmap_cli
from roadmap_cli import cache as cache_mod
from roadmap_cli import load, model, stored
from roadmap_cli import sources as sources_mod

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-22"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = generate(tmp_path / "roadmaps", docs=3, measures=12, seed=7)
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ROADMAP_NO_CACHE", raising=False)
    return folder


def run(*args: str) -> tuple[int, str]:
    """Exit code and output (stdout and stderr) of one command, as cli.main reports them."""
    code, out, err = invoke(*args)
    return code, out + err


COMMANDS = [
    ("status", "--format", "json", "--as-of", AS_OF),
    ("overdue", "--format", "json", "--as-of", AS_OF),
    ("upcoming", "--format", "json", "--as-of", AS_OF, "--within", "3m"),
    ("agencies", "--format", "json", "--as-of", AS_OF),
    ("validate", "--format", "json"),
    ("validate",),
]


def _available(name: str) -> bool:
    return importlib.util.find_spec(f"roadmap_cli.commands.{name}") is not None


def outputs(folder: Path, *extra: str) -> dict[str, tuple[int, str]]:
    return {
        " ".join(args): run(*args, *extra, str(folder)) for args in COMMANDS if _available(args[0])
    }


def entries(tmp_path: Path, kind: str) -> list[Path]:
    return sorted((tmp_path / "cache" / kind).glob("*.bin"))


def load_with(folder: Path, c: cache_mod.Cache | None):
    return load.load_sources(sources_mod.read_sources(sources_mod.find_files([str(folder)])), c)


def same_repository(a, b) -> None:
    """Equal model, and equal in the fields equality leaves out (positions, raw, index)."""
    assert a.problems == b.problems
    assert a.agencies == b.agencies
    assert a.roadmaps == b.roadmaps
    for ra, rb in zip(a.roadmaps, b.roadmaps, strict=True):
        assert ra.file == rb.file
        assert ra.raw == rb.raw
        assert dict(ra.source.positions) == dict(rb.source.positions)
        for ma, mb in zip(ra.measures, rb.measures, strict=True):
            assert (ma.index, ma.raw) == (mb.index, mb.raw)


# --- the same output -------------------------------------------------------------------------


def test_outputs_are_the_same_without_cache_cold_and_warm(repo: Path, tmp_path: Path) -> None:
    without = outputs(repo, "--no-cache")
    assert not (tmp_path / "cache").exists(), "--no-cache must neither read nor write"
    cold = outputs(repo)
    assert len(entries(tmp_path, "units")) == 4  # agencies.yaml and 3 documents
    warm = outputs(repo)
    assert without == cold == warm
    status = json.loads(warm[f"status --format json --as-of {AS_OF}"][1])
    assert [row["roadmap"] for row in status] == [f"kz-by-cooperation-000{i}" for i in (1, 2, 3)]


def test_a_warm_load_is_the_same_repository(repo: Path, tmp_path: Path) -> None:
    fresh = load_with(repo, None)
    cold_cache = cache_mod.Cache(str(tmp_path / "cache"))
    cold = load_with(repo, cold_cache)
    assert cold_cache.stats["unit_miss"] == 4 and cold_cache.stats["written"] == 4
    warm_cache = cache_mod.Cache(str(tmp_path / "cache"))
    warm = load_with(repo, warm_cache)
    assert warm_cache.stats == {**warm_cache.stats, "unit_hit": 4, "unit_miss": 0, "written": 0}
    same_repository(fresh, cold)
    same_repository(fresh, warm)
    # positions stay undecoded until asked for, and then answer as the dict did
    r = warm.roadmaps[0]
    assert isinstance(r.source.positions, cache_mod.LazyMap)
    assert r.source.at(("measures", 0, "due")) == fresh.roadmaps[0].source.at(("measures", 0, "due"))


def test_a_run_that_made_the_cache_folder_reads_only_what_it_wrote(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first run (the cache folder made by it) looks for no entry it did not write: it opens
    no file for a lookup, and still finds the entries it wrote (a second load in the same run,
    as `diff` loads two revisions)."""
    opened: list[str] = []
    real = cache_mod.open_own_file

    def spy(path: str) -> int:
        opened.append(path)
        return real(path)

    monkeypatch.setattr(cache_mod, "open_own_file", spy)
    first = cache_mod.Cache(str(tmp_path / "cache"))
    load_with(repo, first)
    assert first.stats["unit_miss"] == 4 and opened == []
    load_with(repo, first)  # the same run again: every unit is the one it wrote
    assert first.stats["unit_hit"] == 4 and len(opened) == 4
    later = cache_mod.Cache(str(tmp_path / "cache"))  # the next run, in a folder it did not make
    assert load_with(repo, later).problems == [] and later.stats["unit_hit"] == 4


def test_a_unit_checked_in_another_context_is_checked_again(repo: Path, tmp_path: Path) -> None:
    """The rules that look across files: a document id another file takes first, an agency
    dropped from agencies.yaml. The unchanged documents' units are checked again, not reused."""
    load_with(repo, cache_mod.Cache(str(tmp_path / "cache")))
    first = repo / "kz-by-cooperation-0001.yaml"
    _edit(first, "id: kz-by-cooperation-0001", "id: kz-by-cooperation-0002")
    c = cache_mod.Cache(str(tmp_path / "cache"))
    found = load_with(repo, c)
    same_repository(load_with(repo, None), found)
    assert any(p.rule == "duplicate-roadmap-id" and p.file.endswith("0002.yaml") for p in found.problems)
    assert c.stats["unit_hit"] == 3 and c.stats["written"] == 2  # the edited one, its twin
    _edit(first, "id: kz-by-cooperation-0002", "id: kz-by-cooperation-0001")
    _drop_first_owner(repo)
    c = cache_mod.Cache(str(tmp_path / "cache"))
    found = load_with(repo, c)
    same_repository(load_with(repo, None), found)
    assert any(p.rule == "unknown-agency" for p in found.problems)


def _drop_first_owner(repo: Path) -> str:
    """agencies.yaml without the agency that leads the first measure of the first document;
    the text it had."""
    registry = repo / "agencies.yaml"
    text = registry.read_text(encoding="utf-8")
    owner = load_with(repo, None).roadmaps[0].measures[0].owners[0]
    start = text.index(f"- id: {owner}\n")
    end = text.find("\n  - id:", start + 1)
    registry.write_text(text[:start] + (text[end + 3 :] if end != -1 else ""), encoding="utf-8")
    return text


def test_a_file_with_problems_in_a_new_context_is_checked_once(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document without problems, then with problems once an agency it names is dropped from
    agencies.yaml: its unit of before (no problems, kept under the key looked up first) was
    found at every later run, in the wrong context, and the file was parsed and checked again
    every time (found by an audit of the cache). It is checked once per change of context."""
    load_with(repo, cache_mod.Cache(str(tmp_path / "cache")))
    text = _drop_first_owner(repo)
    expected = load_with(repo, None)
    assert any(p.rule == "unknown-agency" for p in expected.problems)
    load_with(repo, cache_mod.Cache(str(tmp_path / "cache")))  # checked in the new context
    for _ in range(2):
        with monkeypatch.context() as m:
            parsed = counting_parses(m)
            found = load_with(repo, cache_mod.Cache(str(tmp_path / "cache")))
        assert parsed == []
        same_repository(expected, found)
    (repo / "agencies.yaml").write_text(text, encoding="utf-8")  # and back: checked once more, then served
    load_with(repo, cache_mod.Cache(str(tmp_path / "cache")))
    expected = load_with(repo, None)
    with monkeypatch.context() as m:
        parsed = counting_parses(m)
        found = load_with(repo, cache_mod.Cache(str(tmp_path / "cache")))
    assert parsed == []
    same_repository(expected, found)


def test_a_unit_without_problems_serves_every_language(repo: Path, tmp_path: Path) -> None:
    """Problems are worded in the interface language: a unit with problems, checked in one
    language, is checked again the first time another language asks (and its problems read in
    that one), then each language finds its own; a unit without problems is the same in every
    language, so a run in another language reads it back."""
    from roadmap_cli import i18n

    noted = repo / "kz-by-cooperation-0002.yaml"
    _edit(noted, "    title:\n      en: ", "    title:\n      en: TODO ")
    before = i18n.current()
    try:
        i18n.activate("en")
        english = load_with(repo, cache_mod.Cache(str(tmp_path / "cache")))
        assert any(p.rule == "todo" and p.file == str(noted) for p in english.problems)
        for lang, misses in (("ru", 1), ("en", 0), ("ru", 0), ("kk", 1), ("en", 0)):
            i18n.activate(lang)
            c = cache_mod.Cache(str(tmp_path / "cache"))
            found = load_with(repo, c)
            assert found.problems == load_with(repo, None).problems  # worded in this language
            assert c.stats["unit_miss"] == misses and c.stats["bad"] == 0
            assert c.stats["unit_hit"] == 4 - misses
            c = cache_mod.Cache(str(tmp_path / "cache"))
            load_with(repo, c)  # the same language again: every unit
            assert c.stats["unit_hit"] == 4
            if lang == "ru":
                assert [p.message for p in found.problems if p.rule == "todo"] != [
                    p.message for p in english.problems if p.rule == "todo"
                ]
    finally:
        i18n.activate(before)


# --- changes and staleness -------------------------------------------------------------------


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_a_changed_file_is_read_again(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs(repo)  # fill the cache
    doc = repo / "kz-by-cooperation-0002.yaml"
    _edit(doc, "status: not_started", "status: in_progress\n    progress: 50")
    c = cache_mod.Cache(str(tmp_path / "cache"))
    parsed = _counting_parses(monkeypatch)
    same_repository(load_with(repo, None), load_with(repo, c))
    assert c.stats == {**c.stats, "unit_hit": 3, "unit_miss": 1, "written": 1}
    assert parsed == [str(p) for p in sorted(repo.glob("*.yaml"))] + [str(doc)]  # uncached, cached
    assert outputs(repo) == outputs(repo, "--no-cache")


def _counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the loader reads from now on (not from the cache): checked whole,
    or only parsed for what the rules across files need of them (load.meta_of)."""
    return counting_parses(monkeypatch)


@pytest.mark.parametrize("edit", [
    ("status: not_started", "status: in_progress\n    progress: 50"),  # valid
    ("status: not_started", "status: stuck"),  # its own error
    ("id: kz-by-cooperation-0003", "id: kz-by-cooperation-0001"),  # a duplicate of an earlier id
    ("owners:\n      - ", "owners:\n      - kz-nobody\n      - "),  # an unknown agency
])
def test_the_problems_of_one_file_need_only_that_file_read(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: tuple[str, str]
) -> None:
    """What `roadmap update` checks: the problems a whole load finds in one edited file, from
    that file and what the cache knows of the others (their ids and occurrences)."""
    load_with(repo, cache_mod.Cache(str(tmp_path / "cache")))  # fill the cache
    doc = repo / "kz-by-cooperation-0003.yaml"
    _edit(doc, *edit)
    sources = sources_mod.read_sources(sources_mod.find_files([str(repo)]))
    expected = [p for p in load_with(repo, None).problems if p.file == str(doc)]
    assert any(p.severity is model.Severity.ERROR for p in expected) == (edit[1].find("progress") < 0)
    parsed = _counting_parses(monkeypatch)
    c = cache_mod.Cache(str(tmp_path / "cache"))
    assert load.problems_in(sources, str(doc), c) == expected
    assert parsed == [str(doc)] and c.stats["unit_hit"] == 3  # agencies.yaml, 0001, 0002
    assert load.problems_in(sources, str(doc), None) == expected  # the same without the cache
    # the file as read already (`roadmap update` read it for its ids): checked, not read again,
    # the same problems, and what was read is not changed (update edits from it next)
    import copy

    from roadmap_cli.yamlsrc import parse

    as_read = parse(doc.read_bytes(), str(doc))
    data = copy.deepcopy(as_read.data)
    parsed.clear()
    assert load.problems_in(sources, str(doc), None, read=as_read) == expected
    assert parsed == [str(p) for p in sorted(repo.glob("*.yaml"))[:3]]  # agencies, 0001, 0002
    assert as_read.data == data


def test_checking_one_file_with_an_empty_cache_fills_it_for_the_next(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`roadmap update` in a repository whose cache is empty (or stale) reads the files before
    the edited one for what the rules across files need (not checked whole: a first run costs
    what a run without the cache does) and keeps that: the next update reads only the edited
    file."""
    doc = repo / "kz-by-cooperation-0003.yaml"
    sources = sources_mod.read_sources(sources_mod.find_files([str(repo)]))
    expected = [p for p in load_with(repo, None).problems if p.file == str(doc)]
    parsed = _counting_parses(monkeypatch)
    assert load.problems_in(sources, str(doc), cache_mod.Cache(str(tmp_path / "cache"))) == expected
    assert parsed == [str(p) for p in sorted(repo.glob("*.yaml"))[:4]]  # agencies, 0001-0003
    parsed.clear()
    c = cache_mod.Cache(str(tmp_path / "cache"))
    assert load.problems_in(sources, str(doc), c) == expected
    assert parsed == [] and c.stats["unit_hit"] == 2  # agencies.yaml, 0003; 0001-0002 kept small
    assert any((tmp_path / "cache" / "metas").glob("*.bin"))
    assert load_with(repo, c).problems == load_with(repo, None).problems


@pytest.mark.slow
@pytest.mark.parametrize(
    "old, new, rule",
    [
        ("kind: ", "kind: [", "syntax"),
        ("status: blocked", "status: stuck", "schema-enum"),
        ('depends_on: ["', 'depends_on: ["9.9", "', "unknown-dependency"),
        ("status: blocked", "status: blocked\n    progress: 10", "progress-not-in-progress"),
    ],
)
def test_problems_come_back_the_same_from_the_cache(repo: Path, old: str, new: str, rule: str) -> None:
    doc = next(p for p in sorted(repo.glob("kz-*.yaml")) if old in p.read_text(encoding="utf-8"))
    _edit(doc, old, new)
    without = outputs(repo, "--no-cache")
    assert rule in without["validate --format json"][1]
    assert outputs(repo) == without  # cold
    assert outputs(repo) == without  # warm
    _edit(doc, new, old)  # and back: the first entries serve again
    assert outputs(repo) == outputs(repo, "--no-cache")


def test_a_renamed_file_keeps_its_own_name_in_problems(repo: Path) -> None:
    outputs(repo)
    (repo / "kz-by-cooperation-0003.yaml").rename(repo / "renamed.yaml")
    code, text = run("validate", str(repo))
    assert "renamed.yaml:4:5: warning" in text and "[file-name-mismatch]" in text
    assert (code, text) == run("validate", "--no-cache", str(repo))


def test_a_new_tool_version_makes_every_entry_stale(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = outputs(repo)
    monkeypatch.setattr(roadmap_cli, "__version__", "99.0.0")
    c = cache_mod.Cache(str(tmp_path / "cache"))
    load_with(repo, c)
    assert c.stats["unit_hit"] == 0 and c.stats["unit_miss"] == 4
    assert outputs(repo) == before


def test_the_salt_covers_the_code_and_the_schemas(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache_mod.salt()
    monkeypatch.setattr(cache_mod, "_salt", None)
    monkeypatch.setattr(cache_mod, "_package_fingerprint", lambda: b"other code")
    assert cache_mod.salt() != before
    monkeypatch.setattr(cache_mod, "_salt", None)
    monkeypatch.undo()
    assert cache_mod.salt() == before


def test_the_package_fingerprint_covers_the_message_catalogs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # problems are worded through the catalogs: a recompiled .mo must not serve old wording
    package = tmp_path / "roadmap_cli"
    catalog = package / "locale" / "ru" / "LC_MESSAGES" / "roadmap_cli.mo"
    catalog.parent.mkdir(parents=True)
    (package / "cache.py").write_text("# code\n", encoding="utf-8")
    catalog.write_bytes(b"one wording")
    monkeypatch.setattr(cache_mod, "__file__", str(package / "cache.py"))
    before = cache_mod._package_fingerprint()
    catalog.write_bytes(b"another wording")
    assert cache_mod._package_fingerprint() != before


def test_the_package_fingerprint_follows_a_schema_edited_with_its_size_and_time_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A schema says what is valid: edited in place with the same size and modification time
    (`"maximum": 100` made `"maximum":  50`, a copy that keeps times), warm runs went on serving
    units checked against the old schema (`validate`: no problems, where a run without the
    cache found errors; found by an audit of the cache)."""
    package = tmp_path / "roadmap_cli"
    schema = package / "schemas" / "roadmap.schema.json"
    schema.parent.mkdir(parents=True)
    (package / "cache.py").write_text("# code\n", encoding="utf-8")
    schema.write_bytes(b'{"maximum": 100}')
    os.utime(schema, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    monkeypatch.setattr(cache_mod, "__file__", str(package / "cache.py"))
    before = cache_mod._package_fingerprint()
    schema.write_bytes(b'{"maximum":  50}')  # the same size, the same time
    os.utime(schema, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    assert cache_mod._package_fingerprint() != before


def test_the_package_fingerprint_follows_an_edited_module(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A module edited in place (the same size: another time) or replaced by one of another size
    changes the fingerprint, as it changes Python's own bytecode cache; an untouched package
    gives the same fingerprint every run."""
    package = tmp_path / "roadmap_cli"
    package.mkdir()
    module = package / "cache.py"
    module.write_text("RULE = 1\n", encoding="utf-8")
    os.utime(module, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    monkeypatch.setattr(cache_mod, "__file__", str(module))
    before = cache_mod._package_fingerprint()
    assert cache_mod._package_fingerprint() == before
    module.write_text("RULE = 2\n", encoding="utf-8")  # the same size
    os.utime(module, ns=(1_700_000_000_000_000_001, 1_700_000_000_000_000_001))
    edited = cache_mod._package_fingerprint()
    assert edited != before
    module.write_text("RULE = 22\n", encoding="utf-8")
    os.utime(module, ns=(1_700_000_000_000_000_001, 1_700_000_000_000_000_001))  # the same time
    assert cache_mod._package_fingerprint() not in (before, edited)


# --- bad entries are never trusted -----------------------------------------------------------


def _corrupt(kind: str):
    def flip(blob: bytes) -> bytes:
        i = len(blob) // 2
        return blob[:i] + bytes([blob[i] ^ 0x40]) + blob[i + 1 :]

    return {
        "flipped byte": flip,
        "truncated": lambda b: b[: len(b) // 3],
        "header only": lambda b: b[: len(cache_mod.MAGIC) + 44],
        "empty": lambda b: b"",
        "garbage": lambda b: os.urandom(len(b)),
        "other key": lambda b: b[:8] + bytes(32) + b[40:],
    }[kind]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["flipped byte", "truncated", "header only", "empty", "garbage", "other key"])
def test_a_corrupt_entry_is_ignored_and_rebuilt(repo: Path, tmp_path: Path, kind: str) -> None:
    expected = outputs(repo, "--no-cache")
    outputs(repo)
    for entry in entries(tmp_path, "units"):
        entry.write_bytes(_corrupt(kind)(entry.read_bytes()))
    c = cache_mod.Cache(str(tmp_path / "cache"))
    same_repository(load_with(repo, None), load_with(repo, c))
    assert c.stats["unit_hit"] == 0 and c.stats["unit_miss"] == 4
    assert c.stats["bad"] == 4
    assert outputs(repo) == expected
    again = cache_mod.Cache(str(tmp_path / "cache"))
    load_with(repo, again)
    assert again.stats["unit_hit"] == 4 and again.stats["bad"] == 0  # rebuilt entries serve


def _rewrite_payload(entry: Path, payload: bytes) -> None:
    """Replace an entry's payload keeping a valid header, authenticated with the user's own key
    (as a tamperer who has the key would: the last defence is the stored form's decoder, which
    only unmarshals plain data and builds the model's classes itself)."""
    blob = entry.read_bytes()
    head = blob[: len(cache_mod.MAGIC) + 32]
    mac = hmac.new(cache_mod.secret_key(), head + payload, hashlib.sha256).digest()
    entry.write_bytes(head + len(payload).to_bytes(8, "little") + mac + payload)


class _Evil:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_tampered_entry_runs_no_code(repo: Path, tmp_path: Path) -> None:
    expected = outputs(repo, "--no-cache")
    outputs(repo)
    marker = tmp_path / "pwned"
    units = entries(tmp_path, "units")
    code = compile(f"open({str(marker)!r}, 'w').close()", "x", "exec")
    planted = [
        pickle.dumps(_Evil(marker), protocol=5),  # the form of earlier versions
        marshal.dumps(code),  # a code object unmarshals, and is never called
        marshal.dumps((code, None, None, None)),
        marshal.dumps(((stored.TAG, None, code, (), False, None, 0, None), None, None, None)),
    ]
    for entry, payload in zip(units, planted, strict=True):
        _rewrite_payload(entry, payload)
    c = cache_mod.Cache(str(tmp_path / "cache"))
    load_with(repo, c)
    assert not marker.exists()
    assert c.stats["bad"] == 4 and c.stats["unit_miss"] == 4
    assert outputs(repo) == expected
    assert not marker.exists()


def test_a_unit_of_the_wrong_shape_is_ignored(repo: Path, tmp_path: Path) -> None:
    """Authenticated entries (as by someone who has the key) that are not a unit as the cache
    stores them, or another file's: each refused and rebuilt, the answers unchanged."""
    from dataclasses import replace

    expected = outputs(repo, "--no-cache")
    outputs(repo)
    fresh = load_with(repo, None)
    doc = fresh.roadmaps[0]
    c = cache_mod.Cache(str(tmp_path / "cache"))
    key = c.unit_key(doc.file, Path(doc.file).read_bytes(), "roadmap.schema.json")
    entry = Path(c._path("units", key))
    assert entry.is_file()
    good = load.Unit(None, [], doc=True, id=doc.id,
                     roadmap=model.lean(doc))
    head, body, zraw, zpos = marshal.loads(stored.encode(good))
    elsewhere = replace(doc, source=model.Source(str(repo / "other.yaml"), {}))
    shapes = [
        marshal.dumps([1, 2, 3]),
        marshal.dumps(((*head[:3], (("not", "a problem"),), *head[4:]), body, zraw, zpos)),
        marshal.dumps(((*head[:3], (("f", 1, 1, "fatal", "r", "m"),), *head[4:]), body, zraw, zpos)),
        marshal.dumps(((*head[:6], "many", *head[7:]), body, zraw, zpos)),
        marshal.dumps((head, body[:-1], zraw, zpos)),
        marshal.dumps((head, body, None, zpos)),
        stored.encode(replace(good, roadmap=model.lean(elsewhere))),  # another file's model
    ]
    for shape in shapes:
        _rewrite_payload(entry, shape)
        c = cache_mod.Cache(str(tmp_path / "cache"))
        same_repository(fresh, load_with(repo, c))
        assert c.stats["bad"] == 1 and c.stats["unit_hit"] == 3
        assert outputs(repo) == expected


def test_the_stored_form_is_the_model(repo: Path) -> None:
    """Every field of a document and of its measures, its data and its positions come back
    from the stored form as they were built."""
    fresh = load_with(repo, None)
    assert fresh.roadmaps
    for roadmap in fresh.roadmaps:
        unit = load.Unit("c", [], doc=True, id=roadmap.id, occurrences=3,
                         roadmap=model.lean(roadmap))
        back = stored.decode(stored.encode(unit), roadmap.file)
        assert (back.context, back.doc, back.id, back.occurrences) == ("c", True, roadmap.id, 3)
        again = back.roadmap
        assert "measures" not in again.__dict__  # built when first read
        # the latest completion, known without building them (the dated rules read it)
        assert model.unbuilt_measures(again).latest == max(
            (m.completed for m in roadmap.measures if m.completed is not None), default=None)
        twin = copy.copy(again)  # shares the stored measures: each reads them
        assert again == roadmap and again.file == roadmap.file
        assert twin.measures == again.measures == roadmap.measures
        assert again.raw == roadmap.raw
        assert dict(again.source.positions) == dict(roadmap.source.positions)
        for a, b in zip(again.measures, roadmap.measures, strict=True):
            assert a.raw == b.raw and a.index == b.index
            for f in dataclasses.fields(model.Measure):
                assert getattr(a, f.name) == getattr(b, f.name), f.name
            lazy = ("raw", "_raw_ref", "_later")
            assert {k: v for k, v in vars(a).items() if k not in lazy} == {
                k: v for k, v in vars(b).items() if k not in lazy}


def test_the_as_of_rows_leave_the_rarely_read_fields_of_stored_measures_undecoded(
    repo: Path,
) -> None:
    """A warm run builds of each measure what the as-of rows read; its title, notes, evidence,
    indicators... stay in the stored bytes until something reads them, and then every reader
    (a copy made before too) sees the values of the document as built."""
    from datetime import date

    from roadmap_cli import burnup, indicators, report

    fresh = load_with(repo, None)
    c = cache_mod.Cache(str(repo.parent / "cache"))
    load_with(repo, c)
    warm = load_with(repo, cache_mod.Cache(str(repo.parent / "cache")))
    as_of, end = date(2026, 9, 30), date(2026, 12, 31)
    assert report.status_rows(warm.roadmaps, as_of, end) == report.status_rows(
        fresh.roadmaps, as_of, end)
    measures = [m for rm in warm.roadmaps for m in rm.measures]
    rarely = (*model.LATER_TITLE, *model.LATER_INDICATORS, *model.LATER_REST)
    assert measures and not any(name in vars(m) for m in measures for name in rarely)
    copies = [copy.copy(m) for m in measures]  # made before anything was decoded
    assert report.overdue_rows(warm.roadmaps, as_of) == report.overdue_rows(fresh.roadmaps, as_of)
    assert report.upcoming_rows(warm.roadmaps, as_of, end) == report.upcoming_rows(
        fresh.roadmaps, as_of, end)
    unread = (*model.LATER_INDICATORS, *model.LATER_REST)  # (the items show their titles)
    assert not any(name in vars(m) for m in measures for name in unread)
    for rm in warm.roadmaps:
        burnup.series(rm, as_of)
    assert not any(name in vars(m) for m in measures for name in unread)
    # `roadmap indicators` reads the indicators kept apart (with their measures' ids and
    # titles) and builds no measure: the measures built afterwards have nothing decoded
    unbuilt = load_with(repo, cache_mod.Cache(str(repo.parent / "cache")))
    assert indicators.indicator_rows(unbuilt.roadmaps, as_of) == indicators.indicator_rows(
        fresh.roadmaps, as_of)
    assert all(model.unbuilt_measures(rm) is not None for rm in unbuilt.roadmaps)
    seen = [m for rm in unbuilt.roadmaps for m in rm.measures]
    assert not any(name in vars(m) for m in seen for name in rarely)
    assert not any(name in vars(m) for m in measures for name in model.LATER_REST)
    built = [m for rm in fresh.roadmaps for m in rm.measures]
    assert any(m.evidence for m in built) and any(m.indicators for m in built)
    assert any(m.notes for m in built)
    for m, twin, b in zip(measures, copies, built, strict=True):
        for name in rarely:
            assert getattr(twin, name) == getattr(b, name), name
        assert m == b and twin == b and dataclasses.replace(m, progress=None) == \
            dataclasses.replace(b, progress=None)


def test_a_stored_measure_takes_no_more_memory_than_a_built_one(repo: Path) -> None:
    """The measures rebuilt from the cache keep CPython's key-sharing instance dictionaries,
    before and after their rarely read fields and their data as written are read (a dictionary
    filled whole takes twice the bytes for each of 100,000 measures, one that outgrows its
    shared keys three times)."""
    import sys

    fresh = load_with(repo, None)
    load_with(repo, cache_mod.Cache(str(repo.parent / "cache")))
    warm = load_with(repo, cache_mod.Cache(str(repo.parent / "cache")))
    for a, b in zip(warm.roadmaps, fresh.roadmaps, strict=True):
        for m, n in zip(a.measures, b.measures, strict=True):
            assert type(m) is model.Measure
            assert sys.getsizeof(vars(m)) <= 1.1 * sys.getsizeof(vars(n))
        assert a.measures == b.measures
        for m, n in zip(a.measures, b.measures, strict=True):
            assert m.raw == n.raw
            assert sys.getsizeof(vars(m)) <= 1.1 * sys.getsizeof(vars(n))


# --- where, and when not ---------------------------------------------------------------------


def test_an_unwritable_cache_folder_just_disables_the_cache(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setenv("ROADMAP_CACHE_DIR", str(blocker / "cache"))
    expected = outputs(repo, "--no-cache")
    assert outputs(repo) == expected
    c = cache_mod.Cache(str(blocker / "cache"))
    load_with(repo, c)
    assert c.writable is False and c.stats["written"] == 0


def test_no_cache_by_environment(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    outputs(repo)
    assert not (tmp_path / "cache").exists()
    monkeypatch.setenv("ROADMAP_NO_CACHE", "0")
    outputs(repo)
    assert entries(tmp_path, "units")


def test_default_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the user's cache folder, one folder per checkout; never in the checkout."""
    monkeypatch.delenv("ROADMAP_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    checkout = tmp_path / "checkout"
    (checkout / "roadmaps").mkdir(parents=True)
    (checkout / ".git").mkdir()
    found = cache_mod.folder_for([str(checkout / "roadmaps")])
    assert cache_mod.folder_for([str(checkout / "roadmaps" / "x.yaml")]) == found
    elsewhere = tmp_path / "elsewhere" / "roadmaps"
    elsewhere.mkdir(parents=True)
    other = cache_mod.folder_for([str(elsewhere)])
    assert other != found
    if sys.platform not in ("win32", "darwin"):
        checkouts = tmp_path / "xdg" / "roadmap-cli" / "checkouts"
        assert Path(found).parent == checkouts and Path(other).parent == checkouts
    assert not str(found).startswith(str(checkout))


def test_the_cache_tags_itself_and_keeps_its_key_private(repo: Path, tmp_path: Path) -> None:
    outputs(repo)
    base = Path(cache_mod.user_cache_dir())
    assert (base / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: ")
    key = base / cache_mod.KEY_FILE
    assert len(key.read_bytes()) == cache_mod.KEY_BYTES
    if os.name == "posix":
        assert key.stat().st_mode & 0o777 == 0o600
        assert (tmp_path / "cache").stat().st_mode & 0o077 == 0


def test_old_entries_are_pruned(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_mod, "KEEP_SPARE_UNITS", 1)
    doc = repo / "kz-by-cooperation-0001.yaml"
    for n in range(15):
        _edit(doc, "title:", f"# edit {n}\ntitle:")
        load_with(repo, cache_mod.Cache(str(tmp_path / "cache")))
    # the last load's 4 files, and spares for 3 times as many (other revisions, for diff)
    assert len(entries(tmp_path, "units")) == 4 + 3 * 4
    c = cache_mod.Cache(str(tmp_path / "cache"))
    load_with(repo, c)
    assert c.stats["unit_hit"] == 4


def test_lazy_map_is_a_mapping() -> None:
    d = {("a", 0): (1, 2), (): (3, 4)}
    m = cache_mod.LazyMap.of(d)
    assert m == d and dict(m) == d and len(m) == 2
    assert m[("a", 0)] == (1, 2) and m.get(("b",)) is None and () in m
    again = pickle.loads(pickle.dumps(m))
    assert isinstance(again, cache_mod.LazyMap) and again == d
    assert pickle.loads(pickle.dumps(again)) == d


# --- a warm run stays away from yaml, jsonschema, the schema check and the rules ---------------

_PROBE = """
import sys
from roadmap_cli.cli import main
try:
    main(sys.argv[1:])
except SystemExit as e:
    code = e.code
readers = {'yaml', 'jsonschema', 'fastjsonschema', 'roadmap_cli.rules', 'roadmap_cli.schema',
           'roadmap_cli.yamlsrc', 'roadmap_cli.yamlfast', 'roadmap_cli.explain', 'difflib',
           'roadmap_cli.rules_errors', 'roadmap_cli.yamlbuild'}
heavy = sorted(({m.split('.')[0] for m in sys.modules} | set(sys.modules)) & readers)
print('IMPORTED=' + ','.join(heavy), file=sys.stderr)
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
    imported = done.stderr.strip().splitlines()[-1]
    return done.stdout, imported


@pytest.mark.slow
@pytest.mark.parametrize("command", [
    ("status", "--format", "json", "--as-of", AS_OF),
    ("overdue", "--as-of", AS_OF),
    ("agencies", "--as-of", AS_OF),
    ("validate",),
])
def test_a_warm_run_imports_neither_yaml_nor_jsonschema(repo: Path, tmp_path: Path, command) -> None:
    if not _available(command[0]):
        pytest.skip(f"no {command[0]} command yet")
    env = {**os.environ, "ROADMAP_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    env.pop("ROADMAP_NO_CACHE", None)
    cold_out, cold_imports = _probe(*command, str(repo), env=env)
    assert "yaml" in cold_imports
    warm_out, warm_imports = _probe(*command, str(repo), env=env)
    assert warm_imports == "IMPORTED="
    assert warm_out == cold_out


def test_old_checkout_folders_are_pruned_and_nothing_else(tmp_path: Path) -> None:
    base = tmp_path / "base"
    checkouts = base / cache_mod.CHECKOUTS
    checkouts.mkdir(parents=True, mode=0o700)
    base.chmod(0o700)
    for n in range(40):
        folder = checkouts / f"{n:032x}"
        folder.mkdir(mode=0o700)
        (folder / "entry").write_text("x", encoding="utf-8")
        os.utime(folder, (1_000_000 + n, 1_000_000 + n))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious").write_text("keep", encoding="utf-8")
    (checkouts / ("f" * 32)).symlink_to(outside)  # named like a checkout, but a link
    (checkouts / "not-ours").mkdir()
    cache_mod.prune_checkouts(str(base), keep=32)
    kept = sorted(p.name for p in checkouts.iterdir())
    assert kept == sorted([f"{n:032x}" for n in range(8, 40)] + ["f" * 32, "not-ours"])
    assert (outside / "precious").read_text(encoding="utf-8") == "keep"


def test_a_lean_document_reads_its_data_when_asked(repo: Path) -> None:
    """model.lean: the data as written kept as marshal bytes until first read, through a
    pickle too; every field, and the data, as the document it came from."""
    from roadmap_cli import model

    fresh = load_with(repo, None).roadmaps[0]
    for lean in (model.lean(fresh), pickle.loads(pickle.dumps(model.lean(fresh), protocol=5))):
        assert "raw" not in vars(lean) and all("raw" not in vars(m) for m in lean.measures)
        assert lean == fresh and lean.measures == fresh.measures
        assert lean.measures[3].raw == fresh.measures[3].raw  # a measure first: its document's data
        assert lean.raw == fresh.raw
        assert all(m.raw is lean.raw["measures"][m.index] for m in lean.measures)
        assert json.dumps(lean.measures[0].raw, sort_keys=True) == json.dumps(fresh.measures[0].raw, sort_keys=True)
    by_hand = model.Roadmap("x", "plan", "X", (), fresh.signed, fresh.signed, fresh.signed, ())
    assert model.lean(by_hand).raw == {}


def test_entries_of_earlier_versions_are_deleted(repo: Path, tmp_path: Path) -> None:
    """The whole loads, parsed files and report rows of earlier versions go with the first load
    that writes; anything not named as an entry stays."""
    cache_dir = tmp_path / "cache"
    load_with(repo, cache_mod.Cache(str(cache_dir)))
    for kind in ("loads", "files", "rows"):
        (cache_dir / kind).mkdir(mode=0o700)
        (cache_dir / kind / ("ab" * 32 + ".bin")).write_bytes(b"old entry")
    (cache_dir / "rows" / "notes.txt").write_text("not an entry\n", encoding="utf-8")
    _edit(repo / "kz-by-cooperation-0001.yaml", "title:", "# edited\ntitle:")
    load_with(repo, cache_mod.Cache(str(cache_dir)))
    assert entries(tmp_path, "units")
    assert not list(cache_dir.glob("loads/*")) and not list(cache_dir.glob("files/*"))
    assert [p.name for p in (cache_dir / "rows").iterdir()] == ["notes.txt"]


def test_small_entries_are_trusted_only_whole_and_of_their_shape(tmp_path: Path) -> None:
    """The small entries kept for a file's bytes (update's metas, stale's prints): an entry
    changed on disk, or authenticated but of another shape, is not used."""
    c = cache_mod.Cache(str(tmp_path / "cache"))
    data = b"id: x\n"
    c.put_meta(data, (True, "x", 3))
    c.put_prints(data, {("x", "1.1"): "abc"})
    assert c.meta(data) == (True, "x", 3) and c.prints(data) == {("x", "1.1"): "abc"}
    assert c.meta(b"id: y\n") is None  # other bytes: no entry
    for kind in ("metas", "prints"):
        (entry,) = (tmp_path / "cache" / kind).glob("*.bin")
        blob = bytearray(entry.read_bytes())
        blob[-1] ^= 1
        entry.write_bytes(bytes(blob))
    assert c.meta(data) is None and c.prints(data) is None
    for bad in (("x",), (1, "x", 3), (True, 5, 3), (True, "x", "3"), [True, "x", 3]):
        c._put_small("metas", data, bad)
        assert c.meta(data) is None
    for bad_prints in ((("x", "1.1"),), (("x", 1, "fp"),), "abc", ((b"x", "1", "f"),),
                       (["x", "1", "f"],), (("x", "1", "f"), ("x", "2")), (("x", "1", "f", "g"),),
                       (("x", "1", "f"), ("x", "2", None)), ("xyz",)):
        c._put_small("prints", data, bad_prints)
        assert c.prints(data) is None, bad_prints
    c._put_small("prints", data, (("x", "1", "f"), ("x", "2", "g")))
    assert c.prints(data) == {("x", "1"): "f", ("x", "2"): "g"}
    c._put_small("prints", data, ())
    assert c.prints(data) == {}


def test_measures_rebuilt_from_the_cache_hold_no_cycle(repo: Path) -> None:
    """A document rebuilt from the cache, its measures built and every field of theirs read,
    is freed as soon as nothing refers to it, without the cycle collector (a writer of a
    thousand documents lets each go as it is written; the loader builds with the collector
    off)."""
    import gc
    import weakref

    load_with(repo, cache_mod.Cache(str(repo.parent / "cache")))
    warm = load_with(repo, cache_mod.Cache(str(repo.parent / "cache")))
    enabled = gc.isenabled()
    gc.disable()
    try:
        measures = [m for rm in warm.roadmaps for m in rm.measures]
        assert any(m.indicators for m in measures)
        for m in measures:
            for name in (*model.LATER_TITLE, *model.LATER_INDICATORS, *model.LATER_REST):
                getattr(m, name)
        refs = [weakref.ref(m) for m in measures] + [weakref.ref(rm) for rm in warm.roadmaps]
        del measures, m, warm
        assert [r() for r in refs] == [None] * len(refs)
    finally:
        if enabled:
            gc.enable()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG_CACHE_HOME is read on Linux and BSD")
@pytest.mark.parametrize("relative", [{"XDG_CACHE_HOME": "cache"}, {"XDG_CACHE_HOME": "", "HOME": "home"}])
def test_a_relative_cache_home_writes_nothing_under_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relative: dict[str, str]
) -> None:
    """XDG_CACHE_HOME=cache (or HOME=home) made the cache under the folder the command ran in,
    the checkout itself when run from there (cache/roadmap-cli/key, ready to be committed).
    The XDG specification says a relative path is ignored: the cache is ~/.cache's, or off."""
    checkout = tmp_path / "checkout"
    folder = generate(checkout / "roadmaps", docs=1, measures=3, seed=7)
    (checkout / ".git").mkdir()
    monkeypatch.delenv("ROADMAP_CACHE_DIR", raising=False)
    monkeypatch.delenv("ROADMAP_NO_CACHE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    for name, value in relative.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(checkout)
    before = sorted(p.relative_to(checkout) for p in checkout.rglob("*"))
    code, out = run("status", "--as-of", "2026-11-22", str(folder))
    assert code == 0, out
    assert sorted(p.relative_to(checkout) for p in checkout.rglob("*")) == before
    if "HOME" not in relative:
        assert (tmp_path / "user" / ".cache" / "roadmap-cli" / cache_mod.KEY_FILE).exists()
