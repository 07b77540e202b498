"""SL409 types-out-of-sync: the generated `database.types.ts` does not match the migrations.

## What it does
Compares the tables and columns of the Supabase generated types file (`export type Database = ...`, read
in UTF-8 or UTF-16) with the migrations' final state, and reports each table that is missing on one side
and each table whose columns differ, on the first line of the types file (one finding per table). Views
and functions are not compared. Only when the project has both migrations and a types file.

## Why is this bad?
The application's types come from this file. When it is stale, TypeScript accepts queries for columns
that no longer exist and rejects valid ones, and DTOs derived from `Tables<"x">` describe the wrong shape.

## Example
A migration adds table `tags`; `database.types.ts` was generated before it and has no `tags`.

## Fix
Regenerate the types (`npx supabase gen types typescript --local > src/db/database.types.ts`).
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules._tables import schema_known, table_key
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    generated = ctx.code.types_tables
    types_file = ctx.files.types
    if generated is None or types_file is None or not ctx.code.migrations or not schema_known(ctx):
        return
    top = Location(types_file, Range(0, 0, 0, 0))
    typed = {table_key(name): {c.lower() for c in cols} for name, cols in generated}
    schema = {table_key(t.name): t for t in ctx.code.tables if t.partition_of is None}
    for key, table in sorted(schema.items()):
        if key not in typed:
            yield RULE.violation(
                top,
                f"Generated types lack table `{key}`; regenerate them",
                entity=(key,),
                discriminator="missing-in-types",
            )
            continue
        columns = {c.name.lower() for c in table.columns}
        if not columns:
            continue
        lacking, stale = sorted(columns - typed[key]), sorted(typed[key] - columns)
        if lacking or stale:
            parts = ([f"lack {', '.join(f'`{c}`' for c in lacking)}"] if lacking else []) + (
                [f"still have {', '.join(f'`{c}`' for c in stale)}"] if stale else []
            )
            yield RULE.violation(
                top,
                f"Generated types of `{key}` {' and '.join(parts)}; regenerate them",
                entity=(key,),
                discriminator="columns",
            )
    for key in sorted(set(typed) - set(schema)):
        if any(key == table_key(t.name) for t in ctx.code.tables) or key in ctx.code.views:
            continue
        yield RULE.violation(
            top,
            f"Generated types have table `{key}`, which the migrations do not create",
            entity=(key,),
            discriminator="missing-in-schema",
        )


RULE = define(__doc__, Severity.WARNING, check)
