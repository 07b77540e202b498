"""Document synchronisation: editor buffers become the Workspace's overlays (incremental sync).

pygls applies the incremental changes to its copy of the document; the handlers here hand the new text
and version to the document's root as a pending change and schedule a debounced recheck. A buffer the
project does not read (a README, a JSON file) is kept as an overlay too, but triggers no check. Saving
the project config reloads it; saving a file the project did not know yet (a new route) makes the root
choose its files again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument, Workspace

from stage_lsp.config.discovery import SOURCE_SUFFIXES
from stage_lsp.config.project import CONFIG_FILE, find_root
from stage_lsp.lsp.roots import RootState, ignored_path

if TYPE_CHECKING:
    from stage_lsp.lsp.server import StageLanguageServer

# LSP's line breaks: `\n`, `\r\n` and `\r`, nothing else (each line keeps its break).
_LSP_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class LspTextDocument(TextDocument):
    """pygls's document with the protocol's lines.

    pygls splits a document with `str.splitlines`, which also breaks at U+2028/U+2029, NEL, form feed,
    vertical tab and \\x1c-\\x1e; editors do not. In a plan with one of those (text pasted from a web
    page, a form feed between sections) every incremental edit after it was applied to the wrong line, so
    the server's copy of the buffer drifted from the editor's: findings on text nobody wrote.
    """

    @property
    def lines(self) -> Sequence[str]:
        return tuple(_LSP_LINE.findall(self.source))


def use_lsp_lines(workspace: Workspace) -> None:
    """Make `workspace` create `LspTextDocument`s (called at `initialize`, before any document opens)."""
    create = workspace._create_text_document

    def create_lsp(*args: Any, **kwargs: Any) -> TextDocument:
        doc = create(*args, **kwargs)
        doc.__class__ = LspTextDocument
        return doc

    workspace._create_text_document = create_lsp  # type: ignore[method-assign]


CONFIG_FILES = frozenset({CONFIG_FILE, "pyproject.toml"})
PROJECT_SUFFIXES = SOURCE_SUFFIXES | {".md", ".mdc", ".sql"}


def is_project_kind(rel: str) -> bool:
    """A file of a kind the project may read (the file set decides whether it does)."""
    return PurePosixPath(rel).suffix.lower() in PROJECT_SUFFIXES and not ignored_path(rel)


def _adopt(ls: StageLanguageServer, uri: str) -> tuple[RootState, str] | None:
    """A client without workspace folders: the document's project root becomes a root, if it has one."""
    if len(ls.roots):
        return None
    path = to_fs_path(uri)
    if path is None:
        return None
    root = find_root(Path(path))
    if not any((root / marker).exists() for marker in (CONFIG_FILE, "pyproject.toml", ".git")):
        return None
    state = ls.roots.add(root.as_uri())
    if state is None:
        return None
    ls.start_root(state)
    return ls.roots.route(uri)


def _route(ls: StageLanguageServer, uri: str) -> tuple[RootState, str] | None:
    return ls.roots.route(uri) or _adopt(ls, uri)


def buffer_changed(ls: StageLanguageServer, uri: str) -> None:
    routed = _route(ls, uri)
    if routed is None:
        return
    state, rel = routed
    doc = ls.workspace.get_text_document(uri)
    state.open_uris[rel] = uri
    state.pending.overlays[rel] = (doc.source, doc.version)
    if rel in state.known_files or not state.known_files:
        ls.scheduler.touch(state)


def buffer_closed(ls: StageLanguageServer, uri: str) -> None:
    routed = ls.roots.route(uri)
    if routed is None:
        return
    state, rel = routed
    state.open_uris.pop(rel, None)
    state.pending.overlays[rel] = (None, None)
    if rel in state.known_files:
        ls.scheduler.touch(state)


def buffer_saved(ls: StageLanguageServer, uri: str) -> None:
    routed = ls.roots.route(uri)
    if routed is None:
        return
    state, rel = routed
    if rel in CONFIG_FILES:
        state.pending.reload_config = True
        ls.scheduler.touch(state, 0)
    elif rel not in state.known_files and is_project_kind(rel):
        state.pending.rediscover = True
        ls.scheduler.touch(state)


def register(server: StageLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: StageLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        buffer_changed(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: StageLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        buffer_changed(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: StageLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        buffer_closed(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: StageLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        buffer_saved(ls, params.text_document.uri)
