"""File watching: plans, migrations, sources and config changed on disk (by git, a generator, a rename).

The server registers `workspace/didChangeWatchedFiles` dynamically when the client can watch files.
Events are handled per root: a changed file is re-read at the next check, a created or deleted one makes
the root choose its files again (a rename arrives as delete + create: the old URI's diagnostics are
cleared, the new one's appear), `.gitignore` and `package.json` changes do too, and `stage-lsp.toml` /
`pyproject.toml` reload the configuration. While the client watches, the Workspace trusts its caches for
files not open in the editor, so a recheck never touches the disk.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from lsprotocol import types

from stage_lsp.lsp.documents import CONFIG_FILES, is_project_kind
from stage_lsp.lsp.roots import RootState, ignored_path

if TYPE_CHECKING:
    from stage_lsp.lsp.server import StageLanguageServer

REGISTRATION_ID = "stage-lsp/watched-files"
GLOBS = (
    "**/*.md",
    "**/*.mdc",
    "**/*.sql",
    "**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py}",
    "**/stage-lsp.toml",
    "**/pyproject.toml",
    "**/.gitignore",
    "**/package.json",
)
REDISCOVER_NAMES = frozenset({".gitignore", "package.json"})


def can_watch(ls: StageLanguageServer) -> bool:
    ws = ls.client_capabilities.workspace
    watched = ws.did_change_watched_files if ws else None
    return bool(watched and watched.dynamic_registration)


async def register_watchers(ls: StageLanguageServer) -> bool:
    """Ask the client to watch the project's files; True when it accepted."""
    if not can_watch(ls):
        return False
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in GLOBS]
    )
    registration = types.Registration(
        id=REGISTRATION_ID, method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
    )
    try:
        await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
    except Exception as exc:  # a client that refuses is not fatal: checks then stat the files
        ls.log(f"file watching not available: {exc}", types.MessageType.Warning)
        return False
    return True


def file_event(state: RootState, rel: str, kind: types.FileChangeType) -> bool:
    """Record one event as a pending change; True when it needs a check."""
    if ignored_path(rel):
        return False
    if rel in CONFIG_FILES:
        state.pending.reload_config = True
    elif PurePosixPath(rel).name in REDISCOVER_NAMES:
        state.pending.rediscover = True
    elif not is_project_kind(rel):
        return False
    if kind != types.FileChangeType.Changed:
        state.pending.rediscover = True
    state.pending.disk.add(rel)
    return True


def register(server: StageLanguageServer) -> None:
    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files_changed(ls: StageLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        touched: dict[int, RootState] = {}
        for change in params.changes:
            routed = ls.roots.route(change.uri)
            if routed is not None and file_event(routed[0], routed[1], change.type):
                touched[id(routed[0])] = routed[0]
        for state in touched.values():
            ls.scheduler.touch(state)
