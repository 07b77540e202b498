"""Navigation end to end on examples/flashcards (copied per test): hover, definition both ways, references,
code lens, document and workspace symbols, completion; ranges asserted exactly.

Lines and columns below are 0-based LSP positions in the example's files (all ASCII, so UTF-16 columns
are code points); the encoding test at the end uses the demo fixture's Polish letters and emoji.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from stage_lsp.config.settings import Settings
from stage_lsp.engine import run_check, select_rules
from stage_lsp.engine.link_build import build_links
from stage_lsp.workspace import Workspace
from tests.lsp.conftest import Session, capabilities, lsp_session
from tests.lsp.demo import EXPORT as DEMO_EXPORT
from tests.lsp.demo import PLAN, PLAN_TEXT

pytestmark = pytest.mark.lsp

API = ".ai/api-plan.md"
DB = ".ai/db-plan.md"
STAGES = ".ai/stages-plan.md"
PRD = ".ai/prd.md"
CARDS = "src/pages/api/flashcards/index.ts"
CARD = "src/pages/api/flashcards/[id].ts"
EXPORT = "src/pages/api/flashcards/export.ts"
VALIDATION = "src/lib/validation/flashcards.ts"
MIGRATION = "supabase/migrations/20250301100000_create_decks_and_flashcards.sql"
TAGS = "supabase/migrations/20250312_add_tags.sql"


def rng(line: int, col: int, end_line: int, end_col: int) -> types.Range:
    return types.Range(
        start=types.Position(line=line, character=col), end=types.Position(line=end_line, character=end_col)
    )


def doc(s: Session, rel: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=s.uri(rel))


def at(line: int, col: int) -> types.Position:
    return types.Position(line=line, character=col)


async def hover(s: Session, rel: str, line: int, col: int) -> types.Hover | None:
    return await s.client.text_document_hover_async(
        types.HoverParams(text_document=doc(s, rel), position=at(line, col))
    )


async def definition(s: Session, rel: str, line: int, col: int) -> list[tuple[str, types.Range]]:
    found = await s.client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(s, rel), position=at(line, col))
    )
    assert found is None or isinstance(found, list)
    return [(loc.uri, loc.range) for loc in found or [] if isinstance(loc, types.Location)]


def markdown(h: types.Hover | None) -> str:
    assert h is not None and isinstance(h.contents, types.MarkupContent)
    assert h.contents.kind == types.MarkupKind.Markdown
    return h.contents.value


async def test_hover_on_a_handler_shows_its_planned_contract(flashcards: Path) -> None:
    async with lsp_session(flashcards, capabilities()) as s:
        caps = s.result.capabilities
        assert caps.hover_provider and caps.definition_provider and caps.references_provider
        assert caps.document_symbol_provider and caps.workspace_symbol_provider
        assert caps.code_lens_provider is not None and caps.completion_provider is not None
        await s.checked()
        h = await hover(s, CARDS, 23, 15)  # `export const POST: APIRoute = ...`
        text = markdown(h)
        assert h is not None and h.range == rng(23, 13, 23, 17)
        assert text.startswith("**POST /api/flashcards**")
        assert (
            "Planned at `.ai/api-plan.md:87` · stage 1 · user story US-002: Write a flashcard by hand" in text
        )
        assert "- Methods planned at `/api/flashcards`: GET, POST\n- Statuses: 201, 400, 401, 404\n" in text
        assert "`VALIDATION_ERROR` (400)" in text and "`DECK_NOT_FOUND` (404)" in text
        assert "- Request fields: `front`: string (required, max 200 characters), `back`: " in text
        assert "`deck_id`: uuid, `source`: manual | ai-full | ai-edited\n" in text
        assert (
            "- Response fields: `id`: uuid, `front`: string" in text and "`created_at`: timestamptz" in text
        )
        # the PATCH handler implements the planned PUT (method drift): its contract, and the drift
        drifted = markdown(await hover(s, CARD, 15, 14))
        assert drifted.startswith("**PUT /api/flashcards/{id}**")
        assert "served as PATCH: the method differs, SL103" in drifted
        # a handler the plan lacks
        assert "Not in the plan (SL102)" in markdown(await hover(s, EXPORT, 5, 14))
        # anywhere else in the handler: nothing (the editor's own hover stays alone)
        assert await hover(s, CARDS, 26, 10) is None


async def test_hover_on_plan_and_migration_entities(flashcards: Path) -> None:
    async with lsp_session(flashcards, capabilities()) as s:
        await s.checked()
        endpoint = markdown(await hover(s, API, 86, 10))  # `#### POST /api/flashcards`
        assert endpoint == (
            "**POST /api/flashcards**\n\nImplemented in `src/pages/api/flashcards/index.ts:24` (POST)"
        )
        later = markdown(await hover(s, API, 178, 10))  # `#### GET /api/stats` (stage 3)
        assert "Not implemented yet (stage 3, after the current one)" in later
        policy = markdown(await hover(s, MIGRATION, 31, 20))  # create policy flashcards_select ...
        assert policy.startswith("**policy flashcards_select** on `flashcards`")
        assert (
            "Planned at `.ai/db-plan.md:65`: `for select to authenticated using (auth.uid() = user_id)`"
            in policy
        )
        table = markdown(await hover(s, MIGRATION, 17, 3))  # `create table public.flashcards (`
        assert table.startswith("**table flashcards**\n\nPlanned at `.ai/db-plan.md:14` · stage 1")
        assert (
            "- Policy flashcards_delete: `for delete to authenticated using (auth.uid() = user_id)`" in table
        )
        planned_policy = markdown(await hover(s, DB, 62, 10))  # decks_update: no migration grants it
        assert "No migration policy grants it" in planned_policy


async def test_definition_goes_from_plan_to_code_and_back(flashcards: Path) -> None:
    async with lsp_session(flashcards, capabilities()) as s:
        await s.checked()
        assert await definition(s, API, 86, 10) == [(s.uri(CARDS), rng(23, 13, 23, 17))]
        assert await definition(s, CARDS, 23, 15) == [(s.uri(API), rng(86, 5, 86, 25))]
        # the planned PUT is implemented (with drift) by the PATCH handler
        assert await definition(s, API, 119, 6) == [(s.uri(CARD), rng(15, 13, 15, 18))]
        # a table, a policy, a column, both ways
        assert await definition(s, DB, 4, 6) == [(s.uri(MIGRATION), rng(3, 13, 3, 25))]
        assert await definition(s, MIGRATION, 5, 1) == [(s.uri(DB), rng(4, 4, 4, 9))]  # in CREATE TABLE decks
        assert await definition(s, DB, 64, 20) == [(s.uri(MIGRATION), rng(31, 0, 31, 118))]
        assert await definition(s, MIGRATION, 31, 20) == [(s.uri(DB), rng(64, 0, 64, 102))]
        assert await definition(s, MIGRATION, 20, 4) == [(s.uri(DB), rng(19, 3, 19, 10))]  # deck_id
        # a stage-plan line to the plan's definition
        assert await definition(s, STAGES, 8, 10) == [(s.uri(API), rng(86, 5, 86, 25))]
        # not implemented: no target; outside any entity: none
        assert await definition(s, API, 164, 10) == []
        assert await definition(s, API, 88, 3) == []


async def test_references_list_plan_code_stage_and_story(flashcards: Path) -> None:
    async with lsp_session(flashcards, capabilities()) as s:
        await s.checked()
        expected = [
            (s.uri(API), rng(86, 5, 86, 25)),
            (s.uri(PRD), rng(7, 4, 7, 36)),
            (s.uri(STAGES), rng(8, 3, 8, 23)),
            (s.uri(CARDS), rng(23, 13, 23, 17)),
        ]
        for rel, line, col in ((API, 86, 10), (CARDS, 23, 15), (STAGES, 8, 10)):
            found = await s.client.text_document_references_async(
                types.ReferenceParams(
                    text_document=doc(s, rel),
                    position=at(line, col),
                    context=types.ReferenceContext(include_declaration=True),
                )
            )
            assert sorted((loc.uri, loc.range.start.line) for loc in found or []) == sorted(
                (u, r.start.line) for u, r in expected
            )
            assert {(loc.uri, loc.range.start.line): loc.range for loc in found or []} == {
                (u, r.start.line): r for u, r in expected
            }
        without = await s.client.text_document_references_async(
            types.ReferenceParams(
                text_document=doc(s, CARDS),
                position=at(23, 15),
                context=types.ReferenceContext(include_declaration=False),
            )
        )
        assert s.uri(API) not in {loc.uri for loc in without or []}
        # a table: the plan, the migration, the stage plan and the queries that use it
        tables = await s.client.text_document_references_async(
            types.ReferenceParams(
                text_document=doc(s, DB),
                position=at(4, 6),
                context=types.ReferenceContext(include_declaration=True),
            )
        )
        uris = sorted({loc.uri for loc in tables or []})
        assert uris == sorted(
            {
                s.uri(DB),
                s.uri(MIGRATION),
                s.uri(STAGES),
                s.uri("src/lib/services/decks.service.ts"),
                s.uri("src/lib/services/flashcards.service.ts"),
            }
        )


async def lenses(s: Session, rel: str) -> dict[int, list[str]]:
    found = await s.client.text_document_code_lens_async(types.CodeLensParams(text_document=doc(s, rel)))
    out: dict[int, list[str]] = {}
    for lens in found or []:
        assert lens.command is not None and lens.command.command == "", "title only: no client command"
        out.setdefault(lens.range.start.line, []).append(lens.command.title)
    return out


async def test_code_lens_on_plan_endpoints_handlers_and_tables(flashcards: Path) -> None:
    async with lsp_session(flashcards, capabilities()) as s:
        await s.checked()
        plan = await lenses(s, API)
        assert plan[86] == ["implemented in src/pages/api/flashcards/index.ts · GET, POST · statuses 4/4"]
        assert plan[119] == [
            "implemented in src/pages/api/flashcards/[id].ts · GET, PATCH, DELETE · statuses 3/3"
            " · served as PATCH: the method differs, SL103"
        ]
        assert plan[164] == ["not implemented"]
        assert plan[178] == ["not implemented yet (stage 3, after the current one)"]
        assert plan[191] == ["served outside the app (Supabase or another host)"]
        code = await lenses(s, CARDS)
        assert code == {8: ["planned at .ai/api-plan.md:66"], 23: ["planned at .ai/api-plan.md:87"]}
        assert await lenses(s, EXPORT) == {5: ["not in the plan"]}
        db = await lenses(s, DB)
        assert db[4] == ["created in supabase/migrations/20250301100000_create_decks_and_flashcards.sql:4"]
        migration = await lenses(s, MIGRATION)
        assert migration[3] == ["planned at .ai/db-plan.md:5"]
        assert 10 not in migration, "the RLS statement stands for the table, but carries no second lens"
        # `tags`: the plan rejects it, a migration creates it
        assert db[38] == ["rejected by the plan, but created in supabase/migrations/20250312_add_tags.sql:3"]
        assert (await lenses(s, TAGS))[2] == ["rejected at .ai/db-plan.md:39"]
        assert "- Rejected by the plan: not wanted" in markdown(await hover(s, TAGS, 2, 20))


async def test_document_symbols_of_plan_documents(flashcards: Path) -> None:
    async with lsp_session(flashcards, capabilities()) as s:
        await s.checked()
        api = await s.client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=doc(s, API))
        )
        assert api is not None
        symbols = [x for x in api if isinstance(x, types.DocumentSymbol)]
        assert [x.name for x in symbols][:4] == [
            "GET /api/decks",
            "POST /api/decks",
            "DELETE /api/decks/{deckId}",
            "GET /api/flashcards",
        ]
        post = symbols[4]
        assert post.name == "POST /api/flashcards" and post.kind == types.SymbolKind.Method
        assert post.selection_range == rng(86, 5, 86, 25)
        assert post.range == rng(86, 0, 108, 36)  # the endpoint's section
        assert [c.name for c in post.children or []][:4] == ["front", "back", "deck_id", "source"]
        db = await s.client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=doc(s, DB))
        )
        tables = [x for x in db or [] if isinstance(x, types.DocumentSymbol)]
        assert [t.name for t in tables] == ["decks", "flashcards", "generations", "tags"]
        decks = tables[0]
        assert [c.name for c in decks.children or []] == [
            "id",
            "user_id",
            "name",
            "created_at",
            "decks_select",
            "decks_insert",
            "decks_update",
        ]
        stages = await s.client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=doc(s, STAGES))
        )
        first = next(x for x in stages or [] if isinstance(x, types.DocumentSymbol))
        assert first.name == "Stage 1: Decks and manual flashcards" and first.kind == types.SymbolKind.Module
        assert [c.name for c in first.children or []][:3] == ["decks", "flashcards", "GET /api/decks"]
        # code is not a plan document: no symbols from stage-lsp there
        assert (
            await s.client.text_document_document_symbol_async(
                types.DocumentSymbolParams(text_document=doc(s, CARDS))
            )
            is None
        )


async def test_workspace_symbols_filter_by_substring(flashcards: Path) -> None:
    async with lsp_session(flashcards, capabilities()) as s:
        await s.checked()
        found = await s.client.workspace_symbol_async(types.WorkspaceSymbolParams(query="GENERATIONS"))
        assert found is not None
        named = sorted(
            (x.name, x.container_name or "") for x in found if isinstance(x, types.SymbolInformation)
        )
        assert named == [
            ("GET /api/generations/{id}", "planned endpoint"),
            ("POST /api/generations", "planned endpoint"),
            ("generations", "migration"),
            ("generations", "planned table"),
        ]
        table = next(
            x for x in found if isinstance(x, types.SymbolInformation) and x.container_name == "planned table"
        )
        assert table.location.uri == s.uri(DB) and table.location.range == rng(25, 4, 25, 15)
        everything = await s.client.workspace_symbol_async(types.WorkspaceSymbolParams(query=""))
        assert (
            everything is not None and len(everything) == 13 + 4 + 4
        )  # endpoints, planned and migration tables


async def complete(s: Session, rel: str, line: int, col: int) -> list[str] | None:
    found = await s.client.text_document_completion_async(
        types.CompletionParams(text_document=doc(s, rel), position=at(line, col))
    )
    if found is None:
        return None
    items = found.items if isinstance(found, types.CompletionList) else found
    return [i.label for i in items]


async def test_completion_of_planned_fields_in_a_zod_schema(flashcards: Path) -> None:
    async with lsp_session(flashcards, capabilities(), init_options={"debounceMs": 60000}) as s:
        await s.checked()
        s.open(VALIDATION)
        # createFlashcardSchema (POST /api/flashcards) lacks the planned `deck_id` (it has `deckId`)
        assert await complete(s, VALIDATION, 6, 2) == ["deck_id"]  # the start of a member line
        # typed but not rechecked (the debounce is a minute): positions map through the edit
        s.insert(VALIDATION, 6, 0, "  de\n")
        assert await complete(s, VALIDATION, 6, 4) == ["deck_id"]
        assert await complete(s, VALIDATION, 7, 14) is None  # in a value (`source: z.en|um(...)`)
        # updateFlashcardSchema (the PATCH handler of the planned PUT) has every planned field
        assert await complete(s, VALIDATION, 11, 2) is None
        # outside any schema a handler uses
        assert await complete(s, VALIDATION, 0, 0) is None
        # an object literal (a response being built) is not a schema: no completion
        assert await complete(s, "src/pages/api/decks/index.ts", 19, 30) is None


async def test_completion_item_says_where_the_field_is_planned(flashcards: Path) -> None:
    async with lsp_session(flashcards, capabilities()) as s:
        await s.checked()
        found = await s.client.text_document_completion_async(
            types.CompletionParams(text_document=doc(s, VALIDATION), position=at(6, 2))
        )
        assert isinstance(found, types.CompletionList)
        (item,) = found.items
        assert item.kind == types.CompletionItemKind.Field
        assert item.detail == "planned request field of POST /api/flashcards: uuid"
        assert isinstance(item.documentation, types.MarkupContent)
        assert "`.ai/api-plan.md:" in item.documentation.value


async def test_nothing_outside_the_roots(flashcards: Path, tmp_path: Path) -> None:
    async with lsp_session(flashcards, capabilities()) as s:
        await s.checked()
        outside = tmp_path / "elsewhere.ts"
        outside.write_text("export const GET = 1;\n", encoding="utf-8")
        got = await s.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=outside.as_uri()), position=at(0, 14)
            )
        )
        assert got is None


UNITS = {"utf-8": ("utf-8", 1), "utf-16": ("utf-16-le", 2)}


def units(text: str, encoding: str) -> int:
    codec, width = UNITS[encoding]
    return len(text.encode(codec)) // width


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
async def test_definition_in_the_negotiated_encoding(demo: Path, encoding: str) -> None:
    # the demo's export handler sits after Polish letters and an emoji on a CRLF line; plan it under a
    # heading with an emoji and Polish letters before the endpoint
    (demo / PLAN).write_text(
        PLAN_TEXT + "\n#### 🎉 Eksport źródeł: GET /api/decks/export\nExports.\n", "utf-8"
    )
    ws = Workspace(demo, Settings())
    result = run_check(ws, select_rules())
    assert result.context is not None
    (link,) = [
        link for link in build_links(result.context).route_links if link.route.location.file == DEMO_EXPORT
    ]
    e, r = link.endpoint.location.range, link.route.location.range
    plan_line = (demo / PLAN).read_text("utf-8").splitlines()[e.line]
    code_line = (demo / DEMO_EXPORT).read_bytes().decode("utf-8").splitlines()[r.line]
    assert not plan_line[: e.col].isascii() and not code_line[: r.col].isascii()
    async with lsp_session(demo, capabilities(encodings=[encoding, "utf-16"])) as s:
        await s.checked()
        assert await definition(s, DEMO_EXPORT, r.line, units(code_line[: r.col + 1], encoding)) == [
            (
                s.uri(PLAN),
                rng(
                    e.line,
                    units(plan_line[: e.col], encoding),
                    e.end_line,
                    units(plan_line[: e.end_col], encoding),
                ),
            )
        ]
        assert await definition(s, PLAN, e.line, units(plan_line[: e.col + 1], encoding)) == [
            (
                s.uri(DEMO_EXPORT),
                rng(
                    r.line,
                    units(code_line[: r.col], encoding),
                    r.end_line,
                    units(code_line[: r.end_col], encoding),
                ),
            )
        ]


async def test_completion_in_a_new_schema_or_type_of_a_route_file(flashcards: Path) -> None:
    async with lsp_session(flashcards, capabilities(), init_options={"debounceMs": 60000}) as s:
        await s.checked()
        s.open(CARDS)
        s.insert(
            CARDS, 7, 0, "const draft = z.object({\n  \n});\ninterface Draft {\n  front: string;\n  \n}\n"
        )
        # the file serves GET (query: deck_id, page, limit) and POST (request: front, back, deck_id, source)
        assert await complete(s, CARDS, 8, 2) == ["front", "back", "deck_id", "source", "page", "limit"]
        # a type: request and response fields, without the `front` it has
        assert await complete(s, CARDS, 12, 2) == [
            "back",
            "deck_id",
            "source",
            "data",
            "pagination",
            "id",
            "created_at",
        ]
        # a file that serves no planned endpoint: nothing
        s.open("src/lib/http.ts")
        s.insert("src/lib/http.ts", 0, 0, "const x = z.object({\n  \n});\n")
        assert await complete(s, "src/lib/http.ts", 1, 2) is None


async def test_a_new_handler_updates_the_lens_of_the_open_plan(flashcards: Path) -> None:
    async with lsp_session(flashcards, capabilities(), init_options={"debounceMs": 0}) as s:
        await s.checked()
        await s.poll(lambda: len(s.lens_refreshes) >= 1)  # the index: lenses are ready
        s.open(API)
        assert (await lenses(s, API))[164] == ["not implemented"]
        refreshed = len(s.lens_refreshes)
        rel = "src/pages/api/generations/[id].ts"
        (flashcards / rel).write_text(
            'import type { APIRoute } from "astro";\n'
            "export const prerender = false;\n"
            'export const GET: APIRoute = async () => new Response("{}", { status: 200 });\n',
            encoding="utf-8",
        )
        s.files_changed((rel, types.FileChangeType.Created))
        await s.poll(lambda: len(s.lens_refreshes) > refreshed)
        (title,) = (await lenses(s, API))[164]
        assert title.startswith("implemented in src/pages/api/generations/[id].ts · GET · statuses ")
        assert await lenses(s, rel) == {2: ["planned at .ai/api-plan.md:165"]}


async def test_navigation_follows_an_edit(flashcards: Path) -> None:
    """The snapshot is built on request after each check: definition, hover and code lens answer from
    the edited text's models, not from the check before it (positions alone could be mapped)."""
    async with lsp_session(flashcards, capabilities(), init_options={"debounceMs": 0}) as s:
        await s.checked()
        text = (flashcards / CARDS).read_text(encoding="utf-8")
        s.open(CARDS, text)
        assert await definition(s, API, 86, 10) == [(s.uri(CARDS), rng(23, 13, 23, 17))]
        assert (await lenses(s, CARDS))[23] == ["planned at .ai/api-plan.md:87"]
        assert (await lenses(s, API))[86] == [f"implemented in {CARDS} · GET, POST · statuses 4/4"]
        # the POST handler becomes a PUT, and a new POST handler is appended
        added = 'export const POST: APIRoute = async () => new Response("{}", { status: 201 });\n'
        version = s.replace(CARDS, text.replace("export const POST", "export const PUT") + added)
        await s.until(lambda: any(d.data["version"] == version for d in s.diagnostics(CARDS)))
        last = len(text.split("\n")) - 1  # the appended handler's line
        assert await definition(s, API, 86, 10) == [(s.uri(CARDS), rng(last, 13, last, 17))]
        assert await definition(s, CARDS, last, 15) == [(s.uri(API), rng(86, 5, 86, 25))]
        assert "Not in the plan (SL102)" in markdown(await hover(s, CARDS, 23, 14))
        code = await lenses(s, CARDS)
        assert code[23] == ["not in the plan"] and code[last] == ["planned at .ai/api-plan.md:87"]
        assert (await lenses(s, API))[86] == [f"implemented in {CARDS} · GET, POST, PUT · statuses 1/4"]


async def test_odd_positions_and_files_get_empty_answers_not_errors(demo: Path) -> None:
    blob = "supabase/migrations/20250101000000_blob.sql"
    async with lsp_session(demo, capabilities(encodings=["utf-8"])) as s:
        await s.checked()
        s.open("notes/readme.md", "# not a plan\n")  # a buffer the project does not read
        for rel in (PLAN, DEMO_EXPORT, blob, "notes/readme.md"):
            ident = doc(s, rel)
            for line, col in ((0, 0), (10_000, 3), (2, 10_000), (-1, -1)):
                position = at(max(line, 0), max(col, 0))
                await s.client.text_document_hover_async(
                    types.HoverParams(text_document=ident, position=position)
                )
                await s.client.text_document_definition_async(
                    types.DefinitionParams(text_document=ident, position=position)
                )
                await s.client.text_document_references_async(
                    types.ReferenceParams(
                        text_document=ident,
                        position=position,
                        context=types.ReferenceContext(include_declaration=True),
                    )
                )
                await s.client.text_document_completion_async(
                    types.CompletionParams(text_document=ident, position=position)
                )
            await s.client.text_document_code_lens_async(types.CodeLensParams(text_document=ident))
            await s.client.text_document_document_symbol_async(
                types.DocumentSymbolParams(text_document=ident)
            )
        assert not [m.message for m in s.client.log_messages if "failed" in m.message]
