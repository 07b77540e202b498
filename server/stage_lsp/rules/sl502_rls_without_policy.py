"""SL502 rls-without-policy: a table has RLS enabled and no policy, so no client can use it.

## What it does
Reports each table of the migrations' final state with RLS enabled and no policy at all, on the statement
that enabled RLS. Not reported when the plan itself gives the table RLS without any policy (a table meant
for the service role only).

## Why is this bad?
With RLS on and no policy, every query from the app's users returns nothing and every write fails: the
feature looks broken, and the usual "fix" under pressure is to disable RLS.

## Example
```sql
create table public.tags (...);
alter table public.tags enable row level security;
```
and no `create policy ... on tags`.

## Fix
Add the per-command policies the table needs (the language server offers to scaffold them from the
plan), or document in the plan that only the service role uses the table.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules._tables import schema_known, table_key
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    if not schema_known(ctx):
        return
    intended = {table_key(t.name) for t in ctx.plan.tables if t.rls is True and not t.policies}
    for table in ctx.code.tables:
        key = table_key(table.name)
        if (
            table.rls is not True
            or table.policies
            or not table.policies_complete
            or key in intended
            or table.partition_of
        ):
            continue
        yield RULE.violation(
            table.rls_location or table.location,
            f"Row-level security on `{table.name}` is enabled with no policy: no client can read or write it",
            entity=(key,),
        )


RULE = define(__doc__, Severity.WARNING, check)
