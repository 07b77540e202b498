"""The whole corpus indexes with zero internal errors.

Every project under docs/ is checked as a project (discovery, every plan reader, the code side, every
rule), and every markdown file is also read as each kind of plan (API, DB, stage, PRD), every Cursor rules
file as project rules, and every SQL fence of every document as a migration. Zero internal errors means:
no exception escapes a reader or a rule, no SQL statement is left unread for a reason of the reader's own
(`SqlError.internal`), and every range of every result lies inside its document.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stage_lsp.code.migrations import read_migration
from stage_lsp.config.project import load_config
from stage_lsp.core.source import SourceFile, read_source
from stage_lsp.engine import run_check, select_rules
from stage_lsp.workspace import Workspace
from tests.conftest import corpus_dir
from tests.reliability.invariants import check_ranges
from tests.reliability.seeds import SQL_FENCE
from tests.reliability.targets import PLAN_READERS, _check_violation

pytestmark = pytest.mark.corpus


def _projects() -> list[str]:
    root = corpus_dir()
    return sorted(p.name for p in (root / "docs").iterdir() if p.is_dir()) if root else ["(no corpus)"]


@pytest.mark.parametrize("name", _projects())
def test_every_corpus_document_indexes_without_internal_errors(name: str, corpus: Path) -> None:
    root = corpus / "docs" / name
    ws = Workspace(root, load_config(root).settings)  # no store: nothing is written into the corpus
    result = run_check(ws, select_rules(select=None, extend_select=[], ignore=[], severity={}))
    assert not result.internal_errors, "\n".join(result.internal_errors)
    texts = {rel: ws.source(rel).text for rel in ws.loaded_files()}
    for v in result.violations:
        _check_violation(v, texts, root)
    check_ranges((ws.plan(), ws.code()), texts, "")

    documents = sorted(p for p in root.rglob("*") if p.suffix in (".md", ".mdc") and p.is_file())
    assert documents
    for path in documents:
        rel = path.relative_to(root).as_posix()
        src = read_source(root, rel)
        kinds = ("rules", "secrets") if path.suffix == ".mdc" else ("api", "db", "stage", "prd", "story-refs")
        for kind in kinds:
            check_ranges(PLAN_READERS[kind](src), {rel: src.text}, rel)
        for i, m in enumerate(SQL_FENCE.finditer(src.text)):
            fence = SourceFile.from_text(f"fence-{i}.sql", m.group(1))
            migration = read_migration(fence)
            check_ranges(migration, {fence.rel: fence.text}, fence.rel)
            internal = [e.message for e in migration.errors if e.internal]
            assert not internal, f"{rel} fence {i}: {internal}"
