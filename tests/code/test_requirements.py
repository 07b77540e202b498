"""What handlers read and touch: query parameters and bounds, headers, Supabase queries and clients."""

from __future__ import annotations

from tests.code.helpers import facts_of, routes, span

HANDLER = """\
import { createClient } from "@supabase/supabase-js";
import { listCards } from "../../lib/cards";

export const GET = async ({ url, locals }) => {
  const limit = Math.min(100, Number(url.searchParams.get("limit") ?? 20));
  const page = Number(url.searchParams.get("page") ?? 1);
  const { data } = await locals.supabase.from("cards").select("id, front, tags(name)").range(page, limit);
  return new Response(JSON.stringify(data));
};

export const POST = async ({ request }) => {
  const key = request.headers.get("Idempotency-Key");
  const admin = createClient(import.meta.env.SUPABASE_URL, import.meta.env.SUPABASE_SERVICE_ROLE_KEY);
  await admin.from("cards").insert({ front: "x" });
  await admin.rpc("bump_counter", { id: 1 });
  await listCards();
  return new Response(null, { status: 201 });
};
"""
LIB = """\
export async function listCards(supabase) {
  return supabase.from("cards").upsert({ id: 1 }).select("*");
}
"""


def test_query_params_headers_and_database_access() -> None:
    found = routes({"src/lib/cards.ts": LIB, "src/pages/api/cards.ts": HANDLER})
    get = found["GET /api/cards"]
    assert [(q.name, q.max_value) for q in get.query_params] == [("limit", 100), ("page", None)]
    limit = get.query_params[0]
    assert (limit.location.range.line, limit.location.range.col) == span(HANDLER, '"limit"')[:2]
    (db,) = get.db_access
    assert (db.kind, db.name, db.operations, db.columns, db.in_handler) == (
        "from",
        "cards",
        ("select",),
        ("id", "front", "tags"),
        True,
    )
    assert [c.kind for c in get.clients] == ["locals"]
    assert get.reads_body is False and get.validates_body is None
    post = found["POST /api/cards"]
    assert [h.name for h in post.headers_read] == ["Idempotency-Key"]
    kinds = sorted({c.kind for c in post.clients})
    assert kinds == ["created", "service-role"]
    accesses = [(d.kind, d.name, d.operations, d.in_handler) for d in post.db_access]
    assert ("from", "cards", ("insert",), True) in accesses
    assert ("rpc", "bump_counter", (), True) in accesses
    assert ("from", "cards", ("upsert", "select"), False) in accesses  # in a service the handler calls


def test_columns_are_in_code_points_after_non_ascii_text() -> None:
    text = 'export const GET = () => { /* żółć */ return new Response("x", { status: 418 }); };\n'
    facts = facts_of("src/pages/api/x.ts", text)
    (fn,) = facts.functions.values()
    (ret,) = fn.return_ranges
    start = text.index("new Response")
    assert (ret.line, ret.col) == (0, start)  # a byte column would be 4 further
    route = routes({"src/pages/api/x.ts": text})["GET /api/x"]
    assert route.statuses[0].location.range.col == text.index("418")


def test_a_service_role_client_made_in_another_module() -> None:
    admin = """\
import { createClient } from "@supabase/supabase-js";
export const supabaseAdmin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
"""
    handler = """\
import { supabaseAdmin } from "../../lib/admin";
export const DELETE = async ({ params }) => {
  await supabaseAdmin.from("users").delete().eq("id", params.id);
  return new Response(null, { status: 204 });
};
"""
    route = routes({"src/lib/admin.ts": admin, "src/pages/api/users.ts": handler})["DELETE /api/users"]
    assert [(c.kind, c.location.range.line) for c in route.clients] == [("service-role", 2)]
    assert [(d.name, d.operations) for d in route.db_access] == [("users", ("delete",))]


def test_nested_clamps_are_upper_bounds() -> None:
    handler = """\
export const GET = async ({ url }) => {
  const limit = Math.min(100, Math.max(1, Number(url.searchParams.get("limit") ?? 20)));
  const size = Math.max(1, Number(url.searchParams.get("size")));
  return new Response(JSON.stringify({ limit, size }));
};
"""
    get = routes({"src/pages/api/x.ts": handler})["GET /api/x"]
    assert [(q.name, q.max_value) for q in get.query_params] == [("limit", 100), ("size", None)]


QUERY_HELPERS = """\
import { z } from "zod";

export const listSchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  size: z.coerce.number().int().min(1).max(40).default(10),
});

export function queryToRecord(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  url.searchParams.forEach((v, k) => { out[k] = v; });
  return out;
}

export function parseListing(link: URL) {
  const record: Record<string, unknown> = {};
  for (const [k, v] of link.searchParams.entries()) record[k] = v;
  return listSchema.parse(record);
}
"""
QUERY_ROUTES = """\
import { listSchema, queryToRecord, parseListing } from "../../lib/query";

export const GET = async ({ request }) => {
  const url = new URL(request.url);
  const cleaned = tidy(queryToRecord(url));
  const parsed = listSchema.safeParse(cleaned);
  return new Response(JSON.stringify(parsed), { status: 200 });
};

export const PUT = async ({ request }) => {
  const listing = parseListing(new URL(request.url));
  return new Response(JSON.stringify(listing), { status: 200 });
};

export const POST = async ({ url }) => {
  const { searchParams } = url;
  const rawQuery: Record<string, string> = {};
  const size = searchParams.get("size");
  if (size !== null) rawQuery.size = size;
  const parsed = listSchema.parse(rawQuery);
  return new Response(JSON.stringify(parsed), { status: 200 });
};

export const DELETE = async ({ locals }) => {
  const row = await locals.supabase.from("cards").select("*").single();
  const checked = listSchema.parse(row.data);
  return new Response(JSON.stringify(checked), { status: 200 });
};

function tidy(x: Record<string, string>) {
  return x;
}
"""


def test_query_validated_through_helpers_that_take_the_url() -> None:
    found = routes({"src/lib/query.ts": QUERY_HELPERS, "src/pages/api/items.ts": QUERY_ROUTES})
    for key in ("GET /api/items", "PUT /api/items", "POST /api/items"):
        got = found[key]
        assert {q.name: q.max_value for q in got.query_params} == {"page": None, "size": 40}, key
        assert got.query_params_complete, key
    # a schema applied to something that is neither the body nor the query: reads are not known
    unknown = found["DELETE /api/items"]
    assert unknown.query_params == () and not unknown.query_params_complete


UPSTREAM = """\
import { z } from "zod";

const reply = z.object({ answer: z.string(), score: z.number() });
const input = z.object({ question: z.string() });

export const POST = async ({ request }) => {
  const asked = input.parse(await request.json());
  const res = await fetch("https://ai.example.com", { method: "POST", body: JSON.stringify(asked) });
  const body = await res.json();
  const parsed = reply.parse(body);
  return new Response(JSON.stringify(parsed), { status: 200 });
};
"""


def test_a_fetched_reply_named_body_is_not_the_request_body() -> None:
    found = routes({"src/pages/api/ask.ts": UPSTREAM})
    request = found["POST /api/ask"].request_fields
    assert request is not None and [f.name for f in request.fields] == ["question"]


SANITY = """\
import { z } from "zod";

const create = z.object({ title: z.string(), pages: z.number() });

export const POST = async ({ request, locals }) => {
  const idCheck = z.string().uuid().safeParse(locals.user.id);
  if (!idCheck.success) return new Response(null, { status: 401 });
  const parsed = create.safeParse(await request.json());
  if (!parsed.success) return new Response(null, { status: 400 });
  return new Response(JSON.stringify(parsed.data), { status: 201 });
};
"""


def test_a_scalar_check_of_something_else_is_not_the_body_schema() -> None:
    request = routes({"src/pages/api/books.ts": SANITY})["POST /api/books"].request_fields
    assert request is not None and request.complete
    assert [f.name for f in request.fields] == ["title", "pages"]


def test_middleware_statuses_are_collected() -> None:
    from stage_lsp.code.assemble import middleware_statuses

    files = {
        "src/middleware.ts": "export const onRequest = async (ctx, next) => {\n  if (limited) return new Response(null, { status: 429 });\n  return next();\n};\n",
        "backend/errors.py": "app.add_exception_handler(ValidationError, handler)\nreturn JSONResponse(status_code=400, content={})\n",
        "backend/routes.py": "raise HTTPException(status_code=404)\n",
        "src/pages/api/x.ts": "export const GET = () => new Response(null, { status: 418 });\n",
    }
    found = middleware_statuses(sorted(files), files.__getitem__, ["astro", "fastapi"])
    assert [(s.code, s.location.file, s.location.range.line) for s in found if s.location.file] == [
        (400, "backend/errors.py", 1),
        (429, "src/middleware.ts", 1),
    ]
    assert 422 in {s.code for s in found}  # FastAPI validates requests itself
    assert [s.code for s in middleware_statuses(sorted(files), files.__getitem__, ["astro"])] == [429]
