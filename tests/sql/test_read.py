"""sql.read_sql: splitting, records of every modelled statement, positions, syntax errors."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stage_lsp.core.location import Range
from stage_lsp.sql import Origin, read_sql
from stage_lsp.sql.records import (
    AddColumn,
    AddConstraint,
    AddEnumValue,
    AlterColumnType,
    AlterPolicy,
    AlterTable,
    CreateEnum,
    CreateFunction,
    CreateIndex,
    CreatePolicy,
    CreateTable,
    CreateView,
    DoBlock,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropPolicy,
    DropTable,
    DropType,
    DropView,
    FunctionCall,
    RenameColumn,
    RenameIndex,
    RenamePolicy,
    RenameTable,
    SetDefault,
    SetNullable,
    SetRls,
)
from stage_lsp.sql.split import split_chunks


def test_split_keeps_unparseable_statements_and_skips_comments() -> None:
    sql = "-- header ; not a statement\ncrate table x (id int);\n/* a ; b */ foo;\nselect 'a;b', $$ ; $$;\n"
    chunks = split_chunks(sql)
    assert [sql[c.start : c.end] for c in chunks] == [
        "crate table x (id int)",
        "foo",
        "select 'a;b', $$ ; $$",
    ]


def test_split_keeps_begin_atomic_and_rule_bodies_whole() -> None:
    sql = (
        "create function f() returns int begin atomic select 1; select case when true then 1 end; end;\n"
        "create rule r as on insert to t do also (insert into a values (1); insert into b values (2));\n"
        "select 2;"
    )
    assert len(split_chunks(sql)) == 3


def test_create_table_columns_constraints_and_positions() -> None:
    sql = (
        "-- tables é\n"
        "create table if not exists public.Decks (\n"
        "  id uuid primary key default gen_random_uuid(),\n"
        "  user_id uuid not null references auth.users(id) on delete cascade,\n"
        "  \"Title\" varchar(200) not null default 'x',\n"
        "  n int,\n"
        "  tags text[] null,\n"
        "  unique (user_id, n),\n"
        "  constraint deck_fk foreign key (n) references public.other (id)\n"
        ");"
    )
    (table,) = read_sql(sql, "m.sql").records
    assert isinstance(table, CreateTable)
    assert table.table == "decks"
    assert table.if_not_exists
    assert table.name_location.range == Range(1, 27, 1, 39)
    assert table.location.range == Range(1, 0, 9, 1)
    cols = {c.name: c for c in table.columns}
    assert list(cols) == ["id", "user_id", "title", "n", "tags"]
    assert (
        cols["id"].primary_key and cols["id"].nullable is False and cols["id"].default == "gen_random_uuid()"
    )
    assert cols["user_id"].references == "auth.users(id)" and cols["user_id"].nullable is False
    assert cols["title"].type == "varchar(200)" and cols["title"].default == "'x'"
    assert cols["title"].location.range == Range(4, 2, 4, 9)
    assert cols["n"].type == "integer" and cols["n"].nullable is None
    assert cols["tags"].type == "text[]" and cols["tags"].nullable is True
    kinds = [(c.kind, c.columns, c.references) for c in table.constraints]
    assert kinds == [("unique", ("user_id", "n"), None), ("foreign_key", ("n",), "other(id)")]


def test_alter_table_actions() -> None:
    sql = (
        "alter table if exists public.decks add column if not exists z text not null default 'a', "
        "drop column if exists old, alter column n type bigint, alter column n set not null, "
        "alter column m drop not null, alter column a set default now(), alter column b drop default, "
        "add constraint u unique (a), drop constraint if exists c, enable row level security, "
        "force row level security;"
    )
    (alter,) = read_sql(sql, "m.sql").records
    assert isinstance(alter, AlterTable)
    assert alter.table == "decks" and alter.if_exists
    a = alter.actions
    assert isinstance(a[0], AddColumn) and a[0].if_not_exists and a[0].column.default == "'a'"
    assert a[1] == DropColumn("old", True)
    assert a[2] == AlterColumnType("n", "bigint")
    assert a[3:5] == (SetNullable("n", False), SetNullable("m", True))
    assert a[5:7] == (SetDefault("a", "now()"), SetDefault("b", None))
    assert isinstance(a[7], AddConstraint) and a[7].constraint.columns == ("a",)
    assert a[8] == DropConstraint("c", True)
    assert a[9:] == (SetRls("enable"), SetRls("force"))


def test_rename_drop_index_enum_view_records() -> None:
    sql = """
    alter table decks rename to sets;
    alter table sets rename column a to b;
    alter index decks_idx rename to sets_idx;
    alter policy "p" on sets rename to q;
    drop table if exists a, public.b cascade;
    create unique index if not exists i on public.sets using gin (lower(name), user_id) where archived;
    drop index if exists public.i;
    create type public.status as enum ('new', 'done');
    alter type status add value 'archived';
    drop type if exists status;
    create or replace view public.v as select 1;
    create materialized view mv as select 1;
    drop view v;
    """
    r = read_sql(sql, "m.sql").records
    assert isinstance(r[0], RenameTable) and (r[0].table, r[0].new_name) == ("decks", "sets")
    assert isinstance(r[1], RenameColumn) and (r[1].old, r[1].new) == ("a", "b")
    assert isinstance(r[2], RenameIndex) and (r[2].name, r[2].new_name) == ("decks_idx", "sets_idx")
    assert isinstance(r[3], RenamePolicy) and (r[3].name, r[3].table, r[3].new_name) == ("p", "sets", "q")
    assert isinstance(r[4], DropTable) and r[4].tables == ("a", "b") and r[4].cascade and r[4].if_exists
    assert isinstance(r[5], CreateIndex)
    assert (r[5].table, r[5].columns, r[5].unique, r[5].method, r[5].where) == (
        "sets",
        ("lower(name)", "user_id"),
        True,
        "gin",
        "archived",
    )
    assert isinstance(r[6], DropIndex) and r[6].names == ("i",)
    assert isinstance(r[7], CreateEnum) and (r[7].name, r[7].values) == ("status", ("new", "done"))
    assert isinstance(r[8], AddEnumValue) and r[8].value == "archived"
    assert isinstance(r[9], DropType) and r[9].names == ("status",)
    assert isinstance(r[10], CreateView) and r[10].name == "v" and r[10].replace
    assert isinstance(r[11], CreateView) and r[11].materialized
    assert isinstance(r[12], DropView) and r[12].names == ("v",)


def test_policies_are_read_with_normalised_predicates() -> None:
    sql = (
        'create policy "Owners read" on public.decks as restrictive for select to authenticated, anon\n'
        "  using ((select auth.uid()) = user_id::uuid);\n"
        "create policy w on decks for insert with check (auth.uid() = user_id);\n"
        "create policy a on decks using (true);\n"
        "alter policy w on decks to public using (is_admin()) with check (false);\n"
        'drop policy if exists "Owners read" on public.decks;\n'
    )
    r = read_sql(sql, "m.sql").records
    assert r[0] == CreatePolicy(
        name="Owners read",
        table="decks",
        command="select",
        location=r[0].location,
        roles=("authenticated", "anon"),
        permissive=False,
        using="auth.uid() = user_id",
        with_check=None,
    )
    assert r[0].location.range == Range(0, 0, 1, 45)
    assert isinstance(r[1], CreatePolicy) and (r[1].command, r[1].roles, r[1].with_check) == (
        "insert",
        None,
        "auth.uid() = user_id",
    )
    assert isinstance(r[2], CreatePolicy) and (r[2].command, r[2].using) == ("all", "true")
    assert isinstance(r[3], AlterPolicy)
    assert (r[3].roles, r[3].roles_public, r[3].using, r[3].with_check) == (None, True, "is_admin()", "false")
    assert r[4] == DropPolicy("Owners read", "decks", r[4].location, True)


def test_multi_command_policy_is_an_error_and_recovered_per_command() -> None:
    sql = "create policy p on decks for insert, update to authenticated with check (auth.uid() = user_id);"
    script = read_sql(sql, "db-plan.md")
    (error,) = script.errors
    assert error.location.range == Range(0, 35, 0, 36)  # the comma
    assert [(p.command, p.recovered, p.with_check) for p in script.records] == [  # type: ignore[union-attr]
        ("insert", True, "auth.uid() = user_id"),
        ("update", True, "auth.uid() = user_id"),
    ]


def test_syntax_error_costs_one_statement_and_is_located_exactly() -> None:
    sql = "create table a (id int);\n  crate table b (id int);\ncreate table c (id int);\n"
    script = read_sql(sql, "m.sql")
    assert [t.table for t in script.records] == ["a", "c"]  # type: ignore[union-attr]
    (error,) = script.errors
    assert "crate" in error.message
    assert error.location.range == Range(1, 2, 1, 7)
    assert error.statement.range == Range(1, 2, 1, 24)


def test_lexer_error_reports_the_rest_of_the_file() -> None:
    sql = "create table a (id int);\ncreate table b (n text default 'x);\ncreate table c (id int);\n"
    script = read_sql(sql, "m.sql")
    assert [t.table for t in script.records] == ["a"]  # type: ignore[union-attr]
    (error,) = script.errors
    assert "unterminated" in error.message
    assert error.location.range.line == 1 and error.location.range.col == 31


def test_error_inside_a_keyword_used_as_a_column_name() -> None:
    sql = "create function f() returns table (position integer) language sql as $$ select 1 $$;"
    (error,) = read_sql(sql, "m.sql").errors
    assert error.location.range == Range(0, 35, 0, 43)


def test_origin_places_fence_text_in_its_file() -> None:
    fence = "create table t (\n  id int\n);"
    (table,) = read_sql(fence, Origin("db-plan.md", line=10, col=2, indent=2)).records
    assert isinstance(table, CreateTable)
    assert table.name_location.range == Range(10, 15, 10, 16)
    assert table.columns[0].location.range == Range(11, 4, 11, 6)


def test_code_point_columns_after_non_ascii_text() -> None:
    sql = "select 'żółw'; create table łódź (id int);"
    (table,) = read_sql(sql, "m.sql").records
    assert isinstance(table, CreateTable)
    assert table.table == "łódź"
    assert table.name_location.range == Range(0, 28, 0, 32)


def test_functions_do_blocks_and_calls() -> None:
    sql = (
        "create or replace function public.setup(t text, out ok boolean, n int default 1) returns boolean\n"
        "language plpgsql as $$ begin execute format('alter table %I enable row level security', t); end $$;\n"
        "select public.setup('decks', 2), other(x => 'a') from (select 1) s;\n"
        "call proc('b');\n"
        "do $$ begin raise notice 'hi'; end $$;\n"
        "create function plain() returns int language sql as $$ select 1 $$;\n"
    )
    r = read_sql(sql, "m.sql").records
    fn = r[0]
    assert isinstance(fn, CreateFunction) and fn.name == "setup" and fn.params == ("t", "n") and fn.replace
    assert fn.steps is not None and len(fn.steps) == 1
    assert r[1] == FunctionCall("setup", ("decks", "2"), r[1].location)
    assert r[2] == FunctionCall("other", (), r[2].location, (("x", "a"),))
    assert r[3] == FunctionCall("proc", ("b",), r[3].location)
    assert isinstance(r[4], DoBlock) and r[4].steps == ()
    assert isinstance(r[5], CreateFunction) and r[5].steps is None


def test_plpgsql_syntax_error_in_a_do_block_is_reported() -> None:
    sql = "do $$ begin perfrom 1; alter table x enable row level security; end $$;"
    script = read_sql(sql, "m.sql")
    (error,) = script.errors
    assert error.message.startswith("PL/pgSQL body:")
    assert isinstance(script.records[0], DoBlock) and script.records[0].steps is None


def test_never_raises_on_garbage() -> None:
    for text in ("", ";;;", "$$", "'", '"', "/*", "create", "\x00\x01", "select (((((", "é" * 50):
        read_sql(text, "m.sql")


def test_node_locations_are_code_points_after_multibyte_text() -> None:
    # libpg_query counts UTF-8 bytes; positions must count code points, in both reading paths.
    ok = "create table t (a text default 'łłł', b int);"
    broken = ok + "\ncrate x;"
    for sql in (ok, broken):
        table = read_sql(sql, "m.sql").records[0]
        assert isinstance(table, CreateTable)
        assert [c.location.range for c in table.columns] == [Range(0, 16, 0, 17), Range(0, 38, 0, 39)]
        assert table.columns[0].default == "'łłł'"


def test_statement_ranges_exclude_surrounding_comments() -> None:
    sql = "/* a /* nested */ b */ -- x\n  create table a (id int) -- trailing\n;\nselect 1 -- end"
    script = read_sql(sql, "m.sql")
    (table,) = script.records
    assert table.location.range == Range(1, 2, 1, 25)
    assert script.statements == 2


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("create table policy ();,'\"$-/*\nłé%I_x0=")), max_size=120))
def test_read_sql_never_raises(text: str) -> None:
    script = read_sql(text, "m.sql")
    for error in script.errors:
        assert 0 <= error.location.range.line <= text.count("\n")
