"""The schemas and the shipped data: both schemas are valid draft 2020-12 schemas, strict and
documented throughout, and every shipped file validates with no error and no warning."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from roadmap_cli import schema
from roadmap_cli.load import load_paths, parse_checked

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))
SHIPPED = sorted((ROOT / "roadmaps").glob("*.yaml"))


def load(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def subschemas(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object inside ``node`` (itself included), with a JSON pointer to it."""
    if not isinstance(node, dict):
        return
    yield where, node
    for key in ("properties", "$defs", "definitions", "patternProperties"):
        for name, child in (node.get(key) or {}).items():
            yield from subschemas(child, f"{where}/{key}/{name}")
    for key in ("items", "additionalProperties", "not", "if", "then", "else", "contains"):
        if isinstance(node.get(key), dict):
            yield from subschemas(node[key], f"{where}/{key}")
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for i, child in enumerate(node.get(key) or []):
            yield from subschemas(child, f"{where}/{key}/{i}")


def test_both_schemas_are_there() -> None:
    assert [p.name for p in SCHEMAS] == [schema.AGENCIES, schema.ROADMAP]


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_is_valid_against_the_2020_12_metaschema(path: Path) -> None:
    document = load(path)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(document)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_property_has_a_description(path: Path) -> None:
    missing = [
        f"{where}/properties/{name}"
        for where, node in subschemas(load(path))
        for name, child in (node.get("properties") or {}).items()
        if not (isinstance(child, dict) and isinstance(child.get("description"), str) and child["description"].strip())
    ]
    assert missing == []


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_object_forbids_unknown_keys(path: Path) -> None:
    objects = [
        (where, node)
        for where, node in subschemas(load(path))
        if node.get("type") == "object" or "properties" in node
    ]
    assert objects  # the walk finds them
    loose = [where for where, node in objects if node.get("additionalProperties") is not False]
    assert loose == []


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_the_package_ships_the_same_schemas(path: Path) -> None:
    assert (schema.SCHEMA_DIR / path.name).read_bytes() == path.read_bytes()


def test_the_walk_would_notice_a_loose_object() -> None:
    """The checks above can fail: a nested object without additionalProperties is found."""
    sample = {"type": "object", "additionalProperties": False, "properties": {
        "a": {"description": "x", "anyOf": [{"type": "object", "properties": {"b": {"type": "string"}}}]}}}
    found = [w for w, n in subschemas(sample) if (n.get("type") == "object" or "properties" in n)
             and n.get("additionalProperties") is not False]
    assert found == ["#/properties/a/anyOf/0"]


def test_the_shipped_repository_has_no_problem_at_all() -> None:
    repo = load_paths([str(ROOT / "roadmaps")])
    assert repo.problems == []
    assert len(repo.roadmaps) == len(SHIPPED) - 1 and repo.agencies


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_each_shipped_file_reads_and_validates_cleanly(path: Path) -> None:
    name = schema.AGENCIES if path.name == "agencies.yaml" else schema.ROADMAP
    parsed = parse_checked(path.read_bytes(), str(path), name)
    assert parsed.problems == [] and isinstance(parsed.data, dict)
    # jsonschema itself agrees (not only the compiled validity check)
    assert list(Draft202012Validator(schema.load_schema(name)).iter_errors(parsed.data)) == []


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_each_shipped_file_names_its_schema_in_the_first_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    target = "agencies.schema.json" if path.name == "agencies.yaml" else "roadmap.schema.json"
    assert first == f"# yaml-language-server: $schema=../schemas/{target}"
