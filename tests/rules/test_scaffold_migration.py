"""Migration scaffolds (fixes of SL401, SL402, SL406, SL501, SL503): versioned after the newest, valid SQL."""

from __future__ import annotations

from pathlib import Path

import pglast

from stage_lsp.core.violation import CreateFile
from stage_lsp.rules import (
    sl401_planned_table_missing as sl401,
)
from stage_lsp.rules import (
    sl402_planned_column_missing as sl402,
)
from stage_lsp.rules import (
    sl406_planned_index_missing as sl406,
)
from stage_lsp.rules import (
    sl501_rls_not_enabled as sl501,
)
from stage_lsp.rules import (
    sl503_planned_policy_missing as sl503,
)
from tests.rules.builders import db_context, plan_policy, plan_table, run, schema_policy, schema_table
from tests.rules.fixing import check, write

MIGRATIONS = ("supabase/migrations/20250301100000_init.sql", "supabase/migrations/20250310120000_dev.sql")
OWN = "auth.uid() = user_id"


def created(violation) -> CreateFile:  # type: ignore[no-untyped-def]
    assert violation.fix is not None and violation.fix.applicability.value == "unsafe"
    (edit,) = violation.fix.edits
    assert isinstance(edit, CreateFile)
    pglast.parse_sql(edit.content)  # the scaffold is valid PostgreSQL
    return edit


def test_create_table_with_rls_policies_and_indexes() -> None:
    plan = [
        plan_table("decks", 1, rls=True),
        plan_table(
            "generations",
            10,
            rls=True,
            columns=[("id", "uuid", False), ("user_id", "uuid", False), ("accepted_count", "integer", True)],
            policies=[
                plan_policy("select", 20, using=OWN),
                plan_policy("insert", 21, with_check=OWN),
                plan_policy("delete", 22),
            ],
            indexes=[["user_id"]],
        ),
    ]
    ctx = db_context(
        plan,
        [
            schema_table(
                "decks", 1, rls=True, rls_line=2, policies=[schema_policy("decks", "all", 3, using=OWN)]
            )
        ],
        migrations=MIGRATIONS,
    )
    (v,) = run(sl401.RULE, ctx)
    edit = created(v)
    assert (
        edit.file == "supabase/migrations/20250310120103_create_table_generations.sql"
    )  # newest + 1 min + 3 s (the second table: 3 purposes per table)
    for expected in (
        "create table public.generations (",
        "user_id uuid not null",
        "accepted_count integer",
        "enable row level security",
        "create policy generations_select_authenticated",
        f"for insert to authenticated\n  with check ({OWN})",
        "TODO(stage-lsp)",
        "index if not exists generations_user_id_idx on public.generations (user_id)",
    ):
        assert expected in edit.content, expected


def test_rls_and_policy_fixes_share_one_migration() -> None:
    plan = [
        plan_table(
            "generations",
            1,
            rls=True,
            policies=[plan_policy("select", 5, using=OWN), plan_policy("insert", 6, with_check=OWN)],
        )
    ]
    schema = [
        schema_table(
            "generations",
            1,
            rls=False,
            rls_line=9,
            policies=[schema_policy("generations", "select", 4, using=OWN)],
        )
    ]
    ctx = db_context(plan, schema, migrations=MIGRATIONS)
    (off,) = run(sl501.RULE, ctx)
    (missing,) = run(sl503.RULE, ctx)
    a, b = created(off), created(missing)
    assert a == b
    assert a.content.count("create policy") == 1 and "enable row level security" in a.content


def test_column_and_index_fixes_share_one_alter_migration() -> None:
    plan = [
        plan_table(
            "cards", 1, columns=[("id", "uuid", False), ("deck_id", "uuid", False)], indexes=[["deck_id"]]
        )
    ]
    schema = [schema_table("cards", 1, columns=[("id", "uuid", False)])]
    ctx = db_context(plan, schema, migrations=MIGRATIONS)
    (col,) = run(sl402.RULE, ctx)
    (idx,) = run(sl406.RULE, ctx)
    a, b = created(col), created(idx)
    assert a == b and "alter table public.cards add column deck_id uuid not null;" in a.content


def test_two_fixes_of_one_table_never_share_a_version() -> None:
    from stage_lsp.rules._scaffold_migration import migration_path

    ctx = db_context([plan_table("decks", 1), plan_table("generations", 5)], [], migrations=MIGRATIONS)
    paths = [
        migration_path(ctx, t, p) for t in ("decks", "generations") for p in ("create_table", "alter", "rls")
    ]
    versions = [p.rsplit("/", 1)[1].split("_", 1)[0] for p in paths]
    assert len(set(versions)) == len(versions) and versions == sorted(versions)
    assert versions[0] == "20250310120100"


def test_no_index_fix_over_an_index_name_the_migrations_use(tmp_path: Path) -> None:
    """`create index if not exists` under a name already taken changes nothing: no such fix."""
    plan = (
        "# DB\n\n## legal_acts\n\n| Column | Type |\n|---|---|\n| id | uuid |\n| title | text |\n\n"
        "```sql\nCREATE INDEX idx_acts_fts ON legal_acts USING GIN (to_tsvector('polish', title));\n```\n"
    )
    sql = (
        "create table legal_acts (id uuid primary key, title text);\n"
        "create index idx_acts_fts on legal_acts using gin (to_tsvector('simple', title));\n"
    )
    root = write(tmp_path, {".ai/db-plan.md": plan, "supabase/migrations/20250101000000_init.sql": sql})
    (found,) = check(root, "SL406")
    assert found.fix is None


def test_index_fix_keeps_the_planned_access_method_and_operator_classes(tmp_path: Path) -> None:
    plan = (
        "# DB\n\n## notes\n\n| Column | Type |\n|---|---|\n| id | uuid |\n| title | text |\n"
        "| tags | text[] |\n| created_at | timestamptz |\n\n"
        "## Indexes\n\n- GIN index on notes(tags)\n- notes(created_at DESC) for the list\n\n"
        "```sql\nCREATE INDEX notes_title_trgm ON notes USING gin (title gin_trgm_ops);\n```\n"
    )
    sql = "create table notes (id uuid primary key, title text, tags text[], created_at timestamptz);\n"
    root = write(tmp_path, {".ai/db-plan.md": plan, "supabase/migrations/20250101000000_init.sql": sql})
    found = check(root, "SL406")
    assert len(found) == 3
    content = created(found[0]).content
    assert "on public.notes using gin (tags);" in content
    assert "notes_title_trgm on public.notes using gin (title gin_trgm_ops);" in content
    assert "on public.notes (created_at);" in content  # btree: the default, no clause
