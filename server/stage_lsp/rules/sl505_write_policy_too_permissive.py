"""SL505 write-policy-too-permissive: a write policy lets anyone write, or anyone write any row.

## What it does
Reports a policy of the migrations' final state on `insert`, `update`, `delete` or `all` that grants
writes without restricting who or which rows:
- its condition is `true` (`USING (true)` / `WITH CHECK (true)`): every signed-in user (or every visitor)
  may write or delete every row, unless the policy is only for `service_role`;
- it has no `TO` clause (so it applies to `public`, including the `anon` role of every visitor) and its
  condition cannot depend on the caller: it calls no function (`auth.uid()`, a helper such as
  `get_current_household_id()`), has no sub-query and does not read `current_user`.
A condition that denies (`false`) or may check the caller is not reported: `using (auth.uid() = user_id)`
without `TO` is safe, because an anonymous visitor has no uid. Read-only (`select`) policies are not
reported: public reading is often intended. On the policy, with the planned policy for that command as
related location when the plan has one.

## Why is this bad?
Such a policy lets any signed-in user, or any visitor with the public anon key, insert rows in other users'
names, rewrite them, or delete them.

## Example
```sql
create policy decks_delete on public.decks for delete using (true);
```

## Fix
Restrict it to the owner (`using (auth.uid() = user_id)`) and to a role (`to authenticated`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stage_lsp.code.model import SchemaPolicy
from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._policies import WRITE_COMMANDS
from stage_lsp.rules._tables import schema_known, table_key
from stage_lsp.rules.base import define

# Anything that can depend on who is calling: auth.uid(), any other function, a sub-query, current_user.
CALLER = re.compile(r"\w\s*\(|\bselect\b|\bcurrent_user\b|\bsession_user\b|\bcurrent_role\b", re.I)


def _is_literal(expr: str | None, value: str) -> bool:
    return expr is not None and expr.strip().strip("()").strip().lower() == value


def _checks_caller(policy: SchemaPolicy) -> bool:
    return any(CALLER.search(e) for e in (policy.using, policy.with_check) if e)


def check(ctx: CheckContext) -> Iterator[Violation]:
    if not schema_known(ctx):
        return
    planned = {table_key(t.name): t for t in ctx.plan.tables}
    for table in ctx.code.tables:
        plan_table = planned.get(table_key(table.name))
        for policy in table.policies:
            if policy.command not in WRITE_COMMANDS:
                continue
            roles = {r.lower() for r in policy.roles or ()}
            if roles and roles <= {"service_role", "postgres", "supabase_admin"}:
                continue
            if _is_literal(policy.using, "false") or _is_literal(policy.with_check, "false"):
                continue
            problems = []
            public = policy.roles is None or "public" in roles or "anon" in roles
            if public and not _checks_caller(policy):
                problems.append(
                    "applies to anonymous visitors" + (" (no `TO` clause)" if policy.roles is None else "")
                )
            if _is_literal(policy.using, "true") or _is_literal(policy.with_check, "true"):
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
