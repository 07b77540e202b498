"""Real inputs the mutations start from: the corpus plans (read in place) and examples/flashcards.

The corpus is found through `STAGE_LSP_CORPUS` and never copied; without it only the example project
and the small inline seeds below are used (CI requires the corpus, see tests/conftest.py).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import EXAMPLE, corpus_dir

MAX_SEED_CHARS = 200_000  # a few corpus files are larger; their first part is as good a seed
SQL_FENCE = re.compile(r"^```sql[^\n]*\n(.*?)^```", re.S | re.M | re.I)


@dataclass(frozen=True)
class Seed:
    rel: str  # where the text came from (for a failure message)
    text: str


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[:MAX_SEED_CHARS]


def _example(glob: str) -> list[Seed]:
    return [
        Seed(f"examples/flashcards/{p.relative_to(EXAMPLE).as_posix()}", _read(p))
        for p in sorted(EXAMPLE.glob(glob))
        if p.is_file()
    ]


INLINE_SQL = (
    "create table public.t (id uuid primary key default gen_random_uuid(), name text not null);\n"
    "alter table public.t enable row level security;\n"
    "create policy p on public.t for select to authenticated using (auth.uid() = id);\n",
    "do $$ begin if not exists (select 1 from pg_type where typname = 'x') then\n"
    "  create type x as enum ('a', 'b'); end if; end $$;\n"
    "create or replace function f() returns trigger language plpgsql as $$\n"
    "begin new.updated_at = now(); return new; end; $$;\n"
    "create trigger trg before update on t for each row execute function f();\n",
    "create index if not exists t_name_idx on t (lower(name));\n"
    "alter table t add column tags text[] default '{}'::text[];\n"
    "alter table t alter column name type varchar(20);\n"
    "drop policy if exists p on t;\n"
    "comment on table t is 'zażółć \"gęślą\" jaźń';\n",
)

INLINE_TS = (
    (
        "src/pages/api/items/[id].ts",
        'import type { APIRoute } from "astro";\nexport const prerender = false;\n'
        "export const GET: APIRoute = async ({ params, locals, url }) => {\n"
        '  const limit = Math.min(Number(url.searchParams.get("limit") ?? 20), 100);\n'
        '  const { data, error } = await locals.supabase.from("items").select("id, name").eq("id", params.id);\n'
        '  if (error) return new Response(JSON.stringify({ error: { code: "NOT_FOUND" } }), { status: 404 });\n'
        "  return new Response(JSON.stringify({ data, limit }), { status: 200 });\n};\n",
    ),
    (
        "src/server/app.ts",
        'import { Hono } from "hono";\nconst app = new Hono().basePath("/api");\n'
        'app.get("/items/:id", (c) => c.json({ id: c.req.param("id") }, 200));\n'
        'app.post("/items", async (c) => { const body = await c.req.json(); return c.json(body, 201); });\n'
        "export default app;\n",
    ),
    (
        "app/api/things/route.ts",
        'import { NextResponse } from "next/server";\n'
        "export async function POST(req: Request) {\n"
        "  const { name, ...rest } = await req.json();\n"
        '  if (!name) return NextResponse.json({ error: "VALIDATION_ERROR" }, { status: 400 });\n'
        "  return NextResponse.json({ name, rest }, { status: 201 });\n}\n",
    ),
)


@functools.cache
def corpus_plans() -> tuple[Seed, ...]:
    """Every markdown document of the corpus (plans, PRDs, notes) and the Cursor rules."""
    root = corpus_dir()
    if root is None:
        return ()
    docs = root / "docs"
    return tuple(
        Seed(p.relative_to(docs).as_posix(), _read(p))
        for p in sorted(docs.rglob("*"))
        if p.suffix in (".md", ".mdc") and p.is_file() and ".stage-lsp-cache" not in p.parts
    )


@functools.cache
def plan_seeds() -> tuple[Seed, ...]:
    return (*_example(".ai/*.md"), *corpus_plans())


@functools.cache
def ts_seeds() -> tuple[Seed, ...]:
    inline = tuple(Seed(rel, text) for rel, text in INLINE_TS)
    return (*_example("src/**/*.ts"), *_example("src/**/*.tsx"), *_example("*.mjs"), *inline)


@functools.cache
def sql_seeds() -> tuple[Seed, ...]:
    inline = tuple(Seed(f"inline-{i}.sql", text) for i, text in enumerate(INLINE_SQL))
    fences = tuple(
        Seed(f"{seed.rel}#sql{i}", m.group(1))
        for seed in corpus_plans()
        for i, m in enumerate(SQL_FENCE.finditer(seed.text))
    )
    return (*_example("supabase/migrations/*.sql"), *inline, *fences)
