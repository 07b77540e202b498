"""SL501 rls-not-enabled: a table the plan protects with row-level security has RLS off after the migrations.

## What it does
Replays the migrations and reports each planned table whose plan enables RLS (explicitly, or by planning
policies for it) while the final state has RLS disabled: never enabled, or disabled later ("disable RLS for
development" migrations are a common pattern). The diagnostic sits on the statement that decided the final
state (the `disable row level security`, or the `create table` when RLS was never enabled); the related
location is the plan's RLS statement. A table whose RLS state cannot be known (enabled through dynamic SQL
that was not understood) is never reported.

## Why is this bad?
With RLS off, Supabase's API serves every row of the table to any client holding the public anon key:
every user's data, readable and often writable by anyone. Only the final state matters.

## Example
```sql
-- 20250310120000_disable_rls_for_development.sql
alter table public.generations disable row level security;
```
while the plan enables RLS on `generations`.

## Fix
Re-enable RLS in a new migration (`alter table ... enable row level security`); the language server offers
to scaffold it with the planned policies.
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
        wants_rls = planned.rls is True or (planned.rls is None and bool(planned.policies))
        if not wants_rls or actual.rls is not False:
            continue
        where = actual.rls_location or actual.location
        how = "is disabled" if actual.rls_location else "is never enabled"
        remaining = len(actual.policies)
        note = (
            f"; its {remaining} polic{'y has' if remaining == 1 else 'ies have'} no effect"
            if remaining
            else ""
        )
        related = [Related(planned.rls_location or planned.location, "the plan enables RLS here")]
        yield RULE.violation(
            where,
            f"Row-level security on `{actual.name}` {how} in the final state, but the plan requires it{note}",
            entity=(table_key(actual.name),),
            related=related,
            fix=secure_table_fix(ctx, planned, True, missing_policies(planned, actual)),
        )


RULE = define(__doc__, Severity.ERROR, check)
