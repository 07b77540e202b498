"""Supabase migrations (`supabase/migrations/YYYYMMDDHHmmss_name.sql`) for a synthetic project.

The first part of the history creates the tables (lowercase SQL with header comments, `comment on`,
indexes, `enable row level security` and granular or `for all` policies, quoted or snake_case names,
`(select auth.uid())`); the rest alters them the way real histories do (FORMATS.md section d): columns
added later (some in idempotent `do $$` blocks), `updated_at` triggers, `security definer` functions,
policies dropped and recreated, enum types, partial and GIN indexes, grants, and RLS "temporarily"
disabled for development and re-enabled for production, except on a few tables where it stays off.
Only the replayed final state matches the plan.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from benchmarks.gen_model import Project, Table

COMMANDS = ("select", "insert", "update", "delete")
LATER_KINDS = (
    "add_columns",
    "triggers",
    "functions",
    "policies",
    "indexes",
    "enum_types",
    "grants",
    "do_blocks",
)


def _header(title: str, when: datetime, polish: bool) -> list[str]:
    rule = "-- " + "=" * 77
    if polish:
        return [
            rule,
            f"-- migracja: {title}",
            f"-- utworzono: {when:%Y-%m-%d %H:%M:%S} UTC",
            "-- opis: zmiany schematu wprowadzone w tym etapie; uruchamiać po poprzednich migracjach",
            "-- uwagi: polityki RLS są granularne (osobno dla każdej operacji i roli)",
            rule,
            "",
        ]
    return [
        rule,
        f"-- migration: {title}",
        f"-- created at: {when:%Y-%m-%d %H:%M:%S} UTC",
        "-- this migration is part of the stage plan; apply after every earlier migration",
        "-- special considerations: rls policies are granular (one per command and role)",
        rule,
        "",
    ]


def _uid(rng: random.Random) -> str:
    return "(select auth.uid())" if rng.random() < 0.3 else "auth.uid()"


def _policies(t: Table, rng: random.Random) -> list[str]:
    out: list[str] = []
    quoted = rng.random() < 0.6
    if rng.random() < 0.25:
        name = f'"Users manage their own {t.name.replace("_", " ")}"' if quoted else f"{t.name}_owner_all"
        out += [
            f"create policy {name} on public.{t.name}",
            "  for all",
            "  to authenticated",
            f"  using ({_uid(rng)} = user_id)",
            f"  with check ({_uid(rng)} = user_id);",
            "",
        ]
        return out
    for cmd in COMMANDS:
        name = f'"Users can {cmd} own {t.name.replace("_", " ")}"' if quoted else f"{t.name}_{cmd}_own"
        clause = (
            f"with check ({_uid(rng)} = user_id)" if cmd == "insert" else f"using ({_uid(rng)} = user_id)"
        )
        out += [
            f"-- {cmd}: only the owner",
            f"create policy {name} on public.{t.name}",
            f"  for {cmd} to authenticated",
            f"  {clause};",
            "",
        ]
    if rng.random() < 0.2:
        out += [f"create policy {t.name}_anon_select on public.{t.name} for select to anon using (true);", ""]
    return out


def _create_table(t: Table, rng: random.Random, later: set[str], polish: bool) -> list[str]:
    cols: list[str] = []
    for c in t.columns:
        if c.name in later:
            continue
        if c.name == "id":
            cols.append("  id uuid primary key default gen_random_uuid()")
        elif c.references == "auth.users":
            cols.append("  user_id uuid not null references auth.users(id) on delete cascade")
        elif c.references:
            cols.append(f"  {c.name} uuid not null references public.{c.references}(id) on delete cascade")
        elif c.name in ("created_at", "updated_at"):
            cols.append(f"  {c.name} timestamptz not null default now()")
        else:
            null = "" if c.nullable else " not null"
            extra = " check (status in ('draft', 'active', 'archived'))" if c.name == "status" else ""
            default = " default 'draft'" if c.name == "status" else ""
            cols.append(f"  {c.name} {c.sql_type}{null}{default}{extra}")
    comment = f"-- Tabela: {t.name} ({t.title_pl.lower()})" if polish else f"-- table: {t.name}"
    out = [comment, f"create table if not exists public.{t.name} (", ",\n".join(cols), ");", ""]
    out.append(f"comment on table public.{t.name} is '{t.title_en} owned by a user';")
    for c in t.columns:
        if c.name not in later and c.name not in ("id", "user_id"):
            out.append(f"comment on column public.{t.name}.{c.name} is '{c.name.replace('_', ' ')}';")
    out += ["", f"create index if not exists idx_{t.name}_user_id on public.{t.name} (user_id);"]
    if t.parent:
        fk = next(c.name for c in t.columns if c.references == t.parent)
        out.append(f"create index if not exists idx_{t.name}_{fk} on public.{t.name} ({fk});")
    out += ["", f"alter table public.{t.name} enable row level security;", "", *_policies(t, rng)]
    if rng.random() < 0.6:
        out += _validation_trigger(t, polish)
    out += [
        f"create or replace view public.{t.name}_recent with (security_invoker = true) as",
        f"  select id, user_id, created_at from public.{t.name}",
        "  where created_at > now() - interval '30 days';",
        "",
    ]
    return out


def _validation_trigger(t: Table, polish: bool) -> list[str]:
    """A plpgsql validation function and its trigger; the body is opaque to the SQL parser."""
    note = "-- walidacja danych przed zapisem" if polish else "-- validate rows before they are written"
    return [
        note,
        f"create or replace function public.validate_{t.name}()",
        "returns trigger",
        "language plpgsql",
        "security definer",
        "set search_path = public",
        "as $$",
        "begin",
        "  if new.user_id is null then",
        f"    raise exception '{t.name}: user_id is required';",
        "  end if;",
        "  if tg_op = 'UPDATE' and new.user_id <> old.user_id then",
        f"    raise exception '{t.name}: the owner cannot change';",
        "  end if;",
        "  new.updated_at = now();",
        "  return new;",
        "end;",
        "$$;",
        "",
        f"create trigger validate_{t.name}_before_write",
        f"  before insert or update on public.{t.name}",
        f"  for each row execute function public.validate_{t.name}();",
        "",
    ]


def _later(
    kind: str, tables: list[Table], rng: random.Random, added: dict[str, list[str]], seq: int
) -> list[str]:
    out: list[str] = []
    for t in tables:
        if kind == "add_columns":
            cols = added.pop(t.name, [])
            col_defs = {c.name: c for c in t.columns}
            for name in cols:
                c = col_defs[name]
                null = "" if c.nullable else " not null default " + _default(c.sql_type)
                if rng.random() < 0.4:
                    out += [
                        "do $$",
                        "begin",
                        "  if not exists (",
                        "    select 1 from information_schema.columns",
                        f"    where table_schema = 'public' and table_name = '{t.name}' and column_name = '{name}'",
                        "  ) then",
                        f"    alter table public.{t.name} add column {name} {c.sql_type}{null};",
                        "  end if;",
                        "end $$;",
                        "",
                    ]
                else:
                    out += [
                        f"alter table public.{t.name} add column if not exists {name} {c.sql_type}{null};",
                        "",
                    ]
            out += [f"comment on table public.{t.name} is '{t.title_en} (revision {seq})';", ""]
        elif kind == "triggers":
            out += [
                f"drop trigger if exists set_{t.name}_updated_at on public.{t.name};",
                f"create trigger set_{t.name}_updated_at",
                f"  before update on public.{t.name}",
                "  for each row execute function public.set_updated_at();",
                "",
            ]
        elif kind == "functions":
            out += [
                f"create or replace function public.{t.name}_count_{seq}(p_user uuid)",
                "returns bigint",
                "language sql",
                "stable",
                "security definer",
                "set search_path = public",
                "as $$",
                f"  select count(*) from public.{t.name} where user_id = p_user;",
                "$$;",
                "",
                f"grant execute on function public.{t.name}_count_{seq}(uuid) to authenticated;",
                "",
            ]
        elif kind == "policies":
            out += [
                f'drop policy if exists "Users can select own {t.name.replace("_", " ")}" on public.{t.name};'
            ]
            out += [f"drop policy if exists {t.name}_select_own on public.{t.name};", ""]
            out += [
                f"create policy {t.name}_select_own_v{seq} on public.{t.name}",
                "  for select",
                "  to authenticated",
                f"  using ({_uid(rng)} = user_id);",
                "",
            ]
        elif kind == "indexes":
            out += [
                f"create index if not exists idx_{t.name}_created_{seq} on public.{t.name} (created_at desc);",
                f"create index if not exists idx_{t.name}_recent_{seq} on public.{t.name} (user_id, created_at)",
                "  where created_at > '2025-01-01';",
                "",
            ]
        elif kind == "enum_types":
            out += [
                f"create type public.{t.name}_kind_{seq} as enum ('basic', 'extended', 'legacy');",
                f"comment on type public.{t.name}_kind_{seq} is 'kinds of {t.name.replace('_', ' ')}';",
                "",
            ]
        elif kind == "grants":
            out += [
                f"grant select, insert, update, delete on public.{t.name} to authenticated;",
                f"revoke all on public.{t.name} from anon;",
                "",
            ]
        else:  # do_blocks
            out += [
                "do $$",
                "begin",
                f"  if exists (select 1 from pg_tables where schemaname = 'public' and tablename = '{t.name}') then",
                f"    execute 'analyze public.{t.name}';",
                "  end if;",
                "end $$;",
                "",
            ]
    return out


def _default(sql_type: str) -> str:
    if sql_type.startswith(("varchar", "text")) and not sql_type.endswith("[]"):
        return "''"
    if sql_type.endswith("[]"):
        return "'{}'"
    if sql_type in ("boolean",):
        return "false"
    if sql_type in ("jsonb",):
        return "'{}'::jsonb"
    if sql_type in ("date",):
        return "current_date"
    if sql_type in ("timestamptz",):
        return "now()"
    return "0"


def render_migrations(project: Project, count: int, rng: random.Random) -> dict[str, str]:
    """`count` migration files: table creation first, then alterations; returns {rel: text}."""
    created = [t for t in project.tables if t.name not in project.drift.tables_missing]
    n_create = max(1, min(len(created), round(count * 0.45)))
    groups: list[list[Table]] = [[] for _ in range(n_create)]
    for i, t in enumerate(created):
        groups[i * n_create // len(created)].append(t)
    added: dict[str, list[str]] = {}
    when = datetime(2025, 3, 1, 9, 0, 0)
    files: dict[str, str] = {}

    def emit(slug: str, title: str, body: list[str], polish: bool) -> None:
        nonlocal when
        when += timedelta(hours=rng.choice((1, 2, 5, 20, 26, 49)), minutes=rng.choice((0, 15, 30, 45)))
        files[f"supabase/migrations/{when:%Y%m%d%H%M%S}_{slug}.sql"] = (
            "\n".join(_header(title, when, polish) + body).rstrip() + "\n"
        )

    emit(
        "create_helpers",
        "shared helper functions",
        [
            "create extension if not exists pgcrypto;",
            "",
            "create or replace function public.set_updated_at()",
            "returns trigger",
            "language plpgsql",
            "as $$",
            "begin",
            "  new.updated_at = now();",
            "  return new;",
            "end;",
            "$$;",
        ],
        False,
    )
    defer = count - 1 - n_create >= 3  # room for later migrations that add columns
    for group in groups:
        body: list[str] = []
        polish = rng.random() < 0.3
        for t in group:
            later = set()
            optional = [c.name for c in t.domain_columns() if c.references is None]
            if defer and optional and rng.random() < 0.35:
                later.add(optional[-1])
                added[t.name] = [optional[-1]]
            body += _create_table(t, rng, later, polish)
        names = "_and_".join(t.name for t in group[:2]) + ("_and_more" if len(group) > 2 else "")
        emit(f"create_{names}", f"create {', '.join(t.name for t in group)}", body, polish)

    remaining = count - len(files)
    toggles_off = set(project.drift.rls_left_off)
    plan: list[str] = []
    for i in range(remaining):
        if i == remaining - 1:
            plan.append("add_remaining_columns")
        elif i == 0 and remaining >= 4:
            plan.append("disable_rls")
        elif remaining >= 4 and i == remaining // 2:
            plan.append("enable_rls")
        elif remaining > 40 and i % 40 == 20:
            plan.append("disable_rls")
        elif remaining > 40 and i % 40 == 30:
            plan.append("enable_rls")
        else:
            plan.append(LATER_KINDS[i % len(LATER_KINDS)])
    disabled: set[str] = set()
    for seq, kind in enumerate(plan, start=1):
        polish = rng.random() < 0.25
        if kind == "disable_rls":
            targets = sorted(toggles_off | {t.name for t in rng.sample(created, min(3, len(created)))})
            disabled |= set(targets)
            body = [
                "-- Disables row level security for development purposes",
                "-- This migration should ONLY be used in development environments",
                "-- NEVER run this in production!",
                "",
            ]
            for name in targets:
                body += [
                    f'drop policy if exists "Users can select own {name.replace("_", " ")}" on public.{name};'
                ]
                body += [f"alter table public.{name} disable row level security;", ""]
            emit(f"disable_rls_for_development_{seq}", "disable rls for development", body, polish)
            continue
        if kind == "enable_rls":
            targets = sorted(disabled - toggles_off)
            disabled -= set(targets)
            body = ["-- re-enable row level security before going to production", ""]
            body += [f"alter table public.{name} enable row level security;" for name in targets] or [
                "select 1;"
            ]
            emit(f"enable_rls_for_production_{seq}", "enable rls for production", body, polish)
            continue
        if kind == "add_remaining_columns":
            leftovers = [t for t in created if t.name in added] or created[:1]
            body = _later("add_columns", leftovers, rng, added, seq)
            emit("add_remaining_columns", "add remaining columns", body, polish)
            continue
        pool = [t for t in created if t.name in added] if kind == "add_columns" and added else created
        picks = rng.sample(pool, min(len(pool), rng.choice(range(6, 13))))
        body = _later(kind, picks, rng, added, seq)
        emit(f"{kind}_{picks[0].name}_{seq}", f"{kind.replace('_', ' ')} ({len(picks)} tables)", body, polish)
    return files
