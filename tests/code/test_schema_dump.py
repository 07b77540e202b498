"""`stage-lsp dump` shows the replayed schema (RLS, policies, indexes) and the generated types, with ranges."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from stage_lsp.config.settings import Settings
from stage_lsp.render.dump import dump_document
from stage_lsp.workspace import Workspace

Make = Callable[[dict[str, str]], Path]


def test_dump_has_schema_details_with_ranges(make_project: Make) -> None:
    root = make_project(
        {
            "supabase/migrations/20250101000000_init.sql": (
                "create type mood as enum ('ok');\n"
                "create table public.notes (id uuid primary key, body text not null);\n"
                "create index notes_body_idx on notes (body);\n"
                "alter table notes enable row level security;\n"
                "create policy notes_read on notes for select to authenticated using ((select auth.uid()) = id);\n"
                "create view note_count as select count(*) from notes;\n"
            ),
            "src/db/database.types.ts": "export type Database = { public: { Tables: { notes: { Row: { id: string } } } } }\n",
        }
    )
    ws = Workspace(root, Settings())
    doc = dump_document(str(root), ws.plan(), ws.code())
    code = doc["code"]
    (notes,) = code["tables"]
    assert notes["rls"] is True
    assert notes["range"] == {
        "file": "supabase/migrations/20250101000000_init.sql",
        "line": 2,
        "col": 14,
        "end_line": 2,
        "end_col": 26,
    }
    assert notes["rls_at"]["line"] == 4
    assert notes["policies"] == [
        {"command": "select", "roles": ["authenticated"], "using": "auth.uid() = id", "with_check": None}
    ]
    assert [(p["name"], p["range"]["line"]) for p in notes["policy_details"]] == [("notes_read", 5)]
    assert [(i["name"], i["implicit"], i["range"]["line"]) for i in notes["index_details"]] == [
        ("notes_pkey", True, 2),
        ("notes_body_idx", False, 3),
    ]
    assert [(c["name"], c["type"], c["nullable"]) for c in notes["column_details"]] == [
        ("id", "uuid", False),
        ("body", "text", False),
    ]
    assert [(e["name"], e["values"]) for e in code["enums"]] == [("mood", ["ok"])]
    assert [v["name"] for v in code["views"]] == ["note_count"]
    assert code["types_file"] == "src/db/database.types.ts"
    assert [(t["name"], t["columns"], t["range"]["line"]) for t in code["types_tables"]] == [
        ("notes", ["id"], 1)
    ]
