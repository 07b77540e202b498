"""The session: multi-root workspaces, bad documents, shutdown and exit."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp.client import make_test_lsp_client

from tests.conftest import SERVER
from tests.lsp.conftest import capabilities, lsp_session, uri
from tests.lsp.demo import EXPORT, PLAN, PLAN_TEXT, write_demo

pytestmark = pytest.mark.lsp


async def test_multi_root_one_project_per_folder(tmp_path: Path) -> None:
    first = write_demo(tmp_path / "first")
    second = write_demo(tmp_path / "second")
    (second / "stage-lsp.toml").write_text('ignore = ["SL102"]\n', encoding="utf-8")
    async with lsp_session(first, capabilities(), folders=[first, second]) as s:
        await s.checked(2)
        diags = s.client.diagnostics
        assert [d.code for d in diags[uri(first, EXPORT)]] == ["SL102"]
        assert not diags.get(uri(second, EXPORT)), "the second root has its own config"
        assert any(d.code == "SL101" for d in diags[uri(second, PLAN)])
        # an edit in one root does not touch the other
        s.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri(first, PLAN),
                    language_id="markdown",
                    version=1,
                    text=PLAN_TEXT + "\n#### GET /api/decks/export\n",
                )
            )
        )
        await s.until(lambda: not s.client.diagnostics[uri(first, EXPORT)])
        assert any(d.code == "SL101" for d in s.client.diagnostics[uri(second, PLAN)])


async def test_folders_added_and_removed(tmp_path: Path) -> None:
    first = write_demo(tmp_path / "first")
    second = write_demo(tmp_path / "second")
    async with lsp_session(first, capabilities()) as s:
        await s.checked()
        s.client.workspace_did_change_workspace_folders(
            types.DidChangeWorkspaceFoldersParams(
                event=types.WorkspaceFoldersChangeEvent(
                    added=[types.WorkspaceFolder(uri=second.as_uri(), name="second")],
                    removed=[types.WorkspaceFolder(uri=first.as_uri(), name="first")],
                )
            )
        )
        await s.until(lambda: bool(s.client.diagnostics.get(uri(second, EXPORT))))
        await s.until(lambda: not s.client.diagnostics.get(uri(first, EXPORT)))


async def test_without_folders_the_first_documents_project_is_the_root(demo: Path) -> None:
    (demo / ".git").mkdir()
    async with lsp_session(demo, capabilities(), no_root=True) as s:
        s.open(PLAN)
        await s.until(lambda: bool(s.diagnostics(PLAN, "SL101")) and bool(s.diagnostics(EXPORT, "SL102")))


async def test_a_bad_document_is_a_diagnostic_and_the_server_keeps_answering(demo: Path) -> None:
    async with lsp_session(demo, capabilities()) as s:
        await s.until(lambda: bool(s.diagnostics(PLAN, "SL101")))
        s.open(PLAN)
        s.replace(PLAN, "#### GET /api/decks\x00\x00\x00 binary \ud800 junk\n" * 50)
        await s.until(lambda: bool(s.diagnostics(PLAN, "SL903")))
        s.replace(PLAN, PLAN_TEXT)
        await s.until(lambda: bool(s.diagnostics(PLAN, "SL101")) and not s.diagnostics(PLAN, "SL903"))
        s.replace(PLAN, "")  # an empty plan: nothing is planned, nothing crashes
        await s.until(lambda: not s.diagnostics(PLAN, "SL101"))
        s.replace(PLAN, PLAN_TEXT)
        await s.until(lambda: bool(s.diagnostics(PLAN, "SL101")) and bool(s.diagnostics(EXPORT, "SL102")))


async def test_exit_without_shutdown_is_an_error_code(demo: Path) -> None:
    client = make_test_lsp_client()
    env = {**os.environ, "PYTHONPATH": str(SERVER)}
    await client.start_io(sys.executable, "-m", "stage_lsp", "server", env=env)
    await client.initialize_session(
        types.InitializeParams(capabilities=capabilities(), root_uri=demo.as_uri())
    )
    client.exit(None)
    assert client._server is not None
    assert await asyncio.wait_for(client._server.wait(), 30) == 1
    await client.stop()
