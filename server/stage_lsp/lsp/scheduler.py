"""Debounced, superseding rechecks: one worker thread, one generation counter per root.

Every change to a root (an edit, a file event, new settings) bumps the root's generation and schedules
a run after `debounce-ms` (0 allowed). A run that wakes up to find a newer generation does nothing (the
newer one will run). A run already on the worker when a newer change arrives cannot be interrupted, but
its results are dropped rather than published: only results of the latest generation ever reach the
client, so nothing stale is shown. The changes themselves are never lost: each run hands the worker all
changes pending at that moment, and runs are serialised, so the Workspace sees them in order.

`RootState.settled` is set when the published results match the latest changes; pull requests wait for
it, so they never answer with results of an older version of a document.

Other work on a root's Workspace (building the navigation snapshot when a request asks for it) runs on
the same worker through `on_worker`, between checks, never inside a check job: diagnostics come first.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from stage_lsp.lsp.checker import SWEEP_INTERVAL_S, Outcome, finish_index, run_job
from stage_lsp.lsp.roots import RootState

log = logging.getLogger(__name__)

Publish = Callable[[RootState, Outcome], None]
T = TypeVar("T")


class Scheduler:
    def __init__(self, publish: Publish, encoding: Callable[[], str]) -> None:
        self._publish = publish
        self._encoding = encoding
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stage-lsp-check")
        self._tasks: set[asyncio.Task[None]] = set()
        self.closed = False
        self._frozen = False
        self.runs = 0  # jobs that ran on the worker
        self.dropped = 0  # results dropped because a newer change arrived while the job ran

    def touch(self, state: RootState, delay_ms: int | None = None) -> None:
        """Something changed in `state`'s root: check it again after the debounce delay."""
        if self.closed:
            return
        state.generation += 1
        state.settled.clear()
        delay = state.debounce_ms if delay_ms is None else delay_ms
        task = asyncio.get_running_loop().create_task(self._run(state, state.generation, delay / 1000))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, state: RootState, generation: int, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        if generation != state.generation or self.closed:
            return  # superseded while waiting
        async with state.lock:
            if generation != state.generation or self.closed:
                return
            pending = state.pending.take()
            uris = dict(state.open_uris)
            loop = asyncio.get_running_loop()
            self.runs += 1
            # The cyclic collector waits until the results are out: a keystroke's check allocates tens
            # of thousands of objects (models of the edited file, findings, diagnostics), and the
            # collections they trigger mid-check cost about 10% of it. Re-enabled below, after
            # publishing, where the next allocation triggers them as usual (same generations, same
            # thresholds: only later).
            paused = self._frozen and gc.isenabled()
            if paused:
                gc.disable()
            try:
                outcome = await loop.run_in_executor(
                    self._executor, run_job, state, pending, uris, self._encoding(), state.watching
                )
            except BaseException:
                if paused:
                    gc.enable()
                raise
            state.nav_dirty = True  # its navigation snapshot is built when a request asks (nav_request)
        try:
            published = self._finish(state, generation, outcome)
        finally:
            if paused:
                gc.enable()
        if published and state.ws is not None and state.ws.store is not None:  # after the first results
            await asyncio.get_running_loop().run_in_executor(self._executor, finish_index, state)

    def _finish(self, state: RootState, generation: int, outcome: Outcome) -> bool:
        """Publish a job's outcome unless a newer change superseded it (False: dropped)."""
        state.debounce_ms = outcome.debounce_ms
        if not self._frozen:
            # The first check built the long-lived caches: keep the cyclic GC from walking them on
            # every later keystroke (gen-2 collections over a large index cost tens of ms).
            gc.collect()
            gc.freeze()
            self._frozen = True
        if generation != state.generation or self.closed:
            self.dropped += 1
            return False  # superseded while running: a newer run publishes
        try:
            self._publish(state, outcome)
        except Exception:
            log.exception("publishing diagnostics failed")
        state.settled.set()
        if state.unswept and state.sweep_timer is None:
            state.sweep_timer = asyncio.get_running_loop().call_later(SWEEP_INTERVAL_S, self._sweep, state)
        return True

    def _sweep(self, state: RootState) -> None:
        """A check trusted file stamps to answer a keystroke fast: once the edits pause, check again,
        statting every file, so changes made on disk meanwhile are seen (only without file watching).
        While edits keep coming this waits (their own checks stat the files every SWEEP_MAX_S)."""
        state.sweep_timer = None
        if not state.unswept or self.closed:
            return
        pause = SWEEP_INTERVAL_S / 2
        if time.monotonic() - state.last_check < pause:
            state.sweep_timer = asyncio.get_running_loop().call_later(pause, self._sweep, state)
            return
        state.last_sweep = float("-inf")
        self.touch(state, 0)

    async def on_worker(self, state: RootState, fn: Callable[[RootState], T]) -> T:
        """Run `fn(state)` on the worker, after the root's running check (if any), before the next."""
        async with state.lock:
            return await asyncio.get_running_loop().run_in_executor(self._executor, fn, state)

    async def settle(self, state: RootState) -> None:
        """Wait until the results of `state` match its latest changes."""
        await state.settled.wait()

    def shutdown(self) -> None:
        self.closed = True
        for task in list(self._tasks):
            task.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)
