"""A stand-in language server for the benchmark driver's test (pygls 2, stdio).

It does what the driver relies on and nothing more: reports work-done progress around a pretend index
after `initialized`, and publishes, with the document version, one diagnostic per `export const PUT`
line of an opened or changed document. Any command-line arguments (`server --stdio`) are ignored.
"""

from __future__ import annotations

from lsprotocol import types
from pygls.lsp.server import LanguageServer

server = LanguageServer("bench-stub", "0")


def _publish(ls: LanguageServer, uri: str, version: int | None) -> None:
    doc = ls.workspace.get_text_document(uri)
    diagnostics = [
        types.Diagnostic(
            range=types.Range(types.Position(i, 0), types.Position(i, len(line))),
            message="PUT is not planned",
            code="SL102",
        )
        for i, line in enumerate(doc.source.splitlines())
        if line.startswith("export const PUT")
    ]
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
    )


@server.feature(types.INITIALIZED)
async def initialized(ls: LanguageServer, params: types.InitializedParams) -> None:
    await ls.work_done_progress.create_async("index")
    ls.work_done_progress.begin("index", types.WorkDoneProgressBegin(title="Indexing"))
    ls.work_done_progress.end("index", types.WorkDoneProgressEnd(message="done"))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    _publish(ls, params.text_document.uri, params.text_document.version)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    _publish(ls, params.text_document.uri, params.text_document.version)


if __name__ == "__main__":
    server.start_io()
