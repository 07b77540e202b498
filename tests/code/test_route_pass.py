"""The route pass in steps (code.index.RoutePass) finds what the pass in one go finds."""

from __future__ import annotations

import pytest

from stage_lsp.code.facts import ModuleFacts
from stage_lsp.code.framework import FrameworkGuess
from stage_lsp.code.index import RoutePass
from tests.code.helpers import facts_of

FILES = {
    "src/lib/http.ts": (
        "export const created = (b: unknown) => new Response(JSON.stringify(b), { status: 201 });\n"
        "export const missing = () => new Response('{}', { status: 404 });\n"
    ),
    "src/pages/api/decks.ts": (
        "import { created } from '../../lib/http';\n"
        "export const POST = async () => created({});\n"
        "export const GET = async () => new Response('[]');\n"
    ),
    "src/pages/api/decks/[id].ts": (
        "import { missing } from '../../../lib/http';\n"
        "export const GET = async ({ params }) => (params.id ? new Response('{}') : missing());\n"
    ),
    "src/server/app.ts": (
        "import { Hono } from 'hono';\nconst app = new Hono();\n"
        "app.get('/api/health', (c) => c.json({ ok: true }, 200));\nexport default app;\n"
    ),
}


def _pass(frameworks: tuple[str, ...]) -> tuple[RoutePass, list[str]]:
    guess = FrameworkGuess(frameworks[0], "test", tuple((f, "test") for f in frameworks))
    cache: dict[str, ModuleFacts] = {}
    loads: list[str] = []

    def facts(rel: str) -> ModuleFacts | None:
        loads.append(rel)
        if rel not in cache:
            cache[rel] = facts_of(rel, FILES[rel])
        return cache[rel]

    return RoutePass(list(FILES), guess, facts, lambda rel: FILES.get(rel, "")), loads


def _one_go(frameworks: tuple[str, ...]) -> object:
    guess = FrameworkGuess(frameworks[0], "test", tuple((f, "test") for f in frameworks))
    facts = lambda rel: facts_of(rel, FILES[rel])  # noqa: E731
    return RoutePass(list(FILES), guess, facts, lambda rel: FILES.get(rel, "")).finish()


def test_stepping_the_file_system_routes_then_finishing_finds_what_one_pass_finds() -> None:
    route_pass, loads = _pass(("astro", "hono"))
    stepped: list[str] = []
    while (rel := route_pass.next_file()) is not None:
        stepped.append(rel)
        route_pass.step()
    assert stepped == ["src/pages/api/decks.ts", "src/pages/api/decks/[id].ts"]
    assert "src/server/app.ts" not in loads  # the router framework waits for finish
    index = route_pass.finish()
    assert index == _one_go(("astro", "hono"))
    assert {r.key for r in index.routes} == {
        "GET /api/decks",
        "POST /api/decks",
        "GET /api/decks/{}",
        "GET /api/health",
    }


def test_a_router_framework_first_leaves_no_step_before_finish() -> None:
    route_pass, _ = _pass(("hono", "astro"))
    assert route_pass.next_file() is None  # the order of the frameworks is the pass's order
    assert route_pass.finish() == _one_go(("hono", "astro"))


def test_finish_after_some_steps_and_only_once() -> None:
    route_pass, _ = _pass(("astro",))
    route_pass.step()
    assert route_pass.next_file() == "src/pages/api/decks/[id].ts"
    assert route_pass.finish() == _one_go(("astro",))
    assert route_pass.next_file() is None
    with pytest.raises(RuntimeError):
        route_pass.finish()
