"""The files `roadmap init` starts a repository of roadmaps with (pure: texts only; the command
writes them). The pre-commit hook and the CI workflow are those docs/ci.md explains."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: an agency id, as the schema's slug
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
COUNTRY = re.compile(r"[A-Z]{2}\Z")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class NewAgency:
    """One party given to `roadmap init`: ``--agency ID --name NAME --country CC``."""

    id: str
    name: str
    country: str


def _quoted(text: str) -> str:
    from roadmap_cli.yamlscalar import scalar_text

    return scalar_text(text)


def agencies_yaml(agencies: Sequence[NewAgency]) -> str:
    """agencies.yaml with the agencies given, or an empty registry with a commented example."""
    head = (
        "# yaml-language-server: $schema=../schemas/agencies.schema.json\n"
        "#\n"
        "# The registry of agencies (ministries, akimats, executive committees, enterprises) that\n"
        "# the documents of this folder name as parties, owners and co-executors. One entry each:\n"
        "# id (lowercase letters, digits and '-', by convention with a country prefix), name (a\n"
        "# string, or en/ru/kk/be), country (ISO code), level (national, regional, city,\n"
        "# enterprise or other); optional short name and parent agency.\n"
    )
    if not agencies:
        return head + (
            "agencies: []\n"
            "# Replace [] above with entries such as:\n"
            "# agencies:\n"
            "#   - id: kz-mic\n"
            "#     name:\n"
            "#       en: Ministry of Industry and Construction of the Republic of Kazakhstan\n"
            "#       ru: Министерство промышленности и строительства Республики Казахстан\n"
            "#     short: {en: MIC RK, ru: МПС РК}\n"
            "#     country: KZ\n"
            "#     level: national\n"
        )
    lines = [head + "agencies:"]
    for a in agencies:
        lang = "ru" if _CYRILLIC.search(a.name) else "en"
        lines += [
            "  - id: {id}".format(id=a.id),
            "    name:",
            "      {lang}: {name}".format(lang=lang, name=_quoted(a.name)),
            "    country: {cc}".format(cc=a.country),
            "    level: national          # national | regional | city | enterprise | other",
        ]
    return "\n".join(lines) + "\n"


PRE_COMMIT = """\
# pre-commit (https://pre-commit.com/): `pre-commit install` once, then every commit that
# touches roadmaps/ runs `roadmap validate` and is refused on errors (see roadmap-cli's
# docs/ci.md). This uses the roadmap command on the PATH: commit where it is found (its .venv
# activated), or the commit is refused with "Executable `roadmap` not found".
repos:
  - repo: local
    hooks:
      - id: roadmap-validate
        name: roadmap validate
        entry: roadmap validate
        language: system
        files: ^roadmaps/.*\\.ya?ml$
        pass_filenames: false
        require_serial: true
"""

WORKFLOW = """\
# GitHub Actions: validate the roadmaps on every push and pull request, and show what a pull
# request changes (see roadmap-cli's docs/ci.md).
name: roadmaps
on:
  pull_request:
    paths: ["roadmaps/**"]
  push:
    branches: [main]
    paths: ["roadmaps/**"]

permissions:
  contents: read

jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 2
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
{install}      - name: Validate
        run: roadmap validate --format github
      - name: What the pull request changes
        if: github.event_name == 'pull_request'
        run: roadmap diff HEAD^1 HEAD --format markdown >> "$GITHUB_STEP_SUMMARY"
"""

#: the install step when `roadmap init` knows a git URL and commit the runner can install from
_INSTALL_PINNED = """\
      - name: Install roadmap-cli
        # the roadmap-cli that wrote this file (roadmap init), pinned at its commit: to upgrade,
        # write a newer tag or commit after the @
        run: pip install "{requirement}"
"""

#: the install step when it does not (installed from a folder, editable, or from an index): it
#: fails with an annotation that says what to do, not with git asking for a password for a
#: made-up URL
_INSTALL_UNSET = """\
      - name: Install roadmap-cli
        # Write here where your organisation keeps roadmap-cli, as a git URL and a tag or commit:
        #   run: pip install "roadmap-cli @ git+https://github.com/ORG/roadmap-cli@v0.1.0"
        # Not `pip install roadmap-cli`: that name on PyPI is another project, not this one.
        run: |
          echo "::error title=roadmap-cli::Set where roadmap-cli is installed from in .github/workflows/roadmaps.yml (the step Install roadmap-cli)"
          exit 1
"""

#: a git URL a runner can clone without credentials, safe inside double quotes in YAML and sh
_SAFE_URL = re.compile(r"https://[A-Za-z0-9.-]+(:[0-9]+)?/[A-Za-z0-9._~/%+-]*\Z")
_COMMIT = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?\Z")


def install_requirement(direct_url: str | None) -> str | None:
    """The pip requirement that installs this roadmap-cli on a CI runner, from the
    ``direct_url.json`` pip records for a package installed from a URL (PEP 610): a git URL over
    https pinned at the commit installed. None for anything else (a local folder, an editable
    install, an index, a URL with credentials): no guess, since the name roadmap-cli on PyPI is
    another project."""
    import json

    if not direct_url:
        return None
    try:
        info = json.loads(direct_url)
    except ValueError:
        return None
    if not isinstance(info, dict):
        return None
    vcs, url = info.get("vcs_info"), info.get("url")
    if not isinstance(vcs, dict) or vcs.get("vcs") != "git" or "subdirectory" in info:
        return None
    commit = vcs.get("commit_id")
    if not isinstance(url, str) or not _SAFE_URL.match(url):
        return None
    if not isinstance(commit, str) or not _COMMIT.match(commit):
        return None
    return f"roadmap-cli @ git+{url}@{commit}"


def workflow(requirement: str | None) -> str:
    """The CI workflow: its install step pinned at ``requirement``, or, without one, a step that
    fails saying where to set it."""
    if requirement is None:
        install = _INSTALL_UNSET
    else:
        install = _INSTALL_PINNED.format(requirement=requirement)
    return WORKFLOW.replace("{install}", install)

GITIGNORE = """\
# What roadmap-cli writes for people, not for the repository: the request workbooks
# (`roadmap request -o out/`) and the report `roadmap report` writes by default. Remove a line to
# keep those files in git. (.roadmap-cache/: where versions before 0.1 kept their cache.)
out/
report.html
.roadmap-cache/
"""
