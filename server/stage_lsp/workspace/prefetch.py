"""Cold parsing spread over the cores: the per-file reads a check needs, shared with forked processes.

CLI only: the language server never forks. `Workspace.pending_reads` lists the reads no cache answers
(whatever readers plan() and code() use, keyed by reader name, so readers that land later are included);
when there are enough of them, they are shared between this process and a pool of forked workers (one
fewer than the cores: this process reads too). Each child inherits the reader functions and the decoded
sources, so only results cross a pipe, pickled with the disk cache's reducers for slotted dataclasses
(`cache.dispatch_table`); what this process reads itself is never pickled, which is why it takes a
share rather than only collecting the workers' results. Every result is `remember`ed in the workspace
(and so in the disk cache).

The pool is kept a couple of batches ahead (the oldest waiting reads); between taking in the results
that came back, this process scans every file for secrets, in slices, then reads the newest waiting
reads one at a time. Every few modules read, it asks `Workspace.import_reads` what they import and
queues those reads too, so the modules the route files reach are read as soon as they are known (the
level-by-level waves this replaced left the cores idle at each level).

A read that fails is left to the normal serial path, which reports it like any reader error; a worker
that dies (a crash, the OOM killer) breaks the pool (`concurrent.futures.ProcessPoolExecutor` notices at
once) and the reads not done are left to that path too. Where `fork` is unavailable (Windows, macOS
default), or the machine has one core, nothing happens and the reads run serially as before.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import pickle
import queue
import sys
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from stage_lsp.core.source import SourceFile
from stage_lsp.workspace.cache import dispatch_table, loads
from stage_lsp.workspace.workspace import PendingRead, Workspace, read_route_file

MIN_READS = 100  # below this, forking (~20-50 ms) costs about what it saves (~1 ms a file)
MAX_WORKERS = 8
POOL_BATCH = 16  # reads per batch sent to the pool (each hand-over costs the pool's threads the GIL)
SWITCH_INTERVAL_S = 0.001  # while reading: this process's CPU-bound thread yields the GIL sooner
DEPTH = 2  # batches queued per worker beyond the one it reads (it never waits for this process)
SCAN_SLICE = 150  # files per slice of this process's secret scan (~15 ms): the pool is topped up between
IMPORTS_EVERY = 8  # module results between two questions to import_reads (each builds a resolver)
RESULT_TIMEOUT_S = 120.0  # no result for this long (a pool that neither answers nor breaks): read serially

_JOBS: Sequence[PendingRead] = ()
_REDUCERS: dict[type, Any] = {}  # built once in the parent, inherited by the workers


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _packed(result: Any) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS
    pickler.dump(result)
    return out.getvalue()


def can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def prefetch(ws: Workspace, *, workers: int | None = None, min_reads: int = MIN_READS) -> int:
    """Run the workspace's pending reads in parallel; return how many results were filled in."""
    workers = min(workers or _cores(), MAX_WORKERS)
    if workers < 2 or not can_fork():
        return 0
    jobs = ws.pending_reads()
    if len(jobs) < min_reads:
        return 0
    global _JOBS
    _JOBS = jobs
    _REDUCERS.update(dispatch_table())
    stream = _Stream(ws, workers - 1)  # this process reads too
    try:
        with ProcessPoolExecutor(workers - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            return stream.run(pool, jobs)
    except Exception:  # a pool that cannot start (no /dev/shm, limits) or broke: the rest is read serially
        return stream.filled
    finally:
        _JOBS = ()
        # The results live until the process exits: move them out of the collector's way (later full
        # collections would walk every one of them). The CLI's check freezes once more at its end.
        gc.freeze()


class _Stream:
    """The reads, shared between the pool and this process. Reads wait in `waiting`; the pool gets
    batches of the oldest, `DEPTH` per worker ahead, and this process reads the newest itself, one at a
    time (no pickling for those), whenever no result is there to take in. Results come back through one
    queue (the futures' callbacks only put them there); every few modules read, their imports are asked
    for and queued. Batches shrink as the queue empties, so that both sides finish together.

    A worker that dies (a crash, the OOM killer) breaks the pool: every batch in flight fails at once,
    the next submit raises, and what was not read is left to the serial path. `RESULT_TIMEOUT_S` only
    guards against a pool that neither answers nor breaks."""

    def __init__(self, ws: Workspace, workers: int) -> None:
        self.ws = ws
        self.pool: Any = None
        self.workers = workers  # processes in the pool
        self.done: queue.SimpleQueue[tuple[Sequence[PendingRead], list[tuple[bool, bytes]]] | None] = (
            queue.SimpleQueue()
        )
        # (index in _JOBS, read) for the first wave, (-1, read) for a module read: the pool takes the oldest
        self.waiting: deque[tuple[int, PendingRead]] = deque()
        self.in_flight = 0
        self.asked: set[str] = set()  # module reads queued (a module imported twice is read once)
        self.fresh: list[Any] = []  # modules read since their imports were last asked for
        self.filled = 0

    def _top_up(self) -> None:
        """Keep the pool `DEPTH` batches per worker ahead: batches of the oldest waiting reads."""
        while self.waiting and self.in_flight < self.workers * DEPTH:
            first = self.waiting[0][0] >= 0
            size = max(1, min(POOL_BATCH, len(self.waiting) // (4 * self.workers)))  # smaller near the end
            batch: list[tuple[int, PendingRead]] = []
            while self.waiting and (self.waiting[0][0] >= 0) == first and len(batch) < size:
                batch.append(self.waiting.popleft())
            jobs = [job for _, job in batch]
            if first:
                future = self.pool.submit(_run_many, [index for index, _ in batch])
            else:
                future = self.pool.submit(_read_modules, [job.source for job in jobs])
            self.in_flight += 1
            future.add_done_callback(lambda f, jobs=jobs: self.done.put(_outcome(jobs, f)))

    def _took(self, job: PendingRead, value: Any) -> None:
        self.ws.remember(job.reader, job.rel, job.source, value)
        self.filled += 1
        if job.reader == "routes":
            self.fresh.append(value)

    def _ask_imports(self, force: bool) -> None:
        if not self.fresh or (not force and len(self.fresh) < IMPORTS_EVERY):
            return
        wave = [job for job in self.ws.import_reads(self.fresh) if job.rel not in self.asked]
        self.fresh = []
        self.asked.update(job.rel for job in wave)
        self.waiting.extend((-1, job) for job in wave)

    def _take_results(self, got: tuple[Sequence[PendingRead], list[tuple[bool, bytes]]] | None) -> None:
        self.in_flight -= 1
        if got is None:  # the batch failed as a whole (the pool broke): its reads are left to the serial path
            return
        batch, results = got
        for job, (ok, data) in zip(batch, results, strict=True):
            if ok:
                self._took(job, loads(data))

    def _read_here(self) -> None:
        """Read the newest waiting read in this process (one that fails is left to the serial path)."""
        index, job = self.waiting.pop()
        try:
            value = job.fn(job.source) if index >= 0 else read_route_file(job.source)
        except Exception:
            return
        self._took(job, value)

    def run(self, pool: Any, jobs: Sequence[PendingRead]) -> int:
        interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL_S)  # the pool's threads hand batches over sooner
        try:
            return self._run(pool, jobs)
        finally:
            sys.setswitchinterval(interval)

    def _run(self, pool: Any, jobs: Sequence[PendingRead]) -> int:
        self.pool = pool
        self.waiting.extend(enumerate(jobs))
        self._top_up()
        # This process's own first share, in slices so that the pool is topped up in between: the
        # secret scan of every file (secrets() later finds every result cached).
        scanned = self.ws.secret_scan_files()
        scans = [scanned[i : i + SCAN_SLICE] for i in range(0, len(scanned), SCAN_SLICE)]
        while self.waiting or self.in_flight or scans:
            try:
                while True:  # take in whatever came back
                    self._take_results(self.done.get_nowait())
            except queue.Empty:
                pass
            self._ask_imports(force=not self.waiting or self.in_flight < self.workers)
            self._top_up()
            if scans:
                self.ws.scan_secrets_of(scans.pop(0))
            elif self.waiting:
                self._read_here()
            elif self.in_flight:
                try:
                    self._take_results(self.done.get(timeout=RESULT_TIMEOUT_S))
                except queue.Empty:  # nothing for too long: what is missing is read serially
                    break
            self._ask_imports(force=not self.waiting)
            self._top_up()
        return self.filled


def _outcome(
    batch: Sequence[PendingRead], future: Future[list[tuple[bool, bytes]]]
) -> tuple[Sequence[PendingRead], list[tuple[bool, bytes]]] | None:
    if future.cancelled() or future.exception() is not None:
        return None
    return batch, future.result()


def _run_many(indexes: list[int]) -> list[tuple[bool, bytes]]:
    return [_run(i) for i in indexes]


def _run(index: int) -> tuple[bool, bytes]:
    job = _JOBS[index]
    try:
        return True, _packed(job.fn(job.source))
    except Exception:
        return False, b""


def _read_modules(sources: list[SourceFile]) -> list[tuple[bool, bytes]]:
    out: list[tuple[bool, bytes]] = []
    for source in sources:
        try:
            out.append((True, _packed(read_route_file(source))))
        except Exception:
            out.append((False, b""))
    return out
