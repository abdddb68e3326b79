"""The compiled validity check agrees with jsonschema: it never calls an invalid document valid
(soundness, on thousands of mutated documents), and it calls valid documents valid."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from benchgen import gen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap_cli import schema, schema_compile
from roadmap_cli.yamlsrc import parse

ROOT = Path(__file__).resolve().parents[1]


def _documents() -> list[tuple[str, Any]]:
    import random

    docs = [(schema.AGENCIES, parse(gen.agencies_yaml().encode(), "agencies.yaml").data)]
    for i in range(1, 4):
        _, text = gen.roadmap_yaml(i, 12, random.Random(i))
        docs.append((schema.ROADMAP, parse(text.encode(), "x.yaml").data))
    for path in sorted((ROOT / "roadmaps").glob("*.yaml")):
        name = schema.AGENCIES if path.name == "agencies.yaml" else schema.ROADMAP
        docs.append((name, parse(path.read_bytes(), str(path)).data))
    return docs


DOCUMENTS = _documents()


def jsonschema_valid(name: str, data: Any) -> bool:
    """jsonschema's verdict, with JSON Schema's (ECMA-262) patterns as check-jsonschema has them."""
    return not any(True for _ in schema._validator(name).iter_errors(data))


@pytest.mark.parametrize("index", range(len(DOCUMENTS)))
def test_valid_documents_are_valid(index: int) -> None:
    name, data = DOCUMENTS[index]
    assert jsonschema_valid(name, data)
    assert schema_compile.compile_validity(schema.load_schema(name))(data) is True


# --- mutations -------------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10_000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", "x", "1.1", "kz-mic", "KZ", "2026-Q4", "2026-02-30", "2026", "ongoing",
                     "done", "quarter", "Kz-Mic", "en", "national", "https://x", "2026-13",
                     "1.2\n", "KZ\n", "kz-mic\n", "2026-Q4\n", "\u0661.\u0662", "1.1 "]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["en", "ru", "id", "every", "date", "x"]), inner, max_size=3),
    ),
    max_leaves=6,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, path + (i,))
    return out


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, Any]:
    name, data = draw(st.sampled_from(DOCUMENTS))
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(["replace", "delete", "add", "duplicate"]))
        if not path:
            continue
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        if kind == "replace":
            parent[last] = draw(VALUES)
        elif kind == "delete":
            del parent[last]
        elif kind == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["x", "note", "en", "grace", "progress", "weight"]))] = draw(VALUES)
        elif kind == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
    return name, data


@pytest.mark.fuzz
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_never_valid_when_jsonschema_finds_an_error(case: tuple[str, Any]) -> None:
    name, data = case
    fast = schema_compile.compile_validity(schema.load_schema(name))(data)
    expected = jsonschema_valid(name, data)
    if fast:
        assert expected, "the compiled check called an invalid document valid"
    elif expected:
        # allowed only where it defers on purpose: a float for an integer, non-strings in a
        # uniqueItems list
        assert _defers(data), "the compiled check called a valid document invalid"


def _defers(value: Any) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, list):
        return any(not isinstance(x, str) for x in value) or any(_defers(x) for x in value)
    if isinstance(value, dict):
        return any(_defers(v) for v in value.values())
    return False


# --- what it does not handle, it says so ------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        {"oneOf": [{"type": "string"}]},
        {"enum": [1, 2]},
        {"$ref": "https://example.org/other.json"},
        {"items": [{"type": "string"}]},
        {"const": "x"},
        {"type": "decimal"},
        {"$schema": "http://json-schema.org/draft-07/schema#"},
    ],
)
def test_unsupported_schemas_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(schema_compile.Unsupported):
        schema_compile.compile_validity(bad)


@pytest.mark.parametrize(
    "failure", [schema_compile.Unsupported("test"), RecursionError("deep"), re.error("bad pattern"), KeyError("x")]
)
def test_any_failure_to_compile_leaves_every_document_to_jsonschema(
    monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    def refuse(_: Any) -> Any:
        raise failure

    monkeypatch.setattr(schema_compile, "compile_validity", refuse)
    monkeypatch.setattr(schema_compile, "shipped", lambda name: None)  # (as for a schema changed since)
    schema._fast.cache_clear()
    try:
        assert schema._fast(schema.ROADMAP) is None
        name, data = DOCUMENTS[1]
        parsed = parse(b"", "x.yaml")
        parsed.data = data
        assert schema.check(parsed, name) == []
        parsed.data = broken = copy.deepcopy(data)
        broken["kind"] = "treaty"
        assert [p.rule for p in schema.check(parsed, name)] == ["schema-enum"]
    finally:
        schema._fast.cache_clear()


def test_a_failure_while_checking_means_invalid_never_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(_: Any) -> bool:
        raise RecursionError("deep")

    monkeypatch.setattr(schema_compile, "compile_validity", lambda _: explode)
    monkeypatch.setattr(schema_compile, "shipped", lambda name: None)
    schema._fast.cache_clear()
    try:
        assert schema._fast(schema.ROADMAP)(DOCUMENTS[1][1]) is False
    finally:
        schema._fast.cache_clear()


# --- the checks shipped compiled --------------------------------------------------------------


def test_the_shipped_checks_are_compiled_from_the_schemas_as_they_are() -> None:
    """The package ships each schema's check compiled (``roadmap_cli/_valid_*.py``, 4 ms of
    every run that checks a document): generated from the schemas as they are (else run
    ``make schema-checks``), and used."""
    for name, module in schema_compile.GENERATED.items():
        path = ROOT / "roadmap_cli" / (module.rpartition(".")[2] + ".py")
        assert path.read_text(encoding="utf-8") == schema_compile.generated_module(name), (
            f"{path.name} is not generated from schemas/{name}: run make schema-checks")
        assert schema_compile.shipped(name) is not None
    schema._fast.cache_clear()
    try:
        import sys

        schema._fast(schema.ROADMAP)
        assert "roadmap_cli._valid_roadmap" in sys.modules
    finally:
        schema._fast.cache_clear()


def test_a_schema_changed_since_its_check_was_generated_is_compiled_anew(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The shipped check holds the SHA-256 of the schema it was compiled from: a schema edited
    since (a checkout's own, a package patched by hand) is compiled when a run needs it, so the
    check is always the schema's."""
    import shutil

    shutil.copytree(schema.SCHEMA_DIR, tmp_path / "schemas")
    edited = json.loads((tmp_path / "schemas" / schema.ROADMAP).read_text(encoding="utf-8"))
    edited["properties"]["kind"]["enum"].append("treaty")
    (tmp_path / "schemas" / schema.ROADMAP).write_text(json.dumps(edited), encoding="utf-8")
    data = copy.deepcopy(DOCUMENTS[1][1])
    data["kind"] = "treaty"
    try:
        with monkeypatch.context() as m:
            m.setattr(schema, "SCHEMA_DIR", tmp_path / "schemas")
            schema._fast.cache_clear()
            schema.load_schema.cache_clear()
            assert schema_compile.shipped(schema.ROADMAP) is None
            assert schema_compile.shipped(schema.AGENCIES) is not None  # (unchanged)
            assert schema._fast(schema.ROADMAP)(data) is True
    finally:
        schema._fast.cache_clear()
        schema.load_schema.cache_clear()
    assert schema._fast(schema.ROADMAP)(data) is False  # the shipped schema again


# --- the official JSON-Schema-Test-Suite (draft 2020-12) -------------------------------------

SUITE = json.loads((ROOT / "tests" / "data" / "json-schema-test-suite-2020-12.json").read_text(encoding="utf-8"))
SUITE_CASES = [
    (f"{file}: {group['description']}", group["schema"], test)
    for file, groups in SUITE["files"].items()
    for group in groups
    for test in group["tests"]
]


def test_the_fast_path_is_sound_on_the_official_suite() -> None:
    """Every case whose schema the validity compiler accepts: it never says valid where the
    suite says invalid (pattern cases included: ECMA-262 semantics)."""
    compiled = accepted = 0
    wrong = []
    for name, schema_, test in SUITE_CASES:
        valid = schema_compile.fast_validity(schema_)
        if valid is None:
            continue
        compiled += 1
        if valid(test["data"]):
            accepted += 1
            if not test["valid"]:
                wrong.append(f"{name}: {test['description']}")
    assert wrong == []
    assert compiled > 400 and accepted > 200  # the check reaches a real part of the suite


@pytest.mark.parametrize("file", ["pattern.json", "patternProperties.json", "optional/ecmascript-regex.json",
                                  "optional/non-bmp-regex.json"])
def test_patterns_follow_json_schema_regex_semantics(file: str) -> None:
    """The validator that explains (jsonschema with ECMA-262 patterns) agrees with the suite
    on every pattern case."""
    from jsonschema import validators

    wrong = []
    for group in SUITE["files"][file]:
        cls = validators.extend(type(schema._validator(schema.ROADMAP)), {})
        v = cls(group["schema"])
        for test in group["tests"]:
            if v.is_valid(test["data"]) != test["valid"]:
                wrong.append(f"{group['description']}: {test['description']}")
    assert wrong == []


def test_small_schemas() -> None:
    v = schema_compile.compile_validity(
        {
            "type": "object",
            "required": ["a"],
            "additionalProperties": {"type": "integer", "minimum": 0},
            "properties": {"a": {"anyOf": [{"type": "null"}, {"type": "string", "pattern": "^x"}]}},
        }
    )
    assert v({"a": None}) and v({"a": "xy", "n": 3})
    assert not v({"a": "y"}) and not v({}) and not v({"a": None, "n": -1}) and not v({"a": None, "n": True})
    assert not v([]) and not v("x")
    items = schema_compile.compile_validity({"type": "array", "items": {"enum": ["a", "b"]}, "maxItems": 2,
                                     "uniqueItems": True})
    assert items(["a", "b"]) and not items(["a", "a"]) and not items(["a", "b", "a"]) and not items([1])
    assert schema_compile.compile_validity(True)(object()) and not schema_compile.compile_validity(False)(1)


def test_every_description_a_message_quotes_is_marked_for_translation() -> None:
    """schema.py quotes a value's description in a pattern or format problem (the whole text)
    and in a problem of a key of several forms (the first sentence): each such text is in
    schema_words, so that pybabel extracts it and a Russian message is all Russian."""
    from roadmap_cli import schema_words

    quoted: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            desc = node.get("description")
            if isinstance(desc, str) and any(k in node for k in ("pattern", "format")):
                quoted.add(desc.rstrip("."))
            if isinstance(desc, str) and any(k in node for k in ("oneOf", "anyOf")):
                quoted.add(schema.first_sentence(desc))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name in ("roadmap.schema.json", "agencies.schema.json"):
        walk(json.loads((ROOT / "roadmap_cli" / "schemas" / name).read_text(encoding="utf-8")))
    assert quoted and quoted <= set(schema_words.QUOTED), sorted(quoted - set(schema_words.QUOTED))
    assert schema.first_sentence("Optional id (e.g. a ministry), or null. More.") == "Optional id (e.g. a ministry), or null"
