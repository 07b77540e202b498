"""Code actions: each kind of quick fix is requested for a diagnostic the server published, its
WorkspaceEdit applied to the files as an editor would (tests/lsp/apply_edit.py), and the files compared
with what the fix must produce; scaffolded code parses cleanly (tree-sitter, pglast) and a cold check no
longer reports the finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp import apply_edit
from tests.lsp.actions import (
    DB_PLAN,
    PLAN,
    apply,
    clean_sql,
    clean_ts,
    cold,
    diagnostic,
    request,
    titled,
)
from tests.lsp.conftest import capabilities, lsp_session
from tests.rules import test_field_fixes as FF
from tests.rules.fixing import write

pytestmark = pytest.mark.lsp


# -- each kind of quick fix ------------------------------------------------------------------------------


async def test_scaffold_a_missing_route_file(flashcards: Path) -> None:
    target = "src/pages/api/generations/[id].ts"
    async with lsp_session(flashcards, capabilities()) as s:
        d = await diagnostic(s, PLAN, "SL101", "GET /api/generations/{id}")
        actions = await request(s, PLAN, [d])
        assert [a.title for a in actions] == [
            f"stage-lsp (SL101): Create {target} with GET",
            "stage-lsp (SL101): Suppress SL101 on this line",
        ]
        fix = actions[0]
        assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
        assert list(fix.diagnostics or []) == [d]
        assert fix.edit is not None and fix.edit.document_changes is not None
        create = fix.edit.document_changes[0]
        assert isinstance(create, types.CreateFile) and create.uri == s.uri(target)
        assert create.options == types.CreateFileOptions(overwrite=False, ignore_if_exists=True)
        assert apply(s, fix) == [flashcards / target, flashcards / target]
    assert (flashcards / target).read_text(encoding="utf-8") == SCAFFOLD
    clean_ts(flashcards, target)
    assert cold(flashcards, "SL101", "GET /api/generations/{id}") == []
    assert cold(flashcards, "SL202", "/api/generations/{id}") == [], "every planned status is answered"


SCAFFOLD = """\
import type { APIRoute } from "astro";

export const prerender = false;

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

export const GET: APIRoute = async ({ params }) => {
  // Planned in .ai/api-plan.md:165. TODO(stage-lsp): put the logic in a service under src/lib/services.
  const id = params.id;
  if (false /* TODO(stage-lsp): when does 404 apply? */) {
    return json({ error: { code: "GENERATION_NOT_FOUND", message: "Not found" } }, 404);
  }
  return json({
    id: undefined as unknown /* TODO(stage-lsp) */,
    status: undefined as unknown /* TODO(stage-lsp) */,
    generated_count: undefined as unknown /* TODO(stage-lsp) */,
    accepted_count: undefined as unknown /* TODO(stage-lsp) */,
  }, 200);
};
"""


ROUTE = """\
import type { APIRoute } from "astro";

export const prerender = false;

export const GET: APIRoute = async () => new Response("[]", { status: 200 });
"""

SMALL_PLAN = """\
# API

#### GET /api/decks
Lists decks.

**Response (200 OK):** `[]`

#### POST /api/decks
Creates a deck.

**Request:**
```json
{ "name": "string", "color": "string" }
```

**Response (201 Created):** the deck.

**Errors:**
- `400 Bad Request` — `VALIDATION_ERROR`
"""


async def test_add_a_missing_method_to_an_existing_route_file(tmp_path: Path) -> None:
    root = write(tmp_path / "p", {PLAN: SMALL_PLAN, "src/pages/api/decks/index.ts": ROUTE})
    async with lsp_session(root, capabilities()) as s:
        d = await diagnostic(s, PLAN, "SL101", "POST /api/decks")
        fix = titled(await request(s, PLAN, [d]), "stage-lsp (SL101): Add a POST handler")
        assert fix.is_preferred
        apply(s, fix)
    assert (root / "src/pages/api/decks/index.ts").read_text(encoding="utf-8") == ROUTE + ADDED
    clean_ts(root, "src/pages/api/decks/index.ts")
    assert cold(root, "SL101") == [] and cold(root, "SL313") == [] and cold(root, "SL301") == []


ADDED = """
export const POST: APIRoute = async ({ request }) => {
  const json = (body: unknown, status: number): Response =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  // Planned in .ai/api-plan.md:8. TODO(stage-lsp): put the logic in a service under src/lib/services.
  const { z } = await import("zod"); // TODO(stage-lsp): import zod and declare the schema at the top
  const bodySchema = z.object({
    name: z.string(),
    color: z.string(),
  });
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    return json({ error: { code: "VALIDATION_ERROR", message: parsed.error.message } }, 400);
  }
  return json({} /* TODO(stage-lsp): the planned response */, 201);
};
"""

ZOD = """\
import { z } from "zod";

export const createDeckSchema = z.object({
  name: z.string(),
});
"""

ZOD_ROUTE = """\
import type { APIRoute } from "astro";
import { createDeckSchema } from "../../../lib/schemas";

export const prerender = false;

export const GET: APIRoute = async () => new Response("[]", { status: 200 });

export const POST: APIRoute = async ({ request }) => {
  const parsed = createDeckSchema.safeParse(await request.json());
  if (!parsed.success) {
    return new Response(JSON.stringify({ error: { code: "VALIDATION_ERROR" } }), { status: 400 });
  }
  return new Response("{}", { status: 201 });
};
"""


async def test_add_a_planned_field_to_the_zod_schema(tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        {PLAN: SMALL_PLAN, "src/lib/schemas.ts": ZOD, "src/pages/api/decks/index.ts": ZOD_ROUTE},
    )
    async with lsp_session(root, capabilities()) as s:
        d = await diagnostic(s, PLAN, "SL301", "color")  # on the plan; the fix edits the schema
        fix = (await request(s, PLAN, [d]))[0]
        assert fix.title == "stage-lsp (SL301): Accept `color`: add it to the schema (src/lib/schemas.ts:4)"
        assert fix.is_preferred
        apply(s, fix)
    assert (root / "src/lib/schemas.ts").read_text(encoding="utf-8") == ZOD.replace(
        "  name: z.string(),\n", "  name: z.string(),\n  color: z.string(),\n"
    )
    clean_ts(root, "src/lib/schemas.ts")
    assert cold(root, "SL301") == []


async def test_rename_a_field_to_its_planned_name(flashcards: Path) -> None:
    rel = "src/lib/validation/flashcards.ts"
    before = (flashcards / rel).read_text(encoding="utf-8")
    async with lsp_session(flashcards, capabilities()) as s:
        d = await diagnostic(s, rel, "SL303", "deckId")
        actions = await request(s, rel, [d])
        assert [a.title for a in actions] == [
            "stage-lsp (SL303): Rename `deckId` to `deck_id` as planned",
            "stage-lsp (SL303): Rename `deck_id` to `deckId` in the plan (.ai/api-plan.md)",
            "stage-lsp (SL303): Suppress SL303 on this line",
        ]
        assert [bool(a.is_preferred) for a in actions] == [True, False, False]
        assert all(a.kind == types.CodeActionKind.QuickFix for a in actions)
        apply(s, actions[0])
    after = (flashcards / rel).read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1] == changed[0][0].replace("deckId", "deck_id")
    clean_ts(flashcards, rel)
    assert cold(flashcards, "SL303") == []


async def test_an_alternative_amends_the_plan_instead(flashcards: Path) -> None:
    rel = "src/lib/validation/flashcards.ts"
    before = (flashcards / PLAN).read_text(encoding="utf-8")
    async with lsp_session(flashcards, capabilities()) as s:
        d = await diagnostic(s, rel, "SL303", "deckId")
        alternative = titled(
            await request(s, rel, [d]), "stage-lsp (SL303): Rename `deck_id` to `deckId` in the plan"
        )
        assert not alternative.is_preferred
        assert apply(s, alternative) == [flashcards / PLAN]
    after = (flashcards / PLAN).read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed and all(b == a.replace('"deck_id"', '"deckId"') for a, b in changed), changed
    assert cold(flashcards, "SL303") == []


FIELD_CASES = {
    # code: (what changes in the project of tests/rules/test_field_fixes.py, the file the fix edits, the
    # text it then holds)
    "SL302": (
        (
            FF.ROUTE,
            "  back: z.string(),\n",
            "  back: z.string(),\n  deck_id: z.string(),\n  tags: z.string(),\n",
        ),
        FF.PLAN,
        '  "deck_id": "uuid",\n  "tags": "TODO(stage-lsp): type"\n}',
    ),
    "SL304": (
        (
            FF.PLAN,
            '{ "id": "uuid", "front": "string" }',
            '{ "id": "uuid", "front": "string", "position": "integer" }',
        ),
        FF.TYPES,
        "export interface CardDto {\n\tid: string;\n\tfront: string;\n\tposition: number;\n}\n",
    ),
    "SL305": (
        (FF.TYPES, "\tfront: string;\n", "\tfront: string;\n\tcreated_at?: string;\n"),
        FF.PLAN,
        '{ "id": "uuid", "front": "string", "created_at": "TODO(stage-lsp): type, optional" }',
    ),
    "SL306": (
        (
            FF.ROUTE,
            "  const card = await createCard(parsed.data);\n  return new Response(JSON.stringify(card), { status: 201 });",
            '  const Front = parsed.data.front;\n  return new Response(JSON.stringify({ id: "1", Front }), { status: 201 });',
        ),
        FF.ROUTE,
        'JSON.stringify({ id: "1", front: Front })',
    ),
}


@pytest.mark.parametrize("code", sorted(FIELD_CASES))
async def test_field_fixes_in_code_and_plan(tmp_path: Path, code: str) -> None:
    (changed, old, new), target, expected = FIELD_CASES[code]
    files = {
        FF.PLAN: FF.PLAN_TEXT,
        FF.ROUTE: FF.ROUTE_TEXT,
        FF.TYPES: FF.TYPES_TEXT,
        FF.SERVICE: FF.SERVICE_TEXT,
    }
    assert old in files[changed]
    files[changed] = files[changed].replace(old, new)
    root = write(tmp_path / "p", files)
    async with lsp_session(root, capabilities()) as s:
        await s.until(lambda: any(d.code == code for ds in s.client.diagnostics.values() for d in ds))
        ((uri, d),) = [(u, d) for u, ds in s.client.diagnostics.items() for d in ds if d.code == code]
        rel = Path(apply_edit.path_of(uri)).relative_to(root).as_posix()
        fix = (await request(s, rel, [d]))[0]
        assert fix.title.startswith(f"stage-lsp ({code}): ") and fix.is_preferred
        assert apply(s, fix) == [root / target]
    assert expected in (root / target).read_text(encoding="utf-8")
    clean_ts(root, FF.ROUTE)
    assert cold(root, code) == []


@pytest.mark.parametrize(
    ("code", "contains", "purpose"),
    [
        ("SL402", "", "alter_generations"),
        ("SL406", "", "alter_flashcards"),
        ("SL503", "", "rls_decks"),
    ],
)
async def test_create_a_migration_for_the_plan(
    flashcards: Path, code: str, contains: str, purpose: str
) -> None:
    async with lsp_session(flashcards, capabilities()) as s:
        d = await diagnostic(s, DB_PLAN, code, contains)
        fix = (await request(s, DB_PLAN, [d]))[0]
        assert fix.title.startswith(f"stage-lsp ({code}): Create migration supabase/migrations/")
        (path, _) = apply(s, fix)
    assert path.name.endswith(f"_{purpose}.sql") and path.parent == flashcards / "supabase/migrations"
    clean_sql(flashcards, path.relative_to(flashcards).as_posix())
    assert cold(flashcards, code) == []


async def test_a_migration_that_enables_rls(flashcards: Path) -> None:
    rel = "supabase/migrations/20250310120000_disable_rls_for_development.sql"
    async with lsp_session(flashcards, capabilities()) as s:
        d = await diagnostic(s, rel, "SL501")
        fix = (await request(s, rel, [d]))[0]
        (path, _) = apply(s, fix)
    text = clean_sql(flashcards, path.relative_to(flashcards).as_posix())
    assert "alter table" in text.lower() and "enable row level security" in text.lower()
    assert cold(flashcards, "SL501") == []


DB_PLAN_TEXT = """\
# Database

## tags

| Column | Type | Constraints |
|---|---|---|
| id | uuid | primary key |
| name | text | not null |
"""


async def test_create_a_missing_table(tmp_path: Path) -> None:
    root = write(
        tmp_path / "p",
        {
            DB_PLAN: DB_PLAN_TEXT,
            "supabase/migrations/20250101000000_init.sql": "create table decks (id uuid primary key);\n",
        },
    )
    async with lsp_session(root, capabilities()) as s:
        d = await diagnostic(s, DB_PLAN, "SL401", "tags")
        fix = (await request(s, DB_PLAN, [d]))[0]
        (path, _) = apply(s, fix)
    text = clean_sql(root, path.relative_to(root).as_posix()).lower()
    assert "create table" in text and "tags" in text
    assert cold(root, "SL401") == []


DEAD_POLICIES = """\
create table profiles (id uuid primary key, name text);
create policy profiles_select on profiles for select to authenticated using (auth.uid() = id);
alter table profiles disable row level security;
"""


async def test_a_migration_that_turns_rls_back_on(tmp_path: Path) -> None:
    rel = "supabase/migrations/20250101000000_profiles.sql"
    root = write(tmp_path / "p", {rel: DEAD_POLICIES})
    async with lsp_session(root, capabilities()) as s:
        d = await diagnostic(s, rel, "SL506", "profiles")
        assert d.range.start.line == 2
        fix = (await request(s, rel, [d]))[0]
        target = "supabase/migrations/20250101000102_rls_profiles.sql"
        assert fix.title == f"stage-lsp (SL506): Create migration {target}"
        apply(s, fix)
    assert clean_sql(root, target) == (
        f"-- migration: enable row-level security on `profiles` again (turned off at {rel}:3; its policies "
        "had no effect)\n-- generated by stage-lsp; review before applying\n\n"
        "alter table public.profiles enable row level security;\n"
    )
    assert cold(root, "SL506") == []


async def test_amend_the_plan_with_an_unplanned_endpoint(flashcards: Path) -> None:
    rel = "src/pages/api/flashcards/export.ts"
    before = (flashcards / PLAN).read_text(encoding="utf-8")
    async with lsp_session(flashcards, capabilities()) as s:
        d = await diagnostic(s, rel, "SL102")
        fix = titled(await request(s, rel, [d]), "stage-lsp (SL102): Add `GET /api/flashcards/export` to")
        apply(s, fix)
    after = (flashcards / PLAN).read_text(encoding="utf-8")
    assert "#### GET /api/flashcards/export\n" in after and len(after) > len(before)
    assert cold(flashcards, "SL102") == []


async def test_amend_the_plan_with_an_unplanned_status(flashcards: Path) -> None:
    rel = "src/pages/api/generations/index.ts"
    async with lsp_session(flashcards, capabilities()) as s:
        d = await diagnostic(s, rel, "SL201", "504")
        fix = titled(await request(s, rel, [d]), "stage-lsp (SL201): Add `504` to the statuses")
        apply(s, fix)
    assert cold(flashcards, "SL201") == []


ERRORS_PLAN = """\
# API

#### POST /api/decks
Creates a deck.

**Response (201 Created):** the deck.

**Errors:**
- `400 Bad Request` — `VALIDATION_ERROR`
"""

ERRORS_ROUTE = """\
import type { APIRoute } from "astro";

export const prerender = false;

export const POST: APIRoute = async ({ request }) => {
  const body = await request.json();
  if (!body.name) {
    return new Response(JSON.stringify({ error: { code: "VALIDATION_ERROR" } }), { status: 400 });
  }
  if (body.name === "taken") {
    return new Response(JSON.stringify({ error: { code: "NAME_TAKEN" } }), { status: 400 });
  }
  return new Response("{}", { status: 201 });
};
"""


async def test_amend_the_plan_with_an_unplanned_error_code(tmp_path: Path) -> None:
    rel = "src/pages/api/decks.ts"
    root = write(tmp_path / "p", {PLAN: ERRORS_PLAN, rel: ERRORS_ROUTE})
    async with lsp_session(root, capabilities()) as s:
        d = await diagnostic(s, rel, "SL211", "NAME_TAKEN")
        fix = titled(await request(s, rel, [d]), "stage-lsp (SL211): Add `NAME_TAKEN` (400) to the statuses")
        assert fix.is_preferred
        apply(s, fix)
    assert (root / PLAN).read_text(encoding="utf-8") == ERRORS_PLAN + "- `400 Bad Request` — `NAME_TAKEN`\n"
    assert cold(root, "SL211") == [] and cold(root, "SL003") == []


async def test_suppress_here(flashcards: Path) -> None:
    rel = "src/pages/api/flashcards/export.ts"
    before = (flashcards / rel).read_text(encoding="utf-8")
    async with lsp_session(flashcards, capabilities()) as s:
        d = await diagnostic(s, rel, "SL102")
        fix = titled(await request(s, rel, [d]), "stage-lsp (SL102): Suppress SL102 on this line")
        assert not fix.is_preferred
        apply(s, fix)
    lines = before.split("\n")
    line = d.range.start.line
    indent = lines[line][: len(lines[line]) - len(lines[line].lstrip())]
    expected = [*lines[:line], indent + "// stage-lsp: ignore[SL102]", *lines[line:]]
    assert (flashcards / rel).read_text(encoding="utf-8") == "\n".join(expected)
    assert cold(flashcards, "SL102") == [] and cold(flashcards, "SL901") == []


async def test_suppress_here_on_a_plan_table_row_in_the_client_encoding(flashcards: Path) -> None:
    row = "| `mood` | `text` | | zażółć gęślą jaźń 🐢 |"
    plan = (flashcards / DB_PLAN).read_text(encoding="utf-8")
    anchor = "| `name` | `varchar(100)` | `NOT NULL` | deck name |\n"
    (flashcards / DB_PLAN).write_text(plan.replace(anchor, anchor + row + "\n"), encoding="utf-8")
    line = plan[: plan.index(anchor)].count("\n") + 1
    async with lsp_session(flashcards, capabilities()) as s:
        d = await diagnostic(s, DB_PLAN, "SL402", "decks.mood")
        assert d.range.start.line == line
        fix = titled(await request(s, DB_PLAN, [d]), "stage-lsp (SL402): Suppress SL402 on this line")
        assert fix.edit is not None and fix.edit.document_changes is not None
        (change,) = fix.edit.document_changes
        assert isinstance(change, types.TextDocumentEdit)
        (edit,) = change.edits
        end = len(row.encode("utf-16-le")) // 2  # the emoji is two UTF-16 units
        assert edit.range.start == types.Position(line=line, character=end) == edit.range.end
        apply(s, fix)
    lines = (flashcards / DB_PLAN).read_text(encoding="utf-8").split("\n")
    assert lines[line] == row + " <!-- stage-lsp: ignore[SL402] -->"
    assert cold(flashcards, "SL402", "decks.mood") == [] and cold(flashcards, "SL901") == []
