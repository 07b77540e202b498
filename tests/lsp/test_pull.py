"""Pull mode (a client announcing textDocument.diagnostic): document and workspace reports with result
ids, unchanged reports, refresh after a cross-file change, and nothing pushed."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.conftest import Session, capabilities, lsp_session
from tests.lsp.demo import BLOB, EXPORT, PLAN, PLAN_TEXT

pytestmark = pytest.mark.lsp


async def pull(s: Session, rel: str, previous: str | None = None) -> types.DocumentDiagnosticReport:
    return await s.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=types.TextDocumentIdentifier(uri=s.uri(rel)), previous_result_id=previous
        )
    )


def codes(report: object) -> list[str]:
    assert isinstance(
        report, (types.RelatedFullDocumentDiagnosticReport, types.WorkspaceFullDocumentDiagnosticReport)
    )
    return sorted(str(d.code) for d in report.items)


async def test_pull_capabilities_are_announced(demo: Path) -> None:
    async with lsp_session(demo, capabilities(pull=True)) as s:
        provider = s.result.capabilities.diagnostic_provider
        assert isinstance(provider, types.DiagnosticOptions)
        assert provider.inter_file_dependencies and provider.workspace_diagnostics


async def test_document_pull_with_result_ids(demo: Path) -> None:
    async with lsp_session(demo, capabilities(pull=True)) as s:
        first = await pull(s, PLAN)
        assert "SL101" in codes(first)
        assert isinstance(first, types.RelatedFullDocumentDiagnosticReport) and first.result_id
        again = await pull(s, PLAN, first.result_id)
        assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
        assert again.result_id == first.result_id
        assert "SL102" in codes(await pull(s, EXPORT))
        assert "SL903" in codes(await pull(s, BLOB))
        assert s.client.diagnostics == {}, (
            "a pulling client is never pushed to (VS Code would show duplicates)"
        )


async def test_plan_edit_refreshes_and_changes_code_reports(demo: Path) -> None:
    async with lsp_session(demo, capabilities(pull=True)) as s:
        before = await s.client.workspace_diagnostic_async(
            types.WorkspaceDiagnosticParams(previous_result_ids=[])
        )
        by_uri = {item.uri: item for item in before.items}
        assert "SL102" in codes(by_uri[s.uri(EXPORT)])
        assert "SL903" in codes(by_uri[s.uri(BLOB)])
        refreshes = s.client.diagnostic_refresh_count
        s.open(PLAN)
        s.replace(PLAN, PLAN_TEXT + "\n#### GET /api/decks/export\n")
        await s.poll(lambda: s.client.diagnostic_refresh_count > refreshes)
        previous = [types.PreviousResultId(uri=i.uri, value=i.result_id or "") for i in before.items]
        after = await s.client.workspace_diagnostic_async(
            types.WorkspaceDiagnosticParams(previous_result_ids=previous)
        )
        by_uri_after = {item.uri: item for item in after.items}
        export = by_uri_after[s.uri(EXPORT)]
        assert isinstance(export, types.WorkspaceFullDocumentDiagnosticReport)
        assert "SL102" not in codes(export)
        blob = by_uri_after[s.uri(BLOB)]
        assert isinstance(blob, types.WorkspaceUnchangedDocumentDiagnosticReport), (
            "untouched files are unchanged"
        )
        # a document pull right after an edit answers for that edit, never for an older version
        version = s.replace(PLAN, PLAN_TEXT + "\n#### GET /api/decks/export\n\n#### GET /api/stats\n")
        report = await pull(s, PLAN)
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert codes(report).count("SL101") == 2
        assert all(d.data["version"] == version for d in report.items)
        assert s.client.diagnostics == {}
