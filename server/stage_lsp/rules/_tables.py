"""Matching planned tables to the migrations' final schema, shared by the SL4xx and SL5xx rules.

Not a rule. Names are compared lower case without `public.`; Supabase's own schemas (`auth.users`,
`storage.objects`) are never expected in the migrations. A planned `users` table that the migrations do
not create, in a project whose tables reference `auth.users`, is taken to mean Supabase's `auth.users`
(a common way plans write it) and is not reported missing. Tables of a later stage are not expected yet.
Checks run only when the project has migrations and the plan defines tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stage_lsp.code.model import SchemaTable
from stage_lsp.context import CheckContext
from stage_lsp.plan.model import PlanColumn, PlanIndex, PlanTable

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
    return ctx.settings.stage if ctx.settings.stage is not None else ctx.plan.current_stage


def checks_schema(ctx: CheckContext) -> bool:
    return bool(ctx.code.migrations) and any(not t.rejected for t in ctx.plan.tables)


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
    return ctx.memo("tables", _compute)


_TYPE_ALIASES = {
    "int": "integer",
    "int4": "integer",
    "serial": "integer",
    "serial4": "integer",
    "int8": "bigint",
    "bigserial": "bigint",
    "serial8": "bigint",
    "int2": "smallint",
    "bool": "boolean",
    "float8": "double precision",
    "float4": "real",
    "decimal": "numeric",
    "timestamptz": "timestamp with time zone",
    "timestamp without time zone": "timestamp",
    "timetz": "time with time zone",
    "varchar": "character varying",
    "char": "character",
    "bpchar": "character",
}


def normalise_type(raw: str | None) -> str | None:
    """A comparable type name, or None when the text is not a plain SQL type (prose, enums, domains)."""
    if not raw:
        return None
    t = re.sub(r"\s+", " ", raw.strip().strip("`").lower())
    t = re.sub(r"^(public|pg_catalog)\.", "", t)
    t = re.sub(r"\s*\(\s*", "(", t).replace(" )", ")").replace(", ", ",")
    array = t.endswith("[]")
    if array:
        t = t[:-2].strip()
    m = re.fullmatch(r"([a-z][a-z0-9_ ]*?)(\(\d+(?:,\d+)?\))?", t)
    if not m:
        return None
    base, args = m.group(1).strip(), m.group(2) or ""
    base = _TYPE_ALIASES.get(base, base)
    if base.startswith("character varying ") or base == "enum":
        return None
    return base + args + ("[]" if array else "")


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
