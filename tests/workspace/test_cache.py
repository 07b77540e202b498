"""The disk cache of reader results and the parallel prefetch: hits, invalidation, bad caches, safety."""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from stage_lsp.config.settings import Settings
from stage_lsp.core.source import SourceFile
from stage_lsp.workspace import Workspace
from stage_lsp.workspace import cache as cache_mod
from stage_lsp.workspace import workspace as ws_mod
from stage_lsp.workspace.cache import DiskCache
from stage_lsp.workspace.prefetch import can_fork, prefetch
from tests.conftest import run_cli

Make = Callable[[dict[str, str]], Path]

PLAN = "# API\n\n#### GET /api/decks\n\n#### POST /api/decks\n"
ROUTE = "export const GET = async () => new Response('[]');\n"


def project(make: Make, routes: int = 2) -> Path:
    files = {".ai/api-plan.md": PLAN}
    files.update({f"src/pages/api/r{i}.ts": ROUTE for i in range(routes)})
    return make(files)


class Counting:
    """Wraps the workspace's readers and counts the calls made in this process."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        for name in ("read_api_plan", "read_route_file"):
            real = getattr(ws_mod, name)
            monkeypatch.setattr(ws_mod, name, self._wrap(name, real))

    def _wrap(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def counted(src: SourceFile, *args: Any) -> Any:
            self.calls.append(f"{name}:{src.rel}")
            return real(src, *args)

        return counted


def models(root: Path, store: DiskCache | None) -> tuple[Any, Any]:
    ws = Workspace(root, Settings(), store=store)
    return ws.plan(), ws.code()


def saved(root: Path, folder: Path) -> DiskCache:
    """A cache in `folder` written by a run over `root`."""
    store = DiskCache(folder)
    models(root, store)
    store.save()
    return store


def test_a_second_run_parses_nothing_and_a_change_reparses_one_file(
    make_project: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(make_project)
    counting = Counting(monkeypatch)
    first = DiskCache(tmp_path / "c")
    cold = models(root, first)
    assert len(counting.calls) == 3
    first.save()
    counting.calls.clear()
    second = DiskCache(tmp_path / "c")
    warm = models(root, second)
    assert counting.calls == []
    assert warm == cold and second.hits >= 3 and second.misses == 0  # every reader answered from the cache
    (root / "src/pages/api/r1.ts").write_text(ROUTE + "export const POST = async () => new Response('');\n")
    models(root, DiskCache(tmp_path / "c"))
    assert counting.calls == ["read_route_file:src/pages/api/r1.ts"]


def test_entries_of_files_no_longer_read_are_dropped(make_project: Make, tmp_path: Path) -> None:
    root = project(make_project, routes=3)
    store = saved(root, tmp_path / "c")
    (root / "src/pages/api/r2.ts").unlink()
    store = saved(root, tmp_path / "c")
    shard = next(p for p in store.folder.iterdir() if p.name.startswith("routes"))
    _, _, _, entries = pickle.loads(shard.read_bytes())
    assert sorted(entries) == ["src/pages/api/r0.ts", "src/pages/api/r1.ts"]


@pytest.mark.parametrize(
    "content", [b"", b"garbage", pickle.dumps(("stage-lsp-cache", "other-stamp", "x", {}))]
)
def test_corrupt_or_foreign_shards_are_ignored_and_replaced(
    make_project: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    root = project(make_project)
    store = saved(root, tmp_path / "c")
    shards = list(store.folder.glob("*.pickle"))
    assert len(shards) >= 2  # one per reader (plans, routes, ...)
    for shard in shards:
        shard.write_bytes(content)
    counting = Counting(monkeypatch)
    store = DiskCache(tmp_path / "c")
    models(root, store)
    assert len(counting.calls) == 3
    store.save()
    counting.calls.clear()
    models(root, DiskCache(tmp_path / "c"))
    assert counting.calls == []


class _Exploit:
    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(MARKER[-1]),))


MARKER: list[Path] = []


def test_a_planted_pickle_cannot_run_code(make_project: Make, tmp_path: Path) -> None:
    root = project(make_project)
    store = saved(root, tmp_path / "c")
    MARKER.append(tmp_path / "pwned")
    for shard in store.folder.glob("*.pickle"):
        stamp = cache_mod._stamp()
        shard.write_bytes(
            pickle.dumps(("stage-lsp-cache", stamp, "api-plan", {".ai/api-plan.md": ("x", _Exploit())}))
        )
    plan, _ = models(root, DiskCache(tmp_path / "c"))
    assert not MARKER[-1].exists()
    assert len(plan.endpoints) == 2


def test_another_version_never_reads_this_cache(
    make_project: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(make_project)
    store = saved(root, tmp_path / "c")
    monkeypatch.setattr(cache_mod, "_STAMP", ["0123456789abcdef"])
    counting = Counting(monkeypatch)
    other = DiskCache(tmp_path / "c")
    models(root, other)
    assert len(counting.calls) == 3 and other.folder != store.folder
    assert cache_mod.code_stamp() != "0123456789abcdef"


def test_an_unusable_cache_directory_never_fails_a_check(make_project: Make, tmp_path: Path) -> None:
    root = project(make_project)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be\n")
    store = DiskCache(blocker)
    plan, _ = models(root, store)
    store.save()  # cannot write: silently skipped
    assert blocker.read_text().startswith("a file")
    assert len(plan.endpoints) == 2


def test_cli_cache_folder_no_cache_and_cache_dir(make_project: Make) -> None:
    root = project(make_project)
    assert run_cli("check", str(root), "--no-cache").code == 1
    assert not (root / ".stage-lsp-cache").exists()
    assert run_cli("check", str(root)).code == 1
    made = root / ".stage-lsp-cache"
    assert (made / ".gitignore").read_text().endswith("*\n")
    assert (made / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert next(p.name for p in made.iterdir() if p.is_dir()).startswith("v2-")
    (root / "stage-lsp.toml").write_text('cache-dir = "build/lint-cache"\n')
    assert run_cli("check", str(root)).code == 1
    assert (root / "build/lint-cache/.gitignore").exists()


@pytest.mark.skipif(not can_fork(), reason="fork-based prefetch needs Linux")
def test_prefetch_parses_in_child_processes_with_the_same_results(
    make_project: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(make_project, routes=12)
    serial_plan, serial_code = models(root, None)
    counting = Counting(monkeypatch)
    store = DiskCache(tmp_path / "c")
    ws = Workspace(root, Settings(), store=store)
    filled = prefetch(ws, workers=2, min_reads=1)
    here = len(counting.calls)  # reads this process did itself (the pool's worker did the others)
    assert filled == 13 and here < 13
    assert ws.plan() == serial_plan and ws.code() == serial_code
    assert len(counting.calls) == here  # nothing was left for the serial path
    store.save()
    assert len(DiskCache(tmp_path / "c")._shard("api-plan")) == 1
    assert prefetch(Workspace(root, Settings(), store=DiskCache(tmp_path / "c")), workers=2, min_reads=1) == 0


@pytest.mark.skipif(not can_fork(), reason="fork-based prefetch needs Linux")
def test_prefetch_reads_the_modules_routes_import_as_they_are_found(
    make_project: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        ".ai/api-plan.md": PLAN,
        "tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["./src/*"]}}}',
        "src/lib/http.ts": "export const created = (b: unknown) => new Response(JSON.stringify(b), { status: 201 });\n",
        "src/lib/decks.service.ts": (
            "import { created } from './http';\nexport async function make() { return created({}); }\n"
        ),
        "src/lib/unused.ts": "export const nothing = 1;\n",
        "src/pages/api/decks.ts": (
            "import { make } from '@/lib/decks.service';\nexport const POST = async () => make();\n"
            "export const GET = async () => new Response('[]');\n"
        ),
    }
    root = make_project(files)
    serial_plan, serial_code = models(root, None)
    ws = Workspace(root, Settings())
    filled = prefetch(ws, workers=2, min_reads=1)
    assert filled == 4  # the plan, the route file, then the service, then its helper
    counting = Counting(monkeypatch)  # from now on: what the serial path reads
    assert ws.plan() == serial_plan and ws.code() == serial_code
    assert counting.calls == []  # no module was left for the route pass to read itself
    assert ("routes", "src/lib/unused.ts") not in ws._results  # nothing imports it


@pytest.mark.skipif(not can_fork(), reason="fork-based prefetch needs Linux")
def test_a_worker_that_dies_leaves_its_reads_to_the_serial_path(
    make_project: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stage_lsp.workspace import prefetch as prefetch_mod

    root = project(make_project, routes=6)
    serial_plan, serial_code = models(root, None)

    def dying(index: int) -> tuple[bool, bytes]:  # runs in the worker: its first read kills it
        os._exit(3)

    monkeypatch.setattr(prefetch_mod, "_run", dying)
    ws = Workspace(root, Settings())
    started = time.monotonic()
    filled = prefetch_mod.prefetch(ws, workers=2, min_reads=1)
    assert time.monotonic() - started < prefetch_mod.RESULT_TIMEOUT_S / 4  # the death is seen, not waited out
    assert filled < 7  # what was sent to the worker was not filled; the pool broke with it
    assert ws.plan() == serial_plan and ws.code() == serial_code  # the rest read here, serially


def test_prefetch_does_nothing_below_its_threshold_or_on_one_core(make_project: Make) -> None:
    root = project(make_project)
    ws = Workspace(root, Settings())
    assert prefetch(ws, workers=2, min_reads=100) == 0
    assert prefetch(ws, workers=1, min_reads=1) == 0
    assert len(ws.plan().endpoints) == 2


def test_pending_reads_keeps_complete_models_so_a_warm_run_assembles_once(
    make_project: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(make_project)
    store = DiskCache(tmp_path / "c")
    models(root, store)
    ws = Workspace(root, Settings(), store=store)
    assert ws.pending_reads() == []
    assembled: list[int] = []
    real = ws_mod.assemble_code
    monkeypatch.setattr(ws_mod, "assemble_code", lambda *a, **k: assembled.append(1) or real(*a, **k))
    ws.code()
    assert assembled == []  # kept from the collect pass
    cold = Workspace(root, Settings())
    assert len(cold.pending_reads()) == 3
    assert cold._code is None and cold._plan is None  # built on stand-ins: forgotten


def test_pending_reads_list_every_plan_file_though_the_db_plan_links_more(make_project: Make) -> None:
    """The plan assembly stops at the db plan's stand-in (its links are known only from its result):
    the stage, prd and project-rules reads after it are asked for up front, so the workers read them."""
    root = make_project(
        {
            ".ai/api-plan.md": PLAN,
            ".ai/db-plan.md": "# DB\n\n## decks\n\n| Column | Type |\n|---|---|\n| id | uuid |\n",
            ".ai/stages-plan.md": "# Stages\n\n## Stage 1\n\n- GET /api/decks\n",
            ".ai/prd.md": "# PRD\n\n## User stories\n\n- US-001: list decks\n",
            ".cursor/rules/api.mdc": "---\ndescription: API\n---\n- Use zod for every body.\n",
            "src/pages/api/r0.ts": ROUTE,
        }
    )
    ws = Workspace(root, Settings())
    readers = {(job.reader, job.rel) for job in ws.pending_reads()}
    assert {
        ("api-plan", ".ai/api-plan.md"),
        ("db-plan", ".ai/db-plan.md"),
        ("stage-plan", ".ai/stages-plan.md"),
        ("prd-plan", ".ai/prd.md"),
        ("project-rules", ".cursor/rules/api.mdc"),
        ("routes", "src/pages/api/r0.ts"),
    } <= readers
    cold = Workspace(root, Settings())
    assert ws.plan() == cold.plan()  # nothing of the model depends on having been collected first


def test_slotted_frozen_results_round_trip(tmp_path: Path) -> None:
    from stage_lsp.core.location import Location, Range

    store = DiskCache(tmp_path / "c")
    value = (Location("a.ts", Range(1, 2, 3, 4)), frozenset({Range(0, 0, 0, 1)}))
    store.put("r", "a.ts", "d1", value)
    store.save()
    assert b"_rebuild" in next(store.folder.glob("r.pickle")).read_bytes()
    back = DiskCache(tmp_path / "c").get("r", "a.ts", "d1")
    assert back == value
    assert type(back[0].range) is Range


@dataclass(frozen=True, slots=True)
class _Empty:
    pass


@dataclass(frozen=True, slots=True)
class _One:
    value: str


@dataclass(frozen=True, slots=True)
class _Checked:
    a: int
    b: tuple[int, ...] = ()
    seen: list[int] = field(default_factory=list, compare=False)

    def __post_init__(self) -> None:
        self.seen.append(self.a)  # loading must not run it (nor __init__)


@dataclass(frozen=True)
class _Base:
    kind: str


@dataclass(frozen=True, slots=True)
class _Derived(_Base):  # `kind` lives in the instance's __dict__, `size` in a slot
    size: int


def test_slotted_dataclasses_of_every_width_round_trip_without_running_init() -> None:
    from stage_lsp.workspace.cache import _rebuild, _reduce_slotted

    for value in (_Empty(), _One("x"), _Checked(1, (2, 3)), _Derived("k", 3)):
        fn, args = _reduce_slotted(value)
        back = fn(*args)
        assert back == value and type(back) is type(value)
    checked = _Checked(5)
    assert checked.seen == [5]
    fn, args = _reduce_slotted(checked)
    assert fn(*args).seen == [5]  # the same list, appended to once: __post_init__ did not run again
    with pytest.raises(pickle.UnpicklingError):  # a damaged entry: one value too many
        _rebuild(_One, ("x", "y"))


HELPER = (
    "export function created(data: unknown) { return new Response(JSON.stringify(data), { status: 201 }); }\n"
)
USES_HELPER = (
    'import { created } from "../../lib/http";\nexport const POST = async () => created({ ok: true });\n'
)


def test_routes_are_kept_between_runs_and_redone_when_their_imports_change(
    make_project: Make, tmp_path: Path
) -> None:
    root = make_project(
        {
            ".ai/api-plan.md": PLAN,
            "src/pages/api/decks.ts": USES_HELPER,
            "src/pages/api/other.ts": ROUTE,
            "src/lib/http.ts": HELPER,
        }
    )

    def run() -> tuple[Any, Any]:
        store = DiskCache(tmp_path / "c")
        ws = Workspace(root, Settings(), store=store)
        code = ws.code()
        store.save()
        assert ws.route_memo is not None
        return code.routes, (ws.route_memo.hits, ws.route_memo.misses)

    first, counts = run()
    assert counts == (0, 2)
    again, counts = run()
    assert counts == (2, 0)
    assert again == first
    assert {r.key: sorted(r.status_codes) for r in again}["POST /api/decks"] == [201]
    (root / "src/lib/http.ts").write_text(HELPER.replace("201", "202"), encoding="utf-8")
    changed, counts = run()
    assert counts == (1, 1)  # the file importing the helper is analysed again, the other is kept
    assert changed == Workspace(root, Settings()).code().routes
    assert {r.key: sorted(r.status_codes) for r in changed}["POST /api/decks"] == [202]


def test_a_planted_pickle_inside_an_entry_cannot_run_code(make_project: Make, tmp_path: Path) -> None:
    root = project(make_project)
    store = saved(root, tmp_path / "c")
    MARKER.append(tmp_path / "pwned-entry")
    shard = store.folder / "api-plan.pickle"
    magic, stamp, reader, entries = pickle.loads(shard.read_bytes())
    digest = entries[".ai/api-plan.md"][0]
    entries[".ai/api-plan.md"] = (digest, pickle.dumps(_Exploit()))  # a valid shard, a hostile entry
    shard.write_bytes(pickle.dumps((magic, stamp, reader, entries)))
    again = DiskCache(tmp_path / "c")
    plan, _ = models(root, again)
    assert not MARKER[-1].exists()
    assert len(plan.endpoints) == 2 and again.misses >= 1  # refused, read afresh
    again.save()
    _, _, _, rewritten = pickle.loads(shard.read_bytes())
    assert pickle.loads(rewritten[".ai/api-plan.md"][1]) is not None  # the entry was written anew
    assert DiskCache(tmp_path / "c").get("api-plan", ".ai/api-plan.md", digest) is not cache_mod.MISSING


def test_results_are_unpickled_when_asked_for_and_written_back_unchanged(
    make_project: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(make_project, routes=3)
    store = saved(root, tmp_path / "c")
    shard = store.folder / "routes.pickle"
    before = pickle.loads(shard.read_bytes())[3]
    loaded: list[bytes] = []
    real_loads = cache_mod.loads
    monkeypatch.setattr(cache_mod, "loads", lambda data: loaded.append(data) or real_loads(data))
    packed: list[object] = []
    real_pack = cache_mod.pack
    monkeypatch.setattr(
        cache_mod, "pack", lambda value, table: packed.append(value) or real_pack(value, table)
    )
    warm = DiskCache(tmp_path / "c")
    digest = before["src/pages/api/r1.ts"][0]
    assert warm.get("routes", "src/pages/api/r1.ts", digest) is not cache_mod.MISSING
    assert loaded == [before["src/pages/api/r1.ts"][1]]  # one entry of three, and only once
    assert warm.get("routes", "src/pages/api/r1.ts", digest) is not cache_mod.MISSING and len(loaded) == 1
    for rel in ("src/pages/api/r0.ts", "src/pages/api/r2.ts"):
        assert warm.get("routes", rel, before[rel][0]) is not cache_mod.MISSING
    warm.put("routes", "src/pages/api/r2.ts", "changed", ("a", "new", "result"))
    warm.save()
    after = pickle.loads(shard.read_bytes())[3]
    assert packed == [("a", "new", "result")]  # only the changed entry was pickled
    assert after["src/pages/api/r0.ts"] == before["src/pages/api/r0.ts"]  # the others: the same bytes
    assert after["src/pages/api/r1.ts"] == before["src/pages/api/r1.ts"]


@pytest.mark.skipif(not can_fork(), reason="fork-based prefetch needs Linux")
def test_a_workers_result_is_kept_as_the_bytes_it_arrived_as(
    make_project: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(make_project, routes=40)
    store = DiskCache(tmp_path / "c")
    ws = Workspace(root, Settings(), store=store)
    prefetch(ws, workers=2, min_reads=1)
    serial_plan, serial_code = models(root, None)
    assert ws.plan() == serial_plan and ws.code() == serial_code
    arrived = [rel for rel, (_, packed) in store._shards["api-plan"].items() if packed is not None]
    assert arrived == [".ai/api-plan.md"]  # the plan is read by the pool: its bytes are kept
    packed: list[object] = []
    real_pack = cache_mod.pack
    monkeypatch.setattr(
        cache_mod, "pack", lambda value, table: packed.append(value) or real_pack(value, table)
    )
    store.save()
    assert all(not hasattr(value, "endpoints") for value in packed)  # the plan was not pickled again
    assert models(root, DiskCache(tmp_path / "c")) == (serial_plan, serial_code)


def test_a_check_after_an_edit_loads_no_facts_of_routes_whose_closure_is_unchanged(
    make_project: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stage_lsp.code.facts import ModuleFacts

    real = ws_mod.read_route_file

    def reader(src: SourceFile) -> ModuleFacts:  # a helper whose facts cannot be read: SL903, kept on disk
        if "UNREADABLE" in src.text:
            return ModuleFacts(src.rel, "typescript", parse_error=True, problem="too broken to read: test")
        return real(src)

    monkeypatch.setattr(ws_mod, "read_route_file", reader)
    root = make_project(
        {
            ".ai/api-plan.md": PLAN,
            "package.json": '{"dependencies": {"astro": "5"}}',
            "src/lib/http.ts": HELPER,
            "src/lib/odd.ts": "// UNREADABLE\nexport const GET = async () => new Response('[]');\n",
            "src/pages/api/decks.ts": 'export { GET } from "../../lib/odd";\n' + USES_HELPER,
            "src/pages/api/other.ts": ROUTE + "export const prerender = false;\n",
            "src/pages/api/third.ts": ROUTE,
        }
    )

    def run() -> Any:
        store = DiskCache(tmp_path / "c")
        ws = Workspace(root, Settings(), store=store)
        code = ws.code()
        store.save()
        assert ws.route_memo is not None
        return code, ws.route_memo.hits

    cold, _ = run()
    (root / "src/pages/api/third.ts").write_text(ROUTE.replace("[]", "[1]"), encoding="utf-8")
    unpickled: list[str] = []
    real_loads = cache_mod.loads

    def loads(data: bytes) -> Any:
        value = real_loads(data)
        if isinstance(value, ModuleFacts):
            unpickled.append(value.rel)
        return value

    monkeypatch.setattr(cache_mod, "loads", loads)
    warm, hits = run()
    assert hits == 2 and unpickled == []  # decks.ts and other.ts kept on disk: none of their facts loaded
    assert warm == Workspace(root, Settings()).code()  # routes, issues, prerender exports: as read afresh
    assert [i.code for i in warm.issues if i.location.file == "src/lib/odd.ts"] == ["SL903"]
    assert ("src/pages/api/other.ts", "false") in warm.prerender_exports
    kept = [r for r in warm.routes if r.location.file != "src/pages/api/third.ts"]
    assert kept == [r for r in cold.routes if r.location.file != "src/pages/api/third.ts"] and len(kept) == 3
    # the facts not loaded stay in the store (its shards keep only what a run used): the next edit,
    # to a file the kept routes import, finds them there instead of reading every route file again
    _, _, _, entries = pickle.loads(next((tmp_path / "c").glob("*/routes.pickle")).read_bytes())
    assert {"src/pages/api/decks.ts", "src/pages/api/other.ts", "src/lib/odd.ts"} <= set(entries)
    (root / "src/lib/http.ts").write_text(HELPER.replace("201", "202"), encoding="utf-8")
    reads: list[str] = []
    monkeypatch.setattr(ws_mod, "read_route_file", lambda src: reads.append(src.rel) or reader(src))
    again, _ = run()
    assert reads == ["src/lib/http.ts"]  # only the changed file is parsed
    assert again == Workspace(root, Settings()).code()
