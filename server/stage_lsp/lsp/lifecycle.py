"""Session lifecycle: initialize (roots, push or pull, settings), the initial index with `$/progress`,
workspace folders added and removed, shutdown.

`initialize` only records what the client offers: one root per workspace folder (or the root URI), the
diagnostics mode and the initialization options; pygls negotiates `positionEncoding` (the first encoding
the client offers that the server supports: UTF-8, UTF-16 or UTF-32). `initialized` registers file
watching and configuration changes, fetches each root's editor settings and indexes every root once: the
first check reads every file and fills the per-file caches that later edits reuse.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from stage_lsp.lsp import configuration, diagnostics, documents, watched
from stage_lsp.lsp.roots import RootState

if TYPE_CHECKING:
    from stage_lsp.lsp.server import StageLanguageServer


async def _create_progress(ls: StageLanguageServer) -> str | None:
    window = ls.client_capabilities.window
    if not (window and window.work_done_progress):
        return None
    token = f"stage-lsp/index/{uuid.uuid4().hex[:8]}"
    try:
        await ls.work_done_progress.create_async(token)
    except Exception as exc:
        ls.log(f"progress not available: {exc!r}", types.MessageType.Log)
        return None
    return token


async def index(ls: StageLanguageServer, states: list[RootState]) -> None:
    """Check each root once (reading every file), reporting progress to the client."""
    if not states:
        return
    token = await _create_progress(ls)
    progress = ls.work_done_progress
    if token:
        progress.begin(
            token,
            types.WorkDoneProgressBegin(
                title="stage-lsp: indexing", message=", ".join(s.name for s in states), percentage=0
            ),
        )
    for state in states:
        ls.scheduler.touch(state, 0)
    for done, state in enumerate(states, start=1):
        await ls.scheduler.settle(state)
        if token:
            progress.report(
                token,
                types.WorkDoneProgressReport(
                    message=f"{state.name} indexed", percentage=done * 100 // len(states)
                ),
            )
    if token:
        progress.end(token, types.WorkDoneProgressEnd(message=f"{len(states)} root(s) indexed"))


async def start_roots(ls: StageLanguageServer, states: list[RootState]) -> None:
    for state in states:
        state.watching = ls.watching
    for state, editor in await configuration.editor_settings_for(ls, states):
        state.pending.editor = editor
    await index(ls, states)


def register(server: StageLanguageServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(ls: StageLanguageServer, params: types.InitializeParams) -> None:
        ls.setup(params)
        documents.use_lsp_lines(ls.workspace)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: StageLanguageServer, params: types.InitializedParams) -> None:
        ls.watching = await watched.register_watchers(ls)
        await configuration.register_for_changes(ls)
        mode = "pull" if ls.pull else "push"
        ls.log(
            f"stage-lsp {ls.version}: {len(ls.roots)} root(s), {mode} diagnostics, "
            f"position encoding {ls.position_encoding()}, file watching {'on' if ls.watching else 'off'}",
            types.MessageType.Info,
        )
        await start_roots(ls, list(ls.roots))

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    async def folders_changed(ls: StageLanguageServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        for folder in params.event.removed:
            removed = ls.roots.remove(folder.uri)
            if removed is not None:
                diagnostics.clear(ls, removed)
        added = [ls.roots.add(f.uri, f.name) for f in params.event.added]
        await start_roots(ls, [s for s in added if s is not None])

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: StageLanguageServer, params: Any) -> None:
        ls.scheduler.shutdown()
