"""Db plans through the Workspace: linked per-table files, the copy used, caching by content."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from stage_lsp.config.settings import Settings
from stage_lsp.core.source import SourceFile
from stage_lsp.plan import db_reader
from stage_lsp.plan.model import DbPlanDoc
from stage_lsp.render.dump import dump_document
from stage_lsp.workspace import Workspace
from stage_lsp.workspace import workspace as workspace_module
from tests.plan.dbplan import rng

INDEX = """\
# Database Schema Plan

## Tables

### 1. projects

[See details →](./tables/1-projects.md)

Main entity for translation projects.

## Row-Level Security (RLS)

```sql
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
```
"""

PROJECTS = """\
# 1. projects

```sql
CREATE TABLE projects (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name CITEXT NOT NULL
);
```
"""


def test_a_plan_that_links_per_table_files_is_read_with_them(
    make_project: Callable[[dict[str, str]], Path],
) -> None:
    root = make_project({".ai/database/db-plan.md": INDEX, ".ai/database/tables/1-projects.md": PROJECTS})
    plan = Workspace(root, Settings()).plan()
    [projects] = plan.tables
    assert projects.location.file == ".ai/database/db-plan.md"
    assert projects.location.range == rng(4, 7, 15)
    assert [(c.name, c.location.file, c.type) for c in projects.columns] == [
        ("id", ".ai/database/tables/1-projects.md", "uuid"),
        ("name", ".ai/database/tables/1-projects.md", "citext"),
    ]
    assert projects.rls is True
    assert [(d.file, d.kind) for d in plan.documents] == [
        (".ai/database/db-plan.md", "db"),
        (".ai/database/tables/1-projects.md", "linked"),
    ]
    assert plan.db_files == (".ai/database/db-plan.md",)


def test_the_copy_used_is_stated(make_project: Callable[[dict[str, str]], Path]) -> None:
    plan_text = "## Tables\n\n### users\n- id: UUID PRIMARY KEY\n"
    root = make_project(
        {".ai/db-plan.md": plan_text, "docs/old/db-plan.md": plan_text + "### old\n- id: UUID\n"}
    )
    ws = Workspace(root, Settings())
    plan = ws.plan()
    assert [t.name for t in plan.tables] == ["users"]
    [db] = [d for d in plan.documents if d.kind == "db"]
    assert (db.file, db.shadowed, db.encoding) == (".ai/db-plan.md", ("docs/old/db-plan.md",), "utf-8")
    assert [(i.code, i.location.file) for i in plan.issues] == [("SL005", "docs/old/db-plan.md")]
    dumped = dump_document(str(root), plan, ws.code())["plan"]
    assert dumped["files"]["db"] == [".ai/db-plan.md"]
    assert dumped["documents"] == [
        {
            "file": ".ai/db-plan.md",
            "kind": "db",
            "encoding": "utf-8",
            "copies_not_used": ["docs/old/db-plan.md"],
        }
    ]


def test_db_plans_are_read_once_per_content(
    make_project: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def counting(src: SourceFile) -> DbPlanDoc:
        calls.append(src.rel)
        return db_reader.read_db_plan(src)

    monkeypatch.setattr(workspace_module, "read_db_plan", counting)
    root = make_project({".ai/db-plan.md": "## Tables\n\n### users\n- id: UUID PRIMARY KEY\n"})
    ws = Workspace(root, Settings())
    ws.plan()
    ws.invalidate()
    ws.plan()
    assert calls == [".ai/db-plan.md"]
    ws.overlays[".ai/db-plan.md"] = "## Tables\n\n### accounts\n- id: UUID PRIMARY KEY\n"
    ws.invalidate()
    assert [t.name for t in ws.plan().tables] == ["accounts"]
    assert calls == [".ai/db-plan.md", ".ai/db-plan.md"]
