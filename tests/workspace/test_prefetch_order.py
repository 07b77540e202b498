"""How the CLI's prefetch shares the reads (workspace.prefetch): what the pool is handed, in which
order, and what this process does while the route pass waits for a module in the pool's hands.

The pool is replaced by an executor in this process, so that the order of the batches and their
timing are the test's to decide."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, ClassVar

import pytest

from stage_lsp.config.settings import Settings
from stage_lsp.workspace import Workspace
from stage_lsp.workspace import prefetch as prefetch_module
from stage_lsp.workspace.cache import DiskCache
from stage_lsp.workspace.prefetch import can_fork, prefetch

Make = Callable[[dict[str, str]], Path]


def _project(make: Make, routes: int = 12, migrations: int = 20) -> Path:
    files = {
        ".ai/api-plan.md": "# API\n\n#### GET /api/decks\n\n#### POST /api/decks\n",
        ".ai/db-plan.md": "# DB\n\n## decks\n\n| column | type |\n|---|---|\n| id | uuid |\n",
        "src/db/database.types.ts": (
            "export type Database = { public: { Tables: { decks: { Row: { id: string } } } } };\n"
        ),
        "src/lib/http.ts": "export const ok = (b: unknown) => new Response(JSON.stringify(b), { status: 200 });\n",
    }
    for i in range(routes):
        files[f"src/lib/s{i}.service.ts"] = (
            f"import {{ ok }} from '../lib/http';\nexport const run{i} = () => ok({{}});\n"
        )
        files[f"src/pages/api/r{i}.ts"] = (
            f"import {{ run{i} }} from '../../lib/s{i}.service';\nexport const GET = async () => run{i}();\n"
        )
    for i in range(migrations):
        files[f"supabase/migrations/2025010100{i:04d}_m{i}.sql"] = (
            f"create table t{i} (id uuid primary key);\nalter table t{i} enable row level security;\n"
        )
    return make(files)


class _InProcess:
    """An executor in this process: `answer` decides whether a batch is run at once or never."""

    batches: ClassVar[list[list[str]]] = []
    answer = True

    def __init__(self, *_: Any, **__: Any) -> None:
        pass

    def __enter__(self) -> _InProcess:
        return self

    def __exit__(self, *_: Any) -> None:
        pass

    def submit(self, fn: Callable[..., Any], arg: list[Any]) -> Future[Any]:
        jobs = prefetch_module._JOBS
        readers = [jobs[i].reader if isinstance(i, int) else "routes" for i in arg]
        type(self).batches.append(readers)
        future: Future[Any] = Future()
        if type(self).answer:
            future.set_result(fn(arg))
        return future


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> type[_InProcess]:
    monkeypatch.setattr(prefetch_module, "ProcessPoolExecutor", _InProcess)
    _InProcess.batches = []
    _InProcess.answer = True
    return _InProcess


@pytest.mark.skipif(not can_fork(), reason="fork-based prefetch needs Linux")
def test_the_pool_reads_the_migrations_after_everything_else(
    make_project: Make, in_process: type[_InProcess]
) -> None:
    root = _project(make_project)
    serial = Workspace(root, Settings())
    expected = (serial.plan(), serial.code())
    ws = Workspace(root, Settings())
    assert prefetch(ws, workers=2, min_reads=1) > 0
    order = [reader for batch in in_process.batches for reader in batch]
    assert "migration" in order and "api-plan" in order
    first_migration = order.index("migration")
    assert all(reader == "migration" for reader in order[first_migration:])  # nothing after them
    assert (ws.plan(), ws.code()) == expected


@pytest.mark.skipif(not can_fork(), reason="fork-based prefetch needs Linux")
def test_the_route_pass_never_waits_for_a_module_the_pool_holds(
    make_project: Make, in_process: type[_InProcess], monkeypatch: pytest.MonkeyPatch, stepped: list[str]
) -> None:
    """A pool that never answers: every module the pass needs is in its hands, and this process reads
    each one itself instead of waiting, so the pass steps through every route file."""
    root = _project(make_project, migrations=0)
    expected = Workspace(root, Settings()).code()
    in_process.answer = False
    monkeypatch.setattr(prefetch_module, "RESULT_TIMEOUT_S", 0.2)
    ws = Workspace(root, Settings())
    prefetch(ws, workers=2, min_reads=1)
    assert sorted(stepped) == sorted(f"src/pages/api/r{i}.ts" for i in range(12))
    assert ws.code() == expected


@pytest.mark.skipif(not can_fork(), reason="fork-based prefetch needs Linux")
def test_with_a_disk_cache_every_result_is_pickled_during_the_reads(
    make_project: Make, in_process: type[_InProcess], tmp_path: Path
) -> None:
    """What this process reads itself is pickled while the pool works, not when the cache is saved
    after the output; the pool's results arrive pickled."""
    root = _project(make_project)
    store = DiskCache(tmp_path / "cache")
    ws = Workspace(root, Settings(), store=store)
    assert prefetch(ws, workers=2, min_reads=1) > 0
    for reader in ("routes", "migration", "api-plan"):
        entries = store._shards[reader]
        assert entries and all(packed is not None for _, packed in entries.values()), reader
    expected = Workspace(root, Settings()).code()
    assert ws.code() == expected
    store.save()
    again = Workspace(root, Settings(), store=DiskCache(tmp_path / "cache"))
    assert again.code() == expected
