"""SL503 planned-policy-missing: a per-command RLS policy of the plan has no counterpart in the migrations.

## What it does
Policies are compared by what they do, not by name (plan names rarely match the migrations'): for each
policy the plan gives a table (`select`, `insert`, `update`, `delete` or `all`, with roles when stated),
the final state must have policies on that table for that command (a `for all` policy covers every
command) that together grant the planned roles (no `TO` clause means `public`, which includes every role;
`to anon` in one policy and `to authenticated` in another grant both). A policy whose condition is
`false` grants nothing and counts for no planned policy, unless the plan's condition is `false` too.
Missing ones are reported on the plan line of the policy, with the table's creation as related location.
Plan policies written as hedged pseudo-code are not checked.

## Why is this bad?
Under RLS a missing policy means the operation is denied: the planned feature (editing a deck, deleting a
card) fails for every user.

## Example
```sql
create policy decks_update on decks for update to authenticated using (auth.uid() = user_id);
```
planned, while the migrations create only the select, insert and delete policies on `decks`.

## Fix
Add the policy in a new migration (the language server offers to scaffold it from the plan), or remove it
from the plan.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._policies import missing_policies
from stage_lsp.rules._scaffold_migration import secure_table_fix
from stage_lsp.rules._tables import match_tables, table_key
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    for planned, actual in match_tables(ctx).pairs:
        missing = missing_policies(planned, actual)
        fix = secure_table_fix(ctx, planned, actual.rls is False, missing) if missing else None
        for policy in missing:
            roles = f" to {', '.join(policy.roles)}" if policy.roles else ""
            yield RULE.violation(
                policy.location,
                f"Planned `{policy.command}` policy{roles} on `{planned.name}` has no counterpart in the migrations",
                entity=(table_key(planned.name), policy.command, ",".join(policy.roles or ())),
                related=[Related(actual.location, f"`{actual.name}` is created here")],
                fix=fix,
            )


RULE = define(__doc__, Severity.WARNING, check)
