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
    ["stale", "--help"],
    ["request", "--help"],
    ["status", "--roadmap", "no-such-doc"],
    ["status", "--no-such-option"],
]


def _english_left(text: str) -> list[str]:
    # ids, file names and ROADMAP/MEASURE references are data, not interface
    cleaned = re.sub(r"[\w./-]*[-/.][\w./-]*", " ", text)
    cleaned = re.sub(r"--[\w-]+", " ", cleaned)
    # the problem line's format (the contract's, for editors and CI) names its severities
    cleaned = cleaned.replace("error|warning", " ")
    # the request workbook's sheet "measures" is a machine key, named as it is
    cleaned = cleaned.replace("«measures»", " ")
    return sorted(set(ENGLISH.findall(cleaned)))


@pytest.mark.slow
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


# --- the messages of the first-day help and of the reporting cycle, in Russian ----------------


def test_validate_explains_syntax_errors_and_dates_in_russian(tmp_path: Path) -> None:
    """A YAML syntax error and a date written as 31.12.2026 are explained in Russian, the
    measure named in Russian; the FILE:LINE:COLUMN form and the rule ids stay."""
    (tmp_path / "agencies.yaml").write_bytes((ROOT / "roadmaps" / "agencies.yaml").read_bytes())
    head = (
        "title: {ru: Тест}\n"
        "kind: memorandum\n"
        "signed: {date: 2025-11-05}\n"
        "period: {start: 2026-01-01, end: 2027-12-31}\n"
        "parties: [kz-mic]\n"
        "measures:\n"
        "  - id: '1'\n"
        "    title: {ru: Мероприятие}\n"
        "    owners: [kz-mic]\n"
    )
    (tmp_path / "doc-syntax.yaml").write_text(
        "id: doc-syntax\n" + head + "    due: 2026-Q2\n    status:not_started\n    progress: 5\n",
        encoding="utf-8")
    (tmp_path / "doc-date.yaml").write_text(
        "id: doc-date\n" + head + "    due: 31.12.2026\n    status: not_started\n", encoding="utf-8")
    proc = clirun.run_roadmap(["validate", "--lang", "ru", str(tmp_path)])
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    syntax = [ln for ln in out.splitlines() if ln.endswith("[syntax]")]
    assert len(syntax) == 1 and "doc-syntax.yaml:" in syntax[0], out
    assert "мероприятие 1: после ':' в 'status:not_started' не хватает пробела: напишите " \
           "'status: not_started'" in syntax[0], syntax
    assert "(сообщение разборщика YAML: " in syntax[0]
    dated = [ln for ln in out.splitlines() if ln.endswith("[date-format]")]
    assert len(dated) == 1 and "doc-date.yaml:11:10: error: " in dated[0], out
    assert dated[0].split(": error: ", 1)[1] == (
        "мероприятие 1: 31.12.2026 записано в другой форме: запишите как 2026-12-31 [date-format]"
    )
    assert "проверено 3 файла: 2 ошибки." in out
    for ln in syntax + dated:
        # the English of these messages is gone (the parser's own words are quoted, in brackets)
        said = ln.split("(сообщение разборщика YAML:")[0]
        assert not re.search(r"\b(measure|is written|write it|missing|the YAML parser says)\b", said), ln
    english = clirun.run_roadmap(["validate", "--lang", "en", str(tmp_path)]).stdout
    assert "measure 1: a space is missing after ':' in 'status:not_started'" in english
    assert "measure 1: 31.12.2026 is written in another form: write it as 2026-12-31" in english


def test_stale_and_apply_in_russian(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reporting cycle's commands speak Russian: stale's table, request's and apply's
    summaries and a refused cell."""
    import openpyxl
    from gitrepo import isolate, run, seeded

    from roadmap_cli import cycle

    isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    repo = seeded(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    try:
        stale = run("stale", "--as-of", "2026-06-30", "--older-than", "30d", "--lang", "ru")
        assert stale.code == 0, stale.err
        for word in ("Дней", "Мероприятие", "Статус", "Последнее изменение",
                     "головной исполнитель: ", "10.01.2026", "По состоянию на"):
            assert word in stale.out, (word, stale.out)
        for word in ("Days", "Last change", "lead:", "2026-01-10", "As of"):
            assert word not in stale.out, (word, stale.out)
        empty = run("stale", "--as-of", "2026-01-20", "--lang", "ru")
        assert empty.out.strip() == "На 20.01.2026 нет незавершённых мероприятий, не изменявшихся " \
                                    "так долго.", empty.out

        made = run("request", "--agency", "kz-mic", "--as-of", "2026-03-01", "--lang", "ru",
                   "-o", "out")
        assert made.code == 0, made.err
        assert made.out == "out/request-kz-mic-2026-03-01.xlsx: 2 мероприятия\n"
        book = "out/request-kz-mic-2026-03-01.xlsx"
        wb = openpyxl.load_workbook(book)
        ws = wb["measures"]
        assert [c.value for c in ws[cycle.HEADER_ROW]][:5] == [
            "Документ", "Мероприятие", "Наименование", "Срок", "Статус"]
        assert wb.sheetnames == ["measures", "инструкция"]
        keys = [c.value for c in ws[cycle.KEY_ROW]]
        rows = {ws.cell(r, keys.index("measure") + 1).value: r
                for r in range(cycle.FIRST_ROW, ws.max_row + 1)}
        ws.cell(rows["1.1"], keys.index("progress") + 1).value = "80 %"
        wb.save(book)

        monkeypatch.setenv("ROADMAP_LANG", "ru")  # apply has no --lang: the language of the session
        done = run("apply", book, "--on", "2026-04-05")
        assert done.code == 1
        assert "процент выполнения: '80 %': укажите число без знака % (80) [apply-progress]" \
               in done.err, done.err
        assert "kz-mic (" + book + "): внесено: 0, без изменений: 0, конфликтов: 0, " \
               "отклонено: 1\n  отклонено     kz-by-test/1.1\n" in done.out, done.out
        assert not re.search(r"\b(applied|refused|unchanged|conflict|progress)\b",
                             done.out + done.err.replace("apply-progress", "")), done.out + done.err
    finally:
        i18n.activate("en")


# --- the YAML reader's messages (yamlsrc) and the editing commands, in Russian ----------------


def test_validate_unquoted_id_in_russian(tmp_path: Path) -> None:
    (tmp_path / "agencies.yaml").write_bytes((ROOT / "roadmaps" / "agencies.yaml").read_bytes())
    (tmp_path / "doc-x.yaml").write_text(
        "id: doc-x\n"
        "title: {ru: Тест}\n"
        "kind: memorandum\n"
        "signed: {date: 2025-11-05}\n"
        "period: {start: 2026-01-01, end: 2027-12-31}\n"
        "parties: [kz-mic]\n"
        "measures:\n"
        "  - id: 1.10\n"
        "    title: {ru: Мероприятие}\n"
        "    owners: [kz-mic]\n"
        "    due: 2026-Q2\n"
        "    status: not_started\n",
        encoding="utf-8",
    )
    proc = clirun.run_roadmap(["validate", "--lang", "ru", str(tmp_path)])
    assert proc.returncode == 1, proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln.endswith("[unquoted-id]")]
    assert len(lines) == 1 and "doc-x.yaml:8:9: error: " in lines[0], proc.stdout
    assert "читается как число 1.1" in lines[0] and '"1.10"' in lines[0], lines
    assert _english_left(lines[0].split(": error: ", 1)[1]) == [], lines


def test_validate_yaml_reader_problems_in_russian(tmp_path: Path) -> None:
    """The YAML reader's own problems (duplicate keys, key types, bad numbers, YAML 1.1
    readings, characters YAML forbids) are Russian; rule ids stay; English stays as it was."""
    (tmp_path / "agencies.yaml").write_bytes((ROOT / "roadmaps" / "agencies.yaml").read_bytes())
    (tmp_path / "doc-w.yaml").write_text(
        "id: doc-w\ntitle: x\nkind: memorandum\nparties: [kz-mic]\nparties: [kz-mic]\n? [a]\n: 1\n",
        encoding="utf-8")
    (tmp_path / "doc-x.yaml").write_text(
        "id: doc-x\ntitle: {ru: Тест}\nkind: memorandum\nparties: [kz-mic]\nmeasures:\n"
        "  - id: '1'\n    note: 0o17\n    score: .nan\n", encoding="utf-8")
    (tmp_path / "doc-y.yaml").write_bytes(b"id: doc-y\ntitle: a\x01b\n")
    proc = clirun.run_roadmap(["validate", "--lang", "ru", str(tmp_path)])
    assert proc.returncode == 1, proc.stderr
    found = {}
    for ln in proc.stdout.splitlines():
        m = re.search(r": (?:error|warning): (.*) \[([\w-]+)\]$", ln)
        if m:
            found[m.group(2)] = m.group(1)
    assert found == {
        "duplicate-key": "повторяющийся ключ 'parties' (впервые в строке 4); последующее значение "
                         "незаметно заменило бы первое",
        "key-type": "ключ словаря должен быть простой строкой, а не списком или словарём",
        "yaml-ambiguous": "мероприятие 1: '0o17' читается как число 15, но YAML 1.1 читает это как "
                          "строку; заключите в кавычки, чтобы указать, что имеется в виду",
        "bad-number": "мероприятие 1: .nan — не число (NaN); укажите число или, если это текст, "
                      "заключите его в кавычки",
        "syntax": "файл содержит символ U+0001, недопустимый в YAML; удалите его (возможно, это "
                  "двоичный файл, а не текст YAML)",
    }, proc.stdout
    for message in found.values():
        assert _english_left(message) == [], message
    english = clirun.run_roadmap(["validate", "--lang", "en", str(tmp_path)]).stdout
    assert "duplicate key 'parties' (first at line 4); a later value would silently replace the " \
           "first [duplicate-key]" in english
    assert "measure 1: .nan is not a number (NaN); write a number, or quote it if it is text" in english
    assert "the file contains the character U+0001, which YAML does not allow; remove it (the " \
           "file may be binary, not YAML text) [syntax]" in english
