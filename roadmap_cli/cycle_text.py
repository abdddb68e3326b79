"""The words an agency reads in a request workbook: the one home of their list and of how they
are looked up. Their translations are in the gettext catalogs of :mod:`roadmap_cli.i18n` (the
workbook's words carry the message context ``workbook``, so that a header or a status reads in the
workbook as the agencies have been sent it, whatever the same word reads as in the interface).

Statuses have two spellings: the machine id (``in_progress``) that the files and the hidden key
row use, and the words of the drop-down list (``in progress`` / ``в работе``). Reading a
workbook accepts the ids and the words of every language, whatever language it was made in.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from gettext import NullTranslations

from roadmap_cli import i18n
from roadmap_cli.i18n import NC_

#: the gettext context of every word of a workbook
CONTEXT = "workbook"

#: the languages a workbook is written in; kk and be read Russian (the contract's fallback)
WORKBOOK_LANGS = ("en", "ru")


STATUS_WORDS_EN = {
    "not_started": NC_("workbook", "not started"),
    "in_progress": NC_("workbook", "in progress"),
    "done": NC_("workbook", "done"),
    "blocked": NC_("workbook", "blocked"),
    "cancelled": NC_("workbook", "cancelled"),
}

#: the sheet names other than ``measures`` (which is a machine key and never translated)
INSTRUCTIONS_SHEET = NC_("workbook", "instructions")


def workbook_lang(lang: str) -> str:
    """The language a workbook is written in for ``--lang``: en, else Russian."""
    return "en" if lang == "en" else "ru"


@functools.cache
def _catalog(lang: str) -> NullTranslations:
    return i18n.translations(lang)


def text(msgid: str, lang: str) -> str:
    """The workbook word ``msgid`` (context ``workbook``) in the workbook language of ``lang``
    (English for en, Russian otherwise; see :func:`workbook_lang`), from the catalogs."""
    return _catalog(workbook_lang(lang)).pgettext(CONTEXT, msgid)


def status_word(status: str, lang: str) -> str:
    """A status id as the drop-down list shows it in ``lang``."""
    return text(STATUS_WORDS_EN[status], lang)


def status_words(lang: str) -> list[str]:
    return [status_word(s, lang) for s in STATUS_WORDS_EN]


def read_status(value: str) -> str | None:
    """The status id a cell names (an id, or the words of any language: the workbook's, and
    those the tool's own output uses, so that «заблокировано» copied from a table reads as
    «приостановлено» does; case and spaces ignored), else None."""
    key = " ".join(value.replace("_", " ").split()).casefold()
    for status, english in STATUS_WORDS_EN.items():
        if key in (english.casefold(), *(text(english, lang).casefold() for lang in WORKBOOK_LANGS),
                   *(" ".join(_catalog(lang).pgettext("status", status).replace("_", " ").split()).casefold()
                     for lang in WORKBOOK_LANGS)):
            return status
    return None


def instructions(lang: str, agency: str, as_of: str) -> Sequence[str]:
    """The lines of the instructions sheet."""
    words = {s: status_word(s, lang) for s in STATUS_WORDS_EN}

    def t(msgid: str) -> str:
        return text(msgid, lang)

    return [
        t(NC_("workbook", "How to fill in this workbook")),
        "",
        t(NC_("workbook", "Request for information on the measures of {agency}, as of {as_of}.")).format(
            agency=agency, as_of=as_of
        ),
        "",
        t(NC_(
            "workbook",
            "The sheet \"measures\" has one row per measure your agency leads or co-executes "
            "that is not done or cancelled. Grey columns show what is known; do not change "
            "them.",
        )),
        t(NC_(
            "workbook",
            "Fill in only what changed, in the white columns; leave a row empty when nothing "
            "changed.",
        )),
        "",
        t(NC_("workbook", "New status: choose from the list: {statuses}.")).format(
            statuses=", ".join(words.values())
        ),
        t(NC_(
            "workbook",
            "Progress: a whole number from 0 to 100, without the {percent} sign (for measures in "
            "progress).",
        )).format(percent="%"),  # (a "% s" in a message would read as a %-format)
        t(NC_(
            "workbook",
            "Completion date: the day the measure was done, as 31.12.2026 or a date cell "
            "(status \"{done}\").",
        )).format(done=words["done"]),
        t(NC_(
            "workbook",
            "Reason: why the measure is {blocked} or {cancelled} (required for these "
            "statuses).",
        )).format(blocked=words["blocked"], cancelled=words["cancelled"]),
        t(NC_(
            "workbook",
            "Evidence: the title of the document that confirms the progress (protocol, order, "
            "publication) and, if it is online, its full address (https://...).",
        )),
        t(NC_(
            "workbook",
            "Reported period: for measures reported every period, the period you report on, "
            "e.g. 2026-Q3 (quarter), 2026-H2 (half-year), 2026-09 (month) or 2026 (year).",
        )),
        t(NC_(
            "workbook",
            "Indicator values: INDICATOR=VALUE, several separated by \";\" "
            "(e.g. tractors-per-year=5600); a bare number when the measure has one "
            "indicator.",
        )),
        t(NC_(
            "workbook",
            "Comment: anything else the liaison officer should know (it is read, not "
            "recorded).",
        )),
        "",
        t(NC_(
            "workbook",
            "Do not rename the sheet \"measures\", delete its columns or rows, merge cells, or "
            "add formulas or links to other files. Save the workbook as .xlsx (not .xlsm) and "
            "send it back.",
        )),
    ]
