"""File watching: files deleted, renamed, changed on disk and newly ignored; dynamic registration."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.conftest import Session, capabilities, lsp_session
from tests.lsp.demo import BLOB, EXPORT, PLAN, PLAN_TEXT

pytestmark = pytest.mark.lsp
Deleted, Created, Changed = (
    types.FileChangeType.Deleted,
    types.FileChangeType.Created,
    types.FileChangeType.Changed,
)


def initial(s: Session) -> bool:
    return bool(
        s.diagnostics(PLAN, "SL101") and s.diagnostics(EXPORT, "SL102") and s.diagnostics(BLOB, "SL903")
    )


async def test_watchers_are_registered_for_plans_sources_migrations_and_config(demo: Path) -> None:
    async with lsp_session(demo, capabilities()) as s:
        await s.until(lambda: initial(s))
        (watch,) = [r for r in s.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
        options = watch.register_options  # arrives as JSON: the client does not know its type
        assert isinstance(options, dict)
        globs = {w["globPattern"] for w in options["watchers"]}
        assert {"**/*.md", "**/*.sql", "**/stage-lsp.toml", "**/pyproject.toml", "**/.gitignore"} <= globs
        assert any("ts" in str(g) and "py" in str(g) for g in globs)


async def test_deleted_file_loses_its_diagnostics(demo: Path) -> None:
    async with lsp_session(demo, capabilities()) as s:
        await s.until(lambda: initial(s))
        (demo / BLOB).unlink()
        s.files_changed((BLOB, Deleted))
        await s.until(lambda: s.cleared(BLOB))
        assert s.diagnostics(PLAN, "SL101"), "the rest of the project is still checked"


async def test_renamed_file_moves_its_diagnostics(demo: Path) -> None:
    async with lsp_session(demo, capabilities()) as s:
        await s.until(lambda: initial(s))
        new = "src/pages/api/decks/download.ts"
        (demo / EXPORT).rename(demo / new)
        s.files_changed((EXPORT, Deleted), (new, Created))
        await s.until(lambda: bool(s.diagnostics(new, "SL102")) and s.cleared(EXPORT))
        assert "GET /api/decks/download" in s.diagnostics(new, "SL102")[0].message


async def test_plan_changed_on_disk(demo: Path) -> None:
    async with lsp_session(demo, capabilities()) as s:
        await s.until(lambda: initial(s))
        (demo / PLAN).write_text(PLAN_TEXT + "\n#### GET /api/decks/export\n", encoding="utf-8")
        s.files_changed((PLAN, Changed))
        await s.until(lambda: not s.diagnostics(EXPORT, "SL102"))


async def test_gitignored_files_are_not_checked(demo: Path) -> None:
    async with lsp_session(demo, capabilities()) as s:
        await s.until(lambda: initial(s))
        (demo / ".gitignore").write_text("src/pages/api/decks/export.ts\n", encoding="utf-8")
        s.files_changed((".gitignore", Created))
        await s.until(lambda: s.cleared(EXPORT))


async def test_new_file_saved_without_a_watcher_is_discovered(demo: Path) -> None:
    caps = capabilities()
    assert caps.workspace is not None
    caps.workspace.did_change_watched_files = None  # like Neovim 0.7: no file watching
    async with lsp_session(demo, caps) as s:
        await s.until(lambda: initial(s))
        assert not [r for r in s.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
        rel = "src/pages/api/decks/[id].ts"
        text = "export const DELETE = async () => new Response(null, { status: 204 });\n"
        (demo / rel).write_text(text, encoding="utf-8")
        s.open(rel, text)
        s.client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=s.uri(rel)))
        )
        await s.until(lambda: bool(s.diagnostics(rel, "SL102")))
