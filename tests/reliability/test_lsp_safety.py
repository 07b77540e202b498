"""The language server, audited from inside its own process: no network, no programs, no reads outside
the workspace, no writes but its cache, on a hostile project, while files are opened and edited.

The server runs under tests/reliability/audited_server.py, which installs an audit hook and logs every
file opened (symlinks resolved), folder listed, socket connected and process started.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from lsprotocol import types
from pytest_lsp.client import make_test_lsp_client

from tests.conftest import REPO, SERVER
from tests.lsp.conftest import capabilities
from tests.reliability.test_safety import URL_PLAN, _hostile_project

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _writes(record: dict[str, object]) -> bool:
    mode = str(record.get("mode") or "")
    flags = record.get("flags")
    return any(c in mode for c in "wax+") or (isinstance(flags, int) and bool(flags & WRITE_FLAGS))


async def test_the_server_stays_inside_the_workspace(tmp_path: Path) -> None:
    root, outside = _hostile_project(tmp_path)
    (root / ".ai/api-plan.md").write_text(URL_PLAN, encoding="utf-8")
    log = tmp_path / "audit.jsonl"
    client = make_test_lsp_client()
    env = {**os.environ, "PYTHONPATH": f"{SERVER}{os.pathsep}{REPO}", "STAGE_LSP_AUDIT_LOG": str(log)}
    await client.start_io(sys.executable, str(REPO / "tests/reliability/audited_server.py"), env=env)
    try:
        await asyncio.wait_for(
            client.initialize_session(
                types.InitializeParams(
                    capabilities=capabilities(pull=True),
                    root_uri=root.as_uri(),
                    workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="project")],
                )
            ),
            30,
        )
        plan = (root / ".ai/api-plan.md").as_uri()
        text = (root / ".ai/api-plan.md").read_text(encoding="utf-8")
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=plan, language_id="markdown", version=1, text=text)
            )
        )
        for version, heading in enumerate(("../../outside/x", "{../../etc/passwd}", "ext/new"), start=2):
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=plan, version=version),
                    content_changes=[
                        types.TextDocumentContentChangePartial(
                            range=types.Range(
                                start=types.Position(line=0, character=0),
                                end=types.Position(line=0, character=0),
                            ),
                            text=f"#### GET /api/{heading}\n[x](../../outside/x.md)\n",
                        )
                    ],
                )
            )
        report = await asyncio.wait_for(
            client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[])), 60
        )
        assert report.items, "the server checked the project"
        for item in report.items:
            assert Path(item.uri.removeprefix("file://")).resolve().is_relative_to(root.resolve()), item.uri
        await asyncio.wait_for(client.shutdown_session(), 30)
    finally:
        if client._server is not None and client._server.returncode is None:
            client._server.kill()
        await client.stop()

    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    inside = str(root.resolve()) + os.sep
    assert any(str(r.get("path", "")).startswith(inside) for r in records), "the hook saw the project read"
    assert [r for r in records if r["event"].startswith("socket.")] == []
    assert [
        r
        for r in records
        if r["event"] in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn")
    ] == []
    out = str(outside.resolve()) + os.sep
    assert [r["path"] for r in records if "path" in r and (r["path"] + os.sep).startswith(out)] == []
    cache = str((root / ".stage-lsp-cache").resolve()) + os.sep
    written = [r["path"] for r in records if r["event"] == "open" and _writes(r)]
    assert all(p.startswith(cache) or p == str(tmp_path / "audit.jsonl") for p in written), written
