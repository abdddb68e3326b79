"""`roadmap validate` agrees with check-jsonschema (the generic checker CI runs beside it) on a
corpus of mutated roadmaps: the schema check says "invalid" exactly where check-jsonschema
does (JSON Schema's ECMA-262 patterns, whole numbers written as floats), and `validate`
never passes a file check-jsonschema rejects (with its format checks on, as CI runs it).

The corpus: each shipped document and agencies.yaml, mutated by a seeded generator (values
replaced by tricky ones, keys deleted or added), written as YAML, plus hand-written YAML forms
(a ``|`` block id, ``progress: 70.0``, ``due: 2026.0``). One check-jsonschema run per schema.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from roadmap_cli import load, schema
from roadmap_cli.model import Severity
from roadmap_cli.yamlsrc import parse

pytestmark = pytest.mark.fuzz

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_RULES = set(schema.RULE_IDS)
CHECK = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))

TRICKY: list[Any] = [
    None, True, False, 0, -1, 70, 70.0, 2026.0, 15.0, 1e3, 0.5, 1e308, -1e308, 101, 2**53 + 2.0,
    "", "x", "1.1", "1.2\n", "KZ", "KZ\n", "kz-mic", "kz-mic\n", "Kz-Mic", " kz-mic", "2026-Q4",
    "2026-Q4\n", "2026-02-30", "2026", "2026\n", "ongoing", "ongoing\n", "done", "quarter", "en",
    "national", "https://x", "not a uri", "2026-13", "\u0661.\u0662", "1.1 ", "1..1", ".1",
    [], [1], ["kz-mic", "kz-mic"], {}, {"en": "x"}, {"en": "x\n"}, {"every": "month"},
]
KEYS = ["x", "note", "en", "grace", "progress", "weight", "id", "every"]


def _documents() -> list[tuple[str, Any]]:
    docs = []
    for path in sorted((ROOT / "roadmaps").glob("*.yaml")) + sorted((ROOT / "tests" / "data" / "reports").glob("*.yaml")):
        name = schema.AGENCIES if path.name == "agencies.yaml" else schema.ROADMAP
        docs.append((name, parse(path.read_bytes(), str(path)).data))
    return docs


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, path + (i,))
    return out


def _mutate(rng: random.Random, data: Any) -> Any:
    data = copy.deepcopy(data)
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(_paths(data))
        if not path:
            continue
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        kind = rng.choice(["replace", "replace", "replace", "delete", "add"])
        if kind == "replace":
            parent[path[-1]] = copy.deepcopy(rng.choice(TRICKY))
        elif kind == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[rng.choice(KEYS)] = copy.deepcopy(rng.choice(TRICKY))
    return data


#: YAML forms that JSON cannot write (text edits of a valid document)
FORMS = {
    "block id": ('id: "1.1"', 'id: |\n      1.1'),
    "folded id": ('id: "1.1"', 'id: >\n      1.1'),
    "float progress": ("progress: 50", "progress: 70.0"),
    "exponent progress": ("progress: 50", "progress: 5e1"),
    "tagged float progress": ("progress: 50", "progress: !!float 50"),
    "float grace": ("grace: 15", "grace: 15.0"),
    "float year": ('due: "2027"', "due: 2027.0"),
    "float from": ("from: 2026-Q1", "from: 2026.0"),
    "quoted newline id": ('id: "1.1"', 'id: "1.1\\n"'),
    "newline country": ("country: KZ", 'country: "KZ\\n"'),
}


def _corpus(tmp_path: Path) -> dict[str, list[Path]]:
    sys.path.insert(0, str(ROOT / "tests"))
    from gitrepo import AGENCIES, ROADMAP

    rng = random.Random(17)
    files: dict[str, list[Path]] = {schema.ROADMAP: [], schema.AGENCIES: []}
    documents = _documents()
    for i in range(160):
        name, data = rng.choice(documents)
        path = tmp_path / f"m{i:03}.yaml"
        path.write_text(json.dumps(_mutate(rng, data), ensure_ascii=False), encoding="utf-8")
        files[name].append(path)
    for i, (old, new) in enumerate(FORMS.values()):
        for name, text in ((schema.ROADMAP, ROADMAP), (schema.AGENCIES, AGENCIES)):
            if old in text:
                path = tmp_path / f"f{i:02}-{name[:3]}.yaml"
                path.write_text(text.replace(old, new, 1), encoding="utf-8")
                files[name].append(path)
    return files


def _check_jsonschema(schema_name: str, paths: list[Path], *extra: str) -> set[str]:
    """The files check-jsonschema rejects."""
    done = subprocess.run(
        [str(CHECK), "-o", "JSON", *extra, "--schemafile", str(schema.SCHEMA_DIR / schema_name),
         *map(str, paths)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    report = json.loads(done.stdout)
    assert report["parse_errors"] == []
    return {e["filename"] for e in report["errors"]}


def _ours(path: Path, schema_name: str) -> tuple[bool, bool]:
    """(the schema check finds an error, `validate` would find an error) for one file."""
    parsed = load.parse_checked(path.read_bytes(), str(path), schema_name)
    errors = [p for p in parsed.problems if p.severity is Severity.ERROR]
    return any(p.rule in SCHEMA_RULES for p in errors), bool(errors)


@pytest.mark.skipif(CHECK is None, reason="check-jsonschema is not installed")
def test_validate_agrees_with_check_jsonschema(tmp_path: Path) -> None:
    disagree = []
    checked = rejected = 0
    for schema_name, paths in _corpus(tmp_path).items():
        plain = _check_jsonschema(schema_name, paths, "--disable-formats", "*")
        with_formats = _check_jsonschema(schema_name, paths)
        for path in paths:
            schema_error, any_error = _ours(path, schema_name)
            theirs = str(path) in plain
            checked += 1
            rejected += theirs
            if schema_error != theirs and any_error == schema_error:
                disagree.append(f"{path.name}: ours {schema_error}, check-jsonschema {theirs}: "
                                f"{path.read_text(encoding='utf-8')[:300]!r}")
            if str(path) in with_formats and not any_error:
                disagree.append(f"{path.name}: validate passes what check-jsonschema rejects")
    assert disagree == []
    assert checked >= 170 and 40 < rejected < checked - 20  # both kinds of file are in the corpus
