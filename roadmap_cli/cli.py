"""The click layer: options in, calls out, exit codes back. The only module that imports click
(with the per-command modules in ``roadmap_cli.commands``).

Commands are loaded lazily: ``roadmap --help`` imports no command module, so start-up stays near
the cost of importing click itself.
"""

from __future__ import annotations

import codecs
import errno
import gc
import importlib
import io
import os
import sys
from typing import NoReturn

import click

from roadmap_cli import __version__, i18n
from roadmap_cli.errors import EXIT_CONFLICT, EXIT_INTERNAL, EXIT_USAGE, RoadmapError
from roadmap_cli.i18n import N_, _

# click's messages go through our catalog from here on: click words some of them as its
# decorators run (below), through the standard library's gettext, which searches the system's
# catalogs and imports locale (a millisecond of every run); main() activates the language
i18n.activate(i18n.DEFAULT)

#: name -> (module under roadmap_cli.commands, one-line help). Help text lives here so that
#: listing the commands imports none of them.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate", N_("Check roadmap files against the schema and the rules.")),
    "status": ("status", N_("Progress of each document as of a date.")),
    "overdue": ("overdue", N_("Every overdue item, most overdue first.")),
    "upcoming": ("upcoming", N_("What falls due within a window, soonest first.")),
    "agencies": ("agencies", N_("Per-agency summary: lead and co-executed measures.")),
    "show": ("show", N_("One document or one measure in full.")),
    "diff": ("diff", N_("What changed in the roadmaps between two git revisions.")),
    "history": ("history", N_("A measure's timeline from git.")),
    "update": ("update", N_("Record progress on a measure, editing its file minimally.")),
    "init": ("init", N_("Start a repository of roadmaps: registry, schemas, hooks, CI.")),
    "new": ("new", N_("Scaffold a new roadmap document.")),
    "import": ("import_docx", N_("Import the table of a signed Word document into a roadmap file.")),
    "indicators": ("indicators", N_("Quantitative indicators: baseline, target, latest actual.")),
    "export": ("export", N_("Export deadlines as iCalendar, CSV or JSON.")),
    "report": ("report", N_("A report document (HTML or Markdown) with charts.")),
    "stale": ("stale", N_("Open measures whose entry has not changed for a while (git).")),
    "request": ("request", N_("Ask agencies for progress: one workbook (xlsx/csv) each.")),
    "apply": ("apply", N_("Apply the agencies' filled workbooks, minimally edited.")),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when invoked (or asked for by name)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name, (mod, _help) in COMMANDS.items() if _available(mod)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None or not _available(entry[0]):
            return None
        module = importlib.import_module(f"roadmap_cli.commands.{entry[0]}")
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, _(COMMANDS[name][1])) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section(_("Commands")):
                formatter.write_dl(rows)


def _available(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(f"roadmap_cli.commands.{module}") is not None


#: the group's --help text
GROUP_HELP = N_(
    """Track signed intergovernmental roadmaps kept as YAML in git.

    Reads roadmaps/ (or the paths given) and answers: how far along is each document, what is
    overdue, what is due next, and which agency is behind.

    The language of the interface: --lang of a command, else ROADMAP_LANG, else the locale
    (LC_ALL, LC_MESSAGES, LANG), else English (en, ru; kk and be fall back to ru).
    """
)


class _Group(LazyGroup):
    """The group, its help and its options' help in the language of the run."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # the reader went away (`| head`): click would end the run with exit 1 (its handler
            # of EPIPE); without an errno it passes it on, and :func:`main` ends with exit 0
            raise BrokenPipeError() from None

    def get_help(self, ctx: click.Context) -> str:
        self.help = _(GROUP_HELP)
        for param in self.params:
            if isinstance(param, click.Option) and param.name == "debug":
                param.help = _("Show Python tracebacks for internal errors.")
            elif isinstance(param, click.Option) and param.name == "version":
                param.help = _("Show the version and exit.")
            elif isinstance(param, click.Option) and param.name == "lang":
                param.help = _("Language of the interface (kk and be fall back to ru, then en). "
                               "Default: ROADMAP_LANG, else the locale (LC_ALL, LC_MESSAGES, "
                               "LANG), else en.")
        return super().get_help(ctx)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]},
             help=GROUP_HELP)
@click.version_option(__version__, prog_name="roadmap")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for internal errors.")
@click.option("--lang", type=click.Choice(i18n.LANGS, case_sensitive=False), default=None, expose_value=False,
              callback=lambda ctx, _param, value: ctx.meta.__setitem__(i18n.GROUP_LANG, value),
              help="Language of the interface.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """The ``roadmap`` group (its help: :data:`GROUP_HELP`)."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _help_keeps_ids_whole() -> None:
    """Help text wrapped between words only, never at a hyphen: click's wrapper broke ids and
    options at their hyphens ('kz-by-' / 'industrial-cooperation-2026-2028/1.1', '--party kz-'
    / 'mic,by-minprom'), which a reader then copies broken. Click builds its wrapper from
    ``click._textwrap.TextWrapper`` each time it wraps help; the class given there keeps the
    hyphens (tests/test_layout.py holds every command's help to it). Only for a run that
    shows help: wrapping nothing else, the other runs import nothing for it."""
    import click._textwrap as click_textwrap

    base = click_textwrap.TextWrapper
    if getattr(base, "_keeps_hyphens", False):
        return

    class _KeepsHyphens(base):  # type: ignore[misc, valid-type]
        _keeps_hyphens = True

        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs.setdefault("break_on_hyphens", False)
            super().__init__(*args, **kwargs)

    click_textwrap.TextWrapper = _KeepsHyphens  # type: ignore[misc]


def _for_the_reader(message: str) -> str:
    """A message for standard error: on a terminal, its long lines broken between words at the
    terminal's width (a terminal breaks them anywhere, inside a word); elsewhere (a log, a
    pipe) as it is, one line per line."""
    try:
        if not os.isatty(sys.stderr.fileno()):
            return message
    except (AttributeError, OSError, ValueError):  # (a captured stream: tests, no file number)
        return message
    from shutil import get_terminal_size

    from roadmap_cli.textsafe import wrapped

    return wrapped(message, get_terminal_size().columns - 1)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: runs the group and maps every failure to the contract's exit codes."""
    args = argv if argv is not None else sys.argv[1:]
    debug = "--debug" in args
    # the language is chosen once, here, before click writes a help or an error
    i18n.activate(i18n.choose(i18n.lang_from_argv(args)))
    if not args or "--help" in args or "-h" in args:
        _help_keeps_ids_whole()
    # One run is short and what it builds holds next to no reference cycles: the collector
    # would only walk the loaded model again and again (a third of a warm `status`); the
    # memory goes back at exit. (Library callers keep their collector: load pauses it itself.)
    gc.disable()
    refusal = _unusable_environment()
    if refusal is not None:
        sys.stderr.write(refusal[0] + "\n")
        sys.exit(refusal[1])
    try:
        rv = cli.main(args=argv, prog_name="roadmap", standalone_mode=False)
        sys.stdout.flush()  # a full disk is met here, not at exit
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo(_("Aborted."), err=True)
        sys.exit(130)
    except click.ClickException as e:
        shown = io.StringIO()
        e.show(shown)
        click.echo(_for_the_reader(shown.getvalue()), err=True, nl=False)
        sys.exit(e.exit_code)
    except RoadmapError as e:
        if e.message:
            click.echo(_for_the_reader(e.message), err=True)
        sys.exit(e.exit_code)
    except BrokenPipeError:
        _quiet_broken_pipe()
        sys.exit(0)
    except UnicodeEncodeError as e:
        if not _is_output_encoding(e):
            _internal(e, debug)
        _quiet_broken_pipe()  # what is still buffered is lost; never a second complaint at exit
        click.echo(
            _("roadmap: cannot write the output: its encoding ({encoding}) has no {char!r}; "
              "use a terminal in UTF-8, or set PYTHONIOENCODING=utf-8").format(
                encoding=e.encoding, char=e.object[e.start:e.end][:1]), err=True)
        sys.exit(EXIT_CONFLICT)
    except OSError as e:
        if e.errno not in _OUTPUT_ERRORS or not _is_output_error(e):
            _internal(e, debug)
        _quiet_broken_pipe()  # what is still buffered is lost; never a second complaint at exit
        click.echo(
            _("roadmap: cannot write the output: {reason}").format(reason=i18n.os_reason(e)), err=True
        )
        sys.exit(EXIT_CONFLICT)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:  # the one place internal errors become exit 4
        _internal(e, debug)
    # without standalone mode, click returns the code of a `click.exceptions.Exit`
    sys.exit(rv if isinstance(rv, int) else 0)


def run() -> NoReturn:
    """The ``roadmap`` script: :func:`main`, then the process ends as soon as its output is
    flushed, without the interpreter's teardown. Freeing every module and object one by one took
    3 to 4 ms of a warm run of 0.1 s (measured at 100 x 100), and a run leaves nothing to it:
    every file it writes is closed before :func:`main` returns, the cache is written as it goes,
    no thread of ours is left; the exit handlers libraries registered (openpyxl's removal of its
    temporary files) still run. Callers of :func:`main` (tests, a library) keep the usual
    exit."""
    import atexit
    import os

    code: object = 0
    try:
        main()
    except SystemExit as e:
        code = e.code
    if code is None:
        code = 0
    elif not isinstance(code, int):  # what sys.exit does with a message: prints it, exit 1
        sys.stderr.write(f"{code}\n")
        code = 1
    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_handlers is None:  # (not CPython's atexit: the usual exit)
        sys.exit(code)
    run_handlers()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with it closed (main said so)
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone, a closed stream: nothing left to say
            pass
    os._exit(code)


#: errors writing the output that are not bugs: a full disk or quota, a file too large, an
#: I/O error, a closed standard output
_OUTPUT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF}


def _is_output_error(e: OSError) -> bool:
    """True when ``e`` came from writing standard output (not from a file being read)."""
    return getattr(e, "filename", None) is None


def _is_output_encoding(e: UnicodeEncodeError) -> bool:
    """True when ``e`` came from writing text that standard output's encoding cannot hold (a
    terminal or pipe in ASCII or a code page, where the documents are in Russian)."""
    encoding = getattr(sys.stdout, "encoding", None) or ""
    return bool(encoding) and codecs.lookup(encoding).name == codecs.lookup(e.encoding).name


def _unusable_environment() -> tuple[str, int] | None:
    """Why a run cannot start (deleted working folder: a usage error; closed standard output:
    the output cannot be written) and its exit code, or None."""
    import os

    try:
        os.getcwd()
    except OSError:
        return (_("roadmap: the current folder no longer exists (it was deleted or moved); "
                  "change to a folder and run again"), EXIT_USAGE)
    if sys.stdout is None:
        return _("roadmap: cannot write the output: standard output is closed"), EXIT_CONFLICT
    return None


def _internal(e: BaseException, debug: bool) -> NoReturn:
    if debug:
        import traceback

        traceback.print_exc()
        sys.exit(EXIT_INTERNAL)
    name = type(e).__name__
    lines = str(e).strip().splitlines()  # one line, whatever the exception says
    text = lines[0][:200] if lines else ""
    click.echo(
        _("roadmap: internal error: {name}: {text} (this is a bug; please report it with the "
          "command line, and rerun with --debug for the traceback)").format(name=name, text=text),
        err=True,
    )
    sys.exit(EXIT_INTERNAL)


def _quiet_broken_pipe() -> None:
    from roadmap_cli.commands._common import quiet_stdout

    quiet_stdout()
