"""SL506 policies-without-rls: a table has policies but RLS is off, so they have no effect.

## What it does
Reports each table of the migrations' final state that has policies while RLS is disabled, on the
statement that disabled it (or the table's creation). Tables the plan protects with RLS are reported by
SL501 instead, once. Unknown RLS states are never reported.

## Why is this bad?
The policies look like protection in a code review, but with RLS off they are ignored: every row is
visible to every client. It usually means a "temporary" `disable row level security` was never reverted.

## Example
```sql
create policy profiles_select on profiles for select to authenticated using (auth.uid() = id);
alter table profiles disable row level security;
```

## Fix
Enable RLS again (`alter table ... enable row level security`), or drop the dead policies. The fix
(unsafe) creates a migration, versioned after the newest one, that enables RLS on the table again.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules._scaffold_migration import enable_rls_fix
from stage_lsp.rules._tables import match_tables, schema_known, table_key
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    if not schema_known(ctx):
        return
    by_sl501 = {
        table_key(a.name)
        for p, a in match_tables(ctx).pairs
        if p.rls is True or (p.rls is None and p.policies)
    }
    for table in ctx.code.tables:
        key = table_key(table.name)
        if table.rls is not False or not table.policies or key in by_sl501:
            continue
        count = len(table.policies)
        yield RULE.violation(
            table.rls_location or table.location,
            f"`{table.name}` has {count} polic{'y' if count == 1 else 'ies'} but row-level security is off: "
            f"{'it has' if count == 1 else 'they have'} no effect",
            entity=(key,),
            fix=enable_rls_fix(ctx, table),
        )


RULE = define(__doc__, Severity.WARNING, check)
