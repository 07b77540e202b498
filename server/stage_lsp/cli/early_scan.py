"""The per-file passes of a cold CLI check, run in a child forked before the checker's heavy imports.

A cold check spends its first ~0.2 s on one core (the engine, rules and readers are imported, the reads
listed) while the other cores wait for the prefetch pool (`workspace.prefetch`). The secret scan and the
search for suppression comments need none of that: only the file list, which discovery has made by
then, and two small modules. So the command line forks a child right there (`start`); it reads every
file the secret scan covers (sources, migrations, plans: `FileSet.scanned_for_secrets`), scans it for
secrets and suppressions, and pipes back, per file, the digest of what it read and what it found.
`finish` hands that to the workspace (`Workspace.offer`). A file this process never reads (most
sources: only route files and their imports are parsed) is taken as the child read it, exactly as if
this process had read it then; a file it reads too uses the child's results only for the very content
the child read (same digest), so a file that changed in between is scanned again by the normal path.

Only where `fork` exists and more than one core is usable, for projects of `MIN_FILES` or more, from a
process without other threads (`usable`), and only when no disk cache holds secret-scan results
(`--no-cache`, a first run): otherwise the cache answers.
The child never writes anything but the pipe and ends with `os._exit` (no atexit handlers, no flushing
of this process's buffers). A child that fails, dies or is still busy after `WAIT_S` is killed, and the
workspace scans every file itself: nothing depends on the child but speed.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stage_lsp.workspace.workspace import Workspace

MIN_FILES = 100  # below this the scan costs ~10 ms or less: not worth a fork
WAIT_S = 30.0  # how long `finish` waits for a child still scanning before it kills it
READERS = ("secrets", "suppressions")  # the workspace readers whose results the child computes


def usable(files: int) -> bool:
    """Whether an early scan of `files` files can run and pays here. Never from a process with other
    threads (a library's or a test runner's): one of them could hold a lock (the import lock, a
    logging handler's) that the forked child would then wait for forever."""
    if files < MIN_FILES or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    if threading.active_count() > 1:
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return cores >= 2


class EarlyScan:
    """A running child's scan: `finish` collects it (once)."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.fd = fd
        self.chunks: list[bytes] = []
        self.done = False
        self.offered = 0

    @classmethod
    def start(cls, root: Path, rels: list[str]) -> EarlyScan | None:
        """Fork the child (None when an early scan does not pay or cannot start here)."""
        if not usable(len(rels)):
            return None
        try:
            read_fd, write_fd = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the child
            status = 1
            try:
                os.close(read_fd)
                _scan(root, rels, write_fd)
                status = 0
            finally:
                os._exit(status)
        os.close(write_fd)
        return cls(pid, read_fd)

    def finish(self, ws: Workspace, wait: float = WAIT_S) -> int:
        """Take the child's results into `ws` (waiting up to `wait` seconds for them); how many files'
        results were offered. The child is reaped in any case."""
        if self.done:
            return self.offered
        self.done = True
        try:
            complete = self._drain(time.monotonic() + wait)
        finally:
            self._end()
        if not complete:
            return 0
        from stage_lsp.workspace.cache import loads

        try:  # the restricted unpickler of the disk cache: stage_lsp's own classes only
            found: list[tuple[str, str, Any, Any]] = loads(b"".join(self.chunks))
        except Exception:  # a child that died mid-write: the normal path scans
            return 0
        self.chunks = []
        for rel, digest, secrets, suppressions in found:
            ws.offer(READERS[0], rel, digest, secrets)
            ws.offer(READERS[1], rel, digest, suppressions)
        self.offered = len(found)
        return self.offered

    def close(self) -> None:
        """Stop the child unless `finish` took its results (the check ended another way)."""
        if not self.done:
            self.done = True
            self._end()

    def _drain(self, deadline: float) -> bool:
        """Read the pipe to its end; False when the deadline passed first."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return False
            try:
                chunk = os.read(self.fd, 1 << 20)
            except InterruptedError:
                continue
            except OSError:
                return False
            if not chunk:
                return True
            self.chunks.append(chunk)

    def _end(self) -> None:
        """Close the pipe and reap the child, killing it first if it is still running (the deadline
        passed, or its results are not wanted any more; one that has written everything is exiting)."""
        with contextlib.suppress(OSError):
            os.close(self.fd)
        with contextlib.suppress(OSError):
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid == 0:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)


def _scan(root: Path, rels: list[str], fd: int) -> None:
    """The child: read and scan every file, then write [(rel, digest, secrets, suppressions)] to `fd`."""
    from stage_lsp.code.secrets import scan_secrets
    from stage_lsp.core.source import RealDirs, read_source
    from stage_lsp.engine.suppressions import find_suppressions
    from stage_lsp.workspace.cache import dispatch_table, pack

    dirs = RealDirs(root)
    out: list[tuple[str, str, Any, Any]] = []
    for rel in rels:
        src = read_source(root, rel, dirs=dirs)
        try:
            out.append((rel, src.digest, scan_secrets(src), find_suppressions(src)))
        except Exception:  # the normal path meets it and reports it as it would
            continue
    data = memoryview(pack(out, dispatch_table()))
    while data:
        written = os.write(fd, data)
        data = data[written:]
