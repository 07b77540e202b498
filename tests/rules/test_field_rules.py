"""SL301-SL306 on hand-built models, and the rename heuristics."""

from __future__ import annotations

import pytest

from stage_lsp.rules import (
    sl301_request_field_missing as sl301,
)
from stage_lsp.rules import (
    sl302_request_field_not_planned as sl302,
)
from stage_lsp.rules import (
    sl303_request_field_renamed as sl303,
)
from stage_lsp.rules import (
    sl304_response_field_missing as sl304,
)
from stage_lsp.rules import (
    sl305_response_field_not_planned as sl305,
)
from stage_lsp.rules import (
    sl306_response_field_renamed as sl306,
)
from stage_lsp.rules._fields import antonym_change, similar
from tests.rules.builders import PLAN, context, endpoint, route, run, where

F = "src/pages/api/x.ts"


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ("deck_id", "deckId", True),
        ("account_ids", "accountIds", True),
        ("received_at", "recieved_at", True),
        ("isVisible", "isHidden", True),
        ("front", "back", False),
        ("id", "ids", False),
        ("name", "title", False),
        ("user_id", "deck_id", False),
    ],
)
def test_similarity(a: str, b: str, close: bool) -> None:
    assert similar(a, b) is close


def test_antonyms_are_changes_of_meaning() -> None:
    assert antonym_change("isVisible", "isHidden")
    assert antonym_change("min_price", "max_price")
    assert not antonym_change("deck_id", "deckId")


def test_request_rename_missing_and_extra() -> None:
    plan = [endpoint("POST /api/cards", 1, request=["front", "back", "deck_id", "source"])]
    served = [route("POST /api/cards", request=["front", "back", "deckId", "tags"])]
    ctx = context(plan, served)
    (renamed,) = run(sl303.RULE, ctx)
    assert renamed.location.file == F and renamed.location.range.line == 37
    assert renamed.message == "`POST /api/cards` request: field `deckId` is planned as `deck_id`"
    assert renamed.related[0].location.file == PLAN
    (missing,) = run(sl301.RULE, ctx)
    assert missing.location.file == PLAN and "`source` is not accepted" in missing.message
    (extra,) = run(sl302.RULE, ctx)
    assert extra.location.range.line == 38 and "`tags` is not in the plan" in extra.message


def test_ambiguous_renames_are_reported_as_missing_and_extra() -> None:
    plan = [endpoint("POST /api/x", 1, request=["user_id", "user_ids"])]
    ctx = context(plan, [route("POST /api/x", request=["userId"])])
    assert run(sl303.RULE, ctx) == []
    assert len(run(sl301.RULE, ctx)) == 2 and len(run(sl302.RULE, ctx)) == 1


def test_fields_are_compared_only_when_both_sides_are_known() -> None:
    plan = [endpoint("POST /api/x", 1, request=["a", "b"])]
    incomplete = context(plan, [route("POST /api/x", request=["a"], fields_complete=False)])
    assert run(sl301.RULE, incomplete) == []
    unknown = context(plan, [route("POST /api/x")])
    assert run(sl301.RULE, unknown) == []
    nothing_planned = context([endpoint("POST /api/x", 1)], [route("POST /api/x", request=["a"])])
    assert run(sl302.RULE, nothing_planned) == []


def test_partial_plan_bodies_do_not_make_extras() -> None:
    plan = [endpoint("GET /api/x", 1, response=["id", "name"], response_fields_partial=True)]
    ctx = context(plan, [route("GET /api/x", response=["id", "name", "created_at"])])
    assert run(sl305.RULE, ctx) == []
    full = context(
        [endpoint("GET /api/x", 1, response=["id", "name"])],
        [route("GET /api/x", response=["id", "name", "created_at"])],
    )
    assert where(run(sl305.RULE, full)) == [(F, 67)]


def test_response_missing_and_renamed_meaning() -> None:
    plan = [endpoint("GET /api/x", 1, response=["id", "isVisible", "accepted_count"])]
    ctx = context(plan, [route("GET /api/x", response=["id", "isHidden"])])
    (changed,) = run(sl306.RULE, ctx)
    assert (
        changed.message
        == "`GET /api/x` response: field `isHidden` replaces planned `isVisible` (a different meaning, not a typo)"
    )
    (missing,) = run(sl304.RULE, ctx)
    assert "planned field `accepted_count` is not returned" in missing.message


def test_all_match_is_silent() -> None:
    plan = [endpoint("POST /api/x", 1, request=["a", "b_c"], response=["id"])]
    ctx = context(plan, [route("POST /api/x", request=["b_c", "a"], response=["id"])])
    for rule in (sl301, sl302, sl303, sl304, sl305, sl306):
        assert run(rule.RULE, ctx) == []
