"""Project rules read from .cursor/rules/*.mdc, and SL604 which enforces one of them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from stage_lsp.core.source import SourceFile
from stage_lsp.plan.project_rules import read_project_rules
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
Make = Callable[[dict[str, str]], Path]

ASTRO = """---
description: Astro
globs: src/pages/api/**
---
## ASTRO

- Use POST, GET - uppercase format for endpoint handlers
- Use `export const prerender = false` for API routes
- Use zod for input validation in API routes
- Extract logic into services in `src/lib/services`
"""
BACKEND = (
    "- Use supabase from context.locals in Astro routes instead of importing supabaseClient directly\r\n"
)
MIGRATIONS = (
    "- The file MUST be named in the format `YYYYMMDDHHmmss_short_description.sql`\n"
    "- When creating a new table, you MUST enable Row Level Security (RLS) even if public.\n"
    "- RLS Policies should be granular: one policy for `select`, one for `insert` etc)\n"
)


def test_recognised_rules_with_their_lines() -> None:
    rules = read_project_rules(SourceFile.from_text(".cursor/rules/astro.mdc", ASTRO))
    assert [(r.kind, r.location.range.line) for r in rules] == [("prerender", 7), ("zod", 8), ("services", 9)]
    assert rules[0].text == "- Use `export const prerender = false` for API routes"
    crlf = read_project_rules(SourceFile.from_text(".cursor/rules/backend.mdc", BACKEND))
    assert [r.kind for r in crlf] == ["locals-supabase"]
    db = read_project_rules(SourceFile.from_text(".cursor/rules/db.mdc", MIGRATIONS))
    assert [r.kind for r in db] == ["migration-name", "rls-on-create", "granular-policies"]
    assert read_project_rules(SourceFile.from_text("x.mdc", "# React\n- Use hooks\n")) == ()


def test_migration_name_only_when_the_project_requires_it(cli: Cli, make_project: Make) -> None:
    files = {
        ".ai/db-plan.md": "# DB\n",
        "supabase/migrations/20250312_add_tags.sql": "select 1;\n",
        "supabase/migrations/20250312093000_ok.sql": "select 1;\n",
    }
    root = make_project(files)
    assert cli("--check", str(root), "--select", "SL604").code == 0
    (root / ".cursor" / "rules").mkdir(parents=True)
    (root / ".cursor" / "rules" / "db-supabase-migrations.mdc").write_text(MIGRATIONS)
    result = cli("--check", str(root), "--select", "SL604")
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "supabase/migrations/20250312_add_tags.sql:1:1: SL604 Migration name `20250312_add_tags.sql` does not "
        "follow `YYYYMMDDHHmmss_short_description.sql` (.cursor/rules/db-supabase-migrations.mdc:1)"
    )
