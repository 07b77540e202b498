"""Cold parsing spread over the cores: the per-file reads a check needs, shared with forked processes.

CLI only: the language server never forks. `Workspace.pending_reads` lists the reads no cache answers
(whatever readers plan() and code() use, keyed by reader name, so readers that land later are
included); when there are enough of them, they are shared between this process and a pool of forked
workers (one fewer than the cores: this process works too). Each child inherits the reader functions
and the decoded sources, so only results cross a pipe, pickled with the disk cache's reducers for
slotted dataclasses (`cache.dispatch_table`). Every result is `remember`ed in the workspace (and so in
the disk cache).

This process scans every file for secrets first (in slices, the pool topped up in between), then runs
the route pass (`route_steps`): one route file at a time, in the pass's order, it reads the modules the
file reaches (those are never pickled), then analyses it. Run after the reads, the pass kept one core
busy while the others had nothing left to do. The pool reads the rest, oldest first: the plans, then
route files from the far end of the pass's order and the modules those import (asked every few
results, `Workspace.import_reads`), kept a couple of batches ahead, then the migrations: many small
reads nothing here waits for, which keep the pool busy while this process takes the pass's last steps.
A module the pass needs that is still waiting is taken back; while one is in the pool's hands, this
process reads the next waiting route file instead, or, when none is left, reads the module itself (the
pool's copy is dropped): waiting for it left this core idle. When the pass has no step left here
(done, or the project's routes come from routers), this process reads the newest waiting reads itself.

A read that fails is left to the normal serial path, which reports it like any reader error; a worker
that dies (a crash, the OOM killer) breaks the pool (`concurrent.futures.ProcessPoolExecutor` notices at
once) and the reads not done are left to that path too. Where `fork` is unavailable (Windows, macOS
default), or the machine has one core, nothing happens and the reads run serially as before.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import sys
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, cast

from stage_lsp.core.source import SourceFile
from stage_lsp.workspace.cache import MISSING, dispatch_table, loads, pack
from stage_lsp.workspace.route_steps import RouteSteps
from stage_lsp.workspace.workspace import PendingRead, Workspace, read_route_file

MIN_READS = 100  # below this, forking (~20-50 ms) costs about what it saves (~1 ms a file)
MAX_WORKERS = 8
POOL_BATCH = 16  # reads per batch sent to the pool (each hand-over costs the pool's threads the GIL)
SCAN_SLICE = 150  # files per slice of this process's secret scan (~15 ms): the pool is topped up between
SWITCH_INTERVAL_S = 0.001  # while reading: this process's CPU-bound thread yields the GIL sooner
DEPTH = 2  # batches queued per worker beyond the one it reads (it never waits for this process)
IMPORTS_EVERY = 8  # module results between two questions to import_reads (each builds a resolver)
# Read last: many small reads nothing in the stream waits for, which keep the pool busy while this
# process finishes the route pass (read first, the pool sat idle for the pass's last ~0.1 s).
LAST_READERS = frozenset({"migration"})
RESULT_TIMEOUT_S = 120.0  # no result for this long (a pool that neither answers nor breaks): read serially

_JOBS: Sequence[PendingRead] = ()
_REDUCERS: dict[type, Any] = {}  # built once in the parent, inherited by the workers


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def prefetch(
    ws: Workspace, *, workers: int | None = None, min_reads: int = MIN_READS, scan_secrets: bool = True
) -> int:
    """Run the workspace's pending reads in parallel; return how many results were filled in. Without
    `scan_secrets`, the secret scan is left to another process (cli.early_scan)."""
    workers = min(workers or _cores(), MAX_WORKERS)
    if workers < 2 or not can_fork():
        return 0
    jobs = ws.pending_reads()
    if len(jobs) < min_reads:
        return 0
    global _JOBS
    _JOBS = jobs
    _REDUCERS.update(dispatch_table())
    stream = _Stream(ws, workers - 1, scan_secrets)  # this process works too
    try:
        with ProcessPoolExecutor(workers - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            return stream.run(pool, _JOBS)
    except Exception:  # a pool that cannot start (no /dev/shm, limits) or broke: the rest is read serially
        return stream.filled
    finally:
        _JOBS = ()
        # The results live until the process exits: move them out of the collector's way (later full
        # collections would walk every one of them). The CLI's check freezes once more at its end.
        gc.freeze()


_Key = int | str  # a waiting read: its index in _JOBS, or the path of a module asked for later


class _Stream:
    """The reads, shared between the pool and this process, and the route pass run here meanwhile.

    `waiting` holds the reads no one has started, in the pool's order (it takes the oldest), and
    `later` those it takes once `waiting` is empty (`LAST_READERS`); this process takes out what the
    route pass needs, or the newest when the pass has nothing to do. Results
    come back through one queue (the futures' callbacks only put them there). Batches shrink as the
    queue empties, so that both sides finish together.

    A worker that dies (a crash, the OOM killer) breaks the pool: every batch in flight fails at once,
    the next submit raises, and what was not read is left to the serial path. `RESULT_TIMEOUT_S` only
    guards against a pool that neither answers nor breaks."""

    def __init__(self, ws: Workspace, workers: int, scan_secrets: bool = True) -> None:
        self.ws = ws
        self.scan_secrets = scan_secrets
        self.pool: Any = None
        self.workers = workers  # processes in the pool
        self.done: queue.SimpleQueue[tuple[Sequence[PendingRead], list[tuple[bool, bytes]] | None]] = (
            queue.SimpleQueue()
        )
        self.waiting: OrderedDict[_Key, PendingRead] = OrderedDict()
        self.later: OrderedDict[_Key, PendingRead] = OrderedDict()  # LAST_READERS: after `waiting`
        self.first_wave: dict[str, int] = {}  # module path -> its index in _JOBS
        self.in_flight = 0
        self.asked: set[str] = set()  # module reads queued later (a module imported twice is read once)
        self.fresh: list[Any] = []  # modules the pool read since their imports were last asked for
        self.filled = 0
        self.routes = RouteSteps(ws)
        self.timed_out = False

    def run(self, pool: Any, jobs: Sequence[PendingRead]) -> int:
        interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL_S)  # the pool's threads hand batches over sooner
        try:
            return self._run(pool, jobs)
        finally:
            sys.setswitchinterval(interval)

    def _run(self, pool: Any, jobs: Sequence[PendingRead]) -> int:
        self.pool = pool
        modules: list[int] = []
        types: int | None = None  # the generated types: an input of the route pass, read here first
        for index, job in enumerate(jobs):
            if job.reader == "routes":
                modules.append(index)
                self.first_wave[job.rel] = index
            elif job.reader == "db-types":
                types = index
            elif job.reader in LAST_READERS:
                self.later[index] = job
            else:
                self.waiting[index] = job
        for index in reversed(modules):  # the pool starts from the far end of the route pass's order
            self.waiting[index] = jobs[index]
        self._top_up()
        if types is not None:
            self._run_here(types, jobs[types])
        # This process's own first share, in slices so that the pool is topped up in between: the
        # secret scan of every file (secrets() later finds every result cached), unless another process
        # scans them (cli.early_scan).
        scanned = self.ws.secret_scan_files() if self.scan_secrets else []
        scans = [scanned[i : i + SCAN_SLICE] for i in range(0, len(scanned), SCAN_SLICE)]
        while True:
            try:
                while True:  # take in whatever came back
                    self._take_results(self.done.get_nowait())
            except queue.Empty:
                pass
            self._ask_imports(force=len(self.waiting) < self.workers * POOL_BATCH)
            self._top_up()
            if self.timed_out:  # nothing for too long: what is missing is read serially
                break
            if scans:
                self.ws.scan_secrets_of(scans.pop(0))
                continue
            if self._route_work():
                continue
            if self.waiting or self.later:
                self._read_newest()
            elif self.in_flight:
                if not self._wait():
                    break
            else:
                self._ask_imports(force=True)
                if not self.waiting:
                    break
        return self.filled

    def _top_up(self) -> None:
        """Keep the pool `DEPTH` batches per worker ahead: batches of the oldest waiting reads, then
        of `later`."""
        while (self.waiting or self.later) and self.in_flight < self.workers * DEPTH:
            waiting = self.waiting or self.later
            first = isinstance(next(iter(waiting)), int)
            left = len(self.waiting) + len(self.later)
            size = max(1, min(POOL_BATCH, left // (4 * self.workers)))  # smaller near the end
            batch: list[tuple[_Key, PendingRead]] = []
            while waiting and len(batch) < size and isinstance(next(iter(waiting)), int) == first:
                batch.append(waiting.popitem(last=False))
            jobs = [job for _, job in batch]
            if first:
                future = self.pool.submit(_run_many, [cast(int, key) for key, _ in batch])
            else:
                future = self.pool.submit(_read_modules, [job.source for job in jobs])
            self.in_flight += 1
            future.add_done_callback(lambda f, jobs=jobs: self.done.put(_outcome(jobs, f)))

    def _route_work(self) -> bool:
        """One piece of the route pass: begin it, read a module the next route file needs, or analyse
        that file. False when the pass has nothing to do here now."""
        routes = self.routes
        if routes.done:
            return False
        if not routes.begin():  # the types could not be read: the pass runs after the reads
            routes.done = True
            return False
        need = routes.need()
        if need is None:
            if routes.done:
                return False
            routes.step()
            return True
        key: _Key | None = self.first_wave.get(need)
        if key is None or key not in self.waiting:
            key = need if need in self.waiting else None
        if key is not None:
            self._read_here(key)
        elif need in self.first_wave or need in self.asked:  # in the pool's hands
            if self.waiting:
                self._read_newest()  # a route file further on (the pool reads from the other end)
                return True
            self._read_module(need)
        else:  # never asked for
            self._read_module(need)
        if self.ws.read_result("routes", need) is MISSING:  # the read failed: the serial path reads it
            routes.done = True
        return True

    def _wait(self) -> bool:
        """Take in the next result, waiting for it; False when none came for `RESULT_TIMEOUT_S`."""
        try:
            self._take_results(self.done.get(timeout=RESULT_TIMEOUT_S))
        except queue.Empty:
            self.timed_out = True
            return False
        return True

    def _read_module(self, rel: str) -> None:
        try:
            src = self.ws.source(rel)
            value = read_route_file(src)
        except Exception:
            return
        self.ws.remember("routes", rel, src, value, packed=self._packed(value))
        self.filled += 1

    def _packed(self, value: object) -> bytes | None:
        """With a disk cache, a result read here pickled now, while the pool works: saving it after the
        output would cost the check's tail as much (~0.4 ms a module, ~95 ms on large)."""
        if self.ws.store is None:
            return None
        try:
            return pack(value, _REDUCERS)
        except Exception:  # pickled (or dropped) when the store is saved, as before
            return None

    def _read_newest(self) -> None:
        waiting = self.waiting or self.later
        key = next(reversed(waiting))
        self._run_here(key, waiting.pop(key))

    def _read_here(self, key: _Key) -> None:
        self._run_here(key, self.waiting.pop(key))

    def _run_here(self, key: _Key, job: PendingRead) -> None:
        """Run a read in this process (one that fails is left to the serial path)."""
        try:
            value = read_route_file(job.source) if isinstance(key, str) else job.fn(job.source)
        except Exception:
            return
        self.ws.remember(job.reader, job.rel, job.source, value, packed=self._packed(value))
        self.filled += 1

    def _ask_imports(self, force: bool) -> None:
        if not self.fresh or (not force and len(self.fresh) < IMPORTS_EVERY):
            return
        wave = [
            job
            for job in self.ws.import_reads(self.fresh)
            if job.rel not in self.asked and job.rel not in self.first_wave
        ]
        self.fresh = []
        for job in reversed(wave):  # the pool reads them next
            self.asked.add(job.rel)
            self.waiting[job.rel] = job
            self.waiting.move_to_end(job.rel, last=False)

    def _take_results(self, got: tuple[Sequence[PendingRead], list[tuple[bool, bytes]] | None]) -> None:
        self.in_flight -= 1
        batch, results = got
        if results is None:  # the batch failed (the pool broke): its reads are left to the serial path
            return
        ws = self.ws
        for job, (ok, data) in zip(batch, results, strict=True):
            if not ok:
                continue
            if job.reader == "routes" and ws.read_result("routes", job.rel) is not MISSING:
                continue  # the route pass needed it first and read it here
            value = loads(data)
            ws.remember(job.reader, job.rel, job.source, value, packed=data)  # the disk cache keeps the bytes
            self.filled += 1
            if job.reader == "routes":
                self.fresh.append(value)


def _outcome(
    batch: Sequence[PendingRead], future: Future[list[tuple[bool, bytes]]]
) -> tuple[Sequence[PendingRead], list[tuple[bool, bytes]] | None]:
    if future.cancelled() or future.exception() is not None:
        return batch, None
    return batch, future.result()


def _run_many(indexes: list[int]) -> list[tuple[bool, bytes]]:
    return [_run(i) for i in indexes]


def _run(index: int) -> tuple[bool, bytes]:
    job = _JOBS[index]
    try:
        return True, pack(job.fn(job.source), _REDUCERS)
    except Exception:
        return False, b""


def _read_modules(sources: list[SourceFile]) -> list[tuple[bool, bytes]]:
    out: list[tuple[bool, bytes]] = []
    for source in sources:
        try:
            out.append((True, pack(read_route_file(source), _REDUCERS)))
        except Exception:
            out.append((False, b""))
    return out
