"""PL/pgSQL bodies -> steps with holes; binding call arguments; unknown values stay unknown."""

from __future__ import annotations

from stage_lsp.core.location import Range
from stage_lsp.sql import UNKNOWN, expand_steps, read_sql
from stage_lsp.sql.records import (
    AlterTable,
    CreateFunction,
    CreatePolicy,
    DoBlock,
    FunctionCall,
    Hole,
    SetRls,
)

APPLY_OWNER_RLS = """create or replace function public.apply_owner_rls(target_table text) returns void
language plpgsql as $$
begin
  execute format('alter table %I enable row level security', target_table);
  execute format('create policy %I_owner_select on %I for select using (user_id = auth.uid())', target_table, target_table);
  execute 'create policy ' || quote_ident(target_table || '_all') || ' on ' || target_table || ' using (true)';
end $$;
"""


def _function(sql: str) -> CreateFunction:
    record = read_sql(sql, "m.sql").records[0]
    assert isinstance(record, CreateFunction)
    return record


def test_execute_format_becomes_pieces_with_parameter_holes() -> None:
    fn = _function(APPLY_OWNER_RLS)
    assert fn.steps is not None
    first, second, third = fn.steps
    assert first.pieces == ("alter table ", Hole("I", 0), " enable row level security")
    assert first.dynamic and first.certain
    assert first.location.range == Range(3, 10, 3, 74)
    assert second.pieces[1] == Hole("I", 0) and second.pieces[3] == Hole("I", 0)
    assert third.pieces[1] == Hole("I", None)  # quote_ident of a computed value: unknown


def test_binding_a_literal_argument_resolves_the_statements() -> None:
    fn = _function(APPLY_OWNER_RLS)
    assert fn.steps is not None
    effects = expand_steps(fn.steps, ("decks",))
    (alter,) = effects[0].records
    assert alter == AlterTable("decks", effects[0].location, (SetRls("enable"),))
    (policy,) = effects[1].records
    assert isinstance(policy, CreatePolicy)
    assert (policy.name, policy.table, policy.command, policy.using) == (
        "decks_owner_select",
        "decks",
        "select",
        "user_id = auth.uid()",
    )
    assert not effects[0].unresolved and not effects[1].unresolved
    assert effects[2].unresolved  # the computed policy name


def test_a_missing_argument_leaves_the_table_unknown() -> None:
    fn = _function(APPLY_OWNER_RLS)
    assert fn.steps is not None
    (alter,) = expand_steps(fn.steps, (None,))[0].records
    assert isinstance(alter, AlterTable) and alter.table == UNKNOWN


def test_do_block_static_sql_keeps_its_exact_position_and_if_branch_certainty() -> None:
    sql = (
        "do $$\n"
        "begin\n"
        "  if not exists (select 1 from pg_policies where policyname = 'p') then\n"
        "    create policy p on public.decks for select using (true);\n"
        "  else\n"
        "    alter table decks disable row level security;\n"
        "  end if;\n"
        "end $$;"
    )
    (block,) = read_sql(sql, "m.sql").records
    assert isinstance(block, DoBlock) and block.steps is not None
    then_step, else_step = block.steps
    assert then_step.certain and not else_step.certain
    assert then_step.exact and then_step.location.range == Range(3, 4, 3, 59)
    (policy,) = expand_steps(block.steps)[0].records
    assert isinstance(policy, CreatePolicy) and policy.location.range == Range(3, 4, 3, 59)


def test_foreach_over_a_literal_array_runs_once_per_value() -> None:
    sql = (
        "do $$ declare t text; begin\n"
        "  foreach t in array array['decks', 'cards'] loop\n"
        "    execute format('alter table %I enable row level security', t);\n"
        "  end loop;\n"
        "end $$;"
    )
    (block,) = read_sql(sql, "m.sql").records
    assert isinstance(block, DoBlock) and block.steps is not None
    tables = [r.table for e in expand_steps(block.steps) for r in e.records]  # type: ignore[union-attr]
    assert tables == ["decks", "cards"]


def test_loop_over_a_query_and_assigned_literals() -> None:
    sql = (
        "do $$ declare r record; name text := 'logs'; begin\n"
        "  for r in select tablename from pg_tables where schemaname = 'public' loop\n"
        "    execute format('alter table %I enable row level security', r.tablename);\n"
        "  end loop;\n"
        "  execute 'alter table ' || name || ' force row level security';\n"
        "  perform public.apply_owner_rls(name);\n"
        "end $$;"
    )
    (block,) = read_sql(sql, "m.sql").records
    assert isinstance(block, DoBlock) and block.steps is not None
    loop, forced, perform = expand_steps(block.steps)
    assert loop.unresolved and loop.records[0].table == UNKNOWN  # type: ignore[union-attr]
    assert forced.records == (AlterTable("logs", forced.location, (SetRls("force"),)),)
    assert perform.records == (FunctionCall("apply_owner_rls", ("logs",), perform.location),)


def test_exception_handlers_are_uncertain() -> None:
    sql = (
        "do $$ begin\n"
        "  alter table a enable row level security;\n"
        "exception when others then\n"
        "  alter table a disable row level security;\n"
        "end $$;"
    )
    (block,) = read_sql(sql, "m.sql").records
    assert isinstance(block, DoBlock) and block.steps is not None
    assert [s.certain for s in block.steps] == [True, False]
