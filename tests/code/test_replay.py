"""The migration replay: every case on its own fixture, then one project replayed across files."""

from __future__ import annotations

from stage_lsp.code.migrations import read_migration
from stage_lsp.code.model import SchemaPolicy, SchemaTable
from stage_lsp.code.replay import Schema, replay
from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile

DIR = "supabase/migrations/"


def run(files: dict[str, str]) -> Schema:
    return replay(read_migration(SourceFile.from_text(DIR + name, text)) for name, text in files.items())


def table(schema: Schema, name: str) -> SchemaTable:
    found = [t for t in schema.tables if t.name == name]
    assert len(found) == 1, [t.name for t in schema.tables]
    return found[0]


def at(file: str, line: int, col: int, end_line: int, end_col: int) -> Location:
    return Location(DIR + file, Range(line, col, end_line, end_col))


def test_columns_through_create_and_alter() -> None:
    s = run(
        {
            "1_create.sql": "create table public.Decks (id uuid primary key, name text, owner uuid references auth.users (id), old int);",
            "2_alter.sql": (
                "alter table decks add column created_at timestamptz not null default now();\n"
                "alter table decks drop column old;\n"
                "alter table decks rename column name to title;\n"
                "alter table decks alter column title type varchar(100), alter column title set not null;\n"
                "alter table decks alter column owner drop not null, add constraint fk foreign key (id) references other (id);"
            ),
        }
    )
    t = table(s, "decks")
    cols = {c.name: (c.type, c.nullable, c.default, c.references) for c in t.columns}
    assert cols == {
        "id": ("uuid", False, None, "other(id)"),
        "title": ("varchar(100)", False, None, None),
        "owner": ("uuid", True, None, "auth.users(id)"),
        "created_at": ("timestamptz", False, "now()", None),
    }
    assert t.location == at("1_create.sql", 0, 0, 0, 106)
    assert t.name_location == at("1_create.sql", 0, 13, 0, 25)
    where = {c.name: (c.location.file.rpartition("/")[2], c.location.range.line) for c in t.columns}
    # a column is located where its type or nullability was last decided
    assert where == {
        "id": ("1_create.sql", 0),
        "title": ("2_alter.sql", 3),
        "owner": ("2_alter.sql", 4),
        "created_at": ("2_alter.sql", 0),
    }


def test_rls_final_state_and_the_statement_that_decided_it() -> None:
    s = run(
        {
            "1.sql": "create table a (id int);\ncreate table b (id int);\ncreate table c (id int);\n"
            "alter table a enable row level security;\nalter table b enable row level security;\n",
            "2.sql": "alter table b disable row level security;\nalter table a force row level security;\n",
        }
    )
    a, b, c = (table(s, n) for n in "abc")
    assert (a.rls, a.forced_rls, a.rls_location) == (True, True, at("1.sql", 3, 0, 3, 39))
    assert (b.rls, b.rls_location) == (False, at("2.sql", 0, 0, 0, 40))
    assert (c.rls, c.rls_location) == (False, at("1.sql", 2, 13, 2, 14))  # never enabled: the table name


def test_commented_out_ddl_is_not_ddl() -> None:
    s = run(
        {
            "1.sql": (
                "-- migration: enables row level security and adds policies for everything\n"
                "create table a (id int);\n"
                "alter table a enable row level security;\n"
                "-- alter table a disable row level security;\n"
                "/* rollback:\n   alter table a disable row level security;\n   drop policy p on a; */\n"
                "create policy p on a for select using (true);\n"
            )
        }
    )
    t = table(s, "a")
    assert t.rls is True and [p.name for p in t.policies] == ["p"]


def test_policies_through_alter_rename_drop_and_recreate() -> None:
    s = run(
        {
            "1.sql": (
                "create table a (id int, user_id uuid);\n"
                "create policy sel on a for select to authenticated using (user_id = auth.uid());\n"
                "create policy upd on a for update using (true);\n"
                "create policy gone on a for delete using (true);\n"
            ),
            "2.sql": (
                "alter policy sel on a to anon, authenticated using ((select auth.uid()) = user_id);\n"
                "alter policy upd on a rename to upd_own;\n"
                "drop policy gone on a;\n"
                "drop policy if exists never_existed on a;\n"
                "drop policy if exists upd_own on public.a;\n"
                'create policy "upd_own" on a as restrictive for update to authenticated using (user_id = auth.uid()) with check (user_id = auth.uid());\n'
            ),
        }
    )
    assert table(s, "a").policies == (
        SchemaPolicy(
            "sel",
            "a",
            "select",
            at("1.sql", 1, 0, 1, 79),
            ("anon", "authenticated"),
            True,
            "auth.uid() = user_id",
        ),
        SchemaPolicy(
            "upd_own",
            "a",
            "update",
            at("2.sql", 5, 0, 5, 134),
            ("authenticated",),
            False,
            "user_id = auth.uid()",
            "user_id = auth.uid()",
        ),
    )


def test_rename_table_carries_policies_and_rls() -> None:
    s = run(
        {
            "1.sql": "create table old (id int);\nalter table old enable row level security;\ncreate policy p on old using (true);\n",
            "2.sql": 'alter table "old" rename to "new";\n',
        }
    )
    assert [t.name for t in s.tables] == ["new"]
    t = table(s, "new")
    assert t.rls is True and [(p.name, p.table) for p in t.policies] == [("p", "new")]


def test_drop_and_recreate_table_starts_over() -> None:
    s = run(
        {
            "1.sql": "create table a (id int);\nalter table a enable row level security;\ncreate policy p on a using (true);\n",
            "2.sql": "drop table if exists a cascade;\ncreate table if not exists a (id int, n text);\n"
            "create table if not exists a (other int);\n",
        }
    )
    t = table(s, "a")
    assert (t.rls, t.policies, [c.name for c in t.columns]) == (False, (), ["id", "n"])


def test_do_block_guarded_policy_and_uncertain_branch() -> None:
    s = run(
        {
            "1.sql": (
                "create table a (id int);\ncreate table b (id int);\nalter table b enable row level security;\n"
                "do $$ begin\n"
                "  if not exists (select 1 from pg_policies where policyname = 'p') then\n"
                "    create policy p on public.a for select to authenticated using (true);\n"
                "  else\n"
                "    alter table b disable row level security;\n"
                "  end if;\n"
                "end $$;\n"
            )
        }
    )
    a, b = table(s, "a"), table(s, "b")
    assert [(p.name, p.location) for p in a.policies] == [("p", at("1.sql", 5, 4, 5, 72))]
    assert (b.rls, b.rls_location) == (None, at("1.sql", 7, 4, 7, 44))  # may have been disabled: unknown


DYNAMIC = (
    "create or replace function public.apply_owner_rls(target_table text) returns void\n"
    "language plpgsql as $$\n"
    "begin\n"
    "  execute format('alter table %I enable row level security', target_table);\n"
    "  execute format('create policy %I_owner_select on %I for select using (user_id = auth.uid())', target_table, target_table);\n"
    "end $$;\n"
)


def test_function_with_dynamic_sql_called_with_a_literal() -> None:
    s = run(
        {
            "1.sql": "create table decks (id int, user_id uuid);\ncreate table cards (id int, user_id uuid);\n"
            + DYNAMIC
            + "select public.apply_owner_rls('decks');\n"
        }
    )
    decks, cards = table(s, "decks"), table(s, "cards")
    call = at("1.sql", 8, 0, 8, 38)
    assert (decks.rls, decks.rls_location) == (True, call)
    assert decks.policies == (
        SchemaPolicy("decks_owner_select", "decks", "select", call, None, True, "user_id = auth.uid()"),
    )
    assert cards.rls is False and cards.policies == ()


def test_function_defined_but_never_called_changes_nothing() -> None:
    s = run({"1.sql": "create table decks (id int);\n" + DYNAMIC})
    assert table(s, "decks").rls is False


def test_unresolvable_dynamic_sql_makes_rls_unknown_not_off() -> None:
    s = run(
        {
            "1.sql": (
                "create table a (id int);\ncreate table b (id int);\nalter table b enable row level security;\n"
                "do $$ declare r record; begin\n"
                "  for r in select tablename from pg_tables where schemaname = 'public' loop\n"
                "    execute format('alter table %I enable row level security', r.tablename);\n"
                "    execute format('create policy p on %I using (true)', r.tablename);\n"
                "  end loop;\n"
                "end $$;\n"
                "select public.apply_owner_rls(x) from unknown_source;\n"
            )
        }
    )
    a, b = table(s, "a"), table(s, "b")
    assert (a.rls, a.rls_location) == (None, at("1.sql", 5, 12, 5, 75))
    assert a.policies_complete is False
    assert (b.rls, b.rls_location) == (True, at("1.sql", 2, 0, 2, 39))  # enabling cannot turn it off


def test_indexes_enums_views_and_partitions() -> None:
    s = run(
        {
            "1.sql": (
                "create type public.status as enum ('new', 'done');\n"
                "alter type status add value 'archived';\n"
                "create table events (id int, user_id uuid, email text unique, status status) partition by range (id);\n"
                "create table events_2025 partition of events for values from (1) to (100);\n"
                "create index events_user_idx on events (user_id);\n"
                "create index on events (lower(email));\n"
                "alter index events_user_idx rename to events_by_user;\n"
                "create view public.recent as select 1;\n"
                "create materialized view totals as select 1;\n"
                "drop view recent;\n"
            ),
            "2.sql": "alter table events drop column email;\n",
        }
    )
    events, part = table(s, "events"), table(s, "events_2025")
    assert [(i.name, i.columns, i.unique, i.implicit) for i in events.indexes] == [
        ("events_by_user", ("user_id",), False, False),
    ]
    assert (part.partition_of, [c.name for c in part.columns]) == (
        "events",
        ["id", "user_id", "email", "status"],
    )
    assert [(e.name, e.values) for e in s.enums] == [("status", ("new", "done", "archived"))]
    assert [(v.name, v.materialized) for v in s.views] == [("totals", True)]


def test_syntax_error_is_reported_and_replay_continues() -> None:
    s = run({"1.sql": "create table a (id int);\ncrate table b (id int);\ncreate table c (id int);\n"})
    assert [t.name for t in s.tables] == ["a", "c"]
    (issue,) = s.issues
    assert issue.code == "SL407"
    assert issue.location == at("1.sql", 1, 0, 1, 5)


def test_recovered_multi_command_policy_is_not_applied() -> None:
    s = run({"1.sql": "create table a (id int);\ncreate policy p on a for insert, update using (true);\n"})
    assert table(s, "a").policies == ()
    assert [i.code for i in s.issues] == ["SL407"]


def test_table_used_before_a_later_migration_creates_it() -> None:
    s = run(
        {
            "20250120120000_add_policies.sql": "alter table flashcards enable row level security;\n"
            "create policy own on flashcards for select using (true);\n"
            "create policy other on storage.objects for select using (true);\n",
            "20251111120000_create_flashcards.sql": "create table flashcards (id int);\n",
        }
    )
    issues = [(i.code, i.location.range.line, i.related[0].location.file) for i in s.issues]
    later = DIR + "20251111120000_create_flashcards.sql"
    assert issues == [("SL408", 0, later), ("SL408", 1, later)]
    assert "created only by a later migration" in s.issues[0].message
    t = table(s, "flashcards")
    assert t.rls is True and [p.name for p in t.policies] == ["own"]  # applied once the table exists


def test_table_used_before_it_is_created_later_in_the_same_file() -> None:
    s = run({"1.sql": "create index i on a (id);\ncreate table a (id int);\n"})
    (issue,) = s.issues
    assert issue.code == "SL408" and "later in this file" in issue.message
    assert [i.name for i in table(s, "a").indexes] == ["i"]


def test_duplicate_versions_are_reported_once() -> None:
    s = run(
        {"20251109000000_a.sql": "select 1;", "20251109000000_b.sql": "select 2;", "20251110000000_c.sql": ""}
    )
    (issue,) = s.issues
    assert (issue.code, issue.location.file) == ("SL408", DIR + "20251109000000_b.sql")
    assert s.migrations == tuple(
        DIR + n for n in ("20251109000000_a.sql", "20251109000000_b.sql", "20251110000000_c.sql")
    )


def test_a_project_replayed_across_files() -> None:
    """Create, alter, disable RLS, re-enable, drop and recreate policies, dynamic SQL: the exact end state."""
    s = run(
        {
            "20250301100000_init.sql": (
                "-- migration: init\n"
                "create table public.decks (\n"
                "  id uuid primary key default gen_random_uuid(),\n"
                "  user_id uuid not null references auth.users (id),\n"
                "  name text not null\n"
                ");\n"
                "alter table public.decks enable row level security;\n"
                "create policy decks_select on public.decks for select to authenticated using ((select auth.uid()) = user_id);\n"
                "create policy decks_all on public.decks for all using (true);\n"
                "create table public.cards (id uuid primary key, deck_id uuid references public.decks (id), front text);\n"
                "alter table public.cards enable row level security;\n"
            ),
            "20250305090000_dev.sql": (
                "-- NEVER run this in production!\n"
                "alter table public.decks disable row level security;\n"
                "alter table public.cards disable row level security;\n"
                "drop policy if exists decks_all on public.decks;\n"
            ),
            "20250310_reenable.sql": (
                "alter table public.decks enable row level security;\n"
                "alter table cards add column back text not null default '';\n"
                "create policy decks_write on decks for insert to authenticated with check (auth.uid() = user_id);\n"
                "drop policy decks_select on decks;\n"
                "create policy decks_select on decks for select to authenticated, anon using (auth.uid() = user_id);\n"
            ),
            "20250312120000_helpers.sql": DYNAMIC + "select public.apply_owner_rls('cards');\n",
        }
    )
    assert s.migrations == tuple(
        DIR + n
        for n in (
            "20250301100000_init.sql",
            "20250305090000_dev.sql",
            "20250310_reenable.sql",
            "20250312120000_helpers.sql",
        )
    )
    assert s.issues == ()
    decks, cards = s.tables
    assert (decks.name, decks.rls, decks.rls_location, decks.forced_rls) == (
        "decks",
        True,
        at("20250310_reenable.sql", 0, 0, 0, 50),
        False,
    )
    assert decks.policies == (
        SchemaPolicy(
            "decks_write",
            "decks",
            "insert",
            at("20250310_reenable.sql", 2, 0, 2, 96),
            ("authenticated",),
            with_check="auth.uid() = user_id",
        ),
        SchemaPolicy(
            "decks_select",
            "decks",
            "select",
            at("20250310_reenable.sql", 4, 0, 4, 98),
            ("authenticated", "anon"),
            using="auth.uid() = user_id",
        ),
    )
    assert [(c.name, c.type, c.nullable, c.default, c.references) for c in decks.columns] == [
        ("id", "uuid", False, "gen_random_uuid()", None),
        ("user_id", "uuid", False, None, "auth.users(id)"),
        ("name", "text", False, None, None),
    ]
    call = at("20250312120000_helpers.sql", 6, 0, 6, 38)
    assert (cards.name, cards.rls, cards.rls_location) == ("cards", True, call)
    assert cards.policies == (
        SchemaPolicy("cards_owner_select", "cards", "select", call, None, True, "user_id = auth.uid()"),
    )
    assert [(c.name, c.type, c.nullable, c.default, c.references) for c in cards.columns] == [
        ("id", "uuid", False, None, None),
        ("deck_id", "uuid", True, None, "decks(id)"),
        ("front", "text", True, None, None),
        ("back", "text", False, "''", None),
    ]
    assert [i.name for i in decks.indexes] == ["decks_pkey"]


def test_drop_table_cascade_drops_policies_that_read_it() -> None:
    s = run(
        {
            "1.sql": (
                "create table plans (id int, user_id uuid);\ncreate table sets (id int, plan_id int);\n"
                "create policy sets_own on sets for select using "
                "(exists (select 1 from public.plans p where p.id = sets.plan_id and p.user_id = auth.uid()));\n"
                "create policy sets_anon on sets for all to anon using (false);\n"
            ),
            "2.sql": "drop table plans cascade;\n",
            "3.sql": "create policy sets_own on sets for select using (true);\n",
        }
    )
    assert [(p.name, p.using) for p in table(s, "sets").policies] == [
        ("sets_anon", "false"),
        ("sets_own", "true"),
    ]
