"""SL401-SL406 and SL409 on hand-built models."""

from __future__ import annotations

import pytest

from stage_lsp.rules import (
    sl401_planned_table_missing as sl401,
)
from stage_lsp.rules import (
    sl402_planned_column_missing as sl402,
)
from stage_lsp.rules import (
    sl403_table_not_planned as sl403,
)
from stage_lsp.rules import (
    sl404_column_type_differs as sl404,
)
from stage_lsp.rules import (
    sl405_column_nullability_differs as sl405,
)
from stage_lsp.rules import (
    sl406_planned_index_missing as sl406,
)
from stage_lsp.rules import (
    sl409_types_out_of_sync as sl409,
)
from stage_lsp.rules._tables import normalise_type
from tests.rules.builders import DB_PLAN, MIGRATION, db_context, plan_table, run, schema_table, where


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("int", "integer"),
        ("INT4", "integer"),
        ("timestamptz", "timestamp with time zone"),
        ("VARCHAR(200)", "character varying(200)"),
        ("`uuid`", "uuid"),
        ("numeric(10, 2)", "decimal(10,2)"),
        ("text[]", "TEXT[]"),
        ("public.citext", "citext"),
    ],
)
def test_type_spellings_are_equal(a: str, b: str) -> None:
    assert normalise_type(a) == normalise_type(b) is not None


@pytest.mark.parametrize(
    "prose", ["ENUM('a','b')", "string (max 200 characters)", "", None, "uuid -> auth.users"]
)
def test_non_types_are_not_compared(prose: str | None) -> None:
    assert normalise_type(prose) is None


def test_missing_unplanned_and_rejected_tables() -> None:
    plan = [
        plan_table("decks", 1),
        plan_table("generations", 10),
        plan_table("tags", 20, rejected=True),
        plan_table("users", 30),
        plan_table("stats", 40, stage=3),
    ]
    tables = [
        schema_table("decks", 3, columns=[("user_id", "uuid", False, "auth.users(id)")]),
        schema_table("tags", 20),
        schema_table("debug_logs", 30),
    ]
    ctx = db_context(plan, tables, current_stage=2)
    assert where(run(sl401.RULE, ctx)) == [(DB_PLAN, 10)]  # users = auth.users; stats is stage 3
    found = run(sl403.RULE, ctx)
    assert where(found) == [(MIGRATION, 20), (MIGRATION, 30)]
    assert "explicitly rejects" in found[0].message and "not in the DB plan" in found[1].message


def test_no_migrations_or_no_planned_tables_is_silent() -> None:
    ctx = db_context([plan_table("decks")], [], migrations=())
    assert run(sl401.RULE, ctx) == []
    assert run(sl403.RULE, db_context([], [schema_table("x")])) == []


def test_partitions_of_planned_tables_are_planned() -> None:
    ctx = db_context(
        [plan_table("events")],
        [schema_table("events"), schema_table("events_2025_01", 9, partition_of="events")],
    )
    assert run(sl403.RULE, ctx) == []


def test_columns_types_and_nullability() -> None:
    plan = [
        plan_table(
            "flashcards",
            1,
            columns=[
                ("id", "uuid", False),
                ("front", "varchar(200)", False),
                ("accepted_count", "integer", True),
                ("note", "text", None),
                ("source", "ENUM('a','b')", False),
            ],
        )
    ]
    schema = [
        schema_table(
            "flashcards",
            10,
            columns=[
                ("id", "uuid", False),
                ("front", "text", False),
                ("note", "text", False),
                ("source", "text", True),
            ],
        )
    ]
    ctx = db_context(plan, schema)
    (missing,) = run(sl402.RULE, ctx)
    assert where([missing]) == [(DB_PLAN, 4)] and "`flashcards.accepted_count`" in missing.message
    (typed,) = run(sl404.RULE, ctx)
    assert where([typed]) == [(MIGRATION, 12)]
    assert typed.message == "Column `flashcards.front` is `text`; the plan says `varchar(200)`"
    nullable = run(sl405.RULE, ctx)
    assert [(v.location.range.line, v.message) for v in nullable] == [
        (14, "Column `flashcards.source` is nullable; the plan says NOT NULL"),
    ]  # `note`: the plan says nothing about nullability


def test_index_served_by_a_leading_composite() -> None:
    plan = [plan_table("cards", 1, indexes=[["user_id"], ["deck_id"], ["deck_id", "created_at"]])]
    schema = [schema_table("cards", 10, indexes=[["user_id", "created_at"], ["deck_id"]])]
    (v,) = run(sl406.RULE, db_context(plan, schema))
    assert where([v]) == [(DB_PLAN, 33)] and "`cards(deck_id, created_at)`" in v.message


def test_types_file_out_of_sync() -> None:
    schema = [
        schema_table("decks", 1, columns=[("id", "uuid", False), ("name", "text", False)]),
        schema_table("tags", 9),
    ]
    ctx = db_context(
        [plan_table("decks")], schema, types_tables=[("decks", ["id", "title"]), ("old", ["id"])]
    )
    messages = sorted(v.message for v in run(sl409.RULE, ctx))
    assert messages == [
        "Generated types have table `old`, which the migrations do not create",
        "Generated types lack table `tags`; regenerate them",
        "Generated types of `decks` lack `name` and still have `title`; regenerate them",
    ]
    in_sync = db_context([plan_table("decks")], schema[:1], types_tables=[("decks", ["name", "id"])])
    assert run(sl409.RULE, in_sync) == []
    no_types = db_context([plan_table("decks")], schema)
    assert run(sl409.RULE, no_types) == []
