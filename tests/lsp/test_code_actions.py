"""Code actions: each kind of quick fix is requested for a diagnostic the server published, its
WorkspaceEdit applied to the files as an editor would (tests/lsp/apply_edit.py), and the files compared
with what the fix must produce; scaffolded code parses cleanly (tree-sitter, pglast) and a cold check no
longer reports the finding. Then the safety rules: a changed document gets no edit, a file is never
created over an existing one or outside the root, fix-all takes the safe fixes without overlaps."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pglast
import pytest
from lsprotocol import types

from stage_lsp.code.treesitter import parse
from stage_lsp.core.source import SourceFile
from tests.conftest import EXAMPLE
from tests.lsp.apply_edit import Refused, apply_workspace_edit
from tests.lsp.conftest import Session, capabilities, lsp_session
from tests.rules.fixing import check, write

pytestmark = pytest.mark.lsp

PLAN = ".ai/api-plan.md"
DB_PLAN = ".ai/db-plan.md"
FIX_ALL = "source.fixAll.stage-lsp"


@pytest.fixture
def flashcards(tmp_path: Path) -> Path:
    root = tmp_path / "flashcards"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".stage-lsp-cache"))
    return root


async def diagnostic(s: Session, rel: str, code: str, contains: str = "") -> types.Diagnostic:
    await s.until(lambda: any(contains in d.message for d in s.diagnostics(rel, code)))
    (found,) = [d for d in s.diagnostics(rel, code) if contains in d.message]
    return found


async def request(
    s: Session, rel: str, diagnostics: list[types.Diagnostic], only: list[str] | None = None
) -> list[types.CodeAction]:
    at = (
        diagnostics[0].range
        if diagnostics
        else types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    )
    result = await s.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=s.uri(rel)),
            range=at,
            context=types.CodeActionContext(diagnostics=diagnostics, only=only),
        )
    )
    actions = [a for a in result or [] if isinstance(a, types.CodeAction)]
    assert len(actions) == len(result or []), "no bare commands"
    return actions


def titled(actions: list[types.CodeAction], start: str) -> types.CodeAction:
    (found,) = [a for a in actions if a.title.startswith(start)]
    return found


def apply(s: Session, action: types.CodeAction) -> list[Path]:
    assert action.edit is not None and action.disabled is None, action
    versions = {s.uri(rel): v for rel, v in s.versions.items()}
    return apply_workspace_edit(action.edit, versions=versions)


def cold(root: Path, code: str, contains: str = "") -> list[str]:
    """The messages of `code` findings a fresh check of the project on disk reports."""
    return [v.message for v in check(root) if v.code == code and contains in v.message]


def clean_ts(root: Path, rel: str) -> None:
    src = SourceFile.from_text(rel, (root / rel).read_text(encoding="utf-8"))
    assert not parse(src, "typescript").root_node.has_error, src.text


def clean_sql(root: Path, rel: str) -> str:
    text = (root / rel).read_text(encoding="utf-8")
    pglast.parse_sql(text)  # raises on a syntax error
    return text


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
    assert cold(root, "SL101") == []


ADDED = """
export const POST: APIRoute = async ({ request }) => {
  const json = (body: unknown, status: number): Response =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  // Planned in .ai/api-plan.md:8. TODO(stage-lsp): put the logic in a service under src/lib/services.
  // TODO(stage-lsp): validate the body as planned (400 when it is invalid), e.g. with zod:
  // z.object({ name: z.string(), color: z.string() })
  const body: unknown = await request.json().catch(() => null);
  if (false /* TODO(stage-lsp): when does 400 apply? */) {
    return json({ error: { code: "VALIDATION_ERROR", message: "Invalid request" } }, 400);
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


# -- fix-all ----------------------------------------------------------------------------------------------


async def test_fix_all_applies_the_safe_fixes_of_the_document(flashcards: Path) -> None:
    rel = "src/pages/api/generations/index.ts"
    before = (flashcards / rel).read_text(encoding="utf-8")
    async with lsp_session(flashcards, capabilities()) as s:
        provider = s.result.capabilities.code_action_provider
        assert isinstance(provider, types.CodeActionOptions)
        assert list(provider.code_action_kinds or []) == [types.CodeActionKind.QuickFix, FIX_ALL]
        await diagnostic(s, rel, "SL601")
        assert await request(s, rel, [], only=[types.CodeActionKind.QuickFix]) == []
        (action,) = await request(s, rel, [], only=["source.fixAll"])
        assert action.kind == FIX_ALL and action.title == "stage-lsp: apply all safe fixes"
        assert action.edit is not None and action.edit.document_changes is not None
        assert [type(c) for c in action.edit.document_changes] == [types.TextDocumentEdit], "SL601 only"
        apply(s, action)
    after = (flashcards / rel).read_text(encoding="utf-8")
    assert "export const prerender = false;" in after and "prerender" not in before
    assert cold(flashcards, "SL601") == []
    assert cold(flashcards, "SL201"), "unsafe fixes are not part of fix-all"


def test_combine_leaves_out_overlapping_fixes() -> None:
    from stage_lsp.lsp.fix_edits import Change, Create, combine

    a = Change("file:///r/a.ts", 1, (1, 0), (1, 4), "x")
    b = Change("file:///r/a.ts", 1, (1, 2), (1, 6), "y")  # overlaps a
    c = Change("file:///r/a.ts", 1, (1, 4), (1, 4), "z")  # touches a's end: fine
    d = Change("file:///r/a.ts", 1, (1, 0), (1, 0), "w")  # an insertion where a starts: ambiguous
    new = Create("file:///r/n.ts", "1")
    other = Create("file:///r/n.ts", "2")
    assert combine([[a], [b], [c], [d], [new], [other], [a]]) == [a, c, new]


# -- safety -----------------------------------------------------------------------------------------------


async def test_a_changed_document_gets_no_edit(flashcards: Path) -> None:
    rel = "src/lib/validation/flashcards.ts"
    text = (flashcards / rel).read_text(encoding="utf-8")
    async with lsp_session(flashcards, capabilities()) as s:
        s.open(rel, text)
        d = await diagnostic(s, rel, "SL303", "deckId")
        await s.until(lambda: s.diagnostics(rel, "SL303")[0].data["version"] == 1)
        d = s.diagnostics(rel, "SL303")[0]
        s.replace(rel, "// a comment\n" + text)  # version 2: the diagnostic is for version 1
        actions = await request(s, rel, [d])
        assert actions, "a client with disabled-action support sees why"
        for action in actions:
            assert action.edit is None and action.disabled is not None
            assert "changed since this finding" in action.disabled.reason
        # the refreshed diagnostic (version 2) has a working fix, versioned for that document
        await s.until(lambda: s.diagnostics(rel, "SL303")[0].data["version"] == 2)
        fresh = s.diagnostics(rel, "SL303")[0]
        fix = (await request(s, rel, [fresh]))[0]
        assert fix.edit is not None and fix.edit.document_changes is not None
        (change,) = fix.edit.document_changes
        assert isinstance(change, types.TextDocumentEdit) and change.text_document.version == 2
        with pytest.raises(Refused):  # an editor at another version refuses it too
            apply_workspace_edit(fix.edit, versions={s.uri(rel): 3})


async def test_a_file_changed_on_disk_gets_no_edit(flashcards: Path) -> None:
    rel = "src/lib/validation/flashcards.ts"
    caps = capabilities()
    assert caps.text_document is not None and caps.text_document.code_action is not None
    caps.text_document.code_action.disabled_support = False  # such clients get nothing
    async with lsp_session(flashcards, caps) as s:
        d = await diagnostic(s, rel, "SL303", "deckId")
        assert (await request(s, rel, [d]))[0].title.startswith("stage-lsp (SL303)")
        (flashcards / rel).write_text(
            "// edited elsewhere\n" + (flashcards / rel).read_text(), encoding="utf-8"
        )
        assert await request(s, rel, [d]) == []


async def test_never_create_over_an_existing_file(flashcards: Path) -> None:
    target = flashcards / "src/pages/api/generations/[id].ts"
    async with lsp_session(flashcards, capabilities()) as s:
        d = await diagnostic(s, PLAN, "SL101", "GET /api/generations/{id}")
        target.write_text("// written meanwhile\n", encoding="utf-8")  # the server is not told
        fix = titled(await request(s, PLAN, [d]), "stage-lsp (SL101): Create")
        assert fix.edit is None and fix.disabled is not None
        assert "already exists" in fix.disabled.reason
    assert target.read_text(encoding="utf-8") == "// written meanwhile\n"


def forged(d: types.Diagnostic, uri: str) -> types.Diagnostic:
    """The diagnostic with a fix that creates `uri` (a client may send back anything)."""
    data: dict[str, Any] = {
        **d.data,
        "fix": {
            "title": "Create it",
            "applicability": "unsafe",
            "edits": [{"kind": "create", "uri": uri, "content": "x"}],
        },
    }
    return types.Diagnostic(range=d.range, message=d.message, code=d.code, source=d.source, data=data)


async def test_never_create_outside_the_root(flashcards: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.ts"
    (tmp_path / "elsewhere").mkdir()
    (flashcards / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    async with lsp_session(flashcards, capabilities()) as s:
        d = await diagnostic(s, PLAN, "SL101", "GET /api/generations/{id}")
        for uri in (
            outside.as_uri(),
            s.uri("src") + "/../../outside.ts",
            s.uri("link/outside.ts"),  # a symlink out of the root
            "https://example.com/x.ts",
        ):
            fix = titled(await request(s, PLAN, [forged(d, uri)]), "stage-lsp (SL101): Create it")
            assert fix.edit is None and fix.disabled is not None, uri
        garbage = types.Diagnostic(
            range=d.range, message="x", code="SL101", source="stage-lsp", data={"fix": 3}
        )
        assert [a.title for a in await request(s, PLAN, [garbage])] == []
    assert not outside.exists() and not (tmp_path / "elsewhere/outside.ts").exists()
