"""SL407 migration-syntax-error: a migration statement does not parse as PostgreSQL.

## What it does
Parses every migration statement by statement with PostgreSQL's own parser (pglast) and reports each
statement that does not parse, at the token where parsing failed. The rest of the file is still read, so
one typo does not hide the tables and policies around it. PL/pgSQL bodies of functions and DO blocks
that contain DDL are parsed too. Commented-out SQL is never reported.

## Why is this bad?
PostgreSQL runs a migration in one transaction: one statement that does not parse rolls back the whole
file, so every table, policy and index in it is missing on a fresh database (`supabase db reset`, a new
environment, CI), while the checker's view of the schema, and yours, assumes they exist.

## Example
```sql
crate table public.tags (id uuid primary key);   -- "crate"
create or replace function related_acts() returns table (position integer) ...  -- reserved word
```

## Fix
Correct the statement (quote identifiers that are keywords: `"position" integer`) and run the migration
locally with `supabase db reset`. A migration already applied elsewhere needs a new migration, not an edit.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules.base import define, issues_with_code


def check(ctx: CheckContext) -> Iterator[Violation]:
    for issue in issues_with_code(RULE.code, ctx.code.issues):
        yield RULE.from_issue(issue)


RULE = define(__doc__, Severity.ERROR, check)
