"""Helpers of the code-action tests: request actions for a published diagnostic, apply one like an
editor, check the project again from disk, parse what a fix wrote."""

from __future__ import annotations

from pathlib import Path

import pglast
from lsprotocol import types

from stage_lsp.code.treesitter import parse
from stage_lsp.core.source import SourceFile
from tests.conftest import copy_example
from tests.lsp.apply_edit import apply_workspace_edit
from tests.lsp.conftest import Session
from tests.rules.fixing import check

PLAN = ".ai/api-plan.md"
DB_PLAN = ".ai/db-plan.md"
FIX_ALL = "source.fixAll.stage-lsp"


def copy_flashcards(tmp_path: Path) -> Path:
    """A copy of examples/flashcards to change."""
    return copy_example(tmp_path)


async def diagnostic(s: Session, rel: str, code: str, contains: str = "") -> types.Diagnostic:
    await s.until(lambda: any(contains in d.message for d in s.diagnostics(rel, code)))
    (found,) = [d for d in s.diagnostics(rel, code) if contains in d.message]
    return found


async def request(
    s: Session, rel: str, diagnostics: list[types.Diagnostic], only: list[str] | None = None
) -> list[types.CodeAction]:
    at = (
        diagnostics[0].range
        if diagnostics
        else types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    )
    result = await s.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=s.uri(rel)),
            range=at,
            context=types.CodeActionContext(diagnostics=diagnostics, only=only),
        )
    )
    actions = [a for a in result or [] if isinstance(a, types.CodeAction)]
    assert len(actions) == len(result or []), "no bare commands"
    return actions


def titled(actions: list[types.CodeAction], start: str) -> types.CodeAction:
    (found,) = [a for a in actions if a.title.startswith(start)]
    return found


def apply(s: Session, action: types.CodeAction) -> list[Path]:
    assert action.edit is not None and action.disabled is None, action
    versions = {s.uri(rel): v for rel, v in s.versions.items()}
    return apply_workspace_edit(action.edit, versions=versions)


def cold(root: Path, code: str, contains: str = "") -> list[str]:
    """The messages of `code` findings a fresh check of the project on disk reports."""
    return [v.message for v in check(root) if v.code == code and contains in v.message]


def clean_ts(root: Path, rel: str) -> None:
    src = SourceFile.from_text(rel, (root / rel).read_text(encoding="utf-8"))
    assert not parse(src, "typescript").root_node.has_error, src.text


def clean_sql(root: Path, rel: str) -> str:
    text = (root / rel).read_text(encoding="utf-8")
    pglast.parse_sql(text)  # raises on a syntax error
    return text
