"""SL311-SL313 on hand-built models."""

from __future__ import annotations

from stage_lsp.code.model import CodeField
from stage_lsp.rules import (
    sl311_idempotency_key_not_read as sl311,
)
from stage_lsp.rules import (
    sl312_page_size_unbounded as sl312,
)
from stage_lsp.rules import (
    sl313_body_not_validated as sl313,
)
from tests.rules.builders import PLAN, at, context, endpoint, route, run, where

F = "src/pages/api/x.ts"


def test_idempotency_key_not_read() -> None:
    plan = [endpoint("POST /api/gen", 1, idempotency_key=at(PLAN, 3))]
    unread = context(plan, [route("POST /api/gen", headers_complete=True)])
    (v,) = run(sl311.RULE, unread)
    assert v.location.file == F and v.related[0].location.range.line == 3
    read = context(
        plan,
        [
            route(
                "POST /api/gen", headers_complete=True, headers_read=(CodeField("idempotency-key", at(F, 9)),)
            )
        ],
    )
    assert run(sl311.RULE, read) == []
    unknown = context(plan, [route("POST /api/gen", headers_complete=False)])
    assert run(sl311.RULE, unknown) == []
    not_required = context([endpoint("POST /api/gen", 1)], [route("POST /api/gen", headers_complete=True)])
    assert run(sl311.RULE, not_required) == []


def test_page_size_unbounded_or_not_read() -> None:
    plan = [endpoint("GET /api/cards", 1, limit_max=100, pagination=at(PLAN, 6))]
    limit = CodeField("limit", at("src/lib/validation.ts", 18))
    unbounded = context(
        plan, [route("GET /api/cards", query_params=(limit,), query_bounds=(("limit", None),))]
    )
    (v,) = run(sl312.RULE, unbounded)
    assert where([v]) == [("src/lib/validation.ts", 18)]
    assert "without an upper bound" in v.message and v.related[0].location.range.line == 6
    too_high = context(plan, [route("GET /api/cards", query_params=(limit,), query_bounds=(("limit", 500),))])
    assert "up to 500" in run(sl312.RULE, too_high)[0].message
    bounded = context(plan, [route("GET /api/cards", query_params=(limit,), query_bounds=(("limit", 100),))])
    assert run(sl312.RULE, bounded) == []
    never = context(plan, [route("GET /api/cards", query_params_complete=True)])
    assert "never reads the planned page size `limit`" in run(sl312.RULE, never)[0].message
    unknown = context(plan, [route("GET /api/cards")])
    assert run(sl312.RULE, unknown) == []


def test_body_not_validated() -> None:
    plan = [endpoint("POST /api/decks", 1, request=["name"])]
    bad = context(plan, [route("POST /api/decks", reads_body=True, validates_body=False)])
    assert where(run(sl313.RULE, bad)) == [(F, 5)]
    good = context(plan, [route("POST /api/decks", reads_body=True, validates_body=True)])
    unknown = context(plan, [route("POST /api/decks", reads_body=True, validates_body=None)])
    get = context(
        [endpoint("GET /api/decks", 1, request=["q"])],
        [route("GET /api/decks", reads_body=True, validates_body=False)],
    )
    assert run(sl313.RULE, good) == run(sl313.RULE, unknown) == run(sl313.RULE, get) == []
