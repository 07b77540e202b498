"""The language server under a storm of edits, then idle: its diagnostics are a cold `--check`'s.

5,000 random events (a fixed seed) are sent back to back, far faster than the server checks: incremental
edits in every kind of file (plans included) with Polish letters, emoji, CRLF, U+2028, NUL, new endpoints
and tables, deletions of whole blocks, whole-buffer replacements (empty plans too), opens, closes
(discarding unsaved edits), saves, file deletions and creations, with the file events an editor sends.
Then the client pulls `workspace/diagnostic`, which the server answers only when it is idle (no change
pending, the last check's results published: `Scheduler.settle`). Every buffer is written to disk as the
editor has it and `stage-lsp check` runs cold on the same files: the two sets of findings (file, range,
code, message, fingerprint) must be equal, and the server must still answer.

Also here: cancellation (`$/cancelRequest`) and shutdown/exit as the LSP specification wants them.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest
from pytest_lsp.client import make_test_lsp_client

from stage_lsp.lsp.convert import client_column
from tests.conftest import EXAMPLE, SERVER, run_cli
from tests.lsp.conftest import Session, capabilities, lsp_session
from tests.reliability.mutations import UNICODE_BITS
from tests.reliability.test_lsp_sync import _SURROGATE, editor_lines, position

EVENTS = 5_000
SEED = 16
SNIPPETS = (
    *(b for b in UNICODE_BITS if not _SURROGATE.search(b)),
    "\n#### GET /api/stress/{id}\nReturns 200 or 404 (`NOT_FOUND`).\n",
    "\n#### DELETE /api/decks/{deckId}\n",
    "\n### tags\n- id uuid primary key\n- name text not null\n",
    "\nexport const PUT: APIRoute = async () => new Response(null, { status: 204 });\n",
    '\nreturn new Response(JSON.stringify({ error: { code: "GONE" } }), { status: 410 });\n',
    "\ncreate table tags (id uuid primary key, name text not null);\nalter table tags enable row level security;\n",
    "\ncrate table broken (;\n",
    "\n```sql\ncreate policy p on decks for select using (auth.uid() = user_id);\n```\n",
    "\r\n",
    "\u2028",
    "\x00",
    "\n# 🎉 Źródła — zażółć gęślą jaźń\n",
)


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "flashcards"
    shutil.copytree(EXAMPLE, root)
    (root / ".git").mkdir()  # a project root
    return root


def _files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix in (".md", ".ts", ".sql")
        and ".git" not in p.parts
        and p.name != "EXPECTED.md"
    )


class Editor:
    """The editor's side: buffers, versions, the disk, and the notifications it sends."""

    def __init__(self, s: Session, rng: random.Random) -> None:
        self.s = s
        self.rng = rng
        self.open: dict[str, str] = {}  # rel -> buffer text
        self.created = 0
        self.sent = 0

    def disk(self, rel: str) -> str:
        return (self.s.root / rel).read_bytes().decode("utf-8", errors="replace")

    def _change(self, rel: str, change: types.TextDocumentContentChangeEvent) -> None:
        self.s.versions[rel] += 1
        self.s.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.s.uri(rel), version=self.s.versions[rel]
                ),
                content_changes=[change],
            )
        )
        self.sent += 1

    def do_open(self, rel: str) -> None:
        self.open[rel] = self.disk(rel)
        self.s.open(rel, self.open[rel])
        self.sent += 1

    def edit(self, rel: str) -> None:
        text = self.open[rel]
        roll = self.rng.random()
        if roll < 0.03:  # the whole buffer: emptied, or back to what is on disk
            new = "" if self.rng.random() < 0.5 else self.disk(rel)
            self.open[rel] = new
            self._change(rel, types.TextDocumentContentChangeWholeDocument(text=new))
            return
        a = self.rng.randint(0, len(text))
        b = min(len(text), a + (self.rng.randint(0, 400) if roll < 0.2 else self.rng.randint(0, 3)))
        a -= int(a > 0 and text[a - 1 : a + 1] == "\r\n")
        b += int(0 < b < len(text) and text[b - 1 : b + 1] == "\r\n")
        insert = self.rng.choice(SNIPPETS) if self.rng.random() < 0.6 else self._line_of_another_file()
        start, end = position(text, a, "utf-16"), position(text, b, "utf-16")
        self.open[rel] = text[:a] + insert + text[b:]
        self._change(
            rel, types.TextDocumentContentChangePartial(range=types.Range(start=start, end=end), text=insert)
        )

    def _line_of_another_file(self) -> str:
        files = _files(self.s.root)
        lines = self.disk(self.rng.choice(files)).split("\n") if files else [""]
        return self.rng.choice(lines) + "\n"

    def close(self, rel: str) -> None:  # unsaved edits are discarded, like "Don't save"
        del self.open[rel]
        self.s.client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=self.s.uri(rel)))
        )
        self.sent += 1

    def save(self, rel: str) -> None:
        (self.s.root / rel).write_bytes(self.open[rel].encode("utf-8", errors="surrogatepass"))
        self.s.client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=self.s.uri(rel)))
        )
        self.s.files_changed((rel, types.FileChangeType.Changed))
        self.sent += 2

    def delete(self, rel: str) -> None:
        if rel in self.open:
            self.close(rel)
        (self.s.root / rel).unlink()
        self.s.files_changed((rel, types.FileChangeType.Deleted))
        self.sent += 1

    def create(self) -> str:
        self.created += 1
        rel = f"src/pages/api/stress/s{self.created}.ts"
        (self.s.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.s.root / rel).write_text(
            f"export const GET = () => new Response(null, {{ status: {self.rng.choice((200, 201, 404))} }});\n",
            encoding="utf-8",
        )
        self.s.files_changed((rel, types.FileChangeType.Created))
        self.sent += 1
        return rel

    def storm(self, events: int) -> None:
        while self.sent < events:
            files = _files(self.s.root)
            closed = [f for f in files if f not in self.open]
            roll = self.rng.random()
            if not self.open or (roll < 0.06 and closed):
                self.do_open(self.rng.choice(closed) if closed else self.create())
            elif roll < 0.86:
                self.edit(self.rng.choice(sorted(self.open)))
            elif roll < 0.90:
                self.close(self.rng.choice(sorted(self.open)))
            elif roll < 0.96:
                self.save(self.rng.choice(sorted(self.open)))
            elif roll < 0.98 and len(files) > 10:
                self.delete(self.rng.choice([f for f in files if not f.endswith("api-plan.md")]))
            else:
                self.create()


def _code_points(text: str, line: int, character: int) -> int:
    """A UTF-16 column of `line` of `text` back in code points."""
    lines = editor_lines(text)
    row = lines[line] if line < len(lines) else ""
    col = 0
    while col < len(row) and client_column(row, col + 1, "utf-16") <= character:
        col += 1
    return col


def _server_findings(root: Path, report: types.WorkspaceDiagnosticReport) -> Iterator[tuple[object, ...]]:
    for item in report.items:
        assert isinstance(item, types.WorkspaceFullDocumentDiagnosticReport)
        rel = Path(item.uri.removeprefix("file://")).relative_to(root).as_posix()
        text = (root / rel).read_bytes().decode("utf-8", errors="replace") if (root / rel).is_file() else ""
        for d in item.items:
            r = d.range
            yield (
                rel,
                r.start.line,
                _code_points(text, r.start.line, r.start.character),
                r.end.line,
                _code_points(text, r.end.line, r.end.character),
                d.code,
                d.message,
                (d.data or {}).get("fingerprint"),
            )


def _cli_findings(root: Path) -> Iterator[tuple[object, ...]]:
    doc = run_cli("check", str(root), "--no-cache", "--output-format", "json").json()
    assert isinstance(doc, dict)
    for d in doc["diagnostics"]:
        yield (
            d["file"],
            d["line"] - 1,
            d["column"] - 1,
            d["end_line"] - 1,
            d["end_column"] - 1,
            d["code"],
            d["message"],
            d["fingerprint"],
        )


async def test_five_thousand_edits_then_idle_equals_a_cold_check(tmp_path: Path) -> None:
    root = _project(tmp_path)
    async with lsp_session(root, capabilities(pull=True)) as s:
        await s.checked()
        editor = Editor(s, random.Random(SEED))
        editor.storm(EVENTS)
        assert editor.sent >= EVENTS
        report = await asyncio.wait_for(
            s.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[])), 300
        )
        for rel, text in editor.open.items():  # the disk as the editor has it, for the cold check
            (root / rel).write_bytes(text.encode("utf-8", errors="surrogatepass"))
        server = sorted(_server_findings(root, report), key=repr)
        cold = sorted(_cli_findings(root), key=repr)
        assert server == cold
        assert len(cold) > 10  # the storm leaves plenty to report; an empty equality proves nothing
        # faster than processed: the server checked far fewer times than it was sent changes
        assert 1 < s.checks() < editor.sent // 10, s.checks()
        again = await asyncio.wait_for(
            s.client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(
                    text_document=types.TextDocumentIdentifier(uri=s.uri(".ai/api-plan.md"))
                )
            ),
            30,
        )
        assert again is not None  # still answering


async def test_a_cancelled_request_is_answered_and_the_server_goes_on(tmp_path: Path) -> None:
    """LSP: a cancelled request still gets a response (its result, or the error RequestCancelled)."""
    root = _project(tmp_path)
    async with lsp_session(root, capabilities(pull=True)) as s:
        await s.checked()
        s.open(".ai/api-plan.md")
        s.insert(".ai/api-plan.md", 0, 0, "#### GET /api/cancelled\n")  # a check is now pending
        pending = s.client.protocol.send_request_async(
            types.WORKSPACE_DIAGNOSTIC,
            types.WorkspaceDiagnosticParams(previous_result_ids=[]),
            msg_id="cancel-me",
        )
        s.client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="cancel-me"))
        try:
            answered = await asyncio.wait_for(pending, 30)
        except TimeoutError:
            raise AssertionError("a cancelled request was never answered") from None
        except Exception as exc:  # the error response
            assert "cancel" in repr(exc).lower() or "-32800" in repr(exc), repr(exc)
        else:
            assert isinstance(answered, types.WorkspaceDiagnosticReport)
        report = await asyncio.wait_for(
            s.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[])), 60
        )
        assert any("cancelled" in d.message for item in report.items for d in getattr(item, "items", []))


async def test_shutdown_then_requests_are_refused_and_exit_ends_with_zero(tmp_path: Path) -> None:
    """LSP: after `shutdown`, requests get InvalidRequest; `exit` then ends the process with 0."""
    root = _project(tmp_path)
    client = make_test_lsp_client()
    await client.start_io(
        sys.executable, "-m", "stage_lsp", "server", env={**os.environ, "PYTHONPATH": str(SERVER)}
    )
    try:
        await asyncio.wait_for(
            client.initialize_session(
                types.InitializeParams(capabilities=capabilities(pull=True), root_uri=root.as_uri())
            ),
            30,
        )
        assert await asyncio.wait_for(client.shutdown_async(None), 30) is None
        refused: Exception | None = None
        try:
            await asyncio.wait_for(
                client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[])), 30
            )
        except JsonRpcException as exc:
            refused = exc
        assert refused is not None and refused.code == JsonRpcInvalidRequest.CODE, repr(refused)
        client.exit(None)
        assert client._server is not None
        assert await asyncio.wait_for(client._server.wait(), 30) == 0
    finally:
        if client._server is not None and client._server.returncode is None:
            client._server.kill()
        await client.stop()
