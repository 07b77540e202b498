"""Routes kept between route passes (the language server): reused while a route file's import closure is
unchanged, recomputed when any file it reaches changes, and always equal to a full pass."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from stage_lsp.code.model import Route
from stage_lsp.config.settings import Settings
from stage_lsp.workspace import Workspace

Make = Callable[[dict[str, str]], Path]
HELPER = "src/lib/respond.ts"
FILES = {
    "package.json": '{"dependencies": {"astro": "5"}}',
    HELPER: "export const created = () => new Response(null, { status: 201 });\n",
    "src/lib/index.ts": 'export { created } from "./respond";\n',
    "src/pages/api/a.ts": 'import { created } from "../../lib";\nexport const POST = async () => created();\n',
    "src/pages/api/b.ts": 'export const GET = async () => new Response("[]", { status: 200 });\n',
}


def routes(ws: Workspace) -> list[tuple[str, tuple[int, ...]]]:
    return sorted((r.key, r.status_codes) for r in ws.code().routes)


def full_pass(root: Path, overlays: dict[str, str]) -> tuple[Route, ...]:
    ws = Workspace(root, Settings())
    for rel, text in overlays.items():
        ws.set_overlay(rel, text)
    return tuple(sorted(ws.code().routes, key=lambda r: r.key))


def test_edit_reanalyses_only_the_route_files_that_reach_it(make_project: Make) -> None:
    root = make_project(FILES)
    ws = Workspace(root, Settings())
    ws.keep_routes_between_checks()
    assert ws.route_memo is not None
    assert routes(ws) == [("GET /api/b", (200,)), ("POST /api/a", (201,))]
    memo = ws.route_memo
    assert (memo.hits, memo.misses) == (0, 2)
    edited = {HELPER: FILES[HELPER].replace("201", "202")}
    ws.set_overlay(HELPER, edited[HELPER], 2)  # reached by a.ts through a re-export
    assert routes(ws) == [("GET /api/b", (200,)), ("POST /api/a", (202,))]
    assert (memo.hits, memo.misses) == (1, 3), "b.ts kept, a.ts analysed again"
    assert tuple(sorted(ws.code().routes, key=lambda r: r.key)) == full_pass(root, edited)
    ws.set_overlay("src/pages/api/b.ts", FILES["src/pages/api/b.ts"].replace("200", "203"), 2)
    assert routes(ws) == [("GET /api/b", (203,)), ("POST /api/a", (202,))]
    assert (memo.hits, memo.misses) == (2, 4)


def test_a_new_source_file_forgets_the_memo(make_project: Make) -> None:
    root = make_project(FILES)
    ws = Workspace(root, Settings())
    ws.keep_routes_between_checks()
    routes(ws)
    (root / "src/pages/api/c.ts").write_text("export const DELETE = async () => null;\n", encoding="utf-8")
    ws.rediscover()
    assert [k for k, _ in routes(ws)] == ["DELETE /api/c", "GET /api/b", "POST /api/a"]
    assert ws.route_memo is not None and ws.route_memo.hits == 0, "module resolution may have changed"
