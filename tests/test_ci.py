"""CI integration: the pre-commit hook definition, the GitHub Actions workflow in docs/ci.md (its
roadmap commands run on a real pull-request-like merge commit), the package as pre-commit
installs it, and the schemas with check-jsonschema (when installed)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from gitrepo import AGENCIES, Repo, isolate, run, seeded

ROOT = Path(__file__).resolve().parents[1]
DOC = "roadmaps/kz-by-test.yaml"


def _checker() -> str | None:
    """check-jsonschema on PATH, or installed next to this Python (the test venv)."""
    beside = Path(sys.executable).parent / "check-jsonschema"
    return shutil.which("check-jsonschema") or (str(beside) if beside.exists() else None)


CHECKER = _checker()


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["roadmap-validate"]
    hook = hooks[0]
    assert hook["entry"] == "roadmap validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False  # agencies.yaml and the other documents are needed
    files = re.compile(hook["files"])
    for path in ("roadmaps/agencies.yaml", "roadmaps/kz-by-test.yaml", "roadmaps/x.yml"):
        assert files.search(path), path
    for path in ("docs/x.yaml", "README.md", "roadmaps/notes.txt", "schemas/roadmap.schema.json"):
        assert not files.search(path), path


def test_every_package_is_installed_by_a_plain_install() -> None:
    # pre-commit (language: python) installs the repository with `pip install .`, not -e
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "roadmap_cli").rglob("__init__.py")
    }
    assert found <= listed


def _workflow() -> dict:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    [workflow] = [b for b in blocks if "jobs:" in b]
    return yaml.safe_load(workflow)


def _roadmap_commands(workflow: dict) -> list[list[str]]:
    commands = []
    for step in workflow["jobs"]["check"]["steps"]:
        for line in step.get("run", "").splitlines():
            line = line.strip()
            if line.startswith("roadmap "):
                argv = shlex.split(line.split(">")[0])
                commands.append(argv[1:])
    return commands


def test_workflow_commands_run_on_a_pull_request_merge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, tmp_path)
    workflow = _workflow()
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    commands = _roadmap_commands(workflow)
    assert commands == [
        ["validate", "--format", "github"],
        ["diff", "HEAD^1", "HEAD", "--format", "markdown"],
    ]
    # the merge commit GitHub checks out for a pull request: first parent = the base branch
    repo = seeded(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "pr")
    repo.edit(DOC, "due: 2026-Q2", "due: 2026-12")
    repo.commit("Slip 1.1", date="2026-02-01T10:00:00+05:00")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #1", "pr", date="2026-02-02T10:00:00+05:00")
    monkeypatch.chdir(repo.root)
    validate, diff = (run(*argv) for argv in commands)
    assert (validate.code, validate.out) == (0, "3 files checked: no problems.\n")
    assert diff.code == 0
    assert diff.out.startswith("**1 deadline moved later by 184 days.**\n\nRoadmap changes from `HEAD^1` to `HEAD`.\n")
    assert "| 1.1 | changed | due | 2026-Q2 | 2026-12 | +184 d |" in diff.out
    gate = run("diff", "HEAD^1", "HEAD", "--fail-on-slip", "--format", "json")
    assert gate.code == 1


def test_validate_annotations_for_github(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, tmp_path)
    repo = Repo(tmp_path / "repo")
    repo.write("roadmaps/agencies.yaml", AGENCIES)
    monkeypatch.chdir(repo.root)
    repo.write(DOC, "id: kz-by-test\nkind: roadmap\n")
    res = run("validate", "--format", "github")
    assert res.code == 1
    assert res.out.startswith("::error file=roadmaps/kz-by-test.yaml,line=1,col=1,")
    # a step with working-directory: roadmaps: the file is still named from the checkout's
    # root, where GitHub places the annotation
    monkeypatch.setenv("GITHUB_WORKSPACE", str(repo.root))
    monkeypatch.chdir(repo.root / "roadmaps")
    res = run("validate", "--format", "github")
    assert res.code == 1
    assert res.out.startswith("::error file=roadmaps/kz-by-test.yaml,line=1,col=1,"), res.out


@pytest.mark.slow
@pytest.mark.skipif(CHECKER is None, reason="check-jsonschema is not installed")
def test_shipped_roadmaps_pass_check_jsonschema() -> None:
    folder = ROOT / "roadmaps"
    documents = sorted(str(p) for p in folder.glob("*.yaml") if p.name != "agencies.yaml")
    assert documents
    for schema, files in (
        ("roadmap.schema.json", documents),
        ("agencies.schema.json", [str(folder / "agencies.yaml")]),
    ):
        proc = subprocess.run(
            [str(CHECKER), "--schemafile", str(ROOT / "schemas" / schema), *files],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
@pytest.mark.skipif(CHECKER is None, reason="check-jsonschema is not installed")
def test_check_jsonschema_rejects_a_bad_document(tmp_path: Path) -> None:
    source = next(p for p in sorted((ROOT / "roadmaps").glob("*.yaml")) if p.name != "agencies.yaml")
    bad = tmp_path / source.name
    bad.write_text(re.sub(r"status: \w+", "status: finished", source.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    proc = subprocess.run(
        [str(CHECKER), "--schemafile", str(ROOT / "schemas" / "roadmap.schema.json"), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "'finished' is not one of" in proc.stdout


def test_validate_given_files_counts_the_registry_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # as a hook with the commit's files passes them (pass_filenames: true, or args): the
    # registry named and also found beside the document named before it was counted twice
    isolate(monkeypatch, tmp_path)
    repo = seeded(tmp_path / "repo")
    monkeypatch.chdir(repo.root)
    for args, files in (([DOC, "roadmaps/agencies.yaml"], 2), (["roadmaps/agencies.yaml", DOC], 2),
                        (["roadmaps", "./roadmaps/agencies.yaml"], 3)):
        res = run("validate", *args)
        assert (res.code, res.out) == (0, f"{files} files checked: no problems.\n"), args
