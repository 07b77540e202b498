"""Comparing planned RLS policies with the migrations' policies. Not a rule.

Identity is (table, command, roles), never the name. A `for all` policy covers every command. Roles: a
policy without `TO` applies to `public` (every role); a planned policy without roles is satisfied by any
role set. Predicates are compared after both readers normalised them (stage_lsp.sql normalisation).
"""

from __future__ import annotations

from collections.abc import Iterable

from stage_lsp.code.model import SchemaPolicy, SchemaTable
from stage_lsp.plan.model import PlanPolicy, PlanTable
from stage_lsp.sql import predicate_key

WRITE_COMMANDS = ("insert", "update", "delete", "all")


def command_covers(actual: str, wanted: str) -> bool:
    return actual == wanted or actual == "all"


def roles_cover(actual: tuple[str, ...] | None, wanted: tuple[str, ...] | None) -> bool:
    if wanted is None or actual is None or "public" in actual:
        return True
    return set(r.lower() for r in wanted) <= set(r.lower() for r in actual)


def covering(planned: PlanPolicy, actual: Iterable[SchemaPolicy]) -> list[SchemaPolicy]:
    """The migrations' policies that grant what the planned one grants (empty: nothing does).

    A planned `all` policy is also satisfied by per-command policies covering select, insert, update and
    delete together (the granular style many projects' rules require).
    """
    candidates = [p for p in actual if p.permissive and roles_cover(p.roles, planned.roles)]
    direct = [p for p in candidates if command_covers(p.command, planned.command)]
    if direct or planned.command != "all":
        return direct
    split = [p for p in candidates if p.command in ("select", "insert", "update", "delete")]
    return split if {p.command for p in split} == {"select", "insert", "update", "delete"} else []


def same_predicate(a: str | None, b: str | None) -> bool:
    """Equal after normalisation (casts, case, `(select auth.uid())`, operand order of `=`/AND/OR)."""
    if a is None or b is None:
        return a is b
    return predicate_key(a) == predicate_key(b)


def missing_policies(planned: PlanTable, actual: SchemaTable) -> list[PlanPolicy]:
    """Planned policies nothing in the final state grants; none when dynamic SQL may have made them."""
    if not actual.policies_complete:
        return []
    return [p for p in planned.policies if p.confidence != "low" and not covering(p, actual.policies)]
