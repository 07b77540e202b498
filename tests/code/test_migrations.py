"""Migration files: version order, TypeORM migrations."""

from __future__ import annotations

from stage_lsp.code.migrations import (
    is_typeorm_migration,
    migration_sort_key,
    migration_version,
    read_migration,
    read_typeorm_migration,
)
from stage_lsp.core.location import Range
from stage_lsp.core.source import SourceFile
from stage_lsp.sql.records import AlterTable, CreateTable, SetRls


def test_version_is_the_leading_digits() -> None:
    assert migration_version("supabase/migrations/20250312_add_tags.sql") == "20250312"
    assert migration_version("supabase/migrations/0001_remote_placeholder.sql") == "0001"
    assert migration_version("supabase/migrations/init.sql") is None


def test_sort_order_rule() -> None:
    names = [
        "init.sql",
        "20250312100000_later_that_day.sql",
        "20250312_add_tags.sql",  # a date: the start of that day
        "20250310120000_disable_rls.sql",
        "0001_placeholder.sql",
        "0000_first.sql",
        "1741600000000-TypeormMs.ts",  # 2025-03-10 09:46:40 UTC
        "2025031209_hour.sql",
        "20250301100000_create.sql",
    ]
    ordered = sorted(names, key=migration_sort_key)
    assert ordered == [
        "0000_first.sql",
        "0001_placeholder.sql",
        "20250301100000_create.sql",
        "1741600000000-TypeormMs.ts",
        "20250310120000_disable_rls.sql",
        "20250312_add_tags.sql",
        "2025031209_hour.sql",
        "20250312100000_later_that_day.sql",
        "init.sql",
    ]


def test_duplicate_versions_sort_by_file_name() -> None:
    a = "supabase/migrations/20251109000000_add_policies.sql"
    b = "supabase/migrations/20251109000000_add_policies_SECURE.sql"
    assert sorted([b, a], key=migration_sort_key) == [a, b]


def test_read_migration_keeps_records_and_errors() -> None:
    src = SourceFile.from_text("supabase/migrations/1_x.sql", "create table a (id int);\nselec 1;\n")
    m = read_migration(src)
    assert m.version == "1" and m.statements == 2
    assert isinstance(m.records[0], CreateTable)
    assert m.errors[0].location.range == Range(1, 0, 1, 5)


TYPEORM = """import { MigrationInterface, QueryRunner } from "typeorm";

export class DisableRLS1730000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "decks" DISABLE ROW LEVEL SECURITY`);
    await queryRunner.query("ALTER TABLE cards ENABLE ROW LEVEL SECURITY");
    await queryRunner.query(`ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "decks" ENABLE ROW LEVEL SECURITY`);
  }
}
"""


def test_typeorm_migration_reads_query_literals_of_up_only() -> None:
    rel = "src/migrations/1730000000000-DisableRLS.ts"
    assert is_typeorm_migration(rel)
    assert not is_typeorm_migration("src/lib/1730000000000-helper.ts")
    m = read_typeorm_migration(SourceFile.from_text(rel, TYPEORM))
    assert m.kind == "typeorm" and m.version == "1730000000000"
    assert [(r.table, r.actions) for r in m.records if isinstance(r, AlterTable)] == [
        ("decks", (SetRls("disable"),)),
        ("cards", (SetRls("enable"),)),
    ]
    assert m.records[0].location.range == Range(4, 29, 4, 75)
