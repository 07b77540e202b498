"""The route scaffold (SL101's fix): complete, parseable, and read back as implementing the plan."""

from __future__ import annotations

from pathlib import Path

from stage_lsp.code.treesitter import parse
from stage_lsp.core.source import SourceFile
from stage_lsp.plan.model import PlanField
from stage_lsp.rules import sl101_planned_endpoint_missing as sl101
from stage_lsp.rules._scaffold_route import route_file, zod_for
from tests.rules.builders import PLAN, at, context, endpoint, route, run
from tests.rules.fixing import check, write


def planned():  # type: ignore[no-untyped-def]
    return endpoint(
        "POST /api/decks/{deckId}/cards",
        7,
        statuses=[201, 400, 401, 404, 409],
        codes=[("VALIDATION_ERROR", 400), ("DECK_NOT_FOUND", 404), ("CARD_EXISTS", 409)],
        request=["front", "back"],
        response=["id", "front"],
        idempotency_key=at(PLAN, 9),
    )


def test_zod_types_from_plan_hints() -> None:
    f = lambda hint, required=None: PlanField("x", at(PLAN, 1), hint, required)  # noqa: E731
    assert zod_for(f("uuid")) == "z.string().uuid()"
    assert zod_for(f("integer")) == "z.number()"
    assert zod_for(f("string | null")) == "z.string().nullable()"
    assert zod_for(f("boolean", False)) == "z.boolean().optional()"


def test_scaffold_answers_every_planned_status_and_parses() -> None:
    ctx = context([planned()], [route("GET /api/other")])
    text = route_file(ctx, [planned()])
    for expected in (
        "export const POST: APIRoute",
        "const deckId = params.deckId;",
        'request.headers.get("Idempotency-Key")',
        "bodySchema.safeParse",
        "front: z.string()",
        '"DECK_NOT_FOUND"',
        ", 404);",
        '"CARD_EXISTS"',
        ", 409);",
        ", 401);",
        "}, 201);",
        "id: undefined as unknown",
    ):
        assert expected in text, expected
    tree = parse(SourceFile.from_text("x.ts", text), "typescript")
    assert not tree.root_node.has_error


def test_sl101_offers_the_scaffold_or_an_added_method() -> None:
    ctx = context([planned()], [route("GET /api/other")])
    (v,) = run(sl101.RULE, ctx)
    assert v.fix is not None and v.fix.applicability.value == "unsafe"
    (edit,) = v.fix.edits
    assert getattr(edit, "file", None) == "src/pages/api/decks/[deckId]/cards.ts"
    existing = route(
        "GET /api/decks/{deckId}/cards",
        "src/pages/api/decks/[deckId]/cards.ts",
        handler_range=at("src/pages/api/decks/[deckId]/cards.ts", 20, 0, 2),
    )
    ctx.files.sources.append("src/pages/api/decks/[deckId]/cards.ts")
    ctx2 = context([planned()], [existing])
    ctx2.files.sources.append("src/pages/api/decks/[deckId]/cards.ts")
    (w,) = run(sl101.RULE, ctx2)
    assert w.fix is not None and w.fix.title == "Add a POST handler to src/pages/api/decks/[deckId]/cards.ts"
    (add,) = w.fix.edits
    assert add.location.range.line == 21 and add.new_text.startswith("\nexport const POST")  # type: ignore[union-attr]


def test_no_typescript_handler_added_to_a_javascript_route_file(tmp_path: Path) -> None:
    plan = "# API\n\n#### GET /api/decks\n\nLists.\n\n#### POST /api/decks\n\nCreates.\n"
    route = 'export const GET = async () => new Response("[]", { status: 200 });\n'
    root = write(tmp_path / "js", {".ai/api-plan.md": plan, "src/pages/api/decks.js": route})
    (missing,) = check(root, "SL101")
    assert missing.fix is None
    ts = write(tmp_path / "ts", {".ai/api-plan.md": plan, "src/pages/api/decks.ts": route})
    (missing,) = check(ts, "SL101")
    assert missing.fix is not None and missing.fix.title == "Add a POST handler to src/pages/api/decks.ts"


NEXT = '{ "name": "n", "dependencies": { "next": "^15.0.0", "zod": "^3.0.0" } }\n'
NEXT_PLAN = (
    "# API\n\n#### GET /api/decks\n\nLists.\n\n#### POST /api/decks\n\nCreates.\n\n"
    "- Request: `name` (string)\n- `201 Created`\n\n#### DELETE /api/decks/{id}\n\nDeletes.\n\n- `204 No Content`\n"
)


def test_sl101_scaffolds_next_app_router_handlers_where_the_routes_live(tmp_path: Path) -> None:
    from tests.rules.fixing import apply, read

    get = "export async function GET() {\n  return Response.json([]);\n}\n"
    root = write(
        tmp_path, {"package.json": NEXT, ".ai/api-plan.md": NEXT_PLAN, "src/app/api/decks/route.ts": get}
    )
    found = {v.message: v for v in check(root, "SL101")}
    assert len(found) == 2
    post = next(v for m, v in found.items() if "POST" in m)
    delete = next(v for m, v in found.items() if "DELETE" in m)
    assert post.fix is not None and post.fix.title == "Add a POST handler to src/app/api/decks/route.ts"
    assert delete.fix is not None and delete.fix.title == "Create src/app/api/decks/[id]/route.ts with DELETE"
    assert [r.location.file for r in delete.related] == ["src/app/api/decks/[id]/route.ts"]
    assert apply(root, post) == ["src/app/api/decks/route.ts"]
    assert apply(root, delete) == ["src/app/api/decks/[id]/route.ts"]
    created = read(root, "src/app/api/decks/[id]/route.ts")
    assert "export async function DELETE(request: Request, context: { params: Promise<" in created
    assert "const id = (await context.params).id;" in created and "next/server" not in created
    for rel in ("src/app/api/decks/route.ts", "src/app/api/decks/[id]/route.ts"):
        tree = parse(SourceFile.from_text(rel, read(root, rel)), "typescript")
        assert not tree.root_node.has_error, rel
    assert check(root, "SL101") == []  # the reader sees both handlers as implementing the plan


def test_sl101_scaffolds_into_the_app_folder_the_routes_use(tmp_path: Path) -> None:
    plan = "# API\n\n#### GET /api/decks\n\nLists.\n\n#### GET /api/tags\n\nLists.\n"
    get = 'export const GET = async () => new Response("[]");\n'
    root = write(tmp_path, {".ai/api-plan.md": plan, "web/src/pages/api/decks.ts": get})
    (missing,) = check(root, "SL101")
    assert missing.fix is not None and missing.fix.title == "Create web/src/pages/api/tags.ts with GET"


def test_no_scaffold_for_a_plan_path_that_should_never_name_a_file() -> None:
    from stage_lsp.code.routes import expected_route_file

    assert expected_route_file("next-app", "/api/decks/{id}", "src") == "src/app/api/decks/[id]/route.ts"
    assert expected_route_file("next-app", "/api/../../etc/x", "") is None
    assert expected_route_file("next-pages", "/api/a%2fb", "") is None
