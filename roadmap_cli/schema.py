"""JSON Schema validation of parsed documents, with every error mapped back to FILE:LINE:COLUMN.

The schemas live in ``schemas/`` (shipped inside the package as ``roadmap_cli/schemas``) and are
the same ones editors and generic checkers (check-jsonschema) use.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path as FsPath
from typing import Any

from roadmap_cli.model import Path, Pos, Problem, Severity
from roadmap_cli.yamlsrc import Parsed

SCHEMA_DIR = FsPath(__file__).resolve().parent / "schemas"
ROADMAP = "roadmap.schema.json"
AGENCIES = "agencies.schema.json"

#: keys whose values are ids: a number there is an unquoted id such as `1.10`
_ID_KEYS = {"id", "depends_on", "owners", "co_executors", "parties", "parent"}

_TYPE_NAMES = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "object": "a mapping",
    "array": "a list",
    "boolean": "true or false",
    "null": "null",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    with open(SCHEMA_DIR / name, encoding="utf-8") as f:
        schema: dict[str, Any] = json.load(f)
    return schema


@cache
def schema_bytes() -> bytes:
    """Both schemas' bytes: part of the cache key, so a schema change invalidates the cache."""
    return b"".join((SCHEMA_DIR / n).read_bytes() for n in (ROADMAP, AGENCIES))


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema(name))


@cache
def _fast(name: str) -> Any:
    """A compiled validator that only says valid or not (fastjsonschema), or None without it."""
    try:
        import fastjsonschema
    except ImportError:  # pragma: no cover - fastjsonschema is a dependency
        return None
    try:
        return fastjsonschema.compile(load_schema(name), use_formats=False)
    except Exception:  # noqa: BLE001 - fall back to jsonschema for anything it cannot compile
        return None


def check(parsed: Parsed, name: str) -> list[Problem]:
    """Every schema problem of one parsed document, located. Empty when the document is valid."""
    data = parsed.data
    fast = _fast(name)
    if fast is not None:
        try:
            fast(data)
            return []
        except Exception:  # noqa: BLE001 - invalid (or unsupported): explain with jsonschema
            pass
    problems = []
    for error in _validator(name).iter_errors(data):
        problems.extend(_explain(error, parsed))
    # one problem per location and message
    return sorted(set(problems))


def _explain(error: Any, parsed: Parsed) -> list[Problem]:
    path: Path = tuple(error.absolute_path)
    kind = error.validator
    instance = error.instance
    file = parsed.file

    def at(p: Path, rule: str, message: str, pos: Pos | None = None) -> Problem:
        line, col = pos or parsed.at(p)
        return Problem(file, line, col, Severity.ERROR, rule, message)

    where = _where(path)
    if kind in ("oneOf", "anyOf"):
        best = _best_branch(error)
        if best is not None:
            return _explain(best, parsed)
        return [at(path, "schema-type", f"{where}: {_expected(error.schema)}, not {_show(instance)}")]
    if kind == "required":
        missing = [k for k in error.validator_value if isinstance(instance, dict) and k not in instance]
        return [
            at(path, "schema-required", f"{where}: the required key {k!r} is missing")
            for k in missing
        ]
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        out = []
        for key in instance:
            if key in allowed:
                continue
            hint = difflib.get_close_matches(key, allowed, n=1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else f" (allowed: {', '.join(allowed)})"
            out.append(
                at(
                    path + (key,),
                    "schema-unknown-key",
                    f"{where}: unknown key {key!r}{suggestion}",
                    parsed.key_positions.get(path + (key,)),
                )
            )
        return out
    if kind == "type":
        text = parsed.plain_text.get(path)
        key = _last_key(path)
        if key in _ID_KEYS and isinstance(instance, (int, float)) and not isinstance(instance, bool):
            shown = text if text is not None else str(instance)
            return [
                at(
                    path,
                    "unquoted-id",
                    f"{where}: the id {shown} is read as the number {instance!r}; "
                    f'quote it: "{shown}"',
                )
            ]
        expected = error.validator_value
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in (expected if isinstance(expected, list) else [expected]))
        return [at(path, "schema-type", f"{where}: expected {names}, not {_show(instance, text)}")]
    if kind == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        return [at(path, "schema-enum", f"{where}: {_show(instance)} is not one of: {options}")]
    if kind in ("pattern", "format"):
        desc = error.schema.get("description", "")
        extra = f" ({desc.rstrip('.')})" if desc else ""
        return [at(path, "schema-pattern", f"{where}: {_show(instance)} is not valid{extra}")]
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {
            "minimum": "at least",
            "maximum": "at most",
            "exclusiveMinimum": "more than",
            "exclusiveMaximum": "less than",
        }[kind]
        return [
            at(path, "schema-range", f"{where}: {_show(instance)} must be {words} {error.validator_value}")
        ]
    if kind == "minItems":
        return [at(path, "schema-empty", f"{where}: needs at least {error.validator_value} item(s)")]
    if kind == "minLength":
        return [at(path, "schema-empty", f"{where}: must not be empty")]
    if kind == "uniqueItems":
        return [at(path, "schema-duplicate", f"{where}: lists the same value twice")]
    if kind == "minProperties":
        return [at(path, "schema-empty", f"{where}: must not be empty")]
    return [at(path, "schema", f"{where}: {error.message}")]


def _best_branch(error: Any) -> Any:
    """Of a oneOf/anyOf's branches, the error that explains the value best (same type first)."""
    context = list(error.context or [])
    if not context:
        return None
    by_branch: dict[int, list[Any]] = {}
    for e in context:
        by_branch.setdefault(e.schema_path[0] if e.schema_path else 0, []).append(e)
    # branches whose complaint is not about the value's type are the ones that fit best
    fitting = [errs for errs in by_branch.values() if not any(e.validator == "type" and not e.path for e in errs)]
    if len(fitting) == 1:
        errs = sorted(fitting[0], key=lambda e: -len(e.path))
        return errs[0]
    return None


def _expected(schema: dict[str, Any]) -> str:
    desc = schema.get("description")
    if desc:
        return f"expected {desc[0].lower()}{desc[1:].rstrip('.')}"
    return "the value does not have an accepted form"


def _last_key(path: Path) -> str | None:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return None


def _where(path: Path) -> str:
    """A readable name for a path: `measures[3].due`, or `the document` for the root."""
    if not path:
        return "the document"
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _show(value: Any, text: str | None = None) -> str:
    if text is not None:
        return f"{text} ({_kind(value)})"
    if isinstance(value, str):
        return repr(value) if len(value) < 60 else repr(value[:57] + "...")
    if isinstance(value, (dict, list)):
        return _kind(value)
    return f"{_kind(value)} {value!r}"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a number"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "a string"
