"""What the checker does to the machine, seen through Python's audit hooks (PEP 578).

`recording()` collects the audit events of interest while it is active: files opened and folders listed
(with their paths), sockets connected or names resolved, processes started. Audit hooks see every such
call, in stage_lsp and in every library it uses, so a test can prove a negative ("no socket was opened")
instead of trusting a grep. A hook cannot be removed once added: one hook is installed per process and
records only inside `recording()`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

NETWORK = frozenset(
    {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "socket.sendto"}
)
PROCESS = frozenset(
    {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile", "pty.spawn"}
)
FILES = frozenset({"open", "os.scandir", "os.listdir", "os.walk", "glob.glob"})


@dataclass
class Recording:
    events: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def of(self, names: frozenset[str]) -> list[tuple[str, tuple[Any, ...]]]:
        return [(name, args) for name, args in self.events if name in names]

    def paths(self) -> list[str]:
        """Every path opened or listed (absolute, symlinks resolved: where the data really came from)."""
        out = []
        for _event, args in self.of(FILES):
            target = args[0] if args else None
            if isinstance(target, bytes):
                target = os.fsdecode(target)
            if isinstance(target, os.PathLike):
                target = os.fspath(target)
            if isinstance(target, str):
                out.append(os.path.realpath(target))
        return out


_ACTIVE: list[Recording] = []
_INSTALLED: list[bool] = []


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _ACTIVE and (event in NETWORK or event in PROCESS or event in FILES):
        _ACTIVE[-1].events.append((event, args))


@contextmanager
def recording() -> Iterator[Recording]:
    if not _INSTALLED:
        sys.addaudithook(_hook)
        _INSTALLED.append(True)
    rec = Recording()
    _ACTIVE.append(rec)
    try:
        yield rec
    finally:
        _ACTIVE.remove(rec)
