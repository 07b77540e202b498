"""One navigation request: its root, its document, the last snapshot, and positions in both directions.

The snapshot is built when a request first needs it after a check (`snapshot`): on the check worker,
between checks (`checker.build_navigation`), so a keystroke's diagnostics never wait for navigation and
a session that never asks for it never builds it. Every request answers from the last completed check.

Incoming positions are the client's (negotiated encoding, the editor's current text); they are mapped to
code points of the snapshot's text. Outgoing ranges are mapped from the snapshot's text to the editor's
current text (for open documents) and converted to the client's encoding on the line they end up on.
"""

from __future__ import annotations

import asyncio
import functools
import traceback
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from lsprotocol import types

from stage_lsp.core.location import Location, Range
from stage_lsp.core.text import LineIndex
from stage_lsp.lsp.checker import build_navigation
from stage_lsp.lsp.convert import client_column
from stage_lsp.lsp.nav_state import NavSnapshot, TextShift, code_point_column, lsp_text
from stage_lsp.lsp.roots import RootState

if TYPE_CHECKING:
    from stage_lsp.lsp.server import StageLanguageServer

P = TypeVar("P")
R = TypeVar("R")


def guarded(
    handler: Callable[[StageLanguageServer, P], Awaitable[R]],
) -> Callable[[StageLanguageServer, P], Awaitable[R | None]]:
    """A request handler that answers "nothing" instead of an error when it fails (a bug, logged once):
    navigation is a convenience, and an editor shows every failed hover or lens as an error."""

    @functools.wraps(handler)
    async def run(ls: StageLanguageServer, params: P) -> R | None:
        try:
            return await handler(ls, params)
        except Exception:
            ls.log(
                f"{handler.__name__} failed:\n{traceback.format_exc()}", types.MessageType.Error, once=True
            )
            return None

    return run


async def snapshot(ls: StageLanguageServer, state: RootState) -> NavSnapshot | None:
    """The navigation snapshot of the root's last completed check: built now when a check completed
    since the last build (every request arriving meanwhile waits for the same build); None before the
    first check."""
    if state.nav_building is None and state.nav_dirty and not ls.scheduler.closed:
        state.nav_dirty = False
        state.nav_building = asyncio.ensure_future(_build(ls, state))
    if state.nav_building is not None:
        await asyncio.shield(state.nav_building)
    return state.navigation


async def _build(ls: StageLanguageServer, state: RootState) -> None:
    try:
        snap, errors = await ls.scheduler.on_worker(state, build_navigation)
    except RuntimeError:  # the worker was shut down
        return
    finally:
        state.nav_building = None
    for error in errors:
        ls.log(error, types.MessageType.Error, once=True)
    if snap is not None:
        state.navigation = snap


class NavRequest:
    def __init__(self, ls: StageLanguageServer, state: RootState, rel: str, snap: NavSnapshot) -> None:
        self.ls = ls
        self.state = state
        self.rel = rel
        self.snap = snap
        self.encoding = ls.position_encoding()
        self._live: dict[str, str | None] = {}
        self._shifts: dict[str, TextShift | None] = {}
        self._indexes: dict[str, LineIndex | None] = {}

    @staticmethod
    async def open(ls: StageLanguageServer, uri: str) -> NavRequest | None:
        """The request's context; None outside every root or before the first check finished."""
        routed = ls.roots.route(uri)
        if routed is None:
            return None
        state, rel = routed
        snap = await snapshot(ls, state)
        if snap is None:
            return None
        return NavRequest(ls, state, rel, snap)

    def live(self, rel: str) -> str | None:
        """The editor's current text of an open document (line breaks as the readers see them)."""
        if rel not in self._live:
            uri = self.state.open_uris.get(rel)
            text: str | None = None
            if uri is not None:
                try:
                    text = lsp_text(self.ls.workspace.get_text_document(uri).source)
                except Exception:  # a document pygls does not hold
                    text = None
            self._live[rel] = text
        return self._live[rel]

    def shift(self, rel: str) -> TextShift | None:
        if rel not in self._shifts:
            live = self.live(rel)
            lines = self.snap.lines(rel)
            self._shifts[rel] = (
                TextShift(lines.text, live)
                if live is not None and lines is not None and live != lines.text
                else None
            )
        return self._shifts[rel]

    def _line(self, rel: str, line: int) -> str:
        """A line of the editor's text of an open document, else of the snapshot's text."""
        if rel not in self._indexes:
            live = self.live(rel)
            self._indexes[rel] = LineIndex(live) if live is not None else self.snap.lines(rel)
        index = self._indexes[rel]
        return index.line(line) if index is not None else ""

    def position(self, pos: types.Position) -> tuple[int, int]:
        """The request's position as (line, code-point column) of the snapshot's text of its document."""
        col = code_point_column(self._line(self.rel, pos.line), pos.character, self.encoding)
        shift = self.shift(self.rel)
        return shift.to_old(pos.line, col) if shift is not None else (pos.line, col)

    def text_at(self, pos: types.Position) -> tuple[str, int]:
        """The editor's current text of the request's document and the cursor's code-point offset in it."""
        text = self._line(self.rel, pos.line)
        index = self._indexes.get(self.rel)
        if index is None:
            return "", 0
        return index.text, index.offset(pos.line, code_point_column(text, pos.character, self.encoding))

    def line_before(self, pos: types.Position) -> str:
        """The editor's text of the request's line before the cursor."""
        text = self._line(self.rel, pos.line)
        return text[: code_point_column(text, pos.character, self.encoding)]

    def _point(self, rel: str, line: int, col: int) -> types.Position:
        shift = self.shift(rel)
        if shift is not None:
            line, col = shift.to_new(line, col)
        return types.Position(line=line, character=client_column(self._line(rel, line), col, self.encoding))

    def range(self, rel: str, r: Range) -> types.Range:
        return types.Range(start=self._point(rel, r.line, r.col), end=self._point(rel, r.end_line, r.end_col))

    def location(self, loc: Location) -> types.Location:
        return types.Location(uri=self.state.uri_of(loc.file), range=self.range(loc.file, loc.range))
