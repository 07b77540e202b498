"""SL406 planned-index-missing: an index the DB plan lists is not created by the migrations.

## What it does
For every planned table present in the migrations' final state, reports each planned index (`index on
flashcards(deck_id)`, `CREATE INDEX ... ON flashcards (deck_id)`) that no index of the final table
serves, on the plan line of the index. An index serves a planned one when its leading columns are the
planned columns in order (a composite `(user_id, created_at)` serves a planned `(user_id)`); a primary key
or unique constraint on exactly those columns counts too. Indexes the plan marks optional are skipped.

## Why is this bad?
The plan chose the index for a query the API makes (list a deck's cards, a user's generations). Without
it, that query scans the table: fine with ten rows, a timeout with a million.

## Example
```markdown
- index on `flashcards(deck_id)`
```
while the migrations index only `flashcards(user_id)`.

## Fix
Create the index in a new migration, or remove it from the plan. The fix (unsafe) creates a migration,
versioned after the newest one, with `create index if not exists` (and the table's missing columns),
using the access method and operator classes the plan names (`GIN index on notes(tags)` -> `using gin
(tags)`; `USING gin (title gin_trgm_ops)` kept as written). An index whose name the migrations already
use for other columns gets no fix: `if not exists` would skip it.
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
        indexes = missing_indexes(planned, actual)
        fix = alter_table_fix(ctx, planned, missing_columns(planned, actual), indexes) if indexes else None
        for index in indexes:
            want = tuple(c.lower() for c in index.columns)
            cols = ", ".join(index.columns)
            yield RULE.violation(
                index.location,
                f"Planned index on `{planned.name}({cols})` is not created by the migrations",
                entity=(table_key(planned.name), *want),
                related=[Related(actual.location, f"`{actual.name}` is created here")],
                fix=fix,
            )


RULE = define(__doc__, Severity.WARNING, check)
