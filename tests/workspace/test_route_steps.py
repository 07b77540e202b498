"""The CLI's prefetch runs the route pass while it reads (workspace.route_steps, workspace.prefetch)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from stage_lsp.code.index import RoutePass
from stage_lsp.config.settings import Settings
from stage_lsp.workspace import Workspace
from stage_lsp.workspace.prefetch import can_fork, prefetch

Make = Callable[[dict[str, str]], Path]

FILES = {
    ".ai/api-plan.md": "# API\n\n#### GET /api/decks\n\n#### POST /api/decks\n",
    "src/db/database.types.ts": (
        "export type Database = { public: { Tables: { decks: { Row: { id: string; name: string } } } } };\n"
    ),
    "src/lib/http.ts": "export const created = (b: unknown) => new Response(JSON.stringify(b), { status: 201 });\n",
    "src/lib/decks.service.ts": "import { created } from './http';\nexport async function make() { return created({}); }\n",
}


def _project(make: Make, routes: int) -> Path:
    files = dict(FILES)
    for i in range(routes):
        files[f"src/pages/api/r{i}.ts"] = (
            "import { make } from '../../lib/decks.service';\n"
            "export const POST = async () => make();\nexport const GET = async () => new Response('[]');\n"
        )
    return make(files)


def _serial(root: Path) -> object:
    return Workspace(root, Settings()).code()


@pytest.mark.skipif(not can_fork(), reason="fork-based prefetch needs Linux")
def test_the_route_files_are_analysed_during_the_reads_and_code_finishes_the_pass(
    make_project: Make, stepped: list[str]
) -> None:
    root = _project(make_project, routes=10)
    serial = _serial(root)
    ws = Workspace(root, Settings())
    prefetch(ws, workers=2, min_reads=1)
    assert stepped == [f"src/pages/api/r{i}.ts" for i in range(10)]  # in the pass's order, every one
    begun = ws.begin_routes()
    assert begun is not None and begun.next_file() is None  # code() only finishes it
    assert ws.code() == serial


@pytest.mark.skipif(not can_fork(), reason="fork-based prefetch needs Linux")
def test_a_step_that_fails_leaves_the_whole_pass_to_code(
    make_project: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(make_project, routes=4)
    serial = _serial(root)
    real_step = RoutePass.step
    calls: list[int] = []

    def failing(self: RoutePass) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        real_step(self)

    monkeypatch.setattr(RoutePass, "step", failing)
    ws = Workspace(root, Settings())
    prefetch(ws, workers=2, min_reads=1)
    assert len(calls) == 2  # no step after the failure
    assert ws._route_pass is None  # dropped: code() runs the pass afresh
    assert ws.code() == serial


def test_the_pass_begins_once_the_generated_types_are_read_and_an_edit_forgets_it(make_project: Make) -> None:
    root = _project(make_project, routes=2)
    ws = Workspace(root, Settings())
    ws.begin_check()
    assert ws.files.types == "src/db/database.types.ts"
    assert ws.begin_routes() is None  # an input of the pass is not read yet
    ws.types([])
    begun = ws.begin_routes()
    assert begun is not None and ws.begin_routes() is begun
    ws.invalidate_for("src/pages/api/r0.ts")
    assert ws.begin_routes() is not begun  # begun afresh after a source changed
    ws.code()
    assert ws.begin_routes() is None  # the model is built: nothing to begin
