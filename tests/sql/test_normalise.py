"""sql.normalise: predicates, expressions and types compare as plans and migrations mean them."""

from __future__ import annotations

import pytest

from stage_lsp.sql import normalise_expression, normalise_predicate, normalise_type, predicate_key


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("((select auth.uid()) = user_id)", "auth.uid() = user_id"),
        ("auth.uid() = user_id", "auth.uid() = user_id"),
        ("USING (auth.uid()   =\n  user_id)", "auth.uid() = user_id"),
        ("AUTH.UID() = USER_ID", "auth.uid() = user_id"),
        ("auth.uid() = user_id::uuid", "auth.uid() = user_id"),
        ("public.is_admin()", "is_admin()"),
        ("(((true)))", "true"),
        ("with check (auth.role() = 'Authenticated')", "auth.role() = 'Authenticated'"),
        (
            "exists (select 1 from public.members m where m.deck_id = decks.id and m.user_id = (select auth.uid()))",
            "exists (select 1 from members as m where m.deck_id = decks.id and m.user_id = auth.uid())",
        ),
    ],
)
def test_normalise_predicate(written: str, expected: str) -> None:
    assert normalise_predicate(written) == expected


def test_predicate_key_ignores_operand_order() -> None:
    assert predicate_key("user_id = auth.uid()") == predicate_key("(select auth.uid()) = user_id")
    assert predicate_key("a = 1 and (b or c)") == predicate_key("(c or b) and 1 = a")
    assert predicate_key("a = 1") != predicate_key("a = 2")
    assert predicate_key("a < b") != predicate_key("b < a")


def test_predicate_key_reduces_comparisons_with_boolean_literals() -> None:
    admin = "exists (select 1 from profiles p where p.user_id = auth.uid() and p.is_admin)"
    assert predicate_key(admin.replace("p.is_admin", "p.is_admin = true")) == predicate_key(admin)
    assert predicate_key("true = is_public") == predicate_key("is_public")
    assert predicate_key("archived = false") == predicate_key("not archived")
    assert predicate_key("archived = false") != predicate_key("archived")
    assert predicate_key("is_public is true") != predicate_key("is_public")  # differs for null under not
    assert normalise_predicate("p.is_admin = true") == "p.is_admin = true"  # shown as written


def test_predicate_key_drops_branches_that_admit_only_the_service_role() -> None:
    own = "project_id in (select id from projects where owner_user_id = auth.uid())"
    assert predicate_key(own + " OR auth.jwt() ->> 'role' = 'service_role'") == predicate_key(own)
    assert predicate_key("auth.role() = 'service_role' or a or b") == predicate_key("b or a")
    assert predicate_key("(select auth.jwt()) ->> 'role' = 'service_role' or a") == predicate_key("a")
    assert predicate_key("auth.role() = 'service_role'") != predicate_key("true")  # alone it stays
    assert predicate_key("auth.role() = 'authenticated' or a") != predicate_key("a")
    assert predicate_key("a and auth.role() = 'service_role'") != predicate_key("a")  # AND is not OR


def test_pseudo_sql_falls_back_to_text_normalisation() -> None:
    assert normalise_predicate("  User owns  the row (Public.Decks) ") == "user owns the row (decks)"
    assert normalise_predicate("id ==> owner::text 'Keep Case'") == "id ==> owner 'Keep Case'"
    assert predicate_key("user_id = auth.uid() OR shared") == predicate_key("shared or auth.uid() = user_id")


def test_normalise_expression_for_defaults() -> None:
    assert normalise_expression("NOW()") == "now()"
    assert normalise_expression("'pending'::public.status") == "'pending'"
    assert normalise_expression("gen_random_uuid ( )") == "gen_random_uuid()"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("VARCHAR(255)", "varchar(255)"),
        ("character varying(20)", "varchar(20)"),
        ("int", "integer"),
        ("INT4", "integer"),
        ("bigint", "bigint"),
        ("bool", "boolean"),
        ("TIMESTAMP WITH TIME ZONE", "timestamptz"),
        ("timestamptz", "timestamptz"),
        ("timestamp", "timestamp"),
        ("numeric(10, 2)", "numeric(10,2)"),
        ("decimal(10,2)", "numeric(10,2)"),
        ("text[]", "text[]"),
        ("public.my_enum", "my_enum"),
        ("extensions.vector(1536)", "extensions.vector(1536)"),
        ("double precision", "double precision"),
        ("uuid PK", "uuid pk"),  # not a type: textual fallback
    ],
)
def test_normalise_type(written: str, expected: str) -> None:
    assert normalise_type(written) == expected
