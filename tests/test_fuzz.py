"""Fuzzing with hypothesis: random YAML documents, random text and bytes, and byte- and line-level
mutations of the shipped roadmaps, fed to the loader and to every report command.

The properties: the loader never raises and locates every problem (line and column from 1, a
declared rule id); the CLI exits 0 or 1, never 4, and prints no traceback; each example finishes
within the hypothesis deadline. The default run is quick (a few hundred examples);
`ROADMAP_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py` runs more, `benchmarks/fuzz.py` runs long
sessions.
"""

from __future__ import annotations

import importlib.util
import math
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from clirun import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap_cli import load, rules, rules_today, schema, yamlsrc
from roadmap_cli.load import load_sources
from roadmap_cli.sources import Sources

pytestmark = pytest.mark.fuzz

ROOT = Path(__file__).resolve().parents[1]
AGENCIES = (ROOT / "roadmaps" / "agencies.yaml").read_bytes()
SHIPPED = {p.name: p.read_bytes() for p in sorted((ROOT / "roadmaps").glob("*.yaml")) if p.name != "agencies.yaml"}
KNOWN_RULES = {**yamlsrc.RULE_IDS, **load.RULE_IDS, **schema.RULE_IDS, **{r.id: str(r.severity) for r in rules.RULES}, **rules_today.DATED_RULE_IDS}
REPORTS = [c for c in ("status", "overdue", "upcoming", "agencies") if importlib.util.find_spec(f"roadmap_cli.commands.{c}")]
AS_OF = "2026-11-22"
#: examples per loader test (the CLI tests run a third as many)
EXAMPLES = int(os.environ.get("ROADMAP_FUZZ_EXAMPLES", "150"))

KEYS = ["id", "kind", "title", "parties", "signed", "period", "measures", "date", "start", "end",
        "owners", "due", "status", "progress", "weight", "completed", "reason", "depends_on",
        "reports", "every", "from", "until", "grace", "en", "ru"]
HOSTILE_TEXT = ["no", "yes", "on", "~", "null", ".nan", ".inf", "1e400", "0755", "1:30", "2026-02-30",
                "2026-Q5", "9999-12-31", "0000-01-01", "ongoing", "done", "kz-mic", "1.10", "Fix #12",
                "\u2028", "\x85", "\t", "Дорожная карта", "&a", "*a", "!!python/object/apply:os.system"]
TOKENS = [b"\t", b"\x00", b"\x1b[2J", b"\xff", b"\xef\xbb\xbf", "\u2028".encode(), "\x85".encode(),
          b"---\n", b"<<<<<<< HEAD\n", b"&a ", b"*a", b"!!python/object/apply:os.system ['x'] ",
          b"? ", b": ", b"- ", b"[", b"]", b"{", b"}", b",", b" #", b"'", b'"', b"|\n", b"\r",
          b"\n", b"  ", b"~", b".nan", b"1e400", b"0755", b"2026-02-30", b"2026-Q5", b"no", b"<<: *a\n"]

# --- strategies ----------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(HOSTILE_TEXT),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=10), st.integers(), st.booleans(), st.none())
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(keys, children, max_size=6),
    ),
    max_leaves=30,
)
roadmap_like = st.fixed_dictionaries(
    {},
    optional={k: values for k in ("id", "kind", "title", "parties", "signed", "period", "notes")}
    | {"measures": st.lists(st.dictionaries(st.sampled_from(KEYS), values, max_size=8), max_size=4)},
)


@st.composite
def yaml_documents(draw: st.DrawFn) -> bytes:
    """A random structure dumped with yaml.safe_dump in a random style, or random text or bytes."""
    kind = draw(st.sampled_from(["structure", "roadmap", "text", "bytes"]))
    if kind == "text":
        return draw(st.text(max_size=300)).encode("utf-8", "surrogatepass")
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    value = draw(roadmap_like if kind == "roadmap" else values)
    flow = draw(st.sampled_from([None, True, False]))
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=draw(st.booleans()), sort_keys=False)
    return text.encode("utf-8", "surrogatepass")


@st.composite
def mutated_roadmaps(draw: st.DrawFn) -> bytes:
    """A shipped roadmap with a few byte-level or line-level mutations."""
    data = bytearray(SHIPPED[draw(st.sampled_from(sorted(SHIPPED)))])
    if draw(st.booleans()):  # bytes
        for _ in range(draw(st.integers(1, 6))):
            at = draw(st.integers(0, len(data)))
            op = draw(st.sampled_from(["flip", "insert", "delete", "copy"]))
            if op == "flip" and at < len(data):
                data[at] ^= 1 << draw(st.integers(0, 7))
            elif op == "insert":
                data[at:at] = draw(st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=4)))
            elif op == "delete":
                del data[at : at + draw(st.integers(1, 30))]
            else:
                start = draw(st.integers(0, len(data)))
                data[at:at] = data[start : start + draw(st.integers(1, 200))]
        return bytes(data)
    lines = bytes(data).split(b"\n")
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "duplicate", "swap", "indent", "dedent", "value"]))
        if op == "drop" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = b"  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i][2:]
        elif b": " in lines[i]:
            value = draw(st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=12)))
            lines[i] = lines[i].split(b": ", 1)[0] + b": " + value.encode("utf-8", "surrogatepass")
    return b"\n".join(lines)


# --- the loader ------------------------------------------------------------------------------------


def check_loader(data: bytes) -> None:
    repo = load_sources(Sources(agencies=[("agencies.yaml", AGENCIES)], roadmaps=[("fuzz.yaml", data)]))
    for p in repo.problems:
        assert p.line >= 1 and p.column >= 1, p
        assert p.rule in KNOWN_RULES and str(p.severity) == KNOWN_RULES[p.rule], p
        assert p.message and "\n" not in p.message, p
    if repo.roadmaps:  # a document that loads is built from valid data only
        assert not repo.errors
        for m in repo.roadmaps[0].measures:
            for number in (m.progress, m.weight):
                assert number is None or (isinstance(number, (int, float)) and math.isfinite(number))


@settings(max_examples=EXAMPLES, deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow])
@given(yaml_documents())
def test_loader_on_random_yaml(data: bytes) -> None:
    check_loader(data)


@settings(max_examples=EXAMPLES, deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow])
@given(mutated_roadmaps())
def test_loader_on_mutated_roadmaps(data: bytes) -> None:
    check_loader(data)


# --- the CLI ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="roadmap-fuzz-")) / "roadmaps"
    folder.mkdir()
    (folder / "agencies.yaml").write_bytes(AGENCIES)
    yield folder
    shutil.rmtree(folder.parent, ignore_errors=True)


def cli(*args: str) -> tuple[int, str]:
    code, out, err = invoke(*args)
    return code, out + err


def check_cli(folder: Path, data: bytes) -> None:
    (folder / "fuzz.yaml").write_bytes(data)
    for command in ["validate", *REPORTS]:
        args: list[Any] = [command, str(folder)] if command == "validate" else [command, "--as-of", AS_OF, "--format", "json", str(folder)]
        code, output = cli(*args)
        assert code in (0, 1), (command, code, output[-2000:])
        assert "Traceback" not in output and "internal error" not in output, (command, output[-2000:])


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")


@settings(max_examples=max(1, EXAMPLES // 3), deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=yaml_documents())
def test_cli_on_random_yaml(workdir: Path, data: bytes) -> None:
    check_cli(workdir, data)


@settings(max_examples=max(1, EXAMPLES // 3), deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=mutated_roadmaps())
def test_cli_on_mutated_roadmaps(workdir: Path, data: bytes) -> None:
    check_cli(workdir, data)


def test_the_shipped_roadmaps_pass_the_same_checks(workdir: Path) -> None:
    """The properties hold, and say something, on the unmutated files: they load and report."""
    for data in SHIPPED.values():
        check_loader(data)
        check_cli(workdir, data)
        repo = load_sources(Sources(agencies=[("agencies.yaml", AGENCIES)], roadmaps=[("x.yaml", data)]))
        assert repo.roadmaps and not repo.errors
