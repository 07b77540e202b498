"""Where the plan takes a new body key or error status (`PlanEndpoint.request_insert`, `response_insert`,
`status_insert`): written like its neighbours, or nowhere when the place is ambiguous."""

from __future__ import annotations

from stage_lsp.core.source import SourceFile
from stage_lsp.core.text import LineIndex
from stage_lsp.plan.api_reader import read_api_plan
from stage_lsp.plan.model import PlanEndpoint, PlanInsertion

REL = ".ai/api-plan.md"


def endpoint(text: str) -> PlanEndpoint:
    (e,) = read_api_plan(SourceFile.from_text(REL, text)).endpoints
    return e


def add(text: str, ins: PlanInsertion | None, item: str) -> str:
    assert ins is not None
    r = ins.location.range
    at = LineIndex(text).offset(r.line, r.col)
    return text[:at] + ins.lead + item + ins.trail + text[at:]


def test_a_fenced_json_body_one_key_per_line() -> None:
    text = '#### POST /x\n\n**Request:**\n```json\n{\n  "a": "string",\n  "b": { "c": 1 }\n}\n```\n'
    e = endpoint(text)
    assert e.request_insert is not None and (e.request_insert.style, e.request_insert.quote) == ("json", '"')
    assert add(text, e.request_insert, '"n": "x"') == text.replace(
        '  "b": { "c": 1 }\n', '  "b": { "c": 1 },\n  "n": "x"\n'
    )


def test_a_trailing_comma_and_bare_keys_are_kept() -> None:
    text = "#### POST /x\n\n**Request:**\n```ts\n{\n    a: string,\n    b?: number, // optional\n}\n```\n"
    e = endpoint(text)
    assert e.request_insert is not None and e.request_insert.style == "ts"
    assert add(text, e.request_insert, "n: unknown") == text.replace(
        "    b?: number, // optional\n", "    b?: number,\n    n: unknown, // optional\n"
    )


def test_a_one_line_response_body() -> None:
    text = '#### GET /x\n\n**Response (200 OK):**\n```json\n{ "id": "uuid", "tags": ["a"] }\n```\n'
    e = endpoint(text)
    assert add(text, e.response_insert, '"n": "x"') == text.replace(
        '"tags": ["a"] }', '"tags": ["a"], "n": "x" }'
    )


def test_no_body_insertion_for_variants_lists_and_tables() -> None:
    variants = '#### POST /x\n\n**Request:**\n```json\n{ "a": 1 }\n```\n\n**Request (alternative):**\n```json\n{ "b": 2 }\n```\n'
    assert endpoint(variants).request_insert is None
    listed = '#### GET /x\n\n**Response (200 OK):**\n```json\n[{ "id": "uuid" }]\n```\n'
    assert endpoint(listed).response_insert is None
    table = "#### POST /x\n\n**Request:**\n\n| Field | Type |\n|---|---|\n| a | string |\n"
    e = endpoint(table)
    assert [f.name for f in e.request_fields] == ["a"] and e.request_insert is None


def test_status_goes_below_the_last_error_bullet() -> None:
    text = "#### POST /x\n\n**Errors:**\n  * 400 Bad Request: invalid\n  * `404 Not Found` — `NOPE`\n\nMore text.\n"
    e = endpoint(text)
    assert e.status_insert is not None and e.status_insert.style == "code"
    assert add(text, e.status_insert, "`409 Conflict`") == text.replace(
        "`NOPE`\n", "`NOPE`\n  * `409 Conflict`\n"
    )


def test_no_status_insertion_for_inline_lists_and_tables() -> None:
    assert endpoint("#### POST /x\n\n- Errors: 400 Bad Request, 409 Conflict\n").status_insert is None
    table = "#### POST /x\n\n| Status | Code |\n|---|---|\n| 400 | `BAD` |\n"
    assert endpoint(table).status_insert is None
    success_only = "#### POST /x\n\n- Success: `201 Created`\n"
    assert endpoint(success_only).status_insert is None
