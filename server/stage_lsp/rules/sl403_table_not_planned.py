"""SL403 table-not-planned: the migrations create a table the DB plan does not define, or rejects.

## What it does
Reports each table of the migrations' final state that the DB plan does not define, on the statement that
creates it. When the plan explicitly rejects the table ("❌ `tags` table (not needed for MVP)"), the
message says so. Partitions of a planned table are not reported. Only when the plan defines tables.

## Why is this bad?
An unplanned table has no reviewed design: no planned RLS policies, no indexes, no owner. A table the plan
rejected is scope creep the plan decided against.

## Example
```sql
create table public.tags (id uuid primary key, name text not null);
```
while db-plan.md says "❌ `tags` table (not needed for MVP)".

## Fix
Add the table to the DB plan (with its RLS policies), or drop it in a migration.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._tables import checks_schema, match_tables, table_key
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    if not checks_schema(ctx):
        return
    match = match_tables(ctx)
    for planned, actual in match.rejected:
        yield RULE.violation(
            actual.location,
            f"Table `{actual.name}` is created, but the DB plan explicitly rejects it",
            entity=(table_key(actual.name),),
            related=[Related(planned.location, "rejected here")],
        )
    db_plan = ctx.plan.db_files[0] if ctx.plan.db_files else None
    for actual in match.unplanned:
        yield RULE.violation(
            actual.location,
            f"Table `{actual.name}` is not in the DB plan" + (f" ({db_plan})" if db_plan else ""),
            entity=(table_key(actual.name),),
        )


RULE = define(__doc__, Severity.WARNING, check)
