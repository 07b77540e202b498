"""SL402 planned-column-missing: a column of a planned table is missing from the migrations.

## What it does
For every table that both the plan and the migrations' final state have, reports each planned column the
final table does not have (never added, dropped, or renamed), on the plan line of the column. The related
location is where the table is created.

## Why is this bad?
Code written from the plan (inserts, selects, DTOs) refers to a column that does not exist; the failure
appears at run time, often only on the path that uses the column.

## Example
```markdown
| `accepted_count` | `integer` | `NULL` | filled when the user saves proposals |
```
while `create table generations` has no `accepted_count`.

## Fix
Add the column in a new migration (`alter table ... add column ...`), or remove it from the plan. The
fix (unsafe) creates that migration, versioned after the newest one, with the planned type, nullability,
default and reference (and the table's missing indexes).
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._scaffold_migration import alter_table_fix
from stage_lsp.rules._tables import checks_schema, match_tables, missing_columns, missing_indexes, table_key
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    if not checks_schema(ctx):
        return
    for planned, actual in match_tables(ctx).pairs:
        columns = missing_columns(planned, actual)  # empty when the final columns are unknown
        fix = alter_table_fix(ctx, planned, columns, missing_indexes(planned, actual)) if columns else None
        for column in columns:
            yield RULE.violation(
                column.location,
                f"Planned column `{planned.name}.{column.name}` is missing from the migrations",
                entity=(table_key(planned.name), column.name.lower()),
                related=[Related(actual.location, f"`{actual.name}` is created here")],
                fix=fix,
            )


RULE = define(__doc__, Severity.WARNING, check)
