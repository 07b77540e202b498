"""Next.js app and pages routers, and Supabase Edge Functions."""

from __future__ import annotations

import pytest

from stage_lsp.code.fs_routes import edge_path, next_app_path, next_pages_path
from stage_lsp.code.routes import expected_route_file
from tests.code.helpers import routes, span


@pytest.mark.parametrize(
    ("rel", "path"),
    [
        ("app/api/portfolios/route.ts", "/api/portfolios"),
        ("src/app/api/briefs/[id]/comments/route.ts", "/api/briefs/{id}/comments"),
        ("src/app/(protected)/api/me/route.ts", "/api/me"),
        ("app/api/files/[[...slug]]/route.ts", "/api/files/{...slug}"),
        ("src/app/auth/callback/route.ts", "/auth/callback"),
        ("apps/web/app/api/x/route.js", "/api/x"),
        ("src/app/api/_lib/route.ts", None),
        ("src/app/api/x/page.tsx", None),
        ("src/app/api/x/route.test.ts", None),
    ],
)
def test_next_app_path(rel: str, path: str | None) -> None:
    assert next_app_path(rel) == path


def test_pages_and_edge_paths() -> None:
    assert next_pages_path("pages/api/users/[id].ts") == "/api/users/{id}"
    assert next_pages_path("src/pages/api/index.ts") == "/api"
    assert edge_path("supabase/functions/translate/index.ts") == "/functions/v1/translate"
    assert edge_path("supabase/functions/_shared/index.ts") is None
    assert expected_route_file("next-app", "/api/x/{id}") == "app/api/x/[id]/route.ts"
    assert expected_route_file("next-app", "/api/x", "src") == "src/app/api/x/route.ts"


NEXT = """\
import { NextRequest, NextResponse } from "next/server";
import { redirect } from "next/navigation";

export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!id) return NextResponse.json({ error: "MISSING_ID" }, { status: 400 });
  return NextResponse.json({ id });
}

export async function PUT() {
  return NextResponse.json({ success: false, message: "Use PATCH" }, { status: 405 });
}

export async function DELETE() {
  redirect("/login");
}

export const dynamic = "force-dynamic";
"""


def test_next_app_router_handlers() -> None:
    found = routes({"src/app/api/items/[id]/route.ts": NEXT}, ("next-app",))
    assert sorted(found) == ["DELETE /api/items/{}", "GET /api/items/{}", "PUT /api/items/{}"]
    get = found["GET /api/items/{}"]
    assert get.framework == "next-app" and get.statuses_complete
    assert [
        (s.code, (s.location.range.line, s.location.range.col))
        for s in sorted(get.statuses, key=lambda s: s.code)
    ] == [
        (200, span(NEXT, "NextResponse.json({ id })")[:2]),
        (400, span(NEXT, "400")[:2]),
    ]
    assert [(c.code, c.status) for c in get.error_codes] == [("MISSING_ID", 400)]
    assert found["PUT /api/items/{}"].stub_405


def test_pages_router_methods_from_checks() -> None:
    text = """\
export default async function handler(req, res) {
  if (req.method === "GET") return res.status(200).json({ items: [] });
  if (req.method === "POST") {
    res.status(201).json({ id: 1 });
    return;
  }
  res.setHeader("Allow", "GET, POST");
  res.status(405).end();
}
"""
    found = routes({"pages/api/items.ts": text}, ("next-pages",))
    assert sorted(found) == ["GET /api/items", "POST /api/items"]
    assert found["GET /api/items"].status_codes == (200, 201)  # one function: statuses are shared
    assert not found["GET /api/items"].stub_405


EDGE = """\
import { withCors } from "../_shared/cors.ts";

async function handleSignup(req: Request): Promise<Response> {
  if (req.method !== "POST") {
    return new Response(JSON.stringify({ error: "Method not allowed" }), { status: 405 });
  }
  return new Response(JSON.stringify({ ok: true }), { status: 200 });
}

Deno.serve(withCors(handleSignup));
"""
CORS = """\
export function withCors(handler: (req: Request) => Promise<Response>) {
  return async (req: Request) => {
    if (req.method === "OPTIONS") return new Response("ok", { status: 200 });
    return handler(req);
  };
}
"""


def test_edge_functions_methods_from_checks_and_wildcards() -> None:
    files = {
        "supabase/functions/signup/index.ts": EDGE,
        "supabase/functions/_shared/cors.ts": CORS,
        "supabase/functions/health/index.ts": "Deno.serve(() => new Response('ok'));\n",
    }
    found = routes(files, ("supabase-edge",))
    signup = found["POST /functions/v1/signup"]
    assert signup.status_codes == (200,)  # the 405 answers the other methods
    assert signup.statuses_complete
    health = [r for r in found.values() if r.path == "/functions/v1/health"]
    assert len(health) == 7 and all(r.wildcard_method for r in health)
