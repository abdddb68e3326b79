"""Generate realistic roadmap repositories for benchmarks and tests.

    python benchmarks/generate.py OUT_DIR --docs 100 --measures 100 [--seed 0]

or, from Python (tests, other benchmarks)::

    from benchmarks.generate import generate
    generate("tmp/roadmaps", docs=100, measures=100, seed=0)

The folder gets an ``agencies.yaml`` and ``docs`` roadmap files of ``measures`` measures each,
valid against the schemas and clean under every rule (no errors, no warnings), so that report
commands run on them. The content is what real files hold: English and Russian titles (some
Kazakh and Belarusian), every due form (date, month, quarter, half-year, quoted and bare year,
ongoing, recurring by month, quarter, half-year and year with reports), every status with what it
needs (``completed``, ``reason``, ``progress``), weights, dependencies, evidence, indicators with
actuals, notes, comments, and both block and flow style. The output depends only on the arguments:
the same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import os
import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

SIGNED = date(2025, 11, 5)
PERIOD_START = date(2026, 1, 1)
#: the generated data is written as of this day: no measure is completed after it
COMPLETED_BY = date(2026, 11, 1)
PERIOD_END = date(2028, 12, 31)

# (id suffix, en, ru, kk or None, level)
_KZ = [
    ("mic", "Ministry of Industry and Construction", "Министерство промышленности и строительства",
     "Өнеркәсіп және құрылыс министрлігі", "national"),
    ("mti", "Ministry of Trade and Integration", "Министерство торговли и интеграции",
     "Сауда және интеграция министрлігі", "national"),
    ("moa", "Ministry of Agriculture", "Министерство сельского хозяйства",
     "Ауыл шаруашылығы министрлігі", "national"),
    ("mfa", "Ministry of Foreign Affairs", "Министерство иностранных дел",
     "Сыртқы істер министрлігі", "national"),
    ("mon", "Ministry of National Economy", "Министерство национальной экономики",
     "Ұлттық экономика министрлігі", "national"),
    ("edu", "Ministry of Science and Higher Education", "Министерство науки и высшего образования",
     "Ғылым және жоғары білім министрлігі", "national"),
    ("culture", "Ministry of Culture and Information", "Министерство культуры и информации",
     "Мәдениет және ақпарат министрлігі", "national"),
    ("transport", "Ministry of Transport", "Министерство транспорта", "Көлік министрлігі", "national"),
    ("energy", "Ministry of Energy", "Министерство энергетики", "Энергетика министрлігі", "national"),
    ("health", "Ministry of Health", "Министерство здравоохранения", "Денсаулық сақтау министрлігі",
     "national"),
    ("astana-akimat", "Akimat of Astana", "Акимат города Астаны", "Астана қаласының әкімдігі", "city"),
    ("almaty-akimat", "Akimat of Almaty", "Акимат города Алматы", "Алматы қаласының әкімдігі", "city"),
    ("karaganda-akimat", "Akimat of Karaganda Region", "Акимат Карагандинской области",
     "Қарағанды облысының әкімдігі", "regional"),
    ("kostanay-akimat", "Akimat of Kostanay Region", "Акимат Костанайской области",
     "Қостанай облысының әкімдігі", "regional"),
    ("qazindustry", "QazIndustry Industrial Development Centre", "Центр индустриального развития QazIndustry",
     None, "enterprise"),
    ("kazakh-invest", "Kazakh Invest National Company", "Национальная компания Kazakh Invest", None,
     "enterprise"),
]
_BY = [
    ("minprom", "Ministry of Industry", "Министерство промышленности", "Міністэрства прамысловасці",
     "national"),
    ("mintorg", "Ministry of Antimonopoly Regulation and Trade",
     "Министерство антимонопольного регулирования и торговли",
     "Міністэрства антыманапольнага рэгулявання і гандлю", "national"),
    ("minselhoz", "Ministry of Agriculture and Food", "Министерство сельского хозяйства и продовольствия",
     "Міністэрства сельскай гаспадаркі і харчавання", "national"),
    ("mfa", "Ministry of Foreign Affairs", "Министерство иностранных дел", "Міністэрства замежных спраў",
     "national"),
    ("minobr", "Ministry of Education", "Министерство образования", "Міністэрства адукацыі", "national"),
    ("minkult", "Ministry of Culture", "Министерство культуры", "Міністэрства культуры", "national"),
    ("mintrans", "Ministry of Transport and Communications", "Министерство транспорта и коммуникаций",
     "Міністэрства транспарту і камунікацый", "national"),
    ("minsk-cec", "Minsk City Executive Committee", "Минский городской исполнительный комитет",
     "Мінскі гарадскі выканаўчы камітэт", "city"),
    ("vitebsk-rec", "Vitebsk Regional Executive Committee", "Витебский областной исполнительный комитет",
     "Віцебскі абласны выканаўчы камітэт", "regional"),
    ("gomel-rec", "Gomel Regional Executive Committee", "Гомельский областной исполнительный комитет",
     "Гомельскі абласны выканаўчы камітэт", "regional"),
    ("mtz", "Minsk Tractor Works", "ОАО «Минский тракторный завод»", None, "enterprise"),
    ("maz", "Minsk Automobile Plant", "ОАО «МАЗ» — управляющая компания холдинга «БЕЛАВТОМАЗ»", None,
     "enterprise"),
    ("gomselmash", "Gomselmash", "ОАО «Гомсельмаш»", None, "enterprise"),
    ("belaz", "BelAZ", "ОАО «БЕЛАЗ» — управляющая компания холдинга «БЕЛАЗ-ХОЛДИНГ»", None, "enterprise"),
]

_ACTIONS = [
    ("Organise", "Организовать"),
    ("Hold", "Провести"),
    ("Work out", "Проработать"),
    ("Prepare and sign", "Подготовить и подписать"),
    ("Set up", "Создать"),
    ("Expand", "Расширить"),
    ("Launch", "Запустить"),
    ("Study the possibility of", "Изучить возможность"),
]
_OBJECTS = [
    ("a business mission with B2B meetings", "бизнес-миссию с проведением B2B-встреч"),
    ("joint assembly of agricultural machinery", "совместную сборку сельскохозяйственной техники"),
    ("supplies of buses and electric buses", "поставки автобусов и электробусов"),
    ("an intergovernmental working group", "межправительственную рабочую группу"),
    ("a trade and exhibition centre", "торгово-выставочный центр"),
    ("exchanges of students and lecturers", "обмены студентами и преподавателями"),
    ("days of culture", "дни культуры"),
    ("a joint venture for component production", "совместное предприятие по производству комплектующих"),
    ("a programme of industrial cooperation", "программу промышленной кооперации"),
    ("logistics routes through the Caspian ports", "логистические маршруты через порты Каспия"),
    ("a service centre for mining dump trucks", "сервисный центр для карьерных самосвалов"),
    ("localisation of production up to 50 %", "локализацию производства до 50 %"),
]
_WHERE = [
    ("in Astana", "в г. Астане"),
    ("in Minsk", "в г. Минске"),
    ("in the Kostanay region", "в Костанайской области"),
    ("in the Vitebsk region", "в Витебской области"),
    ("at the Karaganda industrial park", "на базе индустриального парка г. Караганды"),
    ("", ""),
]
_REASONS = [
    "The premises offered do not suit the operator; a new site is being sought.",
    "Financing is not yet approved by the budget commission.",
    "Superseded by the intergovernmental agreement of 2026.",
    "The partner enterprise withdrew; a replacement is under discussion.",
]
_NOTES = [
    "Dates agreed at the meeting of the working group.",
    "Postponed by one side; the new dates are not agreed yet.",
    "Перенесено по инициативе белорусской стороны.",
]
_UNITS = ["units", "jobs", "USD million", "participants", "%"]


def _agencies() -> list[tuple[str, str, str, str | None, str, str]]:
    """(id, en, ru, kk/be or None, level, country)."""
    out = []
    for suffix, en, ru, local, level in _KZ:
        out.append((f"kz-{suffix}", f"{en} of the Republic of Kazakhstan" if level == "national" else en,
                    f"{ru} Республики Казахстан" if level == "national" else ru, local, level, "KZ"))
    for suffix, en, ru, local, level in _BY:
        out.append((f"by-{suffix}", f"{en} of the Republic of Belarus" if level == "national" else en,
                    f"{ru} Республики Беларусь" if level == "national" else ru, local, level, "BY"))
    return out


def agencies_yaml() -> str:
    lines = [
        "# yaml-language-server: $schema=../schemas/agencies.schema.json",
        "#",
        "# Generated by benchmarks/generate.py: illustrative agencies for benchmarks.",
        "agencies:",
    ]
    for aid, en, ru, local, level, country in _agencies():
        lang = "kk" if country == "KZ" else "be"
        lines.append(f"  - id: {aid}")
        lines.append("    name:")
        lines.append(f"      en: {en}")
        lines.append(f"      ru: {_q(ru)}")
        if local:
            lines.append(f"      {lang}: {_q(local)}")
        lines.append(f"    country: {country}")
        lines.append(f"    level: {level}")
        lines.append("    parent: null")
    return "\n".join(lines) + "\n"


def _q(text: str) -> str:
    """A YAML scalar for ``text``: plain when safe, else double-quoted."""
    if any(c in text for c in ":#«»\"'{}[],&*!|>%@`") or text[:1] in "-?":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _period_text(kind: str, d: date) -> str:
    if kind == "month":
        return f"{d.year}-{d.month:02d}"
    if kind == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    if kind == "half":
        return f"{d.year}-H{1 if d.month <= 6 else 2}"
    return f"{d.year}"


def _period_end(kind: str, text: str) -> date:
    year = int(text[:4])
    if kind == "date":
        return date.fromisoformat(text)
    if kind == "month":
        month = int(text[5:7])
    elif kind == "quarter":
        month = int(text[6]) * 3
    elif kind == "half":
        month = int(text[6]) * 6
    else:
        month = 12
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _periods(kind: str, first: date, last: date) -> list[str]:
    """Period texts of ``kind`` from the one holding ``first`` to the one holding ``last``."""
    step = {"month": 1, "quarter": 3, "half": 6, "year": 12}[kind]
    y, m = first.year, first.month
    m = ((m - 1) // step) * step + 1
    out = []
    while date(y, m, 1) <= last:
        out.append(_period_text(kind, date(y, m, 1)))
        m += step
        if m > 12:
            y, m = y + 1, m - 12
    return out


def _random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def roadmap_yaml(index: int, measures: int, rng: random.Random) -> tuple[str, str]:
    """(document id, YAML text) of one generated roadmap."""
    agencies = _agencies()
    kz = [a for a in agencies if a[5] == "KZ"]
    by = [a for a in agencies if a[5] == "BY"]
    doc_id = f"kz-by-cooperation-{index:04d}"
    parties = [rng.choice(kz)[0], rng.choice(by)[0]]
    kind = rng.choice(["roadmap", "roadmap", "memorandum", "action_plan", "agreement"])
    lines = [
        "# yaml-language-server: $schema=../schemas/roadmap.schema.json",
        "#",
        f"# Generated by benchmarks/generate.py (document {index}): illustrative content.",
        f"id: {doc_id}",
        f"kind: {kind}",
        "title:",
        f"  en: Roadmap No. {index} for cooperation between Kazakhstan and Belarus for 2026-2028",
        (
            f"  ru: Дорожная карта № {index} по развитию сотрудничества между Республикой Казахстан "
            "и Республикой Беларусь на 2026-2028 годы"
        ),
        f"parties: [{', '.join(parties)}]",
        f"signed: {{date: {SIGNED.isoformat()}, place: {rng.choice(['Astana', 'Minsk'])}}}",
        f"period: {{start: {PERIOD_START.isoformat()}, end: {PERIOD_END.isoformat()}}}",
        "measures:",
    ]
    section = 0
    ids: list[str] = []
    for n in range(measures):
        if n % 10 == 0:
            section += 1
            lines.append(f"  # --- {section}. Section {section} " + "-" * 60)
        mid = f"{section}.{n % 10 + 1}"
        lines.extend(_measure(rng, mid, ids, kz, by, n))
        ids.append(mid)
        lines.append("")
    return doc_id, "\n".join(lines).rstrip("\n") + "\n"


_DUE_FORMS = ["date", "month", "quarter", "half", "year", "bare-year", "ongoing", "recurring"]


def _measure(rng: random.Random, mid: str, earlier: Sequence[str], kz: list, by: list, n: int) -> list[str]:
    action = rng.choice(_ACTIONS)
    obj = rng.choice(_OBJECTS)
    where = rng.choice(_WHERE)
    en = " ".join(x for x in (action[0], obj[0], where[0]) if x)
    ru = " ".join(x for x in (action[1], obj[1], where[1]) if x)
    owners = [rng.choice(kz)[0]] + ([rng.choice(by)[0]] if rng.random() < 0.4 else [])
    co = sorted({rng.choice(kz + by)[0] for _ in range(rng.randrange(4))} - set(owners))
    out = [f'  - id: "{mid}"', "    title:", f"      en: {_q(en)}", f"      ru: {_q(ru)}"]
    if rng.random() < 0.1:
        out.append(f"      kk: {_q('Ынтымақтастықты дамыту бойынша іс-шара ' + mid)}")
    if rng.random() < 0.5:
        out.append(f"    owners: [{', '.join(owners)}]")
    else:
        out.append("    owners:")
        out.extend(f"      - {o}" for o in owners)
    if co:
        out.append(f"    co_executors: [{', '.join(co)}]")

    form = _DUE_FORMS[n % len(_DUE_FORMS)] if rng.random() < 0.6 else rng.choice(_DUE_FORMS)
    recurring = form == "recurring"
    deadline: date | None
    if recurring:
        every = rng.choice(["month", "quarter", "quarter", "half", "year"])
        first = _random_day(rng, PERIOD_START, date(2026, 12, 31))
        last = _random_day(rng, date(2027, 6, 1), PERIOD_END)
        grace = rng.choice([0, 0, 10, 15, 30])
        frm = _period_text(every, first)
        until = _period_text(every, last)
        parts = [f"every: {every}", f'from: "{frm}"' if every == "year" else f"from: {frm}",
                 f'until: "{until}"' if every == "year" else f"until: {until}"]
        if grace:
            parts.append(f"grace: {grace}")
        out.append("    due: {" + ", ".join(parts) + "}")
        periods = _periods(every, first, last)
        deadline = None
    elif form == "ongoing":
        out.append("    due: ongoing")
        deadline = None
    else:
        day = _random_day(rng, PERIOD_START, date(2028, 11, 30))
        if form == "date":
            text = day.isoformat()
            out.append(f"    due: {text}")
            deadline = day
        elif form in ("year", "bare-year"):
            text = str(day.year)
            out.append(f'    due: "{text}"' if form == "year" else f"    due: {text}")
            deadline = date(day.year, 12, 31)
        else:
            text = _period_text(form, day)
            out.append(f"    due: {text}")
            deadline = _period_end(form, text)

    roll = rng.random()
    if roll < 0.3:
        status = "done"
    elif roll < 0.65:
        status = "in_progress"
    elif roll < 0.88:
        status = "not_started"
    elif roll < 0.95:
        status = "blocked"
    else:
        status = "cancelled"
    out.append(f"    status: {status}")
    completed = None
    if status == "in_progress" and rng.random() < 0.7:
        out.append(f"    progress: {rng.randrange(5, 96, 5)}")
    if rng.random() < 0.15:
        out.append(f"    weight: {rng.choice([2, 3, 0.5])}")
    if status == "done":
        if deadline is not None:
            lo = max(SIGNED + timedelta(days=1), deadline - timedelta(days=200))
            # nothing completes after the day the data is written as of (a completion after
            # today is an error, completed-in-future)
            completed = min(_random_day(rng, lo, deadline + timedelta(days=40)), COMPLETED_BY)
        else:
            completed = _random_day(rng, PERIOD_START, date(2026, 11, 1))
        out.append(f"    completed: {completed.isoformat()}")
    if status in ("blocked", "cancelled"):
        out.append(f"    reason: {_q(rng.choice(_REASONS))}")
    if earlier and rng.random() < 0.25:
        deps = sorted(set(rng.sample(list(earlier[-12:]), k=min(len(earlier[-12:]), rng.randrange(1, 3)))))
        out.append("    depends_on: [" + ", ".join(f'"{d}"' for d in deps) + "]")
    if rng.random() < 0.1:
        out.append(f"    notes: {_q(rng.choice(_NOTES))}")
    if status == "done" and completed is not None and rng.random() < 0.6:
        out.append("    evidence:")
        out.append("      - title:")
        out.append("          en: Protocol of the meeting of the intergovernmental commission")
        out.append("          ru: Протокол заседания межправительственной комиссии")
        out.append(f"        date: {completed.isoformat()}")
        out.append(f"        url: https://gov.example/{mid.replace('.', '-')}/protocol")
    if not recurring and rng.random() < 0.2:
        unit = rng.choice(_UNITS)
        target = rng.choice([100, 500, 1000, 10000])
        out.append("    indicators:")
        out.append(f"      - id: indicator-{mid.replace('.', '-')}")
        out.append(f"        title: {{en: Output per year, ru: Выпуск в год ({unit})}}")
        out.append(f"        unit: {_q(unit)}")
        out.append("        baseline: 0")
        out.append(f"        target: {target}")
        out.append("        actuals:")
        for k in range(rng.randrange(1, 4)):
            out.append(f"          - {{date: 2026-{3 * (k + 1):02d}-30, value: {target * (k + 1) // 5}}}")
    if recurring:
        reported = periods[: rng.randrange(len(periods) + 1)]
        reported = [p for p in reported if _period_end(every, p) < date(2026, 11, 1)]
        if reported:
            out.append("    reports:")
            for p in reported:
                end = _period_end(every, p)
                shown = f'"{p}"' if every == "year" else p
                note = "" if rng.random() < 0.5 else ", note: Отчёт направлен в МИД"
                out.append(f"      - {{period: {shown}, date: {(end + timedelta(days=5)).isoformat()}{note}}}")
    return out


def generate(folder: str | os.PathLike[str], docs: int, measures: int, seed: int = 0) -> Path:
    """Write ``agencies.yaml`` and ``docs`` roadmaps of ``measures`` measures into ``folder``.

    Returns the folder. Existing generated files are overwritten; others are left alone.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    (out / "agencies.yaml").write_text(agencies_yaml(), encoding="utf-8")
    for i in range(1, docs + 1):
        rng = random.Random(f"{seed}:{i}")
        doc_id, text = roadmap_yaml(i, measures, rng)
        (out / f"{doc_id}.yaml").write_text(text, encoding="utf-8")
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", help="folder to write (created if missing)")
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--measures", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    generate(args.folder, args.docs, args.measures, args.seed)


if __name__ == "__main__":
    main()
