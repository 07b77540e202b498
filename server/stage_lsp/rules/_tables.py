"""Matching planned tables to the migrations' final schema, shared by the SL4xx and SL5xx rules.

Not a rule. Names are compared lower case without `public.`; Supabase's own schemas (`auth.users`,
`storage.objects`) are never expected in the migrations. A planned `users` table that the migrations do
not create, in a project whose tables reference `auth.users`, is taken to mean Supabase's `auth.users`
(a common way plans write it) and is not reported missing. Tables of a later stage are not expected yet.
Checks run only when the project has migrations, all of them readable (`schema_known`), and the plan
defines tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stage_lsp.code.model import SchemaTable
from stage_lsp.context import CheckContext
from stage_lsp.plan.model import PlanColumn, PlanIndex, PlanTable
from stage_lsp.rules._endpoints import current_stage
from stage_lsp.sql import normalise_type as sql_normalise_type

SUPABASE_SCHEMAS = ("auth.", "storage.", "extensions.", "realtime.", "vault.", "supabase_functions.")


@dataclass(frozen=True)
class TableMatch:
    pairs: tuple[tuple[PlanTable, SchemaTable], ...]
    missing: tuple[PlanTable, ...]
    unplanned: tuple[SchemaTable, ...]
    rejected: tuple[tuple[PlanTable, SchemaTable], ...]  # created although the plan rejects them


def table_key(name: str) -> str:
    name = name.strip().strip('"').lower()
    return name[len("public.") :] if name.startswith("public.") else name


def _current_stage(ctx: CheckContext) -> int | None:
    return current_stage(ctx)


def schema_known(ctx: CheckContext) -> bool:
    """Every migration could be read. An unreadable one (SL903) leaves the final schema unknown: its
    tables would look missing, its RLS and policies absent, so no rule compares the schema then."""
    unread = set(ctx.code.unread_files)
    return not any(rel in unread for rel in ctx.files.migrations)


def checks_schema(ctx: CheckContext) -> bool:
    return bool(ctx.code.migrations) and any(not t.rejected for t in ctx.plan.tables) and schema_known(ctx)


def _compute(ctx: CheckContext) -> TableMatch:
    schema = {table_key(t.name): t for t in ctx.code.tables}
    references_auth_users = any(
        c.references and re.match(r"\s*auth\.users\b", c.references)
        for t in ctx.code.tables
        for c in t.columns
    )
    current = _current_stage(ctx)
    pairs: list[tuple[PlanTable, SchemaTable]] = []
    missing: list[PlanTable] = []
    rejected: list[tuple[PlanTable, SchemaTable]] = []
    planned_keys: set[str] = set()
    for table in ctx.plan.tables:
        key = table_key(table.name)
        if key.startswith(SUPABASE_SCHEMAS):
            continue
        found = schema.get(key)
        if table.rejected:
            if found is not None:
                rejected.append((table, found))
            continue
        planned_keys.add(key)
        if found is not None:
            pairs.append((table, found))
        elif key == "users" and references_auth_users:
            continue
        elif not (current is not None and table.stage is not None and table.stage > current):
            missing.append(table)
    rejected_keys = {table_key(s.name) for _, s in rejected}
    unplanned = tuple(
        t
        for key, t in sorted(schema.items())
        if key not in planned_keys
        and key not in rejected_keys
        and not (t.partition_of and table_key(t.partition_of) in planned_keys)
    )
    return TableMatch(tuple(pairs), tuple(missing), unplanned, tuple(rejected))


def match_tables(ctx: CheckContext) -> TableMatch:
    if not schema_known(ctx):
        return TableMatch((), (), (), ())
    return ctx.memo("tables", _compute)


_PLAIN_TYPE = re.compile(r"[a-z][a-z0-9_ ]*(\(\s*\d+\s*(,\s*\d+\s*)?\))?(\s*\[\])*")


def normalise_type(raw: str | None) -> str | None:
    """A comparable type name (stage_lsp.sql's canonical spelling), or None when the text is not a plain
    SQL type: prose, inline enums, domains with checks."""
    if not raw:
        return None
    text = re.sub(r"\s+", " ", raw.strip().strip("`").strip().lower())
    text = re.sub(r"^(public|pg_catalog)\.", "", text)
    if not _PLAIN_TYPE.fullmatch(text) or text.startswith("enum"):
        return None
    return sql_normalise_type(text)


def missing_columns(planned: PlanTable, actual: SchemaTable) -> list[PlanColumn]:
    present = {c.name.lower() for c in actual.columns}
    return [c for c in planned.columns if present and c.name.lower() not in present]


def missing_indexes(planned: PlanTable, actual: SchemaTable) -> list[PlanIndex]:
    existing = [tuple(c.lower() for c in i.columns) for i in actual.indexes]
    out = []
    for index in planned.indexes:
        want = tuple(c.lower() for c in index.columns)
        if index.optional or not want or any(have[: len(want)] == want for have in existing):
            continue
        out.append(index)
    return out
