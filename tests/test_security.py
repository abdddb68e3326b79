"""Each attack of issue 17, by a pull-request author against the reviewer and CI who run
`roadmap` on the checkout (docs/security.md), as a test on a real git clone.

The origin repository commits the hostile content (symbolic links with ``git add -f``, planted
files, cunning data); the test clones it as a reviewer would and runs the installed command in
the clone, in a subprocess limited to a 2 GiB address space, with a fake home and user cache
folder under tmp_path. Every test asserts what the user sees, the exit code, and that nothing
outside the cache's own entries changed.
"""

from __future__ import annotations

import hashlib
import os
import re
import resource
import shlex
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gitrepo import AGENCIES, MEMO, ROADMAP, Repo

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-22"
SECRET = "AKIA-THE-SECRET-KEY-0123456789"
MEMORY = 2 << 30


def _cap_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


class World:
    """tmp_path as a machine: a home with secrets, the user's cache folder, an origin
    repository written by the attacker, and the clone the victim runs `roadmap` in."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.home = tmp_path / "home"
        (self.home / ".aws").mkdir(parents=True)
        (self.home / ".aws" / "credentials").write_text(f"[default]\nkey: {SECRET}\n", encoding="utf-8")
        (self.home / ".bashrc").write_text("# the victim's shell set-up\n", encoding="utf-8")
        self.xdg = tmp_path / "xdg-cache"
        self.origin = Repo(tmp_path / "origin")
        self.origin.write("roadmaps/agencies.yaml", AGENCIES)
        self.origin.write("roadmaps/kz-by-test.yaml", ROADMAP)
        self.origin.write("roadmaps/astana-minsk-memo.yaml", MEMO)
        self.origin.commit("The roadmaps")
        self.clone = tmp_path / "work" / "clone"

    def link(self, rel: str, target: str) -> None:
        """Commit a symbolic link (forced past .gitignore, as an attacker would)."""
        path = self.origin.path(rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
        self.origin.git("add", "-f", rel)

    def publish(self, message: str = "The pull request") -> Path:
        self.origin.git("add", "-A")
        self.origin.git("commit", "-q", "--allow-empty", "-m", message)
        subprocess.run(["git", "clone", "-q", str(self.origin.root), str(self.clone)], check=True,
                       capture_output=True, env=self.env())
        return self.clone

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ROADMAP_", "GIT_"))}
        env.update(HOME=str(self.home), XDG_CACHE_HOME=str(self.xdg), NO_COLOR="1", COLUMNS="100",
                   PYTHONPATH=str(ROOT), GIT_CONFIG_NOSYSTEM="1",
                   GIT_CEILING_DIRECTORIES=str(self.tmp))
        env.update(extra)
        return env

    def roadmap(self, *args: str, cwd: Path | None = None, timeout: int = 60,
                **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "roadmap_cli", *args], cwd=cwd or self.clone,
            env=self.env(**env), capture_output=True, text=True, timeout=timeout,
            preexec_fn=_cap_memory, check=False,
        )

    def snapshot(self) -> dict[str, tuple[str, int, str]]:
        """Every file and link under tmp_path but the cache's own folder: kind, mode, content."""
        found = {}
        for folder, dirs, files in os.walk(self.tmp):
            if Path(folder) == self.xdg:
                dirs[:] = []
                continue
            for name in dirs + files:
                p = Path(folder) / name
                if p == self.xdg:
                    continue
                st = p.lstat()
                if p.is_symlink():
                    found[str(p)] = ("link", st.st_mode, os.readlink(p))
                elif p.is_file():
                    found[str(p)] = ("file", st.st_mode, hashlib.sha256(p.read_bytes()).hexdigest())
                elif p.is_dir():
                    found[str(p)] = ("dir", st.st_mode, "")
        return found


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def unchanged(world: World, before: dict[str, tuple[str, int, str]]) -> None:
    after = world.snapshot()
    changed = {k for k in before.keys() | after.keys()
               if before.get(k) != after.get(k) and ".git/" not in k and not k.endswith(".git")}
    assert changed == set()


STATUS = ("status", "--as-of", AS_OF, "--format", "json")


# --- 1. the cache: deleting, overwriting, forging -------------------------------------------


@pytest.mark.parametrize("kind", ["units", "loads", "files", "rows"])
@pytest.mark.parametrize("target", ["../roadmaps", "../.."])
def test_a_committed_cache_link_deletes_nothing(world: World, kind: str, target: str) -> None:
    # before: pruning followed .roadmap-cache/loads -> ../roadmaps and deleted 7 of 10 files
    for n in range(12):
        world.origin.write(f"roadmaps/memo-{n:02}.yaml", MEMO.replace("astana-minsk-memo", f"memo-{n:02}"))
    world.link(f".roadmap-cache/{kind}", target)
    world.publish()
    before = world.snapshot()
    for _ in range(3):
        for args in (STATUS, ("validate",), ("overdue", "--as-of", AS_OF)):
            done = world.roadmap(*args)
            assert done.returncode == 0, done.stderr
    unchanged(world, before)


@pytest.mark.parametrize("name", ["CACHEDIR.TAG", ".gitignore", "key"])
def test_a_committed_cache_file_link_writes_nothing(world: World, name: str) -> None:
    # before: .roadmap-cache/CACHEDIR.TAG -> ../../.bashrc was truncated and overwritten
    world.link(f".roadmap-cache/{name}", "../../../home/.bashrc")
    world.link(".roadmap-cache/loads/x", "../../../../planted")  # dangling: would create a file
    world.publish()
    before = world.snapshot()
    assert world.roadmap(*STATUS).returncode == 0
    assert world.roadmap(*STATUS).returncode == 0
    unchanged(world, before)
    assert not (world.tmp / "planted").exists()
    assert (world.home / ".bashrc").read_text(encoding="utf-8") == "# the victim's shell set-up\n"


BROKEN = ROADMAP.replace("status: not_started\n", "status: someday\n", 1)


def test_a_forged_entry_is_never_trusted(world: World) -> None:
    """An entry made with the same salt but without the victim's key (the attacker's own
    machine, the same CI image) does not make an invalid file pass."""
    from roadmap_cli import cache as cache_mod
    from roadmap_cli import load
    from roadmap_cli import sources as sources_mod

    world.origin.write("roadmaps/kz-by-test.yaml", BROKEN)
    clone = world.publish()
    assert world.roadmap("validate").returncode == 1  # fills the victim's cache
    # the attacker computes the victim's entry key for the broken file (it holds no secret)
    # and writes a clean unit under it with a key of his own
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(world.xdg)
    try:
        target = Path(cache_mod.folder_for([str(clone / "roadmaps")]))
        sources = sources_mod.read_sources(sources_mod.find_files([str(clone / "roadmaps")]))
        forger = cache_mod.Cache(str(target))
        forger._secret = b"attacker's own key".ljust(32, b"!")
        forger._ready = lambda folder=None: True  # type: ignore[method-assign]
        from roadmap_cli import schema

        name, data = next((n, d) for n, d in sources.roadmaps if n.endswith("kz-by-test.yaml"))
        assert data is not None
        key = forger.unit_key(name, data, schema.ROADMAP)
        forger.put_unit(name, data, schema.ROADMAP, load.Unit((None, None, None), [], doc=True))
    finally:
        if old is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = old
    assert list((target / "units").glob(key.hex() + ".bin"))
    done = world.roadmap("validate")
    assert done.returncode == 1
    assert "roadmaps/kz-by-test.yaml:21:13: error:" in done.stdout
    assert "'someday' is not one of" in done.stdout


def test_a_cache_folder_in_the_checkout_is_ignored(world: World) -> None:
    """Entries committed in .roadmap-cache/ (where the cache used to live) are never read."""
    world.origin.write(".roadmap-cache/loads/" + "0" * 64 + ".bin", "RMCACHE2" + "x" * 100)
    world.origin.git("add", "-f", ".roadmap-cache")
    world.origin.write("roadmaps/kz-by-test.yaml", BROKEN)
    world.publish()
    before = world.snapshot()
    done = world.roadmap("validate")
    assert done.returncode == 1 and "is not one of" in done.stdout
    unchanged(world, before)


def test_a_cache_folder_that_is_a_link_disables_the_cache_with_one_warning(world: World) -> None:
    world.publish()
    elsewhere = world.tmp / "elsewhere"
    elsewhere.mkdir()
    (world.xdg / "roadmap-cli").parent.mkdir(parents=True)
    (world.xdg / "roadmap-cli").symlink_to(elsewhere)
    before = world.snapshot()
    done = world.roadmap(*STATUS)
    assert done.returncode == 0
    assert done.stderr.count("warning: the cache is not used:") == 1
    assert "is a symbolic link" in done.stderr
    unchanged(world, before)
    assert list(elsewhere.iterdir()) == []


# --- 2. files are read only inside the repository -------------------------------------------


@pytest.mark.parametrize("target", ["/proc/self/environ", "../../../home/.aws/credentials"])
@pytest.mark.parametrize("command", [("validate",), ("validate", "--format", "github"), STATUS,
                                     ("show", "kz-by-test")])
def test_a_link_to_a_secret_is_not_read(world: World, target: str, command: tuple[str, ...]) -> None:
    world.link("roadmaps/x.yaml", target)
    world.publish()
    done = world.roadmap(*command, SECRET_ENV=SECRET)
    assert SECRET not in done.stdout + done.stderr
    if command[0] == "validate":
        assert "this file is a symbolic link to somewhere outside the folder" in done.stdout
    else:
        assert "1 warning in the data" in done.stderr
    assert done.returncode == 0, done.stderr


def test_an_agencies_file_linked_out_is_not_read_nor_shown(world: World) -> None:
    world.origin.git("rm", "-q", "roadmaps/agencies.yaml")
    world.link("roadmaps/agencies.yaml", "../../../home/.aws/credentials")
    world.publish()
    for command in (("validate",), ("status",)):
        done = world.roadmap(*command)
        assert SECRET not in done.stdout + done.stderr and "[default]" not in done.stdout + done.stderr
        assert done.returncode == 1
        assert "roadmaps/agencies.yaml:1:1: error: no agencies.yaml found" in done.stdout + done.stderr


def _completion(world: World, line: str) -> subprocess.CompletedProcess[str]:
    words = line.split(" ")
    return world.roadmap(_ROADMAP_COMPLETE="zsh_complete", COMP_WORDS=line, COMP_CWORD=str(len(words) - 1),
                         timeout=20)


def test_shell_completion_shows_nothing_of_a_file_a_link_leads_out_to(world: World) -> None:
    (world.home / "plans.yaml").write_text(
        ROADMAP.replace("Hold a business forum", f"Secret {SECRET}"), encoding="utf-8")
    world.link("roadmaps/plans.yaml", "../../../home/plans.yaml")
    world.publish()
    done = _completion(world, "roadmap show plans/")
    assert done.returncode == 0, done.stderr
    assert SECRET not in done.stdout and "1.1" not in done.stdout
    assert "Hold a business forum" in _completion(world, "roadmap show kz-by-test/").stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_shell_completion_never_waits_on_a_named_pipe(world: World) -> None:
    world.publish()
    (world.clone / "roadmaps" / "agencies.yaml").unlink()
    os.mkfifo(world.clone / "roadmaps" / "agencies.yaml")
    done = _completion(world, "roadmap overdue --agency kz")  # it hung, reading the pipe
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout + done.stderr


def test_an_unloaded_documents_id_is_never_read_through_a_link_out(tmp_path: Path) -> None:
    from roadmap_cli.workspace import document_id

    (tmp_path / "outside.yaml").write_text("id: kz-by-elsewhere\n", encoding="utf-8")
    (tmp_path / "roadmaps").mkdir()
    (tmp_path / "roadmaps" / "x.yaml").symlink_to("../outside.yaml")
    (tmp_path / "roadmaps" / "y.yaml").write_text("id: kz-by-here\nmeasures: 7\n", encoding="utf-8")
    assert document_id(str(tmp_path / "roadmaps" / "x.yaml")) == "x"
    assert document_id(str(tmp_path / "roadmaps" / "y.yaml")) == "kz-by-here"


def test_a_roadmaps_folder_linked_out_of_the_checkout_is_not_read(world: World) -> None:
    (world.tmp / "outside").mkdir()
    (world.tmp / "outside" / "agencies.yaml").write_text(f"secret: {SECRET}\n", encoding="utf-8")
    world.origin.git("rm", "-rq", "roadmaps")
    world.link("roadmaps", "../../outside")
    world.publish()
    done = world.roadmap("validate")
    assert SECRET not in done.stdout + done.stderr
    assert "roadmaps:1:1: warning: this folder is a symbolic link to somewhere outside" in done.stdout
    assert done.returncode == 1  # and no agencies.yaml: an error


# --- 3. bounded work --------------------------------------------------------------------------


def _monthly_bomb(measures: int = 100) -> str:
    """An 8.6 KB valid-looking file: monthly measures over 1900-2199 (3,600 occurrences each)."""
    lines = [
        "id: kz-by-bomb", "kind: roadmap", "title: {en: Bomb}", "parties: [kz-mic, by-minprom]",
        "signed: {date: 1900-01-01}", "period: {start: 1900-01-01, end: 2199-12-31}", "measures:",
    ]
    for n in range(measures):
        lines += [f'  - id: "{n}"', "    title: {en: x}", "    owners: [kz-mic]",
                  "    due: {every: month}", "    status: in_progress"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "command",
    [("validate",), ("overdue", "--as-of", "2199-12-31"), ("export", "--format", "ics"),
     ("export", "--format", "csv"), ("report", "--as-of", AS_OF, "--format", "html"),
     ("status", "--chart", "--as-of", AS_OF)],
)
def test_a_small_file_of_many_occurrences_is_refused_quickly(world: World, command: tuple[str, ...]) -> None:
    # before: overdue took 116 s and 1.2 GB, export died of MemoryError (exit 4), report and
    # status --chart took 14 s per measure
    world.origin.write("roadmaps/kz-by-bomb.yaml", _monthly_bomb())
    world.publish()
    started = time.monotonic()
    done = world.roadmap(*command, ROADMAP_NO_CACHE="1")
    assert time.monotonic() - started < 20
    assert done.returncode == 1, done.stderr
    located = "roadmaps/kz-by-bomb.yaml:11:10: error: measure 0: it recurs 3,600 times, more than the 600 accepted"
    assert located in done.stdout + done.stderr


def test_many_measures_under_the_limit_are_refused_by_the_load_limit(world: World) -> None:
    text = _monthly_bomb(340).replace("due: {every: month}", "due: {every: month, from: 2100-01, until: 2149-12}")
    world.origin.write("roadmaps/kz-by-bomb.yaml", text)
    world.publish()
    started = time.monotonic()
    done = world.roadmap("overdue", "--as-of", "2199-12-31", ROADMAP_NO_CACHE="1")
    assert time.monotonic() - started < 20
    assert done.returncode == 1
    assert ("error: measure 333: with this measure, the files hold more than 200,000 occurrences of recurring "
            "measures, the most accepted in one run [too-large]") in done.stderr


@pytest.mark.parametrize("command", [("status", "--chart"), ("report", "--format", "html")])
def test_a_burn_up_at_the_limits_is_one_pass(world: World, command: tuple[str, ...]) -> None:
    # before: the burn-up recomputed every occurrence at every point: 14 s per measure
    text = _monthly_bomb(50).replace("due: {every: month}", "due: {every: month, from: 2100-01, until: 2149-12}")
    world.origin.write("roadmaps/kz-by-bomb.yaml", text)
    world.publish()
    started = time.monotonic()
    done = world.roadmap(*command, "--as-of", "2150-06-30", ROADMAP_NO_CACHE="1")
    assert time.monotonic() - started < 20
    assert done.returncode == 0, done.stderr
    assert "Bomb" in done.stdout


_PEAK = """
import resource, sys
from roadmap_cli.cli import main
try:
    main(sys.argv[1:])
except SystemExit as e:
    code = e.code
try:  # this process's own high-water mark (ru_maxrss keeps the forking parent's across exec)
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("PEAK", peak, file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize("command", [("diff", "HEAD~2", "HEAD~1", "--format", "json"),
                                     ("history", "kz-by-test/1.1", "--format", "json"),
                                     ("stale", "--format", "json")])
def test_a_git_blob_bomb_is_never_read(world: World, command: tuple[str, ...]) -> None:
    # before: a 78 KB pack of blobs expanding to 500 MB made diff and history peak at 1.1 GB
    size = 256 << 20
    sha = subprocess.run(
        f"head -c {size} /dev/zero | git hash-object -w --stdin", shell=True, cwd=world.origin.root,
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    world.origin.git("update-index", "--add", "--cacheinfo", f"100644,{sha},roadmaps/big.yaml")
    world.origin.git("commit", "-q", "-m", "A big file")
    world.origin.git("rm", "-q", "--cached", "roadmaps/big.yaml")
    world.publish("The big file removed")
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, *command], cwd=world.clone, env=world.env(ROADMAP_NO_CACHE="1"),
        capture_output=True, text=True, timeout=60, preexec_fn=_cap_memory, check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    peak_kib = int(done.stderr.rsplit("PEAK ", 1)[1])
    assert peak_kib < 200 * 1024, peak_kib
    if command[0] == "diff":
        assert "big.yaml:1:1: error: the file is larger than 4,194,304 bytes" in done.stdout + done.stderr


# --- git: a repository inside the checkout ----------------------------------------------------


@pytest.mark.parametrize("command", [
    ("stale", "roadmaps"), ("diff", "--dir", "roadmaps", "HEAD"), ("diff", "--dir", "roadmaps", "HEAD~1", "HEAD"),
    ("history", "--dir", "roadmaps", "kz-by-test/1.1"), ("diff", "HEAD", "@inside"),
])
def test_a_bare_repository_committed_in_the_folder_runs_nothing(world: World, command: tuple[str, ...]) -> None:
    """A pull request commits HEAD, refs/, objects/ and a config into roadmaps/: git took the
    folder for a repository of its own, read that config, and ran its promisor remote's
    upload-pack command when an object was missing (found by an audit). Now such a folder is
    refused (exit 2) and nothing runs."""
    marker = world.tmp / "PWNED"
    world.origin.write("roadmaps/HEAD", "ref: refs/heads/main\n")
    world.origin.write("roadmaps/refs/heads/main", "1" * 40 + "\n")
    world.origin.write("roadmaps/objects/info/keep", "")
    world.origin.write("roadmaps/config", (
        "[core]\n\trepositoryformatversion = 1\n\tbare = false\n\tworktree = .\n"
        "[extensions]\n\tpartialClone = origin\n"
        f'[remote "origin"]\n\turl = {world.tmp}\n\tpromisor = true\n'
        f'\tuploadpack = "touch {marker}; false"\n'))
    world.publish()
    args, cwd = command, None
    if command[-1] == "@inside":
        args, cwd = command[:-1], world.clone / "roadmaps"
    done = world.roadmap(*args, cwd=cwd)
    assert not marker.exists()
    assert done.returncode == 2, done.stdout + done.stderr
    assert "holds a git repository of its own" in done.stderr and "Traceback" not in done.stderr


# --- 4. outputs that cannot be turned against their reader -----------------------------------

ESC = "\\e]8;;https://evil.example\\e\\\\click\\e]8;;\\e\\\\\\e[31mRED\\e[2J\\x9b31m\\a"
CONTROLS = ("\x1b", "\x07", "\x9b", "\x08")


def test_escape_sequences_never_reach_a_ci_log(world: World) -> None:
    """``validate --format github``: a message quoting a value, and a file's name, carry no
    control character into the workflow commands (a CI log is shown in a terminal too)."""
    world.origin.write("roadmaps/kz-by-test.yaml", ROADMAP.replace(
        "    progress: 50\n", '    progress: 50\n    notes: "a note"\n').replace(
        "status: in_progress", f'status: "in {ESC}progress"', 1))
    world.origin.write("roadmaps/x\x1b]0;pwned\x07.yaml", "id: [\n")
    world.origin.git("add", "-A")
    world.origin.git("commit", "-q", "-m", "hostile")
    world.publish()
    done = world.roadmap("validate", "--format", "github")
    assert done.returncode == 1, done.stderr
    assert done.stdout.count("::error file=") >= 2
    assert not [c for c in CONTROLS if c in done.stdout + done.stderr]


def _hostile_texts(world: World) -> None:
    world.origin.write("roadmaps/agencies.yaml", AGENCIES.replace("name: {en: MAZ}", f'name: {{en: "MAZ {ESC}"}}'))
    world.origin.write("roadmaps/kz-by-test.yaml", ROADMAP.replace(
        "title: {en: Hold a business forum, ru: Провести бизнес-форум}",
        f'title: {{en: "Hold a forum {ESC}", ru: Провести бизнес-форум}}',
    ).replace("    progress: 50\n", f'    progress: 50\n    notes: "a note {ESC}"\n'))
    world.origin.git("add", "-A")
    world.origin.git("commit", "-q", "-m", "Subject \x1b]0;retitled\x07 \x1b[31mred",
                     author=("Mallory \x1b[2J\x1b]8;;https://evil.example\x1b\\", "m@example.org"))


@pytest.mark.parametrize(
    "command",
    [("status", "--as-of", AS_OF), ("show", "kz-by-test", "--as-of", AS_OF),
     ("show", "kz-by-test/1.1", "--as-of", AS_OF), ("agencies", "--as-of", AS_OF),
     ("overdue", "--as-of", AS_OF), ("upcoming", "--as-of", "2026-04-01"),
     ("diff", "HEAD~1", "HEAD"), ("history", "kz-by-test/1.1"),
     ("history", "kz-by-test/1.1", "--format", "json"), ("status", "--format", "json"),
     ("export", "--format", "ics"), ("validate",),
     # the text formats a terminal shows too (they carried the escapes as written)
     ("show", "kz-by-test/1.1", "--as-of", AS_OF, "--format", "markdown"),
     ("show", "kz-by-test", "--as-of", AS_OF, "--format", "csv"),
     ("export", "--format", "csv"), ("overdue", "--as-of", AS_OF, "--format", "markdown"),
     ("agencies", "--as-of", AS_OF, "--format", "csv"), ("agencies", "--as-of", AS_OF, "--format", "markdown"),
     ("report", "--as-of", AS_OF, "--format", "markdown", "-o", "-")],
)
def test_escape_sequences_in_data_never_reach_the_terminal(world: World, command: tuple[str, ...]) -> None:
    _hostile_texts(world)
    world.publish()
    done = world.roadmap(*command)
    assert done.returncode == 0, done.stderr
    shown = done.stdout + done.stderr
    assert not [c for c in CONTROLS if c in shown]
    if command[:2] == ("show", "kz-by-test/1.1") and "--format" not in command:
        assert "Hold a forum ]8;;https://evil.example" in shown  # the text is shown, its controls not


#: the bidirectional embeddings, overrides and isolates: U+202E turns the rest of the line
#: (figures, the table's border) right to left on the reader's screen
BIDI = ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069")


@pytest.mark.parametrize(
    "command",
    [("status", "--as-of", AS_OF), ("show", "kz-by-test", "--as-of", AS_OF),
     ("show", "kz-by-test/1.1", "--as-of", AS_OF), ("agencies", "--as-of", AS_OF),
     ("overdue", "--as-of", AS_OF), ("history", "kz-by-test/1.1"), ("validate",),
     ("status", "--format", "json"), ("export", "--format", "csv"),
     ("overdue", "--as-of", AS_OF, "--format", "markdown"), ("export", "--format", "ics")],
)
def test_bidi_overrides_in_data_never_reach_the_terminal(world: World, command: tuple[str, ...]) -> None:
    """A title's U+202E (RIGHT-TO-LEFT OVERRIDE) reached the terminal raw and showed the rest of
    the row reversed: the figures after it read backwards (found by a terminal audit)."""
    world.origin.write("roadmaps/agencies.yaml", AGENCIES.replace(
        "name: {en: MAZ}", 'name: {en: "MAZ \\u202e\\u2066isolate\\u2069"}'))
    world.origin.write("roadmaps/kz-by-test.yaml", ROADMAP.replace(
        "title: {en: Hold a business forum, ru: Провести бизнес-форум}",
        'title: {en: "Hold a \\u202eforum\\u202c \\u202a\\u202b\\u202d\\u2067\\u2068", ru: Провести бизнес-форум}',
    ))
    world.origin.git("add", "-A")
    world.origin.git("commit", "-q", "-m", "Subject \u202ereversed\u202c",
                     author=("Mallory \u202eyrollaM", "m@example.org"))
    world.publish()
    done = world.roadmap(*command)
    assert done.returncode == 0, done.stderr
    shown = done.stdout + done.stderr
    assert not [c for c in BIDI if c in shown]
    if command[:2] == ("show", "kz-by-test/1.1"):
        assert "Hold a forum" in shown  # the text is shown, its controls not


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("kind", ["fifo", "link", "device", "folder"])
def test_output_refuses_what_is_not_a_regular_file(world: World, kind: str) -> None:
    # before: a FIFO, a device node (/dev/null as root) or a link was replaced by a file
    world.publish()
    victim = world.tmp / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    target = world.tmp / f"target-{kind}"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "link":
        target.symlink_to(victim)
    elif kind == "folder":
        target.mkdir()
    elif os.geteuid() == 0:
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    else:
        pytest.skip("only root can make a device node")
    before = world.snapshot()
    for command in (("export", "--format", "csv"), ("report", "--as-of", AS_OF, "--format", "markdown")):
        done = world.roadmap(*command, "-o", str(target))
        assert done.returncode == 2
        assert "not a regular file" in done.stderr or "it is a folder" in done.stderr
    unchanged(world, before)


@pytest.mark.parametrize("command", [
    ("export", "-o", "reports/x.ics"), ("report", "--as-of", AS_OF, "-o", "reports/r.html"),
    ("request", "--agency", "kz-mic", "--as-of", AS_OF, "-o", "reports"),
])
def test_output_through_a_committed_folder_link_is_refused(world: World, command: tuple[str, ...]) -> None:
    """A committed link `reports -> /elsewhere` made `-o reports/r.html` write (or overwrite,
    keeping its mode) a file outside the checkout (found by a security audit)."""
    outside = world.tmp / "outside"
    outside.mkdir()
    (outside / "r.html").write_text("keep me\n", encoding="utf-8")
    world.link("reports", str(outside))
    world.publish()
    done = world.roadmap(*command)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "leads outside the current folder through a symbolic link" in done.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["r.html"]
    assert (outside / "r.html").read_text(encoding="utf-8") == "keep me\n"


def test_outside_a_checkout_a_linked_folder_is_the_users_own(world: World) -> None:
    """Only in a checkout (where links may come from a pull request) is a folder that a link
    leads out refused: a user's own `Documents -> /mnt/data/Documents` stays writable."""
    world.publish()
    home = world.tmp / "plain"
    home.mkdir()
    target = world.tmp / "elsewhere"
    target.mkdir()
    (home / "Documents").symlink_to(target)
    done = world.roadmap("export", "-o", "Documents/x.ics", str(world.clone / "roadmaps"), cwd=home)
    assert done.returncode == 0, done.stderr
    assert (target / "x.ics").exists()


def test_new_into_a_roadmaps_folder_linked_out_is_refused(world: World) -> None:
    outside = world.tmp / "outside"
    outside.mkdir()
    (outside / "agencies.yaml").write_text(AGENCIES, encoding="utf-8")
    world.publish()
    shutil.rmtree(world.clone / "roadmaps")
    (world.clone / "roadmaps").symlink_to(outside)
    done = world.roadmap("new", "kz-by-x-2026-2027", "--party", "kz-mic,by-minprom", "--period", "2026-2027")
    assert done.returncode == 2, done.stdout + done.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["agencies.yaml"]


def test_a_file_named_through_a_folder_link_out_is_not_read(world: World) -> None:
    """`validate roadmaps/sub/creds.yaml` with a committed `roadmaps/sub -> /elsewhere` read
    the file and printed its lines under its errors (found by a security audit)."""
    secret = world.tmp / "secret"
    secret.mkdir()
    (secret / "creds.yaml").write_text(f"id: {SECRET}\n", encoding="utf-8")
    world.link("roadmaps/sub", str(secret))
    world.publish()
    done = world.roadmap("validate", "roadmaps/sub/creds.yaml")
    assert SECRET not in done.stdout + done.stderr
    assert "[not-a-file]" in done.stdout + done.stderr


def test_output_keeps_the_mode_of_the_file_it_replaces(world: World) -> None:
    world.publish()
    target = world.tmp / "private.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o600)
    assert world.roadmap("export", "--format", "csv", "-o", str(target)).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("roadmap,measure,")


def test_ics_text_carries_no_control_characters(world: World) -> None:
    _hostile_texts(world)
    world.publish()
    done = subprocess.run([sys.executable, "-m", "roadmap_cli", "export", "--format", "ics"],
                          cwd=world.clone, env=world.env(), capture_output=True, check=False)
    assert done.returncode == 0
    body = done.stdout.replace(b"\r\n", b"\n")
    assert not [b for b in body if b < 0x20 and b not in (0x0A, 0x09)]
    assert b"\x1b" not in body and "\u009b".encode() not in body
    assert b"Hold a forum" in body


def test_a_file_name_that_is_not_utf8_is_shown_escaped(world: World) -> None:
    # before: validate and status --format json died with exit 4
    name = os.fsencode(str(world.origin.root / "roadmaps")) + b"/kz-\xff.yaml"
    with open(name, "wb") as f:
        f.write(MEMO.replace("astana-minsk-memo", "kz-odd").encode())
    world.publish()
    for command in (("validate",), ("validate", "--format", "json"), ("validate", "--format", "github"),
                    ("status", "--format", "json", "--as-of", AS_OF), ("status", "--format", "csv", "--as-of", AS_OF),
                    ("status", "--as-of", AS_OF)):
        done = world.roadmap(*command)
        assert done.returncode == 0, (command, done.stderr)
        if command[0] == "validate" or "--format" in command:
            assert "kz-\\xff.yaml" in done.stdout.replace("\\\\", "\\"), command


@pytest.mark.parametrize(
    ("how", "code", "message"),
    [("full", 3, "roadmap: cannot write the output: No space left on device\n"),
     ("closed", 3, "roadmap: cannot write the output: standard output is closed\n"),
     ("pipe", 0, "")],
)
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_output_errors_are_not_bugs_and_not_data_errors(world: World, how: str, code: int, message: str, fmt: str) -> None:
    # before: a full disk or closed stdout was exit 4, a broken pipe on a table exit 1
    for n in range(40):
        world.origin.write(f"roadmaps/memo-{n:02}.yaml", MEMO.replace("astana-minsk-memo", f"memo-{n:02}"))
    world.publish()
    args = [sys.executable, "-m", "roadmap_cli", "overdue", "--as-of", "2029-01-01", "--format", fmt]
    env = world.env(ROADMAP_NO_CACHE="1")
    if how == "full":
        if not os.path.exists("/dev/full"):
            pytest.skip("no /dev/full here")
        with open("/dev/full", "w") as full:
            done = subprocess.run(args, cwd=world.clone, env=env, stdout=full, stderr=subprocess.PIPE,
                                  text=True, check=False, timeout=60)
    elif how == "closed":
        done = subprocess.run(args, cwd=world.clone, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, check=False, timeout=60, preexec_fn=lambda: os.close(1))
    else:
        proc = subprocess.Popen(args, cwd=world.clone, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()
        err = proc.stderr.read().decode()
        proc.stderr.close()
        proc.wait(timeout=60)
        done = subprocess.CompletedProcess(args, proc.returncode, "", err)
    assert (done.returncode, done.stderr) == (code, message)


@pytest.mark.parametrize(
    ("encoding", "args"),
    [("ascii", ["overdue", "--lang", "ru"]), ("ascii", ["status", "--lang", "ru", "--format", "json"]),
     ("latin-1", ["upcoming", "--lang", "ru", "--format", "markdown"]),
     ("ascii", ["status", "--lang", "ru", "--format", "csv"])],
)
@pytest.mark.parametrize("colour", [False, True])
def test_an_output_whose_encoding_cannot_hold_the_text_says_so(
    shipped_copy: Path, encoding: str, args: list[str], colour: bool
) -> None:
    """Russian text on a standard output in ASCII or Latin-1 (a terminal or pipe in another
    encoding): a message that says which character and how to fix it, exit 3; before, exit 4
    as a bug. In a code page that has Cyrillic (cp1251) the same command writes its output."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "ROADMAP_NO_CACHE": "1"}
    env.pop("NO_COLOR", None)
    env.pop("FORCE_COLOR", None)
    if colour:
        env["FORCE_COLOR"] = "1"
    run = [sys.executable, "-m", "roadmap_cli", *args, "--as-of", "2026-11-28", "roadmaps"]
    done = subprocess.run(run, cwd=shipped_copy, env=env, capture_output=True, check=False, timeout=120)
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 3, stderr
    assert f"({encoding})" in stderr and "PYTHONIOENCODING=utf-8" in stderr
    assert "internal error" not in stderr and "внутренняя ошибка" not in stderr
    done = subprocess.run(run, cwd=shipped_copy, env={**env, "PYTHONIOENCODING": "cp1251"},
                          capture_output=True, check=False, timeout=120)
    assert done.returncode == 0 and done.stdout.decode("cp1251")


def test_remind_days_out_of_range_is_a_usage_error(world: World) -> None:
    world.publish()
    done = world.roadmap("export", "--remind-days", "99999999999")
    assert done.returncode == 2 and "99999999999 is not in the range 0<=x<=366" in done.stderr


def test_extreme_numbers_never_print_nan_or_inf(world: World) -> None:
    world.origin.write("roadmaps/kz-by-test.yaml", ROADMAP.replace("    progress: 50\n", (
        "    progress: 50\n    indicators:\n      - {id: i1, title: {en: Trade}, target: 1e308, "
        "baseline: -1e308, actuals: [{date: 2026-05-01, value: 1e308}]}\n")))
    world.publish()
    for command in (("show", "kz-by-test/1.1"), ("show", "kz-by-test"), ("indicators",),
                    ("indicators", "--format", "json"), ("report", "--format", "html"),
                    ("report", "--format", "markdown"), ("export", "--format", "json")):
        done = world.roadmap(*command, "--as-of", AS_OF)
        assert done.returncode == 0, done.stderr
        words = set(re.findall(r"[A-Za-z]+", done.stdout.lower()))
        assert not words & {"nan", "inf", "infinity"}, command
    assert "100.0%" in world.roadmap("indicators", "--as-of", AS_OF).stdout


def test_update_keeps_an_explicit_tag(world: World) -> None:
    world.origin.write("roadmaps/kz-by-test.yaml", ROADMAP.replace('    due: "2027"\n', "    due: !!str 2027\n"))
    clone = world.publish()
    assert world.roadmap("update", "kz-by-test/1.4", "--due", "2028").returncode == 0
    assert '    due: !!str "2028"\n' in (clone / "roadmaps" / "kz-by-test.yaml").read_text(encoding="utf-8")


# --- 5. validation: sound, and the same answer in every command ------------------------------

FLOATS = {
    "progress: 70.0": ("    progress: 50\n", "    progress: 70.0\n"),
    "grace: 15.0": ("grace: 15}", "grace: 15.0}"),
    "due: 2026.0": ('    due: "2027"\n', "    due: 2027.0\n"),
    "from: 2026.0": ("from: 2026-Q1,", "from: 2026.0,"),
}


@pytest.mark.parametrize("case", list(FLOATS))
def test_whole_numbers_written_as_floats_are_the_whole_number_everywhere(world: World, case: str) -> None:
    # before: progress: 70.0 passed validate, then status, agencies, show, report and CSV export
    # died with exit 4; grace: 15.0, due: 2026.0 and from: 2026.0 crashed validate itself
    old, new = FLOATS[case]
    world.origin.write("roadmaps/kz-by-test.yaml", ROADMAP.replace(old, new))
    world.publish()
    for command in (("validate",), ("status",), ("agencies",), ("show", "kz-by-test/1.1"),
                    ("report", "--format", "markdown"), ("export", "--format", "csv"), ("overdue",)):
        extra = () if command[0] == "validate" else ("--as-of", AS_OF)
        done = world.roadmap(*command, *extra)
        assert done.returncode == 0, (command, done.stderr)
    if case == "progress: 70.0":
        assert ",70," in world.roadmap("export", "--format", "csv", "--as-of", AS_OF).stdout


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [('  - id: "1.2"\n', '  - id: "1.2\\n"\n', "16:9"),
     ('  - id: "1.2"\n', '  - id: |\n      1.2\n', "16:9"),
     ("    country: KZ\n", '    country: "KZ\\n"\n', "4:14")],
)
def test_a_value_ending_in_a_newline_fails_as_check_jsonschema_says(world: World, old: str, new: str, where: str) -> None:
    # before: Python's $ matched before a final newline: roadmap validate passed these
    file = "agencies.yaml" if "country" in old else "kz-by-test.yaml"
    text = AGENCIES if "country" in old else ROADMAP
    world.origin.write(f"roadmaps/{file}", text.replace(old, new, 1))
    world.publish()
    done = world.roadmap("validate")
    assert done.returncode == 1
    assert f"roadmaps/{file}:{where}: error:" in done.stdout and "[schema-pattern]" in done.stdout


def test_a_deleted_working_folder_is_a_clear_message(world: World) -> None:
    world.publish()
    gone = world.tmp / "gone"
    gone.mkdir()
    # quoted: a checkout's path may hold spaces (a CI job named "roadmap cli")
    folder, python = shlex.quote(str(gone)), shlex.quote(sys.executable)
    done = subprocess.run(
        f"cd {folder} && rmdir {folder} && {python} -m roadmap_cli status", shell=True,
        env=world.env(), capture_output=True, text=True, check=False, timeout=60,
    )
    assert (done.returncode, done.stderr) == (2, "roadmap: the current folder no longer exists (it was "
                                              "deleted or moved); change to a folder and run again\n")


def test_a_temporary_file_is_new_private_and_never_a_planted_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """safewrite makes its temporary file as tempfile.mkstemp would: a new file of mode 0600 in
    the output's folder; a name that exists (here a link planted under the name drawn first)
    is passed over, never opened, and its target stays as it was."""
    from roadmap_cli import safewrite

    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    drawn = iter([b"\x01" * 6, b"\x02" * 6])
    monkeypatch.setattr(os, "urandom", lambda n: next(drawn))
    (folder / f".roadmap-{'01' * 6}.tmp").symlink_to(outside)
    fd, path = safewrite._new_temporary(str(folder))
    os.write(fd, b"new")
    os.close(fd)
    assert path == str(folder / f".roadmap-{'02' * 6}.tmp")
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600
    assert outside.read_text(encoding="utf-8") == "keep"
