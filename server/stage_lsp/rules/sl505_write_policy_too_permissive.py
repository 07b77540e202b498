"""SL505 write-policy-too-permissive: a write policy applies to everyone or allows every row.

## What it does
Reports each policy of the migrations' final state on `insert`, `update`, `delete` or `all` that either has
no `TO` clause (it then applies to `public`, which includes the `anon` role of every visitor) or whose
condition is `true` (`USING (true)` / `WITH CHECK (true)`), unless it is restricted to `service_role`
(which bypasses RLS anyway). On the policy, with the planned policy for that command as related location
when the plan has one. Read-only (`select`) policies are not reported: public reading is often intended.

## Why is this bad?
Such a policy lets any signed-in user, or any visitor, write or delete rows that are not theirs. The
Supabase migration rules most projects copy ask for one policy per command and per role for this reason.

## Example
```sql
create policy decks_delete on public.decks for delete using (auth.uid() = user_id);
```
(no `to authenticated`: the policy also applies to `anon`).

## Fix
Add `to authenticated` (and a separate `to anon` policy only if anonymous writes are intended), and a real
ownership condition.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._policies import WRITE_COMMANDS
from stage_lsp.rules._tables import table_key
from stage_lsp.rules.base import define


def _is_true(expr: str | None) -> bool:
    return expr is not None and expr.strip().strip("()").strip().lower() == "true"


def check(ctx: CheckContext) -> Iterator[Violation]:
    planned = {table_key(t.name): t for t in ctx.plan.tables}
    for table in ctx.code.tables:
        plan_table = planned.get(table_key(table.name))
        for policy in table.policies:
            if policy.command not in WRITE_COMMANDS:
                continue
            roles = {r.lower() for r in policy.roles or ()}
            if roles and roles <= {"service_role", "postgres", "supabase_admin"}:
                continue
            problems = []
            if policy.roles is None or "public" in roles:
                problems.append("has no `TO` clause (it applies to `public`, `anon` included)")
            if _is_true(policy.using) or _is_true(policy.with_check):
                problems.append("allows every row (`true`)")
            if not problems:
                continue
            related = []
            if plan_table is not None:
                match = next((p for p in plan_table.policies if p.command == policy.command), None)
                if match is not None:
                    related.append(Related(match.location, "the planned policy"))
            yield RULE.violation(
                policy.location,
                f"Write policy `{policy.name}` on `{table.name}` ({policy.command}) {' and '.join(problems)}",
                entity=(table_key(table.name), policy.command, policy.name),
                related=related,
            )


RULE = define(__doc__, Severity.WARNING, check)
