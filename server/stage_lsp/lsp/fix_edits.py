"""A diagnostic's fix (as carried in its `data`, see `convert`) checked against the files as they are now,
and turned into a WorkspaceEdit. Nothing here runs a rule.

A fix is refused, with the reason, when
- one of its paths is not a plain path inside the document's workspace folder (`..`, a symlink out, a
  nested folder of its own);
- a file it creates exists now (on disk or as an open buffer): a file is never overwritten;
- a file it edits changed since the finding was computed: an open document whose version differs, or
  whose text is not the one the check read (content digest), or a file on disk whose bytes differ;
- its data is malformed (a client that sends back something else than it was given).

The edit is versioned (`documentChanges`): each text edit names the version of the open document it was
checked against (`null` for a file that is not open), so the client refuses it too if the document
changed meanwhile. A new file is a `CreateFile` with `overwrite: false, ignoreIfExists: true`, then a text
edit inserting its content; an LSP client cannot be told "create only if absent, else fail", so the
absence is checked here, just before the action is offered.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.uris import to_fs_path

from stage_lsp.core.text import MAX_FILE_BYTES
from stage_lsp.engine.fix_disk import DiskAccess
from stage_lsp.engine.fixes import edits_conflict
from stage_lsp.lsp.roots import RootState

if TYPE_CHECKING:
    from stage_lsp.lsp.server import StageLanguageServer

Point = tuple[int, int]  # (line, character) in the client's position units


@dataclass(frozen=True, slots=True)
class Create:
    uri: str
    content: str


@dataclass(frozen=True, slots=True)
class Change:
    """Replace `start`..`end` of the document at `uri` (checked against `version`) with `text`."""

    uri: str
    version: int | None
    start: Point
    end: Point
    text: str

    def conflicts(self, other: Change) -> bool:
        """Overlapping ranges, or two edits at one place where one inserts (their order is ambiguous)."""
        return self.uri == other.uri and edits_conflict(self.start, self.end, other.start, other.end)


Piece = Create | Change


@dataclass(frozen=True, slots=True)
class Now:
    """A document as it is now: its open version (None: not open) and content digest (None: absent)."""

    version: int | None
    digest: str | None


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def now(ls: StageLanguageServer, uri: str) -> Now:
    """The open buffer's version and text digest (as the checker computes it for an overlay), else the
    digest of the file's bytes on disk (as the checker's reader computes it)."""
    doc = ls.workspace.text_documents.get(uri)
    if doc is not None:
        return Now(doc.version, _sha1(doc.source.encode("utf-8", errors="surrogatepass")))
    path = to_fs_path(uri)
    if path is None:
        return Now(None, None)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError:
        return Now(None, None)
    return Now(None, _sha1(data))


def stale(current: Now, version: Any, digest: Any) -> str | None:
    """Why a finding computed from (`version`, `digest`) no longer fits the document, or None."""
    if current.digest is None:
        return "the file no longer exists"
    if isinstance(version, int) and current.version is not None and current.version != version:
        return "the document changed since this finding was computed"
    if isinstance(digest, str):
        if digest != current.digest:
            return "the file changed since this finding was computed"
        return None
    if isinstance(version, int) and current.version == version:
        return None
    return "the finding does not say which text it was computed from"


def relative(state: RootState, uri: str) -> str | None:
    """`uri` as a path relative to the root, or None when it is not a file inside it."""
    path = to_fs_path(uri) if isinstance(uri, str) and uri.startswith("file:") else None
    if path is None:
        return None
    target = Path(os.path.normpath(path))
    if not target.is_relative_to(state.root) or target == state.root:
        return None
    return target.relative_to(state.root).as_posix()


def _point(value: Any) -> Point | None:
    if not isinstance(value, dict):
        return None
    line, character = value.get("line"), value.get("character")
    if type(line) is not int or type(character) is not int or line < 0 or character < 0:
        return None
    return (line, character)


def check_fix(ls: StageLanguageServer, state: RootState, fix: Any) -> list[Piece] | str:
    """The fix's edits as they would apply now, or why the fix cannot be offered."""
    edits = fix.get("edits") if isinstance(fix, dict) else None
    if not isinstance(edits, list) or not edits:
        return "the fix carries no edits"
    access = DiskAccess(state.root)
    pieces: list[Piece] = []
    created: set[str] = set()
    for edit in edits:
        if not isinstance(edit, dict):
            return "the fix data is malformed"
        uri = edit.get("uri")
        rel = relative(state, uri) if isinstance(uri, str) else None
        if rel is None or not isinstance(uri, str):
            return "the fix names a file outside the workspace root"
        routed = ls.roots.route(uri)
        if routed is None or routed[0] is not state:
            return f"`{rel}` belongs to another workspace folder"
        refused = access.path_problem(rel)
        if refused:
            return refused
        if edit.get("kind") == "create":
            content = edit.get("content")
            if not isinstance(content, str):
                return "the fix data is malformed"
            if os.path.lexists(state.root / rel) or uri in ls.workspace.text_documents:
                return f"`{rel}` already exists; it is never overwritten"
            if uri in created:
                return f"the fix creates `{rel}` twice"
            created.add(uri)
            pieces.append(Create(uri, content))
            continue
        if edit.get("kind") != "edit" or uri in created:
            return "the fix data is malformed"
        r = edit.get("range")
        start, end = (_point(r.get("start")), _point(r.get("end"))) if isinstance(r, dict) else (None, None)
        text = edit.get("newText")
        if start is None or end is None or start > end or not isinstance(text, str):
            return "the fix data is malformed"
        current = now(ls, uri)
        why = stale(current, edit.get("version"), edit.get("digest"))
        if why:
            return f"`{rel}`: {why}"
        pieces.append(Change(uri, current.version, start, end, text))
    return pieces


def combine(fixes: Iterable[Sequence[Piece]]) -> list[Piece]:
    """The pieces of several fixes that apply together: a fix whose edit overlaps an accepted one, or
    that creates a file another fix creates differently or edits a created file, is left out whole."""
    accepted: list[Piece] = []
    for pieces in fixes:
        new: list[Piece] = []
        ok = True
        for piece in pieces:
            if piece in accepted:
                continue  # the same edit, proposed by two findings
            if isinstance(piece, Create):
                ok = not any(p.uri == piece.uri for p in accepted)
            else:
                ok = not any(
                    (isinstance(p, Create) and p.uri == piece.uri)
                    or (isinstance(p, Change) and p.conflicts(piece))
                    for p in (*accepted, *new)
                )
            if not ok:
                break
            new.append(piece)
        if ok:
            accepted.extend(new)
    return accepted


def _range(start: Point, end: Point) -> types.Range:
    return types.Range(
        start=types.Position(line=start[0], character=start[1]),
        end=types.Position(line=end[0], character=end[1]),
    )


def workspace_edit(pieces: Sequence[Piece], caps: types.ClientCapabilities) -> types.WorkspaceEdit | None:
    """The WorkspaceEdit of the pieces: versioned `documentChanges` (text edits grouped per document),
    or plain `changes` for a client that announces neither document changes nor resource operations
    (then a fix that creates a file cannot be offered: None)."""
    we = caps.workspace.workspace_edit if caps.workspace else None
    versioned = bool(we and (we.document_changes or we.resource_operations))
    if not versioned:
        if any(isinstance(p, Create) for p in pieces):
            return None
        changes: dict[str, list[types.TextEdit]] = {}
        for p in pieces:
            assert isinstance(p, Change)
            changes.setdefault(p.uri, []).append(
                types.TextEdit(range=_range(p.start, p.end), new_text=p.text)
            )
        return types.WorkspaceEdit(changes=changes)
    if (
        any(isinstance(p, Create) for p in pieces)
        and we is not None
        and we.resource_operations is not None
        and types.ResourceOperationKind.Create not in we.resource_operations
    ):
        return None
    out: list[types.TextDocumentEdit | types.CreateFile] = []
    groups: dict[str, list[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit]] = {}
    start = types.Position(line=0, character=0)
    for p in pieces:
        if isinstance(p, Create):
            options = types.CreateFileOptions(overwrite=False, ignore_if_exists=True)
            out.append(types.CreateFile(uri=p.uri, options=options))
            ident = types.OptionalVersionedTextDocumentIdentifier(uri=p.uri, version=None)
            insert = types.TextEdit(range=types.Range(start=start, end=start), new_text=p.content)
            out.append(types.TextDocumentEdit(text_document=ident, edits=[insert]))
            continue
        edit = types.TextEdit(range=_range(p.start, p.end), new_text=p.text)
        group = groups.get(p.uri)
        if group is None:
            ident = types.OptionalVersionedTextDocumentIdentifier(uri=p.uri, version=p.version)
            group = groups[p.uri] = []
            out.append(types.TextDocumentEdit(text_document=ident, edits=group))
        group.append(edit)
    return types.WorkspaceEdit(document_changes=out)
