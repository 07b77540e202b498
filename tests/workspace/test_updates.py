"""Workspace updates from an editor and a file watcher: overlays, versions, trees, trust mode, rediscovery,
quarantine; a keystroke re-reads only the edited file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from stage_lsp.config.settings import Settings
from stage_lsp.workspace import Workspace

Make = Callable[[dict[str, str]], Path]
FILES = {
    ".ai/api-plan.md": "# API\n\n#### GET /api/decks\n",
    "src/pages/api/decks.ts": "export const GET = async () => new Response('[]');\n",
    "src/pages/api/other.ts": "export const POST = async () => new Response('[]');\n",
}


def test_overlay_edit_rereads_only_that_file_and_reuses_its_tree(make_project: Make) -> None:
    ws = Workspace(make_project(FILES), Settings())
    assert [r.key for r in ws.code().routes] == ["GET /api/decks", "POST /api/other"]
    calls: list[str] = []
    original = ws.cached

    def counting(reader, rel, fn):  # type: ignore[no-untyped-def]
        def wrapped(src):  # type: ignore[no-untyped-def]
            calls.append(rel)
            return fn(src)

        return original(reader, rel, wrapped)

    ws.cached = counting  # type: ignore[method-assign]
    rel = "src/pages/api/decks.ts"
    for version in (1, 2, 3):
        ws.set_overlay(rel, FILES[rel] + f"export const PUT = async () => null; // {version}\n", version)
        assert "PUT /api/decks" in [r.key for r in ws.code().routes]
    assert set(calls) == {rel} and len(calls) >= 3, "only the edited file is read again"
    assert ws.trees.full_parses == 1 and ws.trees.incremental_parses == 2
    assert ws.trees.version_of(rel, "typescript") == 3
    ws.drop_overlay(rel)
    assert "PUT /api/decks" not in [r.key for r in ws.code().routes]
    assert len(ws.trees) == 0, "trees are kept for open documents only"


def test_files_are_stated_once_per_check(make_project: Make) -> None:
    root = make_project(FILES)
    ws = Workspace(root, Settings())
    ws.begin_check()
    assert len(ws.plan().endpoints) == 1
    (root / ".ai/api-plan.md").write_text(FILES[".ai/api-plan.md"] + "#### GET /api/more\n", encoding="utf-8")
    ws.invalidate()
    assert len(ws.plan().endpoints) == 1, "within one check a file is read as it was first seen"
    ws.begin_check()
    ws.invalidate()
    assert len(ws.plan().endpoints) == 2, "the next check sees the change"


def test_trust_mode_reads_changed_files_only_when_told(make_project: Make) -> None:
    root = make_project(FILES)
    ws = Workspace(root, Settings())
    ws.stat_files = False
    assert len(ws.plan().endpoints) == 1
    (root / ".ai/api-plan.md").write_text(FILES[".ai/api-plan.md"] + "#### GET /api/more\n", encoding="utf-8")
    ws.invalidate()
    assert len(ws.plan().endpoints) == 1, "no stat: the watcher has not reported the change yet"
    ws.forget(".ai/api-plan.md")
    assert len(ws.plan().endpoints) == 2


def test_rediscover_sees_created_and_deleted_files(make_project: Make) -> None:
    root = make_project(FILES)
    ws = Workspace(root, Settings())
    (root / "src/pages/api/other.ts").unlink()
    (root / "src/pages/api/new.ts").write_text("export const GET = 1;\n", encoding="utf-8")
    ws.rediscover()
    assert sorted(r.key for r in ws.code().routes) == ["GET /api/decks", "GET /api/new"]
    ws.rediscover(Settings(exclude=["src/pages/api/new.ts"]))
    assert [r.key for r in ws.code().routes] == ["GET /api/decks"]


def test_quarantined_file_reads_empty_until_it_changes(make_project: Make) -> None:
    ws = Workspace(make_project(FILES), Settings())
    rel = "src/pages/api/other.ts"
    ws.quarantine(rel, ws.source(rel).digest, "the reader failed")
    assert [r.key for r in ws.code().routes] == ["GET /api/decks"]
    assert [(i.code, i.location.file) for i in ws.code().issues] == [("SL903", rel)]
    ws.set_overlay(rel, FILES[rel] + "// changed\n", 2)
    assert [r.key for r in ws.code().routes] == ["GET /api/decks", "POST /api/other"]


def test_unreadable_migration_is_reported(make_project: Make) -> None:
    root = make_project({**FILES, "supabase/migrations/1_x.sql": "x"})
    (root / "supabase/migrations/1_x.sql").write_bytes(b"\x00\x01binary")
    issues = Workspace(root, Settings()).code().issues
    assert [(i.code, i.location.file) for i in issues] == [("SL903", "supabase/migrations/1_x.sql")]


def test_code_edit_keeps_the_plan_model(make_project: Make) -> None:
    ws = Workspace(make_project(FILES), Settings())
    plan, code = ws.plan(), ws.code()
    ws.set_overlay("src/pages/api/decks.ts", "export const GET = 1;\nexport const PUT = 2;\n", 1)
    assert ws.plan() is plan and ws.code() is not code
    code = ws.code()
    ws.set_overlay(".ai/api-plan.md", FILES[".ai/api-plan.md"] + "\n#### PUT /api/decks\n", 1)
    assert ws.plan() is not plan and ws.code() is not code  # plans are scanned for secrets too
