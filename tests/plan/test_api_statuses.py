"""Statuses, error codes and success codes in every notation of FORMATS.md, and the numbers that are not."""

from __future__ import annotations

import pytest

from stage_lsp.core.location import Location, Range
from stage_lsp.plan.model import PlanErrorCode, PlanStatus
from tests.plan.api_helpers import PLAN, one, read


def statuses_of(body: str) -> tuple[int, ...]:
    return one(read("#### POST /api/things\n" + body), "POST /api/things").status_codes


def codes_of(body: str) -> list[tuple[str, int | None]]:
    e = one(read("#### POST /api/things\n" + body), "POST /api/things")
    return [(c.code, c.status) for c in e.error_codes]


def test_reason_phrases_in_status_lists_with_exact_locations() -> None:
    doc = read(
        "#### POST /api/questions\n"
        "- **Success Codes**:\n"
        "  - `201 Created`: stored\n"
        "- **Error Codes**:\n"
        "  - `400 Bad Request`: invalid length\n"
        "  - `422 Unprocessable Entity`: upstream error\n"
    )
    e = one(doc, "POST /api/questions")
    assert e.statuses == (
        PlanStatus(201, Location(PLAN, Range(2, 5, 2, 16))),
        # an error status that is a list item of its own: its lines, to remove it (SL202's fix)
        PlanStatus(400, Location(PLAN, Range(4, 5, 4, 20)), removal=Location(PLAN, Range(4, 0, 5, 0))),
        PlanStatus(422, Location(PLAN, Range(5, 5, 5, 29)), removal=Location(PLAN, Range(5, 0, 6, 0))),
    )
    assert e.statuses_location == Location(PLAN, Range(2, 5, 5, 29))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("- Success: 200 OK\n- Errors: 401; 404 (if setup incomplete)\n", (200, 401, 404)),
        ("- Response (201): { userId: UUID }\n", (201,)),
        ("- **Response 200**\n", (200,)),
        ("- Odpowiedź 200:\n  ```json\n  {}\n  ```\n- Błędy: 401, 403\n", (200, 401, 403)),
        ("- Kody powodzenia: 201 Created.\n- Kody błędów: 401 Unauthorized.\n", (201, 401)),
        (
            "- **Sukces**: `201 Created`\n- **Błędy**: `400 Bad Request`, `401 Unauthorized`\n",
            (201, 400, 401),
        ),
        ("- Status Codes: 204 No Content, 404 Not Found\n", (204, 404)),
        ("**Success Response:**\n- **Code:** 200 OK\n", (200,)),
        ("- Errors: 400 invalid input, 409 email exists\n", (400, 409)),
        ("**Success Codes:** 201 Created (new rating) or 200 OK (updated rating)\n", (200, 201)),
        ("**Response (200 OK/201 Created)**\n", (200, 201)),
        ("- Errors: 400/422 invalid, 502/504 (upstream error/timeout)\n", (400, 422, 502, 504)),
        ("Errors\n- 401, 403 (cross-user access), 404 suggestion not found\n", (401, 403, 404)),
        ("- Errors: 403 user mismatch, 404 item not found\n", (403, 404)),
        ("Returns 202 Accepted while the job runs.\n", (202,)),
        ("```http\nHTTP/1.1 201 Created\n```\n", (201,)),
    ],
    ids=[
        "labels",
        "response-parens",
        "response-bold",
        "polish-odpowiedz-bledy",
        "polish-kody",
        "polish-sukces",
        "status-codes-line",
        "code-field",
        "errors-with-words",
        "or-alternatives",
        "slash-alternatives",
        "slash-pairs",
        "list-under-label",
        "singular-nouns",
        "prose-with-reason",
        "http-status-line",
    ],
)
def test_status_notations(body: str, expected: tuple[int, ...]) -> None:
    assert statuses_of(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "- Request: `text` (max 500 characters)\n",
        '- Response: `{ "position": 200 }`\n',
        '```json\n{ "position": 200, "status": 404 }\n```\n',
        "- Created at 2025-10-01T12:34:56Z, window 10:30-12:45\n",
        "- Rate limit: 100 requests/min, 300/hour\n",
        "- `limit` (optional, default 20, max: 100)\n",
        "- Errors: card limit reached (100)\n",
        "- `name`: 1-200 characters, `price` 2.500 PLN\n",
        "- Response time under 500ms for 200 items\n",
    ],
    ids=[
        "characters",
        "inline-json",
        "fenced-json",
        "dates-times",
        "rates",
        "max",
        "parenthesised",
        "ranges",
        "units",
    ],
)
def test_numbers_that_are_not_statuses(body: str) -> None:
    assert statuses_of(body) == ()


def test_table_success_and_error_columns() -> None:
    doc = read(
        "| Method | Path | Success | Error |\n|---|---|---|---|\n"
        "| GET | `/api/servers` | 200 → `ServerList` | 401, 500 |\n"
        "| POST | `/api/servers` | 201 → `Server` | 400 (validation), 409 (exists) |\n"
    )
    assert one(doc, "GET /api/servers").status_codes == (200, 401, 500)
    assert one(doc, "POST /api/servers").status_codes == (201, 400, 409)


def test_per_endpoint_error_table_gives_statuses_and_codes() -> None:
    e = one(
        read(
            "#### POST /api/auth/register\n\n| Status | Code | Description |\n|---|---|---|\n"
            "| 409 | `EMAIL_ALREADY_EXISTS` | Email is already registered |\n| 400 | `VALIDATION_ERROR` | Bad input |\n"
        ),
        "POST /api/auth/register",
    )
    assert e.status_codes == (400, 409)
    assert [(c.code, c.status) for c in e.error_codes] == [
        ("EMAIL_ALREADY_EXISTS", 409),
        ("VALIDATION_ERROR", 400),
    ]
    assert e.error_codes[0].location == Location(PLAN, Range(4, 9, 4, 29))


def test_upper_snake_codes_success_codes_and_their_statuses() -> None:
    e = one(
        read(
            "- **POST `/api/household-members`**\n"
            "  - Success: 201 Created — `MEMBER_CREATED`.\n"
            "  - Errors: 400 `INVALID_FULL_NAME`; 409 `MEMBER_NAME_CONFLICT` (case-insensitive).\n"
        ),
        "POST /api/household-members",
    )
    assert e.success_codes == ("MEMBER_CREATED",)
    assert e.error_codes == (
        PlanErrorCode("INVALID_FULL_NAME", Location(PLAN, Range(2, 17, 2, 34)), 400),
        PlanErrorCode("MEMBER_NAME_CONFLICT", Location(PLAN, Range(2, 42, 2, 62)), 409),
    )


def test_single_word_and_lower_snake_codes_right_after_a_status() -> None:
    assert codes_of("- Errors: 401 `UNAUTHENTICATED`; 404 not_found; 409 unique_violation\n") == [
        ("UNAUTHENTICATED", 401),
        ("not_found", 404),
        ("unique_violation", 409),
    ]
    assert codes_of(
        "- `401 Unauthorized` — `UNAUTHORIZED`\n- `402 Payment Required` — `quota_exceeded`\n"
    ) == [
        ("UNAUTHORIZED", 401),
        ("quota_exceeded", 402),
    ]


def test_a_reason_phrase_in_a_code_span_of_its_own_is_a_code() -> None:
    body = "- `401` — `UNAUTHORIZED`\n- `403`: `FORBIDDEN` — not the owner\n- `409` `Conflict`\n"
    assert codes_of(body) == [("UNAUTHORIZED", 401), ("FORBIDDEN", 403)]
    e = one(read("#### POST /api/things\n" + body), "POST /api/things")
    assert e.error_codes[0].location.range == Range(1, 11, 1, 23)
    # in the status's own span, or without code spans, capitals are the reason phrase
    assert codes_of("- `401 UNAUTHORIZED`\n- 403 FORBIDDEN\n") == []


def test_words_after_a_status_that_start_a_sentence_are_not_codes() -> None:
    assert codes_of("- `400 Bad Request`: `press_review_id` missing or not owned\n- 401 unauthorized\n") == []


def test_section_level_errors_line_lists_upper_snake_codes() -> None:
    assert codes_of("Errors: GROUP_LIMIT_REACHED, DATE_RANGE_INVALID.\n") == [
        ("GROUP_LIMIT_REACHED", None),
        ("DATE_RANGE_INVALID", None),
    ]


def test_placeholders_and_reason_phrases_are_not_codes() -> None:
    body = (
        '- Errors: `{ "error": { "code": "<UPPER_SNAKE>" } }`\n'
        '**404 Not Found:**\n```json\n{ "error": { "code": "ERROR_CODE", "message": "Not Found" } }\n```\n'
        '**409 Conflict:**\n```json\n{ "error": "Conflict" }\n```\n'
    )
    assert codes_of(body) == []


def test_codes_in_error_bodies_but_not_in_success_bodies() -> None:
    body = (
        '**Response (200 OK):**\n```json\n[{ "id": 5, "code": "paper_pencil", "error_code": null }]\n```\n'
        "**Error Responses:**\n- `429 Too Many Requests`: rate limit\n"
        '  ```json\n  { "error": "rate_limit_exceeded", "retry_after": 45 }\n  ```\n'
        '**Fan-out incomplete:**\n```json\n{ "error": { "code": 500, "details": { "error_code": "FANOUT_INCOMPLETE" } } }\n```\n'
    )
    assert [c for c, _ in codes_of(body)] == ["rate_limit_exceeded", "FANOUT_INCOMPLETE"]


def test_enum_values_of_the_plan_are_not_error_codes() -> None:
    doc = read(
        '#### GET /api/me\n```json\n{ "role": "ADMIN | PLANNER | READ_ONLY" }\n```\n\n'
        "#### PATCH /api/orders/{id}\n- Errors: `403 Forbidden` (READ_ONLY), `409 Conflict` (ORDER_LOCKED)\n"
    )
    assert [c.code for c in one(doc, "PATCH /api/orders/{}").error_codes] == ["ORDER_LOCKED"]


def test_a_declared_error_code_vocabulary_reads_codes_written_like_reason_phrases() -> None:
    plan = (
        '## Conventions\n```json\n{ "error": { "code": "string", // e.g. ValidationError, NotFound, Conflict\n'
        '  "message": "string" } }\n```\n\n'
        "#### GET /api/profile\n- Błędy: 401, 404 NotFound (no profile)\n\n"
        "#### POST /api/plans\n- Błędy: 400 ValidationError, 409 Conflict (unique name), 422 Unprocessable\n"
    )
    doc = read(plan)
    assert [(c.code, c.status) for c in one(doc, "GET /api/profile").error_codes] == [("NotFound", 404)]
    assert [c.code for c in one(doc, "POST /api/plans").error_codes] == ["ValidationError", "Conflict"]
    without_vocabulary = read("#### POST /api/plans\n- Errors: 409 Conflict (unique name)\n")
    assert one(without_vocabulary, "POST /api/plans").error_codes == ()


def test_the_declared_error_code_vocabulary_is_the_api_wide_catalogue() -> None:
    plan = (
        "## Conventions\n```json\n"
        '{ "error": { "code": "string", // np. BadInput, Throttled, UpstreamDown\n'
        '  "message": "string" } }\n```\n\n'
        "#### POST /api/things\n- Errors: 400 BadInput\n"
    )
    doc = read(plan)
    declared = {c.code: c.location.range for c in doc.common_error_codes}
    assert set(declared) == {"BadInput", "Throttled", "UpstreamDown"}
    assert declared["Throttled"] == Range(2, 48, 2, 57)
    listed = read('```json\n{ "code": "NO_SEAT | SEAT_TAKEN" }\n```\n#### GET /api/seats\n')
    assert [c.code for c in listed.common_error_codes] == ["NO_SEAT", "SEAT_TAKEN"]


def test_statuses_and_codes_stated_as_conditional_are_marked_optional() -> None:
    doc = read(
        "#### DELETE /api/pets/{id}\n"
        "- Errors: 404 `PET_NOT_FOUND`; 409 `PET_BOOKED` (optional guard when the pet has visits).\n\n"
        "#### POST /api/pets\n"
        "- Errors: 400 `BAD_NAME`; 400 `NO_OWNER` (if the business rule requires); 409 `DUPLICATE`.\n"
    )
    delete = one(doc, "DELETE /api/pets/{}")
    assert [(s.code, s.optional) for s in delete.statuses] == [(404, False), (409, True)]
    assert [(c.code, c.optional) for c in delete.error_codes] == [
        ("PET_NOT_FOUND", False),
        ("PET_BOOKED", True),
    ]
    post = one(doc, "POST /api/pets")
    assert [(c.code, c.optional) for c in post.error_codes] == [
        ("BAD_NAME", False),
        ("NO_OWNER", True),
        ("DUPLICATE", False),
    ]
