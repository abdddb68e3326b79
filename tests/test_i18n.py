"""The interface language: catalogs complete and compiled, the language chosen at the edge, and
every report command in Russian with no English word of the interface left."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import clirun
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hypothesis import example, given
from hypothesis import strategies as st

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
        translated[(m.context, msgid)] = all(strings) and not m.fuzzy  # (fuzzy: not compiled)
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



@given(st.integers(-(10**17), 10**17) | st.integers(-10_000, 10_000), st.sampled_from(["en", "ru", "kk"]))
@example(10**15, "en")
@example(-(10**15), "ru")
@example(10**15 - 1, "en")
def test_an_int_is_written_as_its_float_formatting_writes_it(value: int, lang: str) -> None:
    """labels.number writes an int with the int's own grouping, as the float formatting wrote
    it: thousands grouped, no decimals, large ones in exponent form."""
    from roadmap_cli import labels

    text = f"{float(value):.6g}" if abs(value) >= 1e15 else f"{value:,.0f}"
    if lang != "en":
        text = text.replace(",", "\u202f").replace(".", ",")
    assert labels.number(value, lang) == text
    assert labels.number(value, lang, digits=0) == labels.number(float(value), lang, digits=0)

# --- every command in Russian ------------------------------------------------------------------

#: English words of the interface (headers, status and health words, footers, help, errors)
ENGLISH = re.compile(
    r"\b(Document|Done|Overdue|Due soon|Progress|plan|owners|As of|in progress|not started|"
    r"behind|on track|complete|Measure|Deadline|Status|Days|Agency|Lead|Indicator|Latest|"
    r"Trend|Usage|Options|Commands|Show this|checked|problems|narrower|Parties|Signed|Period|"
    r"Owners|Occurrences|Reported|yes|no|every|until|from|due|left out|expected|measures|"
    r"Nothing|Error|Invalid|error|warning|up|down|flat)\b"
)

RU_COMMANDS = [
    ["status"],
    ["status", "--format", "markdown"],
    ["overdue"],
    ["upcoming", "--within", "3m"],
    ["agencies"],
    ["show", "astana-minsk-2026-2028"],
    ["show", "astana-minsk-2026-2028/1.2"],
    ["show", "kz-by-industrial-cooperation-2026-2028"],  # its indicators: the trend in words
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
    ["update", "--help"],
    ["apply", "--help"],
    ["status", "--roadmap", "no-such-doc"],
    ["status", "--no-such-option"],
]


def _english_left(text: str) -> list[str]:
    # ids, file names and ROADMAP/MEASURE references are data, not interface; so are the
    # notes of a document, written in the file's language
    text = re.sub(r"(?m)^  Примечания .*(\n {3,}.*)*$", " ", text)  # (and its wrapped lines)
    cleaned = re.sub(r"[\w./-]*[-/.][\w./-]*", " ", text)
    cleaned = re.sub(r"--[\w-]+", " ", cleaned)
    # the problem line's format (the contract's, for editors and CI) names its severities
    cleaned = cleaned.replace("error|warning", " ")
    cleaned = re.sub(r":\d+:\d+: (error|warning|note): ", " ", cleaned)
    # the request workbook's sheet "measures" is a machine key, named as it is
    cleaned = cleaned.replace("«measures»", " ")
    cleaned = re.sub(r":measures!\w+", " ", cleaned)  # a cell of that sheet: FILE.xlsx:measures!D7
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
    # figures stay numbers a spreadsheet in a Russian locale can sum: a decimal comma (with a
    # dot 41.4 was text there, and 12.5 became 12 May)
    assert ";41,4;" in out and "41.4" not in out


@pytest.mark.parametrize("command", ["overdue", "indicators", "export"])
def test_excel_csv_keeps_ids_a_spreadsheet_would_take_for_dates_as_text(command: str) -> None:
    """Measure ids (1.2, 2.10) and dues as written (2026-09) are text formulas under --excel,
    ="1.2", which a spreadsheet shows as 1.2 (it read 1.2 as 1 February, 2.10 as 2 October);
    whole numbers and ISO dates stay what they are; plain CSV is untouched."""
    args = [command, "--as-of", AS_OF, "--lang", "ru"]
    excel = clirun.run_roadmap([*args, "--excel"])
    plain = clirun.run_roadmap([*args, "--format", "csv"])
    assert excel.returncode == plain.returncode == 0, excel.stderr
    rows = list(csv.reader(io.StringIO(excel.stdout.lstrip("\ufeff")), delimiter=";"))
    header, body = rows[0], rows[1:]
    measures = [r[header.index("Мероприятие")] for r in body]
    assert '="3.2"' in measures or '="1.2"' in measures, measures
    assert all((m.isdigit() and not m.startswith("0")) or m.startswith('="') for m in measures), measures
    dotted = [cell for r in body for cell in r if re.fullmatch(r"[\d.,/:\- ]*[.,/:\-][\d.,/:\- ]*", cell)
              and not re.fullmatch(r"\d{4}-\d{2}-\d{2}|-?\d+,\d+", cell)]
    assert dotted == []  # no figure with a dot, no id or due a spreadsheet would turn into a date
    assert '="' not in plain.stdout and "41,4" not in plain.stdout


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

        monkeypatch.setenv("ROADMAP_LANG", "ru")  # the language of the session (or apply --lang ru)
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


# --- the first-day and reporting-cycle commands, run for real, in Russian ------------------


def test_first_day_and_cycle_commands_in_russian(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`new --help`, `import --help`, `init`, `new`, `stale` and `request` print no English
    word of the interface with --lang ru (ROADMAP_LANG=ru where a command has no --lang: its
    --lang, like import's, would name the language of the data)."""
    from gitrepo import isolate, seeded

    isolate(monkeypatch, tmp_path)
    ru = {"ROADMAP_LANG": "ru"}
    fresh = tmp_path / "fresh"
    seeded_repo = seeded(tmp_path / "cycle")
    # a title is data, not interface: this one says "every" in English
    seeded_repo.edit("roadmaps/kz-by-test.yaml", "{en: Report on joint ventures every quarter}",
                     "{ru: Ежеквартально отчитываться о совместных предприятиях}")
    seeded_repo.commit("Russian title", date="2026-01-10T09:00:00+05:00")
    cycle = seeded_repo.root
    runs = [
        (["new", "--help"], tmp_path, 0),
        (["import", "--help", "--lang", "ru"], tmp_path, 0),
        (["init", str(fresh), "--agency", "kz-mic", "--name", "Министерство промышленности",
          "--country", "KZ"], tmp_path, 0),
        (["new", "kz-by-test-2026-2027", str(fresh / "roadmaps"), "--party", "kz-mic",
          "--period", "2026-2027"], tmp_path, 0),
        (["new", "kz-by-test-2026-2027", str(fresh / "roadmaps"), "--party", "kz-mic",
          "--period", "2026-2027"], tmp_path, 3),
        (["new", "kz-by-x", str(fresh / "roadmaps"), "--party", "kz-mic", "--period", "2027-2026"],
         tmp_path, 2),
        (["new", "kz-by-x", str(fresh / "roadmaps"), "--party", "kz-mic", "--start", "2026-02-30",
          "--end", "2026-12-31"], tmp_path, 2),
        (["stale", "--as-of", "2026-06-30", "--older-than", "30d", "--lang", "ru"], cycle, 0),
        (["stale", "--as-of", "2026-06-30", "--older-than", "30x", "--lang", "ru"], cycle, 2),
        (["request", "--agency", "kz-mic", "--as-of", "2026-03-01", "--lang", "ru", "-o",
          str(tmp_path / "out")], cycle, 0),
        (["upcoming", "--within", "6 months", "--lang", "ru"], cycle, 2),
    ]
    for args, cwd, code in runs:
        # the help and stale's table at 40 columns too (where headers and help wrap)
        for width in (40, 80) if "--help" in args or (args[0] == "stale" and code == 0) else (80,):
            proc = clirun.run_roadmap(args, cwd=cwd, columns=width, env=ru)
            out = proc.stdout + proc.stderr
            assert proc.returncode == code, (args, out)
            assert "Traceback" not in out
            assert re.search("[а-яА-Я]", out), (args, out)
            assert _english_left(out) == [], (args, out)
            if args[0] == "stale":  # a table: never wider than the terminal (columns left out)
                assert all(len(ln) <= width for ln in proc.stdout.splitlines()), proc.stdout
    assert (fresh / "roadmaps" / "kz-by-test-2026-2027.yaml").is_file()


def test_validate_within_and_recurring_due_in_russian(tmp_path: Path) -> None:
    """The errors of parsing `within` (anchors) and a recurring due (periods) are Russian, with
    the likely intended form; English stays as it was."""
    (tmp_path / "agencies.yaml").write_bytes((ROOT / "roadmaps" / "agencies.yaml").read_bytes())
    measures = "".join(
        "  - id: '{n}'\n    title: {{ru: Мероприятие}}\n    owners: [kz-mic]\n    due: {due}\n"
        "    status: not_started\n".format(n=n, due=due)
        for n, due in enumerate(["{after: ev1, within: 6 months}", "{after: ev1, within: 6}",
                                 "{after: ev1, within: 200y}"], start=1)
    )
    (tmp_path / "doc-x.yaml").write_text(
        "id: doc-x\ntitle: {ru: Тест}\nkind: memorandum\nsigned: {date: 2025-11-05}\n"
        "period: {start: 2026-01-01, end: 2027-12-31}\nparties: [kz-mic]\n"
        "events:\n  - id: ev1\n    title: {ru: Событие}\nmeasures:\n" + measures
        + "  - id: '4'\n    title: {ru: Мероприятие}\n    owners: [kz-mic]\n    due: 2026-Q1\n"
        "    rescheduled:\n      - from: {every: quarter, from: 2027-Q1, until: 2026-Q2}\n"
        "        by: a1\n    status: not_started\n"
        "amendments:\n  - id: a1\n    date: 2026-03-01\n    title: {ru: Протокол}\n",
        encoding="utf-8",
    )
    proc = clirun.run_roadmap(["validate", "--lang", "ru", str(tmp_path)])
    assert proc.returncode == 1, proc.stderr
    found = {}
    for ln in proc.stdout.splitlines():
        m = re.search(r": error: (мероприятие \d): (.*) \[([\w-]+)\]$", ln)
        if m:
            found[(m.group(1), m.group(3))] = m.group(2)
    assert found == {
        ("мероприятие 1", "within-form"): "within '6 months' — не промежуток времени: укажите целое "
        "число и d, w, m или y (30d, 2w, 6m, 1y); возможно, имелось в виду 6m?",
        ("мероприятие 2", "within-form"): "within 6 — не промежуток времени: укажите целое число и d, "
        "w, m или y (30d, 2w, 6m, 1y); добавьте единицу, например 6m для 6 мес. или 6d для 6 дн.",
        ("мероприятие 3", "within-form"): "within 200y — больше ста лет: проверьте число",
        ("мероприятие 4", "rescheduled-from"): "периодический срок задан в обратном порядке: from "
        "2027-Q1 позже until 2026-Q2",
    }, proc.stdout
    english = clirun.run_roadmap(["validate", "--lang", "en", str(tmp_path)]).stdout
    assert "measure 1: within '6 months' is not a time span: write a whole number and d, w, m or y " \
           "(30d, 2w, 6m, 1y); did you mean 6m? [within-form]" in english
    assert "measure 4: recurring due runs backwards: from 2027-Q1 is after until 2026-Q2 " \
           "[rescheduled-from]" in english


# --- update and apply: messages, refusals and change lines ---------------------------------------

#: (arguments, exit code, what the Russian output holds, what the English output holds as before)
UPDATE_CASES = [
    (["signed/2.1", "--progress", "40"], 0,
     "  процент выполнения: 40\n", "signed.yaml: signed/2.1\n  progress: 40\n"),
    (["signed/2.1", "--status", "done", "--on", "2026-11-20"], 0,
     "  статус: в работе -> выполнено\n  дата выполнения: 20.11.2026\n",
     "  status: in_progress -> done\n  completed: 2026-11-20\n"),
    (["signed/2.1", "--status", "blocked", "--reason", "Нет площадки"], 0,
     "  статус: в работе -> заблокировано\n  причина: Нет площадки\n",
     "  status: in_progress -> blocked\n  reason: Нет площадки\n"),
    (["signed/2.1", "--due", "2027-03", "--by", "protocol-2"], 0,
     "  переносы срока: добавлено {прежний срок: 2026-12, основание: protocol-2}\n"
     "  срок: 2026-12 -> 2027-03\n",
     "  rescheduled: added {from: 2026-12, by: protocol-2}\n  due: 2026-12 -> 2027-03\n"),
    (["signed/2.1", "--evidence", "Протокол", "--url", "https://example.org/p", "--on", "2026-11-02"],
     0, "  подтверждение: добавлено {название: Протокол, дата: 02.11.2026, ссылка: "
        "https://example.org/p}\n",
     "  evidence: added {title: Протокол, date: 2026-11-02, url: https://example.org/p}\n"),
    (["signed", "--event", "working-group", "--on", "2026-11-01"], 0,
     "  событие working-group: дата 01.11.2026\n", "  event working-group: date 2026-11-01\n"),
    (["signed/2.2", "--completed", "2026-10-21"], 0,
     "  дата выполнения: 20.10.2026 -> 21.10.2026\n", "  completed: 2026-10-20 -> 2026-10-21\n"),
    (["signed/2.2", "--status", "done"], 0,
     "signed/2.2: изменять нечего", "signed/2.2: nothing to change"),
    (["signed/2.1", "--progress", "40", "--dry-run"], 0,
     "+    progress: 40", "(dry run: nothing was written)"),
    (["signed/2.2", "--status", "blocked"], 2,
     "для --status заблокировано нужен --reason TEXT",
     "--status blocked needs --reason TEXT: say why the measure is blocked"),
    (["signed/2.1", "--reported", "2026-Q3"], 2,
     "мероприятие 2.1 не периодическое (срок: 2026-12)",
     "measure 2.1 is not recurring (due: 2026-12); --reported is for recurring measures"),
    (["signed/2.2", "--progress", "5"], 2,
     "(статус этого — выполнено); добавьте --status \"в работе\"",
     "--progress is for in_progress measures (this one is done); add --status in_progress"),
    (["signed/2.1", "--reason", "x"], 2,
     "добавьте --status заблокировано или --status отменено",
     "--reason is for blocked or cancelled measures (this one is in_progress); add --status "
     "blocked or --status cancelled"),
    (["signed/2.1", "--due", "2027-03", "--by", "protocol-9"], 2,
     "в документе нет изменения 'protocol-9'; возможно, имелось в виду 'protocol-2'?",
     "--by protocol-9: the document has no amendment 'protocol-9'; did you mean 'protocol-2'?"),
    (["signed", "--event", "no-such-event"], 2,
     "в signed нет события 'no-such-event'", "no event 'no-such-event' in signed"),
    (["signed/2.1", "--actual", "x=1"], 2,
     "у мероприятия 2.1 нет показателя 'x' (у него нет показателей)",
     "measure 2.1 has no indicator 'x' (it has no indicators)"),
    (["signed/2.1", "--url", "https://example.org"], 2,
     "--url указывается вместе с --evidence TITLE",
     "--url goes with --evidence TITLE (the evidence it points to)"),
    (["signed/2.1", "--actual", "nonsense"], 2,
     "ожидается INDICATOR=VALUE", "'nonsense': expected INDICATOR=VALUE"),
    (["signed/2.1", "--on", "2999-01-01", "--progress", "5"], 2,
     "позже сегодняшнего дня", "the date records what has happened; check the year"),
    (["signed/2.1"], 2, "нечего изменять: укажите --status",
     "nothing to update: give --status, --progress"),
]


@pytest.mark.parametrize(("args", "code", "russian", "english"), UPDATE_CASES,
                         ids=[" ".join(c[0]) for c in UPDATE_CASES])
def test_update_in_russian_leaves_no_english_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int, russian: str,
    english: str,
) -> None:
    """Every word `roadmap update` prints is Russian with --lang ru (option names and the values
    typed after them stay as typed); the English output is as it always was."""
    from gitrepo import run
    from test_signed_commands import AGENCIES, DOC

    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    outputs = {}
    try:
        for lang in ("ru", "en"):
            folder = tmp_path / lang / "roadmaps"
            folder.mkdir(parents=True)
            (folder / "agencies.yaml").write_text(AGENCIES, encoding="utf-8")
            (folder / "signed.yaml").write_text(DOC, encoding="utf-8")
            monkeypatch.chdir(folder.parent)
            done = run("update", *args, "--lang", lang)
            assert done.code == code, (lang, done.out, done.err)
            assert "Traceback" not in done.err
            outputs[lang] = done.out + done.err
            if lang == "ru" and code == 0 and "--dry-run" not in args:
                written_ru = (folder / "signed.yaml").read_bytes()
            if lang == "en" and code == 0 and "--dry-run" not in args:
                assert (folder / "signed.yaml").read_bytes() == written_ru  # the same file
    finally:
        i18n.activate("en")
    ru, en = outputs["ru"], outputs["en"]
    assert russian in ru, ru
    assert english in en, en
    assert re.search("[а-яА-Я]", ru), ru
    said = ru
    if "--dry-run" in args:  # the diff shows the file's own text: leave it out
        said = "".join(line for line in ru.splitlines(keepends=True)
                       if not line.startswith(("---", "+++", "@@", " ", "+", "-")))
    said = re.sub(r"`[^`]*`", " ", said)  # the file's syntax, quoted as code
    assert _english_left(said) == [], ru
    # the English words of the change lines and messages are gone
    said = re.sub(r"--[\w-]+(?: [\w-]+)?", " ", said)
    said = re.sub(r"[\w./-]*[-/.][\w./-]*", " ", said)
    assert not re.search(r"\b(progress|status|completed|reason|added|removed|was|event|date|"
                         r"nothing|measure|evidence|title|rescheduled|the|is|of|in)\b", said), ru


def test_update_refusals_in_russian(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document with errors already is refused in Russian, its problems located as validate
    prints them; nothing is written."""
    from gitrepo import run
    from test_signed_commands import AGENCIES, DOC

    folder = tmp_path / "roadmaps"
    folder.mkdir()
    (folder / "agencies.yaml").write_text(AGENCIES, encoding="utf-8")
    broken = DOC.replace("    status: done\n    completed: 2026-10-20\n", "    status: done\n")
    (folder / "signed.yaml").write_text(broken, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    try:
        done = run("update", "signed/2.1", "--progress", "40", "--lang", "ru")
        english = run("update", "signed/2.1", "--progress", "40", "--lang", "en")
    finally:
        i18n.activate("en")
    assert done.code == 1 and english.code == 1
    assert "[done-without-completed]" in done.err
    assert done.err.rstrip().endswith(
        "roadmap: в roadmaps/signed.yaml уже есть 1 ошибка; исправьте её (см. `roadmap validate`), "
        "прежде чем изменять файл; ничего не записано"), done.err
    assert english.err.rstrip().endswith(
        "roadmap: roadmaps/signed.yaml has 1 error(s) already; fix them (see `roadmap validate`) "
        "before updating it; nothing was written"), english.err
    said = re.sub(r"`[^`]*`", " ", done.err.replace(": error: ", ": "))
    assert _english_left(said.replace("done-without-completed", "")) == [], done.err
    assert (folder / "signed.yaml").read_text(encoding="utf-8") == broken


def test_write_refusals_in_russian(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusals of the atomic writer (exit 3: a read-only file, a lock left by another edit)
    are Russian with --lang ru and as before in English; nothing is written."""
    from gitrepo import run
    from test_signed_commands import AGENCIES, DOC

    folder = tmp_path / "roadmaps"
    folder.mkdir()
    (folder / "agencies.yaml").write_text(AGENCIES, encoding="utf-8")
    doc = folder / "signed.yaml"
    doc.write_text(DOC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    args = ("update", "signed/2.1", "--progress", "40")
    try:
        doc.chmod(0o444)
        ru_read_only = run(*args, "--lang", "ru")
        en_read_only = run(*args, "--lang", "en")
        doc.chmod(0o644)
        lock = folder / "signed.yaml.lock"
        lock.write_text("", encoding="utf-8")
        ru_locked = run(*args, "--lang", "ru")
        en_locked = run(*args, "--lang", "en")
    finally:
        i18n.activate("en")
    assert {ru_read_only.code, en_read_only.code, ru_locked.code, en_locked.code} == {3}
    assert "доступен только для чтения; ничего не записано" in ru_read_only.err, ru_read_only.err
    assert "is read-only; nothing was written" in en_read_only.err, en_read_only.err
    assert "заблокирован другой правкой" in ru_locked.err, ru_locked.err
    assert "is locked by another edit" in en_locked.err, en_locked.err
    for done in (ru_read_only, ru_locked):
        said = re.sub(r"`[^`]*`", " ", done.err)
        assert _english_left(said) == [], done.err
    assert doc.read_text(encoding="utf-8") == DOC


def test_apply_in_russian_with_lang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """apply --lang ru: the change lines of an applied row and the refusal of a row the edit
    cannot make (its option words turned into the workbook's column words, in Russian)."""
    import openpyxl
    from gitrepo import isolate, run, seeded

    from roadmap_cli import cycle

    isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    repo = seeded(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    try:
        made = run("request", "--agency", "kz-mic", "--as-of", "2026-03-01", "-o", "out")
        assert made.code == 0, made.err
        book = "out/request-kz-mic-2026-03-01.xlsx"
        wb = openpyxl.load_workbook(book)
        ws = wb["measures"]
        keys = [c.value for c in ws[cycle.KEY_ROW]]
        rows = {ws.cell(r, keys.index("measure") + 1).value: r
                for r in range(cycle.FIRST_ROW, ws.max_row + 1)}
        ws.cell(rows["1.1"], keys.index("progress") + 1).value = 80
        ws.cell(rows["1.3"], keys.index("reported") + 1).value = "2026-05"
        wb.save(book)
        ru = run("apply", book, "--on", "2026-04-05", "--dry-run", "--lang", "ru")
        en = run("apply", book, "--on", "2026-04-05", "--dry-run", "--lang", "en")
    finally:
        i18n.activate("en")
    assert ru.code == 1 and en.code == 1, (ru.err, en.err)
    assert "kz-by-test/1.1: процент выполнения: 50 -> 80" in ru.out, ru.out
    assert "kz-by-test/1.1: progress: 50 -> 80" in en.out, en.out
    assert "отчётный период 2026-05: мероприятие повторяется с периодом «квартал», укажите " \
           "период этого вида (например, 2026-Q2) [apply-refused]" in ru.err, ru.err
    assert "reported period 2026-05: the measure recurs every quarter, so name a quarter " \
           "(e.g. 2026-Q2) [apply-refused]" in en.err, en.err
    said = "".join(line for line in (ru.out + ru.err).splitlines(keepends=True)
                   if not line.startswith(("---", "+++", "@@", " ", "+", "-"))
                   or line.startswith("  "))  # the diff shows the file's own text
    said = said.replace("apply-refused", "").replace(": error: ", ": ")
    assert not re.search(r"\b(applied|refused|unchanged|conflict|progress|reported|period|"
                         r"measure|quarter|dry run)\b", said), said


def test_apply_conflict_in_russian(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A conflict is shown with the workbook's Russian column words and status words (the
    English table keeps the machine keys it always showed)."""
    import openpyxl
    from gitrepo import isolate, run, seeded

    from roadmap_cli import cycle

    isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
    monkeypatch.setenv("COLUMNS", "80")
    repo = seeded(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    try:
        made = run("request", "--agency", "kz-mic", "--as-of", "2026-03-01", "-o", "out")
        assert made.code == 0, made.err
        repo.edit("roadmaps/kz-by-test.yaml", "    progress: 50\n", "    progress: 70\n")
        book = "out/request-kz-mic-2026-03-01.xlsx"
        wb = openpyxl.load_workbook(book)
        ws = wb["measures"]
        keys = [c.value for c in ws[cycle.KEY_ROW]]
        row = next(r for r in range(cycle.FIRST_ROW, ws.max_row + 1)
                   if ws.cell(r, keys.index("measure") + 1).value == "1.1")
        ws.cell(row, keys.index("progress") + 1).value = 60
        ws.cell(row, keys.index("status") + 1).value = "в работе"
        wb.save(book)
        ru = run("apply", book, "--lang", "ru", "--dry-run")
        en = run("apply", book, "--lang", "en", "--dry-run")
    finally:
        i18n.activate("en")
    assert ru.code == 1 and en.code == 1
    lines = [line.rstrip() for line in ru.out.splitlines()]
    table = lines[lines.index("kz-by-test/1.1 ({book}:measures!B3)".format(book=book)) + 1:]
    assert table[0].split()[:2] == ["Поле", "В"], ru.out
    assert [line.split()[:3] for line in table[2:]] == [
        ["Новый", "статус", "в"], ["Выполнение", "(0-100)", "70"]], ru.out
    assert "progress  70" in en.out and "status    in_progress      в работе" in en.out, en.out
    said = ru.out.replace("«measures»", "")
    assert not re.search(r"\b(status|progress|in_progress|Field|conflict)\b", said), ru.out


# --- diff and history in Russian, in a real git repository --------------------------------------

#: the English words of diff's and history's tables, summary lines and messages (besides ENGLISH)
DIFF_ENGLISH = re.compile(
    r"\b(added|removed|changed|renamed|rescheduled|deadlines?|moved|later|earlier|days?|other|"
    r"changes?|document|measures?|status|title|completed|progress|every|quarter|grace|until|"
    r"working tree|revision|Roadmap|History|created|entries|none|true|false|by|d|Field|Old|New|"
    r"Slip|Change|Commit|Author|Date|cannot|compare|unknown|branch|tag|commit)\b"
)

#: the data of the repository below that is English (names, commit subjects as written)
DIFF_DATA = ("Aigerim Sadykova", "Add the roadmaps", "Report on joint ventures every quarter",
             "Assemble MAZ buses in Kazakhstan")


def _diff_english_left(text: str) -> list[str]:
    for data in DIFF_DATA:
        text = text.replace(data, " ")
    text = re.sub(r"`[^`\n]*`", " ", text)  # keys of the file format quoted in --help
    left = _english_left(text)
    cleaned = re.sub(r"[\w./-]*[-/.:][\w./-]*", " ", text)  # ids, revisions, paths, protocol-1
    cleaned = re.sub(r"--[\w-]+", " ", cleaned)
    return left + sorted(set(DIFF_ENGLISH.findall(cleaned)))


@pytest.fixture
def reviewed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A repository whose second commit changes every kind of thing diff words: a document
    removed, a measure added, a status, owners, dates, a recurring due, a move by amendment, a
    slip, a pull-in, the document's period; and an edit left uncommitted."""
    from gitrepo import isolate, seeded

    isolate(monkeypatch, tmp_path)
    repo = seeded(tmp_path / "repo")
    doc = "roadmaps/kz-by-test.yaml"
    repo.write(doc, repo.read(doc).replace("period: {start: 2026-01-01, end: 2028-12-31}",
                                           "period: {start: 2026-01-01, end: 2029-12-31}")
               + "  - id: \"1.5\"\n    title: {en: Open a joint laboratory, ru: Открыть совместную "
                 "лабораторию}\n    owners: [kz-mic]\n    due: 2027-Q4\n    status: not_started\n"
               + "amendments:\n  - {id: protocol-1, date: 2026-06-15, title: Протокол № 1}\n")
    repo.edit(doc, "    due: 2026-Q2\n", "    due: 2026-12\n    rescheduled:\n      - {from: 2026-Q2, by: protocol-1}\n")
    repo.edit(doc, "    progress: 50\n", "    progress: 60\n")
    repo.edit(doc, "    due: 2026-06\n    status: not_started\n",
              "    due: 2026-09\n    status: done\n    completed: 2026-06-20\n")
    repo.edit(doc, "owners: [by-minprom]", "owners: [by-minprom, kz-mic]")
    repo.edit(doc, "until: 2026-Q4, grace: 15", "until: 2027-Q4, grace: 10")
    repo.edit(doc, 'due: "2027"', "due: 2027-06")
    repo.git("rm", "-q", "roadmaps/astana-minsk-memo.yaml")
    repo.commit("Пересмотр за первое полугодие", date="2026-06-21T10:00:00+05:00")
    repo.edit(doc, "    progress: 60\n", "    progress: 70\n")  # not committed
    return repo


RU_GIT_COMMANDS = [
    ["diff", "v1", "HEAD"],
    ["diff", "v1", "HEAD", "--format", "markdown"],
    ["diff", "v1", "--format", "markdown"],
    ["diff", "v1", "HEAD", "--fail-on-slip"],
    ["diff", "no-such-branch"],
    ["history", "kz-by-test/1.1"],
    ["history", "kz-by-test/1.2", "--format", "markdown"],
    ["history", "kz-by-test/9.9"],
    ["diff", "--help"],
    ["history", "--help"],
]


@pytest.mark.parametrize("width", [40, 80, 120])
def test_diff_and_history_in_russian_leave_no_english_word(reviewed, width: int) -> None:  # type: ignore[no-untyped-def]
    for args in RU_GIT_COMMANDS:
        proc = clirun.run_roadmap([*args, "--lang", "ru"], cwd=reviewed.root, columns=width)
        assert "Traceback" not in proc.stderr, (args, proc.stderr)
        expected = 2 if "no-such-branch" in args or "kz-by-test/9.9" in args else (
            1 if "--fail-on-slip" in args else 0)
        assert proc.returncode == expected, (args, proc.stderr)
        out = proc.stdout + proc.stderr
        assert re.search("[а-яА-Я]", out), (args, out)
        assert _diff_english_left(out) == [], (args, out)
        if "--help" not in args:
            assert all(len(line) <= width for line in proc.stdout.splitlines() if "--format" not in args), out


def test_diff_and_history_keep_english_and_json(reviewed) -> None:  # type: ignore[no-untyped-def]
    def run(*args: str) -> str:
        proc = clirun.run_roadmap(list(args), cwd=reviewed.root)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    for args in (["diff", "v1", "HEAD", "--format", "json"], ["diff", "v1", "--format", "csv"],
                 ["history", "kz-by-test/1.2", "--format", "json"]):
        assert run(*args, "--lang", "ru") == run(*args, "--lang", "en"), args
    rows = json.loads(run("diff", "v1", "HEAD", "--format", "json", "--lang", "ru"))
    assert {r["change"] for r in rows} == {"added", "removed", "changed", "rescheduled"}
    assert ("1.2", "status", "not_started", "done") in [(r["measure"], r["field"], r["old"], r["new"])
                                                       for r in rows]
    english = run("diff", "v1", "HEAD", "--format", "markdown", "--lang", "en")
    assert english.startswith(
        "**1 measure done, 1 deadline rescheduled by amendment, 2 deadlines moved later by up to "
        "360 days, 1 deadline moved earlier by 184 days, new owners for 1 measure, 1 measure added, "
        "1 document removed, 3 other changes.**\n\nRoadmap changes from `v1` to `HEAD`.\n")
    assert "| 1.1 | rescheduled | due | 2026-Q2 | 2026-12 (by protocol-1) | +184 d |" in english
    assert "| 1.3 | changed | due | every quarter, from 2026-Q1, until 2026-Q4, grace 15 | every " \
           "quarter, from 2026-Q1, until 2027-Q4, grace 10 | +360 d |" in english
    assert "| 1.2 | changed | status | not_started | done |  |" in english
    russian = run("diff", "v1", "HEAD", "--format", "markdown", "--lang", "ru")
    assert russian.startswith(
        "**1 мероприятие выполнено, 1 срок перенесён по протоколу, 2 срока сдвинуты позже максимум "
        "на 360 дней, 1 срок сдвинут раньше на 184 дня, новые исполнители у 1 мероприятия, "
        "1 мероприятие добавлено, 1 документ удалён, 3 других изменения.**\n\nИзменения дорожных "
        "карт: `v1` → `HEAD`.\n")
    assert "| 1.1 | перенесено | срок | 2026-Q2 | 2026-12 (по protocol-1) | +184 дн. |" in russian
    assert "| 1.2 | изменено | статус | не начато | выполнено |  |" in russian
    assert "| 1.2 | изменено | выполнено | – | 20.06.2026 |  |" in russian
    assert "| (документ) | изменено | период | 01.01.2026 – 31.12.2028 | 01.01.2026 – 31.12.2029 |  |" in russian
    history = run("history", "kz-by-test/1.2", "--lang", "en")
    assert "\n2026-06-21  " in history and "\nstatus     not_started  done\n" in history


# --- the refusals and warnings of reading the files and the cache -------------------------------


def test_unreadable_outside_too_large_and_unsafe_cache_in_russian(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A symbolic link loop, a link to outside the folder, a file past the size limit and a cache
    folder others can write: Russian with --lang ru (the system's own reason included), English
    as before without it."""
    folder = tmp_path / "rm"
    folder.mkdir()
    (folder / "agencies.yaml").write_bytes((ROOT / "roadmaps" / "agencies.yaml").read_bytes())
    (tmp_path / "outside.yaml").write_text("id: outside\n", encoding="utf-8")
    (folder / "away.yaml").symlink_to(tmp_path / "outside.yaml")
    (folder / "loop.yaml").symlink_to("loop.yaml")
    (folder / "big.yaml").write_bytes(b"# " + b"x" * (4 * 1024 * 1024) + b"\n")
    cache_home = tmp_path / "xdg"
    (cache_home / "roadmap-cli").mkdir(parents=True)
    (cache_home / "roadmap-cli").chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))

    runs = {lang: (clirun.run_roadmap(["validate", "--lang", lang, str(folder)]),
                   clirun.run_roadmap(["status", "--lang", lang, "--as-of", AS_OF,
                                       str(ROOT / "roadmaps")], env={"ROADMAP_NO_CACHE": ""}))
            for lang in ("ru", "en")}
    ru_validate, ru_status = runs["ru"]
    for proc in (ru_validate, ru_status):
        assert "Traceback" not in proc.stderr
    assert ru_validate.returncode == 1, ru_validate.stderr
    found = {}
    for ln in ru_validate.stdout.splitlines():
        m = re.search(r"/(\w+)\.yaml:\d+:\d+: (?:error|warning): (.*) \[([\w-]+)\]$", ln)
        if m:
            found[m.group(1)] = (m.group(3), m.group(2))
    assert found == {
        "away": ("not-a-file", "этот файл — символическая ссылка за пределы папки, в которой он "
                               "лежит; он не читается"),
        "loop": ("unreadable", "не удаётся прочитать файл: символические ссылки образуют цикл"),
        "big": ("file-too-large", found.get("big", ("", ""))[1]),
    }, ru_validate.stdout
    assert re.search("[а-я]", found["big"][1]) and "4\u202f194\u202f304 байт" in found["big"][1], found["big"]
    warning = [ln for ln in ru_status.stderr.splitlines() if "xdg" in ln]
    assert len(warning) == 1 and "доступен для записи другим пользователям" in warning[0], ru_status.stderr
    for text in (ru_validate.stdout + ru_validate.stderr, ru_status.stderr):
        assert _english_left(text) == [], text
        assert not re.search(r"\b(symbolic|link|loop|cache|users|folder|file|read)\b",
                             re.sub(r"[\w./-]*[-/.][\w./-]*", " ", text)), text

    en_validate, en_status = runs["en"]
    assert "this file is a symbolic link to somewhere outside the folder that holds it; it is " \
           "not read [not-a-file]" in en_validate.stdout
    assert "cannot read the file: symbolic link loop [unreadable]" in en_validate.stdout
    assert "roadmap: warning: the cache is not used: " in en_status.stderr
    assert "roadmap-cli can be written by other users" in en_status.stderr


@pytest.mark.parametrize(("lang", "expected"), [
    ("ru", "на диске не осталось места"),
    ("en", "No space left on device"),  # English keeps the system's own text, as before
])
def test_os_reason(lang: str, expected: str) -> None:
    import errno

    i18n.activate(lang)
    assert i18n.os_reason(OSError(errno.ENOSPC, "No space left on device")) == expected
    assert i18n.os_reason(OSError(errno.EPROTO, "Protocol error")) == "Protocol error"


@pytest.mark.parametrize("args", [
    ["--lang", "ru", "--help"],
    ["init", "--help", "--lang", "ru"],
    ["new", "--lang", "ru", "--help"],
])
def test_lang_on_the_group_init_and_new(args: list[str]) -> None:
    """`--lang` is taken by the group and by the commands whose only language is the
    interface's (it was a usage error there)."""
    import clirun

    try:
        done = clirun.invoke(*args)
    finally:
        i18n.activate("en")
    assert done[0] == 0, done
    assert "Использование: roadmap" in done[1] and "--lang" in done[1], done[1]


def test_lang_on_the_group_reaches_the_command() -> None:
    import clirun

    try:
        done = clirun.invoke("--lang", "ru", "status", str(ROOT / "roadmaps"), "--as-of", "2026-11-28")
    finally:
        i18n.activate("en")
    assert done[0] == 0 and "Документ" in done[1], done
