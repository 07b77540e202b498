"""The per-file passes of a cold CLI check (secrets, suppression comments), run in a child forked before
the imports (cli.early_scan): the same results as the workspace's own, files this process never reads
taken as the child read them, the others only for the content the child read, and a child that fails or
hangs costs nothing but the scan done here after all."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from stage_lsp.cli import early_scan
from stage_lsp.cli.early_scan import EarlyScan
from stage_lsp.cli.main import main
from stage_lsp.config.settings import Settings
from stage_lsp.engine.suppressions import find_suppressions
from stage_lsp.workspace import Workspace
from stage_lsp.workspace import workspace as workspace_module
from stage_lsp.workspace.prefetch import prefetch

Make = Callable[[dict[str, str]], Path]

OPENROUTER = "sk-" + "or-v1-" + "7f3c9a1e5b2d4f6a" * 4
GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"

pytestmark = pytest.mark.skipif(
    not early_scan.usable(early_scan.MIN_FILES), reason="needs fork, 2 cores and no other thread"
)


def _project(make: Make) -> Path:
    files = {
        ".ai/api-plan.md": "# API\n\n#### GET /api/keys\n",
        "src/pages/api/keys.ts": f'const KEY = "{OPENROUTER}";\nexport const GET = () => new Response(KEY);\n',
        "src/lib/github.ts": f'// stage-lsp: ignore[SL612] a revoked test token\nexport const token = "{GITHUB}";\n',
        "src/lib/old.ts": "// stage-lsp: ignore[SL101] nothing here to suppress\nexport const old = 1;\n",
        "supabase/migrations/20250101000000_init.sql": "create table keys (id uuid primary key);\n",
    }
    for i in range(30):
        files[f"src/components/c{i}.ts"] = f"export const c{i} = {i};\n"
    return make(files)


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files this process scans itself (the child's scans happen in another process)."""
    seen: list[str] = []
    real = workspace_module.scan_secrets

    def scan(src: object) -> object:
        seen.append(getattr(src, "rel", ""))
        return real(src)  # type: ignore[arg-type]

    monkeypatch.setattr(workspace_module, "scan_secrets", scan)
    monkeypatch.setattr(early_scan, "MIN_FILES", 1)
    return seen


def _started(root: Path) -> tuple[Workspace, EarlyScan]:
    ws = Workspace(root, Settings())
    scan = EarlyScan.start(root, ws.files.scanned_for_secrets())
    assert scan is not None
    return ws, scan


def test_the_childs_results_are_the_workspaces_own_and_no_file_is_read_again(
    make_project: Make, scans: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(make_project)
    plain = Workspace(root, Settings())
    expected = (plain.secrets(), plain.cached_all("suppressions", plain.loaded_files(), find_suppressions))
    assert {f.description for f in expected[0]} == {"an OpenRouter API key", "a GitHub token"}
    assert sum(len(found) for found in expected[1]) == 2  # the two suppression comments
    scans.clear()
    ws, scan = _started(root)
    assert scan.finish(ws) == len(ws.files.scanned_for_secrets())
    reads: list[str] = []
    real_read = workspace_module.read_source
    monkeypatch.setattr(
        workspace_module, "read_source", lambda r, rel, **k: reads.append(rel) or real_read(r, rel, **k)
    )
    assert ws.loaded_files() == plain.loaded_files()  # every file counts as read, by the child
    found = (ws.secrets(), ws.cached_all("suppressions", ws.loaded_files(), find_suppressions))
    assert found == expected
    assert scans == [] and reads == []  # nothing scanned or read again here


def test_the_prefetch_leaves_the_scan_to_the_child(make_project: Make, scans: list[str]) -> None:
    root = _project(make_project)
    expected = Workspace(root, Settings()).secrets()
    scans.clear()
    ws, scan = _started(root)
    prefetch(ws, workers=2, min_reads=1, scan_secrets=False)
    assert scans == []
    assert scan.finish(ws) > 0
    assert ws.secrets() == expected and scans == []


def test_a_file_this_process_reads_uses_the_childs_results_only_for_the_same_content(
    make_project: Make, scans: list[str]
) -> None:
    root = _project(make_project)
    ws, scan = _started(root)
    assert scan.finish(ws) > 0
    (root / "src/pages/api/keys.ts").write_text(
        "export const GET = () => new Response('no key');\n", encoding="utf-8"
    )
    ws.source("src/pages/api/keys.ts")  # read here, as the route pass reads a route file: the new content
    found = ws.secrets()
    assert {f.description for f in found} == {"a GitHub token"}  # the child's finding there is not used
    assert scans == ["src/pages/api/keys.ts"]


def test_a_child_that_dies_leaves_the_scan_to_the_workspace(
    make_project: Make, scans: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(make_project)
    expected = Workspace(root, Settings()).secrets()
    scans.clear()
    monkeypatch.setattr(early_scan, "_scan", lambda *_: os._exit(3))
    ws, scan = _started(root)
    assert scan.finish(ws) == 0
    assert ws.secrets() == expected
    assert len(scans) == len(ws.files.scanned_for_secrets())


def test_a_child_still_busy_at_the_deadline_is_killed(
    make_project: Make, scans: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(make_project)
    monkeypatch.setattr(early_scan, "_scan", lambda *_: time.sleep(60))
    ws, scan = _started(root)
    started = time.monotonic()
    assert scan.finish(ws, wait=0.3) == 0
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):  # reaped: no such child any more
        os.waitpid(scan.pid, os.WNOHANG)
    assert {f.description for f in ws.secrets()} == {"an OpenRouter API key", "a GitHub token"}


def _check(root: Path, *extra: str) -> dict[str, object]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", str(root), "--output-format", "json", *extra])
    assert code in (0, 1)
    result: dict[str, object] = json.loads(out.getvalue())
    return result


def test_the_cli_starts_it_only_when_no_disk_cache_holds_the_scan(
    make_project: Make, scans: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(make_project)
    started: list[int] = []
    real_start = EarlyScan.start.__func__  # type: ignore[attr-defined]

    def start(cls: type[EarlyScan], where: Path, rels: list[str]) -> EarlyScan | None:
        started.append(len(rels))
        return real_start(cls, where, rels)  # type: ignore[no-any-return]

    monkeypatch.setattr(EarlyScan, "start", classmethod(start))
    monkeypatch.setenv("STAGE_LSP_CACHE_DIR", str(root.parent / "cache"))
    without = _check(root, "--no-cache")
    assert len(started) == 1 and scans == []  # the child scanned everything
    first = _check(root)  # no cache yet: started again, and the cache keeps the child's results
    assert len(started) == 2
    (root / "src/components/c0.ts").write_text("export const c0 = 'changed';\n", encoding="utf-8")
    again = _check(root)  # the cache holds the scan: no child; only the changed file is scanned here
    assert len(started) == 2 and scans == ["src/components/c0.ts"]
    monkeypatch.setattr(early_scan, "MIN_FILES", 10**9)  # no child: this process scans everything
    serial = _check(root, "--no-cache")
    assert len(started) == 2
    for result in (without, first, again, serial):
        codes = sorted(d["code"] for d in result["diagnostics"])  # type: ignore[index, union-attr]
        assert codes.count("SL612") == 1 and codes.count("SL901") == 1, codes  # one suppressed, one unused
    assert without["diagnostics"] == first["diagnostics"] == again["diagnostics"] == serial["diagnostics"]


def test_the_child_reads_nothing_outside_the_project(
    make_project: Make, scans: list[str], tmp_path: Path
) -> None:
    """The child reads through the workspace's own safe reader: a path that resolves outside the project
    (discovery never lists one; here the child is handed one) is not read, and its secret not found."""
    root = _project(make_project)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.ts").write_text(f'export const k = "{OPENROUTER}";\n', encoding="utf-8")
    (root / "src/lib/leak.ts").symlink_to(outside / "leak.ts")
    (root / "src/lib/dir").symlink_to(outside, target_is_directory=True)
    ws = Workspace(root, Settings())
    rels = [*ws.files.scanned_for_secrets(), "src/lib/leak.ts", "src/lib/dir/leak.ts", "../outside/leak.ts"]
    assert "src/lib/leak.ts" not in ws.files.scanned_for_secrets()
    scan = EarlyScan.start(root, rels)
    assert scan is not None and scan.finish(ws) == len(rels)
    found = ws.cached_many("secrets", rels, workspace_module.scan_secrets)
    assert sorted(f.location.file for fs in found for f in fs) == [
        "src/lib/github.ts",
        "src/pages/api/keys.ts",
    ]
    assert scans == []  # every answer came from the child


def test_no_child_is_forked_from_a_process_with_other_threads() -> None:
    import threading

    assert early_scan.usable(early_scan.MIN_FILES)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not early_scan.usable(early_scan.MIN_FILES)  # a lock it holds could hang the child
    finally:
        stop.set()
        other.join()
    assert early_scan.usable(early_scan.MIN_FILES)
