"""SL101-SL105 on hand-built models: each rule's failing and passing cases, and the matcher's traps."""

from __future__ import annotations

from pathlib import Path

from stage_lsp.config.settings import Settings
from stage_lsp.core.location import Location, Range
from stage_lsp.plan.model import SpecEndpoint
from stage_lsp.rules import (
    sl101_planned_endpoint_missing as sl101,
)
from stage_lsp.rules import (
    sl102_route_not_planned as sl102,
)
from stage_lsp.rules import (
    sl103_method_differs as sl103,
)
from stage_lsp.rules import (
    sl104_path_differs as sl104,
)
from stage_lsp.rules import (
    sl105_base_path_applied as sl105,
)
from tests.rules.builders import PLAN, context, endpoint, route, run, where
from tests.rules.fixing import apply, check, read, write


def codes_of(ctx) -> dict[str, list[tuple[str, int]]]:  # type: ignore[no-untyped-def]
    return {r.RULE.code: where(run(r.RULE, ctx)) for r in (sl101, sl102, sl103, sl104, sl105)}


def test_exact_match_is_silent_and_parameter_names_do_not_matter() -> None:
    ctx = context([endpoint("GET /api/decks/{deckId}", 3)], [route("GET /api/decks/[id]")])
    assert codes_of(ctx) == {"SL101": [], "SL102": [], "SL103": [], "SL104": [], "SL105": []}


def test_missing_and_unplanned() -> None:
    ctx = context(
        [endpoint("GET /api/decks", 3), endpoint("DELETE /api/decks/{id}", 9)],
        [
            route("GET /api/decks", "src/pages/api/decks/index.ts"),
            route("GET /api/export", "src/pages/api/export.ts", 7),
        ],
    )
    (missing,) = run(sl101.RULE, ctx)
    assert missing.location.file == PLAN and missing.location.range.line == 9
    assert missing.message == "Planned endpoint `DELETE /api/decks/{id}` has no route in the code"
    assert [r.location.file for r in missing.related] == ["src/pages/api/decks/[id].ts"]
    (extra,) = run(sl102.RULE, ctx)
    assert extra.location.file == "src/pages/api/export.ts"
    assert extra.message == "Route `GET /api/export` is not in the API plan (.ai/api-plan.md)"


def test_external_optional_future_and_later_stage_are_never_missing() -> None:
    ctx = context(
        [
            endpoint("POST /auth/v1/signup", 1, external=True),
            endpoint("GET /api/search", 2, optional=True),
            endpoint("GET /api/calendar", 3, post_mvp=True),
            endpoint("GET /api/stats", 4, stage=3),
            endpoint("GET /api/decks", 5, stage=2),
        ],
        [route("GET /api/search")],
        current_stage=2,
    )
    assert where(run(sl101.RULE, ctx)) == [(PLAN, 5)]
    assert run(sl102.RULE, ctx) == []  # a served optional endpoint is still planned
    later = context(
        [endpoint("GET /api/stats", 4, stage=3)],
        [route("GET /api/a/b/c")],
        settings=Settings(stage=3),
        current_stage=2,
    )
    assert where(run(sl101.RULE, later)) == [(PLAN, 4)]  # `stage` in the config wins


def test_no_route_source_or_no_plan_endpoints_means_silence() -> None:
    ctx = context([endpoint("GET /api/decks", 3)], [])
    ctx = ctx.__class__(
        plan=ctx.plan, code=ctx.code.__class__(framework="none"), settings=ctx.settings, files=ctx.files
    )
    assert run(sl101.RULE, ctx) == []
    assert run(sl102.RULE, context([], [route("GET /api/x")])) == []


def test_all_export_and_catch_all_serve_planned_endpoints() -> None:
    ctx = context(
        [endpoint("PATCH /api/items/{id}", 1), endpoint("GET /api/files/{bucket}/{name}", 2)],
        [route("ALL /api/items/[id]"), route("GET /api/files/[...path]", "src/pages/api/files/[...path].ts")],
    )
    assert run(sl101.RULE, ctx) == [] and run(sl102.RULE, ctx) == []


def test_stub_405_is_not_an_implementation() -> None:
    ctx = context([endpoint("PUT /api/decks/{id}", 3)], [route("PUT /api/decks/{id}", stub_405=True)])
    assert where(run(sl101.RULE, ctx)) == [(PLAN, 3)]
    assert run(sl102.RULE, ctx) == [] and run(sl103.RULE, ctx) == []


def test_method_drift_is_one_finding() -> None:
    ctx = context(
        [endpoint("PUT /api/flashcards/{id}", 7), endpoint("GET /api/flashcards/{id}", 3)],
        [route("PATCH /api/flashcards/[id]", line=16), route("GET /api/flashcards/[id]", line=9)],
    )
    (drift,) = run(sl103.RULE, ctx)
    assert drift.location.range.line == 16
    assert (
        drift.message
        == "Route serves `PATCH /api/flashcards/{id}`, but the plan defines `PUT /api/flashcards/{id}`"
    )
    assert drift.related[0].location.range.line == 7
    assert run(sl101.RULE, ctx) == [] and run(sl102.RULE, ctx) == []


def test_method_drift_needs_one_candidate_each_side() -> None:
    ctx = context(
        [endpoint("PUT /api/x/{id}", 1), endpoint("DELETE /api/x/{id}", 2)],
        [route("PATCH /api/x/{id}")],
    )
    assert run(sl103.RULE, ctx) == []
    assert len(run(sl101.RULE, ctx)) == 2 and len(run(sl102.RULE, ctx)) == 1


def test_path_drift_when_unambiguous() -> None:
    ctx = context(
        [endpoint("POST /api/commands/process", 4)], [route("POST /api/process", "src/pages/api/process.ts")]
    )
    (drift,) = run(sl104.RULE, ctx)
    assert "looks like planned `POST /api/commands/process`" in drift.message
    assert run(sl101.RULE, ctx) == [] and run(sl102.RULE, ctx) == []
    ambiguous = context(
        [endpoint("POST /api/commands/process", 4), endpoint("POST /api/jobs/process", 5)],
        [route("POST /api/process")],
    )
    assert run(sl104.RULE, ambiguous) == []
    parameter_only = context([endpoint("GET /api/x/{id}/y", 1)], [route("GET /api/x/y")])
    assert run(sl104.RULE, parameter_only) == []  # a parameter added or removed is not a renamed segment


def test_base_path_detected_once_and_applied() -> None:
    plan = [
        endpoint("GET /flashcards", 3),
        endpoint("POST /flashcards", 5),
        endpoint("GET /decks/{id}", 7),
        endpoint("DELETE /decks/{id}", 9),
    ]
    routes = [route("GET /api/flashcards"), route("POST /api/flashcards"), route("GET /api/decks/[id]")]
    ctx = context(plan, routes)
    (missing,) = run(sl101.RULE, ctx)
    assert missing.location.range.line == 9
    assert missing.message.endswith("(expected at `/api/decks/{id}`)")
    assert run(sl102.RULE, ctx) == []
    (info,) = run(sl105.RULE, ctx)
    assert info.severity.value == "info"
    assert "served under `/api`" in info.message and "3 endpoints matched" in info.message


def test_declared_base_url_is_used_and_located() -> None:
    base_line = Location(PLAN, Range(1, 0, 1, 20))
    ctx = context(
        [endpoint("GET /reports", 3)],
        [route("GET /api/v1/reports")],
        base_path="/api/v1",
        base_path_location=base_line,
    )
    assert run(sl101.RULE, ctx) == [] and run(sl102.RULE, ctx) == []
    (info,) = run(sl105.RULE, ctx)
    assert info.location == base_line and "declares" in info.message


def test_no_base_path_when_paths_already_match() -> None:
    ctx = context([endpoint("GET /api/decks", 3)], [route("GET /api/decks")])
    assert run(sl105.RULE, ctx) == []


def test_a_single_coincidental_prefix_is_not_a_base_path() -> None:
    plan = [endpoint(f"GET /things{i}", i) for i in range(6)]
    routes = [route("GET /api/things0")] + [route(f"GET /api/other{i}") for i in range(5)]
    ctx = context(plan, routes)
    assert run(sl105.RULE, ctx) == []


def test_read_and_write_methods_are_never_paired() -> None:
    ctx = context([endpoint("POST /api/x/{id}/cards", 3)], [route("GET /api/x/{id}/cards")])
    assert run(sl103.RULE, ctx) == []
    assert len(run(sl101.RULE, ctx)) == 1 and len(run(sl102.RULE, ctx)) == 1


def test_sl102_offers_to_add_the_endpoint_to_the_plan() -> None:
    from stage_lsp.core.location import Location, Range

    def section(line: int, end: int) -> Location:
        return Location(PLAN, Range(line, 0, end, 0))

    plan = [
        endpoint("GET /api/decks", 3, section=section(3, 10)),
        endpoint("GET /api/cards", 11, section=section(11, 20)),
        endpoint("DELETE /api/cards/{id}", 21, section=section(21, 30)),
        endpoint("GET /api/users", 31, section=section(31, 40)),
    ]
    served = [
        route("GET /api/decks"),
        route("GET /api/cards"),
        route("DELETE /api/cards/{id}"),
        route("GET /api/users"),
        route("GET /api/cards/export", "src/pages/api/cards/export.ts", statuses=[200, 500]),
    ]
    (v,) = run(sl102.RULE, context(plan, served))
    assert v.fix is not None and v.fix.title == "Add `GET /api/cards/export` to .ai/api-plan.md"
    (edit,) = v.fix.edits
    assert edit.location.range.line == 30  # type: ignore[union-attr]  # after the last /api/cards section
    assert edit.new_text.startswith("\n\n#### GET /api/cards/export\n")  # type: ignore[union-attr]  # after its last line
    assert "- `500 Internal Server Error`" in edit.new_text  # type: ignore[union-attr]


def test_path_drift_needs_the_same_resource_name() -> None:
    spelled = context([endpoint("GET /api/flash-cards/{id}", 1)], [route("GET /api/flashcards/[id]")])
    assert len(run(sl104.RULE, spelled)) == 1
    plural = context([endpoint("GET /api/user/profile", 1)], [route("GET /api/users/profile")])
    assert len(run(sl104.RULE, plural)) == 1
    different = context([endpoint("GET /api/tags", 1)], [route("GET /api/notes")])
    assert run(sl104.RULE, different) == []
    assert len(run(sl101.RULE, different)) == 1 and len(run(sl102.RULE, different)) == 1


def test_a_route_that_only_redirects_is_navigation_not_an_unplanned_endpoint() -> None:
    ctx = context(
        [endpoint("GET /api/decks", 3)],
        [
            route("GET /api/decks", "src/pages/api/decks.ts"),
            route("GET /auth/callback", "src/app/auth/callback/route.ts", statuses=[307]),
            route("GET /api/auth/logout", "src/pages/api/auth/logout.ts", statuses=[302, 500]),
            route("POST /api/auth/login", "src/pages/api/auth/login.ts", 4, statuses=[302, 400]),
            route("GET /api/go", "src/pages/api/go.ts", 6, statuses=[302], complete=False),
        ],
    )
    assert where(run(sl102.RULE, ctx)) == [("src/pages/api/auth/login.ts", 4), ("src/pages/api/go.ts", 6)]


def test_an_app_route_wrapping_an_endpoint_the_plan_says_supabase_serves_is_planned() -> None:
    ctx = context(
        [
            endpoint("GET /api/decks", 3),
            endpoint("POST /auth/login", 8, external=True),  # "managed by Supabase Auth"
            endpoint("POST /auth/v1/signup", 9, external=True),  # a real Supabase path
        ],
        [
            route("GET /api/decks", "src/pages/api/decks.ts"),
            route("POST /api/auth/login", "src/pages/api/auth/login.ts"),
            route("GET /api/auth/login", "src/pages/api/auth/login.ts", 9),
            route("POST /api/auth/v1/signup", "src/pages/api/auth/v1/signup.ts", 2),
        ],
    )
    assert where(run(sl102.RULE, ctx)) == [
        ("src/pages/api/auth/login.ts", 9),
        ("src/pages/api/auth/v1/signup.ts", 2),
    ]
    assert run(sl101.RULE, ctx) == []


def test_routes_a_supplementary_spec_names_are_planned() -> None:
    spec = (
        SpecEndpoint("POST /session/start", Location(".ai/auth-spec.md", Range(4, 2, 4, 22))),
        SpecEndpoint("GET /api/session/callback", Location(".ai/auth-spec.md", Range(9, 2, 9, 27))),
    )
    ctx = context(
        [endpoint("GET /decks", 3), endpoint("POST /decks", 5)],
        [
            route("GET /api/decks", "src/pages/api/decks.ts"),
            route("POST /api/decks", "src/pages/api/decks.ts", 9),
            route("POST /api/session/start", "src/pages/api/session/start.ts"),
            route("GET /api/session/callback", "src/pages/api/session/callback.ts"),
            route("POST /api/session/end", "src/pages/api/session/end.ts"),
        ],
        spec_endpoints=spec,
    )
    # the spec's paths get the project's base path like the plan's; an endpoint it does not name is unplanned
    assert where(run(sl102.RULE, ctx)) == [("src/pages/api/session/end.ts", 5)]
    assert run(sl101.RULE, ctx) == []  # a spec's endpoints are never "missing"


def test_a_handler_answering_any_method_is_one_finding() -> None:
    methods = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
    wild = [
        route(f"{m} /functions/v1/generate", "supabase/functions/generate/index.ts", 20, wildcard_method=True)
        for m in methods
    ]
    (v,) = run(sl102.RULE, context([endpoint("GET /api/other", 1)], [*wild, route("GET /api/other")]))
    assert v.message == "Route `/functions/v1/generate` (any method) is not in the API plan (.ai/api-plan.md)"
    planned = context([endpoint("POST /functions/v1/generate", 1)], wild)
    assert run(sl102.RULE, planned) == [] and run(sl101.RULE, planned) == []


def test_sl102_offers_no_plan_section_the_plan_reader_would_not_read(tmp_path: Path) -> None:
    """`#### GET /` is no endpoint to the plan reader: adding it would leave the finding (and `--fix` would
    add it again on every pass)."""
    main = (
        "from fastapi import FastAPI\napp = FastAPI()\n\n"
        '@app.get("/decks")\ndef decks():\n    return []\n\n'
        '@app.get("/")\ndef root():\n    return {}\n\n'
        '@app.get("/health")\ndef health():\n    return {}\n'
    )
    files = {"package.json": "{}\n", "requirements.txt": "fastapi\n", "main.py": main}
    root = write(tmp_path, {**files, ".ai/api-plan.md": "# API\n\n#### GET /decks\n\nLists.\n"})
    fixes = {v.message: v.fix.title if v.fix else None for v in check(root, "SL102")}
    assert fixes == {
        "Route `GET /` is not in the API plan (.ai/api-plan.md)": None,
        "Route `GET /health` is not in the API plan (.ai/api-plan.md)": "Add `GET /health` to .ai/api-plan.md",
    }


def test_sl102_plan_section_is_read_back_with_every_error_code(tmp_path: Path) -> None:
    """After the fix, the endpoint is planned with the codes the handler answers: no SL102, no SL211."""
    route = """\
import type { APIRoute } from "astro";

export const prerender = false;

const fail = (code: string, status: number) => new Response(JSON.stringify({ error: { code } }), { status });

export const POST: APIRoute = async ({ request, locals }) => {
  if (!locals.user) return fail("UNAUTHORIZED", 401);
  const body = await request.json();
  if (!body.email) return fail("MISSING_EMAIL", 400);
  if (!body.email.includes("@")) return fail("INVALID_EMAIL", 400);
  return new Response("{}", { status: 200 });
};
"""
    plan = "# API\n\n#### GET /api/decks\n\nLists.\n\n**Errors:**\n- `401 Unauthorized` — `UNAUTHORIZED`\n"
    root = write(tmp_path, {".ai/api-plan.md": plan, "src/pages/api/email.ts": route})
    (unplanned,) = check(root, "SL102")
    apply(root, unplanned)
    text = read(root, ".ai/api-plan.md")
    assert "- `400 Bad Request` — `INVALID_EMAIL`\n- `400 Bad Request` — `MISSING_EMAIL`\n" in text
    assert [v.code for v in check(root, "SL102", "SL201", "SL211")] == []
