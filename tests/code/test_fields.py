"""Request and response fields: zod (local, imported, composed), destructuring, casts, DTO types."""

from __future__ import annotations

from stage_lsp.code.model import FieldSet
from tests.code.helpers import routes, span

VALIDATION = """\
import { z } from "astro/zod";

const base = z.object({
  front: z.string().min(1).max(200),
  back: z.string().max(500),
  deck_id: z.string().uuid(),
});

export const createSchema = base.extend({ source: z.enum(["manual", "ai"]) });
export const updateSchema = base.pick({ front: true, back: true }).partial();
export const moveSchema = base.omit({ front: true, back: true });
export const mergedSchema = moveSchema.merge(z.object({ position: z.number().int() }));
export const listQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
"""
TSCONFIG = '{\n  // comments are allowed\n  "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } },\n}\n'


def names(fs: FieldSet | None) -> tuple[str, ...] | None:
    return fs.names if fs is not None else None


def test_zod_schemas_through_an_alias_import() -> None:
    handler = """\
import { createSchema, listQuery, mergedSchema, moveSchema, updateSchema } from "@/lib/validation/cards";
export const POST = async ({ request }) => {
  const parsed = createSchema.safeParse(await request.json());
  if (!parsed.success) return new Response(null, { status: 400 });
  return new Response(null, { status: 201 });
};
export const PATCH = async ({ request }) => {
  const body = await request.json();
  const data = updateSchema.parse(body);
  return new Response(JSON.stringify(data));
};
export const PUT = async ({ request }) => {
  const data = mergedSchema.parse(await request.json());
  return new Response(null, { status: 204 });
};
export const GET = async ({ url }) => {
  const q = listQuery.safeParse(Object.fromEntries(url.searchParams));
  return new Response("[]");
};
"""
    files = {
        "tsconfig.json": TSCONFIG,
        "src/lib/validation/cards.ts": VALIDATION,
        "src/pages/api/cards.ts": handler,
    }
    found = routes(files, tsconfig="tsconfig.json")
    post = found["POST /api/cards"]
    assert names(post.request_fields) == ("front", "back", "deck_id", "source")
    assert post.request_fields is not None and post.request_fields.complete
    front = post.request_fields.fields[0]
    assert front.location.file == "src/lib/validation/cards.ts"
    assert (front.location.range.line, front.location.range.col) == span(VALIDATION, "front")[:2]
    assert front.max_value == 200 and post.validates_body is True
    patch = found["PATCH /api/cards"]
    assert names(patch.request_fields) == ("front", "back")
    assert patch.request_fields is not None and all(f.optional for f in patch.request_fields.fields)
    assert names(found["PUT /api/cards"].request_fields) == ("deck_id", "position")
    get = found["GET /api/cards"]
    assert get.request_fields is None
    assert [(q.name, q.max_value) for q in get.query_params] == [("page", None), ("limit", 100)]


def test_unknown_schema_is_incomplete() -> None:
    handler = """\
import { schema } from "some-package";
export const POST = async ({ request }) => {
  const parsed = schema.safeParse(await request.json());
  return new Response(null, { status: 201 });
};
"""
    post = routes({"src/pages/api/x.ts": handler})["POST /api/x"]
    assert post.request_fields is not None and not post.request_fields.complete
    assert post.validates_body is True


def test_destructuring_and_casts() -> None:
    types = """\
export interface CreateDeckCommand {
  name: string;
  description?: string;
}
"""
    handler = """\
import type { CreateDeckCommand } from "../../types";
export const POST = async ({ request }) => {
  const { name, color, ...rest } = await request.json();
  return new Response(null, { status: 201 });
};
export const PUT = async ({ request }) => {
  const command = (await request.json()) as CreateDeckCommand;
  return new Response(null, { status: 204 });
};
"""
    found = routes({"src/types.ts": types, "src/pages/api/decks.ts": handler})
    post = found["POST /api/decks"]
    assert names(post.request_fields) == ("name", "color")
    assert post.request_fields is not None and not post.request_fields.complete  # ...rest
    assert post.validates_body is False and post.reads_body
    put = found["PUT /api/decks"]
    assert names(put.request_fields) == ("name", "description")
    assert put.request_fields is not None and put.request_fields.complete
    assert put.request_fields.fields[1].optional is True
    assert put.validates_body is False


DTOS = """\
import type { Database, Tables } from "./db/database.types";

export type DeckDto = Pick<Tables<"decks">, "id" | "name">;
export type CardRow = Database["public"]["Tables"]["cards"]["Row"];
export type CardDto = Omit<CardRow, "user_id">;
interface Base { id: string }
export interface Page<T> extends Base { data: T[]; total: number }
export type Created = DeckDto & { created: true };
"""


def test_response_fields_from_object_literals_and_dto_types() -> None:
    service = """\
import type { CardDto, DeckDto, Page } from "../../types";
export async function getDeck(id: string): Promise<DeckDto | null> { return null as any; }
export async function getCard(id: string): Promise<CardDto> { return null as any; }
export async function listDecks(): Promise<Page<DeckDto>> { return null as any; }
"""
    handler = """\
import { getCard, getDeck, listDecks } from "../../../lib/services/decks";
export const GET = async ({ params }) => {
  const deck = await getDeck(params.id);
  if (!deck) return new Response(JSON.stringify({ error: { code: "NOT_FOUND" } }), { status: 404 });
  return new Response(JSON.stringify(deck), { status: 200 });
};
export const PUT = async ({ params }) => {
  const card = await getCard(params.id);
  return new Response(JSON.stringify({ ...card, extra: 1 }), { status: 200 });
};
export const PATCH = async () => new Response(JSON.stringify(await listDecks()));
"""
    files = {
        "src/types.ts": DTOS,
        "src/lib/services/decks.ts": service,
        "src/pages/api/decks/[id].ts": handler,
    }
    found = routes(files)
    get = found["GET /api/decks/{}"]
    assert names(get.response_fields) == ("id", "name")
    assert get.response_fields is not None and get.response_fields.complete  # Pick keys are known
    assert get.response_fields.fields[0].location.file == "src/types.ts"
    assert [(c.code, c.status) for c in get.error_codes] == [("NOT_FOUND", 404)]
    put = found["PUT /api/decks/{}"]
    # Omit<Row> needs the table's columns: unavailable without database.types.ts
    assert names(put.response_fields) == ("extra",)
    assert put.response_fields is not None and not put.response_fields.complete
    patch = found["PATCH /api/decks/{}"]
    assert names(patch.response_fields) == ("id", "data", "total")
    # with the generated types read, the table reference resolves
    tables = (("cards", ("id", "front", "user_id")), ("decks", ("id", "name", "user_id")))
    put = routes(files, types_tables=tables)["PUT /api/decks/{}"]
    assert names(put.response_fields) == ("id", "front", "extra")
    assert put.response_fields is not None and put.response_fields.complete


def test_next_response_type_argument() -> None:
    types = "export interface BriefDto { id: string; title: string }\n"
    handler = """\
import { NextResponse } from "next/server";
import type { BriefDto } from "@/types";
export async function POST(request: Request) {
  const brief = await request.json();
  return NextResponse.json<BriefDto>(brief, { status: 201 });
}
"""
    post = routes({"src/types.ts": types, "src/app/api/briefs/route.ts": handler}, ("next-app",))[
        "POST /api/briefs"
    ]
    assert post.status_codes == (201,)
    assert names(post.response_fields) == ("id", "title")
