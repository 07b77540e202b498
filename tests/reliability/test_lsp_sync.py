"""Document synchronisation, property-based: the server's copy of a buffer is the editor's, after any edits.

An editor sends incremental changes as ranges in the negotiated encoding (UTF-16, UTF-8 or UTF-32), with
lines broken only at `\\n`, `\\r\\n` and `\\r` (LSP). Hypothesis draws a real document (mutated, with
Polish letters, emoji, CRLF and lone CR, U+2028, form feeds, NUL, ...) and a sequence of edits made the way
an editor makes them; the server's document (pygls's workspace as the server sets it up) must equal the
editor's text after every edit, its lines must be the editor's lines, and the overlay the engine reads
must have the same line count, so every diagnostic lands on the line the editor shows.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace import Workspace

from stage_lsp.core.source import SourceFile
from stage_lsp.lsp.convert import client_column
from stage_lsp.lsp.documents import use_lsp_lines
from tests.reliability.mutations import UNICODE_BITS, mutated
from tests.reliability.registry import SCALE, fuzz_settings
from tests.reliability.seeds import plan_seeds, ts_seeds

URI = "file:///project/.ai/api-plan.md"
ENCODINGS = {
    "utf-16": types.PositionEncodingKind.Utf16,
    "utf-8": types.PositionEncodingKind.Utf8,
    "utf-32": types.PositionEncodingKind.Utf32,
}
_BREAK = re.compile(r"\r\n|\r|\n")
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # not representable in JSON-RPC's UTF-8: never sent
INSERTS = (
    *tuple(b for b in UNICODE_BITS if not _SURROGATE.search(b)),
    "",
    "x",
    "\n",
    "żółw 🚀\r\n",
    "#### GET /api/x\n",
)


def editor_lines(text: str) -> list[str]:
    """The lines an editor shows (LSP line breaks), without their breaks."""
    return _BREAK.split(text)


def position(text: str, offset: int, encoding: str) -> types.Position:
    """The editor's position of a code-point offset."""
    before = text[:offset]
    starts = [m.end() for m in _BREAK.finditer(before)]
    line_start = starts[-1] if starts else 0
    return types.Position(
        line=len(starts), character=client_column(before[line_start:], offset - line_start, encoding)
    )


def _clean(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)[:3_000]


def _workspace(encoding: str) -> Workspace:
    ws = Workspace(None, types.TextDocumentSyncKind.Incremental, [], ENCODINGS[encoding])
    use_lsp_lines(ws)
    return ws


def _check_session(encoding: str, initial: str, edits: list[tuple[int, int, str]]) -> None:
    ws = _workspace(encoding)
    ws.put_text_document(types.TextDocumentItem(uri=URI, language_id="markdown", version=1, text=initial))
    editor = initial
    for version, (a, b, new) in enumerate(edits, start=2):
        change = types.TextDocumentContentChangePartial(
            range=types.Range(start=position(editor, a, encoding), end=position(editor, b, encoding)),
            text=new,
        )
        ws.update_text_document(types.VersionedTextDocumentIdentifier(uri=URI, version=version), change)
        editor = editor[:a] + new + editor[b:]
        doc = ws.get_text_document(URI)
        assert doc.source == editor, f"the server's buffer drifted after edit {version - 1} ({encoding})"
        assert doc.version == version
    shown = editor_lines(editor)
    if shown[-1] == "":  # a text ending with a break: no line after it in pygls's list
        shown.pop()
    assert [_BREAK.sub("", line) for line in ws.get_text_document(URI).lines] == shown
    overlay = SourceFile.from_text(".ai/api-plan.md", editor)
    if not overlay.problem:  # what the engine reads has the editor's lines, so findings land on them
        assert overlay.lines.line_count == len(editor_lines(editor))


@st.composite
def _session(draw: st.DrawFn) -> tuple[str, str, list[tuple[int, int, str]]]:
    encoding = draw(st.sampled_from(sorted(ENCODINGS)))
    seeds = draw(st.sampled_from((plan_seeds, ts_seeds)))
    initial = _clean(draw(mutated(seeds, max_ops=2))[1])
    text = initial
    edits = []
    for _ in range(draw(st.integers(1, 25))):
        a = draw(st.integers(0, len(text)))
        b = draw(st.integers(a, min(len(text), a + 40)))
        a -= int(a > 0 and text[a - 1 : a + 1] == "\r\n")
        b += int(0 < b < len(text) and text[b - 1 : b + 1] == "\r\n")
        new = draw(st.one_of(st.sampled_from(INSERTS), st.text(max_size=12).map(_clean)))
        edits.append((a, b, new))
        text = text[:a] + new + text[b:]
    return encoding, initial, edits


@fuzz_settings(40 * SCALE)
@given(_session())
def test_the_server_buffer_is_the_editor_buffer_after_any_edits(
    session: tuple[str, str, list[tuple[int, int, str]]],
) -> None:
    _check_session(*session)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\x1c", "\x1d", "\x1e"])
@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_characters_python_calls_line_breaks_are_not_line_breaks(separator: str, encoding: str) -> None:
    """pygls split lines with str.splitlines: an edit on the line after one of these landed a line early."""
    text = f"# Plan{separator}notes\n#### GET /api/x\n"
    _check_session(encoding, text, [(text.index("GET"), text.index("GET") + 3, "POST")])
