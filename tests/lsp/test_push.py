"""Push mode (a client without pull diagnostics): initial diagnostics in plans, code and migrations,
cross-file updates, stale diagnostics cleared, versions, progress."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.conftest import Session, capabilities, lsp_session
from tests.lsp.demo import BLOB, DECKS, EXPORT, PLAN, PLAN_TEXT

pytestmark = pytest.mark.lsp

RULES = "https://github.com/stage-lsp/stage-lsp/blob/main/rules/"


def initial(s: Session) -> bool:
    return all(
        s.diagnostics(rel, code) for rel, code in ((PLAN, "SL101"), (EXPORT, "SL102"), (BLOB, "SL903"))
    )


async def test_initial_diagnostics_in_plan_code_and_migration(demo: Path) -> None:
    async with lsp_session(demo, capabilities()) as s:
        await s.until(lambda: initial(s))
        sl101 = s.diagnostics(PLAN, "SL101")[0]
        assert "GET /api/źródła/{id}" in sl101.message
        assert sl101.source == "stage-lsp"
        assert sl101.severity == types.DiagnosticSeverity.Warning
        assert sl101.code_description is not None and sl101.code_description.href == RULES + "SL101.md"
        assert sl101.related_information, "the counterpart location is attached"
        assert sl101.related_information[0].location.uri == s.uri("src/pages/api/źródła/[id].ts")
        assert sl101.data["fingerprint"].startswith("1:")
        assert sl101.data["version"] is None  # computed from the file on disk
        sl102 = s.diagnostics(EXPORT, "SL102")[0]
        assert sl102.related_information and sl102.related_information[0].location.uri == s.uri(PLAN)
        assert s.diagnostics(BLOB, "SL903")[0].range == types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
        )
        assert s.codes(DECKS) == [], "a file that agrees with the plan has no diagnostics"


async def test_initial_index_reports_progress(demo: Path) -> None:
    async with lsp_session(demo, capabilities()) as s:
        await s.until(lambda: initial(s))
        await s.until(
            lambda: any(
                isinstance(r, types.WorkDoneProgressEnd)
                for reports in s.client.progress_reports.values()
                for r in reports
            ),
            types.PROGRESS,
        )
        (reports,) = s.client.progress_reports.values()
        assert isinstance(reports[0], types.WorkDoneProgressBegin)
        assert isinstance(reports[-1], types.WorkDoneProgressEnd)


async def test_plan_edit_changes_diagnostics_in_code(demo: Path) -> None:
    async with lsp_session(demo, capabilities()) as s:
        await s.until(lambda: initial(s))
        s.open(PLAN)
        version = s.replace(PLAN, PLAN_TEXT + "\n#### GET /api/decks/export\nExports decks.\n")
        await s.until(lambda: not s.diagnostics(EXPORT, "SL102"))
        # the plan's own diagnostics were recomputed for the edited buffer, with its version
        await s.until(lambda: bool(s.diagnostics(PLAN)) and s.diagnostics(PLAN)[0].data["version"] == version)
        # and back: removing the endpoint brings the finding back
        s.replace(PLAN, PLAN_TEXT)
        await s.until(lambda: bool(s.diagnostics(EXPORT, "SL102")))


async def test_code_edit_changes_diagnostics_in_plan(demo: Path) -> None:
    async with lsp_session(demo, capabilities()) as s:
        await s.until(lambda: initial(s))
        rel = "src/pages/api/źródła/[id].ts"
        (demo / rel).parent.mkdir(parents=True)
        (demo / rel).write_text("export const prerender = false;\n", encoding="utf-8")
        s.files_changed((rel, types.FileChangeType.Created))  # a new route file, no handler yet
        s.open(rel)
        s.insert(rel, 1, 0, 'export const GET = async () => new Response("{}");\n')  # unsaved
        await s.until(lambda: not s.diagnostics(PLAN, "SL101"))
        s.client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=s.uri(rel)))
        )
        await s.until(lambda: bool(s.diagnostics(PLAN, "SL101")))  # the edit was never saved


async def test_many_quick_edits_publish_the_last_version(demo: Path) -> None:
    async with lsp_session(demo, capabilities(), init_options={"debounceMs": 0}) as s:
        await s.until(lambda: initial(s))
        s.open(PLAN)
        last = 0
        for n in range(25):
            last = s.insert(PLAN, 0, 0, f"<!-- {n} -->\n")
        await s.until(lambda: bool(s.diagnostics(PLAN)) and s.diagnostics(PLAN)[0].data["version"] == last)
        # every line moved down by 25, and the finding followed the text
        assert s.diagnostics(PLAN, "SL101")[0].range.start.line == 12 + 25
