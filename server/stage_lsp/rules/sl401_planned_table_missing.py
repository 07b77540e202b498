"""SL401 planned-table-missing: a table of the DB plan is not created by the migrations.

## What it does
Replays the migrations in order and reports each table the DB plan defines that does not exist in the
final state (never created, or dropped later), on the plan's definition. Not reported: tables the plan
rejects, tables of a later stage, Supabase's own tables (`auth.users`: a planned `users` table is taken
to mean it when the migrations reference `auth.users` and create no `users`), and projects without
migrations.

## Why is this bad?
Every endpoint that reads or writes the table fails at run time with "relation does not exist", and the
generated types will not have it.

## Example
```markdown
### generations
| Column | Type | ... |
```
with no `create table generations` in `supabase/migrations/`.

## Fix
Add a migration that creates the table as planned (the language server offers to scaffold it, with RLS
and the planned policies), or remove the table from the plan.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules._scaffold_migration import create_table_fix
from stage_lsp.rules._tables import checks_schema, match_tables, table_key
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    if not checks_schema(ctx):
        return
    for table in match_tables(ctx).missing:
        yield RULE.violation(
            table.location,
            f"Planned table `{table.name}` is not created by the migrations",
            entity=(table_key(table.name),),
            fix=create_table_fix(ctx, table),
        )


RULE = define(__doc__, Severity.WARNING, check)
