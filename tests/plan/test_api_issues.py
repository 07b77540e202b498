"""SL001, SL002, SL003, SL006: what the API plan reader cannot read, reported by their rules.

Each rule gets a plan that triggers it (with the exact range) and a close variant that must stay silent.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from stage_lsp.config.settings import Settings
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Violation
from stage_lsp.engine.run import context_for
from stage_lsp.rules import (
    sl001_endpoint_heading_without_method,
    sl002_conflicting_definitions,
    sl003_contradictory_statuses,
    sl006_broken_plan_link,
)
from stage_lsp.rules.base import Rule
from stage_lsp.workspace import Workspace
from tests.plan.api_helpers import PLAN

Make = Callable[[dict[str, str]], Path]


def check(make_project: Make, rule: Rule, files: dict[str, str]) -> list[Violation]:
    root = make_project(files)
    ws = Workspace(root, Settings(api_plans=[PLAN]))
    return list(rule.check(context_for(ws)))


def test_sl001_heading_with_a_path_but_no_method(make_project: Make) -> None:
    found = check(
        make_project,
        sl001_endpoint_heading_without_method.RULE,
        {
            PLAN: "# API\n\n### 2.3 `/api/flashcards/{id}`\nReturns one flashcard.\n\n### 2.4 Decks\n#### GET /api/decks\n"
        },
    )
    assert [(v.code, v.location) for v in found] == [("SL001", Location(PLAN, Range(2, 9, 2, 29)))]
    assert "no HTTP method" in found[0].message


@pytest.mark.parametrize(
    "plan",
    [
        "### /api/flashcards/{id}\n- **Method**: `GET`\n- **Path**: `/api/flashcards/{id}`\n",
        "### Meal Plans (`/api/meal-plans`)\n#### GET /api/meal-plans\n",
        "### GET /api/flashcards/{id}\n",
        "### 5. Future Enhancements\n#### /api/v2/search\n",
        "### 3.3 Create project\n[details](./specs/3.3.md)\n",
    ],
    ids=["method-field-below", "group-heading", "method-in-heading", "ideas-section", "index-entry"],
)
def test_sl001_silent_when_the_section_defines_the_endpoint(make_project: Make, plan: str) -> None:
    files = {PLAN: plan, ".ai/specs/3.3.md": "**Endpoint:** `POST /rest/v1/rpc/create`\n"}
    assert check(make_project, sl001_endpoint_heading_without_method.RULE, files) == []


def test_sl002_summary_row_with_a_different_success_status(make_project: Make) -> None:
    plan = (
        "| Method | Path | Success |\n|---|---|---|\n| POST | /api/decks | 200 |\n\n"
        "#### POST /api/decks\n- Success: `201 Created`\n- Errors: `400 Bad Request`\n"
    )
    found = check(make_project, sl002_conflicting_definitions.RULE, {PLAN: plan})
    assert [(v.code, v.location) for v in found] == [("SL002", Location(PLAN, Range(2, 2, 2, 19)))]
    assert found[0].related[0].location == Location(PLAN, Range(4, 5, 4, 20))
    assert "200 here, 201 at line 5" in found[0].message


def test_sl002_silent_when_the_copy_tells_less_or_the_same(make_project: Make) -> None:
    plan = (
        "| Method | Path | Success | Errors |\n|---|---|---|---|\n| POST | /api/decks | 201 | 409 |\n| GET | /api/decks | | |\n\n"
        "#### POST /api/decks\n- Success: `201 Created`\n- Errors: `400 Bad Request`\n\n#### GET /api/decks\n- `200 OK`\n"
        "## Validation\n#### Creating (`POST /api/decks`)\n- Error: `400 Bad Request` for an empty name\n"
    )
    assert check(make_project, sl002_conflicting_definitions.RULE, {PLAN: plan}) == []


def test_sl003_two_success_statements_that_disagree(make_project: Make) -> None:
    plan = "#### POST /api/decks\n- **Success**: `201 Created`\n- Errors: `400 Bad Request`\n- **Success**: `200 OK`\n"
    found = check(make_project, sl003_contradictory_statuses.RULE, {PLAN: plan})
    assert [(v.code, v.location) for v in found] == [("SL003", Location(PLAN, Range(3, 16, 3, 22)))]
    assert found[0].related[0].location == Location(PLAN, Range(1, 16, 1, 27))


@pytest.mark.parametrize(
    "body",
    [
        "- **Success Codes:** 201 Created (new rating) or 200 OK (updated rating)\n",
        "- Success: `201 Created`\n- Success: `201 Created` with the deck\n",
        "- Success: `200/201`\n",
        "- Response (202 Accepted): queued\n- Response (200 OK) after completion\n",
    ],
    ids=["or-alternatives", "same-status", "slash-alternatives", "response-examples"],
)
def test_sl003_silent_for_alternatives_and_agreeing_statements(make_project: Make, body: str) -> None:
    files = {PLAN: "#### POST /api/ratings\n" + body}
    assert check(make_project, sl003_contradictory_statuses.RULE, files) == []


def test_sl006_broken_link_to_a_linked_plan_file(make_project: Make) -> None:
    plan = "### 3.3 Create Project\n\n[See details →](./specs/3.3-create.md)\n"
    found = check(make_project, sl006_broken_plan_link.RULE, {PLAN: plan})
    assert [(v.code, v.location) for v in found] == [("SL006", Location(PLAN, Range(2, 0, 2, 38)))]
    assert "not found" in found[0].message


def test_sl006_silent_when_the_linked_file_exists(make_project: Make) -> None:
    files = {
        PLAN: "### 3.3 Create Project\n\n[See details →](./specs/3.3-create.md)\n",
        ".ai/specs/3.3-create.md": "**Endpoint:** `POST /rest/v1/rpc/create_project`\n",
    }
    assert check(make_project, sl006_broken_plan_link.RULE, files) == []
