"""Names in a responsible-agency cell -> agency ids, by name, short name and aliases."""

from __future__ import annotations

import pytest

from roadmap_cli.agency_match import Index, key, owners_and_co, read_cell
from roadmap_cli.model import Agency

AGENCIES = [
    Agency(
        "kz-mic",
        {"ru": "Министерство промышленности и строительства Республики Казахстан", "en": "Ministry of Industry and Construction of the Republic of Kazakhstan"},
        "KZ",
        "national",
        short={"ru": "МПС РК", "en": "MIC RK"},
        aliases=("МИИР РК",),
    ),
    Agency("kz-mti", {"ru": "Министерство торговли и интеграции Республики Казахстан"}, "KZ", "national", short={"ru": "МТИ РК"}),
    Agency("kz-astana-akimat", {"ru": "Акимат города Астаны"}, "KZ", "city", short={"ru": "Акимат Астаны"}),
    Agency("by-minprom", {"ru": "Министерство промышленности Республики Беларусь"}, "BY", "national", short={"ru": "Минпром"}),
    Agency("by-maz", {"ru": "ОАО «МАЗ» – управляющая компания холдинга «БЕЛАВТОМАЗ»"}, "BY", "enterprise", short="MAZ", aliases=("МАЗ",)),
    Agency("by-minsk-cec", {"ru": "Минский городской исполнительный комитет"}, "BY", "city", short={"ru": "Мингорисполком"}),
    Agency("by-culture-a", {"ru": "Управление культуры"}, "BY", "city"),
    Agency("kz-culture-b", {"ru": "Управление культуры"}, "KZ", "city"),
]
INDEX = Index(AGENCIES)

CASES = [
    ("Министерство промышленности и строительства Республики Казахстан", ["kz-mic"]),
    ("МИНИСТЕРСТВО ПРОМЫШЛЕННОСТИ И СТРОИТЕЛЬСТВА РК", ["kz-mic"]),
    ("МИИР РК", ["kz-mic"]),
    ("миир рк.", ["kz-mic"]),
    ("МПС РК, Минпром", ["kz-mic", "by-minprom"]),
    ("МПС РК; Минпром", ["kz-mic", "by-minprom"]),
    ("МПС РК\nМинпром\n", ["kz-mic", "by-minprom"]),
    ("акимат г. Астаны", ["kz-astana-akimat"]),
    ("Акимат города Астаны (по согласованию)", ["kz-astana-akimat"]),
    ("ОАО «МАЗ»", ["by-maz"]),
    ("ОАО «МАЗ» – управляющая компания холдинга «БЕЛАВТОМАЗ»", ["by-maz"]),
    ("Mингорисполком, МТИ РК, МИИР РК", [None, "kz-mti", "kz-mic"]),  # a Latin "M"
    ("kz-mic", ["kz-mic"]),
    ("Ministry of Industry and Construction of the Republic of Kazakhstan", ["kz-mic"]),
    ("MIC RK", ["kz-mic"]),
    ("Минпром, Минпром", ["by-minprom"]),
]


@pytest.mark.parametrize(("cell", "ids"), CASES, ids=[c[0] for c in CASES])
def test_cell(cell: str, ids: list[str | None]) -> None:
    assert [n.agency for n in read_cell(cell, INDEX)] == ids


def test_unmatched_has_suggestions() -> None:
    (name,) = read_cell("Минпромм РБ", INDEX)
    assert name.agency is None
    assert name.suggestions[0] == "by-minprom"


def test_ambiguous_name_is_unmatched_with_both() -> None:
    (name,) = read_cell("Управление культуры", INDEX)
    assert name.agency is None
    assert name.ambiguous == ("by-culture-a", "kz-culture-b")


def test_lead_mark_and_order() -> None:
    names = read_cell("МИИР РК\nМТИ РК (головной)\nМинпром", INDEX)
    owners, co = owners_and_co(names)
    assert [n.agency for n in owners] == ["kz-mti"]
    assert [n.agency for n in co] == ["kz-mic", "by-minprom"]
    owners, co = owners_and_co(read_cell("МИИР РК, Минпром", INDEX), read_cell("МАЗ", INDEX))
    assert [n.agency for n in owners] == ["kz-mic"]
    assert [n.agency for n in co] == ["by-minprom", "by-maz"]


def test_key() -> None:
    assert key("«Акимат г. Астаны»") == key("акимат города астаны") == "акимат астаны"
    assert key("Министерство промышленности Республики Беларусь") == "министерство промышленности рб"
