"""Faults in the workspace: each gets a clear diagnostic (or error line) and the rest keeps working.

Every test starts from the small project of tests/reliability/project.py, whose findings are known
(`BASELINE`), breaks one thing, and checks that (a) nothing raised and no internal error was recorded,
(b) the broken file is reported in words that say what happened, (c) the findings about the other files
are still there, and nothing false appears because of the fault.
"""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stage_lsp.config.project import load_config
from stage_lsp.config.settings import ConfigError
from stage_lsp.core.source import read_source
from stage_lsp.core.text import MAX_FILE_BYTES
from stage_lsp.workspace import Workspace
from tests.conftest import SERVER, run_cli
from tests.reliability.project import API_PLAN, BASELINE, FILES, check, write

ROUTE = "src/pages/api/decks.ts"
# What stays when decks.ts cannot be read: GET and POST /api/decks become unknown (not "missing").
WITHOUT_DECKS = BASELINE - {("SL101", ".ai/api-plan.md", 5)}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write(tmp_path / "project", dict(FILES))


def test_the_project_reports_its_baseline(root: Path) -> None:
    assert check(root).found == BASELINE


def _sl903(checked_messages: list[str], needle: str) -> None:
    assert any(needle in m for m in checked_messages), checked_messages


def test_file_deleted_while_indexed(root: Path) -> None:
    ws = Workspace(root, load_config(root).settings)
    assert check(root, ws).found == BASELINE
    (root / ROUTE).unlink()
    ws.invalidate()
    after = check(root, ws)
    _sl903(after.messages("SL903"), "file not found")
    assert after.found - {("SL903", ROUTE, 0)} == WITHOUT_DECKS


def test_file_that_becomes_a_directory(root: Path) -> None:
    ws = Workspace(root, load_config(root).settings)
    check(root, ws)
    (root / ROUTE).unlink()
    (root / ROUTE).mkdir()
    ws.invalidate()
    after = check(root, ws)
    _sl903(after.messages("SL903"), "cannot read file")
    assert after.found - {("SL903", ROUTE, 0)} == WITHOUT_DECKS


def test_unreadable_file(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission denied on read (simulated: chmod 000 does not stop root)."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "decks.ts":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    real_open = os.open

    def os_open(path: str, *args: int) -> int:  # the one-open fast path of a workspace read
        if str(path).endswith("decks.ts"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "open", os_open)
    after = check(root)
    _sl903(after.messages("SL903"), "cannot read file: Permission denied")
    assert after.found - {("SL903", ROUTE, 0)} == WITHOUT_DECKS


def test_unreadable_file_for_real(root: Path, tmp_path: Path) -> None:
    """chmod 000, checked by a user it applies to (this user when not root; `nobody` via setpriv)."""
    (root / ROUTE).chmod(0)
    if os.geteuid() != 0:
        after = check(root)
        _sl903(after.messages("SL903"), "Permission denied")
        return
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: chmod 000 cannot be tested for real")
    shared = Path(os.environ.get("TMPDIR", "/tmp")) / f"stage-lsp-unreadable-{os.getpid()}"
    shutil.copytree(root, shared / "project", dirs_exist_ok=True)
    as_nobody = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable]
    try:
        os.chmod(shared, 0o755)
        for path in (shared / "project").rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        (shared / "project" / ROUTE).chmod(0)
        probe = subprocess.run(
            [*as_nobody, "-c", "import stage_lsp"], env={"PYTHONPATH": str(SERVER)}, capture_output=True
        )
        if probe.returncode != 0:
            pytest.skip("this Python or the checkout is not readable by `nobody`")
        proc = subprocess.run(
            [*as_nobody, "-m", "stage_lsp", "--check", str(shared / "project"), "--no-cache"],
            env={"PYTHONPATH": str(SERVER)},
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(shared, ignore_errors=True)
    assert proc.returncode == 1, proc.stderr
    assert "SL903" in proc.stdout and "Permission denied" in proc.stdout


def test_symlink_loops(root: Path) -> None:
    (root / "src/pages/api/loop.ts").symlink_to("loop.ts")
    (root / "src/pages/api/a.ts").symlink_to("b.ts")
    (root / "src/pages/api/b.ts").symlink_to("a.ts")
    (root / "src/pages/api/cycle").symlink_to("..", target_is_directory=True)
    (root / ".ai/endpoints").mkdir()
    (root / ".ai/endpoints/loop.md").symlink_to("loop.md")
    (root / ".ai/api-plan.md").write_text(API_PLAN + "\n- [Details](./endpoints/loop.md)\n", encoding="utf-8")
    assert check(root).found == BASELINE  # discovery does not follow links; the linked plan is skipped
    for rel in ("src/pages/api/loop.ts", "src/pages/api/a.ts", ".ai/endpoints/loop.md"):
        src = read_source(root, rel)
        assert (src.text, src.problem) == ("", "a symlink loop; not read")
    assert read_source(root, "src/pages/api/cycle/api/decks.ts").text == FILES[ROUTE]  # inside: read


def test_fifty_megabyte_file(root: Path) -> None:
    big = "// padding\n" * (50 * 1024 * 1024 // 11)
    (root / ROUTE).write_text(big, encoding="utf-8")
    after = check(root)
    _sl903(after.messages("SL903"), "too large to check")
    assert after.found - {("SL903", ROUTE, 0)} == WITHOUT_DECKS


def test_fifty_megabyte_editor_buffer(root: Path) -> None:
    ws = Workspace(root, load_config(root).settings)
    ws.overlays[".ai/api-plan.md"] = "x" * (MAX_FILE_BYTES * 10)
    after = check(root, ws)
    _sl903(after.messages("SL903"), "too large to check")
    assert {c for c, _, _ in after.found} == {"SL903"}  # no plan: nothing is "unplanned"


def test_binary_file_named_ts(root: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    (root / ROUTE).write_bytes(png)
    after = check(root)
    _sl903(after.messages("SL903"), "binary file")
    assert after.found - {("SL903", ROUTE, 0)} == WITHOUT_DECKS


def test_unreadable_migration_leaves_the_schema_unknown(root: Path) -> None:
    """Its tables are not reported missing (SL401), nor its RLS absent: the schema is unknown."""
    migration = "supabase/migrations/20250101000000_init.sql"
    (root / migration).write_bytes(b"\x00\x01binary" * 100)
    after = check(root)
    _sl903(after.messages("SL903"), "binary file")
    assert after.found == BASELINE | {("SL903", migration, 0)}


def test_invalid_utf8_in_a_plan(root: Path) -> None:
    data = API_PLAN.encode().replace(b"the user's decks", b"the user\xff\xfe decks")
    (root / ".ai/api-plan.md").write_bytes(data)
    after = check(root)
    _sl903(after.messages("SL903"), "invalid utf-8")
    assert after.found - {("SL903", ".ai/api-plan.md", 0)} == BASELINE  # the plan is still read


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
def test_utf16_with_bom_and_crlf(root: Path, bom: bytes) -> None:
    codec = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    for rel in (".ai/api-plan.md", ROUTE):
        (root / rel).write_bytes(bom + FILES[rel].replace("\n", "\r\n").encode(codec))
    after = check(root)
    assert after.found == BASELINE  # read as text: same findings on the same lines
    assert not after.messages("SL903")


def test_crlf_everywhere(root: Path) -> None:
    lf = {(v.code, v.location) for v in check(root).violations}
    for rel, text in FILES.items():
        (root / rel).write_bytes(text.replace("\n", "\r\n").encode())
    assert {(v.code, v.location) for v in check(root).violations} == lf  # same ranges too


@pytest.mark.parametrize("plan", [".ai/api-plan.md", ".ai/db-plan.md"])
def test_plan_replaced_by_an_empty_file(root: Path, plan: str) -> None:
    ws = Workspace(root, load_config(root).settings)
    check(root, ws)
    (root / plan).write_text("", encoding="utf-8")
    ws.invalidate()
    after = check(root, ws)
    assert after.messages("SL004") == [
        "The plan is empty: nothing in it is checked (restore it from version control, or remove the file)"
    ]
    if plan == ".ai/api-plan.md":  # nothing is planned: no route is reported as unplanned
        assert after.found == {("SL004", plan, 0)}
    else:
        assert after.found == BASELINE | {("SL004", plan, 0)}


def test_route_file_too_broken_to_parse(root: Path) -> None:
    (root / ROUTE).write_text("export const GET = () => new Response(" + "(" * 50_000, encoding="utf-8")
    after = check(root)
    _sl903(after.messages("SL903"), "too broken to read")
    assert after.found - {("SL903", ROUTE, 0)} == WITHOUT_DECKS


def test_config_file_that_cannot_be_read(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (root / "stage-lsp.toml").write_text('framework = "astro"\n', encoding="utf-8")
    real = Path.read_text

    def read_text(self: Path, *args: object, **kw: object) -> str:
        if self.name == "stage-lsp.toml":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", read_text)
    with pytest.raises(ConfigError, match=r"stage-lsp\.toml: cannot read: Permission denied"):
        load_config(root)


@pytest.mark.parametrize(
    ("config", "names"),
    [
        ("framework = 3\n", "framework"),
        ('framework = "rails"\n', "framework"),
        ("allowed-statuses = [200, 999]\n", "allowed-statuses"),
        ('severity = { SL101 = "fatal" }\n', "severity"),
        ('api-plans = ".ai/api-plan.md"\n', "api-plans"),
        ('ignore = ["E501"]\n', "ignore"),
        ("stage = 'two'\n", "stage"),
        ("frameworkz = 'astro'\n", "frameworkz"),
        ("api-plans = [\n", "invalid TOML"),
        (b"framework = '\xff'\n", "not UTF-8"),
    ],
)
def test_bad_config_value(root: Path, config: str | bytes, names: str) -> None:
    path = root / "stage-lsp.toml"
    path.write_bytes(config if isinstance(config, bytes) else config.encode())
    r = run_cli("--check", str(root), "--no-cache")
    assert r.code == 2
    assert r.err.startswith("stage-lsp: error: stage-lsp.toml") and names in r.err, r.err
    assert "Traceback" not in r.err
    path.unlink()  # the rest keeps working once the value is fixed
    assert run_cli("--check", str(root), "--no-cache").code == 1
