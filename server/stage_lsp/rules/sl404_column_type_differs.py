"""SL404 column-type-differs: a column's type in the migrations differs from the plan.

## What it does
For columns that both the plan and the migrations' final state have, compares the types after
normalising spelling (`int`/`integer`/`int4`, `timestamptz`/`timestamp with time zone`, `varchar`/
`character varying`, case, whitespace). Reports a difference on the statement that last set the type (the
column's definition, or the `alter column ... type` that changed it), with the plan line as related. Not
compared when either side is not a plain SQL type (an enum written in prose, a domain, a description).

## Why is this bad?
Length limits, precision and semantics follow the type: `text` instead of the planned `varchar(200)`
drops a limit the API's validation and the UI rely on; `timestamp` instead of `timestamptz` shifts times.

## Example
```markdown
| `front` | `varchar(200)` | `NOT NULL` | question |
```
```sql
front text not null,
```

## Fix
Alter the column's type in a new migration, or update the plan.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._tables import checks_schema, match_tables, normalise_type, table_key
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    if not checks_schema(ctx):
        return
    for planned, actual in match_tables(ctx).pairs:
        columns = {c.name.lower(): c for c in actual.columns}
        for column in planned.columns:
            real = columns.get(column.name.lower())
            if real is None:
                continue
            want, have = normalise_type(column.type), normalise_type(real.type)
            if want is None or have is None or want == have:
                continue
            yield RULE.violation(
                real.location,
                f"Column `{actual.name}.{real.name}` is `{real.type}`; the plan says `{column.type}`",
                entity=(table_key(planned.name), column.name.lower()),
                discriminator=f"{want}->{have}",
                related=[Related(column.location, f"planned as `{column.type}`")],
            )


RULE = define(__doc__, Severity.WARNING, check)
