"""The interface language: catalogs complete and compiled, the language chosen at the edge, and
every report command in Russian with no English word of the interface left."""

from __future__ import annotations

import io
import re
from pathlib import Path

import clirun
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from roadmap_cli import i18n
from roadmap_cli.model import lang_chain, pick

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "roadmap_cli" / "locale" / "ru" / "LC_MESSAGES" / "roadmap_cli.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "NN_": (1, 2), "NC_": ((1, "c"), 2)}
AS_OF = "2026-11-22"


def _po():  # type: ignore[no-untyped-def]
    with PO.open("rb") as f:
        return read_po(f, locale="ru")


def _code_messages() -> set[tuple[str | None, str]]:
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT / "roadmap_cli"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.add((context, msgid))
    return found


def test_every_message_in_the_code_has_a_russian_translation() -> None:
    catalog = _po()
    translated = {}
    for m in catalog:
        if not m.id:
            continue
        msgid = m.id[0] if isinstance(m.id, tuple) else m.id
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        translated[(m.context, msgid)] = all(strings)
    missing = sorted(str(k) for k in _code_messages() if not translated.get(k))
    assert not missing, "no Russian for: " + "; ".join(missing[:20]) + " (run make i18n, translate)"


def test_the_shipped_mo_is_compiled_from_the_po() -> None:
    catalog = _po()
    buf = io.BytesIO()
    write_mo(buf, catalog)
    assert MO.read_bytes() == buf.getvalue(), "run make i18n-compile and commit the .mo"


def test_translations_keep_the_placeholders() -> None:
    catalog = _po()
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set(re.findall(r"\{[^}]*\}", ids[-1])) | set(re.findall(r"%\(\w+\)s", ids[-1]))
        for s in strings:
            got = set(re.findall(r"\{[^}]*\}", s)) | set(re.findall(r"%\(\w+\)s", s))
            # a singular form may leave the count out ("{count} day" -> "один день" is allowed)
            assert got <= wanted | set(re.findall(r"\{[^}]*\}", ids[0])), (m.id, s)
            if len(ids) > 1 and s == strings[0]:
                continue  # click's singular "Did you mean {possibility}?" has its own fields
            assert wanted - {"{count}"} <= got, (m.id, s)


@pytest.mark.parametrize(
    ("asked", "env", "expected"),
    [
        ("ru", {"ROADMAP_LANG": "en", "LANG": "en_US.UTF-8"}, "ru"),
        (None, {"ROADMAP_LANG": "kk"}, "kk"),
        (None, {"LANG": "ru_RU.UTF-8"}, "ru"),
        (None, {"LC_ALL": "be_BY.UTF-8", "LANG": "en_US.UTF-8"}, "be"),
        (None, {"LC_MESSAGES": "ru_RU", "LANG": "en_US"}, "ru"),
        (None, {"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, "en"),  # the first set decides
        (None, {"LANG": "de_DE.UTF-8"}, "en"),
        (None, {}, "en"),
        (None, {"ROADMAP_LANG": "xx", "LANG": "ru_RU.UTF-8"}, "ru"),
    ],
)
def test_choose(asked: str | None, env: dict[str, str], expected: str) -> None:
    assert i18n.choose(asked, env) == expected


def test_lang_from_argv() -> None:
    assert i18n.lang_from_argv(["status", "--lang", "ru"]) == "ru"
    assert i18n.lang_from_argv(["status", "--lang=kk", "--help"]) == "kk"
    assert i18n.lang_from_argv(["status", "--", "--lang", "ru"]) is None


def test_kazakh_and_belarusian_fall_back_to_russian_then_english() -> None:
    assert lang_chain("kk") == ("kk", "ru", "en")
    assert lang_chain("be") == ("be", "ru", "en")
    title = {"en": "Roadmap", "ru": "Дорожная карта"}
    assert pick(title, "kk") == "Дорожная карта"
    assert pick({"en": "Roadmap"}, "be") == "Roadmap"
    try:
        i18n.activate("kk")
        assert i18n._("Overdue") == "Просрочено"
        assert i18n.day("2026-11-22") == "22.11.2026"
        assert i18n.pct(41.43) == "41,4\u00a0%"
        assert i18n.number(4000) == "4\u202f000"
    finally:
        i18n.activate("en")
    assert i18n.day("2026-11-22") == "2026-11-22" and i18n.pct(41.43) == "41.4%"


# --- every command in Russian ------------------------------------------------------------------

#: English words of the interface (headers, status and health words, footers, help, errors)
ENGLISH = re.compile(
    r"\b(Document|Done|Overdue|Due soon|Progress|plan|owners|As of|in progress|not started|"
    r"behind|on track|complete|Measure|Deadline|Status|Days|Agency|Lead|Indicator|Latest|"
    r"Trend|Usage|Options|Commands|Show this|checked|problems|narrower|Parties|Signed|Period|"
    r"Owners|Occurrences|Reported|yes|no|every|until|from|due|left out|expected|measures|"
    r"Nothing|Error|Invalid|error|warning)\b"
)

RU_COMMANDS = [
    ["status"],
    ["status", "--format", "markdown"],
    ["overdue"],
    ["upcoming", "--within", "3m"],
    ["agencies"],
    ["show", "astana-minsk-2026-2028"],
    ["show", "astana-minsk-2026-2028/1.2"],
    ["indicators"],
    ["validate"],
    ["--help"],
    ["status", "--help"],
    ["overdue", "--help"],
    ["upcoming", "--help"],
    ["agencies", "--help"],
    ["show", "--help"],
    ["indicators", "--help"],
    ["validate", "--help"],
    ["status", "--roadmap", "no-such-doc"],
    ["status", "--no-such-option"],
]


def _english_left(text: str) -> list[str]:
    # ids, file names and ROADMAP/MEASURE references are data, not interface
    cleaned = re.sub(r"[\w./-]*[-/.][\w./-]*", " ", text)
    cleaned = re.sub(r"--[\w-]+", " ", cleaned)
    # the problem line's format (the contract's, for editors and CI) names its severities
    cleaned = cleaned.replace("error|warning", " ")
    return sorted(set(ENGLISH.findall(cleaned)))


@pytest.mark.parametrize("width", [40, 80, 120])
@pytest.mark.parametrize("args", RU_COMMANDS, ids=[" ".join(a) for a in RU_COMMANDS])
def test_every_command_in_russian_leaves_no_english_word(args: list[str], width: int) -> None:
    extra = [] if "--help" in args or args == ["validate"] else ["--as-of", AS_OF]
    proc = clirun.run_roadmap([*args, *extra, "--lang", "ru"] if args != ["--help"] else args,
                              columns=width, env={"ROADMAP_LANG": "ru"})
    assert "Traceback" not in proc.stderr
    usage_error = "no-such" in " ".join(args)
    assert proc.returncode == (2 if usage_error else 0), proc.stderr
    out = proc.stdout + proc.stderr
    assert out.strip()
    assert re.search("[а-яА-Я]", out), out
    assert _english_left(out) == [], out


def test_the_locale_alone_makes_it_russian() -> None:
    proc = clirun.run_roadmap(["status", "--as-of", AS_OF], env={"LANG": "ru_RU.UTF-8", "LC_ALL": ""})
    assert proc.returncode == 0, proc.stderr
    assert "Документ" in proc.stdout and "22.11.2026" in proc.stdout


def test_json_and_csv_stay_for_machines_in_russian() -> None:
    j = clirun.run_roadmap(["status", "--as-of", AS_OF, "--lang", "ru", "--format", "json"]).stdout
    assert '"progress_pct": 41.4' in j and '"health": "overdue"' in j
    c = clirun.run_roadmap(["overdue", "--as-of", AS_OF, "--lang", "ru", "--format", "csv"]).stdout
    assert c.startswith("roadmap,measure,") and "2026-09-30" in c and "30.09.2026" not in c


def test_excel_csv() -> None:
    proc = clirun.run_roadmap(["status", "--as-of", AS_OF, "--lang", "ru", "--excel"])
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("\ufeffДокумент;Наименование;Мероприятия;Выполнено;")
    assert ";41.4;" in out  # figures stay numbers a spreadsheet can sum


def test_validate_problems_in_russian(tmp_path: Path) -> None:
    """Rule and schema messages are translated; the FILE:LINE:COLUMN: error: ... [rule-id] form
    and the rule ids are not."""
    (tmp_path / "agencies.yaml").write_bytes((ROOT / "roadmaps" / "agencies.yaml").read_bytes())
    (tmp_path / "doc-x.yaml").write_text(
        "id: doc-x\n"
        "title: {ru: Тест}\n"
        "kind: memorandum\n"
        "signed: {date: 2025-11-05}\n"
        "period: {start: 2026-01-01, end: 2025-12-31}\n"
        "parties: [kz-mic, nope-agency]\n"
        "measures:\n"
        "  - id: '1'\n"
        "    title: X\n"
        "    owners: [kz-mic]\n"
        "    due: 2026-Q2\n"
        "    status: done\n"
        "    colour: red\n",
        encoding="utf-8",
    )
    proc = clirun.run_roadmap(["validate", "--lang", "ru", str(tmp_path)])
    assert proc.returncode == 1
    lines = [ln for ln in proc.stdout.splitlines() if ": error: " in ln]
    assert {re.search(r"\[([\w-]+)\]$", ln).group(1) for ln in lines} == {  # type: ignore[union-attr]
        "period-order", "unknown-agency", "done-without-completed", "schema-unknown-key"}
    for ln in lines:
        message = ln.split(": error: ", 1)[1]
        assert re.search("[а-я]", message), ln
    assert "проверено 2 файла: 4 ошибки." in proc.stdout


def test_click_messages_are_still_clicks() -> None:
    """roadmap_cli/click_messages.py lists texts that click marks for gettext; an upgrade of
    click that rewords one would leave it untranslated, silently: compare with click's source."""
    import click

    from roadmap_cli.click_messages import MESSAGES

    clicks = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(Path(click.__file__).parent), method_map=[("**.py", "python")],
        keywords={"_": None, "ngettext": (1, 2)},
    ):
        clicks.add(message[0] if isinstance(message, tuple) else message)
    ours = {m[0] if isinstance(m, tuple) else m for m in MESSAGES}
    assert ours <= clicks, sorted(ours - clicks)
