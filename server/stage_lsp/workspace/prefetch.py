"""Cold parsing spread over the cores: the per-file reads a check needs, run in forked processes.

CLI only: the language server never forks. `Workspace.pending_reads` lists the reads no cache answers
(whatever readers plan() and code() use, keyed by reader name, so readers that land later are included);
when there are enough of them, a pool of forked workers runs them (each child inherits the reader functions
and the decoded sources, so nothing but the results crosses a pipe) and the parent `remember`s the results
in the workspace (and so in the disk cache). A read that fails in a child is left to the normal serial
path, which reports it like any reader error; a worker that dies (a crash, the OOM killer) breaks the pool
(`concurrent.futures.ProcessPoolExecutor` notices at once) and the reads not done are left to that path
too. Where `fork` is unavailable (Windows, macOS default), or the
machine has one core, nothing happens and the reads run serially as before.

The modules the route files import (and theirs, and so on) are read the same way, as soon as they are
known: every few results the parent asks `Workspace.import_reads` what the modules just read import and
sends those sources to the workers, behind the reads already queued. The workers are never left idle
waiting for a whole level of imports to finish (the waves this replaced cost ~0.1 s of idle cores on
a large project). Results come back pickled with the disk cache's reducers for slotted dataclasses
(`cache.dispatch_table`): dataclasses' own pickling calls `fields()` for every object, and the parent
unpickles every result alone while the workers work.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import pickle
import queue
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from stage_lsp.core.source import SourceFile
from stage_lsp.workspace.cache import dispatch_table, loads
from stage_lsp.workspace.workspace import PendingRead, Workspace, read_route_file

MIN_READS = 100  # below this, forking (~20-50 ms) costs about what it saves (~1 ms a file)
MAX_WORKERS = 8
BATCHES_PER_WORKER = 12  # the first reads go out in this many batches per worker (results come back sooner)
MODULE_BATCH = 4  # module reads per task: small, so the last levels of imports spread over the workers
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
    stream = _Stream(ws, workers)
    try:
        with ProcessPoolExecutor(
            min(workers, len(jobs)), mp_context=multiprocessing.get_context("fork")
        ) as pool:
            return stream.run(pool, jobs)
    except Exception:  # a pool that cannot start (no /dev/shm, limits) or broke: the rest is read serially
        return stream.filled
    finally:
        _JOBS = ()
        # The results live until the process exits: move them out of the collector's way (later full
        # collections would walk every one of them). The CLI's check freezes once more at its end.
        gc.freeze()


class _Stream:
    """The reads in flight: batches submitted to the pool, their results collected in one queue (the
    futures' callbacks only put them there), the imports of every few modules read asked for at once.

    A worker that dies (a crash, the OOM killer) breaks the pool: every batch in flight fails at once,
    the next submit raises, and what was not read is left to the serial path. `RESULT_TIMEOUT_S` only
    guards against a pool that neither answers nor breaks."""

    def __init__(self, ws: Workspace, workers: int) -> None:
        self.ws = ws
        self.pool: Any = None
        self.workers = workers
        self.done: queue.SimpleQueue[tuple[Sequence[PendingRead], list[tuple[bool, bytes]]] | None] = (
            queue.SimpleQueue()
        )
        self.in_flight = 0
        self.asked: set[str] = set()  # module reads sent (a module imported twice is read once)
        self.filled = 0

    def _send(
        self,
        fn: Callable[[list[Any]], list[tuple[bool, bytes]]],
        items: list[Any],
        batch: Sequence[PendingRead],
    ) -> None:
        """Queue one batch; its results (in `items` order) come back through `done` with its jobs."""
        future = self.pool.submit(fn, items)
        self.in_flight += 1
        future.add_done_callback(lambda f: self.done.put(_outcome(batch, f)))

    def _ask_imports(self, modules: list[Any]) -> None:
        wave = [job for job in self.ws.import_reads(modules) if job.rel not in self.asked]
        self.asked.update(job.rel for job in wave)
        size = max(1, min(MODULE_BATCH, len(wave) // self.workers))
        for start in range(0, len(wave), size):
            batch = wave[start : start + size]
            self._send(_read_modules, [job.source for job in batch], batch)

    def run(self, pool: Any, jobs: Sequence[PendingRead]) -> int:
        self.pool = pool
        chunk = max(1, len(jobs) // (self.workers * BATCHES_PER_WORKER))
        for start in range(0, len(jobs), chunk):
            indexes = list(range(start, min(start + chunk, len(jobs))))
            self._send(_run_many, indexes, [jobs[i] for i in indexes])
        self.ws.secrets()  # the parent's share of the work while the workers parse: a scan of every file
        fresh: list[Any] = []
        while self.in_flight:
            try:
                got = self.done.get(timeout=RESULT_TIMEOUT_S)
            except queue.Empty:  # nothing for too long: what is missing is read serially
                break
            self.in_flight -= 1
            if (
                got is None
            ):  # the batch failed as a whole (the pool broke): its reads are left to the serial path
                continue
            batch, results = got
            for job, (ok, data) in zip(batch, results, strict=True):
                if ok:
                    value = loads(data)
                    self.ws.remember(job.reader, job.rel, job.source, value)
                    self.filled += 1
                    if job.reader == "routes":
                        fresh.append(value)
            if fresh and (len(fresh) >= IMPORTS_EVERY or self.in_flight < self.workers):
                self._ask_imports(fresh)
                fresh = []
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
