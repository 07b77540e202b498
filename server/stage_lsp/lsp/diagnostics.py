"""Delivering diagnostics: push (textDocument/publishDiagnostics) or pull (textDocument/diagnostic,
workspace/diagnostic), never both.

Pull is used when the client announces `textDocument.diagnostic` (VS Code with vscode-languageclient 8+),
push otherwise (Neovim 0.7, Emacs eglot): a client that pulls and is also pushed to shows every finding
twice. Findings cross files (a plan edit changes diagnostics in code), so after every check the URIs
whose diagnostics changed are republished (push, `[]` clears) or the client is asked to pull again
(`workspace/diagnostic/refresh`). Result ids change exactly when a URI's diagnostics change, so an
unchanged URI is answered with an unchanged report.
"""

from __future__ import annotations

import itertools
import os
import time
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from stage_lsp.lsp.checker import Outcome, describe
from stage_lsp.lsp.roots import RootState

if TYPE_CHECKING:
    from stage_lsp.lsp.server import StageLanguageServer

_EPOCH = f"{os.getpid():x}-{int(time.time()):x}"
_counter = itertools.count(1)
SLOW_CHECK_S = 0.5
DIAGNOSTIC_OPTIONS = types.DiagnosticOptions(
    identifier="stage-lsp", inter_file_dependencies=True, workspace_diagnostics=True
)


def result_id(ls: StageLanguageServer, uri: str) -> str:
    return ls.result_ids.get(uri, f"{_EPOCH}.0")


def publish(ls: StageLanguageServer, state: RootState, outcome: Outcome) -> None:
    """Deliver one check's results: log its errors, then push or ask for a pull of what changed."""
    for error in outcome.errors:
        ls.log(error, types.MessageType.Error, once=True)
    for notice in outcome.notices:
        ls.tell(notice, types.MessageType.Warning)
    if outcome.diagnostics is None:
        return  # the check failed: keep what is shown (the error is logged)
    new = outcome.diagnostics
    old = state.diagnostics
    changed = sorted(uri for uri in set(old) | set(new) if old.get(uri) != new.get(uri))
    state.diagnostics = new
    state.versions = outcome.versions
    state.known_files = outcome.known_files
    for uri in changed:
        ls.result_ids[uri] = f"{_EPOCH}.{next(_counter)}"
    if changed and ls.pull and ls.refresh_support:
        ls.workspace_diagnostic_refresh(None)
    elif changed and not ls.pull:
        for uri in changed:
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri, diagnostics=new.get(uri, []), version=outcome.versions.get(uri)
                )
            )
    # last, so a client that sees this line has seen every publication of the check; on every check
    # only when tracing (a line per keystroke would flood the editor's log), else the index and slow ones
    first, state.indexed = not state.indexed, True
    if first or ls.tracing() or outcome.seconds >= SLOW_CHECK_S:
        ls.log(f"checked {state.name}: {describe(outcome)}", types.MessageType.Log)


def clear(ls: StageLanguageServer, state: RootState) -> None:
    """A root was removed: take its diagnostics away."""
    uris = sorted(state.diagnostics)
    state.diagnostics = {}
    for uri in uris:
        ls.result_ids[uri] = f"{_EPOCH}.{next(_counter)}"
        if not ls.pull:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    if uris and ls.pull and ls.refresh_support:
        ls.workspace_diagnostic_refresh(None)


def _key(state: RootState, uri: str) -> str:
    """The URI under which `uri`'s diagnostics are stored (clients may spell URIs differently)."""
    if uri in state.diagnostics:
        return uri
    path = to_fs_path(uri)
    canonical = from_fs_path(path) if path else None
    return canonical if canonical and canonical in state.diagnostics else uri


def register(server: StageLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, DIAGNOSTIC_OPTIONS)
    async def document_diagnostic(
        ls: StageLanguageServer, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport:
        routed = ls.roots.route(params.text_document.uri)
        if routed is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[], result_id=f"{_EPOCH}.0")
        state = routed[0]
        await ls.scheduler.settle(state)
        key = _key(state, params.text_document.uri)
        rid = result_id(ls, key)
        if params.previous_result_id == rid:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=rid)
        return types.RelatedFullDocumentDiagnosticReport(items=state.diagnostics.get(key, []), result_id=rid)

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    async def workspace_diagnostic(
        ls: StageLanguageServer, params: types.WorkspaceDiagnosticParams
    ) -> types.WorkspaceDiagnosticReport:
        previous = {p.uri: p.value for p in params.previous_result_ids}
        items: list[types.WorkspaceDocumentDiagnosticReport] = []
        seen: set[str] = set()
        for state in ls.roots:
            await ls.scheduler.settle(state)
            for uri, diagnostics in state.diagnostics.items():
                seen.add(uri)
                rid, version = result_id(ls, uri), state.versions.get(uri)
                if previous.get(uri) == rid:
                    items.append(
                        types.WorkspaceUnchangedDocumentDiagnosticReport(
                            uri=uri, result_id=rid, version=version
                        )
                    )
                else:
                    items.append(
                        types.WorkspaceFullDocumentDiagnosticReport(
                            uri=uri, items=diagnostics, result_id=rid, version=version
                        )
                    )
        for uri, value in previous.items():
            if uri not in seen and value != result_id(ls, uri):  # had findings, now has none
                items.append(
                    types.WorkspaceFullDocumentDiagnosticReport(
                        uri=uri, items=[], result_id=result_id(ls, uri), version=None
                    )
                )
        return types.WorkspaceDiagnosticReport(items=items)
