"""Framework detection, the `framework` override, SL106, and re-reading only what changed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from stage_lsp.code.framework import detect_framework
from stage_lsp.config.discovery import discover
from stage_lsp.config.settings import Settings
from stage_lsp.workspace import Workspace
from tests.conftest import CliResult

Make = Callable[[dict[str, str]], Path]
Cli = Callable[..., CliResult]


def _pkg(*deps: str) -> str:
    return json.dumps({"dependencies": {d: "1.0.0" for d in deps}})


def guess(root: Path, **settings: object):  # type: ignore[no-untyped-def]
    s = Settings(**settings)  # type: ignore[arg-type]
    return detect_framework(root, s, discover(root, s))


def test_several_frameworks_in_one_repo(make_project: Make) -> None:
    root = make_project(
        {
            "package.json": _pkg("astro", "@supabase/supabase-js"),
            "src/pages/api/items.ts": "export const GET = () => new Response('[]');\n",
            "supabase/functions/translate/index.ts": "Deno.serve(() => new Response('ok'));\n",
            "backend/requirements.txt": "fastapi==0.110\nuvicorn\n",
        }
    )
    found = guess(root)
    assert found.name == "astro"
    assert [n for n, _ in found.all] == ["astro", "fastapi", "supabase-edge"]
    assert dict(found.all)["fastapi"] == "`fastapi` in backend/requirements.txt"


def test_next_in_a_subfolder_and_the_override(make_project: Make) -> None:
    root = make_project(
        {
            "web/package.json": _pkg("next", "react"),
            "web/src/app/api/items/route.ts": "export async function GET() { return Response.json([]); }\n",
        }
    )
    found = guess(root)
    assert found.all == (("next-app", "`next` in web/package.json and app/**/route.ts files"),)
    assert guess(root, framework="hono").names == ("hono",)


def test_folders_alone_and_nothing_supported(make_project: Make) -> None:
    assert (
        guess(make_project({"src/pages/api/x.ts": "export const GET = () => new Response('');\n"})).name
        == "astro"
    )


def test_no_route_source_is_one_info_finding(make_project: Make, cli: Cli) -> None:
    root = make_project(
        {
            ".ai/api-plan.md": "# API\n\n#### GET /api/decks\n\n#### POST /api/decks\n",
            "pom.xml": "<project/>\n",
            "frontend/package.json": _pkg("react", "react-router-dom"),
            "frontend/src/main.tsx": "export const x = 1;\n",
        }
    )
    doc = cli("--check", str(root), "--output-format", "json").json()
    found = [(d["code"], d["file"], d["line"]) for d in doc["diagnostics"]]  # type: ignore[index]
    assert found == [("SL106", ".ai/api-plan.md", 1)]
    message = doc["diagnostics"][0]["message"]  # type: ignore[index]
    assert "a Java back end (pom.xml)" in message and "a React Router app" in message


def test_an_edit_re_reads_only_that_file(make_project: Make) -> None:
    root = make_project(
        {
            "package.json": _pkg("astro"),
            "src/lib/http.ts": "export const ok = (b: unknown) => new Response(JSON.stringify(b), { status: 200 });\n",
            "src/pages/api/a.ts": 'import { ok } from "../../lib/http";\nexport const GET = () => ok([]);\n',
            "src/pages/api/b.ts": 'import { ok } from "../../lib/http";\nexport const GET = () => ok({});\n',
        }
    )
    ws = Workspace(root, Settings())
    assert {r.key: r.status_codes for r in ws.code().routes} == {"GET /api/a": (200,), "GET /api/b": (200,)}
    reads: list[str] = []
    original = ws.cached

    def counting(reader: str, rel: str, fn):  # type: ignore[no-untyped-def]
        def wrapped(src):  # type: ignore[no-untyped-def]
            reads.append(rel)
            return fn(src)

        return original(reader, rel, wrapped)

    ws.cached = counting  # type: ignore[method-assign]
    ws.overlays["src/lib/http.ts"] = (
        "export const ok = (b: unknown) => new Response(JSON.stringify(b), { status: 202 });\n"
    )
    ws.invalidate()
    assert {r.key: r.status_codes for r in ws.code().routes} == {"GET /api/a": (202,), "GET /api/b": (202,)}
    assert set(reads) == {"src/lib/http.ts"}  # by each reader that needs it (routes, secrets)
