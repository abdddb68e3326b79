"""roadmap init [FOLDER]: start a repository of roadmaps of one's own."""

from __future__ import annotations

import os

import click

from roadmap_cli import i18n
from roadmap_cli.commands._common import interface_lang_option, say
from roadmap_cli.i18n import N_, _

HELP = N_(
    """Start a repository of roadmaps in FOLDER (default: here).

    Creates roadmaps/agencies.yaml (with the agencies given, else an empty registry with a
    commented example), schemas/ (so that editors check the files), .pre-commit-config.yaml
    (`roadmap validate` before each commit), .github/workflows/roadmaps.yml (the same in CI),
    and .gitignore (what the tool writes for people: out/, report.html); runs `git init` when FOLDER is not in a git repository. Files
    that exist are kept, never overwritten.
    """
)

#: the examples of the help (command lines: not translated)
EXAMPLES = (
    'roadmap init kz-by-roadmaps --agency kz-mic --name "Ministry of Industry and Construction'
    ' of the Republic of Kazakhstan" --country KZ',
)


def _direct_url() -> str | None:
    """What pip recorded about where this roadmap-cli was installed from (PEP 610), if anything."""
    from importlib import metadata

    try:
        return metadata.distribution("roadmap-cli").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None


@click.command("init", help=i18n.help_with_examples(_(HELP), _("Example:"), EXAMPLES))
@click.argument("folder", required=False, default=".", type=click.Path(file_okay=False))
@click.option("--agency", "agency_ids", multiple=True, metavar="ID",
              help=_("A party to register in agencies.yaml, e.g. kz-mic (repeatable; each with "
                     "--name and --country, in the same order)."))
@click.option("--name", "names", multiple=True, metavar="NAME",
              help=_("The full official name of the --agency of the same position."))
@click.option("--country", "countries", multiple=True, metavar="CC",
              help=_("The country code (KZ, BY, ...) of the --agency of the same position."))
@interface_lang_option
def command(folder: str, agency_ids: tuple[str, ...], names: tuple[str, ...], countries: tuple[str, ...]) -> None:
    """The command (its help for people: :data:`HELP`)."""
    from roadmap_cli import safewrite, scaffold
    from roadmap_cli.git import GitRepo
    from roadmap_cli.load import DEFAULT_DIR
    from roadmap_cli.schema import AGENCIES, ROADMAP, SCHEMA_DIR
    from roadmap_cli.sources import AGENCIES_FILE

    if not (len(agency_ids) == len(names) == len(countries)):
        raise click.UsageError(
            _("give each --agency with its --name and --country (--agency kz-mic --name \"...\" "
            "--country KZ), as many of each")
        )
    agencies = []
    for aid, name, cc in zip(agency_ids, names, countries, strict=True):
        if not scaffold.SLUG.fullmatch(aid):
            raise click.BadParameter(
                _("{id!r}: an agency id is lowercase letters and digits in groups joined by single "
                "hyphens, e.g. kz-mic").format(id=aid), param_hint="--agency")
        if not name.strip() or any(ord(c) < 0x20 for c in name):
            raise click.BadParameter(_("give the name as one line of text"), param_hint="--name")
        if not scaffold.COUNTRY.fullmatch(cc.strip().upper()):
            raise click.BadParameter(
                _("{cc!r}: a country is two letters (ISO 3166-1), e.g. KZ").format(cc=cc),
                param_hint="--country")
        agencies.append(scaffold.NewAgency(aid, name.strip(), cc.strip().upper()))
    if len({a.id for a in agencies}) != len(agencies):
        raise click.BadParameter(_("an agency is given twice"), param_hint="--agency")

    if os.path.lexists(os.path.join(folder, AGENCIES_FILE)):
        # a roadmaps folder itself (`cd roadmaps; roadmap init`): a roadmaps/ inside it, with an
        # empty registry, was then what validate, status and the CI it made checked
        above = os.path.dirname(os.path.abspath(folder))
        raise click.UsageError(
            _("{folder} is a folder of roadmaps (it holds {registry}), not the repository "
              "that keeps one: run `roadmap init` in the folder above it ({above}); nothing "
              "was written").format(folder=os.path.normpath(folder), registry=AGENCIES_FILE,
                                    above=above))
    os.makedirs(folder, exist_ok=True)
    registry = os.path.join(folder, DEFAULT_DIR, AGENCIES_FILE)
    if agencies and os.path.lexists(registry):
        from roadmap_cli.errors import WriteConflict

        raise WriteConflict(
            _("roadmap: {path} exists; add the agencies to it by hand (nothing was written)").format(
                path=registry))
    workflow_path = os.path.join(folder, ".github", "workflows", "roadmaps.yml")
    requirement = scaffold.install_requirement(_direct_url())
    files = [
        (registry, scaffold.agencies_yaml(agencies).encode("utf-8")),
        (os.path.join(folder, "schemas", ROADMAP), (SCHEMA_DIR / ROADMAP).read_bytes()),
        (os.path.join(folder, "schemas", AGENCIES), (SCHEMA_DIR / AGENCIES).read_bytes()),
        (os.path.join(folder, ".pre-commit-config.yaml"), scaffold.PRE_COMMIT.encode("utf-8")),
        (workflow_path, scaffold.workflow(requirement).encode("utf-8")),
        (os.path.join(folder, ".gitignore"), scaffold.GITIGNORE.encode("utf-8")),
    ]
    for path, data in files:
        shown = os.path.normpath(path)
        if os.path.lexists(path):
            say(_("kept    {path} (it exists)").format(path=shown))
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        safewrite.create_file(path, data)
        say(_("created {path}").format(path=shown))
        if path == workflow_path and requirement is None:
            say(_("  set in it where CI installs roadmap-cli from (the step Install roadmap-cli): "
                  "until then the CI job stops there"), prose=True)
    if not GitRepo.inside(folder):
        GitRepo.init(folder)
        say(_("created a git repository in {path}").format(path=os.path.normpath(folder)))
    where = "" if os.path.normpath(folder) == "." else _("cd {path}, then ").format(path=folder)
    first = agencies[0].id if agencies else "AGENCY"
    say(
        _("next: {where}add the parties to {registry} (if not given here), then\n"
        "  roadmap new ROADMAP_ID --party {first},... --period 2026-2028\n"
        "  roadmap validate\n"
        "  roadmap status").format(
            where=where, registry=os.path.join(DEFAULT_DIR, AGENCIES_FILE), first=first),
        prose=True,
    )
