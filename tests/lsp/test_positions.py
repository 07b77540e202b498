"""Ranges in the negotiated position encoding, on lines with Polish letters and emoji, in LF and CRLF files.

The expected client columns are derived from the engine's code-point ranges (run in-process on the same
files) by slicing the encoded line, so the test holds whatever range a reader chooses, and checks that
the client's range covers exactly the same text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from stage_lsp.config.settings import Settings
from stage_lsp.core.violation import Violation
from stage_lsp.engine import run_check, select_rules
from stage_lsp.workspace import Workspace
from tests.lsp.conftest import capabilities, lsp_session
from tests.lsp.demo import EXPORT, PLAN

pytestmark = pytest.mark.lsp
UNIT = {"utf-8": ("utf-8", 1), "utf-16": ("utf-16-le", 2)}


def engine_finding(root: Path, rel: str, code: str) -> Violation:
    result = run_check(Workspace(root, Settings()), select_rules())
    (found,) = [v for v in result.violations if v.location.file == rel and v.code == code]
    return found


def client_slice(line: str, start: int, end: int, encoding: str) -> str:
    codec, width = UNIT[encoding]
    data = line.encode(codec)
    return data[start * width : end * width].decode(codec)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@pytest.mark.parametrize(("rel", "code", "text"), [(PLAN, "SL101", "źródła"), (EXPORT, "SL102", "GET")])
async def test_ranges_with_multibyte_characters(
    demo: Path, encoding: str, rel: str, code: str, text: str
) -> None:
    expected = engine_finding(demo, rel, code)
    r = expected.location.range
    line = (demo / rel).read_bytes().decode("utf-8").splitlines()[r.line]
    assert not line[: r.end_col].isascii(), "the fixture puts multi-byte characters before the range's end"
    async with lsp_session(demo, capabilities(encodings=[encoding, "utf-16"])) as s:
        assert s.result.capabilities.position_encoding == encoding
        await s.until(lambda: bool(s.diagnostics(rel, code)))
        got = s.diagnostics(rel, code)[0].range
        assert (got.start.line, got.end.line) == (r.line, r.end_line)  # CRLF counts as one line break
        codec, width = UNIT[encoding]
        assert got.start.character == len(line[: r.col].encode(codec)) // width
        assert client_slice(line, got.start.character, got.end.character, encoding) == line[r.col : r.end_col]
        assert text in line[r.col : r.end_col]


async def test_edits_in_utf8_units_are_applied_where_the_client_meant(demo: Path) -> None:
    async with lsp_session(demo, capabilities(encodings=["utf-8"])) as s:
        await s.until(lambda: bool(s.diagnostics(PLAN, "SL101")))
        before = s.diagnostics(PLAN, "SL101")[0].range
        line = (demo / PLAN).read_text(encoding="utf-8").splitlines()[before.start.line]
        heading_end = len(line[: line.index("GET")].encode("utf-8"))  # after "#### 🎉 Źródło: "
        s.open(PLAN)
        version = s.insert(PLAN, before.start.line, heading_end, "Nowe ż ")
        await s.until(lambda: [d.data["version"] for d in s.diagnostics(PLAN, "SL101")] == [version])
        after = s.diagnostics(PLAN, "SL101")[0].range
        assert after.start.line == before.start.line
        assert after.start.character == before.start.character + len("Nowe ż ".encode())
        assert after.end.character == before.end.character + len("Nowe ż ".encode())


async def test_utf32_is_code_points(demo: Path) -> None:
    expected = engine_finding(demo, EXPORT, "SL102").location.range
    async with lsp_session(demo, capabilities(encodings=["utf-32"])) as s:
        await s.until(lambda: bool(s.diagnostics(EXPORT, "SL102")))
        got = s.diagnostics(EXPORT, "SL102")[0].range
        assert got == types.Range(
            start=types.Position(line=expected.line, character=expected.col),
            end=types.Position(line=expected.end_line, character=expected.end_col),
        )
