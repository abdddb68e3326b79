"""yamlsrc reads the common file through a fast path and everything else through the general
builder; the two give exactly the same result (value, positions, key positions, plain texts,
problems), on real and generated files and on files changed to hold every kind of tricky value."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from benchgen import gen

from roadmap_cli import yamlsrc

ROOT = Path(__file__).resolve().parents[1]


def _generated() -> list[bytes]:
    out = [gen.agencies_yaml().encode()]
    for i in range(1, 4):
        out.append(gen.roadmap_yaml(i, 30, random.Random(i))[1].encode())
    return out


FILES = [p.read_bytes() for p in sorted((ROOT / "roadmaps").glob("*.yaml"))]
FILES += [p.read_bytes() for p in sorted((ROOT / "tests" / "data").rglob("*.yaml"))]
FILES += _generated()

TRICKY = [
    "no", "0755", "1:30", "Fix #12", "'q'", "1e400", ".inf", ".nan", "2026-02-30", "~", "", "x  # c",
    "x #c", "on", "off", "false", "true", "null", "1_000", "0x1F", "-5", "+3", ".5", "1.", "ongoing",
    "not_started", "&a x", "*a", "!!str 5", "!!int x", "[a, b]", "{a: 1}", '"quoted"', "Ж", "a: b",
    "- x", "y", "Y", "n", "2026-Q4", "2026", "20261", "2026-1", "x\u2028y", "9" * 120, "[[[[]]]]",
    "{a: 1, a: 2}", "|\n  block", "? complex", "Launch #12", "Организовать #3", "done  # ok",
    "in_progress #x",
]


#: the fast path itself: parse_both replaces it (until the test ends) with a spy, then with a
#: stub, so a second call in one test must not take the stub for the real one
_REAL_FAST_READ = yamlsrc._fast_read


def parse_both(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple, tuple, bool]:
    used: list[bool] = []
    real = _REAL_FAST_READ

    def spy(*args):  # type: ignore[no-untyped-def]
        ok = real(*args)
        used.append(ok)
        return ok

    monkeypatch.setattr(yamlsrc, "_fast_read", spy)
    fast = _result(yamlsrc.parse(data, "f.yaml"))
    monkeypatch.setattr(yamlsrc, "_fast_read", lambda *args: False)
    general = _result(yamlsrc.parse(data, "f.yaml"))
    return fast, general, any(used)


def _result(p: yamlsrc.Parsed) -> tuple:
    return (repr(p.data), p.positions, p.key_positions, p.plain_text, p.problems, p.text)


@pytest.mark.parametrize("index", range(len(FILES)))
def test_real_and_generated_files_take_the_fast_path_to_the_same_result(
    index: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, general, used = parse_both(FILES[index], monkeypatch)
    assert fast == general
    assert used, "a clean file should not need the general builder"


def _mutations(n: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    texts = [f.decode("utf-8") for f in FILES]
    out = []
    for _ in range(n):
        lines = rng.choice(texts).split("\n")
        for _ in range(rng.randrange(1, 4)):
            i = rng.randrange(len(lines))
            line = lines[i]
            if ": " in line:
                lines[i] = line[: line.index(": ") + 2] + rng.choice(TRICKY)
            elif line.strip().startswith("- "):
                lines[i] = line[: line.index("- ") + 2] + rng.choice(TRICKY)
            else:
                lines[i] = line + rng.choice([" #x", "  # y", "\t", " ", ":", "\r"])
        out.append("\n".join(lines).encode("utf-8"))
    return out


@pytest.mark.fuzz
@pytest.mark.parametrize("seed", range(4))
def test_changed_files_give_the_same_result_either_way(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    used = 0
    for data in _mutations(60, seed):
        fast, general, took = parse_both(data, monkeypatch)
        assert fast == general, data.decode("utf-8", "replace")[:2000]
        used += took
    assert 0 < used < 60  # both paths were exercised


@pytest.mark.slow
@pytest.mark.parametrize("value", TRICKY)
def test_each_tricky_value_in_a_clean_file(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    base = FILES[-1].decode("utf-8").split("\n")
    for target in ("    status: ", "      en: ", "    owners:", "      - "):
        lines = list(base)
        i = next(n for n, line in enumerate(lines) if line.startswith(target))
        lines[i] = lines[i][: len(target)].rstrip(" ") + " " + value
        fast, general, _ = parse_both("\n".join(lines).encode("utf-8"), monkeypatch)
        assert fast == general, (target, value)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: no\n",
        "a: &x {b: 1}\nc: *x\n",
        "a: 1\na: 2\n",
        "a: 1\n---\nb: 2\n",
        "- 1\n- 2\n",
        "a:\r  b: 1\r",
        "a: [1, 2\n",
        "title: Fix #12 now\n",
        "",
        "a: !!str 1\n",
        "a: " + "[" * 70 + "]" * 70 + "\n",
    ],
)
def test_what_the_fast_path_leaves_to_the_general_builder(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, general, used = parse_both(text.encode(), monkeypatch)
    assert fast == general
    assert not used
