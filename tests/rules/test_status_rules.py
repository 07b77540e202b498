"""SL201-SL204 and SL211-SL213 on hand-built models."""

from __future__ import annotations

from dataclasses import replace

from stage_lsp.config.settings import Settings
from stage_lsp.core.location import Location, Range
from stage_lsp.plan.model import PlanErrorCode, PlanStatus
from stage_lsp.rules import (
    sl201_status_not_planned as sl201,
)
from stage_lsp.rules import (
    sl202_planned_status_not_returned as sl202,
)
from stage_lsp.rules import (
    sl203_success_status_differs as sl203,
)
from stage_lsp.rules import (
    sl204_status_not_allowed as sl204,
)
from stage_lsp.rules import (
    sl211_error_code_not_planned as sl211,
)
from stage_lsp.rules import (
    sl212_planned_error_code_not_returned as sl212,
)
from stage_lsp.rules import (
    sl213_error_code_status_differs as sl213,
)
from tests.rules.builders import PLAN, at, context, endpoint, route, run, where

F = "src/pages/api/x.ts"


def test_unplanned_status_is_reported_at_its_first_use() -> None:
    ctx = context(
        [endpoint("POST /api/gen", 1, statuses=[201, 400, 402])],
        [route("POST /api/gen", statuses=[(201, 20), (400, 12), (504, 23), (504, 30), (402, 22)])],
    )
    (v,) = run(sl201.RULE, ctx)
    assert (v.location.file, v.location.range.line) == (F, 23)
    assert v.message == "`POST /api/gen` returns 504, which the plan does not list (planned: 201, 400, 402)"
    assert v.related[0].location.file == PLAN


def test_status_not_planned_silent_cases() -> None:
    no_plan_statuses = context([endpoint("GET /api/x", 1)], [route("GET /api/x", statuses=[200, 404])])
    assert run(sl201.RULE, no_plan_statuses) == []
    five_hundred = context(
        [endpoint("GET /api/x", 1, statuses=[200])], [route("GET /api/x", statuses=[200, 500])]
    )
    assert run(sl201.RULE, five_hundred) == []
    catalogue = context(
        [endpoint("GET /api/x", 1, statuses=[200])],
        [route("GET /api/x", statuses=[200, 401])],
        common_statuses=(PlanStatus(401, Location(PLAN, Range(90, 0, 90, 3))),),
    )
    assert run(sl201.RULE, catalogue) == []


def test_planned_status_never_returned_needs_completeness() -> None:
    plan = [
        endpoint(
            "GET /api/cards/{id}", 1, statuses=[200, (403, 6), (404, 7), 500], codes=[("NOT_OWNER", 403, 6)]
        )
    ]
    complete = context(plan, [route("GET /api/cards/{id}", statuses=[200, 404])])
    (v,) = run(sl202.RULE, complete)
    assert (v.location.file, v.location.range.line) == (PLAN, 6)
    assert v.message == "`GET /api/cards/{id}` plans 403 (`NOT_OWNER`), which the handler never returns"
    assert run(sl212.RULE, complete) == []  # folded into SL202
    incomplete = context(plan, [route("GET /api/cards/{id}", statuses=[200, 404], complete=False)])
    assert run(sl202.RULE, incomplete) == []


def test_success_status_differs_is_one_finding() -> None:
    ctx = context(
        [endpoint("POST /api/decks", 1, statuses=[(201, 4), 400])],
        [route("POST /api/decks", statuses=[(400, 10), (200, 12)])],
    )
    (v,) = run(sl203.RULE, ctx)
    assert (v.location.file, v.location.range.line) == (F, 12)
    assert v.message == "`POST /api/decks` answers 200 on success; the plan says 201"
    assert v.related[0].location.range.line == 4
    assert run(sl201.RULE, ctx) == [] and run(sl202.RULE, ctx) == []


def test_success_alternatives_and_incomplete_handlers() -> None:
    either = context([endpoint("PUT /api/r", 1, statuses=[201, 200])], [route("PUT /api/r", statuses=[200])])
    assert run(sl203.RULE, either) == [] and run(sl202.RULE, either) == []
    unknown = context(
        [endpoint("POST /api/r", 1, statuses=[201])], [route("POST /api/r", statuses=[200], complete=False)]
    )
    assert run(sl203.RULE, unknown) == []
    assert where(run(sl201.RULE, unknown)) == [(F, 6)]  # 200 is still not planned


def test_allowed_statuses_only_when_configured() -> None:
    plan = [endpoint("GET /api/x", 1, statuses=[200, (403, 5)])]
    routes = [route("GET /api/x", statuses=[200, (418, 9), (418, 11)])]
    assert run(sl204.RULE, context(plan, routes)) == []
    ctx = context(plan, routes, settings=Settings(allowed_statuses=[200, 201, 400, 401, 404, 409, 422, 500]))
    assert where(run(sl204.RULE, ctx)) == [(PLAN, 5), (F, 9)]


def test_error_code_not_planned() -> None:
    plan = [
        endpoint(
            "POST /api/gen",
            1,
            statuses=[201, 402],
            codes=[("quota_exceeded", 402), ("AI_SERVICE_ERROR", 500)],
        )
    ]
    ctx = context(
        plan,
        [
            route(
                "POST /api/gen",
                statuses=[201, 402, 504],
                codes=[("quota_exceeded", 402, 22), ("AI_TIMEOUT", 504, 23), ("QUOTA_EXCEEDED", 402, 24)],
            )
        ],
    )
    found = run(sl211.RULE, ctx)
    assert where(found) == [(F, 23), (F, 24)]
    assert (
        found[0].message == "`POST /api/gen` returns error code `AI_TIMEOUT`, which the plan does not define"
    )
    assert "letter case" in found[1].message
    no_codes_planned = context([endpoint("GET /api/x", 1)], [route("GET /api/x", codes=[("NOPE", 404, 3)])])
    assert run(sl211.RULE, no_codes_planned) == []
    catalogue = context(
        [endpoint("GET /api/x", 1)],
        [route("GET /api/x", codes=[("UNAUTHORIZED", 401, 3)])],
        common_error_codes=(PlanErrorCode("UNAUTHORIZED", Location(PLAN, Range(80, 0, 80, 5)), 401),),
    )
    assert run(sl211.RULE, catalogue) == []


def test_planned_error_code_never_returned() -> None:
    plan = [
        endpoint(
            "POST /api/gen", 1, statuses=[201, 500], codes=[("AI_SERVICE_ERROR", 500, 9), ("BAD", 400, 8)]
        )
    ]
    routes = [route("POST /api/gen", statuses=[201, 400], codes=[("OTHER", 400, 3)])]
    found = run(sl212.RULE, context(plan, routes))
    # BAD's status 400 is produced (with another code), so the code itself is missing; 500 is always
    # possible, so AI_SERVICE_ERROR is not folded into an SL202 finding and is reported here
    assert [(v.location.range.line, v.message) for v in found] == [
        (8, "`POST /api/gen` plans error code `BAD`, which the handler never returns"),
        (9, "`POST /api/gen` plans error code `AI_SERVICE_ERROR`, which the handler never returns"),
    ]
    incomplete = [route("POST /api/gen", statuses=[201], codes=[("OTHER", 400, 3)], complete=False)]
    assert run(sl212.RULE, context(plan, incomplete)) == []


def test_error_code_with_another_status() -> None:
    plan = [endpoint("GET /api/d/{id}", 1, statuses=[404], codes=[("DECK_NOT_FOUND", 404, 5)])]
    ctx = context(plan, [route("GET /api/d/{id}", statuses=[400], codes=[("DECK_NOT_FOUND", 400, 7)])])
    (v,) = run(sl213.RULE, ctx)
    assert v.location.range.line == 7
    assert v.message == "`GET /api/d/{id}` returns `DECK_NOT_FOUND` with 400; the plan says 404"
    two = context(
        [endpoint("GET /api/d", 1)], [route("GET /api/d", codes=[("GONE", 404, 3), ("GONE", 410, 8)])]
    )
    (w,) = run(sl213.RULE, two)
    assert w.location.range.line == 8 and "with 404 and 410" in w.message
    same = context(plan, [route("GET /api/d/{id}", codes=[("DECK_NOT_FOUND", 404, 7)])])
    assert run(sl213.RULE, same) == []


def test_generic_failures_are_implied() -> None:
    plan = [
        endpoint("GET /api/decks/{id}", 1, statuses=[200]),
        endpoint("GET /api/stats", 10, statuses=[200]),
    ]
    routes_ = [
        route("GET /api/decks/{id}", statuses=[200, (401, 6), (404, 7), (400, 8), (409, 9)]),
        route("GET /api/stats", "src/pages/api/stats.ts", statuses=[200, (404, 6), (403, 7)]),
    ]
    found = run(sl201.RULE, context(plan, routes_))
    assert [(v.location.file, v.location.range.line) for v in found] == [
        ("src/pages/api/stats.ts", 6),  # 404 without a path parameter
        ("src/pages/api/stats.ts", 7),  # 403 in a plan that never uses 403
        (F, 9),  # 409: the endpoint's own case
    ]


def test_section_wide_statuses_and_codes_are_not_required_of_each_endpoint() -> None:
    shared = [endpoint("POST /api/groups", 1, statuses=[201, 409], codes=[("GROUP_LIMIT", 409)])]
    e = shared[0]
    e = e.__class__(
        **{
            **{f: getattr(e, f) for f in e.__dataclass_fields__},  # type: ignore[attr-defined]
            "statuses": tuple(
                s if s.code != 409 else s.__class__(409, s.location, shared=True) for s in e.statuses
            ),
            "error_codes": tuple(
                c.__class__(c.code, c.location, c.status, shared=True) for c in e.error_codes
            ),
        }
    )
    ctx = context([e], [route("POST /api/groups", statuses=[201], codes=[])])
    assert run(sl202.RULE, ctx) == [] and run(sl212.RULE, ctx) == []


def test_error_codes_are_checked_against_the_plans_vocabulary() -> None:
    plan = [
        endpoint("GET /api/a", 1, statuses=[200, 401], codes=[("UNAUTHENTICATED", 401)]),
        endpoint("POST /api/b", 10, statuses=[201]),
    ]
    routes_ = [
        route("GET /api/a", statuses=[200, 401], codes=[("UNAUTHENTICATED", 401, 6)]),
        route(
            "POST /api/b",
            "src/pages/api/b.ts",
            statuses=[201, 401, 400, 500],
            codes=[("UNAUTHENTICATED", 401, 4), ("BAD_MONTH", 400, 5), ("DB_FAILED", 500, 6)],
        ),
    ]
    found = run(sl211.RULE, context(plan, routes_))
    assert [(v.location.range.line, "`BAD_MONTH`" in v.message) for v in found] == [(5, True)]


def test_success_status_is_free_when_the_plan_lists_only_failures() -> None:
    ctx = context(
        [endpoint("POST /api/jobs/{id}/lock", 1, statuses=[409])],
        [route("POST /api/jobs/{id}/lock", statuses=[(200, 12), (409, 14), (418, 16)])],
    )
    (v,) = run(sl201.RULE, ctx)
    assert "returns 418" in v.message  # only the failure is compared; the 200 is as planned
    assert run(sl202.RULE, ctx) == run(sl203.RULE, ctx) == []


def test_conditional_get_answering_304_is_implied() -> None:
    ctx = context(
        [endpoint("GET /api/reports/{slug}", 1, statuses=[200, 404])],
        [route("GET /api/reports/{slug}", statuses=[200, 304, 404])],
    )
    assert run(sl201.RULE, ctx) == []
    post = context(
        [endpoint("POST /api/reports", 1, statuses=[201, 400])],
        [route("POST /api/reports", statuses=[201, (304, 9), 400])],
    )
    assert where(run(sl201.RULE, post)) == [(F, 9)]


def test_redirect_instead_of_planned_success_is_one_finding() -> None:
    ctx = context(
        [endpoint("POST /api/auth/logout", 1, statuses=[(204, 3)])],
        [route("POST /api/auth/logout", statuses=[(302, 11), 500])],
    )
    assert run(sl201.RULE, ctx) == []
    assert run(sl202.RULE, ctx) == []
    (v,) = run(sl203.RULE, ctx)
    assert (v.location.file, v.location.range.line) == (F, 11)
    assert v.message == "`POST /api/auth/logout` answers 302 on success; the plan says 204"
    # a redirect next to a 2xx is not the success status
    both = context(
        [endpoint("POST /api/auth/login", 1, statuses=[200, 401])],
        [route("POST /api/auth/login", statuses=[200, (302, 13), 401])],
    )
    assert where(run(sl201.RULE, both)) == [(F, 13)]
    assert run(sl203.RULE, both) == []


def test_conditional_statuses_and_codes_are_not_required() -> None:
    plan = endpoint(
        "DELETE /api/pets/{id}",
        1,
        statuses=[204, (404, 4), (409, 5)],
        codes=[("PET_NOT_FOUND", 404, 4), ("PET_BOOKED", 409, 5)],
    )
    optional = replace(
        plan,
        statuses=tuple(replace(s, optional=s.code == 409) for s in plan.statuses),
        error_codes=tuple(replace(c, optional=c.code == "PET_BOOKED") for c in plan.error_codes),
    )
    served = [route("DELETE /api/pets/{id}", statuses=[204, 404], codes=[("PET_NOT_FOUND", 404, 9)])]
    assert [v.message for v in run(sl202.RULE, context([plan], served))] == [
        "`DELETE /api/pets/{id}` plans 409 (`PET_BOOKED`), which the handler never returns"
    ]
    assert run(sl202.RULE, context([optional], served)) == []
    assert run(sl212.RULE, context([optional], served)) == []


def test_statuses_answered_by_middleware_count_as_produced() -> None:
    from stage_lsp.code.model import CodeStatus

    plan = [endpoint("POST /api/q", 1, statuses=[202, (429, 5), (403, 6)])]
    ctx = context(plan, [route("POST /api/q", statuses=[202])])
    assert sorted(v.location.range.line for v in run(sl202.RULE, ctx)) == [5, 6]
    around = ctx.code.__class__(
        **{**ctx.code.__dict__, "middleware_statuses": (CodeStatus(429, at("src/middleware.ts", 9)),)}
    )
    with_middleware = ctx.__class__(plan=ctx.plan, code=around, settings=ctx.settings, files=ctx.files)
    assert [v.location.range.line for v in run(sl202.RULE, with_middleware)] == [6]


def test_planned_status_never_returned_fix_removes_its_list_item(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.rules.fixing import apply, check, read, write

    plan = (
        "# API\n\n#### GET /api/cards/{id}\n\nReturns one card.\n\n**Errors:**\n"
        "- `401 Unauthorized` — `UNAUTHORIZED`\n"
        "- `403 Forbidden` — `NOT_OWNER` (the card belongs to another user)\n"
        "  - also when the deck is archived\n"
        "- `404 Not Found` — `CARD_NOT_FOUND`\n\n#### GET /api/decks\n\nLists decks.\n"
    )
    handler = (
        "export const GET = async ({ params, locals }) => {\n"
        "  if (!locals.user) return new Response(JSON.stringify({ error: { code: 'UNAUTHORIZED' } }), { status: 401 });\n"
        "  if (!params.id) return new Response(JSON.stringify({ error: { code: 'CARD_NOT_FOUND' } }), { status: 404 });\n"
        "  return new Response('{}', { status: 200 });\n};\n"
    )
    decks = "export const GET = async () => new Response('[]', { status: 200 });\n"
    root = write(
        tmp_path,
        {".ai/api-plan.md": plan, "src/pages/api/cards/[id].ts": handler, "src/pages/api/decks.ts": decks},
    )
    (found,) = check(root, "SL202")
    assert found.fix is not None and found.fix.applicability.value == "unsafe"
    assert found.fix.title == "Remove 403 from the plan of `GET /api/cards/{id}`"
    assert apply(root, found) == [".ai/api-plan.md"]
    assert read(root, ".ai/api-plan.md") == plan.replace(
        "- `403 Forbidden` — `NOT_OWNER` (the card belongs to another user)\n  - also when the deck is archived\n",
        "",
    )
    assert check(root, "SL202", "SL211", "SL212") == []


def test_no_removal_fix_when_the_item_holds_more_than_the_status() -> None:
    from stage_lsp.core.source import SourceFile
    from stage_lsp.plan.api_reader import read_api_plan

    text = (
        "# API\n\n#### POST /api/cards\n\n- Creates a card.\n"
        "- `400 Bad Request`, `422 Unprocessable Entity`: invalid body\n"
        '- `404 Not Found`:\n  ```json\n  { "error": "NOT_FOUND" }\n  ```\n'
        "- `410 Gone` — the deck was deleted\n"
    )
    (e,) = read_api_plan(SourceFile.from_text(".ai/api-plan.md", text)).endpoints
    removal = {s.code: s.removal.range if s.removal else None for s in e.statuses}
    # two statuses in one item, a body inside the item: kept; an item of its own: removable, whole lines
    assert removal == {400: None, 404: None, 410: Range(10, 0, 11, 0), 422: None}
