"""SL601-SL603: project rules about API routes, each active only when the project's rules state it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
Make = Callable[[dict[str, str]], Path]

RULES = {
    ".cursor/rules/astro.mdc": (
        "- Use `export const prerender = false` for API routes\n"
        "- Extract logic into services in `src/lib/services`\n"
        "```ts\nconst x = context.locals.supabase; // an example, not a rule\n```\n"
    ),
    ".cursor/rules/backend.mdc": "- Use supabase from context.locals in Astro routes instead of importing supabaseClient directly\n",
}
PLAN = {".ai/api-plan.md": "# API\n\n#### GET /api/a\n\n#### GET /api/b\n\n#### POST /api/c\n"}
ROUTES = {
    "astro.config.mjs": 'export default { output: "static" };\n',
    "src/db/client.ts": 'import { createClient } from "@supabase/supabase-js";\nexport const supabaseClient = createClient("u", "k");\n',
    "src/pages/api/a.ts": (
        "export const prerender = false;\n"
        "export const GET = async ({ locals }) => {\n"
        '  const { data } = await locals.supabase.from("decks").select("id");\n'
        "  return new Response(JSON.stringify(data));\n};\n"
    ),
    "src/pages/api/b.ts": (
        'import { supabaseClient } from "../../db/client";\n\n'
        "export const GET = async () => {\n"
        '  const { data } = await supabaseClient.from("decks").select("id");\n'
        "  return new Response(JSON.stringify(data));\n};\n"
    ),
    "src/pages/api/c.ts": (
        'import { createServerClient } from "@supabase/ssr";\n\n'
        "export const prerender = false;\n"
        "export const POST = async ({ request, cookies }) => {\n"
        '  const supabase = createServerClient("u", "k", { cookies });\n'
        "  return new Response(null, { status: 200 });\n};\n"
    ),
    "src/lib/services/decks.ts": 'export async function listDecks(db) { return db.from("decks").select("*"); }\n',
}


def findings(cli: Cli, root: Path) -> list[tuple[str, str, int]]:
    doc: Any = cli("--check", str(root), "--select", "SL601,SL602,SL603", "--output-format", "json").json()
    return [(d["code"], d["file"], d["line"]) for d in doc["diagnostics"]]


def test_each_rule_fires_where_the_project_asks(cli: Cli, make_project: Make) -> None:
    root = make_project({**RULES, **PLAN, **ROUTES})
    assert findings(cli, root) == [
        ("SL603", "src/pages/api/a.ts", 3),  # the query belongs in a service
        ("SL601", "src/pages/api/b.ts", 1),  # no prerender export in a static site
        ("SL602", "src/pages/api/b.ts", 4),  # a shared client, not locals.supabase
        ("SL603", "src/pages/api/b.ts", 4),
    ]  # c.ts: a per-request server client (SSR auth) and prerender = false: fine


def test_nothing_without_the_project_rules_or_in_a_server_site(cli: Cli, make_project: Make) -> None:
    assert findings(cli, make_project({**PLAN, **ROUTES})) == []
    server = {**RULES, **PLAN, **ROUTES, "astro.config.mjs": 'export default { output: "server" };\n'}
    assert [c for c, _, _ in findings(cli, make_project(server))] == ["SL603", "SL602", "SL603"]


def test_prerender_fix_is_safe_and_applies(cli: Cli, make_project: Make) -> None:
    root = make_project({**RULES, **PLAN, **ROUTES})
    result = cli("--check", str(root), "--select", "SL601", "--fix")
    assert result.code == 0, result.out + result.err
    assert (root / "src/pages/api/b.ts").read_text().count("export const prerender = false;") == 1
