"""The fixture workspace of the language-server tests, written to a temporary folder per test.

A small Astro project whose plan and code disagree in ways the tests control:
- `.ai/api-plan.md` plans `GET /api/źródła/{id}` (Polish letters, and an emoji before it on the heading
  line), which no route serves: SL101 on the plan;
- `src/pages/api/decks/export.ts` (CRLF line ends, Polish letters and an emoji before the handler on
  its line) serves `GET /api/decks/export`, which the plan lacks: SL102 in code;
- `supabase/migrations/20250101000000_blob.sql` is binary: SL903 on the migration.
Everything else agrees. Later rules may add findings; the tests only assert on these codes.
"""

from __future__ import annotations

from pathlib import Path

PLAN = ".ai/api-plan.md"
EXPORT = "src/pages/api/decks/export.ts"
DECKS = "src/pages/api/decks/index.ts"
BLOB = "supabase/migrations/20250101000000_blob.sql"
MIGRATION = "supabase/migrations/20250101000001_decks.sql"

PLAN_TEXT = """# API plan: Zażółć gęślą jaźń

## Decks

#### GET /api/decks
Lists the user's decks.

#### POST /api/decks
Creates a deck.

## Źródła

#### 🎉 Źródło: GET /api/źródła/{id}
Returns one source.
"""

EXPORT_TEXT = (
    'import type { APIRoute } from "astro";\r\n'
    "\r\n"
    "export const prerender = false;\r\n"
    "\r\n"
    '/* eksport talii 🐝 */ export const GET: APIRoute = async () => new Response("[]");\r\n'
)

DECKS_TEXT = """import type { APIRoute } from "astro";

export const prerender = false;

export const GET: APIRoute = async () => new Response("[]", { status: 200 });

export const POST: APIRoute = async () => new Response("{}", { status: 201 });
"""

FILES: dict[str, str | bytes] = {
    "package.json": '{ "name": "demo", "dependencies": { "astro": "^5.0.0" } }\n',
    PLAN: PLAN_TEXT,
    DECKS: DECKS_TEXT,
    EXPORT: EXPORT_TEXT.encode("utf-8"),  # bytes: keeps the CRLF line ends
    BLOB: b"\x00\x01\x02binary\x00migration\x00",
    MIGRATION: "create table decks (id uuid primary key, name text not null);\n",
}


def write_demo(root: Path) -> Path:
    for rel, content in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root
