"""SL504 policy-predicate-differs: a policy exists for the planned command, but its condition differs.

## What it does
For each planned policy with a stated condition (`USING` and/or `WITH CHECK`) whose table, command and
roles are covered by policies in the migrations' final state, compares the conditions after normalisation
(case, whitespace, casts, `public.` prefixes, `(select auth.uid())` = `auth.uid()`, `x = true` = `x`).
When some planned role is not granted by a policy with the planned condition, reports the first covering
policy whose condition differs, with the plan line as related.
Plan policies written as hedged pseudo-code are not checked.

## Why is this bad?
The condition is the access rule: `using (true)` where the plan says `auth.uid() = user_id` lets every user
read everyone's rows; a stricter condition than planned breaks a planned feature (shared decks).

## Example
```sql
-- plan
create policy flashcards_select on flashcards for select to authenticated using (auth.uid() = user_id);
-- migration
create policy "read cards" on flashcards for select to authenticated using (true);
```

## Fix
Change the policy's condition in a new migration (`alter policy` or drop and recreate), or update the plan.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.code.model import SchemaPolicy
from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.plan.model import PlanPolicy
from stage_lsp.rules._policies import covering, roles_agree, same_predicate
from stage_lsp.rules._tables import match_tables, table_key
from stage_lsp.rules.base import define


def _agrees(actual: SchemaPolicy, planned: PlanPolicy) -> bool:
    """WITH CHECK defaults to USING in PostgreSQL when a policy states only USING."""
    using_ok = planned.using is None or same_predicate(actual.using, planned.using)
    check_ok = planned.with_check is None or same_predicate(
        actual.with_check or actual.using, planned.with_check
    )
    return using_ok and check_ok


def check(ctx: CheckContext) -> Iterator[Violation]:
    for planned, actual in match_tables(ctx).pairs:
        if not actual.policies_complete:
            continue
        for policy in planned.policies:
            if policy.confidence == "low" or (policy.using is None and policy.with_check is None):
                continue
            candidates = covering(policy, actual.policies)
            if not candidates:
                continue  # SL503
            if roles_agree(policy, [p for p in candidates if _agrees(p, policy)]):
                continue
            differing = [p for p in candidates if not _agrees(p, policy)] or candidates
            first = min(differing, key=lambda p: p.location)
            shown = (
                f"using ({first.using})" if policy.using is not None else f"with check ({first.with_check})"
            )
            planned_text = (
                f"using ({policy.using})" if policy.using is not None else f"with check ({policy.with_check})"
            )
            yield RULE.violation(
                first.location,
                f"Policy `{first.name}` on `{actual.name}` ({first.command}) has {shown}; the plan says {planned_text}",
                entity=(table_key(planned.name), policy.command, ",".join(policy.roles or ())),
                related=[Related(policy.location, "the planned policy")],
            )


RULE = define(__doc__, Severity.WARNING, check)
