"""Comparing planned RLS policies with the migrations' policies. Not a rule.

Identity is (table, command, roles), never the name. A `for all` policy covers every command. Roles: a
policy without `TO` applies to `public` (every role); a planned policy without roles is satisfied by any
role set; permissive policies add up, so the planned roles may be granted by several policies (`to anon`
in one, `to authenticated` in another). Predicates are compared after both readers normalised them
(stage_lsp.sql normalisation).
"""

from __future__ import annotations

from collections.abc import Iterable

from stage_lsp.code.model import SchemaPolicy, SchemaTable
from stage_lsp.plan.model import PlanPolicy, PlanTable
from stage_lsp.sql import predicate_key

WRITE_COMMANDS = ("insert", "update", "delete", "all")


def command_covers(actual: str, wanted: str) -> bool:
    return actual == wanted or actual == "all"


def grants_role(policy: SchemaPolicy, role: str) -> bool:
    """The policy applies to `role` (no `TO` clause means `public`, every role)."""
    roles = policy.roles
    return roles is None or any(r.lower() in ("public", role.lower()) for r in roles)


def _per_role(planned: PlanPolicy, policies: list[SchemaPolicy]) -> list[SchemaPolicy]:
    """The policies that together grant every planned role (permissive policies add up: `to anon` and
    `to authenticated` in two policies grant what one `to anon, authenticated` does); empty when a
    planned role has none."""
    if planned.roles is None:
        return policies
    out: list[SchemaPolicy] = []
    for role in planned.roles:
        hits = [p for p in policies if grants_role(p, role)]
        if not hits:
            return []
        out.extend(p for p in hits if p not in out)
    return out


def denies(policy: SchemaPolicy) -> bool:
    """A policy that lets no row through (`using (false)`, `with check (false)`): a placeholder that
    documents a denial, not a grant."""
    return "false" in (policy.using, policy.with_check)


def covering(planned: PlanPolicy, actual: Iterable[SchemaPolicy]) -> list[SchemaPolicy]:
    """The migrations' policies that grant what the planned one grants (empty: nothing does).

    A planned `all` policy is also satisfied by per-command policies covering select, insert, update and
    delete together (the granular style many projects' rules require). A policy whose condition is
    `false` grants nothing, so it stands in for no planned policy (unless the plan's condition is `false`
    too).
    """
    planned_denial = "false" in (planned.using, planned.with_check)
    candidates = [p for p in actual if p.permissive and (planned_denial or not denies(p))]
    direct = _per_role(planned, [p for p in candidates if command_covers(p.command, planned.command)])
    if direct or planned.command != "all":
        return direct
    split: list[SchemaPolicy] = []
    for command in ("select", "insert", "update", "delete"):
        found = _per_role(planned, [p for p in candidates if p.command == command])
        if not found:
            return []
        split.extend(found)
    return split


def roles_agree(planned: PlanPolicy, agreeing: list[SchemaPolicy]) -> bool:
    """Every planned role is granted by one of `agreeing` (any one, when the plan names no role)."""
    if planned.roles is None:
        return bool(agreeing)
    return all(any(grants_role(p, role) for p in agreeing) for role in planned.roles)


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
