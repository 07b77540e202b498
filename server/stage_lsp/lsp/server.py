"""The stage-lsp language server (pygls 2): session state, wiring of the feature modules, stdio entry point.

Each feature module handles one LSP area and exposes `register(server)`:
lifecycle (initialize, index, folders, shutdown), documents (didOpen/didChange/didClose/didSave),
watched (didChangeWatchedFiles), configuration (editor settings) and diagnostics (push and pull).
The checks themselves run on one worker thread (scheduler, checker) through the same engine as the CLI;
nothing here decides what a finding is.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidRequest
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import from_fs_path

from stage_lsp import __version__
from stage_lsp.lsp import (
    code_actions,
    completion,
    configuration,
    diagnostics,
    documents,
    lifecycle,
    navigation,
    symbols,
    watched,
)
from stage_lsp.lsp.checker import Outcome
from stage_lsp.lsp.editor_settings import normalise
from stage_lsp.lsp.roots import Roots, RootState
from stage_lsp.lsp.scheduler import Scheduler

log = logging.getLogger("stage_lsp.lsp")


class StageProtocol(LanguageServerProtocol):
    """pygls's protocol, answering requests that arrive after `shutdown` as the LSP specification says:
    with the error InvalidRequest. pygls drops them without a response, which leaves a client waiting."""

    def handle_message(self, message: Any) -> None:
        method = getattr(message, "method", None)
        msg_id = getattr(message, "id", None)
        if self._shutdown and method is not None and msg_id is not None and method != types.EXIT:
            error = JsonRpcInvalidRequest("the server is shut down; only `exit` is accepted")
            self._send_response(msg_id, None, error.to_response_error())
            return
        super().handle_message(message)


class StageLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            name="stage-lsp",
            version=__version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=StageProtocol,
        )
        self.roots = Roots()
        self.pull = False  # pull diagnostics (the client announced textDocument.diagnostic)
        self.refresh_support = False  # the client accepts workspace/diagnostic/refresh
        self.watching = False  # the client watches files for us
        self.init_editor: dict[str, Any] = {}  # editor settings from initializationOptions
        self.result_ids: dict[str, str] = {}  # URI -> result id of its current diagnostics (pull)
        self.scheduler = Scheduler(self._publish, self.position_encoding)
        self._logged: set[str] = set()
        self.background: set[asyncio.Task[None]] = set()  # tasks to keep a reference to until done
        self._told: set[str] = set()

    # -- session -------------------------------------------------------------------------------------

    def setup(self, params: types.InitializeParams) -> None:
        """Record what the client offers (called from `initialize`)."""
        caps = params.capabilities
        if params.trace is not None:
            self.protocol.trace = params.trace
        self.init_editor = normalise(params.initialization_options)
        self.pull = bool(caps.text_document and caps.text_document.diagnostic is not None)
        diag = caps.workspace.diagnostics if caps.workspace else None
        self.refresh_support = bool(diag and diag.refresh_support)
        folders = list(params.workspace_folders or [])
        root_uri = params.root_uri or (from_fs_path(params.root_path) if params.root_path else None)
        if not folders and root_uri:
            folders = [types.WorkspaceFolder(uri=root_uri, name=root_uri.rstrip("/").rsplit("/", 1)[-1])]
        for folder in folders:
            self.roots.add(folder.uri, folder.name)

    def tracing(self) -> bool:
        """The client asked for a trace (`initialize` or `$/setTrace`): log every check."""
        return self.protocol.trace not in (None, types.TraceValue.Off)

    def position_encoding(self) -> str:
        """The negotiated encoding as its wire name: "utf-16", "utf-8" or "utf-32"."""
        try:
            encoding = self.workspace.position_encoding
        except RuntimeError:  # not initialised yet
            encoding = None
        if isinstance(encoding, types.PositionEncodingKind):
            return encoding.value
        return str(encoding or types.PositionEncodingKind.Utf16.value)

    def start_root(self, state: RootState) -> None:
        """Index a root found after initialisation (a document outside every workspace folder)."""
        task = asyncio.get_running_loop().create_task(lifecycle.start_roots(self, [state]))
        self._background = task  # keep a reference until it is done

    def _publish(self, state: RootState, outcome: Outcome) -> None:
        diagnostics.publish(self, state, outcome)
        if outcome.diagnostics is not None:  # navigation follows a check that succeeded
            navigation.checked(self, state)

    # -- messages ------------------------------------------------------------------------------------

    def log(
        self, message: str, kind: types.MessageType = types.MessageType.Log, *, once: bool = False
    ) -> None:
        """A line in the client's log (window/logMessage) and in the server's own log (stderr)."""
        if once:
            if message in self._logged:
                return
            self._logged.add(message)
        level = {
            types.MessageType.Error: logging.ERROR,
            types.MessageType.Warning: logging.WARNING,
            types.MessageType.Info: logging.INFO,
        }.get(kind, logging.DEBUG)
        log.log(level, "%s", message)
        with contextlib.suppress(Exception):  # no client connection (a server driven directly)
            self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def tell(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        """Show a message to the user once per session (window/showMessage), and log it."""
        self.log(message, kind)
        if message in self._told:
            return
        self._told.add(message)
        with contextlib.suppress(Exception):
            self.window_show_message(types.ShowMessageParams(type=kind, message=message))


def create_server() -> StageLanguageServer:
    server = StageLanguageServer()
    for module in (
        lifecycle,
        documents,
        watched,
        configuration,
        diagnostics,
        navigation,
        symbols,
        completion,
        code_actions,
    ):
        module.register(server)
    return server


def serve(args: argparse.Namespace) -> int:
    """`stage-lsp server [--stdio]`: serve one client over stdin/stdout until it exits."""
    logging.basicConfig(
        level=getattr(logging, str(getattr(args, "log_level", "warning")).upper(), logging.WARNING),
        stream=sys.stderr,
        format="stage-lsp %(levelname)s %(name)s: %(message)s",
    )
    server = create_server()
    server.start_io()
    server.scheduler.shutdown()
    return 0 if getattr(server.protocol, "_shutdown", False) else 1  # exit without shutdown: 1 (LSP spec)
