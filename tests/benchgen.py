"""The benchmarks' generator of valid roadmap repositories (benchmarks/generate.py), for the tests
that want larger or seeded random data: loaded once, here, not by each test file."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: the module (agencies_yaml, roadmap_yaml, ...)
gen = _load()
#: generate(folder, docs=, measures=, seed=) -> the folder, filled
generate = gen.generate
