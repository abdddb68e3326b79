"""The one home of the interface language: gettext catalogs, ``_()``/``ngettext``, and the
choice of language (made once, at the edge).

Messages are English in the code and translated through the standard library's gettext from the
compiled catalogs in ``roadmap_cli/locale/<lang>/LC_MESSAGES/roadmap_cli.mo`` (managed with
Babel: ``make i18n``; see docs/i18n.md). The language is chosen by :func:`choose`: ``--lang``,
else ``ROADMAP_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English.
Kazakh and Belarusian fall back to Russian, then English (:func:`lang_chain`),
for interface words as for titles from the files.

``_()`` looks the message up in the active language at call time, so module-level texts that
must be translated are marked with :func:`N_` and translated where they are shown.

Nothing here prints, reads files other than the catalogs, or imports click; :func:`activate`
also hands the translation to click's own messages ("Usage:", "Error: No such option ...").
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from roadmap_cli.labels import number as _number
from roadmap_cli.labels import pct as _pct

DOMAIN = "roadmap_cli"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: the interface languages (the data may hold titles in these)
LANGS = ("en", "ru", "kk", "be")
#: where the group's --lang is kept for its command (click.Context.meta is shared down the chain)
GROUP_LANG = "roadmap_cli.lang"
DEFAULT = "en"

#: after the asked language, the languages tried in turn, for interface words and for titles
#: from the files alike (the contract: Kazakh and Belarusian readers read Russian before English)
LANG_FALLBACK: Mapping[str, tuple[str, ...]] = {
    "kk": ("ru", "en"),
    "be": ("ru", "en"),
    "ru": ("en",),
    "en": ("ru",),
}


def lang_chain(lang: str) -> tuple[str, ...]:
    """``lang`` and its fallbacks in order: kk -> (kk, ru, en); en -> (en, ru)."""
    return (lang, *LANG_FALLBACK.get(lang, ("en", "ru")))


_active: _gettext.NullTranslations = _gettext.NullTranslations()
_lang = DEFAULT


def _(message: str) -> str:
    """``message`` in the active language (English when it has no translation)."""
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for the count ``n`` in the active language."""
    return _active.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` of the gettext context ``context`` in the active language (a word whose
    translation depends on where it is shown: a file's key, a status id)."""
    return _active.pgettext(context, message)


def NC_(context: str, message: str) -> str:
    """Marks ``message`` (with its context) for extraction without translating it now
    (translate it with :func:`pgettext` where it is shown)."""
    return message


def os_reason(e: OSError) -> str:
    """Why an operating-system call failed, in the active language; in English (and for the
    rare errors not named below) the system's own text (``strerror``), as before."""
    import errno

    names = {
        errno.EACCES: N_("permission denied"),
        errno.EPERM: N_("the operation is not permitted"),
        errno.ENOENT: N_("no such file or folder"),
        errno.EISDIR: N_("it is a folder"),
        errno.ENOTDIR: N_("a part of the path is not a folder"),
        errno.ELOOP: N_("symbolic link loop"),
        errno.ENOSPC: N_("no space left on the disk"),
        errno.EROFS: N_("the file system is read-only"),
        errno.EEXIST: N_("the file already exists"),
        errno.EFBIG: N_("the file is too large"),
        errno.ENAMETOOLONG: N_("the name is too long"),
        errno.EIO: N_("input/output error"),
        errno.EMFILE: N_("too many open files"),
        errno.EBUSY: N_("the file is busy"),
    }
    quota = getattr(errno, "EDQUOT", None)
    if quota is not None:
        names[quota] = N_("the disk quota is exceeded")
    known = names.get(e.errno) if e.errno is not None else None
    if known is not None and _(known) != known:
        return _(known)
    return e.strerror or str(e)


def N_(message: str) -> str:
    """Marks ``message`` for extraction without translating it now (translate it with ``_()``
    where it is shown)."""
    return message


#: the longest line of an example in help: click's help is at least 50 columns wide and shows
#: an example 4 spaces in, so that it fits a terminal of 60 columns
EXAMPLE_WIDTH = 52


def example_lines(example: str, width: int = EXAMPLE_WIDTH) -> list[str]:
    """A command line as lines of at most ``width`` characters where it can, broken between its
    arguments with the shell's `` \\`` (an option kept with its value, a quoted argument
    whole), the lines after the first two spaces in: still a command to copy. Click shows an
    example as written (``\\b``), and a terminal narrower than it broke it anywhere
    ('--status cance' / 'lled', '2028/2.' / '1')."""
    if len(example) <= width or example.endswith(" \\"):
        return [example]  # (a line that ends with `` \\`` is broken already)
    words = re.findall(r'"[^"]*"|\'[^\']*\'|\S+', example)
    units: list[str] = []
    for word in words:
        if units and units[-1].startswith("-") and " " not in units[-1] and not word.startswith("-"):
            units[-1] += " " + word  # an option and its value
        else:
            units.append(word)
    lines: list[str] = []
    line = ""
    for unit in units:
        if line and len(line) + 1 + len(unit) + 2 > width:
            lines.append(line + " \\")
            line = "  " + unit
        else:
            line = f"{line} {unit}" if line else unit
    return [*lines, line]


def help_with_examples(help_text: str, heading: str, examples: Sequence[str]) -> str:
    """A command's help (a docstring-shaped text, already translated) followed by its examples
    under ``heading`` (translated), kept apart so that the catalog holds no command lines and
    no click control character (the examples are shown unwrapped: click's ``\\b``; each
    broken to fit 60 columns, :func:`example_lines`)."""
    lines = "".join("\n      " + line for example in examples for line in example_lines(example))
    return "{help}\n\n    \b\n    {heading}{lines}\n    ".format(
        help=help_text.rstrip(), heading=heading, lines=lines)


def current() -> str:
    """The active interface language."""
    return _lang


def from_locale(value: str | None) -> str | None:
    """The interface language of a locale name: ``ru_RU.UTF-8`` -> ru, ``kk_KZ`` -> kk,
    ``C``/``POSIX``/unknown -> None."""
    if not value:
        return None
    code = value.split(":")[0].split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
    return code if code in LANGS else None


def choose(asked: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The language to use: ``asked`` (``--lang``), else ``ROADMAP_LANG``, else the first set of
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` (as the C library reads them), else English."""
    env = os.environ if environ is None else environ
    if asked:  # (any case: --lang RU, as ROADMAP_LANG=RU)
        asked = asked.strip().lower()
        return asked if asked in LANGS else DEFAULT
    chosen = from_locale(env.get("ROADMAP_LANG"))
    if chosen:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:  # the first one set decides, even when it names no language of ours
            return from_locale(value) or DEFAULT
    return DEFAULT


def lang_from_argv(argv: Sequence[str]) -> str | None:
    """The value of ``--lang X`` or ``--lang=X`` in a command line (before ``--``), if any: the
    language must be known before click writes a --help or a usage error."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found


def translations(lang: str) -> _gettext.NullTranslations:
    """The catalog chain of ``lang``: its own catalog, then its fallbacks' (kk: kk, ru)."""
    chain = lang_chain(lang)
    codes = list(chain[: chain.index("en")]) if "en" in chain else list(chain)
    if not codes:  # English is the language of the code itself
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, str(LOCALE_DIR), languages=codes, fallback=True)


def activate(lang: str) -> None:
    """Make ``lang`` the language of every message from now on (ours and click's)."""
    global _active, _lang
    _lang = lang if lang in LANGS else DEFAULT
    _active = translations(_lang)
    _hand_to_click()


def _hand_to_click() -> None:
    """click marks its messages with the standard library's ``gettext``, bound by name in each of
    its modules at import: point those names at the active catalog (which holds their Russian
    too, see ``roadmap_cli/click_messages.py``)."""
    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            if callable(getattr(module, "_", None)):
                setattr(module, "_", _)  # noqa: B010 (a module's name, not an attribute we own)
            if callable(getattr(module, "ngettext", None)):
                setattr(module, "ngettext", ngettext)  # noqa: B010


def number(value: float | int | None, digits: int | None = None, lang: str | None = None) -> str:
    """A number for people in the language: ``4,000`` / ``4.5`` in English, ``4 000`` / ``4,5``
    in Russian, Kazakh and Belarusian (no-break space, decimal comma); ``None`` is an en dash."""
    return _number(value, lang or _lang, digits)


def pct(value: float | None, lang: str | None = None) -> str:
    """A percentage with one decimal: ``41.4%`` in English, ``41,4 %`` in Russian."""
    return _pct(value, lang or _lang)


def day(value: object, lang: str | None = None) -> str:
    """An ISO date (a ``date`` or its text) for people: ``2026-11-22`` in English,
    ``22.11.2026`` in Russian, Kazakh and Belarusian. Other text is returned as it is."""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if (lang or _lang) == "en":
        return text
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit():
        return f"{text[8:]}.{text[5:7]}.{text[:4]}"
    return text
