"""pytest-lsp harness: start `python -m stage_lsp server` from this checkout against a fresh copy of the
demo workspace, with the client capabilities a test chooses (push or pull, UTF-8 or UTF-16)."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import make_test_lsp_client

from tests.conftest import SERVER
from tests.lsp.demo import write_demo

PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
TIMEOUT_S = 30.0  # a failure guard, not a measurement


def uri(root: Path, rel: str) -> str:
    return (root / rel).as_uri()


def capabilities(*, pull: bool = False, encodings: Sequence[str] | None = None) -> types.ClientCapabilities:
    """VS Code 1.65's capabilities (push, file watching, configuration), optionally pulling diagnostics."""
    caps = client_capabilities("visual-studio-code")
    if pull:
        assert caps.text_document is not None and caps.workspace is not None
        caps.text_document.diagnostic = types.DiagnosticClientCapabilities(
            dynamic_registration=False, related_document_support=True
        )
        caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    if encodings is not None:
        caps.general = types.GeneralClientCapabilities(position_encodings=list(encodings))
    return caps


class Session:
    """A started client plus what the tests need around it."""

    def __init__(self, client: LanguageClient, root: Path, result: types.InitializeResult) -> None:
        self.client = client
        self.root = root
        self.result = result
        self.registrations: list[types.Registration] = []
        self.lens_refreshes: list[None] = []  # workspace/codeLens/refresh requests received
        self.versions: dict[str, int] = {}

    def uri(self, rel: str) -> str:
        return uri(self.root, rel)

    def codes(self, rel: str) -> list[str]:
        return sorted(str(d.code) for d in self.client.diagnostics.get(self.uri(rel), []))

    def cleared(self, rel: str) -> bool:
        """The server published an empty list for the file (it had diagnostics, or was told it has none)."""
        found = self.client.diagnostics.get(self.uri(rel))
        return found is not None and len(found) == 0

    def diagnostics(self, rel: str, code: str | None = None) -> list[types.Diagnostic]:
        found = self.client.diagnostics.get(self.uri(rel), [])
        return [d for d in found if code is None or d.code == code]

    async def until(self, predicate: Callable[[], bool], method: str = PUBLISH) -> None:
        """Wait for notifications of `method` until `predicate` holds (checked first)."""

        async def loop() -> None:
            while not predicate():
                await self.client.wait_for_notification(method)

        try:
            await asyncio.wait_for(loop(), TIMEOUT_S)
        except TimeoutError:
            raise AssertionError(f"timed out waiting for {method}; {self.describe()}") from None

    def describe(self) -> str:
        """What the client has received, for failure messages."""
        diagnostics = {u: sorted(str(d.code) for d in ds) for u, ds in self.client.diagnostics.items()}
        logs = [m.message[:2000] for m in self.client.log_messages]
        return f"diagnostics={diagnostics} logs={logs}"

    def checks(self) -> int:
        """Checks completed so far: the server logs `checked ...` after a check's publications."""
        return sum(1 for m in self.client.log_messages if m.message.startswith("checked "))

    async def checked(self, count: int = 1) -> None:
        """Wait until `count` checks completed (every publication before them has been received)."""
        await self.until(lambda: self.checks() >= count, types.WINDOW_LOG_MESSAGE)

    async def poll(self, predicate: Callable[[], bool]) -> None:
        """Wait until `predicate` holds, for state that no notification announces (requests to the client)."""

        async def loop() -> None:
            while not predicate():
                await asyncio.sleep(0.02)

        await asyncio.wait_for(loop(), TIMEOUT_S)

    def open(self, rel: str, text: str | None = None) -> None:
        if text is None:
            text = (self.root / rel).read_bytes().decode("utf-8")
        self.versions[rel] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=self.uri(rel), language_id="plaintext", version=1, text=text
                )
            )
        )

    def replace(self, rel: str, text: str) -> int:
        """Send the whole new text of an open document; returns its new version."""
        self.versions[rel] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri(rel), version=self.versions[rel]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return self.versions[rel]

    def insert(self, rel: str, line: int, character: int, text: str) -> int:
        """An incremental change: insert `text` at a position (in the session's position units)."""
        self.versions[rel] += 1
        at = types.Position(line=line, character=character)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri(rel), version=self.versions[rel]
                ),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=types.Range(start=at, end=at), text=text)
                ],
            )
        )
        return self.versions[rel]

    def files_changed(self, *changes: tuple[str, types.FileChangeType]) -> None:
        self.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=self.uri(rel), type=kind) for rel, kind in changes]
            )
        )


@asynccontextmanager
async def lsp_session(
    root: Path,
    caps: types.ClientCapabilities,
    *,
    init_options: Any = None,
    configuration: dict[str, Any] | None = None,
    folders: Sequence[Path] | None = None,
    no_root: bool = False,
) -> AsyncIterator[Session]:
    client = make_test_lsp_client()
    registrations: list[types.Registration] = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    lens_refreshes: list[None] = []

    @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def code_lens_refresh(params: None) -> None:
        lens_refreshes.append(params)

    if configuration is not None:
        client.set_configuration(configuration)
    env = {**os.environ, "PYTHONPATH": str(SERVER)}
    await client.start_io(sys.executable, "-m", "stage_lsp", "server", "--stdio", env=env)
    roots = list(folders) if folders is not None else [root]
    try:
        result = await asyncio.wait_for(
            client.initialize_session(
                types.InitializeParams(
                    capabilities=caps,
                    root_uri=None if no_root else root.as_uri(),
                    workspace_folders=None
                    if no_root
                    else [types.WorkspaceFolder(uri=r.as_uri(), name=r.name) for r in roots],
                    initialization_options=init_options,
                    trace=types.TraceValue.Messages,  # the server then logs every check (Session.checked)
                )
            ),
            TIMEOUT_S,
        )
        session = Session(client, root, result)
        session.registrations = registrations
        session.lens_refreshes = lens_refreshes
        yield session
        await asyncio.wait_for(client.shutdown_session(), TIMEOUT_S)
        assert client._server is not None and client._server.returncode == 0, "exit after shutdown: 0"
    finally:
        server = client._server
        if server is not None and server.returncode is None:  # the test failed: end the server
            server.kill()
        await client.stop()


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return write_demo(tmp_path / "demo")


@pytest.fixture
def flashcards(tmp_path: Path) -> Path:
    """A copy of examples/flashcards per test (the server may write fixes into it)."""
    from tests.lsp.actions import copy_flashcards

    return copy_flashcards(tmp_path)
