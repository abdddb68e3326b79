"""Ids as people type them (roadmap_cli.resolve) and the commands that take them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import run
from hypothesis import given
from hypothesis import strategies as st

from roadmap_cli import resolve
from roadmap_cli.load import load_paths

ROOT = Path(__file__).resolve().parent.parent
AGENCIES = load_paths([str(ROOT / "roadmaps")]).agencies
DOCS = ["almaty-region-vitebsk-memorandum-2025", "astana-minsk-2026-2028", "kz-by-industrial-cooperation-2026-2028"]


@pytest.mark.parametrize(
    ("typed", "agency"),
    [
        ("kz-mic", "kz-mic"),
        ("KZ-MIC", "kz-mic"),
        ("Kz-Mic", "kz-mic"),
        ("MIC RK", "kz-mic"),  # short name, en
        ("мпс рк", "kz-mic"),  # short name, ru, any case
        ("Ministry of Industry and Construction of the Republic of Kazakhstan", "kz-mic"),
        ("Министерство промышленности и строительства Республики Казахстан", "kz-mic"),
        ("Gomselmash", "by-gomselmash"),  # a unique part of the names
    ],
)
def test_agency_found(typed: str, agency: str) -> None:
    assert resolve.agency(typed, AGENCIES) == agency


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("kz-mik", "did you mean 'kz-mic'"),
        ("by-minpom", "did you mean 'by-minprom'"),
        ("Ministry", "names more than one agency"),
        ("zz", "no agency with id, name or short name 'zz'"),
    ],
)
def test_agency_not_found(typed: str, message: str) -> None:
    with pytest.raises(resolve.NotFound, match=message):
        resolve.agency(typed, AGENCIES)


@pytest.mark.parametrize(
    ("typed", "agency"),
    [
        ("МИИР РК", "kz-mic"),  # an alias (the ministry's former name)
        ("минсельхоз рк", "kz-moa"),  # an alias, any case
        ("Минпром Беларуси", "by-minprom"),
        ('ОАО "МАЗ" – управляющая компания холдинга "БЕЛАВТОМАЗ"', "by-maz"),  # "" for «»
        ("ОАО «Минский тракторный завод» - управляющая компания холдинга «МТЗ-ХОЛДИНГ»", "by-mtz"),  # - for –
        ("Министерство промышленности и строительства РК", "kz-mic"),  # РК for Республики Казахстан
        ("акимат г. Астаны", "kz-astana-akimat"),
    ],
)
def test_an_agency_is_found_as_import_finds_it(typed: str, agency: str) -> None:
    """--agency compares names as `roadmap import` does (agency_match.key), aliases too."""
    assert resolve.agency(typed, AGENCIES) == agency


def test_a_mistyped_full_name_gets_a_suggestion() -> None:
    with pytest.raises(resolve.NotFound, match="did you mean 'Министерство сельского хозяйства Республики Казахстан'"):
        resolve.agency("Министерство сельского хозяиства Республики Казахстан", AGENCIES)


def test_an_id_in_another_case_that_is_another_agencys_short_name_is_ambiguous() -> None:
    from roadmap_cli.model import Agency

    agencies = {
        "by-mtz": Agency("by-mtz", {"en": "Minsk Tractor Works"}, "BY", "enterprise", short="MTZ"),
        "mtz": Agency("mtz", {"en": "Some other works"}, "BY", "enterprise"),
    }
    assert resolve.agency("mtz", agencies) == "mtz"  # the id as written
    with pytest.raises(resolve.NotFound, match="names more than one agency: by-mtz, mtz"):
        resolve.agency("MTZ", agencies)


@pytest.mark.parametrize(
    ("typed", "doc"),
    [
        ("astana-minsk-2026-2028", "astana-minsk-2026-2028"),
        ("ASTANA-MINSK-2026-2028", "astana-minsk-2026-2028"),
        ("astana", "astana-minsk-2026-2028"),  # the start of one id
        ("KZ-BY", "kz-by-industrial-cooperation-2026-2028"),
    ],
)
def test_document_found(typed: str, doc: str) -> None:
    assert resolve.document(typed, DOCS) == doc


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("a", "the start of more than one document id"),
        ("astana-minks-2026-2028", "did you mean 'astana-minsk-2026-2028'"),
        ("kz-by-test", "no document with id 'kz-by-test'"),
    ],
)
def test_document_not_found(typed: str, message: str) -> None:
    with pytest.raises(resolve.NotFound, match=message):
        resolve.document(typed, DOCS)


def test_measure() -> None:
    assert resolve.measure("1.2", ["1.1", "1.2"], "d") == "1.2"
    assert resolve.measure("a.1", ["A.1", "B.1"], "d") == "A.1"
    with pytest.raises(resolve.NotFound, match=r"d has no measure '1\.3'; did you mean"):
        resolve.measure("1.3", ["1.1", "1.2"], "d")


@pytest.mark.parametrize("count", [0, 1, resolve.LISTED, resolve.LISTED + 2, resolve.LISTED + 3, 100])
def test_a_miss_lists_at_most_ten_known_ids_and_counts_the_rest(count: int) -> None:
    """A folder of a hundred documents (a document of a hundred measures) is not listed whole
    in the message of a typo: the first ten, and how many more (never "and 1 more" or "and 2
    more": those are listed)."""
    docs = [f"doc-{n:03d}" for n in range(count)]
    with pytest.raises(resolve.NotFound) as miss:
        resolve.document("zzz", docs)
    known = str(miss.value).split("(known: ", 1)[1]
    shown = docs if count <= resolve.LISTED + 2 else docs[: resolve.LISTED]
    assert known == (", ".join(shown) or "none") + (
        f", and {count - len(shown)} more)" if count > len(shown) else ")"
    )
    measures = [f"{n}.1" for n in range(count)]
    with pytest.raises(resolve.NotFound) as miss:
        resolve.measure("zzz", measures, "d")
    assert str(miss.value).endswith(", and 90 more)") == (count == 100)
    assert ("9.1" in str(miss.value)) == (count > 9)
    assert ("10.1" in str(miss.value)) == (10 < count <= resolve.LISTED + 2)


def test_a_miss_counts_the_rest_in_russian() -> None:
    from roadmap_cli import i18n

    i18n.activate("ru")
    try:
        with pytest.raises(resolve.NotFound) as miss:
            resolve.document("zzz", [f"doc-{n:03d}" for n in range(25)])
    finally:
        i18n.activate("en")
    assert str(miss.value).endswith("doc-009 и ещё 15)"), str(miss.value)


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("kz-by-industral", ["kz-by-industrial-cooperation-2026-2028"]),  # a letter left out
        ("astna", ["astana-minsk-2026-2028"]),
        ("kz-by-idnustrial-coop", ["kz-by-industrial-cooperation-2026-2028"]),  # two, in 21
        ("almaty-regoin-vitebsk", ["almaty-region-vitebsk-memorandum-2025"]),
        ("kz-by-indxxxxal", []),  # three typos in 15 characters
        ("zzzz", []),
        ("kz", []),  # too short to tell
    ],
)
def test_a_typo_in_the_start_of_an_id_is_suggested(typed: str, suggested: list[str]) -> None:
    """The start of an id typed with a typo is too small a part of the id for difflib's ratio:
    the start of each id is compared with it instead (one typo, two from 16 characters)."""
    assert resolve.suggestions(typed, DOCS) == suggested
    if suggested:
        with pytest.raises(resolve.NotFound, match=f"did you mean '{suggested[0]}'"):
            resolve.document(typed, DOCS)


@given(st.text("abc", max_size=9), st.text("abc", max_size=9), st.integers(0, 3))
def test_the_banded_typo_count_is_the_edit_distance_up_to_its_bound(a: str, b: str, most: int) -> None:
    assert resolve._typos(a, b, most) == min(resolve._distance(a, b), most + 1)


def test_a_typo_in_the_start_of_a_long_id_among_many_is_looked_for_quickly() -> None:
    """Ids and what is typed can be long (a checkout is untrusted): the comparison of starts is
    banded, a few steps a character (a full edit distance took seconds here)."""
    import time

    ids = ["x" * 300 + f"{n:04d}" for n in range(1000)]
    start = time.perf_counter()
    assert resolve.suggestions("y" * 200, ids) == []
    assert len(resolve.suggestions("x" * 199 + "y", ids)) == resolve.SUGGESTIONS
    assert time.perf_counter() - start < 5  # (about 0.1 s; seconds before)
    assert resolve.suggestions("x" * 301, ids) == []  # longer than any id people type
    assert resolve.suggestions("x" * 300 + "0001", [*ids, "one-more"]) == []  # 1,001 ids


def test_suggestions_rank_the_fewest_typos_first() -> None:
    assert resolve.suggestions("kz-mik", ["kz-mti", "kz-moa", "kz-mic"])[0] == "kz-mic"


# --- the commands ------------------------------------------------------------------------------


@pytest.fixture
def repo(shipped_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    monkeypatch.setenv("COLUMNS", "80")
    return shipped_copy


def test_filters_forgive(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ("overdue", "--as-of", "2026-11-28", "--format", "json")
    code, exact, _ = run(capsys, *base, "--agency", "kz-mic", "--roadmap", "kz-by-industrial-cooperation-2026-2028")
    assert code == 0 and json.loads(exact)
    for agency, roadmap in [("KZ-MIC", "KZ-BY"), ("MIC RK", "kz-by-industrial"), ("мпс рк", "kz-by")]:
        code, out, err = run(capsys, *base, "--agency", agency, "--roadmap", roadmap)
        assert (code, out) == (0, exact), err


def test_a_miss_is_a_usage_error_with_suggestions(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "overdue", "--agency", "kz-mik")
    assert (code, out) == (2, "")
    assert "did you mean 'kz-mic'" in err
    code, out, err = run(capsys, "status", "--roadmap", "astana-minks-2026-2028")
    assert (code, out) == (2, "")
    assert "did you mean 'astana-minsk-2026-2028'" in err


def test_agencies_command_filters_by_name(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "agencies", "--agency", "МПС РК", "--format", "json", "--as-of", "2026-11-28")
    assert code == 0 and [r["agency"] for r in json.loads(out)] == ["kz-mic"]


def test_agency_filter_takes_an_alias(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ("overdue", "--as-of", "2026-11-28", "--format", "json")
    code, exact, _ = run(capsys, *base, "--agency", "kz-mic")
    code, out, err = run(capsys, *base, "--agency", "МИИР РК")
    assert (code, out) == (0, exact), err


def test_a_name_pasted_in_decomposed_letters_is_found(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'й' pasted as 'и' and a combining breve (from a PDF, a web page) is the same letter."""
    import unicodedata

    name = unicodedata.normalize("NFD", "Министерство сельского хозяйства Республики Казахстан")
    assert name != unicodedata.normalize("NFC", name)
    code, out, err = run(capsys, "agencies", "--agency", name, "--format", "json", "--as-of", "2026-11-28")
    assert code == 0, err
    assert [r["agency"] for r in json.loads(out)] == ["kz-moa"]


def test_show_and_update_forgive(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "ASTANA/1.2", "--format", "json", "--as-of", "2026-11-28")
    assert code == 0 and json.loads(out)["measure"] == "1.2"
    code, out, err = run(capsys, "update", "Astana-Minsk-2026-2028/1.2", "--progress", "75", "--dry-run")
    assert code == 0, err
    assert "+    progress: 75" in out
    code, out, err = run(capsys, "update", "astana/1.9", "--progress", "75")
    assert (code, out) == (2, "")
    assert "astana-minsk-2026-2028 has no measure '1.9'" in err


def test_a_parents_figures_are_its_own(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """docs/semantics.md (Agencies): `parent` does not count. kz-by 3.5 is led by by-belaz,
    whose parent is by-minprom, and names kz-mic, not by-minprom."""
    base = ("--as-of", "2026-11-28", "--format", "json")
    code, out, err = run(capsys, "export", *base, "--agency", "by-minprom")
    assert code == 0, err
    assert ("kz-by-industrial-cooperation-2026-2028", "3.5") not in {(m["roadmap"], m["measure"]) for m in json.loads(out)}
    code, out, err = run(capsys, "agencies", *base)
    rows = {r["agency"]: r for r in json.loads(out)}
    code, out, err = run(capsys, "agencies", *base, "--agency", "by-minprom")
    assert [r["agency"] for r in json.loads(out)] == ["by-minprom"]
    assert json.loads(out)[0]["lead"] == rows["by-minprom"]["lead"]
    assert rows["by-belaz"]["lead"] >= 1
