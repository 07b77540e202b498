"""Cold parsing spread over the cores: the per-file reads a check needs, run in forked processes.

CLI only: the language server never forks. `Workspace.pending_reads` lists the reads no cache answers
(whatever readers plan() and code() use, keyed by reader name, so readers that land later are included);
when there are enough of them, a pool of forked workers runs them (each child inherits the reader functions
and the decoded sources, so nothing but the results crosses a pipe) and the parent `remember`s the results
in the workspace (and so in the disk cache). A read that fails in a child is left to the normal serial
path, which reports it like any reader error. Where `fork` is unavailable (Windows, macOS default), or the
machine has one core, nothing happens and the reads run serially as before.

After the first wave, the modules the route files import (and theirs, level by level) are read the same
way (`Workspace.import_reads`): their sources are sent to the workers. Results come back pickled with the
disk cache's reducers for slotted dataclasses (`cache.dispatch_table`): dataclasses' own pickling calls
`fields()` for every object, and the parent unpickles every result alone while the workers wait.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import pickle
import sys
from collections.abc import Sequence
from typing import Any

from stage_lsp.core.source import SourceFile
from stage_lsp.workspace.cache import dispatch_table, loads
from stage_lsp.workspace.workspace import PendingRead, Workspace, read_route_file

MIN_READS = 100  # below this, forking (~20-50 ms) costs about what it saves (~1 ms a file)
MAX_WORKERS = 8
MAX_WAVES = 8  # import levels read ahead (route file -> service -> helper ...)

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


def _run(index: int) -> tuple[int, bool, bytes]:
    job = _JOBS[index]
    try:
        return index, True, _packed(job.fn(job.source))
    except Exception:
        return index, False, b""


def _read_module(item: tuple[int, SourceFile]) -> tuple[int, bool, bytes]:
    index, source = item
    try:
        return index, True, _packed(read_route_file(source))
    except Exception:
        return index, False, b""


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
    filled = 0
    try:
        ctx = multiprocessing.get_context("fork")
        chunk = max(1, len(jobs) // (workers * 4))
        with ctx.Pool(min(workers, len(jobs))) as pool:
            results = pool.imap_unordered(_run, range(len(jobs)), chunksize=chunk)
            ws.secrets()  # the parent's share of the work while the workers parse: a scan of every file
            for index, ok, result in results:
                if ok:
                    job = jobs[index]
                    ws.remember(job.reader, job.rel, job.source, loads(result))
                    filled += 1
            # The modules the route files import are known only now: read them in waves, with the
            # same workers (the sources travel to them; the reader is the module reader).
            for _ in range(MAX_WAVES):
                wave = ws.import_reads()
                if not wave:
                    break
                chunk = max(1, len(wave) // (workers * 4))
                sources = [job.source for job in wave]
                for index, ok, result in pool.imap_unordered(
                    _read_module, enumerate(sources), chunksize=chunk
                ):
                    if ok:
                        job = wave[index]
                        ws.remember(job.reader, job.rel, job.source, loads(result))
                        filled += 1
    except Exception:  # a pool that cannot start (no /dev/shm, limits): parse serially instead
        return filled
    finally:
        _JOBS = ()
    # The results live until the process exits: move them out of the collector's way (later full
    # collections would walk every one of them). The CLI's check freezes once more at its end.
    gc.freeze()
    return filled
