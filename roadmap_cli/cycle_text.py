"""The words an agency reads in a request workbook, in English and Russian: the one home of them.

Keyed by the English text itself (a gettext msgid), so that moving them to the catalogs of
``roadmap_cli.i18n`` later is mechanical: ``text(msgid, lang)`` becomes ``_(msgid)``, and the
``RU`` entries become the Russian catalog's. Until then :func:`text` looks them up here.

Statuses have two spellings: the machine id (``in_progress``) that the files and the hidden key
row use, and the words of the drop-down list (``in progress`` / ``в работе``). Reading a
workbook accepts the ids and the words of every language, whatever language it was made in.
"""

from __future__ import annotations

from collections.abc import Sequence

#: the languages a workbook is written in; kk and be read Russian (the contract's fallback)
WORKBOOK_LANGS = ("en", "ru")

STATUS_WORDS_EN = {
    "not_started": "not started",
    "in_progress": "in progress",
    "done": "done",
    "blocked": "blocked",
    "cancelled": "cancelled",
}

RU: dict[str, str] = {
    # statuses (the drop-down list)
    "not started": "не начато",
    "in progress": "в работе",
    "done": "выполнено",
    "blocked": "приостановлено",
    "cancelled": "отменено",
    # column headers of the sheet `measures`
    "Document": "Документ",
    "Measure": "Мероприятие",
    "Title": "Наименование",
    "Deadline": "Срок",
    "Status": "Статус",
    "Progress, %": "Выполнение, %",
    "Last report": "Последний отчёт",
    "New status": "Новый статус",
    "Progress (0-100)": "Выполнение (0-100)",
    "Completion date": "Дата выполнения",
    "Reason (blocked, cancelled)": "Причина (приостановлено, отменено)",
    "Evidence: title": "Подтверждение: название",
    "Evidence: URL": "Подтверждение: ссылка",
    "Reported period": "Отчётный период",
    "Indicator values": "Значения показателей",
    "Comment": "Комментарий",
    "Agency": "Ведомство",
    "As of": "По состоянию на",
    "Fingerprint": "Отпечаток",
    # the sheet names other than `measures` (which is a machine key and never translated)
    "instructions": "инструкция",
    # the instructions sheet
    "How to fill in this workbook": "Как заполнить эту книгу",
    "Request for information on the measures of {agency}, as of {as_of}.":
        "Запрос информации о ходе выполнения мероприятий ({agency}) по состоянию на {as_of}.",
    "The sheet \"measures\" has one row per measure your agency leads or co-executes that is "
    "not done or cancelled. Grey columns show what is known; do not change them.":
        "На листе «measures» по одной строке на каждое мероприятие, которое ваше ведомство "
        "выполняет или соисполняет и которое не выполнено и не отменено. Серые столбцы "
        "показывают то, что уже известно; не изменяйте их.",
    "Fill in only what changed, in the white columns; leave a row empty when nothing changed.":
        "Заполните только то, что изменилось, в белых столбцах; если ничего не изменилось, "
        "оставьте строку пустой.",
    "New status: choose from the list: {statuses}.":
        "Новый статус: выберите из списка: {statuses}.",
    "Progress: a whole number from 0 to 100, without the % sign (for measures in progress).":
        "Выполнение: целое число от 0 до 100, без знака % (для мероприятий в работе).",
    "Completion date: the day the measure was done, as 31.12.2026 or a date cell "
    "(status \"{done}\").":
        "Дата выполнения: день, когда мероприятие выполнено, в виде 31.12.2026 или ячейкой с "
        "датой (статус «{done}»).",
    "Reason: why the measure is {blocked} or {cancelled} (required for these statuses).":
        "Причина: почему мероприятие {blocked} или {cancelled} (обязательна для этих статусов).",
    "Evidence: the title of the document that confirms the progress (protocol, order, "
    "publication) and, if it is online, its full address (https://...).":
        "Подтверждение: название документа, подтверждающего ход выполнения (протокол, приказ, "
        "публикация), и, если он размещён в интернете, его полный адрес (https://...).",
    "Reported period: for measures reported every period, the period you report on, "
    "e.g. 2026-Q3 (quarter), 2026-H2 (half-year), 2026-09 (month) or 2026 (year).":
        "Отчётный период: для мероприятий с периодической отчётностью период, за который вы "
        "отчитываетесь, например 2026-Q3 (квартал), 2026-H2 (полугодие), 2026-09 (месяц) "
        "или 2026 (год).",
    "Indicator values: INDICATOR=VALUE, several separated by \";\" "
    "(e.g. tractors-per-year=5600); a bare number when the measure has one indicator.":
        "Значения показателей: ПОКАЗАТЕЛЬ=ЗНАЧЕНИЕ, несколько через «;» "
        "(например tractors-per-year=5600); просто число, если у мероприятия один показатель.",
    "Comment: anything else the liaison officer should know (it is read, not recorded).":
        "Комментарий: всё, что ещё следует знать ответственному сотруднику (его прочтут, "
        "но в файл не вносят).",
    "Do not rename the sheet \"measures\", delete its columns or rows, merge cells, or add "
    "formulas or links to other files. Save the workbook as .xlsx (not .xlsm) and send it back.":
        "Не переименовывайте лист «measures», не удаляйте столбцы и строки, не объединяйте "
        "ячейки, не добавляйте формулы и ссылки на другие файлы. Сохраните книгу в формате "
        ".xlsx (не .xlsm) и отправьте её обратно.",
}


def workbook_lang(lang: str) -> str:
    """The language a workbook is written in for ``--lang``: en, else Russian."""
    return "en" if lang == "en" else "ru"


def text(msgid: str, lang: str) -> str:
    """``msgid`` in ``lang`` (English for en, Russian otherwise; see :func:`workbook_lang`)."""
    if workbook_lang(lang) == "ru":
        return RU.get(msgid, msgid)
    return msgid


def status_word(status: str, lang: str) -> str:
    """A status id as the drop-down list shows it in ``lang``."""
    return text(STATUS_WORDS_EN[status], lang)


def status_words(lang: str) -> list[str]:
    return [status_word(s, lang) for s in STATUS_WORDS_EN]


def read_status(value: str) -> str | None:
    """The status id a cell names (an id, or the words of any language; case and spaces
    ignored), else None."""
    key = " ".join(value.replace("_", " ").split()).casefold()
    for status, english in STATUS_WORDS_EN.items():
        if key in (english.casefold(), RU[english].casefold()):
            return status
    return None


def instructions(lang: str, agency: str, as_of: str) -> Sequence[str]:
    """The lines of the instructions sheet."""
    words = {s: status_word(s, lang) for s in STATUS_WORDS_EN}
    return [
        text("How to fill in this workbook", lang),
        "",
        text("Request for information on the measures of {agency}, as of {as_of}.", lang).format(
            agency=agency, as_of=as_of
        ),
        "",
        text(
            "The sheet \"measures\" has one row per measure your agency leads or co-executes "
            "that is not done or cancelled. Grey columns show what is known; do not change "
            "them.", lang
        ),
        text(
            "Fill in only what changed, in the white columns; leave a row empty when nothing "
            "changed.", lang
        ),
        "",
        text("New status: choose from the list: {statuses}.", lang).format(
            statuses=", ".join(words.values())
        ),
        text(
            "Progress: a whole number from 0 to 100, without the % sign (for measures in "
            "progress).", lang
        ),
        text(
            "Completion date: the day the measure was done, as 31.12.2026 or a date cell "
            "(status \"{done}\").", lang
        ).format(done=words["done"]),
        text(
            "Reason: why the measure is {blocked} or {cancelled} (required for these "
            "statuses).", lang
        ).format(blocked=words["blocked"], cancelled=words["cancelled"]),
        text(
            "Evidence: the title of the document that confirms the progress (protocol, order, "
            "publication) and, if it is online, its full address (https://...).", lang
        ),
        text(
            "Reported period: for measures reported every period, the period you report on, "
            "e.g. 2026-Q3 (quarter), 2026-H2 (half-year), 2026-09 (month) or 2026 (year).",
            lang,
        ),
        text(
            "Indicator values: INDICATOR=VALUE, several separated by \";\" "
            "(e.g. tractors-per-year=5600); a bare number when the measure has one "
            "indicator.", lang
        ),
        text(
            "Comment: anything else the liaison officer should know (it is read, not "
            "recorded).", lang
        ),
        "",
        text(
            "Do not rename the sheet \"measures\", delete its columns or rows, merge cells, or "
            "add formulas or links to other files. Save the workbook as .xlsx (not .xlsm) and "
            "send it back.", lang
        ),
    ]
