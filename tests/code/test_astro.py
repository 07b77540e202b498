"""Astro API routes: file paths, handler export forms, wrappers, aliases, ALL, tests and backups."""

from __future__ import annotations

import pytest

from stage_lsp.code.astro import expected_route_file, route_path
from tests.code.helpers import routes, span


@pytest.mark.parametrize(
    ("rel", "path"),
    [
        ("src/pages/api/decks/index.ts", "/api/decks"),
        ("src/pages/api/decks/[id].ts", "/api/decks/{id}"),
        ("src/pages/api/files/[...rest].ts", "/api/files/{...rest}"),
        ("src/pages/api/jobs/[jobId]-cancel.ts", "/api/jobs/{jobId}-cancel"),
        ("src/pages/api/reservations/[id]/export.ics.ts", "/api/reservations/{id}/export.ics"),
        ("web/src/pages/api/v1/items.ts", "/api/v1/items"),
        ("src/pages/api/test/cleanup.ts", "/api/test/cleanup"),  # a real endpoint, not a test
        ("src/pages/api/decks/__tests__/index.ts", None),
        ("src/pages/api/decks.test.ts", None),
        ("src/pages/api/products.empty-list.test.ts", None),
        (".backup/src/pages/api/decks.ts", None),
        ("tests/fixtures/src/pages/api/decks.ts", None),
        ("src/pages/about.astro", None),
        ("src/pages/index.ts", None),
    ],
)
def test_route_path(rel: str, path: str | None) -> None:
    assert route_path(rel) == path


def test_expected_route_file() -> None:
    assert expected_route_file("/api/decks/{deckId}/cards") == "src/pages/api/decks/[deckId]/cards.ts"


HANDLERS = """\
import type { APIRoute } from "astro";
import { withAuth } from "../../../lib/auth";

export const prerender = false;

export const GET: APIRoute = async ({ params }) => {
  return new Response(JSON.stringify({ id: params.id }), { status: 200 });
};

export async function POST({ request }) {
  return new Response(null, { status: 201 });
}

export const PUT: APIRoute = withAuth(async (ctx) => {
  return Response.json({ ok: true });
});

const remove = async () => new Response(null, { status: 204 });
export { remove as DELETE };
"""
AUTH = """\
export function withAuth(handler) {
  return async (ctx) => {
    if (!ctx.locals.user) return new Response("Unauthorized", { status: 401 });
    return handler(ctx);
  };
}
"""


def test_export_forms_and_resolved_wrapper() -> None:
    found = routes({"src/pages/api/decks/[id].ts": HANDLERS, "src/lib/auth.ts": AUTH})
    assert sorted(found) == [
        "DELETE /api/decks/{}",
        "GET /api/decks/{}",
        "POST /api/decks/{}",
        "PUT /api/decks/{}",
    ]
    get = found["GET /api/decks/{}"]
    assert get.location.range.line == 5 and get.framework == "astro"
    assert (get.location.range.col, get.location.range.end_col) == (13, 16)
    assert get.status_codes == (200,) and get.statuses_complete
    post = found["POST /api/decks/{}"]
    assert post.status_codes == (201,)
    assert (post.statuses[0].location.range.line, post.statuses[0].location.range.col) == span(
        HANDLERS, "201"
    )[:2]
    # the wrapper is read: its 401 plus the handler's default 200, located at the wrapper's expressions
    put = found["PUT /api/decks/{}"]
    assert put.status_codes == (200, 401) and put.statuses_complete
    assert put.handler_range is not None and put.handler_range.range.line == 13
    delete = found["DELETE /api/decks/{}"]
    assert delete.status_codes == (204,)
    assert (delete.location.range.line, delete.location.range.col) == span(HANDLERS, "DELETE")[:2]


def test_unresolved_wrapper_keeps_the_handler_but_is_incomplete() -> None:
    text = """\
import { withAuth } from "some-auth-package";
export const POST = withAuth(async ({ request }) => {
  return new Response(null, { status: 201 });
});
"""
    post = routes({"src/pages/api/x.ts": text})["POST /api/x"]
    assert post.status_codes == (201,)
    assert not post.statuses_complete
    assert "could not be read" in post.unresolved[-1]


def test_alias_of_one_handler_for_two_methods() -> None:
    text = """\
const handleLogout = async ({ redirect }) => redirect("/login", 303);
export const GET = handleLogout;
export const POST = handleLogout;
"""
    found = routes({"src/pages/api/auth/logout.ts": text})
    assert sorted(found) == ["GET /api/auth/logout", "POST /api/auth/logout"]
    assert found["GET /api/auth/logout"].status_codes == (303,)
    assert (
        found["POST /api/auth/logout"].statuses[0].location.range
        == found["GET /api/auth/logout"].statuses[0].location.range
    )


def test_all_answers_every_method() -> None:
    text = "export const ALL = () => new Response('x');\n"
    found = routes({"src/pages/api/proxy/[...path].ts": text})
    assert len(found) == 7 and all(r.wildcard_method for r in found.values())
    assert found["PATCH /api/proxy/{...}"].status_codes == (200,)


def test_stub_405_is_not_an_implementation() -> None:
    text = """\
export const GET = () => new Response("[]");
export const POST = () => new Response(null, { status: 405 });
"""
    found = routes({"src/pages/api/items.ts": text})
    assert found["POST /api/items"].stub_405 and not found["GET /api/items"].stub_405


def test_test_files_in_the_api_folder_are_not_routes() -> None:
    files = {
        "src/pages/api/items.ts": "export const GET = () => new Response('[]');\n",
        "src/pages/api/__tests__/items.ts": "export const GET = () => new Response('[]');\n",
        "src/pages/api/items.test.ts": "export const GET = () => new Response('[]');\n",
    }
    assert list(routes(files)) == ["GET /api/items"]
