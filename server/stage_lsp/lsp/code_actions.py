"""Code actions (textDocument/codeAction): the quick fixes of stage-lsp's diagnostics, and fix-all.

Every action is built from the diagnostic's `data` (the checker put the fix and the alternatives there,
in client positions, see `convert`) and the document; no rule runs here. The "suppress here" edit is
computed here, from the text the finding was computed from (`engine.suppress_here`; it may parse the
file, so it is not done for every finding of every check). For one diagnostic the actions are, in this
order:

- its fix, `kind: quickfix`, `isPreferred` (scaffold a route or a migration, add a field, rename, ...);
- its alternative fixes (amend the plan instead), `quickfix`;
- "suppress here": a `stage-lsp: ignore[SLnnn]` comment covering the finding, `quickfix`.

Titles read `stage-lsp (SLnnn): <what the fix does>`. `source.fixAll.stage-lsp` applies every SAFE fix
of the document's findings in one edit, leaving out a fix that would overlap one already taken.

Each action is checked against the files as they are now (`fix_edits`): a finding computed for another
version of its document gets no action (a disabled one with the reason when the client shows those), and
a fix that would write outside the root, over an existing file or into a changed file is left out the
same way.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from stage_lsp.core.source import SourceFile, read_source
from stage_lsp.engine.suppress_here import suppress_at
from stage_lsp.lsp.convert import SOURCE, client_column
from stage_lsp.lsp.fix_edits import Piece, check_fix, combine, now, relative, stale, workspace_edit
from stage_lsp.lsp.roots import RootState

if TYPE_CHECKING:
    from stage_lsp.lsp.server import StageLanguageServer

log = logging.getLogger("stage_lsp.lsp")

FIX_ALL = "source.fixAll.stage-lsp"
QUICK_FIX = types.CodeActionKind.QuickFix.value
OPTIONS = types.CodeActionOptions(
    code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=False
)
SETTLE_S = 5.0  # fix-all waits this long at most for the check of the latest edits
_CODE = re.compile(r"SL\d{3}")


def wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether the client asked for actions of `kind` (kinds are hierarchical: `source` covers
    `source.fixAll.stage-lsp`)."""
    if only is None:
        return kind != FIX_ALL
    return any(kind == k or kind.startswith(k + ".") for k in only)


def _disabled_support(ls: StageLanguageServer) -> bool:
    caps = ls.client_capabilities.text_document
    return bool(caps and caps.code_action and caps.code_action.disabled_support)


def _ours(d: types.Diagnostic) -> dict[str, Any] | None:
    if d.source != SOURCE or not isinstance(d.data, dict):
        return None
    return d.data


def _action(
    ls: StageLanguageServer,
    state: RootState,
    d: types.Diagnostic,
    fix: Any,
    *,
    preferred: bool,
    why_not: str | None,
) -> types.CodeAction | None:
    if not isinstance(fix, dict) or not isinstance(fix.get("title"), str):
        return None
    if fix.get("applicability") == "display-only":
        return None
    title = f"stage-lsp ({d.code}): {fix['title']}"
    edit: types.WorkspaceEdit | None = None
    if why_not is None:
        pieces = check_fix(ls, state, fix)
        if isinstance(pieces, str):
            why_not = pieces
        else:
            edit = workspace_edit(pieces, ls.client_capabilities)
            if edit is None:
                why_not = "the editor cannot create files through the language server"
    if edit is None:
        if not _disabled_support(ls):
            return None
        reason = why_not or "not applicable"
        return types.CodeAction(
            title=title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[d],
            disabled=types.CodeActionDisabled(reason=reason),
        )
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[d],
        is_preferred=preferred or None,
        edit=edit,
    )


def quick_fixes(
    ls: StageLanguageServer, state: RootState, uri: str, d: types.Diagnostic
) -> list[types.CodeAction]:
    """The fix, the alternatives and "suppress here" of one diagnostic."""
    data = _ours(d)
    if data is None:
        return []
    why_not = stale(now(ls, uri), data.get("version"), data.get("digest"))
    alternatives = data.get("alternatives")
    candidates: list[tuple[Any, bool]] = [(data.get("fix"), True)]
    if isinstance(alternatives, list):
        candidates.extend((alt, False) for alt in alternatives)
    candidates.append((_suppress(ls, state, uri, d, data), False))
    actions = []
    for fix, preferred in candidates:
        if fix is None:
            continue
        action = _action(ls, state, d, fix, preferred=preferred, why_not=why_not)
        if action is not None:
            actions.append(action)
    return actions


def _document(ls: StageLanguageServer, state: RootState, uri: str) -> SourceFile | None:
    """The document as the checker reads it: the open buffer, else the file on disk."""
    rel = relative(state, uri)
    if rel is None:
        return None
    doc = ls.workspace.text_documents.get(uri)
    if doc is not None:
        return SourceFile.from_text(rel, doc.source)
    return read_source(state.root, rel)


def _suppress(
    ls: StageLanguageServer, state: RootState, uri: str, d: types.Diagnostic, data: dict[str, Any]
) -> dict[str, Any] | None:
    """The "suppress here" fix of the diagnostic, in the shape of the fixes in `data` (see `convert`),
    computed from the document as it is now. Its edit carries the finding's version and digest, so
    `check_fix` refuses it exactly when the document is no longer the text the finding was computed
    from (then the comment's place was found in the current text, and the action is shown disabled)."""
    code = d.code
    if (
        not isinstance(code, str)
        or _CODE.fullmatch(code) is None
        or not isinstance(data.get("fingerprint"), str)
    ):
        return None  # not a finding of this server's (every published one has a fingerprint)
    src = _document(ls, state, uri)
    if src is None:
        return None
    line = d.range.start.line
    edit = suppress_at(src, code, line)
    if edit is None:
        return None
    r = edit.location.range
    encoding = ls.position_encoding()

    def point(line: int, col: int) -> dict[str, int]:
        return {"line": line, "character": client_column(src.lines.line(line), col, encoding)}

    change = {
        "kind": "edit",
        "uri": uri,
        "version": data.get("version"),
        "range": {"start": point(r.line, r.col), "end": point(r.end_line, r.end_col)},
        "newText": edit.new_text,
    }
    if "digest" in data:
        change["digest"] = data["digest"]
    return {"title": f"Suppress {code} on this line", "applicability": "safe", "edits": [change]}


def fix_all(
    ls: StageLanguageServer, state: RootState, diagnostics: Sequence[types.Diagnostic]
) -> list[Piece]:
    """The edits of every SAFE fix of the diagnostics that applies now, without overlaps."""
    fixes: list[list[Piece]] = []
    for d in sorted(diagnostics, key=lambda d: (d.range.start.line, d.range.start.character, str(d.code))):
        data = _ours(d)
        fix = data.get("fix") if data else None
        if not isinstance(fix, dict) or fix.get("applicability") != "safe":
            continue
        pieces = check_fix(ls, state, fix)
        if isinstance(pieces, list):
            fixes.append(pieces)
    return combine(fixes)


def _stored(state: RootState, uri: str) -> list[types.Diagnostic]:
    """The document's diagnostics as last published (clients may spell its URI differently)."""
    found = state.diagnostics.get(uri)
    if found is None:
        path = to_fs_path(uri)
        canonical = from_fs_path(path) if path else None
        found = state.diagnostics.get(canonical or uri)
    return found or []


def register(server: StageLanguageServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, OPTIONS)
    async def code_action(
        ls: StageLanguageServer, params: types.CodeActionParams
    ) -> list[types.Command | types.CodeAction] | None:
        uri = params.text_document.uri
        routed = ls.roots.route(uri)
        if routed is None:
            return None
        state = routed[0]
        # the kinds as plain strings (lsprotocol turns the known ones into enum members, whose str() is
        # "CodeActionKind.QuickFix")
        only = (
            [getattr(k, "value", k) for k in params.context.only] if params.context.only is not None else None
        )
        actions: list[types.Command | types.CodeAction] = []
        if wanted(QUICK_FIX, only):
            for d in params.context.diagnostics:
                actions.extend(quick_fixes(ls, state, uri, d))
        if only is not None and wanted(FIX_ALL, only):
            try:
                await asyncio.wait_for(ls.scheduler.settle(state), SETTLE_S)
            except TimeoutError:
                log.warning("fix-all: the check did not finish in time; using the findings shown")
            pieces = fix_all(ls, state, _stored(state, uri))
            edit = workspace_edit(pieces, ls.client_capabilities) if pieces else None
            if edit is not None:
                actions.append(
                    types.CodeAction(title="stage-lsp: apply all safe fixes", kind=FIX_ALL, edit=edit)
                )
        return actions
