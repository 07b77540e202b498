"""SL501-SL506 on hand-built models."""

from __future__ import annotations

from stage_lsp.rules import (
    sl501_rls_not_enabled as sl501,
)
from stage_lsp.rules import (
    sl502_rls_without_policy as sl502,
)
from stage_lsp.rules import (
    sl503_planned_policy_missing as sl503,
)
from stage_lsp.rules import (
    sl504_policy_predicate_differs as sl504,
)
from stage_lsp.rules import (
    sl505_write_policy_too_permissive as sl505,
)
from stage_lsp.rules import (
    sl506_policies_without_rls as sl506,
)
from tests.rules.builders import (
    DB_PLAN,
    MIGRATION,
    db_context,
    plan_policy,
    plan_table,
    run,
    schema_policy,
    schema_table,
    where,
)

OWN = "auth.uid() = user_id"


def test_rls_disabled_later_is_reported_once_at_the_disable() -> None:
    plan = [plan_table("generations", 1, rls=True)]
    schema = [
        schema_table(
            "generations", 3, rls=False, rls_line=40, policies=[schema_policy("generations", "select", 9)]
        )
    ]
    ctx = db_context(plan, schema)
    (v,) = run(sl501.RULE, ctx)
    assert where([v]) == [(MIGRATION, 40)] and v.severity.value == "error"
    assert "is disabled in the final state" in v.message and "its 1 policy has no effect" in v.message
    assert v.related[0].location == plan[0].rls_location
    assert run(sl506.RULE, ctx) == []  # one finding for one cause


def test_rls_never_enabled_and_unknown_state() -> None:
    never = db_context([plan_table("decks", 1, rls=True)], [schema_table("decks", 5, rls=False)])
    assert where(run(sl501.RULE, never)) == [(MIGRATION, 5)]
    assert "is never enabled" in run(sl501.RULE, never)[0].message
    unknown = db_context([plan_table("decks", 1, rls=True)], [schema_table("decks", 5, rls=None)])
    assert run(sl501.RULE, unknown) == []
    enabled = db_context([plan_table("decks", 1, rls=True)], [schema_table("decks", 5, rls=True, rls_line=6)])
    assert run(sl501.RULE, enabled) == []
    implied = db_context(
        [plan_table("decks", 1, policies=[plan_policy("select", 3)])], [schema_table("decks", 5, rls=False)]
    )
    assert len(run(sl501.RULE, implied)) == 1  # planned policies imply RLS


def test_rls_without_policy() -> None:
    ctx = db_context(
        [plan_table("decks", 1)],
        [
            schema_table("tags", 3, rls=True, rls_line=9),
            schema_table("decks", 20, rls=True, rls_line=25, policies=[schema_policy("decks", "select", 26)]),
        ],
    )
    assert where(run(sl502.RULE, ctx)) == [(MIGRATION, 9)]
    intended = db_context(
        [plan_table("audit", 1, rls=True)], [schema_table("audit", 3, rls=True, rls_line=4)]
    )
    assert run(sl502.RULE, intended) == []


def test_planned_policy_missing_by_command_and_roles() -> None:
    plan = [
        plan_table(
            "decks",
            1,
            rls=True,
            policies=[
                plan_policy(c, 10 + i, using=OWN)
                for i, c in enumerate(("select", "insert", "update", "delete"))
            ],
        )
    ]
    schema = [
        schema_table(
            "decks",
            3,
            rls=True,
            policies=[
                schema_policy("decks", "select", 5, using=OWN),
                schema_policy("decks", "insert", 6, with_check=OWN),
                schema_policy("decks", "delete", 7, roles=None, using=OWN),
            ],
        )
    ]
    (v,) = run(sl503.RULE, db_context(plan, schema))
    assert where([v]) == [(DB_PLAN, 12)]
    assert (
        v.message
        == "Planned `update` policy to authenticated on `decks` has no counterpart in the migrations"
    )


def test_for_all_policies_cover_and_are_covered() -> None:
    all_planned = [plan_table("t", 1, rls=True, policies=[plan_policy("all", 5, roles=None, using=OWN)])]
    split = [
        schema_table(
            "t",
            3,
            rls=True,
            policies=[
                schema_policy("t", c, 4 + i, using=OWN)
                for i, c in enumerate(("select", "insert", "update", "delete"))
            ],
        )
    ]
    assert run(sl503.RULE, db_context(all_planned, split)) == []
    per_command = [plan_table("t", 1, rls=True, policies=[plan_policy("update", 5)])]
    one_all = [schema_table("t", 3, rls=True, policies=[schema_policy("t", "all", 4, using=OWN)])]
    assert run(sl503.RULE, db_context(per_command, one_all)) == []
    low = [plan_table("t", 1, rls=True, policies=[plan_policy("delete", 5, confidence="low")])]
    assert run(sl503.RULE, db_context(low, one_all[:0] or [schema_table("t", 3, rls=True)])) == []


def test_planned_roles_may_be_granted_by_several_policies() -> None:
    both = ("anon", "authenticated")
    plan = [plan_table("reports", 1, rls=True, policies=[plan_policy("select", 5, roles=both, using="true")])]
    split = [
        schema_table(
            "reports",
            3,
            rls=True,
            policies=[
                schema_policy("reports", "select", 4, roles=("anon",), using="true"),
                schema_policy("reports", "select", 9, roles=("authenticated",), using="true"),
            ],
        )
    ]
    assert run(sl503.RULE, db_context(plan, split)) == []
    assert run(sl504.RULE, db_context(plan, split)) == []
    anon_only = [
        schema_table(
            "reports",
            3,
            rls=True,
            policies=[schema_policy("reports", "select", 4, roles=("anon",), using="true")],
        )
    ]
    (v,) = run(sl503.RULE, db_context(plan, anon_only))
    assert where([v]) == [(DB_PLAN, 5)]
    narrowed = [
        schema_table(
            "reports",
            3,
            rls=True,
            policies=[
                schema_policy("reports", "select", 4, roles=("anon",), using="true"),
                schema_policy("reports", "select", 9, roles=("authenticated",), using=OWN),
            ],
        )
    ]
    (v,) = run(sl504.RULE, db_context(plan, narrowed))  # authenticated users see only their own rows
    assert where([v]) == [(MIGRATION, 9)] and "using (auth.uid() = user_id)" in v.message


def test_a_denying_policy_stands_in_for_no_planned_policy() -> None:
    plan = [
        plan_table(
            "profiles",
            1,
            rls=True,
            policies=[plan_policy("select", 5, roles=None), plan_policy("update", 6, roles=None)],
        )
    ]
    blocked = [
        schema_table(
            "profiles",
            3,
            rls=True,
            policies=[
                schema_policy("profiles", "select", 4, roles=("anon",), using="false"),
                schema_policy("profiles", "select", 5, using="auth.uid() = id"),
                schema_policy("profiles", "update", 6, using="false", with_check="false"),
            ],
        )
    ]
    (v,) = run(sl503.RULE, db_context(plan, blocked))
    assert where([v]) == [(DB_PLAN, 6)] and "`update`" in v.message
    denial = [plan_table("profiles", 1, rls=True, policies=[plan_policy("update", 6, using="false")])]
    assert run(sl503.RULE, db_context(denial, blocked)) == []
    assert run(sl504.RULE, db_context(denial, blocked)) == []


def test_policy_predicate_differs_after_normalisation() -> None:
    plan = [
        plan_table(
            "cards",
            1,
            rls=True,
            policies=[plan_policy("select", 5, using=OWN), plan_policy("insert", 6, with_check=OWN)],
        )
    ]
    same = [
        schema_table(
            "cards",
            3,
            rls=True,
            policies=[
                schema_policy("cards", "select", 4, using=OWN),
                schema_policy("cards", "insert", 5, with_check=OWN),
            ],
        )
    ]
    assert run(sl504.RULE, db_context(plan, same)) == []
    wide = [
        schema_table(
            "cards",
            3,
            rls=True,
            policies=[
                schema_policy("cards", "select", 4, using="true", name="read all"),
                schema_policy("cards", "insert", 5, with_check=OWN),
            ],
        )
    ]
    (v,) = run(sl504.RULE, db_context(plan, wide))
    assert where([v]) == [(MIGRATION, 4)]
    assert (
        v.message
        == "Policy `read all` on `cards` (select) has using (true); the plan says using (auth.uid() = user_id)"
    )


def test_write_policy_too_permissive() -> None:
    schema = [
        schema_table(
            "decks",
            1,
            rls=True,
            policies=[
                schema_policy("decks", "delete", 5, roles=None, using="true"),
                schema_policy("decks", "insert", 6, roles=("anon",), with_check="name is not null"),
                schema_policy("decks", "update", 7, roles=("authenticated",), using="true"),
                schema_policy("decks", "update", 8, roles=("service_role",), using="true"),
                schema_policy("decks", "select", 9, roles=None, using="true"),
                schema_policy("decks", "delete", 10, roles=None, using=OWN),
                schema_policy("decks", "all", 11, roles=None, using="false"),
                schema_policy(
                    "decks", "insert", 12, roles=None, with_check="(select auth.jwt()) ->> 'role' = 'admin'"
                ),
            ],
        )
    ]
    plan = [plan_table("decks", 1, rls=True, policies=[plan_policy("delete", 30, using=OWN)])]
    found = run(sl505.RULE, db_context(plan, schema))
    assert [(v.location.range.line, v.message) for v in found] == [
        (
            5,
            "Write policy `decks_delete` on `decks` (delete) applies to anonymous visitors (no `TO` clause) and allows every row (`true`)",
        ),
        (6, "Write policy `decks_insert` on `decks` (insert) applies to anonymous visitors"),
        (7, "Write policy `decks_update` on `decks` (update) allows every row (`true`)"),
    ]
    assert found[0].related[0].location.range.line == 30


def test_policies_on_a_table_without_rls() -> None:
    schema = [
        schema_table("profiles", 1, rls=False, rls_line=12, policies=[schema_policy("profiles", "select", 3)])
    ]
    (v,) = run(sl506.RULE, db_context([plan_table("decks")], schema))
    assert where([v]) == [(MIGRATION, 12)] and "has 1 policy but row-level security is off" in v.message
    unknown = [schema_table("profiles", 1, rls=None, policies=[schema_policy("profiles", "select", 3)])]
    assert run(sl506.RULE, db_context([plan_table("decks")], unknown)) == []
