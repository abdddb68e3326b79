"""The cold path keeps only what a report reads, and its shortcuts give the same answers: the
fast YAML loop's positions found again when a message asks, the few positions a loaded model
keeps, one object for each repeated string, due and list of agencies, the burn-up without
decoding a document's data, and the writers' escaping shortcuts."""

from __future__ import annotations

import html
import random
from dataclasses import replace
from datetime import date
from pathlib import Path

from benchgen import gen, generate
from hypothesis import given
from hypothesis import strategies as st

from roadmap_cli import burnup, load, yamlsrc
from roadmap_cli.calendar_export import _text
from roadmap_cli.report_svg import coord, esc


def _document(seed: int = 3, measures: int = 40) -> bytes:
    return gen.roadmap_yaml(seed, measures, random.Random(seed))[1].encode()


def _general(data: bytes) -> yamlsrc.Parsed:
    """The file read by the general builder alone (every position recorded as it reads)."""
    text = data.decode("utf-8")
    out = yamlsrc.Parsed("f.yaml")
    builder = yamlsrc._Builder(out, yamlsrc._Positions(text), text, None)
    builder.fast = False
    builder.build()
    return out


def test_the_fast_loop_finds_every_position_again_when_asked() -> None:
    data = _document()
    fast = yamlsrc.parse(data, "f.yaml")
    general = _general(data)
    assert not isinstance(fast.positions, dict), "the fast loop should not record positions"
    assert fast.data == general.data
    # asked one by one (as a message asks), then as a whole
    for path, pos in list(general.positions.items())[::7]:
        assert fast.at(path) == pos
    assert dict(fast.positions) == general.positions
    assert dict(fast.key_positions) == general.key_positions
    assert dict(fast.plain_text) == general.plain_text


def test_a_model_keeps_the_positions_of_completed_and_event_dates_only() -> None:
    data = _document(seed=5, measures=60)
    general = _general(data)
    kept = yamlsrc.kept_positions(yamlsrc.parse(data, "f.yaml").positions)
    assert kept == yamlsrc.kept_positions(general.positions)  # either reading, the same
    expected = {
        p: pos for p, pos in general.positions.items()
        if p == () or (len(p) == 3 and p[0] in ("measures", "events") and p[2] in ("completed", "date"))
    }
    assert kept == expected
    assert any(p[2:] == ("completed",) for p in kept if p)


def test_completed_in_future_is_located_from_the_kept_positions(tmp_path: Path) -> None:
    folder = generate(tmp_path / "roadmaps", docs=1, measures=30, seed=2)
    doc = next(folder.glob("kz-*.yaml"))
    lines = doc.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("completed:"))
    lines[at] = lines[at].split("completed:")[0] + "completed: 2031-01-01"
    doc.write_text("\n".join(lines), encoding="utf-8")
    repo = load.load_paths([str(folder)], today=date(2026, 11, 28))
    found = [p for p in repo.problems if p.rule == "completed-in-future"]
    assert [(p.line, p.column) for p in found] == [(at + 1, lines[at].index("2031") + 1)]


def test_repeated_strings_dues_and_agency_lists_are_one_object(tmp_path: Path) -> None:
    folder = generate(tmp_path / "roadmaps", docs=3, measures=30, seed=4)
    repo = load.load_paths([str(folder)])
    measures = [m for rm in repo.roadmaps for m in rm.measures]
    by_value: dict[object, object] = {}
    for m in measures:
        for value in (m.owners, m.due if isinstance(m.due.raw, str) else None, *m.owners):
            if value is not None:
                assert by_value.setdefault(value, value) is value, value
    keys = [k for m in measures if isinstance(m.title, dict) for k in m.title if k == "en"]
    assert len(keys) > 30 and all(k is keys[0] for k in keys)


def test_a_lean_measure_takes_no_more_memory_than_the_one_it_was_made_from(tmp_path: Path) -> None:
    """model.lean copies a measure without its data as written; its instance dictionary keeps
    sharing its keys with the class's (a dictionary filled by ``update`` does not: twice the
    bytes for each of 100,000 measures)."""
    import sys

    from roadmap_cli.build_model import build_roadmap
    from roadmap_cli.model import lean

    folder = generate(tmp_path / "roadmaps", docs=1, measures=20, seed=5)
    name = str(sorted(folder.glob("kz-*.yaml"))[0])
    built = build_roadmap(load.parse_checked(Path(name).read_bytes(), name, "roadmap.schema.json"))
    slim = lean(built)
    assert slim is not built and "raw" not in slim.measures[0].__dict__
    for before, after in zip(built.measures, slim.measures, strict=True):
        assert after == before
        assert sys.getsizeof(after.__dict__) <= sys.getsizeof(before.__dict__)


def test_a_load_keeps_a_documents_data_as_written_compressed(tmp_path: Path) -> None:
    """What a load keeps of the data as written (diff, export and the sheets read it) is a
    fraction of its marshal bytes, one object for the document and all its measures; every
    measure is made lean at once, with dictionaries that share their keys."""
    import marshal
    import sys

    from roadmap_cli.build_model import build_roadmap

    folder = generate(tmp_path / "roadmaps", docs=1, measures=60, seed=8)
    rm = load.load_paths([str(folder)]).roadmaps[0]
    kept = vars(rm)["_raw_ref"]
    assert all(vars(m)["_raw_ref"] is kept for m in rm.measures)
    assert "raw" not in vars(rm) and not any("raw" in vars(m) for m in rm.measures)
    size = sys.getsizeof(kept._blob)
    assert size * 3 < len(marshal.dumps(rm.raw))
    built = build_roadmap(load.parse_checked(Path(rm.file).read_bytes(), rm.file,
                                             "roadmap.schema.json"))
    assert rm == built and rm.raw == built.raw
    for m, b in zip(rm.measures, built.measures, strict=True):
        assert sys.getsizeof(vars(m)) <= 1.1 * sys.getsizeof(vars(b))
        assert type(m) is type(b) and m.raw == b.raw and m.index == b.index
        assert sys.getsizeof(vars(m)) <= 1.1 * sys.getsizeof(vars(b))  # raw read: still shared


def test_the_burn_up_leaves_a_documents_data_undecoded(tmp_path: Path) -> None:
    folder = generate(tmp_path / "roadmaps", docs=1, measures=40, seed=6)
    rm = load.load_paths([str(folder)]).roadmaps[0]
    with_progress = [m for m in rm.measures if m.progress is not None]
    assert with_progress
    burnup.series(rm, date(2026, 9, 1))
    assert all("raw" not in m.__dict__ for m in rm.measures), "raw was decoded"
    for m in with_progress:
        undated = burnup._undated(m)
        assert undated.progress is None and m.progress is not None
        assert undated == replace(m, progress=None) and undated.index == m.index


def _text_reference(value: str) -> str:
    return (
        value.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


@given(st.text(alphabet=st.sampled_from(list("aЖ;,\n\r\\N &<>\"'"))))
def test_the_writers_shortcuts_give_the_same_text(value: str) -> None:
    assert _text(value) == _text_reference(value)
    assert esc(value) == html.escape(value)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_a_coordinate_is_written_as_before(x: float) -> None:
    text = f"{x:.1f}"
    expected = text[:-2] if text.endswith(".0") else text
    assert coord(x) == expected
    assert coord(x) == expected  # remembered
    assert coord(-0.0) == "-0" and coord(0.0) == "0"


def test_a_first_run_keeps_the_documents_as_the_next_run_reads_them(tmp_path: Path) -> None:
    """A load that fills the cache keeps each document it built from its file in the stored
    form it wrote (its measures built when read: a first run of 1,000 documents of 100
    measures peaked 60 to 100 MB lower so), equal to the document built from the file and to
    the one the next run reads from the cache; without the cache, the built document."""
    from roadmap_cli import workspace
    from roadmap_cli.model import unbuilt_measures

    folder = generate(tmp_path / "roadmaps", docs=3, measures=30, seed=6)
    first = workspace.load([str(folder)])
    built = workspace.load([str(folder)], use_cache=False)
    warm = workspace.load([str(folder)])
    assert len(first.roadmaps) == 3
    for a, b, c in zip(first.roadmaps, built.roadmaps, warm.roadmaps, strict=True):
        assert unbuilt_measures(a) is not None and unbuilt_measures(b) is None
        assert a == b == c and a.file == b.file == c.file
        assert a.measures == b.measures == c.measures
        assert [m.raw for m in a.measures] == [m.raw for m in b.measures]
        assert a.source.positions == b.source.positions
