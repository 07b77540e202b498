"""SL405 column-nullability-differs: a column is nullable where the plan says NOT NULL, or the reverse.

## What it does
For columns that both the plan and the migrations' final state have, and whose nullability the plan
states (`NOT NULL`, `NULL`, `NULLABLE`, a primary key), reports a difference on the statement that last
set it in the migrations (the column's definition, or a later `set not null` / `drop not null`). Columns
whose plan says nothing about nullability are not compared; "required" counts as NOT NULL only as a marker
of its own ("NOT NULL, required", "(wymagane)"), not when it describes the column ("required documents").

## Why is this bad?
A nullable column the plan promised to be required lets incomplete rows in (and every reader must handle
`null`); a NOT NULL column the plan left optional makes valid requests fail on insert.

## Example
```markdown
| `accepted_count` | `integer` | `NULL` | filled later |
```
```sql
accepted_count integer not null,
```

## Fix
Alter the column (`set not null` / `drop not null`) in a new migration, or update the plan.
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
    for planned, actual in match_tables(ctx).pairs:
        columns = {c.name.lower(): c for c in actual.columns}
        for column in planned.columns:
            real = columns.get(column.name.lower())
            want = False if column.primary_key else column.nullable
            if real is None or want is None or real.nullable is None or want == real.nullable:
                continue
            said = "nullable" if want else "NOT NULL"
            is_ = "nullable" if real.nullable else "NOT NULL"
            yield RULE.violation(
                real.location,
                f"Column `{actual.name}.{real.name}` is {is_}; the plan says {said}",
                entity=(table_key(planned.name), column.name.lower()),
                related=[Related(column.location, f"planned {said}")],
            )


RULE = define(__doc__, Severity.WARNING, check)
