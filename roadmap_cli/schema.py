"""JSON Schema validation of parsed documents, with every error mapped back to FILE:LINE:COLUMN.

The schemas live in ``schemas/`` (shipped inside the package as ``roadmap_cli/schemas``) and are
the same ones editors and generic checkers (check-jsonschema) use.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import islice
from pathlib import Path as FsPath
from typing import Any

from roadmap_cli import i18n
from roadmap_cli.i18n import N_, _, ngettext
from roadmap_cli.limits import AGENCIES_SCHEMA, ROADMAP_SCHEMA
from roadmap_cli.model import Path, Pos, Problem, Severity
from roadmap_cli.resolve import foreign_letters
from roadmap_cli.yamlsrc import MAX_PROBLEMS, Parsed

SCHEMA_DIR = FsPath(__file__).resolve().parent / "schemas"
ROADMAP = ROADMAP_SCHEMA
AGENCIES = AGENCIES_SCHEMA
#: the rule ids of schema problems (all errors; docs/rules.md describes each)
RULE_IDS = {
    "schema-type": "error", "schema-required": "error", "schema-unknown-key": "error",
    "schema-enum": "error", "schema-pattern": "error", "schema-range": "error",
    "schema-empty": "error", "schema-duplicate": "error", "unquoted-id": "error", "schema": "error",
}

#: keys whose values are ids: a number there is an unquoted id such as `1.10` (also the keys
#: that name an id of the document: a measure's `section`, a due's `after`, a `rescheduled` `by`)
_ID_KEYS = {"id", "depends_on", "owners", "co_executors", "parties", "parent", "section", "after", "by"}

_TYPE_NAMES = {
    "string": N_("a string"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "object": N_("a mapping"),
    "array": N_("a list"),
    "boolean": N_("true or false"),
    "null": "null",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    import json  # (a millisecond: a valid document needs only the compiled check)

    with open(SCHEMA_DIR / name, encoding="utf-8") as f:
        schema: dict[str, Any] = json.load(f)
    return schema


@cache
def schema_bytes() -> bytes:
    """Both schemas' bytes: part of the cache key, so a schema change invalidates the cache."""
    return b"".join((SCHEMA_DIR / n).read_bytes() for n in (ROADMAP, AGENCIES))


@cache
def _validator(name: str) -> Any:
    """jsonschema's draft 2020-12 validator with ECMA-262 patterns (see :func:`ecma_pattern`)."""
    from jsonschema import Draft202012Validator, ValidationError, validators

    def pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Any:
        if validator.is_type(instance, "string") and not ecma_pattern(patrn)(instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    def pattern_properties(validator: Any, props: dict[str, Any], instance: Any, schema: Any) -> Any:
        if not validator.is_type(instance, "object"):
            return
        for patrn, subschema in props.items():
            search = ecma_pattern(patrn)
            for k, v in instance.items():
                if search(k):
                    yield from validator.descend(v, subschema, path=k, schema_path=patrn)

    def additional_properties(validator: Any, extra: Any, instance: Any, schema: Any) -> Any:
        if not validator.is_type(instance, "object"):
            return
        props = schema.get("properties", {})
        searches = [ecma_pattern(p) for p in schema.get("patternProperties", {})]
        extras = [k for k in instance if k not in props and not any(f(k) for f in searches)]
        if validator.is_type(extra, "object"):
            for k in extras:
                yield from validator.descend(instance[k], extra, path=k)
        elif extra is False and extras:
            shown = ", ".join(repr(k) for k in extras)
            yield ValidationError(f"Additional properties are not allowed ({shown} unexpected)")

    ecma = validators.extend(
        Draft202012Validator,
        {"pattern": pattern, "patternProperties": pattern_properties,
         "additionalProperties": additional_properties},
    )
    return ecma(load_schema(name))


@cache
def ecma_pattern(pattern: str) -> Any:
    """``search(text) -> bool`` for a schema ``pattern`` with JSON Schema's regular-expression
    semantics (ECMA-262, unicode mode), as check-jsonschema evaluates it (through ``regress``).

    Python's ``re`` differs where it matters: its ``$`` also matches before a final line feed,
    so ``"1.2\\n"`` passed ``^[0-9.]+$``; ``\\d`` and ``\\w`` match non-ASCII digits and letters.
    """
    import regress

    compiled = regress.Regex(pattern, flags="u")

    def search(text: str) -> bool:
        return compiled.find(text) is not None

    return search


@cache
def _fast(name: str) -> Any:
    """A function that returns True only for a valid document (and, in practice, for every valid
    one): the schema's check as shipped compiled, when it was compiled from the schema as it
    is (compiling it is 4 ms of every run that checks a document), else compiled now; None
    (jsonschema decides every document) when the compiler fails for any reason
    (:mod:`roadmap_cli.schema_compile`)."""
    from roadmap_cli import schema_compile

    shipped = schema_compile.shipped(name)
    return shipped if shipped is not None else schema_compile.fast_validity(load_schema(name))


def check(parsed: Parsed, name: str) -> list[Problem]:
    """Every schema problem of one parsed document, located. Empty when the document is valid.

    A compiled validity check decides; jsonschema (imported only then) explains an invalid
    document. The check may say "invalid" for a valid document in rare cases (a float written
    for an integer, a list of non-strings under ``uniqueItems``): jsonschema then finds nothing
    and the result is the same, only slower. It never says "valid" for an invalid one.
    """
    data = parsed.data
    fast = _fast(name)
    if fast is not None and fast(data):
        return []
    problems: set[Problem] = set()
    for error in _validator(name).iter_errors(data):
        problems.update(_explain(error, parsed))
        if len(problems) > MAX_PROBLEMS:  # bounded work on a file that is wrong everywhere
            problems = set(sorted(problems)[:MAX_PROBLEMS])
            problems.add(
                Problem(parsed.file, *parsed.at(()), Severity.ERROR, "schema",
                        _("more schema problems are not shown (at most {most} per file)").format(
                            most=i18n.number(MAX_PROBLEMS)
                        ))
            )
            break
    # one problem per location and message
    return sorted(problems)


def _explain(error: Any, parsed: Parsed) -> list[Problem]:
    path: Path = tuple(error.absolute_path)
    kind = error.validator
    instance = error.instance
    file = parsed.file

    def at(p: Path, rule: str, message: str, pos: Pos | None = None) -> Problem:
        line, col = pos or parsed.at(p)
        return Problem(file, line, col, Severity.ERROR, rule, message)

    where = _where(path, parsed)
    if kind in ("oneOf", "anyOf"):
        best = _best_branch(error)
        if best is not None:
            return _explain(best, parsed)
        text = parsed.plain_text.get(path)
        message = _("{where}: {expected}, not {value}").format(
            where=where, expected=_expected(error.schema), value=_show(instance, text))
        # a due, a recurring due's from or until, a rescheduled from, a report's period (not the
        # document's period, a mapping): a period written as 10.2026 reads as a number
        if path[-1:] in (("due",), ("from",), ("until",)) or (len(path) > 1 and path[-1] == "period"):
            from roadmap_cli.explain import iso_form  # (a due written as 10.2026: rare)

            fixed = iso_form(text) if isinstance(text, str) else None
            if fixed is not None:  # a month or day as Russian tables write it
                message += _("; write it as {fixed}").format(fixed=fixed)
        return [at(path, "schema-type", message)]
    if kind == "required":
        missing = [k for k in error.validator_value if isinstance(instance, dict) and k not in instance]
        return [
            at(path, "schema-required", _("{where}: the required key {key} is missing").format(
                where=where, key=repr(k)
            ))
            for k in missing
        ]
    if kind == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        out = []
        for key in islice((k for k in instance if k not in allowed), MAX_PROBLEMS + 1):
            import difflib

            hint = difflib.get_close_matches(key, allowed, n=1)
            suggestion = (
                _("; did you mean {choice}?").format(choice=repr(hint[0])) if hint
                else " " + _("(allowed: {keys})").format(keys=", ".join(allowed))
            )
            out.append(
                at(
                    path + (key,),
                    "schema-unknown-key",
                    _("{where}: unknown key {key}{suggestion}").format(
                        where=where, key=repr(key), suggestion=suggestion
                    ) + foreign_letters(key),
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
                    _('{where}: the id {shown} is read as the number {number}; quote it: "{shown}"').format(
                        where=where, shown=shown, number=repr(instance)
                    ),
                )
            ]
        expected = error.validator_value
        names = _(" or ").join(
            _(_TYPE_NAMES[t]) if t in _TYPE_NAMES else str(t)
            for t in (expected if isinstance(expected, list) else [expected])
        )
        return [at(path, "schema-type", _("{where}: expected {names}, not {value}").format(
            where=where, names=names, value=_show(instance, text)
        ))]
    if kind == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        nearest = ""
        if isinstance(instance, str) and len(instance) <= 100:
            from roadmap_cli.resolve import suggestions

            close = suggestions(instance, [str(v) for v in error.validator_value])
            nearest = _("; did you mean {choice}?").format(choice=repr(close[0])) if close else ""
            if not close and "in_progress" in error.validator_value:  # a status, in words
                from roadmap_cli.cycle_text import read_status

                found = read_status(instance)  # (выполнено, в работе: as the tables print them)
                if found is not None:
                    nearest = _("; the file takes the status id: write {choice}").format(choice=found)
        return [at(path, "schema-enum", _("{where}: {value} is not one of: {options}").format(
            where=where, value=_show(instance), options=options
        ) + nearest + foreign_letters(instance))]
    if kind in ("pattern", "format"):
        desc = error.schema.get("description", "")
        extra = f" ({_(desc.rstrip('.'))})" if desc else ""  # (schema_words: its translation)
        return [at(path, "schema-pattern", _("{where}: {value} is not valid{extra}").format(
            where=where, value=_show(instance), extra=extra
        ) + foreign_letters(instance))]
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {
            "minimum": N_("{where}: {value} is not allowed: it must be at least {limit}"),
            "maximum": N_("{where}: {value} is not allowed: it must be at most {limit}"),
            "exclusiveMinimum": N_("{where}: {value} is not allowed: it must be more than {limit}"),
            "exclusiveMaximum": N_("{where}: {value} is not allowed: it must be less than {limit}"),
        }[kind]
        shown = parsed.plain_text.get(path) or repr(instance)
        return [at(path, "schema-range", _(words).format(
            where=where, value=shown, limit=error.validator_value
        ))]
    if kind == "minItems":
        return [at(path, "schema-empty", ngettext(
            "{where}: needs at least {count} item", "{where}: needs at least {count} items",
            int(error.validator_value),
        ).format(where=where, count=error.validator_value))]
    if kind == "minLength":
        return [at(path, "schema-empty", _("{where}: must not be empty").format(where=where))]
    if kind == "uniqueItems":
        # at each repeat, naming it: in `owners: [kz-mic, by-minprom, kz-mqs, by-mtz, kz-mic]`
        # "owners: lists the same value twice" at the '[' left the officer to find which
        repeats = _repeats(instance) if isinstance(instance, list) else []
        if not repeats:
            return [at(path, "schema-duplicate", _("{where}: lists the same value twice").format(where=where))]
        out = []
        for j, first in repeats[:MAX_PROBLEMS]:
            line, column = parsed.at(path + (first,))
            out.append(at(path + (j,), "schema-duplicate", _(
                "{where}: {value} is listed twice (first at line {line}, column {column}); remove one"
            ).format(where=_where(path + (j,), parsed), value=_show(instance[j]), line=line, column=column)))
        return out
    if kind == "minProperties":
        return [at(path, "schema-empty", _("{where}: must not be empty").format(where=where))]
    message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
    return [at(path, "schema", f"{where}: {message}")]


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
    if len(fitting) > 1:
        # two mapping forms (recurring, {after, within}): the one with the fewest complaints
        # about the mapping's own keys is the form the writer meant
        least = min(sum(not e.path for e in errs) for errs in fitting)
        fitting = [errs for errs in fitting if sum(not e.path for e in errs) == least]
    if len(fitting) == 1:
        errs = sorted(fitting[0], key=lambda e: -len(e.path))
        return errs[0]
    return None


def _expected(schema: dict[str, Any]) -> str:
    desc = schema.get("description")
    if desc:
        first = _(first_sentence(desc))  # (says what the value is; schema_words: translated)
        return _("expected {what}").format(what=first[0].lower() + first[1:])
    return _("the value does not have an accepted form")


def first_sentence(description: str) -> str:
    """A description's first sentence, without its full stop ("e.g." does not end one)."""
    return _SENTENCE_END.split(description, maxsplit=1)[0].rstrip(".")


_SENTENCE_END = re.compile(r"(?<!e\.g)(?<!i\.e)\. ")


def _last_key(path: Path) -> str | None:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return None


def _repeats(items: list[Any]) -> list[tuple[int, int]]:
    """``(index, index of its first occurrence)`` of every item of ``items`` equal to one
    before it, as JSON Schema's ``uniqueItems`` compares them (``1`` and ``true`` differ)."""
    import json

    seen: dict[str, int] = {}
    out = []
    for j, item in enumerate(items):
        key = json.dumps([type(item).__name__, item], sort_keys=True, default=str)
        if key in seen:
            out.append((j, seen[key]))
        else:
            seen[key] = j
    return out


def _where(path: Path, parsed: Parsed | None = None) -> str:
    """A readable name for a path: `measure 4.2: due` (a measure named by its id), `period.end`,
    or `the document` for the root."""
    from roadmap_cli.explain import where

    if parsed is None:
        return where(path)
    return where(path, parsed.data, parsed.plain_text)


def _show(value: Any, text: str | None = None) -> str:
    if text is not None:
        if value is None and text in ("", "~"):
            return _("an empty value")
        return f"{text} ({_kind(value)})"
    if isinstance(value, str):
        return repr(value) if len(value) < 60 else repr(value[:57] + "...")
    if isinstance(value, (dict, list)):
        return _kind(value)
    return f"{_kind(value)} {value!r}"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return _("a boolean")
    if isinstance(value, int):
        return _("a number")
    if isinstance(value, float):
        return _("a number")
    if value is None:
        return "null"
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    return _("a string")


# --- validity only: a JSON Schema compiled to plain Python ------------------------------------
