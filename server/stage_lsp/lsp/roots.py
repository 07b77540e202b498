"""Workspace roots: one project (one Workspace) per workspace folder, and which root a document belongs to.

A `RootState` is shared by two sides. The event loop owns the `pending` changes, the generation counter,
the open documents' URIs and what was last published; the check worker owns `ws` and `editor`. The
worker only sees pending changes handed over by the scheduler, so the Workspace is never touched by two
threads.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from stage_lsp.config.discovery import SKIP_DIRS
from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Violation
from stage_lsp.engine.reuse import RuleReuse
from stage_lsp.lsp.nav_state import NavSnapshot
from stage_lsp.workspace import Workspace


@dataclass
class Pending:
    """Changes waiting for the next check of a root (applied in order by the worker)."""

    overlays: dict[str, tuple[str | None, int | None]] = field(default_factory=dict)  # None text: closed
    disk: set[str] = field(default_factory=set)  # changed on disk
    rediscover: bool = False  # the set of files may have changed
    reload_config: bool = False
    editor: dict[str, Any] | None = None  # new editor settings

    def take(self) -> Pending:
        taken = Pending(dict(self.overlays), set(self.disk), self.rediscover, self.reload_config, self.editor)
        self.overlays.clear()
        self.disk.clear()
        self.rediscover = self.reload_config = False
        self.editor = None
        return taken


@dataclass(frozen=True)
class Converted:
    """A file's findings as last converted, and what the conversion depended on (URIs, versions, texts)."""

    violations: tuple[Violation, ...]
    # (encoding, (rel, uri, version, content digest) of every file its diagnostics were converted from)
    depends: tuple[Any, ...]
    diagnostics: list[types.Diagnostic]


@dataclass
class RootState:
    root: Path
    uri: str
    name: str
    # event-loop side
    pending: Pending = field(default_factory=Pending)
    generation: int = 0
    open_uris: dict[str, str] = field(default_factory=dict)  # rel -> the client's URI of an open document
    diagnostics: dict[str, list[types.Diagnostic]] = field(default_factory=dict)  # published, by URI
    versions: dict[str, int] = field(default_factory=dict)  # URI -> document version of that publication
    debounce_ms: int = 150
    known_files: frozenset[str] = frozenset()  # files the project reads, as of the last check
    indexed: bool = False  # the first check has been published
    watching: bool = False  # a file watcher reports disk changes: the worker may trust its caches
    settled: asyncio.Event = field(default_factory=asyncio.Event)  # results match the latest changes
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # worker side
    ws: Workspace | None = None
    editor: dict[str, Any] = field(default_factory=dict)
    file_uris: dict[str, str] = field(default_factory=dict)  # rel -> URI of a file not open in the editor
    converted: dict[str, Converted] = field(default_factory=dict)  # rel -> last conversion of its findings
    # event-loop side: what navigation answers from (None: none yet); `nav_dirty`: a check completed since
    # it was built, so the next navigation request builds it again on the worker (lsp.nav_request)
    navigation: NavSnapshot | None = None
    nav_dirty: bool = False
    nav_building: Any = None  # the build under way (an asyncio.Task), awaited by every request meanwhile
    lens_shown: list[NavSnapshot] = field(default_factory=list)  # lenses fetched since the last refresh
    lens_told: bool = False  # a `workspace/codeLens/refresh` was sent once (after the first check)
    # worker side: the last completed check's models, until a navigation request builds their snapshot;
    # and the last snapshot built with the models it was built from (reused while they are the same)
    nav_input: tuple[Workspace, CheckContext] | None = None
    nav_built: tuple[tuple[Any, ...], NavSnapshot] | None = None
    rule_reuse: RuleReuse = field(default_factory=RuleReuse)  # rules' findings while their inputs stay
    converted_findings: dict[int, Any] = field(default_factory=dict)  # id(finding) -> its conversion
    last_sweep: float = float("-inf")  # when a check last stat'ed every file (no file watching only)
    unswept: bool = False  # the last check trusted file stamps of an earlier check (no stat sweep)
    sweep_timer: Any = None  # the trailing check that will stat them (asyncio TimerHandle)
    last_check: float = float("-inf")  # when the last check started (time.monotonic)

    def uri_of(self, rel: str) -> str:
        return self.open_uris.get(rel) or from_fs_path(str(self.root / rel)) or ""


def ignored_path(rel: str) -> bool:
    """Dependency, build and VCS folders: never part of a project (events there are noise)."""
    return any(part in SKIP_DIRS for part in PurePosixPath(rel).parts[:-1])


class Roots:
    """The roots of the session, by path; documents are routed to the innermost root holding them."""

    def __init__(self) -> None:
        self._states: dict[Path, RootState] = {}

    def __iter__(self) -> Iterator[RootState]:
        return iter(list(self._states.values()))

    def __len__(self) -> int:
        return len(self._states)

    def add(self, uri: str, name: str | None = None) -> RootState | None:
        path = to_fs_path(uri)
        if path is None:
            return None
        root = Path(os.path.normpath(path))
        if root in self._states:
            return self._states[root]
        state = RootState(root=root, uri=uri, name=name or root.name)
        self._states[root] = state
        return state

    def remove(self, uri: str) -> RootState | None:
        path = to_fs_path(uri)
        if path is None:
            return None
        return self._states.pop(Path(os.path.normpath(path)), None)

    def route(self, uri: str) -> tuple[RootState, str] | None:
        """The root holding the document and its path relative to that root (`/`-separated)."""
        path = to_fs_path(uri)
        if path is None:
            return None
        target = Path(os.path.normpath(path))
        best: RootState | None = None
        for root, state in self._states.items():
            if target.is_relative_to(root) and (best is None or len(root.parts) > len(best.root.parts)):
                best = state
        if best is None or target == best.root:
            return None
        return best, target.relative_to(best.root).as_posix()
